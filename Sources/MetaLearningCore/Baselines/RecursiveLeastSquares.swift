import Foundation

/// Exact recursive least squares (RLS) on a feature map φ(x), with forgetting factor λ, as an
/// online predictor of the meta-learner's stream (docs/method.md §1.1).
///
/// **What it computes.** After the examples (x_i, y_i), i = 1…n, of the current sequence the
/// weights are the exact minimiser of
///
///     λⁿ·|w|²/δ + Σ_i λ^(n−i)·(r_i − w·φ(x_i))²,   r_i = T(y_i) − T(½),
///
/// and the prediction for x is T⁻¹(T(½) + w·φ(x)) clamped into [0, 1]. This is the classical
/// RLS recursion started from w = 0 and P = δ·I; λ = 1 is ordinary growing-window least
/// squares, λ < 1 weights an example k steps old by λᵏ so the fit tracks a changing function.
/// T is the optional ``TargetTransform`` (identity, or atanh(2y − 1) for semi-linear targets).
///
/// **Prediction before enough data.** Fitting the residual around T(½) makes the w = 0 prior
/// predict ½, the prior mean of every family (docs/method.md §1.1): the first prediction after a reset is
/// exactly 0.5. With fewer examples than features the large δ makes the fit the minimum-norm
/// interpolant of the residuals (near-exactly: the prior's pull is 1/δ). Once the examples span
/// the feature space the fit is exact up to a relative bias of order 1/(δ·σ²_min(Φ)).
///
/// **δ.** The default δ = 1e16 (R starts at 1e−8·I): the prior's pull |w|²/δ is then at the
/// rounding level of the data terms, so the fit is exact for all practical purposes as soon
/// as the examples span the feature space. The bias of a finite δ falls as 1/δ² in squared
/// error and is large for the classical choice δ = 1e6: over 20 000 sequences of 12 examples,
/// the worst squared error of `rls-basis` once the function is determined (quad from example
/// 7, semil from example 4) was, for δ = 1e6, 1e12, 1e16: quad 5.5e−2, 3.1e−6, 4.0e−14;
/// semil 8.1e−2, 5.6e−9, 5.6e−17 (the errors before identification did not change). The
/// square-root form below makes such a δ harmless: every operation on the prior is a
/// multiplication or a rotation, so no digits are lost (the textbook covariance update would
/// subtract numbers of size δ in P's first updates and lose them all).
///
/// **Numerics.** The state is not P but its square-root information form: an upper-triangular
/// R and a vector u with RᵀR = P⁻¹ and Rᵀu = P⁻¹w (QR-RLS). An example scales R and u by √λ
/// and is rotated into them by p Givens rotations; the weights come from back substitution.
/// RᵀR stays symmetric positive semi-definite by construction, and the condition number is that
/// of R, the square root of P's. With λ < 1 and a stream that does not excite some direction of
/// feature space (e.g. a constant input), the prior decays as λⁿ/δ and R becomes singular
/// there; the back substitution then sets the weight of any pivot below 1e−13 of R's largest
/// diagonal entry to 0 instead of dividing by it, so the predictor stays finite for ever.
///
/// Examples whose features or target are not finite are not learned from. Cost per step:
/// O(p²) with p = ``FeatureMap/dimension``; no allocation per step.
public struct RecursiveLeastSquares: OnlinePredictor, Sendable {
    /// A fixed, invertible transform of the targets: the model is linear in T(y), not in y.
    public enum TargetTransform: String, Sendable, Equatable, CaseIterable {
        /// T(y) = y.
        case identity
        /// T(y) = atanh(2y − 1), inverse T⁻¹(z) = ½(1 + tanh z): a semi-linear target
        /// ½(1 + tanh(w·(x, 1))) becomes the linear w·(x, 1) (docs/method.md §2). Targets are clamped
        /// into [1e−9, 1 − 1e−9] before atanh, so 0 and 1 map to about ∓10.4, not ∓∞.
        case tanhLink = "tanh-link"

        /// T(y).
        @inlinable
        public func forward(_ y: Double) -> Double {
            switch self {
            case .identity: return y
            case .tanhLink: return atanh(2 * Swift.min(Swift.max(y, 1e-9), 1 - 1e-9) - 1)
            }
        }

        /// T⁻¹(z).
        @inlinable
        public func inverse(_ z: Double) -> Double {
            switch self {
            case .identity: return z
            case .tanhLink: return 0.5 * (1 + tanh(z))
            }
        }
    }

    /// The default initial scale δ of P = δ·I (see the type's documentation).
    public static let defaultInitialScale = 1e16

    /// The feature map φ the model is linear in.
    public let features: FeatureMap
    /// The forgetting factor λ ∈ (0, 1] (1: no forgetting).
    public let forgetting: Double
    /// The initial scale δ > 0 of P = δ·I: the prior variance of each weight.
    public let initialScale: Double
    /// The target transform T.
    public let targetTransform: TargetTransform
    /// A short name for tables (e.g. `rls-raw:0.95`).
    public let name: String

    /// p = φ's dimension.
    @usableFromInline let p: Int
    /// T(½): the transformed prior mean, the offset the residuals are fitted around.
    @usableFromInline let offset: Double
    /// R, upper triangular, row-major p×p (entries below the diagonal stay 0).
    @usableFromInline var r: [Double]
    /// u with Rᵀu = P⁻¹w.
    @usableFromInline var u: [Double]
    /// φ of the previous call's input, learned from at the next call.
    @usableFromInline var pendingFeatures: [Double]
    /// Whether ``pendingFeatures`` holds an example still to learn (false right after reset:
    /// the first `previousTarget` is the placeholder y(0) and is ignored).
    @usableFromInline var hasPending = false
    /// Scratch: the row being rotated in, then the weights of the back substitution.
    @usableFromInline var scratch: [Double]

