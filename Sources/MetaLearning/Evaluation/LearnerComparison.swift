import Foundation
import SVGPlot

/// The meta-learned network beside classical online learners on identical test streams
/// (`metalearn compare`).
///
/// Every learner, the network included, sees the same sequences in the same order, is reset at
/// the start of each, and at example j gets x(j) and the previous target y(j−1) (docs/method.md §1.1).
/// The sequences are fresh functions of a family (the model's own, or another one for a
/// transfer check) drawn from the evaluation stream of `seed`, so they are independent of the
/// model's training and test sets.
public struct LearnerComparison {
    /// What to compare on.
    public struct Options: Sendable, Equatable {
        /// Held-out functions (sequences).
        public var functions: Int
        /// Examples per sequence; nil means the model's test length (a longer one checks
        /// generalisation beyond the trained horizon).
        public var length: Int?
        /// The family to draw the functions from; nil means the model's own.
        public var family: FamilySpec?
        /// Seed of the evaluation stream.
        public var seed: UInt64
        /// The criterion θ of examples-to-criterion T(θ) (docs/method.md §3.5: 0.01).
        public var threshold: Double
        /// Bootstrap resamples of the 90% bands.
        public var bootstrapResamples: Int

        /// Creates options; the defaults are those of `metalearn compare`.
        public init(functions: Int = 1000, length: Int? = nil, family: FamilySpec? = nil, seed: UInt64 = 1,
                    threshold: Double = 0.01, bootstrapResamples: Int = 1000) {
            self.functions = functions
            self.length = length
            self.family = family
            self.seed = seed
            self.threshold = threshold
            self.bootstrapResamples = bootstrapResamples
        }

        /// The most bootstrap resamples (each costs a pass over the functions per position).
        public static let maximumBootstrapResamples = 100_000

        /// Checks the values.
        /// - Throws: `ConfigurationError/invalid(_:)` naming the bad option.
        public func validate() throws {
            if functions < 2 { throw ConfigurationError.invalid("the comparison needs at least 2 functions (got \(functions))") }
            if let length, length < 1 { throw ConfigurationError.invalid("the sequence length must be at least 1 (got \(length))") }
            if !(threshold > 0) || !threshold.isFinite { throw ConfigurationError.invalid("the criterion θ must be a positive number (got \(threshold))") }
            if bootstrapResamples < 1 || bootstrapResamples > Self.maximumBootstrapResamples {
                throw ConfigurationError.invalid("the bootstrap needs 1...\(Self.maximumBootstrapResamples) resamples (got \(bootstrapResamples))")
            }
        }
    }

    /// The name under which the network appears in tables and plots.
    public static let networkName = "network"

    /// The trained model.
    public let model: LoadedModel
    /// The classical learners.
    public let learners: [LearnerSpec]
    /// The options.
    public let options: Options

    /// Prepares a comparison.
    /// - Throws: `ConfigurationError` for bad options, a family whose input dimension differs
    ///   from the network's, an empty list of learners or one naming a learner twice, or a
    ///   learner that does not apply to the family.
    public init(model: LoadedModel, learners: [LearnerSpec]? = nil, options: Options = Options()) throws {
        try options.validate()
        let family = options.family ?? model.configuration.family
        let networkDimension = model.configuration.architecture.inputDimension
        let familyDimension = family.makeFamily().inputDimension
        guard networkDimension == familyDimension else {
            throw ConfigurationError.invalid("the family \(family.name) has \(familyDimension) inputs but the model expects \(networkDimension)")
        }
        try SequenceSet.checkSize(count: options.functions, length: options.length ?? model.configuration.testLength,
                                  inputDimension: familyDimension, what: "the comparison's test set")
        let chosen = learners ?? LearnerSpec.defaults(for: family)
        try LearnerSpec.checkDistinct(chosen)
        for learner in chosen where !learner.isApplicable(to: family) {
            throw ConfigurationError.invalid("the learner \(learner) does not apply to the family \(family.name)")
        }
        self.model = model
        self.learners = chosen
        self.options = options
    }

    /// The family the functions are drawn from.
    public var family: FamilySpec { options.family ?? model.configuration.family }

    /// The sequence length used.
    public var length: Int { options.length ?? model.configuration.testLength }

    /// Draws the test sequences (the evaluation stream of the seed, as `metalearn eval`).
    public func testSet() -> SequenceSet {
        var stream = Xoshiro256StarStar(masterSeed: options.seed, stream: .other)
        return SequenceSet(family: family.makeFamily(), count: options.functions, length: length, using: &stream)
    }

