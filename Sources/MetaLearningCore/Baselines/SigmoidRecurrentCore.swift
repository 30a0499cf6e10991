/// The forward pass shared by the three Table-1 baselines (docs/method.md §4.5), with its buffers.
///
/// z(t) = [u(t); h(t−1); 1], n(t) = W z(t), h(t) = σ(n(t)), o(t) = σ(w^k·[h(t); 1]), h(0) = 0.
/// The weights are owned by the network; the activations live in the network's arena, allocated
/// once, so that a step allocates nothing. The networks differ only in their learning rules.
@usableFromInline
final class SigmoidRecurrentCore {
    /// d + 1.
    @usableFromInline let inputCount: Int
    /// n.
    @usableFromInline let hiddenCount: Int
    /// M = d + 1 + n + 1, the row length of W.
    @usableFromInline let sourceCount: Int
    /// Index of w^k in the weight buffer: n·M.
    @usableFromInline let outputOffset: Int
    /// z(t) = [u(t); h(t−1); 1] of the last step.
    @usableFromInline let source: UnsafeMutablePointer<Double>
    /// [h(t); 1] of the last step (h = 0 after reset): the output unit's source vector.
    @usableFromInline let hidden: UnsafeMutablePointer<Double>
    /// o(t) of the last step.
    @usableFromInline var output: Double = 0.5

    @usableFromInline
    init(_ configuration: RecurrentBaselineConfiguration, arena: ScratchArena) {
        inputCount = configuration.inputCount
        hiddenCount = configuration.hiddenUnits
        sourceCount = configuration.sourceCount
        outputOffset = hiddenCount * sourceCount
        source = arena.zeroed(sourceCount)
        source[sourceCount - 1] = 1
        hidden = arena.zeroed(hiddenCount + 1)
        hidden[hiddenCount] = 1
    }

    /// h ← 0 (the constant-1 entries stay).
    @usableFromInline
    func reset() {
        hidden.update(repeating: 0, count: hiddenCount)
        output = 0.5
    }

    /// docs/method.md §4.5: one forward step with weights `w`; returns o(t).
    @inlinable
    func forward(_ input: UnsafePointer<Double>, weights w: UnsafePointer<Double>) -> Double {
        source.update(from: input, count: inputCount)
        (source + inputCount).update(from: hidden, count: hiddenCount)  // h(t−1), before it is overwritten
        // Net inputs first, then all n sigmoids together so they run four at a time.
        for i in 0..<hiddenCount {
            hidden[i] = dot(w + i * sourceCount, source, sourceCount)
        }
        applySigmoid(hidden, into: hidden, hiddenCount)
        output = sigmoid(dot(w + outputOffset, hidden, hiddenCount + 1))
        return output
    }

    /// δ^k(t) = o(1−o)(y − o), the output unit's error signal (docs/method.md §4.1).
    @inlinable
    func outputDelta(target: Double) -> Double { output * (1 - output) * (target - output) }
}
