/// An autoregressive model of order p fitted online by recursive least squares with forgetting:
/// ŝ(t) = c + a1·s(t−1) + … + ap·s(t−p), with (a1…ap, c) the exponentially weighted
/// (factor λ) least-squares fit to every recorded s(u), u < t, on its own p lags.
///
/// The fit is the project's ``RecursiveLeastSquares`` on the affine features (lags, 1). That
/// learner works in the meta-learner's target range [0, 1] (it fits residuals around ½ and
/// clamps its predictions), so the values are fed to it through the fixed affine map
/// z = ½ + (s − s(0))/D with D = 1000·max(|s(0)|, max|s(u) − s(0)|) taken over the values seen
/// when the first forecast is made. Least squares with a bias is equivariant under an affine
/// map of regressors and target, so the forecast in the original units does not depend on D
/// (up to the prior 1/δ = 1e−12 of that learner). Should a later value leave the safe band
/// |s − s(0)| ≤ 0.4·D, D is recomputed from all values so far and the fit replayed from the
/// start on the stored history: the same causal fit in a wider frame. A forecast that is not
/// finite or lands on the clamp falls back to s(t−1).
///
/// The first forecast comes at t = p (the first time p lags exist); until about p + 1
/// recorded values have been fitted it is close to the prior, ½ in z, i.e. s(0).
/// Bridged gaps enter the lags but are not learned from as targets. Cost per step O(p²);
/// memory grows with the series (the history is kept for a replay).
public struct AutoregressiveRLSForecaster: SeriesForecaster, Sendable {
    /// The order p: the number of lags.
    public let lags: Int
    /// The forgetting factor λ ∈ (0, 1] (1: ordinary least squares over all the past).
    public let forgetting: Double

    private var learner: RecursiveLeastSquares
    private var history: [Double] = []
    private var observed: [Bool] = []
    /// D of the map z = ½ + (s − s(0))/D; 0 until the first forecast.
    private var spread = 0.0
    private var needsWiderFrame = false
    private var features: [Double]

    /// Creates the forecaster.
    /// - Throws: ``ConfigurationError/invalid(_:)`` unless `lags` ≥ 1 and 0 < `forgetting` ≤ 1.
    public init(lags: Int, forgetting: Double = 1) throws(ConfigurationError) {
        guard lags >= 1 else { throw .invalid("an autoregressive model needs at least one lag, not \(lags)") }
        do {
            learner = try RecursiveLeastSquares(features: .affine(inputDimension: lags), forgetting: forgetting)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw .invalid("\(error)")
        }
        self.lags = lags
        self.forgetting = forgetting
        features = [Double](repeating: 0, count: lags)
    }

    /// `rls-ar(p) λ`.
    public var name: String { "rls-ar(\(lags)) λ=\(forgetting)" }

    /// The fitted model's forecast of the next value (fitting the previous value first), or
    /// `nil` while fewer than p values have been appended.
    public mutating func forecast() -> Double? {
        let count = history.count
        guard count >= lags else { return nil }
        if spread == 0 || needsWiderFrame {
            let origin = history[0]
            let largest = history.reduce(abs(origin)) { max($0, abs($1 - origin)) }
            spread = 1000 * max(largest, Double.leastNormalMagnitude)
            needsWiderFrame = false
            learner.reset()
            // Replays the fit so far in the new frame (nothing to replay at the first forecast).
            for step in lags..<count { _ = fittedStep(at: step) }
        }
        let z = fittedStep(at: count)
        let value = history[0] + (z - 0.5) * spread
        guard z > 0, z < 1, value.isFinite else { return history[count - 1] }
        return value
    }

    /// Appends a value (bridged gaps are kept as lags only).
    public mutating func append(_ value: Double, isObserved: Bool) {
        history.append(value)
        observed.append(isObserved)
        if spread > 0 && !(abs(value - history[0]) <= 0.4 * spread) { needsWiderFrame = true }
    }

    /// One call of the learner at step `step`: it learns s(step − 1) on its lags (unless that
    /// was a gap or this is the first call) and returns the forecast of s(step) in z.
    private mutating func fittedStep(at step: Int) -> Double {
        let origin = history[0], spread = self.spread
        func z(_ value: Double) -> Double { 0.5 + (value - origin) / spread }
        for lag in 1...lags { features[lag - 1] = z(history[step - lag]) }
        let previousTarget = observed[step - 1] ? z(history[step - 1]) : .nan
        let input = features  // a second reference, not a copy: the learner's access to self stays exclusive
        return learner.predict(input: input.span, previousTarget: previousTarget)
    }
}
