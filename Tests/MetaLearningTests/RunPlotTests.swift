#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// The figures of a run (`metalearn plot`): built from a tiny trained run in a temporary
/// folder, written as SVG and read back with `XMLParser`.
final class RunPlotTests: XCTestCase {
    private static let length = 12

    /// Trains a small run to the end with a ``TrainingSession`` that writes every file of a
    /// run folder, and returns the folder.
    private func trainedRun(family: String = "b16", phases: [TrainingPhase]? = nil) throws -> RunFolder {
        let configuration = TrainingConfiguration(
            seed: 3, family: try FamilySpec(name: family), architecture: .lstm1997(.paperSingleLayer),
            trainingSequences: 8, sequenceLength: Self.length, testSequences: 6, phases: phases, epochs: 4,
            learningRate: 0.01, evaluationInterval: 1)
        let folder = RunFolder(url: try temporaryFolder().appendingPathComponent("run"))
        let outcome = try TrainingSession(trainer: try MetaTrainer(configuration: configuration), folder: folder).run()
        guard case .finished = outcome else { throw XCTSkip("the session did not finish") }
        return folder
    }

    // MARK: - All three figures

    func testWriteAllPutsThreeWellFormedSVGFilesIntoTheRunFolder() throws {
        let folder = try trainedRun()
        let written = try RunPlot.writeAll(in: folder, sequences: 3)
        XCTAssertEqual(written.map(\.lastPathComponent), ["errors.svg", "curve.svg", "training.svg"])
        for url in written {
            XCTAssertEqual(url.deletingLastPathComponent().standardizedFileURL.path, folder.url.standardizedFileURL.path)
            let document = try SVGDocument(String(contentsOf: url, encoding: .utf8))
            XCTAssertEqual(document.elements.first?.name, "svg", url.lastPathComponent)
            XCTAssertFalse(document.elements(ofClass: "series").isEmpty, url.lastPathComponent)
        }
    }

    // MARK: - Figure 2

    func testErrorsPlotHasOneMarkerPerSequenceAndSequencesTimesJPoints() throws {
        let folder = try trainedRun()
        let model = try LoadedModel(path: folder.url.path)
        let sequences = 3
        let figure = try RunPlot.errors(of: model, sequences: sequences)
        XCTAssertEqual(figure.kind, .errors)
        XCTAssertEqual(figure.plot.yScale, .linear)
        XCTAssertEqual(figure.plot.series.count, 1)
        XCTAssertEqual(figure.plot.series[0].count, sequences * Self.length)
        XCTAssertEqual(figure.plot.verticalMarkers.map(\.x), [1, 13, 25], "a marker at each sequence start t = kJ + 1")

        let document = try SVGDocument(figure.svg())
        let series = document.elements(ofClass: "series")
        XCTAssertEqual(series.count, 1)
        XCTAssertEqual(try SVGDocument.pointCount(ofPath: XCTUnwrap(series[0].attributes["d"])), sequences * Self.length)
        XCTAssertEqual(document.elements(ofClass: "vertical-marker").count, sequences)
        // Boolean families label each switch with the new function's name.
        let names = Set((0...15).map { BooleanFamily.name(ofTable: $0) })
        for label in document.elements(ofClass: "marker-label") {
            XCTAssertTrue(names.contains(label.text), "'\(label.text)' is not a Boolean function name")
        }
    }

    func testErrorTraceIsTheAbsoluteErrorOfTheFrozenNetworkOnTheRunTestSet() throws {
        let folder = try trainedRun()
        let model = try LoadedModel(path: folder.url.path)
        let configuration = model.configuration
        let set = configuration.evaluationSequences(from: .runTestSet, count: 2)
        let trace = ErrorTrace(network: model.network, sequences: set, initialPreviousTarget: configuration.initialPreviousTarget)
        let squared = model.network.errors(on: set, initialPreviousTarget: configuration.initialPreviousTarget)
        XCTAssertEqual(trace.sequenceStarts, [1, Self.length + 1])
        for (absolute, square) in zip(trace.absoluteErrors, squared.squaredErrors) {
            XCTAssertEqual(absolute * absolute, square, accuracy: 1e-15)
        }
        XCTAssertEqual(trace.functionIDs, set.functionIDs)
    }

