import Foundation

/// One option of `metalearn train`, named as on the command line without its dashes: the one
/// vocabulary shared by `train`'s options, `train --config` overrides, sweep files (their
/// `base`, `product` and `points` keys) and the columns of `metalearn collect`.
public enum TrainingOption: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// `--family`: the function family (``FamilySpec/knownNames``).
    case family
    /// `--dimension`: linreg's dimension d.
    case dimension
    /// `--switch-probability`: ar2's switch probability.
    case switchProbability = "switch-probability"
    /// `--arch`: the registered architecture (``Architecture/registeredNames``).
    case arch
    /// `--epochs`: total epochs.
    case epochs
    /// `--lr`: learning rate α.
    case lr
    /// `--seed`: master seed.
    case seed
    /// `-K`, `--sequences`: training sequences K.
    case sequences
    /// `-J`, `--length`: examples per sequence J.
    case length
    /// `--test-sequences`.
    case testSequences = "test-sequences"
    /// `--test-length`.
    case testLength = "test-length"
    /// `--hidden`: hidden units.
    case hidden
    /// `--truncation`: BPTT truncation depth H.
    case truncation
    /// `--blocks`: LSTM-1997 memory blocks.
    case blocks
    /// `--cells-per-block`: LSTM-1997 cells per block.
    case cellsPerBlock = "cells-per-block"
    /// `--cells`: cells of a gated layer (lstm-modern, gru).
    case cells
    /// `--batch-size`: minibatch size (minibatch architectures).
    case batchSize = "batch-size"
    /// `--clip`: global-norm clipping threshold (minibatch architectures).
    case clip
    /// `--second-layer`: units of LSTM-1997's second sigmoid layer.
    case secondLayer = "second-layer"
    /// `--curriculum EPOCHS:LENGTH`.
    case curriculum
    /// `--y0`: the previous-target input at the first step.
    case y0
    /// `--sampler`: the Boolean input sampler.
    case sampler
    /// `--input-range`: semil and quad's input range.
    case inputRange = "input-range"
    /// `--update`: online, batch or batch-epoch.
    case update
    /// `--eval-every`: evaluation interval in epochs.
    case evalEvery = "eval-every"
    /// `--no-reset`: train on one long stream.
    case noReset = "no-reset"
    /// `--fresh-functions`: K newly drawn functions every epoch.
    case freshFunctions = "fresh-functions"

    /// The kind of value an option takes.
    public enum ValueKind: Equatable, Sendable {
        /// A whole number.
        case integer
        /// A whole number ≥ 0 up to 2⁶³ − 1 (seeds).
        case seed
        /// A real number (a whole number is accepted too).
        case number
        /// Text; when `choices` is not nil, one of them.
        case text(choices: [String]?)
        /// true or false.
        case flag

        /// How the kind is named in error messages, e.g. `a whole number`.
        public var description: String {
            switch self {
            case .integer: return "a whole number"
            case .seed: return "a whole number ≥ 0"
            case .number: return "a number"
            case .text(let choices?): return "one of " + choices.map { "\"\($0)\"" }.joined(separator: ", ")
            case .text(nil): return "a string"
            case .flag: return "true or false"
            }
        }
    }

    /// The kind of value the option takes.
    public var kind: ValueKind {
        switch self {
        case .family: return .text(choices: FamilySpec.knownNames)
        case .arch: return .text(choices: Architecture.registeredNames)
        case .sampler: return .text(choices: BooleanInputSampler.allCases.map(\.rawValue))
        case .inputRange: return .text(choices: InputRange.allCases.map(\.rawValue))
        case .update: return .text(choices: UpdateMode.allCases.map(\.rawValue))
        case .curriculum: return .text(choices: nil)
        case .switchProbability, .lr, .clip, .y0: return .number
        case .seed: return .seed
        case .noReset, .freshFunctions: return .flag
        case .dimension, .epochs, .sequences, .length, .testSequences, .testLength, .hidden, .truncation, .blocks,
             .cellsPerBlock, .cells, .batchSize, .secondLayer, .evalEvery:
            return .integer
        }
    }

    /// The command-line spelling, e.g. `--lr`.
    public var flagName: String { "--\(rawValue)" }

    /// The name, e.g. `lr`.
    public var description: String { rawValue }
}

