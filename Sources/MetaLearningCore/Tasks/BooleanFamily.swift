/// How the input patterns of a Boolean sequence are drawn (docs/method.md §2).
public enum BooleanInputSampler: String, Sendable, CaseIterable, Codable {
    /// Every example draws its pattern p ∈ {0,1,2,3} independently and uniformly (default).
    case iid
    /// Each consecutive block of 4 examples is a random permutation of the 4 patterns.
    case blocks
}

/// The Boolean function families B16 (all 16 functions of two arguments) and B14 (B16
/// without XOR and XNOR), docs/method.md §2.
///
/// A function is its truth table n ∈ 0...15 with f(p) = bit p of n, where the input pattern
/// p = 2·x1 + x2. B14 draws n uniformly from the 14 tables other than 6 (XOR) and 9 (XNOR).
public struct BooleanFamily: FunctionFamily {
    /// Which of the two Boolean families.
    public enum Kind: String, Sendable, Codable {
        /// All 16 functions.
        case b16
        /// The 14 linearly separable functions.
        case b14
    }

    /// B16 or B14.
    public let kind: Kind
    /// How input patterns are drawn.
    public let sampler: BooleanInputSampler

    /// The truth tables this family draws from, in increasing order.
    public let truthTables: [Int]

    /// Creates a Boolean family.
    public init(_ kind: Kind, sampler: BooleanInputSampler = .iid) {
        self.kind = kind
        self.sampler = sampler
        truthTables = kind == .b16 ? Array(0...15) : (0...15).filter { $0 != 6 && $0 != 9 }
    }

    public var name: String { kind.rawValue }
    /// `B14` or `B16`, with ` (blocks inputs)` under the block sampler.
    public var displayName: String {
        kind.rawValue.uppercased() + (sampler == .iid ? "" : " (\(sampler.rawValue) inputs)")
    }
    public var inputDimension: Int { 2 }
    /// Inputs and targets are exactly 0 or 1.
    public var dataDomain: DataDomain { DataDomain(inputs: .binary, targets: .binary) }
    /// 64, the paper's J for B14.
    public var defaultSequenceLength: Int { 64 }
    /// None: a truth table is not linear in any fixed features the package's RLS uses.
    public var trueBasis: FunctionBasis? { nil }
    /// A ``BooleanBayesPredictor`` for this family (exact posterior mean).
    public func makeBayesPredictor() -> (any OnlinePredictor)? { BooleanBayesPredictor(family: self) }
    /// None: the Boolean floors are computed exactly with ``makeBayesPredictor()``.
    public func referenceBayesMSEt(length: Int) -> Double? { nil }
    public var summary: String {
        "\(kind == .b16 ? "B16: all 16" : "B14: the 14 linearly separable") Boolean functions of two arguments, \(sampler == .iid ? "i.i.d." : "balanced-block") input patterns"
    }

    /// f(p) for truth table `table` and pattern `pattern` = 2·x1 + x2.
    @inlinable
    public static func evaluate(table: Int, pattern: Int) -> Double { Double((table >> pattern) & 1) }

    public func fillSequence(_ sequence: inout SequenceBuffer, using generator: inout Xoshiro256StarStar) -> Int {
        let table = truthTables[generator.nextInt(below: truthTables.count)]
        var block = [0, 1, 2, 3]
        for j in 0..<sequence.length {
            let pattern: Int
            switch sampler {
            case .iid:
                pattern = generator.nextInt(below: 4)
            case .blocks:
                if j % 4 == 0 { generator.shuffle(&block) }
                pattern = block[j % 4]
            }
            sequence[input: j, 0] = Double(pattern >> 1)
            sequence[input: j, 1] = Double(pattern & 1)
            sequence[target: j] = Self.evaluate(table: table, pattern: pattern)
        }
        return table
    }
}
