/// A family of target functions from which meta-learning sequences are drawn (docs/method.md §2).
///
/// A family samples one function per sequence and then the sequence's inputs. Everything the
/// rest of the package needs to know about a family (its names, its default sequence length,
/// its optimal learners and reference floors) is a requirement here, implemented in the
/// family's own file, so no other code switches on family names.
public protocol FunctionFamily: Sendable {
    /// A short name used in file names and reports, e.g. `b14` (``FamilySpec/name``).
    var name: String { get }
    /// The family as the paper names it in figure titles (`B14`, `B16`, `semil`, `quad`, and
    /// `linreg`, `ar2`), followed by any non-default sampling option, e.g. `B14 (blocks inputs)`.
    var displayName: String { get }
    /// Dimension d of the function argument x (2 for every family of the paper).
    var inputDimension: Int { get }
    /// The values the inputs and targets take (checked by `metalearn predict`).
    var dataDomain: DataDomain { get }
    /// A one-line human-readable description of the family and its sampling choices.
    var summary: String { get }
    /// The sequence length J to use when none is given (64 for the paper's families).
    var defaultSequenceLength: Int { get }
    /// The family's true basis, for the `rls-basis` learner (least squares on features in which
    /// every function of the family is linear after a fixed target transform), or nil if the
    /// package knows none.
    var trueBasis: FunctionBasis? { get }
    /// A fresh Bayes-optimal online predictor for sequences of this family (the `bayes` learner
    /// and the exact error floor), or nil if the package has none.
    func makeBayesPredictor() -> (any OnlinePredictor)?
    /// The Bayes-optimal test MSEt at sequence length `length` where it is known only as a
    /// published Monte-Carlo reference (docs/method.md §3.4), else nil.
    func referenceBayesMSEt(length: Int) -> Double?
    /// Draws one function and fills one sequence with its examples, in the family's documented
    /// draw order.
    /// - Parameters:
    ///   - sequence: the J examples to write, each x(j) (d components) and y(j) = f(x(j)).
    ///   - generator: the source of every random draw.
    /// - Returns: an identifier of the drawn function (e.g. the truth table) or −1.
    func fillSequence(_ sequence: inout SequenceBuffer, using generator: inout Xoshiro256StarStar) -> Int
}

/// The true basis of a family: the features and target transform under which every function
/// of the family is linear, so recursive least squares on them is the class-optimal learner.
public struct FunctionBasis: Sendable, Equatable {
    /// The feature map φ(x).
    public var features: FeatureMap
    /// The transform g with g(y) = w·φ(x) for every function of the family.
    public var targetTransform: RecursiveLeastSquares.TargetTransform

    /// Wraps a feature map and a target transform.
    public init(features: FeatureMap, targetTransform: RecursiveLeastSquares.TargetTransform) {
        self.features = features
        self.targetTransform = targetTransform
    }
}

/// The storage of one sequence while a ``FunctionFamily`` fills it: J examples, each an input
/// x(j) of d components and a target y(j). Indices are 0-based and bounds-checked, so a family
/// cannot write outside its sequence.
public struct SequenceBuffer: Sendable {
    /// Examples per sequence J.
    public let length: Int
    /// Input dimension d.
    public let inputDimension: Int
    /// Inputs of all the sequences being generated (sequence-major, then example, then component).
    private(set) var inputs: [Double]
    /// Targets of all the sequences being generated (sequence-major).
    private(set) var targets: [Double]
    /// Index of the sequence being filled.
    private var sequence = 0

    /// Zero storage for `count` sequences of `length` examples of dimension `inputDimension`.
    init(count: Int, length: Int, inputDimension: Int) {
        self.length = length
        self.inputDimension = inputDimension
        inputs = [Double](repeating: 0, count: count * length * inputDimension)
        targets = [Double](repeating: 0, count: count * length)
    }

    /// Creates storage for a single sequence of `length` examples of dimension `inputDimension`.
    public init(length: Int, inputDimension: Int) {
        self.init(count: 1, length: length, inputDimension: inputDimension)
    }

    /// Moves on to sequence `k` of the storage.
    mutating func select(sequence k: Int) {
        precondition(k >= 0 && (k + 1) * length <= targets.count, "SequenceBuffer: no sequence \(k)")
        sequence = k
    }

    /// Takes the generated arrays out.
    consuming func arrays() -> (inputs: [Double], targets: [Double]) { (inputs, targets) }

    /// Component `component` of the input x(j) of example `example`.
    public subscript(input example: Int, component: Int) -> Double {
        get { inputs[inputIndex(example, component)] }
        set { inputs[inputIndex(example, component)] = newValue }
    }

    /// The target y(j) of example `example`.
    public subscript(target example: Int) -> Double {
        get { targets[targetIndex(example)] }
        set { targets[targetIndex(example)] = newValue }
    }

    /// The input x(j) of example `example`, its d components in order.
    public func input(_ example: Int) -> ArraySlice<Double> {
        let start = inputIndex(example, 0)
        return inputs[start..<(start + inputDimension)]
    }

    /// The whole sequence's inputs, J·d values in example order.
    public var sequenceInputs: ArraySlice<Double> {
        inputs[(sequence * length * inputDimension)..<((sequence + 1) * length * inputDimension)]
    }

    /// The whole sequence's targets, J values.
    public var sequenceTargets: ArraySlice<Double> { targets[(sequence * length)..<((sequence + 1) * length)] }

    func inputIndex(_ example: Int, _ component: Int) -> Int {
        precondition(example >= 0 && example < length && component >= 0 && component < inputDimension,
                     "SequenceBuffer: no input component \(component) of example \(example)")
        return (sequence * length + example) * inputDimension + component
    }

    func targetIndex(_ example: Int) -> Int {
        precondition(example >= 0 && example < length, "SequenceBuffer: no example \(example)")
        return sequence * length + example
    }
}
