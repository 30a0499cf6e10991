import Foundation

/// What a job line `metalearn train --config C --out R` does with the run folder R, so that a
/// job can be run again without harm (a cluster may run a task twice, a user resubmits a whole
/// array): start a new run, continue an interrupted one, or do nothing for a finished one; a
/// folder that holds another configuration is refused.
public enum RunJob {
    /// The action for a run folder.
    public enum Decision: Equatable, Sendable {
        /// Nothing trained yet (no folder, an empty one, or `config.json` alone with the same
        /// configuration): start the run.
        case start
        /// A checkpoint of the same configuration at `epoch` of `totalEpochs`: continue it
        /// (a checkpoint of the last epoch whose `summary.json` is missing is continued too,
        /// which writes the summary).
        case resume(epoch: Int, totalEpochs: Int)
        /// The run finished: its checkpoint has every epoch and `summary.json` exists.
        case finished(epochs: Int)
    }

    /// Decides what to do with `folder` for a run of `configuration`.
    /// - Throws: ``RunJobError/differentConfiguration(folder:differences:)`` if the folder's
    ///   checkpoint or `config.json` holds another configuration;
    ///   ``RunJobError/unreadable(folder:reason:)`` if they cannot be read.
    public static func decide(configuration: TrainingConfiguration, folder: RunFolder) throws(RunJobError) -> Decision {
        let manager = FileManager.default
        let path = folder.url.path
        if manager.fileExists(atPath: folder.modelURL.path) {
            let checkpoint: Checkpoint
            do { checkpoint = try Checkpoint.load(from: folder.modelURL) } catch {
                throw .unreadable(folder: path, reason: "\(error)")
            }
            guard checkpoint.configuration == configuration else {
                throw .differentConfiguration(folder: path, differences: differences(checkpoint.configuration, configuration))
            }
            let total = configuration.totalEpochs
            if checkpoint.epoch >= total, manager.fileExists(atPath: folder.summaryURL.path) {
                return .finished(epochs: checkpoint.epoch)
            }
            return .resume(epoch: checkpoint.epoch, totalEpochs: total)
        }
        if manager.fileExists(atPath: folder.configURL.path) {
            let existing: TrainingConfiguration
            do { existing = try folder.readConfiguration() } catch {
                throw .unreadable(folder: path, reason: "\(error)")
            }
            guard existing == configuration else {
                throw .differentConfiguration(folder: path, differences: differences(existing, configuration))
            }
        }
        return .start
    }

    /// The fields in which `existing` and `requested` differ, e.g. `lr 0.01 there, 0.003 here`.
    static func differences(_ existing: TrainingConfiguration, _ requested: TrainingConfiguration) -> [String] {
        let there = TrainingOptions.describing(existing), here = TrainingOptions.describing(requested)
        var result = TrainingOption.allCases.compactMap { option -> String? in
            guard there[option] != here[option] else { return nil }
            return "\(option) \(there[option]?.description ?? "unset") there, \(here[option]?.description ?? "unset") here"
        }
        if existing.preset != requested.preset { result.append("preset \(existing.preset) there, \(requested.preset) here") }
        if existing.quickBudget != requested.quickBudget { result.append("quick budget \(existing.quickBudget) there, \(requested.quickBudget) here") }
        if result.isEmpty { result.append("the network sizes or optimizer constants") }
        return result
    }
}

/// Why a job cannot use its run folder.
public enum RunJobError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The folder holds a run of another configuration.
    case differentConfiguration(folder: String, differences: [String])
    /// The folder's checkpoint or configuration cannot be read.
    case unreadable(folder: String, reason: String)

    /// The one-line message.
    public var description: String {
        switch self {
        case .differentConfiguration(let folder, let differences):
            return "\(folder) holds a run of a different configuration (\(differences.joined(separator: "; "))): choose another --out, or add --overwrite to replace it"
        case .unreadable(let folder, let reason):
            return "cannot use the run folder \(folder): \(reason)"
        }
    }
}
