/// The sizes of one network architecture: what a run's `config.json` stores under
/// `architecture.configuration`, and everything the rest of the package needs to know about the
/// architecture without naming it.
///
/// Adding an architecture is one new file — a network type, its configuration conforming to
/// this protocol, and optionally an `Architecture.myNet(_:)` factory — plus one line in
/// ``Architecture/registered`` (docs/architecture.md, "Add a network architecture").
public protocol NetworkConfiguration: Codable, Equatable, Sendable {
    /// The architecture's name in files and on the command line, e.g. `lstm1997`; unique among
    /// ``Architecture/registered``.
    static var architectureName: String { get }
    /// The topology in the paper's notation, e.g. `6/6(1)`.
    var topology: String { get }
    /// Dimension d of the function argument; the network has d + 1 inputs.
    var inputDimension: Int { get }
    /// The number of weights, biases included; meaningful once ``validate()`` has passed (it
    /// bounds every size, so the product cannot overflow). Lets a reader compare a file's
    /// weight list with the architecture before any network is allocated.
    var weightCount: Int { get }
    /// The flat weight list cut into named blocks: in the canonical order, without gaps, their
    /// counts adding up to ``weightCount`` (docs/method.md §7.8). `metalearn export` writes one
    /// tensor per block; each architecture states its own, so a new one cannot be exported
    /// without naming its weights.
    var tensorLayout: [WeightTensor] { get }
    /// How runs of this architecture train unless told otherwise.
    var trainingDefaults: TrainingDefaults { get }
    /// Rejects unusable sizes (non-positive, or so large that the weights would not fit the
    /// limits of ``NetworkLimits``) with a one-line message, before anything is allocated.
    /// - Throws: ``ConfigurationError/invalid(_:)``.
    func validate() throws
    /// The configuration for a function argument of dimension `inputDimension` from the sizes
    /// given on the command line, with this architecture's defaults (the paper's sizes) for the
    /// others, validated.
    /// - Throws: ``ConfigurationError/invalid(_:)`` for an option that does not apply to this
    ///   architecture or an unusable size.
    static func configuration(inputDimension: Int, sizes: NetworkSizeOptions) throws -> Self
    /// Builds the network with all weights zero (validating first).
    /// - Throws: ``ConfigurationError/invalid(_:)`` if the sizes are unusable.
    func makeNetwork() throws -> any RecurrentNetwork
}

/// How an architecture trains by default.
public struct TrainingDefaults: Equatable, Sendable {
    /// The default learning rate α.
    public var learningRate: Double
    /// Whether the architecture trains only with minibatches and an optimizer
    /// (`OptimizerSettings`), through ``SequenceGradientNetwork``.
    public var requiresOptimizer: Bool

    /// Creates defaults.
    public init(learningRate: Double, requiresOptimizer: Bool) {
        self.learningRate = learningRate
        self.requiresOptimizer = requiresOptimizer
    }

    /// Online SGD with the architecture's own rule at α = 0.003 (the paper's B14 rate).
    public static let onlineSGD = TrainingDefaults(learningRate: 0.003, requiresOptimizer: false)
    /// Minibatch Adam at α = 0.001 (Adam's usual rate).
    public static let minibatchAdam = TrainingDefaults(learningRate: 0.001, requiresOptimizer: true)
}

/// Upper bounds on network sizes that come from files or options: checked before anything is
/// allocated, so that a crafted checkpoint or a mistyped option gets an error, not an
/// exhausted memory or a wrapped size.
public enum NetworkLimits {
    /// The most weights a network may have, and the most values of any of its buffers (10⁷:
    /// 80 MB of weights; the forget-gate LSTM reaches it at about 1 580 cells).
    public static let maximumWeights = 10_000_000
    /// The most units in any one layer.
    public static let maximumUnits = 100_000

    /// Checks that `count` lies in `range`.
    /// - Throws: ``ConfigurationError/invalid(_:)`` naming `what` otherwise.
    public static func check(_ what: String, _ count: Int, in range: ClosedRange<Int>) throws {
        guard range.contains(count) else {
            throw ConfigurationError.invalid("\(what) must lie in \(range.lowerBound)...\(range.upperBound), not \(count)")
        }
    }

    /// Checks a gated recurrent layer of `cells` cells with `gateBlocks` blocks of rows over
    /// [u; h; 1] (u of d + 1 values) and an output unit: 1 ≤ d, n ≤ ``maximumUnits`` and
    /// gateBlocks·n·(d + n + 2) + n + 1 weights, computed without overflow, at most ``maximumWeights``.
    /// - Throws: ``ConfigurationError/invalid(_:)`` naming `network` otherwise.
    public static func checkGatedLayer(_ network: String, inputDimension: Int, cells: Int, gateBlocks: Int) throws {
        guard inputDimension >= 1, cells >= 1 else {
            throw ConfigurationError.invalid(
                "\(network) sizes must be positive (d ≥ 1, cells ≥ 1), not d = \(inputDimension), cells = \(cells)")
        }
        try check("the input dimension", inputDimension, in: 1...maximumUnits)
        try check("the number of cells", cells, in: 1...maximumUnits)
        _ = try checkedWeightCount([(gateBlocks * cells, inputDimension + cells + 2)], plus: cells + 1)
    }

    /// Σ a·b over `terms` plus `constant`, computed without overflow and checked against
    /// ``maximumWeights``.
    /// - Throws: ``ConfigurationError/invalid(_:)`` if it overflows or exceeds the limit.
    public static func checkedWeightCount(_ terms: [(Int, Int)], plus constant: Int = 0) throws -> Int {
        var total = constant
        for (a, b) in terms {
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            guard !overflow, !overflow2, sum <= maximumWeights else {
                throw ConfigurationError.invalid("the network would have more than \(maximumWeights) weights")
            }
            total = sum
        }
        guard total <= maximumWeights else {
            throw ConfigurationError.invalid("the network would have more than \(maximumWeights) weights")
        }
        return total
    }
}
