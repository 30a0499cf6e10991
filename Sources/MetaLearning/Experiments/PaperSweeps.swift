import Foundation

extension Table1Experiment {
    /// Every run of Table 1 for `seeds` in the order `reproduce table1` runs them and lists
    /// them in `table1.csv`: longest first (RTRL, then BPTT(2), then Elman and LSTM, by
    /// epochs), so that the cores stay busy until the end.
    public static func orderedRuns(seeds: [UInt64], budget: Budget, rowKeys: [String]? = nil) throws -> [Run] {
        var runs: [Run] = []
        for seed in seeds { runs += try self.runs(seed: seed, budget: budget, rowKeys: rowKeys) }
        let cost = ["rtrl": 4, "bptt2": 3, "elman": 1, "lstm": 1]
        runs.sort { (cost[$0.rowKey] ?? 0) * $0.configuration.totalEpochs > (cost[$1.rowKey] ?? 0) * $1.configuration.totalEpochs }
        return runs
    }
}

extension Table2Experiment {
    /// Every run of Table 2 for `seeds` in the order `reproduce table2` runs them: the presets
    /// from the last (quad, the longest) to the first, each for every seed; named
    /// `PRESET[-smoke]-seedN`.
    public static func orderedRuns(seeds: [UInt64], budget: Budget) throws -> [(name: String, configuration: TrainingConfiguration)] {
        var runs: [(String, TrainingConfiguration)] = []
        for name in Preset.orderedNames.reversed() {
            let preset = try Preset.named(name)
            for seed in seeds {
                runs.append((Preset.folderName(name, seed: seed, budget: budget), try preset.configure(seed, budget)))
            }
        }
        return runs
    }
}

extension Preset {
    /// The run-folder name `reproduce` gives a preset's run: `b14-seed1`, `b14-smoke-seed1`.
    public static func folderName(_ name: String, seed: UInt64, budget: Budget) -> String {
        "\(name)\(budget == .smoke ? "-smoke" : "")-seed\(seed)"
    }
}

extension SweepPlan {
    /// The runs of `reproduce table1`, `reproduce table2` or `reproduce PRESET` as a sweep, in
    /// the same order and with the same run-folder names and configurations, for
    /// `reproduce … --emit-jobs DIR`. Axes: table1 `row, update, lr, seed`; table2 `preset,
    /// seed`; a preset `seed`.
    /// - Parameters:
    ///   - table: what to reproduce.
    ///   - rowKeys: table1 only: the rows to run (nil: all).
    public static func reproduction(of table: PaperTable, seeds: [UInt64], budget: Budget, rowKeys: [String]? = nil,
                                    slurm: SlurmSettings = SlurmSettings()) throws -> SweepPlan {
        let suffix = budget == .smoke ? "-smoke" : ""
        let command = "metalearn reproduce \(table) --seeds \(seeds.map(String.init).joined(separator: ",")) --budget \(budget.rawValue)"
            + (rowKeys.map { " --rows \($0.joined(separator: ","))" } ?? "")
        switch table {
        case .table1:
            let points = try Table1Experiment.orderedRuns(seeds: seeds, budget: budget, rowKeys: rowKeys).map { run in
                SweepPoint(name: run.name, values: [
                    "row": run.rowKey, "update": run.configuration.updateMode == .online ? "o" : "b",
                    "lr": "\(run.configuration.learningRate)", "seed": "\(run.configuration.seed)",
                ], configuration: run.configuration)
            }
            return SweepPlan(name: "table1\(suffix)", source: command, axes: ["row", "update", "lr", "seed"], points: points,
                             paperTable: .table1, slurm: slurm)
        case .table2:
            let points = try Table2Experiment.orderedRuns(seeds: seeds, budget: budget).map { run in
                SweepPoint(name: run.name, values: ["preset": run.configuration.preset, "seed": "\(run.configuration.seed)"],
                           configuration: run.configuration)
            }
            return SweepPlan(name: "table2\(suffix)", source: command, axes: ["preset", "seed"], points: points,
                             paperTable: .table2, slurm: slurm)
        case .preset(let name):
            let preset = try Preset.named(name)
            let points = try seeds.map { seed in
                SweepPoint(name: Preset.folderName(preset.name, seed: seed, budget: budget), values: ["seed": "\(seed)"],
                           configuration: try preset.configure(seed, budget))
            }
            return SweepPlan(name: "\(preset.name)\(suffix)", source: command, axes: ["seed"], points: points,
                             paperTable: .preset(preset.name), slurm: slurm)
        }
    }
}