    /// Runs the network and every learner on the same sequences and summarises their curves.
    /// - Throws: `ConfigurationError` if a learner cannot be built.
    public func run() throws -> LearnerComparisonResult {
        let set = testSet()
        let y0 = model.configuration.initialPreviousTarget
        var matrices: [(String, ErrorMatrix)] = [(Self.networkName, model.network.errors(on: set, initialPreviousTarget: y0))]
        for learner in learners {
            var predictor = try learner.makePredictor(for: family, inputDimension: set.inputDimension)
            let errors = predictor.squaredErrors(on: set, initialPreviousTarget: y0)
            matrices.append((learner.description, ErrorMatrix(sequences: set.count, length: set.length, squaredErrors: errors)))
        }
        var bootstrapStream = Xoshiro256StarStar(masterSeed: options.seed &+ 0x9E37_79B9, stream: .other)
        let curves = matrices.map { name, errors in
            LearnerCurve(learner: name, errors: errors, threshold: options.threshold,
                         resamples: options.bootstrapResamples, using: &bootstrapStream)
        }
        let configuration = model.configuration
        return LearnerComparisonResult(network: "\(configuration.architecture.name) \(configuration.architecture.topology)",
                                trainedFamily: configuration.family.description, trainedLength: configuration.testLength,
                                family: family.description, functions: set.count, length: set.length, seed: options.seed,
                                threshold: options.threshold, confidence: 0.9, curves: curves)
    }
}

/// One learner's errors on a comparison's sequences, summarised per example position.
public struct LearnerCurve: Codable, Equatable, Sendable {
    /// The learner's name (``LearnerComparison/networkName`` for the network).
    public var learner: String
    /// Mean squared error over every step of every sequence (MSEt, docs/method.md §3.1).
    public var meanSquaredErrorPerStep: Double
    /// Mean squared error at each example position j = 1…J.
    public var mean: [Double]
    /// The bootstrap band of ``mean``.
    public var band: BootstrapBand
    /// Median squared error at each position.
    public var median: [Double]
    /// Examples to criterion on the mean curve: max{ j : ē(j) > θ } (0 if never above θ).
    public var examplesToCriterionMean: Int
    /// Examples to criterion on the median curve, T(θ) of docs/method.md §3.5.
    public var examplesToCriterionMedian: Int

    /// Summarises `errors`.
    public init(learner: String, errors: ErrorMatrix, threshold: Double, resamples: Int,
                using generator: inout Xoshiro256StarStar) {
        self.learner = learner
        meanSquaredErrorPerStep = errors.meanSquaredErrorPerStep
        mean = errors.meanCurve
        median = errors.medianCurve
        band = BootstrapBand(meanCurveOf: errors, resamples: resamples, confidence: 0.9, using: &generator)
        examplesToCriterionMean = SubordinateMetrics.lastExceedance(mean, threshold)
        examplesToCriterionMedian = SubordinateMetrics.lastExceedance(median, threshold)
    }
}

/// The outcome of a ``LearnerComparison``: one ``LearnerCurve`` per learner, the network first.
public struct LearnerComparisonResult: Codable, Equatable, Sendable {
    /// The network's architecture and topology.
    public var network: String
    /// The family the network was trained on.
    public var trainedFamily: String
    /// The sequence length of the network's test set (its training horizon).
    public var trainedLength: Int
    /// The family of the compared sequences.
    public var family: String
    /// Number of sequences (functions).
    public var functions: Int
    /// Examples per sequence.
    public var length: Int
    /// Seed of the evaluation stream.
    public var seed: UInt64
    /// The criterion θ.
    public var threshold: Double
    /// Coverage of the bootstrap bands.
    public var confidence: Double
    /// The curves, network first.
    public var curves: [LearnerCurve]

    /// The network's curve.
    public var networkCurve: LearnerCurve { curves[0] }

    /// The positions (1-based) at which `curve`'s mean is significantly below (`better`) or
    /// above the network's: the two 90% bands do not overlap.
    public func positions(where curve: LearnerCurve, is comparison: ComparisonSide) -> [Int] {
        let net = networkCurve
        return (0..<length).compactMap { j in
            switch comparison {
            case .better: return curve.band.upper[j] < net.band.lower[j] ? j + 1 : nil
            case .worse: return curve.band.lower[j] > net.band.upper[j] ? j + 1 : nil
            }
        }
    }

    /// Which side of the network a learner is on.
    public enum ComparisonSide: Sendable {
        /// Lower error than the network.
        case better
        /// Higher error than the network.
        case worse
    }
}

