import Foundation
import MetaLearning
import XCTest

/// The classical online learners (RLS, NLMS, k-NN, running mean) that see the meta-learner's
/// stream (docs/method.md §1.1), and the ``LearnerSpec`` registry `metalearn compare` builds them from.
///
/// Every stream is generated from a fixed seed, so each test is deterministic.
final class ClassicalLearnerTests: XCTestCase {

    // MARK: - Helpers

    /// Feeds `inputs` (d values per example) and `targets` to `predictor` after a reset and
    /// returns its predictions; y(0) = `initialPreviousTarget`.
    private func predictions<P: OnlinePredictor>(of predictor: inout P, inputs: [Double], targets: [Double],
                                                 initialPreviousTarget: Double = 0.5) -> [Double] {
        let d = inputs.count / targets.count
        predictor.reset()
        var previous = initialPreviousTarget
        var result: [Double] = []
        for j in targets.indices {
            let x = Array(inputs[(j * d)..<((j + 1) * d)])
            result.append(predictor.predict(input: x.span, previousTarget: previous))
            previous = targets[j]
        }
        return result
    }

    /// A random affine function 0.5 + 0.15·w·x + 0.05·b of d inputs in U[−1, 1] (values stay
    /// inside [0, 1], where the learners clamp their predictions).
    private struct LinearFunction {
        var weights: [Double]
        var bias: Double
        init(dimension: Int, using generator: inout Xoshiro256StarStar) {
            weights = (0..<dimension).map { _ in generator.nextUniform(in: -1, 1) }
            bias = generator.nextUniform(in: -1, 1)
        }
        func callAsFunction(_ x: ArraySlice<Double>) -> Double {
            0.5 + 0.05 * bias + 0.15 * zip(weights, x).reduce(0) { $0 + $1.0 * $1.1 }
        }
    }

    /// `length` inputs in U[−1, 1]^d.
    private func randomInputs(dimension: Int, length: Int, using generator: inout Xoshiro256StarStar) -> [Double] {
        (0..<(dimension * length)).map { _ in generator.nextUniform(in: -1, 1) }
    }

    /// Targets of `functions[j / switchEvery]` at each input.
    private func targets(of functions: [LinearFunction], switchEvery: Int, inputs: [Double], dimension: Int) -> [Double] {
        (0..<(inputs.count / dimension)).map { j in
            functions[j / switchEvery](inputs[(j * dimension)..<((j + 1) * dimension)])
        }
    }

    private func spec(_ name: String) throws -> FamilySpec { try FamilySpec(name: name) }

    // MARK: - Recursive least squares

    /// RLS (λ = 1) on (x, 1) identifies an affine function of d = 3 inputs from d + 1 examples:
    /// squared error < 1e−8 from example d + 2 on, while the first prediction is the prior 0.5.
    func testRecursiveLeastSquaresRecoversLinearFunctionFromExampleDPlus2() throws {
        var generator = Xoshiro256StarStar(seed: 101)
        let d = 3
        var rls = try RecursiveLeastSquares(features: .affine(inputDimension: d))
        var worstAfterIdentification = 0.0, worstBefore = 0.0
        for _ in 0..<100 {
            let function = LinearFunction(dimension: d, using: &generator)
            let x = randomInputs(dimension: d, length: 40, using: &generator)
            let y = targets(of: [function], switchEvery: 40, inputs: x, dimension: d)
            let o = predictions(of: &rls, inputs: x, targets: y)
            XCTAssertEqual(o[0], 0.5)
            for j in 0..<40 {
                let error = (y[j] - o[j]) * (y[j] - o[j])
                if j >= d + 1 { worstAfterIdentification = max(worstAfterIdentification, error) }
                else { worstBefore = max(worstBefore, error) }
            }
        }
        XCTAssertLessThan(worstAfterIdentification, 1e-8)
        XCTAssertGreaterThan(worstBefore, 1e-4, "before d + 1 examples the function is not yet determined")
    }

    /// rls-basis on the real quadratic family (docs/method.md §2): the scaled target is a quadratic in x,
    /// so six examples identify it: squared error < 1e−10 from example 7 on (not before).
    func testRLSBasisIsExactOnQuadraticFamilyFromExample7() throws {
        var generator = Xoshiro256StarStar(seed: 7)
        let set = SequenceSet(family: QuadraticFamily(), count: 300, length: 40, using: &generator)
        var predictor = try LearnerSpec(kind: .rlsBasis).makePredictor(for: spec("quad"), inputDimension: 2)
        let errors = predictor.squaredErrors(on: set, initialPreviousTarget: 0.5)
        var worstFrom7 = 0.0, meanAt6 = 0.0
        for k in 0..<set.count {
            for j in 6..<set.length { worstFrom7 = max(worstFrom7, errors[k * set.length + j]) }
            meanAt6 += errors[k * set.length + 5] / Double(set.count)
        }
        XCTAssertLessThan(worstFrom7, 1e-10)
        XCTAssertGreaterThan(meanAt6, 1e-5, "example 6 is predicted from only five examples")
    }

