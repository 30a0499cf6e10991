import Foundation

/// How `metalearn collect` writes its table.
public enum CollectFormat: String, CaseIterable, Sendable {
    /// Comma-separated values, full precision, empty cells for missing figures.
    case csv
    /// A JSON list of objects (numbers as numbers, missing figures as null).
    case json
    /// A Markdown table, figures to 4 significant digits, statistics as `median [min–max]`.
    case md
    /// The paper's table as `reproduce` writes it (`table1.csv`, `table2.csv`), from a sweep
    /// folder written by `reproduce table1|table2 --emit-jobs`.
    case paperCSV = "paper-csv"
    /// The paper's table or preset report as `reproduce` prints it (`table1.md`, `table2.md`,
    /// the preset report).
    case paperMD = "paper-md"
}

/// How `collect` groups runs.
public enum CollectGrouping: Equatable, Sendable {
    /// A row for each run.
    case none
    /// A row for each distinct value of these axes, aggregated over the rest (typically the seeds).
    case axes([String])
    /// A row for each setting: every axis but `seed`.
    case overSeeds
}

/// A table of cells, written as CSV, JSON or Markdown.
public struct CollectTable: Equatable, Sendable {
    /// One cell.
    public enum Cell: Equatable, Sendable {
        /// Text.
        case text(String)
        /// A whole number.
        case integer(Int)
        /// A real number.
        case number(Double)
        /// No value.
        case empty
    }

    /// The column names.
    public var columns: [String]
    /// The rows, each with one cell per column.
    public var rows: [[Cell]]

