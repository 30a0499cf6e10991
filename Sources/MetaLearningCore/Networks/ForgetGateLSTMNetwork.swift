/// The modern comparison of docs/method.md §4.9: one LSTM layer with forget gates (Gers et al. 2000), a
/// tanh cell input, no peepholes, full backpropagation through time; trained with minibatches
/// and Adam by `MetaTrainer` when the configuration carries `OptimizerSettings`.
///
/// With n cells and the network input u(t) = (x(t), y(t−1)) of d + 1 values, every gate reads
/// z(t) = [u(t); h(t−1)] (docs/method.md §4.9):
///
///     i = σ(W_i z + b_i)   f = σ(W_f z + b_f)   r = σ(W_r z + b_r)   ĝ = tanh(W_g z + b_g)
///     c(t) = f ⊙ c(t−1) + i ⊙ ĝ     h(t) = r ⊙ tanh c(t)     o(t) = σ(w_y · h(t) + b_y)
///
/// **Canonical weight layout** (what ``GatedRecurrentNetwork/weightStorage``, checkpoints and gradients use): for each gate
/// x in the order [i, f, r, g], n rows; row q holds the d + 1 + n weights from
/// z = [u(t); h(t−1)] (the d + 1 input values first, then the n values of h(t−1)) followed by the
/// bias b_x[q]. Each gate block is therefore n·(d + 1 + n + 1) values, and the four blocks form
/// one row-major 4n × (d + n + 2) matrix whose rows read [z; 1]. Then w_y (n values), then b_y:
/// `weightCount = 4n(d + n + 2) + n + 1` (672 for d = 2, n = 11; 5496 for n = 35).
///
/// Two ways to learn:
/// * ``accumulateSequenceGradient(of:sequences:initialPreviousTarget:into:)`` — the fast path:
///   whole sequences forward, then full BPTT, several sequences in lockstep.
/// * The ``RecurrentNetwork`` step interface: `forward(_:learning: true)` records the step, and
///   ``accumulateUpdate(target:scale:into:)`` backpropagates ½e(t)² through every recorded step
///   since ``reset()``. This is the exact gradient, but each call costs O(t), so it is a slow
///   path kept for the online and batch SGD modes and for testing.
public final class ForgetGateLSTMNetwork: GatedRecurrentNetwork, RecurrentNetwork {
    /// The sizes of a forget-gate LSTM network.
    public struct Configuration: GatedLayerConfiguration {
        /// `lstm-modern`.
        public static let architectureName = "lstm-modern"
        /// Four gate blocks: i, f, r, g.
        public static let gateBlocks = 4
        /// `lstm.input_gate`, `lstm.forget_gate`, `lstm.output_gate`, `lstm.cell_input`: the
        /// blocks i, f, r, g.
        public static let gateTensorNames = ["lstm.input_gate", "lstm.forget_gate", "lstm.output_gate", "lstm.cell_input"]
        /// `forget-gate LSTM`.
        public static let displayName = "forget-gate LSTM"
        /// 11 (``paperSized``).
        public static let defaultCells = 11
        /// Dimension d of the function argument; the network input is u(t) = (x(t), y(t−1)), d + 1 values.
        public var inputDimension: Int
        /// Number of cells n (each with its own input, forget and output gate).
        public var cells: Int

        /// Creates a configuration.
        public init(inputDimension: Int = 2, cells: Int = 11) {
            self.inputDimension = inputDimension
            self.cells = cells
        }

        /// d = 2, n = 11: 672 weights, matched to the paper's 685-weight 6/6(1) net (docs/method.md §4.9).
        public static let paperSized = Configuration(inputDimension: 2, cells: 11)
        /// d = 2, n = 35: 5496 weights, matched to the paper's 5373-weight quadratic net (docs/method.md §4.9).
        public static let quadSized = Configuration(inputDimension: 2, cells: 35)

