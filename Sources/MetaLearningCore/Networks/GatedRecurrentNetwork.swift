/// What the one-layer gated networks (``ForgetGateLSTMNetwork``, ``GRUNetwork``) have in
/// common: n cells whose gate blocks read [u(t); h(t−1); 1] (d + n + 2 values per row), then
/// the output weights w_y and b_y; the weights in that layout and the arena of every other
/// buffer. The subclasses add their gates, tapes and backward passes.
public class GatedRecurrentNetwork {
    /// d + 1: the function argument plus the previous target.
    public let inputCount: Int
    /// gateBlocks·n(d + n + 2) + n + 1.
    public let weightCount: Int
    /// The weights in canonical order (see the subclass's documentation); writable in place.
    public let weightStorage: WeightStorage
    /// The kernels' view of the weights.
    @usableFromInline let weights: UnsafeMutablePointer<Double>
    /// Every other buffer of the network.
    @usableFromInline let arena: ScratchArena
    /// n.
    let cells: Int
    /// d + n + 2, the length of a gate row: [u; h(t−1); 1].
    let rowLength: Int
    /// Offset of w_y in the canonical layout (b_y follows it): gateBlocks·n rows of gates before it.
    let outputOffset: Int

    /// Takes over `arena` (in which the subclass has already placed its own buffers) and adds
    /// the weights of `configuration` (already validated).
    init(configuration: some GatedLayerConfiguration, arena: ScratchArena) {
        cells = configuration.cells
        inputCount = configuration.inputDimension + 1
        rowLength = configuration.inputDimension + configuration.cells + 2
        outputOffset = type(of: configuration).gateBlocks * configuration.cells * rowLength
        weightCount = configuration.weightCount
        weightStorage = WeightStorage(count: weightCount)
        weights = weightStorage.base
        self.arena = arena
    }
}
