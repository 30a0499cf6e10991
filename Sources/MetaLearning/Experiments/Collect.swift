import Foundation

/// Where a run stands, as `metalearn collect` reports it. No run is left out of a table for its
/// status: every folder asked for (and every point of a sweep folder) is a row.
public enum RunStatus: String, Codable, CaseIterable, Sendable {
    /// Every epoch ran and `summary.json` was written.
    case finished
    /// Started but not finished (interrupted, killed, or still running): its figures are
    /// those of its last checkpoint.
    case unfinished
    /// It stopped as diverged (`summary.json` says so in ``RunSummary/divergence``), or its error
    /// became NaN or infinite (non-finite figures in `metrics.csv` or `summary.json`, as files
    /// written before the divergence checks can hold).
    case diverged
    /// A point of a sweep folder whose run folder holds nothing yet.
    case notStarted = "not-started"
    /// Files that cannot be read (the reason is in ``CollectedRun/problem``).
    case unreadable
}

/// A figure `collect` reports per run and aggregates per group.
public enum CollectMetric: String, CaseIterable, Sendable, Codable {
    /// Test MSEt at the end (the last checkpoint's for an unfinished run).
    case finalTestMSEt = "final-test-mset"
    /// The lowest test MSEt of any evaluation.
    case bestTestMSEt = "best-test-mset"
    /// Train MSEt at the end.
    case finalTrainMSEt = "final-train-mset"
    /// T sub, the subordinate train time T(0.01) on the test set (finished runs); +∞
    /// (`never`) when the median error stays above θ up to the last example.
    case trainTimeSubordinate = "t-sub"
    /// Wall-clock seconds of the run.
    case wallSeconds = "wall-seconds"
    /// Online training steps per second.
    case stepsPerSecond = "steps-per-second"

    /// The column name, e.g. `final_test_mset`.
    public var column: String { rawValue.replacingOccurrences(of: "-", with: "_") }
    /// Whether a larger value is better (steps per second); smaller is better for the others.
    public var higherIsBetter: Bool { self == .stepsPerSecond }
    /// Whether the figure is a time measurement (differs between otherwise identical runs).
    public var isTiming: Bool { self == .wallSeconds || self == .stepsPerSecond }
}

/// One run as read from its folder by ``RunCollection``.
public struct CollectedRun: Sendable {
    /// The run's name: the sweep point's, or the folder's last component.
    public var name: String
    /// The run folder.
    public var path: String
    /// Where it stands.
    public var status: RunStatus
    /// Its configuration values by axis: every ``TrainingOption`` that describes it, `preset`,
    /// and the sweep's own axis values (which win, e.g. Table 1's `row`).
    public var values: [String: String]
    /// The configuration (nil if unreadable).
    public var configuration: TrainingConfiguration?
    /// The summary of a finished run.
    public var summary: RunSummary?
    /// Epochs done.
    public var epochs: Int
    /// Epochs of the whole run (nil if unknown).
    public var totalEpochs: Int?
    /// The figures by metric (nil where there is none yet).
    public var figures: [CollectMetric: Double]
    /// FNV-1a (64 bits) of the IEEE-754 bit patterns of the checkpoint's weights, in hex: equal
    /// digests mean (barring a collision) bit-identical weights.
    public var weightsDigest: String?
    /// Why the run is ``RunStatus/unreadable``.
    public var problem: String?
}

/// Runs gathered from run folders and sweep folders, ready to tabulate.
public struct RunCollection: Sendable {
    /// The runs in the order asked for (a sweep folder's in job order).
    public var runs: [CollectedRun]
    /// The axes (columns) that describe the runs: a sweep folder's axes, else every value that
    /// differs between the runs.
    public var axes: [String]
    /// The manifest, when every run comes from one sweep folder.
    public var manifest: SweepManifest?

