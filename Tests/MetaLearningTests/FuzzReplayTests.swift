import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// Replays the fuzz targets' seed corpus and every crash they found (`Tests/Fuzz/corpus/TARGET/`,
/// `Tests/Fuzz/crashes/TARGET/`) through the same entry functions, without sanitizers: each
/// file is accepted or rejected with a typed one-line error, never a trap (docs/reliability.md,
/// "Fuzzing").
final class FuzzReplayTests: XCTestCase {
    /// `Tests/Fuzz`, found from this file's path.
    private static let fuzzFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

    /// The files of `Tests/Fuzz/KIND/TARGET`, hidden files left out, in name order.
    private func files(_ kind: String, _ target: FuzzTarget) throws -> [URL] {
        let folder = Self.fuzzFolder.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    func testEveryCorpusAndCrashFileIsAcceptedOrRejectedWithAOneLineError() throws {
        for target in FuzzTarget.allCases {
            let corpus = try files("corpus", target)
            XCTAssertGreaterThan(corpus.count, 3, "the seed corpus of \(target) is missing")
            var accepted = 0
            for file in try corpus + files("crashes", target) {
                let outcome = target.run(try Data(contentsOf: file))
                let name = "\(target.rawValue)/\(file.lastPathComponent)"
                XCTAssertTrue(outcome.isAcceptable, "\(name): \(outcome)")
                // Seeds named valid-… must be accepted, invalid-… rejected.
                if file.lastPathComponent.hasPrefix("valid-") {
                    XCTAssertEqual(outcome, .accepted, name)
                } else if file.lastPathComponent.hasPrefix("invalid-") {
                    guard case .rejected = outcome else { XCTFail("\(name) should be rejected: \(outcome)"); continue }
                }
                if outcome == .accepted { accepted += 1 }
            }
            XCTAssertGreaterThan(accepted, 0, "no seed of \(target) is accepted")
        }
    }

    func testTheSeedCheckpointIsARealTrainedModel() throws {
        let url = Self.fuzzFolder.appendingPathComponent("corpus/checkpoint/valid-b14-lstm1997-1epoch.json")
        let model = try LoadedModel(data: try Data(contentsOf: url))
        XCTAssertEqual(model.configuration.family.name, "b14")
        XCTAssertEqual(model.epoch, 1)
        XCTAssertEqual(model.configuration.architecture, .lstm1997(.paperSingleLayer))
    }

    func testTheEntryFunctionsJudgeDescriptions() {
        XCTAssertEqual(FuzzTarget.csv.run(Data("sequence,x1,x2,y\na,1,2,0.5\n".utf8)), .accepted)
        XCTAssertEqual(FuzzTarget.csv.run(Data("sequence,y\na,0.5\nb,1\n".utf8)), .accepted)
        // No column `value`: the header's last and first columns are read instead.
        XCTAssertEqual(FuzzTarget.series.run(Data("t,level\n1,2\n2,3\n".utf8)), .accepted)
        XCTAssertEqual(FuzzTarget.series.run(Data("t,level\nmonday,x\n2,3\n".utf8)),
                       .rejected("series.csv, line 2, column t: 'monday' is not a number (leave the cell empty for a missing value)"))
        XCTAssertEqual(FuzzTarget.series.run(Data("value\n1\n2\n".utf8)), .accepted)
        guard case .rejected(let message) = FuzzTarget.checkpoint.run(Data("{\"formatVersion\": 1".utf8)) else {
            return XCTFail("truncated JSON must be rejected")
        }
        XCTAssertTrue(message.hasPrefix("cannot read checkpoint model.json"), message)
    }
}
