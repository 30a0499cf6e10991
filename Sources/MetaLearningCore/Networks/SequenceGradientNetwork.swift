/// A network whose gradient over whole sequences is available in one call, so that
/// `MetaTrainer` can train it with minibatches and an optimizer (`OptimizerSettings`).
///
/// A network that can also carry its state from one sequence into the next (training on
/// never-reset streams, `train --no-reset`) returns a state from
/// ``initialCarriedState(initialPreviousTarget:)``; the default returns nil.
public protocol SequenceGradientNetwork: RecurrentNetwork {
    /// Kernel entry point: adds ∂L/∂w of L = Σ_k Σ_t ½(y_k(t) − o_k(t))² over the listed
    /// sequences of `set`, each run from reset with y(0) = `initialPreviousTarget`, to
    /// `gradient` (`weightCount` entries) and returns Σ_k Σ_t (y_k(t) − o_k(t))².
    func _accumulateSequenceGradient(of set: SequenceSet, sequences: [Int], initialPreviousTarget: Double,
                                     into gradient: UnsafeMutablePointer<Double>) -> Double
    /// The state of a lane after a reset, if the network can carry state between sequences.
    func initialCarriedState(initialPreviousTarget: Double) -> CarriedState?
    /// Kernel entry point: like the reset form, but sequence `sequences[b]` starts from
    /// `states[b]` and `states[b]` is replaced by the state after its last step; the gradient is
    /// truncated at the start of each sequence (the carried state is a constant).
    func _accumulateSequenceGradient(of set: SequenceSet, sequences: [Int], carrying states: inout [CarriedState],
                                     into gradient: UnsafeMutablePointer<Double>) -> Double
}

extension SequenceGradientNetwork {
    /// No carried state.
    public func initialCarriedState(initialPreviousTarget: Double) -> CarriedState? { nil }

    /// Unavailable without carried state.
    public func _accumulateSequenceGradient(of set: SequenceSet, sequences: [Int], carrying states: inout [CarriedState],
                                            into gradient: UnsafeMutablePointer<Double>) -> Double {
        preconditionFailure("\(architecture.name) cannot carry state between sequences")
    }

    /// Adds ∂L/∂w of L = Σ_k Σ_t ½(y_k(t) − o_k(t))² over the listed sequences of `set` (each
    /// run from reset with y(0) = `initialPreviousTarget`) to `gradient`, and returns
    /// Σ_k Σ_t (y_k(t) − o_k(t))², computed with the weights before any update.
    /// - Precondition: `gradient.count == weightCount`; every index lies in 0..<`set.count`.
    public func accumulateSequenceGradient(of set: SequenceSet, sequences: [Int], initialPreviousTarget: Double,
                                           into gradient: inout [Double]) -> Double {
        precondition(gradient.count == weightCount, "expected a gradient of \(weightCount) values, got \(gradient.count)")
        return gradient.withUnsafeMutableBufferPointer {
            _accumulateSequenceGradient(of: set, sequences: sequences, initialPreviousTarget: initialPreviousTarget,
                                        into: $0.baseAddress!)
        }
    }

    /// Like ``accumulateSequenceGradient(of:sequences:initialPreviousTarget:into:)``, but
    /// sequence `sequences[b]` starts from `states[b]`, which is replaced by the state after
    /// its last step (truncated BPTT over a continuing stream).
    /// - Precondition: the network carries state; one state per sequence; `gradient.count == weightCount`.
    public func accumulateSequenceGradient(of set: SequenceSet, sequences: [Int], carrying states: inout [CarriedState],
                                           into gradient: inout [Double]) -> Double {
        precondition(gradient.count == weightCount, "expected a gradient of \(weightCount) values, got \(gradient.count)")
        return gradient.withUnsafeMutableBufferPointer {
            _accumulateSequenceGradient(of: set, sequences: sequences, carrying: &states, into: $0.baseAddress!)
        }
    }
}

/// The state one lane of a never-reset stream carries from one sequence into the next
/// (`train --no-reset` with minibatches): the recurrent state and the last target seen.
public struct CarriedState: Equatable, Sendable {
    /// The hidden state h at the last step.
    public var hidden: [Double]
    /// The cell state c at the last step (empty for networks without cells).
    public var cell: [Double]
    /// The last target, y(0) of the next sequence.
    public var previousTarget: Double

    /// A state with these values.
    public init(hidden: [Double], cell: [Double], previousTarget: Double) {
        self.hidden = hidden
        self.cell = cell
        self.previousTarget = previousTarget
    }

    /// The state of an LSTM of n cells after a reset: h = c = 0 and y(0) = `initialPreviousTarget`.
    public init(cells: Int, initialPreviousTarget: Double) {
        self.init(hidden: [Double](repeating: 0, count: cells), cell: [Double](repeating: 0, count: cells),
                  previousTarget: initialPreviousTarget)
    }
}
