extension ForgetGateLSTMNetwork: SequenceGradientNetwork, LockstepSequenceNetwork {
    /// Sequences run side by side in one forward/backward sweep. Fixed, so that the order of
    /// every floating-point sum (and hence the result) does not depend on the batch size's
    /// split; 16 lanes of J = 64 steps keep the tape of the 672-weight net within L2.
    static let lockstepWidth = 16

    /// Adds the full-BPTT gradient (docs/method.md §4.9; the gradient, not its negative, and not averaged) of
    /// L = Σ_{k in sequences} Σ_t ½(y_k(t) − o_k(t))² to `gradient` (``weightCount`` entries, in
    /// canonical order), running each listed sequence of `set` from reset with
    /// u(t) = (x(t), y(t−1)) and y(0) = `initialPreviousTarget`, all J = `set.length` steps.
    ///
    /// The sequences run in lockstep, up to 16 at a time: at each step the gate
    /// pre-activations of all of them are one small matrix product with the transposed gate
    /// weights; the backward pass keeps d̂ for every step, and the gate gradient Σ d̂ zᵀ is one
    /// GEMM at the end. Nothing is allocated per step. A sequence may be listed more than once.
    /// - Returns: Σ_k Σ_t (y_k(t) − o_k(t))² (no ½), computed with the weights before any update.
    /// - Precondition: `set.inputDimension` equals the configuration's d, and every index lies in 0..<K.
    public func _accumulateSequenceGradient(of set: SequenceSet, sequences: [Int], initialPreviousTarget: Double,
                                            into gradient: UnsafeMutablePointer<Double>) -> Double {
        lockstepGradient(of: set, sequences: sequences, initialPreviousTarget: initialPreviousTarget, into: gradient)
    }

    /// The state a lane carries between sequences: h and c (n values each).
    public typealias CarriedState = MetaLearningCore.CarriedState

    /// h = c = 0 (n values each) and y(0) = `initialPreviousTarget`.
    public func initialCarriedState(initialPreviousTarget: Double) -> CarriedState? {
        lockstepInitialState(initialPreviousTarget: initialPreviousTarget)
    }

    /// Like ``accumulateSequenceGradient(of:sequences:initialPreviousTarget:into:)``, but
    /// sequence `sequences[b]` starts from `states[b]` instead of from reset, and `states[b]`
    /// is replaced by the state after its last step. The gradient is truncated at the start of
    /// the sequence: the carried state is a constant (truncated BPTT over a continuing stream).
    /// - Precondition: one state of n values per sequence.
    public func _accumulateSequenceGradient(of set: SequenceSet, sequences: [Int], carrying states: inout [CarriedState],
                                            into gradient: UnsafeMutablePointer<Double>) -> Double {
        lockstepGradient(of: set, sequences: sequences, carrying: &states, into: gradient)
    }

    /// The forward pass of the listed sequences in lockstep, recorded on ``lockstep`` with
    /// δ^k(t) = −(y − o)·o(1 − o); returns Σ (y − o)². Lanes start from reset unless initial
    /// h, c (`width` × n, lane after lane) and y(0) per lane are given.
    func runLockstep(_ set: SequenceSet, lanes: ArraySlice<Int>, initialPreviousTarget: Double,
                     initialHidden: UnsafePointer<Double>?, initialCell: UnsafePointer<Double>?,
                     initialTargets: UnsafePointer<Double>?) -> Double {
        let width = lanes.count, length = set.length, d = configuration.inputDimension
        let n = cells, g = gateRows, s = rowLength
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
                        let z = tape.sources + m * s
                        for i in 0..<d { z[i] = x[row * d + i] }
                        z[d] = t == 0 ? (initialTargets?[b] ?? initialPreviousTarget) : y[row - 1]
                        (z + d + 1).update(from: t == 0 ? (initialHidden.map { $0 + b * n } ?? UnsafePointer(tape.zeros))
                                                        : UnsafePointer(tape.hiddenStates + (m - width) * n), count: n)
                        z[s - 1] = 1
                        let a = tape.gates + m * g
                        vectorTimesMatrix(z, s, transposedWeights, g, into: a)
                        let h = tape.hiddenStates + m * n
                        activateGates(a, previousCell: t == 0 ? (initialCell.map { $0 + b * n } ?? UnsafePointer(tape.zeros))
                                                               : UnsafePointer(tape.cellStates + (m - width) * n),
                                      cell: tape.cellStates + m * n, tanhCell: tape.tanhCellStates + m * n,
                                      hidden: h, cells: n)
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
    /// h and c.
    var carriesCellState: Bool { true }

    /// The backward pass of docs/method.md §4.9 over the lockstep tape.
    func backwardLockstep(steps: Int, width: Int, initialCell: UnsafePointer<Double>?) {
        lockstep.backward(steps: steps, width: width, transposedWeights: transposedWeights,
                          outputWeights: weights + outputOffset, initialCell: initialCell,
                          gateGradient: gradientScratch, outputGradient: gradientScratch + outputOffset)
    }

    /// h and c of tape slot `slot`.
    func lockstepState(atSlot slot: Int) -> (hidden: [Double], cell: [Double]) {
        (Array(UnsafeBufferPointer(start: lockstep.hiddenStates + slot * cells, count: cells)),
         Array(UnsafeBufferPointer(start: lockstep.cellStates + slot * cells, count: cells)))
    }
}
