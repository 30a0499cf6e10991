/// The fully recurrent network of Table 1 trained by truncated backpropagation through time
/// (docs/method.md §4.7): n sigmoid hidden units (20 in the paper, 501 weights), truncation depth H
/// (2 in the paper).
///
/// Learning rule BPTT(H): the error injected at step t reaches the net inputs of steps
/// t, t−1, …, t−H+1 and stops there (h(t−H) is a constant):
///
///     δ_t(t)   = D(t)·w^k_{1..n}·δ^k(t),          D(τ) = diag(h(τ)(1−h(τ)))
///     δ_t(τ−1) = D(τ−1)·W_hhᵀ·δ_t(τ)              for τ−1 ≥ max(1, t−H+1)
///     ΔW += α Σ_τ δ_t(τ) z(τ)ᵀ,   Δw^k += α δ^k(t)[h(t); 1]
///
/// W_hh is the block of W acting on h(t−1). H = 1 is Elman's rule; H ≥ J (the sequence
/// length) is full BPTT, the exact gradient of Σ_t ½e(t)² when the step contributions are
/// summed with frozen weights. Online, the back-steps use the current weights and the recorded
/// z(τ), h(τ) of earlier steps, as docs/method.md §4.7 states.
///
/// The last min(H, t) steps' z and h are kept in a ring buffer. Its capacity starts at
/// min(H, 64) and, for larger H, doubles up to H the first time a sequence is that long; after
/// that no step allocates.
public final class TruncatedBPTTNetwork: SigmoidRecurrentNetwork, RecurrentNetwork {
    /// The sizes and truncation depth of a BPTT(H) network.
    public struct Configuration: NetworkConfiguration {
        /// `bptt`.
        public static let architectureName = "bptt"
        /// Dimension d of the function argument (2 in the paper); the net has d + 1 inputs.
        public var inputDimension: Int
        /// Number n of sigmoid hidden units.
        public var hiddenUnits: Int
        /// Truncation depth H ≥ 1: the number of net inputs (steps t, t−1, …) an error reaches.
        public var truncation: Int

        /// Creates a configuration.
        public init(inputDimension: Int = 2, hiddenUnits: Int, truncation: Int) {
            self.inputDimension = inputDimension
            self.hiddenUnits = hiddenUnits
            self.truncation = truncation
        }

        /// docs/method.md §4.7: the paper's net, 20 hidden units, BPTT truncated after 2 steps (501 weights).
        public static let paperBPTT2 = Configuration(hiddenUnits: 20, truncation: 2)

        /// The sizes without the truncation depth.
        public var recurrent: RecurrentBaselineConfiguration {
            RecurrentBaselineConfiguration(inputDimension: inputDimension, hiddenUnits: hiddenUnits)
        }

        /// Checks the sizes and depth are usable.
        /// - Throws: ``ConfigurationError/invalid(_:)`` unless d ≥ 1, n ≥ 1 and H ≥ 1.
        public func validate() throws {
            try recurrent.validate()
            guard truncation >= 1 else {
                throw ConfigurationError.invalid("BPTT truncation depth must be at least 1, got \(truncation)")
            }
        }

        /// n·M + n + 1, as for every Table-1 baseline.
        public var weightCount: Int { recurrent.weightCount }
        /// The layout of every Table-1 baseline (``RecurrentBaselineConfiguration/tensorLayout``).
        public var tensorLayout: [WeightTensor] { recurrent.tensorLayout }

        /// The topology as in Table 1, e.g. `20, BPTT(2)`.
        public var topology: String { "\(hiddenUnits), BPTT(\(truncation))" }
        /// Online SGD at α = 0.003.
        public var trainingDefaults: TrainingDefaults { .onlineSGD }
        /// Builds a ``TruncatedBPTTNetwork``.
        public func makeNetwork() throws -> any RecurrentNetwork { try TruncatedBPTTNetwork(configuration: self) }
        /// `--hidden`, `--truncation`; defaults: ``paperBPTT2``'s 20 units and H = 2.
        public static func configuration(inputDimension: Int, sizes: NetworkSizeOptions) throws -> Configuration {
            try sizes.requireOnly([.hidden, .truncation], for: architectureName)
            try sizes.require(.hidden, atLeast: 1)
            try sizes.require(.truncation, atLeast: 1)
            let configuration = Configuration(inputDimension: inputDimension, hiddenUnits: sizes.hiddenUnits ?? paperBPTT2.hiddenUnits,
                                              truncation: sizes.truncation ?? paperBPTT2.truncation)
            try configuration.validate()
            return configuration
        }
    }

    /// The network's sizes and truncation depth.
    public let configuration: Configuration
    @usableFromInline let truncation: Int
    /// Slots in the ring buffers (≤ H).
    @usableFromInline var capacity: Int
    /// z(τ) of recorded steps, capacity × M; step s (1-based) sits in slot (s − 1) mod capacity.
    @usableFromInline var historySources: UnsafeMutablePointer<Double>
    /// h(τ) of recorded steps, capacity × n.
    @usableFromInline var historyHidden: UnsafeMutablePointer<Double>
    /// δ_t(t − k), k = 0..<H: the error signals of one accumulate call, capacity × n.
    @usableFromInline var deltas: UnsafeMutablePointer<Double>
    /// W_hhᵀ δ, scratch of n.
    @usableFromInline let backError: UnsafeMutablePointer<Double>
    /// Consecutive learning steps since reset (the recorded history's length, uncapped).
    @usableFromInline var recordedSteps = 0

