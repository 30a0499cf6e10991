import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// Sweep files, `train --config` overrides, job-line decisions and `collect`, at library level.
final class SweepTests: XCTestCase {
    private func parse(_ json: String, file: String = "s.json") throws(SweepFileError) -> SweepFile {
        try SweepFile.parse(Data(json.utf8), path: file)
    }

    private func assertSweepError(_ json: String, field: String, mentioning text: String,
                                  file: StaticString = #filePath, line: UInt = #line) {
        do {
            let sweep = try parse(json)
            _ = try sweep.plan()
            XCTFail("\(json) must be rejected", file: file, line: line)
        } catch {
            XCTAssertEqual(error.field, field, "\(error)", file: file, line: line)
            XCTAssertTrue(error.description.contains(text), "'\(error)' should mention '\(text)'", file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "one line: \(error)", file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix("sweep file s.json: "), "\(error)", file: file, line: line)
        }
    }

    // MARK: - Options and overrides

    func testOptionsGiveTheConfigurationOfTrainsDefaults() throws {
        let configuration = try TrainingOptions().makeConfiguration()
        XCTAssertEqual(configuration.family, .boolean(.b14, sampler: .iid))
        XCTAssertEqual(configuration.architecture, .lstm1997(.paperSingleLayer))
        XCTAssertEqual(configuration.totalEpochs, 1000)
        XCTAssertEqual(configuration.seed, 1)
        XCTAssertEqual(configuration.trainingSequences, 128)
        XCTAssertEqual(configuration.sequenceLength, 64)
        XCTAssertEqual(configuration.learningRate, 0.003)
        XCTAssertNil(configuration.optimizer)
    }

    func testDescribingAConfigurationGivesOptionsThatRebuildIt() throws {
        var variants: [TrainingOptions] = []
        func options(_ pairs: [(TrainingOption, OptionValue)]) throws -> TrainingOptions {
            var options = TrainingOptions()
            for (option, value) in pairs { try options.set(option, to: value) }
            return options
        }
        variants.append(try options([(.epochs, .integer(12)), (.curriculum, .text("4:8")), (.length, .integer(16))]))
        variants.append(try options([(.arch, .text("gru")), (.cells, .integer(5)), (.batchSize, .integer(4)), (.clip, .number(0.5))]))
        variants.append(try options([(.arch, .text("bptt")), (.truncation, .integer(3)), (.hidden, .integer(7)), (.update, .text("batch"))]))
        variants.append(try options([(.family, .text("linreg")), (.dimension, .integer(3)), (.seed, .integer(9)), (.freshFunctions, .flag(true))]))
        variants.append(try options([(.family, .text("semil")), (.inputRange, .text("unit")), (.secondLayer, .integer(4)), (.blocks, .integer(3))]))
        variants.append(try options([(.family, .text("ar2")), (.switchProbability, .number(0.1)), (.arch, .text("lstm-modern")), (.noReset, .flag(true))]))
        for variant in variants {
            let configuration = try variant.makeConfiguration()
            XCTAssertEqual(try TrainingOptions.describing(configuration).makeConfiguration(), configuration)
            XCTAssertEqual(try TrainingOptions().applied(to: configuration), configuration, "no option changes nothing")
        }
    }

    func testOverridesChangeOnlyTheirOwnFields() throws {
        var base = TrainingOptions()
        try base.set(.arch, to: .text("lstm1997"))
        try base.set(.blocks, to: .integer(3))
        try base.set(.hidden, to: .integer(2))
        try base.set(.epochs, to: .integer(10))
        try base.set(.curriculum, to: .text("4:8"))
        let configuration = try base.makeConfiguration()

        var override = TrainingOptions()
        try override.set(.seed, to: .integer(5))
        try override.set(.epochs, to: .integer(20))
        try override.set(.secondLayer, to: .integer(4))
        let changed = try override.applied(to: configuration)
        XCTAssertEqual(changed.seed, 5)
        XCTAssertEqual(changed.phases, [TrainingPhase(epochs: 4, length: 8), TrainingPhase(epochs: 16, length: 64)],
                       "the curriculum keeps its first phase")
        XCTAssertEqual(changed.architecture.topology, "2/3(1)+4", "the file's sizes are kept, the given one replaces its own")
        XCTAssertEqual(changed.learningRate, configuration.learningRate)
        XCTAssertEqual(changed.evaluationInterval, configuration.evaluationInterval)

        var toGRU = TrainingOptions()
        try toGRU.set(.arch, to: .text("gru"))
        let gru = try toGRU.applied(to: try TrainingOptions().makeConfiguration())
        XCTAssertEqual(gru.optimizer, OptimizerSettings(), "a minibatch network gets the default optimizer")
        XCTAssertEqual(gru.learningRate, 0.003, "the file's learning rate stays")

        var batch = TrainingOptions()
        try batch.set(.batchSize, to: .integer(4))
        XCTAssertThrowsError(try batch.applied(to: configuration)) { error in
            XCTAssertTrue("\(error)".contains("--batch-size applies to architectures trained with minibatch Adam only"), "\(error)")
        }
        var family = TrainingOptions()
        try family.set(.family, to: .text("linreg"))
        let linreg = try family.applied(to: configuration)
        XCTAssertEqual(linreg.architecture.inputDimension, 5, "a new input dimension rebuilds the network")
        XCTAssertEqual(linreg.architecture.topology, "2/3(1)", "with the file's sizes")
    }

