import Foundation

/// The range of the real-valued inputs x1, x2 of the semi-linear and quadratic families.
public enum InputRange: String, Sendable, Codable, CaseIterable {
    /// U[−1, 1] (the default, docs/method.md §2).
    case symmetric
    /// U[0, 1] (the option of docs/method.md §2.5).
    case unit

    /// The lower and upper bound.
    public var bounds: (lower: Double, upper: Double) { self == .symmetric ? (-1, 1) : (0, 1) }
}

/// Semi-linear functions f(x) = 0.5·(1 + tanh(w1·x1 + w2·x2 + w3)), each w_l ∈ U[−1, 1]
/// (docs/method.md §2); inputs i.i.d. from ``InputRange``.
public struct SemiLinearFamily: FunctionFamily {
    /// Where the inputs are drawn from.
    public let inputRange: InputRange

    /// Creates the family.
    public init(inputRange: InputRange = .symmetric) { self.inputRange = inputRange }

    public var name: String { "semil" }
    /// `semil`, with ` (x in [0,1])` for unit inputs.
    public var displayName: String { "semil" + (inputRange == .symmetric ? "" : " (x in [0,1])") }
    public var inputDimension: Int { 2 }
    /// Inputs in the family's input range; targets 0.5(1 + tanh(·)) in [0, 1].
    public var dataDomain: DataDomain {
        DataDomain(inputs: .interval(inputRange.bounds.lower...inputRange.bounds.upper), targets: .interval(0...1))
    }
    /// 64, the J of the paper's first semi-linear row.
    public var defaultSequenceLength: Int { 64 }
    /// (x1, x2, 1) on atanh(2y − 1): every function of the family is linear there.
    public var trueBasis: FunctionBasis? { FunctionBasis(features: .affine(inputDimension: 2), targetTransform: .tanhLink) }
    /// None is implemented; the floor is docs/method.md §3.4's Monte-Carlo reference.
    public func makeBayesPredictor() -> (any OnlinePredictor)? { nil }
    /// docs/method.md §3.4's Monte-Carlo Bayes-optimal test MSEt (±2 %): 0.0021 at J = 64 and 0.000134 at
    /// J = 1000 for inputs U[−1,1], 0.00145 at J = 64 for inputs U[0,1]; nil for other lengths.
    public func referenceBayesMSEt(length: Int) -> Double? {
        switch (inputRange, length) {
        case (.symmetric, 64): return 0.0021
        case (.symmetric, 1000): return 0.000134
        case (.unit, 64): return 0.00145
        case (.symmetric, _), (.unit, _): return nil
        }
    }
    public var summary: String {
        "semi-linear 0.5(1+tanh(w·(x1,x2,1))), w ~ U[-1,1]^3, x ~ \(inputRange == .symmetric ? "U[-1,1]^2" : "U[0,1]^2")"
    }

    /// f(x) for parameters w = (w1, w2, w3).
    @inlinable
    public static func evaluate(w: (Double, Double, Double), x1: Double, x2: Double) -> Double {
        0.5 * (1 + tanh(w.0 * x1 + w.1 * x2 + w.2))
    }

    public func fillSequence(_ sequence: inout SequenceBuffer, using generator: inout Xoshiro256StarStar) -> Int {
        let w = (generator.nextUniform(in: -1, 1), generator.nextUniform(in: -1, 1), generator.nextUniform(in: -1, 1))
        let (lower, upper) = inputRange.bounds
        for j in 0..<sequence.length {
            let x1 = generator.nextUniform(in: lower, upper)
            let x2 = generator.nextUniform(in: lower, upper)
            sequence[input: j, 0] = x1
            sequence[input: j, 1] = x2
            sequence[target: j] = Self.evaluate(w: w, x1: x1, x2: x2)
        }
        return -1
    }
}
