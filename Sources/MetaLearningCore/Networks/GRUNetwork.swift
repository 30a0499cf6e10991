/// A gated recurrent unit network (Cho et al. 2014): one layer of n GRU cells and a sigmoid
/// output unit, full backpropagation through time; trained with minibatches and Adam by
/// `MetaTrainer` (its ``Configuration`` requires `OptimizerSettings`).
///
/// With the network input u(t) = (x(t), y(t−1)) of d + 1 values and h(0) = 0:
///
///     r(t) = σ(W_r [u(t); h(t−1)] + b_r)                  reset gate
///     z(t) = σ(W_z [u(t); h(t−1)] + b_z)                  update gate
///     ĥ(t) = tanh(W_h [u(t); r(t) ⊙ h(t−1)] + b_h)       candidate
///     h(t) = (1 − z(t)) ⊙ h(t−1) + z(t) ⊙ ĥ(t)
///     o(t) = σ(w_y · h(t) + b_y)
///
/// **Canonical weight layout** (what ``GatedRecurrentNetwork/weightStorage``, checkpoints and gradients use): three
/// blocks in the order [r, z, ĥ], n rows each; row q holds the d + 1 weights on u(t), then the
/// n weights on h(t−1) (for ĥ: on r(t) ⊙ h(t−1)), then the bias. The blocks form one row-major
/// 3n × (d + n + 2) matrix; then w_y (n values), then b_y:
/// `weightCount = 3n(d + n + 2) + n + 1` (507 for d = 2, n = 11).
///
/// Two ways to learn, both the exact gradient of ½e²:
/// * ``accumulateSequenceGradient(of:sequences:initialPreviousTarget:into:)`` — the fast path:
///   whole sequences forward, then full BPTT, several sequences in lockstep.
/// * The ``RecurrentNetwork`` step interface: `step(_:learning: true)` records the step, and
///   ``accumulateUpdate(target:scale:into:)`` backpropagates ½e(t)² through every recorded step
///   since ``reset()``. Each call costs O(t): a slow path kept for the online and batch SGD
///   modes and for tests.
public final class GRUNetwork: GatedRecurrentNetwork, RecurrentNetwork, SequenceGradientNetwork {
    /// The sizes of a GRU network; stored as `{"cells": n, "inputDimension": d}`.
    public struct Configuration: GatedLayerConfiguration {
        /// `gru`.
        public static let architectureName = "gru"
        /// Three gate blocks: r, z, ĥ.
        public static let gateBlocks = 3
        /// `gru.reset_gate`, `gru.update_gate`, `gru.candidate`: the blocks r, z, ĥ.
        public static let gateTensorNames = ["gru.reset_gate", "gru.update_gate", "gru.candidate"]
        /// `GRU`.
        public static let displayName = "GRU"
        /// 11 (507 weights).
        public static let defaultCells = 11
        /// Dimension d of the function argument; the network input is u(t) = (x(t), y(t−1)), d + 1 values.
        public var inputDimension: Int
        /// Number of GRU cells n (each with its own reset and update gate).
        public var cells: Int

        /// Creates a configuration (default d = 2, n = 11: 507 weights).
        public init(inputDimension: Int = 2, cells: Int = 11) {
            self.inputDimension = inputDimension
            self.cells = cells
        }

        /// The topology as printed in summaries, e.g. `11 (GRU)`.
        public var topology: String { "\(cells) (GRU)" }
        /// Builds a ``GRUNetwork``.
        /// - Throws: ``ConfigurationError/invalid(_:)`` if the sizes are unusable.
        public func makeNetwork() throws -> any RecurrentNetwork { try GRUNetwork(configuration: self) }
    }

    /// The network's sizes.
    public let configuration: Configuration
    /// 2n rounded up to a multiple of 4: the columns of the transposed [r; z] block (the
    /// lockstep kernels work on multiples of 4 columns; the padding columns are zero).
    let gateColumns: Int
    /// n rounded up to a multiple of 4: the columns of the transposed ĥ block.
    let candidateColumns: Int
    /// Offset of the ĥ block in the canonical layout.
    let candidateOffset: Int