    func testOptionValuesAreTypeChecked() {
        var options = TrainingOptions()
        XCTAssertThrowsError(try options.set(.lr, to: .text("fast")))
        XCTAssertThrowsError(try options.set(.epochs, to: .number(1.5)))
        XCTAssertThrowsError(try options.set(.seed, to: .integer(-1)))
        XCTAssertThrowsError(try options.set(.arch, to: .text("transformer")))
        XCTAssertThrowsError(try options.set(.noReset, to: .integer(1)))
        XCTAssertNoThrow(try options.set(.lr, to: .integer(1)))
        XCTAssertEqual(options[.lr], .number(1))
    }

    // MARK: - Sweep files

    func testProductPointsAreNamedByTheirAxisValuesInAlphabeticalOrder() throws {
        let sweep = try parse("""
            {"base": {"epochs": 2, "sequences": 4, "length": 8},
             "product": {"seed": [1, 2], "lr": [0.003, 0.01], "arch": ["elman"]}}
            """)
        let plan = try sweep.plan()
        XCTAssertEqual(plan.name, "s")
        XCTAssertEqual(plan.axes, ["arch", "lr", "seed"])
        XCTAssertEqual(plan.points.map(\.name), [
            "arch-elman_lr-0.003_seed-1", "arch-elman_lr-0.003_seed-2", "arch-elman_lr-0.01_seed-1", "arch-elman_lr-0.01_seed-2",
        ])
        XCTAssertEqual(plan.points[2].values, ["arch": "elman", "lr": "0.01", "seed": "1"])
        XCTAssertEqual(plan.points[2].configuration.learningRate, 0.01)
        XCTAssertEqual(plan.points[2].configuration.architecture.name, "elman")
        XCTAssertEqual(plan.points[3].configuration.seed, 2)
        XCTAssertEqual(plan.points[3].configuration.totalEpochs, 2)
        XCTAssertEqual(try sweep.plan(), plan, "the same file gives the same plan")
    }

    func testExplicitPointsCrossedWithAnAxis() throws {
        let plan = try parse("""
            {"name": "mixed", "base": {"epochs": 2, "sequences": 4, "length": 8},
             "points": [{"name": "small", "arch": "gru", "cells": 3}, {"arch": "elman", "hidden": 4, "update": "batch"}],
             "product": {"seed": [7, 8]}}
            """).plan()
        XCTAssertEqual(plan.points.map(\.name), ["small_seed-7", "small_seed-8", "arch-elman_hidden-4_update-batch_seed-7",
                                                 "arch-elman_hidden-4_update-batch_seed-8"])
        XCTAssertEqual(plan.axes, ["arch", "hidden", "cells", "update", "seed"])
        XCTAssertEqual(plan.points[1].configuration.architecture.topology, "3 (GRU)")
        XCTAssertEqual(plan.points[3].configuration.updateMode, .batchSequence)
    }

