import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

final class TrainingTests: XCTestCase {
    private func configuration(seed: UInt64 = 1, epochs: Int = 6, family: String = "b14", sequences: Int = 16,
                               length: Int = 16, rate: Double = 0.01, mode: UpdateMode = .online) throws -> TrainingConfiguration {
        TrainingConfiguration(seed: seed, family: try FamilySpec(name: family), architecture: .lstm1997(.paperSingleLayer),
                              trainingSequences: sequences, sequenceLength: length, epochs: epochs,
                              learningRate: rate, updateMode: mode, evaluationInterval: 2)
    }

    private func withoutTimes(_ history: [EvaluationRecord]) -> [EvaluationRecord] {
        history.map { var record = $0; record.elapsedSeconds = 0; return record }
    }

    private func train(_ trainer: MetaTrainer, epochs: Int) throws {
        for _ in 0..<epochs {
            try trainer.runEpoch()
            if trainer.evaluationDue { trainer.evaluate() }
        }
    }

    func testSameSeedGivesBitIdenticalWeightsAndMetrics() throws {
        for mode in UpdateMode.allCases {
            let a = try MetaTrainer(configuration: configuration(mode: mode))
            let b = try MetaTrainer(configuration: configuration(mode: mode))
            try train(a, epochs: 4)
            try train(b, epochs: 4)
            XCTAssertBitIdentical(a.network.weightValues, b.network.weightValues, "\(mode)")
            XCTAssertEqual(withoutTimes(a.history), withoutTimes(b.history))
            XCTAssertEqual(a.history.count, 2)
        }
    }

    func testDifferentSeedsGiveDifferentWeightsDataAndMetrics() throws {
        let a = try MetaTrainer(configuration: configuration(seed: 1))
        let b = try MetaTrainer(configuration: configuration(seed: 2))
        XCTAssertNotEqual(a.trainingSet, b.trainingSet)
        XCTAssertNotEqual(a.network.weightValues, b.network.weightValues)
        try train(a, epochs: 2)
        try train(b, epochs: 2)
        XCTAssertNotEqual(a.history.last?.testMSEt, b.history.last?.testMSEt)
    }

    func testTrainingAndTestSetsComeFromIndependentStreams() throws {
        let trainer = try MetaTrainer(configuration: configuration())
        XCTAssertNotEqual(trainer.trainingSet.targets, trainer.testSet.targets)
        XCTAssertNotEqual(trainer.trainingSet.inputs, trainer.testSet.inputs)
    }

    func testSaveLoadContinueEqualsUninterruptedRunBitForBit() throws {
        let config = try configuration(epochs: 6, family: "semil")
        let uninterrupted = try MetaTrainer(configuration: config)
        try train(uninterrupted, epochs: 6)

        let first = try MetaTrainer(configuration: config)
        try train(first, epochs: 3)
        let data = try first.checkpoint().encoded()
        let restored = try JSONDecoder().decode(Checkpoint.self, from: data)
        XCTAssertBitIdentical(restored.weights, first.network.weightValues,
                       "weights must survive the JSON round trip exactly")
        let second = try MetaTrainer(resumingFrom: restored)
        try train(second, epochs: 3)
        XCTAssertTrue(second.isFinished)
        XCTAssertBitIdentical(second.network.weightValues, uninterrupted.network.weightValues)
        XCTAssertEqual(withoutTimes(second.history), withoutTimes(uninterrupted.history))
    }

