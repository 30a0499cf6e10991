/// A recurrent network together with its own learning rule: the meta-learner (docs/method.md).
///
/// The network processes one example per time step: for the input u(t) = (x(t), y(t−1)) it
/// returns its output o(t) ∈ (0, 1). Three explicit ways to step it:
///
/// * ``step(_:learning:)`` — frozen weights: the output only (evaluation, prediction, streams).
/// * ``learnOnline(input:target:learningRate:)`` — the output, then the update
///   Δw = α·(−∂(½e(t)²)/∂w) of the architecture's own (possibly truncated) learning rule,
///   applied at once (the paper's online training).
/// * ``accumulateUpdate(input:target:scale:into:)`` — the output, and the same update added to
///   a separate buffer instead of the weights (batch training sums it over a sequence or an
///   epoch and adds it with ``WeightStorage``'s values at the end).
///
/// An online update may be *pending*: an architecture may defer part of it to the next step,
/// where it is fused with reading the weights (LSTM-1997 does: docs/performance.md). The
/// network's outputs always behave as if it had been applied; ``applyPendingUpdates()`` applies
/// it to the storage explicitly, and ``weightValues`` does so before copying.
///
/// Conforming types implement the underscored kernel entry points, which take raw pointers so
/// that the training loop allocates nothing per step; they are not meant to be called from
/// outside this package, whose own loops (`ExampleStream`) call them behind a safe API.
public protocol RecurrentNetwork: AnyObject {
    /// What the network is, as stored in checkpoints.
    var architecture: Architecture { get }
    /// Number of input units (the function argument's dimension plus one for y(t−1)).
    var inputCount: Int { get }
    /// Number of weights, biases included.
    var weightCount: Int { get }
    /// The weights in their canonical order (docs/method.md), owned by the network. Call
    /// ``applyPendingUpdates()`` before reading them after online learning.
    var weightStorage: WeightStorage { get }
    /// Sets every activation, state and learning trace to zero (start of a sequence).
    func reset()
    /// Draws fresh initial weights, consuming one draw per weight in canonical order.
    func initializeWeights(using generator: inout Xoshiro256StarStar)
    /// Applies any part of an online update that the network has deferred to its next step.
    func applyPendingUpdates()

    /// Kernel entry point: one forward step on `inputCount` values at `input`; with `learning`
    /// true the step also keeps what the learning rule needs (traces, sensitivities, history).
    func _forward(_ input: UnsafePointer<Double>, learning: Bool) -> Double
    /// Kernel entry point: adds `scale`·(−∂(½e(t)²)/∂w), as the architecture's learning rule
    /// defines it, to `buffer` (`weightCount` entries) after `_forward(_:learning: true)` of
    /// step t. Every error signal is computed from the current weights before the buffer is
    /// written, so the buffer may be the weight storage itself.
    func _accumulateUpdate(target: Double, scale: Double, into buffer: UnsafeMutablePointer<Double>)
    /// Kernel entry point: `_forward(input, learning: true)`, then the update applied to the
    /// weights with rate `learningRate` (possibly in part deferred to the next step).
    func _learnOnline(_ input: UnsafePointer<Double>, target: Double, learningRate: Double) -> Double
}

extension RecurrentNetwork {
    /// Nothing is ever deferred.
    public func applyPendingUpdates() {}

    /// Forward with learning, then the update added to the weights themselves.
    @inlinable
    public func _learnOnline(_ input: UnsafePointer<Double>, target: Double, learningRate: Double) -> Double {
        let output = _forward(input, learning: true)
        _accumulateUpdate(target: target, scale: learningRate, into: weightStorage.base)
        return output
    }
}

extension RecurrentNetwork {
    /// A copy of the weights in canonical order, with any pending update applied.
    public var weightValues: [Double] {
        applyPendingUpdates()
        return weightStorage.values
    }

    /// Replaces the weights (and drops any pending update).
    /// - Throws: ``CheckpointError/shapeMismatch(_:)`` if the count differs,
    ///   ``CheckpointError/invalidField(_:)`` if a value is NaN or infinite.
    public func setWeights(_ values: [Double]) throws {
        guard values.count == weightCount else {
            throw CheckpointError.shapeMismatch("expected \(weightCount) weights for \(architecture.name), found \(values.count)")
        }
        guard values.allSatisfy(\.isFinite) else { throw CheckpointError.invalidField("weights contain NaN or infinity") }
        applyPendingUpdates()
        weightStorage.assign(values)
    }

    /// One step: returns o(t) for `input` = (x(t), y(t−1)). With `learning` true the step also
    /// keeps what the learning rule needs, for a following
    /// ``accumulateUpdate(target:scale:into:)``; without, the weights are frozen and a learning
    /// rule with a history (BPTT, RTRL, the forget-gate LSTM) cuts it here.
    /// - Precondition: `input.count == inputCount`.
    @discardableResult
    public func step(_ input: [Double], learning: Bool = false) -> Double {
        precondition(input.count == inputCount, "expected \(inputCount) inputs, got \(input.count)")
        return input.withUnsafeBufferPointer { _forward($0.baseAddress!, learning: learning) }
    }

    /// Adds `scale`·(−∂(½e(t)²)/∂w) for the last step, which must have been taken with
    /// `step(_:learning: true)`, to `buffer` (the learning rule's own, possibly truncated,
    /// gradient; the weights do not change).
    /// - Precondition: `buffer.count == weightCount`.
    public func accumulateUpdate(target: Double, scale: Double, into buffer: inout [Double]) {
        precondition(buffer.count == weightCount, "expected a buffer of \(weightCount) values, got \(buffer.count)")
        buffer.withUnsafeMutableBufferPointer { _accumulateUpdate(target: target, scale: scale, into: $0.baseAddress!) }
    }

    /// One online learning step: o(t) for `input`, then the learning rule's update for
    /// `target` with rate `learningRate` applied to the weights.
    /// - Returns: the output o(t) before the update.
    /// - Precondition: `input.count == inputCount`.
    @discardableResult
    public func learnOnline(input: [Double], target: Double, learningRate: Double) -> Double {
        precondition(input.count == inputCount, "expected \(inputCount) inputs, got \(input.count)")
        return input.withUnsafeBufferPointer { _learnOnline($0.baseAddress!, target: target, learningRate: learningRate) }
    }

    /// One step whose update is collected instead of applied: o(t) for `input`, and
    /// `scale`·(−∂(½e(t)²)/∂w) added to `buffer` (batch training; `scale` is usually α).
    /// - Returns: the output o(t).
    /// - Precondition: `input.count == inputCount`, `buffer.count == weightCount`.
    @discardableResult
    public func accumulateUpdate(input: [Double], target: Double, scale: Double, into buffer: inout [Double]) -> Double {
        precondition(input.count == inputCount, "expected \(inputCount) inputs, got \(input.count)")
        precondition(buffer.count == weightCount, "expected a buffer of \(weightCount) values, got \(buffer.count)")
        let output = input.withUnsafeBufferPointer { _forward($0.baseAddress!, learning: true) }
        buffer.withUnsafeMutableBufferPointer { _accumulateUpdate(target: target, scale: scale, into: $0.baseAddress!) }
        return output
    }

    /// Adds `update` (a buffer filled by ``accumulateUpdate(input:target:scale:into:)``) to the
    /// weights.
    /// - Precondition: `update.count == weightCount`.
    public func applyUpdate(_ update: [Double]) {
        precondition(update.count == weightCount, "expected \(weightCount) values, got \(update.count)")
        applyPendingUpdates()
        let w = weightStorage.base
        for i in 0..<weightCount { w[i] += update[i] }
    }
}
