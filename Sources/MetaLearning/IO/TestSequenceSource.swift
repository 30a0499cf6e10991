/// Which sequences of a run's family an evaluation or plot uses.
public enum TestSequenceSource: Sendable, Equatable {
    /// The run's own test set: the test stream of the run's seed (docs/method.md §1.3), never trained
    /// on; the set behind the test MSEt of `metrics.csv` and the curves of `curve.csv`.
    case runTestSet
    /// A fresh set from the evaluation stream of `seed`, the one `metalearn eval --seed`
    /// draws (``LoadedModel/evaluateOnFreshTestSet(seed:sequences:length:)``).
    case fresh(seed: UInt64)

    /// A few words for plot titles: `the test set` or `a fresh test set (seed 7)`.
    public var caption: String {
        switch self {
        case .runTestSet: return "the test set"
        case .fresh(let seed): return "a fresh test set (seed \(seed))"
        }
    }
}

extension TrainingConfiguration {
    /// `count` sequences of `length` examples of the run's family from `source` (default:
    /// the size of the run's test set).
    ///
    /// Sets are drawn sequence by sequence from one stream, so for the same length the first
    /// n sequences do not depend on `count`: with `.runTestSet` and the run's test length they
    /// are the first n sequences of the run's test set (further ones, beyond its size,
    /// continue the same test stream), and with `.fresh(seed:)` the first n of the set
    /// `metalearn eval --seed` evaluates.
    /// - Precondition: `count` and `length` are at least 1.
    public func evaluationSequences(from source: TestSequenceSource, count: Int? = nil, length: Int? = nil) -> SequenceSet {
        let count = count ?? testSequences
        let length = length ?? testLength
        precondition(count >= 1 && length >= 1, "evaluationSequences(from:): at least one sequence of one example")
        var stream: Xoshiro256StarStar
        switch source {
        case .runTestSet: stream = Xoshiro256StarStar(masterSeed: seed, stream: .testData)
        case .fresh(let seed): stream = Xoshiro256StarStar(masterSeed: seed, stream: .other)
        }
        return SequenceSet(family: family.makeFamily(), count: count, length: length, using: &stream)
    }
}
