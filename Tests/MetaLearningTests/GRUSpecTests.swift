// Independent tests of the GRU network, written from its specification alone, without reading the
// implementation:
//
//     n cells, input u(t) = (x(t), y(t−1)) of d + 1 values, h(0) = 0:
//     r(t) = σ(W_r [u(t); h(t−1)] + b_r)                  reset gate
//     z(t) = σ(W_z [u(t); h(t−1)] + b_z)                  update gate
//     ĥ(t) = tanh(W_h [u(t); r(t) ⊙ h(t−1)] + b_h)       candidate
//     h(t) = (1 − z(t)) ⊙ h(t−1) + z(t) ⊙ ĥ(t)
//     o(t) = σ(w_y · h(t) + b_y)
//
// Canonical weight order: the gate blocks [r, z, ĥ], each of n rows; row q holds the d + 1 weights
// on u(t), then the n weights on h(t−1) (for ĥ: on r ⊙ h(t−1)), then the bias (d + n + 2 values);
// then w_y (n values), then b_y. weightCount = 3n(d + n + 2) + n + 1. Initialisation: one
// nextUniform(in: −0.1, 0.1) per weight in canonical order.
//
// Below the network tests sit a plain reference implementation of these equations (explicit index
// arithmetic on the canonical layout, Float64 loops), its loss, central finite differences, and an
// analytic BPTT gradient of the reference that is used only to show that the finite-difference
// check is sharp enough (`GRUSpecReferenceSelfTests`), which also checks the reference against
// closed-form values of single-weight probes.

import XCTest
import MetaLearning

final class GRUSpecTests: XCTestCase {

    /// Central differences with ε = 1e−6 ...
    static let finiteDifferenceStep = 1e-6

    private func makeNetwork(_ shape: GRUSpecShape) throws -> GRUNetwork {
        try GRUNetwork(configuration: GRUNetwork.Configuration(inputDimension: shape.d, cells: shape.n))
    }

    /// Runs the network from reset over `inputs`, returning o(1), …, o(T).
    private func run(_ network: GRUNetwork, _ inputs: [[Double]], learning: Bool = false) -> [Double] {
        network.reset()
        return inputs.map { network.step($0, learning: learning) }
    }

    // MARK: - 1. Weight count

    func testWeightCountIsThreeGateBlocksOfNRowsOfDPlusNPlusTwoPlusOutputLayer() throws {
        // (d, n) = (2, 11): 3·11·15 + 11 + 1 = 507. (The brief quoted 508 for this shape; that number
        // contradicts its own formula and layout, which both give 507 — see the report.)
        let expected: [(d: Int, n: Int, count: Int)] = [
            (1, 1, 14), (2, 1, 17), (2, 3, 67), (3, 5, 156), (2, 11, 507), (5, 7, 302), (4, 20, 1_581),
        ]
        for (d, n, count) in expected {
            let shape = GRUSpecShape(d: d, n: n)
            XCTAssertEqual(shape.weightCount, count, "reference layout of (d \(d), n \(n))")
            XCTAssertEqual(3 * n * (d + n + 2) + n + 1, count)
            let network = try makeNetwork(shape)
            XCTAssertEqual(network.weightCount, count, "weightCount of (d \(d), n \(n))")
            XCTAssertEqual(network.weightStorage.count, count, "weightStorage.count of (d \(d), n \(n))")
            XCTAssertEqual(network.weightValues.count, count)
            XCTAssertEqual(network.inputCount, d + 1, "u(t) = (x(t), y(t−1)) has d + 1 values")
        }
    }

    func testArchitectureGRUMakesAZeroWeightGRUOfTheSameShape() throws {
        let configuration = GRUNetwork.Configuration(inputDimension: 3, cells: 4)
        let architecture = Architecture.gru(configuration)
        let made = try architecture.makeNetwork()
        let network = try XCTUnwrap(made as? GRUNetwork, "Architecture.gru(_:).makeNetwork() must build a GRUNetwork")
        XCTAssertEqual(network.weightCount, GRUSpecShape(d: 3, n: 4).weightCount)
        XCTAssertEqual(network.inputCount, 4)
        XCTAssertEqual(network.architecture, architecture)
        XCTAssertEqual(try makeNetwork(GRUSpecShape(d: 3, n: 4)).architecture, architecture)
        XCTAssertTrue(network.weightValues.allSatisfy { $0 == 0 }, "makeNetwork builds the network with all weights zero")

        // Same weights, same outputs as the reference.
        var rng = Xoshiro256StarStar(seed: 31_001)
        let shape = GRUSpecShape(d: 3, n: 4)
        let weights = shape.randomWeights(&rng, halfWidth: 1)
        try network.setWeights(weights)
        let inputs = gruSpecRandomInputs(steps: 6, d: 3, &rng)
        let reference = shape.outputs(weights, inputs)
        for (t, o) in run(network, inputs).enumerated() {
            XCTAssertEqual(o, reference[t], accuracy: 1e-12, "o(\(t + 1))")
        }
    }

