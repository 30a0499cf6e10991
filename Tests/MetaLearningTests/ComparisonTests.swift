import Foundation
import MetaLearning
import MetaLearningTestSupport
import XCTest

/// `metalearn compare` and `metalearn stream`: identical streams for every learner, bootstrap
/// bands, recovery after switches, and meta-training without reset.
final class ComparisonTests: XCTestCase {
    /// A briefly trained 6/6(1) model saved as a run folder and loaded back.
    private func trainedModel(family: String = "b14", length: Int = 16) throws -> LoadedModel {
        let configuration = TrainingConfiguration(
            seed: 5, family: try FamilySpec(name: family), architecture: .lstm1997(.paperSingleLayer),
            trainingSequences: 16, sequenceLength: length, epochs: 3, learningRate: 0.01, evaluationInterval: 3)
        let folder = RunFolder(url: try temporaryFolder().appendingPathComponent("run"))
        let outcome = try TrainingSession(trainer: try MetaTrainer(configuration: configuration), folder: folder).run()
        guard case .finished = outcome else { throw XCTSkip("the session did not finish") }
        return try LoadedModel(path: folder.url.path)
    }

    // MARK: - Bootstrap

    func testBootstrapBandBracketsTheMeanCurveAndNarrowsWithMoreSequences() {
        var data = Xoshiro256StarStar(masterSeed: 9, stream: .other)
        func matrix(_ sequences: Int) -> ErrorMatrix {
            ErrorMatrix(sequences: sequences, length: 4,
                        squaredErrors: (0..<(sequences * 4)).map { _ in data.nextUniform(in: 0, 1) })
        }
        let small = matrix(20)
        let large = matrix(2000)
        var resampling = Xoshiro256StarStar(masterSeed: 1, stream: .other)
        let smallBand = BootstrapBand(meanCurveOf: small, resamples: 400, using: &resampling)
        let largeBand = BootstrapBand(meanCurveOf: large, resamples: 400, using: &resampling)
        for j in 0..<4 {
            XCTAssertLessThan(smallBand.lower[j], small.meanCurve[j])
            XCTAssertGreaterThan(smallBand.upper[j], small.meanCurve[j])
            XCTAssertLessThan(largeBand.upper[j] - largeBand.lower[j], (smallBand.upper[j] - smallBand.lower[j]) / 3)
        }
        // A uniform variable has σ = 0.289: the 90% band of a mean of 2000 is about ±1.645·σ/√2000 ≈ ±0.0106.
        XCTAssertEqual(largeBand.upper[0] - largeBand.lower[0], 2 * 1.645 * 0.2887 / sqrt(2000), accuracy: 0.006)
    }

    func testBootstrapBandIsDeterministicUnderItsSeed() {
        let errors = ErrorMatrix(sequences: 5, length: 3, squaredErrors: (0..<15).map { Double($0 % 7) / 7 })
        var first = Xoshiro256StarStar(masterSeed: 4, stream: .other)
        var second = Xoshiro256StarStar(masterSeed: 4, stream: .other)
        XCTAssertEqual(BootstrapBand(meanCurveOf: errors, resamples: 50, using: &first),
                       BootstrapBand(meanCurveOf: errors, resamples: 50, using: &second))
    }

    // MARK: - Compare

    func testComparisonRunsEveryLearnerOnTheSameSequencesAsTheNetwork() throws {
        let model = try trainedModel()
        let comparison = try LearnerComparison(model: model, options: .init(functions: 300, bootstrapResamples: 50))
        let result = try comparison.run()
        XCTAssertEqual(result.curves.map(\.learner), ["network"] + LearnerSpec.defaults(for: model.configuration.family).map(\.description))
        // The network's curve is exactly the frozen network evaluated on the comparison's set.
        let set = comparison.testSet()
        let direct = model.network.errors(on: set, initialPreviousTarget: model.configuration.initialPreviousTarget)
        XCTAssertEqual(result.networkCurve.mean, direct.meanCurve)
        XCTAssertEqual(result.networkCurve.meanSquaredErrorPerStep, direct.meanSquaredErrorPerStep)
        // The Bayes-optimal learner is the best of all on B14; the constant-ish running mean is worse than Bayes.
        let bayes = try XCTUnwrap(result.curves.first { $0.learner == "bayes" })
        for curve in result.curves where curve.learner != "bayes" {
            XCTAssertLessThan(bayes.meanSquaredErrorPerStep, curve.meanSquaredErrorPerStep, curve.learner)
        }
        // Its curve on those sequences equals running the predictor by hand.
        var predictor = try LearnerSpec(kind: .bayes).makePredictor(for: model.configuration.family, inputDimension: 2)
        let byHand = ErrorMatrix(sequences: set.count, length: set.length,
                                 squaredErrors: predictor.squaredErrors(on: set, initialPreviousTarget: 0.5))
        XCTAssertEqual(bayes.mean, byHand.meanCurve)
    }