    func testInterruptedSessionLeavesACheckpointThatResumesToTheSameBits() throws {
        final class StopAfter: TrainingObserver, StopSignal, @unchecked Sendable {
            let epochs: Int
            private(set) var isRaised = false
            init(_ epochs: Int) { self.epochs = epochs }
            func epochCompleted(by trainer: MetaTrainer) { if trainer.epoch == epochs { isRaised = true } }
            func evaluated(_ record: EvaluationRecord, by trainer: MetaTrainer) {}
        }
        let config = try configuration(epochs: 7)
        let folderURL = try temporaryFolder()
        let reference = try MetaTrainer(configuration: config)
        guard case .finished(let referenceSummary) = try TrainingSession(trainer: reference, folder: nil).run() else {
            return XCTFail("reference run did not finish")
        }

        let stopper = StopAfter(3)
        let request = RunRequest(configuration: config, folder: RunFolder(url: folderURL), resume: false)
        let session = TrainingSession(trainer: try ExperimentRunner.makeTrainer(for: request, overwrite: false),
                                      folder: request.folder, observer: stopper, interrupt: stopper)
        guard case .interrupted(let epoch) = try session.run() else { return XCTFail("session was not interrupted") }
        XCTAssertEqual(epoch, 3)
        XCTAssertEqual(try Checkpoint.load(from: request.folder.modelURL).epoch, 3)

        // The same request again continues the run (a rerun is idempotent); a different
        // configuration must not overwrite it silently.
        XCTAssertEqual(try ExperimentRunner.makeTrainer(for: request, overwrite: false).epoch, 3)
        var other = config
        other.learningRate *= 2
        XCTAssertThrowsError(try ExperimentRunner.makeTrainer(for: RunRequest(configuration: other, folder: request.folder, resume: false),
                                                              overwrite: false),
                             "an existing run must not be overwritten silently")
        let resumed = try ExperimentRunner.makeTrainer(for: RunRequest(configuration: config, folder: request.folder, resume: true),
                                                       overwrite: false)
        XCTAssertEqual(resumed.epoch, 3)
        guard case .finished(let summary) = try TrainingSession(trainer: resumed, folder: request.folder).run() else {
            return XCTFail("resumed run did not finish")
        }
        XCTAssertBitIdentical(resumed.network.weightValues, reference.network.weightValues)
        XCTAssertEqual(withoutTimes(resumed.history), withoutTimes(reference.history))
        XCTAssertEqual(summary.testMSEt, referenceSummary.testMSEt)
        for url in [request.folder.configURL, request.folder.metricsURL, request.folder.curveURL, request.folder.summaryURL] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), url.lastPathComponent)
        }
        let metrics = try String(contentsOf: request.folder.metricsURL, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(metrics.count, 1 + reference.history.count)
        let curve = try String(contentsOf: request.folder.curveURL, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(curve.count, 1 + config.testLength)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folderURL.path).filter { !$0.hasSuffix(".json") && !$0.hasSuffix(".csv") && $0 != RunFolderLock.fileName }
        XCTAssertEqual(leftovers, [], "no temporary files may remain (the released lock file stays)")
    }

    func testNonFiniteWeightsStopTheRunWithAnError() throws {
        let trainer = try MetaTrainer(configuration: configuration())
        trainer.network.weightStorage[0] = .nan
        XCTAssertThrowsError(try trainer.runEpoch()) { error in
            XCTAssertTrue(error is DivergenceError)
            XCTAssertTrue("\(error)".contains("diverged"))
        }
    }

    func testCurriculumTrainsOnPrefixesThenFullLength() throws {
        let config = TrainingConfiguration(seed: 3, family: try FamilySpec(name: "quad"), architecture: .lstm1997(.init(
            layer: LSTMLayerShape(hiddenUnits: 2, blocks: 2, cellsPerBlock: 1), secondLayerUnits: 3)),
            trainingSequences: 4, sequenceLength: 20, phases: [.init(epochs: 2, length: 5), .init(epochs: 2, length: 20)],
            learningRate: 0.01, evaluationInterval: 1)
        let trainer = try MetaTrainer(configuration: config)
        try train(trainer, epochs: 4)
        XCTAssertEqual(trainer.stepsTaken, 2 * 4 * 5 + 2 * 4 * 20)
        XCTAssertEqual(trainer.history.map(\.phase), [0, 0, 1, 1])
    }

    func testExamplesPerSequenceWeighEachEpochByItsPhaseLength() throws {
        let config = TrainingConfiguration(seed: 3, family: try FamilySpec(name: "quad"), architecture: .lstm1997(.init(
            layer: LSTMLayerShape(hiddenUnits: 2, blocks: 2, cellsPerBlock: 1), secondLayerUnits: 3)),
            trainingSequences: 4, sequenceLength: 1000, phases: [.init(epochs: 5000, length: 100), .init(epochs: 20000, length: 1000)],
            learningRate: 0.01, evaluationInterval: 1)
        XCTAssertEqual(config.examplesPerSequence(inFirst: 0), 0)
        XCTAssertEqual(config.examplesPerSequence(inFirst: 2500), 250_000)
        XCTAssertEqual(config.examplesPerSequence(inFirst: 6000), 500_000 + 1_000_000)
        // the paper's quad schedule: phase B is 40 times the work of phase A
        XCTAssertEqual(config.examplesPerSequence(inFirst: config.totalEpochs), 500_000 + 20_000_000)
    }

    func testCheckpointLoadRejectsCorruptTruncatedAndMismatchedFiles() throws {
        let folder = try temporaryFolder()
        let trainer = try MetaTrainer(configuration: configuration())
        var checkpoint = trainer.checkpoint()
        let good = try checkpoint.encoded()
        let url = folder.appendingPathComponent("model.json")

        try good.prefix(good.count / 2).write(to: url)
        XCTAssertThrowsError(try Checkpoint.load(from: url)) { XCTAssertTrue("\($0)".contains("cannot read checkpoint"), "\($0)") }

        try Data("not json".utf8).write(to: url)
        XCTAssertThrowsError(try Checkpoint.load(from: url))

        checkpoint.weights.removeLast()
        try checkpoint.write(to: url)
        XCTAssertThrowsError(try Checkpoint.load(from: url)) { XCTAssertTrue("\($0)".contains("685"), "\($0)") }

        checkpoint = trainer.checkpoint()
        checkpoint.formatVersion = 99
        try checkpoint.write(to: url)
        XCTAssertThrowsError(try Checkpoint.load(from: url)) { XCTAssertEqual($0 as? CheckpointError, .unsupportedVersion(99)) }

        XCTAssertThrowsError(try Checkpoint.load(from: folder.appendingPathComponent("missing.json")))
        XCTAssertThrowsError(try LoadedModel(path: folder.appendingPathComponent("nothing").path))
    }

    func testConfigurationRejectsNonsense() throws {
        var config = try configuration()
        config.learningRate = -1
        XCTAssertThrowsError(try config.validate())
        config = try configuration()
        config.learningRate = .nan
        XCTAssertThrowsError(try config.validate())
        config = try configuration()
        config.phases = [.init(epochs: 3, length: 999)]
        XCTAssertThrowsError(try config.validate())
        XCTAssertThrowsError(try FamilySpec(name: "xor"))
        XCTAssertThrowsError(try Preset.named("b15"))
    }

    func testSubordinateMetricsFollowTheirDefinitions() {
        // Three sequences of five steps; the median curve is [0.25, 0.2, 0.02, 0.005, 0.0].
        let errors = ErrorMatrix(sequences: 3, length: 5, squaredErrors: [
            0.25, 0.30, 0.02, 0.005, 0.0,
            0.25, 0.20, 0.03, 0.001, 0.0,
            0.10, 0.00, 0.00, 0.050, 0.0,
        ])
        XCTAssertEqual(errors.medianCurve, [0.25, 0.2, 0.02, 0.005, 0.0])
        XCTAssertEqual(errors.meanCurve[3], (0.005 + 0.001 + 0.05) / 3, accuracy: 1e-15)
        let metrics = SubordinateMetrics(errors: errors)
        XCTAssertEqual(metrics.trainTime, 3)
        XCTAssertEqual(metrics.trainMSE, 0.005)
        XCTAssertEqual(metrics.trainMSEMeanCurve, (0.005 + 0.001 + 0.05) / 3, accuracy: 1e-15)
        XCTAssertEqual(metrics.perSequenceTimeMedian, 3)  // T_k = 3, 3, 4
        XCTAssertEqual(metrics.perSequenceTimeMean, 10.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(metrics.trainTimeLoose, 2)
        XCTAssertEqual(metrics.trainTimeStrict, 4)
        XCTAssertEqual(errors.meanSquaredErrorPerStep, errors.squaredErrors.reduce(0, +) / 15, accuracy: 1e-15)
    }

    func testANetThatNeverReachesTheThresholdReadsNeverNotAPerfectScore() {
        // The median curve stays above θ = 0.01 to the last example: T = J and M = 0 by
        // definition, which tables used to print as "T sub 3, MSE sub 0".
        let never = SubordinateMetrics(errors: ErrorMatrix(sequences: 1, length: 3, squaredErrors: [0.2, 0.2, 0.2]))
        XCTAssertEqual(never.trainTime, 3)
        XCTAssertFalse(never.reachesThreshold)
        XCTAssertEqual(never.trainTimeText, "never")
        XCTAssertEqual(never.trainTimeForRanking, .infinity)
        XCTAssertEqual(never.trainMSEForRanking, .infinity)
        // Below θ from the first example on: T = 0 says nothing about learning.
        let flat = SubordinateMetrics(errors: ErrorMatrix(sequences: 1, length: 3, squaredErrors: [0.001, 0.002, 0.0]))
        XCTAssertEqual(flat.trainTime, 0)
        XCTAssertEqual(flat.trainTimeText, "0*")
        let learned = SubordinateMetrics(errors: ErrorMatrix(sequences: 1, length: 3, squaredErrors: [0.2, 0.001, 0.0]))
        XCTAssertEqual(learned.trainTimeText, "1")
        XCTAssertNil(SubordinateMetrics.subordinateFootnote(for: [learned]))
        XCTAssertNotNil(SubordinateMetrics.subordinateFootnote(for: [learned, never])?.range(of: "never"))
        XCTAssertNotNil(SubordinateMetrics.subordinateFootnote(for: [flat])?.range(of: "0*"))
    }

    func testSubordinateMetricsReadTheLegacyTrainTimeKeysAndWriteTheNewOnes() throws {
        let legacy = #"{"threshold":0.01,"trainTime":4,"trainMSE":0.005,"trainMSEMeanCurve":0.006,"perSequenceTimeMedian":3,"perSequenceTimeMean":3.5,"perSequenceTime90":5,"trainTimeStrict":6,"trainTimeLoose":2}"#
        let metrics = try JSONDecoder().decode(SubordinateMetrics.self, from: Data(legacy.utf8))
        XCTAssertEqual(metrics.trainTime, 4)
        XCTAssertEqual(metrics.trainMSE, 0.005)
        XCTAssertEqual(metrics.trainTimeStrict, 6)
        XCTAssertNil(metrics.curveLength)
        XCTAssertTrue(metrics.reachesThreshold)  // unknown J: assume it was reached, as before
        let written = String(decoding: try JSONEncoder().encode(metrics), as: UTF8.self)
        XCTAssertTrue(written.contains("\"timeToThreshold\":4"), written)
        XCTAssertFalse(written.contains("trainTime"), written)
        XCTAssertEqual(try JSONDecoder().decode(SubordinateMetrics.self, from: Data(written.utf8)), metrics)
    }

    func testFreshFunctionsDrawANewSetEachEpochKeepTheTestSetAndResumeBitForBit() throws {
        func configuration(fresh: Bool, epochs: Int) throws -> TrainingConfiguration {
            var config = TrainingConfiguration(seed: 7, family: try FamilySpec(name: "b16"), architecture: .lstm1997(.paperSingleLayer),
                                               trainingSequences: 6, sequenceLength: 10, testSequences: 5, epochs: epochs,
                                               learningRate: 0.01)
            if fresh { config.trainsOnFreshFunctions = true }
            return config
        }
        let fixed = try MetaTrainer(configuration: try configuration(fresh: false, epochs: 4))
        let fresh = try MetaTrainer(configuration: try configuration(fresh: true, epochs: 4))
        // The test set is the fixed protocol's; the training sets change from epoch to epoch.
        XCTAssertEqual(fresh.testSet, fixed.testSet)
        XCTAssertNotEqual(fresh.trainingSet(forEpoch: 0), fresh.trainingSet(forEpoch: 1))
        XCTAssertNotEqual(fresh.trainingSet(forEpoch: 1), fixed.trainingSet(forEpoch: 1))
        XCTAssertEqual(fixed.trainingSet(forEpoch: 0), fixed.trainingSet(forEpoch: 1))
        XCTAssertEqual(fresh.trainingSet(forEpoch: 3), MetaTrainer.freshTrainingSet(configuration: fresh.configuration, epoch: 3, length: 10))
        XCTAssertEqual(fresh.trainingSet, fresh.trainingSet(forEpoch: 0))
        for _ in 0..<4 { try fresh.runEpoch() }
        // Two epochs, a checkpoint through JSON, two more: the same bits as four in a row.
        let first = try MetaTrainer(configuration: try configuration(fresh: true, epochs: 4))
        for _ in 0..<2 { try first.runEpoch() }
        let saved = try JSONDecoder().decode(Checkpoint.self, from: try first.checkpoint().encoded())
        XCTAssertEqual(saved.configuration.trainsOnFreshFunctions, true)
        let resumed = try MetaTrainer(resumingFrom: saved)
        for _ in 0..<2 { try resumed.runEpoch() }
        XCTAssertBitIdentical(resumed.network.weightValues, fresh.network.weightValues)
        // And the weights differ from the fixed-set run's.
        for _ in 0..<4 { try fixed.runEpoch() }
        XCTAssertNotEqual(fixed.network.weightValues, fresh.network.weightValues)
    }

    /// the project's test plan learning smoke test: LSTM 6/6(1), B14, K = 128, J = 64, α = 0.01, 100 epochs.
    func testLSTMLearnsB14BelowTheConstantPredictorInOneHundredEpochs() throws {
        let config = TrainingConfiguration(seed: 1, family: try FamilySpec(name: "b14"), architecture: .lstm1997(.paperSingleLayer),
                                           trainingSequences: 128, sequenceLength: 64, epochs: 100, learningRate: 0.01)
        let trainer = try MetaTrainer(configuration: config)
        guard case .finished(let summary) = try TrainingSession(trainer: trainer, folder: nil).run() else { return XCTFail() }
        XCTAssertLessThan(summary.testMSEt, 0.20)
        XCTAssertGreaterThan(summary.testMSEt, summary.bayesMSEt ?? 0, "nothing may beat the Bayes-optimal predictor")
        XCTAssertEqual(summary.weights, 685)
    }

    /// the project's test plan Data 6: a net fed y(j) instead of y(j−1) goes far below the Bayes floor quickly;
    /// the real pipeline, trained the same way, stays above it (both measured on a test set).
    func testOracleInputLeaksButTheRealPipelineCannot() throws {
        let family = BooleanFamily(.b14)
        var trainStream = Xoshiro256StarStar(masterSeed: 5, stream: .trainingData)
        let trainSet = SequenceSet(family: family, count: 64, length: 32, using: &trainStream)
        var testStream = Xoshiro256StarStar(masterSeed: 5, stream: .testData)
        let testSet = SequenceSet(family: family, count: 128, length: 32, using: &testStream)
        /// Runs every sequence of `set`; learns online when `rate` > 0; returns the MSEt.
        func pass(_ network: LSTM1997Network, _ set: SequenceSet, leak: Bool, rate: Double) -> Double {
            var sum = 0.0
            var input = [0.0, 0.0, 0.0]
            for k in 0..<set.count {
                network.reset()
                var previous = 0.5
                for j in 0..<set.length {
                    let y = set.target(sequence: k, example: j)
                    let x = set.input(sequence: k, example: j)
                    input[0] = x[x.startIndex]
                    input[1] = x[x.startIndex + 1]
                    input[2] = leak ? y : previous
                    let o = rate > 0 ? network.learnOnline(input: input, target: y, learningRate: rate)
                                     : network.step(input)
                    sum += (y - o) * (y - o)
                    previous = y
                }
            }
            return sum / Double(set.count * set.length)
        }
        func trainedTestError(leak: Bool) throws -> Double {
            let network = try LSTM1997Network(configuration: .paperSingleLayer)
            var weightStream = Xoshiro256StarStar(masterSeed: 5, stream: .weights)
            network.initializeWeights(using: &weightStream)
            for _ in 0..<30 { _ = pass(network, trainSet, leak: leak, rate: 0.05) }
            return pass(network, testSet, leak: leak, rate: 0)
        }
        var bayes = BooleanBayesPredictor(family: family)
        let floor = bayes.squaredErrors(on: testSet, initialPreviousTarget: 0.5).reduce(0, +) / Double(testSet.count * testSet.length)
        let leaked = try trainedTestError(leak: true)
        let honest = try trainedTestError(leak: false)
        XCTAssertLessThan(leaked, floor / 3, "the oracle input must make the task trivial")
        XCTAssertGreaterThan(honest, floor, "the real pipeline cannot beat the Bayes floor")
    }
}

