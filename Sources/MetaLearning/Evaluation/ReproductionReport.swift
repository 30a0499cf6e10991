import Foundation

/// Formats run summaries as a table next to the paper's figures.
public enum ReproductionReport {
    /// A plain-text table: one row per seed, then median and range over seeds, the paper's row
    /// and the reference floors. Says so when the budget was cut, and marks runs that diverged.
    public static func table(for summaries: [RunSummary]) -> String {
        guard let first = summaries.first else { return "no finished runs\n" }
        var lines: [String] = []
        let budget = first.quickBudget ? "  [SMOKE TEST: epochs cut to 1/10 — the nets learn little; not the paper's protocol]" : ""
        lines.append("\(first.preset): \(first.network), \(first.weights) weights, \(first.family), alpha \(first.learningRate), \(first.epochs) epochs\(budget)")
        let header = pad(["", "train MSEt", "test MSEt", "T sub", "MSE sub", "MSE sub (mean)", "T_k med", "wall s", "steps/s"])
        lines.append(header)
        for s in summaries {
            let sub = s.testSubordinate
            lines.append(pad(["seed \(s.seed)" + (s.divergence == nil ? "" : " DIVERGED"), f(s.trainMSEt), f(s.testMSEt), sub.trainTimeText,
                              sub.reachesThreshold ? f(sub.trainMSE) : "–", sub.reachesThreshold ? f(sub.trainMSEMeanCurve) : "–",
                              String(format: "%.0f", s.testSubordinate.perSequenceTimeMedian),
                              String(format: "%.1f", s.wallSeconds), String(format: "%.0f", s.stepsPerSecond)]))
        }
        if summaries.count > 1 {
            func stat(_ values: [Double]) -> String {
                "\(f(median(values))) [\(f(values.min()!))–\(f(values.max()!))]"
            }
            func count(_ values: [Double]) -> String {
                "\(time(median(values))) [\(time(values.min()!))–\(time(values.max()!))]"
            }
            lines.append("median [range] over \(summaries.count) seeds:")
            lines.append("  train MSEt \(stat(summaries.map(\.trainMSEt)))   test MSEt \(stat(summaries.map(\.testMSEt)))")
            lines.append("  T sub \(count(summaries.map { $0.testSubordinate.trainTimeForRanking }))   MSE sub \(stat(summaries.map { $0.testSubordinate.trainMSEForRanking }))")
        }
        if let paper = first.paper {
            lines.append(pad(["paper", f(paper.trainMSEt), f(paper.testMSEt), "\(paper.subordinateTrainTime)",
                              f(paper.subordinateTrainMSE), "", "", "", ""]))
        }
        if let bayes = first.bayesMSEt {
            lines.append("Bayes-optimal test MSEt \(f(bayes)) (\(first.bayesSource ?? "")); constant 0.5 predictor \(f(first.constantPredictorMSEt))")
        } else {
            lines.append("constant 0.5 predictor test MSEt \(f(first.constantPredictorMSEt))")
        }
        for s in summaries {
            if let divergence = s.divergence {
                lines.append("seed \(s.seed) DIVERGED: \(divergence); its row shows the last checkpoint kept (epoch \(s.epochs))")
            }
        }
        lines.append("T sub = train time subordinate T(0.01) on the test set's median curve; MSE sub = max of that curve after T (docs/method.md §3.3)")
        if let note = SubordinateMetrics.subordinateFootnote(for: summaries.map(\.testSubordinate)) { lines.append(note) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A T(θ) figure: "never" for +∞ (see ``SubordinateMetrics/trainTimeForRanking``).
    private static func time(_ value: Double) -> String {
        value.isInfinite ? "never" : String(format: "%g", value)
    }

    private static func f(_ value: Double) -> String {
        if value.isInfinite { return "–" }
        if value == 0 { return "0" }
        return abs(value) >= 0.01 ? String(format: "%.4f", value) : String(format: "%.2e", value)
    }

    private static func pad(_ cells: [String]) -> String {
        let widths = [8, 11, 11, 6, 9, 15, 8, 8, 9]
        return zip(cells, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: " ")
    }
}
