// Independent tests of the modern variant (docs/method.md §4.9, §7 "Modern variant"): the forget-gate LSTM
// with full BPTT, the Adam optimizer and global-norm clipping.
//
// These tests were written from the specification and the documented public API alone, without reading the
// library's implementation. Below the test class sits a reference implementation of docs/method.md §4.9 in
// plain Float64 loops: the forward pass, the loss Σ½e², and an analytic BPTT gradient (used only
// to show that the finite-difference check is sharp enough to catch typical bugs). The network
// under test is compared against the forward pass and against central finite differences of the
// reference loss.
//
// Canonical weight layout (the documented API): for gate x in order [i, f, r, g], n rows; row q
// holds the weights from z = [u(t); h(t−1)] (d + 1 input values, then the n values of h(t−1))
// followed by the bias b_x[q]; each gate block has n·(d+1+n+1) values. Then w_y (n values), b_y.

import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

final class ForgetGateLSTMSpecTests: XCTestCase {

    /// the project's test plan: central differences with ε = 1e−6 ...
    private static let finiteDifferenceStep = 1e-6
    /// ... pass if |g − g_fd| ≤ 1e−6·max(1, |g|, |g_fd|).
    private static let gradientTolerance = 1e-6

    /// Small nets for the gradient checks: n = 2..4, d = 1..3 (the project's test plan: small random nets).
    private static let smallShapes: [SpecLSTMShape] = [
        SpecLSTMShape(inputDimension: 1, cells: 2),
        SpecLSTMShape(inputDimension: 2, cells: 3),
        SpecLSTMShape(inputDimension: 3, cells: 4),
        SpecLSTMShape(inputDimension: 2, cells: 4),
        SpecLSTMShape(inputDimension: 3, cells: 2),
    ]

    private func makeNetwork(_ shape: SpecLSTMShape) throws -> ForgetGateLSTMNetwork {
        try ForgetGateLSTMNetwork(configuration: .init(inputDimension: shape.inputDimension, cells: shape.cells))
    }

    // MARK: - 1. Weight counts

    func testPaperSizedNetworkHas672WeightsAndQuadSizedHas5496() throws {
        XCTAssertEqual(ForgetGateLSTMNetwork.Configuration.paperSized,
                       ForgetGateLSTMNetwork.Configuration(inputDimension: 2, cells: 11))
        XCTAssertEqual(ForgetGateLSTMNetwork.Configuration.quadSized,
                       ForgetGateLSTMNetwork.Configuration(inputDimension: 2, cells: 35))
        XCTAssertEqual(ForgetGateLSTMNetwork.Configuration(), .paperSized, "default configuration is d 2, n 11")

        let paper = try ForgetGateLSTMNetwork(configuration: .paperSized)
        XCTAssertEqual(paper.weightCount, 672, "docs/method.md §4.9: 4·11·15 + 12 = 672")
        XCTAssertEqual(paper.weightStorage.count, 672)
        XCTAssertEqual(paper.inputCount, 3)

        let quad = try ForgetGateLSTMNetwork(configuration: .quadSized)
        XCTAssertEqual(quad.weightCount, 5496, "docs/method.md §4.9: 4·35·39 + 36 = 5496")
        XCTAssertEqual(quad.weightStorage.count, 5496)
        XCTAssertEqual(quad.inputCount, 3)
    }

    func testWeightCountIsFourNTimesDPlusNPlusTwoPlusNPlusOneForOtherShapes() throws {
        let shapes = Self.smallShapes + [SpecLSTMShape(inputDimension: 1, cells: 1), SpecLSTMShape(inputDimension: 5, cells: 7),
                                         SpecLSTMShape(inputDimension: 2, cells: 11), SpecLSTMShape(inputDimension: 4, cells: 20)]
        for shape in shapes {
            let network = try makeNetwork(shape)
            let n = shape.cells, d = shape.inputDimension
            XCTAssertEqual(network.weightCount, 4 * n * (d + n + 2) + n + 1, "weight count of \(shape)")
            XCTAssertEqual(network.weightCount, shape.weightCount, "weight count of \(shape) vs the documented layout")
            XCTAssertEqual(network.weightStorage.count, network.weightCount, "weights buffer of \(shape)")
            XCTAssertEqual(network.inputCount, d + 1, "input count of \(shape): u(t) = (x(t), y(t−1))")
        }
    }

    func testInvalidConfigurationThrowsInsteadOfCrashing() {
        for (d, n) in [(0, 3), (2, 0), (-1, 3), (2, -4)] {
            XCTAssertThrowsError(try ForgetGateLSTMNetwork(configuration: .init(inputDimension: d, cells: n)),
                                 "d = \(d), n = \(n) must be rejected with an error")
        }
    }

