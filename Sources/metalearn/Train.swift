import ArgumentParser
import Foundation
import MetaLearning

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Meta-train a network with explicit options (runs outside the presets).",
        discussion: "Example: metalearn train --family b14 --epochs 1000 --lr 0.003 --seed 1 --out runs/my-b14")

    @Option(help: "Function family: b14, b16, semil, quad.")
    var family: String = "b14"

    @Option(help: "Network architecture: lstm1997, elman, bptt or rtrl.")
    var arch: String = "lstm1997"

    @Option(help: "Training epochs.")
    var epochs: Int = 1000

    @Option(name: .customLong("lr"), help: "Learning rate alpha.")
    var learningRate: Double = 0.003

    @Option(help: "Master seed.")
    var seed: UInt64 = 1

    @Option(help: "Run folder (default runs/custom-<family>-seed<N>).")
    var out: String?

    @Option(name: [.customShort("K"), .customLong("sequences")], help: "Number of training sequences K.")
    var sequences: Int = 128

    @Option(name: [.customShort("J"), .customLong("length")], help: "Examples per sequence J.")
    var length: Int = 64

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
        guard let mode = UpdateMode(rawValue: update) else {
            throw ValidationError("--update must be online, batch or batch-epoch, not '\(update)'")
        }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--lr must be a positive number") }
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
                inputDimension: 2, layer: LSTMLayerShape(hiddenUnits: hidden ?? 6, blocks: blocks, cellsPerBlock: cellsPerBlock),
                secondLayerUnits: secondLayer))
        case "elman", "bptt", "rtrl":
            let units = hidden ?? ["elman": 15, "bptt": 20, "rtrl": 10][arch]!
            guard units >= 1 else { throw ValidationError("--hidden must be at least 1 for \(arch)") }
            switch arch {
            case "elman": architecture = .elman(.init(hiddenUnits: units))
            case "rtrl": architecture = .rtrl(.init(hiddenUnits: units))
            default: architecture = .bptt(.init(hiddenUnits: units, truncation: truncation ?? 2))
            }
        default:
            throw ValidationError("unknown --arch '\(arch)' (expected lstm1997, elman, bptt or rtrl)")
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
        let configuration: TrainingConfiguration
        do {
            configuration = TrainingConfiguration(
                seed: seed, family: try FamilySpec(name: family, sampler: sampler, inputRange: range),
                architecture: architecture, trainingSequences: sequences, sequenceLength: length,
                testSequences: testSequences, testLength: testLength, phases: phases, learningRate: learningRate,
                updateMode: mode, initialPreviousTarget: initialPreviousTarget, evaluationInterval: evalEvery)
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
