import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// the project's test plan "Baselines": the learning rules of the Table-1 baselines (docs/method.md §4.5) against finite
/// differences of a reference forward pass written here, independently of the networks' code.
final class BaselineGradientTests: XCTestCase {
    // MARK: - Reference model (docs/method.md §4.5), written plainly for the finite differences

    /// The shared architecture: z(t) = [u(t); h(t−1); 1], h(t) = σ(W z(t)), o(t) = σ(w^k·[h(t); 1]).
    struct Reference {
        let inputCount: Int
        let hiddenUnits: Int
        var sourceCount: Int { inputCount + hiddenUnits + 1 }
        var weightCount: Int { hiddenUnits * sourceCount + hiddenUnits + 1 }

        static func σ(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

        func hidden(_ w: [Double], input u: [Double], previous h: [Double]) -> [Double] {
            let z = u + h + [1]
            return (0..<hiddenUnits).map { i in
                Self.σ((0..<sourceCount).reduce(0.0) { $0 + w[i * sourceCount + $1] * z[$1] })
            }
        }

        func output(_ w: [Double], hidden h: [Double]) -> Double {
            let offset = hiddenUnits * sourceCount
            let v = h + [1]
            return Self.σ((0...hiddenUnits).reduce(0.0) { $0 + w[offset + $1] * v[$1] })
        }

        /// h(1)…h(J) of a full forward pass from h(0) = 0; element 0 is h(0).
        func hiddenStates(_ w: [Double], inputs: [[Double]]) -> [[Double]] {
            var states = [[Double](repeating: 0, count: hiddenUnits)]
            for u in inputs { states.append(hidden(w, input: u, previous: states.last!)) }
            return states
        }

        /// ½e(t)² (t is 1-based) when the forward pass restarts at step t − depth + 1 from the
        /// recorded h(t − depth) (a constant); depth ≥ t gives the true loss of step t.
        func stepLoss(_ w: [Double], inputs: [[Double]], targets: [Double], step t: Int, depth: Int,
                      recorded: [[Double]]) -> Double {
            let start = max(t - depth, 0)
            var h = start == 0 ? [Double](repeating: 0, count: hiddenUnits) : recorded[start]
            for s in (start + 1)...t { h = hidden(w, input: inputs[s - 1], previous: h) }
            let e = targets[t - 1] - output(w, hidden: h)
            return 0.5 * e * e
        }

        /// Central differences with ε = 1e−6 of `loss`, negated (the networks accumulate −∇).
        func negativeGradient(at w: [Double], _ loss: ([Double]) -> Double) -> [Double] {
            centralDifferenceGradient(at: w, step: 1e-6, loss).map { -$0 }
        }
    }

    // MARK: - Fixtures

    struct Problem {
        let weights: [Double]
        let inputs: [[Double]]
        let targets: [Double]
    }

    /// Weights U[−0.5, 0.5], inputs U[−1, 1], targets U[0, 1] (the project's test plan), from a fixed seed.
    func makeProblem(_ reference: Reference, steps: Int, seed: UInt64) -> Problem {
        var generator = Xoshiro256StarStar(seed: seed)
        let weights = (0..<reference.weightCount).map { _ in generator.nextUniform(in: -0.5, 0.5) }
        let inputs = (0..<steps).map { _ in (0..<reference.inputCount).map { _ in generator.nextUniform(in: -1, 1) } }
        let targets = (0..<steps).map { _ in generator.nextUnitInterval() }
        return Problem(weights: weights, inputs: inputs, targets: targets)
    }

    /// Runs a sequence with frozen weights from reset; `accumulateAt(t)` says whether step t's
    /// contribution (scale 1) is added. Returns the summed buffer.
    func accumulatedUpdate(_ network: any RecurrentNetwork, _ problem: Problem,
                           accumulateAt: (Int) -> Bool = { _ in true }) throws -> [Double] {
        try network.setWeights(problem.weights)
        network.reset()
        var buffer = [Double](repeating: 0, count: network.weightCount)
        for (index, input) in problem.inputs.enumerated() {
            _ = network.step(input, learning: true)
            if accumulateAt(index + 1) {
                network.accumulateUpdate(target: problem.targets[index], scale: 1, into: &buffer)
            }
        }
        XCTAssertEqual(network.weightValues, problem.weights, "accumulating into a separate buffer must not move the weights")
        return buffer
    }

