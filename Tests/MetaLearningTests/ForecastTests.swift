import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// A network stand-in that records what it is fed and answers a fixed output.
private final class RecordingNetwork: RecurrentNetwork {
    let architecture = Architecture.lstm1997(.paperSingleLayer)
    let inputCount: Int
    let weightCount = 0
    let weightStorage = WeightStorage(count: 0)
    let output: Double
    private(set) var inputs: [[Double]] = []
    private(set) var resets = 0

    init(lags: Int, output: Double) {
        inputCount = lags + 1
        self.output = output
    }

    func reset() { resets += 1 }
    func _forward(_ input: UnsafePointer<Double>, learning: Bool) -> Double {
        inputs.append(Array(UnsafeBufferPointer(start: input, count: inputCount)))
        return output
    }
    func _accumulateUpdate(target: Double, scale: Double, into buffer: UnsafeMutablePointer<Double>) {}
    func initializeWeights(using generator: inout Xoshiro256StarStar) {}
}

final class ForecastTests: XCTestCase {
    private static let seriesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data/series")

    /// The paper's 6/6(1) LSTM on two lags with weights U[−1, 1] (larger than the initial ones,
    /// so the state carries real information from step to step).
    private func randomNetwork(seed: UInt64 = 3) throws -> any RecurrentNetwork {
        let network = try Architecture.lstm1997(.paperSingleLayer).makeNetwork()
        var generator = Xoshiro256StarStar(seed: seed)
        try network.setWeights((0..<network.weightCount).map { _ in generator.nextUniform(in: -1, 1) })
        return network
    }

    private func randomWalk(_ count: Int, seed: UInt64 = 5) -> [Double?] {
        var generator = Xoshiro256StarStar(seed: seed)
        var value = 50.0
        return (0..<count).map { _ in
            value += generator.nextGaussian()
            return value
        }
    }

    // MARK: - Loading

    func testLoadsTheFourRealSeriesWithTheirValueCountsAndGaps() throws {
        let expected: [(file: String, column: String, count: Int, gaps: Int, first: Double, last: Double)] = [
            ("sunspots.csv", "SUNACTIVITY", 309, 0, 5, 2.9),
            ("nile.csv", "volume", 100, 0, 1120, 740),
            ("co2.csv", "co2", 2284, 59, 316.1, 371.5),
            ("elnino.csv", "nino12", 732, 0, 23.11, 22.07),
        ]
        for entry in expected {
            let series = try TimeSeries.load(contentsOf: Self.seriesFolder.appendingPathComponent(entry.file), column: entry.column)
            XCTAssertEqual(series.count, entry.count, entry.file)
            XCTAssertEqual(series.gapCount, entry.gaps, entry.file)
            XCTAssertEqual(series.column, entry.column, entry.file)
            XCTAssertEqual(series.values.first!, entry.first, entry.file)
            XCTAssertEqual(series.values.last!, entry.last, entry.file)
        }
    }

    func testEmptyCellIsAGapAndColumnNamesMatchIgnoringCase() throws {
        let series = try TimeSeries.parse("t, Value ,other\n1,2,x\n2,,y\n3,  ,z\n\n4,\"5.5\",w\n", column: "value", source: "s.csv")
        XCTAssertEqual(series.values, [2, nil, nil, 5.5])
        XCTAssertEqual(series.column, "Value")
        XCTAssertEqual(series.bridged, [2, 2, 2, 5.5])
        XCTAssertEqual(TimeSeries(values: [nil, 1, nil]).bridged, [nil, 1, 1])
    }

    func testNonNumericCellIsAnErrorNamingFileLineAndColumn() {
        XCTAssertThrowsError(try TimeSeries.parse("t,v\n1,2\n2,n/a\n", column: "v", source: "s.csv")) { error in
            XCTAssertEqual(error as? TimeSeriesError, .notANumber(file: "s.csv", line: 3, column: "v", value: "n/a"))
            XCTAssertTrue("\(error)".hasPrefix("s.csv, line 3, column v: 'n/a' is not a number"), "\(error)")
        }
    }

    func testNaNAndInfinityCellsAreRejected() {
        for bad in ["nan", "NaN", "inf", "-Infinity", "1e999"] {
            XCTAssertThrowsError(try TimeSeries.parse("t,v\n1,2\n2,3\n3,\(bad)\n", column: "v", source: "s.csv")) { error in
                XCTAssertEqual(error as? TimeSeriesError, .nonFiniteNumber(file: "s.csv", line: 4, column: "v", value: bad))
            }
        }
    }

