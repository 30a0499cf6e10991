// Independent tests of the LSTM-1997 learning rule (docs/method.md §4.2, §4, §7 "LSTM-1997").
//
// Everything below the test class is a reference implementation written from the specification alone
// (not from the library's sources): a forward pass (§3.2, §4.2) that can optionally hold the
// recorded previous-step activations a1(t−1), a2(t−1) constant (the surrogate of §3.3/§7.2),
// and an analytic implementation of the truncated rule (§3.4, §4.3). The network under test
// is compared against finite differences of that forward pass and against the analytic rule.

import XCTest
import MetaLearning
import MetaLearningTestSupport

final class LSTM1997GradientTests: XCTestCase {

    // MARK: - Nets under test

    /// Small and paper-sized nets. The small ones exercise cellsPerBlock = 2, inputDimension = 3
    /// and the two-layer wiring (§4) at a size where finite differences over all weights are cheap.
    private static let gradientShapes: [ReferenceShape] = [
        ReferenceShape(name: "6/6(1)", inputDimension: 2, hiddenUnits: 6, blocks: 6, cellsPerBlock: 1, secondLayerUnits: 0),
        ReferenceShape(name: "2/2(2), d=3", inputDimension: 3, hiddenUnits: 2, blocks: 2, cellsPerBlock: 2, secondLayerUnits: 0),
        ReferenceShape(name: "2/3(1)+4", inputDimension: 2, hiddenUnits: 2, blocks: 3, cellsPerBlock: 1, secondLayerUnits: 4),
        ReferenceShape(name: "2/2(2)+3, d=3", inputDimension: 3, hiddenUnits: 2, blocks: 2, cellsPerBlock: 2, secondLayerUnits: 3),
    ]

    private static let paperTwoLayerShape = ReferenceShape(
        name: "6/12(1)+40", inputDimension: 2, hiddenUnits: 6, blocks: 12, cellsPerBlock: 1, secondLayerUnits: 40)

    private static let finiteDifferenceStep = 1e-6
    private static let gradientTolerance = 1e-6

    // MARK: - §7.6 weight counts and initialisation

    func testWeightCountsAre685And5373AndMatchTheTopologyFormula() throws {
        let single = try LSTM1997Network(configuration: .paperSingleLayer)
        XCTAssertEqual(single.weightCount, 685, "6/6(1) must have 685 weights (docs/method.md §4.2)")
        XCTAssertEqual(single.weightStorage.count, 685)
        XCTAssertEqual(single.inputCount, 3)

        let two = try LSTM1997Network(configuration: .paperTwoLayer)
        XCTAssertEqual(two.weightCount, 5373, "6/12(1)+40 must have 5373 weights (docs/method.md §4.4)")
        XCTAssertEqual(two.weightStorage.count, 5373)
        XCTAssertEqual(two.inputCount, 3)

        for shape in Self.gradientShapes + [Self.paperTwoLayerShape] {
            let network = try shape.makeNetwork()
            XCTAssertEqual(network.weightCount, shape.weightCount, "weight count of \(shape.name)")
            XCTAssertEqual(network.inputCount, shape.inputDimension + 1, "input count of \(shape.name)")
        }
    }

    func testInitializationSetsInputGateBiasesToMinusOneAndEverythingElseWithinPointOne() throws {
        for (index, shape) in ([Self.gradientShapes[0], Self.paperTwoLayerShape] + Self.gradientShapes.dropFirst()).enumerated() {
            let network = try shape.makeNetwork()
            var generator = Xoshiro256StarStar(seed: 1000 + UInt64(index))
            network.initializeWeights(using: &generator)
            let biasIndices = Set(shape.inputGateBiasIndices)
            XCTAssertEqual(biasIndices.count, shape.blocks)
            var minimum = Double.infinity
            var maximum = -Double.infinity
            for i in 0..<shape.weightCount {
                let w = network.weightStorage[i]
                if biasIndices.contains(i) {
                    XCTAssertEqual(w, -1.0, "\(shape.name): input-gate bias \(shape.describe(weight: i)) must start at −1.0")
                } else {
                    XCTAssertTrue(w >= -0.1 && w <= 0.1,
                                  "\(shape.name): \(shape.describe(weight: i)) = \(w) outside [−0.1, 0.1]")
                    minimum = min(minimum, w)
                    maximum = max(maximum, w)
                }
            }
            if shape.weightCount > 500 {
                // i.i.d. uniform: hundreds of draws must spread over the interval.
                XCTAssertLessThan(minimum, -0.09, "\(shape.name): weights do not look U[−0.1, 0.1]")
                XCTAssertGreaterThan(maximum, 0.09, "\(shape.name): weights do not look U[−0.1, 0.1]")
            }
        }
    }

