import Foundation
import MetaLearning
import MetaLearningTestSupport
import XCTest

/// Divergence is caught before NaN: a weight bound for runs and checkpoints, a run whose test
/// error stays worse than the constant predictor's stops, and predict/eval never report NaN
/// (docs/reliability.md, "Divergence").
final class DivergenceTests: XCTestCase {
    private func configuration(rate: Double, epochs: Int = 40, family: String = "b14", sequences: Int = 16,
                               length: Int = 16, patience: Int? = nil) throws -> TrainingConfiguration {
        let familySpec = try FamilySpec(name: family)
        var configuration = TrainingConfiguration(
            seed: 1, family: familySpec,
            architecture: try Architecture.named("lstm1997", inputDimension: familySpec.makeFamily().inputDimension),
            trainingSequences: sequences, sequenceLength: length, epochs: epochs, learningRate: rate, evaluationInterval: 1)
        configuration.divergencePatience = patience
        return configuration
    }

    private func session(_ configuration: TrainingConfiguration) throws -> (TrainingSession, RunFolder) {
        let folder = RunFolder(url: try temporaryFolder().appendingPathComponent("run"))
        return (TrainingSession(trainer: try MetaTrainer(configuration: configuration), folder: folder), folder)
    }

    func testRunWhoseTestErrorStaysWorseThanTheConstantPredictorStopsAsDivergedKeepingTheLastCheckpoint() throws {
        // α = 1000: the net saturates at once and its test MSEt stays about twice the constant
        // predictor's; before the check the run finished "successfully".
        let (session, folder) = try session(try configuration(rate: 1e3))
        guard case .diverged(let summary, let divergence) = try session.run() else { return XCTFail("the run must diverge") }
        let patience = DivergenceRule.defaultPatience
        guard case .worseThanConstantPredictor(let evaluations, let testMSEt, let constant) = divergence.cause else {
            return XCTFail("\(divergence)")
        }
        XCTAssertEqual(evaluations, patience)
        XCTAssertGreaterThan(testMSEt, constant * (1 + DivergenceRule.tolerance))
        XCTAssertEqual(divergence.epoch, patience, "one evaluation per epoch")
        XCTAssertEqual("\(divergence)".split(separator: "\n").count, 1)
        XCTAssertTrue("\(divergence)".contains("diverged"))

        // The diverging state is not saved: model.json and metrics.csv hold the evaluation before it.
        let kept = try Checkpoint.load(from: folder.modelURL)
        XCTAssertEqual(kept.epoch, patience - 1)
        XCTAssertEqual(try folder.readMetrics().map(\.epoch), Array(1..<patience))
        XCTAssertEqual(summary.epochs, patience - 1)
        XCTAssertEqual(summary.divergence, divergence.description)
        let written = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: folder.summaryURL))
        XCTAssertEqual(written.divergence, divergence.description, "summary.json says diverged")
        XCTAssertTrue(ReproductionReport.table(for: [summary]).contains("DIVERGED"), "the report says diverged")
        XCTAssertEqual(try RunCollection.gather([folder.url.path]).runs.map(\.status), [.diverged], "collect says diverged")
    }

    func testDivergencePatienceZeroTurnsTheCheckOff() throws {
        let (session, _) = try session(try configuration(rate: 1e3, epochs: 14, patience: 0))
        guard case .finished(let summary) = try session.run() else { return XCTFail("patience 0 must train on") }
        XCTAssertNil(summary.divergence)
        XCTAssertGreaterThan(summary.testMSEt, summary.constantPredictorMSEt * 1.5)
    }

    func testWeightsLeavingTheBoundStopTrainingAsDivergedBeforeAnyCheckpoint() throws {
        // α = 1e308 drove weights to 2e307 and saved them as a success.
        let (session, folder) = try session(try configuration(rate: 1e308, epochs: 3))
        guard case .diverged(let summary, let divergence) = try session.run() else { return XCTFail("the run must diverge") }
        guard case .weightOutOfBound(_, let value) = divergence.cause else { return XCTFail("\(divergence)") }
        XCTAssertFalse(abs(value) <= DivergenceRule.weightBound)
        XCTAssertEqual(divergence.epoch, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.modelURL.path), "no checkpoint of diverged weights")
        XCTAssertEqual(summary.epochs, 0, "the summary is that of the initial state")
        XCTAssertNotNil(summary.divergence)
    }

    func testCheckpointWithAWeightBeyondTheBoundIsACorruptFile() throws {
        let (session, folder) = try session(try configuration(rate: 0.01, epochs: 2))
        guard case .finished = try session.run() else { return XCTFail("the run must finish") }
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.modelURL)) as! [String: Any]
        var weights = json["weights"] as! [Double]
        weights[3] = DivergenceRule.weightBound
        json["weights"] = weights
        try JSONSerialization.data(withJSONObject: json).write(to: folder.modelURL)
        XCTAssertNoThrow(try Checkpoint.load(from: folder.modelURL), "the bound itself is allowed")

        weights[3] = 1e200
        json["weights"] = weights
        try JSONSerialization.data(withJSONObject: json).write(to: folder.modelURL)
        for load in [{ _ = try Checkpoint.load(from: folder.modelURL) }, { _ = try LoadedModel(path: folder.url.path) }] {
            XCTAssertThrowsError(try load()) { error in
                guard case CheckpointError.invalidField(let detail) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(detail.contains("weight 3") && detail.contains("1e+200"), detail)
            }
        }
    }

    func testTheB14PresetsEarlyPlateauIsNotDivergence() throws {
        // The B14 preset (smoke budget: one evaluation per epoch) starts near the constant
        // predictor and plateaus at about 0.20 against its 0.25 for a while.
        var configuration = try Preset.named("b14").configure(1, .smoke)
        configuration.phases = [TrainingPhase(epochs: 25, length: configuration.sequenceLength)]
        configuration.evaluationInterval = 1
        let trainer = try MetaTrainer(configuration: configuration)
        XCTAssertEqual(trainer.constantPredictorMSEt, 0.25, accuracy: 0.01)
        while !trainer.isFinished {
            try trainer.runEpoch()
            let record = trainer.evaluate()
            XCTAssertFalse(DivergenceRule.isWorseThanConstant(testMSEt: record.testMSEt, constant: trainer.constantPredictorMSEt),
                           "epoch \(record.epoch): \(record.testMSEt)")
            XCTAssertNil(trainer.divergenceShownByHistory())
        }
    }

    func testNetsOnTheConstantPredictorsLevelAreNotDiverging() throws {
        // linreg nets sit a hair above the constant predictor for many evaluations (1.0002–1.002
        // times it): not learnt yet, but not diverging either.
        let configuration = try configuration(rate: 0.003, epochs: DivergenceRule.defaultPatience + 4, family: "linreg",
                                              sequences: 128, length: 11)
        let trainer = try MetaTrainer(configuration: configuration)
        var strictlyAbove = 0
        while !trainer.isFinished {
            try trainer.runEpoch()
            if trainer.evaluate().testMSEt > trainer.constantPredictorMSEt { strictlyAbove += 1 }
            XCTAssertNil(trainer.divergenceShownByHistory())
        }
        XCTAssertGreaterThan(strictlyAbove, DivergenceRule.defaultPatience, "the plateau lies above the constant predictor")
        XCTAssertFalse(DivergenceRule.isWorseThanConstant(testMSEt: 0.01002, constant: 0.01))
        XCTAssertTrue(DivergenceRule.isWorseThanConstant(testMSEt: 0.0111, constant: 0.01))
        XCTAssertTrue(DivergenceRule.isWorseThanConstant(testMSEt: .nan, constant: 0.01))
    }

    func testPredictionsAndEvaluationsThatAreNotFiniteAreErrorsNotResults() throws {
        let table = ExampleTable(sequenceIDs: ["a", "a"], inputs: [0, 1, 1, 0], targets: [1, 0], inputDimension: 2,
                                 source: "data.csv")
        XCTAssertNoThrow(try ExampleTable.checkPredictions([0.5, 0.25], for: table))
        XCTAssertThrowsError(try ExampleTable.checkPredictions([0.5, .nan], for: table)) { error in
            XCTAssertEqual((error as? NonFiniteResultError)?.quantity, "the prediction for data.csv, line 3")
        }
        let (session, folder) = try session(try configuration(rate: 0.01, epochs: 2))
        guard case .finished = try session.run() else { return XCTFail("the run must finish") }
        var evaluation = try LoadedModel(path: folder.url.path).evaluateOnFreshTestSet(seed: 2)
        XCTAssertNoThrow(try evaluation.checkFinite())
        evaluation.testMSEt = .nan
        XCTAssertThrowsError(try evaluation.checkFinite()) { error in
            XCTAssertEqual((error as? NonFiniteResultError)?.quantity, "the test MSEt")
        }
    }
}