    /// Gathers runs from `paths`: a run folder (one with `config.json` or `model.json`), a sweep
    /// folder (one with `sweep.json`: its points, started or not), a file inside a run folder
    /// (its folder, so that `runs/*/summary.json` works), or a folder of run folders (those
    /// directly inside it, by name). A path given twice counts once.
    /// - Throws: ``CollectError`` for a path that is none of these.
    public static func gather(_ paths: [String]) throws(CollectError) -> RunCollection {
        guard !paths.isEmpty else { throw .nothingToCollect }
        let manager = FileManager.default
        var runs: [CollectedRun] = []
        var seen = Set<String>()
        var manifests: [SweepManifest] = []
        var fromPlainFolders = false
        func add(_ run: CollectedRun) {
            guard seen.insert(run.path).inserted else { return }
            runs.append(run)
        }
        for path in paths {
            var url = URL(fileURLWithPath: path).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory) else { throw .notFound(path: path) }
            if !isDirectory.boolValue {
                url.deleteLastPathComponent()
                guard isRunFolder(url) else { throw .notARun(path: path) }
            }
            if manager.fileExists(atPath: url.appendingPathComponent(SweepManifest.fileName).path) {
                let manifest: SweepManifest
                do { manifest = try SweepManifest.load(from: url) } catch { throw .unreadableSweep(path: path, reason: error.description) }
                manifests.append(manifest)
                for point in manifest.points {
                    add(read(folder: SweepPlan.runURL(in: url, name: point.name), name: point.name, sweepValues: point.values,
                             configFile: SweepPlan.configURL(in: url, name: point.name)))
                }
            } else if isRunFolder(url) {
                fromPlainFolders = true
                add(read(folder: url, name: url.lastPathComponent, sweepValues: nil, configFile: nil))
            } else {
                let children = ((try? manager.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
                    .map { url.appendingPathComponent($0) }.filter(isRunFolder)
                guard !children.isEmpty else { throw .notARun(path: path) }
                fromPlainFolders = true
                for child in children { add(read(folder: child, name: child.lastPathComponent, sweepValues: nil, configFile: nil)) }
            }
        }
        let manifest = manifests.count == 1 && !fromPlainFolders ? manifests[0] : nil
        return RunCollection(runs: runs, axes: manifest?.axes ?? varyingAxes(runs), manifest: manifest)
    }

    /// Whether `url` is a run folder: it holds `config.json` or `model.json`.
    static func isRunFolder(_ url: URL) -> Bool {
        let folder = RunFolder(url: url)
        return FileManager.default.fileExists(atPath: folder.configURL.path) || FileManager.default.fileExists(atPath: folder.modelURL.path)
    }

    /// The value keys that differ between runs: `preset` then the options in ``TrainingOption`` order.
    static func varyingAxes(_ runs: [CollectedRun]) -> [String] {
        let keys = ["preset"] + TrainingOption.allCases.map(\.rawValue)
        let known = runs.filter { $0.configuration != nil }
        return keys.filter { key in Set(known.map { $0.values[key] ?? "" }).count > 1 }
    }

    /// Reads one run folder; never throws: what cannot be read makes the run ``RunStatus/unreadable``.
    public static func read(folder url: URL, name: String, sweepValues: [String: String]?, configFile: URL?) -> CollectedRun {
        let folder = RunFolder(url: url)
        let manager = FileManager.default
        var run = CollectedRun(name: name, path: url.path, status: .notStarted, values: sweepValues ?? [:], configuration: nil,
                               summary: nil, epochs: 0, totalEpochs: nil, figures: [:], weightsDigest: nil, problem: nil)
        func describe(_ configuration: TrainingConfiguration) {
            run.configuration = configuration
            run.totalEpochs = configuration.totalEpochs
            var values = TrainingOptions.describing(configuration).values.reduce(into: [String: String]()) { $0[$1.key.rawValue] = $1.value.description }
            values["preset"] = configuration.preset
            run.values = values.merging(sweepValues ?? [:]) { _, sweep in sweep }
        }
        let hasModel = manager.fileExists(atPath: folder.modelURL.path)
        let hasConfig = manager.fileExists(atPath: folder.configURL.path)
        guard hasModel || hasConfig else {
            if let configFile, let configuration = try? ConfigurationFile.read(from: configFile.path) { describe(configuration) }
            return run
        }
        var checkpoint: Checkpoint?
        do {
            if hasModel {
                checkpoint = try Checkpoint.load(from: folder.modelURL)
                describe(checkpoint!.configuration)
            } else {
                describe(try folder.readConfiguration())
            }
        } catch {
            run.status = .unreadable
            run.problem = "\(error)"
            return run
        }
        var history = checkpoint?.history ?? []
        if manager.fileExists(atPath: folder.metricsURL.path), let records = try? folder.readMetrics(), records.count >= history.count {
            history = records
        }
        var summary: RunSummary?
        if let data = manager.contents(atPath: folder.summaryURL.path) {
            summary = try? JSONDecoder().decode(RunSummary.self, from: data)
            if summary == nil {
                run.status = .unreadable
                run.problem = "summary.json is not a run summary"
                return run
            }
        }
        run.summary = summary
        run.epochs = checkpoint?.epoch ?? summary?.epochs ?? 0
        if let weights = checkpoint?.weights { run.weightsDigest = digest(weights) }
        var figures: [CollectMetric: Double] = [:]
        figures[.finalTestMSEt] = summary?.testMSEt ?? history.last?.testMSEt
        figures[.finalTrainMSEt] = summary?.trainMSEt ?? history.last?.trainMSEt
        let tests = history.map(\.testMSEt) + (summary.map { [$0.testMSEt] } ?? [])
        figures[.bestTestMSEt] = tests.filter(\.isFinite).min()
        if let summary { figures[.trainTimeSubordinate] = summary.testSubordinate.trainTimeForRanking }
        figures[.wallSeconds] = summary?.wallSeconds ?? checkpoint?.elapsedSeconds ?? history.last?.elapsedSeconds
        if let summary {
            figures[.stepsPerSecond] = summary.stepsPerSecond
        } else if let checkpoint, checkpoint.trainingSeconds > 0 {
            figures[.stepsPerSecond] = Double(checkpoint.stepsTaken) / checkpoint.trainingSeconds
        }
        run.figures = figures
        let nonFinite = history.contains { !$0.testMSEt.isFinite || !$0.trainMSEt.isFinite || !$0.onlineTrainingError.isFinite }
            || summary.map { !$0.testMSEt.isFinite || !$0.trainMSEt.isFinite } ?? false
        if nonFinite || summary?.divergence != nil {
            run.status = .diverged
        } else if let summary, let total = run.totalEpochs, summary.epochs >= total, run.epochs >= total {
            run.status = .finished
        } else {
            run.status = .unfinished
        }
        return run
    }

    /// FNV-1a over the little-endian bytes of each weight's bit pattern, as 16 hex digits.
    public static func digest(_ weights: [Double]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for weight in weights {
            var bits = weight.bitPattern
            for _ in 0..<8 {
                hash ^= bits & 0xff
                hash = hash &* 0x100_0000_01b3
                bits >>= 8
            }
        }
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}

/// Runs that cannot be collected.
public enum CollectError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No path given.
    case nothingToCollect
    /// A path that does not exist.
    case notFound(path: String)
    /// A path that is neither a run folder, a sweep folder, a file in a run folder nor a folder of run folders.
    case notARun(path: String)
    /// A sweep folder whose `sweep.json` cannot be read.
    case unreadableSweep(path: String, reason: String)
    /// An axis that no run has.
    case unknownAxis(String, known: [String])
    /// Options that exclude each other.
    case conflictingOptions(String)
    /// A paper table asked of runs that are not one sweep folder emitted for it.
    case notAPaperSweep(String)
    /// A paper table needs every run finished.
    case unfinishedRuns(table: String, runs: [String], total: Int)

    /// The one-line message.
    public var description: String {
        switch self {
        case .nothingToCollect: return "no run folder given"
        case .notFound(let path): return "\(path): no such file or folder"
        case .notARun(let path):
            return "\(path) is not a run folder (no config.json or model.json), a sweep folder (no sweep.json) or a folder of run folders"
        case .unreadableSweep(let path, let reason): return "\(path): \(reason)"
        case .unknownAxis(let axis, let known): return "unknown axis '\(axis)' (the runs have \(known.joined(separator: ", ")))"
        case .conflictingOptions(let message): return message
        case .notAPaperSweep(let message): return message
        case .unfinishedRuns(let table, let runs, let total):
            let listed = runs.prefix(5).joined(separator: ", ") + (runs.count > 5 ? ", …" : "")
            return "\(table) needs every run finished: \(runs.count) of \(total) are not (\(listed)); run the remaining job lines again"
        }
    }
}