/// A scalar value of a sweep file or a collected table: a whole number, a real number, text or
/// a flag. Its ``description`` is the form used in run-folder names and table cells (numbers
/// in Swift's shortest round-trip form, e.g. `0.003`).
public enum OptionValue: Hashable, Sendable, CustomStringConvertible {
    /// A whole number.
    case integer(Int)
    /// A real number.
    case number(Double)
    /// Text.
    case text(String)
    /// true or false.
    case flag(Bool)

    /// The value as written in run-folder names and table cells, e.g. `0.003`.
    public var description: String {
        switch self {
        case .integer(let value): return String(value)
        case .number(let value): return "\(value)"
        case .text(let value): return value
        case .flag(let value): return value ? "true" : "false"
        }
    }

    /// How the value's JSON type is named in error messages, e.g. `a string`.
    public var kindDescription: String {
        switch self {
        case .integer: return "a whole number"
        case .number: return "a number"
        case .text: return "a string"
        case .flag: return "true or false"
        }
    }
}

/// The options of one run as `metalearn train` takes them, each nil when not given. Two uses:
/// ``makeConfiguration()`` builds a new run with the defaults of `train` for what is not given;
/// ``applied(to:)`` overrides the given fields of an existing configuration (`train --config`).
public struct TrainingOptions: Equatable, Sendable {
    /// The values given, by option.
    public private(set) var values: [TrainingOption: OptionValue] = [:]

    /// No option given.
    public init() {}

    /// The value given for `option`, or nil.
    public subscript(option: TrainingOption) -> OptionValue? { values[option] }

    /// Whether any option was given.
    public var isEmpty: Bool { values.isEmpty }

    /// Sets `option` to `value` after checking the value's type and, for options with a closed
    /// set of values, that it is one of them.
    /// - Throws: ``OptionValueError`` naming the expected kind.
    public mutating func set(_ option: TrainingOption, to value: OptionValue) throws(OptionValueError) {
        values[option] = try Self.checked(value, for: option)
    }

    /// Sets `option` from a command-line value if it is not nil (no check: the argument parser
    /// has typed it).
    public mutating func set(_ option: TrainingOption, _ value: Int?) { if let value { values[option] = .integer(value) } }
    /// Sets a real-valued option if `value` is not nil.
    public mutating func set(_ option: TrainingOption, _ value: Double?) { if let value { values[option] = .number(value) } }
    /// Sets a text option if `value` is not nil.
    public mutating func set(_ option: TrainingOption, _ value: String?) { if let value { values[option] = .text(value) } }
    /// Sets the seed if `value` is not nil (seeds above 2⁶³ − 1 are kept as text).
    public mutating func setSeed(_ value: UInt64?) {
        guard let value else { return }
        values[.seed] = value <= UInt64(Int.max) ? .integer(Int(value)) : .text(String(value))
    }
    /// Sets a flag if `value` is true.
    public mutating func setFlag(_ option: TrainingOption, _ value: Bool) { if value { values[option] = .flag(true) } }

    /// Checks a value against the option's ``TrainingOption/kind``; whole numbers become real
    /// numbers for real-valued options.
    static func checked(_ value: OptionValue, for option: TrainingOption) throws(OptionValueError) -> OptionValue {
        let kind = option.kind
        switch (kind, value) {
        case (.integer, .integer): return value
        case (.seed, .integer(let n)) where n >= 0: return value
        case (.number, .number(let x)) where x.isFinite: return value
        case (.number, .integer(let n)): return .number(Double(n))
        case (.flag, .flag): return value
        case (.text(nil), .text): return value
        case (.text(let choices?), .text(let text)):
            guard choices.contains(text) else { throw OptionValueError(option: option, expected: kind.description, found: "\"\(text)\"") }
            return value
        default:
            throw OptionValueError(option: option, expected: kind.description, found: value.kindDescription)
        }
    }

