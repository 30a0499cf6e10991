/// A quadratic q(x) = a·x1² + b·x2² + c·x1·x2 + d·x1 + e·x2 + f on the box D = [lo, hi]².
public struct Quadratic: Sendable, Equatable {
    /// The six coefficients a, b, c, d, e, f.
    public var a, b, c, d, e, f: Double

    /// Creates a quadratic from its coefficients.
    public init(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double) {
        (self.a, self.b, self.c, self.d, self.e, self.f) = (a, b, c, d, e, f)
    }

    /// q(x1, x2).
    @inlinable
    public func callAsFunction(_ x1: Double, _ x2: Double) -> Double {
        a * x1 * x1 + b * x2 * x2 + c * x1 * x2 + d * x1 + e * x2 + f
    }

    /// The exact minimum and maximum of q over [lo, hi]² (docs/method.md §2), taken over the corners,
    /// the stationary points on the four edges and the interior stationary point.
    public func range(over lo: Double, _ hi: Double) -> (min: Double, max: Double, argmin: (Double, Double), argmax: (Double, Double)) {
        var candidates: [(Double, Double)] = [(lo, lo), (lo, hi), (hi, lo), (hi, hi)]
        let inside = { (v: Double) in v >= lo && v <= hi }
        for s in [lo, hi] {
            if b != 0 {  // edge x1 = s: ∂q/∂x2 = 2b·x2 + c·s + e = 0
                let x2 = -(c * s + e) / (2 * b)
                if inside(x2) { candidates.append((s, x2)) }
            }
            if a != 0 {  // edge x2 = s: ∂q/∂x1 = 2a·x1 + c·s + d = 0
                let x1 = -(c * s + d) / (2 * a)
                if inside(x1) { candidates.append((x1, s)) }
            }
        }
        let det = 4 * a * b - c * c
        if det != 0 {
            let x1 = (c * e - 2 * b * d) / det
            let x2 = (c * d - 2 * a * e) / det
            if inside(x1) && inside(x2) { candidates.append((x1, x2)) }
        }
        var result = (min: Double.infinity, max: -Double.infinity, argmin: (lo, lo), argmax: (lo, lo))
        for point in candidates {
            let value = self(point.0, point.1)
            if value < result.min { result.min = value; result.argmin = point }
            if value > result.max { result.max = value; result.argmax = point }
        }
        return result
    }
}

/// Quadratic functions with coefficients a…f ∈ U[−1, 1], affinely scaled per function so that
/// the range over the whole input domain is exactly [0.2, 0.8] (docs/method.md §2).
public struct QuadraticFamily: FunctionFamily {
    /// Where the inputs are drawn from; the scaling domain D is the same box.
    public let inputRange: InputRange

    /// Creates the family.
    public init(inputRange: InputRange = .symmetric) { self.inputRange = inputRange }

    public var name: String { "quad" }
    /// `quad`, with ` (x in [0,1])` for unit inputs.
    public var displayName: String { "quad" + (inputRange == .symmetric ? "" : " (x in [0,1])") }
    public var inputDimension: Int { 2 }
    /// Inputs in the family's input range; targets scaled to exactly [0.2, 0.8].
    public var dataDomain: DataDomain {
        DataDomain(inputs: .interval(inputRange.bounds.lower...inputRange.bounds.upper), targets: .interval(0.2...0.8))
    }
    /// 64 (the paper trains quad at J = 100, then 1000, through its preset).
    public var defaultSequenceLength: Int { 64 }
    /// The quadratic features (1, x1, x2, x1², x1·x2, x2²) on raw targets: the per-function
    /// scaling to [0.2, 0.8] is affine, so every function of the family is linear there.
    public var trueBasis: FunctionBasis? { FunctionBasis(features: .quadratic(inputDimension: 2), targetTransform: .identity) }
    /// None is implemented.
    public func makeBayesPredictor() -> (any OnlinePredictor)? { nil }
    /// None: docs/method.md §3.4 gives no reference for this family.
    public func referenceBayesMSEt(length: Int) -> Double? { nil }
    public var summary: String {
        "quadratic a..f ~ U[-1,1], scaled to [0.2,0.8] over \(inputRange == .symmetric ? "[-1,1]^2" : "[0,1]^2")"
    }

    /// A quadratic scaled to [0.2, 0.8] over the family's domain, as a function of x.
    public struct ScaledFunction: Sendable {
        /// The unscaled quadratic q.
        public let quadratic: Quadratic
        /// min and max of q over the domain.
        public let qmin, qmax: Double

        /// Wraps a quadratic and its range over the domain.
        public init(quadratic: Quadratic, qmin: Double, qmax: Double) {
            self.quadratic = quadratic
            self.qmin = qmin
            self.qmax = qmax
        }
        /// y(x) = 0.2 + 0.6·(q(x) − qmin)/(qmax − qmin).
        @inlinable
        public func callAsFunction(_ x1: Double, _ x2: Double) -> Double {
            0.2 + 0.6 * (quadratic(x1, x2) - qmin) / (qmax - qmin)
        }
    }

    /// Draws coefficients, redrawing in the probability-zero case qmax − qmin < 1e−9.
    public func sampleFunction(using generator: inout Xoshiro256StarStar) -> ScaledFunction {
        let (lo, hi) = inputRange.bounds
        while true {
            let q = Quadratic(a: generator.nextUniform(in: -1, 1), b: generator.nextUniform(in: -1, 1),
                              c: generator.nextUniform(in: -1, 1), d: generator.nextUniform(in: -1, 1),
                              e: generator.nextUniform(in: -1, 1), f: generator.nextUniform(in: -1, 1))
            let r = q.range(over: lo, hi)
            if r.max - r.min >= 1e-9 { return ScaledFunction(quadratic: q, qmin: r.min, qmax: r.max) }
        }
    }

    public func fillSequence(_ sequence: inout SequenceBuffer, using generator: inout Xoshiro256StarStar) -> Int {
        let function = sampleFunction(using: &generator)
        let (lo, hi) = inputRange.bounds
        for j in 0..<sequence.length {
            let x1 = generator.nextUniform(in: lo, hi)
            let x2 = generator.nextUniform(in: lo, hi)
            sequence[input: j, 0] = x1
            sequence[input: j, 1] = x2
            sequence[target: j] = function(x1, x2)
        }
        return -1
    }
}
