import Foundation

/// When meta-training counts as diverged, and the bound on the weights of a checkpoint
/// (docs/reliability.md, "Divergence"; the numbers are chosen in docs/decisions.md).
///
/// The checks only read the trainer's state between epochs; they never change a weight, an
/// update or the order of any computation, so a run that is not stopped ends with the same
/// bits as before they existed.
public enum DivergenceRule {
    /// The largest weight magnitude a run may reach and a checkpoint may hold: 10⁶.
    ///
    /// Trained networks stay far below it (the B14 preset ends with |w| < 10, docs/decisions.md);
    /// within it, with at most 10⁷ weights (`NetworkLimits.maximumWeights`) and activations of
    /// magnitude ≤ 1, a net input stays below 10¹³, far from overflow, so a network's own
    /// arithmetic on the families' inputs cannot produce NaN or infinity. A checkpoint beyond
    /// it is treated as a corrupt file; a run whose weights leave it stops as diverged.
    public static let weightBound = 1e6

    /// The default number of consecutive evaluations whose test MSEt is worse than the constant
    /// predictor's (see ``tolerance``) after which training stops as diverged: 10.
    public static let defaultPatience = 10

    /// How much worse than the constant predictor an evaluation must be to count: by more than
    /// 10 % of its MSEt. Nets that have not yet learnt anything sit at the constant predictor's
    /// level, a little above it (linreg and ar2 at 1.0002–1.002 times it for 60 evaluations,
    /// docs/decisions.md); those are not diverging.
    public static let tolerance = 0.1

    /// Whether a test MSEt counts as worse than the constant predictor's MSEt `constant` (NaN
    /// counts as worse).
    public static func isWorseThanConstant(testMSEt: Double, constant: Double) -> Bool {
        !(testMSEt <= constant * (1 + tolerance))
    }

    /// The number of consecutive evaluations at the end of `history` that are worse than the
    /// constant predictor's MSEt `constant`.
    public static func trailingWorseEvaluations(in history: [EvaluationRecord], constant: Double) -> Int {
        var count = 0
        for record in history.reversed() {
            guard isWorseThanConstant(testMSEt: record.testMSEt, constant: constant) else { break }
            count += 1
        }
        return count
    }

    /// The index and value of the first weight that is NaN, infinite or beyond ±``weightBound``,
    /// or nil if every weight is within the bound.
    public static func firstWeightOutOfBound(_ weights: some Collection<Double>) -> (index: Int, value: Double)? {
        for (index, weight) in weights.enumerated() where !(abs(weight) <= weightBound) {
            return (index, weight)
        }
        return nil
    }
}

/// Training stopped as diverged: the training error became NaN or infinite, a weight left the
/// bound ±``DivergenceRule/weightBound``, or the test error stayed worse than the constant
/// predictor's for the run's divergence patience (``TrainingConfiguration/divergencePatience``).
public struct DivergenceError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What was seen.
    public enum Cause: Equatable, Sendable {
        /// The mean squared error of the epoch's training steps was NaN or infinite.
        case nonFiniteTrainingError(Double)
        /// A weight was NaN, infinite or beyond ±``DivergenceRule/weightBound``.
        case weightOutOfBound(index: Int, value: Double)
        /// The last `evaluations` evaluations all had a test MSEt worse than the constant
        /// predictor's (by more than ``DivergenceRule/tolerance``); the last one `testMSEt`.
        case worseThanConstantPredictor(evaluations: Int, testMSEt: Double, constantMSEt: Double)
    }

    /// The epoch after which it was seen (1-based: the number of epochs completed).
    public var epoch: Int
    /// What was seen.
    public var cause: Cause

    /// Creates the error.
    public init(epoch: Int, cause: Cause) {
        self.epoch = epoch
        self.cause = cause
    }

    /// One line: the epoch, what was seen, and what to try.
    public var description: String {
        switch cause {
        case .nonFiniteTrainingError(let value):
            return "training diverged in epoch \(epoch): the training error became \(value) (try a smaller learning rate)"
        case .weightOutOfBound(let index, let value):
            return "training diverged in epoch \(epoch): weight \(index) is \(value), beyond the bound ±\(Int(DivergenceRule.weightBound)) "
                + "(try a smaller learning rate)"
        case .worseThanConstantPredictor(let evaluations, let testMSEt, let constantMSEt):
            return "training diverged at epoch \(epoch): the test MSEt has been worse than the constant predictor's "
                + "\(Self.format(constantMSEt)) by more than \(Int(DivergenceRule.tolerance * 100)) % for \(evaluations) consecutive "
                + "evaluation\(evaluations == 1 ? "" : "s") (now \(Self.format(testMSEt))); try a smaller learning rate, "
                + "or --divergence-patience 0 to train on"
        }
    }

    private static func format(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4g", value) : "\(value)"
    }
}