    /// docs/method.md §4.2: weights are drawn in canonical order, one draw per weight (the input-gate bias
    /// is drawn and then overwritten), from U[−0.1, 0.1].
    func testInitializationDrawsOneUniformPerWeightInCanonicalOrder() throws {
        for shape in [Self.gradientShapes[0], Self.paperTwoLayerShape, Self.gradientShapes[3]] {
            let network = try shape.makeNetwork()
            var generator = Xoshiro256StarStar(seed: 77)
            network.initializeWeights(using: &generator)

            var expected = Xoshiro256StarStar(seed: 77)
            let biasIndices = Set(shape.inputGateBiasIndices)
            var mismatches = 0
            for i in 0..<shape.weightCount {
                let draw = expected.nextUniform(in: -0.1, 0.1)
                let value = biasIndices.contains(i) ? -1.0 : draw
                if abs(network.weightStorage[i] - value) > 1e-15 {
                    if mismatches < 5 {
                        XCTFail("\(shape.name): weight \(shape.describe(weight: i)) = \(network.weightStorage[i]), expected draw #\(i) = \(value)")
                    }
                    mismatches += 1
                }
            }
            XCTAssertEqual(mismatches, 0, "\(shape.name): \(mismatches) weights differ from canonical-order draws")
            XCTAssertEqual(generator, expected, "\(shape.name): initialisation must consume exactly one draw per weight")
        }
    }

    // MARK: - Topology / ordering

    /// The network's forward pass equals the reference forward pass of docs/method.md §4.2 / §4.2 (outputs,
    /// hidden-layer activations in canonical order, cell states), so the weight layout matches §3.7.
    func testForwardPassMatchesReferenceTopologyAndWeightOrder() throws {
        var rng = Xoshiro256StarStar(seed: 11)
        for shape in Self.gradientShapes + [Self.paperTwoLayerShape] {
            let network = try shape.makeNetwork()
            let weights = shape.randomWeights(&rng, scale: 0.5)
            network.gradTestLoad(weights)
            let sequence = ReferenceSequence.random(inputDimension: shape.inputDimension, length: 7, &rng)
            let record = shape.forward(weights: weights, inputs: sequence.inputs)

            for pass in 0..<2 {
                network.reset()
                for t in 0..<sequence.length {
                    let learning = pass == 0
                    let o = network.gradTestStep(sequence.inputs[t], learning: learning)
                    XCTAssertEqual(o, record.outputs[t], accuracy: 1e-12, "\(shape.name): o(\(t + 1)), learning: \(learning)")
                    for r in 0..<shape.layer1Units {
                        XCTAssertEqual(network.layer.activation[r], record.a1[t][r], accuracy: 1e-12,
                                       "\(shape.name): a1(\(t + 1)) unit \(shape.describe(unit: r))")
                    }
                    for c in 0..<shape.cells {
                        XCTAssertEqual(network.layer.cellState[c], record.states[t][c], accuracy: 1e-12,
                                       "\(shape.name): s_c(\(t + 1)) cell \(c)")
                    }
                    if learning {
                        var scratch = [Double](repeating: 0, count: shape.weightCount)
                        network.gradTestAccumulate(target: sequence.targets[t], scale: 1, into: &scratch)
                    }
                }
            }
            // The batch accumulation must not have touched the live weights.
            for i in 0..<shape.weightCount {
                XCTAssertEqual(network.weightStorage[i], weights[i], "\(shape.name): accumulating into a separate buffer changed a weight")
            }
        }
    }

    func testResetClearsStateTracesAndActivations() throws {
        var rng = Xoshiro256StarStar(seed: 12)
        for shape in Self.gradientShapes {
            let network = try shape.makeNetwork()
            let weights = shape.randomWeights(&rng, scale: 0.5)
            network.gradTestLoad(weights)
            let sequence = ReferenceSequence.random(inputDimension: shape.inputDimension, length: 4, &rng)
            var scratch = [Double](repeating: 0, count: shape.weightCount)
            network.reset()
            for t in 0..<sequence.length {
                _ = network.gradTestStep(sequence.inputs[t], learning: true)
                network.gradTestAccumulate(target: sequence.targets[t], scale: 1, into: &scratch)
            }
            network.reset()
            for r in 0..<shape.layer1Units { XCTAssertEqual(network.layer.activation[r], 0, "\(shape.name): activation after reset") }
            for c in 0..<shape.cells { XCTAssertEqual(network.layer.cellState[c], 0, "\(shape.name): cell state after reset") }
            for k in 0..<(shape.cells * shape.sourceCount) {
                XCTAssertEqual(network.layer.cellTrace[k], 0, "\(shape.name): cell trace after reset")
                XCTAssertEqual(network.layer.inputGateTrace[k], 0, "\(shape.name): input-gate trace after reset")
            }
            // A second run from reset reproduces the first.
            let record = shape.forward(weights: weights, inputs: sequence.inputs)
            for t in 0..<sequence.length {
                XCTAssertEqual(network.gradTestStep(sequence.inputs[t], learning: true), record.outputs[t], accuracy: 1e-12)
                network.gradTestAccumulate(target: sequence.targets[t], scale: 1, into: &scratch)
            }
        }
    }

