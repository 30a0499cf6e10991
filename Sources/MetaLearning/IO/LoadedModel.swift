import Foundation

/// A trained network loaded from a checkpoint, ready to be used with frozen weights.
public struct LoadedModel {
    /// The configuration the model was trained with.
    public let configuration: TrainingConfiguration
    /// The network with the checkpoint's weights.
    public let network: any RecurrentNetwork
    /// Epochs the model was trained for.
    public let epoch: Int

    /// Loads `path`, a `model.json` or a run folder containing one.
    /// - Throws: `CheckpointError` for a missing, corrupt, truncated or inconsistent file.
    public init(path: String) throws {
        var url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            url = RunFolder(url: url).modelURL
        }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CheckpointError.unreadable(path: url.path, reason: "no such file")
        }
        try self.init(checkpoint: try Checkpoint.load(from: url))
    }

    /// Loads a model from the bytes of a `model.json` file: decodes and validates them
    /// (``Checkpoint/decodeAndValidate(data:source:)``), builds the network and sets its weights —
    /// everything `eval` and `predict` do with the file before any data.
    /// - Parameter source: the file named in messages.
    /// - Throws: ``CheckpointError`` with a one-line description.
    public init(data: Data, source: String = "model.json") throws(CheckpointError) {
        try self.init(checkpoint: try Checkpoint.decodeAndValidate(data: data, source: source))
    }

    /// The network of a checkpoint with its weights.
    /// - Throws: ``CheckpointError`` if the checkpoint's architecture cannot be built or its
    ///   weights do not fit it (a validated checkpoint always fits).
    public init(checkpoint: Checkpoint) throws(CheckpointError) {
        configuration = checkpoint.configuration
        do {
            network = try configuration.architecture.makeNetwork()
            try network.setWeights(checkpoint.weights)
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw .invalidField("\(error)")
        }
        epoch = checkpoint.epoch
    }

    /// The result of evaluating a model on a fresh test set.
    public struct Evaluation: Codable, Sendable {
        /// Family with sampling options.
        public var family: String
        /// Architecture and topology.
        public var network: String
        /// Epochs the model was trained for.
        public var trainedEpochs: Int
        /// Seed of the fresh test set.
        public var seed: UInt64
        /// Number of sequences and their length.
        public var sequences: Int, length: Int
        /// Test MSEt.
        public var testMSEt: Double
        /// Subordinate measures (docs/method.md §3.3).
        public var subordinate: SubordinateMetrics
        /// Bayes floor on the same set where known.
        public var bayesMSEt: Double?
        /// MSEt of the constant predictor 0.5.
        public var constantPredictorMSEt: Double

        /// Checks that every figure is a finite number.
        /// - Throws: ``NonFiniteResultError`` naming the first that is not.
        public func checkFinite() throws(NonFiniteResultError) {
            try NonFiniteResultError.check(testMSEt, "the test MSEt")
            try NonFiniteResultError.check(subordinate.trainMSE, "the subordinate MSE")
            try NonFiniteResultError.check(constantPredictorMSEt, "the constant predictor's MSEt")
            if let bayesMSEt { try NonFiniteResultError.check(bayesMSEt, "the Bayes-optimal MSEt") }
        }

        /// A few human-readable lines.
        public var formatted: String {
            var lines = ["\(network) trained \(trainedEpochs) epochs on \(family)",
                         "fresh test set (seed \(seed)): \(sequences) sequences × \(length) examples",
                         String(format: "test MSEt %.6f   T sub ", testMSEt) + subordinate.trainTimeText
                            + "   MSE sub " + (subordinate.reachesThreshold ? String(format: "%.5f", subordinate.trainMSE) : "–")
                            + String(format: "   constant 0.5: %.4f", constantPredictorMSEt)]
            if let bayesMSEt { lines.append(String(format: "Bayes-optimal MSEt on the same set: %.6f", bayesMSEt)) }
            if let note = SubordinateMetrics.subordinateFootnote(for: [subordinate]) { lines.append(note) }
            return lines.joined(separator: "\n")
        }
    }

    /// Evaluates the model on a test set drawn from its family with the evaluation stream of
    /// `seed` (independent of the training and test streams of any run).
    /// - Throws: `ConfigurationError` for a test set beyond the size limits,
    ///   ``NonFiniteResultError`` if a figure of the result is not a finite number.
    public func evaluateOnFreshTestSet(seed: UInt64, sequences: Int? = nil, length: Int? = nil) throws -> Evaluation {
        let count = sequences ?? configuration.testSequences
        let examples = length ?? configuration.testLength
        try SequenceSet.checkSize(count: count, length: examples, inputDimension: configuration.architecture.inputDimension,
                                  what: "the test set")
        var stream = Xoshiro256StarStar(masterSeed: seed, stream: .other)
        let set = SequenceSet(family: configuration.family.makeFamily(), count: count, length: examples, using: &stream)
        let y0 = configuration.initialPreviousTarget
        let errors = network.errors(on: set, initialPreviousTarget: y0)
        let constant = set.targets.reduce(0) { $0 + ($1 - 0.5) * ($1 - 0.5) } / Double(set.targets.count)
        let evaluation = Evaluation(family: configuration.family.description,
                                    network: "\(configuration.architecture.name) \(configuration.architecture.topology)",
                                    trainedEpochs: epoch, seed: seed, sequences: count, length: examples,
                                    testMSEt: errors.meanSquaredErrorPerStep, subordinate: SubordinateMetrics(errors: errors),
                                    bayesMSEt: bayesFloor(family: configuration.family, testSet: set, initialPreviousTarget: y0)?.value,
                                    constantPredictorMSEt: constant)
        try evaluation.checkFinite()
        return evaluation
    }

    /// Streams a user's table through the network: reset at the start of every sequence run,
    /// input (x(j), y(j−1)) with y(0) = `initialPreviousTarget` (default: the model's), and
    /// returns the prediction made for each row before its y was seen.
    public func predict(_ table: ExampleTable, initialPreviousTarget: Double? = nil) -> [Double] {
        let y0 = initialPreviousTarget ?? configuration.initialPreviousTarget
        var outputs = [Double](repeating: 0, count: table.targets.count)
        let stream = ExampleStream(dimension: table.inputDimension, initialPreviousTarget: y0, policy: .everySequence)
        let network = self.network
        outputs.withUnsafeMutableBufferPointer { out in
            stream.forEachExample(inputs: table.inputs, targets: table.targets, sequences: table.sequenceRanges,
                                  reset: { network.reset() }) { u, row in
                out[row] = network._forward(u, learning: false)
            }
        }
        return outputs
    }
}
