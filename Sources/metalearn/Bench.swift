import ArgumentParser
import Foundation
import MetaLearning

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure training steps per second of each network on one core.",
        discussion: """
            Online SGD steps for the paper's networks; sequence-steps of minibatch Adam training \
            (forward, full BPTT, update) for lstm-modern and gru, at batch 16 and batch 128. \
            With --json: a JSON array of {network, weights, stepsPerSecond, ...}.
            """)

    @Option(help: "Steps per repetition.")
    var steps: Int = 400_000

    @Option(help: "Repetitions (the median is reported).")
    var repetitions: Int = 5

    @Option(help: "Only networks whose name contains this text, e.g. lstm1997 or rtrl.")
    var filter: String?

    @OptionGroup var output: JSONOption

    func validate() throws {
        guard steps >= 64 else { throw ValidationError("--steps must be at least 64") }
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1") }
        if chosenArchitectures.isEmpty {
            let names = Architecture.benchmarkSet.map(Self.name(of:)).joined(separator: ", ")
            throw ValidationError("no benchmark matches --filter '\(filter ?? "")' (the networks are \(names))")
        }
    }

    /// A network's name in the table and for --filter, e.g. `lstm1997 6/6(1)`.
    private static func name(of architecture: Architecture) -> String {
        "\(architecture.name) \(architecture.topology)"
    }

    /// The networks of the benchmark set whose name contains --filter.
    private var chosenArchitectures: [Architecture] {
        Architecture.benchmarkSet.filter { architecture in filter.map { Self.name(of: architecture).contains($0) } ?? true }
    }

    func run() throws {
        do {
            var results: [ThroughputMeasurement] = []
            if !output.json {
                print("network".padding(toLength: 42, withPad: " ", startingAt: 0) + " weights"
                      + "steps/s (CPU time)".leftPadded(to: 27) + "ns/step".leftPadded(to: 17))
            }
            for architecture in chosenArchitectures {
                let settings: [OptimizerSettings?]
                if architecture.trainingDefaults.requiresOptimizer {
                    settings = [OptimizerSettings(batchSize: 16), OptimizerSettings(batchSize: 128)]
                } else {
                    settings = [nil]
                }
                for optimizer in settings {
                    let measurement = try Throughput.measure(architecture, steps: steps, repetitions: repetitions, optimizer: optimizer)
                    results.append(measurement)
                    if !output.json {
                        print("\(measurement.network.padding(toLength: 42, withPad: " ", startingAt: 0)) \(String(measurement.weights).padding(toLength: 6, withPad: " ", startingAt: 0)) weights  \(String(format: "%10.0f", measurement.stepsPerSecond)) steps/s  \(String(format: "%7.1f", measurement.nanosecondsPerStep)) ns/step")
                    }
                }
            }
            if output.json { print(String(data: try RunFolder.json(results), encoding: .utf8)!) }
        } catch {
            throw failure(error)
        }
    }
}

private extension String {
    /// The string right-aligned in a field of `width` characters.
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