        /// The topology as printed in summaries, e.g. `11 (forget-gate)`.
        public var topology: String { "\(cells) (forget-gate)" }
        /// Builds a ``ForgetGateLSTMNetwork``.
        public func makeNetwork() throws -> any RecurrentNetwork { try ForgetGateLSTMNetwork(configuration: self) }
    }

    /// The network's sizes.
    public let configuration: Configuration
    /// 4n, the number of gate rows.
    let gateRows: Int

    /// h(t) and c(t) of the current step (the state carried to the next step).
    private let hidden: UnsafeMutablePointer<Double>
    private let cell: UnsafeMutablePointer<Double>
    /// The state when recording began (zero after ``reset()``): c(t−1) of the first recorded step.
    private let recordingStartCell: UnsafeMutablePointer<Double>
    /// Per-step scratch of a step that is not recorded.
    private let scratch: ForgetGateLSTMTape
    /// The recorded steps since reset (width 1).
    private let history: ForgetGateLSTMTape
    /// The lockstep workspace of ``accumulateSequenceGradient(of:sequences:initialPreviousTarget:into:)``.
    let lockstep: ForgetGateLSTMTape
    /// Gradient scratch: the gate part transposed, (d + n + 2) × 4n, then ∂/∂w_y and ∂/∂b_y.
    let gradientScratch: UnsafeMutablePointer<Double>
    /// The gate weights transposed, (d + n + 2) × 4n, refreshed at the start of each backward pass.
    let transposedWeights: UnsafeMutablePointer<Double>
    private var recordedSteps = 0
    private var output = 0.5

    /// Creates a network with all weights zero; call ``initializeWeights(using:)`` or load weights.
    /// - Throws: ``ConfigurationError/invalid(_:)`` for d < 1 or n < 1.
    public init(configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
        let n = configuration.cells, rowLength = configuration.inputDimension + n + 2
        let arena = ScratchArena()
        gateRows = 4 * n
        hidden = arena.zeroed(n)
        cell = arena.zeroed(n)
        recordingStartCell = arena.zeroed(n)
        gradientScratch = arena.zeroed(configuration.weightCount)
        transposedWeights = arena.zeroed(gateRows * rowLength)
        scratch = ForgetGateLSTMTape(cells: n, rowLength: rowLength)
        history = ForgetGateLSTMTape(cells: n, rowLength: rowLength)
        lockstep = ForgetGateLSTMTape(cells: n, rowLength: rowLength)
        super.init(configuration: configuration, arena: arena)
        scratch.reserve(steps: 1, width: 1)
    }

    /// `.lstmModern(configuration)`.
    public var architecture: Architecture { .lstmModern(configuration) }

    /// Index of the forget-gate bias b_f[q] in the canonical layout.
    func forgetGateBiasIndex(cell q: Int) -> Int { (cells + q) * rowLength + rowLength - 1 }

    /// docs/method.md §4.9: U[−0.1, 0.1] for every weight, one draw per weight in canonical order; the
    /// forget-gate biases are drawn like the others and then overwritten with +1.0.
    public func initializeWeights(using generator: inout Xoshiro256StarStar) {
        for i in 0..<weightCount { weights[i] = generator.nextUniform(in: -0.1, 0.1) }
        for q in 0..<cells { weights[forgetGateBiasIndex(cell: q)] = 1.0 }
    }

    /// Sets h, c and the output to their start values and forgets the recorded history.
    public func reset() {
        hidden.update(repeating: 0, count: cells)
        cell.update(repeating: 0, count: cells)
        recordingStartCell.update(repeating: 0, count: cells)
        recordedSteps = 0
        output = 0.5
    }

