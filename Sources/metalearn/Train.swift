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
            """)

    @Option(help: "Function family: \(FamilyName.allValueStrings.joined(separator: ", ")) (linreg: d-dimensional linear regression, ar2: AR(2) one-step prediction; default b14).", transform: FamilyName.init(parsing:))
    var family: FamilyName = FamilyName(argument: "b14")!

    @Option(help: "linreg only: dimension d of x (default 5); the network gets d + 1 inputs.")
    var dimension: Int?

    @Option(help: "ar2 only: probability in [0, 1) of new AR coefficients before each example (default 0).",
            transform: decimalOption)
    var switchProbability: Double?

    @Option(help: "Network architecture (lstm-modern: forget-gate LSTM, gru: gated recurrent unit; both train with minibatch Adam).")
    var arch: ArchitectureName = ArchitectureName(argument: LSTM1997Network.Configuration.architectureName)!

    @Option(help: "Training epochs (default \(Train.defaultEpochs)). With --resume: the run's new total, to extend a finished run.")
    var epochs: Int?

    /// Epochs when --epochs is not given.
    static let defaultEpochs = 1000

    @Option(name: .customLong("lr"),
            help: "Learning rate alpha (default \(TrainingConfiguration.defaultLearningRate); Adam's \(OptimizerSettings.defaultLearningRate) for lstm-modern and gru).",
            transform: decimalOption)
    var learningRate: Double?

    @Option(help: "Master seed.")
    var seed: UInt64 = 1

    @Option(help: "Run folder (default runs/custom-<family>-seed<N>).", transform: nonEmptyPath)
    var out: String?

    @Option(name: [.customShort("K"), .customLong("sequences")], help: "Number of training sequences K.")
    var sequences: Int = TrainingConfiguration.defaultTrainingSequences

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

    @Option(name: .customLong("y0"), help: "Previous-target input y(0) at the first step.", transform: decimalOption)
    var initialPreviousTarget: Double = TrainingConfiguration.defaultInitialPreviousTarget

    @Option(help: "Boolean input sampler.")
    var sampler: BooleanInputSampler = .iid

    @Option(help: "Input range of semil/quad: symmetric ([-1,1]) or unit ([0,1]).")
    var inputRange: InputRange = .symmetric

    @Option(help: "Weight update: online, batch (per sequence) or batch-epoch.")
    var update: UpdateMode = .online

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
        if resume != nil { return }
        _ = try makeConfiguration()
    }

    func makeConfiguration() throws -> TrainingConfiguration {
        let familySpec: FamilySpec
        do {
            familySpec = try FamilySpec(name: family.name, sampler: sampler, inputRange: inputRange,
                                        dimension: dimension, switchProbability: switchProbability)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let functionFamily = familySpec.makeFamily()
        let inputDimension = functionFamily.inputDimension
        let length = self.length ?? functionFamily.defaultSequenceLength
        let epochs = self.epochs ?? Self.defaultEpochs
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
        let architecture: Architecture
        do {
            let sizes = NetworkSizeOptions(hiddenUnits: hidden, blocks: blocks, cellsPerBlock: cellsPerBlock,
                                           secondLayerUnits: secondLayer, cells: cells, truncation: truncation)
            architecture = try Architecture.named(arch.name, inputDimension: inputDimension, sizes: sizes)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let defaults = architecture.trainingDefaults
        let learningRate = self.learningRate ?? defaults.learningRate
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--lr must be a positive number") }
        var optimizer: OptimizerSettings?
        if defaults.requiresOptimizer {
            let batchSize = self.batchSize ?? OptimizerSettings.defaultBatchSize
            guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, not \(batchSize)") }
            let clip = self.clip ?? OptimizerSettings.defaultClipNorm
            guard clip > 0, clip.isFinite else { throw ValidationError("--clip must be a positive number, not \(clip)") }
            optimizer = OptimizerSettings(batchSize: batchSize, clipNorm: clip)
        } else {
            for (name, given) in [("--batch-size", batchSize != nil), ("--clip", clip != nil)] where given {
                throw ValidationError("\(name) applies to architectures trained with minibatch Adam only, not to --arch \(arch)")
            }
        }
        var phases = [TrainingPhase(epochs: epochs, length: length)]
        if let curriculum {
            let parts = curriculum.split(separator: ":")
            guard parts.count == 2, let first = Int(parts[0]), let short = Int(parts[1]), first >= 1, first < epochs,
                  short >= 1, short <= length else {
                throw ValidationError("--curriculum must be EPOCHS:LENGTH with EPOCHS < --epochs and LENGTH ≤ J, not '\(curriculum)'")
            }
            phases = [TrainingPhase(epochs: first, length: short), TrainingPhase(epochs: epochs - first, length: length)]
        }
        var configuration: TrainingConfiguration
        do {
            configuration = TrainingConfiguration(
                seed: seed, family: familySpec,
                architecture: architecture, trainingSequences: sequences, sequenceLength: length,
                testSequences: testSequences, testLength: testLength, phases: phases, learningRate: learningRate,
                updateMode: update, initialPreviousTarget: initialPreviousTarget, evaluationInterval: evalEvery,
                optimizer: optimizer)
            if noReset { configuration.trainsWithoutReset = true }
            if freshFunctions { configuration.trainsOnFreshFunctions = true }
            if let divergencePatience { configuration.divergencePatience = divergencePatience }
            try configuration.validate()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        return configuration
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
            } else {
                let configuration = try makeConfiguration()
                let path = out ?? "runs/custom-\(configuration.family.name)-seed\(seed)"
                request = RunRequest(configuration: configuration, folder: RunFolder(url: URL(fileURLWithPath: path)), resume: false)
            }
            let summaries = try runAll([request], overwrite: overwrite, jobs: 1,
                                       continueHint: "metalearn train --resume \(request.folder.url.path)")
            print(ReproductionReport.table(for: summaries), terminator: "")
        } catch {
            throw failure(error)
        }
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