    func testComparisonWritesTableCSVJSONAndPlot() throws {
        let model = try trainedModel()
        let result = try LearnerComparison(model: model, learners: [LearnerSpec(kind: .mean), LearnerSpec(kind: .bayes)],
                                           options: .init(functions: 50, length: 20, bootstrapResamples: 20)).run()
        let folder = try temporaryFolder()
        try result.write(to: folder)
        let csv = try String(contentsOf: folder.appendingPathComponent("comparison.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 1 + 3 * 20)
        let document = try SVGDocument(String(contentsOf: folder.appendingPathComponent("comparison.svg"), encoding: .utf8))
        XCTAssertEqual(document.elements(ofClass: "series").count, 3)
        // Each learner's 90% bootstrap band is shaded under its curve.
        XCTAssertEqual(document.elements(ofClass: "band").count, 3)
        let decoded = try JSONDecoder().decode(LearnerComparisonResult.self, from: Data(contentsOf: folder.appendingPathComponent("comparison.json")))
        XCTAssertEqual(decoded, result)
        XCTAssertTrue(result.markdown.contains("| bayes |"))
        XCTAssertEqual(result.length, 20)
    }

    func testComparisonRejectsALearnerThatDoesNotApplyAndAFamilyOfAnotherDimension() throws {
        let model = try trainedModel()
        XCTAssertThrowsError(try LearnerComparison(model: model, learners: [LearnerSpec(kind: .rlsBasis)])) { error in
            XCTAssertTrue("\(error)".contains("does not apply"), "\(error)")
        }
        XCTAssertThrowsError(try LearnerComparison(model: model, options: .init(functions: 1)))
        XCTAssertThrowsError(try LearnerComparison(model: model, options: .init(threshold: .nan)))
        let linear = try FamilySpec(name: "linreg")
        XCTAssertThrowsError(try LearnerComparison(model: model, options: .init(family: linear))) { error in
            XCTAssertTrue("\(error)".contains("inputs"), "\(error)")
        }
    }

    func testTransferredFamilyKeepsSamplingChoicesAndDropsOptionsOfTheOldFamily() throws {
        let blocks = try FamilySpec(name: "b14", sampler: .blocks).transferred(to: "B16")
        XCTAssertEqual(blocks, try FamilySpec(name: "b16", sampler: .blocks))
        let unit = try FamilySpec(name: "semil", inputRange: .unit).transferred(to: "quad")
        XCTAssertEqual(unit.inputRange, .unit)
        let fromLinear = try FamilySpec(name: "linreg", dimension: 3).transferred(to: "quad")
        XCTAssertNil(fromLinear.dimension)
        XCTAssertThrowsError(try blocks.transferred(to: "xor"))
    }

    // MARK: - Switching stream

    func testOracleOnTheStreamEqualsEvaluatingEachSegmentFromReset() throws {
        let model = try trainedModel(family: "b16")
        let stream = try SwitchingStream(family: model.configuration.family, switchEvery: 12, length: 60, seed: 2)
        XCTAssertEqual(stream.switchSteps, [12, 24, 36, 48])
        let oracle = stream.squaredErrors(of: model.network, resetAtSwitches: true, initialPreviousTarget: 0.5)
        let segments = model.network.errors(on: stream.segments, initialPreviousTarget: 0.5)
        XCTAssertEqual(oracle, segments.squaredErrors)
        let continuous = stream.squaredErrors(of: model.network, resetAtSwitches: false, initialPreviousTarget: 0.5)
        XCTAssertEqual(Array(continuous[0..<12]), Array(oracle[0..<12]), "identical until the first switch")
        XCTAssertNotEqual(Array(continuous[12...]), Array(oracle[12...]), "without reset the state carries over")
    }

    func testStreamCutsTheLastSegmentAndRejectsBadSizes() throws {
        let family = try FamilySpec(name: "quad")
        let stream = try SwitchingStream(family: family, switchEvery: 7, length: 30, seed: 1)
        XCTAssertEqual(stream.segments.count, 5)
        XCTAssertEqual(stream.switchSteps, [7, 14, 21, 28])
        var mean = try LearnerSpec(kind: .mean).makePredictor(for: family, inputDimension: 2)
        XCTAssertEqual(stream.squaredErrors(of: &mean, initialPreviousTarget: 0.5).count, 30)
        XCTAssertThrowsError(try SwitchingStream(family: family, switchEvery: 0, length: 30, seed: 1))
        XCTAssertThrowsError(try SwitchingStream(family: family, switchEvery: 5, length: 0, seed: 1))
    }

    func testRecoveryTimeIsTheEndOfTheFirstFiveStepWindowBelowTwiceTheSteadyLevel() {
        // Segments of 20 steps; the steady level (second halves) is 0.01 everywhere.
        var errors = [Double](repeating: 0.01, count: 60)
        // After the first switch (step 20) the error is 1 for 3 steps: windows ending at offsets
        // 4..7 contain them; the first window of five steps with mean ≤ 0.02 ends at offset 8.
        for t in 20..<23 { errors[t] = 1 }
        // After the second switch the error stays high for the whole first half: never below before offset 10+5.
        for t in 40..<50 { errors[t] = 0.5 }
        let recovery = SwitchRecovery(learner: "x", errors: errors, switchEvery: 20)
        XCTAssertEqual(recovery.steadyLevel, 0.01, accuracy: 1e-15)
        XCTAssertEqual(recovery.recoveryTimes, [8, 15])
        XCTAssertEqual(recovery.unrecovered, 0)
        let expectedSum: Double = 47 * 0.01 + 3 * 1.0 + 10 * 0.5
        XCTAssertEqual(recovery.cumulativeMSE, expectedSum / 60, accuracy: 1e-12)
        // A learner that never comes back counts the full segment.
        for t in 40..<60 { errors[t] = 0.5 }
        let never = SwitchRecovery(learner: "y", errors: errors, switchEvery: 20)
        XCTAssertEqual(never.recoveryTimes.last, 20)
        XCTAssertEqual(never.unrecovered, 1)
        XCTAssertTrue(recovery.learnsWithinSegments)
    }

    func testALearnerStuckAtOneLevelIsMarkedAsNotLearningInsteadOfRecoveringAtOnce() {
        // A net at the constant predictor: 0.25 everywhere. Relative to its own steady level it
        // "recovers" after the first window, which used to be the best recovery in the table.
        let stuck = SwitchRecovery(learner: "stuck", errors: [Double](repeating: 0.25, count: 60), switchEvery: 20)
        XCTAssertEqual(stuck.recoveryTimes, [5, 5])
        XCTAssertEqual(stuck.earlyLevel ?? .nan, 0.25, accuracy: 1e-15)
        XCTAssertFalse(stuck.learnsWithinSegments)
    }

    func testStreamReportWritesItsFilesWithOneRowPerStep() throws {
        let model = try trainedModel(family: "b16")
        let report = try StreamReport(model: model, switchEvery: 10, length: 50, seed: 3, forgettingFactors: [0.9, 0.99])
        XCTAssertEqual(report.learners.map(\.learner).prefix(2), ["network (no reset)", "oracle (reset at switches)"])
        XCTAssertEqual(report.learners.count, 3)
        XCTAssertTrue([0.9, 0.99].contains(try XCTUnwrap(report.chosenForgetting)))
        let folder = try temporaryFolder()
        try report.write(to: folder)
        let csv = try String(contentsOf: folder.appendingPathComponent("stream.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n")
        XCTAssertEqual(rows.count, 51)
        XCTAssertEqual(rows.filter { $0.split(separator: ",")[1] == "1" }.count, 4, "one switch flag per switch")
        let document = try SVGDocument(String(contentsOf: folder.appendingPathComponent("stream.svg"), encoding: .utf8))
        XCTAssertEqual(document.elements(ofClass: "series").count, 3)
    }

    // MARK: - Training without reset

    func testTrainingWithoutResetEqualsResetTrainingForOneSequencePerEpochAndDiffersOtherwise() throws {
        func weights(sequences: Int, withoutReset: Bool) throws -> [Double] {
            var configuration = TrainingConfiguration(
                seed: 7, family: try FamilySpec(name: "b16"), architecture: .lstm1997(.paperSingleLayer),
                trainingSequences: sequences, sequenceLength: 12, epochs: 3, learningRate: 0.01)
            configuration.trainsWithoutReset = withoutReset
            let trainer = try MetaTrainer(configuration: configuration)
            for _ in 0..<3 { try trainer.runEpoch() }
            return trainer.network.weightValues
        }
        XCTAssertEqual(try weights(sequences: 1, withoutReset: true), try weights(sequences: 1, withoutReset: false))
        XCTAssertNotEqual(try weights(sequences: 4, withoutReset: true), try weights(sequences: 4, withoutReset: false))
    }

    func testTrainingWithoutResetIsRejectedForMinibatchAdamOnANetworkWithoutCarriedState() throws {
        var configuration = TrainingConfiguration(
            seed: 1, family: try FamilySpec(name: "b14"), architecture: .lstm1997(.paperSingleLayer),
            trainingSequences: 4, sequenceLength: 8, learningRate: 0.001, optimizer: OptimizerSettings())
        configuration.trainsWithoutReset = true
        XCTAssertThrowsError(try configuration.validate())
    }

    func testModernTrainingWithoutResetEqualsResetTrainingWithOneMinibatchPerEpochAndDiffersOtherwise() throws {
        func weights(sequences: Int, withoutReset: Bool) throws -> [Double] {
            var configuration = TrainingConfiguration(
                seed: 3, family: try FamilySpec(name: "b16"), architecture: .lstmModern(.init(inputDimension: 2, cells: 4)),
                trainingSequences: sequences, sequenceLength: 10, epochs: 3, learningRate: 0.01,
                optimizer: OptimizerSettings(batchSize: 8))
            configuration.trainsWithoutReset = withoutReset
            try configuration.validate()
            let trainer = try MetaTrainer(configuration: configuration)
            for _ in 0..<3 { try trainer.runEpoch() }
            return trainer.network.weightValues
        }
        XCTAssertEqual(try weights(sequences: 8, withoutReset: true), try weights(sequences: 8, withoutReset: false))
        XCTAssertNotEqual(try weights(sequences: 24, withoutReset: true), try weights(sequences: 24, withoutReset: false))
    }

    func testCarriedStateGradientEqualsFiniteDifferencesWithTheStateHeldConstant() throws {
        let network = try ForgetGateLSTMNetwork(configuration: .init(inputDimension: 2, cells: 3))
        var generator = Xoshiro256StarStar(masterSeed: 11, stream: .other)
        try network.setWeights((0..<network.weightCount).map { _ in generator.nextUniform(in: -0.5, 0.5) })
        let count = 3, length = 5
        let set = SequenceSet(count: count, length: length, inputDimension: 2,
                              inputs: (0..<(count * length * 2)).map { _ in generator.nextUniform(in: 0, 1) },
                              targets: (0..<(count * length)).map { _ in generator.nextUniform(in: 0, 1) },
                              functionIDs: [Int](repeating: -1, count: count))
        let initial = (0..<2).map { _ in
            var state = ForgetGateLSTMNetwork.CarriedState(cells: 3, initialPreviousTarget: generator.nextUniform(in: 0, 1))
            state.hidden = (0..<3).map { _ in generator.nextUniform(in: -0.8, 0.8) }
            state.cell = (0..<3).map { _ in generator.nextUniform(in: -2, 2) }
            return state
        }
        let lanes = [2, 0]
        func loss() -> Double {
            var states = initial
            var scratch = [Double](repeating: 0, count: network.weightCount)
            return 0.5 * network.accumulateSequenceGradient(of: set, sequences: lanes, carrying: &states, into: &scratch)
        }
        var states = initial
        var gradient = [Double](repeating: 0, count: network.weightCount)
        _ = network.accumulateSequenceGradient(of: set, sequences: lanes, carrying: &states, into: &gradient)
        XCTAssertNotEqual(states, initial, "the states are replaced by those after the last step")
        XCTAssertEqual(states[1].previousTarget, set.targets[0 * length + length - 1])
        let epsilon = 1e-6
        var largest = 0.0
        for i in 0..<network.weightCount {
            let saved = network.weightStorage[i]
            let numeric = centralDifference(at: saved, step: epsilon) { value in
                network.weightStorage[i] = value
                return loss()
            }
            network.weightStorage[i] = saved
            XCTAssertEqual(gradient[i], numeric, accuracy: 1e-6 * max(1, abs(gradient[i]), abs(numeric)), "weight \(i)")
            largest = max(largest, abs(numeric))
        }
        XCTAssertGreaterThan(largest, 1e-3)
        // From a zero state with y(0) = 0.5 it is the ordinary from-reset gradient.
        var zeroStates = lanes.map { _ in ForgetGateLSTMNetwork.CarriedState(cells: 3, initialPreviousTarget: 0.5) }
        var carriedGradient = [Double](repeating: 0, count: network.weightCount)
        var resetGradient = [Double](repeating: 0, count: network.weightCount)
        let carriedSum = network.accumulateSequenceGradient(of: set, sequences: lanes, carrying: &zeroStates, into: &carriedGradient)
        let resetSum = network.accumulateSequenceGradient(of: set, sequences: lanes, initialPreviousTarget: 0.5, into: &resetGradient)
        XCTAssertEqual(carriedSum, resetSum)
        XCTAssertEqual(carriedGradient, resetGradient)
    }
}
