/// How weights are updated during meta-training (docs/method.md §4.1).
public enum UpdateMode: String, Codable, Sendable, CaseIterable {
    /// After every time step ("o").
    case online
    /// Summed over one sequence with frozen weights, applied at its end ("b").
    case batchSequence = "batch"
    /// Summed over a whole epoch, applied once per epoch.
    case batchEpoch = "batch-epoch"
}

/// A stretch of training on the first `length` examples of every training sequence
/// (docs/method.md §1.3 curriculum; a plain run has one phase at full length).
public struct TrainingPhase: Codable, Equatable, Sendable {
    /// Epochs in this phase.
    public var epochs: Int
    /// Examples per training sequence used in this phase.
    public var length: Int

    /// Creates a phase.
    public init(epochs: Int, length: Int) {
        self.epochs = epochs
        self.length = length
    }
}

/// Every parameter of one meta-training run; written to `config.json` and every checkpoint.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    /// The default learning rate α of the paper's SGD-trained networks (LSTM-1997 and the
    /// Table-1 baselines): 0.003. Minibatch Adam has its own, ``OptimizerSettings/defaultLearningRate``.
    public static let defaultLearningRate = 0.003
    /// The default number K of training sequences: 128.
    public static let defaultTrainingSequences = 128
    /// The default number J of examples per sequence: 64 (linreg uses
    /// `LinearRegressionFamily/defaultLength(dimension:)` instead).
    public static let defaultSequenceLength = 64
    /// The default previous-target input y(0) at the first step of a sequence: 0.5.
    public static let defaultInitialPreviousTarget = 0.5

    /// The preset this came from, or `custom`.
    public var preset: String
    /// Whether the epochs were cut for a smoke test (`--budget smoke`).
    public var quickBudget: Bool
    /// Master seed (docs/method.md §1.3).
    public var seed: UInt64
    /// The function family.
    public var family: FamilySpec
    /// The network.
    public var architecture: Architecture
    /// Number of training sequences K.
    public var trainingSequences: Int
    /// Examples per training sequence J (the longest phase's length).
    public var sequenceLength: Int
    /// Number of test sequences (default K).
    public var testSequences: Int
    /// Examples per test sequence (default J).
    public var testLength: Int
    /// Training phases (one unless a curriculum is used); their epochs add up to the run's.
    public var phases: [TrainingPhase]
    /// Learning rate α.
    public var learningRate: Double
    /// Online or batch updates (SGD only; ignored when ``optimizer`` is set).
    public var updateMode: UpdateMode
    /// y(0), the previous-target input at the first step (docs/method.md §1.1: 0.5).
    public var initialPreviousTarget: Double
    /// Evaluate (and checkpoint) every this many epochs, and at the end.
    public var evaluationInterval: Int
    /// Minibatch training with Adam and clipping (docs/method.md §5.4); nil: the architecture's own SGD rule
    /// with ``updateMode``. Required by `lstm-modern`. Absent from `config.json` files written
    /// before it existed, which therefore still load (as nil).
    public var optimizer: OptimizerSettings?
    /// Meta-training on one long stream (`train --no-reset`, the paper's remark that a single
    /// training sequence would do): within an epoch the network is not reset between
    /// sequences, and the first step of a sequence gets the previous sequence's last target as
    /// y(j−1); the function switches without notice. Reset only at the start of each epoch
    /// (where checkpoints are taken). nil or false: reset before every sequence (docs/method.md §1.1).
    /// Evaluation always resets; `metalearn stream` measures the no-reset behaviour. With
    /// minibatch Adam (lstm-modern) each lane of the minibatch is such a stream, trained by
    /// truncated BPTT (the state carried into a sequence is a constant).
    public var trainsWithoutReset: Bool?
    /// Fresh functions (`train --fresh-functions`): every epoch trains on K newly drawn
    /// sequences, so no function is seen twice and the net cannot memorise a fixed training set;
    /// the test set stays fixed. Epoch e's set is drawn from its own stream, seeded from the
    /// master seed and e (``MetaTrainer/freshTrainingSet(forEpoch:)``), so runs are deterministic
    /// and resume bit for bit. nil or false: the paper's protocol, one fixed set of K sequences
    /// (docs/method.md §5.6).
    public var trainsOnFreshFunctions: Bool?
    /// Stop as diverged after this many consecutive evaluations whose test MSEt is worse than
    /// the constant predictor's (``DivergenceRule``); 0 turns the check off, nil means
    /// ``DivergenceRule/defaultPatience``. Absent from `config.json` unless set, so files
    /// written before it existed load unchanged. Table 1's runs turn it off: that table
    /// records failures, including runs worse than the constant predictor.
    public var divergencePatience: Int?

    /// The divergence patience in effect: ``divergencePatience`` or the default.
    public var effectiveDivergencePatience: Int { divergencePatience ?? DivergenceRule.defaultPatience }

    /// Creates a configuration; see ``validate()``. `optimizer` defaults to nil, except for
    /// `lstm-modern`, which gets docs/method.md §5.4's defaults (``OptimizerSettings/init(batchSize:clipNorm:beta1:beta2:epsilon:)``).
    public init(preset: String = "custom", quickBudget: Bool = false, seed: UInt64, family: FamilySpec,
                architecture: Architecture, trainingSequences: Int, sequenceLength: Int,
                testSequences: Int? = nil, testLength: Int? = nil, phases: [TrainingPhase]? = nil, epochs: Int = 1,
                learningRate: Double, updateMode: UpdateMode = .online, initialPreviousTarget: Double = defaultInitialPreviousTarget,
                evaluationInterval: Int? = nil, optimizer: OptimizerSettings? = nil) {
        self.preset = preset
        self.quickBudget = quickBudget
        self.seed = seed
        self.family = family
        self.architecture = architecture
        self.trainingSequences = trainingSequences
        self.sequenceLength = sequenceLength
        self.testSequences = testSequences ?? trainingSequences
        self.testLength = testLength ?? sequenceLength
        self.phases = phases ?? [TrainingPhase(epochs: epochs, length: sequenceLength)]
        self.learningRate = learningRate
        self.updateMode = updateMode
        self.initialPreviousTarget = initialPreviousTarget
        self.evaluationInterval = evaluationInterval ?? max(1, Self.totalEpochs(of: self.phases) / 100)
        if architecture.trainingDefaults.requiresOptimizer {
            self.optimizer = optimizer ?? OptimizerSettings()
        } else {
            self.optimizer = optimizer
        }
    }

    /// The most epochs a run may have over all its phases (10⁹), checked by ``validate()`` so
    /// that epoch and example counts (at most 10⁹ · J with J ≤ 10⁸) cannot overflow.
    public static let maximumEpochs = 1_000_000_000

    /// Total epochs over all phases; `Int.max` if the sum does not fit (a configuration that
    /// ``validate()`` rejects).
    public var totalEpochs: Int { Self.totalEpochs(of: phases) }

    /// The epochs of `phases` added up, saturating at `Int.min` and `Int.max` instead of overflowing.
    private static func totalEpochs(of phases: [TrainingPhase]) -> Int {
        var total = 0
        for phase in phases {
            let (sum, overflow) = total.addingReportingOverflow(phase.epochs)
            if overflow { return phase.epochs < 0 ? Int.min : Int.max }
            total = sum
        }
        return total
    }

    /// The same run with `total` epochs in all: the last phase grows (or shrinks) by the
    /// difference, everything else, the evaluation interval included, stays. This is how
    /// `train --resume DIR --epochs N` extends a finished run: the epochs it adds are exactly the
    /// ones an uninterrupted run of `total` epochs would have run after them (the training data
    /// of an epoch depends only on the seed and the epoch), so the weights agree bit for bit.
    /// - Throws: `ConfigurationError` when `total` would leave the last phase without epochs.
    public func withTotalEpochs(_ total: Int) throws(ConfigurationError) -> TrainingConfiguration {
        let earlier = phases.dropLast().reduce(0) { $0 + $1.epochs }
        guard total > earlier, let last = phases.last else {
            throw ConfigurationError.invalid("--epochs \(total) must exceed the \(earlier) epochs of the curriculum's earlier phases")
        }
        var copy = self
        copy.phases[phases.count - 1] = TrainingPhase(epochs: total - earlier, length: last.length)
        return copy
    }

    /// The examples per sequence trained on in the first `epochs` epochs, summed over the
    /// phases (proportional to the training work: a curriculum's long phase weighs more).
    public func examplesPerSequence(inFirst epochs: Int) -> Int {
        var remaining = max(0, epochs), total = 0
        for phase in phases {
            let taken = min(remaining, phase.epochs)
            total += taken * phase.length
            remaining -= taken
        }
        return total + remaining * (phases.last?.length ?? 0)
    }

    /// The phase index and its length at (0-based) epoch `epoch`.
    public func phase(atEpoch epoch: Int) -> (index: Int, phase: TrainingPhase) {
        var start = 0
        for (index, phase) in phases.enumerated() {
            if epoch < start + phase.epochs { return (index, phase) }
            start += phase.epochs
        }
        return (phases.count - 1, phases[phases.count - 1])
    }

    /// The registered architectures that train with minibatches, e.g. `lstm-modern, gru`.
    static var sequenceGradientArchitectures: String {
        Architecture.registered.filter { type in
            (try? type.configuration(inputDimension: 2, sizes: NetworkSizeOptions()))?.trainingDefaults.requiresOptimizer ?? false
        }.map { $0.architectureName }.joined(separator: ", ")
    }

    /// Rejects impossible values with a one-line message.
    public func validate() throws {
        func fail(_ message: String) throws { throw ConfigurationError.invalid(message) }
        if trainingSequences < 1 { try fail("the number of training sequences K must be at least 1") }
        if sequenceLength < 1 { try fail("the sequence length J must be at least 1") }
        if testSequences < 1 { try fail("the number of test sequences must be at least 1") }
        if testLength < 1 { try fail("the test sequence length must be at least 1") }
        if phases.isEmpty || phases.contains(where: { $0.epochs < 0 }) { try fail("epochs must not be negative") }
        if totalEpochs < 1 { try fail("at least one epoch is needed") }
        if totalEpochs > Self.maximumEpochs { try fail("a run may have at most \(Self.maximumEpochs) epochs") }
        if phases.contains(where: { $0.length < 1 || $0.length > sequenceLength }) {
            try fail("every curriculum phase length must lie in 1...J (\(sequenceLength))")
        }
        if !(learningRate > 0) || !learningRate.isFinite { try fail("the learning rate must be a positive number") }
        if !initialPreviousTarget.isFinite { try fail("y(0) must be a finite number") }
        if evaluationInterval < 1 { try fail("the evaluation interval must be at least 1 epoch") }
        if let divergencePatience, divergencePatience < 0 {
            try fail("the divergence patience must be 0 (off) or a number of evaluations, not \(divergencePatience)")
        }
        let familyDimension = family.makeFamily().inputDimension
        try SequenceSet.checkSize(count: trainingSequences, length: sequenceLength, inputDimension: familyDimension,
                                  what: "the training set")
        try SequenceSet.checkSize(count: testSequences, length: testLength, inputDimension: familyDimension, what: "the test set")
        if architecture.inputDimension != familyDimension {
            try fail("the family \(family.name) has \(familyDimension) inputs but the network expects \(architecture.inputDimension)")
        }
        try architecture.configuration.validate()
        let network = try architecture.makeNetwork()
        if let optimizer {
            try optimizer.validate()
            guard let sequenceNetwork = network as? any SequenceGradientNetwork else {
                try fail("minibatch Adam training needs a network with a full-sequence gradient (\(Self.sequenceGradientArchitectures)), not \(architecture.name)")
                return
            }
            if trainsWithoutReset == true, sequenceNetwork.initialCarriedState(initialPreviousTarget: initialPreviousTarget) == nil {
                try fail("training without reset with minibatch Adam needs a network that carries its state between sequences, not \(architecture.name)")
            }
        } else if architecture.trainingDefaults.requiresOptimizer {
            try fail("\(architecture.name) trains with minibatches and Adam: the configuration needs optimizer settings")
        }
    }
}
