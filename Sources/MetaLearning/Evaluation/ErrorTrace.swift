/// The absolute error |e(t)| = |y(t) − o(t)| of a network with frozen weights over consecutive
/// sequences laid end to end on one global time axis: the data of the paper's Figure 2
/// (docs/method.md §8.4).
///
/// The network is reset at the start of every sequence (docs/method.md §1.1), exactly as in training
/// and in the MSEt evaluation, so each sequence start is a switch to a new target function
/// at which the error is expected to peak.
public struct ErrorTrace: Sendable, Equatable {
    /// Examples per sequence J.
    public let sequenceLength: Int
    /// |e(t)| for global steps t = 1…(sequences · J), at index t − 1. Step t belongs to
    /// sequence ⌊(t − 1)/J⌋ (0-based), example (t − 1) mod J + 1.
    public let absoluteErrors: [Double]
    /// The identifier of each sequence's function (the truth table 0…15 for Boolean
    /// families, −1 where the family has none).
    public let functionIDs: [Int]

    /// Runs `network` with frozen weights over every sequence of `sequences` (reset before
    /// each), with the previous-target input y(0) = `initialPreviousTarget` at each start.
    public init(network: some RecurrentNetwork, sequences: SequenceSet, initialPreviousTarget: Double) {
        let outputs = network.predictions(on: sequences, initialPreviousTarget: initialPreviousTarget)
        self.init(sequenceLength: sequences.length,
                  absoluteErrors: zip(sequences.targets, outputs).map { abs($0 - $1) },
                  functionIDs: sequences.functionIDs)
    }

    /// Wraps errors already computed.
    /// - Precondition: `absoluteErrors.count == functionIDs.count · sequenceLength`, J ≥ 1.
    public init(sequenceLength: Int, absoluteErrors: [Double], functionIDs: [Int]) {
        precondition(sequenceLength >= 1 && absoluteErrors.count == functionIDs.count * sequenceLength,
                     "ErrorTrace: one error per example of every sequence expected")
        self.sequenceLength = sequenceLength
        self.absoluteErrors = absoluteErrors
        self.functionIDs = functionIDs
    }

    /// The number of sequences.
    public var sequenceCount: Int { functionIDs.count }

    /// The global step t (1-based) at which each sequence starts: 1, J + 1, 2J + 1, ….
    public var sequenceStarts: [Int] { (0..<sequenceCount).map { $0 * sequenceLength + 1 } }
}
