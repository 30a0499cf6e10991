import Foundation

/// Table 2: the LSTM rows of the paper (B14, B16, semil-64, semil-1000, quad), each the median
/// over seeds next to the paper's figures and the Bayes floor (docs/method.md §8.1, §8.4).
public enum Table2Experiment {
    /// The measured figures of one row: medians over the seeds' summaries.
    public struct Row: Codable, Sendable {
        /// Preset name.
        public var preset: String
        /// Seeds run.
        public var seeds: [UInt64]
        /// Epochs per run.
        public var epochs: Int
        /// Learning rate.
        public var learningRate: Double
        /// Medians over seeds.
        public var trainMSEt: Double, testMSEt: Double
        /// Median subordinate train time T(0.01) and train MSE (test set).
        public var subordinateTrainTime: Double, subordinateTrainMSE: Double
        /// Smallest and largest test MSEt over seeds.
        public var testMSEtRange: ClosedRange<Double>
        /// Bayes floor where known.
        public var bayesMSEt: Double?
        /// Median wall seconds per run.
        public var wallSeconds: Double
        /// Whether the budget was cut.
        public var quickBudget: Bool
        /// The paper's row.
        public var paper: PaperTable2Row?
    }

    /// Aggregates the finished runs of one preset.
    public static func row(preset: String, summaries: [RunSummary]) -> Row {
        let tests = summaries.map(\.testMSEt)
        return Row(preset: preset, seeds: summaries.map(\.seed), epochs: summaries.first?.epochs ?? 0,
                   learningRate: summaries.first?.learningRate ?? 0,
                   trainMSEt: median(summaries.map(\.trainMSEt)), testMSEt: median(tests),
                   subordinateTrainTime: median(summaries.map(\.testSubordinate.trainTimeForRanking)),
                   subordinateTrainMSE: median(summaries.map(\.testSubordinate.trainMSEForRanking)),
                   testMSEtRange: (tests.min() ?? .nan)...(tests.max() ?? .nan),
                   bayesMSEt: summaries.first?.bayesMSEt, wallSeconds: median(summaries.map(\.wallSeconds)),
                   quickBudget: summaries.first?.quickBudget ?? false, paper: PaperTable2Row.table2[preset])
    }

    /// `table2.csv`: one line per row.
    public static func csv(_ rows: [Row]) -> String {
        var text = "preset,seeds,epochs,learning_rate,train_mset,test_mset,test_mset_min,test_mset_max,train_time_subordinate,train_mse_subordinate,bayes_mset,paper_train_mset,paper_test_mset,paper_train_time_subordinate,paper_train_mse_subordinate,wall_seconds_median,quick_budget\n"
        for r in rows {
            let fields: [String] = [
                r.preset, r.seeds.map(String.init).joined(separator: " "), "\(r.epochs)", "\(r.learningRate)",
                "\(r.trainMSEt)", "\(r.testMSEt)", "\(r.testMSEtRange.lowerBound)", "\(r.testMSEtRange.upperBound)",
                "\(r.subordinateTrainTime)", "\(r.subordinateTrainMSE)", r.bayesMSEt.map { "\($0)" } ?? "",
                r.paper.map { "\($0.trainMSEt)" } ?? "", r.paper.map { "\($0.testMSEt)" } ?? "",
                r.paper.map { "\($0.subordinateTrainTime)" } ?? "", r.paper.map { "\($0.subordinateTrainMSE)" } ?? "",
                "\(r.wallSeconds)", r.quickBudget ? "yes" : "no",
            ]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Table 2 as Markdown, paper and measured side by side.
    public static func markdown(_ rows: [Row]) -> String {
        func f(_ x: Double?) -> String {
            guard let x, x.isFinite else { return "–" }
            return x >= 0.01 ? String(format: "%.4f", x) : String(format: "%.2e", x)
        }
        var lines: [String] = []
        if rows.contains(where: \.quickBudget) {
            lines.append(Budget.smokeTestNotice)
        }
        lines.append("| experiment | K × J | epochs | α | seeds | paper train / test MSEt | measured train / test MSEt (median) | test MSEt range | Bayes floor | paper T sub / MSE sub | measured T sub / MSE sub | wall s per run |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in rows {
            let paper = r.paper
            let shape = paper.map { "\($0.functions) × \($0.examples)" } ?? "–"
            lines.append("| \(r.preset) | \(shape) | \(r.epochs) | \(r.learningRate) | \(r.seeds.count) | \(f(paper?.trainMSEt)) / \(f(paper?.testMSEt)) | \(f(r.trainMSEt)) / \(f(r.testMSEt)) | \(f(r.testMSEtRange.lowerBound))–\(f(r.testMSEtRange.upperBound)) | \(f(r.bayesMSEt)) | \(paper.map { "\($0.subordinateTrainTime)" } ?? "–") / \(f(paper?.subordinateTrainMSE)) | \(r.subordinateTrainTime.isInfinite ? "never" : String(format: "%g", r.subordinateTrainTime)) / \(f(r.subordinateTrainMSE)) | \(String(format: "%.0f", r.wallSeconds)) |")
        }
        lines.append("\nMSEt as defined in docs/method.md §3.1 (mean of e², no factor ½). T sub = T(0.01) on the test set's median curve; MSE sub = max of that curve after T; never = the median error stays above 0.01 to the last example (MSE sub –).")
        return lines.joined(separator: "\n") + "\n"
    }
}
