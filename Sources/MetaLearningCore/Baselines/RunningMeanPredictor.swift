/// The running mean of the targets seen so far in the current sequence, as an online predictor
/// of the meta-learner's stream (docs/method.md §1.1); ½ (the prior mean, docs/method.md §1.1) before any target.
///
/// It ignores the inputs: it is the best constant predictor in hindsight, the floor below
/// which a learner has to use x to get. Non-finite targets are skipped.
public struct RunningMeanPredictor: OnlinePredictor, Sendable, Equatable {
    /// A short name for tables.
    public let name: String
    /// The sum of the targets seen since the last reset.
    public private(set) var sum = 0.0
    /// The number of targets seen since the last reset.
    public private(set) var count = 0
    /// Whether a call has been made since reset (the first `previousTarget` is the placeholder y(0)).
    @usableFromInline var hasPending = false

    /// Creates the predictor.
    public init(name: String = "mean") { self.name = name }

    /// Forgets every target.
    public mutating func reset() {
        sum = 0
        count = 0
        hasPending = false
    }

    /// Adds y(j−1) unless this is the first call after reset, then returns the mean of the
    /// targets seen (½ if none).
    public mutating func predict(input: Span<Double>, previousTarget: Double) -> Double {
        if hasPending && previousTarget.isFinite {
            sum += previousTarget
            count += 1
        }
        hasPending = true
        return count == 0 ? 0.5 : sum / Double(count)
    }
}
