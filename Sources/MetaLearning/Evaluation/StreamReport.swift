import Foundation
import SVGPlot

/// The `metalearn stream` experiment: a trained model on a ``SwitchingStream`` without reset,
/// against the oracle that resets the same model at every switch and against recursive least
/// squares with a forgetting factor (the best of several λ by cumulative MSE).
public struct StreamReport: Codable, Equatable, Sendable {
    /// The model's architecture and training family.
    public var network: String
    /// The stream's family.
    public var family: String
    /// Steps between switches.
    public var switchEvery: Int
    /// Steps in the stream.
    public var length: Int
    /// Seed of the stream.
    public var seed: UInt64
    /// Recovery measures, in the order network, oracle, extra models, RLS.
    public var learners: [SwitchRecovery]
    /// The forgetting factors tried for RLS and the chosen one.
    public var forgettingFactors: [Double], chosenForgetting: Double?
    /// Per-step squared errors of every learner (same order as ``learners``).
    public var errors: [[Double]]
    /// The 0-based steps at which a new function starts.
    public var switchSteps: [Int]

    /// The forgetting factors the issue asks for.
    public static let defaultForgettingFactors = [0.9, 0.95, 0.98, 0.99]

    /// Runs the experiment.
    /// - Parameters:
    ///   - model: the trained model (run without reset, and as the reset-at-switch oracle).
    ///   - others: further models to run without reset on the same stream, with their names
    ///     (e.g. a model meta-trained with `--no-reset`).
    ///   - family: the stream's family (default the model's).
    ///   - switchEvery: the number of steps between function switches.
    ///   - length: the number of steps in the stream.
    ///   - seed: the seed of the stream (the evaluation stream of docs/method.md §1.4).
    ///   - forgettingFactors: the forgetting factors λ of the RLS learners run beside the nets.
    /// - Throws: `ConfigurationError` for bad sizes or a model whose input dimension differs.
    public init(model: LoadedModel, others: [(name: String, model: LoadedModel)] = [], family: FamilySpec? = nil,
                switchEvery: Int, length: Int, seed: UInt64 = 1,
                forgettingFactors: [Double] = StreamReport.defaultForgettingFactors) throws {
        let family = family ?? model.configuration.family
        for candidate in [model] + others.map(\.model) {
            let expected = candidate.configuration.architecture.inputDimension
            let actual = family.makeFamily().inputDimension
            guard expected == actual else {
                throw ConfigurationError.invalid("the family \(family.name) has \(actual) inputs but a model expects \(expected)")
            }
        }
        let stream = try SwitchingStream(family: family, switchEvery: switchEvery, length: length, seed: seed)
        let y0 = model.configuration.initialPreviousTarget
        var names = ["network (no reset)", "oracle (reset at switches)"]
        var errors = [stream.squaredErrors(of: model.network, resetAtSwitches: false, initialPreviousTarget: y0),
                      stream.squaredErrors(of: model.network, resetAtSwitches: true, initialPreviousTarget: y0)]
        for other in others {
            names.append(other.name)
            errors.append(stream.squaredErrors(of: other.model.network, resetAtSwitches: false,
                                               initialPreviousTarget: other.model.configuration.initialPreviousTarget))
        }
        let kind: LearnerSpec.Kind = LearnerSpec(kind: .rlsBasis).isApplicable(to: family) ? .rlsBasis : .rlsRaw
        var best: (lambda: Double, errors: [Double], mse: Double)?
        for lambda in forgettingFactors {
            var predictor = try LearnerSpec(kind: kind, parameter: lambda)
                .makePredictor(for: family, inputDimension: stream.segments.inputDimension)
            let rls = stream.squaredErrors(of: &predictor, initialPreviousTarget: y0)
            let mse = rls.reduce(0, +) / Double(rls.count)
            if best == nil || mse < best!.mse { best = (lambda, rls, mse) }
        }
        if let best {
            names.append("\(kind.rawValue):\(best.lambda) (no reset)")
            errors.append(best.errors)
        }
        self.network = "\(model.configuration.architecture.name) \(model.configuration.architecture.topology) "
                     + "trained on \(model.configuration.family.description)"
        self.family = family.description
        self.switchEvery = switchEvery
        self.length = length
        self.seed = seed
        self.learners = zip(names, errors).map { SwitchRecovery(learner: $0, errors: $1, switchEvery: switchEvery) }
        self.forgettingFactors = forgettingFactors
        self.chosenForgetting = best?.lambda
        self.errors = errors
        self.switchSteps = stream.switchSteps
    }

