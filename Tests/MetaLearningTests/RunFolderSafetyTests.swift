import Foundation
import MetaLearning
import MetaLearningTestSupport
import XCTest

/// One process trains in a run folder at a time, and a run killed at any moment leaves nothing
/// that a resumed run does not clean up (docs/reliability.md, "Concurrent runs" and "Leftovers").
final class RunFolderSafetyTests: XCTestCase {
    private func configuration(epochs: Int = 6) throws -> TrainingConfiguration {
        TrainingConfiguration(seed: 2, family: try FamilySpec(name: "b14"), architecture: .lstm1997(.paperSingleLayer),
                              trainingSequences: 8, sequenceLength: 12, epochs: epochs, learningRate: 0.01, evaluationInterval: 2)
    }

    /// Records what `metrics.csv` holds when the first epoch of a session ends.
    private final class MetricsProbe: TrainingObserver {
        let folder: RunFolder
        private(set) var epochsAtFirstEpoch: [Int]?
        init(folder: RunFolder) { self.folder = folder }
        func epochCompleted(by trainer: MetaTrainer) {
            if epochsAtFirstEpoch == nil { epochsAtFirstEpoch = (try? folder.readMetrics())?.map(\.epoch) }
        }
        func evaluated(_ record: EvaluationRecord, by trainer: MetaTrainer) {}
    }

    func testSecondLockOnAFolderIsRefusedNamingTheHoldersProcessUntilReleased() throws {
        let folder = RunFolder(url: try temporaryFolder().appendingPathComponent("run"))
        let first = try RunFolderLock(folder: folder)
        XCTAssertEqual(try String(contentsOf: folder.lockURL, encoding: .utf8), "\(getpid())\n")
        XCTAssertThrowsError(try RunFolderLock(folder: folder)) { error in
            XCTAssertEqual(error as? RunFolderLockError, .inUse(folder: folder.url.relativePath, pid: getpid()))
            XCTAssertTrue("\(error)".contains("process \(getpid())"), "\(error)")
        }
        first.release()
        XCTAssertFalse(first.isHeld)
        let second = try RunFolderLock(folder: folder)
        XCTAssertTrue(second.isHeld)
    }

    func testTwoRunsIntoOneFolderStartedTogetherCannotBothTrain() throws {
        // Before the lock both runs trained into the folder and both reported success; one was lost.
        let folder = RunFolder(url: try temporaryFolder().appendingPathComponent("run"))
        var other = try configuration(epochs: 30)
        other.seed = 3
        let requests = [RunRequest(configuration: try configuration(epochs: 30), folder: folder, resume: false),
                        RunRequest(configuration: other, folder: folder, resume: false)]
        let results = ExperimentRunner.run(requests, overwrite: false, interrupt: nil, width: 2) { _, _ in nil }
        let finished = results.filter { if case .success(.finished) = $0 { return true } else { return false } }
        XCTAssertEqual(finished.count, 1, "exactly one of the two runs may train: \(results)")
        for case .failure(let error) in results {
            XCTAssertTrue(error is RunFolderLockError || "\(error)".contains("already holds a different run"), "\(error)")
        }
    }

    func testSessionRemovesStaleTemporaryFilesOfItsOwnFilesOnly() throws {
        let folder = RunFolder(url: try temporaryFolder().appendingPathComponent("run"))
        try folder.create()
        let stale = [".model.json.\(UUID().uuidString).tmp", ".metrics.csv.\(UUID().uuidString).tmp",
                     ".summary.json.\(UUID().uuidString).tmp"]
        let foreign = [".notes.txt.\(UUID().uuidString).tmp", ".model.json.not-a-uuid.tmp", "errors.svg"]
        for name in stale + foreign { try Data("x".utf8).write(to: folder.url.appendingPathComponent(name)) }
        XCTAssertEqual(folder.removeStaleTemporaryFiles(), stale.sorted())

        for name in stale { try Data("x".utf8).write(to: folder.url.appendingPathComponent(name)) }
        let session = TrainingSession(trainer: try MetaTrainer(configuration: try configuration()), folder: folder)
        guard case .finished = try session.run() else { return XCTFail("the run must finish") }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        XCTAssertTrue(stale.allSatisfy { !names.contains($0) }, "\(names)")
        XCTAssertTrue(foreign.allSatisfy(names.contains), "files of other writers stay: \(names)")
    }

    func testResumedRunStartsFromMetricsThatAgreeWithItsCheckpoint() throws {
        let folder = RunFolder(url: try temporaryFolder().appendingPathComponent("run"))
        let configuration = try configuration()
        final class StopAfterFour: TrainingObserver, StopSignal, @unchecked Sendable {
            private(set) var isRaised = false
            func epochCompleted(by trainer: MetaTrainer) { if trainer.epoch == 4 { isRaised = true } }
            func evaluated(_ record: EvaluationRecord, by trainer: MetaTrainer) {}
        }
        let stopper = StopAfterFour()
        let first = TrainingSession(trainer: try MetaTrainer(configuration: configuration), folder: folder,
                                    observer: stopper, interrupt: stopper)
        guard case .interrupted(4) = try first.run() else { return XCTFail("the run must stop at epoch 4") }
        // What a kill between writing metrics.csv and model.json used to leave: a row for an
        // evaluation the checkpoint does not have.
        let text = try String(contentsOf: folder.metricsURL, encoding: .utf8)
        try (text + "6,0,0.2,0.2,0.2,1.0\n").write(to: folder.metricsURL, atomically: true, encoding: .utf8)
        XCTAssertEqual(try folder.readMetrics().map(\.epoch), [2, 4, 6])

        let checkpoint = try Checkpoint.load(from: folder.modelURL)
        let probe = MetricsProbe(folder: folder)
        let resumed = TrainingSession(trainer: try MetaTrainer(resumingFrom: checkpoint), folder: folder, observer: probe)
        guard case .finished = try resumed.run() else { return XCTFail("the resumed run must finish") }
        XCTAssertEqual(probe.epochsAtFirstEpoch, checkpoint.history.map(\.epoch), "metrics.csv rewritten from the checkpoint")
        XCTAssertEqual(try folder.readMetrics().map(\.epoch), [2, 4, 6])
    }

    func testCheckpointAndMetricsAreWrittenTogetherOrNotAtAll() throws {
        let folder = RunFolder(url: try temporaryFolder().appendingPathComponent("run"))
        let trainer = try MetaTrainer(configuration: try configuration())
        try folder.create()
        try FileManager.default.createDirectory(at: folder.metricsURL, withIntermediateDirectories: false)
        XCTAssertThrowsError(try folder.writeCheckpointAndMetrics(trainer.checkpoint()))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.modelURL.path),
                       "model.json must not appear without its metrics")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), ["metrics.csv"])
    }

    func testRunFolderThatCannotBeCreatedNamesTheSystemsReason() throws {
        let file = try temporaryFolder().appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        let folder = RunFolder(url: file.appendingPathComponent("run"))
        XCTAssertThrowsError(try folder.create()) { error in
            XCTAssertEqual(error as? FileWriteError, .cannotCreateDirectory(path: folder.url.relativePath, reason: "Not a directory"))
            XCTAssertTrue("\(error)".contains("(Not a directory)"), "\(error)")
        }
    }
}
