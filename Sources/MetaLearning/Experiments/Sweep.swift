import Foundation

/// One run of a sweep: its run-folder name, its axis values and its configuration.
public struct SweepPoint: Equatable, Sendable {
    /// The run-folder name (and config file name), stable for the same axis values.
    public var name: String
    /// The point's value of each axis, as text (e.g. `["lr": "0.003", "seed": "1"]`).
    public var values: [String: String]
    /// The run's configuration.
    public var configuration: TrainingConfiguration

    /// Creates a point.
    public init(name: String, values: [String: String], configuration: TrainingConfiguration) {
        self.name = name
        self.values = values
        self.configuration = configuration
    }
}

/// The paper's table (or preset) a sweep was emitted for by `reproduce … --emit-jobs`; tells
/// `collect --format paper-csv|paper-md` which table to build.
public enum PaperTable: Equatable, Sendable, Codable, CustomStringConvertible {
    /// Table 1 (`table1.csv`, `table1.md`).
    case table1
    /// Table 2 (`table2.csv`, `table2.md`).
    case table2
    /// One preset (a Table 2 row) over seeds: the report `reproduce PRESET` prints.
    case preset(String)

    /// `table1`, `table2` or the preset's name.
    public var description: String {
        switch self {
        case .table1: return "table1"
        case .table2: return "table2"
        case .preset(let name): return name
        }
    }

    /// Reads the name written by ``encode(to:)``.
    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        switch name {
        case "table1": self = .table1
        case "table2": self = .table2
        default: self = .preset(name)
        }
    }

    /// Writes the name.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The resources of a sweep's Slurm array (`slurm.sbatch`); in a sweep file the object `slurm`
/// with the keys `time`, `cpus`, `mem`, `partition`, `account`, `max-concurrent`; on the
/// command line `--time`, `--cpus`, `--mem`, `--partition`, `--account`, `--max-concurrent`,
/// which win over the file.
public struct SlurmSettings: Codable, Equatable, Sendable {
    /// The keys of a sweep file's `slurm` object.
    public static let keys = ["time", "cpus", "mem", "partition", "account", "max-concurrent"]
    /// The default limit of array tasks running at once when none is given: 100 (fewer for a
    /// smaller array).
    public static let defaultMaximumConcurrent = 100

    /// Wall-time limit per task (`--time`), e.g. `01:30:00` or `2-00:00:00`; default 24:00:00.
    public var time: String = "24:00:00"
    /// CPUs per task; default 1 (a run uses one core).
    public var cpus: Int = 1
    /// Memory per task, e.g. `2G`; default 2G.
    public var mem: String = "2G"
    /// Partition, if any.
    public var partition: String?
    /// Account, if any.
    public var account: String?
    /// Array tasks running at once (the `%M` of `--array=1-N%M`); nil: min(N, 100).
    public var maxConcurrent: Int?

    /// The defaults.
    public init() {}

    /// Reads a sweep file's `slurm` object.
    /// - Throws: ``SweepFileError`` naming the field.
    init(json: JSONValue, file: String) throws(SweepFileError) {
        guard case .object(let object) = json else {
            throw .wrongType(file: file, field: "slurm", expected: "an object", found: json.kindDescription)
        }
        for key in object.keys.sorted() where !Self.keys.contains(key) {
            throw .unknownKey(file: file, field: "slurm.\(key)", expected: Self.keys)
        }
        func text(_ key: String) throws(SweepFileError) -> String? {
            guard let value = object[key] else { return nil }
            guard case .text(let text) = value else {
                throw .wrongType(file: file, field: "slurm.\(key)", expected: "a string", found: value.kindDescription)
            }
            return text
        }
        func integer(_ key: String) throws(SweepFileError) -> Int? {
            guard let value = object[key] else { return nil }
            guard case .integer(let n) = value else {
                throw .wrongType(file: file, field: "slurm.\(key)", expected: "a whole number", found: value.kindDescription)
            }
            return n
        }
        if let time = try text("time") { self.time = time }
        if let cpus = try integer("cpus") { self.cpus = cpus }
        if let mem = try text("mem") { self.mem = mem }
        partition = try text("partition")
        account = try text("account")
        maxConcurrent = try integer("max-concurrent")
        if let problem = validationProblem() { throw .invalidValue(file: file, field: "slurm.\(problem.key)", message: problem.message) }
    }