    func testMissingColumnListsTheAvailableOnes() {
        XCTAssertThrowsError(try TimeSeries.parse("year,volume\n1871,1120\n1872,1160\n", column: "flow", source: "nile.csv")) { error in
            XCTAssertEqual(error as? TimeSeriesError,
                           .noSuchColumn(file: "nile.csv", line: 1, column: "flow", available: ["year", "volume"]))
            XCTAssertTrue("\(error)".contains("'year', 'volume'"), "\(error)")
        }
    }

    func testMissingFileShortRowAndTooFewValuesAreErrors() {
        let missing = Self.seriesFolder.appendingPathComponent("no-such-file.csv")
        XCTAssertThrowsError(try TimeSeries.load(contentsOf: missing, column: "v")) { error in
            guard case .unreadable(_, let reason)? = error as? TimeSeriesError else { return XCTFail("\(error)") }
            XCTAssertEqual(reason, "no such file")
        }
        XCTAssertThrowsError(try TimeSeries.parse("t,v\n1,2\n2\n", column: "v", source: "s.csv")) { error in
            XCTAssertEqual(error as? TimeSeriesError, .wrongColumnCount(file: "s.csv", line: 3, expected: 2, found: 1))
        }
        XCTAssertThrowsError(try TimeSeries.parse("t,v\n1,2\n2,\n", column: "v", source: "s.csv")) { error in
            XCTAssertEqual(error as? TimeSeriesError, .tooFewValues(file: "s.csv", column: "v", found: 1, minimum: 2))
        }
        XCTAssertThrowsError(try TimeSeries.parse("\n \n", column: "v", source: "s.csv")) { error in
            XCTAssertEqual(error as? TimeSeriesError, .emptyFile(file: "s.csv"))
        }
    }

    // MARK: - Forecasting

    func testSeriesShorterThanLagsAndWarmUpIsRejected() throws {
        let network = try randomNetwork()
        // Default warm-up max(10, 2) = 10: 10 steps from the first value leave nothing to score.
        let short = TimeSeries(values: [nil] + randomWalk(10), column: "v", source: "s.csv")
        XCTAssertThrowsError(try OnlineForecast(series: short, network: network)) { error in
            XCTAssertEqual(error as? ForecastError, .seriesTooShort(source: "s.csv", column: "v", steps: 10, needed: 11))
        }
        XCTAssertNoThrow(try OnlineForecast(series: TimeSeries(values: randomWalk(11)), network: network))
        // A season longer than the series pushes the warm-up past its end.
        XCTAssertThrowsError(try OnlineForecast(series: TimeSeries(values: randomWalk(30)), network: network,
                                                options: .init(season: 30)))
        XCTAssertThrowsError(try OnlineForecast(series: TimeSeries(values: randomWalk(30)), network: network,
                                                options: .init(warmUp: 1))) { error in
            XCTAssertTrue("\(error)".contains("warm-up must be at least 2"), "\(error)")
        }
        let allGapsAfterWarmUp = TimeSeries(values: randomWalk(10) + [nil, nil], column: "v", source: "s.csv")
        XCTAssertThrowsError(try OnlineForecast(series: allGapsAfterWarmUp, network: network)) { error in
            XCTAssertEqual(error as? ForecastError, .nothingToScore(source: "s.csv", column: "v", warmUp: 10))
        }
    }

    func testGapsAreNeverScoredAndNoForecastIsNaN() throws {
        var values = randomWalk(120)
        for gap in [0, 1, 15, 40, 41, 42, 43, 90, 119] { values[gap] = nil }
        let forecast = try OnlineForecast(series: TimeSeries(values: values), network: try randomNetwork(),
                                          options: .init(window: 20, season: 12))
        XCTAssertEqual(forecast.firstStep, 2)
        XCTAssertEqual(forecast.warmUp, 12)
        XCTAssertEqual(forecast.methods.count, 5)
        XCTAssertEqual(forecast.scored, values.indices.map { $0 >= 14 && values[$0] != nil })
        XCTAssertEqual(forecast.scoredSteps, forecast.scored.filter { $0 }.count)
        for (method, predictions) in zip(forecast.methods, forecast.predictions) {
            for t in (forecast.firstStep + forecast.warmUp)..<values.count {
                guard let prediction = predictions[t] else { return XCTFail("\(method.name) has no forecast at \(t)") }
                XCTAssertTrue(prediction.isFinite, "\(method.name) at \(t)")
            }
            XCTAssertTrue(method.rootMeanSquaredError.isFinite && method.meanAbsoluteError.isFinite, method.name)
            XCTAssertNil(predictions[0], "nothing is forecast before the first value")
        }
        // Persistence across the gaps 40…43 forecasts the bridged value s(39).
        XCTAssertEqual(forecast.predictions[1][44], values[39]!)
    }

