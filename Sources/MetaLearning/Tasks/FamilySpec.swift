/// A serialisable choice of function family and its sampling options, as stored in
/// `config.json` and checkpoints.
public struct FamilySpec: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The names ``makeFamily()`` understands.
    public static let knownNames = ["b14", "b16", "semil", "quad", "linreg", "ar2"]

    /// Family name: `b14`, `b16`, `semil`, `quad`, `linreg` or `ar2`.
    public var name: String
    /// Boolean input sampler (Boolean families only).
    public var sampler: BooleanInputSampler
    /// Input range (semi-linear and quadratic families only).
    public var inputRange: InputRange
    /// Dimension d of the `linreg` family; nil means ``LinearRegressionFamily/defaultDimension``.
    /// Set only through the validating initialisers, so it is nil or in 1...``LinearRegressionFamily/maximumDimension``.
    public private(set) var dimension: Int?
    /// Probability of new coefficients before each example of the `ar2` family; nil means 0.
    /// Set only through the validating initialisers, so it is nil or in [0, 1).
    public private(set) var switchProbability: Double?

    /// Creates a spec.
    /// - Parameters:
    ///   - dimension: `linreg` only; nil for the default d = 5.
    ///   - switchProbability: `ar2` only; nil for 0 (one process per sequence).
    /// - Throws: ``ConfigurationError`` for an unknown name, a dimension outside
    ///   1...``LinearRegressionFamily/maximumDimension``, a switch probability outside [0, 1), or
    ///   an option given to a family it does not apply to.
    public init(name: String, sampler: BooleanInputSampler = .iid, inputRange: InputRange = .symmetric,
                dimension: Int? = nil, switchProbability: Double? = nil) throws {
        let normalised = name.lowercased()
        guard Self.knownNames.contains(normalised) else {
            throw ConfigurationError.invalid("unknown family '\(name)' (expected one of \(Self.knownNames.joined(separator: ", ")))")
        }
        if let dimension {
            guard normalised == "linreg" else {
                throw ConfigurationError.invalid("a dimension applies to the linreg family only, not to \(normalised)")
            }
            _ = try LinearRegressionFamily(dimension: dimension)
        }
        if let switchProbability {
            guard normalised == "ar2" else {
                throw ConfigurationError.invalid("a switch probability applies to the ar2 family only, not to \(normalised)")
            }
            _ = try AutoregressiveFamily(switchProbability: switchProbability)
        }
        self.name = normalised
        self.sampler = sampler
        self.inputRange = inputRange
        self.dimension = dimension
        self.switchProbability = switchProbability
    }

    /// The family `name` sampled like this one, for transfer checks (a model of one family run
    /// on another): the Boolean input sampler and the input range carry over; options that
    /// belong to this family only (dimension, switch probability) do not.
    /// - Throws: ``ConfigurationError`` for an unknown name.
    public func transferred(to name: String) throws -> FamilySpec {
        try FamilySpec(name: name, sampler: sampler, inputRange: inputRange)
    }

    private enum CodingKeys: String, CodingKey { case name, sampler, inputRange, dimension, switchProbability }

    /// Reads a spec; `dimension` and `switchProbability` may be absent (files written before
    /// they existed). Values the initialiser rejects become a `DecodingError` with its message.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(name: try container.decode(String.self, forKey: .name),
                          sampler: try container.decode(BooleanInputSampler.self, forKey: .sampler),
                          inputRange: try container.decode(InputRange.self, forKey: .inputRange),
                          dimension: try container.decodeIfPresent(Int.self, forKey: .dimension),
                          switchProbability: try container.decodeIfPresent(Double.self, forKey: .switchProbability))
        } catch let error as ConfigurationError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Whether the family is one of the Boolean ones.
    public var isBoolean: Bool { name == "b14" || name == "b16" }

    /// Builds the family.
    public func makeFamily() -> any FunctionFamily {
        switch name {
        case "b14": return BooleanFamily(.b14, sampler: sampler)
        case "b16": return BooleanFamily(.b16, sampler: sampler)
        case "semil": return SemiLinearFamily(inputRange: inputRange)
        case "linreg": return LinearRegressionFamily(validatedDimension: dimension ?? LinearRegressionFamily.defaultDimension)
        case "ar2": return AutoregressiveFamily(validatedSwitchProbability: switchProbability ?? 0)
        default: return QuadraticFamily(inputRange: inputRange)
        }
    }

    public var description: String {
        switch name {
        case _ where isBoolean: return "\(name) (\(sampler.rawValue) inputs)"
        case "linreg": return "linreg (d = \(dimension ?? LinearRegressionFamily.defaultDimension))"
        case "ar2": return (switchProbability ?? 0) > 0 ? "ar2 (switch probability \(switchProbability ?? 0))" : "ar2"
        default: return "\(name) (x in \(inputRange == .symmetric ? "[-1,1]" : "[0,1]"))"
        }
    }
}
