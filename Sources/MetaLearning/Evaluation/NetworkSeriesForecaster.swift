/// A trained recurrent network with frozen weights used as a one-step-ahead forecaster of a
/// real series, fed the way the `ar2` family feeds it during meta-training.
///
/// With p = the network's input dimension, at step t the input is
/// x(t) = (m(s(t−1)), …, m(s(t−p))) and the previous target y(t−1) = m(s(t−1)), and the forecast is
/// ŝ(t) = m⁻¹(o(t)) of the output o(t). The map m(s) = clamp(½ + 0.1·(s − μ_t)/σ_t, 0, 1) is
/// the `ar2` family's target map (there μ = 0 and σ the process's stationary deviation), with
/// μ_t and σ_t the mean and standard deviation of the last W recorded values before t (fewer at
/// the start; bridged gaps are not counted). All p lags and y(t−1) at step t use the same μ_t,
/// σ_t, so x1(t) = y(t−1) as in training. m⁻¹(o) = μ_t + σ_t·(o − ½)/0.1 is not clamped.
///
/// The network is reset once, when the forecaster is created, and never again: its state runs
/// through the whole series. It is a reference type, so this forecaster is not a value: two
/// copies step the same network.
public struct NetworkSeriesForecaster: SeriesForecaster {
    /// The mean and standard deviation of the recent recorded values, and the maps they define.
    public struct Scale: Equatable, Sendable {
        /// μ: the mean of the window.
        public let mean: Double
        /// σ: the population standard deviation of the window, floored at
        /// ``relativeFloor``·|μ| (and the smallest normal Double) so a flat window never
        /// divides by zero.
        public let standardDeviation: Double

        /// σ ≥ this fraction of |μ|: rounding noise in a constant window is not blown up to O(1).
        public static let relativeFloor = 1e-8

        /// The scale of `values` (at least one), with σ floored.
        public init<Values: Collection<Double>>(of values: Values) {
            precondition(!values.isEmpty, "NetworkSeriesForecaster.Scale: no values")
            let count = Double(values.count)
            let mean = values.reduce(0, +) / count
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
            self.mean = mean
            self.standardDeviation = max(variance.squareRoot(), Self.relativeFloor * abs(mean), Double.leastNormalMagnitude)
        }

        /// m(s) = clamp(½ + 0.1·(s − μ)/σ, 0, 1), the network's target units.
        public func target(_ value: Double) -> Double {
            AutoregressiveFamily.target(standardValue: (value - mean) / standardDeviation)
        }

        /// m⁻¹(o) = μ + σ·(o − ½)/0.1, back to the series' units.
        public func value(_ target: Double) -> Double { mean + standardDeviation * (target - 0.5) / 0.1 }
    }

    /// The default window W of recorded values the scale is computed over.
    public static let defaultWindow = 100

    /// The network (frozen: only forward steps without learning are taken).
    public let network: any RecurrentNetwork
    /// The number of lags p: the network's input dimension.
    public let lags: Int
    /// The window W.
    public let window: Int
    /// The name shown in tables.
    public let name: String
    /// The scale used by the last forecast, if one was made.
    public private(set) var lastScale: Scale?

    private var recentLags: [Double] = []
    private var recentRecorded: [Double] = []
    private var nextRecorded = 0
    private var input: [Double]

    /// Wraps `network` and resets it.
    /// - Throws: `ConfigurationError/invalid(_:)` unless `window` ≥ 1 and the network takes
    ///   at least one input besides y(t−1).
    public init(network: any RecurrentNetwork, window: Int = NetworkSeriesForecaster.defaultWindow,
                name: String = "network") throws(ConfigurationError) {
        guard window >= 1 else { throw .invalid("the normalisation window must hold at least 1 value, not \(window)") }
        let lags = network.inputCount - 1
        guard lags >= 1 else { throw .invalid("the network takes no lag input (input dimension \(lags))") }
        self.network = network
        self.lags = lags
        self.window = window
        self.name = name
        input = [Double](repeating: 0, count: lags + 1)
        recentRecorded.reserveCapacity(window)
        network.reset()
    }

    /// One forward step of the network on the last p values; `nil` (and no step) while fewer
    /// than p values have been appended. A non-finite output (a diverged model) gives s(t−1).
    public mutating func forecast() -> Double? {
        guard recentLags.count == lags, !recentRecorded.isEmpty else { return nil }
        let scale = Scale(of: recentRecorded)
        lastScale = scale
        // recentLags holds s(t−p), …, s(t−1), oldest first.
        for lag in 1...lags { input[lag - 1] = scale.target(recentLags[lags - lag]) }
        input[lags] = input[0]
        let output = network.step(input)
        let value = scale.value(output)
        return value.isFinite ? value : recentLags[lags - 1]
    }

    /// Shifts the value into the lags and, if recorded, into the scale's window.
    public mutating func append(_ value: Double, isObserved: Bool) {
        if recentLags.count == lags { recentLags.removeFirst() }
        recentLags.append(value)
        guard isObserved else { return }
        if recentRecorded.count < window {
            recentRecorded.append(value)
        } else {
            recentRecorded[nextRecorded] = value
            nextRecorded = (nextRecorded + 1) % window
        }
    }
}