    func testConfigurationSurvivesACodableRoundTrip() throws {
        let configuration = ForgetGateLSTMNetwork.Configuration(inputDimension: 3, cells: 7)
        let data = try JSONEncoder().encode(configuration)
        XCTAssertEqual(try JSONDecoder().decode(ForgetGateLSTMNetwork.Configuration.self, from: data), configuration)
    }

    // MARK: - 2. Forward pass

    /// docs/method.md §4.9 forward equations with the documented weight layout, step by step to 1e−12, with
    /// and without `learning`, and again after `reset()` (so reset must zero h and c).
    func testForwardOutputsEqualReferenceForwardPassStepByStep() throws {
        var rng = Xoshiro256StarStar(seed: 8_001)
        for shape in Self.smallShapes + [SpecLSTMShape(inputDimension: 2, cells: 11)] {
            let network = try makeNetwork(shape)
            let weights = shape.randomWeights(&rng, halfWidth: 0.5)
            try network.setWeights(weights)
            let set = specRandomSequenceSet(count: 1, length: 8, inputDimension: shape.inputDimension, &rng)
            let y0 = 0.5
            let reference = shape.run(weights: weights, set: set, sequence: 0, initialPreviousTarget: y0)

            for pass in 0..<3 {
                let learning = pass != 1
                network.reset()
                for t in 0..<set.length {
                    let u = specNetworkInput(set, sequence: 0, step: t, initialPreviousTarget: y0)
                    let o = network.step(u, learning: learning)
                    XCTAssertEqual(o, reference[t].o, accuracy: 1e-12, "\(shape): o(\(t + 1)), pass \(pass), learning \(learning)")
                    XCTAssertTrue(o > 0 && o < 1, "\(shape): o(\(t + 1)) = \(o) must lie in (0, 1)")
                }
                // Leave some state behind: the next pass's reset() must clear it.
                _ = network.step(specNetworkInput(set, sequence: 0, step: 3, initialPreviousTarget: y0), learning: learning)
            }
            XCTAssertEqual(network.weightValues, weights, "\(shape): forward must not change the weights")
        }
    }

    /// The layout check above only passes if the weight order is right; this pins it more directly:
    /// with every weight zero except the output bias, o = σ(b_y) regardless of input, and moving the
    /// forget-gate bias of cell 0 changes the output only from step 2 on (f(1) multiplies c(0) = 0).
    func testForgetGateBiasOnlyMattersOnceACellStateExists() throws {
        let shape = SpecLSTMShape(inputDimension: 2, cells: 3)
        let network = try makeNetwork(shape)
        var rng = Xoshiro256StarStar(seed: 8_002)
        var weights = shape.randomWeights(&rng, halfWidth: 0.5)
        let set = specRandomSequenceSet(count: 1, length: 3, inputDimension: 2, &rng)

        func outputs(_ w: [Double]) throws -> [Double] {
            try network.setWeights(w)
            network.reset()
            return (0..<set.length).map {
                network.step(specNetworkInput(set, sequence: 0, step: $0, initialPreviousTarget: 0.5), learning: false)
            }
        }
        let before = try outputs(weights)
        weights[shape.biasIndex(gate: .forget, cell: 0)] += 0.7
        let after = try outputs(weights)
        XCTAssertEqual(before[0], after[0], accuracy: 1e-15, "f(1) multiplies c(0) = 0, so b_f must not affect o(1)")
        XCTAssertGreaterThan(abs(before[1] - after[1]), 1e-6, "b_f must affect o(2) through f(2)·c(1)")

        var onlyBias = [Double](repeating: 0, count: shape.weightCount)
        onlyBias[shape.outputBiasIndex] = 0.3
        for o in try outputs(onlyBias) {
            XCTAssertEqual(o, 1 / (1 + exp(-0.3)), accuracy: 1e-15, "with all other weights zero, o = σ(b_y)")
        }
    }

    // MARK: - 3 and 8. Full BPTT gradient against finite differences of the true loss

