import ArgumentParser
import Foundation
import MetaLearning

struct StreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Run a trained model on one long stream whose function switches without notice (no reset).",
        discussion: """
            The test function changes every --switch-every steps and the network is never reset. \
            Reports, for the network, the oracle that resets it at every switch, any --also models \
            and recursive least squares with the best forgetting factor of 0.9, 0.95, 0.98, 0.99: \
            cumulative MSE, steady level and recovery time after a switch (steps until the 5-step \
            rolling squared error is at most twice the steady level). Writes stream.md, .csv \
            (per-step squared errors), .json and .svg (switches marked) to --out.

            Default --out: RUN/stream-<family>-every<T>.
            """)

    @OptionGroup var model: ModelOption

    @Option(name: .customLong("switch-every"), help: "Steps between function switches.")
    var switchEvery: Int

    @Option(help: "Steps in the stream.")
    var length: Int

    @Option(help: "Family of the stream (default: the model's); one of \(FamilyName.allValueStrings.joined(separator: ", ")).", transform: FamilyName.init(parsing:))
    var family: FamilyName?

    @Option(help: "Another model to run without reset on the same stream, e.g. one trained with --no-reset (repeatable).",
            transform: nonEmptyPath)
    var also: [String] = []

    @OptionGroup var seed: EvaluationSeedOption

    @OptionGroup var output: OutputFolderOption

    /// Rejects a bad stream shape before a model is loaded (the messages of ``SwitchingStream``).
    func validate() throws {
        guard switchEvery >= 1 else { throw ValidationError("--switch-every must be at least 1 (got \(switchEvery))") }
        guard length >= 1 else { throw ValidationError("--length must be at least 1 (got \(length))") }
    }

    func run() throws {
        do {
            let loaded = try model.load()
            let others = try also.map { (name: "\($0) (no reset)", model: try LoadedModel(path: $0)) }
            let familySpec = try transferredFamily(of: loaded, to: family)
            let report = try StreamReport(model: loaded, others: others, family: familySpec,
                                          switchEvery: switchEvery, length: length, seed: seed.seed)
            let folder: URL
            if let out = output.out {
                folder = URL(fileURLWithPath: out)
            } else {
                folder = model.runFolderURL.appendingPathComponent("stream-\((familySpec ?? loaded.configuration.family).name)-every\(switchEvery)")
            }
            try report.write(to: folder)
            print(report.markdown)
            print("\nwrote \(folder.path)/stream.{md,csv,json,svg}")
        } catch {
            throw failure(error)
        }
    }
}
