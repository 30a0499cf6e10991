/// A fixed map φ from an input x ∈ Rᵈ to the feature vector a linear online learner fits
/// (``RecursiveLeastSquares``): the learner's model is linear in φ(x), not in x.
public enum FeatureMap: Sendable, Equatable, CustomStringConvertible {
    /// φ(x) = (x1, …, xd, 1): an affine function of x (p = d + 1 features). The true basis of
    /// the semi-linear family's pre-activation w·(x1, x2, 1) (docs/method.md §2).
    case affine(inputDimension: Int)
    /// φ(x) = (1, x1, …, xd, x_i·x_j for i ≤ j): every polynomial of degree ≤ 2 in x
    /// (p = 1 + d + d(d+1)/2 features). For d = 2 this is (1, x1, x2, x1², x1·x2, x2²), the
    /// true basis of the quadratic family (docs/method.md §2).
    case quadratic(inputDimension: Int)

    /// The dimension d of the inputs the map reads.
    public var inputDimension: Int {
        switch self {
        case .affine(let d), .quadratic(let d): return d
        }
    }

    /// The number p of features φ(x) has (0 for a non-positive input dimension).
    public var dimension: Int {
        switch self {
        case .affine(let d): return d < 1 ? 0 : d + 1
        case .quadratic(let d): return d < 1 ? 0 : 1 + d + d * (d + 1) / 2
        }
    }

    /// Writes φ(`input`) into the first ``dimension`` slots of `features`.
    /// - Precondition: `input` holds at least ``inputDimension`` values and `features` at
    ///   least ``dimension`` slots (the learners that call this guarantee both; both are
    ///   bounds-checked).
    @inlinable
    public func write(_ input: Span<Double>, into features: inout [Double]) {
        switch self {
        case .affine(let d):
            for i in 0..<d { features[i] = input[i] }
            features[d] = 1
        case .quadratic(let d):
            features[0] = 1
            for i in 0..<d { features[1 + i] = input[i] }
            var slot = 1 + d
            for i in 0..<d {
                for j in i..<d {
                    features[slot] = input[i] * input[j]
                    slot += 1
                }
            }
        }
    }

    /// `affine(d)` or `quadratic(d)`.
    public var description: String {
        switch self {
        case .affine(let d): return "affine(\(d))"
        case .quadratic(let d): return "quadratic(\(d))"
        }
    }
}