    /// the project's test plan "Modern variant": full BPTT equals finite differences of the true loss Σ½e², for
    /// every weight; the return value is Σe² (no ½).
    ///
    /// This is also the test that catches a sign error or a missing dc(t+1)⊙f(t+1) term (task item
    /// 8): the lengths include 5–8 steps, long enough that the cell path carries gradient back over
    /// several steps, and `testGradientCheckIsSharpEnoughToCatchAMissingCellCarryOrAFlippedSign`
    /// shows that a reference gradient with either bug fails this very check.
    func testSequenceGradientEqualsFiniteDifferencesOfTheTrueLossForEveryWeight() throws {
        var rng = Xoshiro256StarStar(seed: 8_003)
        let cases: [(shapeIndex: Int, length: Int, sequences: [Int], setCount: Int)] = [
            (0, 3, [0], 1),
            (1, 5, [0, 1], 2),
            (2, 8, [2, 0, 1], 3),
            (3, 6, [1], 3),
            (4, 7, [0, 2], 3),
            (0, 8, [1, 0, 2], 3),
        ]
        for testCase in cases {
            let shape = Self.smallShapes[testCase.shapeIndex]
            let network = try makeNetwork(shape)
            let weights = shape.randomWeights(&rng, halfWidth: 0.5)
            try network.setWeights(weights)
            let set = specRandomSequenceSet(count: testCase.setCount, length: testCase.length,
                                            inputDimension: shape.inputDimension, &rng)
            let y0 = rng.nextUniform(in: 0.05, 0.95)
            let label = "\(shape), J = \(testCase.length), sequences \(testCase.sequences), y(0) = \(y0)"

            // Leave the network mid-sequence: the call must start each sequence from reset.
            network.reset()
            _ = network.step(specNetworkInput(set, sequence: 0, step: 0, initialPreviousTarget: 0.9), learning: true)

            var gradient = [Double](repeating: 0, count: shape.weightCount)
            let squaredErrorSum = network.accumulateSequenceGradient(
                of: set, sequences: testCase.sequences, initialPreviousTarget: y0, into: &gradient)

            let referenceLoss = shape.loss(weights: weights, set: set, sequences: testCase.sequences, initialPreviousTarget: y0)
            XCTAssertEqual(squaredErrorSum, referenceLoss.squaredErrorSum,
                           accuracy: 1e-12 * max(1, referenceLoss.squaredErrorSum), "\(label): returned Σe²")

            let fd = centralDifferenceGradient(at: weights, step: Self.finiteDifferenceStep) {
                shape.loss(weights: $0, set: set, sequences: testCase.sequences, initialPreviousTarget: y0).halfSquaredErrorSum
            }
            assertGradientsAgree(gradient, fd, shape: shape, what: "BPTT gradient vs FD of Σ½e², \(label)")
            XCTAssertEqual(network.weightValues, weights, "\(label): computing a gradient must not change the weights")
        }
    }

    /// The gradient is added to the buffer, not written over it, and sums over the listed sequences
    /// (listing a sequence twice counts it twice).
    func testSequenceGradientAddsIntoTheBufferAndSumsOverListedSequences() throws {
        var rng = Xoshiro256StarStar(seed: 8_004)
        let shape = SpecLSTMShape(inputDimension: 2, cells: 3)
        let network = try makeNetwork(shape)
        try network.setWeights(shape.randomWeights(&rng, halfWidth: 0.5))
        let set = specRandomSequenceSet(count: 3, length: 5, inputDimension: 2, &rng)

        func gradient(_ sequences: [Int], startingAt start: [Double]? = nil) -> (gradient: [Double], squaredErrors: Double) {
            var buffer = start ?? [Double](repeating: 0, count: shape.weightCount)
            let sum = network.accumulateSequenceGradient(of: set, sequences: sequences, initialPreviousTarget: 0.5, into: &buffer)
            return (buffer, sum)
        }
        let g0 = gradient([0]), g2 = gradient([2]), both = gradient([0, 2]), twice = gradient([2, 2])
        let offset = (0..<shape.weightCount).map { Double($0 % 7) - 3 }
        let onTop = gradient([0], startingAt: offset)
        for i in 0..<shape.weightCount {
            XCTAssertEqual(both.gradient[i], g0.gradient[i] + g2.gradient[i], accuracy: 1e-12, "weight \(shape.describe(i)): sum over sequences")
            XCTAssertEqual(twice.gradient[i], 2 * g2.gradient[i], accuracy: 1e-12, "weight \(shape.describe(i)): a repeated sequence counts twice")
            XCTAssertEqual(onTop.gradient[i], offset[i] + g0.gradient[i], accuracy: 1e-12, "weight \(shape.describe(i)): must add into the buffer")
        }
        XCTAssertEqual(both.squaredErrors, g0.squaredErrors + g2.squaredErrors, accuracy: 1e-12)
        XCTAssertEqual(twice.squaredErrors, 2 * g2.squaredErrors, accuracy: 1e-12)
        XCTAssertEqual(onTop.squaredErrors, g0.squaredErrors, accuracy: 1e-15)
    }

