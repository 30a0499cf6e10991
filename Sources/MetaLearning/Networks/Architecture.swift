/// Which network a run uses, as written to `config.json` and checkpoints.
///
/// Each case names one architecture with its own learning rule; ``makeNetwork()`` builds it.
public enum Architecture: Codable, Equatable, Sendable {
    /// LSTM-1997 with its truncated online learning rule (SPEC §3, §4).
    case lstm1997(LSTM1997Network.Configuration)

    /// A short name, e.g. `lstm1997`.
    public var name: String {
        switch self {
        case .lstm1997: return "lstm1997"
        }
    }

    /// The topology in the paper's notation, e.g. `6/6(1)`.
    public var topology: String {
        switch self {
        case .lstm1997(let configuration): return configuration.topology
        }
    }

    /// Dimension of the function argument the network expects.
    public var inputDimension: Int {
        switch self {
        case .lstm1997(let configuration): return configuration.inputDimension
        }
    }

    /// Builds the network with all weights zero.
    public func makeNetwork() throws -> any RecurrentNetwork {
        switch self {
        case .lstm1997(let configuration): return try LSTM1997Network(configuration: configuration)
        }
    }
}
