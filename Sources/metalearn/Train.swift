import ArgumentParser
import Foundation
import MetaLearning

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Meta-train a network with explicit options (runs outside the presets).",
        discussion: """
            Example: metalearn train --family b14 --epochs 1000 --lr 0.003 --seed 1 --out runs/my-b14
            Modern variant (docs/method.md §4.9: forget-gate LSTM, full BPTT, minibatch Adam, clipping):
              metalearn train --family b14 --arch lstm-modern --epochs 100 --batch-size 16 --lr 0.02
            Rerun a configuration, here with another seed (options given win over the file's fields):
              metalearn train --config runs/my-b14/config.json --seed 2 --out runs/my-b14-seed2
            """)

    @Option(help: """
        Rerun a configuration: a run folder's config.json (or model.json, or the folder), or a sweep's configs/NAME.json. \
        Options given beside it override its fields (an option given wins over the file, the file over any default). \
        With --out R the job is idempotent: a finished run in R is left alone (exit 0), an interrupted one resumes, \
        a different configuration in R is refused.
        """, transform: nonEmptyPath)
    var config: String?

    @Option(help: "Function family: \(FamilyName.allValueStrings.joined(separator: ", ")) (linreg: d-dimensional linear regression, ar2: AR(2) one-step prediction; default b14).", transform: FamilyName.init(parsing:))
    var family: FamilyName?

    @Option(help: "linreg only: dimension d of x (default 5); the network gets d + 1 inputs.")
    var dimension: Int?

    @Option(help: "ar2 only: probability in [0, 1) of new AR coefficients before each example (default 0).",
            transform: decimalOption)
    var switchProbability: Double?

    @Option(help: "Network architecture (default lstm1997; lstm-modern: forget-gate LSTM, gru: gated recurrent unit; both train with minibatch Adam).")
    var arch: ArchitectureName?

    @Option(help: "Training epochs (default 1000). With --resume: the run's new total, to extend a finished run.")
    var epochs: Int?

    @Option(name: .customLong("lr"),
            help: "Learning rate alpha (default \(TrainingConfiguration.defaultLearningRate); Adam's \(OptimizerSettings.defaultLearningRate) for lstm-modern and gru).",
            transform: decimalOption)
    var learningRate: Double?

    @Option(help: "Master seed (default 1).")
    var seed: UInt64?

    @Option(help: "Run folder (default runs/custom-<family>-seed<N>).", transform: nonEmptyPath)
    var out: String?

    @Option(name: [.customShort("K"), .customLong("sequences")], help: "Number of training sequences K (default \(TrainingConfiguration.defaultTrainingSequences)).")
    var sequences: Int?

    @Option(name: [.customShort("J"), .customLong("length")], help: "Examples per sequence J (default \(TrainingConfiguration.defaultSequenceLength); linreg 2d + 1).")
    var length: Int?

    @Option(help: "Number of test sequences (default K).")
    var testSequences: Int?

    @Option(help: "Examples per test sequence (default J).")
    var testLength: Int?

    @Option(help: """
        Hidden units: conventional units of the LSTM layer (default \(Defaults.lstm.layer.hiddenUnits)), or the baseline's hidden layer \
        (default elman \(Defaults.elman.hiddenUnits), bptt \(Defaults.bptt.hiddenUnits), rtrl \(Defaults.rtrl.hiddenUnits)).
        """)
    var hidden: Int?

    @Option(help: "bptt only: truncation depth H (error reaches the net inputs of H steps; H ≥ J is full BPTT).")
    var truncation: Int?

    @Option(help: "Memory blocks of the LSTM layer (default \(Defaults.lstm.layer.blocks)).")
    var blocks: Int?

    @Option(help: "Cells per memory block (default \(Defaults.lstm.layer.cellsPerBlock)).")
    var cellsPerBlock: Int?

    @Option(help: """
        lstm-modern and gru only: number of cells (lstm-modern default \(Defaults.modern.cells): \(Defaults.modern.weightCount) weights; \
        \(ForgetGateLSTMNetwork.Configuration.quadSized.cells) gives \(ForgetGateLSTMNetwork.Configuration.quadSized.weightCount)).
        """)
    var cells: Int?

    @Option(help: "Minibatch architectures only: sequences per minibatch (default \(OptimizerSettings.defaultBatchSize); the last minibatch of an epoch may be smaller).")
    var batchSize: Int?

    @Option(help: "Minibatch architectures only: clip the averaged gradient to this global norm (default \(OptimizerSettings.defaultClipNorm)).",
            transform: decimalOption)
    var clip: Double?

    @Option(help: "Units of a second sigmoid layer (0: single-layer net; the paper's quad net uses 40).")
    var secondLayer: Int?

    @Option(help: "Curriculum: epochs at a shorter length first, as EPOCHS:LENGTH (e.g. 5000:100); the remaining epochs run at J.")
    var curriculum: String?

    @Option(name: .customLong("y0"), help: "Previous-target input y(0) at the first step (default \(TrainingConfiguration.defaultInitialPreviousTarget)).",
            transform: decimalOption)
    var initialPreviousTarget: Double?

    @Option(help: "Boolean input sampler (default iid).")
    var sampler: BooleanInputSampler?

    @Option(help: "Input range of semil/quad: symmetric ([-1,1], the default) or unit ([0,1]).")
    var inputRange: InputRange?

    @Option(help: "Weight update (default online; batch: per sequence).")
    var update: UpdateMode?

    @Option(help: "Evaluate and checkpoint every N epochs (default epochs/100).")
    var evalEvery: Int?

    @Option(help: """
        Stop as diverged after N consecutive evaluations whose test MSEt is more than 10% worse than the \
        constant predictor's (default \(DivergenceRule.defaultPatience); 0: never). Also applies with --resume.
        """)
    var divergencePatience: Int?

    @Option(help: "Continue the run in this folder from its checkpoint; all other options (but --divergence-patience) are taken from it.",
            transform: nonEmptyPath)
    var resume: String?

    @Flag(help: "Start again even if the run folder already holds a run.")
    var overwrite = false

    @Flag(name: .customLong("no-reset"),
          help: "Train on one long stream: no reset between the sequences of an epoch, so the function switches without notice.")
    var noReset = false

    @Flag(help: "Train every epoch on K newly drawn functions instead of one fixed set of K (the test set stays fixed; docs/method.md §5.6).")
    var freshFunctions = false

    func validate() throws {
        if let divergencePatience, divergencePatience < 0 {
            throw ValidationError("--divergence-patience must be 0 (off) or a number of evaluations, not \(divergencePatience)")
        }
        if resume != nil {
            if config != nil { throw ValidationError("--resume and --config exclude each other") }
            return
        }
        if config != nil { return }
        _ = try makeConfiguration()
    }

    /// The options given on the command line (nil ones left out).
    var options: TrainingOptions {
        var options = TrainingOptions()
        options.set(.family, family?.name)
        options.set(.dimension, dimension)
        options.set(.switchProbability, switchProbability)
        options.set(.arch, arch?.name)
        options.set(.epochs, epochs)
        options.set(.lr, learningRate)
        options.setSeed(seed)
        options.set(.sequences, sequences)
        options.set(.length, length)
        options.set(.testSequences, testSequences)
        options.set(.testLength, testLength)
        options.set(.hidden, hidden)
        options.set(.truncation, truncation)
        options.set(.blocks, blocks)
        options.set(.cellsPerBlock, cellsPerBlock)
        options.set(.cells, cells)
        options.set(.batchSize, batchSize)
        options.set(.clip, clip)
        options.set(.secondLayer, secondLayer)
        options.set(.curriculum, curriculum)
        options.set(.y0, initialPreviousTarget)
        options.set(.sampler, sampler?.rawValue)
        options.set(.inputRange, inputRange?.rawValue)
        options.set(.update, update?.rawValue)
        options.set(.evalEvery, evalEvery)
        options.setFlag(.noReset, noReset)
        options.setFlag(.freshFunctions, freshFunctions)
        return options
    }

    func makeConfiguration() throws -> TrainingConfiguration {
        do {
            return try options.makeConfiguration()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        do {
            let request: RunRequest
            if let resume {
                let folder = RunFolder(url: URL(fileURLWithPath: resume))
                var configuration: TrainingConfiguration
                if FileManager.default.fileExists(atPath: folder.modelURL.path) {
                    configuration = try Checkpoint.load(from: folder.modelURL).configuration
                } else if FileManager.default.fileExists(atPath: folder.configURL.path) {
                    // Stopped before its first checkpoint: nothing was trained yet, so the run
                    // starts from its configuration (the same seed gives the same run).
                    configuration = try folder.readConfiguration()
                } else {
                    throw ValidationErrorLine(message: "cannot resume: \(folder.url.path) holds neither model.json nor config.json")
                }
                if let epochs {
                    guard epochs >= 1 else { throw ValidationErrorLine(message: "--epochs must be at least 1") }
                    configuration = try configuration.withTotalEpochs(epochs)
                }
                request = RunRequest(configuration: configuration, folder: folder, resume: true,
                                             divergencePatience: divergencePatience)
            } else if let config {
                let configuration = try options.applied(to: try ConfigurationFile.read(from: config))
                let folder = RunFolder(url: URL(fileURLWithPath: out ?? Self.defaultFolder(for: configuration)))
                if overwrite {
                    request = RunRequest(configuration: configuration, folder: folder, resume: false,
                                             divergencePatience: divergencePatience)
                } else {
                    switch try RunJob.decide(configuration: configuration, folder: folder) {
                    case .finished(let epochs):
                        print("\(folder.url.path): finished (\(epochs) of \(epochs) epochs); nothing to do")
                        return
                    case .resume(let epoch, let total):
                        printError("\(folder.url.path): resuming at epoch \(epoch) of \(total)")
                        request = RunRequest(configuration: configuration, folder: folder, resume: true,
                                             divergencePatience: divergencePatience)
                    case .start:
                        request = RunRequest(configuration: configuration, folder: folder, resume: true,
                                             divergencePatience: divergencePatience)
                    }
                }
            } else {
                let configuration = try makeConfiguration()
                request = RunRequest(configuration: configuration, folder: RunFolder(url: URL(fileURLWithPath: out ?? Self.defaultFolder(for: configuration))), resume: false,
                                     divergencePatience: divergencePatience)
            }
            let hint = config != nil ? "the same command (it resumes the run from its checkpoint)"
                : "metalearn train --resume \(request.folder.url.path)"
            let summaries = try runAll([request], overwrite: overwrite, jobs: 1, continueHint: hint)
            print(ReproductionReport.table(for: summaries), terminator: "")
        } catch {
            throw failure(error)
        }
    }

    /// `runs/custom-<family>-seed<N>`, or `runs/<preset>-seed<N>` for a preset's configuration.
    static func defaultFolder(for configuration: TrainingConfiguration) -> String {
        let stem = configuration.preset == "custom" ? "custom-\(configuration.family.name)" : configuration.preset
        return "runs/\(stem)-seed\(configuration.seed)"
    }
}

/// The library's sizes that `train` uses when an option is not given.
private enum Defaults {
    /// The paper's single-layer LSTM, 6/6(1).
    static let lstm = LSTM1997Network.Configuration.paperSingleLayer
    /// The paper's Elman net, 15 hidden units.
    static let elman = RecurrentBaselineConfiguration.paperElman
    /// The paper's BPTT(2) net, 20 hidden units.
    static let bptt = TruncatedBPTTNetwork.Configuration.paperBPTT2
    /// The paper's RTRL net, 10 hidden units.
    static let rtrl = RecurrentBaselineConfiguration.paperRTRL
    /// The forget-gate LSTM matched to the paper's 685 weights, 11 cells.
    static let modern = ForgetGateLSTMNetwork.Configuration.paperSized
}
