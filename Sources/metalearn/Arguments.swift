import ArgumentParser
import Foundation
import MetaLearning

// MARK: - Closed sets of the library as option values

// The argument parser lists the raw values in --help and rejects any other value with a
// one-line error naming the valid ones.

extension UpdateMode: ExpressibleByArgument {}
extension BooleanInputSampler: ExpressibleByArgument {}
extension InputRange: ExpressibleByArgument {}
extension Budget: ExpressibleByArgument {
    /// `full` or `smoke`; `quick`, the smoke test's former name, still reads as `smoke`.
    public init?(argument: String) {
        if argument == "quick" { self = .smoke; return }
        self.init(rawValue: argument)
    }

    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
extension WeightExportFormat: ExpressibleByArgument {}

/// What `metalearn reproduce` runs: a whole table of the paper or one preset (a row of Table 2).
///
/// Parsed by a transform rather than `ExpressibleByArgument`: with seven values the argument
/// parser's own error would list them on seven lines.
enum ReproductionTarget {
    /// Table 1: the baselines and LSTM on B14.
    case table1
    /// Table 2: every preset row.
    case table2
    /// One preset, by its name in ``Preset/orderedNames``.
    case preset(String)

    /// Every value, in the order `--help` lists them.
    static var allValueStrings: [String] { ["table1", "table2"] + Preset.orderedNames }

    /// Parses `table1`, `table2` or a preset name (the latter ignoring case).
    /// - Throws: a one-line `ValidationError` naming the valid values.
    init(parsing text: String) throws {
        if text == "table1" {
            self = .table1
        } else if text == "table2" {
            self = .table2
        } else if Preset.orderedNames.contains(text.lowercased()) {
            self = .preset(text.lowercased())
        } else {
            throw ValidationError("unknown preset '\(text)' (expected \(Self.allValueStrings.joined(separator: ", ")))")
        }
    }
}

// MARK: - Options several commands share

/// `--model`: the trained model a command reads.
struct ModelOption: ParsableArguments {
    @Option(help: "Checkpoint (RUN/model.json) or run folder.", transform: nonEmptyPath)
    var model: String

    /// Loads the checkpoint.
    func load() throws -> LoadedModel { try LoadedModel(path: model) }

    /// The run folder: `--model` without a trailing `model.json`.
    var runFolderURL: URL {
        var url = URL(fileURLWithPath: model)
        if url.pathExtension == "json" { url.deleteLastPathComponent() }
        return url
    }
}

/// `--seed` of the commands that run a trained model on fresh test functions.
struct EvaluationSeedOption: ParsableArguments {
    @Option(help: "Seed of the fresh test functions (an evaluation stream independent of training).")
    var seed: UInt64 = 1
}

/// `--json`: machine-readable output.
struct JSONOption: ParsableArguments {
    @Flag(help: "Print the result as JSON.")
    var json = false
}

/// `--out` of the commands that write a folder of results, named by default after their
/// inputs (the discussion of each command gives the default).
struct OutputFolderOption: ParsableArguments {
    @Option(help: "Output folder (default: see above).", transform: nonEmptyPath)
    var out: String?
}

/// `--output` of the commands that draw one figure.
struct FigureOutputOption: ParsableArguments {
    @Option(help: "SVG file to write (default: the figure's name, e.g. errors.svg, in the run folder).", transform: nonEmptyPath)
    var output: String?
}

// MARK: - Options still given as free text (to become library enums)

/// Parses `--family` of a command that runs a model on another family than its own: the one
/// place a family name is turned into a ``FamilySpec`` for a trained model.
func transferredFamily(of model: LoadedModel, to name: FamilyName?) throws -> FamilySpec? {
    try name.map { try model.configuration.family.transferred(to: $0.name) }
}

/// A value of `--family`: the name of one of the library's families (``FamilySpec/knownNames``),
/// so that a new family needs no edit here.
struct FamilyName: ExpressibleByArgument, Equatable, CustomStringConvertible {
    /// The family's name, e.g. `b14`.
    let name: String

    /// Accepts a known family name (in any case).
    init?(argument: String) {
        guard FamilySpec.knownNames.contains(argument.lowercased()) else { return nil }
        name = argument.lowercased()
    }

