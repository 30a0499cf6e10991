import ArgumentParser
import Foundation
import MetaLearning

struct Reproduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reproduce a table or a row of the paper with its preset (docs/method.md §8.1).",
        discussion: """
            Presets: \(Preset.orderedNames.joined(separator: ", ")) (Table 2 rows); table2 (all five rows); table1 \
            (Table 1: Elman, BPTT(2), RTRL over their learning rates and update modes, and LSTM, on B14). Each run \
            writes a folder under --out. The quad row takes hours (docs/results.md).
            """)

    @Argument(help: "What to reproduce: \(ReproductionTarget.allValueStrings.joined(separator: ", ")).",
              transform: ReproductionTarget.init(parsing:))
    var preset: ReproductionTarget

    @Option(help: "Seeds, e.g. 1,2,3 or 1-3; runs go to the available cores in parallel.")
    var seeds: String = "1"

    @Option(help: "full (the paper's epochs) or smoke (1/10 of the epochs: a smoke test that the pipeline runs; the nets learn little).")
    var budget: Budget = .full

    @Option(help: "Parent folder of the run folders.", transform: nonEmptyPath)
    var out: String = "runs"

    @Option(help: "Runs at once (default: the number of cores).")
    var jobs: Int?

    @Option(help: "table1 only: the rows to run, e.g. elman,bptt2,rtrl,lstm (default all).")
    var rows: String?

    @Flag(help: "Continue the runs from their checkpoints (model.json).")
    var resume = false

    @Option(help: """
        Run nothing: write the runs as a sweep folder DIR (jobs.txt, slurm.sbatch, configs/, sweep.json) to run on a cluster \
        or with GNU parallel; `metalearn collect DIR --format paper-csv` then writes this command's table (docs/cluster.md).
        """, transform: nonEmptyPath)
    var emitJobs: String?

    @OptionGroup(title: "Cluster options (with --emit-jobs)")
    var cluster: ClusterOptions

    @Flag(help: "Start again even if a run folder already holds a run.")
    var overwrite = false

    func validate() throws {
        _ = try parseSeeds(seeds)
        if let rows {
            guard case .table1 = preset else { throw ValidationError("--rows applies to table1 only") }
            let known = Table1Experiment.rows.map(\.key)
            for row in rows.split(separator: ",") where !known.contains(String(row)) {
                throw ValidationError("unknown Table 1 row '\(row)' (expected \(known.joined(separator: ", ")))")
            }
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
        if emitJobs != nil {
            if resume || overwrite || jobs != nil { throw ValidationError("--emit-jobs runs nothing: --resume, --overwrite and --jobs do not apply") }
        } else if cluster.isGiven {
            throw ValidationError("the cluster options apply with --emit-jobs only")
        }
    }

    /// Writes the runs as a sweep folder instead of running them.
    func emit(into folder: String) throws {
        do {
            let table: PaperTable
            switch preset {
            case .table1: table = .table1
            case .table2: table = .table2
            case .preset(let name): table = .preset(name)
            }
            var plan = try SweepPlan.reproduction(of: table, seeds: try parseSeeds(seeds), budget: budget, rowKeys: rowKeys)
            plan.slurm = try cluster.settings(over: plan.slurm)
            try cluster.write(plan, to: folder)
        } catch {
            throw failure(error)
        }
    }

    /// The rows of `--rows`, nil for all.
    var rowKeys: [String]? { rows.map { $0.split(separator: ",").map(String.init) } }

    func run() throws {
        if let emitJobs {
            try emit(into: emitJobs)
            return
        }
        switch preset {
        case .table1: try runTable1()
        case .table2: try runTable2()
        case .preset(let name): try runPreset(named: name)
        }
    }

    /// One preset (a row of Table 2) for every seed, in parallel; prints the row's figures.
    func runPreset(named name: String) throws {
        let preset = try Preset.named(name)
        let seeds = try parseSeeds(self.seeds)
        do {
            let requests = try seeds.map { seed in
                RunRequest(configuration: try preset.configure(seed, budget),
                           folder: RunFolder(url: URL(fileURLWithPath: out).appendingPathComponent(Preset.folderName(preset.name, seed: seed, budget: budget))),
                           resume: resume)
            }
            if budget == .smoke { printError(Budget.smokeTestWarning) }
            let summaries = try runAll(requests, overwrite: overwrite, jobs: jobs)
            print(ReproductionReport.table(for: summaries), terminator: "")
        } catch {
            throw failure(error)
        }
    }
}