    /// h(t) of the current step (the state carried to the next step).
    private let hidden: UnsafeMutablePointer<Double>
    /// Per-step scratch of a step that is not recorded.
    private let scratch: GRUTape
    /// The recorded steps since reset (width 1).
    private let history: GRUTape
    /// The lockstep workspace of ``accumulateSequenceGradient(of:sequences:initialPreviousTarget:into:)``.
    let lockstep: GRUTape
    /// [W_r; W_z] transposed, (d + n + 2) × ``gateColumns``, refreshed before each backward pass.
    let transposedGates: UnsafeMutablePointer<Double>
    /// W_h transposed, (d + n + 2) × ``candidateColumns``, refreshed before each backward pass.
    let transposedCandidate: UnsafeMutablePointer<Double>
    /// Gradient scratch in the transposed layouts, then ∂/∂w_y and ∂/∂b_y (n + 1 values).
    let gateGradientScratch: UnsafeMutablePointer<Double>
    let candidateGradientScratch: UnsafeMutablePointer<Double>
    let outputGradientScratch: UnsafeMutablePointer<Double>
    private var recordedSteps = 0
    private var output = 0.5

    /// Creates a network with all weights zero; call ``initializeWeights(using:)`` or load weights.
    /// - Throws: ``ConfigurationError/invalid(_:)`` if the sizes are unusable (see ``Configuration/validate()``).
    public init(configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
        let n = configuration.cells, rowLength = configuration.inputDimension + n + 2
        let arena = ScratchArena()
        gateColumns = (2 * n + 3) / 4 * 4
        candidateColumns = (n + 3) / 4 * 4
        candidateOffset = 2 * n * rowLength
        hidden = arena.zeroed(n)
        transposedGates = arena.zeroed(rowLength * gateColumns)
        transposedCandidate = arena.zeroed(rowLength * candidateColumns)
        gateGradientScratch = arena.zeroed(rowLength * gateColumns)
        candidateGradientScratch = arena.zeroed(rowLength * candidateColumns)
        outputGradientScratch = arena.zeroed(n + 1)
        let shape = (cells: n, inputCount: configuration.inputDimension + 1, gateColumns: gateColumns, candidateColumns: candidateColumns)
        scratch = GRUTape(shape)
        history = GRUTape(shape)
        lockstep = GRUTape(shape)
        super.init(configuration: configuration, arena: arena)
        scratch.reserve(steps: 1, width: 1)
    }

    /// `.gru(configuration)`.
    public var architecture: Architecture { .gru(configuration) }

    /// U[−0.1, 0.1] for every weight: one `nextUniform(in: -0.1, 0.1)` draw per weight in
    /// canonical order, nothing overwritten afterwards.
    public func initializeWeights(using generator: inout Xoshiro256StarStar) {
        for i in 0..<weightCount { weights[i] = generator.nextUniform(in: -0.1, 0.1) }
    }

    /// Sets h = 0 and the output to 0.5, and forgets the recorded history.
    public func reset() {
        hidden.update(repeating: 0, count: cells)
        recordedSteps = 0
        output = 0.5
    }

    /// One step of the GRU (see the type's documentation); returns o(t).
    ///
    /// With `learning` true the step is appended to the history that
    /// ``accumulateUpdate(target:scale:into:)`` backpropagates through. A step with `learning`
    /// false discards that history: a later recorded stretch then treats the state it starts
    /// from as a constant (the gradient is truncated there).
    public func _forward(_ input: UnsafePointer<Double>, learning: Bool) -> Double {
        let tape: GRUTape
        let slot: Int
        if learning {
            history.reserve(steps: recordedSteps + 1, width: 1, keepingContents: true)
            tape = history
            slot = recordedSteps
            recordedSteps += 1
        } else {
            recordedSteps = 0
            tape = scratch
            slot = 0
        }
        let n = cells, s = rowLength, i = inputCount
        let source = tape.gateSources + slot * s, resetSource = tape.candidateSources + slot * s
        source.update(from: input, count: i)
        (source + i).update(from: hidden, count: n)
        source[s - 1] = 1
        resetSource.update(from: input, count: i)
        resetSource[s - 1] = 1
        let gates = tape.gates + slot * gateColumns
        matrixVector(weights, rows: 2 * n, stride: s, source, s, into: gates)
        activateGRUGates(gates, previousHidden: source + i, resetHidden: resetSource + i, cells: n)
        let candidate = tape.candidates + slot * candidateColumns
        matrixVector(weights + candidateOffset, rows: n, stride: s, resetSource, s, into: candidate)
        let h = tape.hiddenStates + slot * n
        activateGRUCandidate(candidate, update: gates + n, previousHidden: source + i, hidden: h, cells: n)
        hidden.update(from: h, count: n)
        output = sigmoid(dot(weights + outputOffset, h, n) + weights[outputOffset + n])
        tape.outputs[slot] = output
        return output
    }

