import Foundation

/// One-step-ahead online forecasting of a real series by a meta-trained network with frozen
/// weights, beside classical online forecasters, all scored on exactly the same steps.
///
/// Every method walks the series once, forecasting s(t) from s(0…t−1) only (no look-ahead):
/// - the network (``NetworkSeriesForecaster``), reset once at the start and never again;
/// - persistence ŝ(t) = s(t−1), the yardstick of MASE;
/// - seasonal naive ŝ(t) = s(t − season), when a season is given;
/// - RLS-AR(p) (`AutoregressiveRLSForecaster`, p = the network's lags) with its forgetting
///   factor λ chosen causally from ``forgettingFactors`` (`BestSoFarForecaster`);
/// - simple exponential smoothing with α chosen causally from ``smoothingConstants``.
///
/// **Steps.** The walk starts at the first recorded value (leading gaps are skipped); a gap
/// later on is bridged by carrying the last recorded value forward, the same bridged series
/// for every method, and is never scored. The first ``Options/warmUp`` steps of the walk are
/// not scored for any method. On the remaining recorded steps every method has a forecast
/// (the warm-up is at least p and the season), and the metrics are RMSE, MAE and
/// MASE = MAE / MAE(persistence) (below 1: better than persistence).
public struct OnlineForecast: Codable, Equatable, Sendable {
    /// The choices of a forecast run.
    public struct Options: Equatable, Sendable {
        /// W: recorded values the network's scale is computed over.
        public var window: Int
        /// The season length for the seasonal naive forecast, or `nil` for none.
        public var season: Int?
        /// Unscored steps at the start of the walk, or `nil` for ``defaultWarmUp(lags:season:)``.
        public var warmUp: Int?

        /// Creates options.
        public init(window: Int = NetworkSeriesForecaster.defaultWindow, season: Int? = nil, warmUp: Int? = nil) {
            self.window = window
            self.season = season
            self.warmUp = warmUp
        }
    }

    /// The accuracy of one method on the scored steps.
    public struct MethodResult: Codable, Equatable, Sendable {
        /// The method's name.
        public var name: String
        /// Root mean squared error, in the series' units.
        public var rootMeanSquaredError: Double
        /// Mean absolute error, in the series' units.
        public var meanAbsoluteError: Double
        /// MAE / MAE(persistence); `nil` when persistence is exact on every scored step.
        public var meanAbsoluteScaledError: Double?
        /// What was chosen causally, if anything (e.g. how often each λ was used).
        public var note: String
    }

    /// The forgetting factors λ the RLS-AR forecaster chooses from.
    public static let forgettingFactors = [0.95, 0.98, 0.99, 1.0]
    /// The smoothing constants α the exponential smoothing forecaster chooses from.
    public static let smoothingConstants = [0.1, 0.3, 0.5, 0.7, 0.9]
    /// The smallest default warm-up.
    public static let minimumDefaultWarmUp = 10

    /// The default warm-up: max(10, p, season).
    public static func defaultWarmUp(lags: Int, season: Int?) -> Int {
        max(minimumDefaultWarmUp, lags, season ?? 0)
    }

    /// The series' file, and its column.
    public var source: String, column: String
    /// The network and what it was trained on.
    public var network: String
    /// p, W, the warm-up and the season.
    public var lags: Int, window: Int, warmUp: Int, season: Int?
    /// Steps in the series, gaps among them, and the steps scored.
    public var steps: Int, gaps: Int, scoredSteps: Int
    /// The 0-based index of the first step of the walk (the first recorded value).
    public var firstStep: Int
    /// One result per method, in the order network, persistence, seasonal naive (if any),
    /// RLS-AR, exponential smoothing.
    public var methods: [MethodResult]
    /// The series (`nil` = gap); left out of the JSON file.
    public var values: [Double?]
    /// Each method's forecast per step (`nil` where it had none), same order as ``methods``;
    /// left out of the JSON file.
    public var predictions: [[Double?]]
    /// Whether each step is scored; left out of the JSON file.
    public var scored: [Bool]

    /// Forecasts `series` with `model`'s network.
    /// - Throws: ``ForecastError`` for a model of a Boolean family (its net has only seen 0 and 1,
    ///   and the forecaster feeds it values spread over [0, 1]), a series too short for the lags
    ///   and warm-up, or bad options.
    public init(series: TimeSeries, model: LoadedModel, options: Options = Options()) throws {
        let family = model.configuration.family
        if family.makeFamily().dataDomain.targets == .binary {
            throw ForecastError.modelOfABinaryFamily(family: family.name)
        }
        let architecture = model.configuration.architecture
        try self.init(series: series, network: model.network, options: options,
                      networkName: "\(architecture.name) \(architecture.topology) trained on \(model.configuration.family.description)")
    }

