import Foundation
import MetaLearning
import MetaLearningTestSupport
import XCTest

/// A command's files appear together or not at all, and a result that is not a finite number is
/// a one-line error before anything is written (docs/reliability.md, "Outputs").
final class PartialOutputTests: XCTestCase {
    /// A briefly trained 6/6(1) model's run folder.
    private func trainedRun(family: String = "b16") throws -> RunFolder {
        let configuration = TrainingConfiguration(
            seed: 5, family: try FamilySpec(name: family), architecture: .lstm1997(.paperSingleLayer),
            trainingSequences: 8, sequenceLength: 12, epochs: 2, learningRate: 0.01, evaluationInterval: 2)
        let folder = RunFolder(url: try temporaryFolder().appendingPathComponent("run"))
        let outcome = try TrainingSession(trainer: try MetaTrainer(configuration: configuration), folder: folder).run()
        guard case .finished = outcome else { throw XCTSkip("the session did not finish") }
        return folder
    }

    /// The model of ``trainedRun(family:)``.
    private func trainedModel(family: String = "b16") throws -> LoadedModel {
        try LoadedModel(path: try trainedRun(family: family).url.path)
    }

    private func contents(of folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    func testForecastOfASeriesWithAHugeValueIsAOneLineErrorAndWritesNoFile() throws {
        let network = try Architecture.lstm1997(.paperSingleLayer).makeNetwork()
        var generator = Xoshiro256StarStar(seed: 3)
        network.initializeWeights(using: &generator)
        var values: [Double?] = (0..<60).map { Double($0 % 7) }
        values[40] = 1e300
        let forecast = try OnlineForecast(series: TimeSeries(values: values, column: "value", source: "huge.csv"),
                                          network: network)
        let folder = try temporaryFolder().appendingPathComponent("fc")
        XCTAssertThrowsError(try forecast.write(to: folder)) { error in
            guard let error = error as? NonFiniteResultError else { return XCTFail("\(error)") }
            XCTAssertFalse(error.value.isFinite)
            XCTAssertEqual("\(error)".split(separator: "\n").count, 1)
            XCTAssertTrue("\(error)".contains("1e+300"), "the hint names the largest value: \(error)")
        }
        XCTAssertEqual(contents(of: folder), [], "neither forecast.md nor forecast.csv may be written")
    }

    func testStreamWithoutAFullSegmentIsAOneLineErrorNamingTheSteadyLevelAndWritesNoFile() throws {
        let report = try StreamReport(model: try trainedModel(), switchEvery: .max, length: 60, seed: 3,
                                      forgettingFactors: [0.9])
        let folder = try temporaryFolder().appendingPathComponent("stream")
        XCTAssertThrowsError(try report.write(to: folder)) { error in
            XCTAssertTrue(error is NonFiniteResultError, "\(error)")
            XCTAssertTrue("\(error)".contains("steady level"), "\(error)")
            XCTAssertTrue("\(error)".contains("--switch-every"), "\(error)")
        }
        XCTAssertEqual(contents(of: folder), [], "neither stream.md nor stream.csv may be written")
    }

    func testOutputFilesAreWrittenAllOrNone() throws {
        let folder = try temporaryFolder()
        try "old\n".write(to: folder.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("c.json"), withIntermediateDirectories: false)
        var files = OutputFiles(folder: folder)
        files.add("a.md", "new\n")
        files.add("b.csv", "x\n")
        files.add("c.json", "{}")
        XCTAssertThrowsError(try files.write()) { error in
            XCTAssertEqual((error as? FileWriteError)?.path.hasSuffix("c.json"), true, "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("a.md"), encoding: .utf8), "old\n",
                       "a.md keeps its old contents")
        XCTAssertEqual(contents(of: folder), ["a.md", "c.json"], "no b.csv and no temporary file")

        try FileManager.default.removeItem(at: folder.appendingPathComponent("c.json"))
        try files.write()
        XCTAssertEqual(contents(of: folder), ["a.md", "b.csv", "c.json"])
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("a.md"), encoding: .utf8), "new\n")
    }

    func testPlotsOfARunAreWrittenAllOrNone() throws {
        let run = try trainedRun(family: "b14")
        let before = contents(of: run.url)
        try FileManager.default.createDirectory(at: run.url.appendingPathComponent("training.svg"), withIntermediateDirectories: false)
        XCTAssertThrowsError(try RunPlot.writeAll(in: run, sequences: 2)) { error in
            XCTAssertTrue(error is FileWriteError, "\(error)")
        }
        XCTAssertEqual(contents(of: run.url), (before + ["training.svg"]).sorted(),
                       "errors.svg and curve.svg must not be written when training.svg cannot be")
    }

    func testJSONOfANonFiniteFigureIsATypedErrorNamingTheField() {
        struct Row: Encodable { var name = "x"; var values = [1.0, .infinity] }
        XCTAssertThrowsError(try RunFolder.json(Row())) { error in
            guard let error = error as? NonFiniteResultError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.quantity, "the field values[1]")
            XCTAssertEqual(error.value, .infinity)
        }
    }
}