    /// rls-basis on the semi-linear family fits w·(x1, x2, 1) to atanh(2y − 1): exact from
    /// example 4 on (docs/method.md §3.4: the Bayes posterior is a point after three examples).
    func testRLSBasisIsExactOnSemiLinearFamilyFromExample4() throws {
        var generator = Xoshiro256StarStar(seed: 8)
        let set = SequenceSet(family: SemiLinearFamily(), count: 300, length: 30, using: &generator)
        var predictor = try LearnerSpec(kind: .rlsBasis).makePredictor(for: spec("semil"), inputDimension: 2)
        let errors = predictor.squaredErrors(on: set, initialPreviousTarget: 0.5)
        var worstFrom4 = 0.0, meanAt3 = 0.0
        for k in 0..<set.count {
            for j in 3..<set.length { worstFrom4 = max(worstFrom4, errors[k * set.length + j]) }
            meanAt3 += errors[k * set.length + 2] / Double(set.count)
        }
        XCTAssertLessThan(worstFrom4, 1e-10)
        XCTAssertGreaterThan(meanAt3, 1e-4, "example 3 is predicted from only two examples")
    }

    /// With forgetting λ = 0.95 RLS follows a switch of the affine function at step 200: 30–60
    /// steps after it the error is < 10 % of the λ = 1 learner's (which keeps averaging in the
    /// old function), 150–200 steps after it < 1e−4 of it.
    func testForgettingTracksASwitchOfTheLinearFunction() throws {
        var generator = Xoshiro256StarStar(seed: 12)
        let d = 2
        var forgetful = try RecursiveLeastSquares(features: .affine(inputDimension: d), forgetting: 0.95)
        var stationary = try RecursiveLeastSquares(features: .affine(inputDimension: d), forgetting: 1)
        var forgetfulSoon = 0.0, stationarySoon = 0.0, forgetfulLate = 0.0, stationaryLate = 0.0, errorBeforeSwitch = 0.0
        for _ in 0..<20 {
            let functions = [LinearFunction(dimension: d, using: &generator), LinearFunction(dimension: d, using: &generator)]
            let x = randomInputs(dimension: d, length: 400, using: &generator)
            let y = targets(of: functions, switchEvery: 200, inputs: x, dimension: d)
            let a = predictions(of: &forgetful, inputs: x, targets: y)
            let b = predictions(of: &stationary, inputs: x, targets: y)
            for j in 230..<260 {
                forgetfulSoon += (y[j] - a[j]) * (y[j] - a[j])
                stationarySoon += (y[j] - b[j]) * (y[j] - b[j])
            }
            for j in 350..<400 {
                forgetfulLate += (y[j] - a[j]) * (y[j] - a[j])
                stationaryLate += (y[j] - b[j]) * (y[j] - b[j])
            }
            for j in 100..<200 { errorBeforeSwitch = max(errorBeforeSwitch, (y[j] - a[j]) * (y[j] - a[j])) }
        }
        XCTAssertLessThan(errorBeforeSwitch, 1e-20, "an unchanging affine function is fitted exactly with forgetting too")
        XCTAssertGreaterThan(stationarySoon, 1e-3)
        XCTAssertLessThan(forgetfulSoon, 0.1 * stationarySoon)
        XCTAssertLessThan(forgetfulLate, 1e-4 * stationaryLate)
    }

    /// λ = 0.95 over 10⁵ steps: every prediction finite, and a function switched to near the
    /// end is fitted exactly; also on a constant input, which excites only one direction of
    /// (x, 1) and lets the prior decay to zero in the others.
    func testForgettingStaysFiniteOverAHundredThousandSteps() throws {
        var generator = Xoshiro256StarStar(seed: 13)
        let d = 2, length = 100_000
        var rls = try RecursiveLeastSquares(features: .affine(inputDimension: d), forgetting: 0.95)
        let functions = (0..<100).map { _ in LinearFunction(dimension: d, using: &generator) }
        let x = randomInputs(dimension: d, length: length, using: &generator)
        let y = targets(of: functions, switchEvery: 1000, inputs: x, dimension: d)
        let o = predictions(of: &rls, inputs: x, targets: y)
        XCTAssertTrue(o.allSatisfy(\.isFinite))
        let tailError = (length - 100..<length).map { (y[$0] - o[$0]) * (y[$0] - o[$0]) }.max()!
        XCTAssertLessThan(tailError, 1e-20)

        let constantInput = [Double](repeating: 0.3, count: d * length)
        let constantTargets = [Double](repeating: 0.7, count: length)
        let constantPredictions = predictions(of: &rls, inputs: constantInput, targets: constantTargets)
        XCTAssertTrue(constantPredictions.allSatisfy(\.isFinite))
        XCTAssertEqual(constantPredictions.last!, 0.7, accuracy: 1e-12)
    }

