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

    /// Writes `forecast.md`, `forecast.csv`, `forecast.json` (the summary), `forecast.svg`
    /// (``plot``) and `forecast-error.svg` (``errorPlot``) into `folder`, each atomically.
    /// - Throws: ``FileWriteError`` if a file cannot be written.
    public func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try writeFileAtomically(markdown + "\n", to: folder.appendingPathComponent("forecast.md"))
        try writeFileAtomically(csv, to: folder.appendingPathComponent("forecast.csv"))
        try writeFileAtomically(try RunFolder.json(self), to: folder.appendingPathComponent("forecast.json"))
        try plot.write(to: folder.appendingPathComponent("forecast.svg"))
        try errorPlot.write(to: folder.appendingPathComponent("forecast-error.svg"))
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
