extension GRUNetwork: LockstepSequenceNetwork {
    /// Sequences run side by side in one forward/backward sweep. Fixed, so that the order of
    /// every floating-point sum (and hence the result) does not depend on the batch size's split.
    static let lockstepWidth = 16

    /// Adds the full-BPTT gradient (the gradient, not its negative, and not averaged) of
    /// L = Σ_{k in sequences} Σ_t ½(y_k(t) − o_k(t))² to `gradient` (``weightCount`` entries, in
    /// canonical order), running each listed sequence of `set` from reset (h(0) = 0) with
    /// u(t) = (x(t), y(t−1)) and y(0) = `initialPreviousTarget`, all J = `set.length` steps.
    ///
    /// With e_h(t) = ∂L/∂h(t) (from o(t) and from step t + 1), the backward step is
    ///
    ///     ∂a_ĥ = e_h ⊙ z ⊙ (1 − ĥ²)          ∂a_z = e_h ⊙ (ĥ − h(t−1)) ⊙ z(1 − z)
    ///     e_rh = W_h,hᵀ ∂a_ĥ                  ∂a_r = e_rh ⊙ h(t−1) ⊙ r(1 − r)
    ///     e_h(t−1) += e_h ⊙ (1 − z) + e_rh ⊙ r + W_r,hᵀ ∂a_r + W_z,hᵀ ∂a_z
    ///
    /// and the gate gradients are Σ_t ∂a_{r,z} [u; h(t−1); 1]ᵀ and Σ_t ∂a_ĥ [u; r ⊙ h(t−1); 1]ᵀ,
    /// each one GEMM at the end. Up to 16 sequences run in lockstep; nothing is allocated per
    /// step. A sequence may be listed more than once.
    /// - Returns: Σ_k Σ_t (y_k(t) − o_k(t))² (no ½), computed with the weights before any update.
    /// - Precondition: `set.inputDimension` equals the configuration's d, and every index lies in 0..<K.
    public func _accumulateSequenceGradient(of set: SequenceSet, sequences: [Int], initialPreviousTarget: Double,
                                            into gradient: UnsafeMutablePointer<Double>) -> Double {
        lockstepGradient(of: set, sequences: sequences, initialPreviousTarget: initialPreviousTarget, into: gradient)
    }

    /// h = 0 (n values), no cell state, and y(0) = `initialPreviousTarget`.
    public func initialCarriedState(initialPreviousTarget: Double) -> CarriedState? {
        lockstepInitialState(initialPreviousTarget: initialPreviousTarget)
    }

    /// Like ``accumulateSequenceGradient(of:sequences:initialPreviousTarget:into:)``, but
    /// sequence `sequences[b]` starts from h(0) = `states[b].hidden` and y(0) =
    /// `states[b].previousTarget` instead of from reset, and `states[b]` is replaced by the
    /// state after its last step. The gradient is truncated at the start of the sequence: the
    /// carried state is a constant (truncated BPTT over a continuing stream).
    /// - Precondition: one state per sequence, with n hidden values and no cell values.
    public func _accumulateSequenceGradient(of set: SequenceSet, sequences: [Int], carrying states: inout [CarriedState],
                                            into gradient: UnsafeMutablePointer<Double>) -> Double {
        lockstepGradient(of: set, sequences: sequences, carrying: &states, into: gradient)
    }

    /// The forward pass of the listed sequences in lockstep, recorded on ``lockstep`` with
    /// δ^k(t) = −(y − o)·o(1 − o); returns Σ (y − o)². Lanes start from reset unless initial h
    /// (`width` × n, lane after lane) and y(0) per lane are given.
    func runLockstep(_ set: SequenceSet, lanes: ArraySlice<Int>, initialPreviousTarget: Double,
                     initialHidden: UnsafePointer<Double>?, initialCell: UnsafePointer<Double>?,
                     initialTargets: UnsafePointer<Double>?) -> Double {
        precondition(initialCell == nil, "a GRU has no cell state")
        let width = lanes.count, length = set.length, d = configuration.inputDimension
        let n = cells, s = rowLength, i = inputCount, g = gateColumns, c = candidateColumns
        let tape = lockstep
        tape.reserve(steps: length, width: width)
        let outputWeights = weights + outputOffset
        let outputBias = weights[outputOffset + n]
        var sum = 0.0
        set.inputs.withUnsafeBufferPointer { x in
            set.targets.withUnsafeBufferPointer { y in
                for t in 0..<length {
                    for (b, k) in lanes.enumerated() {
                        let m = t * width + b, row = k * length + t
                        let source = tape.gateSources + m * s, resetSource = tape.candidateSources + m * s
                        for j in 0..<d { source[j] = x[row * d + j] }
                        source[d] = t == 0 ? (initialTargets?[b] ?? initialPreviousTarget) : y[row - 1]
                        (source + i).update(from: t == 0 ? (initialHidden.map { $0 + b * n } ?? UnsafePointer(tape.zeros))
                                                         : UnsafePointer(tape.hiddenStates + (m - width) * n), count: n)
                        source[s - 1] = 1
                        resetSource.update(from: source, count: i)
                        resetSource[s - 1] = 1
                        let gates = tape.gates + m * g
                        vectorTimesMatrix(source, s, transposedGates, g, into: gates)
                        activateGRUGates(gates, previousHidden: source + i, resetHidden: resetSource + i, cells: n)
                        let candidate = tape.candidates + m * c
                        vectorTimesMatrix(resetSource, s, transposedCandidate, c, into: candidate)
                        let h = tape.hiddenStates + m * n
                        activateGRUCandidate(candidate, update: gates + n, previousHidden: source + i, hidden: h, cells: n)
                        let o = sigmoid(dot(outputWeights, h, n) + outputBias)
                        let e = y[row] - o
                        sum += e * e
                        tape.outputs[m] = o
                        tape.deltas[m] = -e * o * (1 - o)
                    }
                }
            }
        }
        return sum
    }

