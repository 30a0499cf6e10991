import ArgumentParser
import Foundation
import MetaLearning

extension CollectFormat: ExpressibleByArgument {}
extension CollectMetric: ExpressibleByArgument {}

struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Gather run folders (or a sweep folder) into one table.",
        discussion: """
            Each RUN is a run folder, a sweep folder (all its points, started or not), a file inside a run folder, or a \
            folder of run folders; shell globs such as runs/* work. Every run is a row with its status (finished, \
            unfinished, diverged, not-started, unreadable); none is dropped. Columns: the configuration axes (a sweep's \
            own, else every value that differs), epochs, final and best test MSEt, final train MSEt, T sub, wall seconds, \
            steps/s and a digest of the weights (equal digests: bit-identical weights). Grouped tables give the median, \
            min and max over each group's finished runs and count the others.
              metalearn collect sweeps/out/tiny --over-seeds --format md
              metalearn collect runs/table1/* --group-by row --best-by final-test-mset
              metalearn collect table1-jobs --format paper-csv --output table1.csv
            """)

    @Argument(help: "Run folders, sweep folders or folders of run folders.", transform: nonEmptyPath)
    var runs: [String] = []

    @Option(help: "Group by these axes (comma-separated, e.g. lr,arch): one row per group, median and range over the rest.")
    var groupBy: String?

    @Flag(help: "Group by every axis but seed: one row per setting, median and range over its seeds.")
    var overSeeds = false

    @Option(help: "Pick the best setting (median over seeds) in each group by this metric: \(CollectMetric.allCases.map(\.rawValue).joined(separator: ", ")).")
    var bestBy: CollectMetric?

    @Option(help: "csv, json, md, or the paper's table of a `reproduce … --emit-jobs` sweep folder: paper-csv (table1.csv, table2.csv) or paper-md.")
    var format: CollectFormat = .csv

    @Option(help: "File to write (default: standard output).", transform: nonEmptyPath)
    var output: String?

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give at least one run folder or sweep folder") }
        if groupBy != nil && overSeeds { throw ValidationError("--group-by and --over-seeds exclude each other") }
        if format == .paperCSV || format == .paperMD, groupBy != nil || overSeeds || bestBy != nil {
            throw ValidationError("--format \(format.rawValue) writes the paper's table: --group-by, --over-seeds and --best-by do not apply")
        }
    }

    func run() throws {
        do {
            let collection = try RunCollection.gather(runs)
            let text: String
            switch format {
            case .paperCSV, .paperMD:
                text = try collection.paperTable(markdown: format == .paperMD)
            case .csv, .json, .md:
                let grouping: CollectGrouping = overSeeds ? .overSeeds
                    : groupBy.map { .axes($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) } ?? .none
                text = try collection.table(grouping: grouping, bestBy: bestBy, compact: format == .md).rendered(format)
            }
            if let output {
                try writeFileAtomically(text, to: URL(fileURLWithPath: output))
            } else {
                print(text, terminator: "")
            }
            let counts = collection.statusCounts
            let parts = RunStatus.allCases.compactMap { status in counts[status].map { "\($0) \(status.rawValue)" } }
            printError("collected \(collection.runs.count) runs: \(parts.joined(separator: ", "))" + (output.map { "; wrote \($0)" } ?? ""))
        } catch {
            throw failure(error)
        }
    }
}
