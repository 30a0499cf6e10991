/// Runs several forecasters side by side and forecasts with the one whose squared error on
/// the values recorded so far is smallest: a causal choice of a hyperparameter (a forgetting
/// factor, a smoothing constant) with no look-ahead.
///
/// Every candidate sees every value. A candidate's error counts only on recorded values (not
/// bridged gaps) at steps where it gave a forecast. Ties, and the start when nothing has been
/// scored yet, go to the earliest candidate in the list; a candidate with no forecast at a
/// step is passed over for one that has.
public struct BestSoFarForecaster<Candidate: SeriesForecaster>: SeriesForecaster {
    /// The candidates, in order of preference on ties.
    public private(set) var candidates: [Candidate]
    /// Each candidate's sum of squared errors on the recorded values so far.
    public private(set) var squaredErrorSums: [Double]
    /// The index of the candidate whose forecast the last ``forecast()`` returned, if any.
    public private(set) var chosenIndex: Int?
    /// The name shown in tables.
    public let name: String
    private var forecasts: [Double?]

    /// Creates the selection.
    /// - Throws: ``ConfigurationError/invalid(_:)`` for an empty list.
    public init(name: String, candidates: [Candidate]) throws(ConfigurationError) {
        guard !candidates.isEmpty else { throw .invalid("\(name): no candidates to choose from") }
        self.name = name
        self.candidates = candidates
        squaredErrorSums = [Double](repeating: 0, count: candidates.count)
        forecasts = [Double?](repeating: nil, count: candidates.count)
    }

    /// Asks every candidate, and returns the forecast of the best one so far.
    public mutating func forecast() -> Double? {
        for index in candidates.indices { forecasts[index] = candidates[index].forecast() }
        chosenIndex = nil
        for index in candidates.indices where forecasts[index] != nil {
            if chosenIndex == nil || squaredErrorSums[index] < squaredErrorSums[chosenIndex!] { chosenIndex = index }
        }
        return chosenIndex.flatMap { forecasts[$0] }
    }

    /// Scores the candidates' last forecasts against a recorded value, then passes the value on.
    public mutating func append(_ value: Double, isObserved: Bool) {
        for index in candidates.indices {
            if isObserved, let forecast = forecasts[index] {
                squaredErrorSums[index] += (value - forecast) * (value - forecast)
            }
            forecasts[index] = nil
            candidates[index].append(value, isObserved: isObserved)
        }
    }
}

extension BestSoFarForecaster: Sendable where Candidate: Sendable {}
