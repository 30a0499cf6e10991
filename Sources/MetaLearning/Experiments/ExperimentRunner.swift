import Foundation

/// One run to perform: a configuration and where its files go.
public struct RunRequest: Sendable {
    /// The configuration of a new run (ignored when resuming from the folder's checkpoint).
    public var configuration: TrainingConfiguration
    /// The run folder.
    public var folder: RunFolder
    /// Continue from the folder's `model.json` if it exists.
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
    /// Prepares the trainer of a request: resumes from the folder's checkpoint when asked and
    /// present (and starts the run when asked to resume one that has no checkpoint yet);
    /// refuses to overwrite an existing run otherwise. Call it while holding the folder's
    /// ``RunFolderLock``, so that no other process starts or ends a run there meanwhile.
    public static func makeTrainer(for request: RunRequest, overwrite: Bool) throws -> MetaTrainer {
        let modelPath = request.folder.modelURL.path
        if FileManager.default.fileExists(atPath: modelPath) {
            if request.resume {
                var checkpoint = try Checkpoint.load(from: request.folder.modelURL)
                if let patience = request.divergencePatience { checkpoint.configuration.divergencePatience = patience }
                return try MetaTrainer(resumingFrom: checkpoint)
            }
            if !overwrite {
                throw ConfigurationError.invalid(
                    "\(request.folder.url.path) already holds a run: add --resume to continue it, --overwrite to start again, or --out to choose another folder")
            }
        }
        // Resuming a run that never wrote a checkpoint starts it (a sweep interrupted before
        // it reached some of its runs continues with them).
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
