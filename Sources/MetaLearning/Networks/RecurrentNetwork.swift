/// A recurrent network together with its own learning rule: the meta-learner (SPEC §2).
///
/// The network processes one example per time step. `forward(_:learning:)` computes the
/// output for input u(t) = (x(t), y(t−1)); when `learning` is true it also keeps what the
/// learning rule needs (traces, sensitivities, history), and `accumulateUpdate(target:scale:into:)`
/// then adds `scale` times the negative gradient contribution of the step's loss ½e² — the
/// architecture's own (possibly truncated) gradient — to a buffer laid out like the weights.
///
/// Online training passes the weights themselves as the buffer (Δw = α·signal·source applied
/// at once); batch training passes a separate accumulator and adds it at the end of the
/// sequence. Implementations compute every error signal from the current weights before they
/// write to the buffer, so both uses give the same step contribution.
public protocol RecurrentNetwork: AnyObject {
    /// What the network is, as stored in checkpoints.
    var architecture: Architecture { get }
    /// Number of input units (the function argument's dimension plus one for y(t−1)).
    var inputCount: Int { get }
    /// Number of weights, biases included.
    var weightCount: Int { get }
    /// The weights in their canonical order (SPEC §3.7); writable in place.
    var weights: UnsafeMutableBufferPointer<Double> { get }
    /// Sets every activation, state and learning trace to zero (start of a sequence).
    func reset()
    /// One forward step; returns the output o(t) ∈ (0, 1).
    /// - Parameters:
    ///   - input: `inputCount` values (x(t), y(t−1)).
    ///   - learning: whether to update the traces or histories the learning rule needs.
    func forward(_ input: UnsafePointer<Double>, learning: Bool) -> Double
    /// Adds `scale`·(−∂(½e(t)²)/∂w), as the architecture's learning rule defines it, to
    /// `buffer` (`weightCount` entries). Call after `forward(_:learning: true)` of step t.
    func accumulateUpdate(target: Double, scale: Double, into buffer: UnsafeMutablePointer<Double>)
    /// Draws fresh initial weights (SPEC §2, §3.7), consuming one draw per weight in canonical order.
    func initializeWeights(using generator: inout Xoshiro256StarStar)
}

extension RecurrentNetwork {
    /// A copy of the weights.
    public var weightValues: [Double] { Array(weights) }

    /// Replaces the weights.
    /// - Throws: ``CheckpointError/shapeMismatch(_:)`` if the count differs.
    public func setWeights(_ values: [Double]) throws {
        guard values.count == weightCount else {
            throw CheckpointError.shapeMismatch("expected \(weightCount) weights for \(architecture.name), found \(values.count)")
        }
        guard values.allSatisfy(\.isFinite) else { throw CheckpointError.invalidField("weights contain NaN or infinity") }
        for i in 0..<weightCount { weights[i] = values[i] }
    }

    /// One online learning step: forward, then Δw = α·(error signal)·(source) applied at once.
    /// - Returns: the output o(t) before the update.
    @inlinable
    public func learnOnline(input: UnsafePointer<Double>, target: Double, learningRate: Double) -> Double {
        let output = forward(input, learning: true)
        accumulateUpdate(target: target, scale: learningRate, into: weights.baseAddress!)
        return output
    }
}