    // MARK: - 2. Initialisation

    func testInitializeWeightsDrawsOneUniformPerWeightInCanonicalOrder() throws {
        for (shape, seed) in [(GRUSpecShape(d: 2, n: 11), UInt64(7)), (GRUSpecShape(d: 3, n: 5), 123_456), (GRUSpecShape(d: 1, n: 1), 9)] {
            let network = try makeNetwork(shape)
            // Non-zero weights beforehand: initialisation must overwrite every one of them.
            try network.setWeights((0..<shape.weightCount).map { 0.5 + Double($0 % 5) })
            var generator = Xoshiro256StarStar(seed: seed)
            network.initializeWeights(using: &generator)

            var twin = Xoshiro256StarStar(seed: seed)
            let expected = (0..<shape.weightCount).map { _ in twin.nextUniform(in: -0.1, 0.1) }
            let actual = network.weightValues
            XCTAssertEqual(actual.count, expected.count)
            for i in 0..<min(actual.count, expected.count) where actual[i] != expected[i] {
                XCTFail("\(shape): weight \(shape.describe(i)) is \(actual[i]), the \(i)th draw is \(expected[i])")
                break
            }
            XCTAssertTrue(actual.allSatisfy { $0 >= -0.1 && $0 <= 0.1 }, "\(shape): every weight within [−0.1, 0.1]")
            XCTAssertEqual(generator, twin, "\(shape): exactly one draw per weight, no more")
            for i in 0..<min(actual.count, network.weightStorage.count) {
                XCTAssertEqual(network.weightStorage[i], actual[i])
            }
        }
    }

    // MARK: - 3. Forward pass

    /// Every shape d ∈ {2, 3}, n ∈ {1, 3, 5}, weights U[−1, 1] (every gate far from both a constant
    /// and saturation), 9 steps, with and without learning; a second and third pass after leftover
    /// steps show that reset() restores h(0) = 0.
    func testForwardStepsEqualTheReferenceEquationsAndResetRestarts() throws {
        var rng = Xoshiro256StarStar(seed: 31_003)
        for d in [2, 3] {
            for n in [1, 3, 5] {
                let shape = GRUSpecShape(d: d, n: n)
                let network = try makeNetwork(shape)
                let weights = shape.randomWeights(&rng, halfWidth: 1)
                try network.setWeights(weights)
                let inputs = gruSpecRandomInputs(steps: 9, d: d, &rng)
                let reference = shape.outputs(weights, inputs)
                for pass in 0..<3 {
                    let learning = pass == 1
                    network.reset()
                    for t in 0..<inputs.count {
                        let o = network.step(inputs[t], learning: learning)
                        XCTAssertEqual(o, reference[t], accuracy: 1e-12, "\(shape): o(\(t + 1)), pass \(pass), learning \(learning)")
                    }
                    // Leave state behind for the next pass's reset() to clear.
                    _ = network.step(inputs[2], learning: learning)
                    _ = network.step(inputs[0], learning: learning)
                }
                XCTAssertEqual(network.weightValues, weights, "\(shape): stepping must not change the weights")
            }
        }
    }

    // MARK: - 4. Layout probes (all weights zero except one or a few)

    /// Each probe sets a handful of weights on a zero network and predicts the outputs in closed
    /// form; a swapped gate block, a misplaced bias, a row read as a column, z and 1 − z exchanged,
    /// or r applied after the matrix instead of before it changes the outputs.
    private func checkProbe(_ probe: GRUSpecProbe) throws {
        let network = try makeNetwork(probe.shape)
        try network.setWeights(probe.weights)
        let outputs = run(network, probe.inputs)
        let reference = probe.shape.outputs(probe.weights, probe.inputs)
        for t in 0..<probe.inputs.count {
            XCTAssertEqual(outputs[t], probe.expected[t], accuracy: 1e-13, "\(probe.name): o(\(t + 1)) vs closed form")
            XCTAssertEqual(outputs[t], reference[t], accuracy: 1e-13, "\(probe.name): o(\(t + 1)) vs reference")
        }
    }

    func testOutputBiasAloneGivesSigmoidOfTheBiasAtEveryStep() throws {
        try checkProbe(GRUSpecProbe.outputBiasOnly())
    }

    func testOutputWeightOfCellQReadsTheHiddenStateOfCellQDrivenByItsCandidateBias() throws {
        for q in 0..<3 { try checkProbe(GRUSpecProbe.candidateBiasThroughOutputWeight(cell: q, readBy: q)) }
        // w_y on another cell sees nothing: o = ½.
        try checkProbe(GRUSpecProbe.candidateBiasThroughOutputWeight(cell: 2, readBy: 0))
    }

