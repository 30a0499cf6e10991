/// A serialisable choice of function family and its sampling options, as stored in
/// `config.json` and checkpoints.
public struct FamilySpec: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The names ``makeFamily()`` understands.
    public static let knownNames = ["b14", "b16", "semil", "quad"]

    /// Family name: `b14`, `b16`, `semil` or `quad`.
    public var name: String
    /// Boolean input sampler (Boolean families only).
    public var sampler: BooleanInputSampler
    /// Input range (semi-linear and quadratic families only).
    public var inputRange: InputRange

    /// Creates a spec.
    /// - Throws: ``ConfigurationError`` for an unknown name.
    public init(name: String, sampler: BooleanInputSampler = .iid, inputRange: InputRange = .symmetric) throws {
        let normalised = name.lowercased()
        guard Self.knownNames.contains(normalised) else {
            throw ConfigurationError.invalid("unknown family '\(name)' (expected one of \(Self.knownNames.joined(separator: ", ")))")
        }
        self.name = normalised
        self.sampler = sampler
        self.inputRange = inputRange
    }

    /// Whether the family is one of the Boolean ones.
    public var isBoolean: Bool { name == "b14" || name == "b16" }

    /// Builds the family.
    public func makeFamily() -> any FunctionFamily {
        switch name {
        case "b14": return BooleanFamily(.b14, sampler: sampler)
        case "b16": return BooleanFamily(.b16, sampler: sampler)
        case "semil": return SemiLinearFamily(inputRange: inputRange)
        default: return QuadraticFamily(inputRange: inputRange)
        }
    }

    public var description: String {
        isBoolean ? "\(name) (\(sampler.rawValue) inputs)" : "\(name) (x in \(inputRange == .symmetric ? "[-1,1]" : "[0,1]"))"
    }
}
