import Foundation
import SVGPlot

extension RunPlot {
    /// The meta-training curves of a run (docs/method.md §3.1): train and test MSEt (frozen weights) and
    /// the online training error (while weights change) at each evaluation, against epoch,
    /// log y axis. Curriculum phase changes (docs/method.md §1.3) are dashed vertical markers at the
    /// last epoch of the earlier phase.
    ///
    /// With the run's `configuration`, the title names the family and network, each phase
    /// marker its sequence length, and reference lines show the Bayes-optimal MSEt on the
    /// run's test set where `bayesFloor(family:testSet:initialPreviousTarget:)` knows it, and
    /// the paper's test MSEt for runs of a Table 2 experiment (by preset, or by family, K and J).
    /// - Parameters:
    ///   - history: the evaluations in order of epoch (`metrics.csv`); non-finite values are
    ///     left out of the lines.
    ///   - configuration: the run's configuration, for the title and the reference lines (nil:
    ///     neither).
    public static func training(history: [EvaluationRecord], configuration: TrainingConfiguration? = nil) -> RunPlot {
        let epochs = history.map { Double($0.epoch) }
        var title = "Meta-training"
        if let configuration {
            title = "\(familyTitle(configuration.family)) meta-training: \(configuration.architecture.name) "
                + "\(configuration.architecture.topology), α = \(configuration.learningRate), "
                + "K = \(configuration.trainingSequences), J = \(configuration.sequenceLength)"
        }
        var plot = LinePlot(title: title, xLabel: "epoch", yLabel: "mean squared error per time step", yScale: .log10)
        plot.series.append(LinePlot.Series(name: "train MSEt", x: epochs, y: history.map(\.trainMSEt), style: .solid(.blue)))
        plot.series.append(LinePlot.Series(name: "test MSEt", x: epochs, y: history.map(\.testMSEt), style: .solid(.orange)))
        plot.series.append(LinePlot.Series(name: "online training error", x: epochs, y: history.map(\.onlineTrainingError),
                                           style: .dashed(.green)))
        for (previous, record) in zip(history, history.dropFirst()) where record.phase != previous.phase {
            var label = "phase \(record.phase + 1)"
            if let configuration, configuration.phases.indices.contains(record.phase) {
                label += ": J = \(configuration.phases[record.phase].length)"
            }
            plot.verticalMarkers.append(LinePlot.VerticalMarker(x: Double(previous.epoch), label: label))
        }
        if let configuration {
            let testSet = configuration.evaluationSequences(from: .runTestSet)
            if let floor = bayesFloor(family: configuration.family, testSet: testSet,
                                      initialPreviousTarget: configuration.initialPreviousTarget) {
                plot.referenceLines.append(LinePlot.ReferenceLine(
                    y: floor.value, label: "Bayes-optimal test MSEt \(formatted(floor.value))", color: .gray))
            }
            if let paper = paperRow(matching: configuration) {
                plot.referenceLines.append(LinePlot.ReferenceLine(
                    y: paper.testMSEt, label: "paper's test MSEt \(formatted(paper.testMSEt))", color: .purple))
            }
        }
        return RunPlot(kind: .training, plot: plot)
    }

    /// The meta-training curves of the run in `folder`, from its `metrics.csv`, with its
    /// `config.json` if the folder has one; see ``training(history:configuration:)``.
    /// - Throws: ``MetricsFileError`` for a missing or malformed `metrics.csv`, or one without
    ///   evaluations yet; `ConfigurationError` for a missing folder or an unreadable `config.json`.
    public static func training(runFolder folder: RunFolder) throws -> RunPlot {
        try requireRunFolder(folder)
        let history = try folder.readMetrics()
        guard !history.isEmpty else { throw MetricsFileError.noEvaluations(file: folder.metricsURL.relativePath) }
        let configuration = FileManager.default.fileExists(atPath: folder.configURL.path)
            ? try folder.readConfiguration() : nil
        return training(history: history, configuration: configuration)
    }

    /// The row of the paper's Table 2 that `configuration` reproduces: its preset's, or else
    /// the row with the same family, number of functions K and examples J.
    static func paperRow(matching configuration: TrainingConfiguration) -> PaperTable2Row? {
        if let row = PaperTable2Row.table2[configuration.preset] { return row }
        return PaperTable2Row.row(family: configuration.family, functions: configuration.trainingSequences,
                                  examples: configuration.sequenceLength)
    }

    /// Throws unless `folder` is an existing directory.
    static func requireRunFolder(_ folder: RunFolder) throws(ConfigurationError) {
        var isDirectory: ObjCBool = false
        let path = folder.url.relativePath
        guard FileManager.default.fileExists(atPath: folder.url.path, isDirectory: &isDirectory) else {
            throw .invalid("no run folder at \(path)")
        }
        guard isDirectory.boolValue else { throw .invalid("\(path) is not a run folder (it is a file)") }
    }
}
