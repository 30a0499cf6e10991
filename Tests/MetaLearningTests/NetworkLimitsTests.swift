import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// Sizes that come from files or options are checked, without overflow, before they size
/// anything (crafted checkpoints of issue 12 items 1 and 3 among them).
final class NetworkLimitsTests: XCTestCase {
    /// Every registered architecture, at a few sizes.
    private func sampleArchitectures() throws -> [Architecture] {
        var result: [Architecture] = []
        for type in Architecture.registered {
            for dimension in [1, 2, 5] {
                result.append(Architecture(try type.configuration(inputDimension: dimension, sizes: NetworkSizeOptions())))
            }
        }
        result.append(.lstm1997(.paperTwoLayer))
        result.append(.lstm1997(.init(inputDimension: 3, layer: LSTMLayerShape(hiddenUnits: 0, blocks: 3, cellsPerBlock: 2),
                                      secondLayerUnits: 4)))
        result.append(.bptt(.init(inputDimension: 2, hiddenUnits: 7, truncation: 5)))
        return result
    }

    func testConfigurationWeightCountEqualsTheBuiltNetworksForEveryRegisteredArchitecture() throws {
        for architecture in try sampleArchitectures() {
            let network = try architecture.makeNetwork()
            XCTAssertEqual(architecture.configuration.weightCount, network.weightCount, "\(architecture)")
            XCTAssertEqual(network.weightStorage.count, network.weightCount, "\(architecture)")
        }
        XCTAssertEqual(Architecture.lstm1997(.paperSingleLayer).configuration.weightCount, 685)
        XCTAssertEqual(Architecture.lstm1997(.paperTwoLayer).configuration.weightCount, 5373)
    }

    func testSizesThatWrapOrExceedTheLimitsAreRejectedBeforeAllocation() {
        let huge = 1 << 62
        let configurations: [any NetworkConfiguration] = [
            LSTM1997Network.Configuration(layer: LSTMLayerShape(hiddenUnits: 0, blocks: huge, cellsPerBlock: 4)),
            LSTM1997Network.Configuration(layer: LSTMLayerShape(hiddenUnits: 1_000_000_000, blocks: 1, cellsPerBlock: 1)),
            LSTM1997Network.Configuration(layer: LSTMLayerShape(hiddenUnits: 6, blocks: 6, cellsPerBlock: 1), secondLayerUnits: huge),
            ForgetGateLSTMNetwork.Configuration(inputDimension: 2, cells: 2_000),
            ForgetGateLSTMNetwork.Configuration(inputDimension: huge, cells: 1),
            GRUNetwork.Configuration(inputDimension: 2, cells: huge),
            TruncatedBPTTNetwork.Configuration(inputDimension: 2, hiddenUnits: huge, truncation: 2),
            ElmanNetwork.Configuration(RecurrentBaselineConfiguration(inputDimension: 2, hiddenUnits: 10_000)),
            RTRLNetwork.Configuration(RecurrentBaselineConfiguration(inputDimension: 2, hiddenUnits: 600)),
        ]
        for configuration in configurations {
            XCTAssertThrowsError(try configuration.validate(), "\(configuration)") { error in
                XCTAssertTrue(error is ConfigurationError, "\(error)")
            }
            XCTAssertThrowsError(try configuration.makeNetwork(), "\(configuration)")
        }
        // The paper's largest nets pass.
        XCTAssertNoThrow(try LSTM1997Network.Configuration.paperTwoLayer.validate())
        XCTAssertNoThrow(try RTRLNetwork.Configuration(.paperRTRL).validate())
    }

