/// One AR(2) process per sequence, read as a regression problem on its two lags.
///
/// The process is s(t) = a1·s(t−1) + a2·s(t−2) + ε(t), ε ~ N(0, 1), with (a1, a2) drawn
/// uniformly from the stationarity triangle shrunk so that both roots of z² − a1·z − a2 lie
/// strictly inside the circle of radius ``rootRadius`` (0.95). Values are mapped into the
/// target range by m(s) = clamp(0.5 + 0.1·s/σ_s, 0, 1), σ_s the analytic stationary standard
/// deviation. Example j (1-based) has x(j) = (m(s(j−1)), m(s(j−2))) and y(j) = m(s(j)), so the
/// "function" of the meta-learning setup is the affine map
/// f(x) = 0.5 + a1·(x1 − 0.5) + a2·(x2 − 0.5) + noise of standard deviation 0.1/σ_s, and
/// y(j−1) = x1(j) exactly.
///
/// The process starts exactly in its stationary distribution (no burn-in): (s(−1), s(0)) is
/// drawn from the bivariate normal with variance σ_s² and lag-one correlation ρ = a1/(1 − a2).
/// The clamp acts only beyond 5 σ_s (≈ 6·10⁻⁷ of the targets of a stationary stream).
///
/// **Switching.** With ``switchProbability`` p > 0, before each example new coefficients are
/// drawn with probability p (a non-stationary stream). The stream is generated in standard
/// units z = s/σ_s, and z, not s, continues across a switch: equivalently, at a switch the
/// process's state is rescaled by σ_new/σ_old. So the map m(z) = 0.5 + 0.1·z never changes,
/// x1(j) = y(j−1) still holds at every step, and each regime has stationary standard deviation
/// 0.1 in target units, so switches from a quiet to a loud process do not push the stream into
/// the clamp (a fixed reference σ could differ from the new regime's by a factor of 40).
/// Only the transient right after a switch (the old lag correlation under the new dynamics)
/// widens the stream: for typical pairs of regimes its standard deviation stays below 2–4× the
/// stationary one, for the most extreme pairs (a1 ≈ −1.9 → +1.9) it can reach ≈ 13×, and then
/// targets are clamped; the clamped fraction is measured in `docs/decisions.md`.
///
/// Draw order per sequence: coefficients (``sampleCoefficients(using:)``), two Gaussians for
/// the start, then per example [a uniform switch draw and, if it fires, new coefficients — only
/// when p > 0] and one Gaussian innovation.
public struct AutoregressiveFamily: FunctionFamily {
    /// Both characteristic roots of every drawn process lie strictly inside this radius, which
    /// keeps σ_s < 46 and the memory of the process finite (autocorrelations decay at least
    /// like 0.95^lag).
    public static let rootRadius = 0.95

    /// The coefficients of one AR(2) process and the constants derived from them.
    public struct Coefficients: Sendable, Equatable {
        /// Weight a1 of s(t−1).
        public let a1: Double
        /// Weight a2 of s(t−2).
        public let a2: Double

        /// Wraps two coefficients.
        /// - Throws: ``ConfigurationError/invalid(_:)`` unless the process is stationary
        ///   (|a2| < 1, a2 + a1 < 1, a2 − a1 < 1).
        public init(a1: Double, a2: Double) throws(ConfigurationError) {
            guard abs(a2) < 1, a2 + a1 < 1, a2 - a1 < 1 else {
                throw .invalid("AR(2) coefficients (\(a1), \(a2)) are not stationary")
            }
            self.a1 = a1
            self.a2 = a2
        }

        /// The stationary variance of s for unit innovation variance,
        /// γ0 = (1 − a2) / ((1 + a2)·((1 − a2)² − a1²)).
        public var stationaryVariance: Double { (1 - a2) / ((1 + a2) * ((1 - a2) * (1 - a2) - a1 * a1)) }
        /// σ_s, the square root of ``stationaryVariance``.
        public var stationaryStandardDeviation: Double { stationaryVariance.squareRoot() }
        /// ρ1 = a1/(1 − a2), the stationary correlation of s(t) and s(t−1).
        public var lagOneCorrelation: Double { a1 / (1 - a2) }
        /// The largest modulus of the two roots of z² − a1·z − a2 (below 1 for a stationary process).
        public var largestRootModulus: Double {
            let discriminant = a1 * a1 + 4 * a2
            if discriminant < 0 { return (-a2).squareRoot() }  // complex pair, |z|² = −a2
            let root = discriminant.squareRoot()
            return max(abs(a1 + root), abs(a1 - root)) / 2
        }
    }