    func testUpdateGateBiasSetsTheShareOfTheCandidateInTheNewHiddenState() throws {
        for q in [0, 2] { try checkProbe(GRUSpecProbe.updateGateBias(cell: q)) }
    }

    func testCandidateRowReadsXThenPreviousTargetBeforeItsRecurrentWeights() throws {
        for input in 0..<3 { try checkProbe(GRUSpecProbe.candidateInputWeight(cell: 1, input: input)) }
    }

    func testCandidateReadsResetGatedHiddenStateOfTheSourceCell() throws {
        try checkProbe(GRUSpecProbe.resetGateOfSourceCell(resetWeight: 2.5))
        // The reset gate matters only through r ⊙ h(t−1): at step 1 (h(0) = 0) it changes nothing,
        // at step 2 it does.
        let network = try makeNetwork(GRUSpecProbe.resetGateOfSourceCell(resetWeight: 0).shape)
        try network.setWeights(GRUSpecProbe.resetGateOfSourceCell(resetWeight: 0).weights)
        let without = run(network, GRUSpecProbe.resetGateOfSourceCell(resetWeight: 0).inputs)
        try network.setWeights(GRUSpecProbe.resetGateOfSourceCell(resetWeight: 2.5).weights)
        let with = run(network, GRUSpecProbe.resetGateOfSourceCell(resetWeight: 2.5).inputs)
        XCTAssertEqual(with[0], without[0], "r(1) multiplies h(0) = 0: the reset-gate weight cannot affect o(1)")
        XCTAssertGreaterThan(abs(with[1] - without[1]), 1e-4, "the reset-gate weight must affect o(2) through r(2) ⊙ h(1)")
    }

    func testUpdateGateRecurrentWeightReadsThePreviousHiddenStateOfTheSourceCell() throws {
        try checkProbe(GRUSpecProbe.updateGateRecurrentWeight())
    }

    // MARK: - 5. Sequence gradient

    /// ∂L/∂w of L = Σ_k Σ_t ½(y_k(t) − o_k(t))² against central differences of the reference loss,
    /// for every weight; the return value is Σ(y − o)² (no ½, no average).
    func testSequenceGradientEqualsFiniteDifferencesOfTheReferenceLossForEveryWeight() throws {
        var rng = Xoshiro256StarStar(seed: 31_005)
        let cases: [(shape: GRUSpecShape, length: Int, setCount: Int, sequences: [Int])] = [
            (GRUSpecShape(d: 2, n: 3), 5, 2, [0, 1]),
            (GRUSpecShape(d: 3, n: 5), 7, 3, [2, 0, 1]),
            (GRUSpecShape(d: 2, n: 1), 6, 3, [1, 2]),
            (GRUSpecShape(d: 2, n: 4), 7, 3, [0, 2]),
        ]
        for testCase in cases {
            let shape = testCase.shape
            let network = try makeNetwork(shape)
            let weights = shape.randomWeights(&rng, halfWidth: 1)
            try network.setWeights(weights)
            let set = gruSpecRandomSequenceSet(count: testCase.setCount, length: testCase.length, d: shape.d, &rng)
            let y0 = rng.nextUniform(in: 0.1, 0.9)
            let label = "\(shape), J \(testCase.length), sequences \(testCase.sequences), y(0) \(y0)"

            // Leave the network mid-sequence: the call must run each sequence from reset.
            network.reset()
            _ = network.step(gruSpecInputs(set, sequence: 0, initialPreviousTarget: 0.3)[0], learning: true)

            // Start from a non-zero buffer: the gradient is added.
            let offset = (0..<shape.weightCount).map { Double($0 % 5) - 2 }
            var gradient = offset
            let squaredErrors = network.accumulateSequenceGradient(of: set, sequences: testCase.sequences,
                                                                   initialPreviousTarget: y0, into: &gradient)
            let added = zip(gradient, offset).map { $0 - $1 }

            let reference = shape.loss(weights, set: set, sequences: testCase.sequences, initialPreviousTarget: y0)
            XCTAssertEqual(squaredErrors, reference.squaredErrors, accuracy: 1e-12 * max(1, reference.squaredErrors),
                           "\(label): returned Σ(y − o)²")
            let fd = gruSpecFiniteDifferences(weights) {
                shape.loss($0, set: set, sequences: testCase.sequences, initialPreviousTarget: y0).halfSquaredErrors
            }
            gruSpecAssertGradientsAgree(added, fd, shape: shape, label)
            XCTAssertEqual(network.weightValues, weights, "\(label): computing a gradient must not change the weights")
        }
    }

    // MARK: - 6. The step interface

