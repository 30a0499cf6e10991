import Foundation

/// One long stream whose function changes without notice every `switchEvery` steps
/// (`metalearn stream`; the paper's claim of non-stationary prediction, docs/method.md §3.6 item 16).
///
/// The stream is `segments` consecutive sequences of the family, each of `switchEvery`
/// examples from its own function. A learner runs through it once: it is reset only before the
/// first step, and at every step it receives x(t) and the true previous target y(t−1) — at a
/// switch, the last target of the old function.
public struct SwitchingStream: Sendable {
    /// The examples, segment after segment (a `SequenceSet` whose rows are the segments).
    public let segments: SequenceSet

    /// Draws `length` steps of `family`, switching function every `switchEvery` steps (the last
    /// segment may be shorter: the stream is cut at `length`).
    /// - Throws: `ConfigurationError/invalid(_:)` if `switchEvery` or `length` is below 1.
    public init(family: FamilySpec, switchEvery: Int, length: Int, seed: UInt64) throws {
        guard switchEvery >= 1 else { throw ConfigurationError.invalid("--switch-every must be at least 1 (got \(switchEvery))") }
        guard length >= 1 else { throw ConfigurationError.invalid("--length must be at least 1 (got \(length))") }
        var stream = Xoshiro256StarStar(masterSeed: seed, stream: .other)
        // Computed without overflow; a single segment is drawn only as long as the stream (the
        // examples beyond would never be used, and drawing fewer leaves the used ones the same).
        let count = length / switchEvery + (length % switchEvery == 0 ? 0 : 1)
        let segmentLength = count == 1 ? min(switchEvery, length) : switchEvery
        let functionFamily = family.makeFamily()
        try SequenceSet.checkSize(count: count, length: segmentLength, inputDimension: functionFamily.inputDimension,
                                  what: "the stream")
        segments = SequenceSet(family: functionFamily, count: count, length: segmentLength, using: &stream)
        self.switchEvery = switchEvery
        self.length = length
    }

    /// Steps in the stream.
    public let length: Int
    /// Steps between switches.
    public let switchEvery: Int
    /// The 0-based steps at which a new function starts (after the first).
    public var switchSteps: [Int] { Array(stride(from: switchEvery, to: length, by: switchEvery)) }

    /// Squared errors of `network` along the stream: never reset (`resetAtSwitches` false), or
    /// reset at every switch with y(0) = `initialPreviousTarget` (the oracle that is told when
    /// the function changes).
    public func squaredErrors(of network: some RecurrentNetwork, resetAtSwitches: Bool, initialPreviousTarget: Double) -> [Double] {
        var errors = [Double](repeating: 0, count: length)
        let stream = ExampleStream(dimension: segments.inputDimension, initialPreviousTarget: initialPreviousTarget,
                                   policy: resetAtSwitches ? .every(steps: switchEvery) : .never)
        errors.withUnsafeMutableBufferPointer { out in
            stream.forEachExample(inputs: segments.inputs, targets: segments.targets, sequences: CollectionOfOne(0..<length),
                                  reset: { network.reset() }) { u, t in
                let e = segments.targets[t] - network._forward(u, learning: false)
                out[t] = e * e
            }
        }
        return errors
    }

    /// Squared errors of a classical online learner run through the stream without a reset.
    public func squaredErrors<P: OnlinePredictor>(of predictor: inout P, initialPreviousTarget: Double) -> [Double] {
        var errors = [Double](repeating: 0, count: length)
        let d = segments.inputDimension
        let stream = ExampleStream(dimension: d, initialPreviousTarget: initialPreviousTarget, policy: .never)
        errors.withUnsafeMutableBufferPointer { out in
            stream.forEachExample(inputs: segments.inputs, targets: segments.targets, sequences: CollectionOfOne(0..<length),
                                  reset: { predictor.reset() }) { u, t in
                let e = segments.targets[t] - predictor.predict(input: UnsafeBufferPointer(start: u, count: d).span, previousTarget: u[d])
                out[t] = e * e
            }
        }
        return errors
    }
}

/// How quickly a learner recovers from the switches of a ``SwitchingStream``.
public struct SwitchRecovery: Codable, Equatable, Sendable {
    /// The learner's name.
    public var learner: String
    /// Mean squared error over the whole stream.
    public var cumulativeMSE: Double
    /// The steady level: mean squared error over the second halves of all full segments.
    public var steadyLevel: Double
    /// Recovery time after each switch: the number of steps after the switch until the 5-step
    /// rolling mean squared error first falls to at most twice the steady level (at least 1e−8);
    /// a segment that never recovers counts its full length.
    public var recoveryTimes: [Int]
    /// Switches after which the criterion was never met within the segment.
    public var unrecovered: Int
    /// The mean squared error over the first ``window`` steps after each measured switch: the
    /// level of a learner that has not yet seen the new function (nil in older files).
    public var earlyLevel: Double?

    /// Whether the learner learns within a segment: its steady level is below half its level
    /// right after a switch. A learner that does not (a net stuck at the constant predictor, say)
    /// meets the recovery criterion at once, because the criterion is relative to its own steady
    /// level; its recovery times say nothing and reports show it as not recovering.
    public var learnsWithinSegments: Bool {
        guard let earlyLevel, earlyLevel.isFinite, steadyLevel.isFinite else { return true }
        return steadyLevel < 0.5 * earlyLevel
    }

    /// The median recovery time.
    public var medianRecoveryTime: Double { median(recoveryTimes.map(Double.init)) }
    /// The mean recovery time.
    public var meanRecoveryTime: Double {
        recoveryTimes.isEmpty ? .nan : Double(recoveryTimes.reduce(0, +)) / Double(recoveryTimes.count)
    }

    /// The rolling window of the recovery criterion.
    public static let window = 5

    /// Measures recovery from the per-step squared errors of a stream switching every `switchEvery` steps.
    public init(learner: String, errors: [Double], switchEvery: Int) {
        self.learner = learner
        cumulativeMSE = errors.reduce(0, +) / Double(max(errors.count, 1))
        let fullSegments = errors.count / switchEvery
        var steadySum = 0.0
        var steadyCount = 0
        for s in 0..<fullSegments {
            for t in (s * switchEvery + switchEvery / 2)..<((s + 1) * switchEvery) {
                steadySum += errors[t]
                steadyCount += 1
            }
        }
        steadyLevel = steadyCount > 0 ? steadySum / Double(steadyCount) : .nan
        let level = max(2 * steadyLevel, 1e-8)
        var times: [Int] = []
        var never = 0
        var earlySum = 0.0
        var earlyCount = 0
        // Switches start segments 1, 2, …; only full segments are measured.
        for s in 1..<max(fullSegments, 1) {
            let start = s * switchEvery
            for offset in 0..<min(Self.window, switchEvery) {
                earlySum += errors[start + offset]
                earlyCount += 1
            }
            var recovered: Int?
            var windowSum = 0.0
            for offset in 0..<switchEvery {
                windowSum += errors[start + offset]
                if offset >= Self.window { windowSum -= errors[start + offset - Self.window] }
                if offset >= Self.window - 1 && windowSum / Double(Self.window) <= level {
                    recovered = offset + 1
                    break
                }
            }
            if let recovered { times.append(recovered) } else { times.append(switchEvery); never += 1 }
        }
        recoveryTimes = times
        unrecovered = never
        earlyLevel = earlyCount > 0 ? earlySum / Double(earlyCount) : nil
    }
}