    /// Guards the guard (task item 8): a gradient with dc(t+1)⊙f(t+1) dropped, or with its sign
    /// flipped, must fail the same finite-difference check that the network has to pass, on the
    /// same kind of net and a ≥ 5-step sequence. The correct reference gradient must pass it.
    func testGradientCheckIsSharpEnoughToCatchAMissingCellCarryOrAFlippedSign() {
        var rng = Xoshiro256StarStar(seed: 8_005)
        for shape in Self.smallShapes {
            let weights = shape.randomWeights(&rng, halfWidth: 0.5)
            let set = specRandomSequenceSet(count: 2, length: 6, inputDimension: shape.inputDimension, &rng)
            let sequences = [0, 1]
            let fd = centralDifferenceGradient(at: weights, step: Self.finiteDifferenceStep) {
                shape.loss(weights: $0, set: set, sequences: sequences, initialPreviousTarget: 0.5).halfSquaredErrorSum
            }
            let correct = shape.gradient(weights: weights, set: set, sequences: sequences, initialPreviousTarget: 0.5)
            let noCarry = shape.gradient(weights: weights, set: set, sequences: sequences, initialPreviousTarget: 0.5,
                                         dropCellCarry: true)
            XCTAssertEqual(countDisagreements(correct, fd), 0, "\(shape): the reference BPTT must pass the check")
            XCTAssertGreaterThan(countDisagreements(noCarry, fd), 0, "\(shape): a missing dc(t+1)⊙f(t+1) must fail the check")
            XCTAssertGreaterThan(countDisagreements(correct.map { -$0 }, fd), 0, "\(shape): a flipped sign must fail the check")
        }
    }

    // MARK: - 4. Per-step true gradients add up to the BPTT gradient

    /// `accumulateUpdate(target:scale:into:)` adds −∂(½e(t)²)/∂w through the whole history since
    /// reset; summed over a sequence (scale 1, separate buffer, weights frozen) it must equal
    /// −(full BPTT gradient) of that sequence — and the finite-difference gradient of the reference.
    func testSummedPerStepUpdatesEqualNegativeFullSequenceGradient() throws {
        var rng = Xoshiro256StarStar(seed: 8_006)
        for (index, shape) in Self.smallShapes.enumerated() {
            let network = try makeNetwork(shape)
            let weights = shape.randomWeights(&rng, halfWidth: 0.5)
            try network.setWeights(weights)
            let length = 3 + index  // 3...7 steps
            let set = specRandomSequenceSet(count: 2, length: length, inputDimension: shape.inputDimension, &rng)
            let y0 = 0.5
            let label = "\(shape), J = \(length)"

            var summedUpdates = [Double](repeating: 0, count: shape.weightCount)
            network.reset()
            for t in 0..<length {
                let u = specNetworkInput(set, sequence: 1, step: t, initialPreviousTarget: y0)
                _ = network.step(u, learning: true)
                network.accumulateUpdate(target: set.target(sequence: 1, example: t), scale: 1, into: &summedUpdates)
            }
            XCTAssertEqual(network.weightValues, weights, "\(label): accumulating into a separate buffer must not change the weights")

            var full = [Double](repeating: 0, count: shape.weightCount)
            _ = network.accumulateSequenceGradient(of: set, sequences: [1], initialPreviousTarget: y0, into: &full)
            for i in 0..<shape.weightCount {
                XCTAssertEqual(summedUpdates[i], -full[i], accuracy: 1e-10 * max(1, abs(full[i])),
                               "\(label): Σ_t accumulateUpdate vs −BPTT gradient at \(shape.describe(i))")
            }
            let fd = centralDifferenceGradient(at: weights, step: Self.finiteDifferenceStep) {
                shape.loss(weights: $0, set: set, sequences: [1], initialPreviousTarget: y0).halfSquaredErrorSum
            }
            assertGradientsAgree(summedUpdates.map { -$0 }, fd, shape: shape, what: "−Σ_t accumulateUpdate vs FD, \(label)")
        }
    }

    /// The scale multiplies the update linearly (online training passes α).
    func testAccumulateUpdateScalesLinearly() throws {
        var rng = Xoshiro256StarStar(seed: 8_007)
        let shape = SpecLSTMShape(inputDimension: 2, cells: 3)
        let network = try makeNetwork(shape)
        try network.setWeights(shape.randomWeights(&rng, halfWidth: 0.5))
        let set = specRandomSequenceSet(count: 1, length: 4, inputDimension: 2, &rng)

        func summed(scale: Double) -> [Double] {
            var buffer = [Double](repeating: 0, count: shape.weightCount)
            network.reset()
            for t in 0..<set.length {
                _ = network.step(specNetworkInput(set, sequence: 0, step: t, initialPreviousTarget: 0.5), learning: true)
                network.accumulateUpdate(target: set.target(sequence: 0, example: t), scale: scale, into: &buffer)
            }
            return buffer
        }
        let unit = summed(scale: 1), scaled = summed(scale: 0.25)
        for i in 0..<shape.weightCount {
            XCTAssertEqual(scaled[i], 0.25 * unit[i], accuracy: 1e-14 * max(1, abs(unit[i])), "\(shape.describe(i))")
        }
    }

    // MARK: - 5. Adam

