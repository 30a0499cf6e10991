import ArgumentParser
import Foundation
import MetaLearning

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stream your own CSV through a saved model with frozen weights.",
        discussion: """
            Input columns: sequence,x1,x2,y with a header, rows in time order; the network is reset whenever \
            'sequence' changes. Output: the input columns plus 'prediction' (made before y of that row was seen) \
            and 'error' (y - prediction). Inputs and targets must lie in the values of the model's family \
            (b14/b16: 0 or 1; semil/quad: x in the family's input range, y in [0, 1] or [0.2, 0.8]; linreg: y in [0, 1]; \
            ar2: all in [0, 1]; docs/method.md §2), else an error (a warning with --allow-out-of-range).
            """)

    @OptionGroup var model: ModelOption

    @Option(help: "Input CSV file.", transform: nonEmptyPath)
    var input: String

    @Option(help: "Output CSV file (written atomically); '-' for standard output.", transform: nonEmptyPath)
    var output: String = "-"

    @Option(name: .customLong("y0"), help: "Previous-target input at the first row of each sequence (default: the model's).",
            transform: decimalOption)
    var initialPreviousTarget: Double?

    @Flag(help: "Predict even where inputs or targets lie outside the values of the model's family (a warning instead of an error).")
    var allowOutOfRange = false

    func validate() throws {
        if let initialPreviousTarget, !initialPreviousTarget.isFinite { throw ValidationError("--y0 must be a finite number") }
    }

    func run() throws {
        do {
            let loaded = try model.load()
            let table = try ExampleTable.load(contentsOf: URL(fileURLWithPath: input),
                                              expectedInputDimension: loaded.configuration.architecture.inputDimension)
            let family = loaded.configuration.family
            if let outside = table.valuesOutside(family.makeFamily().dataDomain, family: family.name) {
                guard allowOutOfRange else { throw outside }
                printError("warning: \(outside.summary)")
            }
            let predictions = loaded.predict(table, initialPreviousTarget: initialPreviousTarget)
            try ExampleTable.checkPredictions(predictions, for: table)
            let text = ExampleTable.formatPredictions(table: table, predictions: predictions)
            if output == "-" {
                print(text, terminator: "")
            } else {
                try writeFileAtomically(text, to: URL(fileURLWithPath: output))
                let mse = zip(table.targets, predictions).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(max(table.targets.count, 1))
                printError("wrote \(output): \(table.targets.count) rows in \(table.sequenceRanges.count) sequences, MSE \(String(format: "%.6f", mse))")
            }
        } catch {
            throw failure(error)
        }
    }
}
