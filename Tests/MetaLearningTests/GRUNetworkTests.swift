// The GRU network (`gru`): its configuration and file format, its forward pass against a plain
// Float64 reference of the documented equations, both gradients against central finite
// differences of the reference loss, and training through MetaTrainer. Public API only.

import Foundation
import XCTest
import MetaLearning

final class GRUNetworkTests: XCTestCase {
    private static let finiteDifferenceStep = 1e-6
    private static let gradientTolerance = 1e-6

    private static let shapes: [ReferenceGRU] = [
        ReferenceGRU(inputDimension: 1, cells: 2),
        ReferenceGRU(inputDimension: 2, cells: 3),
        ReferenceGRU(inputDimension: 3, cells: 5),
        ReferenceGRU(inputDimension: 2, cells: 4),
    ]

    private func makeNetwork(_ shape: ReferenceGRU) throws -> GRUNetwork {
        try GRUNetwork(configuration: .init(inputDimension: shape.inputDimension, cells: shape.cells))
    }

    // MARK: - Configuration and file format

    func testWeightCountIsThreeNTimesDPlusNPlusTwoPlusNPlusOne() throws {
        XCTAssertEqual(GRUNetwork.Configuration(), GRUNetwork.Configuration(inputDimension: 2, cells: 11))
        let paper = try GRUNetwork(configuration: .init())
        XCTAssertEqual(paper.weightCount, 507, "3·11·15 + 12")
        XCTAssertEqual(paper.inputCount, 3)
        for (d, n) in [(1, 1), (1, 2), (2, 3), (3, 5), (2, 11), (2, 35), (5, 7)] {
            let network = try GRUNetwork(configuration: .init(inputDimension: d, cells: n))
            XCTAssertEqual(network.weightCount, 3 * n * (d + n + 2) + n + 1, "d = \(d), n = \(n)")
            XCTAssertEqual(network.weightStorage.count, network.weightCount)
            XCTAssertEqual(GRUNetwork.Configuration(inputDimension: d, cells: n).weightCount, network.weightCount)
            XCTAssertEqual(network.inputCount, d + 1)
        }
    }

    func testArchitectureIsRegisteredAndDescribed() throws {
        let architecture = Architecture.gru(.init(cells: 7))
        XCTAssertEqual(architecture.name, "gru")
        XCTAssertEqual(architecture.topology, "7 (GRU)")
        XCTAssertEqual(architecture.description, "gru 7 (GRU)")
        XCTAssertEqual(architecture.trainingDefaults, .minibatchAdam)
        XCTAssertTrue(Architecture.registeredNames.contains("gru"))
        XCTAssertTrue(Architecture.configurationType(named: "gru") == GRUNetwork.Configuration.self)
        let network = try architecture.makeNetwork()
        XCTAssertTrue(network is GRUNetwork)
        XCTAssertEqual(network.architecture, architecture)
        XCTAssertNotEqual(architecture, .lstmModern(.init(cells: 7)))
    }