    // MARK: - §7.1 one-step sequences

    func testOneStepUpdateEqualsNegativeFiniteDifferenceGradientOfHalfSquaredError() throws {
        var rng = Xoshiro256StarStar(seed: 21)
        for shape in Self.gradientShapes {
            for _ in 0..<2 {
                let network = try shape.makeNetwork()
                let weights = shape.randomWeights(&rng, scale: 0.5)
                network.gradTestLoad(weights)
                let sequence = ReferenceSequence.random(inputDimension: shape.inputDimension, length: 1, &rng)
                let update = network.gradTestBatchUpdate(sequence)
                let fd = finiteDifferenceGradient(weights) { shape.trueLoss(weights: $0, sequence: sequence) }
                assertGradientsMatch(update.map { -$0 }, fd, shape: shape,
                                     what: "one-step update vs −FD of ½e(1)²")
            }
        }
    }

    // MARK: - §7.2 multi-step, surrogate loss

    func testTruncatedGradientMatchesSurrogateFiniteDifferences() throws {
        var rng = Xoshiro256StarStar(seed: 31)
        for shape in Self.gradientShapes {
            for length in [3, 8] {
                let network = try shape.makeNetwork()
                let weights = shape.randomWeights(&rng, scale: 0.5)
                network.gradTestLoad(weights)
                let sequence = ReferenceSequence.random(inputDimension: shape.inputDimension, length: length, &rng)
                let update = network.gradTestBatchUpdate(sequence)
                let recorded = shape.forward(weights: weights, inputs: sequence.inputs)
                let fd = finiteDifferenceGradient(weights) {
                    shape.surrogateLoss(weights: $0, sequence: sequence, recorded: recorded)
                }
                assertGradientsMatch(update.map { -$0 }, fd, shape: shape,
                                     what: "J=\(length) batch truncated update vs −FD of surrogate loss")
            }
        }
    }

