import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// End-to-end tests of `metalearn sweep`, `train --config` and `collect` through the executable
/// built next to the test bundle: the acceptance test of a sweep run from its job lines the way
/// GNU parallel or `xargs -P` runs them (scripts/sweep-parallel-e2e.sh does the same from the
/// shell; scripts/slurm-e2e.sh under Slurm).
final class SweepCommandLineTests: XCTestCase {
    private struct Outcome { var status: Int32; var stdout: String; var stderr: String }

    private func executable() throws -> URL {
        guard let url = metalearnExecutable(nextTo: Self.self) else {
            XCTFail("the metalearn executable was not found next to the test bundle (swift test builds it)")
            throw CocoaError(.fileNoSuchFile)
        }
        return url
    }

    private func run(_ executable: URL, _ arguments: [String], input: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        // Read both pipes at once so that neither fills up and blocks the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let stderrBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            stderrBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let stderrData = stderrBox.data
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                       stderr: String(decoding: stderrData, as: UTF8.self))
    }

    private func metalearn(_ arguments: [String]) throws -> Outcome { try run(try executable(), arguments) }

    /// Runs the job lines two at a time with `xargs -P 2` (each line through `sh -c`), as
    /// docs/cluster.md shows; where there is no GNU xargs, with two processes at a time here.
    private func runJobLines(_ jobs: URL) throws -> [Outcome] {
        let text = try String(contentsOf: jobs, encoding: .utf8)
        let xargs = URL(fileURLWithPath: "/usr/bin/xargs")
        if FileManager.default.isExecutableFile(atPath: xargs.path) {
            return [try run(xargs, ["-d", "\n", "-n", "1", "-P", "2", "sh", "-c"], input: text)]
        }
        let lines = text.split(separator: "\n").map(String.init)
        var outcomes = [Outcome?](repeating: nil, count: lines.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { lane in
            for index in stride(from: lane, to: lines.count, by: 2) {
                let outcome = try? run(URL(fileURLWithPath: "/bin/sh"), ["-c", lines[index]])
                lock.withLock { outcomes[index] = outcome }
            }
        }
        return outcomes.map { $0 ?? Outcome(status: -1, stdout: "", stderr: "did not run") }
    }

    private func weights(_ folder: URL) throws -> [Double] {
        try Checkpoint.load(from: folder.appendingPathComponent("model.json")).weights
    }

    func testTinySweepRunsFromItsJobLinesTwoAtATimeIsIdempotentResumesAndCollects() throws {
        let folder = try temporaryFolder()
        let sweepFile = folder.appendingPathComponent("tiny.json")
        try Data("""
            {"base": {"family": "b14", "epochs": 12, "sequences": 8, "length": 16, "eval-every": 4},
             "product": {"lr": [0.003, 0.03], "seed": [1, 2, 3, 4]},
             "slurm": {"time": "00:05:00", "max-concurrent": 2}}
            """.utf8).write(to: sweepFile)
        let sweep = folder.appendingPathComponent("sweep")
        let written = try metalearn(["sweep", sweepFile.path, "--out", sweep.path])
        XCTAssertEqual(written.status, 0, written.stderr)
        let jobs = sweep.appendingPathComponent("jobs.txt")
        let lines = try String(contentsOf: jobs, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 8)
        XCTAssertTrue(lines[5].hasSuffix("train --config \(sweep.path)/configs/lr-0.03_seed-2.json --out \(sweep.path)/runs/lr-0.03_seed-2"), lines[5])
        XCTAssertTrue(try String(contentsOf: sweep.appendingPathComponent("slurm.sbatch"), encoding: .utf8).contains("#SBATCH --array=1-8%2"))

        let before = try metalearn(["collect", sweep.path])
        XCTAssertEqual(before.status, 0, before.stderr)
        XCTAssertEqual(before.stdout.components(separatedBy: ",not-started,").count - 1, 8, "runs not started are rows too")

        for outcome in try runJobLines(jobs) { XCTAssertEqual(outcome.status, 0, outcome.stderr) }
        let collected = try metalearn(["collect", sweep.path, "--format", "csv"])
        XCTAssertEqual(collected.status, 0, collected.stderr)
        let rows = collected.stdout.split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count, 8)
        XCTAssertTrue(rows.allSatisfy { $0.contains(",finished,") }, collected.stdout)
        XCTAssertTrue(collected.stderr.contains("collected 8 runs: 8 finished"), collected.stderr)

        // Every job line again: nothing to do, nothing changes.
        let name = "lr-0.003_seed-3"
        let runFolder = sweep.appendingPathComponent("runs/\(name)")
        let model = try Data(contentsOf: runFolder.appendingPathComponent("model.json"))
        for outcome in try runJobLines(jobs) {
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertEqual(outcome.stdout.components(separatedBy: "nothing to do").count - 1, 8, outcome.stdout)
        }
        XCTAssertEqual(try Data(contentsOf: runFolder.appendingPathComponent("model.json")), model)

        // A run interrupted at epoch 4 (as by a cancelled task) resumes to the same bits.
        let finished = try weights(runFolder)
        let configuration = try ConfigurationFile.read(from: sweep.appendingPathComponent("configs/\(name).json").path)
        try FileManager.default.removeItem(at: runFolder)
        final class StopAfterFour: TrainingObserver, StopSignal, @unchecked Sendable {
            private(set) var isRaised = false
            func epochCompleted(by trainer: MetaTrainer) { if trainer.epoch == 4 { isRaised = true } }
            func evaluated(_ record: EvaluationRecord, by trainer: MetaTrainer) {}
        }
        let stopper = StopAfterFour()
        _ = try TrainingSession(trainer: try MetaTrainer(configuration: configuration), folder: RunFolder(url: runFolder),
                                observer: stopper, interrupt: stopper).run()
        let partial = try metalearn(["collect", sweep.path, "--over-seeds", "--format", "md"])
        XCTAssertTrue(partial.stdout.contains("| 0.003 | 4 | 3 finished, 1 unfinished |"), partial.stdout)
        let line = lines[2]
        let resumed = try run(URL(fileURLWithPath: "/bin/sh"), ["-c", line])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming at epoch 4 of 12"), resumed.stderr)
        XCTAssertBitIdentical(try weights(runFolder), finished)

        let best = try metalearn(["collect", sweep.path, "--best-by", "final-test-mset", "--format", "json"])
        XCTAssertEqual(best.status, 0, best.stderr)
        XCTAssertTrue(best.stdout.contains("\"settings\": 2"), best.stdout)
        let grouped = try metalearn(["collect"] + (try FileManager.default.contentsOfDirectory(atPath: sweep.appendingPathComponent("runs").path))
            .map { sweep.appendingPathComponent("runs/\($0)").path } + ["--group-by", "lr", "--output", folder.appendingPathComponent("by-lr.csv").path])
        XCTAssertEqual(grouped.status, 0, grouped.stderr)
        let table = try String(contentsOf: folder.appendingPathComponent("by-lr.csv"), encoding: .utf8)
        XCTAssertTrue(table.hasPrefix("lr,runs,finished,"), table)
        XCTAssertEqual(table.split(separator: "\n").count, 3)
    }

    func testTrainFromARunsConfigGivesBitIdenticalWeightsAndOptionsOverrideIt() throws {
        let folder = try temporaryFolder()
        let first = folder.appendingPathComponent("first").path
        let again = folder.appendingPathComponent("again").path
        var outcome = try metalearn(["train", "--arch", "gru", "--cells", "3", "--epochs", "4", "-K", "8", "-J", "12",
                                     "--lr", "0.01", "--batch-size", "4", "--seed", "7", "--out", first])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        outcome = try metalearn(["train", "--config", first + "/config.json", "--out", again])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertBitIdentical(try weights(URL(fileURLWithPath: again)), try weights(URL(fileURLWithPath: first)))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: again + "/config.json")),
                       try Data(contentsOf: URL(fileURLWithPath: first + "/config.json")))

        outcome = try metalearn(["train", "--config", first, "--out", again])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("finished (4 of 4 epochs); nothing to do"), outcome.stdout)

        outcome = try metalearn(["train", "--config", first, "--seed", "8", "--out", again])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("holds a run of a different configuration (seed 7 there, 8 here)"), outcome.stderr)

        let other = folder.appendingPathComponent("other").path
        outcome = try metalearn(["train", "--config", first + "/model.json", "--seed", "8", "--epochs", "2", "--out", other])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let configuration = try ConfigurationFile.read(from: other)
        XCTAssertEqual(configuration.seed, 8)
        XCTAssertEqual(configuration.totalEpochs, 2)
        XCTAssertEqual(configuration.optimizer?.batchSize, 4, "fields not given keep the file's values")
        XCTAssertEqual(configuration.architecture.topology, "3 (GRU)")

        outcome = try metalearn(["train", "--config", first, "--resume", first])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.stderr.contains("--resume and --config exclude each other"), outcome.stderr)
        outcome = try metalearn(["train", "--config", folder.appendingPathComponent("missing.json").path])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.stderr.contains("no such file"), outcome.stderr)
    }

    func testBadSweepFilesAndFoldersAreOneLineErrors() throws {
        let folder = try temporaryFolder()
        let sweepFile = folder.appendingPathComponent("bad.json")
        try Data("{\"base\": {\"epochs\": 2}, \"product\": {\"lr\": [0.01, \"x\"]}}".utf8).write(to: sweepFile)
        var outcome = try metalearn(["sweep", sweepFile.path, "--out", folder.appendingPathComponent("s").path])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("product.lr[1]: expected a number, found a string"), outcome.stderr)

        try Data("{\"base\": {\"epochs\": 2}, \"product\": {\"seed\": [1]}}".utf8).write(to: sweepFile)
        outcome = try metalearn(["sweep", sweepFile.path, "--out", folder.path])
        XCTAssertNotEqual(outcome.status, 0, "a folder that is not empty and holds no sweep")
        XCTAssertTrue(outcome.stderr.contains("not empty"), outcome.stderr)
        outcome = try metalearn(["sweep", sweepFile.path, "--out", folder.appendingPathComponent("s").path, "--mem", "lots"])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.stderr.contains("--mem: 'lots' is not a Slurm memory size"), outcome.stderr)

        outcome = try metalearn(["collect", folder.path])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.stderr.contains("is not a run folder"), outcome.stderr)
    }

    func testReproduceEmitsThePresetsRunsAsJobsAndCollectWaitsForThemToFinish() throws {
        let folder = try temporaryFolder().appendingPathComponent("b14-jobs")
        var outcome = try metalearn(["reproduce", "b14", "--seeds", "1,2", "--budget", "quick", "--emit-jobs", folder.path,
                                     "--time", "00:20:00", "--executable", "metalearn"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let lines = try String(contentsOf: folder.appendingPathComponent("jobs.txt"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines, ["metalearn train --config \(folder.path)/configs/b14-smoke-seed1.json --out \(folder.path)/runs/b14-smoke-seed1",
                               "metalearn train --config \(folder.path)/configs/b14-smoke-seed2.json --out \(folder.path)/runs/b14-smoke-seed2"])
        XCTAssertEqual(try ConfigurationFile.read(from: folder.appendingPathComponent("configs/b14-smoke-seed2.json").path),
                       try Preset.named("b14").configure(2, .smoke))
        XCTAssertTrue(try String(contentsOf: folder.appendingPathComponent("slurm.sbatch"), encoding: .utf8).contains("#SBATCH --time=00:20:00"))
        outcome = try metalearn(["collect", folder.path, "--format", "paper-md"])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.stderr.contains("b14 needs every run finished: 2 of 2 are not"), outcome.stderr)
        outcome = try metalearn(["reproduce", "b14", "--emit-jobs", folder.path, "--resume"])
        XCTAssertNotEqual(outcome.status, 0)
        outcome = try metalearn(["reproduce", "b14", "--time", "01:00:00"])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.stderr.contains("apply with --emit-jobs only"), outcome.stderr)
    }
}
