/// What the three Table-1 baselines (``ElmanNetwork``, ``TruncatedBPTTNetwork``,
/// ``RTRLNetwork``) have in common: the sizes of docs/method.md §4.5, the weights in its layout
/// (W, n × M row-major, then w^k, n + 1), the forward pass (`SigmoidRecurrentCore`) and the
/// arena of their other buffers. The subclasses differ only in their learning rules.
public class SigmoidRecurrentNetwork {
    /// d + 1.
    public let inputCount: Int
    /// n·M + n + 1.
    public let weightCount: Int
    /// W (n × M row-major), then w^k (n + 1).
    public let weightStorage: WeightStorage
    /// The kernels' view of the weights.
    @usableFromInline let weights: UnsafeMutablePointer<Double>
    /// Every other buffer of the network.
    @usableFromInline let arena: ScratchArena
    /// The forward pass and its activations.
    @usableFromInline let core: SigmoidRecurrentCore

    /// Takes over `arena` (in which the subclass has already placed its own buffers) and adds
    /// the weights and the forward pass's buffers.
    init(sizes: RecurrentBaselineConfiguration, arena: ScratchArena) {
        inputCount = sizes.inputCount
        weightCount = sizes.weightCount
        weightStorage = WeightStorage(count: weightCount)
        weights = weightStorage.base
        self.arena = arena
        core = SigmoidRecurrentCore(sizes, arena: arena)
    }

    /// docs/method.md §4.1: U[−0.1, 0.1] for every weight, one draw each in canonical order.
    public func initializeWeights(using generator: inout Xoshiro256StarStar) {
        for i in 0..<weightCount { weights[i] = generator.nextUniform(in: -0.1, 0.1) }
    }
}
