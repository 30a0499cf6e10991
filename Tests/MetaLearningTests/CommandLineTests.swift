import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// End-to-end tests of the `metalearn` executable built next to the test bundle.
final class CommandLineTests: XCTestCase {
    private func executable() throws -> URL {
        guard let url = metalearnExecutable(nextTo: Self.self) else {
            XCTFail("the metalearn executable was not found next to the test bundle (swift test builds it)")
            throw CocoaError(.fileNoSuchFile)
        }
        return url
    }

    private func run(_ arguments: [String]) throws -> ProcessOutcome {
        try runProcess(try executable(), arguments)
    }

    private func assertFailsWithOneLine(_ arguments: [String], mentioning text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let outcome = try run(arguments)
        XCTAssertNotEqual(outcome.status, 0, "\(arguments) must fail", file: file, line: line)
        let firstLine = outcome.stderr.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(firstLine.contains(text), "first stderr line '\(firstLine)' should mention '\(text)'", file: file, line: line)
        XCTAssertFalse(outcome.stderr.contains("Fatal error"), "no crash", file: file, line: line)
    }

    func testResumeOfARunStoppedBeforeItsFirstCheckpointStartsItFromItsConfiguration() throws {
        let folder = try temporaryFolder()
        let reference = folder.appendingPathComponent("reference").path
        let stopped = folder.appendingPathComponent("stopped").path
        for path in [reference, stopped] {
            let outcome = try run(["train", "--family", "b14", "--epochs", "3", "--eval-every", "3", "-K", "8", "--out", path])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
        }
        // What a kill before the first checkpoint leaves: the configuration only.
        for name in ["model.json", "metrics.csv", "curve.csv", "summary.json"] {
            try? FileManager.default.removeItem(atPath: stopped + "/" + name)
        }
        let resumed = try run(["train", "--resume", stopped])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let weights = { (path: String) throws -> [Double] in try Checkpoint.load(from: URL(fileURLWithPath: path + "/model.json")).weights }
        XCTAssertBitIdentical(try weights(stopped), try weights(reference))
        try assertFailsWithOneLine(["train", "--resume", folder.appendingPathComponent("nothing").path], mentioning: "cannot resume")
    }

    func testWriteErrorOnStandardOutputIsAnErrorNotASilentLoss() throws {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["bench", "--steps", "100", "--repetitions", "1", "--filter", "elman", "--json"]
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else { throw XCTSkip("no /dev/full on this system") }
        let err = Pipe()
        process.standardOutput = full
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertNotEqual(process.terminationStatus, 0, "output lost to a full device must not exit 0")
        XCTAssertEqual(stderr.split(separator: "\n").count, 1, stderr)
        XCTAssertTrue(stderr.contains("cannot write standard output"), stderr)
    }

    func testNonsenseOptionsGetAOneLineErrorAndNonZeroExit() throws {
        try assertFailsWithOneLine(["train", "--lr", "-1"], mentioning: "--lr")
        try assertFailsWithOneLine(["train", "--lr", "nan"], mentioning: "--lr")
        try assertFailsWithOneLine(["train", "--family", "xor"], mentioning: "unknown family")
        try assertFailsWithOneLine(["train", "--epochs", "0"], mentioning: "--epochs")
        try assertFailsWithOneLine(["train", "--sampler", "sorted"], mentioning: "--sampler")
        try assertFailsWithOneLine(["train", "--test-sequences", "4611686018427387904", "--epochs", "1"], mentioning: "test set")
        try assertFailsWithOneLine(["train", "--arch", "lstm-modern", "--cells", "1000000000", "--epochs", "1"], mentioning: "cells")
        try assertFailsWithOneLine(["train", "--arch", "gru", "--batch-size", "1000000000", "--epochs", "1"], mentioning: "batch size")
        try assertFailsWithOneLine(["train", "--arch", "transformer"], mentioning: "--arch")
        try assertFailsWithOneLine(["train", "--arch", "bptt", "--truncation", "0"], mentioning: "--truncation")
        try assertFailsWithOneLine(["train", "--arch", "rtrl", "--lr", "0"], mentioning: "--lr")
        try assertFailsWithOneLine(["reproduce", "table1", "--rows", "gru"], mentioning: "unknown Table 1 row")
        try assertFailsWithOneLine(["train", "--curriculum", "5:999"], mentioning: "--curriculum")
        try assertFailsWithOneLine(["reproduce", "b15"], mentioning: "expected table1, table2, b14")
        try assertFailsWithOneLine(["reproduce", "b14", "--budget", "tiny"], mentioning: "--budget")
        try assertFailsWithOneLine(["reproduce", "b14", "--seeds", "1,x"], mentioning: "seeds")
        try assertFailsWithOneLine(["bench", "--steps", "1"], mentioning: "--steps")
    }

