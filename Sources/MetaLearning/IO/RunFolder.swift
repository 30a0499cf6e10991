import Foundation

/// The files of one run (default `runs/<preset>-seed<N>/`):
/// `config.json`, `metrics.csv`, `curve.csv`, `model.json` (the checkpoint), `summary.json`.
/// Every file is written atomically, so an interrupted run never leaves a half-written one.
public struct RunFolder: Sendable {
    /// The folder.
    public let url: URL

    /// A run folder at `url` (not created until ``create()``).
    public init(url: URL) { self.url = url }

    /// `config.json`: every parameter of the run.
    public var configURL: URL { url.appendingPathComponent("config.json") }
    /// `metrics.csv`: one row per evaluation.
    public var metricsURL: URL { url.appendingPathComponent("metrics.csv") }
    /// `curve.csv`: mean and median squared error per example position on the test set.
    public var curveURL: URL { url.appendingPathComponent("curve.csv") }
    /// `model.json`: the checkpoint.
    public var modelURL: URL { url.appendingPathComponent("model.json") }
    /// `summary.json`: the printed figures.
    public var summaryURL: URL { url.appendingPathComponent("summary.json") }

    /// Creates the folder (and its parents) if needed.
    public func create() throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw ConfigurationError.invalid("cannot create the run folder \(url.path)")
        }
    }

    /// Writes `config.json` with the configuration and the package version.
    public func writeConfiguration(_ configuration: TrainingConfiguration) throws {
        struct File: Encodable { var packageVersion: String; var configuration: TrainingConfiguration }
        try writeFileAtomically(try Self.json(File(packageVersion: packageVersion, configuration: configuration)), to: configURL)
    }

    /// Writes `metrics.csv` from the evaluation history.
    public func writeMetrics(_ history: [EvaluationRecord]) throws {
        var text = "epoch,phase,online_training_error,train_mset,test_mset,elapsed_seconds\n"
        for r in history {
            text += "\(r.epoch),\(r.phase),\(r.onlineTrainingError),\(r.trainMSEt),\(r.testMSEt),\(r.elapsedSeconds)\n"
        }
        try writeFileAtomically(text, to: metricsURL)
    }

    /// Writes `curve.csv`: position j (1-based), mean and median squared error on the test set.
    public func writeCurve(_ errors: ErrorMatrix) throws {
        let mean = errors.meanCurve
        let median = errors.medianCurve
        var text = "example,mean_squared_error,median_squared_error\n"
        for j in 0..<errors.length { text += "\(j + 1),\(mean[j]),\(median[j])\n" }
        try writeFileAtomically(text, to: curveURL)
    }

    /// Writes the checkpoint `model.json`.
    public func writeCheckpoint(_ checkpoint: Checkpoint) throws {
        try checkpoint.write(to: modelURL)
    }

    /// Writes `summary.json`.
    public func writeSummary(_ summary: RunSummary) throws {
        try writeFileAtomically(try Self.json(summary), to: summaryURL)
    }

    /// Pretty-printed JSON with sorted keys.
    /// - Throws: ``NonFiniteResultError`` naming the field if a number is NaN or infinite (JSON
    ///   has no such numbers), or the encoder's error.
    public static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch EncodingError.invalidValue(let invalid, let context) {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            let field = path.hasPrefix(".") ? String(path.dropFirst()) : path
            throw NonFiniteResultError(quantity: "the field \(field)", value: (invalid as? Double) ?? .nan)
        }
    }
}