    /// d.
    var lockstepInputDimension: Int { configuration.inputDimension }
    /// h only.
    var carriesCellState: Bool { false }

    /// The backward pass of docs/method.md §4.10 over the lockstep tape (no cell state).
    func backwardLockstep(steps: Int, width: Int, initialCell: UnsafePointer<Double>?) {
        backward(lockstep, steps: steps, width: width)
    }

    /// h of tape slot `slot`, and no cell values.
    func lockstepState(atSlot slot: Int) -> (hidden: [Double], cell: [Double]) {
        (Array(UnsafeBufferPointer(start: lockstep.hiddenStates + slot * cells, count: cells)), [])
    }
}

/// The recorded activations of a ``GRUNetwork`` over T steps of `width` sequences run in
/// lockstep, and the backward pass over them.
///
/// Storage is one contiguous block per quantity, slot m = t·width + b (step t, lane b): the
/// sources [u; h(t−1); 1] of r and z and [u; r ⊙ h(t−1); 1] of ĥ (d + n + 2 values each), the
/// activations [r; z] and ĥ and their pre-activation gradients (padded to multiples of 4, the
/// padding zero), h(t) (n), o(t) and δ^k(t) (one each). Nothing is allocated per step;
/// ``reserve(steps:width:keepingContents:)`` grows the blocks geometrically, in the tape's own
/// ``ScratchArena``.
final class GRUTape {
    let cells: Int
    let inputCount: Int
    let rowLength: Int
    let gateColumns: Int
    let candidateColumns: Int
    private let arena = ScratchArena()
    private(set) var capacity = 0
    private(set) var width = 1
    private(set) var gateSources: UnsafeMutablePointer<Double>
    private(set) var candidateSources: UnsafeMutablePointer<Double>
    private(set) var gates: UnsafeMutablePointer<Double>
    private(set) var candidates: UnsafeMutablePointer<Double>
    private(set) var gateGradients: UnsafeMutablePointer<Double>
    private(set) var candidateGradients: UnsafeMutablePointer<Double>
    private(set) var hiddenStates: UnsafeMutablePointer<Double>
    private(set) var outputs: UnsafeMutablePointer<Double>
    private(set) var deltas: UnsafeMutablePointer<Double>
    /// The error reaching h(t) from step t + 1, the whole ∂L/∂h(t), and W_h,hᵀ ∂a_ĥ (n each; one lane at a time).
    let nextHiddenError: UnsafeMutablePointer<Double>
    let hiddenError: UnsafeMutablePointer<Double>
    let resetHiddenError: UnsafeMutablePointer<Double>
    /// n zeros: h(0).
    let zeros: UnsafeMutablePointer<Double>

    init(_ shape: (cells: Int, inputCount: Int, gateColumns: Int, candidateColumns: Int)) {
        cells = shape.cells
        inputCount = shape.inputCount
        rowLength = shape.inputCount + shape.cells + 1
        gateColumns = shape.gateColumns
        candidateColumns = shape.candidateColumns
        gateSources = arena.zeroed(0)
        candidateSources = arena.zeroed(0)
        gates = arena.zeroed(0)
        candidates = arena.zeroed(0)
        gateGradients = arena.zeroed(0)
        candidateGradients = arena.zeroed(0)
        hiddenStates = arena.zeroed(0)
        outputs = arena.zeroed(0)
        deltas = arena.zeroed(0)
        nextHiddenError = arena.zeroed(cells)
        hiddenError = arena.zeroed(cells)
        resetHiddenError = arena.zeroed(cells)
        zeros = arena.zeroed(cells)
    }

    /// Makes room for `steps`·`width` slots. With `keepingContents` (same width only) the slots
    /// recorded so far survive a reallocation.
    func reserve(steps: Int, width: Int, keepingContents: Bool = false) {
        precondition(!keepingContents || width == self.width, "a tape keeps its contents only at the same width")
        self.width = width
        let slots = steps * width
        guard slots > capacity else { return }
        let newCapacity = max(slots, 2 * capacity)
        func grow(_ pointer: inout UnsafeMutablePointer<Double>, _ perSlot: Int) {
            pointer = arena.replace(pointer, withZeroed: newCapacity * perSlot,
                                    keeping: keepingContents ? capacity * perSlot : 0)
        }
        grow(&gateSources, rowLength)
        grow(&candidateSources, rowLength)
        grow(&gates, gateColumns)
        grow(&candidates, candidateColumns)
        grow(&gateGradients, gateColumns)
        grow(&candidateGradients, candidateColumns)
        grow(&hiddenStates, cells)
        grow(&outputs, 1)
        grow(&deltas, 1)
        capacity = newCapacity
    }

