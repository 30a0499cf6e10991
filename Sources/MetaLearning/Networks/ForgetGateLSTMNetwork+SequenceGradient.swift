extension ForgetGateLSTMNetwork {
    /// Sequences run side by side in one forward/backward sweep. Fixed, so that the order of
    /// every floating-point sum (and hence the result) does not depend on the batch size's
    /// split; 16 lanes of J = 64 steps keep the tape of the 672-weight net within L2.
    static let lockstepWidth = 16

    /// Adds the full-BPTT gradient (SPEC §8; the gradient, not its negative, and not averaged) of
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
    public func accumulateSequenceGradient(of set: SequenceSet, sequences: [Int], initialPreviousTarget: Double,
                                           into gradient: UnsafeMutablePointer<Double>) -> Double {
        precondition(set.inputDimension == configuration.inputDimension,
                     "the sequence set has inputs of dimension \(set.inputDimension), the network expects \(configuration.inputDimension)")
        precondition(sequences.allSatisfy { (0..<set.count).contains($0) }, "a sequence index lies outside 0..<\(set.count)")
        guard !sequences.isEmpty, set.length > 0 else { return 0 }
        prepareBackward()
        var sum = 0.0
        var start = 0
        while start < sequences.count {
            let end = min(start + Self.lockstepWidth, sequences.count)
            sum += runLockstep(set, lanes: sequences[start..<end], initialPreviousTarget: initialPreviousTarget)
            lockstep.backward(steps: set.length, width: end - start, transposedWeights: transposedWeights,
                              outputWeights: weights.baseAddress! + outputOffset, initialCell: nil,
                              gateGradient: gradientScratch, outputGradient: gradientScratch + outputOffset)
            start = end
        }
        addGradient(scaledBy: 1, to: gradient)
        return sum
    }

    /// The forward pass of the listed sequences in lockstep, recorded on ``lockstep`` with
    /// δ^k(t) = −(y − o)·o(1 − o); returns Σ (y − o)².
    private func runLockstep(_ set: SequenceSet, lanes: ArraySlice<Int>, initialPreviousTarget: Double) -> Double {
        let width = lanes.count, length = set.length, d = configuration.inputDimension
        let n = cells, g = gateRows, s = rowLength
        let tape = lockstep
        tape.reserve(steps: length, width: width)
        let outputWeights = weights.baseAddress! + outputOffset
        let outputBias = weights[outputOffset + n]
        var sum = 0.0
        set.inputs.withUnsafeBufferPointer { x in
            set.targets.withUnsafeBufferPointer { y in
                for t in 0..<length {
                    for (b, k) in lanes.enumerated() {
                        let m = t * width + b, row = k * length + t
                        let z = tape.sources + m * s
                        for i in 0..<d { z[i] = x[row * d + i] }
                        z[d] = t == 0 ? initialPreviousTarget : y[row - 1]
                        (z + d + 1).update(from: t == 0 ? tape.zeros : tape.hiddenStates + (m - width) * n, count: n)
                        z[s - 1] = 1
                        let a = tape.gates + m * g
                        vectorTimesMatrix(z, s, transposedWeights, g, into: a)
                        let h = tape.hiddenStates + m * n
                        activateGates(a, previousCell: t == 0 ? tape.zeros : tape.cellStates + (m - width) * n,
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
}
