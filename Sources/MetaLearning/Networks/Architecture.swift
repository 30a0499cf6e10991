/// Which network a run uses, as written to `config.json` and checkpoints.
///
/// Each case names one architecture with its own learning rule; ``makeNetwork()`` builds it.
public enum Architecture: Codable, Equatable, Sendable {
    /// LSTM-1997 with its truncated online learning rule (SPEC §3, §4).
    case lstm1997(LSTM1997Network.Configuration)
    /// Elman network, backpropagation one step deep (SPEC §5.1; Table 1: 15 hidden units).
    case elman(RecurrentBaselineConfiguration)
    /// Fully recurrent hidden layer, BPTT truncated after H steps (SPEC §5.2; Table 1: 20, H = 2).
    case bptt(TruncatedBPTTNetwork.Configuration)
    /// Fully recurrent hidden layer, real-time recurrent learning (SPEC §5.3; Table 1: 10 units).
    case rtrl(RecurrentBaselineConfiguration)
    /// Forget-gate LSTM with full BPTT, trained with minibatches and Adam (SPEC §8; 11 cells, 672 weights).
    case lstmModern(ForgetGateLSTMNetwork.Configuration)

    /// A short name, e.g. `lstm1997`, `elman`, `bptt`, `rtrl`, `lstm-modern`.
    public var name: String {
        switch self {
        case .lstm1997: return "lstm1997"
        case .elman: return "elman"
        case .bptt: return "bptt"
        case .rtrl: return "rtrl"
        case .lstmModern: return "lstm-modern"
        }
    }

    /// The topology in the paper's notation, e.g. `6/6(1)`, `15` (Elman), `20, BPTT(2)`, `10` (RTRL),
    /// `11 (forget-gate)`.
    public var topology: String {
        switch self {
        case .lstm1997(let configuration): return configuration.topology
        case .elman(let configuration): return "\(configuration.hiddenUnits)"
        case .bptt(let configuration): return configuration.topology
        case .rtrl(let configuration): return "\(configuration.hiddenUnits)"
        case .lstmModern(let configuration): return configuration.topology
        }
    }

    /// Dimension of the function argument the network expects.
    public var inputDimension: Int {
        switch self {
        case .lstm1997(let configuration): return configuration.inputDimension
        case .elman(let configuration): return configuration.inputDimension
        case .bptt(let configuration): return configuration.inputDimension
        case .rtrl(let configuration): return configuration.inputDimension
        case .lstmModern(let configuration): return configuration.inputDimension
        }
    }

    /// Builds the network with all weights zero.
    /// - Throws: ``ConfigurationError/invalid(_:)`` if the configuration's sizes are unusable.
    public func makeNetwork() throws -> any RecurrentNetwork {
        switch self {
        case .lstm1997(let configuration): return try LSTM1997Network(configuration: configuration)
        case .elman(let configuration): return try ElmanNetwork(configuration: configuration)
        case .bptt(let configuration): return try TruncatedBPTTNetwork(configuration: configuration)
        case .rtrl(let configuration): return try RTRLNetwork(configuration: configuration)
        case .lstmModern(let configuration): return try ForgetGateLSTMNetwork(configuration: configuration)
        }
    }
}

extension Architecture {
    /// The networks `metalearn bench` measures: the paper's LSTM nets, every baseline and the
    /// modern forget-gate LSTM of SPEC §8 (672 weights).
    public static var benchmarkSet: [Architecture] {
        [.lstm1997(.paperSingleLayer), .lstm1997(.paperTwoLayer),
         .elman(.paperElman), .bptt(.paperBPTT2), .rtrl(.paperRTRL), .lstmModern(.paperSized)]
    }
}

extension Architecture {
    private enum CodingKeys: String, CodingKey { case type, configuration }

    /// Reads `{"type": "lstm1997", "configuration": {...}}`.
    /// - Throws: a `DecodingError` naming an unknown type.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.type) else {
            self = try Self(legacyFrom: decoder)
            return
        }
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "lstm1997": self = .lstm1997(try container.decode(LSTM1997Network.Configuration.self, forKey: .configuration))
        case "elman": self = .elman(try container.decode(RecurrentBaselineConfiguration.self, forKey: .configuration))
        case "bptt": self = .bptt(try container.decode(TruncatedBPTTNetwork.Configuration.self, forKey: .configuration))
        case "rtrl": self = .rtrl(try container.decode(RecurrentBaselineConfiguration.self, forKey: .configuration))
        case "lstm-modern": self = .lstmModern(try container.decode(ForgetGateLSTMNetwork.Configuration.self, forKey: .configuration))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container,
                                                   debugDescription: "unknown architecture '\(type)'")
        }
    }

    private enum LegacyKeys: String, CodingKey { case lstm1997, elman, bptt, rtrl }
    private enum LegacyPayloadKeys: String, CodingKey { case payload = "_0" }

    /// Reads the form written by development builds before the first release,
    /// `{"lstm1997": {"_0": {...}}}`, so that their checkpoints still resume.
    private init(legacyFrom decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: LegacyKeys.self)
        guard let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "missing architecture type"))
        }
        let payload = try container.nestedContainer(keyedBy: LegacyPayloadKeys.self, forKey: key)
        switch key {
        case .lstm1997: self = .lstm1997(try payload.decode(LSTM1997Network.Configuration.self, forKey: .payload))
        case .elman: self = .elman(try payload.decode(RecurrentBaselineConfiguration.self, forKey: .payload))
        case .bptt: self = .bptt(try payload.decode(TruncatedBPTTNetwork.Configuration.self, forKey: .payload))
        case .rtrl: self = .rtrl(try payload.decode(RecurrentBaselineConfiguration.self, forKey: .payload))
        }
    }

    /// Writes `{"type": name, "configuration": {...}}`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .type)
        switch self {
        case .lstm1997(let configuration): try container.encode(configuration, forKey: .configuration)
        case .elman(let configuration), .rtrl(let configuration): try container.encode(configuration, forKey: .configuration)
        case .bptt(let configuration): try container.encode(configuration, forKey: .configuration)
        case .lstmModern(let configuration): try container.encode(configuration, forKey: .configuration)
        }
    }
}
