import ArgumentParser
import Foundation
import MetaLearning

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Meta-train a network with explicit options (runs outside the presets).",
        discussion: """
            Example: metalearn train --family b14 --epochs 1000 --lr 0.003 --seed 1 --out runs/my-b14
            Modern variant (SPEC §8: forget-gate LSTM, full BPTT, minibatch Adam, clipping):
              metalearn train --family b14 --arch lstm-modern --epochs 100 --batch-size 16 --lr 0.02
            """)

    @Option(help: "Function family: b14, b16, semil, quad, linreg (d-dimensional linear regression) or ar2 (AR(2) one-step prediction).")
    var family: String = "b14"

    @Option(help: "linreg only: dimension d of x (default 5); the network gets d + 1 inputs.")
    var dimension: Int?

    @Option(help: "ar2 only: probability in [0, 1) of new AR coefficients before each example (default 0).")
    var switchProbability: Double?

    @Option(help: "Network architecture: lstm1997, elman, bptt, rtrl or lstm-modern (forget-gate LSTM, minibatch Adam).")
    var arch: String = "lstm1997"

    @Option(help: "Training epochs.")
    var epochs: Int = 1000

    @Option(name: .customLong("lr"), help: "Learning rate alpha (default 0.003; Adam's 0.001 for lstm-modern).")
    var learningRate: Double?

    @Option(help: "Master seed.")
    var seed: UInt64 = 1

    @Option(help: "Run folder (default runs/custom-<family>-seed<N>).")
    var out: String?

    @Option(name: [.customShort("K"), .customLong("sequences")], help: "Number of training sequences K.")
    var sequences: Int = 128

    @Option(name: [.customShort("J"), .customLong("length")], help: "Examples per sequence J (default 64; linreg 2d + 1).")
    var length: Int?

    @Option(help: "Number of test sequences (default K).")
    var testSequences: Int?

    @Option(help: "Examples per test sequence (default J).")
    var testLength: Int?

    @Option(help: "Hidden units: conventional units of the LSTM layer (default 6), or the baseline's hidden layer (default elman 15, bptt 20, rtrl 10).")
    var hidden: Int?

    @Option(help: "bptt only: truncation depth H (error reaches the net inputs of H steps; H ≥ J is full BPTT).")
    var truncation: Int?

    @Option(help: "Memory blocks of the LSTM layer.")
    var blocks: Int = 6

    @Option(help: "Cells per memory block.")
    var cellsPerBlock: Int = 1

    @Option(help: "lstm-modern only: number of forget-gate LSTM cells (default 11: 672 weights; 35 gives 5496).")
    var cells: Int?

    @Option(help: "lstm-modern only: sequences per minibatch (default 16; the last minibatch of an epoch may be smaller).")
    var batchSize: Int?

    @Option(help: "lstm-modern only: clip the averaged gradient to this global norm (default 1.0).")
    var clip: Double?

    @Option(help: "Units of a second sigmoid layer (0: single-layer net; the paper's quad net uses 40).")
    var secondLayer: Int = 0

    @Option(help: "Curriculum: epochs at a shorter length first, as EPOCHS:LENGTH (e.g. 5000:100); the remaining epochs run at J.")
    var curriculum: String?

    @Option(name: .customLong("y0"), help: "Previous-target input y(0) at the first step.")
    var initialPreviousTarget: Double = 0.5

    @Option(help: "Boolean input sampler: iid or blocks.")
    var sampler: String = "iid"

    @Option(help: "Input range of semil/quad: symmetric ([-1,1]) or unit ([0,1]).")
    var inputRange: String = "symmetric"

    @Option(help: "Weight update: online, batch (per sequence) or batch-epoch.")
    var update: String = "online"

    @Option(help: "Evaluate and checkpoint every N epochs (default epochs/100).")
    var evalEvery: Int?

    @Option(help: "Continue the run in this folder from its checkpoint; all other options are taken from it.")
    var resume: String?

    @Flag(help: "Start again even if the run folder already holds a run.")
    var overwrite = false

    @Flag(name: .customLong("no-reset"),
          help: "Train on one long stream: no reset between the sequences of an epoch, so the function switches without notice.")
    var noReset = false

    func validate() throws {
        if resume != nil { return }
        _ = try makeConfiguration()
    }

    func makeConfiguration() throws -> TrainingConfiguration {
        guard let sampler = BooleanInputSampler(rawValue: sampler) else {
            throw ValidationError("--sampler must be iid or blocks, not '\(self.sampler)'")
        }
        guard let range = InputRange(rawValue: inputRange) else {
            throw ValidationError("--input-range must be symmetric or unit, not '\(inputRange)'")
        }
        let familySpec: FamilySpec
        do {
            familySpec = try FamilySpec(name: family, sampler: sampler, inputRange: range,
                                        dimension: dimension, switchProbability: switchProbability)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let functionFamily = familySpec.makeFamily()
        let inputDimension = functionFamily.inputDimension
        let length = self.length ?? functionFamily.defaultSequenceLength
        guard let mode = UpdateMode(rawValue: update) else {
            throw ValidationError("--update must be online, batch or batch-epoch, not '\(update)'")
        }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
        let learningRate = self.learningRate ?? (arch == "lstm-modern" ? 0.001 : 0.003)
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--lr must be a positive number") }
        if arch != "lstm-modern" {
            for (name, given) in [("--cells", cells != nil), ("--batch-size", batchSize != nil), ("--clip", clip != nil)] where given {
                throw ValidationError("\(name) applies to --arch lstm-modern only")
            }
        }
        var optimizer: OptimizerSettings?
        if let truncation {
            guard arch == "bptt" else { throw ValidationError("--truncation applies to --arch bptt only") }
            guard truncation >= 1 else { throw ValidationError("--truncation must be at least 1, not \(truncation)") }
        }
        let architecture: Architecture
        switch arch {
        case "lstm1997":
            guard (hidden ?? 6) >= 0, blocks >= 1, cellsPerBlock >= 1, secondLayer >= 0 else {
                throw ValidationError("--hidden ≥ 0, --blocks ≥ 1, --cells-per-block ≥ 1 and --second-layer ≥ 0 are required")
            }
            architecture = .lstm1997(.init(
                inputDimension: inputDimension, layer: LSTMLayerShape(hiddenUnits: hidden ?? 6, blocks: blocks, cellsPerBlock: cellsPerBlock),
                secondLayerUnits: secondLayer))
        case "elman", "bptt", "rtrl":
            let units = hidden ?? ["elman": 15, "bptt": 20, "rtrl": 10][arch]!
            guard units >= 1 else { throw ValidationError("--hidden must be at least 1 for \(arch)") }
            switch arch {
            case "elman": architecture = .elman(.init(inputDimension: inputDimension, hiddenUnits: units))
            case "rtrl": architecture = .rtrl(.init(inputDimension: inputDimension, hiddenUnits: units))
            default: architecture = .bptt(.init(inputDimension: inputDimension, hiddenUnits: units, truncation: truncation ?? 2))
            }
        case "lstm-modern":
            let cells = self.cells ?? 11
            guard cells >= 1 else { throw ValidationError("--cells must be at least 1, not \(cells)") }
            let batchSize = self.batchSize ?? 16
            guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, not \(batchSize)") }
            let clip = self.clip ?? 1.0
            guard clip > 0, clip.isFinite else { throw ValidationError("--clip must be a positive number, not \(clip)") }
            architecture = .lstmModern(.init(inputDimension: inputDimension, cells: cells))
            optimizer = OptimizerSettings(batchSize: batchSize, clipNorm: clip)
        default:
            throw ValidationError("unknown --arch '\(arch)' (expected lstm1997, elman, bptt, rtrl or lstm-modern)")
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
                updateMode: mode, initialPreviousTarget: initialPreviousTarget, evaluationInterval: evalEvery,
                optimizer: optimizer)
            if noReset { configuration.trainsWithoutReset = true }
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
                guard FileManager.default.fileExists(atPath: folder.modelURL.path) else {
                    throw ValidationErrorLine(message: "cannot resume: \(folder.modelURL.path) does not exist")
                }
                let checkpoint = try Checkpoint.load(from: folder.modelURL)
                request = RunRequest(configuration: checkpoint.configuration, folder: folder, resume: true)
            } else {
                let configuration = try makeConfiguration()
                let path = out ?? "runs/custom-\(configuration.family.name)-seed\(seed)"
                request = RunRequest(configuration: configuration, folder: RunFolder(url: URL(fileURLWithPath: path)), resume: false)
            }
            let summaries = try runAll([request], overwrite: overwrite, jobs: 1)
            print(ReproductionReport.table(for: summaries), terminator: "")
        } catch {
            throw failure(error)
        }
    }
}