    /// Adds `scale`·(−∂(½e(t)²)/∂w) to `buffer`, where t is the last recorded step: the true
    /// gradient through every step recorded since ``reset()`` (BPTT from t back to the first
    /// recorded step with the current weights and the recorded activations).
    ///
    /// O(t) per call, so online training over a sequence of J steps costs O(J²): a slow path for
    /// the online and batch SGD modes and for tests. The whole gradient is computed before
    /// `buffer` is written, so `buffer` may be the weights. Does nothing if no step has been recorded.
    public func _accumulateUpdate(target: Double, scale: Double, into buffer: UnsafeMutablePointer<Double>) {
        guard recordedSteps > 0 else { return }
        let steps = recordedSteps
        history.deltas.update(repeating: 0, count: steps - 1)
        let o = history.outputs[steps - 1]
        history.deltas[steps - 1] = -(target - o) * o * (1 - o)
        prepareBackward()
        backward(history, steps: steps, width: 1)
        addGradient(scaledBy: -scale, to: buffer)
    }

    /// Transposes the gate weights into ``transposedGates`` and ``transposedCandidate`` and
    /// zeroes the gradient scratch.
    func prepareBackward() {
        let n = cells, s = rowLength, g = gateColumns, c = candidateColumns
        for row in 0..<(2 * n) {
            for k in 0..<s { transposedGates[k * g + row] = weights[row * s + k] }
        }
        for q in 0..<n {
            for k in 0..<s { transposedCandidate[k * c + q] = weights[candidateOffset + q * s + k] }
        }
        gateGradientScratch.update(repeating: 0, count: s * g)
        candidateGradientScratch.update(repeating: 0, count: s * c)
        outputGradientScratch.update(repeating: 0, count: n + 1)
    }

    /// Full BPTT over `steps` × `width` slots of `tape` into the gradient scratch.
    func backward(_ tape: GRUTape, steps: Int, width: Int) {
        tape.backward(steps: steps, width: width, transposedGates: transposedGates,
                      transposedCandidate: transposedCandidate, outputWeights: weights + outputOffset,
                      gateGradient: gateGradientScratch, candidateGradient: candidateGradientScratch,
                      outputGradient: outputGradientScratch)
    }

    /// buffer ← buffer + factor·(gradient scratch), converting the transposed blocks to canonical order.
    func addGradient(scaledBy factor: Double, to buffer: UnsafeMutablePointer<Double>) {
        let n = cells, s = rowLength, g = gateColumns, c = candidateColumns
        for row in 0..<(2 * n) {
            for k in 0..<s { buffer[row * s + k] += factor * gateGradientScratch[k * g + row] }
        }
        for q in 0..<n {
            for k in 0..<s { buffer[candidateOffset + q * s + k] += factor * candidateGradientScratch[k * c + q] }
        }
        for j in 0...n { buffer[outputOffset + j] += factor * outputGradientScratch[j] }
    }
}

extension Architecture {
    /// A GRU network of these sizes (``GRUNetwork/Configuration/init(inputDimension:cells:)``
    /// defaults: d = 2, n = 11, 507 weights).
    public static func gru(_ configuration: GRUNetwork.Configuration) -> Architecture {
        Architecture(configuration)
    }
}
