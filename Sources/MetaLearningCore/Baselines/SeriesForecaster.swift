/// A one-step-ahead forecaster of a scalar time series s(0), s(1), … that learns online:
/// before s(t) is revealed it forecasts it from s(0…t−1) alone.
///
/// **Call pattern.** The caller alternates ``forecast()`` and ``append(_:isObserved:)``,
/// starting with `forecast()`: forecast s(0), append s(0), forecast s(1), append s(1), …
/// `forecast()` is called exactly once per step, even when the forecaster has too little
/// history to answer (it returns `nil` then): a forecaster may learn the previous step inside
/// it, and a recurrent network advances its state there.
///
/// **Gaps.** A missing value is bridged by the caller (the last recorded value carried
/// forward) and appended with `isObserved` false: it enters the lag history like any value
/// but is never a target to learn from.
public protocol SeriesForecaster {
    /// A short name for tables, e.g. `persistence`.
    var name: String { get }
    /// The forecast of the next value from the values appended so far, or `nil` while there
    /// are too few of them. Never NaN or infinite.
    mutating func forecast() -> Double?
    /// Reveals the next value: `isObserved` false marks a bridged gap.
    mutating func append(_ value: Double, isObserved: Bool)
}

/// The persistence (random-walk) forecast ŝ(t) = s(t−1): the yardstick of the mean absolute
/// scaled error.
public struct PersistenceForecaster: SeriesForecaster, Sendable {
    private var last: Double?

    /// Creates the forecaster with an empty history.
    public init() {}

    /// `persistence`.
    public var name: String { "persistence" }

    /// s(t−1), or `nil` before the first value.
    public mutating func forecast() -> Double? { last }

    /// Remembers `value` as s(t−1) of the next step (a bridged gap value too).
    public mutating func append(_ value: Double, isObserved: Bool) { last = value }
}

/// The seasonal naive forecast ŝ(t) = s(t − season): the value one season ago (e.g. 52 for
/// weekly data with a yearly cycle, 12 for monthly data).
public struct SeasonalNaiveForecaster: SeriesForecaster, Sendable {
    /// The season length, at least 1.
    public let season: Int
    /// The last `season` values, oldest first once full.
    private var recent: [Double] = []
    /// Where the next value goes in `recent` once it is full (it is then the oldest one).
    private var next = 0

    /// Creates the forecaster.
    /// - Throws: ``ConfigurationError/invalid(_:)`` unless `season` ≥ 1.
    public init(season: Int) throws(ConfigurationError) {
        guard season >= 1 else { throw .invalid("the season must be at least 1 step, not \(season)") }
        self.season = season
        recent.reserveCapacity(season)
    }

    /// `seasonal-naive(N)`.
    public var name: String { "seasonal-naive(\(season))" }

    /// s(t − season), or `nil` while fewer than `season` values have been appended.
    public mutating func forecast() -> Double? { recent.count == season ? recent[next] : nil }

    /// Stores `value`, dropping the one `season` steps older.
    public mutating func append(_ value: Double, isObserved: Bool) {
        if recent.count < season {
            recent.append(value)
        } else {
            recent[next] = value
            next = (next + 1) % season
        }
    }
}
