import Foundation

/// Meta-training: gradient descent over many sequences, each from its own random function
/// (docs/method.md §1.3, §2). Owns the network, the training and test sets and the shuffling stream.
///
/// An epoch is one pass over the K training sequences in a freshly shuffled order; the
/// network is reset before each sequence. Evaluation (frozen weights) and checkpoints happen
/// between epochs, where every activation and trace is zero, so a checkpoint taken there
/// continues bit for bit.
///
/// With ``TrainingConfiguration/optimizer`` set (docs/method.md §5.4), an epoch instead cuts the shuffled
/// order into consecutive minibatches of B sequences (the last one smaller if B does not divide
/// K) and takes one clipped Adam step per minibatch on the mean ½e² of its sequences and steps.
public final class MetaTrainer {
    /// The run's parameters.
    public let configuration: TrainingConfiguration
    /// The network being trained.
    public let network: any RecurrentNetwork
    /// The K training sequences at full length.
    public let trainingSet: SequenceSet
    /// The test sequences.
    public let testSet: SequenceSet
    /// Epochs completed.
    public private(set) var epoch: Int = 0
    /// Evaluations so far.
    public private(set) var history: [EvaluationRecord] = []
    /// Wall-clock seconds spent so far, including earlier sessions of a resumed run.
    public private(set) var elapsedSeconds: Double = 0
    /// Seconds spent in training steps only.
    public private(set) var trainingSeconds: Double = 0
    /// Online training steps taken.
    public private(set) var stepsTaken: Int = 0
    /// The online training error of the last epoch.
    public private(set) var lastOnlineError: Double = .nan

    private var shuffler: Xoshiro256StarStar
    private var phaseSets: [Int: SequenceSet] = [:]
    /// Fresh-function runs: the set of the epoch last asked for.
    private var freshSet: (epoch: Int, set: SequenceSet)?
    private var accumulator: [Double]
    private var order: [Int]
    private var adam: AdamOptimizer?
    private let sequenceNetwork: (any SequenceGradientNetwork)?

    /// The MSEt of the constant predictor 0.5 on the test set: the reference of the divergence
    /// check (``DivergenceRule``) and of the run's summary.
    public let constantPredictorMSEt: Double

    /// The Adam state of a minibatch run (nil for SGD runs); stored in every checkpoint.
    public var optimizerState: AdamOptimizer? { adam }

    /// Starts a new run: draws the initial weights and generates both data sets from the seed.
    public init(configuration: TrainingConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        let network = try configuration.architecture.makeNetwork()
        var weightStream = Xoshiro256StarStar(masterSeed: configuration.seed, stream: .weights)
        network.initializeWeights(using: &weightStream)
        self.network = network
        let family = configuration.family.makeFamily()
        if configuration.trainsOnFreshFunctions == true {
            trainingSet = Self.freshTrainingSet(configuration: configuration, epoch: 0, length: configuration.sequenceLength)
        } else {
            var trainingStream = Xoshiro256StarStar(masterSeed: configuration.seed, stream: .trainingData)
            trainingSet = SequenceSet(family: family, count: configuration.trainingSequences,
                                      length: configuration.sequenceLength, using: &trainingStream)
        }
        var testStream = Xoshiro256StarStar(masterSeed: configuration.seed, stream: .testData)
        testSet = SequenceSet(family: family, count: configuration.testSequences,
                              length: configuration.testLength, using: &testStream)
        constantPredictorMSEt = testSet.targets.reduce(0) { $0 + ($1 - 0.5) * ($1 - 0.5) } / Double(testSet.targets.count)
        shuffler = Xoshiro256StarStar(masterSeed: configuration.seed, stream: .shuffling)
        accumulator = [Double](repeating: 0, count: network.weightCount)
        order = Array(0..<configuration.trainingSequences)
        adam = configuration.optimizer?.makeOptimizer(parameterCount: network.weightCount)
        sequenceNetwork = network as? any SequenceGradientNetwork
    }

    /// Continues a run from a checkpoint.
    public convenience init(resumingFrom checkpoint: Checkpoint) throws {
        try checkpoint.validate()
        try self.init(configuration: checkpoint.configuration)
        try network.setWeights(checkpoint.weights)
        shuffler = try checkpoint.shuffleGenerator()
        epoch = checkpoint.epoch
        history = checkpoint.history
        elapsedSeconds = checkpoint.elapsedSeconds
        trainingSeconds = checkpoint.trainingSeconds
        stepsTaken = checkpoint.stepsTaken
        if configuration.optimizer != nil { adam = checkpoint.optimizerState }
        lastOnlineError = history.last?.onlineTrainingError ?? .nan
    }

    /// Whether every epoch has been run.
    public var isFinished: Bool { epoch >= configuration.totalEpochs }

    /// The training set as seen in the phase of the next epoch (the curriculum's prefix).
    public var currentTrainingSet: SequenceSet {
        trainingSet(forEpoch: min(epoch, configuration.totalEpochs - 1))
    }

