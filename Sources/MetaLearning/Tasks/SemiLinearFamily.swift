import Foundation

/// The range of the real-valued inputs x1, x2 of the semi-linear and quadratic families.
public enum InputRange: String, Sendable, Codable, CaseIterable {
    /// U[−1, 1] (the default, SPEC §1.2).
    case symmetric
    /// U[0, 1] (the option of SPEC §1.2, §9.2).
    case unit

    /// The lower and upper bound.
    public var bounds: (lower: Double, upper: Double) { self == .symmetric ? (-1, 1) : (0, 1) }
}

/// Semi-linear functions f(x) = 0.5·(1 + tanh(w1·x1 + w2·x2 + w3)), each w_l ∈ U[−1, 1]
/// (SPEC §1.2); inputs i.i.d. from ``InputRange``.
public struct SemiLinearFamily: FunctionFamily {
    /// Where the inputs are drawn from.
    public let inputRange: InputRange

    /// Creates the family.
    public init(inputRange: InputRange = .symmetric) { self.inputRange = inputRange }

    public var name: String { "semil" }
    public var inputDimension: Int { 2 }
    public var summary: String {
        "semi-linear 0.5(1+tanh(w·(x1,x2,1))), w ~ U[-1,1]^3, x ~ \(inputRange == .symmetric ? "U[-1,1]^2" : "U[0,1]^2")"
    }

    /// f(x) for parameters w = (w1, w2, w3).
    @inlinable
    public static func evaluate(w: (Double, Double, Double), x1: Double, x2: Double) -> Double {
        0.5 * (1 + tanh(w.0 * x1 + w.1 * x2 + w.2))
    }

    public func fillSequence(inputs: UnsafeMutableBufferPointer<Double>, targets: UnsafeMutableBufferPointer<Double>,
                             using generator: inout Xoshiro256StarStar) -> Int {
        let w = (generator.nextUniform(in: -1, 1), generator.nextUniform(in: -1, 1), generator.nextUniform(in: -1, 1))
        let (lower, upper) = inputRange.bounds
        for j in 0..<targets.count {
            let x1 = generator.nextUniform(in: lower, upper)
            let x2 = generator.nextUniform(in: lower, upper)
            inputs[2 * j] = x1
            inputs[2 * j + 1] = x2
            targets[j] = Self.evaluate(w: w, x1: x1, x2: x2)
        }
        return -1
    }
}
