import Foundation
import SVGPlot

extension OnlineForecast {
    /// A Markdown table of RMSE, MAE and MASE per method, with the run's settings.
    public var markdown: String {
        var lines = ["One-step-ahead online forecast of \(source), column \(column): \(steps) steps, \(gaps) gaps, "
                     + "\(scoredSteps) scored after a \(warmUp)-step warm-up; network \(network), "
                     + "\(lags) lags, scale over the last \(window) recorded values.",
                     "",
                     "| method | RMSE | MAE | MASE | causal choice |",
                     "|---|---|---|---|---|"]
        for method in methods {
            let mase = method.meanAbsoluteScaledError.map { String(format: "%.3f", $0) } ?? "–"
            lines.append("| \(method.name) | \(Self.formatted(method.rootMeanSquaredError)) | "
                         + "\(Self.formatted(method.meanAbsoluteError)) | \(mase) | \(method.note) |")
        }
        lines.append("")
        lines.append("MASE = MAE / MAE(persistence) on the same steps (below 1: better than persistence). "
                     + "Gaps are bridged with the last recorded value and never scored; no method sees s(t) before forecasting it.")
        return lines.joined(separator: "\n")
    }

    /// Per-step CSV: `t,value,scored,<each method's forecast>`; t is the 1-based row of the
    /// series, an empty value is a gap, an empty forecast means the method had none yet.
    public var csv: String {
        var lines = ["t,value,scored," + methods.map { ExampleTable.csvField($0.name) }.joined(separator: ",")]
        lines.reserveCapacity(steps + 1)
        for t in 0..<steps {
            var line = "\(t + 1),\(values[t].map { "\($0)" } ?? ""),\(scored[t] ? 1 : 0)"
            for method in predictions.indices { line += "," + (predictions[method][t].map { "\($0)" } ?? "") }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The series with the network's and persistence's forecasts against the step; the
    /// warm-up's end marked.
    public var plot: LinePlot {
        var plot = LinePlot(title: "\(column) (\(source)): one-step-ahead forecasts", xLabel: "step t", yLabel: column)
        plot.series.append(LinePlot.Series(name: "series", y: values.map { $0 ?? .nan }, firstX: 1, style: .solid(.gray)))
        plot.series.append(LinePlot.Series(name: methods[0].name, y: predictions[0].map { $0 ?? .nan }, firstX: 1,
                                           style: .solid(.blue)))
        plot.verticalMarkers.append(LinePlot.VerticalMarker(x: Double(firstStep + warmUp + 1), label: "scored from here",
                                                            color: .gray))
        return plot
    }

    /// The network's forecast error s(t) − ŝ(t) against the step, beside that of persistence
    /// (scored steps only).
    public var errorPlot: LinePlot {
        var plot = LinePlot(title: "\(column) (\(source)): forecast error s(t) − ŝ(t) on scored steps",
                            xLabel: "step t", yLabel: "error")
        for (method, color) in [(1, LinePlot.PaletteColor.orange), (0, .blue)] {
            let errors = values.indices.map { t in scored[t] ? values[t]! - predictions[method][t]! : .nan }
            plot.series.append(LinePlot.Series(name: methods[method].name, y: errors, firstX: 1, style: .solid(color)))
        }
        plot.referenceLines.append(LinePlot.ReferenceLine(y: 0, color: .gray))
        return plot
    }

    /// Checks that every figure and every forecast is a finite number.
    /// - Throws: ``NonFiniteResultError`` naming the first that is not (e.g. the RMSE of a method
    ///   on a series whose values are too large to square).
    public func checkFinite() throws(NonFiniteResultError) {
        let largest = values.compactMap { $0.map(abs) }.max() ?? 0
        let hint = "the largest magnitude in \(source), column \(column), is \(largest)"
        for method in methods {
            try NonFiniteResultError.check(method.rootMeanSquaredError, "the RMSE of \(method.name)", hint: hint)
            try NonFiniteResultError.check(method.meanAbsoluteError, "the MAE of \(method.name)", hint: hint)
            if let mase = method.meanAbsoluteScaledError {
                try NonFiniteResultError.check(mase, "the MASE of \(method.name)", hint: hint)
            }
        }
        for (method, forecasts) in zip(methods, predictions) {
            for (t, forecast) in forecasts.enumerated() {
                if let forecast {
                    try NonFiniteResultError.check(forecast, "the forecast of \(method.name) at step \(t + 1)", hint: hint)
                }
            }
        }
    }

    /// The files ``write(to:)`` writes, rendered: `forecast.md`, `forecast.csv`, `forecast.json`
    /// (the summary), `forecast.svg` (``plot``) and `forecast-error.svg` (``errorPlot``).
    /// - Throws: ``NonFiniteResultError`` (see ``checkFinite()``) before anything is rendered.
    public func outputFiles(in folder: URL) throws -> OutputFiles {
        try checkFinite()
        var files = OutputFiles(folder: folder)
        files.add("forecast.md", markdown + "\n")
        files.add("forecast.csv", csv)
        files.add("forecast.json", try RunFolder.json(self))
        files.add("forecast.svg", plot.svg(width: 800, height: 500))
        files.add("forecast-error.svg", errorPlot.svg(width: 800, height: 500))
        return files
    }

    /// Writes the files of ``outputFiles(in:)`` into `folder`, all of them or none.
    /// - Throws: ``NonFiniteResultError`` before anything is written if a figure or forecast is
    ///   not finite; ``FileWriteError`` if a file cannot be written.
    public func write(to folder: URL) throws {
        try outputFiles(in: folder).write()
    }

    /// Four significant digits, in plain notation where that is short.
    static func formatted(_ value: Double) -> String {
        guard value.isFinite, value != 0 else { return "\(value)" }
        if abs(value) >= 1e-3 && abs(value) < 1e5 {
            let decimals = max(0, 3 - Int(Foundation.log10(abs(value)).rounded(.down)))
            return String(format: "%.\(decimals)f", value)
        }
        return String(format: "%.3e", value)
    }
}