    /// Creates a table.
    public init(columns: [String], rows: [[Cell]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Comma-separated values with a header; fields with a comma, quote or line break are quoted.
    public func csv() -> String {
        func field(_ text: String) -> String {
            let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        func render(_ cell: Cell) -> String {
            switch cell {
            case .text(let text): return field(text)
            case .integer(let n): return String(n)
            case .number(let x): return "\(x)"
            case .empty: return ""
            }
        }
        var lines: [String] = [columns.map(field).joined(separator: ",")]
        for row in rows { lines.append(row.map(render).joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A JSON list with one object per row (keys sorted; non-finite numbers as strings).
    public func json() -> String {
        func quoted(_ text: String) -> String {
            var result = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": result += "\\\""
                case "\\": result += "\\\\"
                case "\n": result += "\\n"
                case "\r": result += "\\r"
                case "\t": result += "\\t"
                default:
                    if scalar.value < 0x20 {
                        result += String(format: "\\u%04x", scalar.value)
                    } else {
                        result.unicodeScalars.append(scalar)
                    }
                }
            }
            return result + "\""
        }
        func render(_ cell: Cell) -> String {
            switch cell {
            case .text(let text): return quoted(text)
            case .integer(let n): return String(n)
            case .number(let x): return x.isFinite ? "\(x)" : quoted("\(x)")
            case .empty: return "null"
            }
        }
        let order: [Int] = columns.indices.sorted { columns[$0] < columns[$1] }
        var objects: [String] = []
        for row in rows {
            let members: [String] = order.map { index in quoted(columns[index]) + ": " + render(row[index]) }
            objects.append("  {" + members.joined(separator: ", ") + "}")
        }
        return objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// A Markdown table; real numbers to 4 significant digits.
    public func markdown() -> String {
        func render(_ cell: Cell) -> String {
            switch cell {
            case .text(let text): return text.replacingOccurrences(of: "|", with: "\\|")
            case .integer(let n): return String(n)
            case .number(let x): return x.isFinite ? String(format: "%.4g", x) : "\(x)"
            case .empty: return "–"
            }
        }
        var lines: [String] = ["| " + columns.joined(separator: " | ") + " |"]
        lines.append("|" + String(repeating: "---|", count: columns.count))
        for row in rows { lines.append("| " + row.map(render).joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table in `format` (the paper formats render as csv and md).
    public func rendered(_ format: CollectFormat) -> String {
        switch format {
        case .csv, .paperCSV: return csv()
        case .json: return json()
        case .md, .paperMD: return markdown()
        }
    }
}

extension RunCollection {
    /// The metrics of the tables, in column order.
    static let metrics: [CollectMetric] = [.finalTestMSEt, .bestTestMSEt, .finalTrainMSEt, .trainTimeSubordinate, .wallSeconds, .stepsPerSecond]

    /// How many runs have each status.
    public var statusCounts: [RunStatus: Int] {
        var counts: [RunStatus: Int] = [:]
        for run in runs { counts[run.status, default: 0] += 1 }
        return counts
    }

    /// Every axis name a run has a value for (for messages and `--group-by`).
    var knownAxes: [String] {
        var keys = axes
        for run in runs {
            for key in run.values.keys.sorted() where !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    /// The table of the runs.
    ///
    /// - `grouping` ``CollectGrouping/none`` and no `bestBy`: one row per run — name, status,
    ///   the axes, epochs done and in all, the ``CollectMetric`` figures, the weights' digest
    ///   and the folder.
    /// - grouped: one row per group (in order of first appearance) with the number of runs of
    ///   each status, and the median, smallest and largest of each figure over the group's
    ///   finished runs (unfinished and diverged runs are counted, not averaged).
    /// - `bestBy`: within each group (one group if `grouping` is `.none`) the runs are split
    ///   into settings (every axis but the group's and `seed`), each setting aggregated like a
    ///   group; the row is the setting with the best median of `bestBy` over its finished runs
    ///   (ties: the first), with the number of settings compared.
    ///
    /// `compact` (for Markdown) puts the status counts into one `status` cell (`3 finished, 1
    /// unfinished`) and each figure's statistics into one `median [min–max]` cell, and leaves
    /// the folder out of the per-run table.
    /// - Throws: ``CollectError/unknownAxis(_:known:)``.
    public func table(grouping: CollectGrouping, bestBy: CollectMetric?, compact: Bool = false) throws(CollectError) -> CollectTable {
        let known = knownAxes
        var groupAxes: [String] = []
        switch grouping {
        case .none:
            if bestBy == nil { return perRunTable(compact: compact) }
        case .axes(let names):
            for name in names where !known.contains(name) { throw .unknownAxis(name, known: known) }
            groupAxes = names
        case .overSeeds:
            groupAxes = axes.filter { $0 != "seed" }
        }
        let groups = partition(runs, by: groupAxes)
        guard let bestBy else {
            var rows: [[CollectTable.Cell]] = []
            for group in groups {
                var row: [CollectTable.Cell] = group.key.map { CollectTable.Cell.text($0) }
                row += Self.aggregate(group.members, compact: compact)
                rows.append(row)
            }
            var columns: [String] = groupAxes
            columns += Self.aggregateColumns(compact: compact)
            return CollectTable(columns: columns, rows: rows)
        }
        let settingAxes = axes.filter { $0 != "seed" && !groupAxes.contains($0) }
        var rows: [[CollectTable.Cell]] = []
        for group in groups {
            let settings = partition(group.members, by: settingAxes)
            var bestKey: [String]?
            var bestMembers: [CollectedRun] = group.members
            var bestValue = 0.0
            for setting in settings {
                let values: [Double] = setting.members.filter { $0.status == .finished }.compactMap { $0.figures[bestBy] }.filter(\.isFinite)
                guard !values.isEmpty else { continue }
                let value = median(values)
                let better = bestBy.higherIsBetter ? value > bestValue : value < bestValue
                if bestKey == nil || better {
                    bestKey = setting.key
                    bestMembers = setting.members
                    bestValue = value
                }
            }
            var row: [CollectTable.Cell] = group.key.map { CollectTable.Cell.text($0) }
            if let bestKey {
                row += bestKey.map { CollectTable.Cell.text($0) }
            } else {
                row += Array(repeating: CollectTable.Cell.empty, count: settingAxes.count)
            }
            row.append(.integer(settings.count))
            row += Self.aggregate(bestMembers, compact: compact)
            rows.append(row)
        }
        var columns: [String] = groupAxes
        columns += settingAxes
        columns.append("settings")
        columns += Self.aggregateColumns(compact: compact)
        return CollectTable(columns: columns, rows: rows)
    }

    /// The columns of ``aggregate(_:compact:)``.
    static func aggregateColumns(compact: Bool) -> [String] {
        var columns: [String] = ["runs"]
        if compact {
            columns.append("status")
            for metric in metrics { columns.append("\(metric.column) median [min–max]") }
            return columns
        }
        for status in RunStatus.allCases { columns.append(status.rawValue.replacingOccurrences(of: "-", with: "_")) }
        for metric in metrics {
            columns.append("\(metric.column)_median")
            columns.append("\(metric.column)_min")
            columns.append("\(metric.column)_max")
        }
        return columns
    }

    /// The runs split by their values of `keys`, groups in order of first appearance.
    func partition(_ runs: [CollectedRun], by keys: [String]) -> [(key: [String], members: [CollectedRun])] {
        var order: [[String]] = []
        var members: [[String]: [CollectedRun]] = [:]
        for run in runs {
            let key: [String] = keys.map { run.values[$0] ?? "" }
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(run)
        }
        return order.map { (key: $0, members: members[$0]!) }
    }

    /// Status counts, then median, min and max of each metric over the finished runs.
    static func aggregate(_ runs: [CollectedRun], compact: Bool) -> [CollectTable.Cell] {
        var cells: [CollectTable.Cell] = [.integer(runs.count)]
        var statusParts: [String] = []
        for status in RunStatus.allCases {
            let count = runs.filter { $0.status == status }.count
            if compact {
                if count > 0 { statusParts.append("\(count) \(status.rawValue)") }
            } else {
                cells.append(.integer(count))
            }
        }
        if compact { cells.append(.text(statusParts.joined(separator: ", "))) }
        let finished = runs.filter { $0.status == .finished }
        for metric in metrics {
            let values: [Double] = finished.compactMap { $0.figures[metric] }
            if values.isEmpty {
                for _ in 0..<(compact ? 1 : 3) { cells.append(.empty) }
            } else if compact {
                let middle = String(format: "%.4g", median(values))
                let low = String(format: "%.4g", values.min()!)
                let high = String(format: "%.4g", values.max()!)
                cells.append(.text("\(middle) [\(low)–\(high)]"))
            } else {
                cells.append(.number(median(values)))
                cells.append(.number(values.min()!))
                cells.append(.number(values.max()!))
            }
        }
        return cells
    }

    /// A row for each run.
    func perRunTable(compact: Bool) -> CollectTable {
        var columns: [String] = ["run", "status"]
        columns += axes
        columns += ["epochs", "total_epochs"]
        columns += Self.metrics.map(\.column)
        columns.append("weights_digest")
        if !compact { columns.append("path") }
        var rows: [[CollectTable.Cell]] = []
        for run in runs {
            var cells: [CollectTable.Cell] = [.text(run.name), .text(run.status.rawValue)]
            for axis in axes { cells.append(run.values[axis].map { CollectTable.Cell.text($0) } ?? .empty) }
            cells.append(.integer(run.epochs))
            cells.append(run.totalEpochs.map { CollectTable.Cell.integer($0) } ?? .empty)
            for metric in Self.metrics {
                if let value = run.figures[metric] {
                    if metric == .trainTimeSubordinate {
                        cells.append(value.isFinite ? .integer(Int(value)) : .text("never"))
                    } else {
                        cells.append(.number(value))
                    }
                } else {
                    cells.append(.empty)
                }
            }
            cells.append(run.weightsDigest.map { CollectTable.Cell.text($0) } ?? .empty)
            if !compact { cells.append(.text(run.path)) }
            rows.append(cells)
        }
        return CollectTable(columns: columns, rows: rows)
    }

    /// The paper's table of a sweep folder written by `reproduce table1|table2|PRESET
    /// --emit-jobs`, exactly as `reproduce` writes it: `table1.csv` / `table1.md` (one line per
    /// run in `reproduce`'s order), `table2.csv` / `table2.md`, or a preset's report (`paper-md`
    /// only). The timing columns (wall seconds) are the runs' own.
    /// - Throws: ``CollectError/notAPaperSweep(_:)`` if the runs are not one such sweep folder,
    ///   ``CollectError/unfinishedRuns(table:runs:total:)`` unless every run finished.
    public func paperTable(markdown: Bool) throws(CollectError) -> String {
        guard let manifest, let table = manifest.paperTable else {
            throw .notAPaperSweep("paper tables come from one sweep folder written by `metalearn reproduce table1|table2|PRESET --emit-jobs`")
        }
        let unfinished = runs.filter { $0.status != .finished || $0.summary == nil || $0.configuration == nil }
        guard unfinished.isEmpty else { throw .unfinishedRuns(table: "\(table)", runs: unfinished.map(\.name), total: runs.count) }
        let summaries: [RunSummary] = runs.map { $0.summary! }
        switch table {
        case .table1:
            let measurements: [Table1Experiment.Measurement] = runs.map { run in
                Table1Experiment.measurement(rowKey: run.values["row"] ?? "", summary: run.summary!, configuration: run.configuration!)
            }
            let smokeTest = runs.contains { $0.configuration!.quickBudget }
            return markdown ? Table1Experiment.markdown(measurements, smokeTest: smokeTest) : Table1Experiment.csv(measurements)
        case .table2:
            let rows: [Table2Experiment.Row] = Preset.orderedNames.map { name in
                Table2Experiment.row(preset: name, summaries: summaries.filter { $0.preset == name })
            }
            return markdown ? Table2Experiment.markdown(rows) : Table2Experiment.csv(rows)
        case .preset(let name):
            guard markdown else {
                throw .notAPaperSweep("reproduce \(name) writes no CSV table: use --format paper-md for its report, or csv for the runs")
            }
            return ReproductionReport.table(for: summaries)
        }
    }
}
