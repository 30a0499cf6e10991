/// Squared errors E_k(j) = (y_k(j) − o_k(j))² of K sequences × J examples, sequence-major
/// (docs/method.md §3.1), and the error measures defined on them.
public struct ErrorMatrix: Sendable, Equatable {
    /// Number of sequences K.
    public let sequences: Int
    /// Examples per sequence J.
    public let length: Int
    /// E_k(j) at index k·J + j (0-based j).
    public let squaredErrors: [Double]

    /// Wraps K·J squared errors.
    public init(sequences: Int, length: Int, squaredErrors: [Double]) {
        precondition(squaredErrors.count == sequences * length, "ErrorMatrix: K·J values expected")
        self.sequences = sequences
        self.length = length
        self.squaredErrors = squaredErrors
    }

    /// MSEt = (1/(K·J)) Σ_k Σ_j E_k(j): every step counts, j = 1 included.
    public var meanSquaredErrorPerStep: Double {
        squaredErrors.reduce(0, +) / Double(max(squaredErrors.count, 1))
    }

    /// ē(j) = mean_k E_k(j), j = 1…J (index j − 1).
    public var meanCurve: [Double] {
        var curve = [Double](repeating: 0, count: length)
        for k in 0..<sequences {
            for j in 0..<length { curve[j] += squaredErrors[k * length + j] }
        }
        return curve.map { $0 / Double(max(sequences, 1)) }
    }

    /// ẽ(j) = median_k E_k(j), j = 1…J (index j − 1); the mean of the two middle values for even K.
    public var medianCurve: [Double] {
        (0..<length).map { j in median((0..<sequences).map { squaredErrors[$0 * length + j] }) }
    }

    /// The errors of sequence k.
    public func sequence(_ k: Int) -> ArraySlice<Double> {
        squaredErrors[(k * length)..<((k + 1) * length)]
    }
}

/// The median of `values` (mean of the two middle ones for an even count; NaN if empty).
package func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid])
}

/// The q-quantile (0 ≤ q ≤ 1) of `values` by linear interpolation between order statistics.
func quantile(_ values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    let fraction = position - Double(lower)
    return sorted[lower] + fraction * (sorted[upper] - sorted[lower])
}