    /// A Markdown table of cumulative MSE, steady level and recovery times.
    public var markdown: String {
        var lines = ["Switching stream: \(family), a new function every \(switchEvery) steps, \(length) steps (seed \(seed)); "
                     + "\(network).",
                     "",
                     "| learner | cumulative MSE | steady level | recovery median | recovery mean | never recovered |",
                     "|---|---|---|---|---|---|"]
        for learner in learners {
            let recovery = learner.learnsWithinSegments
                ? "\(String(format: "%.1f", learner.medianRecoveryTime)) | \(String(format: "%.1f", learner.meanRecoveryTime)) | \(learner.unrecovered)/\(learner.recoveryTimes.count)"
                : "– | – | all (does not learn within a segment)"
            lines.append("| \(learner.learner) | \(LearnerComparisonResult.format(learner.cumulativeMSE)) | "
                         + "\(LearnerComparisonResult.format(learner.steadyLevel)) | \(recovery) |")
        }
        lines.append("")
        lines.append("Recovery: steps after a switch until the \(SwitchRecovery.window)-step rolling mean squared error is at most "
                     + "twice the learner's steady level (mean over the second halves of the segments); the smallest value is "
                     + "\(SwitchRecovery.window). RLS forgetting factor chosen from \(forgettingFactors.map { "\($0)" }.joined(separator: ", ")) "
                     + "by cumulative MSE. A learner whose steady level is not below half its level in the first "
                     + "\(SwitchRecovery.window) steps after a switch does not learn within a segment: it is shown as not recovering.")
        return lines.joined(separator: "\n")
    }

    /// Per-step CSV: `step,switch,<learner squared errors…>` (step 1-based; switch = 1 where a new function starts).
    public var csv: String {
        let header = "step,switch," + learners.map { "\"\($0.learner)\"" }.joined(separator: ",")
        var lines = [header]
        let switches = Set(switchSteps)
        for t in 0..<length {
            lines.append("\(t + 1),\(switches.contains(t) ? 1 : 0)," + errors.map { "\($0[t])" }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Rolling-mean squared error against the step, log y, the switches marked (at most 2000 steps drawn).
    public var plot: LinePlot {
        let shown = min(length, 2000)
        var plot = LinePlot(title: "\(family): \(SwitchRecovery.window)-step rolling squared error, new function every \(switchEvery) steps",
                            xLabel: "step t", yLabel: "squared error", xScale: .linear, yScale: .log10,
                            xRange: 1...Double(max(shown, 2)))
        let palette = LinePlot.PaletteColor.allCases
        for (index, learner) in learners.enumerated() {
            var rolling = [Double](repeating: 0, count: shown)
            var sum = 0.0
            for t in 0..<shown {
                sum += errors[index][t]
                if t >= SwitchRecovery.window { sum -= errors[index][t - SwitchRecovery.window] }
                rolling[t] = max(sum / Double(min(t + 1, SwitchRecovery.window)), 1e-12)
            }
            plot.series.append(LinePlot.Series(name: learner.learner, y: rolling, firstX: 1, style: .solid(palette[index % palette.count])))
        }
        for step in switchSteps where step < shown {
            plot.verticalMarkers.append(LinePlot.VerticalMarker(x: Double(step + 1), color: .gray))
        }
        return plot
    }

    /// Checks that every figure and every per-step error is a finite number.
    /// - Throws: ``NonFiniteResultError`` naming the first that is not (e.g. the steady level of
    ///   a stream that holds no full segment).
    public func checkFinite() throws(NonFiniteResultError) {
        let fullSegments = switchEvery > 0 ? length / switchEvery : 0
        for (learner, steps) in zip(learners, errors) {
            try NonFiniteResultError.check(learner.cumulativeMSE, "the cumulative MSE of \(learner.learner)")
            try NonFiniteResultError.check(
                learner.steadyLevel, "the steady level of \(learner.learner)",
                hint: fullSegments == 0
                    ? "the stream of \(length) steps holds no full segment of \(switchEvery) steps to measure it on; make --length at least --switch-every"
                    : nil)
            try NonFiniteResultError.check(steps, { "the squared error of \(learner.learner) at step \($0 + 1)" })
        }
    }

    /// The files ``write(to:)`` writes, rendered: `stream.md`, `stream.csv`, `stream.json`
    /// (without the per-step errors) and `stream.svg`.
    /// - Throws: ``NonFiniteResultError`` (see ``checkFinite()``) before anything is rendered.
    public func outputFiles(in folder: URL) throws -> OutputFiles {
        try checkFinite()
        var files = OutputFiles(folder: folder)
        files.add("stream.md", markdown + "\n")
        files.add("stream.csv", csv)
        var summary = self
        summary.errors = []
        files.add("stream.json", try RunFolder.json(summary))
        files.add("stream.svg", plot.svg(width: 800, height: 500))
        return files
    }

    /// Writes the files of ``outputFiles(in:)`` into `folder`, all of them or none.
    /// - Throws: ``NonFiniteResultError`` before anything is written if a figure is not finite;
    ///   ``FileWriteError`` if a file cannot be written.
    public func write(to folder: URL) throws {
        try outputFiles(in: folder).write()
    }
}