    /// After step(_, learning: true) for t = 1…T, accumulateUpdate(target: y(T), scale: 1) adds
    /// −∂(½e(T)²)/∂w backpropagated through every step since reset — called only at T, and called
    /// at every step into a fresh buffer.
    func testAccumulateUpdateAfterLearningStepsIsTheNegativeGradientOfTheLastHalfSquaredError() throws {
        var rng = Xoshiro256StarStar(seed: 31_006)
        for (shape, length) in [(GRUSpecShape(d: 2, n: 3), 6), (GRUSpecShape(d: 3, n: 2), 5), (GRUSpecShape(d: 2, n: 5), 7)] {
            let network = try makeNetwork(shape)
            let weights = shape.randomWeights(&rng, halfWidth: 1)
            try network.setWeights(weights)
            let set = gruSpecRandomSequenceSet(count: 1, length: length, d: shape.d, &rng)
            let inputs = gruSpecInputs(set, sequence: 0, initialPreviousTarget: 0.5)
            let targets = (0..<length).map { set.target(sequence: 0, example: $0) }

            func fdOfLastError(_ steps: Int) -> [Double] {
                gruSpecFiniteDifferences(weights) {
                    let o = shape.outputs($0, Array(inputs[0..<steps]))
                    let e = targets[steps - 1] - o[steps - 1]
                    return 0.5 * e * e
                }
            }

            // Only at T.
            network.reset()
            for t in 0..<length { _ = network.step(inputs[t], learning: true) }
            var update = [Double](repeating: 0, count: shape.weightCount)
            network.accumulateUpdate(target: targets[length - 1], scale: 1, into: &update)
            gruSpecAssertGradientsAgree(update.map { -$0 }, fdOfLastError(length), shape: shape, "\(shape), update at T = \(length) only")
            XCTAssertEqual(network.weightValues, weights, "\(shape): accumulating into a separate buffer must not change the weights")

            // At every step.
            network.reset()
            for t in 0..<length {
                _ = network.step(inputs[t], learning: true)
                var stepUpdate = [Double](repeating: 0, count: shape.weightCount)
                network.accumulateUpdate(target: targets[t], scale: 1, into: &stepUpdate)
                gruSpecAssertGradientsAgree(stepUpdate.map { -$0 }, fdOfLastError(t + 1), shape: shape,
                                            "\(shape), update at every step, t = \(t + 1)")
            }

            // Scaled and added into what the buffer holds.
            network.reset()
            for t in 0..<length { _ = network.step(inputs[t], learning: true) }
            let offset = (0..<shape.weightCount).map { 0.1 * Double($0 % 7) - 0.3 }
            var scaled = offset
            network.accumulateUpdate(target: targets[length - 1], scale: 0.25, into: &scaled)
            for i in 0..<shape.weightCount {
                XCTAssertEqual(scaled[i], offset[i] + 0.25 * update[i], accuracy: 1e-12 * max(1, abs(update[i])),
                               "\(shape): scale multiplies and the buffer is added to, \(shape.describe(i))")
            }
            XCTAssertEqual(network.weightValues, weights)
        }
    }
}

// MARK: - Checks of the reference itself (need no network)

final class GRUSpecReferenceSelfTests: XCTestCase {

    /// The closed-form values of the probes agree with the reference forward pass.
    func testReferenceForwardMatchesClosedFormProbes() {
        for probe in GRUSpecProbe.all {
            let outputs = probe.shape.outputs(probe.weights, probe.inputs)
            for t in 0..<probe.inputs.count {
                XCTAssertEqual(outputs[t], probe.expected[t], accuracy: 1e-14, "\(probe.name): o(\(t + 1))")
            }
        }
    }

    /// The analytic BPTT gradient of the reference passes the same finite-difference check the
    /// network must pass; gradients with a typical bug (reset-gate path dropped, truncated after
    /// one step, z and 1 − z exchanged in the backward pass, sign flipped) fail it.
    func testFiniteDifferenceCheckAcceptsReferenceBPTTAndCatchesTypicalBugs() {
        var rng = Xoshiro256StarStar(seed: 31_100)
        for shape in [GRUSpecShape(d: 2, n: 3), GRUSpecShape(d: 3, n: 5), GRUSpecShape(d: 2, n: 1)] {
            let weights = shape.randomWeights(&rng, halfWidth: 1)
            let set = gruSpecRandomSequenceSet(count: 3, length: 6, d: shape.d, &rng)
            let sequences = [0, 2]
            let fd = gruSpecFiniteDifferences(weights) {
                shape.loss($0, set: set, sequences: sequences, initialPreviousTarget: 0.5).halfSquaredErrors
            }
            func gradient(_ bug: GRUSpecShape.Bug?) -> [Double] {
                var g = [Double](repeating: 0, count: shape.weightCount)
                for k in sequences {
                    let inputs = gruSpecInputs(set, sequence: k, initialPreviousTarget: 0.5)
                    let targets = (0..<set.length).map { set.target(sequence: k, example: $0) }
                    let part = shape.bpttGradient(weights, inputs, targets: targets, bug: bug)
                    for i in 0..<g.count { g[i] += part[i] }
                }
                return g
            }
            XCTAssertEqual(gruSpecDisagreements(gradient(nil), fd), 0, "\(shape): reference BPTT must pass")
            XCTAssertGreaterThan(gruSpecDisagreements(gradient(nil).map { -$0 }, fd), 0, "\(shape): flipped sign must fail")
            XCTAssertGreaterThan(gruSpecDisagreements(gradient(.truncated), fd), 0, "\(shape): truncated BPTT must fail")
            XCTAssertGreaterThan(gruSpecDisagreements(gradient(.exchangedUpdateGate), fd), 0, "\(shape): z ↔ 1 − z must fail")
            XCTAssertGreaterThan(gruSpecDisagreements(gradient(.droppedResetPath), fd), 0, "\(shape): dropped r path must fail")
        }
    }

