/// The Elman network of Table 1 (docs/method.md §4.6): n sigmoid hidden units (15 in the paper, 301
/// weights) whose context layer is a copy of h(t−1), treated as ordinary input.
///
/// Learning rule ("Elman" training): backpropagation one step deep, no gradient through the
/// copy. For the step's loss ½e(t)²:
///
///     δ^k(t) = o(1−o)(y − o),   δ(t) = D(t)·w^k_{1..n}·δ^k(t),   D(t) = diag(h(1−h))
///     Δw^k += α δ^k(t)[h(t); 1],   ΔW += α δ(t) z(t)ᵀ
///
/// This is the exact gradient of the surrogate loss in which h(t−1) inside z(t) is a
/// constant (the project's test plan "Baselines"). Weights in the layout of ``RecurrentBaselineConfiguration``.
public final class ElmanNetwork: SigmoidRecurrentNetwork, RecurrentNetwork {
    /// The sizes of an Elman network (the shared baseline layout), as an architecture of its own.
    public struct Configuration: RecurrentBaselineArchitecture {
        /// `elman`.
        public static let architectureName = "elman"
        /// 15 hidden units (Table 1).
        public static var paperSizes: RecurrentBaselineConfiguration { .paperElman }
        /// d and n.
        public var sizes: RecurrentBaselineConfiguration
        /// Wraps the sizes.
        public init(_ sizes: RecurrentBaselineConfiguration) { self.sizes = sizes }
        /// Builds an ``ElmanNetwork``.
        public func makeNetwork() throws -> any RecurrentNetwork { try ElmanNetwork(configuration: sizes) }
    }

    /// The network's sizes.
    public let configuration: RecurrentBaselineConfiguration
    /// δ(t), the hidden units' error signals of the current step.
    @usableFromInline let hiddenDelta: UnsafeMutablePointer<Double>

    /// Creates a network with all weights zero; call ``SigmoidRecurrentNetwork/initializeWeights(using:)`` or load weights.
    /// - Throws: ``ConfigurationError/invalid(_:)`` for unusable sizes.
    public init(configuration: RecurrentBaselineConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        let arena = ScratchArena()
        hiddenDelta = arena.zeroed(configuration.hiddenUnits)
        super.init(sizes: configuration, arena: arena)
    }

    /// `.elman(configuration)`.
    public var architecture: Architecture { .elman(configuration) }

    /// docs/method.md §1.1: h ← 0. The rule keeps no other state.
    public func reset() { core.reset() }

    /// docs/method.md §4.5 forward step; `learning` is irrelevant (the rule needs only z(t), h(t), o(t)).
    @inlinable
    public func _forward(_ input: UnsafePointer<Double>, learning: Bool) -> Double {
        core.forward(input, weights: weights)
    }

    /// docs/method.md §4.6: adds `scale`·(δ(t) z(t)ᵀ, δ^k(t)[h(t); 1]) to `buffer`.
    @inlinable
    public func _accumulateUpdate(target: Double, scale: Double, into buffer: UnsafeMutablePointer<Double>) {
        let n = core.hiddenCount, m = core.sourceCount
        let w = UnsafePointer(weights)
        let h = core.hidden
        let deltaOut = core.outputDelta(target: target)
        // All error signals first, from the current w^k: `buffer` may be the weights.
        for i in 0..<n { hiddenDelta[i] = h[i] * (1 - h[i]) * w[core.outputOffset + i] * deltaOut }
        for i in 0..<n {
            addScaled(scale * hiddenDelta[i], core.source, to: buffer + i * m, m)
        }
        addScaled(scale * deltaOut, h, to: buffer + core.outputOffset, n + 1)
    }
}

extension Architecture {
    /// An Elman network of these sizes (Table 1: ``RecurrentBaselineConfiguration/paperElman``).
    public static func elman(_ sizes: RecurrentBaselineConfiguration) -> Architecture {
        Architecture(ElmanNetwork.Configuration(sizes))
    }
}