    /// the project's test plan tolerance: |g − g_fd| ≤ 1e−6·max(1, |g|, |g_fd|) for every weight.
    func assertGradientsMatch(_ g: [Double], _ expected: [Double], tolerance: Double = 1e-6,
                              _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(g.count, expected.count, message, file: file, line: line)
        var failures = 0
        for k in 0..<min(g.count, expected.count) {
            let bound = tolerance * max(1, abs(g[k]), abs(expected[k]))
            if !(abs(g[k] - expected[k]) <= bound) {
                failures += 1
                if failures <= 5 {
                    XCTFail("\(message): weight \(k): \(g[k]) vs \(expected[k])", file: file, line: line)
                }
            }
        }
        XCTAssertEqual(failures, 0, "\(message): \(failures) weights out of tolerance", file: file, line: line)
    }

    func smallConfiguration(hiddenUnits: Int = 4) -> RecurrentBaselineConfiguration {
        RecurrentBaselineConfiguration(inputDimension: 2, hiddenUnits: hiddenUnits)
    }

    func reference(_ configuration: RecurrentBaselineConfiguration) -> Reference {
        Reference(inputCount: configuration.inputCount, hiddenUnits: configuration.hiddenUnits)
    }

    // MARK: - Gradient checks (the project's test plan "Baselines")

    /// Elman (docs/method.md §4.6): the accumulated update equals −∇ of the surrogate Σ_t ½e(t)² in
    /// which h(t−1) inside z(t) is the recorded value, a constant.
    func testElmanGradientMatchesSurrogateFiniteDifferences() throws {
        for (seed, steps) in [(UInt64(1), 3), (2, 6), (3, 8)] {
            let configuration = smallConfiguration()
            let ref = reference(configuration)
            let problem = makeProblem(ref, steps: steps, seed: seed)
            let recorded = ref.hiddenStates(problem.weights, inputs: problem.inputs)
            let expected = ref.negativeGradient(at: problem.weights) { w in
                (1...steps).reduce(0.0) {
                    $0 + ref.stepLoss(w, inputs: problem.inputs, targets: problem.targets, step: $1, depth: 1, recorded: recorded)
                }
            }
            let g = try accumulatedUpdate(ElmanNetwork(configuration: configuration), problem)
            assertGradientsMatch(g, expected, "Elman, seed \(seed)")
        }
    }

    /// BPTT(H) (docs/method.md §4.7), per step: step t's contribution alone equals −∇ of ½e(t)² with
    /// h(t−H) recorded. H = 2 is the paper's rule; H = 3 over 8 steps wraps the ring buffer.
    func testTruncatedGradientPerStepMatchesSurrogateFiniteDifferences() throws {
        for (truncation, steps, seed) in [(2, 5, UInt64(11)), (2, 8, 12), (3, 8, 13)] {
            let configuration = TruncatedBPTTNetwork.Configuration(inputDimension: 2, hiddenUnits: 4, truncation: truncation)
            let ref = reference(configuration.recurrent)
            let problem = makeProblem(ref, steps: steps, seed: seed)
            let recorded = ref.hiddenStates(problem.weights, inputs: problem.inputs)
            let network = try TruncatedBPTTNetwork(configuration: configuration)
            for t in 1...steps {
                let expected = ref.negativeGradient(at: problem.weights) {
                    ref.stepLoss($0, inputs: problem.inputs, targets: problem.targets, step: t, depth: truncation, recorded: recorded)
                }
                let g = try accumulatedUpdate(network, problem) { $0 == t }
                assertGradientsMatch(g, expected, "BPTT(\(truncation)), step \(t) of \(steps)")
            }
        }
    }

    /// The truncation is real (as the project's test plan asks for LSTM): for J ≥ 3 the summed BPTT(2) update
    /// differs from −∇ of the true loss beyond the tolerance for some weight.
    func testTruncatedGradientDiffersFromTrueGradient() throws {
        let configuration = TruncatedBPTTNetwork.Configuration(inputDimension: 2, hiddenUnits: 4, truncation: 2)
        let ref = reference(configuration.recurrent)
        let problem = makeProblem(ref, steps: 6, seed: 21)
        let trueGradient = ref.negativeGradient(at: problem.weights) { w in
            (1...6).reduce(0.0) { $0 + ref.stepLoss(w, inputs: problem.inputs, targets: problem.targets, step: $1, depth: $1, recorded: []) }
        }
        let g = try accumulatedUpdate(TruncatedBPTTNetwork(configuration: configuration), problem)
        let worst = zip(g, trueGradient).map { abs($0 - $1) / max(1, abs($0), abs($1)) }.max()!
        XCTAssertGreaterThan(worst, 1e-4)
    }

