import Foundation

/// Receives progress events of a training session (e.g. to print progress lines).
public protocol TrainingObserver: AnyObject {
    /// Called after every epoch.
    func epochCompleted(by trainer: MetaTrainer)
    /// Called after every evaluation with its record.
    func evaluated(_ record: EvaluationRecord, by trainer: MetaTrainer)
}

/// Tells long runs whether to stop at the next epoch boundary (the command line raises it on
/// Ctrl-C). Read from several threads, so conforming types must be thread-safe.
public protocol StopSignal: AnyObject, Sendable {
    /// Whether a stop was requested.
    var isRaised: Bool { get }
}

/// How a session ended.
public enum SessionOutcome: Sendable {
    /// Every epoch ran; the summary of the finished run.
    case finished(RunSummary)
    /// Stopped at an epoch boundary on request; the checkpoint holds the state at `epoch`.
    case interrupted(epoch: Int)
    /// Stopped as diverged (``DivergenceError``): the diverging state was not saved, the last
    /// checkpoint before it is kept, and the summary gives that checkpoint's figures with
    /// ``RunSummary/divergence`` set.
    case diverged(RunSummary, DivergenceError)
    /// Not started because a stop was requested before its turn; nothing was written.
    case notStarted
}

/// Drives a ``MetaTrainer`` through its epochs with evaluation, checkpoints in a
/// ``RunFolder``, progress reports, interruption at epoch boundaries and the divergence checks
/// of ``DivergenceRule``.
public final class TrainingSession {
    /// The trainer.
    public let trainer: MetaTrainer
    /// Where files go (nil: nothing is written).
    public let folder: RunFolder?
    /// Progress receiver.
    public weak var observer: TrainingObserver?
    /// Raised to stop at the next epoch boundary.
    public let interrupt: (any StopSignal)?
    /// The folder's lock, when the caller took it before preparing the trainer.
    private let lock: RunFolderLock?

    /// Creates a session.
    /// - Parameter lock: the folder's lock if the caller already holds it (as ``ExperimentRunner``
    ///   does, so that deciding whether to resume happens under the lock); nil: ``run()`` takes it.
    public init(trainer: MetaTrainer, folder: RunFolder?, observer: TrainingObserver? = nil, interrupt: (any StopSignal)? = nil,
                lock: RunFolderLock? = nil) {
        precondition(lock == nil || lock?.folder.url == folder?.url, "TrainingSession: the lock must be the folder's")
        self.trainer = trainer
        self.folder = folder
        self.observer = observer
        self.interrupt = interrupt
        self.lock = lock
    }

    /// Runs the remaining epochs; evaluates and checkpoints every evaluation interval, at
    /// curriculum phase changes and at the end; on interruption writes a checkpoint first.
    ///
    /// With a folder, the session holds the folder's ``RunFolderLock`` throughout (a second
    /// process gets ``RunFolderLockError/inUse(folder:pid:)``), removes temporary files left
    /// by a killed writer, and rewrites `metrics.csv` from the trainer's history, so that it
    /// agrees with the checkpoint the run continues from.
    ///
    /// A run that diverges (``DivergenceError`` from an epoch, or
    /// ``MetaTrainer/divergenceShownByHistory()`` after an evaluation) stops without saving the
    /// diverging state and returns ``SessionOutcome/diverged(_:_:)``.
    /// - Throws: `RunFolderLockError`, `FileWriteError` and the trainer's errors other than divergence.
    public func run() throws -> SessionOutcome {
        let heldLock = try lock ?? folder.map { try RunFolderLock(folder: $0) }
        defer { if lock == nil { heldLock?.release() } }
        if let folder {
            try folder.create()
            folder.removeStaleTemporaryFiles()
            folder.removeFinalFiles()
            try folder.writeConfiguration(trainer.configuration)
            try folder.writeMetrics(trainer.history)
        }
        var lastSaved = trainer.checkpoint()
        while !trainer.isFinished {
            if interrupt?.isRaised == true {
                try saveCheckpoint()
                return .interrupted(epoch: trainer.epoch)
            }
            do {
                try trainer.runEpoch()
            } catch let divergence as DivergenceError {
                return try stopAsDiverged(divergence, keeping: lastSaved)
            }
            observer?.epochCompleted(by: trainer)
            if trainer.evaluationDue {
                let record = trainer.evaluate()
                observer?.evaluated(record, by: trainer)
                if let divergence = trainer.divergenceShownByHistory() {
                    return try stopAsDiverged(divergence, keeping: lastSaved)
                }
                lastSaved = try saveCheckpoint()
            }
        }
        let summary = makeSummary()
        if let folder {
            try folder.writeCurveAndSummary(trainer.network.errors(on: trainer.testSet,
                                                                   initialPreviousTarget: trainer.configuration.initialPreviousTarget),
                                            summary)
        } else {
            try summary.checkFinite()
        }
        return .finished(summary)
    }

