/// The Bayes-optimal online predictor for a Boolean family B14 or B16 (docs/method.md §3.4).
///
/// It keeps the set of the family's truth tables that agree with every example seen so far
/// and predicts, for the current input pattern p = 2·x1 + x2, the fraction of those tables
/// with f(p) = 1 (a table n has f(p) = bit p of n, docs/method.md §2). Under the family's uniform
/// prior this fraction is the posterior mean of y(j), so no learner that sees the same
/// stream can reach a lower expected squared error: its MSEt is the floor of docs/method.md §3.4
/// (B14, J = 64: 0.0148; B16, J = 256: 1/256).
///
/// The consistent set is a 16-bit mask (bit n set ⇔ table n is still possible); a step is
/// two mask operations and two population counts, with no allocation.
public struct BooleanBayesPredictor: OnlinePredictor, Sendable, Equatable {
    /// The tables the family draws from, as a mask (bit n ⇔ truth table n).
    public let familyMask: UInt16
    /// The tables consistent with the examples seen since the last reset (bit n ⇔ table n).
    public var consistentMask: UInt16 { consistent }
    /// Storage of ``consistentMask``, mutable from the inlinable ``predict(input:previousTarget:)``.
    @usableFromInline var consistent: UInt16
    /// The pattern of the previous call, or −1 right after a reset (then the next call's
    /// `previousTarget` is the placeholder y(0) and is ignored, as ``OnlinePredictor`` requires).
    @usableFromInline var previousPattern: Int

    /// Creates the predictor for `family` (B14 or B16; the input sampler is irrelevant).
    public init(family: BooleanFamily) {
        var mask: UInt16 = 0
        for table in family.truthTables { mask |= 1 << UInt16(table) }
        familyMask = mask
        consistent = mask
        previousPattern = -1
    }

    /// `bayes` (docs/method.md §3.4).
    public var name: String { "bayes" }

    /// Starts a new sequence: every table of the family is possible again.
    public mutating func reset() {
        consistent = familyMask
        previousPattern = -1
    }

    /// The tables n with f(p) = bit p of n equal to 1, for p = 0…3: n odd (0xAAAA), bit 1 set
    /// (0xCCCC), bit 2 set (0xF0F0), bit 3 set (0xFF00).
    @inlinable
    static func tablesWithOne(at pattern: Int) -> UInt16 {
        switch pattern {
        case 0: return 0xAAAA
        case 1: return 0xCCCC
        case 2: return 0xF0F0
        default: return 0xFF00
        }
    }

    /// Learns (x(j−1), y(j−1)) unless this is the first call after reset, then returns the
    /// posterior probability that y(j) = 1 at `input` = (x1, x2) (docs/method.md §3.4).
    ///
    /// Inputs and targets are read as bits by thresholding at 0.5 (the families produce exactly
    /// 0 and 1). If the examples contradict every table of the family (data not from this
    /// family, e.g. XOR fed to the B14 predictor) the predictor answers 0.5 until reset.
    @inlinable
    public mutating func predict(input: Span<Double>, previousTarget: Double) -> Double {
        if previousPattern >= 0 {
            let ones = Self.tablesWithOne(at: previousPattern)
            consistent &= previousTarget > 0.5 ? ones : ~ones
        }
        let pattern = (input[0] > 0.5 ? 2 : 0) + (input[1] > 0.5 ? 1 : 0)
        previousPattern = pattern
        let possible = consistent.nonzeroBitCount
        guard possible > 0 else { return 0.5 }
        let withOne = (consistent & Self.tablesWithOne(at: pattern)).nonzeroBitCount
        return Double(withOne) / Double(possible)
    }
}
