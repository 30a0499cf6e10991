import Foundation

/// Speed of one network's training step (online SGD, or minibatch Adam for `lstm-modern`), measured on one core.
public struct ThroughputMeasurement: Codable, Sendable {
    /// Network name and topology, e.g. `lstm1997 6/6(1)`, or `lstm-modern 11 (forget-gate), batch 16`.
    public var network: String
    /// Number of weights.
    public var weights: Int
    /// Median training steps (sequence-steps for minibatch training) per second of thread CPU
    /// time over the repetitions.
    public var stepsPerSecond: Double
    /// Median nanoseconds per step.
    public var nanosecondsPerStep: Double
    /// Steps per repetition.
    public var steps: Int
    /// Repetitions measured (after one warm-up).
    public var repetitions: Int
}

/// CPU seconds used by the calling thread (unaffected by other processes' load, unlike wall time).
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Measures online training throughput: forward + learning rule + weight update per step, on
/// B14-like data (K = 128, J = 64), exactly the inner loop of ``MetaTrainer``. With `optimizer`
/// (required by `lstm-modern`) a step is one sequence-step of minibatch Adam training: forward,
/// full BPTT, and its share of the clipped Adam updates.
public enum Throughput {
    /// Measures `architecture` for `steps` steps per repetition; returns the median of `repetitions`.
    public static func measure(_ architecture: Architecture, steps: Int = 500_000, repetitions: Int = 5,
                               learningRate: Double = 0.001, seed: UInt64 = 1,
                               optimizer: OptimizerSettings? = nil) throws -> ThroughputMeasurement {
        let length = 64
        let sequences = max(1, steps / length)
        let configuration = TrainingConfiguration(
            seed: seed, family: .boolean(.b14, sampler: .iid),
            architecture: architecture, trainingSequences: sequences, sequenceLength: length,
            testSequences: 1, testLength: 1, epochs: repetitions + 1, learningRate: learningRate, optimizer: optimizer)
        let trainer = try MetaTrainer(configuration: configuration)
        var times: [Double] = []
        for repetition in 0...repetitions {
            let start = threadCPUSeconds()
            try trainer.runEpoch()
            let seconds = threadCPUSeconds() - start
            if repetition > 0 { times.append(seconds) }
        }
        let perRepetition = median(times)
        let total = sequences * length
        let batch = configuration.optimizer.map { ", batch \($0.batchSize)" } ?? ""
        return ThroughputMeasurement(network: "\(architecture.name) \(architecture.topology)\(batch)", weights: trainer.network.weightCount,
                                     stepsPerSecond: Double(total) / perRepetition,
                                     nanosecondsPerStep: perRepetition / Double(total) * 1e9,
                                     steps: total, repetitions: repetitions)
    }
}
