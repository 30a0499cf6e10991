import Foundation

/// Which network a run uses, as written to `config.json` and checkpoints:
/// `{"type": name, "configuration": {...}}`.
///
/// An architecture is any ``NetworkConfiguration``; the ones a file may name are listed once,
/// in ``registered``. Code that needs a capability asks for it (``trainingDefaults``, a
/// ``SequenceGradientNetwork`` network) rather than switching on the architecture.
public struct Architecture: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The architectures files and the command line may name, in the order help texts list them.
    public static let registered: [any NetworkConfiguration.Type] = [
        LSTM1997Network.Configuration.self,
        ElmanNetwork.Configuration.self,
        TruncatedBPTTNetwork.Configuration.self,
        RTRLNetwork.Configuration.self,
        ForgetGateLSTMNetwork.Configuration.self,
        GRUNetwork.Configuration.self,
    ]

    /// The names of ``registered``, e.g. `lstm1997`.
    public static var registeredNames: [String] { registered.map { $0.architectureName } }

    /// The network's sizes.
    public let configuration: any NetworkConfiguration

    /// Wraps a configuration.
    public init(_ configuration: any NetworkConfiguration) {
        self.configuration = configuration
    }

    /// The architecture's name, e.g. `lstm1997`, `elman`, `bptt`, `rtrl`, `lstm-modern`.
    public var name: String { type(of: configuration).architectureName }
    /// The topology in the paper's notation, e.g. `6/6(1)`, `15` (Elman), `20, BPTT(2)`.
    public var topology: String { configuration.topology }
    /// Dimension of the function argument the network expects.
    public var inputDimension: Int { configuration.inputDimension }
    /// How the architecture trains by default.
    public var trainingDefaults: TrainingDefaults { configuration.trainingDefaults }
    /// `name topology`, e.g. `lstm1997 6/6(1)`.
    public var description: String { "\(name) \(topology)" }

    /// Builds the network with all weights zero.
    /// - Throws: ``ConfigurationError/invalid(_:)`` if the configuration's sizes are unusable.
    public func makeNetwork() throws -> any RecurrentNetwork { try configuration.makeNetwork() }

    /// Whether both name the same architecture with the same sizes.
    public static func == (lhs: Architecture, rhs: Architecture) -> Bool {
        lhs.configuration.isEqual(to: rhs.configuration)
    }

    /// The networks `metalearn bench` measures: every registered architecture at its default
    /// (the paper's) size for d = 2, and after LSTM-1997 its two-layer quadratic net.
    public static var benchmarkSet: [Architecture] {
        registered.flatMap { type -> [Architecture] in
            guard let configuration = try? type.configuration(inputDimension: 2, sizes: NetworkSizeOptions()) else { return [] }
            let architecture = Architecture(configuration)
            return architecture == .lstm1997(.paperSingleLayer) ? [architecture, .lstm1997(.paperTwoLayer)] : [architecture]
        }
    }
}

extension NetworkConfiguration {
    /// Whether `other` is a configuration of the same type with equal sizes.
    func isEqual(to other: any NetworkConfiguration) -> Bool {
        guard let other = other as? Self else { return false }
        return self == other
    }

    /// Encodes the configuration into a keyed container (opens the existential).
    fileprivate func encode<Key: CodingKey>(into container: inout KeyedEncodingContainer<Key>, forKey key: Key) throws {
        try container.encode(self, forKey: key)
    }

    /// Decodes a configuration of this type.
    fileprivate static func decode<Key: CodingKey>(from container: KeyedDecodingContainer<Key>, forKey key: Key) throws -> Self {
        try container.decode(Self.self, forKey: key)
    }
}

extension Architecture {
    private enum CodingKeys: String, CodingKey { case type, configuration }

    /// The registered configuration type named `name`, if any.
    public static func configurationType(named name: String) -> (any NetworkConfiguration.Type)? {
        registered.first { $0.architectureName == name }
    }

    /// Reads `{"type": "lstm1997", "configuration": {...}}` (or the pre-release form
    /// `{"lstm1997": {"_0": {...}}}`).
    /// - Throws: a `DecodingError` naming an unknown type.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.type) else {
            self = try Self(legacyFrom: decoder)
            return
        }
        let type = try container.decode(String.self, forKey: .type)
        guard let configurationType = Self.configurationType(named: type) else {
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "unknown architecture '\(type)' (expected one of \(Self.registeredNames.joined(separator: ", ")))")
        }
        self.init(try configurationType.decode(from: container, forKey: .configuration))
    }

    private struct LegacyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Reads the form written by development builds before the first release,
    /// `{"lstm1997": {"_0": {...}}}`, so that their checkpoints still resume.
    private init(legacyFrom decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: LegacyKey.self)
        guard let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "missing architecture type"))
        }
        guard let configurationType = Self.configurationType(named: key.stringValue) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                                   debugDescription: "unknown architecture '\(key.stringValue)'")
        }
        let payload = try container.nestedContainer(keyedBy: LegacyKey.self, forKey: key)
        self.init(try configurationType.decode(from: payload, forKey: LegacyKey(stringValue: "_0")))
    }

    /// Writes `{"type": name, "configuration": {...}}`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .type)
        try configuration.encode(into: &container, forKey: .configuration)
    }
}

extension Architecture {
    /// The registered architecture `name` for a function argument of dimension
    /// `inputDimension`, sized by the command-line options in `sizes` (the architecture's
    /// defaults for the others).
    /// - Throws: ``ConfigurationError/invalid(_:)`` for an unknown name, an option that does not
    ///   apply or an unusable size.
    public static func named(_ name: String, inputDimension: Int, sizes: NetworkSizeOptions = .init()) throws -> Architecture {
        guard let type = configurationType(named: name) else {
            throw ConfigurationError.invalid("unknown architecture '\(name)' (expected one of \(registeredNames.joined(separator: ", ")))")
        }
        return Architecture(try type.configuration(inputDimension: inputDimension, sizes: sizes))
    }
}
