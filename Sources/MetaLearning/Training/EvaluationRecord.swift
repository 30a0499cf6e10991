/// One row of `metrics.csv`: the state of a run at an evaluation point.
public struct EvaluationRecord: Codable, Equatable, Sendable {
    /// Epochs completed.
    public var epoch: Int
    /// Curriculum phase index (0-based).
    public var phase: Int
    /// Mean squared error over the steps of the last epoch while weights were changing.
    public var onlineTrainingError: Double
    /// MSEt on the training set with frozen weights (at the current phase's length).
    public var trainMSEt: Double
    /// MSEt on the test set with frozen weights.
    public var testMSEt: Double
    /// Wall-clock seconds since the run started (summed over resumed sessions).
    public var elapsedSeconds: Double

    /// Creates a record.
    public init(epoch: Int, phase: Int, onlineTrainingError: Double, trainMSEt: Double, testMSEt: Double, elapsedSeconds: Double) {
        self.epoch = epoch
        self.phase = phase
        self.onlineTrainingError = onlineTrainingError
        self.trainMSEt = trainMSEt
        self.testMSEt = testMSEt
        self.elapsedSeconds = elapsedSeconds
    }
}