    func testAdamDefaultsAreTheSpecHyperParameters() {
        let adam = AdamOptimizer(parameterCount: 2)
        XCTAssertEqual(adam.beta1, 0.9)
        XCTAssertEqual(adam.beta2, 0.999)
        XCTAssertEqual(adam.epsilon, 1e-8)
        XCTAssertEqual(adam.step, 0)
    }

    /// docs/method.md §4.9 Adam on θ = (1, −2), lr = 0.1, g₁ = (0.5, −0.25), then g₂ = (−0.1, 0.3).
    ///
    /// Step t = 1:
    ///   m = 0.1·g₁ = (0.05, −0.025);  v = 0.001·g₁² = (0.00025, 0.0000625)
    ///   m̂ = m/(1 − 0.9) = (0.5, −0.25);  v̂ = v/(1 − 0.999) = (0.25, 0.0625);  √v̂ = (0.5, 0.25)
    ///   θ₀ = 1 − 0.1·0.5/(0.5 + 1e−8) = 1 − 0.05/0.50000001 = 0.900000002
    ///   θ₁ = −2 − 0.1·(−0.25)/(0.25 + 1e−8) = −2 + 0.025/0.25000001 = −1.900000004
    /// Step t = 2:
    ///   m = 0.9·(0.05, −0.025) + 0.1·(−0.1, 0.3) = (0.035, 0.0075)
    ///   v = 0.999·(0.00025, 0.0000625) + 0.001·(0.01, 0.09) = (0.00025975, 0.0001524375)
    ///   m̂ = m/(1 − 0.81) = m/0.19 = (0.18421052631578946, 0.039473684210526314)
    ///   v̂ = v/(1 − 0.998001) = v/0.001999 = (0.129939969984992…, 0.076256878439219…)
    ///   √v̂ = (0.360471871281234, 0.276146480041337)
    ///   θ₀ = 0.900000002 − 0.1·0.184210526/(0.360471871 + 1e−8) = 0.848897395699324
    ///   θ₁ = −1.900000004 − 0.1·0.039473684/(0.276146480 + 1e−8) = −1.914294476547747
    func testAdamFirstTwoStepsMatchHandComputedValues() {
        var adam = AdamOptimizer(parameterCount: 2)
        var parameters = [1.0, -2.0]

        adam.update(parameters: &parameters, gradient: [0.5, -0.25], learningRate: 0.1)
        XCTAssertEqual(adam.step, 1)
        XCTAssertEqual(parameters[0], 0.900000002, accuracy: 1e-12)
        XCTAssertEqual(parameters[1], -1.900000004, accuracy: 1e-12)

        adam.update(parameters: &parameters, gradient: [-0.1, 0.3], learningRate: 0.1)
        XCTAssertEqual(adam.step, 2)
        XCTAssertEqual(parameters[0], 0.848897395699324, accuracy: 1e-12)
        XCTAssertEqual(parameters[1], -1.914294476547747, accuracy: 1e-12)
    }

    /// ε keeps a zero gradient from producing 0/0: the parameter stays put and stays finite.
    func testAdamLeavesAParameterWithZeroGradientUnchanged() {
        var adam = AdamOptimizer(parameterCount: 2)
        var parameters = [0.25, -0.75]
        adam.update(parameters: &parameters, gradient: [0, 2], learningRate: 0.01)
        XCTAssertEqual(parameters[0], 0.25)
        // Step 1 of Adam moves by lr·g/(|g| + ε) ≈ lr·sign(g).
        XCTAssertEqual(parameters[1], -0.75 - 0.01 * 2 / (2 + 1e-8), accuracy: 1e-15)
    }

    /// The optimizer state is what a checkpoint stores: saving after one step and continuing gives
    /// exactly what an uninterrupted run gives.
    func testAdamStateSurvivesCodableRoundTripAndContinuesIdentically() throws {
        var adam = AdamOptimizer(parameterCount: 2, beta1: 0.8, beta2: 0.99, epsilon: 1e-6)
        var parameters = [0.3, 0.4]
        adam.update(parameters: &parameters, gradient: [0.2, -0.7], learningRate: 0.05)
        var restored = try JSONDecoder().decode(AdamOptimizer.self, from: JSONEncoder().encode(adam))
        XCTAssertEqual(restored, adam)
        XCTAssertEqual(restored.beta1, 0.8)
        XCTAssertEqual(restored.beta2, 0.99)
        XCTAssertEqual(restored.epsilon, 1e-6)
        var parametersRestored = parameters
        adam.update(parameters: &parameters, gradient: [-0.4, 0.1], learningRate: 0.05)
        restored.update(parameters: &parametersRestored, gradient: [-0.4, 0.1], learningRate: 0.05)
        XCTAssertEqual(parametersRestored, parameters)
        XCTAssertEqual(restored, adam)
    }

    // MARK: - 6. Global-norm clipping