    /// Sanity check of this file's own analytic reference of §3.4 / §4.3 (so that the online test
    /// below, which compares against it, is meaningful).
    func testReferenceRuleMatchesSurrogateFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 32)
        for shape in Self.gradientShapes {
            let weights = shape.randomWeights(&rng, scale: 0.5)
            let sequence = ReferenceSequence.random(inputDimension: shape.inputDimension, length: 5, &rng)
            let learner = ReferenceLearner(shape: shape, weights: weights)
            var sum = [Double](repeating: 0, count: shape.weightCount)
            for t in 0..<sequence.length {
                let (_, delta) = learner.step(input: sequence.inputs[t], target: sequence.targets[t], rate: 1)
                for i in 0..<sum.count { sum[i] += delta[i] }
            }
            let recorded = shape.forward(weights: weights, inputs: sequence.inputs)
            let fd = finiteDifferenceGradient(weights) {
                shape.surrogateLoss(weights: $0, sequence: sequence, recorded: recorded)
            }
            assertGradientsMatch(sum.map { -$0 }, fd, shape: shape, what: "(self-check) reference rule vs FD of surrogate")
        }
    }

    // MARK: - §7.3 traces

    func testTracesMatchSurrogateFiniteDifferencesOfCellStates() throws {
        var rng = Xoshiro256StarStar(seed: 41)
        for shape in Self.gradientShapes {
            let length = 5
            let network = try shape.makeNetwork()
            let weights = shape.randomWeights(&rng, scale: 0.5)
            network.gradTestLoad(weights)
            let sequence = ReferenceSequence.random(inputDimension: shape.inputDimension, length: length, &rng)
            let M = shape.sourceCount
            let C = shape.cells

            // Network traces after each step (read after the step's update has been accumulated).
            var cellTraces: [[Double]] = []
            var gateTraces: [[Double]] = []
            var scratch = [Double](repeating: 0, count: shape.weightCount)
            network.reset()
            for t in 0..<length {
                _ = network.gradTestStep(sequence.inputs[t], learning: true)
                network.gradTestAccumulate(target: sequence.targets[t], scale: 1, into: &scratch)
                cellTraces.append((0..<(C * M)).map { network.layer.cellTrace[$0] })
                gateTraces.append((0..<(C * M)).map { network.layer.inputGateTrace[$0] })
            }

            // Finite differences of s_c(t) under the surrogate, for every cell-input and
            // input-gate weight.
            let recorded = shape.forward(weights: weights, inputs: sequence.inputs)
            let eps = Self.finiteDifferenceStep
            func stateDerivatives(_ index: Int) -> [[Double]] {
                var plus = weights, minus = weights
                plus[index] += eps
                minus[index] -= eps
                let sp = shape.forward(weights: plus, inputs: sequence.inputs, recorded: recorded).states
                let sm = shape.forward(weights: minus, inputs: sequence.inputs, recorded: recorded).states
                return (0..<length).map { t in (0..<C).map { c in (sp[t][c] - sm[t][c]) / (2 * eps) } }
            }
            var failures = 0
            var worst = 0.0
            func check(_ trace: Double, _ fd: Double, _ label: @autoclosure () -> String) {
                let excess = abs(trace - fd) - Self.gradientTolerance * max(1, abs(trace), abs(fd))
                if excess > 0 {
                    worst = max(worst, abs(trace - fd))
                    if failures < 8 { XCTFail("\(shape.name): \(label()): trace \(trace) vs FD \(fd)") }
                    failures += 1
                }
            }
            for c in 0..<C {
                let block = c / shape.cellsPerBlock
                for m in 0..<M {
                    let dCell = stateDerivatives(shape.cellRow(c) * M + m)
                    let dGate = stateDerivatives(shape.inputGateRow(block) * M + m)
                    for t in 0..<length {
                        check(cellTraces[t][c * M + m], dCell[t][c], "Tc[cell \(c), \(shape.describe(source: m))](t=\(t + 1))")
                        check(gateTraces[t][c * M + m], dGate[t][c], "Tin[cell \(c), \(shape.describe(source: m))](t=\(t + 1))")
                    }
                }
            }
            XCTAssertEqual(failures, 0, "\(shape.name): \(failures) trace entries disagree with FD of s_c (worst |Δ| = \(worst))")
        }
    }

    // MARK: - §7.4 the truncation is real

    func testTruncatedGradientDiffersFromTrueGradientForMultiStepSequences() throws {
        var rng = Xoshiro256StarStar(seed: 51)
        for shape in Self.gradientShapes {
            let network = try shape.makeNetwork()
            let weights = shape.randomWeights(&rng, scale: 0.5)
            network.gradTestLoad(weights)
            let sequence = ReferenceSequence.random(inputDimension: shape.inputDimension, length: 4, &rng)
            let update = network.gradTestBatchUpdate(sequence)
            let fd = finiteDifferenceGradient(weights) { shape.trueLoss(weights: $0, sequence: sequence) }
            var differing = 0
            var largest = 0.0
            for i in 0..<shape.weightCount {
                let g = -update[i]
                let d = abs(g - fd[i])
                if d > Self.gradientTolerance * max(1, abs(g), abs(fd[i])) { differing += 1 }
                largest = max(largest, d)
                // The output unit is not recurrent: its weights' gradient is exact.
                if i >= shape.outputOffset {
                    XCTAssertEqual(g, fd[i], accuracy: Self.gradientTolerance * max(1, abs(g), abs(fd[i])),
                                   "\(shape.name): output weight \(shape.describe(weight: i)) must get the exact gradient")
                }
            }
            XCTAssertGreaterThan(differing, 0, "\(shape.name): truncated gradient equals the full gradient — no truncation?")
            XCTAssertGreaterThan(largest, 1e-4, "\(shape.name): truncation effect implausibly small (\(largest))")
        }
    }

    // MARK: - §7.5 online = batch as α → 0

    func testOnlineUpdatesWithVanishingRateSumToBatchTruncatedGradient() throws {
        var rng = Xoshiro256StarStar(seed: 61)
        let rate = 1e-7
        for shape in Self.gradientShapes {
            let network = try shape.makeNetwork()
            let weights = shape.randomWeights(&rng, scale: 0.5)
            network.gradTestLoad(weights)
            let sequence = ReferenceSequence.random(inputDimension: shape.inputDimension, length: 6, &rng)
            let batch = network.gradTestBatchUpdate(sequence)

            network.gradTestLoad(weights)
            network.reset()
            var onlineSum = [Double](repeating: 0, count: shape.weightCount)
            for t in 0..<sequence.length {
                let before = network.weightValues
                network.learnOnline(input: sequence.inputs[t], target: sequence.targets[t], learningRate: rate)
                let after = network.weightValues
                for i in 0..<shape.weightCount { onlineSum[i] += (after[i] - before[i]) / rate }
            }
            var failures = 0
            for i in 0..<shape.weightCount {
                let tol = 1e-5 * max(1, abs(batch[i]), abs(onlineSum[i]))
                if abs(batch[i] - onlineSum[i]) > tol {
                    if failures < 8 {
                        XCTFail("\(shape.name): \(shape.describe(weight: i)): Σ online Δw/α = \(onlineSum[i]) vs batch \(batch[i])")
                    }
                    failures += 1
                }
            }
            XCTAssertEqual(failures, 0, "\(shape.name): \(failures) weights where online (α→0) ≠ batch")
        }
    }

    /// Online learning with a large rate follows §3.5 exactly: every Δw of a step is computed with
    /// the weights used in that step's forward pass and applied simultaneously, traces are not
    /// rescaled when weights change, and reset clears them between sequences.
    func testOnlineLearningWithLargeRateMatchesReferenceRuleStepByStep() throws {
        var rng = Xoshiro256StarStar(seed: 71)
        let rate = 0.5
        for shape in Self.gradientShapes {
            let network = try shape.makeNetwork()
            let weights = shape.randomWeights(&rng, scale: 0.5)
            network.gradTestLoad(weights)
            let learner = ReferenceLearner(shape: shape, weights: weights)
            for _ in 0..<2 {
                let sequence = ReferenceSequence.random(inputDimension: shape.inputDimension, length: 6, &rng)
                network.reset()
                learner.reset()
                for t in 0..<sequence.length {
                    let o = network.learnOnline(input: sequence.inputs[t], target: sequence.targets[t], learningRate: rate)
                    let (expectedOutput, delta) = learner.step(input: sequence.inputs[t], target: sequence.targets[t], rate: rate)
                    for i in 0..<shape.weightCount { learner.weights[i] += delta[i] }
                    XCTAssertEqual(o, expectedOutput, accuracy: 1e-12, "\(shape.name): online o(\(t + 1))")
                }
                var failures = 0
                let trained = network.weightValues
                for i in 0..<shape.weightCount {
                    let tol = 1e-12 * max(1, abs(learner.weights[i]))
                    if abs(trained[i] - learner.weights[i]) > tol {
                        if failures < 8 {
                            XCTFail("\(shape.name): after online sequence \(shape.describe(weight: i)) = \(trained[i]), reference \(learner.weights[i])")
                        }
                        failures += 1
                    }
                }
                XCTAssertEqual(failures, 0, "\(shape.name): \(failures) weights differ from the reference online rule")
            }
        }
    }

    // MARK: - Helpers

    private func finiteDifferenceGradient(_ weights: [Double], _ loss: ([Double]) -> Double) -> [Double] {
        centralDifferenceGradient(at: weights, step: Self.finiteDifferenceStep, loss)
    }

    /// the project's test plan: |g − g_fd| ≤ 1e−6·max(1, |g|, |g_fd|) for every weight.
    private func assertGradientsMatch(_ g: [Double], _ fd: [Double], shape: ReferenceShape, what: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(g.count, fd.count, file: file, line: line)
        var failures = 0
        var worst = 0.0
        for i in 0..<min(g.count, fd.count) {
            let d = abs(g[i] - fd[i])
            if d > Self.gradientTolerance * max(1, abs(g[i]), abs(fd[i])) {
                if failures < 8 {
                    XCTFail("\(shape.name) \(what): \(shape.describe(weight: i)): g = \(g[i]), g_fd = \(fd[i])",
                            file: file, line: line)
                }
                failures += 1
                worst = max(worst, d)
            }
        }
        XCTAssertEqual(failures, 0, "\(shape.name) \(what): \(failures) of \(g.count) weights disagree (worst |Δ| = \(worst))",
                       file: file, line: line)
    }
}

