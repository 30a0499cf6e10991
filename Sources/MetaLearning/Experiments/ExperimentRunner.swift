import Foundation

/// One run to perform: a configuration and where its files go.
public struct RunRequest: Sendable {
    /// The configuration of the run. When the folder holds a checkpoint, the run continues from
    /// it if this configuration is the checkpoint's, or the checkpoint's with another number of
    /// epochs (the run is then extended or shortened to it, see
    /// ``TrainingConfiguration/withTotalEpochs(_:)``).
    public var configuration: TrainingConfiguration
    /// The run folder.
    public var folder: RunFolder
    /// Continue from the folder's `model.json` whatever configuration it holds (``configuration``
    /// then only sets the epochs). Without it a folder holding the same run continues it too,
    /// and a folder holding a different run is refused.
    public var resume: Bool
    /// When set, replaces ``TrainingConfiguration/divergencePatience`` of the run, also of a
    /// run resumed from its checkpoint (`train --resume DIR --divergence-patience 0` trains on
    /// past a divergence stop).
    public var divergencePatience: Int?

    /// Creates a request.
    public init(configuration: TrainingConfiguration, folder: RunFolder, resume: Bool, divergencePatience: Int? = nil) {
        self.configuration = configuration
        self.folder = folder
        self.resume = resume
        self.divergencePatience = divergencePatience
    }
}

/// Runs independent meta-training runs, in parallel on the available cores (each run stays
/// deterministic: runs share nothing). Each run holds its folder's ``RunFolderLock`` from
/// before its trainer is prepared until it ends, so two runs into one folder — in this
/// process or another — never both train: the second gets ``RunFolderLockError/inUse(folder:pid:)``.
public enum ExperimentRunner {
    /// Prepares the trainer of a request. A folder with a checkpoint continues its run when asked
    /// to resume, or when it holds the very same run (so that rerunning a command finishes or
    /// re-reports its runs instead of failing); either way the request may change only the number
    /// of epochs and the divergence patience (a stopping rule, not part of what the run computes).
    /// A folder holding a different run is refused unless `overwrite`. A folder with no
    /// checkpoint starts the run (a run stopped before its first checkpoint starts again; the
    /// same seed gives the same run). Call it while holding the folder's ``RunFolderLock``, so
    /// that no other process starts or ends a run there meanwhile.
    public static func makeTrainer(for request: RunRequest, overwrite: Bool) throws -> MetaTrainer {
        let modelPath = request.folder.modelURL.path
        if FileManager.default.fileExists(atPath: modelPath), !(overwrite && !request.resume) {
            var checkpoint = try Checkpoint.load(from: request.folder.modelURL)
            let requested = request.configuration
            var comparable = try? checkpoint.configuration.withTotalEpochs(requested.totalEpochs)
            comparable?.divergencePatience = requested.divergencePatience
            let sameRunOtherLength = comparable == requested
            if request.resume || sameRunOtherLength {
                if sameRunOtherLength {
                    guard requested.totalEpochs >= checkpoint.epoch else {
                        throw ConfigurationError.invalid(
                            "the run has already trained \(checkpoint.epoch) epochs, more than the \(requested.totalEpochs) asked for")
                    }
                    checkpoint.configuration = requested
                }
                if let patience = request.divergencePatience { checkpoint.configuration.divergencePatience = patience }
                return try MetaTrainer(resumingFrom: checkpoint)
            }
            throw ConfigurationError.invalid(
                "the folder already holds a different run: add --overwrite to replace it, or --out to choose another folder")
        }
        var configuration = request.configuration
        if let patience = request.divergencePatience { configuration.divergencePatience = patience }
        return try MetaTrainer(configuration: configuration)
    }

    /// Runs every request (in parallel, at most `width` at once) and returns each outcome or error
    /// in request order.
    public static func run(_ requests: [RunRequest], overwrite: Bool, interrupt: (any StopSignal)?, width: Int,
                           observer: @escaping @Sendable (RunRequest, MetaTrainer) -> TrainingObserver?) -> [Result<SessionOutcome, Error>] {
        let results = ResultBox(count: requests.count)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = max(1, width)
        for (index, request) in requests.enumerated() {
            queue.addOperation {
                if interrupt?.isRaised == true {
                    results.set(index, .success(.notStarted))
                    return
                }
                let result = Result<SessionOutcome, Error> {
                    let lock = try RunFolderLock(folder: request.folder)
                    defer { lock.release() }
                    let trainer = try makeTrainer(for: request, overwrite: overwrite)
                    let printer = observer(request, trainer)
                    let session = TrainingSession(trainer: trainer, folder: request.folder, observer: printer, interrupt: interrupt,
                                                  lock: lock)
                    return try withExtendedLifetime(printer) { try session.run() }
                }
                results.set(index, result)
            }
        }
        queue.waitUntilAllOperationsAreFinished()
        return results.values
    }

    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [Result<SessionOutcome, Error>?]
        init(count: Int) { storage = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: Result<SessionOutcome, Error>) { lock.withLock { storage[index] = value } }
        var values: [Result<SessionOutcome, Error>] { lock.withLock { storage.map { $0! } } }
    }
}