    // MARK: - Placeholder y(0)

    /// docs/method.md §1.1: y(0) is a placeholder. Every learner gives identical predictions for
    /// y(0) = 0.5, 0 and 1 (Boolean families for bayes, semil and quad for the rest).
    func testFirstPreviousTargetIsIgnoredByEveryLearner() throws {
        for familyName in ["b14", "semil", "quad"] {
            let family = try spec(familyName)
            var generator = Xoshiro256StarStar(seed: 21)
            let set = SequenceSet(family: family.makeFamily(), count: 20, length: 12, using: &generator)
            for learner in LearnerSpec.defaults(for: family) + [LearnerSpec(kind: .rlsRaw, parameter: 0.9)] {
                var predictor = try learner.makePredictor(for: family, inputDimension: 2)
                let reference = predictor.squaredErrors(on: set, initialPreviousTarget: 0.5)
                for placeholder in [0.0, 1.0] {
                    XCTAssertEqual(predictor.squaredErrors(on: set, initialPreviousTarget: placeholder), reference,
                                   "\(learner) on \(familyName) with y(0) = \(placeholder)")
                }
            }
        }
    }

    /// Every learner's first prediction after a reset is the prior mean 0.5.
    func testFirstPredictionIsOneHalf() throws {
        let family = try spec("semil")
        let input = [0.3, -0.8]
        for learner in LearnerSpec.defaults(for: family) {
            var predictor = try learner.makePredictor(for: family, inputDimension: 2)
            let first = predictor.predict(input: input.span, previousTarget: 0.9)
            XCTAssertEqual(first, 0.5, accuracy: 1e-15, "\(learner)")
        }
    }

    // MARK: - NLMS, k-NN, running mean

    /// NLMS on a fixed affine function: the mean squared error over steps 181–200 is below 1 %
    /// of that over steps 1–20.
    func testNormalizedLMSErrorDecreasesOnAFixedLinearFunction() throws {
        var generator = Xoshiro256StarStar(seed: 31)
        let d = 3
        var nlms = try NormalizedLMS(inputDimension: d)
        var early = 0.0, late = 0.0
        for _ in 0..<50 {
            let function = LinearFunction(dimension: d, using: &generator)
            let x = randomInputs(dimension: d, length: 200, using: &generator)
            let y = targets(of: [function], switchEvery: 200, inputs: x, dimension: d)
            let o = predictions(of: &nlms, inputs: x, targets: y)
            XCTAssertEqual(o[0], 0.5)
            for j in 0..<20 { early += (y[j] - o[j]) * (y[j] - o[j]) }
            for j in 180..<200 { late += (y[j] - o[j]) * (y[j] - o[j]) }
        }
        XCTAssertGreaterThan(early, 0)
        XCTAssertLessThan(late, 0.01 * early)
    }

    /// k-NN predicts 0.5 before any example, returns the stored target of an input seen before
    /// (k = 1), and averages the k nearest otherwise.
    func testNearestNeighbourReturnsStoredTargetAndMeanOfNearest() throws {
        var oneNeighbour = try NearestNeighbourPredictor(inputDimension: 2, neighbourCount: 1)
        let inputs: [Double] = [0, 0, 1, 0, 0, 1, 5, 5, 1, 0.1, 0, 1]
        let targets: [Double] = [0.1, 0.7, 0.4, 0.9, 0.3, 0.4]
        let o = predictions(of: &oneNeighbour, inputs: inputs, targets: targets, initialPreviousTarget: 0.2)
        XCTAssertEqual(o[0], 0.5, "no example yet")
        XCTAssertEqual(o[4], 0.7, "(1, 0.1) is nearest to the stored (1, 0) with target 0.7")
        XCTAssertEqual(o[5], 0.4, "(0, 1) was seen before with target 0.4")

        var threeNeighbours = try NearestNeighbourPredictor(inputDimension: 2, neighbourCount: 3)
        let o3 = predictions(of: &threeNeighbours, inputs: inputs, targets: targets)
        XCTAssertEqual(o3[1], 0.1, "one example stored: its target")
        XCTAssertEqual(o3[2], (0.1 + 0.7) / 2, accuracy: 1e-15, "two stored: their mean")
        XCTAssertEqual(o3[4], (0.1 + 0.7 + 0.4) / 3, accuracy: 1e-15, "(5, 5) is the farthest and left out")
        XCTAssertThrowsError(try NearestNeighbourPredictor(inputDimension: 2, neighbourCount: 0))
    }

