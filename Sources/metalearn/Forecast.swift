import ArgumentParser
import Foundation
import MetaLearning

struct Forecast: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forecast a real time series one step ahead with a trained model (frozen weights).",
        discussion: """
            Reads one column of a CSV file (empty cells are gaps) and walks it once: at step t the \
            network gets the last p values (p = its input dimension) mapped by \
            m(s) = 0.5 + 0.1 (s - mean)/sd over the last --window recorded values, as the ar2 family \
            feeds it, and its output is mapped back. It is reset once, at the start. Beside it: \
            persistence, seasonal naive (--season), RLS-AR(p) with the forgetting factor chosen \
            causally among 0.95, 0.98, 0.99, 1, and exponential smoothing with alpha chosen causally \
            among 0.1 ... 0.9. Gaps are bridged with the last value and not scored; the first \
            max(10, p, season) steps are not scored. Prints RMSE, MAE and MASE (MAE over that of \
            persistence) and writes forecast.md, .csv, .json, .svg and forecast-error.svg to --out.

            Default --out: runs/forecast-<file stem>-<column>.
            """)

    @OptionGroup var model: ModelOption

    @Option(help: "CSV file with a header row.", transform: nonEmptyPath)
    var input: String

    @Option(help: "The column to forecast (matched ignoring case).")
    var column: String

    @Option(help: "Season length for the seasonal naive forecast (e.g. 52 for weekly, 12 for monthly data).")
    var season: Int?

    @Option(help: "Recorded values the network's mean and standard deviation are taken over.")
    var window: Int = NetworkSeriesForecaster.defaultWindow

    @Option(name: .customLong("warm-up"), help: "Unscored steps at the start (default max(10, lags, season)).")
    var warmUp: Int?

    @OptionGroup var output: OutputFolderOption

    /// Rejects bad option values before a model or series is loaded (the messages of ``OnlineForecast``).
    func validate() throws {
        guard window >= 1 else { throw ValidationError("the window must hold at least 1 value, not \(window)") }
        if let season, season < 1 { throw ValidationError("the season must be at least 1 step, not \(season)") }
    }

    func run() throws {
        do {
            let loaded = try model.load()
            let url = URL(fileURLWithPath: input)
            let series = try TimeSeries.load(contentsOf: url, column: column)
            let forecast = try OnlineForecast(series: series, model: loaded,
                                              options: .init(window: window, season: season, warmUp: warmUp))
            let stem = url.deletingPathExtension().lastPathComponent
            let folder = URL(fileURLWithPath: output.out ?? "runs/forecast-\(stem)-\(series.column)")
            try forecast.write(to: folder)
            print(forecast.markdown)
            print("\nwrote \(folder.path)/forecast.{md,csv,json,svg} and forecast-error.svg")
        } catch {
            throw failure(error)
        }
    }
}