    /// The first unusable setting, by key, or nil.
    public func validationProblem() -> (key: String, message: String)? {
        func plain(_ text: String, _ extra: String) -> Bool {
            !text.isEmpty && text.count <= 100 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || extra.contains($0)) }
        }
        if !plain(time, ":-") || !time.first!.isNumber { return ("time", "'\(time)' is not a Slurm time such as 01:30:00 or 2-00:00:00") }
        if cpus < 1 { return ("cpus", "must be at least 1, not \(cpus)") }
        if !plain(mem, "") || !mem.first!.isNumber { return ("mem", "'\(mem)' is not a Slurm memory size such as 2G or 500M") }
        if let partition, !plain(partition, "_.,-") { return ("partition", "'\(partition)' is not a partition name") }
        if let account, !plain(account, "_.-") { return ("account", "'\(account)' is not an account name") }
        if let maxConcurrent, maxConcurrent < 1 { return ("max-concurrent", "must be at least 1, not \(maxConcurrent)") }
        return nil
    }
}

/// Every run of a sweep with its names and resources: what `metalearn sweep` and
/// `reproduce … --emit-jobs` write into a sweep folder (``write(to:executable:)``).
///
/// A sweep folder holds `sweep.json` (``SweepManifest``), `configs/NAME.json` (one
/// configuration file per point, the form of a run folder's `config.json`), `jobs.txt` (line i:
/// the command of point i, `EXE train --config DIR/configs/NAME.json --out DIR/runs/NAME`),
/// `slurm.sbatch` (an array job whose task i runs line i), `runs/` (the run folders) and
/// `logs/` (Slurm's `%A_%a.out` files).
public struct SweepPlan: Equatable, Sendable {
    /// The sweep's name (Slurm job name).
    public var name: String
    /// Where it came from (a sweep file or a `reproduce` command), for the manifest.
    public var source: String
    /// The axes, in column order.
    public var axes: [String]
    /// The points in job order.
    public var points: [SweepPoint]
    /// The paper's table it reproduces, if any.
    public var paperTable: PaperTable?
    /// Slurm resources.
    public var slurm: SlurmSettings

    /// Creates a plan.
    public init(name: String, source: String, axes: [String], points: [SweepPoint], paperTable: PaperTable?, slurm: SlurmSettings) {
        self.name = name
        self.source = source
        self.axes = axes
        self.points = points
        self.paperTable = paperTable
        self.slurm = slurm
    }

    /// `relative` inside the sweep folder `folder`.
    public static func configURL(in folder: URL, name: String) -> URL {
        folder.appendingPathComponent("configs").appendingPathComponent("\(name).json")
    }

    /// The run folder of point `name` inside the sweep folder `folder`.
    public static func runURL(in folder: URL, name: String) -> URL {
        folder.appendingPathComponent("runs").appendingPathComponent(name)
    }

    /// The job line of `point`: `EXE train --config DIR/configs/NAME.json --out DIR/runs/NAME`,
    /// with absolute paths, each word quoted for the shell where it needs to be.
    public static func jobLine(for point: SweepPoint, in folder: URL, executable: String) -> String {
        [executable, "train", "--config", configURL(in: folder, name: point.name).path, "--out", runURL(in: folder, name: point.name).path]
            .map(shellQuoted).joined(separator: " ")
    }

