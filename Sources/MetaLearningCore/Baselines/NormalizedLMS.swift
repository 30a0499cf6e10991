/// The normalised least-mean-squares (NLMS) filter on φ(x) = (x1, …, xd, 1), as an online
/// predictor of the meta-learner's stream (docs/method.md §1.1): one normalised gradient step per example,
///
///     w ← w + μ·e·φ/(ε + φᵀφ),   e = y − w·φ (the a-priori error of the linear output).
///
/// The weights start at w = (0, …, 0, ½), i.e. the constant prediction ½ (the prior mean of
/// every family, docs/method.md §1.1). The prediction is w·φ(x) clamped into [0, 1]; the error e uses the
/// unclamped output, as in the textbook filter. For a fixed linear target and inputs that excite
/// every direction, the error decays geometrically for any step size μ ∈ (0, 2); μ = 1 fits
/// each new example exactly (up to ε).
///
/// Examples whose input or target is not finite are not learned from. Cost per step: O(d);
/// no allocation per step.
public struct NormalizedLMS: OnlinePredictor, Sendable {
    /// The default step size μ.
    public static let defaultStepSize = 0.5

    /// Input dimension d.
    public let inputDimension: Int
    /// Step size μ ∈ (0, 2).
    public let stepSize: Double
    /// Regulariser ε > 0 of the normalisation (guards φᵀφ ≈ 0; φᵀφ ≥ 1 here because of the bias).
    public let regularizer: Double
    /// A short name for tables (e.g. `nlms:0.3`).
    public let name: String

    /// The weights of (x1, …, xd, 1).
    public private(set) var weights: [Double]
    /// φ of the previous call's input, learned from at the next call.
    @usableFromInline var pendingFeatures: [Double]
    /// The unclamped output w·φ for ``pendingFeatures``.
    @usableFromInline var pendingOutput = 0.5
    /// Whether an example is pending (false right after reset: the placeholder y(0) is ignored).
    @usableFromInline var hasPending = false

    /// Creates an NLMS predictor.
    /// - Parameters:
    ///   - inputDimension: d ≥ 1.
    ///   - stepSize: μ ∈ (0, 2) (default 0.5).
    ///   - regularizer: ε, finite and > 0 (default 1e−6).
    ///   - name: the name shown in tables.
    /// - Throws: ``ConfigurationError/invalid(_:)`` for an out-of-range argument.
    public init(inputDimension: Int, stepSize: Double = NormalizedLMS.defaultStepSize, regularizer: Double = 1e-6,
                name: String = "nlms") throws {
        guard inputDimension >= 1 else {
            throw ConfigurationError.invalid("nlms: input dimension must be at least 1 (got \(inputDimension))")
        }
        guard stepSize > 0 && stepSize < 2 else {
            throw ConfigurationError.invalid("nlms: step size μ must lie in (0, 2) (got \(stepSize))")
        }
        guard regularizer.isFinite && regularizer > 0 else {
            throw ConfigurationError.invalid("nlms: regulariser ε must be finite and positive (got \(regularizer))")
        }
        self.inputDimension = inputDimension
        self.stepSize = stepSize
        self.regularizer = regularizer
        self.name = name
        weights = [Double](repeating: 0, count: inputDimension + 1)
        pendingFeatures = [Double](repeating: 0, count: inputDimension + 1)
        reset()
    }

    /// Forgets everything: w = (0, …, 0, ½).
    public mutating func reset() {
        for i in weights.indices { weights[i] = 0 }
        weights[inputDimension] = 0.5
        hasPending = false
    }

    /// Takes one NLMS step on (x(j−1), y(j−1)) unless this is the first call after reset, then
    /// returns w·(x(j), 1) clamped into [0, 1].
    public mutating func predict(input: Span<Double>, previousTarget: Double) -> Double {
        let d = inputDimension
        if hasPending && previousTarget.isFinite && pendingOutput.isFinite {
            var norm = regularizer
            for i in 0...d { norm += pendingFeatures[i] * pendingFeatures[i] }
            let gain = stepSize * (previousTarget - pendingOutput) / norm
            for i in 0...d { weights[i] += gain * pendingFeatures[i] }
        }
        var output = weights[d]
        for i in 0..<d {
            pendingFeatures[i] = input[i]
            output += weights[i] * input[i]
        }
        pendingFeatures[d] = 1
        pendingOutput = output
        hasPending = true
        return output.isNaN ? output : Swift.min(Swift.max(output, 0), 1)
    }
}