    /// The running mean equals the arithmetic mean of the targets seen so far.
    func testRunningMeanEqualsArithmeticMean() {
        var generator = Xoshiro256StarStar(seed: 41)
        let targets = (0..<50).map { _ in generator.nextUnitInterval() }
        var mean = RunningMeanPredictor()
        let o = predictions(of: &mean, inputs: [Double](repeating: 0, count: 50), targets: targets,
                            initialPreviousTarget: 0.9)
        XCTAssertEqual(o[0], 0.5)
        for j in 1..<50 {
            XCTAssertEqual(o[j], targets[0..<j].reduce(0, +) / Double(j), accuracy: 1e-14)
        }
    }

    // MARK: - LearnerSpec

    /// Names and parameters round-trip through description and init(parsing:).
    func testLearnerSpecParsingRoundTrips() throws {
        for text in ["rls-raw", "rls-raw:0.95", "knn:5", "nlms:0.3", "mean", "bayes", "rls-basis", "rls-basis:0.99", "rls-raw:1"] {
            let parsed = try LearnerSpec(parsing: text)
            XCTAssertEqual(parsed.description, text)
            XCTAssertEqual(try LearnerSpec(parsing: parsed.description), parsed)
        }
        XCTAssertEqual(try LearnerSpec(parsing: "rls-raw:0.95"), LearnerSpec(kind: .rlsRaw, parameter: 0.95))
        XCTAssertEqual(try LearnerSpec(parsing: " KNN:5.0 "), LearnerSpec(kind: .knn, parameter: 5))
        XCTAssertEqual(LearnerSpec(kind: .knn, parameter: 5).description, "knn:5")
    }

    /// Unknown names and out-of-range parameters are rejected with a ConfigurationError.
    func testLearnerSpecRejectsUnknownNamesAndBadParameters() {
        for text in ["rls-raw:1.5", "rls-raw:0", "knn:0", "knn:2.5", "knn:1e300", "nlms:2", "nlms:0", "bogus", "", "mean:3",
                     "bayes:1", "rls-raw:", "rls-raw:abc", "rls-raw:nan", "rls-raw:inf"] {
            XCTAssertThrowsError(try LearnerSpec(parsing: text), text) { error in
                guard case ConfigurationError.invalid(let message) = error else {
                    return XCTFail("\(text): expected ConfigurationError, got \(error)")
                }
                XCTAssertFalse(message.contains("\n"), "one-line message")
            }
        }
    }

    /// bayes applies to the Boolean families only, rls-basis to semil and quad only, the rest
    /// to all; defaults list the applicable ones; building an inapplicable one throws.
    func testLearnerApplicabilityAndDefaultsPerFamily() throws {
        let b14 = try spec("b14"), b16 = try spec("b16"), semil = try spec("semil"), quad = try spec("quad")
        for family in [b14, b16] {
            XCTAssertTrue(LearnerSpec(kind: .bayes).isApplicable(to: family))
            XCTAssertFalse(LearnerSpec(kind: .rlsBasis).isApplicable(to: family))
        }
        for family in [semil, quad] {
            XCTAssertFalse(LearnerSpec(kind: .bayes).isApplicable(to: family))
            XCTAssertTrue(LearnerSpec(kind: .rlsBasis).isApplicable(to: family))
        }
        for family in [b14, b16, semil, quad] {
            for kind in [LearnerSpec.Kind.rlsRaw, .nlms, .knn, .mean] {
                XCTAssertTrue(LearnerSpec(kind: kind).isApplicable(to: family))
            }
        }
        let b14Defaults = LearnerSpec.defaults(for: b14).map(\.kind)
        XCTAssertEqual(b14Defaults, [.bayes, .rlsRaw, .nlms, .knn, .mean])
        let quadDefaults = LearnerSpec.defaults(for: quad).map(\.kind)
        XCTAssertEqual(quadDefaults, [.rlsBasis, .rlsRaw, .nlms, .knn, .mean])
        XCTAssertTrue(LearnerSpec.defaults(for: quad).allSatisfy { $0.parameter == nil })

        XCTAssertThrowsError(try LearnerSpec(kind: .bayes).makePredictor(for: quad, inputDimension: 2))
        XCTAssertThrowsError(try LearnerSpec(kind: .rlsBasis).makePredictor(for: b14, inputDimension: 2))
        XCTAssertThrowsError(try LearnerSpec(kind: .rlsRaw, parameter: 2).makePredictor(for: quad, inputDimension: 2))
        XCTAssertThrowsError(try LearnerSpec(kind: .rlsRaw).makePredictor(for: quad, inputDimension: 0))
        XCTAssertEqual(try LearnerSpec(parsing: "knn:5").makePredictor(for: quad, inputDimension: 2).name, "knn:5")
    }
}
