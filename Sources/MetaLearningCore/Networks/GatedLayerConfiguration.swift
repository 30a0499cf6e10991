/// The sizes of a network with one gated recurrent layer of n cells over
/// [u(t); h(t−1); 1] and one sigmoid output unit (the forget-gate LSTM, the GRU): d and n,
/// `gateBlocks` blocks of n rows of d + n + 2 weights, then w_y and b_y. Stored as
/// `{"cells": n, "inputDimension": d}`; trained with minibatch Adam; `--cells` on the command line.
public protocol GatedLayerConfiguration: NetworkConfiguration {
    /// The number of gate blocks (forget-gate LSTM 4: i, f, r, g; GRU 3: r, z, ĥ).
    static var gateBlocks: Int { get }
    /// The names of the gate blocks' tensors in the canonical order, one per gate block
    /// (``gateBlocks`` of them), e.g. `gru.reset_gate` (see ``NetworkConfiguration/tensorLayout``).
    static var gateTensorNames: [String] { get }
    /// The network's name in messages, e.g. `GRU`.
    static var displayName: String { get }
    /// The number of cells n when `--cells` is not given.
    static var defaultCells: Int { get }
    /// Dimension d of the function argument.
    var inputDimension: Int { get }
    /// Number of cells n.
    var cells: Int { get }
    /// A configuration with these sizes.
    init(inputDimension: Int, cells: Int)
}

extension GatedLayerConfiguration {
    /// gateBlocks·n(d + n + 2) + n + 1.
    public var weightCount: Int { Self.gateBlocks * cells * (inputDimension + cells + 2) + cells + 1 }
    /// Minibatch Adam at α = 0.001.
    public var trainingDefaults: TrainingDefaults { .minibatchAdam }

    /// Checks that 1 ≤ d, n ≤ ``NetworkLimits/maximumUnits`` and that the weight count,
    /// computed without overflow, is at most ``NetworkLimits/maximumWeights``.
    /// - Throws: ``ConfigurationError/invalid(_:)`` otherwise.
    public func validate() throws {
        try NetworkLimits.checkGatedLayer(Self.displayName, inputDimension: inputDimension, cells: cells, gateBlocks: Self.gateBlocks)
    }

    /// `--cells` (default ``defaultCells``); every other size option is rejected.
    public static func configuration(inputDimension: Int, sizes: NetworkSizeOptions) throws -> Self {
        try sizes.requireOnly([.cells], for: architectureName)
        try sizes.require(.cells, atLeast: 1)
        let configuration = Self(inputDimension: inputDimension, cells: sizes.cells ?? defaultCells)
        try configuration.validate()
        return configuration
    }
}