    /// The per-step form: BPTT of ½e(T)² alone agrees with finite differences of the reference.
    func testReferenceBPTTOfTheLastErrorAloneMatchesFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 31_101)
        let shape = GRUSpecShape(d: 2, n: 3)
        let weights = shape.randomWeights(&rng, halfWidth: 1)
        let inputs = gruSpecRandomInputs(steps: 6, d: 2, &rng)
        let y = 0.8
        let fd = gruSpecFiniteDifferences(weights) {
            let e = y - shape.outputs($0, inputs)[5]
            return 0.5 * e * e
        }
        let g = shape.bpttGradient(weights, inputs, targets: [nil, nil, nil, nil, nil, y], bug: nil)
        XCTAssertEqual(gruSpecDisagreements(g, fd), 0)
    }
}

// MARK: - Reference implementation

struct GRUSpecShape: CustomStringConvertible {
    /// Dimension of x; the network input u = (x, y(t−1)) has d + 1 values.
    let d: Int
    /// Cells.
    let n: Int

    enum Gate: Int { case reset = 0, update = 1, candidate = 2 }

    var description: String { "GRU(d \(d), n \(n))" }
    var inputCount: Int { d + 1 }
    var rowLength: Int { d + n + 2 }
    var blockLength: Int { n * rowLength }
    var weightCount: Int { 3 * blockLength + n + 1 }

    /// Weight of row q of `gate` on u[i], i in 0...d (u[d] = y(t−1)).
    func inputWeight(_ gate: Gate, row q: Int, input i: Int) -> Int { gate.rawValue * blockLength + q * rowLength + i }
    /// Weight of row q of `gate` on h(t−1)[m] (for the candidate: on (r ⊙ h(t−1))[m]).
    func recurrentWeight(_ gate: Gate, row q: Int, hidden m: Int) -> Int {
        gate.rawValue * blockLength + q * rowLength + (d + 1) + m
    }
    /// Bias of row q of `gate`.
    func bias(_ gate: Gate, row q: Int) -> Int { gate.rawValue * blockLength + q * rowLength + (d + 1) + n }
    /// w_y[m].
    func outputWeight(_ m: Int) -> Int { 3 * blockLength + m }
    /// b_y.
    var outputBias: Int { 3 * blockLength + n }

    func describe(_ index: Int) -> String {
        if index >= 3 * blockLength { return index == outputBias ? "b_y" : "w_y[\(index - 3 * blockLength)]" }
        let gate = ["r", "z", "ĥ"][index / blockLength]
        let q = (index % blockLength) / rowLength, c = index % rowLength
        if c <= d { return "W_\(gate)[\(q)] on u[\(c)] (#\(index))" }
        if c < d + 1 + n { return "W_\(gate)[\(q)] on h[\(c - d - 1)] (#\(index))" }
        return "b_\(gate)[\(q)] (#\(index))"
    }

    func randomWeights(_ rng: inout Xoshiro256StarStar, halfWidth: Double) -> [Double] {
        (0..<weightCount).map { _ in rng.nextUniform(in: -halfWidth, halfWidth) }
    }

    struct Step {
        var u: [Double], hPrevious: [Double], r: [Double], z: [Double], candidate: [Double], h: [Double], o: Double
    }

    /// The forward pass from h(0) = 0.
    func forward(_ w: [Double], _ inputs: [[Double]]) -> [Step] {
        precondition(w.count == weightCount)
        var h = [Double](repeating: 0, count: n)
        var steps: [Step] = []
        for u in inputs {
            precondition(u.count == inputCount)
            var r = [Double](repeating: 0, count: n), z = r, candidate = r, hNew = r
            for q in 0..<n {
                var ar = w[bias(.reset, row: q)], az = w[bias(.update, row: q)]
                for i in 0..<inputCount {
                    ar += w[inputWeight(.reset, row: q, input: i)] * u[i]
                    az += w[inputWeight(.update, row: q, input: i)] * u[i]
                }
                for m in 0..<n {
                    ar += w[recurrentWeight(.reset, row: q, hidden: m)] * h[m]
                    az += w[recurrentWeight(.update, row: q, hidden: m)] * h[m]
                }
                r[q] = gruSpecSigmoid(ar)
                z[q] = gruSpecSigmoid(az)
            }
            for q in 0..<n {
                var a = w[bias(.candidate, row: q)]
                for i in 0..<inputCount { a += w[inputWeight(.candidate, row: q, input: i)] * u[i] }
                for m in 0..<n { a += w[recurrentWeight(.candidate, row: q, hidden: m)] * (r[m] * h[m]) }
                candidate[q] = tanh(a)
                hNew[q] = (1 - z[q]) * h[q] + z[q] * candidate[q]
            }
            var ao = w[outputBias]
            for m in 0..<n { ao += w[outputWeight(m)] * hNew[m] }
            steps.append(Step(u: u, hPrevious: h, r: r, z: z, candidate: candidate, h: hNew, o: gruSpecSigmoid(ao)))
            h = hNew
        }
        return steps
    }