    private func integer(_ option: TrainingOption) -> Int? {
        if case .integer(let n)? = values[option] { return n }
        return nil
    }
    private func number(_ option: TrainingOption) -> Double? {
        switch values[option] {
        case .number(let x)?: return x
        case .integer(let n)?: return Double(n)
        default: return nil
        }
    }
    private func text(_ option: TrainingOption) -> String? {
        if case .text(let text)? = values[option] { return text }
        return nil
    }
    private var seed: UInt64? {
        switch values[.seed] {
        case .integer(let n)?: return UInt64(n)
        case .text(let text)?: return UInt64(text)
        default: return nil
        }
    }
    private var noReset: Bool { values[.noReset] == .flag(true) }
    private var freshFunctions: Bool { values[.freshFunctions] == .flag(true) }

    private var sizes: NetworkSizeOptions {
        NetworkSizeOptions(hiddenUnits: integer(.hidden), blocks: integer(.blocks), cellsPerBlock: integer(.cellsPerBlock),
                           secondLayerUnits: integer(.secondLayer), cells: integer(.cells), truncation: integer(.truncation))
    }

    private var sampler: BooleanInputSampler? { text(.sampler).flatMap(BooleanInputSampler.init(rawValue:)) }
    private var inputRange: InputRange? { text(.inputRange).flatMap(InputRange.init(rawValue:)) }
    private var update: UpdateMode? { text(.update).flatMap(UpdateMode.init(rawValue:)) }

    /// The configuration of a new run: `train`'s defaults (B14, LSTM-1997, 1000 epochs, seed 1,
    /// K = 128, the family's J, the architecture's learning rate and sizes) for every option
    /// not given; validated.
    /// - Throws: ``ConfigurationError`` with a one-line message naming the option at fault.
    public func makeConfiguration() throws(ConfigurationError) -> TrainingConfiguration {
        do {
            let familySpec = try FamilySpec(name: text(.family) ?? "b14", sampler: sampler ?? .iid, inputRange: inputRange ?? .symmetric,
                                            dimension: integer(.dimension), switchProbability: number(.switchProbability))
            let length = integer(.length) ?? familySpec.makeFamily().defaultSequenceLength
            let epochs = integer(.epochs) ?? 1000
            guard epochs >= 1 else { throw ConfigurationError.invalid("--epochs must be at least 1") }
            let architecture = try Architecture.named(text(.arch) ?? LSTM1997Network.Configuration.architectureName,
                                                      inputDimension: familySpec.makeFamily().inputDimension, sizes: sizes)
            let learningRate = number(.lr) ?? architecture.trainingDefaults.learningRate
            guard learningRate > 0, learningRate.isFinite else { throw ConfigurationError.invalid("--lr must be a positive number") }
            let optimizer = try optimizerSettings(for: architecture, base: nil)
            let phases = try curriculumPhases(epochs: epochs, length: length) ?? [TrainingPhase(epochs: epochs, length: length)]
            var configuration = TrainingConfiguration(
                seed: seed ?? 1, family: familySpec, architecture: architecture,
                trainingSequences: integer(.sequences) ?? TrainingConfiguration.defaultTrainingSequences, sequenceLength: length,
                testSequences: integer(.testSequences), testLength: integer(.testLength), phases: phases, learningRate: learningRate,
                updateMode: update ?? .online, initialPreviousTarget: number(.y0) ?? TrainingConfiguration.defaultInitialPreviousTarget,
                evaluationInterval: integer(.evalEvery), optimizer: optimizer)
            if noReset { configuration.trainsWithoutReset = true }
            if freshFunctions { configuration.trainsOnFreshFunctions = true }
            try configuration.validate()
            return configuration
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw .invalid("\(error)")
        }
    }

