import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// The trained models in `models/`: each loads as `eval`, `predict` and `compare` load it, and
/// re-evaluated on its run's own test set gives its summary's test MSEt bit for bit, which its
/// card prints. A model whose weights, family or test set drifted fails here.
final class ShippedModelTests: XCTestCase {
    private var modelsFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("models")
    }

    private func shippedModels() throws -> [URL] {
        let names = try FileManager.default.contentsOfDirectory(atPath: modelsFolder.path).sorted()
        return names.map { modelsFolder.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("model.json").path) }
    }

    func testEveryShippedModelReproducesItsSummaryOnItsOwnTestSet() throws {
        let models = try shippedModels()
        XCTAssertFalse(models.isEmpty, "models/ holds no model")
        for folder in models {
            let model = try LoadedModel(path: folder.path)
            let summary = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: folder.appendingPathComponent("summary.json")))
            XCTAssertEqual(model.epoch, summary.epochs, folder.lastPathComponent)
            let testSet = model.configuration.evaluationSequences(from: .runTestSet)
            let errors = model.network.errors(on: testSet, initialPreviousTarget: model.configuration.initialPreviousTarget)
            XCTAssertEqual(errors.meanSquaredErrorPerStep.bitPattern, summary.testMSEt.bitPattern,
                           "\(folder.lastPathComponent): \(errors.meanSquaredErrorPerStep) against \(summary.testMSEt)")
            let card = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
            let shown = summary.testMSEt >= 0.01 ? String(format: "%.4f", summary.testMSEt) : String(format: "%.2e", summary.testMSEt)
            XCTAssertTrue(card.contains("| test MSEt | \(shown) |"), "\(folder.lastPathComponent)'s card does not show \(shown)")
        }
    }
}