    /// Every family name.
    static var allValueStrings: [String] { FamilySpec.knownNames }

    /// Parses a `--family` value with a one-line error listing the families (the parser's own
    /// message spreads six values over seven lines).
    /// - Throws: a `ValidationError` naming the valid values.
    init(parsing text: String) throws {
        guard let name = FamilyName(argument: text) else {
            throw ValidationError("unknown family '\(text)' (expected one of \(Self.allValueStrings.joined(separator: ", ")))")
        }
        self = name
    }

    var description: String { name }
}

/// A value of `train --arch`: the name of one of the library's registered architectures
/// (``Architecture/registered``), so that a new architecture needs no edit here.
struct ArchitectureName: ExpressibleByArgument, Equatable, CustomStringConvertible {
    /// The registered name, e.g. `lstm1997`.
    let name: String

    /// Accepts a registered architecture name.
    init?(argument: String) {
        guard Architecture.configurationType(named: argument) != nil else { return nil }
        name = argument
    }

    /// Every registered name.
    static var allValueStrings: [String] { Architecture.registeredNames }

    var description: String { name }
}

// MARK: - Sweeps

/// The options of the commands that write a sweep folder (`sweep`, `reproduce --emit-jobs`):
/// Slurm resources (over those of the sweep file) and the command the job lines start with.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Slurm: wall-time limit per task, e.g. 01:30:00 (default 24:00:00 or the sweep file's).")
    var time: String?

    @Option(help: "Slurm: CPUs per task (default 1: a run uses one core).")
    var cpus: Int?

    @Option(help: "Slurm: memory per task, e.g. 2G (default 2G).")
    var mem: String?

    @Option(help: "Slurm: partition.")
    var partition: String?

    @Option(help: "Slurm: account.")
    var account: String?

    @Option(help: "Slurm: array tasks running at once, the M of --array=1-N%M (default min(N, 100)).")
    var maxConcurrent: Int?

    @Option(help: "The metalearn command at the start of every job line (default: the absolute path of this executable).")
    var executable: String?

    /// Whether any option was given.
    var isGiven: Bool {
        time != nil || cpus != nil || mem != nil || partition != nil || account != nil || maxConcurrent != nil || executable != nil
    }

    /// `base` with the given options replacing its settings.
    /// - Throws: a one-line error naming an unusable setting.
    func settings(over base: SlurmSettings) throws -> SlurmSettings {
        var settings = base
        if let time { settings.time = time }
        if let cpus { settings.cpus = cpus }
        if let mem { settings.mem = mem }
        if let partition { settings.partition = partition }
        if let account { settings.account = account }
        if let maxConcurrent { settings.maxConcurrent = maxConcurrent }
        if let problem = settings.validationProblem() {
            throw ValidationErrorLine(message: "--\(problem.key): \(problem.message)")
        }
        return settings
    }

    /// Writes `plan` into the sweep folder `folder` and says how to run it.
    func write(_ plan: SweepPlan, to folder: String) throws {
        let url = URL(fileURLWithPath: folder).standardizedFileURL
        try plan.write(to: url, executable: executable ?? currentExecutablePath())
        let jobs = SweepPlan.shellQuoted(url.appendingPathComponent("jobs.txt").path)
        print("""
            wrote \(url.path)/: \(plan.points.count) runs (jobs.txt, slurm.sbatch, configs/, sweep.json)
              Slurm:         sbatch \(SweepPlan.shellQuoted(url.appendingPathComponent("slurm.sbatch").path))
              GNU parallel:  parallel -j 2 --joblog \(SweepPlan.shellQuoted(url.appendingPathComponent("parallel.log").path)) < \(jobs)
              xargs:         xargs -d '\\n' -n 1 -P 2 sh -c < \(jobs)
              then:          metalearn collect \(SweepPlan.shellQuoted(url.path))\(plan.paperTable == nil ? "" : " [--format paper-csv]")
            """)
    }
}

/// The absolute path of the running executable (`/proc/self/exe` where there is one).
func currentExecutablePath() -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    let argument = CommandLine.arguments[0]
    if argument.contains("/") { return URL(fileURLWithPath: argument).standardizedFileURL.path }
    return argument
}
