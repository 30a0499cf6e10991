import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// The code of the DocC article "Train and predict from Swift"
/// (`Sources/MetaLearning/MetaLearning.docc/TrainAndPredict.md`), compiled and run here; a
/// second test checks that every code block of the article appears in this file line for line,
/// so that neither can change without the other.
final class DocCArticleTests: XCTestCase {
    static let articlePath = "Sources/MetaLearning/MetaLearning.docc/TrainAndPredict.md"

    /// The article's code, in its order, run in a temporary folder (it writes relative paths).
    /// Its 100 epochs take about 4 s in a release build and minutes unoptimised, so a debug
    /// build runs it only with `DOCC_ARTICLE=1` (it always compiles).
    func testTheArticlesCodeRuns() throws {
        #if DEBUG
        guard ProcessInfo.processInfo.environment["DOCC_ARTICLE"] == "1" else {
            throw XCTSkip("runs in release builds (swift test -c release); set DOCC_ARTICLE=1 to run it unoptimised")
        }
        #endif
        let workingFolder = try temporaryFolder()
        let previousFolder = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(workingFolder.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previousFolder) }

        // MARK: Configure a run
        let configuration = TrainingConfiguration(
            seed: 1, family: try FamilySpec(name: "b14"), architecture: .lstmModern(.paperSized),
            trainingSequences: 128, sequenceLength: 64, epochs: 100, learningRate: 0.02,
            optimizer: OptimizerSettings(batchSize: 16))

        // MARK: Train
        let trainer = try MetaTrainer(configuration: configuration)
        let folder = RunFolder(url: URL(fileURLWithPath: "runs/b14-from-swift"))
        let outcome = try TrainingSession(trainer: trainer, folder: folder).run()
        if case .finished(let summary) = outcome {
            print("test MSEt \(summary.testMSEt), Bayes-optimal \(summary.bayesMSEt ?? .nan)")
        }

        guard case .finished(let summary) = outcome else { return XCTFail("the run did not finish: \(outcome)") }
        XCTAssertLessThan(summary.testMSEt, 0.05, "near the paper's 0.038 after 100 epochs")
        XCTAssertTrue(FileManager.default.fileExists(atPath: workingFolder.appendingPathComponent("runs/b14-from-swift/model.json").path))

        // MARK: Let the network learn a new function
        let model = try LoadedModel(path: folder.url.path)
        let network = model.network
        network.reset()
        var previousTarget = model.configuration.initialPreviousTarget
        let orExamples: [([Double], Double)] = [([0, 1], 1), ([1, 1], 1), ([0, 0], 0), ([1, 0], 1), ([0, 0], 0), ([0, 1], 1)]
        for (x, y) in orExamples {
            let prediction = network.step(x + [previousTarget])
            print("x = \(x): predicted \(prediction), then shown y = \(y)")
            previousTarget = y
        }

        // MARK: Predict a table
        let table = try ExampleTable.parse("""
            sequence,x1,x2,y
            and,1,1,1
            and,0,1,0
            and,1,0,0
            and,1,1,1
            """, expectedInputDimension: 2, source: "inline")
        let predictions = model.predict(table)
        print(ExampleTable.formatPredictions(table: table, predictions: predictions))

        XCTAssertEqual(predictions.count, 4)
        XCTAssertBitIdentical(model.network.weightValues, trainer.network.weightValues)

        // MARK: Export the weights
        let export = try WeightExport(model: model)
        for tensor in export.tensors {
            print(tensor.name, tensor.shape)
        }
        try export.write(to: URL(fileURLWithPath: "b14.safetensors"), format: .safetensors)
        try export.write(to: URL(fileURLWithPath: "b14.npz"), format: .npz)

        XCTAssertEqual(export.tensors.map(\.name),
                       ["lstm.input_gate", "lstm.forget_gate", "lstm.output_gate", "lstm.cell_input", "output.weights", "output.bias"])
        for name in ["b14.safetensors", "b14.npz"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: workingFolder.appendingPathComponent(name).path), name)
        }
    }

    /// Every line of every `swift` code block of the article, in order and without gaps
    /// within a block, is a line of this file (leading and trailing spaces aside).
    func testTheArticlesCodeBlocksAreTheCodeThatRuns() throws {
        let article = try String(contentsOf: packageRoot().appendingPathComponent(Self.articlePath), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: "\(#filePath)"), encoding: .utf8)
        let sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var blocks: [[String]] = [], current: [String]?
        for line in article.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil, trimmed == "```swift" {
                current = []
            } else if current != nil, trimmed == "```" {
                blocks.append(current!)
                current = nil
            } else if current != nil {
                current!.append(trimmed)
            }
        }
        XCTAssertNil(current, "an unterminated code block")
        XCTAssertEqual(blocks.count, 5, "the article's five steps")
        var searchFrom = 0
        for block in blocks {
            let lines = block.filter { !$0.isEmpty }
            guard let start = (searchFrom..<sourceLines.count).first(where: { start in
                start + lines.count <= sourceLines.count && Array(sourceLines[start..<start + lines.count]) == lines
            }) else {
                XCTFail("this block of the article is not in DocCArticleTests.swift (in order):\n\(lines.joined(separator: "\n"))")
                continue
            }
            searchFrom = start + lines.count
        }
    }
}