    func outputs(_ w: [Double], _ inputs: [[Double]]) -> [Double] { forward(w, inputs).map(\.o) }

    /// Σ_k Σ_t ½(y − o)² and Σ_k Σ_t (y − o)² over the listed sequences, each from reset.
    func loss(_ w: [Double], set: SequenceSet, sequences: [Int], initialPreviousTarget y0: Double)
        -> (halfSquaredErrors: Double, squaredErrors: Double) {
        var sum = 0.0
        for k in sequences {
            let o = outputs(w, gruSpecInputs(set, sequence: k, initialPreviousTarget: y0))
            for t in 0..<set.length {
                let e = set.target(sequence: k, example: t) - o[t]
                sum += e * e
            }
        }
        return (0.5 * sum, sum)
    }

    enum Bug { case droppedResetPath, truncated, exchangedUpdateGate }

    /// Analytic BPTT of Σ_t ½(y(t) − o(t))² over the steps with a target (nil: no error at that
    /// step). Used only to show that the finite-difference check is sharp; `bug` injects a mistake.
    func bpttGradient(_ w: [Double], _ inputs: [[Double]], targets: [Double?], bug: Bug?) -> [Double] {
        let steps = forward(w, inputs)
        var g = [Double](repeating: 0, count: weightCount)
        var dhNext = [Double](repeating: 0, count: n)
        for t in stride(from: steps.count - 1, through: 0, by: -1) {
            let s = steps[t]
            var dh = bug == .truncated ? [Double](repeating: 0, count: n) : dhNext
            if let y = targets[t] {
                let dao = (s.o - y) * s.o * (1 - s.o)
                g[outputBias] += dao
                for m in 0..<n {
                    g[outputWeight(m)] += dao * s.h[m]
                    dh[m] += dao * w[outputWeight(m)]
                }
            }
            var dhPrevious = [Double](repeating: 0, count: n)
            var dac = [Double](repeating: 0, count: n), daz = dac, dar = dac
            for q in 0..<n {
                let z = bug == .exchangedUpdateGate ? 1 - s.z[q] : s.z[q]
                let dz = dh[q] * (s.candidate[q] - s.hPrevious[q]) * (bug == .exchangedUpdateGate ? -1 : 1)
                dac[q] = dh[q] * z * (1 - s.candidate[q] * s.candidate[q])
                daz[q] = dz * s.z[q] * (1 - s.z[q])
                dhPrevious[q] += dh[q] * (1 - z)
            }
            // Candidate: reads r ⊙ h(t−1).
            var dGated = [Double](repeating: 0, count: n)
            for q in 0..<n {
                for i in 0..<inputCount { g[inputWeight(.candidate, row: q, input: i)] += dac[q] * s.u[i] }
                for m in 0..<n {
                    g[recurrentWeight(.candidate, row: q, hidden: m)] += dac[q] * s.r[m] * s.hPrevious[m]
                    dGated[m] += dac[q] * w[recurrentWeight(.candidate, row: q, hidden: m)]
                }
                g[bias(.candidate, row: q)] += dac[q]
            }
            for m in 0..<n {
                dhPrevious[m] += dGated[m] * s.r[m]
                dar[m] = bug == .droppedResetPath ? 0 : dGated[m] * s.hPrevious[m] * s.r[m] * (1 - s.r[m])
            }
            for (gate, da) in [(Gate.reset, dar), (Gate.update, daz)] {
                for q in 0..<n {
                    for i in 0..<inputCount { g[inputWeight(gate, row: q, input: i)] += da[q] * s.u[i] }
                    for m in 0..<n {
                        g[recurrentWeight(gate, row: q, hidden: m)] += da[q] * s.hPrevious[m]
                        dhPrevious[m] += da[q] * w[recurrentWeight(gate, row: q, hidden: m)]
                    }
                    g[bias(gate, row: q)] += da[q]
                }
            }
            dhNext = dhPrevious
        }
        return g
    }
}

/// A zero network with a few weights set, its inputs and its outputs in closed form.
struct GRUSpecProbe {
    let name: String
    let shape: GRUSpecShape
    let weights: [Double]
    let inputs: [[Double]]
    let expected: [Double]