    func testBadSweepFilesGetOneLineErrorsNamingTheField() {
        assertSweepError("[1]", field: "(top level)", mentioning: "expected an object")
        assertSweepError("{\"product\": ", field: "(file)", mentioning: "not valid JSON")
        assertSweepError("{\"prodcut\": {}}", field: "prodcut", mentioning: "unknown key")
        assertSweepError("{\"base\": {\"epochs\": 2}}", field: "product", mentioning: "needs \"product\"")
        assertSweepError("{\"product\": {\"lr\": []}}", field: "product.lr", mentioning: "empty")
        assertSweepError("{\"product\": {}}", field: "product", mentioning: "empty")
        assertSweepError("{\"points\": []}", field: "points", mentioning: "empty")
        assertSweepError("{\"product\": {\"lr\": [0.1, \"fast\"]}}", field: "product.lr[1]", mentioning: "expected a number, found a string")
        assertSweepError("{\"product\": {\"lr\": 0.1}}", field: "product.lr", mentioning: "expected a list of values")
        assertSweepError("{\"product\": {\"epochs\": [1.5]}}", field: "product.epochs[0]", mentioning: "expected a whole number")
        assertSweepError("{\"product\": {\"arch\": [\"transformer\"]}}", field: "product.arch[0]", mentioning: "\"gru\"")
        assertSweepError("{\"product\": {\"K\": [1]}}", field: "product.K", mentioning: "unknown key")
        assertSweepError("{\"base\": {\"epoch\": 3}, \"product\": {\"seed\": [1]}}", field: "base.epoch", mentioning: "unknown key")
        assertSweepError("{\"product\": {\"seed\": [1, 1]}}", field: "product.seed[0]", mentioning: "appears twice")
        assertSweepError("{\"points\": [{\"seed\": 1}], \"product\": {\"seed\": [2]}}", field: "points[0].seed", mentioning: "also an axis")
        assertSweepError("{\"points\": [{\"name\": \"../x\"}]}", field: "points[0].name", mentioning: "not a plain name")
        assertSweepError("{\"points\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}", field: "point a", mentioning: "points 1 and 2")
        assertSweepError("{\"product\": {\"lr\": [-1]}}", field: "point lr--1.0", mentioning: "--lr must be a positive number")
        assertSweepError("{\"slurm\": {\"cpus\": \"2\"}, \"product\": {\"seed\": [1]}}", field: "slurm.cpus", mentioning: "expected a whole number")
        assertSweepError("{\"slurm\": {\"time\": \"1h; rm\"}, \"product\": {\"seed\": [1]}}", field: "slurm.time", mentioning: "not a Slurm time")
        assertSweepError("{\"slurm\": {\"nodes\": 2}, \"product\": {\"seed\": [1]}}", field: "slurm.nodes", mentioning: "unknown key")
        let big = (1...11).map(String.init).joined(separator: ",")
        assertSweepError("{\"product\": {\"seed\": [\(big)], \"epochs\": [\(big)], \"hidden\": [\(big)], \"blocks\": [\(big)], \"cells\": [\(big)]}}",
                         field: "product", mentioning: "more than the limit of 100000")
        let seeds = (1...500).map(String.init).joined(separator: ",")
        assertSweepError("{\"points\": [{}], \"product\": {\"seed\": [\(seeds)], \"epochs\": [\(seeds)]}}",
                         field: "points × product", mentioning: "more than the limit")
    }

    func testSweepStartingFromAConfigFileOverridesItsFields() throws {
        let folder = try temporaryFolder()
        let run = RunFolder(url: folder.appendingPathComponent("base"))
        try run.create()
        var options = TrainingOptions()
        try options.set(.epochs, to: .integer(3))
        try options.set(.sequences, to: .integer(4))
        let base = try options.makeConfiguration()
        try run.writeConfiguration(base)
        let sweepURL = folder.appendingPathComponent("s.json")
        try Data("{\"config\": \"base/config.json\", \"product\": {\"seed\": [4, 5]}}".utf8).write(to: sweepURL)
        let plan = try SweepFile.load(path: sweepURL.path).plan()
        var expected = base
        expected.seed = 5
        XCTAssertEqual(plan.points.last?.configuration, expected)
    }