    func testClippingAGradientOfNormFiveToOneKeepsItsDirectionAndReturnsFive() {
        var gradient = [3.0, 0.0, -4.0]
        let norm = clipGlobalNorm(&gradient, maxNorm: 1)
        XCTAssertEqual(norm, 5, accuracy: 1e-15, "returns the norm before clipping")
        XCTAssertEqual(gradient[0], 0.6, accuracy: 1e-15)
        XCTAssertEqual(gradient[1], 0.0)
        XCTAssertEqual(gradient[2], -0.8, accuracy: 1e-15)
        XCTAssertEqual(sqrt(gradient.reduce(0) { $0 + $1 * $1 }), 1, accuracy: 1e-15, "clipped norm")
    }

    func testClippingLeavesAGradientBelowTheLimitUnchanged() {
        var gradient = [0.3, -0.4]
        let norm = clipGlobalNorm(&gradient, maxNorm: 1)
        XCTAssertEqual(norm, 0.5, accuracy: 1e-15)
        XCTAssertEqual(gradient, [0.3, -0.4], "a gradient of norm 0.5 must not be touched")

        var zero = [0.0, 0.0, 0.0]
        let zeroNorm = zero.withUnsafeMutableBufferPointer { clipGlobalNorm($0, maxNorm: 1) }
        XCTAssertEqual(zeroNorm, 0)
        XCTAssertEqual(zero, [0, 0, 0], "a zero gradient stays zero (no 0/0)")
    }

    // MARK: - 7. Initialisation

    func testInitializationSetsForgetGateBiasesToOneAndEverythingElseWithinPointOne() throws {
        for (index, shape) in [SpecLSTMShape(inputDimension: 2, cells: 11), SpecLSTMShape(inputDimension: 3, cells: 4),
                               SpecLSTMShape(inputDimension: 2, cells: 35)].enumerated() {
            let network = try makeNetwork(shape)
            var generator = Xoshiro256StarStar(seed: 9_000 + UInt64(index))
            network.initializeWeights(using: &generator)
            let forgetBiases = Set((0..<shape.cells).map { shape.biasIndex(gate: .forget, cell: $0) })
            var others: [Double] = []
            for i in 0..<shape.weightCount {
                let w = network.weightStorage[i]
                if forgetBiases.contains(i) {
                    XCTAssertEqual(w, 1.0, "\(shape): forget-gate bias \(shape.describe(i)) must start at +1")
                } else {
                    XCTAssertTrue(w >= -0.1 && w <= 0.1, "\(shape): \(shape.describe(i)) = \(w) outside [−0.1, 0.1]")
                    others.append(w)
                }
            }
            XCTAssertGreaterThan(Set(others).count, others.count / 2, "\(shape): the other weights must be random draws, not all equal")
            if others.count > 500 {
                XCTAssertLessThan(others.min()!, -0.09, "\(shape): weights do not look U[−0.1, 0.1]")
                XCTAssertGreaterThan(others.max()!, 0.09, "\(shape): weights do not look U[−0.1, 0.1]")
                let mean = others.reduce(0, +) / Double(others.count)
                XCTAssertEqual(mean, 0, accuracy: 0.01, "\(shape): U[−0.1, 0.1] has mean 0")
            }
        }
    }

    func testInitializationIsDeterministicForASeedAndDiffersAcrossSeeds() throws {
        let first = try ForgetGateLSTMNetwork(configuration: .paperSized)
        let second = try ForgetGateLSTMNetwork(configuration: .paperSized)
        let third = try ForgetGateLSTMNetwork(configuration: .paperSized)
        var a = Xoshiro256StarStar(masterSeed: 42, stream: .weights)
        var b = Xoshiro256StarStar(masterSeed: 42, stream: .weights)
        var c = Xoshiro256StarStar(masterSeed: 43, stream: .weights)
        first.initializeWeights(using: &a)
        second.initializeWeights(using: &b)
        third.initializeWeights(using: &c)
        XCTAssertEqual(first.weightValues, second.weightValues, "same seed ⇒ same weights")
        XCTAssertEqual(a, b, "same seed ⇒ same generator state afterwards")
        XCTAssertNotEqual(first.weightValues, third.weightValues, "different seeds ⇒ different weights")
    }

    // MARK: - Helpers

    private func countDisagreements(_ analytic: [Double], _ fd: [Double]) -> Int {
        zip(analytic, fd).filter { g, f in abs(g - f) > Self.gradientTolerance * max(1, abs(g), abs(f)) }.count
    }