extension Reproduce {
    /// Table 1: every (architecture, update mode, α) run of docs/method.md §8.1 on B14, in parallel;
    /// prints the table and writes table1.csv and table1.md next to the run folders.
    func runTable1() throws {
        let seeds = try parseSeeds(self.seeds)
        let folder = URL(fileURLWithPath: out).appendingPathComponent(budget == .smoke ? "table1-smoke" : "table1")
        do {
            // Longest runs first, so the cores stay busy until the end.
            let runs = try Table1Experiment.orderedRuns(seeds: seeds, budget: budget, rowKeys: rowKeys)
            if budget == .smoke { printError(Budget.smokeTestWarning) }
            printError("Table 1: \(runs.count) runs into \(folder.path)/")
            let requests = runs.map {
                RunRequest(configuration: $0.configuration, folder: RunFolder(url: folder.appendingPathComponent($0.name)), resume: resume)
            }
            let summaries = try runAll(requests, overwrite: overwrite, jobs: jobs)
            let measurements = zip(runs, summaries).map { run, summary in
                Table1Experiment.measurement(rowKey: run.rowKey, summary: summary, configuration: run.configuration)
            }
            let markdown = Table1Experiment.markdown(measurements, smokeTest: budget == .smoke)
            var files = OutputFiles(folder: folder)
            files.add("table1.csv", Table1Experiment.csv(measurements))
            files.add("table1.md", markdown)
            try files.write()
            print(markdown, terminator: "")
            printError("wrote \(folder.path)/table1.csv and table1.md")
        } catch {
            throw failure(error)
        }
    }
}

extension Reproduce {
    /// Table 2: every preset row for every seed, in parallel (longest first); prints the table
    /// and writes table2.csv and table2.md.
    func runTable2() throws {
        let seeds = try parseSeeds(self.seeds)
        let suffix = budget == .smoke ? "-smoke" : ""
        do {
            let presets = try Preset.orderedNames.map(Preset.named)
            // quad and semil1000 first: they take longest.
            let requests = try Table2Experiment.orderedRuns(seeds: seeds, budget: budget).map { run in
                RunRequest(configuration: run.configuration, folder: RunFolder(url: URL(fileURLWithPath: out).appendingPathComponent(run.name)),
                           resume: resume)
            }
            if budget == .smoke { printError(Budget.smokeTestWarning) }
            let summaries = try runAll(requests, overwrite: overwrite, jobs: jobs)
            let rows = presets.map { preset in
                Table2Experiment.row(preset: preset.name, summaries: summaries.filter { $0.preset == preset.name })
            }
            let folder = URL(fileURLWithPath: out)
            let markdown = Table2Experiment.markdown(rows)
            var files = OutputFiles(folder: folder)
            files.add("table2\(suffix).csv", Table2Experiment.csv(rows))
            files.add("table2\(suffix).md", markdown)
            try files.write()
            print(markdown, terminator: "")
            printError("wrote \(folder.path)/table2\(suffix).csv and table2\(suffix).md")
        } catch {
            throw failure(error)
        }
    }
}

/// Runs the requests in parallel with progress and Ctrl-C handling; returns the summaries of
/// the finished runs or throws if any run failed, diverged or was interrupted (after printing
/// the table of the finished and diverged runs if any diverged).
/// `continueHint` is the command that continues interrupted runs.
func runAll(_ requests: [RunRequest], overwrite: Bool, jobs: Int?,
            continueHint: String = "the same command (it resumes the runs from their checkpoints)") throws -> [RunSummary] {
    let interrupt = InterruptFlag()
    let signalSource = interrupt.installSignalHandler()
    defer { signalSource.cancel() }
    let width = jobs ?? ProcessInfo.processInfo.activeProcessorCount
    let inPlace = requests.count == 1 ? nil : Optional(false)
    let results = ExperimentRunner.run(requests, overwrite: overwrite, interrupt: interrupt, width: width) { request, trainer in
        let label = requests.count > 1 ? request.folder.url.lastPathComponent
            : "\(request.configuration.preset) seed \(trainer.configuration.seed)"
        return ProgressPrinter(label: label, startEpoch: trainer.epoch, inPlace: inPlace)
    }
    var summaries: [RunSummary] = []
    var problems: [String] = []
    var interrupted: [String] = []
    var diverged: [RunSummary] = []
    var notStarted = 0
    for (request, result) in zip(requests, results) {
        switch result {
        case .success(.finished(let summary)):
            summaries.append(summary)
            printError("wrote \(request.folder.url.path)/")
        case .success(.interrupted(let epoch)):
            interrupted.append("\(request.folder.url.path) (epoch \(epoch))")
        case .success(.diverged(let summary, let divergence)):
            diverged.append(summary)
            let kept = summary.epochs > 0 ? "model.json keeps the last checkpoint before it (epoch \(summary.epochs))"
                                          : "no checkpoint was saved before it"
            problems.append("\(request.folder.url.path): \(divergence); \(kept)")
        case .success(.notStarted):
            notStarted += 1
        case .failure(let error):
            problems.append("\(request.folder.url.path): \(error)")
        }
    }
    if !diverged.isEmpty {
        // The report says which runs diverged, beside the finished ones.
        print(ReproductionReport.table(for: summaries + diverged), terminator: "")
    }
    if !interrupted.isEmpty || notStarted > 0 {
        let waiting = notStarted > 0 ? "; \(notStarted) run(s) not started yet" : ""
        printError("interrupted; checkpoints saved in " + interrupted.joined(separator: ", ") + waiting
                   + ". Continue with \(continueHint).")
        throw ExitCode(130)
    }
    if !problems.isEmpty { throw ValidationErrorLine(message: problems.joined(separator: "\n")) }
    return summaries
}