    /// `base` with the given options replacing its fields (the precedence of `train --config
    /// FILE` with options: an option given wins over the file, the file over any default).
    ///
    /// Each option changes only its own field: `--seed`, `--lr`, `-K`, `--test-sequences`,
    /// `--test-length`, `--y0`, `--update`, `--eval-every`, `--no-reset`, `--fresh-functions` directly; `-J` the
    /// sequence length and the last phase's length; `--epochs` the total (a curriculum keeps its
    /// first phase and the last phase takes the rest); `--curriculum` the phases. The family
    /// options keep the file's sampling options where they still apply. The network is rebuilt
    /// when `--arch` or a size option is given or the family's input dimension changes: with
    /// the same architecture the file's sizes are kept and the given ones replace theirs; a
    /// different architecture starts from its defaults. Optimizer settings are kept (with
    /// `--batch-size` and `--clip` applied), added with their defaults when the network now
    /// needs them and dropped when it does not. Nothing else (the preset label, the quick-budget
    /// mark, the test-set sizes) follows from another field.
    /// - Throws: ``ConfigurationError`` for an option that does not apply or an invalid result.
    public func applied(to base: TrainingConfiguration) throws(ConfigurationError) -> TrainingConfiguration {
        do {
            var configuration = base
            if let seed { configuration.seed = seed }
            let familyOptions: [TrainingOption] = [.family, .dimension, .switchProbability, .sampler, .inputRange]
            if familyOptions.contains(where: { values[$0] != nil }) {
                let name = text(.family) ?? base.family.name
                let same = name == base.family.name
                let carried = try base.family.transferred(to: name)
                configuration.family = try FamilySpec(
                    name: name, sampler: sampler ?? carried.sampler, inputRange: inputRange ?? carried.inputRange,
                    dimension: integer(.dimension) ?? (same ? base.family.dimension : nil),
                    switchProbability: number(.switchProbability) ?? (same ? base.family.switchProbability : nil))
            }
            let inputDimension = configuration.family.makeFamily().inputDimension
            if values[.arch] != nil || !sizes.given.isEmpty || inputDimension != base.architecture.inputDimension {
                let name = text(.arch) ?? base.architecture.name
                var sizes = self.sizes
                if name == base.architecture.name {
                    let kept = try Self.sizeOptions(of: base.architecture)
                    for option in NetworkSizeOptions.Option.allCases where sizes.value(of: option) == nil {
                        sizes.set(option, kept.value(of: option))
                    }
                }
                configuration.architecture = try Architecture.named(name, inputDimension: inputDimension, sizes: sizes)
            }
            configuration.optimizer = try optimizerSettings(for: configuration.architecture, base: base.optimizer)
            if let lr = number(.lr) {
                guard lr > 0, lr.isFinite else { throw ConfigurationError.invalid("--lr must be a positive number") }
                configuration.learningRate = lr
            }
            if let k = integer(.sequences) { configuration.trainingSequences = k }
            if let n = integer(.testSequences) { configuration.testSequences = n }
            if let n = integer(.testLength) { configuration.testLength = n }
            if let length = integer(.length) {
                configuration.sequenceLength = length
                configuration.phases[configuration.phases.count - 1].length = length
            }
            if let epochs = integer(.epochs), values[.curriculum] == nil {
                guard epochs >= 1 else { throw ConfigurationError.invalid("--epochs must be at least 1") }
                let earlier = configuration.phases.dropLast().reduce(0) { $0 + $1.epochs }
                guard epochs > earlier else {
                    throw ConfigurationError.invalid("--epochs \(epochs) leaves nothing for the last phase: the curriculum's first phases take \(earlier) epochs")
                }
                configuration.phases[configuration.phases.count - 1].epochs = epochs - earlier
            }
            if let phases = try curriculumPhases(epochs: integer(.epochs) ?? base.totalEpochs, length: configuration.sequenceLength) {
                configuration.phases = phases
            }
            if let y0 = number(.y0) { configuration.initialPreviousTarget = y0 }
            if let update { configuration.updateMode = update }
            if let interval = integer(.evalEvery) { configuration.evaluationInterval = interval }
            if noReset { configuration.trainsWithoutReset = true }
            if freshFunctions { configuration.trainsOnFreshFunctions = true }
            try configuration.validate()
            return configuration
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw .invalid("\(error)")
        }
    }