    private func assertGradientsAgree(_ analytic: [Double], _ fd: [Double], shape: SpecLSTMShape, what: String,
                                      file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(analytic.count, fd.count, what, file: file, line: line)
        var failures = 0
        for i in 0..<min(analytic.count, fd.count) {
            let g = analytic[i], f = fd[i]
            if !(abs(g - f) <= Self.gradientTolerance * max(1, abs(g), abs(f))) {
                if failures < 6 {
                    XCTFail("\(what): \(shape.describe(i)) analytic \(g) vs FD \(f) (diff \(g - f))", file: file, line: line)
                }
                failures += 1
            }
        }
        XCTAssertEqual(failures, 0, "\(what): \(failures) of \(analytic.count) weights disagree", file: file, line: line)
        // The check must not pass vacuously.
        XCTAssertGreaterThan(fd.map(abs).max() ?? 0, 1e-4, "\(what): finite-difference gradient is (almost) zero", file: file, line: line)
    }
}

// MARK: - Reference implementation of docs/method.md §4.9 (plain loops, Float64)

/// A forget-gate LSTM shape with the documented canonical weight layout.
private struct SpecLSTMShape: CustomStringConvertible {
    /// The four gates in layout order (r is the output gate).
    enum Gate: Int, CaseIterable { case input = 0, forget, output, candidate }

    let inputDimension: Int   // d
    let cells: Int            // n

    var description: String { "d \(inputDimension), n \(cells)" }
    /// Length of z(t) = [u(t); h(t−1)] = d + 1 + n.
    var sourceCount: Int { inputDimension + 1 + cells }
    /// One gate row: the sources, then the bias.
    var rowLength: Int { sourceCount + 1 }
    var gateBlockLength: Int { cells * rowLength }
    var weightCount: Int { 4 * gateBlockLength + cells + 1 }

    func index(gate: Gate, cell q: Int, source s: Int) -> Int { gate.rawValue * gateBlockLength + q * rowLength + s }
    func biasIndex(gate: Gate, cell q: Int) -> Int { index(gate: gate, cell: q, source: sourceCount) }
    func outputWeightIndex(cell q: Int) -> Int { 4 * gateBlockLength + q }
    var outputBiasIndex: Int { 4 * gateBlockLength + cells }

    /// A readable name for weight `i`, for failure messages.
    func describe(_ i: Int) -> String {
        if i >= 4 * gateBlockLength { return i == outputBiasIndex ? "b_y (#\(i))" : "w_y[\(i - 4 * gateBlockLength)] (#\(i))" }
        let gate = ["i", "f", "r", "g"][i / gateBlockLength]
        let q = (i % gateBlockLength) / rowLength, s = i % rowLength
        let source = s == sourceCount ? "bias" : (s <= inputDimension ? "u[\(s)]" : "h[\(s - inputDimension - 1)]")
        return "W_\(gate)[\(q)][\(source)] (#\(i))"
    }

    func randomWeights(_ rng: inout Xoshiro256StarStar, halfWidth: Double) -> [Double] {
        (0..<weightCount).map { _ in rng.nextUniform(in: -halfWidth, halfWidth) }
    }

    /// Everything one step computes.
    struct Step {
        var z: [Double] = [], i: [Double] = [], f: [Double] = [], r: [Double] = [], g: [Double] = []
        var previousC: [Double] = [], c: [Double] = [], tanhC: [Double] = [], h: [Double] = []
        var o = 0.0, target = 0.0
    }

    /// docs/method.md §4.9, one step from (h(t−1), c(t−1)).
    func step(weights w: [Double], input u: [Double], previousH: [Double], previousC: [Double]) -> Step {
        var s = Step()
        s.z = u + previousH
        s.previousC = previousC
        func preActivation(_ gate: Gate, _ q: Int) -> Double {
            var sum = w[biasIndex(gate: gate, cell: q)]
            for k in 0..<sourceCount { sum += w[index(gate: gate, cell: q, source: k)] * s.z[k] }
            return sum
        }
        func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        s.i = (0..<cells).map { sigmoid(preActivation(.input, $0)) }
        s.f = (0..<cells).map { sigmoid(preActivation(.forget, $0)) }
        s.r = (0..<cells).map { sigmoid(preActivation(.output, $0)) }
        s.g = (0..<cells).map { tanh(preActivation(.candidate, $0)) }
        s.c = (0..<cells).map { s.f[$0] * previousC[$0] + s.i[$0] * s.g[$0] }
        s.tanhC = s.c.map { tanh($0) }
        s.h = (0..<cells).map { s.r[$0] * s.tanhC[$0] }
        var net = w[outputBiasIndex]
        for q in 0..<cells { net += w[outputWeightIndex(cell: q)] * s.h[q] }
        s.o = sigmoid(net)
        return s
    }

    /// Sequence `k` of `set` from reset, u(t) = (x(t), y(t−1)), y(0) = initialPreviousTarget.
    func run(weights: [Double], set: SequenceSet, sequence k: Int, initialPreviousTarget: Double) -> [Step] {
        var h = [Double](repeating: 0, count: cells), c = h
        var steps: [Step] = []
        for t in 0..<set.length {
            var s = step(weights: weights, input: specNetworkInput(set, sequence: k, step: t, initialPreviousTarget: initialPreviousTarget),
                         previousH: h, previousC: c)
            s.target = set.target(sequence: k, example: t)
            h = s.h
            c = s.c
            steps.append(s)
        }
        return steps
    }