    func testSweepFolderFilesAndJobLines() throws {
        let folder = try temporaryFolder().appendingPathComponent("my sweep")
        var plan = try parse("""
            {"base": {"epochs": 2, "sequences": 4, "length": 8}, "product": {"seed": [1, 2, 3]},
             "slurm": {"time": "00:05:00", "mem": "1G", "partition": "short", "max-concurrent": 2}}
            """).plan()
        try plan.write(to: folder, executable: "/opt/bin/metalearn")
        let jobs = try String(contentsOf: folder.appendingPathComponent("jobs.txt"), encoding: .utf8)
        let lines = jobs.split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(String(lines[1]), "/opt/bin/metalearn train --config '\(folder.path)/configs/seed-2.json' --out '\(folder.path)/runs/seed-2'")
        let sbatch = try String(contentsOf: folder.appendingPathComponent("slurm.sbatch"), encoding: .utf8)
        for expected in ["#SBATCH --array=1-3%2", "#SBATCH --time=00:05:00", "#SBATCH --mem=1G", "#SBATCH --partition=short",
                         "#SBATCH --cpus-per-task=1", "#SBATCH --output=\(folder.path)/logs/%A_%a.out", "sed -n \"${line_number}p\""] {
            XCTAssertTrue(sbatch.contains(expected), "slurm.sbatch lacks \(expected)")
        }
        let configuration = try ConfigurationFile.read(from: folder.appendingPathComponent("configs/seed-3.json").path)
        XCTAssertEqual(configuration, plan.points[2].configuration)
        XCTAssertEqual(try SweepManifest.load(from: folder).points.map(\.name), ["seed-1", "seed-2", "seed-3"])
        for sub in ["runs", "logs"] { XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(sub).path)) }

        plan.slurm.time = "01:00:00"
        XCTAssertNoThrow(try plan.write(to: folder, executable: "metalearn"), "the same sweep again, with other resources")
        plan.points[0].configuration.learningRate = 0.1
        XCTAssertThrowsError(try plan.write(to: folder, executable: "metalearn")) { error in
            XCTAssertTrue("\(error)".contains("the configuration of seed-1 differs"), "\(error)")
        }
    }

    func testReproductionPlansFollowReproducesOrderAndNames() throws {
        let table1 = try SweepPlan.reproduction(of: .table1, seeds: [1, 2], budget: .smoke)
        let runs = try Table1Experiment.orderedRuns(seeds: [1, 2], budget: .smoke)
        XCTAssertEqual(table1.points.map(\.name), runs.map(\.name))
        XCTAssertEqual(table1.points.map(\.configuration), runs.map(\.configuration))
        XCTAssertEqual(table1.points.count, 44)
        XCTAssertEqual(table1.points.first?.values["row"], "bptt2", "the longest first: 40000 BPTT(2) epochs")
        XCTAssertEqual(table1.paperTable, .table1)
        let table2 = try SweepPlan.reproduction(of: .table2, seeds: [3], budget: .full)
        XCTAssertEqual(table2.points.map(\.name), ["quad-seed3", "semil1000-seed3", "semil64-seed3", "b16-seed3", "b14-seed3"])
        let preset = try SweepPlan.reproduction(of: .preset("b14"), seeds: [1, 2], budget: .smoke)
        XCTAssertEqual(preset.points.map(\.name), ["b14-smoke-seed1", "b14-smoke-seed2"])
        XCTAssertEqual(preset.points[1].configuration, try Preset.named("b14").configure(2, .smoke))
    }

    // MARK: - Job decisions and collect

    private func tinyConfiguration(seed: UInt64 = 1, epochs: Int = 6) throws -> TrainingConfiguration {
        var options = TrainingOptions()
        try options.set(.epochs, to: .integer(epochs))
        try options.set(.sequences, to: .integer(4))
        try options.set(.length, to: .integer(8))
        try options.set(.evalEvery, to: .integer(2))
        try options.set(.seed, to: .integer(Int(seed)))
        return try options.makeConfiguration()
    }

    /// Stops a session after `epochs` epochs, as Ctrl-C or SIGTERM would.
    private final class StopAfter: TrainingObserver, StopSignal, @unchecked Sendable {
        let epochs: Int
        private(set) var isRaised = false
        init(_ epochs: Int) { self.epochs = epochs }
        func epochCompleted(by trainer: MetaTrainer) { if trainer.epoch == epochs { isRaised = true } }
        func evaluated(_ record: EvaluationRecord, by trainer: MetaTrainer) {}
    }

    func testJobDecisionsStartResumeSkipAndRefuse() throws {
        let configuration = try tinyConfiguration()
        let folder = RunFolder(url: try temporaryFolder().appendingPathComponent("run"))
        XCTAssertEqual(try RunJob.decide(configuration: configuration, folder: folder), .start)
        let stopper = StopAfter(2)
        let session = TrainingSession(trainer: try MetaTrainer(configuration: configuration), folder: folder, observer: stopper, interrupt: stopper)
        guard case .interrupted = try session.run() else { return XCTFail("not interrupted") }
        XCTAssertEqual(try RunJob.decide(configuration: configuration, folder: folder), .resume(epoch: 2, totalEpochs: 6))
        let other = try tinyConfiguration(seed: 2)
        XCTAssertThrowsError(try RunJob.decide(configuration: other, folder: folder)) { error in
            XCTAssertEqual("\(error)", "\(folder.url.path) holds a run of a different configuration (seed 1 there, 2 here): choose another --out, or add --overwrite to replace it")
        }
        let resumed = try MetaTrainer(resumingFrom: try Checkpoint.load(from: folder.modelURL))
        _ = try TrainingSession(trainer: resumed, folder: folder).run()
        XCTAssertEqual(try RunJob.decide(configuration: configuration, folder: folder), .finished(epochs: 6))
        try FileManager.default.removeItem(at: folder.summaryURL)
        XCTAssertEqual(try RunJob.decide(configuration: configuration, folder: folder), .resume(epoch: 6, totalEpochs: 6),
                       "killed between the last checkpoint and the summary: resuming writes the summary")
    }

    func testCollectReportsEveryRunWithItsStatusAndGroupsOverSeeds() throws {
        let folder = try temporaryFolder()
        var plan = try parse("""
            {"base": {"epochs": 4, "sequences": 4, "length": 8, "eval-every": 2}, "product": {"lr": [0.003, 0.03], "seed": [1, 2, 3]}}
            """).plan()
        plan.name = "tiny"
        try plan.write(to: folder, executable: "metalearn")
        // lr 0.003: seeds 1 and 2 finish, seed 3 is interrupted; lr 0.03: seed 1 finishes, the
        // others never start; one run diverged (its metrics hold NaN).
        for (index, point) in plan.points.enumerated() where [0, 1, 2, 3].contains(index) {
            let runFolder = RunFolder(url: SweepPlan.runURL(in: folder, name: point.name))
            let stopper = StopAfter(index == 2 ? 2 : 99)
            _ = try TrainingSession(trainer: try MetaTrainer(configuration: point.configuration), folder: runFolder,
                                    observer: stopper, interrupt: stopper).run()
        }
        let divergedFolder = RunFolder(url: SweepPlan.runURL(in: folder, name: plan.points[4].name))
        try divergedFolder.create()
        try divergedFolder.writeConfiguration(plan.points[4].configuration)
        try divergedFolder.writeMetrics([EvaluationRecord(epoch: 2, phase: 0, onlineTrainingError: .nan, trainMSEt: .nan, testMSEt: .nan, elapsedSeconds: 0.1)])

        let collection = try RunCollection.gather([folder.path])
        XCTAssertEqual(collection.runs.map(\.status), [.finished, .finished, .unfinished, .finished, .diverged, .notStarted])
        XCTAssertEqual(collection.axes, ["lr", "seed"])
        let perRun = try collection.table(grouping: .none, bestBy: nil)
        XCTAssertEqual(perRun.rows.count, 6, "no run is dropped")
        XCTAssertEqual(perRun.rows[2][perRun.columns.firstIndex(of: "epochs")!], .integer(2))
        let digest = perRun.columns.firstIndex(of: "weights_digest")!
        let model = try Checkpoint.load(from: SweepPlan.runURL(in: folder, name: plan.points[0].name).appendingPathComponent("model.json"))
        XCTAssertEqual(perRun.rows[0][digest], .text(RunCollection.digest(model.weights)))

        let grouped = try collection.table(grouping: .overSeeds, bestBy: nil)
        XCTAssertEqual(grouped.rows.count, 2)
        let column = { (name: String) in grouped.columns.firstIndex(of: name)! }
        XCTAssertEqual(grouped.rows[0][column("finished")], .integer(2))
        XCTAssertEqual(grouped.rows[0][column("unfinished")], .integer(1))
        XCTAssertEqual(grouped.rows[1][column("diverged")], .integer(1))
        XCTAssertEqual(grouped.rows[1][column("not_started")], .integer(1))
        let finals = collection.runs.prefix(2).compactMap { $0.figures[.finalTestMSEt] }
        XCTAssertEqual(grouped.rows[0][column("final_test_mset_median")], .number((finals[0] + finals[1]) / 2))
        XCTAssertEqual(grouped.rows[0][column("final_test_mset_min")], .number(finals.min()!))

        let best = try collection.table(grouping: .none, bestBy: .finalTestMSEt)
        XCTAssertEqual(best.rows.count, 1)
        XCTAssertEqual(best.rows[0][best.columns.firstIndex(of: "settings")!], .integer(2))
        let bestLR = collection.runs.filter { $0.status == .finished }.min { $0.figures[.finalTestMSEt]! < $1.figures[.finalTestMSEt]! }
        XCTAssertNotNil(bestLR)
        XCTAssertThrowsError(try collection.table(grouping: .axes(["alpha"]), bestBy: nil)) { error in
            XCTAssertTrue("\(error)".hasPrefix("unknown axis 'alpha'"), "\(error)")
        }
        XCTAssertThrowsError(try collection.paperTable(markdown: false))
        XCTAssertEqual(try collection.table(grouping: .axes(["lr"]), bestBy: nil).csv().split(separator: "\n").count, 3)
        XCTAssertThrowsError(try RunCollection.gather([folder.appendingPathComponent("nothing").path]))
    }
}