    func testNoMethodLooksAhead() throws {
        let base = randomWalk(70, seed: 9)
        let options = OnlineForecast.Options(window: 15, season: 7)
        let reference = try OnlineForecast(series: TimeSeries(values: base), network: try randomNetwork(), options: options)
        for changed in [12, 30, 31, 55, 69] {
            for replacement in [base[changed]! + 7.5, nil] {
                var values = base
                values[changed] = replacement
                let other = try OnlineForecast(series: TimeSeries(values: values), network: try randomNetwork(), options: options)
                for (index, method) in reference.methods.enumerated() {
                    XCTAssertEqual(Array(other.predictions[index][...changed]), Array(reference.predictions[index][...changed]),
                                   "\(method.name): a change at step \(changed) altered an earlier or same-step forecast")
                }
                if replacement != nil && changed + 1 < base.count {
                    XCTAssertNotEqual(other.predictions[1][changed + 1], reference.predictions[1][changed + 1])
                }
            }
        }
    }

    func testPersistenceMASEIsExactlyOne() throws {
        var values = randomWalk(200, seed: 11)
        values[50] = nil
        let forecast = try OnlineForecast(series: TimeSeries(values: values), network: try randomNetwork())
        XCTAssertEqual(forecast.methods[1].name, "persistence")
        XCTAssertEqual(forecast.methods[1].meanAbsoluteScaledError, 1)
        for method in forecast.methods {
            XCTAssertEqual(method.meanAbsoluteScaledError!, method.meanAbsoluteError / forecast.methods[1].meanAbsoluteError,
                           accuracy: 1e-15)
        }
    }

    /// s(t) = 2cos(0.7)·s(t−1) − s(t−2) + 10·(2 − 2cos(0.7)): a sinusoid around 10, an exact
    /// affine AR(2) without noise.
    func testRLSARPredictsANoiseFreeAR2SeriesAlmostExactlyAfterWarmUp() throws {
        let a1 = 2 * cos(0.7)
        var values: [Double] = [10 + 3 * sin(0.2), 10 + 3 * sin(0.9)]
        while values.count < 200 { values.append(a1 * values[values.count - 1] - values[values.count - 2] + 10 * (2 - a1)) }
        for lambda in OnlineForecast.forgettingFactors {
            var model = try AutoregressiveRLSForecaster(lags: 2, forgetting: lambda)
            for (t, value) in values.enumerated() {
                let forecast = model.forecast()
                if t >= 10 { XCTAssertEqual(forecast!, value, accuracy: 1e-7, "λ = \(lambda), t = \(t)") }
                model.append(value, isObserved: true)
            }
        }
        let forecast = try OnlineForecast(series: TimeSeries(values: values), network: try randomNetwork())
        let autoregressive = forecast.methods.first { $0.name.hasPrefix("rls-ar(2)") }!
        XCTAssertLessThan(autoregressive.rootMeanSquaredError, 1e-7)
        XCTAssertLessThan(autoregressive.meanAbsoluteScaledError!, 1e-6)
    }

    func testRLSARRefitsInAWiderFrameWhenTheSeriesOutgrowsIt() throws {
        // s(t) = 1.01·s(t−1) from 1e-3: grows by a factor 20 000 over the series, far beyond
        // the first frame (D ≈ 1, left near t = 600, where a fixed frame would hit the clamp and
        // fall back to persistence, 1 % off); the forecasts stay the exact AR(1) ones.
        var model = try AutoregressiveRLSForecaster(lags: 1, forgetting: 0.99)
        var value = 1e-3
        for t in 0..<1000 {
            let forecast = model.forecast()
            if t >= 10 { XCTAssertEqual(forecast!, value, accuracy: 1e-9 * value, "t = \(t)") }
            model.append(value, isObserved: true)
            value *= 1.01
        }
    }

