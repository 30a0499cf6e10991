/// The figures of one finished run (or of the last checkpoint of a run that diverged), as
/// printed and written to `summary.json`.
public struct RunSummary: Codable, Equatable, Sendable {
    /// Preset name or `custom`.
    public var preset: String
    /// Master seed.
    public var seed: UInt64
    /// Whether the epoch budget was cut (`--budget smoke`): figures are not the paper's protocol.
    public var quickBudget: Bool
    /// Family with sampling options.
    public var family: String
    /// Architecture name and topology, e.g. `lstm1997 6/6(1)`.
    public var network: String
    /// Number of weights.
    public var weights: Int
    /// Epochs completed.
    public var epochs: Int
    /// Learning rate α.
    public var learningRate: Double
    /// Train MSEt (frozen weights, full training set at the last phase's length).
    public var trainMSEt: Double
    /// Test MSEt.
    public var testMSEt: Double
    /// Subordinate measures on the test set (docs/method.md §3.3).
    public var testSubordinate: SubordinateMetrics
    /// Subordinate measures on the training set.
    public var trainSubordinate: SubordinateMetrics
    /// The Bayes-optimal predictor's MSEt on the same test set (Boolean families, computed) or
    /// docs/method.md §3.4's reference value (other families), if known.
    public var bayesMSEt: Double?
    /// Where ``bayesMSEt`` comes from.
    public var bayesSource: String?
    /// MSEt of the constant predictor 0.5 on the test set.
    public var constantPredictorMSEt: Double
    /// Wall-clock seconds of the whole run (training and evaluation).
    public var wallSeconds: Double
    /// Seconds spent in training steps.
    public var trainingSeconds: Double
    /// Online training steps per second (training time only).
    public var stepsPerSecond: Double
    /// The paper's row, if the preset has one.
    public var paper: PaperTable2Row?
    /// Nil for a run that finished; for a run that stopped as diverged, why (the
    /// ``DivergenceError`` message). The figures are then those of the last checkpoint kept,
    /// at ``epochs``. Absent from `summary.json` when nil.
    public var divergence: String? = nil

    /// Checks that every figure is a finite number.
    /// - Throws: ``NonFiniteResultError`` naming the first that is not.
    public func checkFinite() throws(NonFiniteResultError) {
        try NonFiniteResultError.check(trainMSEt, "the train MSEt")
        try NonFiniteResultError.check(testMSEt, "the test MSEt")
        try NonFiniteResultError.check(testSubordinate.trainMSE, "the subordinate MSE on the test set")
        try NonFiniteResultError.check(trainSubordinate.trainMSE, "the subordinate MSE on the training set")
        try NonFiniteResultError.check(constantPredictorMSEt, "the constant predictor's MSEt")
        if let bayesMSEt { try NonFiniteResultError.check(bayesMSEt, "the Bayes-optimal MSEt") }
    }
}
