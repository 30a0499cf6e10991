import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of one run (default `runs/<preset>-seed<N>/`):
/// `config.json`, `metrics.csv`, `curve.csv`, `model.json` (the checkpoint), `summary.json`,
/// and `.lock` (``RunFolderLock``). Every file is written atomically, so an interrupted run
/// never leaves a half-written one.
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

    /// `.lock`: the lock a training process holds (``RunFolderLock``).
    public var lockURL: URL { url.appendingPathComponent(RunFolderLock.fileName) }

    /// The files training writes, in the order above.
    public static let trainingFileNames = ["config.json", "metrics.csv", "curve.csv", "model.json", "summary.json"]

    /// Creates the folder (and its parents) if needed.
    /// - Throws: ``FileWriteError/cannotCreateDirectory(path:reason:)`` with the system's reason.
    public func create() throws {
        try createFolder(at: url)
    }

    /// Removes the temporary files that an interrupted write of one of ``trainingFileNames``
    /// left behind (`.model.json.<UUID>.tmp` and the like: a process killed between creating
    /// and renaming one). Only call it while holding the folder's ``RunFolderLock``, so that no
    /// live writer's file is taken; other files are never touched.
    /// - Returns: the names removed.
    @discardableResult
    public func removeStaleTemporaryFiles() -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return [] }
        let stale = names.filter { name in
            Self.trainingFileNames.contains { TemporaryFileName.matches(name, destination: $0) }
        }.sorted()
        for name in stale { unlink(url.appendingPathComponent(name).path) }
        return stale
    }

    /// Removes `curve.csv` and `summary.json`, which describe a finished (or diverged) state,
    /// when a run starts or resumes training.
    func removeFinalFiles() {
        for url in [curveURL, summaryURL] { unlink(url.path) }
    }

    /// Writes `config.json` with the configuration and the package version.
    public func writeConfiguration(_ configuration: TrainingConfiguration) throws {
        struct File: Encodable { var packageVersion: String; var configuration: TrainingConfiguration }
        try writeFileAtomically(try Self.json(File(packageVersion: packageVersion, configuration: configuration)), to: configURL)
    }

    /// Writes `metrics.csv` from the evaluation history.
    public func writeMetrics(_ history: [EvaluationRecord]) throws {
        try writeFileAtomically(Self.metricsText(history), to: metricsURL)
    }

    /// The text of `metrics.csv`.
    static func metricsText(_ history: [EvaluationRecord]) -> String {
        var text = "epoch,phase,online_training_error,train_mset,test_mset,elapsed_seconds\n"
        for r in history {
            text += "\(r.epoch),\(r.phase),\(r.onlineTrainingError),\(r.trainMSEt),\(r.testMSEt),\(r.elapsedSeconds)\n"
        }
        return text
    }

    /// Writes `curve.csv`: position j (1-based), mean and median squared error on the test set.
    public func writeCurve(_ errors: ErrorMatrix) throws {
        try writeFileAtomically(Self.curveText(errors), to: curveURL)
    }

    /// The text of `curve.csv`.
    static func curveText(_ errors: ErrorMatrix) -> String {
        let mean = errors.meanCurve
        let median = errors.medianCurve
        var text = "example,mean_squared_error,median_squared_error\n"
        for j in 0..<errors.length { text += "\(j + 1),\(mean[j]),\(median[j])\n" }
        return text
    }

    /// Writes the checkpoint `model.json`.
    public func writeCheckpoint(_ checkpoint: Checkpoint) throws {
        try checkpoint.write(to: modelURL)
    }

    /// Writes the checkpoint `model.json` and `metrics.csv` from its history together
    /// (``OutputFiles``): both are complete on disk before either is renamed, the checkpoint
    /// first, so `metrics.csv` is never ahead of `model.json` (at most one evaluation behind
    /// if the process dies between the two renames; a resumed run rewrites it from the
    /// checkpoint).
    public func writeCheckpointAndMetrics(_ checkpoint: Checkpoint) throws {
        var files = OutputFiles(folder: url)
        files.add(modelURL.lastPathComponent, try checkpoint.encoded())
        files.add(metricsURL.lastPathComponent, Self.metricsText(checkpoint.history))
        try files.write()
    }

    /// Writes `summary.json`.
    public func writeSummary(_ summary: RunSummary) throws {
        try summary.checkFinite()
        try writeFileAtomically(try Self.json(summary), to: summaryURL)
    }

    /// Writes `curve.csv` and `summary.json` together (``OutputFiles``).
    /// - Throws: ``NonFiniteResultError`` before anything is written if a figure of the summary
    ///   is not finite; `FileWriteError`.
    public func writeCurveAndSummary(_ errors: ErrorMatrix, _ summary: RunSummary) throws {
        try summary.checkFinite()
        var files = OutputFiles(folder: url)
        files.add(curveURL.lastPathComponent, Self.curveText(errors))
        files.add(summaryURL.lastPathComponent, try Self.json(summary))
        try files.write()
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
