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

    /// A short name, e.g. `lstm1997`, `elman`, `bptt`, `rtrl`.
    public var name: String {
        switch self {
        case .lstm1997: return "lstm1997"
        case .elman: return "elman"
        case .bptt: return "bptt"
        case .rtrl: return "rtrl"
        }
    }

    /// The topology in the paper's notation, e.g. `6/6(1)`, `15` (Elman), `20, BPTT(2)`, `10` (RTRL).
    public var topology: String {
        switch self {
        case .lstm1997(let configuration): return configuration.topology
        case .elman(let configuration): return "\(configuration.hiddenUnits)"
        case .bptt(let configuration): return configuration.topology
        case .rtrl(let configuration): return "\(configuration.hiddenUnits)"
        }
    }

    /// Dimension of the function argument the network expects.
    public var inputDimension: Int {
        switch self {
        case .lstm1997(let configuration): return configuration.inputDimension
        case .elman(let configuration): return configuration.inputDimension
        case .bptt(let configuration): return configuration.inputDimension
        case .rtrl(let configuration): return configuration.inputDimension
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
        }
    }
}

extension Architecture {
    /// The networks `metalearn bench` measures: the paper's LSTM nets and every baseline.
    public static var benchmarkSet: [Architecture] {
        [.lstm1997(.paperSingleLayer), .lstm1997(.paperTwoLayer),
         .elman(.paperElman), .bptt(.paperBPTT2), .rtrl(.paperRTRL)]
    }
}