    /// Writes the checkpoint and the metrics; returns the checkpoint.
    @discardableResult
    private func saveCheckpoint() throws -> Checkpoint {
        let checkpoint = trainer.checkpoint()
        try folder?.writeCheckpointAndMetrics(checkpoint)
        return checkpoint
    }

    /// The outcome of a run that diverged: the figures of the last checkpoint saved (or of the
    /// state the session started from), written as `curve.csv` and `summary.json` with the
    /// divergence noted; `model.json` and `metrics.csv` stay as they were.
    private func stopAsDiverged(_ divergence: DivergenceError, keeping kept: Checkpoint) throws -> SessionOutcome {
        let keptTrainer = try MetaTrainer(resumingFrom: kept)
        var summary = summarize(keptTrainer)
        summary.divergence = divergence.description
        if let folder {
            try folder.writeCurveAndSummary(keptTrainer.network.errors(on: keptTrainer.testSet,
                                                                       initialPreviousTarget: kept.configuration.initialPreviousTarget),
                                            summary)
        }
        return .diverged(summary, divergence)
    }

    /// The figures of the run in its current state (docs/method.md §3).
    public func makeSummary() -> RunSummary {
        summarize(trainer)
    }
}

/// The figures of a trainer's current state: frozen-weight errors on both sets, subordinate
/// measures, reference floors and speed.
func summarize(_ trainer: MetaTrainer) -> RunSummary {
    let configuration = trainer.configuration
    let y0 = configuration.initialPreviousTarget
    let trainSet = trainer.trainingSet(forEpoch: max(trainer.epoch - 1, 0))
    let train = trainer.network.errors(on: trainSet, initialPreviousTarget: y0)
    let test = trainer.network.errors(on: trainer.testSet, initialPreviousTarget: y0)
    let floor = bayesFloor(family: configuration.family, testSet: trainer.testSet, initialPreviousTarget: y0)
    let constant = trainer.constantPredictorMSEt
    return RunSummary(
        preset: configuration.preset, seed: configuration.seed, quickBudget: configuration.quickBudget,
        family: configuration.family.description,
        network: "\(configuration.architecture.name) \(configuration.architecture.topology)",
        weights: trainer.network.weightCount, epochs: trainer.epoch, learningRate: configuration.learningRate,
        trainMSEt: train.meanSquaredErrorPerStep, testMSEt: test.meanSquaredErrorPerStep,
        testSubordinate: SubordinateMetrics(errors: test), trainSubordinate: SubordinateMetrics(errors: train),
        bayesMSEt: floor?.value, bayesSource: floor?.source, constantPredictorMSEt: constant,
        wallSeconds: trainer.elapsedSeconds, trainingSeconds: trainer.trainingSeconds,
        stepsPerSecond: trainer.trainingSeconds > 0 ? Double(trainer.stepsTaken) / trainer.trainingSeconds : 0,
        paper: configuration.preset == "custom" ? nil : PaperTable2Row.table2[configuration.preset])
}

/// The Bayes-optimal MSEt on `testSet`: computed exactly where the family has a Bayes-optimal
/// predictor (the Boolean families), else the family's docs/method.md §3.4 Monte-Carlo reference (the
/// semi-linear family), nil otherwise.
func bayesFloor(family: FamilySpec, testSet: SequenceSet, initialPreviousTarget: Double) -> (value: Double, source: String)? {
    let functionFamily = family.makeFamily()
    if var predictor = functionFamily.makeBayesPredictor() {
        let errors = predictor.squaredErrors(on: testSet, initialPreviousTarget: initialPreviousTarget)
        return (errors.reduce(0, +) / Double(errors.count), "Bayes-optimal predictor on the same test set")
    }
    if let value = functionFamily.referenceBayesMSEt(length: testSet.length) {
        return (value, "docs/method.md §3.4 Monte-Carlo reference")
    }
    return nil
}