    func testJSONRoundTrip() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let architecture = Architecture.gru(.init(inputDimension: 2, cells: 3))
        let data = try encoder.encode(architecture)
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"{"configuration":{"cells":3,"inputDimension":2},"type":"gru"}"#)
        XCTAssertEqual(try JSONDecoder().decode(Architecture.self, from: data), architecture)
    }

    func testUnusableSizesAndUnknownTypesAreRejected() throws {
        for (d, n) in [(0, 3), (2, 0), (-1, 3), (2, -4), (2, NetworkLimits.maximumUnits + 1),
                       (NetworkLimits.maximumUnits + 1, 2), (1, 50_000), (Int.max, Int.max), (2, Int.max / 2)] {
            let configuration = GRUNetwork.Configuration(inputDimension: d, cells: n)
            XCTAssertThrowsError(try configuration.validate(), "d = \(d), n = \(n)") { error in
                XCTAssertTrue(error is ConfigurationError, "d = \(d), n = \(n): \(error)")
            }
            XCTAssertThrowsError(try GRUNetwork(configuration: configuration), "d = \(d), n = \(n)")
            XCTAssertThrowsError(try Architecture.gru(configuration).makeNetwork(), "d = \(d), n = \(n)")
        }
        // A file may carry any size: it decodes, and building the network rejects it.
        let huge = Data(#"{"configuration":{"cells":1000000,"inputDimension":2},"type":"gru"}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(Architecture.self, from: huge).makeNetwork())
        let unknown = Data(#"{"configuration":{"cells":3,"inputDimension":2},"type":"gru2"}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(Architecture.self, from: unknown))
    }

    func testInitializationDrawsOneUniformPerWeightInOrder() throws {
        let network = try GRUNetwork(configuration: .init())
        var generator = Xoshiro256StarStar(seed: 42)
        network.initializeWeights(using: &generator)
        var replay = Xoshiro256StarStar(seed: 42)
        let expected = (0..<507).map { _ in replay.nextUniform(in: -0.1, 0.1) }
        XCTAssertEqual(network.weightValues, expected)
        XCTAssertEqual(generator.nextUniform(in: 0, 1), replay.nextUniform(in: 0, 1), "exactly one draw per weight")
    }

    // MARK: - Forward pass

    func testForwardEqualsTheReferenceStepByStepAndResetRestarts() throws {
        var rng = Xoshiro256StarStar(seed: 9_001)
        for shape in Self.shapes {
            let network = try makeNetwork(shape)
            let weights = shape.randomWeights(&rng)
            try network.setWeights(weights)
            let set = randomSequenceSet(count: 1, length: 6, inputDimension: shape.inputDimension, &rng)
            let reference = shape.run(weights: weights, set: set, sequence: 0, initialPreviousTarget: 0.5)
            for pass in 0..<2 {
                network.reset()
                for t in 0..<set.length {
                    let o = network.step(networkInput(set, sequence: 0, step: t, initialPreviousTarget: 0.5), learning: pass == 1)
                    XCTAssertEqual(o, reference.outputs[t], accuracy: 1e-13, "\(shape), step \(t)")
                }
            }
        }
    }

    // MARK: - Gradients against finite differences

    func testSequenceGradientEqualsFiniteDifferences() throws {
        var rng = Xoshiro256StarStar(seed: 9_002)
        let cases: [(shape: Int, length: Int, sequences: [Int], count: Int)] = [
            (0, 3, [0], 1), (1, 6, [0, 1], 2), (2, 8, [2, 0, 1], 3), (3, 7, [1, 1], 2),
        ]
        for testCase in cases {
            let shape = Self.shapes[testCase.shape]
            let network = try makeNetwork(shape)
            let weights = shape.randomWeights(&rng)
            try network.setWeights(weights)
            let set = randomSequenceSet(count: testCase.count, length: testCase.length, inputDimension: shape.inputDimension, &rng)
            let y0 = rng.nextUniform(in: 0.05, 0.95)
            let label = "\(shape), J = \(testCase.length), sequences \(testCase.sequences)"
            // Leave the network mid-sequence: the call must start each sequence from reset.
            network.step(networkInput(set, sequence: 0, step: 0, initialPreviousTarget: 0.9), learning: true)

            var gradient = [Double](repeating: 0, count: network.weightCount)
            let squaredErrors = network.accumulateSequenceGradient(of: set, sequences: testCase.sequences,
                                                                    initialPreviousTarget: y0, into: &gradient)
            let loss = { (w: [Double]) in
                testCase.sequences.reduce(0.0) { $0 + shape.run(weights: w, set: set, sequence: $1, initialPreviousTarget: y0).halfSquaredErrors }
            }
            XCTAssertEqual(squaredErrors, 2 * loss(weights), accuracy: 1e-12, "\(label): returned Σe²")
            let fd = finiteDifferenceGradient(weights, loss: loss)
            assertGradientsAgree(gradient, fd, label)
            XCTAssertEqual(network.weightValues, weights, "\(label): the weights must not change")

            // Added into the buffer, not written over it.
            let offset = (0..<network.weightCount).map { Double($0 % 5) - 2 }
            var onTop = offset
            _ = network.accumulateSequenceGradient(of: set, sequences: testCase.sequences, initialPreviousTarget: y0, into: &onTop)
            for i in 0..<network.weightCount { XCTAssertEqual(onTop[i], offset[i] + gradient[i], accuracy: 1e-12) }
        }
    }

    func testStepInterfaceGivesTheExactGradientOfTheLastStepsError() throws {
        var rng = Xoshiro256StarStar(seed: 9_003)
        for (index, shape) in Self.shapes.enumerated() {
            let network = try makeNetwork(shape)
            let weights = shape.randomWeights(&rng)
            try network.setWeights(weights)
            let length = 3 + index
            let set = randomSequenceSet(count: 1, length: length, inputDimension: shape.inputDimension, &rng)
            let label = "\(shape), J = \(length)"
            var summed = [Double](repeating: 0, count: network.weightCount)
            var last = summed
            network.reset()
            for t in 0..<length {
                network.step(networkInput(set, sequence: 0, step: t, initialPreviousTarget: 0.5), learning: true)
                let target = set.target(sequence: 0, example: t)
                network.accumulateUpdate(target: target, scale: 1, into: &summed)
                if t == length - 1 { network.accumulateUpdate(target: target, scale: 0.5, into: &last) }
            }
            XCTAssertEqual(network.weightValues, weights, "\(label): a separate buffer leaves the weights alone")
            // The last call: 0.5·(−∂(½e(J)²)/∂w), through every recorded step.
            let fdLast = finiteDifferenceGradient(weights) { w in
                let e = shape.run(weights: w, set: set, sequence: 0, initialPreviousTarget: 0.5).errors[length - 1]
                return 0.5 * e * e
            }
            assertGradientsAgree(last.map { -2 * $0 }, fdLast, "\(label): step interface, last step")
            // Summed over the steps: −(the full-sequence gradient).
            let fd = finiteDifferenceGradient(weights) {
                shape.run(weights: $0, set: set, sequence: 0, initialPreviousTarget: 0.5).halfSquaredErrors
            }
            assertGradientsAgree(summed.map { -$0 }, fd, "\(label): step interface summed over the sequence")
        }
    }

    func testCarriedStateGradientTreatsTheStartStateAsAConstant() throws {
        var rng = Xoshiro256StarStar(seed: 9_004)
        let shape = Self.shapes[2]
        let network = try makeNetwork(shape)
        let weights = shape.randomWeights(&rng)
        try network.setWeights(weights)
        let set = randomSequenceSet(count: 3, length: 5, inputDimension: shape.inputDimension, &rng)
        let initial = network.initialCarriedState(initialPreviousTarget: 0.5)
        XCTAssertEqual(initial, CarriedState(hidden: [Double](repeating: 0, count: shape.cells), cell: [], previousTarget: 0.5))
        let sequences = [2, 0]
        var states = sequences.map { _ in
            CarriedState(hidden: (0..<shape.cells).map { _ in rng.nextUniform(in: -0.8, 0.8) }, cell: [],
                         previousTarget: rng.nextUniform(in: 0.1, 0.9))
        }
        let starts = states
        var gradient = [Double](repeating: 0, count: network.weightCount)
        let squaredErrors = network.accumulateSequenceGradient(of: set, sequences: sequences, carrying: &states, into: &gradient)
        let loss = { (w: [Double]) in
            zip(sequences, starts).reduce(0.0) { sum, pair in
                sum + shape.run(weights: w, set: set, sequence: pair.0, initialPreviousTarget: pair.1.previousTarget,
                                initialHidden: pair.1.hidden).halfSquaredErrors
            }
        }
        XCTAssertEqual(squaredErrors, 2 * loss(weights), accuracy: 1e-12)
        assertGradientsAgree(gradient, finiteDifferenceGradient(weights, loss: loss), "carried state")
        for (b, k) in sequences.enumerated() {
            let reference = shape.run(weights: weights, set: set, sequence: k, initialPreviousTarget: starts[b].previousTarget,
                                      initialHidden: starts[b].hidden)
            for q in 0..<shape.cells { XCTAssertEqual(states[b].hidden[q], reference.finalHidden[q], accuracy: 1e-13) }
            XCTAssertEqual(states[b].previousTarget, set.target(sequence: k, example: set.length - 1))
            XCTAssertTrue(states[b].cell.isEmpty)
        }
    }

    // MARK: - Training through MetaTrainer

    private func configuration(seed: UInt64 = 1, epochs: Int, withoutReset: Bool = false) throws -> TrainingConfiguration {
        var configuration = TrainingConfiguration(
            seed: seed, family: try FamilySpec(name: "b14"), architecture: .gru(.init(cells: 6)),
            trainingSequences: 64, sequenceLength: 32, testSequences: 32, epochs: epochs, learningRate: 0.01,
            evaluationInterval: epochs, optimizer: OptimizerSettings(batchSize: 16))
        if withoutReset { configuration.trainsWithoutReset = true }
        return configuration
    }

    private func train(_ trainer: MetaTrainer, epochs: Int) throws {
        for _ in 0..<epochs {
            try trainer.runEpoch()
            if trainer.evaluationDue { trainer.evaluate() }
        }
    }

    private func bits(_ trainer: MetaTrainer) -> [UInt64] { trainer.network.weightValues.map(\.bitPattern) }

    func testMetaTrainingOnB14LowersTestErrorAndIsReproducible() throws {
        let epochs = 12
        let untrained = try MetaTrainer(configuration: configuration(epochs: epochs))
        let before = untrained.evaluate().testMSEt
        let a = try MetaTrainer(configuration: configuration(epochs: epochs))
        let b = try MetaTrainer(configuration: configuration(epochs: epochs))
        try train(a, epochs: epochs)
        try train(b, epochs: epochs)
        let after = try XCTUnwrap(a.history.last?.testMSEt)
        print("GRU b14 test MSEt \(before) → \(after) after \(epochs) epochs")
        XCTAssertLessThan(after, 0.9 * before, "test MSEt \(before) → \(after)")
        XCTAssertEqual(bits(a), bits(b), "the same seed gives the same weights bit for bit")
        XCTAssertEqual(a.history.last?.testMSEt, b.history.last?.testMSEt)
        XCTAssertEqual(a.optimizerState?.step, epochs * 4)
    }

    func testCheckpointResumesBitForBitAndLoadsAsAModel() throws {
        let uninterrupted = try MetaTrainer(configuration: configuration(epochs: 4))
        try train(uninterrupted, epochs: 4)
        let first = try MetaTrainer(configuration: configuration(epochs: 4))
        try train(first, epochs: 2)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("metalearn-gru-\(UUID().uuidString).json")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try first.checkpoint().write(to: url)
        let second = try MetaTrainer(resumingFrom: Checkpoint.load(from: url))
        try train(second, epochs: 2)
        XCTAssertEqual(bits(second), bits(uninterrupted))

        try uninterrupted.checkpoint().write(to: url)
        let model = try LoadedModel(path: url.path)
        XCTAssertEqual(model.configuration.architecture, .gru(.init(cells: 6)))
        XCTAssertEqual(model.network.weightValues, uninterrupted.network.weightValues)
        let evaluation = try model.evaluateOnFreshTestSet(seed: 5, sequences: 8, length: 16)
        XCTAssertTrue(evaluation.testMSEt.isFinite)
        let stream = try SwitchingStream(family: FamilySpec(name: "b14"), switchEvery: 16, length: 64, seed: 3)
        let errors = stream.squaredErrors(of: model.network, resetAtSwitches: false, initialPreviousTarget: 0.5)
        XCTAssertEqual(errors.count, 64)
        XCTAssertTrue(errors.allSatisfy(\.isFinite))
    }

    func testTrainingWithoutResetCarriesTheStateAndIsReproducible() throws {
        let config = try configuration(epochs: 3, withoutReset: true)
        try config.validate()
        let a = try MetaTrainer(configuration: config), b = try MetaTrainer(configuration: config)
        try train(a, epochs: 3)
        try train(b, epochs: 3)
        XCTAssertEqual(bits(a), bits(b))
        let reset = try MetaTrainer(configuration: configuration(epochs: 3))
        try train(reset, epochs: 3)
        XCTAssertNotEqual(bits(a), bits(reset), "carrying the state changes the training")
        XCTAssertTrue(a.history.allSatisfy { $0.testMSEt.isFinite })
    }

    /// Steps per second of minibatch Adam training, GRU vs the forget-gate LSTM at the same n;
    /// runs only with GRU_THROUGHPUT=1 (it takes a while and its figures are printed, not checked).
    func testThroughputAgainstTheForgetGateLSTM() throws {
        guard ProcessInfo.processInfo.environment["GRU_THROUGHPUT"] == "1" else { throw XCTSkip("set GRU_THROUGHPUT=1") }
        for cells in [11, 35] {
            for architecture in [Architecture.gru(.init(cells: cells)), .lstmModern(.init(cells: cells))] {
                let m = try Throughput.measure(architecture, steps: 65_536, repetitions: 3, optimizer: OptimizerSettings(batchSize: 16))
                print(String(format: "THROUGHPUT %@ (%d weights): %.0f steps/s", m.network, m.weights, m.stepsPerSecond))
            }
        }
    }

    // MARK: - Helpers

    private func assertGradientsAgree(_ analytic: [Double], _ fd: [Double], _ what: String,
                                      file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(analytic.count, fd.count, what, file: file, line: line)
        var failures = 0
        for i in 0..<min(analytic.count, fd.count) {
            let g = analytic[i], f = fd[i]
            if !(abs(g - f) <= Self.gradientTolerance * max(1, abs(g), abs(f))) {
                if failures < 6 { XCTFail("\(what): weight \(i) analytic \(g) vs FD \(f)", file: file, line: line) }
                failures += 1
            }
        }
        XCTAssertEqual(failures, 0, "\(what): \(failures) of \(analytic.count) weights disagree", file: file, line: line)
        XCTAssertGreaterThan(fd.map(abs).max() ?? 0, 1e-4, "\(what): the FD gradient is (almost) zero", file: file, line: line)
    }

    private func finiteDifferenceGradient(_ weights: [Double], loss: ([Double]) -> Double) -> [Double] {
        let step = Self.finiteDifferenceStep
        var w = weights
        return (0..<weights.count).map { i in
            w[i] = weights[i] + step
            let plus = loss(w)
            w[i] = weights[i] - step
            let minus = loss(w)
            w[i] = weights[i]
            return (plus - minus) / (2 * step)
        }
    }
}

/// u(t) = (x(t), y(t−1)) of sequence `k`, step `t`, y(0) given.
private func networkInput(_ set: SequenceSet, sequence k: Int, step t: Int, initialPreviousTarget: Double) -> [Double] {
    Array(set.input(sequence: k, example: t)) + [t == 0 ? initialPreviousTarget : set.target(sequence: k, example: t - 1)]
}

/// Random inputs and targets in (0, 1), seeded.
private func randomSequenceSet(count: Int, length: Int, inputDimension: Int, _ rng: inout Xoshiro256StarStar) -> SequenceSet {
    let inputs = (0..<(count * length * inputDimension)).map { _ in rng.nextUniform(in: 0.01, 0.99) }
    let targets = (0..<(count * length)).map { _ in rng.nextUniform(in: 0.01, 0.99) }
    return SequenceSet(count: count, length: length, inputDimension: inputDimension, inputs: inputs, targets: targets,
                       functionIDs: [Int](repeating: -1, count: count))
}

/// The GRU of the documented equations and canonical layout, in plain Float64 loops with
/// Foundation's exp and tanh.
private struct ReferenceGRU: CustomStringConvertible {
    let inputDimension: Int
    let cells: Int
    var description: String { "GRU d = \(inputDimension), n = \(cells)" }
    var rowLength: Int { inputDimension + cells + 2 }
    var weightCount: Int { 3 * cells * rowLength + cells + 1 }

    func randomWeights(_ rng: inout Xoshiro256StarStar) -> [Double] {
        (0..<weightCount).map { _ in rng.nextUniform(in: -0.8, 0.8) }
    }

    struct Run {
        var outputs: [Double] = []
        var errors: [Double] = []
        var finalHidden: [Double] = []
        var halfSquaredErrors: Double { errors.reduce(0) { $0 + 0.5 * $1 * $1 } }
    }

    func run(weights w: [Double], set: SequenceSet, sequence k: Int, initialPreviousTarget: Double,
             initialHidden: [Double]? = nil) -> Run {
        let n = cells, s = rowLength
        func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        func row(_ block: Int, _ q: Int, _ source: [Double]) -> Double {
            let base = (block * n + q) * s
            var sum = w[base + s - 1]
            for j in 0..<(s - 1) { sum += w[base + j] * source[j] }
            return sum
        }
        var h = initialHidden ?? [Double](repeating: 0, count: n)
        var result = Run()
        for t in 0..<set.length {
            let u = networkInput(set, sequence: k, step: t, initialPreviousTarget: initialPreviousTarget)
            let r = (0..<n).map { sigmoid(row(0, $0, u + h)) }
            let z = (0..<n).map { sigmoid(row(1, $0, u + h)) }
            let rh = (0..<n).map { r[$0] * h[$0] }
            let hHat = (0..<n).map { tanh(row(2, $0, u + rh)) }
            h = (0..<n).map { (1 - z[$0]) * h[$0] + z[$0] * hHat[$0] }
            var a = w[3 * n * s + n]
            for q in 0..<n { a += w[3 * n * s + q] * h[q] }
            let o = sigmoid(a)
            result.outputs.append(o)
            result.errors.append(set.target(sequence: k, example: t) - o)
        }
        result.finalHidden = h
        return result
    }
}
