/// A serialisable choice of function family and its sampling options, as stored in
/// `config.json` and checkpoints.
///
/// Each case carries exactly the options of its family, so a spec cannot name an unknown
/// family or hold an option its family ignores. The file form is unchanged from when this was
/// a struct: `{"name": "b14", "sampler": "iid", "inputRange": "symmetric"}`, every key always
/// written (`sampler` is `iid` and `inputRange` `symmetric` for the families they do not apply
/// to), plus `dimension` (linreg) or `switchProbability` (ar2) when one was given.
public enum FamilySpec: Codable, Equatable, Sendable, CustomStringConvertible {
    /// B14 or B16 (``BooleanFamily``) with its input sampler.
    case boolean(BooleanFamily.Kind, sampler: BooleanInputSampler)
    /// The semi-linear family `semil` (``SemiLinearFamily``).
    case semiLinear(inputRange: InputRange)
    /// The quadratic family `quad` (``QuadraticFamily``).
    case quadratic(inputRange: InputRange)
    /// The `linreg` family (``LinearRegressionFamily``) of dimension d; nil means
    /// ``LinearRegressionFamily/defaultDimension`` and is stored without a `dimension` key.
    /// Precondition: nil or in 1...``LinearRegressionFamily/maximumDimension`` (the throwing
    /// initialiser and decoding check it).
    case linearRegression(dimension: Int?)
    /// The `ar2` family (``AutoregressiveFamily``) with its switch probability; nil means 0 and
    /// is stored without a `switchProbability` key. Precondition: nil or in [0, 1) (the throwing
    /// initialiser and decoding check it).
    case autoregressive(switchProbability: Double?)

    /// Every family once, with default options, in the order of ``knownNames``.
    public static let allFamilies: [FamilySpec] = [
        .boolean(.b14, sampler: .iid), .boolean(.b16, sampler: .iid), .semiLinear(inputRange: .symmetric),
        .quadratic(inputRange: .symmetric), .linearRegression(dimension: nil), .autoregressive(switchProbability: nil),
    ]

    /// The names ``init(name:sampler:inputRange:dimension:switchProbability:)`` understands.
    public static let knownNames = allFamilies.map(\.name)

    /// Creates a spec from a family name (case-insensitive) and options.
    /// - Parameters:
    ///   - name: the family's name, e.g. `b14` (one of ``knownNames``).
    ///   - sampler: Boolean families only; any other family takes the default `iid` only.
    ///   - inputRange: `semil` and `quad` only; any other family takes the default `symmetric` only.
    ///   - dimension: `linreg` only; nil for the default d = 5.
    ///   - switchProbability: `ar2` only; nil for 0 (one process per sequence).
    /// - Throws: ``ConfigurationError`` (untyped, so that existing `catch … as ConfigurationError`
    ///   call sites keep compiling) for an unknown name, a dimension outside
    ///   1...``LinearRegressionFamily/maximumDimension``, a switch probability outside [0, 1), or
    ///   an option given to a family it does not apply to.
    public init(name: String, sampler: BooleanInputSampler = .iid, inputRange: InputRange = .symmetric,
                dimension: Int? = nil, switchProbability: Double? = nil) throws {
        self = try Self.named(name, dimension: dimension, switchProbability: switchProbability)
        if sampler != .iid, !isBoolean {
            throw ConfigurationError.invalid("a Boolean input sampler applies to the b14 and b16 families only, not to \(self.name)")
        }
        if inputRange != .symmetric, !usesInputRange {
            throw ConfigurationError.invalid("an input range applies to the semil and quad families only, not to \(self.name)")
        }
        self = withSharedOptions(sampler: sampler, inputRange: inputRange)
    }

    /// The family `name` with default sampling, `dimension` and `switchProbability` checked.
    private static func named(_ name: String, dimension: Int?, switchProbability: Double?) throws(ConfigurationError) -> FamilySpec {
        let normalised = name.lowercased()
        guard let base = allFamilies.first(where: { $0.name == normalised }) else {
            throw .invalid("unknown family '\(name)' (expected one of \(knownNames.joined(separator: ", ")))")
        }
        if let dimension {
            guard case .linearRegression = base else {
                throw .invalid("a dimension applies to the linreg family only, not to \(normalised)")
            }
            _ = try LinearRegressionFamily(dimension: dimension)
            return .linearRegression(dimension: dimension)
        }
        if let switchProbability {
            guard case .autoregressive = base else {
                throw .invalid("a switch probability applies to the ar2 family only, not to \(normalised)")
            }
            _ = try AutoregressiveFamily(switchProbability: switchProbability)
            return .autoregressive(switchProbability: switchProbability)
        }
        return base
    }

    /// This spec with the Boolean sampler and the input range replaced where they apply.
    private func withSharedOptions(sampler: BooleanInputSampler, inputRange: InputRange) -> FamilySpec {
        switch self {
        case .boolean(let kind, _): return .boolean(kind, sampler: sampler)
        case .semiLinear: return .semiLinear(inputRange: inputRange)
        case .quadratic: return .quadratic(inputRange: inputRange)
        case .linearRegression, .autoregressive: return self
        }
    }