    /// `text` as one word for a POSIX shell: unchanged if it holds only safe characters, else in
    /// single quotes.
    public static func shellQuoted(_ text: String) -> String {
        let safe = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_./=:,+-@%".contains($0)) }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The `slurm.sbatch` array script: task i (1-based, plus `SWEEP_OFFSET` if set) runs line i
    /// of `jobs.txt` (read with `sed -n`); output per task in `logs/%A_%a.out`.
    public func sbatchScript(in folder: URL) -> String {
        let count = points.count
        let concurrent = slurm.maxConcurrent ?? min(count, SlurmSettings.defaultMaximumConcurrent)
        let jobs = Self.shellQuoted(folder.appendingPathComponent("jobs.txt").path)
        var lines = [
            "#!/bin/bash",
            "# The \(count) runs of the sweep \(name) as a Slurm array: task i runs line i of jobs.txt.",
            "# Submit: sbatch \(Self.shellQuoted(folder.appendingPathComponent("slurm.sbatch").path))",
            "# Each job line is idempotent: a finished run does nothing, an interrupted one resumes, so the",
            "# whole array can be submitted again after a failure or a cancellation. Arrays longer than",
            "# the cluster's MaxArraySize can be sent in chunks: sbatch --array=1-1000 --export=ALL,SWEEP_OFFSET=1000 …",
            "#SBATCH --job-name=\(name)",
            "#SBATCH --array=1-\(count)%\(concurrent)",
            "#SBATCH --time=\(slurm.time)",
            "#SBATCH --ntasks=1",
            "#SBATCH --cpus-per-task=\(slurm.cpus)",
            "#SBATCH --mem=\(slurm.mem)",
        ]
        if let partition = slurm.partition { lines.append("#SBATCH --partition=\(partition)") }
        if let account = slurm.account { lines.append("#SBATCH --account=\(account)") }
        lines.append("#SBATCH --output=\(folder.appendingPathComponent("logs").path)/%A_%a.out")
        lines += [
            "set -euo pipefail",
            "line_number=$(( ${SWEEP_OFFSET:-0} + SLURM_ARRAY_TASK_ID ))",
            "job=$(sed -n \"${line_number}p\" \(jobs))",
            "if [ -z \"$job\" ]; then echo \"no line $line_number in \(jobs.replacingOccurrences(of: "\"", with: "\\\""))\" >&2; exit 2; fi",
            "echo \"task ${SLURM_ARRAY_JOB_ID:-?}_${SLURM_ARRAY_TASK_ID} on $(hostname): $job\"",
            "exec bash -c \"$job\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the sweep folder (see the type's description). A folder that already holds a
    /// sweep is updated only if it is the same sweep (the same points with the same
    /// configurations), so the run folders of a sweep always belong to its configurations;
    /// `jobs.txt`, `slurm.sbatch` and the manifest are rewritten (e.g. with other resources).
    /// - Parameter executable: the `metalearn` command written at the start of every job line.
    /// - Throws: ``SweepWriteError``.
    public func write(to folder: URL, executable: String) throws(SweepWriteError) {
        if let problem = slurm.validationProblem() { throw .invalidSlurmSetting(key: problem.key, message: problem.message) }
        let folder = folder.standardizedFileURL
        let manager = FileManager.default
        let manifestURL = folder.appendingPathComponent(SweepManifest.fileName)
        let manifest = SweepManifest(plan: self)
        var configData: [Data] = []
        for point in points {
            do { configData.append(try ConfigurationFile.encoded(point.configuration)) } catch {
                throw .cannotWrite(path: Self.configURL(in: folder, name: point.name).path, reason: "\(error)")
            }
        }
        if manager.fileExists(atPath: manifestURL.path) {
            let existing: SweepManifest
            do { existing = try SweepManifest.load(from: folder) } catch {
                throw .differentSweep(folder: folder.path, reason: "its sweep.json cannot be read (\(error))")
            }
            guard existing.points.map(\.name) == manifest.points.map(\.name) else {
                throw .differentSweep(folder: folder.path, reason: "its points differ from this sweep's")
            }
            for (point, data) in zip(points, configData) {
                let url = Self.configURL(in: folder, name: point.name)
                if let old = manager.contents(atPath: url.path), old != data {
                    throw .differentSweep(folder: folder.path, reason: "the configuration of \(point.name) differs")
                }
            }
        } else if manager.fileExists(atPath: folder.path),
                  let entries = try? manager.contentsOfDirectory(atPath: folder.path), !entries.isEmpty {
            throw .differentSweep(folder: folder.path, reason: "it is not empty and holds no sweep.json")
        }
        do {
            for sub in ["configs", "runs", "logs"] {
                try manager.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
        } catch {
            throw .cannotWrite(path: folder.path, reason: "cannot create the folder")
        }
        func put(_ data: Data, _ url: URL) throws(SweepWriteError) {
            do { try writeFileAtomically(data, to: url) } catch { throw .cannotWrite(path: url.path, reason: "\(error)") }
        }
        for (point, data) in zip(points, configData) {
            try put(data, Self.configURL(in: folder, name: point.name))
        }
        let jobs = points.map { Self.jobLine(for: $0, in: folder, executable: executable) }.joined(separator: "\n") + "\n"
        try put(Data(jobs.utf8), folder.appendingPathComponent("jobs.txt"))
        try put(Data(sbatchScript(in: folder).utf8), folder.appendingPathComponent("slurm.sbatch"))
        do { try put(try RunFolder.json(manifest), manifestURL) } catch let error as SweepWriteError { throw error } catch {
            throw .cannotWrite(path: manifestURL.path, reason: "\(error)")
        }
    }
}

/// `sweep.json`, the manifest of a sweep folder: which points it has (in job order), their
/// axis values and the paper table it reproduces; `collect` reads it.
public struct SweepManifest: Codable, Equatable, Sendable {
    /// The file's name in a sweep folder.
    public static let fileName = "sweep.json"
    /// The format this build writes.
    public static let currentFormatVersion = 1

    /// One point.
    public struct Point: Codable, Equatable, Sendable {
        /// Its name: `configs/NAME.json`, `runs/NAME`.
        public var name: String
        /// Its axis values as text.
        public var values: [String: String]
    }

    /// File format version.
    public var formatVersion: Int
    /// The package version that wrote it.
    public var packageVersion: String
    /// The sweep's name.
    public var name: String
    /// The sweep file or command it came from.
    public var source: String
    /// The paper's table, if any.
    public var paperTable: PaperTable?
    /// The axes, in column order.
    public var axes: [String]
    /// The points in job order.
    public var points: [Point]
    /// The Slurm resources written into `slurm.sbatch`.
    public var slurm: SlurmSettings

    /// The manifest of a plan.
    public init(plan: SweepPlan) {
        formatVersion = Self.currentFormatVersion
        packageVersion = MetaLearning.packageVersion
        name = plan.name
        source = plan.source
        paperTable = plan.paperTable
        axes = plan.axes
        points = plan.points.map { Point(name: $0.name, values: $0.values) }
        slurm = plan.slurm
    }

    /// Reads the manifest of the sweep folder `folder`.
    /// - Throws: ``SweepWriteError/differentSweep(folder:reason:)`` style errors as ``ConfigurationError``.
    public static func load(from folder: URL) throws(ConfigurationError) -> SweepManifest {
        let url = folder.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .invalid("cannot read \(url.path): no such file")
        }
        do {
            let manifest = try JSONDecoder().decode(SweepManifest.self, from: data)
            guard manifest.formatVersion == currentFormatVersion else {
                throw ConfigurationError.invalid("cannot read \(url.path): format version \(manifest.formatVersion) is not supported by this build")
            }
            for point in manifest.points {
                try SweepFile.checkSafeName(point.name, file: url.path, field: "points")
            }
            return manifest
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw .invalid("cannot read \(url.path): not a sweep manifest written by metalearn")
        }
    }
}

/// A sweep folder that cannot be written.
public enum SweepWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The folder holds another sweep (or other files).
    case differentSweep(folder: String, reason: String)
    /// A Slurm setting is unusable.
    case invalidSlurmSetting(key: String, message: String)
    /// A file or folder cannot be written.
    case cannotWrite(path: String, reason: String)

    /// The one-line message.
    public var description: String {
        switch self {
        case .differentSweep(let folder, let reason):
            return "\(folder) cannot take this sweep: \(reason); choose another --out"
        case .invalidSlurmSetting(let key, let message): return "--\(key): \(message)"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}
