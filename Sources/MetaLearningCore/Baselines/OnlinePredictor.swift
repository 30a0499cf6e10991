/// A classical online learner that sees the same stream as the meta-learner (docs/method.md §1.1):
/// at step j it gets x(j) and the previous target y(j−1) and predicts y(j).
///
/// After ``reset()`` the first call's `previousTarget` is the placeholder y(0) and carries no
/// information; a predictor must ignore it. From the second call on, `previousTarget` is the
/// true target of the previous call's input, so a predictor learns (x(j−1), y(j−1)) then.
public protocol OnlinePredictor {
    /// A short name for tables, e.g. `bayes`.
    var name: String { get }
    /// Forgets everything learned (start of a new sequence / function).
    mutating func reset()
    /// Learns from the previous example (unless this is the first call after reset) and
    /// returns the prediction for `input` = x(j).
    mutating func predict(input: Span<Double>, previousTarget: Double) -> Double
}