    static let probeShape = GRUSpecShape(d: 2, n: 3)

    /// Fixed inputs (x0, x1, y(t−1)), all distinct and non-zero.
    static let probeInputs: [[Double]] = [
        [0.7, -0.4, 0.35], [-0.9, 0.25, 0.6], [0.45, 0.8, 0.15], [-0.3, -0.65, 0.9], [0.55, 0.1, 0.4],
    ]

    static var all: [GRUSpecProbe] {
        [outputBiasOnly()]
            + (0..<3).map { candidateBiasThroughOutputWeight(cell: $0, readBy: $0) }
            + [candidateBiasThroughOutputWeight(cell: 2, readBy: 0)]
            + [updateGateBias(cell: 0), updateGateBias(cell: 2)]
            + (0..<3).map { candidateInputWeight(cell: 1, input: $0) }
            + [resetGateOfSourceCell(resetWeight: 0), resetGateOfSourceCell(resetWeight: 2.5), updateGateRecurrentWeight()]
    }

    private static func zero() -> [Double] { [Double](repeating: 0, count: probeShape.weightCount) }

    /// Only b_y: o = σ(b_y) at every step.
    static func outputBiasOnly() -> GRUSpecProbe {
        var w = zero()
        w[probeShape.outputBias] = 0.7
        return GRUSpecProbe(name: "b_y only", shape: probeShape, weights: w, inputs: probeInputs,
                            expected: probeInputs.map { _ in gruSpecSigmoid(0.7) })
    }

    /// b_ĥ[q] = c, w_y[m] = a: z = ½, ĥ_q = tanh c, so h_q(t) = (1 − 2^−t)·tanh c; o = σ(a·h_m).
    static func candidateBiasThroughOutputWeight(cell q: Int, readBy m: Int) -> GRUSpecProbe {
        let c = 0.9, a = 1.7
        var w = zero()
        w[probeShape.bias(.candidate, row: q)] = c
        w[probeShape.outputWeight(m)] = a
        let expected = (1...probeInputs.count).map { t -> Double in
            q == m ? gruSpecSigmoid(a * (1 - pow(0.5, Double(t))) * tanh(c)) : 0.5
        }
        return GRUSpecProbe(name: "b_ĥ[\(q)] read by w_y[\(m)]", shape: probeShape, weights: w, inputs: probeInputs, expected: expected)
    }

    /// b_z[q] = β, b_ĥ[q] = c, w_y[q] = a: h_q(t) = (1 − (1 − σ(β))^t)·tanh c.
    static func updateGateBias(cell q: Int) -> GRUSpecProbe {
        let beta = 1.3, c = -0.8, a = 2.1
        var w = zero()
        w[probeShape.bias(.update, row: q)] = beta
        w[probeShape.bias(.candidate, row: q)] = c
        w[probeShape.outputWeight(q)] = a
        let keep = 1 - gruSpecSigmoid(beta)
        let expected = (1...probeInputs.count).map { gruSpecSigmoid(a * (1 - pow(keep, Double($0))) * tanh(c)) }
        return GRUSpecProbe(name: "b_z[\(q)] with b_ĥ[\(q)]", shape: probeShape, weights: w, inputs: probeInputs, expected: expected)
    }

    /// W_ĥ[q] on u[i] = v, w_y[q] = a: h_q(t) = ½h_q(t−1) + ½tanh(v·u_i(t)).
    static func candidateInputWeight(cell q: Int, input i: Int) -> GRUSpecProbe {
        let v = 1.4, a = 1.9
        var w = zero()
        w[probeShape.inputWeight(.candidate, row: q, input: i)] = v
        w[probeShape.outputWeight(q)] = a
        var h = 0.0
        let expected = probeInputs.map { u -> Double in
            h = 0.5 * h + 0.5 * tanh(v * u[i])
            return gruSpecSigmoid(a * h)
        }
        return GRUSpecProbe(name: "W_ĥ[\(q)] on u[\(i)]", shape: probeShape, weights: w, inputs: probeInputs, expected: expected)
    }

    /// Cell 1 is driven by b_ĥ[1] = c1; cell 0's candidate reads it through W_ĥ[0] on (r ⊙ h)[1] = v;
    /// the reset gate of cell 1 has W_r[1] on x0 = s (cell 0's own reset gate stays at ½). With
    /// ĥ = tanh(W [u; r ⊙ h]) cell 0 sees r_1·h_1; with r applied after the matrix it would see ½·h_1.
    static func resetGateOfSourceCell(resetWeight s: Double) -> GRUSpecProbe {
        let c1 = 1.1, v = 2.3, a = 1.6
        var w = zero()
        w[probeShape.bias(.candidate, row: 1)] = c1
        w[probeShape.recurrentWeight(.candidate, row: 0, hidden: 1)] = v
        w[probeShape.inputWeight(.reset, row: 1, input: 0)] = s
        w[probeShape.outputWeight(0)] = a
        var h0 = 0.0, h1 = 0.0
        let expected = probeInputs.map { u -> Double in
            let r1 = gruSpecSigmoid(s * u[0])
            let candidate0 = tanh(v * r1 * h1)
            h0 = 0.5 * h0 + 0.5 * candidate0
            h1 = 0.5 * h1 + 0.5 * tanh(c1)
            return gruSpecSigmoid(a * h0)
        }
        return GRUSpecProbe(name: "W_r[1] on x0 = \(s) gating h_1 into ĥ_0", shape: probeShape, weights: w,
                            inputs: probeInputs, expected: expected)
    }

