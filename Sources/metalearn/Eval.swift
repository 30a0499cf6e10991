import ArgumentParser
import Foundation
import MetaLearning

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a saved model on a fresh test set of its family (frozen weights).")

    @OptionGroup var model: ModelOption

    @OptionGroup var seed: EvaluationSeedOption

    @Option(help: "Number of test sequences (default: the model's test-set size).")
    var sequences: Int?

    @Option(help: "Examples per sequence (default: the model's test length).")
    var length: Int?

    @OptionGroup var output: JSONOption

    func validate() throws {
        if let sequences, sequences < 1 { throw ValidationError("--sequences must be at least 1") }
        if let length, length < 1 { throw ValidationError("--length must be at least 1") }
    }

    func run() throws {
        do {
            let loaded = try model.load()
            let result = try loaded.evaluateOnFreshTestSet(seed: seed.seed, sequences: sequences, length: length)
            if output.json {
                print(String(data: try RunFolder.json(result), encoding: .utf8)!)
            } else {
                print(result.formatted)
            }
        } catch {
            throw failure(error)
        }
    }
}