    /// Creates an RLS predictor.
    /// - Parameters:
    ///   - features: the feature map φ (its input dimension must be ≥ 1).
    ///   - forgetting: λ ∈ (0, 1]; 1 (default) is ordinary least squares over all examples.
    ///   - initialScale: δ of P = δ·I, finite and > 0 (default ``defaultInitialScale``).
    ///   - targetTransform: T (default identity).
    ///   - name: the name shown in tables.
    /// - Throws: ``ConfigurationError/invalid(_:)`` for an out-of-range argument.
    public init(features: FeatureMap, forgetting: Double = 1, initialScale: Double = RecursiveLeastSquares.defaultInitialScale,
                targetTransform: TargetTransform = .identity, name: String = "rls") throws {
        guard features.inputDimension >= 1 else {
            throw ConfigurationError.invalid("rls: input dimension must be at least 1 (got \(features.inputDimension))")
        }
        guard forgetting > 0 && forgetting <= 1 else {
            throw ConfigurationError.invalid("rls: forgetting factor must lie in (0, 1] (got \(forgetting))")
        }
        guard initialScale.isFinite && initialScale > 0 else {
            throw ConfigurationError.invalid("rls: initial scale δ must be finite and positive (got \(initialScale))")
        }
        self.features = features
        self.forgetting = forgetting
        self.initialScale = initialScale
        self.targetTransform = targetTransform
        self.name = name
        p = features.dimension
        offset = targetTransform.forward(0.5)
        r = [Double](repeating: 0, count: p * p)
        u = [Double](repeating: 0, count: p)
        pendingFeatures = [Double](repeating: 0, count: p)
        scratch = [Double](repeating: 0, count: p)
        reset()
    }

    /// Forgets every example: w = 0 and P = δ·I (R = I/√δ, u = 0).
    public mutating func reset() {
        let diagonal = 1 / initialScale.squareRoot()
        for i in 0..<p {
            for j in 0..<p { r[i * p + j] = i == j ? diagonal : 0 }
            u[i] = 0
        }
        hasPending = false
    }

    /// Learns (x(j−1), y(j−1)) unless this is the first call after reset, then returns the
    /// prediction T⁻¹(T(½) + w·φ(x(j))) clamped into [0, 1].
    public mutating func predict(input: Span<Double>, previousTarget: Double) -> Double {
        if hasPending { learnPending(target: previousTarget) }
        features.write(input, into: &pendingFeatures)
        hasPending = true
        let z = offset + solvedResidualPrediction()
        let y = targetTransform.inverse(z)
        return y.isNaN ? y : Swift.min(Swift.max(y, 0), 1)
    }

    /// Scales R and u by √λ and rotates the row (φ, r) of the pending example into them.
    @usableFromInline
    mutating func learnPending(target: Double) {
        let residual = targetTransform.forward(target) - offset
        guard residual.isFinite, pendingFeatures.allSatisfy(\.isFinite) else { return }
        let p = self.p
        let scale = forgetting.squareRoot()
        r.withUnsafeMutableBufferPointer { r in
            u.withUnsafeMutableBufferPointer { u in
                scratch.withUnsafeMutableBufferPointer { row in
                    if scale != 1 {
                        for index in 0..<(p * p) { r[index] *= scale }
                        for i in 0..<p { u[i] *= scale }
                    }
                    for i in 0..<p { row[i] = pendingFeatures[i] }
                    var rowResidual = residual
                    // Givens rotation i zeroes row[i] against the pivot r[i][i].
                    for i in 0..<p where row[i] != 0 {
                        let pivot = r[i * p + i]
                        let length = (pivot * pivot + row[i] * row[i]).squareRoot()
                        let c = pivot / length, s = row[i] / length
                        r[i * p + i] = length
                        row[i] = 0
                        for j in (i + 1)..<p {
                            let top = r[i * p + j], bottom = row[j]
                            r[i * p + j] = c * top + s * bottom
                            row[j] = c * bottom - s * top
                        }
                        let top = u[i]
                        u[i] = c * top + s * rowResidual
                        rowResidual = c * rowResidual - s * top
                    }
                }
            }
        }
    }

    /// w·φ(x) for the pending features, with w from R·w = u by back substitution (pivots below
    /// 1e−13 of the largest diagonal entry give a zero weight; see the type's documentation).
    @usableFromInline
    mutating func solvedResidualPrediction() -> Double {
        let p = self.p
        var largestPivot = 0.0
        for i in 0..<p { largestPivot = Swift.max(largestPivot, abs(r[i * p + i])) }
        let threshold = largestPivot * 1e-13
        return r.withUnsafeBufferPointer { r in
            u.withUnsafeBufferPointer { u in
                scratch.withUnsafeMutableBufferPointer { w in
                    var prediction = 0.0
                    for i in stride(from: p - 1, through: 0, by: -1) {
                        let pivot = r[i * p + i]
                        if abs(pivot) <= threshold {
                            w[i] = 0
                        } else {
                            var sum = u[i]
                            for j in (i + 1)..<p { sum -= r[i * p + j] * w[j] }
                            w[i] = sum / pivot
                        }
                        prediction += w[i] * pendingFeatures[i]
                    }
                    return prediction
                }
            }
        }
    }
}
