import Foundation
import XCTest
import MetaLearning

final class ExperimentTests: XCTestCase {
    func testTable1ProtocolCoversEveryLearningRateAndUpdateModeOfTheSpec() throws {
        let runs = try Table1Experiment.runs(seed: 1, budget: .full)
        XCTAssertEqual(runs.count, 5 + 3 * 2 + 5 * 2 + 1)
        let rtrl = runs.filter { $0.rowKey == "rtrl" }
        XCTAssertEqual(Set(rtrl.map(\.configuration.learningRate)), [0.001, 0.003, 0.01, 0.03, 0.1])
        XCTAssertEqual(Set(rtrl.map(\.configuration.updateMode)), [.online, .batchSequence])
        XCTAssertTrue(rtrl.allSatisfy { $0.configuration.totalEpochs == 20000 })
        XCTAssertTrue(runs.filter { $0.rowKey == "bptt2" }.allSatisfy { $0.configuration.totalEpochs == 40000 })
        XCTAssertTrue(runs.allSatisfy { $0.configuration.trainingSequences == 128 && $0.configuration.sequenceLength == 64 })
        XCTAssertEqual(Set(runs.map(\.name)).count, runs.count, "every run needs its own folder")
        let quick = try Table1Experiment.runs(seed: 1, budget: .smoke, rowKeys: ["elman"])
        XCTAssertEqual(quick.count, 5)
        XCTAssertTrue(quick.allSatisfy { $0.configuration.totalEpochs == 500 && $0.configuration.quickBudget })
    }

    func testPresetsFollowSpecSixOne() throws {
        let b14 = try Preset.named("b14").configure(1, .full)
        XCTAssertEqual([b14.trainingSequences, b14.sequenceLength, b14.totalEpochs], [128, 64, 1000])
        XCTAssertEqual(b14.learningRate, 0.003)
        let quad = try Preset.named("quad").configure(1, .full)
        XCTAssertEqual(quad.phases, [TrainingPhase(epochs: 5000, length: 100), TrainingPhase(epochs: 20000, length: 1000)])
        XCTAssertEqual(try quad.architecture.makeNetwork().weightCount, 5373)
        let quick = try Preset.named("quad").configure(1, .smoke)
        XCTAssertEqual(quick.totalEpochs, 2500)
        XCTAssertTrue(quick.quickBudget)
    }

    func testReportsSayWhenTheBudgetWasCut() throws {
        let config = TrainingConfiguration(preset: "b14", quickBudget: true, seed: 2, family: try FamilySpec(name: "b14"),
                                           architecture: .lstm1997(.paperSingleLayer), trainingSequences: 4, sequenceLength: 8,
                                           epochs: 2, learningRate: 0.01)
        let trainer = try MetaTrainer(configuration: config)
        guard case .finished(let summary) = try TrainingSession(trainer: trainer, folder: nil).run() else { return XCTFail() }
        XCTAssertTrue(ReproductionReport.table(for: [summary]).contains("SMOKE TEST"))
        let row = Table2Experiment.row(preset: "b14", summaries: [summary, summary])
        XCTAssertEqual(row.testMSEt, summary.testMSEt)
        XCTAssertTrue(Table2Experiment.markdown([row]).contains("Smoke test"))
        XCTAssertEqual(Table2Experiment.csv([row]).split(separator: "\n").count, 2)
    }
}
