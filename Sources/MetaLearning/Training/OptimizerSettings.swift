/// Minibatch training with Adam and global-norm gradient clipping (docs/method.md §5.4), as stored in
/// `config.json`. Absent (nil) in a ``TrainingConfiguration``, the architecture's own SGD rule
/// is used as before.
///
/// Each epoch the shuffled order of the K training sequences is cut into consecutive
/// minibatches of ``batchSize`` (the last one smaller when B does not divide K); per minibatch
/// the full-BPTT gradient of the mean ½e² over its sequences and steps is clipped to
/// ``clipNorm`` and applied by one Adam step at the configuration's learning rate.
public struct OptimizerSettings: Codable, Equatable, Sendable {
    /// Adam's default learning rate (step size α): 0.001.
    public static let defaultLearningRate = 0.001
    /// The default number B of sequences per minibatch: 16 (docs/method.md §5.4).
    public static let defaultBatchSize = 16
    /// The default global-norm clipping threshold: 1.0 (docs/method.md §5.4).
    public static let defaultClipNorm = 1.0

    /// Sequences per minibatch B (docs/method.md §5.4 default 16).
    public var batchSize: Int
    /// Global-norm clipping threshold for the averaged gradient (default 1.0).
    public var clipNorm: Double
    /// Adam's β1 (0.9).
    public var beta1: Double
    /// Adam's β2 (0.999).
    public var beta2: Double
    /// Adam's ε (1e−8).
    public var epsilon: Double

    /// Creates settings; the defaults are docs/method.md §5.4's.
    public init(batchSize: Int = defaultBatchSize, clipNorm: Double = defaultClipNorm, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.batchSize = batchSize
        self.clipNorm = clipNorm
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// A fresh optimizer with these constants.
    public func makeOptimizer(parameterCount: Int) -> AdamOptimizer {
        AdamOptimizer(parameterCount: parameterCount, beta1: beta1, beta2: beta2, epsilon: epsilon)
    }

    /// The largest minibatch (the trainer keeps a carried state per lane).
    public static let maximumBatchSize = 1_000_000

    /// Rejects unusable values with a one-line message.
    /// - Throws: `ConfigurationError/invalid(_:)`.
    public func validate() throws {
        guard batchSize >= 1, batchSize <= Self.maximumBatchSize else {
            throw ConfigurationError.invalid("the batch size must lie in 1...\(Self.maximumBatchSize), not \(batchSize)")
        }
        guard clipNorm > 0, clipNorm.isFinite else {
            throw ConfigurationError.invalid("the clipping norm must be a positive number, not \(clipNorm)")
        }
        guard beta1 >= 0, beta1 < 1, beta2 >= 0, beta2 < 1 else {
            throw ConfigurationError.invalid("Adam's β1 and β2 must lie in [0, 1)")
        }
        guard epsilon > 0, epsilon.isFinite else { throw ConfigurationError.invalid("Adam's ε must be a positive number") }
    }
}
