/// A set of K example sequences of length J, stored contiguously (docs/method.md §1.1, §1.3).
///
/// Sequence k, example j (both 0-based here) has the input vector
/// `inputs[(k·J + j)·d ..< (k·J + j + 1)·d]` and the target `targets[k·J + j]`, with d the
/// input dimension (2 in the paper). The network's input at step j is (x(j), y(j−1)); the
/// previous target is not stored but read from `targets`, with y(0) given by the trainer.
public struct SequenceSet: Sendable, Equatable {
    /// Number of sequences K.
    public let count: Int
    /// Examples per sequence J.
    public let length: Int
    /// Input dimension d (the network then has d + 1 inputs).
    public let inputDimension: Int
    /// All inputs, sequence-major, then example, then component.
    public private(set) var inputs: [Double]
    /// All targets, sequence-major.
    public private(set) var targets: [Double]
    /// An identifier of the function behind each sequence where the family has one
    /// (the truth-table number 0...15 for the Boolean families), else −1.
    public private(set) var functionIDs: [Int]

    /// Creates a set from already generated data.
    /// - Precondition: the array sizes match K, J and d.
    public init(count: Int, length: Int, inputDimension: Int, inputs: [Double], targets: [Double], functionIDs: [Int]) {
        precondition(inputs.count == count * length * inputDimension && targets.count == count * length
            && functionIDs.count == count, "SequenceSet: array sizes do not match K, J and d")
        self.count = count
        self.length = length
        self.inputDimension = inputDimension
        self.inputs = inputs
        self.targets = targets
        self.functionIDs = functionIDs
    }

    /// Generates `count` sequences of `length` examples from `family`, drawing from `generator`.
    public init(family: some FunctionFamily, count: Int, length: Int, using generator: inout Xoshiro256StarStar) {
        let d = family.inputDimension
        var buffer = SequenceBuffer(count: count, length: length, inputDimension: d)
        var ids = [Int](repeating: -1, count: count)
        for k in 0..<count {
            buffer.select(sequence: k)
            ids[k] = family.fillSequence(&buffer, using: &generator)
        }
        let (inputs, targets) = buffer.arrays()
        self.init(count: count, length: length, inputDimension: d, inputs: inputs, targets: targets, functionIDs: ids)
    }

    /// The same sequences cut to their first `newLength` examples (the curriculum's phase A).
    public func prefix(length newLength: Int) -> SequenceSet {
        precondition(newLength >= 1 && newLength <= length)
        if newLength == length { return self }
        var x = [Double](); x.reserveCapacity(count * newLength * inputDimension)
        var y = [Double](); y.reserveCapacity(count * newLength)
        for k in 0..<count {
            x.append(contentsOf: inputs[(k * length * inputDimension)..<((k * length + newLength) * inputDimension)])
            y.append(contentsOf: targets[(k * length)..<(k * length + newLength)])
        }
        return SequenceSet(count: count, length: newLength, inputDimension: inputDimension, inputs: x, targets: y, functionIDs: functionIDs)
    }

    /// The target of sequence `k`, example `j` (0-based).
    @inlinable
    public func target(sequence k: Int, example j: Int) -> Double { targets[k * length + j] }

    /// The input vector of sequence `k`, example `j` (0-based).
    public func input(sequence k: Int, example j: Int) -> ArraySlice<Double> {
        let start = (k * length + j) * inputDimension
        return inputs[start..<(start + inputDimension)]
    }
}

extension SequenceSet {
    /// The most values (inputs and targets together) one set may hold: 10⁸, 800 MB.
    public static let maximumValues = 100_000_000

    /// Checks that `count` sequences of `length` examples with inputs of dimension
    /// `inputDimension` are at least one example and fit ``maximumValues``, computed without
    /// overflow — before anything is allocated for them.
    /// - Throws: ``ConfigurationError/invalid(_:)`` naming `what` (e.g. "the test set").
    public static func checkSize(count: Int, length: Int, inputDimension: Int, what: String = "the sequence set") throws(ConfigurationError) {
        guard count >= 1, length >= 1 else {
            throw .invalid("\(what) needs at least one sequence of one example, not \(count) of \(length)")
        }
        let (rows, overflow) = count.multipliedReportingOverflow(by: length)
        let (values, overflow2) = rows.multipliedReportingOverflow(by: max(inputDimension, 0) + 1)
        guard !overflow, !overflow2, values <= maximumValues else {
            throw .invalid("\(what) of \(count) sequences of \(length) examples is too large (at most \(maximumValues) values)")
        }
    }
}