    /// Full BPTT over the recorded slots (see ``GRUNetwork/accumulateSequenceGradient(of:sequences:initialPreviousTarget:into:)``),
    /// with δ^k(t) read from ``deltas``; h(t−1) of the first slot is read from its source and
    /// treated as a constant.
    ///
    /// Adds Σ_t ∂a_{r,z}(t) [u; h(t−1); 1]ᵀ to `gateGradient` (transposed, `rowLength` ×
    /// `gateColumns`), Σ_t ∂a_ĥ(t) [u; r ⊙ h(t−1); 1]ᵀ to `candidateGradient` (transposed,
    /// `rowLength` × `candidateColumns`) and Σ_t δ^k(t) [h(t); 1] to `outputGradient` (n + 1 values).
    func backward(steps: Int, width: Int, transposedGates: UnsafePointer<Double>, transposedCandidate: UnsafePointer<Double>,
                  outputWeights: UnsafePointer<Double>, gateGradient: UnsafeMutablePointer<Double>,
                  candidateGradient: UnsafeMutablePointer<Double>, outputGradient: UnsafeMutablePointer<Double>) {
        let n = cells, s = rowLength, g = gateColumns, c = candidateColumns
        // The rows of the transposed blocks that belong to h(t−1) (resp. r ⊙ h(t−1)).
        let recurrentGateRows = transposedGates + inputCount * g
        let recurrentCandidateRows = transposedCandidate + inputCount * c
        let dhNext = nextHiddenError, dh = hiddenError, drh = resetHiddenError
        for b in 0..<width {
            dhNext.update(repeating: 0, count: n)
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let m = t * width + b
                let delta = deltas[m]
                let a = gates + m * g, candidate = candidates + m * c
                let previous = gateSources + m * s + inputCount
                let dA = gateGradients + m * g, dC = candidateGradients + m * c
                for q in 0..<n {
                    let e = outputWeights[q] * delta + dhNext[q]
                    dh[q] = e
                    let z = a[n + q], hHat = candidate[q]
                    dC[q] = e * z * (1 - hHat * hHat)
                    dA[n + q] = e * (hHat - previous[q]) * z * (1 - z)
                }
                matrixVector(recurrentCandidateRows, rows: n, stride: c, dC, n, into: drh)
                for q in 0..<n {
                    let r = a[q]
                    dA[q] = drh[q] * previous[q] * r * (1 - r)
                }
                if t > 0 {
                    matrixVector(recurrentGateRows, rows: n, stride: g, dA, 2 * n, into: dhNext)
                    for q in 0..<n { dhNext[q] += dh[q] * (1 - a[n + q]) + drh[q] * a[q] }
                }
            }
        }
        let slots = steps * width
        for m in 0..<slots {
            let delta = deltas[m]
            addScaled(delta, hiddenStates + m * n, to: outputGradient, n)
            outputGradient[n] += delta
        }
        accumulateOuterProducts(gateSources, s, gateGradients, g, slots, into: gateGradient)
        accumulateOuterProducts(candidateSources, s, candidateGradients, c, slots, into: candidateGradient)
    }
}

/// The reset and update gates of one GRU step, in place on `gates`: the pre-activations
/// [a_r; a_z] become [r; z] = σ(·), and r ⊙ h(t−1) is written to `resetHidden`.
@inline(__always)
func activateGRUGates(_ gates: UnsafeMutablePointer<Double>, previousHidden: UnsafePointer<Double>,
                      resetHidden: UnsafeMutablePointer<Double>, cells n: Int) {
    applySigmoid(gates, into: gates, 2 * n)
    for q in 0..<n { resetHidden[q] = gates[q] * previousHidden[q] }
}

/// The candidate and the new state of one GRU step: the pre-activation a_ĥ in `candidate`
/// becomes ĥ = tanh a_ĥ (computed as 2σ(2x) − 1 with the package's bit-reproducible σ), and
/// h = (1 − z) ⊙ h(t−1) + z ⊙ ĥ is written to `hidden`.
@inline(__always)
func activateGRUCandidate(_ candidate: UnsafeMutablePointer<Double>, update: UnsafePointer<Double>,
                          previousHidden: UnsafePointer<Double>, hidden: UnsafeMutablePointer<Double>, cells n: Int) {
    for q in 0..<n { candidate[q] *= 2 }
    applySigmoid(candidate, into: candidate, n)
    for q in 0..<n {
        let hHat = 2 * candidate[q] - 1
        candidate[q] = hHat
        hidden[q] = (1 - update[q]) * previousHidden[q] + update[q] * hHat
    }
}
