import Foundation

/// Everything needed to continue a run between two epochs (docs/method.md §8.1): the configuration,
/// the weights, the state of the shuffling stream, the epoch counter and the metric history.
/// Activations and traces are zero between epochs, and the data sets are regenerated from the
/// seed, so these suffice for a bit-identical continuation. Written as `model.json`.
///
/// Runs with minibatch Adam (``TrainingConfiguration/optimizer``) also store the optimizer's
/// state (``optimizerState``); the field is optional, so files written before it existed still
/// load with the same format version.
public struct Checkpoint: Codable, Equatable, Sendable {
    /// The format this build writes and reads.
    public static let currentFormatVersion = 1

    /// File format version.
    public var formatVersion: Int
    /// The package version that wrote the file.
    public var packageVersion: String
    /// The run's configuration.
    public var configuration: TrainingConfiguration
    /// Epochs completed.
    public var epoch: Int
    /// The weights in canonical order.
    public var weights: [Double]
    /// The four state words of the shuffling stream, as hexadecimal strings.
    public var shuffleState: [String]
    /// Evaluation history so far.
    public var history: [EvaluationRecord]
    /// Wall-clock seconds spent so far (training and evaluation).
    public var elapsedSeconds: Double
    /// Seconds spent in training steps only (for steps per second).
    public var trainingSeconds: Double
    /// Online training steps taken so far.
    public var stepsTaken: Int
    /// Adam's step count and moments, for runs trained with ``TrainingConfiguration/optimizer``; nil otherwise.
    public var optimizerState: AdamOptimizer?

    /// Encodes the checkpoint as pretty-printed JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Writes the checkpoint atomically (temporary file, then rename).
    public func write(to url: URL) throws {
        try writeFileAtomically(try encoded(), to: url)
    }

    /// Reads and validates a checkpoint.
    /// - Throws: `CheckpointError` for an unreadable, corrupt, truncated or inconsistent file.
    public static func load(from url: URL) throws -> Checkpoint {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CheckpointError.unreadable(path: url.path, reason: "the file cannot be opened")
        }
        return try decodeAndValidate(data: data, source: url.path)
    }

    /// Decodes the bytes of a `model.json` file and validates them (``validate()``): what
    /// ``load(from:)`` does once the file is read, for bytes from anywhere.
    ///
    /// No size in the bytes sizes anything before it is checked, so hostile input costs at most
    /// the network its own weight list describes (`NetworkLimits.maximumWeights`).
    /// - Parameter source: the file named in messages.
    /// - Throws: ``CheckpointError`` with a one-line description for bytes that are not JSON, not
    ///   a complete checkpoint, of another format version, or inconsistent.
    public static func decodeAndValidate(data: Data, source: String = "model.json") throws(CheckpointError) -> Checkpoint {
        let checkpoint: Checkpoint
        do { checkpoint = try JSONDecoder().decode(Checkpoint.self, from: data) } catch {
            if let version = try? JSONDecoder().decode(VersionProbe.self, from: data),
               version.formatVersion != currentFormatVersion {
                throw .unsupportedVersion(version.formatVersion)
            }
            throw .unreadable(path: source, reason: "not a complete MetaLearning checkpoint (\(Self.describe(error)))")
        }
        do { try checkpoint.validate() } catch let error as CheckpointError {
            throw error
        } catch {
            throw .invalidField("\(error)")
        }
        return checkpoint
    }

    /// Checks versions, shapes and values; every weight must lie within ±``DivergenceRule/weightBound``.
    /// - Throws: `CheckpointError`.
    public func validate() throws {
        guard formatVersion == Self.currentFormatVersion else { throw CheckpointError.unsupportedVersion(formatVersion) }
        // The sizes and the weight count first, so that a crafted file cannot make the
        // network (or its buffers) large before its weight list is found not to fit.
        let architecture = configuration.architecture
        do { try architecture.configuration.validate() } catch {
            throw CheckpointError.invalidField("its configuration is invalid: \(error)")
        }
        guard weights.count == architecture.configuration.weightCount else {
            throw CheckpointError.shapeMismatch(
                "\(architecture.name) \(architecture.topology) has \(architecture.configuration.weightCount) weights, the file has \(weights.count)")
        }
        do { try configuration.validate() } catch {
            throw CheckpointError.invalidField("its configuration is invalid: \(error)")
        }
        let network = try configuration.architecture.makeNetwork()
        guard weights.count == network.weightCount else {
            throw CheckpointError.shapeMismatch(
                "\(configuration.architecture.name) \(configuration.architecture.topology) has \(network.weightCount) weights, the file has \(weights.count)")
        }
        if let (index, value) = DivergenceRule.firstWeightOutOfBound(weights) {
            throw CheckpointError.invalidField(
                "weight \(index) is \(value), outside ±\(Int(DivergenceRule.weightBound)), the bound of every trained network (a corrupt file)")
        }
        guard epoch >= 0, epoch <= configuration.totalEpochs else {
            throw CheckpointError.invalidField("epoch \(epoch) outside 0...\(configuration.totalEpochs)")
        }
        _ = try shuffleGenerator()
        if let settings = configuration.optimizer {
            guard let optimizerState else {
                throw CheckpointError.invalidField("the run trains with Adam but the file holds no optimizer state")
            }
            try optimizerState.validate(parameterCount: network.weightCount)
            guard optimizerState.beta1 == settings.beta1, optimizerState.beta2 == settings.beta2,
                  optimizerState.epsilon == settings.epsilon else {
                throw CheckpointError.invalidField("the Adam state's β1, β2, ε differ from the configuration's")
            }
        }
    }

    /// The shuffling stream restored from ``shuffleState``.
    public func shuffleGenerator() throws -> Xoshiro256StarStar {
        let words = shuffleState.compactMap { UInt64($0, radix: 16) }
        guard words.count == 4 else { throw CheckpointError.invalidField("shuffle state must be four hexadecimal words") }
        return try Xoshiro256StarStar(state: words)
    }

    private struct VersionProbe: Decodable { var formatVersion: Int }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: return "invalid or truncated JSON"
        default: return "\(error)"
        }
    }
}

/// The version of this package, written into every run folder.
public let packageVersion = "0.1.0"