    /// BPTT(H ≥ J) summed over a sequence with frozen weights equals −∇ of the TRUE loss
    /// Σ_t ½e(t)² (h(0) = 0 the only constant).
    func testFullBPTTMatchesTrueLossFiniteDifferences() throws {
        for (truncation, steps, seed) in [(6, 6, UInt64(31)), (10, 7, 32), (8, 8, 33)] {
            let configuration = TruncatedBPTTNetwork.Configuration(inputDimension: 2, hiddenUnits: 4, truncation: truncation)
            let ref = reference(configuration.recurrent)
            let problem = makeProblem(ref, steps: steps, seed: seed)
            let expected = ref.negativeGradient(at: problem.weights) { w in
                (1...steps).reduce(0.0) { $0 + ref.stepLoss(w, inputs: problem.inputs, targets: problem.targets, step: $1, depth: $1, recorded: []) }
            }
            let g = try accumulatedUpdate(TruncatedBPTTNetwork(configuration: configuration), problem)
            assertGradientsMatch(g, expected, "BPTT(\(truncation)) over \(steps) steps")
        }
    }

    /// RTRL in batch mode (docs/method.md §4.8) equals −∇ of the true summed loss, and equals full BPTT.
    func testBatchRTRLMatchesTrueLossFiniteDifferencesAndFullBPTT() throws {
        // n = 5 leaves a row of P outside the four-row SIMD blocks; M·n = 45 leaves a column tail.
        for (hiddenUnits, steps, seed) in [(4, 3, UInt64(41)), (5, 6, 42), (4, 8, 43)] {
            let configuration = smallConfiguration(hiddenUnits: hiddenUnits)
            let ref = reference(configuration)
            let problem = makeProblem(ref, steps: steps, seed: seed)
            let expected = ref.negativeGradient(at: problem.weights) { w in
                (1...steps).reduce(0.0) { $0 + ref.stepLoss(w, inputs: problem.inputs, targets: problem.targets, step: $1, depth: $1, recorded: []) }
            }
            let g = try accumulatedUpdate(RTRLNetwork(configuration: configuration), problem)
            assertGradientsMatch(g, expected, "RTRL n = \(hiddenUnits) over \(steps) steps")
            let full = try accumulatedUpdate(TruncatedBPTTNetwork(configuration: .init(
                inputDimension: 2, hiddenUnits: hiddenUnits, truncation: steps)), problem)
            assertGradientsMatch(g, full, tolerance: 1e-12, "RTRL vs full BPTT, n = \(hiddenUnits)")
        }
    }

    /// Full BPTT with H > 64 grows its history during a long sequence and keeps the exact
    /// gradient (compared with RTRL), also for a second sequence after reset.
    func testFullBPTTHistoryGrowthKeepsExactGradient() throws {
        let configuration = smallConfiguration(hiddenUnits: 3)
        let ref = reference(configuration)
        let bptt = try TruncatedBPTTNetwork(configuration: .init(inputDimension: 2, hiddenUnits: 3, truncation: 1000))
        let rtrl = try RTRLNetwork(configuration: configuration)
        for (steps, seed) in [(150, UInt64(51)), (90, 52)] {
            let problem = makeProblem(ref, steps: steps, seed: seed)
            assertGradientsMatch(try accumulatedUpdate(bptt, problem), try accumulatedUpdate(rtrl, problem),
                                 tolerance: 1e-10, "BPTT(1000) vs RTRL over \(steps) steps")
        }
    }