// MARK: - Network conveniences

fileprivate extension LSTM1997Network {
    func gradTestLoad(_ values: [Double]) {
        precondition(values.count == weightCount)
        weightStorage.assign(values)
    }

    func gradTestStep(_ input: [Double], learning: Bool) -> Double {
        precondition(input.count == inputCount)
        return step(input, learning: learning)
    }

    func gradTestAccumulate(target: Double, scale: Double, into buffer: inout [Double]) {
        precondition(buffer.count == weightCount)
        accumulateUpdate(target: target, scale: scale, into: &buffer)
    }

    /// Batch mode (weights frozen): Σ_t of the step updates with scale 1, i.e. the negative
    /// truncated gradient of the sequence.
    func gradTestBatchUpdate(_ sequence: ReferenceSequence) -> [Double] {
        var buffer = [Double](repeating: 0, count: weightCount)
        reset()
        for t in 0..<sequence.length {
            _ = gradTestStep(sequence.inputs[t], learning: true)
            gradTestAccumulate(target: sequence.targets[t], scale: 1, into: &buffer)
        }
        return buffer
    }
}

// MARK: - Reference model (from docs/method.md §4.2, §4)

@inline(__always) private func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
@inline(__always) private func sigmoidPrime(_ x: Double) -> Double { let s = sigmoid(x); return s * (1 - s) }
@inline(__always) private func gSquash(_ x: Double) -> Double { 4 * sigmoid(x) - 2 }
@inline(__always) private func gPrime(_ x: Double) -> Double { let s = sigmoid(x); return 4 * s * (1 - s) }
@inline(__always) private func hSquash(_ x: Double) -> Double { 2 * sigmoid(x) - 1 }
@inline(__always) private func hPrime(_ x: Double) -> Double { let s = sigmoid(x); return 2 * s * (1 - s) }

