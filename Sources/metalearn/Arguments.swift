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
