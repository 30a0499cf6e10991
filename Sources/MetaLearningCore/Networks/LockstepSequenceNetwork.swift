/// A gated recurrent network (forget-gate LSTM, GRU) whose full-sequence gradient runs up to
/// ``lockstepWidth`` sequences side by side: the lanes' forward pass is recorded on a tape,
/// then one backward pass over the tape adds the lanes' gradient to a scratch in transposed
/// order, which is finally added to the caller's buffer in canonical order.
///
/// The networks supply the three steps (`runLockstep`, `backwardLockstep`, the state of a lane
/// after its last step) and the shared driver below splits the sequences into lanes, carries
/// state between sequences for training without reset, and keeps the order of every
/// floating-point sum fixed (so the result does not depend on the batch size's split).
protocol LockstepSequenceNetwork: SequenceGradientNetwork {
    /// Sequences run side by side in one forward/backward sweep.
    static var lockstepWidth: Int { get }
    /// d, the dimension of x the network expects.
    var lockstepInputDimension: Int { get }
    /// n, the number of hidden values (and of cell values, if the network has cells).
    var cells: Int { get }
    /// Whether a lane's state includes a cell state c besides h.
    var carriesCellState: Bool { get }
    /// Transposes what the backward pass reads and zeroes the gradient scratch.
    func prepareBackward()
    /// The forward pass of `lanes` of `set` in lockstep, recorded on the tape; returns Σ(y − o)².
    /// Lanes start from reset unless initial h (and c), `width` × n lane after lane, and y(0)
    /// per lane are given.
    func runLockstep(_ set: SequenceSet, lanes: ArraySlice<Int>, initialPreviousTarget: Double,
                     initialHidden: UnsafePointer<Double>?, initialCell: UnsafePointer<Double>?,
                     initialTargets: UnsafePointer<Double>?) -> Double
    /// The backward pass over the recorded `steps` × `width` slots into the gradient scratch;
    /// `initialCell` is c(0) per lane (nil: zero).
    func backwardLockstep(steps: Int, width: Int, initialCell: UnsafePointer<Double>?)
    /// h and c (empty without cells) recorded in tape slot `slot`.
    func lockstepState(atSlot slot: Int) -> (hidden: [Double], cell: [Double])
    /// buffer ← buffer + factor·(gradient scratch), in canonical order.
    func addGradient(scaledBy factor: Double, to buffer: UnsafeMutablePointer<Double>)
}

extension LockstepSequenceNetwork {
    /// The full-BPTT gradient of the listed sequences, each from reset (see
    /// ``SequenceGradientNetwork/_accumulateSequenceGradient(of:sequences:initialPreviousTarget:into:)``).
    func lockstepGradient(of set: SequenceSet, sequences: [Int], initialPreviousTarget: Double,
                          into gradient: UnsafeMutablePointer<Double>) -> Double {
        precondition(set.inputDimension == lockstepInputDimension,
                     "the sequence set has inputs of dimension \(set.inputDimension), the network expects \(lockstepInputDimension)")
        precondition(sequences.allSatisfy { (0..<set.count).contains($0) }, "a sequence index lies outside 0..<\(set.count)")
        guard !sequences.isEmpty, set.length > 0 else { return 0 }
        prepareBackward()
        var sum = 0.0
        var start = 0
        while start < sequences.count {
            let end = min(start + Self.lockstepWidth, sequences.count)
            sum += runLockstep(set, lanes: sequences[start..<end], initialPreviousTarget: initialPreviousTarget,
                               initialHidden: nil, initialCell: nil, initialTargets: nil)
            backwardLockstep(steps: set.length, width: end - start, initialCell: nil)
            start = end
        }
        addGradient(scaledBy: 1, to: gradient)
        return sum
    }

    /// h = 0 (and c = 0 if the network has cells), y(0) = `initialPreviousTarget`.
    func lockstepInitialState(initialPreviousTarget: Double) -> CarriedState {
        CarriedState(hidden: [Double](repeating: 0, count: cells),
                     cell: [Double](repeating: 0, count: carriesCellState ? cells : 0), previousTarget: initialPreviousTarget)
    }

    /// The truncated gradient over continuing streams (see
    /// ``SequenceGradientNetwork/_accumulateSequenceGradient(of:sequences:carrying:into:)``):
    /// sequence `sequences[b]` starts from `states[b]`, which is replaced by the state after its
    /// last step.
    func lockstepGradient(of set: SequenceSet, sequences: [Int], carrying states: inout [CarriedState],
                          into gradient: UnsafeMutablePointer<Double>) -> Double {
        let n = cells, cellCount = carriesCellState ? cells : 0
        precondition(set.inputDimension == lockstepInputDimension, "input dimension mismatch")
        precondition(states.count == sequences.count && states.allSatisfy { $0.hidden.count == n && $0.cell.count == cellCount },
                     "one carried state of n hidden values (and n cell values if the network has cells) per sequence")
        precondition(sequences.allSatisfy { (0..<set.count).contains($0) }, "a sequence index lies outside 0..<\(set.count)")
        guard !sequences.isEmpty, set.length > 0 else { return 0 }
        prepareBackward()
        var sum = 0.0
        var start = 0
        while start < sequences.count {
            let end = min(start + Self.lockstepWidth, sequences.count)
            let width = end - start
            var hidden = [Double](repeating: 0, count: width * n)
            var cell = [Double](repeating: 0, count: width * cellCount)
            var previous = [Double](repeating: 0, count: width)
            for b in 0..<width {
                for q in 0..<n { hidden[b * n + q] = states[start + b].hidden[q] }
                for q in 0..<cellCount { cell[b * cellCount + q] = states[start + b].cell[q] }
                previous[b] = states[start + b].previousTarget
            }
            hidden.withUnsafeBufferPointer { h in
                cell.withUnsafeBufferPointer { c in
                    previous.withUnsafeBufferPointer { y0 in
                        let initialCell = cellCount > 0 ? c.baseAddress : nil
                        sum += runLockstep(set, lanes: sequences[start..<end], initialPreviousTarget: 0,
                                           initialHidden: h.baseAddress!, initialCell: initialCell, initialTargets: y0.baseAddress!)
                        backwardLockstep(steps: set.length, width: width, initialCell: initialCell)
                    }
                }
            }
            let last = (set.length - 1) * width
            for b in 0..<width {
                let state = lockstepState(atSlot: last + b)
                states[start + b].hidden = state.hidden
                states[start + b].cell = state.cell
                states[start + b].previousTarget = set.targets[sequences[start + b] * set.length + set.length - 1]
            }
            start = end
        }
        addGradient(scaledBy: 1, to: gradient)
        return sum
    }
}
