/// How fast and how well the learned ("subordinate") algorithm learns, docs/method.md §3.3.
public struct SubordinateMetrics: Codable, Equatable, Sendable {
    /// The error threshold θ on squared error (0.01 ⇔ |e| ≤ 0.1).
    public var threshold: Double
    /// T(θ) = max{ j : ẽ(j) > θ } on the median curve (0 if none): the paper's
    /// "train time subordinate".
    public var trainTime: Int
    /// M = max_{j > T} ẽ(j): the paper's "train MSE subordinate" (0 if T = J).
    public var trainMSE: Double
    /// M̄ = max_{j > T} ē(j), the mean-curve version.
    public var trainMSEMeanCurve: Double
    /// Median over sequences of T_k(θ) = max{ j : E_k(j) > θ }.
    public var perSequenceTimeMedian: Double
    /// Mean of T_k(θ).
    public var perSequenceTimeMean: Double
    /// 90th percentile of T_k(θ).
    public var perSequenceTime90: Double
    /// T(0.0025) on the median curve.
    public var trainTimeStrict: Int
    /// T(0.04) on the median curve.
    public var trainTimeLoose: Int

    /// Computes every measure from a matrix of squared errors.
    public init(errors: ErrorMatrix, threshold: Double = 0.01) {
        let medianCurve = errors.medianCurve
        let meanCurve = errors.meanCurve
        self.threshold = threshold
        let time = Self.lastExceedance(medianCurve, threshold)
        trainTime = time
        trainMSE = medianCurve[time...].max() ?? 0
        trainMSEMeanCurve = meanCurve[time...].max() ?? 0
        let perSequence = (0..<errors.sequences).map { Double(Self.lastExceedance(Array(errors.sequence($0)), threshold)) }
        perSequenceTimeMedian = median(perSequence)
        perSequenceTimeMean = perSequence.reduce(0, +) / Double(max(perSequence.count, 1))
        perSequenceTime90 = quantile(perSequence, 0.9)
        trainTimeStrict = Self.lastExceedance(medianCurve, 0.0025)
        trainTimeLoose = Self.lastExceedance(medianCurve, 0.04)
    }

    /// max{ j : curve(j) > θ } with 1-based j, 0 if the curve never exceeds θ.
    public static func lastExceedance(_ curve: [Double], _ threshold: Double) -> Int {
        var last = 0
        for (index, value) in curve.enumerated() where value > threshold { last = index + 1 }
        return last
    }
}
