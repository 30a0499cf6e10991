import ArgumentParser
import Foundation
import MetaLearning

struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw a run's figures as SVG: |error| over test sequences (the paper's Figure 2), learning curves, training curves.",
        discussion: """
            metalearn plot RUN writes errors.svg, curve.svg and training.svg into the run folder. \
            The subcommands draw one figure each.
            """,
        subcommands: [All.self, Errors.self, Curve.self, Training.self],
        defaultSubcommand: All.self)

    /// Options shared by the figures evaluated on test sequences.
    struct TestSetOptions: ParsableArguments {
        @Option(help: """
            Use a fresh test set drawn from the evaluation stream of this seed, as 'metalearn eval --seed' \
            does (default: the run's own test set, never trained on).
            """)
        var seed: UInt64?

        var source: TestSequenceSource { seed.map { .fresh(seed: $0) } ?? .runTestSet }
    }

    struct All: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write errors.svg, curve.svg and training.svg into a run folder and print their paths.")

        @Argument(help: ArgumentHelp("Run folder (holding model.json, metrics.csv, config.json).", valueName: "run"),
                  transform: nonEmptyPath)
        var folder: String

        @Option(help: "Consecutive test sequences in errors.svg.")
        var sequences: Int = RunPlot.defaultErrorSequenceCount

        @OptionGroup var testSet: TestSetOptions

        func validate() throws {
            if sequences < 1 { throw ValidationError("--sequences must be at least 1") }
        }

        func run() throws {
            do {
                let written = try RunPlot.writeAll(in: RunFolder(url: URL(fileURLWithPath: folder)),
                                                   sequences: sequences, source: testSet.source)
                for url in written { print(url.relativePath) }
            } catch {
                throw failure(error)
            }
        }
    }

    struct Errors: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "|error| against time step over consecutive test sequences, each from reset (the paper's Figure 2).")

        @OptionGroup var model: ModelOption

        @Option(help: "Number of consecutive test sequences.")
        var sequences: Int = RunPlot.defaultErrorSequenceCount

        @OptionGroup var testSet: TestSetOptions

        @OptionGroup var output: FigureOutputOption

        func validate() throws {
            if sequences < 1 { throw ValidationError("--sequences must be at least 1") }
        }

        func run() throws {
            do {
                let plot = try RunPlot.errors(of: try model.load(), sequences: sequences, source: testSet.source)
                try write(plot, to: output.output, nextTo: model.model)
            } catch {
                throw failure(error)
            }
        }
    }

    struct Curve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mean and median squared error against example position on a test set, with the Bayes floor and θ = 0.01.")

        @OptionGroup var model: ModelOption

        @OptionGroup var testSet: TestSetOptions

        @OptionGroup var output: FigureOutputOption

        func run() throws {
            do {
                let plot = RunPlot.learningCurve(of: try model.load(), source: testSet.source)
                try write(plot, to: output.output, nextTo: model.model)
            } catch {
                throw failure(error)
            }
        }
    }

    struct Training: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train and test MSEt and online training error against epoch, from the run's metrics.csv.")

        @Argument(help: ArgumentHelp("Run folder (holding metrics.csv, and config.json for titles and reference lines).",
                                     valueName: "run"), transform: nonEmptyPath)
        var folder: String

        @OptionGroup var output: FigureOutputOption

        func run() throws {
            do {
                let plot = try RunPlot.training(runFolder: RunFolder(url: URL(fileURLWithPath: folder)))
                try write(plot, to: output.output, nextTo: folder)
            } catch {
                throw failure(error)
            }
        }
    }
}

/// Writes `plot` to `output`, or to its default file next to `path`, and prints the file's path.
private func write(_ plot: RunPlot, to output: String?, nextTo path: String) throws {
    let url = output.map { URL(fileURLWithPath: $0) } ?? RunPlot.defaultURL(for: plot.kind, nextTo: path)
    try plot.write(to: url)
    print(url.relativePath)
}