    func testRunTestSetIsRegeneratedExactlyAndFreshSetsAreSequencePrefixes() throws {
        let configuration = TrainingConfiguration(
            seed: 5, family: try FamilySpec(name: "b16"), architecture: .lstm1997(.paperSingleLayer),
            trainingSequences: 8, sequenceLength: Self.length, testSequences: 6, epochs: 1, learningRate: 0.01)
        let trainer = try MetaTrainer(configuration: configuration)
        XCTAssertEqual(configuration.evaluationSequences(from: .runTestSet), trainer.testSet)
        let three = configuration.evaluationSequences(from: .runTestSet, count: 3)
        XCTAssertEqual(Array(trainer.testSet.targets.prefix(3 * Self.length)), three.targets)
        let fresh = configuration.evaluationSequences(from: .fresh(seed: 9), count: 2)
        let moreFresh = configuration.evaluationSequences(from: .fresh(seed: 9), count: 5)
        XCTAssertEqual(fresh.inputs, Array(moreFresh.inputs.prefix(fresh.inputs.count)))
        XCTAssertNotEqual(fresh.inputs, Array(trainer.testSet.inputs.prefix(fresh.inputs.count)),
                          "the evaluation stream is independent of the run's test stream")
    }

    func testErrorsPlotRejectsANonPositiveSequenceCount() throws {
        let model = try LoadedModel(path: trainedRun().url.path)
        for count in [0, -2] {
            XCTAssertThrowsError(try RunPlot.errors(of: model, sequences: count)) { error in
                XCTAssertTrue(error is ConfigurationError, "\(error)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
    }

    // MARK: - Learning curves

    func testBooleanLearningCurveDrawsMeanMedianBayesCurveFloorAndThreshold() throws {
        let model = try LoadedModel(path: trainedRun().url.path)
        let figure = RunPlot.learningCurve(of: model)
        XCTAssertEqual(figure.plot.yScale, .log10)
        XCTAssertEqual(figure.plot.series.map(\.name), ["mean ē(j)", "median ẽ(j)", RunPlot.bayesCurveName])
        XCTAssertTrue(figure.plot.series.allSatisfy { $0.count == Self.length })
        XCTAssertEqual(figure.plot.referenceLines.count, 2)
        XCTAssertEqual(figure.plot.referenceLines.last?.y, 0.01)

        let document = try SVGDocument(figure.svg())
        XCTAssertEqual(document.elements(ofClass: "series").count, 3)
        XCTAssertEqual(document.elements(ofClass: "reference-line").count, 2)
        // The Bayes mean curve of B16 starts at exactly 0.25 (any table is possible at j = 1).
        XCTAssertEqual(figure.plot.series[2].y[0], 0.25, accuracy: 1e-12)
    }

    func testQuadraticLearningCurveHasNoBayesCurveOnlyTheThreshold() throws {
        let model = try LoadedModel(path: trainedRun(family: "quad").url.path)
        let figure = RunPlot.learningCurve(of: model)
        XCTAssertEqual(figure.plot.series.count, 2)
        XCTAssertEqual(figure.plot.referenceLines.map(\.y), [0.01])
        XCTAssertEqual(try SVGDocument(figure.svg()).elements(ofClass: "series").count, 2)
    }

    // MARK: - Training curves

    func testTrainingPlotDrawsThreeCurvesAndMarksCurriculumPhaseChanges() throws {
        let folder = try trainedRun(phases: [TrainingPhase(epochs: 2, length: 6), TrainingPhase(epochs: 2, length: Self.length)])
        let history = try folder.readMetrics()
        XCTAssertEqual(history.map(\.epoch), [1, 2, 3, 4])
        let figure = try RunPlot.training(runFolder: folder)
        XCTAssertEqual(figure.plot.yScale, .log10)
        XCTAssertEqual(figure.plot.series.map(\.name), ["train MSEt", "test MSEt", "online training error"])
        XCTAssertTrue(figure.plot.series.allSatisfy { $0.count == history.count })
        XCTAssertEqual(figure.plot.verticalMarkers.map(\.x), [2], "phase 2 starts after epoch 2")
        XCTAssertEqual(figure.plot.verticalMarkers.first?.label, "phase 2: J = \(Self.length)")

        let document = try SVGDocument(figure.svg())
        XCTAssertEqual(document.elements(ofClass: "series").count, 3)
        XCTAssertEqual(document.elements(ofClass: "vertical-marker").count, 1)
        XCTAssertEqual(document.elements(ofClass: "reference-line").count, 1, "the Bayes floor of B16")
    }

    func testTrainingPlotWithoutPhaseChangesHasNoMarkers() {
        let history = (1...3).map {
            EvaluationRecord(epoch: $0 * 10, phase: 0, onlineTrainingError: 0.2, trainMSEt: 0.1 / Double($0),
                             testMSEt: 0.11 / Double($0), elapsedSeconds: Double($0))
        }
        let figure = RunPlot.training(history: history)
        XCTAssertTrue(figure.plot.verticalMarkers.isEmpty)
        XCTAssertEqual(figure.plot.series[1].x, [10, 20, 30])
    }

    // MARK: - metrics.csv

    func testMetricsCSVReadsBackWhatTheRunFolderWrote() throws {
        let folder = RunFolder(url: try temporaryFolder())
        let history = [
            EvaluationRecord(epoch: 8, phase: 0, onlineTrainingError: 0.19761234567, trainMSEt: 0.1, testMSEt: 1e-7,
                             elapsedSeconds: 0.7),
            EvaluationRecord(epoch: 16, phase: 1, onlineTrainingError: 0.125, trainMSEt: 0.0625, testMSEt: 3.0e-3,
                             elapsedSeconds: 12.5),
        ]
        try folder.writeMetrics(history)
        XCTAssertEqual(try folder.readMetrics(), history)
        try folder.writeMetrics([])
        XCTAssertEqual(try folder.readMetrics(), [])
    }

    func testMalformedMetricsErrorsNameTheFileAndLine() {
        let header = "epoch,phase,online_training_error,train_mset,test_mset,elapsed_seconds\n"
        let good = "1,0,0.2,0.19,0.2,0.5\n"
        let cases: [(text: String, line: Int?, mentions: String)] = [
            ("", 1, "empty"),
            ("\n\n", 1, "empty"),
            ("epoch,phase,train_mset\n" + good, 1, "online_training_error"),
            (header + good + "2,0,0.2,abc,0.2,0.5\n", 3, "column train_mset: 'abc' is not a number"),
            (header + good + "2,0,0.2,0.1,-0.2,0.5\n", 3, "column test_mset"),
            (header + good + "\n2.5,0,0.2,0.1,0.2,0.5\n", 4, "column epoch: '2.5' is not a whole number"),
            (header + good + "2,-1,0.2,0.1,0.2,0.5\n", 3, "column phase"),
            (header + good + "2,0,0.2,0.1\n", 3, "expected 6 columns, found 4"),
            (header + good + good, 3, "epoch 1 does not follow epoch 1"),
            (header + "1,0,\"0.2,0.19,0.2,0.5\n", 2, "quoted"),
        ]
        for (text, line, mention) in cases {
            XCTAssertThrowsError(try RunFolder.parseMetrics(Data(text.utf8), file: "run/metrics.csv"), text) { error in
                guard let error = error as? MetricsFileError else { return XCTFail("\(error) is not a MetricsFileError") }
                XCTAssertEqual(error.line, line, text)
                XCTAssertEqual(error.file, "run/metrics.csv")
                let message = error.description
                XCTAssertTrue(message.hasPrefix("run/metrics.csv, line \(line ?? 0)"), message)
                XCTAssertTrue(message.contains(mention), "'\(message)' should mention '\(mention)'")
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
    }

    func testMetricsReaderAcceptsReorderedAndExtraColumnsAndNaN() throws {
        let text = "test_mset,epoch,note,phase,train_mset,online_training_error,elapsed_seconds\r\n"
            + "0.25,5,\"a, b\",0,0.24,nan,1.5\r\n"
        let records = try RunFolder.parseMetrics(Data(text.utf8), file: "m.csv")
        XCTAssertEqual(records.count, 1)
        XCTAssertEqual(records[0].epoch, 5)
        XCTAssertEqual(records[0].testMSEt, 0.25)
        XCTAssertTrue(records[0].onlineTrainingError.isNaN)
        // A NaN point is left out of the drawn line rather than breaking the document.
        XCTAssertNoThrow(try SVGDocument(RunPlot.training(history: records).svg()))
    }

    func testTrainingPlotOfARunWithoutEvaluationsOrFolderIsAOneLineError() throws {
        let folder = RunFolder(url: try temporaryFolder())
        try folder.writeMetrics([])
        XCTAssertThrowsError(try RunPlot.training(runFolder: folder)) { error in
            XCTAssertEqual(error as? MetricsFileError, .noEvaluations(file: folder.metricsURL.relativePath))
        }
        let missing = RunFolder(url: folder.url.appendingPathComponent("no-such-run"))
        for attempt in [{ _ = try RunPlot.training(runFolder: missing) }, { try RunPlot.writeAll(in: missing) }] {
            XCTAssertThrowsError(try attempt()) { error in
                guard let error = error as? ConfigurationError else { return XCTFail("\(error)") }
                XCTAssertTrue(error.description.contains("no run folder at"), error.description)
                XCTAssertFalse(error.description.contains("\n"))
            }
        }
        let noMetrics = RunFolder(url: try temporaryFolder())
        XCTAssertThrowsError(try RunPlot.training(runFolder: noMetrics)) { error in
            XCTAssertEqual((error as? MetricsFileError)?.description,
                           "cannot read \(noMetrics.metricsURL.relativePath): no such file")
        }
    }

    func testDefaultPlotFilesGoNextToTheModel() throws {
        let folder = try temporaryFolder()
        let model = folder.appendingPathComponent("model.json")
        XCTAssertEqual(RunPlot.defaultURL(for: .errors, nextTo: model.path).path, folder.appendingPathComponent("errors.svg").path)
        XCTAssertEqual(RunPlot.defaultURL(for: .training, nextTo: folder.path).path, folder.appendingPathComponent("training.svg").path)
        XCTAssertEqual(RunPlot.Kind.allCases.map(\.fileName), ["errors.svg", "curve.svg", "training.svg"])
    }

    func testBooleanFunctionNamesMatchTheirTruthTables() {
        // f(p) = bit p of the table, p = 2·x1 + x2 (docs/method.md §2).
        XCTAssertEqual(BooleanFamily.name(ofTable: 8), "AND")
        XCTAssertEqual(BooleanFamily.name(ofTable: 14), "OR")
        XCTAssertEqual(BooleanFamily.name(ofTable: 6), "XOR")
        XCTAssertEqual(BooleanFamily.name(ofTable: 9), "XNOR")
        XCTAssertEqual(BooleanFamily.name(ofTable: 12), "x1")
        XCTAssertEqual(BooleanFamily.name(ofTable: 10), "x2")
        XCTAssertEqual(Set((0...15).map { BooleanFamily.name(ofTable: $0) }).count, 16)
    }
}