    /// Forecasts `series` with `network` (reset once at the start; weights are not changed).
    /// - Throws: ``ForecastError`` for a series too short for the lags and warm-up, or bad options.
    public init(series: TimeSeries, network: any RecurrentNetwork, options: Options = Options(),
                networkName: String = "network") throws {
        let lags = network.inputCount - 1
        guard lags >= 1 else { throw ForecastError.invalidOption("the network takes no lag input") }
        guard options.window >= 1 else {
            throw ForecastError.invalidOption("the window must hold at least 1 value, not \(options.window)")
        }
        if let season = options.season, season < 1 {
            throw ForecastError.invalidOption("the season must be at least 1 step, not \(season)")
        }
        let required = max(1, lags, options.season ?? 0)
        let warmUp = options.warmUp ?? Self.defaultWarmUp(lags: lags, season: options.season)
        guard warmUp >= required else {
            throw ForecastError.invalidOption("the warm-up must be at least \(required) steps (the lags and the season), not \(warmUp)")
        }
        guard let firstStep = series.values.firstIndex(where: { $0 != nil }) else {
            throw ForecastError.seriesTooShort(source: series.source, column: series.column, steps: 0, needed: warmUp + 1)
        }
        let walked = series.count - firstStep
        guard walked > warmUp else {
            throw ForecastError.seriesTooShort(source: series.source, column: series.column, steps: walked, needed: warmUp + 1)
        }
        let scored = series.values.indices.map { $0 - firstStep >= warmUp && series.values[$0] != nil }
        let scoredCount = scored.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard scoredCount > 0 else {
            throw ForecastError.nothingToScore(source: series.source, column: series.column, warmUp: warmUp)
        }

        var net = try NetworkSeriesForecaster(network: network, window: options.window)
        var persistence = PersistenceForecaster()
        var seasonal = try options.season.map { try SeasonalNaiveForecaster(season: $0) }
        var autoregressive = try BestSoFarForecaster(
            name: "rls-ar(\(lags))",
            candidates: try Self.forgettingFactors.map { try AutoregressiveRLSForecaster(lags: lags, forgetting: $0) })
        var smoothing = try BestSoFarForecaster(
            name: "ses", candidates: try Self.smoothingConstants.map { try ExponentialSmoothingForecaster(smoothing: $0) })

        let methodCount = seasonal == nil ? 4 : 5
        var predictions = [[Double?]](repeating: [Double?](repeating: nil, count: series.count), count: methodCount)
        var lambdaUse = [Int](repeating: 0, count: Self.forgettingFactors.count)
        var alphaUse = [Int](repeating: 0, count: Self.smoothingConstants.count)
        var last = series.values[firstStep]!
        for t in firstStep..<series.count {
            var forecasts = [net.forecast(), persistence.forecast()]
            if seasonal != nil { forecasts.append(seasonal!.forecast()) }
            forecasts.append(autoregressive.forecast())
            forecasts.append(smoothing.forecast())
            if scored[t] {
                if let index = autoregressive.chosenIndex { lambdaUse[index] += 1 }
                if let index = smoothing.chosenIndex { alphaUse[index] += 1 }
            }
            for method in 0..<methodCount { predictions[method][t] = forecasts[method] }

            let isObserved = series.values[t] != nil
            if let value = series.values[t] { last = value }
            net.append(last, isObserved: isObserved)
            persistence.append(last, isObserved: isObserved)
            seasonal?.append(last, isObserved: isObserved)
            autoregressive.append(last, isObserved: isObserved)
            smoothing.append(last, isObserved: isObserved)
        }

        var names = ["network", "persistence"]
        if let season = options.season { names.append("seasonal naive (\(season))") }
        names += ["rls-ar(\(lags)), causal λ", "ses, causal α"]
        var notes = [String](repeating: "", count: methodCount)
        notes[methodCount - 2] = Self.usage(lambdaUse, of: Self.forgettingFactors, symbol: "λ", final: autoregressive.chosenIndex)
        notes[methodCount - 1] = Self.usage(alphaUse, of: Self.smoothingConstants, symbol: "α", final: smoothing.chosenIndex)

        let persistenceMAE = Self.errors(of: predictions[1], against: series.values, on: scored).mae
        methods = (0..<methodCount).map { method in
            let (rmse, mae) = Self.errors(of: predictions[method], against: series.values, on: scored)
            return MethodResult(name: names[method], rootMeanSquaredError: rmse, meanAbsoluteError: mae,
                                meanAbsoluteScaledError: persistenceMAE > 0 ? mae / persistenceMAE : nil, note: notes[method])
        }
        self.source = series.source
        self.column = series.column
        self.network = networkName
        self.lags = lags
        self.window = options.window
        self.warmUp = warmUp
        self.season = options.season
        self.steps = series.count
        self.gaps = series.gapCount
        self.scoredSteps = scoredCount
        self.firstStep = firstStep
        self.values = series.values
        self.predictions = predictions
        self.scored = scored
    }