private struct ReferenceSequence {
    var inputs: [[Double]]   // u(t) = (x(t), y(t−1)), y(0) = 0.5
    var targets: [Double]
    var length: Int { targets.count }

    static func random(inputDimension d: Int, length: Int, _ rng: inout Xoshiro256StarStar) -> ReferenceSequence {
        var inputs: [[Double]] = []
        var targets: [Double] = []
        var previous = 0.5
        for _ in 0..<length {
            var u = (0..<d).map { _ in rng.nextUniform(in: -1, 1) }
            u.append(previous)
            let y = rng.nextUniform(in: 0.1, 0.9)
            inputs.append(u)
            targets.append(y)
            previous = y
        }
        return ReferenceSequence(inputs: inputs, targets: targets)
    }
}

/// Values recorded by one reference forward pass, per step t = 1..J (array index t−1).
private struct ReferenceRecord {
    var outputs: [Double] = []
    var states: [[Double]] = []   // s_c(t)
    var a1: [[Double]] = []       // layer-1 activations [y^H; y^c; y^in; y^out] at t
    var a2: [[Double]] = []       // layer-2 activations at t (two-layer only)
}

private struct ReferenceShape {
    let name: String
    let inputDimension: Int
    let hiddenUnits: Int
    let blocks: Int
    let cellsPerBlock: Int
    let secondLayerUnits: Int

    var cells: Int { blocks * cellsPerBlock }
    var layer1Units: Int { hiddenUnits + cells + 2 * blocks }
    var inputCount: Int { inputDimension + 1 }
    var isTwoLayer: Bool { secondLayerUnits > 0 }
    /// M: z = [u; a1(t−1); a2(t−1); 1].
    var sourceCount: Int { inputCount + layer1Units + secondLayerUnits + 1 }
    var layer2Offset: Int { layer1Units * sourceCount }
    var layer2RowLength: Int { layer1Units + 1 }
    var outputOffset: Int { layer2Offset + secondLayerUnits * layer2RowLength }
    var outputRowLength: Int { isTwoLayer ? secondLayerUnits + 1 : hiddenUnits + cells + 1 }
    var weightCount: Int { outputOffset + outputRowLength }

    func hiddenRow(_ i: Int) -> Int { i }
    func cellRow(_ c: Int) -> Int { hiddenUnits + c }
    func inputGateRow(_ j: Int) -> Int { hiddenUnits + cells + j }
    func outputGateRow(_ j: Int) -> Int { hiddenUnits + cells + blocks + j }
    var inputGateBiasIndices: [Int] {
        (0..<blocks).map { inputGateRow($0) * sourceCount + sourceCount - 1 }
    }

    func makeNetwork() throws -> LSTM1997Network {
        let configuration = LSTM1997Network.Configuration(
            inputDimension: inputDimension,
            layer: LSTMLayerShape(hiddenUnits: hiddenUnits, blocks: blocks, cellsPerBlock: cellsPerBlock),
            secondLayerUnits: secondLayerUnits)
        return try LSTM1997Network(configuration: configuration)
    }

    func randomWeights(_ rng: inout Xoshiro256StarStar, scale: Double) -> [Double] {
        (0..<weightCount).map { _ in rng.nextUniform(in: -scale, scale) }
    }

    // Human-readable names for failure messages.
    func describe(unit r: Int) -> String {
        if r < hiddenUnits { return "H\(r)" }
        if r < hiddenUnits + cells { return "cell\(r - hiddenUnits)" }
        if r < hiddenUnits + cells + blocks { return "in\(r - hiddenUnits - cells)" }
        return "out\(r - hiddenUnits - cells - blocks)"
    }

    func describe(source m: Int) -> String {
        if m < inputCount { return m == inputCount - 1 ? "u:y(t-1)" : "u:x\(m)" }
        if m < inputCount + layer1Units { return "a1(t-1):\(describe(unit: m - inputCount))" }
        if m < inputCount + layer1Units + secondLayerUnits { return "a2(t-1):\(m - inputCount - layer1Units)" }
        return "bias"
    }

    func describe(weight i: Int) -> String {
        if i < layer2Offset {
            return "#\(i) W[\(describe(unit: i / sourceCount)) ← \(describe(source: i % sourceCount))]"
        }
        if i < outputOffset {
            let k = i - layer2Offset
            let r = k % layer2RowLength
            let source = r == layer1Units ? "bias" : "a1(t):\(describe(unit: r))"
            return "#\(i) W2[unit \(k / layer2RowLength) ← \(source)]"
        }
        let k = i - outputOffset
        let source: String
        if k == outputRowLength - 1 { source = "bias" }
        else if isTwoLayer { source = "a2(t):\(k)" }
        else { source = k < hiddenUnits ? "yH\(k)" : "yc\(k - hiddenUnits)" }
        return "#\(i) w^k[\(source)]"
    }