    /// Optimizer settings for `architecture`: `base`'s (or the defaults) with `--batch-size` and
    /// `--clip` applied when it trains with minibatch Adam; nil otherwise, where those two
    /// options are refused.
    private func optimizerSettings(for architecture: Architecture, base: OptimizerSettings?) throws -> OptimizerSettings? {
        let batchSize = integer(.batchSize), clip = number(.clip)
        guard architecture.trainingDefaults.requiresOptimizer else {
            for (name, given) in [("--batch-size", batchSize != nil), ("--clip", clip != nil)] where given {
                throw ConfigurationError.invalid("\(name) applies to architectures trained with minibatch Adam only, not to --arch \(architecture.name)")
            }
            return nil
        }
        var settings = base ?? OptimizerSettings()
        if let batchSize {
            guard batchSize >= 1 else { throw ConfigurationError.invalid("--batch-size must be at least 1, not \(batchSize)") }
            settings.batchSize = batchSize
        }
        if let clip {
            guard clip > 0, clip.isFinite else { throw ConfigurationError.invalid("--clip must be a positive number, not \(clip)") }
            settings.clipNorm = clip
        }
        return settings
    }

    /// The phases of `--curriculum EPOCHS:LENGTH` for a run of `epochs` epochs at length J, or
    /// nil when it is not given.
    private func curriculumPhases(epochs: Int, length: Int) throws -> [TrainingPhase]? {
        guard let curriculum = text(.curriculum) else { return nil }
        let parts = curriculum.split(separator: ":")
        guard parts.count == 2, let first = Int(parts[0]), let short = Int(parts[1]), first >= 1, first < epochs,
              short >= 1, short <= length else {
            throw ConfigurationError.invalid("--curriculum must be EPOCHS:LENGTH with EPOCHS < --epochs and LENGTH ≤ J, not '\(curriculum)'")
        }
        return [TrainingPhase(epochs: first, length: short), TrainingPhase(epochs: epochs - first, length: length)]
    }

    /// The size options that rebuild `architecture` with ``Architecture/named(_:inputDimension:sizes:)``.
    /// - Throws: ``ConfigurationError`` for an architecture whose sizes this build cannot read
    ///   back (it is then rebuilt only from options given in full).
    public static func sizeOptions(of architecture: Architecture) throws(ConfigurationError) -> NetworkSizeOptions {
        let configuration = architecture.configuration
        var sizes = NetworkSizeOptions()
        switch configuration {
        case let lstm as LSTM1997Network.Configuration:
            sizes = NetworkSizeOptions(hiddenUnits: lstm.layer.hiddenUnits, blocks: lstm.layer.blocks,
                                       cellsPerBlock: lstm.layer.cellsPerBlock, secondLayerUnits: lstm.secondLayerUnits)
        case let bptt as TruncatedBPTTNetwork.Configuration:
            sizes = NetworkSizeOptions(hiddenUnits: bptt.hiddenUnits, truncation: bptt.truncation)
        case let baseline as any RecurrentBaselineArchitecture:
            sizes = NetworkSizeOptions(hiddenUnits: baseline.sizes.hiddenUnits)
        case let gated as any GatedLayerConfiguration:
            sizes = NetworkSizeOptions(cells: gated.cells)
        default:
            break
        }
        guard let rebuilt = try? Architecture.named(architecture.name, inputDimension: architecture.inputDimension, sizes: sizes),
              rebuilt == architecture else {
            throw .invalid("the sizes of \(architecture) cannot be read back as options: give --arch with all its size options")
        }
        return sizes
    }

