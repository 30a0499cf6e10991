import SVGPlot

extension RunPlot {
    /// The number of consecutive test sequences of Figure 2 by default (docs/method.md §8.4).
    public static let defaultErrorSequenceCount = 5

    /// The paper's Figure 2 (docs/method.md §8.4) for a trained model: |e(t)| against the global time
    /// step t over `sequences` consecutive sequences of the model's family, each started from
    /// reset, with a dashed vertical marker at each sequence start (the function switch),
    /// labelled with the function's name for the Boolean families; linear y axis.
    ///
    /// - Parameters:
    ///   - model: the trained model.
    ///   - sequences: how many consecutive sequences, of the run's test length each.
    ///   - source: the run's own test set (its first `sequences` sequences; default), or a
    ///     fresh set as `metalearn eval --seed` draws it.
    /// - Throws: `ConfigurationError` if `sequences` is less than 1.
    public static func errors(of model: LoadedModel, sequences: Int = defaultErrorSequenceCount,
                              source: TestSequenceSource = .runTestSet) throws(ConfigurationError) -> RunPlot {
        guard sequences >= 1 else {
            throw .invalid("the errors plot needs at least one sequence (got \(sequences))")
        }
        let configuration = model.configuration
        try SequenceSet.checkSize(count: sequences, length: configuration.testLength,
                                  inputDimension: configuration.architecture.inputDimension, what: "the errors plot")
        let set = configuration.evaluationSequences(from: source, count: sequences)
        let trace = ErrorTrace(network: model.network, sequences: set,
                               initialPreviousTarget: configuration.initialPreviousTarget)
        let title = "\(familyTitle(configuration.family)): |error| over \(sequences == 1 ? "1 sequence" : "\(sequences) consecutive sequences") "
            + "of \(source.caption) (\(modelCaption(configuration, epochs: model.epoch)))"
        return errors(trace, family: configuration.family, title: title)
    }

    /// Figure 2 drawn from an already computed trace; see ``errors(of:sequences:source:)``.
    public static func errors(_ trace: ErrorTrace, family: FamilySpec, title: String) -> RunPlot {
        var plot = LinePlot(title: title,
                            xLabel: "time step t (dashed: start of a sequence = switch to a new function)",
                            yLabel: "|error| = |y(t) − o(t)|",
                            xRange: 0...Double(trace.absoluteErrors.count),
                            legendPlacement: .hidden)
        plot.series.append(LinePlot.Series(name: "|error|", y: trace.absoluteErrors, firstX: 1,
                                           style: LinePlot.SeriesStyle(color: .blue, lineWidth: 1)))
        for (k, start) in trace.sequenceStarts.enumerated() {
            let id = trace.functionIDs[k]
            let label = family.isBoolean && id >= 0 ? BooleanFamily.name(ofTable: id) : nil
            plot.verticalMarkers.append(LinePlot.VerticalMarker(x: Double(start), label: label))
        }
        // Wide and low like the paper's figure: time runs across several sequences.
        return RunPlot(kind: .errors, plot: plot, width: 1000, height: 420)
    }
}