    /// b_ĥ[0] = c0, b_ĥ[2] = c2, W_z[0] on h[2] = g, w_y[0] = a: z_0(t) = σ(g·h_2(t−1)).
    static func updateGateRecurrentWeight() -> GRUSpecProbe {
        let c0 = 0.6, c2 = -1.2, g = 2.7, a = 1.8
        var w = zero()
        w[probeShape.bias(.candidate, row: 0)] = c0
        w[probeShape.bias(.candidate, row: 2)] = c2
        w[probeShape.recurrentWeight(.update, row: 0, hidden: 2)] = g
        w[probeShape.outputWeight(0)] = a
        var h0 = 0.0, h2 = 0.0
        let expected = probeInputs.map { _ -> Double in
            let z0 = gruSpecSigmoid(g * h2)
            h0 = (1 - z0) * h0 + z0 * tanh(c0)
            h2 = 0.5 * h2 + 0.5 * tanh(c2)
            return gruSpecSigmoid(a * h0)
        }
        return GRUSpecProbe(name: "W_z[0] on h[2]", shape: probeShape, weights: w, inputs: probeInputs, expected: expected)
    }
}

func gruSpecSigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

/// The network inputs u(j) = (x(j), y(j−1)) of sequence k, with y(0) = `initialPreviousTarget`.
func gruSpecInputs(_ set: SequenceSet, sequence k: Int, initialPreviousTarget y0: Double) -> [[Double]] {
    (0..<set.length).map { j in
        let start = (k * set.length + j) * set.inputDimension
        let x = Array(set.inputs[start..<(start + set.inputDimension)])
        return x + [j == 0 ? y0 : set.targets[k * set.length + j - 1]]
    }
}

func gruSpecRandomInputs(steps: Int, d: Int, _ rng: inout Xoshiro256StarStar) -> [[Double]] {
    (0..<steps).map { _ in (0..<d).map { _ in rng.nextUniform(in: -1, 1) } + [rng.nextUniform(in: 0, 1)] }
}

func gruSpecRandomSequenceSet(count: Int, length: Int, d: Int, _ rng: inout Xoshiro256StarStar) -> SequenceSet {
    let inputs = (0..<(count * length * d)).map { _ in rng.nextUniform(in: -1, 1) }
    let targets = (0..<(count * length)).map { _ in rng.nextUniform(in: 0, 1) }
    return SequenceSet(count: count, length: length, inputDimension: d, inputs: inputs, targets: targets,
                       functionIDs: [Int](repeating: -1, count: count))
}

/// Central differences (f(w + εe_i) − f(w − εe_i)) / 2ε for every weight.
func gruSpecFiniteDifferences(_ w: [Double], step epsilon: Double = GRUSpecTests.finiteDifferenceStep,
                              _ f: ([Double]) -> Double) -> [Double] {
    var probe = w
    return (0..<w.count).map { i in
        probe[i] = w[i] + epsilon
        let plus = f(probe)
        probe[i] = w[i] - epsilon
        let minus = f(probe)
        probe[i] = w[i]
        return (plus - minus) / (2 * epsilon)
    }
}

/// Relative tolerance 1e−6 with an absolute floor of 1e−8.
func gruSpecAgree(_ g: Double, _ fd: Double) -> Bool {
    abs(g - fd) <= max(1e-6 * max(abs(g), abs(fd)), 1e-8)
}

func gruSpecDisagreements(_ g: [Double], _ fd: [Double]) -> Int {
    zip(g, fd).filter { !gruSpecAgree($0, $1) }.count
}

func gruSpecAssertGradientsAgree(_ g: [Double], _ fd: [Double], shape: GRUSpecShape, _ label: String,
                                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(g.count, fd.count, "\(label): gradient length", file: file, line: line)
    var failures = 0
    for i in 0..<min(g.count, fd.count) where !gruSpecAgree(g[i], fd[i]) {
        failures += 1
        if failures <= 8 {
            XCTFail("\(label): \(shape.describe(i)): gradient \(g[i]) vs finite differences \(fd[i])", file: file, line: line)
        }
    }
    if failures > 8 { XCTFail("\(label): \(failures) weights disagree in all", file: file, line: line) }
}
