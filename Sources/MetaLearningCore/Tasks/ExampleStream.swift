/// When a learner is reset while it walks a stream of examples.
public enum ResetPolicy: Equatable, Sendable {
    /// Before every sequence (the paper's protocol: one function per sequence, docs/method.md).
    case everySequence
    /// Only before the first example: one long stream whose function switches without notice.
    case never
    /// Before every `steps`-th example of the stream, counting across sequences (the oracle of
    /// a switching stream, told when the function changes).
    case every(steps: Int)
}

/// The paper's input loop, written once: examples of one or more sequences in a given order,
/// each presented as u(j) = (x(j), y(j−1)) with y(0) = the initial previous target after every
/// reset, and the learner reset as a ``ResetPolicy`` says.
///
/// The rows of the example table are laid out as in ``SequenceSet``: row r holds the d inputs
/// `inputs[r·d ..< (r+1)·d]` and the target `targets[r]`; a sequence is a range of consecutive
/// rows. Training, evaluation, `predict`, `compare`, `stream` and loaded models all walk their
/// examples through ``forEachExample(inputs:targets:sequences:reset:_:)``, so the rule for
/// y(j−1) — the previous row's target, or y(0) after a reset — exists in one place. The loop
/// allocates nothing per example; `u` is a buffer of d + 1 values the caller owns.
package struct ExampleStream {
    /// d, the dimension of x.
    package let dimension: Int
    /// y(0), the previous-target input after a reset.
    package let initialPreviousTarget: Double
    /// When the learner is reset.
    package let policy: ResetPolicy

    @inlinable
    package init(dimension: Int, initialPreviousTarget: Double, policy: ResetPolicy) {
        self.dimension = dimension
        self.initialPreviousTarget = initialPreviousTarget
        self.policy = policy
    }

    /// Walks the rows of `sequences` in order. Before the first example, and whenever the
    /// policy says, calls `reset` and starts again from y(0). For every example calls
    /// `body(u, row)` with u = (x(row), y(previous)) in `input` (d + 1 values), then remembers
    /// y(row) as the next example's previous target. `endOfSequence` runs after the last
    /// example of each sequence.
    @inlinable
    package func forEachExample<Sequences: Sequence<Range<Int>>>(
        inputs x: UnsafeBufferPointer<Double>, targets y: UnsafeBufferPointer<Double>, sequences: Sequences,
        input u: UnsafeMutablePointer<Double>, reset: () -> Void,
        endOfSequence: () -> Void = {}, _ body: (UnsafePointer<Double>, Int) -> Void
    ) {
        let d = dimension
        var previous = initialPreviousTarget
        var step = 0
        reset()
        for rows in sequences {
            if step > 0, case .everySequence = policy {
                reset()
                previous = initialPreviousTarget
            }
            for row in rows {
                if step > 0, case .every(let period) = policy, step % period == 0 {
                    reset()
                    previous = initialPreviousTarget
                }
                for i in 0..<d { u[i] = x[row * d + i] }
                u[d] = previous
                body(UnsafePointer(u), row)
                previous = y[row]
                step += 1
            }
            endOfSequence()
        }
    }

    /// ``forEachExample(inputs:targets:sequences:input:reset:endOfSequence:_:)`` over arrays,
    /// with an input buffer of its own.
    @inlinable
    package func forEachExample<Sequences: Sequence<Range<Int>>>(
        inputs: [Double], targets: [Double], sequences: Sequences, reset: () -> Void,
        endOfSequence: () -> Void = {}, _ body: (UnsafePointer<Double>, Int) -> Void
    ) {
        var input = [Double](repeating: 0, count: dimension + 1)
        inputs.withUnsafeBufferPointer { x in
            targets.withUnsafeBufferPointer { y in
                input.withUnsafeMutableBufferPointer { u in
                    forEachExample(inputs: x, targets: y, sequences: sequences, input: u.baseAddress!,
                                   reset: reset, endOfSequence: endOfSequence, body)
                }
            }
        }
    }
}

extension SequenceSet {
    /// The rows of sequence `k`.
    @inlinable
    package func rows(ofSequence k: Int) -> Range<Int> { (k * length)..<((k + 1) * length) }
}
