import SVGPlot

extension RunPlot {
    /// The subordinate learning curves (docs/method.md §3.2) of a trained model on a test set: mean
    /// ē(j) and median ẽ(j) squared error against the example position j, log y axis.
    ///
    /// The x axis is logarithmic too, because the subordinate learner learns within the
    /// first few examples and is flat afterwards. Drawn with the curves, where known:
    /// - for the Boolean families, the Bayes-optimal predictor's mean curve on the same
    ///   sequences (dashed gray; it reaches 0 once every sequence has shown all four input
    ///   patterns, and a log axis leaves those positions out);
    /// - the Bayes-optimal MSEt of `bayesFloor(family:testSet:initialPreviousTarget:)` as a
    ///   reference line (exact for Boolean families, docs/method.md §3.4's value for the semi-linear one);
    /// - the threshold θ = 0.01 as a reference line, and a vertical marker at the subordinate
    ///   train time T(θ) = max{ j : ẽ(j) > θ } if it is at least 1.
    /// - Parameters:
    ///   - model: the trained model.
    ///   - source: the run's own test set (default; the set of `curve.csv`), or a fresh set as
    ///     `metalearn eval --seed` draws it, of the run's test size.
    public static func learningCurve(of model: LoadedModel, source: TestSequenceSource = .runTestSet) -> RunPlot {
        let configuration = model.configuration
        let y0 = configuration.initialPreviousTarget
        let set = configuration.evaluationSequences(from: source)
        let errors = model.network.errors(on: set, initialPreviousTarget: y0)
        let metrics = SubordinateMetrics(errors: errors)
        let caption = source.caption.replacingOccurrences(of: "the ", with: "")
        var plot = LinePlot(title: "\(familyTitle(configuration.family)) learning curves: \(caption), \(set.count) sequences "
                                + "(\(modelCaption(configuration, epochs: model.epoch)))",
                            xLabel: "example position j in the sequence",
                            yLabel: "squared error E(j)", xScale: .log10, yScale: .log10,
                            xRange: 1...Double(max(set.length, 2)))
        plot.series.append(LinePlot.Series(name: "mean ē(j)", y: errors.meanCurve, firstX: 1, style: .solid(.blue)))
        plot.series.append(LinePlot.Series(name: "median ẽ(j)", y: errors.medianCurve, firstX: 1, style: .solid(.orange)))
        if var bayes = configuration.family.makeFamily().makeBayesPredictor() {
            let bayesErrors = ErrorMatrix(sequences: set.count, length: set.length,
                                          squaredErrors: bayes.squaredErrors(on: set, initialPreviousTarget: y0))
            plot.series.append(LinePlot.Series(name: bayesCurveName, y: bayesErrors.meanCurve, firstX: 1,
                                               style: .dashed(.gray)))
        }
        if let floor = bayesFloor(family: configuration.family, testSet: set, initialPreviousTarget: y0) {
            plot.referenceLines.append(LinePlot.ReferenceLine(y: floor.value, label: "Bayes-optimal MSEt \(formatted(floor.value))",
                                                              color: .gray))
        }
        plot.referenceLines.append(LinePlot.ReferenceLine(y: metrics.threshold, label: "θ = \(formatted(metrics.threshold))",
                                                          color: .red))
        if metrics.trainTime >= 1, metrics.reachesThreshold {
            plot.verticalMarkers.append(LinePlot.VerticalMarker(x: Double(metrics.trainTime),
                                                                label: "T(θ) = \(metrics.trainTime)", color: .red))
        }
        return RunPlot(kind: .curve, plot: plot)
    }

    /// The legend name of the Bayes-optimal mean curve, which is exactly 0 (and so not drawn
    /// on a log axis) wherever every sequence has already shown the pattern it is asked about.
    public static let bayesCurveName = "Bayes-optimal mean (not drawn where 0)"
}