    /// Forward pass of docs/method.md §4.2 / §4.2. With `recorded`, the previous-step activations inside
    /// z(t) are taken from the recording (treated as constants), while the CEC s_c(t−1) → s_c(t)
    /// stays live: this is the surrogate of docs/method.md §4.3 / §7.2.
    func forward(weights w: [Double], inputs: [[Double]], recorded: ReferenceRecord? = nil) -> ReferenceRecord {
        let M = sourceCount
        let N1 = layer1Units
        let H = hiddenUnits, C = cells, B = blocks, S = cellsPerBlock
        var record = ReferenceRecord()
        var a1prev = [Double](repeating: 0, count: N1)
        var a2prev = [Double](repeating: 0, count: secondLayerUnits)
        var s = [Double](repeating: 0, count: C)
        for t in 0..<inputs.count {
            if let recorded, t > 0 {
                a1prev = recorded.a1[t - 1]
                if isTwoLayer { a2prev = recorded.a2[t - 1] }
            }
            let z = inputs[t] + a1prev + a2prev + [1.0]
            precondition(z.count == M)
            var net = [Double](repeating: 0, count: N1)
            for r in 0..<N1 {
                var sum = 0.0
                for m in 0..<M { sum += w[r * M + m] * z[m] }
                net[r] = sum
            }
            let yH = (0..<H).map { sigmoid(net[hiddenRow($0)]) }
            let yIn = (0..<B).map { sigmoid(net[inputGateRow($0)]) }
            let yOut = (0..<B).map { sigmoid(net[outputGateRow($0)]) }
            var yC = [Double](repeating: 0, count: C)
            for c in 0..<C {
                let j = c / S
                s[c] += yIn[j] * gSquash(net[cellRow(c)])
                yC[c] = yOut[j] * hSquash(s[c])
            }
            let a1 = yH + yC + yIn + yOut
            var v: [Double]
            var a2: [Double] = []
            if isTwoLayer {
                let v1 = a1 + [1.0]
                for m in 0..<secondLayerUnits {
                    var sum = 0.0
                    for r in 0..<layer2RowLength { sum += w[layer2Offset + m * layer2RowLength + r] * v1[r] }
                    a2.append(sigmoid(sum))
                }
                v = a2 + [1.0]
            } else {
                v = yH + yC + [1.0]
            }
            var netK = 0.0
            for k in 0..<outputRowLength { netK += w[outputOffset + k] * v[k] }
            record.outputs.append(sigmoid(netK))
            record.states.append(s)
            record.a1.append(a1)
            record.a2.append(a2)
            a1prev = a1
            a2prev = a2
        }
        return record
    }

    func trueLoss(weights: [Double], sequence: ReferenceSequence) -> Double {
        let outputs = forward(weights: weights, inputs: sequence.inputs).outputs
        return zip(outputs, sequence.targets).reduce(0) { $0 + 0.5 * ($1.1 - $1.0) * ($1.1 - $1.0) }
    }

    func surrogateLoss(weights: [Double], sequence: ReferenceSequence, recorded: ReferenceRecord) -> Double {
        let outputs = forward(weights: weights, inputs: sequence.inputs, recorded: recorded).outputs
        return zip(outputs, sequence.targets).reduce(0) { $0 + 0.5 * ($1.1 - $1.0) * ($1.1 - $1.0) }
    }
}

/// Analytic LSTM-1997 rule of docs/method.md §4.3 (single layer) and §4.3 (two layers), written from the
/// equations. `step` returns the step's output and Δw = rate · (error signal · source) for every
/// weight, computed with the current weights; the caller applies or accumulates it.
private final class ReferenceLearner {
    let shape: ReferenceShape
    var weights: [Double]
    var a1prev: [Double]
    var a2prev: [Double]
    var s: [Double]
    var cellTrace: [Double]
    var gateTrace: [Double]

    init(shape: ReferenceShape, weights: [Double]) {
        self.shape = shape
        self.weights = weights
        a1prev = []; a2prev = []; s = []; cellTrace = []; gateTrace = []
        reset()
    }

    func reset() {
        a1prev = [Double](repeating: 0, count: shape.layer1Units)
        a2prev = [Double](repeating: 0, count: shape.secondLayerUnits)
        s = [Double](repeating: 0, count: shape.cells)
        cellTrace = [Double](repeating: 0, count: shape.cells * shape.sourceCount)
        gateTrace = cellTrace
    }