    /// RMSE and MAE of `forecasts` on the scored steps (each of which has a value and a forecast).
    private static func errors(of forecasts: [Double?], against values: [Double?], on scored: [Bool]) -> (rmse: Double, mae: Double) {
        var squared = 0.0, absolute = 0.0, count = 0.0
        for t in values.indices where scored[t] {
            let error = values[t]! - forecasts[t]!
            squared += error * error
            absolute += abs(error)
            count += 1
        }
        return ((squared / count).squareRoot(), absolute / count)
    }

    /// "λ used on scored steps: 0.95 ×12, 0.99 ×80; at the end 0.99".
    private static func usage(_ counts: [Int], of values: [Double], symbol: String, final: Int?) -> String {
        let used = zip(values, counts).filter { $0.1 > 0 }.map { "\($0.0) ×\($0.1)" }.joined(separator: ", ")
        return "\(symbol) used on scored steps: \(used)" + (final.map { "; at the end \(values[$0])" } ?? "")
    }

    private enum CodingKeys: String, CodingKey {
        case source, column, network, lags, window, warmUp, season, steps, gaps, scoredSteps, firstStep, methods
    }

    /// Reads the summary written by ``write(to:)`` (without the per-step values and forecasts).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        source = try container.decode(String.self, forKey: .source)
        column = try container.decode(String.self, forKey: .column)
        network = try container.decode(String.self, forKey: .network)
        lags = try container.decode(Int.self, forKey: .lags)
        window = try container.decode(Int.self, forKey: .window)
        warmUp = try container.decode(Int.self, forKey: .warmUp)
        season = try container.decodeIfPresent(Int.self, forKey: .season)
        steps = try container.decode(Int.self, forKey: .steps)
        gaps = try container.decode(Int.self, forKey: .gaps)
        scoredSteps = try container.decode(Int.self, forKey: .scoredSteps)
        firstStep = try container.decode(Int.self, forKey: .firstStep)
        methods = try container.decode([MethodResult].self, forKey: .methods)
        values = []
        predictions = []
        scored = []
    }

    /// Writes the summary: everything but the per-step values and forecasts (those go to the CSV).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(column, forKey: .column)
        try container.encode(network, forKey: .network)
        try container.encode(lags, forKey: .lags)
        try container.encode(window, forKey: .window)
        try container.encode(warmUp, forKey: .warmUp)
        try container.encodeIfPresent(season, forKey: .season)
        try container.encode(steps, forKey: .steps)
        try container.encode(gaps, forKey: .gaps)
        try container.encode(scoredSteps, forKey: .scoredSteps)
        try container.encode(firstStep, forKey: .firstStep)
        try container.encode(methods, forKey: .methods)
    }
}

/// Why a forecast cannot be run; one sentence each.
public enum ForecastError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The series has fewer steps (from its first recorded value) than the warm-up plus one.
    case seriesTooShort(source: String, column: String, steps: Int, needed: Int)
    /// Every step after the warm-up is a gap.
    case nothingToScore(source: String, column: String, warmUp: Int)
    /// An option is out of range; the message says which.
    case invalidOption(String)
    /// The model was meta-trained on a Boolean family: it has only seen inputs and targets of
    /// 0 and 1, not the real values of a series.
    case modelOfABinaryFamily(family: String)

    /// The message for the user.
    public var description: String {
        switch self {
        case .seriesTooShort(let source, let column, let steps, let needed):
            return "\(source), column \(column): the series has \(steps) step\(steps == 1 ? "" : "s") from its first value, "
                + "at least \(needed) are needed (the lags and the warm-up, plus one step to score)"
        case .nothingToScore(let source, let column, let warmUp):
            return "\(source), column \(column): every value after the \(warmUp)-step warm-up is missing, nothing to score"
        case .invalidOption(let message):
            return message
        case .modelOfABinaryFamily(let family):
            return "the model was meta-trained on \(family), whose inputs and targets are 0 or 1; forecasting a real series needs a model of a real-valued family, best ar2 (docs/method.md §2.8, §6)"
        }
    }
}