final class ArchitectureCodingTests: XCTestCase {
    func testArchitecturesRoundTripThroughJSONWithAReadableType() throws {
        let all: [Architecture] = [.lstm1997(.paperSingleLayer), .lstm1997(.paperTwoLayer), .elman(.paperElman),
                                   .bptt(.paperBPTT2), .rtrl(.paperRTRL)]
        for architecture in all {
            let data = try JSONEncoder().encode(architecture)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            XCTAssertEqual(object?["type"] as? String, architecture.name)
            XCTAssertEqual(try JSONDecoder().decode(Architecture.self, from: data), architecture)
        }
    }

    func testLegacyDevelopmentFormatStillDecodes() throws {
        let legacy = #"{"lstm1997":{"_0":{"inputDimension":2,"layer":{"blocks":6,"cellsPerBlock":1,"hiddenUnits":6},"secondLayerUnits":0}}}"#
        XCTAssertEqual(try JSONDecoder().decode(Architecture.self, from: Data(legacy.utf8)), .lstm1997(.paperSingleLayer))
    }

    func testUnknownArchitectureTypeIsRejected() {
        let json = #"{"type":"transformer","configuration":{}}"#
        XCTAssertThrowsError(try JSONDecoder().decode(Architecture.self, from: Data(json.utf8))) { error in
            XCTAssertTrue("\(error)".contains("transformer"), "\(error)")
        }
    }
}