    /// The training set as seen in (0-based) epoch `epochIndex`: the fixed set (or, in a
    /// curriculum phase, its prefix), or with fresh functions that epoch's own set.
    public func trainingSet(forEpoch epochIndex: Int) -> SequenceSet {
        let length = configuration.phase(atEpoch: epochIndex).phase.length
        if configuration.trainsOnFreshFunctions == true {
            if let freshSet, freshSet.epoch == epochIndex { return freshSet.set }
            let set = Self.freshTrainingSet(configuration: configuration, epoch: epochIndex, length: length)
            freshSet = (epochIndex, set)
            return set
        }
        if let cached = phaseSets[length] { return cached }
        let set = trainingSet.prefix(length: length)
        phaseSets[length] = set
        return set
    }

    /// The K sequences of length `length` of (0-based) epoch `epoch` in a fresh-function run,
    /// drawn from the generator seeded with s + 0x9E3779B97F4A7C15·6 + 0xD1B54A32D192ED03·(e + 1)
    /// (mod 2⁶⁴) for master seed s: a stream per epoch, independent of the run's other streams
    /// (docs/method.md §5.6).
    public static func freshTrainingSet(configuration: TrainingConfiguration, epoch: Int, length: Int) -> SequenceSet {
        let seed = configuration.seed &+ 0x9E37_79B9_7F4A_7C15 &* 6 &+ 0xD1B5_4A32_D192_ED03 &* UInt64(epoch + 1)
        var stream = Xoshiro256StarStar(seed: seed)
        return SequenceSet(family: configuration.family.makeFamily(), count: configuration.trainingSequences,
                           length: length, using: &stream)
    }

    /// The current state as a checkpoint.
    public func checkpoint() -> Checkpoint {
        Checkpoint(formatVersion: Checkpoint.currentFormatVersion, packageVersion: packageVersion,
                   configuration: configuration, epoch: epoch, weights: network.weightValues,
                   shuffleState: shuffler.stateWords.map { String($0, radix: 16) }, history: history,
                   elapsedSeconds: elapsedSeconds, trainingSeconds: trainingSeconds, stepsTaken: stepsTaken,
                   optimizerState: adam)
    }

    /// Runs one epoch of meta-training and returns its online training error.
    /// - Throws: ``DivergenceError`` if the training error becomes NaN or infinite or a weight
    ///   leaves ±``DivergenceRule/weightBound`` (checked after the epoch, reading only).
    @discardableResult
    public func runEpoch() throws -> Double {
        precondition(!isFinished, "runEpoch() called after the last epoch")
        let start = DispatchTime.now().uptimeNanoseconds
        let set = currentTrainingSet
        // A fresh permutation of 0..<K each epoch (docs/method.md §1.3).
        for i in 0..<order.count { order[i] = i }
        shuffler.shuffle(&order)
        let sum: Double
        if let settings = configuration.optimizer, let sequenceNetwork {
            sum = trainInMinibatches(on: set, settings: settings, network: sequenceNetwork)
        } else {
            sum = train(on: set)
        }
        let steps = set.count * set.length
        epoch += 1
        stepsTaken += steps
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        trainingSeconds += seconds
        elapsedSeconds += seconds
        lastOnlineError = sum / Double(steps)
        network.applyPendingUpdates()
        guard lastOnlineError.isFinite else {
            throw DivergenceError(epoch: epoch, cause: .nonFiniteTrainingError(lastOnlineError))
        }
        if let (index, value) = DivergenceRule.firstWeightOutOfBound(network.weightStorage.buffer) {
            throw DivergenceError(epoch: epoch, cause: .weightOutOfBound(index: index, value: value))
        }
        return lastOnlineError
    }

    /// One epoch of SGD with the architecture's own rule, through the example stream: reset
    /// before every sequence (or, without reset, only at the start of the epoch), the update
    /// applied at once (online), at the end of each sequence or at the end of the epoch.
    private func train(on set: SequenceSet) -> Double {
        let rate = configuration.learningRate
        let mode = configuration.updateMode
        let network = self.network
        let weights = network.weightStorage.base
        let weightCount = network.weightCount
        let stream = ExampleStream(dimension: set.inputDimension, initialPreviousTarget: configuration.initialPreviousTarget,
                                   policy: configuration.trainsWithoutReset == true ? .never : .everySequence)
        var sum = 0.0
        accumulator.withUnsafeMutableBufferPointer { acc in
            let accumulated = acc.baseAddress!
            let sequences = order.lazy.map { set.rows(ofSequence: $0) }
            stream.forEachExample(inputs: set.inputs, targets: set.targets, sequences: sequences, reset: { network.reset() },
                                  endOfSequence: { if mode == .batchSequence { Self.apply(acc, to: weights, count: weightCount) } }) { u, row in
                let target = set.targets[row]
                let output: Double
                if mode == .online {
                    output = network._learnOnline(u, target: target, learningRate: rate)
                } else {
                    output = network._forward(u, learning: true)
                    network._accumulateUpdate(target: target, scale: rate, into: accumulated)
                }
                let e = target - output
                sum += e * e
            }
            if mode == .batchEpoch { Self.apply(acc, to: weights, count: weightCount) }
        }
        return sum
    }

