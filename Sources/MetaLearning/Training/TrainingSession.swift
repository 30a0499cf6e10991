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
    /// Not started because a stop was requested before its turn; nothing was written.
    case notStarted
}

/// Drives a ``MetaTrainer`` through its epochs with evaluation, checkpoints in a
/// ``RunFolder``, progress reports and interruption at epoch boundaries.
public final class TrainingSession {
    /// The trainer.
    public let trainer: MetaTrainer
    /// Where files go (nil: nothing is written).
    public let folder: RunFolder?
    /// Progress receiver.
    public weak var observer: TrainingObserver?
    /// Raised to stop at the next epoch boundary.
    public let interrupt: (any StopSignal)?

    /// Creates a session.
    public init(trainer: MetaTrainer, folder: RunFolder?, observer: TrainingObserver? = nil, interrupt: (any StopSignal)? = nil) {
        self.trainer = trainer
        self.folder = folder
        self.observer = observer
        self.interrupt = interrupt
    }

    /// Runs the remaining epochs; evaluates and checkpoints every evaluation interval, at
    /// curriculum phase changes and at the end; on interruption writes a checkpoint first.
    public func run() throws -> SessionOutcome {
        if let folder {
            try folder.create()
            try folder.writeConfiguration(trainer.configuration)
            if trainer.epoch == 0 && trainer.history.isEmpty {
                try folder.writeMetrics([])
            }
        }
        while !trainer.isFinished {
            if interrupt?.isRaised == true {
                try saveCheckpoint()
                return .interrupted(epoch: trainer.epoch)
            }
            try trainer.runEpoch()
            observer?.epochCompleted(by: trainer)
            if trainer.evaluationDue {
                let record = trainer.evaluate()
                observer?.evaluated(record, by: trainer)
                try saveCheckpoint()
            }
        }
        let summary = makeSummary()
        if let folder {
            try folder.writeCurve(trainer.network.errors(on: trainer.testSet,
                                           initialPreviousTarget: trainer.configuration.initialPreviousTarget))
            try folder.writeSummary(summary)
        }
        return .finished(summary)
    }

    private func saveCheckpoint() throws {
        guard let folder else { return }
        try folder.writeMetrics(trainer.history)
        try folder.writeCheckpoint(trainer.checkpoint())
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
    let constant = trainer.testSet.targets.reduce(0) { $0 + ($1 - 0.5) * ($1 - 0.5) } / Double(trainer.testSet.targets.count)
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