extension LearnerComparisonResult {
    /// Positions shown in the table's per-position columns.
    public var tablePositions: [Int] {
        var positions = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000].filter { $0 < length }
        positions.append(length)
        return positions
    }

    /// A Markdown table: MSEt, T(θ) on the mean and median curves, mean error at chosen
    /// positions, and where the learner is significantly better than the network.
    public var markdown: String {
        var lines = ["Comparison on \(functions) fresh \(family) functions × \(length) examples (seed \(seed)); "
                     + "network: \(network) trained on \(trainedFamily), J = \(trainedLength).",
                     "",
                     "| learner | MSEt | T(\(Self.format(threshold))) mean | T median | "
                     + tablePositions.map { "ē(\($0))" }.joined(separator: " | ") + " | better than the network at j |",
                     "|---|---|---|---|" + tablePositions.map { _ in "---|" }.joined() + "---|"]
        for curve in curves {
            let better = curve.learner == LearnerComparison.networkName ? "—" : Self.ranges(positions(where: curve, is: .better))
            lines.append("| \(curve.learner) | \(Self.format(curve.meanSquaredErrorPerStep)) | \(curve.examplesToCriterionMean) | "
                         + "\(curve.examplesToCriterionMedian) | "
                         + tablePositions.map { Self.format(curve.mean[$0 - 1]) }.joined(separator: " | ") + " | \(better) |")
        }
        lines.append("")
        lines.append("T(θ) = max{ j : curve(j) > θ } (0: never above θ); \"better\": the two \(Int(confidence * 100))% "
                     + "bootstrap bands of the mean curve do not overlap.")
        return lines.joined(separator: "\n")
    }

    /// Long-format CSV: `learner,position,mean,lower,upper,median`, one row per learner and position.
    public var csv: String {
        var text = "learner,position,mean,lower,upper,median\n"
        for curve in curves {
            for j in 0..<length {
                text += "\(curve.learner),\(j + 1),\(curve.mean[j]),\(curve.band.lower[j]),\(curve.band.upper[j]),\(curve.median[j])\n"
            }
        }
        return text
    }

    /// Mean squared error against the example position for every learner, log–log axes, each
    /// with its 90% bootstrap band shaded in its colour.
    public var plot: LinePlot {
        var plot = LinePlot(title: "\(family): mean squared error vs examples seen (\(functions) functions)",
                            xLabel: "example position j", yLabel: "mean squared error ē(j)",
                            xScale: .log10, yScale: .log10, xRange: 1...Double(max(length, 2)))
        let palette = LinePlot.PaletteColor.allCases
        for (index, curve) in curves.enumerated() {
            let color = palette[index % palette.count]
            let style: LinePlot.SeriesStyle = index == 0 ? LinePlot.SeriesStyle(color: color, drawing: .solidLine, lineWidth: 2.5)
                                                         : .solid(color)
            plot.series.append(LinePlot.Series(name: curve.learner, y: curve.mean, firstX: 1, style: style))
            plot.bands.append(LinePlot.Band(lower: curve.band.lower, upper: curve.band.upper, firstX: 1, color: color,
                                            opacity: index == 0 ? 0.2 : 0.1))
        }
        if length > trainedLength {
            plot.verticalMarkers.append(LinePlot.VerticalMarker(x: Double(trainedLength), label: "trained length", color: .gray))
        }
        plot.referenceLines.append(LinePlot.ReferenceLine(y: threshold, label: "θ = \(Self.format(threshold))", color: .red))
        return plot
    }

    /// Checks that every curve, band and figure is a finite number.
    /// - Throws: ``NonFiniteResultError`` naming the first that is not.
    public func checkFinite() throws(NonFiniteResultError) {
        for curve in curves {
            try NonFiniteResultError.check(curve.meanSquaredErrorPerStep, "the MSEt of \(curve.learner)")
            try NonFiniteResultError.check(curve.mean, { "the mean squared error of \(curve.learner) at position \($0 + 1)" })
            try NonFiniteResultError.check(curve.median, { "the median squared error of \(curve.learner) at position \($0 + 1)" })
            try NonFiniteResultError.check(curve.band.lower, { "the lower band of \(curve.learner) at position \($0 + 1)" })
            try NonFiniteResultError.check(curve.band.upper, { "the upper band of \(curve.learner) at position \($0 + 1)" })
        }
    }

    /// The files ``write(to:)`` writes, rendered: `comparison.md`, `comparison.csv`,
    /// `comparison.json` and `comparison.svg`.
    /// - Throws: ``NonFiniteResultError`` (see ``checkFinite()``) before anything is rendered.
    public func outputFiles(in folder: URL) throws -> OutputFiles {
        try checkFinite()
        var files = OutputFiles(folder: folder)
        files.add("comparison.md", markdown + "\n")
        files.add("comparison.csv", csv)
        files.add("comparison.json", try RunFolder.json(self))
        files.add("comparison.svg", plot.svg(width: 800, height: 500))
        return files
    }

    /// Writes the files of ``outputFiles(in:)`` into `folder`, all of them or none.
    /// - Throws: ``NonFiniteResultError`` before anything is written if a figure is not finite;
    ///   ``FileWriteError`` if a file cannot be written.
    public func write(to folder: URL) throws {
        try outputFiles(in: folder).write()
    }

    static func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        return abs(value) >= 0.001 ? String(format: "%.4f", value) : String(format: "%.2e", value)
    }

    /// "3–10, 12" from [3, 4, …, 10, 12]; "none" if empty.
    static func ranges(_ positions: [Int]) -> String {
        guard var start = positions.first else { return "none" }
        var parts: [String] = []
        var previous = start
        for p in positions.dropFirst() {
            if p == previous + 1 { previous = p; continue }
            parts.append(start == previous ? "\(start)" : "\(start)–\(previous)")
            start = p
            previous = p
        }
        parts.append(start == previous ? "\(start)" : "\(start)–\(previous)")
        return parts.joined(separator: ", ")
    }
}
