import ArgumentParser
import Foundation
import MetaLearning

struct Reproduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reproduce a row of the paper's Table 2 with its preset (SPEC §6.1).",
        discussion: "Presets: \(Preset.orderedNames.joined(separator: ", ")). Each seed writes a run folder runs/<preset>-seed<N>/.")

    @Argument(help: "The preset: \(Preset.orderedNames.joined(separator: ", ")).")
    var preset: String

    @Option(help: "Seeds, e.g. 1,2,3 or 1-3; runs go to the available cores in parallel.")
    var seeds: String = "1"

    @Option(help: "full (the paper's epochs) or quick (1/10 of the epochs, for a first look).")
    var budget: String = "full"

    @Option(help: "Parent folder of the run folders.")
    var out: String = "runs"

    @Option(help: "Runs at once (default: the number of cores).")
    var jobs: Int?

    @Flag(help: "Continue the runs from their checkpoints (model.json).")
    var resume = false

    @Flag(help: "Start again even if a run folder already holds a run.")
    var overwrite = false

    func validate() throws {
        _ = try parseSeeds(seeds)
        guard Budget(rawValue: budget) != nil else { throw ValidationError("--budget must be full or quick, not '\(budget)'") }
        do { _ = try Preset.named(preset) } catch { throw ValidationError("\(error)") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
    }

    func run() throws {
        let preset = try Preset.named(self.preset)
        let budget = Budget(rawValue: self.budget)!
        let seeds = try parseSeeds(self.seeds)
        let suffix = budget == .quick ? "-quick" : ""
        do {
            let requests = try seeds.map { seed in
                RunRequest(configuration: try preset.configure(seed, budget),
                           folder: RunFolder(url: URL(fileURLWithPath: out).appendingPathComponent("\(preset.name)\(suffix)-seed\(seed)")),
                           resume: resume)
            }
            if budget == .quick { printError("QUICK BUDGET: epochs cut to 1/10 of the paper's protocol; figures are a first look only") }
            let summaries = try runAll(requests, overwrite: overwrite, jobs: jobs)
            print(ReproductionReport.table(for: summaries), terminator: "")
        } catch {
            throw failure(error)
        }
    }
}

/// Runs the requests in parallel with progress and Ctrl-C handling; returns the summaries of
/// the finished runs or throws if any run failed or was interrupted.
func runAll(_ requests: [RunRequest], overwrite: Bool, jobs: Int?) throws -> [RunSummary] {
    let interrupt = InterruptFlag()
    let signalSource = interrupt.installSignalHandler()
    defer { signalSource.cancel() }
    let width = jobs ?? ProcessInfo.processInfo.activeProcessorCount
    let inPlace = requests.count == 1 ? nil : Optional(false)
    let results = ExperimentRunner.run(requests, overwrite: overwrite, interrupt: interrupt, width: width) { request, trainer in
        ProgressPrinter(label: "\(request.configuration.preset) seed \(trainer.configuration.seed)", startEpoch: trainer.epoch, inPlace: inPlace)
    }
    var summaries: [RunSummary] = []
    var problems: [String] = []
    var interrupted: [String] = []
    for (request, result) in zip(requests, results) {
        switch result {
        case .success(.finished(let summary)):
            summaries.append(summary)
            printError("wrote \(request.folder.url.path)/")
        case .success(.interrupted(let epoch)):
            interrupted.append("\(request.folder.url.path) (epoch \(epoch))")
        case .failure(let error):
            problems.append("\(request.folder.url.path): \(error)")
        }
    }
    if !interrupted.isEmpty {
        printError("interrupted; checkpoints saved in " + interrupted.joined(separator: ", ") + ". Continue with the same command and --resume.")
        throw ExitCode(130)
    }
    if !problems.isEmpty { throw ValidationErrorLine(message: problems.joined(separator: "\n")) }
    return summaries
}