    func testCraftedCheckpointWithWrappingSizesIsRejectedWithACheckpointError() throws {
        let folder = try temporaryFolder()
        let configuration = TrainingConfiguration(
            seed: 1, family: try FamilySpec(name: "b14"), architecture: .lstm1997(.paperSingleLayer),
            trainingSequences: 4, sequenceLength: 8, epochs: 1, learningRate: 0.01)
        let trainer = try MetaTrainer(configuration: configuration)
        let url = folder.appendingPathComponent("model.json")
        try trainer.checkpoint().write(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        let cases: [(String, String)] = [
            (#""blocks" : 6"#, #""blocks" : 4611686018427387904"#),  // 2^62: the size product wraps
            (#""hiddenUnits" : 6"#, #""hiddenUnits" : 1000000000"#),  // 10⁹ units: gigabytes
            (#""hiddenUnits" : 6"#, #""hiddenUnits" : 10000"#),       // fits the unit limit, not the weight limit
            (#""hiddenUnits" : 6"#, #""hiddenUnits" : 7"#),           // valid sizes, too few weights in the file
        ]
        for (original, crafted) in cases {
            XCTAssertTrue(text.contains(original), "the checkpoint's JSON layout changed: \(original)")
            try text.replacingOccurrences(of: original, with: crafted).write(to: url, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try Checkpoint.load(from: url), crafted) { error in
                XCTAssertTrue(error is CheckpointError, "\(crafted): \(error)")
            }
        }
    }

    func testCommandLineSizesOutsideTheLimitsAreOneLineErrors() {
        XCTAssertThrowsError(try Architecture.named("lstm-modern", inputDimension: 2, sizes: NetworkSizeOptions(cells: 1_000_000_000)))
        XCTAssertThrowsError(try Architecture.named("elman", inputDimension: 2, sizes: NetworkSizeOptions(hiddenUnits: -1))) { error in
            XCTAssertEqual("\(error)".split(separator: "\n").count, 1)
        }
        XCTAssertThrowsError(try Architecture.named("elman", inputDimension: 2, sizes: NetworkSizeOptions(cells: 3))) { error in
            XCTAssertTrue("\(error)".contains("--cells"), "\(error)")
        }
        XCTAssertThrowsError(try Architecture.named("transformer", inputDimension: 2)) { error in
            XCTAssertTrue("\(error)".contains("transformer"), "\(error)")
        }
    }

    func testDataSetSizesThatWrapOrExceedTheLimitAreRejected() throws {
        let family = try FamilySpec(name: "b14")
        var configuration = TrainingConfiguration(seed: 1, family: family, architecture: .lstm1997(.paperSingleLayer),
                                                  trainingSequences: 4, sequenceLength: 8, epochs: 1, learningRate: 0.01)
        XCTAssertNoThrow(try configuration.validate())
        configuration.testSequences = 1 << 62  // count·length·(d + 1) wraps to 0
        XCTAssertThrowsError(try configuration.validate()) { XCTAssertTrue("\($0)".contains("test set"), "\($0)") }
        configuration.testSequences = 4
        configuration.trainingSequences = 50_000_000
        XCTAssertThrowsError(try configuration.validate()) { XCTAssertTrue("\($0)".contains("training set"), "\($0)") }

        // Epochs whose sum overflows (it trapped in `totalEpochs`), or beyond 10⁹.
        configuration.trainingSequences = 4
        XCTAssertNoThrow(try configuration.validate())
        configuration.phases = [TrainingPhase(epochs: 1 << 62, length: 8), TrainingPhase(epochs: 1 << 62, length: 8)]
        XCTAssertEqual(configuration.totalEpochs, Int.max)
        XCTAssertThrowsError(try configuration.validate()) { XCTAssertTrue("\($0)".contains("at most 1000000000 epochs"), "\($0)") }
        configuration.phases = [TrainingPhase(epochs: TrainingConfiguration.maximumEpochs + 1, length: 8)]
        XCTAssertThrowsError(try configuration.validate())
        configuration.phases = [TrainingPhase(epochs: 1, length: 8)]

        XCTAssertThrowsError(try SequenceSet.checkSize(count: Int.max, length: Int.max, inputDimension: 2))
        XCTAssertThrowsError(try SequenceSet.checkSize(count: 0, length: 5, inputDimension: 2))
        XCTAssertNoThrow(try SequenceSet.checkSize(count: 128, length: 1000, inputDimension: 2))

        XCTAssertThrowsError(try SwitchingStream(family: family, switchEvery: 10, length: Int.max, seed: 1))
        // A switch period beyond the stream's length draws one segment as long as the stream.
        let stream = try SwitchingStream(family: family, switchEvery: Int.max, length: 10, seed: 1)
        XCTAssertEqual(stream.segments.count, 1)
        XCTAssertEqual(stream.segments.length, 10)
        XCTAssertEqual(stream.switchSteps, [])
        // ... with the same examples as a period equal to the length.
        let reference = try SwitchingStream(family: family, switchEvery: 10, length: 10, seed: 1)
        XCTAssertEqual(stream.segments.inputs, reference.segments.inputs)
        XCTAssertEqual(stream.segments.targets, reference.segments.targets)
    }
}
