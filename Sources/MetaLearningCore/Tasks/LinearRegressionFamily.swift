/// d-dimensional noiseless linear regression, the standard in-context-learning benchmark
/// (Garg et al. 2022), mapped into the unit target range of docs/method.md §1.1.
///
/// Per sequence the weights w ~ N(0, I_d); per example the input x ~ N(0, I_d) and the target
///
///     y = clamp(0.5 + s · (w·x), 0, 1),   s = 0.1 / √d.
///
/// w·x has variance d over the joint draw, so y has mean 0.5 and standard deviation 0.1.
/// The affine map is the same for every sequence, so least squares on (x, 1) is still the
/// optimal learner and recovers (s·w, 0.5) exactly from d + 1 examples in general position.
/// The clamp only acts when |w·x| > 5√d, which is rare because w·x is a sum of products of
/// Gaussians (measured over 5.5·10⁵ targets, see `docs/decisions.md`: 2.1·10⁻³ of the targets
/// for d = 1, 7.4·10⁻⁴ for d = 2, 1.9·10⁻⁴ for d = 5, 6.5·10⁻⁵ for d = 8); a clamped target
/// breaks exact linearity for that example only.
///
/// Draw order per sequence: w1…wd, then for each example x1…xd, each component by
/// ``Xoshiro256StarStar/nextGaussian()``; ``sampleWeights(using:)`` draws the weights the same
/// way, so a copy of the generator reproduces a sequence's w.
public struct LinearRegressionFamily: FunctionFamily {
    /// The paper's families all have d = 2; this family defaults to d = 5.
    public static let defaultDimension = 5

    /// The largest dimension accepted (a sanity bound against typing mistakes, not a limit of the maths).
    public static let maximumDimension = 1024

    /// Dimension d of x and w.
    public let dimension: Int

    /// Creates the family.
    /// - Throws: ``ConfigurationError/invalid(_:)`` unless 1 ≤ `dimension` ≤ ``maximumDimension``.
    public init(dimension: Int = LinearRegressionFamily.defaultDimension) throws(ConfigurationError) {
        guard dimension >= 1, dimension <= Self.maximumDimension else {
            throw .invalid("the linreg dimension must lie in 1...\(Self.maximumDimension), not \(dimension)")
        }
        self.dimension = dimension
    }

    /// For ``FamilySpec``, which has already checked the dimension.
    init(validatedDimension dimension: Int) {
        precondition(dimension >= 1 && dimension <= Self.maximumDimension, "linreg dimension \(dimension) out of range")
        self.dimension = dimension
    }

    /// The suggested sequence length J = 2d + 1: d + 1 examples identify the function exactly,
    /// the remaining d show how fast a learner exploits that.
    public static func defaultLength(dimension: Int) -> Int { 2 * dimension + 1 }

    /// The fixed output scale s = 0.1/√d of the affine map y = 0.5 + s·(w·x).
    public var outputScale: Double { 0.1 / Double(dimension).squareRoot() }

    public var name: String { "linreg" }
    /// `linreg`.
    public var displayName: String { "linreg" }
    public var inputDimension: Int { dimension }
    /// Gaussian inputs (any finite value); targets mapped into [0, 1].
    public var dataDomain: DataDomain { DataDomain(inputs: .unbounded, targets: .interval(0...1)) }
    /// J = 2d + 1, ``defaultLength(dimension:)``.
    public var defaultSequenceLength: Int { Self.defaultLength(dimension: dimension) }
    /// None is used: the raw affine features of `rls-raw` already are this family's basis.
    public var trueBasis: FunctionBasis? { nil }
    /// None is implemented.
    public func makeBayesPredictor() -> (any OnlinePredictor)? { nil }
    /// None is known.
    public func referenceBayesMSEt(length: Int) -> Double? { nil }
    public var summary: String {
        "linear regression in d=\(dimension): w, x ~ N(0,I), y = clamp(0.5 + 0.1(w·x)/sqrt(d), 0, 1)"
    }

    /// Draws the d weights of one function, each N(0, 1), in index order.
    public func sampleWeights(using generator: inout Xoshiro256StarStar) -> [Double] {
        (0..<dimension).map { _ in generator.nextGaussian() }
    }

    /// y = clamp(0.5 + s·(w·x), 0, 1) for weights `weights` and input `input` (both d long).
    public func target(weights: [Double], input: some Collection<Double>) -> Double {
        var dot = 0.0
        for (w, x) in zip(weights, input) { dot += w * x }
        return target(dot: dot)
    }

    /// y = clamp(0.5 + s·dot, 0, 1) for a dot product w·x.
    private func target(dot: Double) -> Double { min(1, max(0, 0.5 + outputScale * dot)) }

    public func fillSequence(_ sequence: inout SequenceBuffer, using generator: inout Xoshiro256StarStar) -> Int {
        let weights = sampleWeights(using: &generator)
        for j in 0..<sequence.length {
            // The same products summed in the same order as target(weights:input:).
            var dot = 0.0
            for (i, w) in weights.enumerated() {
                let x = generator.nextGaussian()
                sequence[input: j, i] = x
                dot += w * x
            }
            sequence[target: j] = target(dot: dot)
        }
        return -1
    }
}