    /// The options that describe `configuration` (every field `train` can set), for tables and
    /// messages: family and its options, arch and its sizes, epochs, lr, seed, K, J, test sizes,
    /// the curriculum (`E:L`, or `E1:L1,E2:L2,…` for more phases), y0, update, eval-every,
    /// batch-size and clip (minibatch runs), no-reset, fresh-functions.
    public static func describing(_ configuration: TrainingConfiguration) -> TrainingOptions {
        var options = TrainingOptions()
        let family = configuration.family
        options.values[.family] = .text(family.name)
        if let d = family.dimension { options.values[.dimension] = .integer(d) }
        if let p = family.switchProbability { options.values[.switchProbability] = .number(p) }
        if family.isBoolean { options.values[.sampler] = .text(family.sampler.rawValue) }
        if case .semiLinear = family { options.values[.inputRange] = .text(family.inputRange.rawValue) }
        if case .quadratic = family { options.values[.inputRange] = .text(family.inputRange.rawValue) }
        options.values[.arch] = .text(configuration.architecture.name)
        if let sizes = try? sizeOptions(of: configuration.architecture) {
            let map: [(NetworkSizeOptions.Option, TrainingOption)] = [
                (.hidden, .hidden), (.blocks, .blocks), (.cellsPerBlock, .cellsPerBlock), (.secondLayer, .secondLayer),
                (.cells, .cells), (.truncation, .truncation),
            ]
            for (size, option) in map { if let value = sizes.value(of: size) { options.values[option] = .integer(value) } }
        }
        options.values[.epochs] = .integer(configuration.totalEpochs)
        options.values[.lr] = .number(configuration.learningRate)
        options.setSeed(configuration.seed)
        options.values[.sequences] = .integer(configuration.trainingSequences)
        options.values[.length] = .integer(configuration.sequenceLength)
        options.values[.testSequences] = .integer(configuration.testSequences)
        options.values[.testLength] = .integer(configuration.testLength)
        if configuration.phases.count > 1 {
            let phases = configuration.phases.count == 2 ? [configuration.phases[0]] : configuration.phases
            options.values[.curriculum] = .text(phases.map { "\($0.epochs):\($0.length)" }.joined(separator: ","))
        }
        options.values[.y0] = .number(configuration.initialPreviousTarget)
        if configuration.optimizer == nil { options.values[.update] = .text(configuration.updateMode.rawValue) }
        options.values[.evalEvery] = .integer(configuration.evaluationInterval)
        if let optimizer = configuration.optimizer {
            options.values[.batchSize] = .integer(optimizer.batchSize)
            options.values[.clip] = .number(optimizer.clipNorm)
        }
        options.values[.noReset] = .flag(configuration.trainsWithoutReset == true)
        options.values[.freshFunctions] = .flag(configuration.trainsOnFreshFunctions == true)
        return options
    }
}

/// A value of the wrong kind for a ``TrainingOption``.
public struct OptionValueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The option.
    public var option: TrainingOption
    /// What it takes, e.g. `a number`.
    public var expected: String
    /// What was found, e.g. `a string`.
    public var found: String

    /// The one-line message.
    public var description: String { "\(option) expects \(expected), not \(found)" }
}

extension NetworkSizeOptions {
    /// Sets `option` to `value`.
    mutating func set(_ option: Option, _ value: Int?) {
        switch option {
        case .hidden: hiddenUnits = value
        case .blocks: blocks = value
        case .cellsPerBlock: cellsPerBlock = value
        case .secondLayer: secondLayerUnits = value
        case .cells: cells = value
        case .truncation: truncation = value
        }
    }
}
