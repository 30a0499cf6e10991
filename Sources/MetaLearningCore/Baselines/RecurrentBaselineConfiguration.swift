/// The sizes of a Table-1 baseline network (docs/method.md §4.5): d + 1 inputs, n sigmoid hidden units in
/// one fully recurrent layer, one sigmoid output reading the hidden layer of the same step.
///
/// All three baselines (``ElmanNetwork``, ``TruncatedBPTTNetwork``, ``RTRLNetwork``) share the
/// weight layout of docs/method.md §4.5: the n hidden rows of W (n × M row-major, sources
/// z(t) = [u(t); h(t−1); 1], so M = d + 1 + n + 1), then the output row w^k (n + 1 entries,
/// sources [h(t); 1]). Weight count n·M + n + 1: 301 for n = 15, 501 for n = 20, 151 for
/// n = 10 (d = 2).
public struct RecurrentBaselineConfiguration: Codable, Equatable, Sendable {
    /// Dimension d of the function argument (2 in the paper); the net has d + 1 inputs.
    public var inputDimension: Int
    /// Number n of sigmoid hidden units.
    public var hiddenUnits: Int

    /// Creates a configuration.
    public init(inputDimension: Int = 2, hiddenUnits: Int) {
        self.inputDimension = inputDimension
        self.hiddenUnits = hiddenUnits
    }

    /// docs/method.md §4.6: the paper's Elman net, 15 hidden units (301 weights).
    public static let paperElman = RecurrentBaselineConfiguration(hiddenUnits: 15)
    /// docs/method.md §4.8: the paper's RTRL net, 10 hidden units (151 weights).
    public static let paperRTRL = RecurrentBaselineConfiguration(hiddenUnits: 10)

    /// Checks the sizes are usable.
    /// - Throws: ``ConfigurationError/invalid(_:)`` unless d ≥ 1 and n ≥ 1.
    public func validate() throws {
        guard inputDimension >= 1 else {
            throw ConfigurationError.invalid("input dimension must be at least 1, got \(inputDimension)")
        }
        guard hiddenUnits >= 1 else {
            throw ConfigurationError.invalid("a recurrent baseline needs at least 1 hidden unit, got \(hiddenUnits)")
        }
        try NetworkLimits.check("the input dimension", inputDimension, in: 1...NetworkLimits.maximumUnits)
        try NetworkLimits.check("the number of hidden units", hiddenUnits, in: 1...NetworkLimits.maximumUnits)
        _ = try NetworkLimits.checkedWeightCount([(hiddenUnits, sourceCount)], plus: hiddenUnits + 1)
    }

    /// Number of input units, d + 1 (x(t) and y(t−1)).
    public var inputCount: Int { inputDimension + 1 }
    /// Length M of the hidden source vector z(t) = [u(t); h(t−1); 1].
    public var sourceCount: Int { inputCount + hiddenUnits + 1 }
    /// Number of weights, biases included: n·M + n + 1 (docs/method.md §4.5).
    public var weightCount: Int { hiddenUnits * sourceCount + hiddenUnits + 1 }
}

/// A Table-1 baseline architecture: the shared sizes of ``RecurrentBaselineConfiguration`` under
/// a name of its own. Encoded as the bare sizes (`{"inputDimension": 2, "hiddenUnits": 15}`).
public protocol RecurrentBaselineArchitecture: NetworkConfiguration {
    /// d and n.
    var sizes: RecurrentBaselineConfiguration { get }
    /// Wraps the sizes.
    init(_ sizes: RecurrentBaselineConfiguration)
    /// The paper's sizes for this baseline (Table 1).
    static var paperSizes: RecurrentBaselineConfiguration { get }
}

extension RecurrentBaselineArchitecture {
    /// The number of hidden units, e.g. `15`.
    public var topology: String { "\(sizes.hiddenUnits)" }
    /// d.
    public var inputDimension: Int { sizes.inputDimension }
    /// The sizes' checks.
    public func validate() throws { try sizes.validate() }
    /// n·M + n + 1.
    public var weightCount: Int { sizes.weightCount }
    /// Online SGD at α = 0.003.
    public var trainingDefaults: TrainingDefaults { .onlineSGD }
    /// Reads the bare sizes, e.g. `{"inputDimension": 2, "hiddenUnits": 15}`.
    public init(from decoder: Decoder) throws { self.init(try RecurrentBaselineConfiguration(from: decoder)) }
    /// Writes the bare sizes.
    public func encode(to encoder: Encoder) throws { try sizes.encode(to: encoder) }
}

extension RecurrentBaselineArchitecture {
    /// Reads `--hidden` (default: ``paperSizes``' hidden units) and rejects the other options.
    public static func configuration(inputDimension: Int, sizes: NetworkSizeOptions) throws -> Self {
        try sizes.requireOnly([.hidden], for: architectureName)
        try sizes.require(.hidden, atLeast: 1)
        let configuration = Self(RecurrentBaselineConfiguration(inputDimension: inputDimension,
                                                                hiddenUnits: sizes.hiddenUnits ?? paperSizes.hiddenUnits))
        try configuration.validate()
        return configuration
    }
}