    /// One epoch of minibatch Adam (docs/method.md §5.4): per minibatch of the shuffled order, the summed
    /// full-BPTT gradient divided by (sequences in the batch · J), i.e. of the mean ½e², clipped to
    /// the global norm and applied by one Adam step. Returns Σe² over the epoch, each step's error
    /// measured with the weights before its minibatch's update.
    private func trainInMinibatches(on set: SequenceSet, settings: OptimizerSettings, network: any SequenceGradientNetwork) -> Double {
        let weights = network.weightStorage.buffer
        let y0 = configuration.initialPreviousTarget
        let rate = configuration.learningRate
        var sum = 0.0
        var start = 0
        // Without reset, lane b of every minibatch continues the stream of lane b of the previous
        // one (state carried, gradient truncated at each sequence start); all lanes start the
        // epoch from reset.
        let laneState = configuration.trainsWithoutReset == true ? network.initialCarriedState(initialPreviousTarget: y0) : nil
        var carried = [CarriedState](repeating: laneState ?? CarriedState(cells: 0, initialPreviousTarget: y0),
                                     count: settings.batchSize)
        while start < order.count {
            let end = min(start + settings.batchSize, order.count)
            let batch = Array(order[start..<end])
            let scale = 1 / Double(batch.count * set.length)
            accumulator.withUnsafeMutableBufferPointer { gradient in
                gradient.update(repeating: 0)
                if laneState != nil {
                    var states = Array(carried[0..<batch.count])
                    sum += network._accumulateSequenceGradient(of: set, sequences: batch, carrying: &states,
                                                               into: gradient.baseAddress!)
                    carried.replaceSubrange(0..<batch.count, with: states)
                } else {
                    sum += network._accumulateSequenceGradient(of: set, sequences: batch, initialPreviousTarget: y0,
                                                              into: gradient.baseAddress!)
                }
                for i in gradient.indices { gradient[i] *= scale }
                clipGlobalNorm(gradient, maxNorm: settings.clipNorm)
                adam!.update(weights, gradient: UnsafeBufferPointer(gradient), learningRate: rate)
            }
            start = end
        }
        return sum
    }

    private static func apply(_ accumulator: UnsafeMutableBufferPointer<Double>, to weights: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count {
            weights[i] += accumulator[i]
            accumulator[i] = 0
        }
    }

    /// Evaluates the frozen network on the training set (at the length of the phase of the
    /// epoch just completed) and on the test set, appends the record to ``history`` and returns it.
    @discardableResult
    public func evaluate() -> EvaluationRecord {
        let start = DispatchTime.now().uptimeNanoseconds
        let y0 = configuration.initialPreviousTarget
        let lastEpoch = max(epoch - 1, 0)
        let train = network.errors(on: trainingSet(forEpoch: lastEpoch), initialPreviousTarget: y0)
        let test = network.errors(on: testSet, initialPreviousTarget: y0)
        elapsedSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let phaseIndex = configuration.phase(atEpoch: lastEpoch).index
        let record = EvaluationRecord(epoch: epoch, phase: phaseIndex, onlineTrainingError: lastOnlineError,
                                      trainMSEt: train.meanSquaredErrorPerStep, testMSEt: test.meanSquaredErrorPerStep,
                                      elapsedSeconds: elapsedSeconds)
        history.append(record)
        return record
    }

    /// The divergence the history shows, if any: the last ``TrainingConfiguration/effectiveDivergencePatience``
    /// evaluations (or more) all had a test MSEt worse than the constant predictor's
    /// (``DivergenceRule/isWorseThanConstant(testMSEt:constant:)``). Nil when the check is off
    /// (patience 0). Reads the history only.
    public func divergenceShownByHistory() -> DivergenceError? {
        let patience = configuration.effectiveDivergencePatience
        guard patience > 0, let last = history.last else { return nil }
        let streak = DivergenceRule.trailingWorseEvaluations(in: history, constant: constantPredictorMSEt)
        guard streak >= patience else { return nil }
        return DivergenceError(epoch: epoch, cause: .worseThanConstantPredictor(
            evaluations: streak, testMSEt: last.testMSEt, constantMSEt: constantPredictorMSEt))
    }

    /// Whether an evaluation is due after the current epoch (every interval and at the end).
    public var evaluationDue: Bool {
        epoch % configuration.evaluationInterval == 0 || isFinished
            || configuration.phase(atEpoch: epoch).index != configuration.phase(atEpoch: max(epoch - 1, 0)).index
    }
}