    func step(input u: [Double], target y: Double, rate: Double) -> (output: Double, delta: [Double]) {
        let w = weights
        let M = shape.sourceCount, N1 = shape.layer1Units
        let H = shape.hiddenUnits, C = shape.cells, B = shape.blocks, S = shape.cellsPerBlock
        let z = u + a1prev + a2prev + [1.0]
        var net = [Double](repeating: 0, count: N1)
        for r in 0..<N1 {
            var sum = 0.0
            for m in 0..<M { sum += w[r * M + m] * z[m] }
            net[r] = sum
        }
        let yH = (0..<H).map { sigmoid(net[shape.hiddenRow($0)]) }
        let yIn = (0..<B).map { sigmoid(net[shape.inputGateRow($0)]) }
        let yOut = (0..<B).map { sigmoid(net[shape.outputGateRow($0)]) }
        var yC = [Double](repeating: 0, count: C)
        for c in 0..<C {
            let j = c / S
            let netC = net[shape.cellRow(c)]
            s[c] += yIn[j] * gSquash(netC)
            yC[c] = yOut[j] * hSquash(s[c])
            // Traces (§3.4), using z(t) which contains a(t−1).
            let netIn = net[shape.inputGateRow(j)]
            for m in 0..<M {
                cellTrace[c * M + m] += yIn[j] * gPrime(netC) * z[m]
                gateTrace[c * M + m] += gSquash(netC) * sigmoidPrime(netIn) * z[m]
            }
        }
        let a1 = yH + yC + yIn + yOut

        var delta = [Double](repeating: 0, count: shape.weightCount)
        var d = [Double](repeating: 0, count: N1)  // error arriving at each layer-1 unit's output
        var a2: [Double] = []
        let o: Double
        if shape.isTwoLayer {
            let v1 = a1 + [1.0]
            var net2 = [Double](repeating: 0, count: shape.secondLayerUnits)
            for m in 0..<shape.secondLayerUnits {
                var sum = 0.0
                for r in 0..<shape.layer2RowLength { sum += w[shape.layer2Offset + m * shape.layer2RowLength + r] * v1[r] }
                net2[m] = sum
                a2.append(sigmoid(sum))
            }
            let v2 = a2 + [1.0]
            var netK = 0.0
            for k in 0..<shape.outputRowLength { netK += w[shape.outputOffset + k] * v2[k] }
            o = sigmoid(netK)
            let deltaK = o * (1 - o) * (y - o)
            for k in 0..<shape.outputRowLength { delta[shape.outputOffset + k] = rate * deltaK * v2[k] }
            for m in 0..<shape.secondLayerUnits {
                let delta2 = sigmoidPrime(net2[m]) * w[shape.outputOffset + m] * deltaK
                for r in 0..<shape.layer2RowLength {
                    let index = shape.layer2Offset + m * shape.layer2RowLength + r
                    delta[index] = rate * delta2 * v1[r]
                    if r < N1 { d[r] += w[index] * delta2 }
                }
            }
        } else {
            let v = yH + yC + [1.0]
            var netK = 0.0
            for k in 0..<shape.outputRowLength { netK += w[shape.outputOffset + k] * v[k] }
            o = sigmoid(netK)
            let deltaK = o * (1 - o) * (y - o)
            for k in 0..<shape.outputRowLength { delta[shape.outputOffset + k] = rate * deltaK * v[k] }
            for i in 0..<H { d[shape.hiddenRow(i)] = w[shape.outputOffset + i] * deltaK }
            for c in 0..<C { d[shape.cellRow(c)] = w[shape.outputOffset + H + c] * deltaK }
        }

        // Hidden units.
        for i in 0..<H {
            let deltaH = sigmoidPrime(net[shape.hiddenRow(i)]) * d[shape.hiddenRow(i)]
            for m in 0..<M { delta[shape.hiddenRow(i) * M + m] = rate * deltaH * z[m] }
        }
        // Output gates, cells, input gates.
        var eps = [Double](repeating: 0, count: C)
        for c in 0..<C {
            let j = c / S
            eps[c] = yOut[j] * hPrime(s[c]) * d[shape.cellRow(c)]
        }
        for j in 0..<B {
            var back = d[shape.outputGateRow(j)]
            for c in (j * S)..<((j + 1) * S) { back += hSquash(s[c]) * d[shape.cellRow(c)] }
            let deltaOut = sigmoidPrime(net[shape.outputGateRow(j)]) * back
            let deltaInDirect = sigmoidPrime(net[shape.inputGateRow(j)]) * d[shape.inputGateRow(j)]
            for m in 0..<M {
                delta[shape.outputGateRow(j) * M + m] = rate * deltaOut * z[m]
                var sum = deltaInDirect * z[m]
                for c in (j * S)..<((j + 1) * S) { sum += eps[c] * gateTrace[c * M + m] }
                delta[shape.inputGateRow(j) * M + m] = rate * sum
            }
        }
        for c in 0..<C {
            for m in 0..<M { delta[shape.cellRow(c) * M + m] = rate * eps[c] * cellTrace[c * M + m] }
        }

        a1prev = a1
        a2prev = a2
        return (o, delta)
    }
}