    func testExponentialSmoothingAgreesWithHandComputation() throws {
        let values = [2.0, 4, 3, 7]
        // ℓ after s(0…k) = (1 − α)ᵏ·s(0) + Σ_{i=1…k} α(1 − α)^(k−i)·s(i).
        func level(_ alpha: Double, through k: Int) -> Double {
            (1...max(k, 1)).reduce(pow(1 - alpha, Double(k)) * values[0]) { sum, i in
                k == 0 ? sum : sum + alpha * pow(1 - alpha, Double(k - i)) * values[i]
            }
        }
        var sums: [Double] = []
        for alpha in OnlineForecast.smoothingConstants {
            var model = try ExponentialSmoothingForecaster(smoothing: alpha)
            XCTAssertNil(model.forecast())
            model.append(values[0], isObserved: true)
            var sum = 0.0
            for k in 1..<values.count {
                let expected = level(alpha, through: k - 1)
                XCTAssertEqual(model.forecast()!, expected, accuracy: 1e-12, "α = \(alpha), step \(k)")
                sum += (values[k] - expected) * (values[k] - expected)
                model.append(values[k], isObserved: true)
            }
            sums.append(sum)
        }
        // Two spot values written out: α = 0.5 forecasts 2, 3, 3 then 5; α = 0.1 gives 2.752 last.
        var half = try ExponentialSmoothingForecaster(smoothing: 0.5)
        var tenth = try ExponentialSmoothingForecaster(smoothing: 0.1)
        for value in values { half.append(value, isObserved: true); tenth.append(value, isObserved: true) }
        XCTAssertEqual(half.forecast()!, 5, accuracy: 1e-15)
        XCTAssertEqual(tenth.forecast()!, 2.752, accuracy: 1e-12)
        // A gap leaves the level alone.
        half.append(100, isObserved: false)
        XCTAssertEqual(half.forecast()!, 5, accuracy: 1e-15)

        // The causal choice after the four values is the α with the smallest squared error so far.
        var selection = try BestSoFarForecaster(name: "ses", candidates: try OnlineForecast.smoothingConstants.map {
            try ExponentialSmoothingForecaster(smoothing: $0)
        })
        for value in values {
            _ = selection.forecast()
            selection.append(value, isObserved: true)
        }
        for (got, want) in zip(selection.squaredErrorSums, sums) { XCTAssertEqual(got, want, accuracy: 1e-12) }
        let best = sums.indices.min { sums[$0] < sums[$1] }!
        XCTAssertEqual(selection.forecast()!, level(OnlineForecast.smoothingConstants[best], through: 3), accuracy: 1e-12)
        XCTAssertEqual(selection.chosenIndex, best)
    }

    func testNetworkIsFedTheAR2LayoutScaledOverTheRecentWindowAndResetOnce() throws {
        let network = RecordingNetwork(lags: 2, output: 0.6)
        var forecaster = try NetworkSeriesForecaster(network: network, window: 3)
        let values: [Double?] = [1, 2, nil, 4, 8]
        var last = 0.0
        var forecasts: [Double?] = []
        for value in values {
            forecasts.append(forecaster.forecast())
            if let value { last = value }
            forecaster.append(last, isObserved: value != nil)
        }
        forecasts.append(forecaster.forecast())
        XCTAssertEqual(network.resets, 1)
        XCTAssertNil(forecasts[0])
        XCTAssertNil(forecasts[1])
        // Steps 2…5 see the lags (2, 1), (2, 2), (4, 2), (8, 4) and the recorded windows
        // {1, 2}, {1, 2}, {1, 2, 4}, {2, 4, 8} (the gap is bridged but not recorded).
        let cases: [(lags: [Double], window: [Double])] = [([2, 1], [1, 2]), ([2, 2], [1, 2]), ([4, 2], [1, 2, 4]), ([8, 4], [2, 4, 8])]
        XCTAssertEqual(network.inputs.count, cases.count)
        for (step, entry) in cases.enumerated() {
            let mean = entry.window.reduce(0, +) / Double(entry.window.count)
            let sd = (entry.window.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(entry.window.count)).squareRoot()
            let m = { (s: Double) in min(1, max(0, 0.5 + 0.1 * (s - mean) / sd)) }
            let expected = [m(entry.lags[0]), m(entry.lags[1]), m(entry.lags[0])]
            for (got, want) in zip(network.inputs[step], expected) { XCTAssertEqual(got, want, accuracy: 1e-12, "step \(step + 2)") }
            // o = 0.6 maps back to μ + σ.
            XCTAssertEqual(forecasts[step + 2]!, mean + sd, accuracy: 1e-12, "step \(step + 2)")
        }
    }

    func testReportWritesItsFilesAndTheSummaryReadsBack() throws {
        var values = randomWalk(60)
        values[20] = nil
        let forecast = try OnlineForecast(series: TimeSeries(values: values, column: "level", source: "walk.csv"),
                                          network: try randomNetwork(), options: .init(season: 12))
        let folder = try temporaryFolder()
        try forecast.write(to: folder)
        for name in ["forecast.md", "forecast.csv", "forecast.json", "forecast.svg", "forecast-error.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), name)
        }
        let csv = try String(contentsOf: folder.appendingPathComponent("forecast.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 62)
        XCTAssertTrue(lines[0].hasPrefix("t,value,scored,network,persistence,"), String(lines[0]))
        XCTAssertTrue(lines[21].hasPrefix("21,,0,"), String(lines[21]))
        let summary = try JSONDecoder().decode(OnlineForecast.self, from: Data(contentsOf: folder.appendingPathComponent("forecast.json")))
        XCTAssertEqual(summary.methods, forecast.methods)
        XCTAssertEqual(summary.scoredSteps, forecast.scoredSteps)
        XCTAssertTrue(forecast.markdown.contains("| persistence |"))
    }
}
