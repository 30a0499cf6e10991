import ArgumentParser
import Foundation
import MetaLearning

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a trained model beside classical online learners on identical fresh test streams.",
        discussion: """
            Every learner and the network see the same held-out functions, reset at each, with \
            (x(j), y(j-1)) at example j. Prints a table (MSEt, examples-to-criterion T(θ) on the mean \
            and median curves, mean error at chosen positions, where a learner beats the network) and \
            writes comparison.md, .csv, .json and .svg (log scale) to --out.

            Distribution shift: --length 2J runs sequences twice as long as in training; --family \
            b16 runs a B14-trained model on B16 functions (family transfer).

            Learners: bayes (Boolean families), rls-basis (semil, quad: least squares on the true basis), \
            rls-raw[:λ] (least squares on (x, 1), forgetting λ), nlms[:μ], knn[:k], mean.

            Default --out: RUN/compare-<family>-J<length>.
            """)

    @OptionGroup var model: ModelOption

    @Option(help: "Comma-separated learners, e.g. rls-raw,knn:5,mean (default: every learner that applies to the family).")
    var learners: String?

    @Option(help: "Held-out functions (sequences).")
    var functions: Int = 1000

    @Option(help: "Examples per sequence (default: the model's test length).")
    var length: Int?

    @Option(help: "Family of the test functions (default: the model's own; another one checks transfer); one of \(FamilyName.allValueStrings.joined(separator: ", ")).", transform: FamilyName.init(parsing:))
    var family: FamilyName?

    @OptionGroup var seed: EvaluationSeedOption

    @Option(help: "Criterion θ of examples-to-criterion T(θ).", transform: decimalOption)
    var threshold: Double = 0.01

    @Option(help: "Bootstrap resamples of the 90% bands.")
    var bootstrap: Int = 1000

    @OptionGroup var output: OutputFolderOption

    /// Rejects bad learners and option values before a model is loaded.
    func validate() throws {
        do {
            _ = try chosenLearners()
            try options(family: nil).validate()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    /// `--learners` parsed, or nil for every learner that applies.
    /// - Throws: ``ConfigurationError`` for an empty entry, an unknown learner or one listed twice.
    private func chosenLearners() throws -> [LearnerSpec]? {
        try learners.map { list in
            let names = list.split(separator: ",", omittingEmptySubsequences: false)
                .map { String($0).trimmingCharacters(in: .whitespaces) }
            guard !names.contains(where: \.isEmpty) else {
                throw ConfigurationError.invalid("--learners lists an empty learner name (give e.g. rls-raw,knn:5,mean)")
            }
            let specs = try names.map { try LearnerSpec(parsing: $0) }
            try LearnerSpec.checkDistinct(specs)
            return specs
        }
    }

    private func options(family: FamilySpec?) -> LearnerComparison.Options {
        LearnerComparison.Options(functions: functions, length: length, family: family, seed: seed.seed,
                                  threshold: threshold, bootstrapResamples: bootstrap)
    }

    func run() throws {
        do {
            let loaded = try model.load()
            let chosen = try chosenLearners()
            let options = options(family: try transferredFamily(of: loaded, to: family))
            let comparison = try LearnerComparison(model: loaded, learners: chosen, options: options)
            let result = try comparison.run()
            let folder = output.out.map { URL(fileURLWithPath: $0) } ?? defaultFolder(comparison)
            try result.write(to: folder)
            print(result.markdown)
            print("\nwrote \(folder.path)/comparison.{md,csv,json,svg}")
        } catch {
            throw failure(error)
        }
    }

    private func defaultFolder(_ comparison: LearnerComparison) -> URL {
        model.runFolderURL.appendingPathComponent("compare-\(comparison.family.name)-J\(comparison.length)")
    }
}