    /// Creates a network with all weights zero; call ``SigmoidRecurrentNetwork/initializeWeights(using:)`` or load weights.
    /// - Throws: ``ConfigurationError/invalid(_:)`` for unusable sizes or depth.
    public init(configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
        let recurrent = configuration.recurrent
        let arena = ScratchArena()
        truncation = configuration.truncation
        capacity = min(configuration.truncation, 64)
        historySources = arena.zeroed(capacity * recurrent.sourceCount)
        historyHidden = arena.zeroed(capacity * recurrent.hiddenUnits)
        deltas = arena.zeroed(capacity * recurrent.hiddenUnits)
        backError = arena.zeroed(recurrent.hiddenUnits)
        super.init(sizes: recurrent, arena: arena)
    }


    /// `.bptt(configuration)`.
    public var architecture: Architecture { .bptt(configuration) }

    /// docs/method.md §1.1: h ← 0 and the history is emptied.
    public func reset() {
        core.reset()
        recordedSteps = 0
    }

    /// docs/method.md §4.5 forward step. With `learning`, z(t) and h(t) are recorded for the back-steps of
    /// the next H − 1 steps; without, the history is cut (a later learning step's error stops
    /// at the first step after this one).
    @inlinable
    public func _forward(_ input: UnsafePointer<Double>, learning: Bool) -> Double {
        let output = core.forward(input, weights: weights)
        guard learning else {
            recordedSteps = 0
            return output
        }
        if truncation > 1 {
            if recordedSteps == capacity && capacity < truncation { growHistory() }
            let slot = recordedSteps % capacity
            (historySources + slot * core.sourceCount).update(from: core.source, count: core.sourceCount)
            (historyHidden + slot * core.hiddenCount).update(from: core.hidden, count: core.hiddenCount)
        }
        recordedSteps += 1
        return output
    }

    /// Doubles the ring buffers (at most to H). Called only when the history holds steps
    /// 1…capacity in slots 0…capacity−1 (no wrap yet), so a plain copy keeps every slot.
    @usableFromInline
    func growHistory() {
        let n = core.hiddenCount, m = core.sourceCount
        let newCapacity = min(truncation, 2 * capacity)
        func grown(_ old: UnsafeMutablePointer<Double>, width: Int) -> UnsafeMutablePointer<Double> {
            arena.replace(old, withZeroed: newCapacity * width, keeping: capacity * width)
        }
        historySources = grown(historySources, width: m)
        historyHidden = grown(historyHidden, width: n)
        deltas = grown(deltas, width: n)
        capacity = newCapacity
    }

    /// docs/method.md §4.7: adds `scale`·(Σ_τ δ_t(τ) z(τ)ᵀ, δ^k(t)[h(t); 1]) to `buffer`, over the last
    /// min(H, recorded steps) steps.
    @inlinable
    public func _accumulateUpdate(target: Double, scale: Double, into buffer: UnsafeMutablePointer<Double>) {
        let n = core.hiddenCount, m = core.sourceCount
        let w = UnsafePointer(weights)
        let depth = min(truncation, max(recordedSteps, 1))
        let deltaOut = core.outputDelta(target: target)
        // All error signals first, from the current weights: `buffer` may be the weights.
        let h = core.hidden
        for i in 0..<n { deltas[i] = h[i] * (1 - h[i]) * w[core.outputOffset + i] * deltaOut }
        for k in stride(from: 1, to: depth, by: 1) {
            // δ_t(t−k) = D(t−k)·W_hhᵀ·δ_t(t−k+1); W_hh[i, l] = W[i, d+1+l], read row by row.
            let previous = deltas + (k - 1) * n
            backError.update(repeating: 0, count: n)
            for i in 0..<n { addScaled(previous[i], w + i * m + inputCount, to: backError, n) }
            let hk = historyHidden + historySlot(stepsBack: k) * n
            let delta = deltas + k * n
            for l in 0..<n { delta[l] = hk[l] * (1 - hk[l]) * backError[l] }
        }
        for k in 0..<depth {
            let z = k == 0 ? UnsafePointer(core.source) : UnsafePointer(historySources + historySlot(stepsBack: k) * m)
            let delta = deltas + k * n
            for i in 0..<n { addScaled(scale * delta[i], z, to: buffer + i * m, m) }
        }
        addScaled(scale * deltaOut, h, to: buffer + core.outputOffset, n + 1)
    }

    /// The ring slot of step t − k, where t is the last recorded step (k < min(H, t)).
    @inlinable @inline(__always)
    func historySlot(stepsBack k: Int) -> Int { (recordedSteps - 1 - k) % capacity }
}

extension Architecture {
    /// A BPTT(H) network of these sizes (Table 1: ``TruncatedBPTTNetwork/Configuration/paperBPTT2``).
    public static func bptt(_ configuration: TruncatedBPTTNetwork.Configuration) -> Architecture {
        Architecture(configuration)
    }
}
