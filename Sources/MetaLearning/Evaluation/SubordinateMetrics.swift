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
    /// J, the number of positions of the curve (nil in summaries written before 2026-12-04).
    public var curveLength: Int?
    /// ẽ(1), the median squared error at the first example (nil in older summaries).
    public var firstMedianError: Double?

    /// Whether the median curve ever stays at or below θ: false when T(θ) = J, i.e. the typical
    /// sequence still errs above θ at its last example. ``trainTime`` is then J and
    /// ``trainMSE`` 0 by definition, which must not be read as a perfect score.
    public var reachesThreshold: Bool { curveLength.map { trainTime < $0 } ?? true }

    /// Whether the median error is at or below θ from the first example on, before anything
    /// could be learned (T(θ) = 0 because θ is above the family's errors, e.g. linreg or ar2):
    /// T then says nothing about learning.
    public var belowThresholdFromTheStart: Bool { trainTime == 0 && (firstMedianError.map { $0 <= threshold } ?? false) }

    /// T(θ) as a number to take medians and ranges of: +∞ when the curve never reaches θ, so
    /// that such a run ranks last instead of looking like a run that learned at example J.
    public var trainTimeForRanking: Double { reachesThreshold ? Double(trainTime) : .infinity }

    /// MSE sub to take medians of: +∞ when the curve never reaches θ (it is 0 by definition then).
    public var trainMSEForRanking: Double { reachesThreshold ? trainMSE : .infinity }

    /// T(θ) for tables: "never" when the curve never reaches θ, "0*" when it is below θ from
    /// the first example (see ``subordinateFootnote(for:)``), otherwise the number.
    public var trainTimeText: String {
        if !reachesThreshold { return "never" }
        if belowThresholdFromTheStart { return "0*" }
        return "\(trainTime)"
    }

    /// The footnote that explains ``trainTimeText``'s marks, or nil when `metrics` have none.
    public static func subordinateFootnote(for metrics: [SubordinateMetrics]) -> String? {
        var notes: [String] = []
        if metrics.contains(where: { !$0.reachesThreshold }) {
            notes.append("never = the median error is above θ = 0.01 up to the last example (MSE sub is then undefined, shown as –)")
        }
        if metrics.contains(where: \.belowThresholdFromTheStart) {
            notes.append("0* = the median error is at or below θ = 0.01 from the first example on, before any learning: θ does not measure learning on this family; read MSEt and the curve")
        }
        return notes.isEmpty ? nil : notes.joined(separator: "\n")
    }

    /// JSON keys. The paper calls T(θ) "train time subordinate", but these figures are mostly
    /// measured on test sets, where keys named `trainTime`/`trainMSE` misled readers; files
    /// written before 2026-12-04 used those names and are still read (``init(from:)``).
    private enum CodingKeys: String, CodingKey {
        case threshold
        case trainTime = "timeToThreshold"
        case trainMSE = "errorAfterThreshold"
        case trainMSEMeanCurve = "errorAfterThresholdMeanCurve"
        case perSequenceTimeMedian, perSequenceTimeMean, perSequenceTime90
        case trainTimeStrict = "timeToThreshold0025"
        case trainTimeLoose = "timeToThreshold004"
        case curveLength, firstMedianError
    }

    /// The keys of files written before 2026-12-04.
    private enum LegacyCodingKeys: String, CodingKey {
        case trainTime, trainMSE, trainMSEMeanCurve, trainTimeStrict, trainTimeLoose
    }

    /// Reads the current keys, or the legacy `trainTime…`/`trainMSE…` keys of older files.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        threshold = try container.decode(Double.self, forKey: .threshold)
        perSequenceTimeMedian = try container.decode(Double.self, forKey: .perSequenceTimeMedian)
        perSequenceTimeMean = try container.decode(Double.self, forKey: .perSequenceTimeMean)
        perSequenceTime90 = try container.decode(Double.self, forKey: .perSequenceTime90)
        curveLength = try container.decodeIfPresent(Int.self, forKey: .curveLength)
        firstMedianError = try container.decodeIfPresent(Double.self, forKey: .firstMedianError)
        if container.contains(.trainTime) {
            trainTime = try container.decode(Int.self, forKey: .trainTime)
            trainMSE = try container.decode(Double.self, forKey: .trainMSE)
            trainMSEMeanCurve = try container.decode(Double.self, forKey: .trainMSEMeanCurve)
            trainTimeStrict = try container.decode(Int.self, forKey: .trainTimeStrict)
            trainTimeLoose = try container.decode(Int.self, forKey: .trainTimeLoose)
        } else {
            let legacy = try decoder.container(keyedBy: LegacyCodingKeys.self)
            trainTime = try legacy.decode(Int.self, forKey: .trainTime)
            trainMSE = try legacy.decode(Double.self, forKey: .trainMSE)
            trainMSEMeanCurve = try legacy.decode(Double.self, forKey: .trainMSEMeanCurve)
            trainTimeStrict = try legacy.decode(Int.self, forKey: .trainTimeStrict)
            trainTimeLoose = try legacy.decode(Int.self, forKey: .trainTimeLoose)
        }
    }

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
        curveLength = medianCurve.count
        firstMedianError = medianCurve.first
    }

    /// max{ j : curve(j) > θ } with 1-based j, 0 if the curve never exceeds θ.
    public static func lastExceedance(_ curve: [Double], _ threshold: Double) -> Int {
        var last = 0
        for (index, value) in curve.enumerated() where value > threshold { last = index + 1 }
        return last
    }
}