    /// L = Σ_k Σ_t ½(y − o)², and Σ e² (no ½).
    func loss(weights: [Double], set: SequenceSet, sequences: [Int], initialPreviousTarget: Double)
        -> (halfSquaredErrorSum: Double, squaredErrorSum: Double) {
        var squared = 0.0
        for k in sequences {
            for s in run(weights: weights, set: set, sequence: k, initialPreviousTarget: initialPreviousTarget) {
                squared += (s.target - s.o) * (s.target - s.o)
            }
        }
        return (squared / 2, squared)
    }

    /// The analytic BPTT gradient of docs/method.md §4.9 (∂L/∂w, not its negative). `dropCellCarry` omits the
    /// dc(t+1)⊙f(t+1) term — a deliberately wrong variant used to show the FD check catches it.
    func gradient(weights w: [Double], set: SequenceSet, sequences: [Int], initialPreviousTarget: Double,
                  dropCellCarry: Bool = false) -> [Double] {
        var grad = [Double](repeating: 0, count: weightCount)
        let h0 = inputDimension + 1  // where h(t−1) starts in z
        for k in sequences {
            let steps = run(weights: w, set: set, sequence: k, initialPreviousTarget: initialPreviousTarget)
            var nextGates = [[Double]](repeating: [Double](repeating: 0, count: cells), count: 4)  // d̂x(t+1)
            var nextDC = [Double](repeating: 0, count: cells)
            var nextF = [Double](repeating: 0, count: cells)
            for t in stride(from: steps.count - 1, through: 0, by: -1) {
                let s = steps[t]
                let delta = -(s.target - s.o) * s.o * (1 - s.o)
                var dh = (0..<cells).map { w[outputWeightIndex(cell: $0)] * delta }
                for q in 0..<cells {
                    for gate in Gate.allCases {
                        for p in 0..<cells { dh[q] += w[index(gate: gate, cell: p, source: h0 + q)] * nextGates[gate.rawValue][p] }
                    }
                }
                var dc = [Double](repeating: 0, count: cells)
                var gates = nextGates
                for q in 0..<cells {
                    dc[q] = dh[q] * s.r[q] * (1 - s.tanhC[q] * s.tanhC[q]) + (dropCellCarry ? 0 : nextDC[q] * nextF[q])
                    gates[Gate.output.rawValue][q] = dh[q] * s.tanhC[q] * s.r[q] * (1 - s.r[q])
                    gates[Gate.input.rawValue][q] = dc[q] * s.g[q] * s.i[q] * (1 - s.i[q])
                    gates[Gate.forget.rawValue][q] = dc[q] * s.previousC[q] * s.f[q] * (1 - s.f[q])
                    gates[Gate.candidate.rawValue][q] = dc[q] * s.i[q] * (1 - s.g[q] * s.g[q])
                }
                for gate in Gate.allCases {
                    for q in 0..<cells {
                        let d = gates[gate.rawValue][q]
                        for src in 0..<sourceCount { grad[index(gate: gate, cell: q, source: src)] += d * s.z[src] }
                        grad[biasIndex(gate: gate, cell: q)] += d
                    }
                }
                for q in 0..<cells { grad[outputWeightIndex(cell: q)] += delta * s.h[q] }
                grad[outputBiasIndex] += delta
                nextGates = gates
                nextDC = dc
                nextF = s.f
            }
        }
        return grad
    }
}

/// The network input u(t) = (x(t), y(t−1)) of sequence `k`, step `t` (0-based), y(0) given.
private func specNetworkInput(_ set: SequenceSet, sequence k: Int, step t: Int, initialPreviousTarget: Double) -> [Double] {
    Array(set.input(sequence: k, example: t)) + [t == 0 ? initialPreviousTarget : set.target(sequence: k, example: t - 1)]
}

/// Random inputs and targets in (0, 1) (task brief), seeded.
private func specRandomSequenceSet(count: Int, length: Int, inputDimension: Int, _ rng: inout Xoshiro256StarStar) -> SequenceSet {
    let inputs = (0..<(count * length * inputDimension)).map { _ in rng.nextUniform(in: 0.01, 0.99) }
    let targets = (0..<(count * length)).map { _ in rng.nextUniform(in: 0.01, 0.99) }
    return SequenceSet(count: count, length: length, inputDimension: inputDimension, inputs: inputs, targets: targets,
                       functionIDs: [Int](repeating: -1, count: count))
}

/// Central differences (L(w + ε e_i) − L(w − ε e_i)) / 2ε for every weight.