    /// Probability p ∈ [0, 1) of drawing new coefficients before each example.
    public let switchProbability: Double

    /// Creates the family.
    /// - Throws: ``ConfigurationError/invalid(_:)`` unless 0 ≤ `switchProbability` < 1.
    public init(switchProbability: Double = 0) throws(ConfigurationError) {
        guard switchProbability >= 0, switchProbability < 1 else {
            throw .invalid("the ar2 switch probability must lie in [0, 1), not \(switchProbability)")
        }
        self.switchProbability = switchProbability
    }

    /// For ``FamilySpec``, which has already checked the probability.
    init(validatedSwitchProbability switchProbability: Double) {
        precondition(switchProbability >= 0 && switchProbability < 1, "ar2 switch probability \(switchProbability) out of range")
        self.switchProbability = switchProbability
    }

    public var name: String { "ar2" }
    /// `ar2`.
    public var displayName: String { "ar2" }
    public var inputDimension: Int { 2 }
    /// The lags and the target are values of the process mapped into [0, 1].
    public var dataDomain: DataDomain { DataDomain(inputs: .interval(0...1), targets: .interval(0...1)) }
    /// 64.
    public var defaultSequenceLength: Int { 64 }
    /// None is used: the family's functions are affine in the raw inputs (`rls-raw`).
    public var trueBasis: FunctionBasis? { nil }
    /// None is implemented.
    public func makeBayesPredictor() -> (any OnlinePredictor)? { nil }
    /// None is known.
    public func referenceBayesMSEt(length: Int) -> Double? { nil }
    public var summary: String {
        "AR(2) one-step prediction, (a1,a2) uniform with roots inside radius 0.95, x = two lags, y = 0.5 + 0.1 s/sigma"
            + (switchProbability > 0 ? ", coefficients redrawn with probability \(switchProbability) per example" : "")
    }

    /// Draws (a1, a2) uniformly from the shrunk stationarity triangle: (b1, b2) uniform over the
    /// triangle |b2| < 1, b2 ± b1 < 1 by rejection from [−2, 2) × [−1, 1) (two uniforms per try,
    /// b1 first; half the tries succeed), then a1 = r·b1, a2 = r²·b2 with r = ``rootRadius``.
    /// The map is linear, so (a1, a2) is uniform too, and it multiplies the roots by r.
    public static func sampleCoefficients(using generator: inout Xoshiro256StarStar) -> Coefficients {
        let r = rootRadius
        while true {
            let b1 = generator.nextUniform(in: -2, 2)
            let b2 = generator.nextUniform(in: -1, 1)
            if b2 > -1, b2 + b1 < 1, b2 - b1 < 1, let coefficients = try? Coefficients(a1: r * b1, a2: r * r * b2) {
                return coefficients
            }
        }
    }

    /// m(z) = clamp(0.5 + 0.1·z, 0, 1) for a value z = s/σ_s in standard units.
    @inlinable
    public static func target(standardValue z: Double) -> Double { min(1, max(0, 0.5 + 0.1 * z)) }

    public func fillSequence(_ sequence: inout SequenceBuffer, using generator: inout Xoshiro256StarStar) -> Int {
        var coefficients = Self.sampleCoefficients(using: &generator)
        // Exact stationary start in standard units: unit variance, correlation ρ1.
        let rho = coefficients.lagOneCorrelation
        var older = generator.nextGaussian()                                          // z(−1)
        var previous = rho * older + (1 - rho * rho).squareRoot() * generator.nextGaussian()  // z(0)
        var innovationScale = 1 / coefficients.stationaryStandardDeviation
        for j in 0..<sequence.length {
            if switchProbability > 0, generator.nextUnitInterval() < switchProbability {
                coefficients = Self.sampleCoefficients(using: &generator)
                innovationScale = 1 / coefficients.stationaryStandardDeviation
            }
            let current = coefficients.a1 * previous + coefficients.a2 * older + innovationScale * generator.nextGaussian()
            sequence[input: j, 0] = Self.target(standardValue: previous)
            sequence[input: j, 1] = Self.target(standardValue: older)
            sequence[target: j] = Self.target(standardValue: current)
            older = previous
            previous = current
        }
        return -1
    }
}