    /// Online learning passes the weights as the buffer; every rule computes its error signals
    /// before writing, so the result equals accumulating the step separately and adding it
    /// (continual RTRL and online BPTT(H) included).
    func testOnlineUpdateEqualsSeparatelyAccumulatedStep() throws {
        let architectures: [Architecture] = [
            .elman(smallConfiguration()),
            .bptt(.init(inputDimension: 2, hiddenUnits: 4, truncation: 2)),
            .bptt(.init(inputDimension: 2, hiddenUnits: 4, truncation: 5)),
            .rtrl(smallConfiguration(hiddenUnits: 5)),
        ]
        for architecture in architectures {
            let ref = Reference(inputCount: architecture.inputDimension + 1, hiddenUnits: 4)
            let problem = makeProblem(ref, steps: 8, seed: 61)
            let online = try architecture.makeNetwork()
            let separate = try architecture.makeNetwork()
            var generator = Xoshiro256StarStar(seed: 62)
            let start = (0..<online.weightCount).map { _ in generator.nextUniform(in: -0.5, 0.5) }
            try online.setWeights(start)
            try separate.setWeights(start)
            var buffer = [Double](repeating: 0, count: online.weightCount)
            for sequence in 0..<2 {
                online.reset()
                separate.reset()
                for (index, input) in problem.inputs.enumerated() {
                    let target = problem.targets[index]
                    _ = online.learnOnline(input: input, target: target, learningRate: 0.3)
                    _ = separate.step(input, learning: true)
                    for k in buffer.indices { buffer[k] = 0 }
                    separate.accumulateUpdate(target: target, scale: 0.3, into: &buffer)
                    separate.applyUpdate(buffer)
                    // Equal up to the order of the additions into a weight (several terms per weight
                    // for BPTT(H > 1) and RTRL); a signal computed from already-updated weights
                    // would differ by O(α·|Δw|), many orders of magnitude more.
                    assertGradientsMatch(online.weightValues, separate.weightValues, tolerance: 1e-14,
                                         "\(architecture.name) \(architecture.topology): sequence \(sequence), step \(index + 1)")
                }
            }
            XCTAssertNotEqual(online.weightValues, start)
        }
    }

    // MARK: - Shapes, configuration, initialisation

    /// docs/method.md §4.5: 301, 501 and 151 weights for the paper's sizes; names and topologies.
    func testPaperConfigurationsHaveSpecWeightCounts() throws {
        let cases: [(Architecture, Int, String, String)] = [
            (.elman(.paperElman), 301, "elman", "15"),
            (.bptt(.paperBPTT2), 501, "bptt", "20, BPTT(2)"),
            (.rtrl(.paperRTRL), 151, "rtrl", "10"),
        ]
        for (architecture, count, name, topology) in cases {
            let network = try architecture.makeNetwork()
            XCTAssertEqual(network.weightCount, count, name)
            XCTAssertEqual(network.inputCount, 3, name)
            XCTAssertEqual(architecture.inputDimension, 2, name)
            XCTAssertEqual(architecture.name, name)
            XCTAssertEqual(architecture.topology, topology)
            XCTAssertEqual(network.architecture, architecture)
            let decoded = try JSONDecoder().decode(Architecture.self, from: JSONEncoder().encode(architecture))
            XCTAssertEqual(decoded, architecture)
        }
        let wide = try RTRLNetwork(configuration: .init(inputDimension: 5, hiddenUnits: 3))
        XCTAssertEqual(wide.inputCount, 6)
        XCTAssertEqual(wide.weightCount, 3 * (6 + 3 + 1) + 4)
    }

    /// Unusable sizes are rejected with a one-line ConfigurationError.
    func testInvalidConfigurationsAreRejected() {
        let invalid: [Architecture] = [
            .elman(.init(hiddenUnits: 0)),
            .rtrl(.init(inputDimension: 0, hiddenUnits: 10)),
            .bptt(.init(hiddenUnits: 20, truncation: 0)),
            .bptt(.init(hiddenUnits: -1, truncation: 2)),
        ]
        for architecture in invalid {
            XCTAssertThrowsError(try architecture.makeNetwork()) { error in
                guard case ConfigurationError.invalid(let message) = error else {
                    return XCTFail("expected ConfigurationError.invalid, got \(error)")
                }
                XCTAssertFalse(message.isEmpty)
                XCTAssertFalse(message.contains("\n"))
            }
        }
    }

    /// docs/method.md §4.1: one U[−0.1, 0.1] draw per weight in canonical order, nothing else consumed.
    func testInitializationDrawsOneUniformPerWeightInOrder() throws {
        for architecture in [Architecture.elman(.paperElman), .bptt(.paperBPTT2), .rtrl(.paperRTRL)] {
            let network = try architecture.makeNetwork()
            var generator = Xoshiro256StarStar(seed: 71)
            var expected = Xoshiro256StarStar(seed: 71)
            network.initializeWeights(using: &generator)
            let draws = (0..<network.weightCount).map { _ in expected.nextUniform(in: -0.1, 0.1) }
            XCTAssertEqual(network.weightValues, draws, architecture.name)
            XCTAssertEqual(generator, expected, architecture.name)
        }
    }