    func testBadValueOfAClosedSetGetsTheParsersOneLineErrorWithTheValidValues() throws {
        try assertFailsWithOneLine(["train", "--update", "sideways"], mentioning: "'online', 'batch' or 'batch-epoch'")
        try assertFailsWithOneLine(["train", "--sampler", "sorted"], mentioning: "'iid' and 'blocks'")
        try assertFailsWithOneLine(["train", "--input-range", "wide"], mentioning: "'symmetric' and 'unit'")
        try assertFailsWithOneLine(["reproduce", "b14", "--budget", "tiny"], mentioning: "'full' and 'smoke'")
        try assertFailsWithOneLine(["reproduce", "b15"], mentioning: "table1, table2, b14, b16, semil64, semil1000, quad")
        for arguments in [["train", "--update", "sideways"], ["reproduce", "b14", "--budget", "tiny"]] {
            let outcome = try run(arguments)
            XCTAssertEqual(outcome.status, 64, "\(arguments): the argument parser's usage-error status")
            XCTAssertTrue(outcome.stderr.hasPrefix("Error: The value "), outcome.stderr)
        }
        let help = try run(["train", "--help"]).stdout
        XCTAssertTrue(help.contains("values: online, batch, batch-epoch"), "--help lists the values")
    }

    func testBadOptionsAreRejectedBeforeAnyModelIsRead() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("metalearn-no-such-run-\(UUID().uuidString)").path
        try assertFailsWithOneLine(["compare", "--model", missing, "--functions", "1"], mentioning: "at least 2 functions")
        try assertFailsWithOneLine(["compare", "--model", missing, "--learners", "bogus"], mentioning: "unknown learner")
        try assertFailsWithOneLine(["stream", "--model", missing, "--switch-every", "0", "--length", "10"], mentioning: "--switch-every")
        try assertFailsWithOneLine(["forecast", "--model", missing, "--input", missing, "--column", "v", "--window", "0"],
                                   mentioning: "window")
    }

    func testRerunningTheSameCommandReReportsAndResumeWithEpochsExtendsBitForBit() throws {
        let folder = try temporaryFolder()
        let run = folder.appendingPathComponent("run").path
        let command = ["train", "--family", "b14", "--epochs", "3", "-K", "8", "-J", "12", "--lr", "0.01", "--seed", "4", "--out", run]
        XCTAssertEqual(try self.run(command).status, 0)
        let first = try Data(contentsOf: URL(fileURLWithPath: run + "/model.json"))
        // The same command again: the run exists and is finished, so it is reported, not refused
        // and not retrained.
        let again = try self.run(command)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("test MSEt"), again.stdout)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: run + "/model.json")), first)
        // --resume with --epochs extends the finished run to the weights of an uninterrupted one.
        let extended = try self.run(["train", "--resume", run, "--epochs", "5"])
        XCTAssertEqual(extended.status, 0, extended.stderr)
        let straight = folder.appendingPathComponent("straight").path
        var longer = command
        longer[longer.firstIndex(of: "3")!] = "5"
        longer[longer.count - 1] = straight
        XCTAssertEqual(try self.run(longer).status, 0)
        let a = try Checkpoint.load(from: URL(fileURLWithPath: run + "/model.json"))
        let b = try Checkpoint.load(from: URL(fileURLWithPath: straight + "/model.json"))
        XCTAssertEqual(a.epoch, 5)
        XCTAssertBitIdentical(a.weights, b.weights)
        // Fewer epochs than already trained is an error, not a silent no-op.
        try assertFailsWithOneLine(["train", "--resume", run, "--epochs", "4"], mentioning: "already trained 5 epochs")
    }

    func testTrainEvalPredictAndResumeEndToEnd() throws {
        let folder = try temporaryFolder()
        let run = folder.appendingPathComponent("run").path
        let trained = try self.run(["train", "--family", "b14", "--epochs", "3", "-K", "8", "-J", "12", "--lr", "0.01",
                                    "--seed", "4", "--out", run])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(trained.stdout.contains("test MSEt"), trained.stdout)
        for name in ["config.json", "metrics.csv", "curve.csv", "model.json", "summary.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/" + name), name)
        }
        // A second run into the same folder must not silently overwrite it.
        try assertFailsWithOneLine(["train", "--family", "b14", "--epochs", "3", "-K", "8", "-J", "12", "--out", run],
                                   mentioning: "already holds a different run")

        let evaluated = try self.run(["eval", "--model", run + "/model.json", "--seed", "9", "--json"])
        XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any]
        XCTAssertNotNil(json?["testMSEt"] as? Double)

        let csv = folder.appendingPathComponent("data.csv")
        try "sequence,x1,x2,y\n1,0,0,0\n1,0,1,1\n1,1,1,1\n2,1,0,0\n2,0,0,1\n".write(to: csv, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("out.csv")
        let predicted = try self.run(["predict", "--model", run, "--input", csv.path, "--output", output.path])
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "sequence,x1,x2,y,prediction,error")
        XCTAssertEqual(lines.count, 6)
    }

    func testCompareStreamAndForecastEndToEndWithOneLineErrorsForBadInput() throws {
        let folder = try temporaryFolder()
        let run = folder.appendingPathComponent("run").path
        let trained = try self.run(["train", "--family", "b16", "--epochs", "2", "-K", "8", "-J", "12", "--lr", "0.01",
                                    "--seed", "2", "--out", run])
        XCTAssertEqual(trained.status, 0, trained.stderr)

        let compared = try self.run(["compare", "--model", run, "--functions", "20", "--bootstrap", "20",
                                     "--learners", "bayes,knn:1,mean", "--out", folder.appendingPathComponent("cmp").path])
        XCTAssertEqual(compared.status, 0, compared.stderr)
        XCTAssertTrue(compared.stdout.contains("| knn:1 |"), compared.stdout)
        for name in ["comparison.md", "comparison.csv", "comparison.json", "comparison.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("cmp/" + name).path), name)
        }
        let streamed = try self.run(["stream", "--model", run, "--switch-every", "12", "--length", "60",
                                     "--out", folder.appendingPathComponent("stream").path])
        XCTAssertEqual(streamed.status, 0, streamed.stderr)
        XCTAssertTrue(streamed.stdout.contains("oracle (reset at switches)"), streamed.stdout)

        let series = folder.appendingPathComponent("series.csv")
        var rows = "t,value\n"
        for t in 0..<60 { rows += "\(t),\(sin(Double(t) / 3))\n" }
        try rows.write(to: series, atomically: true, encoding: .utf8)
        // A Boolean model has only seen 0 and 1: forecasting a real series with it is refused.
        try assertFailsWithOneLine(["forecast", "--model", run, "--input", series.path, "--column", "value"],
                                   mentioning: "0 or 1")
        let arRun = folder.appendingPathComponent("ar2").path
        let arTrained = try self.run(["train", "--family", "ar2", "--epochs", "2", "-K", "8", "-J", "12", "--lr", "0.01",
                                      "--seed", "2", "--out", arRun])
        XCTAssertEqual(arTrained.status, 0, arTrained.stderr)
        let forecast = try self.run(["forecast", "--model", arRun, "--input", series.path, "--column", "value",
                                     "--out", folder.appendingPathComponent("fc").path])
        XCTAssertEqual(forecast.status, 0, forecast.stderr)
        XCTAssertTrue(forecast.stdout.contains("persistence"), forecast.stdout)

        try assertFailsWithOneLine(["compare", "--model", run, "--learners", "bogus"], mentioning: "unknown learner")
        try assertFailsWithOneLine(["compare", "--model", run, "--learners", "rls-basis"], mentioning: "does not apply")
        try assertFailsWithOneLine(["compare", "--model", run, "--functions", "1"], mentioning: "at least 2 functions")
        try assertFailsWithOneLine(["compare", "--model", run, "--family", "xyz"], mentioning: "unknown family")
        try assertFailsWithOneLine(["compare", "--model", folder.appendingPathComponent("none.json").path], mentioning: "no such file")
        try assertFailsWithOneLine(["stream", "--model", run, "--switch-every", "0", "--length", "10"], mentioning: "--switch-every")
        try assertFailsWithOneLine(["forecast", "--model", arRun, "--input", series.path, "--column", "nope"], mentioning: "no column")
        try "t,value\n1,2\n2,abc\n".write(to: series, atomically: true, encoding: .utf8)
        try assertFailsWithOneLine(["forecast", "--model", arRun, "--input", series.path, "--column", "value"], mentioning: "abc")
    }

    func testForecastAndStreamWithNonFiniteResultsFailWithOneLineAndWriteNoFile() throws {
        let folder = try temporaryFolder()
        let run = folder.appendingPathComponent("run").path
        let trained = try self.run(["train", "--family", "ar2", "--epochs", "2", "-K", "8", "-J", "12", "--seed", "2", "--out", run])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let series = folder.appendingPathComponent("huge.csv")
        var rows = "t,value\n"
        for t in 0..<60 { rows += "\(t),\(t == 40 ? "1e300" : "\(t % 7)")\n" }
        try rows.write(to: series, atomically: true, encoding: .utf8)
        let forecastFolder = folder.appendingPathComponent("fc")
        try assertFailsWithOneLine(["forecast", "--model", run, "--input", series.path, "--column", "value",
                                    "--out", forecastFolder.path], mentioning: "not a finite number")
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: forecastFolder.path)) ?? [], [])

        let streamFolder = folder.appendingPathComponent("stream")
        try assertFailsWithOneLine(["stream", "--model", run, "--switch-every", "9223372036854775807", "--length", "60",
                                    "--out", streamFolder.path], mentioning: "steady level")
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: streamFolder.path)) ?? [], [])
    }

    func testDivergedRunsAndOutOfBoundCheckpointsFailInsteadOfReportingResults() throws {
        let folder = try temporaryFolder()
        let run = folder.appendingPathComponent("run").path
        // --lr 1e3 used to exit 0 with a test MSEt twice the constant predictor's.
        let diverged = try self.run(["train", "--family", "b14", "--lr", "1e3", "--epochs", "100", "-K", "8", "-J", "8",
                                     "--eval-every", "1", "--out", run])
        XCTAssertNotEqual(diverged.status, 0)
        XCTAssertTrue(diverged.stdout.contains("DIVERGED"), diverged.stdout)
        let errorLines = diverged.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        XCTAssertEqual(errorLines.count, 1, diverged.stderr)
        XCTAssertTrue(errorLines.first?.contains("diverged at epoch 10") == true, diverged.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run + "/summary.json"))) as? [String: Any]
        XCTAssertNotNil(summary?["divergence"] as? String)
        // --lr 1e308 used to save weights of 2e307 as a success.
        let huge = try self.run(["train", "--family", "b14", "--lr", "1e308", "--epochs", "3", "-K", "8", "-J", "8",
                                 "--out", folder.appendingPathComponent("huge").path])
        XCTAssertNotEqual(huge.status, 0)
        XCTAssertTrue(huge.stderr.contains("beyond the bound"), huge.stderr)

        // A checkpoint with a weight of 1e200 used to pass validation; eval printed "test MSEt nan".
        let model = URL(fileURLWithPath: run + "/model.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: model)) as! [String: Any]
        var weights = json["weights"] as! [Double]
        weights[0] = 1e200
        json["weights"] = weights
        try JSONSerialization.data(withJSONObject: json).write(to: model)
        try assertFailsWithOneLine(["eval", "--model", model.path], mentioning: "invalid checkpoint: weight 0")
        let csv = folder.appendingPathComponent("in.csv")
        try "sequence,x1,x2,y\n1,1,-1,1\n".write(to: csv, atomically: true, encoding: .utf8)
        try assertFailsWithOneLine(["predict", "--model", model.path, "--input", csv.path], mentioning: "invalid checkpoint")
    }

    func testSecondRunIntoABusyFolderIsRefusedNamingTheHoldersPIDAndAKilledRunReleasesIt() throws {
        let folder = try temporaryFolder().appendingPathComponent("run")
        let first = Process()
        first.executableURL = try executable()
        first.arguments = ["train", "--family", "b14", "--epochs", "1000000", "-K", "8", "-J", "8", "--eval-every", "1000",
                           "--out", folder.path]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        let lock = folder.appendingPathComponent(RunFolderLock.fileName)
        let deadline = Date().addingTimeInterval(60)
        while (try? String(contentsOf: lock, encoding: .utf8)) != "\(first.processIdentifier)\n" && Date() < deadline {
            usleep(20_000)
        }
        // Started while the first trains: both used to exit 0 and print "wrote".
        try assertFailsWithOneLine(["train", "--family", "b14", "--epochs", "2", "-K", "8", "-J", "8", "--out", folder.path],
                                   mentioning: "process \(first.processIdentifier)")
        try assertFailsWithOneLine(["train", "--resume", folder.path], mentioning: "in use")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        // The system released the killed holder's lock.
        let again = try run(["train", "--family", "b14", "--epochs", "2", "-K", "8", "-J", "8", "--overwrite", "--out", folder.path])
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    func testOptionsAreRejectedWhereTheyWereSilentlyAcceptedBefore() throws {
        let folder = try temporaryFolder()
        // Hexadecimal floats: the CSV readers refuse them, so the options do too.
        try assertFailsWithOneLine(["train", "--lr", "0x1p-3"], mentioning: "not a decimal number")
        try assertFailsWithOneLine(["train", "--y0", "0x1p-1"], mentioning: "--y0")
        // An empty --out trained into the current folder.
        try assertFailsWithOneLine(["train", "--epochs", "1", "--out", ""], mentioning: "empty path")
        try assertFailsWithOneLine(["reproduce", "b14", "--out", ""], mentioning: "empty path")
        let missing = folder.appendingPathComponent("none").path
        try assertFailsWithOneLine(["compare", "--model", missing, "--out", ""], mentioning: "empty path")
        // Empty and repeated learners.
        try assertFailsWithOneLine(["compare", "--model", missing, "--learners", ""], mentioning: "empty learner name")
        try assertFailsWithOneLine(["compare", "--model", missing, "--learners", "bayes,bayes"], mentioning: "listed twice")
        try assertFailsWithOneLine(["compare", "--model", missing, "--learners", "knn:0x5"], mentioning: "decimal")
        // bench --filter that matches nothing printed nothing and exited 0.
        try assertFailsWithOneLine(["bench", "--filter", "zzz"], mentioning: "no benchmark matches")
        try assertFailsWithOneLine(["bench", "--filter", "zzz"], mentioning: "lstm1997")
        // The system's reason why a run folder cannot be made.
        let file = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        try assertFailsWithOneLine(["train", "--epochs", "1", "-K", "2", "-J", "4", "--out", file.appendingPathComponent("run").path],
                                   mentioning: "Not a directory")
    }

    func testTerminalEscapesFromDataAndOptionsAreNotEchoedRaw() throws {
        let folder = try temporaryFolder()
        let run = folder.appendingPathComponent("run").path
        XCTAssertEqual(try self.run(["train", "--epochs", "1", "-K", "2", "-J", "4", "--out", run]).status, 0)
        let csv = folder.appendingPathComponent("bad.csv")
        try "sequence,x1,x2,y\n1,\u{1B}]0;owned\u{7},0,0\n".write(to: csv, atomically: true, encoding: .utf8)
        for arguments in [["predict", "--model", run, "--input", csv.path], ["train", "--family", "\u{1B}[2J"],
                          ["compare", "--model", run, "--learners", "\u{1B}[31mknn"]] {
            let outcome = try self.run(arguments)
            XCTAssertNotEqual(outcome.status, 0)
            XCTAssertFalse(outcome.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains("\\u{1B}"), outcome.stderr)
        }
    }

    func testBadFilesGetAClearErrorNamingTheProblem() throws {
        let folder = try temporaryFolder()
        let run = folder.appendingPathComponent("run").path
        XCTAssertEqual(try self.run(["train", "--epochs", "1", "-K", "2", "-J", "4", "--out", run]).status, 0)

        let csv = folder.appendingPathComponent("bad.csv")
        try "sequence,x1,x2,y\n1,0,0,0\n1,0,abc,1\n".write(to: csv, atomically: true, encoding: .utf8)
        try assertFailsWithOneLine(["predict", "--model", run, "--input", csv.path], mentioning: "line 3")
        try "sequence,x1,x2,y\n1,0,0\n".write(to: csv, atomically: true, encoding: .utf8)
        try assertFailsWithOneLine(["predict", "--model", run, "--input", csv.path], mentioning: "line 2")
        try "".write(to: csv, atomically: true, encoding: .utf8)
        try assertFailsWithOneLine(["predict", "--model", run, "--input", csv.path], mentioning: "empty")
        try "a,b\n1,2\n".write(to: csv, atomically: true, encoding: .utf8)
        try assertFailsWithOneLine(["predict", "--model", run, "--input", csv.path], mentioning: "header")
        // Values a b14 model never saw: an error naming line, column and the family's values,
        // or a warning with --allow-out-of-range.
        try "sequence,x1,x2,y\n1,0,1,1\n1,5,0,10\n".write(to: csv, atomically: true, encoding: .utf8)
        try assertFailsWithOneLine(["predict", "--model", run, "--input", csv.path],
                                   mentioning: "line 3: x1 = 5.0 is outside the b14 family's inputs, {0, 1}")
        let allowed = try self.run(["predict", "--model", run, "--input", csv.path, "--allow-out-of-range"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertTrue(allowed.stderr.contains("warning: line 3") && allowed.stderr.contains("2 values in all"), allowed.stderr)
        XCTAssertEqual(allowed.stdout.split(separator: "\n").count, 3)

        let model = URL(fileURLWithPath: run + "/model.json")
        let data = try Data(contentsOf: model)
        try data.prefix(data.count / 3).write(to: model)
        try assertFailsWithOneLine(["eval", "--model", model.path], mentioning: "checkpoint")
        try assertFailsWithOneLine(["train", "--resume", run], mentioning: "checkpoint")
        try assertFailsWithOneLine(["eval", "--model", folder.appendingPathComponent("none").path], mentioning: "no such file")
    }
}