    /// The family `name` sampled like this one, for transfer checks (a model of one family run
    /// on another): the Boolean input sampler and the input range carry over to the families
    /// they apply to; options that belong to this family only (dimension, switch probability)
    /// do not.
    /// - Throws: ``ConfigurationError`` for an unknown name.
    public func transferred(to name: String) throws -> FamilySpec {
        try Self.named(name, dimension: nil, switchProbability: nil).withSharedOptions(sampler: sampler, inputRange: inputRange)
    }

    /// The short name: `b14`, `b16`, `semil`, `quad`, `linreg` or `ar2`.
    public var name: String {
        switch self {
        case .boolean(let kind, _): return kind.rawValue
        case .semiLinear: return "semil"
        case .quadratic: return "quad"
        case .linearRegression: return "linreg"
        case .autoregressive: return "ar2"
        }
    }

    /// The Boolean input sampler; `iid` for the families it does not apply to.
    public var sampler: BooleanInputSampler {
        guard case .boolean(_, let sampler) = self else { return .iid }
        return sampler
    }

    /// The input range; `symmetric` for the families it does not apply to.
    public var inputRange: InputRange {
        switch self {
        case .semiLinear(let range), .quadratic(let range): return range
        case .boolean, .linearRegression, .autoregressive: return .symmetric
        }
    }

    /// The dimension given to `linreg`, nil if none was (d = ``LinearRegressionFamily/defaultDimension``)
    /// or for another family.
    public var dimension: Int? {
        guard case .linearRegression(let dimension) = self else { return nil }
        return dimension
    }

    /// The switch probability given to `ar2`, nil if none was (p = 0) or for another family.
    public var switchProbability: Double? {
        guard case .autoregressive(let probability) = self else { return nil }
        return probability
    }

    /// Whether the family is one of the Boolean ones.
    public var isBoolean: Bool {
        guard case .boolean = self else { return false }
        return true
    }

    /// Whether the family draws real inputs from an ``InputRange`` (`semil`, `quad`).
    private var usesInputRange: Bool {
        switch self {
        case .semiLinear, .quadratic: return true
        case .boolean, .linearRegression, .autoregressive: return false
        }
    }

    /// Builds the family.
    public func makeFamily() -> any FunctionFamily {
        switch self {
        case .boolean(let kind, let sampler): return BooleanFamily(kind, sampler: sampler)
        case .semiLinear(let range): return SemiLinearFamily(inputRange: range)
        case .quadratic(let range): return QuadraticFamily(inputRange: range)
        case .linearRegression(let dimension):
            return LinearRegressionFamily(validatedDimension: dimension ?? LinearRegressionFamily.defaultDimension)
        case .autoregressive(let probability): return AutoregressiveFamily(validatedSwitchProbability: probability ?? 0)
        }
    }

    /// E.g. `b14 (iid inputs)`, `semil (x in [-1,1])`, `linreg (d = 5)`, `ar2`.
    public var description: String {
        switch self {
        case .boolean(_, let sampler): return "\(name) (\(sampler.rawValue) inputs)"
        case .semiLinear(let range), .quadratic(let range):
            return "\(name) (x in \(range == .symmetric ? "[-1,1]" : "[0,1]"))"
        case .linearRegression(let dimension): return "linreg (d = \(dimension ?? LinearRegressionFamily.defaultDimension))"
        case .autoregressive(let probability):
            return (probability ?? 0) > 0 ? "ar2 (switch probability \(probability ?? 0))" : "ar2"
        }
    }

    private enum CodingKeys: String, CodingKey { case name, sampler, inputRange, dimension, switchProbability }

    /// Reads a spec; `dimension` and `switchProbability` may be absent (files written before
    /// they existed). An unknown name, or a dimension or switch probability the initialiser
    /// rejects, becomes a `DecodingError` with its message. A non-default sampler or input range
    /// stored for a family it does not apply to (which older versions wrote when asked) is
    /// ignored, as it was when generating data.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .name)
        let sampler = try container.decode(BooleanInputSampler.self, forKey: .sampler)
        let inputRange = try container.decode(InputRange.self, forKey: .inputRange)
        do {
            self = try Self.named(name, dimension: try container.decodeIfPresent(Int.self, forKey: .dimension),
                                  switchProbability: try container.decodeIfPresent(Double.self, forKey: .switchProbability))
                .withSharedOptions(sampler: sampler, inputRange: inputRange)
        } catch let error as ConfigurationError {
            throw DecodingError.dataCorruptedError(forKey: .name, in: container, debugDescription: error.description)
        }
    }

    /// Writes the spec in the file form described on the type.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(sampler, forKey: .sampler)
        try container.encode(inputRange, forKey: .inputRange)
        try container.encodeIfPresent(dimension, forKey: .dimension)
        try container.encodeIfPresent(switchProbability, forKey: .switchProbability)
    }
}