    /// Outputs follow the reference forward pass, and reset restores h(0) = 0.
    func testForwardMatchesReferenceAndResetRestartsSequence() throws {
        for architecture in [Architecture.elman(smallConfiguration()), .bptt(.init(hiddenUnits: 4, truncation: 2)),
                             .rtrl(smallConfiguration())] {
            let ref = Reference(inputCount: 3, hiddenUnits: 4)
            let problem = makeProblem(ref, steps: 5, seed: 81)
            let network = try architecture.makeNetwork()
            try network.setWeights(problem.weights)
            let states = ref.hiddenStates(problem.weights, inputs: problem.inputs)
            for _ in 0..<2 {
                network.reset()
                for (index, input) in problem.inputs.enumerated() {
                    let o = network.step(input, learning: index % 2 == 0)
                    XCTAssertEqual(o, ref.output(problem.weights, hidden: states[index + 1]), accuracy: 1e-14, architecture.name)
                }
            }
        }
    }

    // MARK: - Learning sanity (a meta-learning failure must not be a bug)

    /// Trains online on `makeSequence`'s data and returns the frozen-weight MSE on fresh data;
    /// steps whose target is nil are run but neither learned nor scored.
    func trainAndEvaluate(_ architecture: Architecture, learningRate: Double, sequences: Int, length: Int,
                          seed: UInt64, makeSequence: (inout Xoshiro256StarStar, Int) -> ([[Double]], [Double?])) throws -> Double {
        let network = try architecture.makeNetwork()
        var weightGenerator = Xoshiro256StarStar(seed: seed)
        network.initializeWeights(using: &weightGenerator)
        var data = Xoshiro256StarStar(seed: seed &+ 1)
        for _ in 0..<sequences {
            let (inputs, targets) = makeSequence(&data, length)
            network.reset()
            for (input, target) in zip(inputs, targets) {
                if let target {
                    network.learnOnline(input: input, target: target, learningRate: learningRate)
                } else {
                    network.step(input, learning: true)
                }
            }
        }
        var squaredError = 0.0, scored = 0
        for _ in 0..<50 {
            let (inputs, targets) = makeSequence(&data, length)
            network.reset()
            for (input, target) in zip(inputs, targets) {
                let o = network.step(input, learning: false)
                if let target {
                    squaredError += (target - o) * (target - o)
                    scored += 1
                }
            }
        }
        return squaredError / Double(scored)
    }

    /// Random bits (b1, b2, b3) per step.
    static func randomBits(_ generator: inout Xoshiro256StarStar, _ length: Int) -> [[Double]] {
        (0..<length).map { _ in (0..<3).map { _ in Double(generator.nextInt(below: 2)) } }
    }

    /// Elman learns a fixed Boolean function, AND(x1, x2), online (constant predictor: 0.1875).
    func testElmanLearnsAndFunctionOnline() throws {
        let mse = try trainAndEvaluate(.elman(.init(hiddenUnits: 3)), learningRate: 1.0, sequences: 300, length: 8,
                                       seed: 91) { generator, length in
            let inputs = Self.randomBits(&generator, length)
            return (inputs, inputs.map { $0[0] * $0[1] })
        }
        XCTAssertLessThan(mse, 0.01)
    }

    /// One-step delayed copy y(t) = b1(t−1): needs the recurrent path, which BPTT(2) and RTRL
    /// train (constant predictor: 0.25).
    func delayedCopy(_ generator: inout Xoshiro256StarStar, _ length: Int) -> ([[Double]], [Double?]) {
        let inputs = Self.randomBits(&generator, length)
        return (inputs, [nil] + inputs.dropLast().map { $0[0] })
    }

    /// BPTT(2) learns the one-step delayed copy online.
    func testTruncatedBPTTLearnsDelayedCopyOnline() throws {
        let mse = try trainAndEvaluate(.bptt(.init(hiddenUnits: 4, truncation: 2)), learningRate: 1.0, sequences: 600,
                                       length: 10, seed: 92, makeSequence: delayedCopy)
        XCTAssertLessThan(mse, 0.01)
    }

    /// Continual RTRL learns the one-step delayed copy online.
    func testRTRLLearnsDelayedCopyOnline() throws {
        let mse = try trainAndEvaluate(.rtrl(.init(hiddenUnits: 4)), learningRate: 1.0, sequences: 600,
                                       length: 10, seed: 93, makeSequence: delayedCopy)
        XCTAssertLessThan(mse, 0.01)
    }
}