    /// One step of docs/method.md §4.9; returns o(t).
    ///
    /// With `learning` true the step is appended to the history that
    /// ``accumulateUpdate(target:scale:into:)`` backpropagates through. A step with `learning`
    /// false discards that history: a later recorded stretch then treats the state it starts
    /// from as a constant (the gradient is truncated there).
    public func _forward(_ input: UnsafePointer<Double>, learning: Bool) -> Double {
        let tape: ForgetGateLSTMTape
        let slot: Int
        if learning {
            if recordedSteps == 0 { recordingStartCell.update(from: cell, count: cells) }
            history.reserve(steps: recordedSteps + 1, width: 1, keepingContents: true)
            tape = history
            slot = recordedSteps
            recordedSteps += 1
        } else {
            recordedSteps = 0
            tape = scratch
            slot = 0
        }
        let z = tape.sources + slot * rowLength
        z.update(from: input, count: inputCount)
        (z + inputCount).update(from: hidden, count: cells)
        z[rowLength - 1] = 1
        let gates = tape.gates + slot * gateRows
        matrixVector(weights, rows: gateRows, stride: rowLength, z, rowLength, into: gates)
        let c = tape.cellStates + slot * cells, h = tape.hiddenStates + slot * cells
        activateGates(gates, previousCell: cell, cell: c, tanhCell: tape.tanhCellStates + slot * cells, hidden: h, cells: cells)
        cell.update(from: c, count: cells)
        hidden.update(from: h, count: cells)
        output = sigmoid(dot(weights + outputOffset, h, cells) + weights[outputOffset + cells])
        tape.outputs[slot] = output
        return output
    }

    /// Adds `scale`·(−∂(½e(t)²)/∂w) to `buffer`, where t is the last recorded step: the true
    /// gradient through every step recorded since ``reset()`` (BPTT from t back to step 1 with
    /// the current weights and the recorded activations).
    ///
    /// O(t) per call (a full backward pass each time), so online training over a sequence of J
    /// steps costs O(J²): a slow path for the online and batch SGD modes and for tests; minibatch
    /// training uses ``accumulateSequenceGradient(of:sequences:initialPreviousTarget:into:)``.
    /// The whole gradient is computed before `buffer` is written, so `buffer` may be the weights.
    /// Does nothing if no step has been recorded.
    public func _accumulateUpdate(target: Double, scale: Double, into buffer: UnsafeMutablePointer<Double>) {
        guard recordedSteps > 0 else { return }
        let steps = recordedSteps
        history.deltas.update(repeating: 0, count: steps - 1)
        let o = history.outputs[steps - 1]
        history.deltas[steps - 1] = -(target - o) * o * (1 - o)
        prepareBackward()
        history.backward(steps: steps, width: 1, transposedWeights: transposedWeights,
                         outputWeights: weights + outputOffset, initialCell: recordingStartCell,
                         gateGradient: gradientScratch, outputGradient: gradientScratch + outputOffset)
        addGradient(scaledBy: -scale, to: buffer)
    }

    /// Transposes the gate weights into ``transposedWeights`` and zeroes ``gradientScratch``.
    func prepareBackward() {
        let w = weights
        for row in 0..<gateRows {
            for k in 0..<rowLength { transposedWeights[k * gateRows + row] = w[row * rowLength + k] }
        }
        gradientScratch.update(repeating: 0, count: weightCount)
    }

    /// buffer ← buffer + factor·(gradient scratch), converting the transposed gate part to canonical order.
    func addGradient(scaledBy factor: Double, to buffer: UnsafeMutablePointer<Double>) {
        for row in 0..<gateRows {
            for k in 0..<rowLength { buffer[row * rowLength + k] += factor * gradientScratch[k * gateRows + row] }
        }
        for i in outputOffset..<weightCount { buffer[i] += factor * gradientScratch[i] }
    }
}

extension Architecture {
    /// A forget-gate LSTM of these sizes (``ForgetGateLSTMNetwork/Configuration/paperSized``: 672 weights).
    public static func lstmModern(_ configuration: ForgetGateLSTMNetwork.Configuration) -> Architecture {
        Architecture(configuration)
    }
}
