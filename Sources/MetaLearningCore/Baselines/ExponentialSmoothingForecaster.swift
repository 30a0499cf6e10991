/// Simple exponential smoothing: the forecast is a level ℓ that moves a fraction α towards
/// every recorded value, ℓ ← ℓ + α·(s − ℓ), so ŝ(t) = ℓ after s(t−1) has been seen.
///
/// The level starts at the first appended value (ŝ(1) = s(0)); there is no forecast before it.
/// A bridged gap leaves the level unchanged (there is nothing to learn from), except that the
/// first value starts the level even when it is bridged.
public struct ExponentialSmoothingForecaster: SeriesForecaster, Sendable {
    /// The smoothing constant α ∈ (0, 1]: 1 is persistence, small values average over about
    /// 2/α − 1 steps.
    public let smoothing: Double
    /// The current level ℓ, `nil` before the first value.
    public private(set) var level: Double?

    /// Creates the forecaster.
    /// - Throws: ``ConfigurationError/invalid(_:)`` unless 0 < `smoothing` ≤ 1.
    public init(smoothing: Double) throws(ConfigurationError) {
        guard smoothing > 0, smoothing <= 1 else {
            throw .invalid("the smoothing constant α must lie in (0, 1], not \(smoothing)")
        }
        self.smoothing = smoothing
    }

    /// `ses(α)`.
    public var name: String { "ses(\(smoothing))" }

    /// The level ℓ.
    public mutating func forecast() -> Double? { level }

    /// ℓ ← ℓ + α·(value − ℓ) for a recorded value.
    public mutating func append(_ value: Double, isObserved: Bool) {
        guard let current = level else {
            level = value
            return
        }
        if isObserved { level = current + smoothing * (value - current) }
    }
}
