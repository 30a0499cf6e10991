import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// The `linreg` and `ar2` families, the Gaussian draws behind them and their `FamilySpec` options.
final class NewFamilyTests: XCTestCase {
    // MARK: helpers

    /// Solves the square system A·x = b (row-major A) by Gaussian elimination with partial pivoting.
    private func solve(_ matrix: [[Double]], _ rhs: [Double]) -> [Double] {
        var a = matrix, b = rhs
        let n = b.count
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            a.swapAt(column, pivot); b.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = a[row][column] / a[column][column]
                for k in column..<n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<n { sum -= a[row][k] * x[k] }
            x[row] = sum / a[row][row]
        }
        return x
    }

    /// Least squares of `targets` on the feature rows, via the normal equations.
    private func leastSquares(features: [[Double]], targets: [Double]) -> [Double] {
        let p = features[0].count
        var gram = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        var moment = [Double](repeating: 0, count: p)
        for (row, y) in zip(features, targets) {
            for i in 0..<p {
                moment[i] += row[i] * y
                for k in 0..<p { gram[i][k] += row[i] * row[k] }
            }
        }
        return solve(gram, moment)
    }

    /// One sequence of `length` examples: inputs (J·d) and targets (J).
    private func sequence(of family: some FunctionFamily, length: Int,
                          using generator: inout Xoshiro256StarStar) -> (inputs: [Double], targets: [Double]) {
        let set = SequenceSet(family: family, count: 1, length: length, using: &generator)
        return (set.inputs, set.targets)
    }

    // MARK: Gaussian draws

    func testGaussianDrawsAreStandardNormalAndConsumeTwoUniforms() {
        var generator = Xoshiro256StarStar(seed: 11)
        var twin = generator
        _ = generator.nextGaussian()
        _ = twin.next(); _ = twin.next()
        XCTAssertEqual(generator, twin, "one Gaussian consumes exactly two 64-bit draws")

        let n = 200_000
        var sum = 0.0, squares = 0.0, beyondTwo = 0
        for _ in 0..<n {
            let z = generator.nextGaussian()
            XCTAssertTrue(z.isFinite)
            sum += z; squares += z * z
            if abs(z) > 2 { beyondTwo += 1 }
        }
        let mean = sum / Double(n), variance = squares / Double(n) - mean * mean
        XCTAssertEqual(mean, 0, accuracy: 5 / Double(n).squareRoot())
        XCTAssertEqual(variance, 1, accuracy: 5 * (2 / Double(n)).squareRoot())
        // P(|Z| > 2) = 0.0455003; binomial standard error.
        let tail = Double(beyondTwo) / Double(n)
        XCTAssertEqual(tail, 0.0455003, accuracy: 5 * (0.0455 * 0.9545 / Double(n)).squareRoot())
    }

    func testGaussianDrawsRepeatUnderTheSameSeed() {
        var a = Xoshiro256StarStar(seed: 3), b = Xoshiro256StarStar(seed: 3), c = Xoshiro256StarStar(seed: 4)
        let first = (0..<100).map { _ in a.nextGaussian() }
        XCTAssertBitIdentical(first, (0..<100).map { _ in b.nextGaussian() })
        XCTAssertNotEqual(first, (0..<100).map { _ in c.nextGaussian() })
    }

    // MARK: linreg

    func testLinearRegressionSetsRepeatUnderTheSameSeed() throws {
        let family = try LinearRegressionFamily(dimension: 5)
        var a = Xoshiro256StarStar(seed: 9), b = Xoshiro256StarStar(seed: 9), c = Xoshiro256StarStar(seed: 10)
        let first = SequenceSet(family: family, count: 20, length: 11, using: &a)
        XCTAssertEqual(first, SequenceSet(family: family, count: 20, length: 11, using: &b))
        XCTAssertNotEqual(first, SequenceSet(family: family, count: 20, length: 11, using: &c))
        XCTAssertEqual(first.inputDimension, 5)
        XCTAssertEqual(first.inputs.count, 20 * 11 * 5)
    }

    func testLinearRegressionTargetsAreExactlyAffineWithTheDrawnWeights() throws {
        for d in [1, 2, 5, 8] {
            let family = try LinearRegressionFamily(dimension: d)
            let length = LinearRegressionFamily.defaultLength(dimension: d)
            XCTAssertEqual(length, 2 * d + 1)
            var generator = Xoshiro256StarStar(seed: UInt64(100 + d))
            var checked = 0
            for _ in 0..<50 {
                var copy = generator
                let weights = family.sampleWeights(using: &copy)
                let (x, y) = sequence(of: family, length: length, using: &generator)
                if y.contains(where: { $0 == 0 || $0 == 1 }) { continue }  // a clamped target is not affine
                checked += 1
                // Least squares on (x, 1) from the first d + 1 examples: a square, exactly solvable system.
                let rows = (0...d).map { j in Array(x[(j * d)..<((j + 1) * d)]) + [1] }
                let fit = solve(rows, Array(y[0...d]))
                XCTAssertEqual(fit[d], 0.5, accuracy: 1e-9, "d = \(d): intercept")
                for i in 0..<d {
                    XCTAssertEqual(fit[i], family.outputScale * weights[i], accuracy: 1e-9, "d = \(d): slope \(i)")
                }
                // The fitted map predicts every later example exactly.
                for j in (d + 1)..<length {
                    var prediction = fit[d]
                    for i in 0..<d { prediction += fit[i] * x[j * d + i] }
                    XCTAssertEqual(prediction, y[j], accuracy: 1e-9, "d = \(d), example \(j)")
                }
            }
            XCTAssertGreaterThan(checked, 40, "d = \(d): too many sequences had a clamped target")
        }
    }

    func testLinearRegressionTargetsHaveMeanOneHalfAndVarianceOneHundredth() throws {
        // One target per sequence, so the N values are independent. For w, x ~ N(0, I_d),
        // E[(w·x)²] = d and Var[(w·x)²] = 2d² + 6d, so the sample variance of y has relative
        // standard error √((2 + 6/d)/N); the tolerance is 5 of those.
        let n = 40_000
        for d in [1, 5, 8] {
            let family = try LinearRegressionFamily(dimension: d)
            var generator = Xoshiro256StarStar(seed: UInt64(7 * d))
            let set = SequenceSet(family: family, count: n, length: 1, using: &generator)
            let mean = set.targets.reduce(0, +) / Double(n)
            let variance = set.targets.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            XCTAssertEqual(mean, 0.5, accuracy: 5 * 0.1 / Double(n).squareRoot(), "d = \(d)")
            XCTAssertEqual(variance, 0.01, accuracy: 5 * 0.01 * ((2 + 6 / Double(d)) / Double(n)).squareRoot(), "d = \(d)")
            XCTAssertTrue(set.targets.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
    }

    func testLinearRegressionClampIsRare() throws {
        // The clamp acts when |w·x| > 5√d. Measured fractions are printed for docs/decisions.md;
        // the bounds are several times the measured values.
        for (d, bound) in [(1, 5e-3), (2, 2e-3), (5, 5e-4), (8, 2e-4)] {
            let family = try LinearRegressionFamily(dimension: d)
            var generator = Xoshiro256StarStar(seed: 2024)
            let set = SequenceSet(family: family, count: 50_000, length: 11, using: &generator)
            let clamped = set.targets.filter { $0 == 0 || $0 == 1 }.count
            let fraction = Double(clamped) / Double(set.targets.count)
            print("linreg d=\(d): clamped fraction \(fraction) (\(clamped) of \(set.targets.count))")
            XCTAssertLessThan(fraction, bound, "d = \(d)")
        }
    }

    func testLinearRegressionRejectsImpossibleDimensions() {
        for d in [0, -3, LinearRegressionFamily.maximumDimension + 1] {
            XCTAssertThrowsError(try LinearRegressionFamily(dimension: d)) { error in
                XCTAssertTrue("\(error)".contains("dimension"), "\(error)")
            }
            XCTAssertThrowsError(try FamilySpec(name: "linreg", dimension: d))
        }
    }

    // MARK: ar2

    func testAR2FirstInputIsThePreviousTargetAndSecondInputThePreviousFirstInput() throws {
        for p in [0.0, 0.3] {
            let family = try AutoregressiveFamily(switchProbability: p)
            var generator = Xoshiro256StarStar(seed: 5)
            let set = SequenceSet(family: family, count: 10, length: 200, using: &generator)
            for k in 0..<set.count {
                for j in 1..<set.length {
                    XCTAssertEqual(set.input(sequence: k, example: j).first, set.target(sequence: k, example: j - 1))
                    XCTAssertEqual(set.input(sequence: k, example: j).last, set.input(sequence: k, example: j - 1).first)
                }
            }
        }
    }

    func testAR2SetsRepeatUnderTheSameSeedAndSwitchingChangesThem() throws {
        let plain = try AutoregressiveFamily(), switching = try AutoregressiveFamily(switchProbability: 0.2)
        var a = Xoshiro256StarStar(seed: 1), b = Xoshiro256StarStar(seed: 1)
        XCTAssertEqual(SequenceSet(family: switching, count: 8, length: 50, using: &a),
                       SequenceSet(family: switching, count: 8, length: 50, using: &b))
        var c = Xoshiro256StarStar(seed: 1), d = Xoshiro256StarStar(seed: 1)
        XCTAssertNotEqual(SequenceSet(family: plain, count: 8, length: 50, using: &c).targets,
                          SequenceSet(family: switching, count: 8, length: 50, using: &d).targets)
    }

    func testAR2LeastSquaresRecoversTheDrawnCoefficientsAndNoiseLevel() throws {
        let family = try AutoregressiveFamily()
        let length = 20_000
        for seed in UInt64(1)...6 {
            var generator = Xoshiro256StarStar(seed: seed)
            var copy = generator
            let drawn = AutoregressiveFamily.sampleCoefficients(using: &copy)
            let (x, y) = sequence(of: family, length: length, using: &generator)
            // y − 0.5 = a1·(x1 − 0.5) + a2·(x2 − 0.5) + c + noise, with c = 0 expected.
            let features: [[Double]] = (0..<length).map { j -> [Double] in [x[2 * j] - 0.5, x[2 * j + 1] - 0.5, 1] }
            let centred = y.map { $0 - 0.5 }
            let fit = leastSquares(features: features, targets: centred)
            XCTAssertEqual(fit[0], drawn.a1, accuracy: 0.05, "seed \(seed): a1")
            XCTAssertEqual(fit[1], drawn.a2, accuracy: 0.05, "seed \(seed): a2")
            // Residual standard deviation 0.1/σ_s: the map divides by the analytic σ_s.
            var residualSquares = 0.0
            for (row, target) in zip(features, centred) {
                let prediction: Double = fit[0] * row[0] + fit[1] * row[1] + fit[2]
                let r: Double = target - prediction
                residualSquares += r * r
            }
            let noise = (residualSquares / Double(length - 3)).squareRoot()
            XCTAssertEqual(noise, 0.1 / drawn.stationaryStandardDeviation,
                           accuracy: 0.05 * 0.1 / drawn.stationaryStandardDeviation, "seed \(seed): noise level")
        }
    }

    func testAR2CoefficientsAreUniformOverTheShrunkStationarityTriangle() {
        var generator = Xoshiro256StarStar(seed: 77)
        let n = 10_000
        var complex = 0, sumA1 = 0.0, sumA2 = 0.0
        for _ in 0..<n {
            let c = AutoregressiveFamily.sampleCoefficients(using: &generator)
            // Roots of z² − a1·z − a2, computed explicitly.
            let discriminant = c.a1 * c.a1 + 4 * c.a2
            let modulus: Double
            if discriminant < 0 {
                complex += 1
                modulus = ((c.a1 / 2) * (c.a1 / 2) + (-discriminant) / 4).squareRoot()
            } else {
                modulus = max(abs(c.a1 + discriminant.squareRoot()), abs(c.a1 - discriminant.squareRoot())) / 2
            }
            XCTAssertLessThan(modulus, AutoregressiveFamily.rootRadius + 1e-12, "roots of (\(c.a1), \(c.a2))")
            XCTAssertEqual(modulus, c.largestRootModulus, accuracy: 1e-12)
            XCTAssertTrue(c.stationaryVariance > 0 && c.stationaryVariance.isFinite)
            sumA1 += c.a1; sumA2 += c.a2
        }
        // Uniform over the triangle: complex roots on 2/3 of its area; centroid (0, −r²/3).
        let r = AutoregressiveFamily.rootRadius
        XCTAssertEqual(Double(complex) / Double(n), 2.0 / 3, accuracy: 5 * (2.0 / 9 / Double(n)).squareRoot())
        // Var(b1) = 2/3, Var(b2) = 2/9 on the standard triangle.
        XCTAssertEqual(sumA1 / Double(n), 0, accuracy: 5 * r * (2.0 / 3 / Double(n)).squareRoot())
        XCTAssertEqual(sumA2 / Double(n), -r * r / 3, accuracy: 5 * r * r * (2.0 / 9 / Double(n)).squareRoot())
    }

    func testAR2StartsInItsStationaryDistribution() throws {
        // z = (value − 0.5)/0.1 at the start has unit variance and lag-one correlation ρ1 of the
        // drawn coefficients; a process started at 0 would fail both.
        let family = try AutoregressiveFamily()
        var generator = Xoshiro256StarStar(seed: 21)
        let n = 20_000
        var sumLag1 = 0.0, sumLag2 = 0.0, sumTarget = 0.0, excessProduct = 0.0
        for _ in 0..<n {
            var copy = generator
            let rho = AutoregressiveFamily.sampleCoefficients(using: &copy).lagOneCorrelation
            let (x, y) = sequence(of: family, length: 1, using: &generator)
            let z0 = (x[0] - 0.5) / 0.1, zMinus1 = (x[1] - 0.5) / 0.1, z1 = (y[0] - 0.5) / 0.1
            sumLag1 += z0 * z0; sumLag2 += zMinus1 * zMinus1; sumTarget += z1 * z1
            excessProduct += z0 * zMinus1 - rho
        }
        let tolerance = 5 * (2 / Double(n)).squareRoot()
        XCTAssertEqual(sumLag1 / Double(n), 1, accuracy: tolerance)
        XCTAssertEqual(sumLag2 / Double(n), 1, accuracy: tolerance)
        XCTAssertEqual(sumTarget / Double(n), 1, accuracy: tolerance)
        XCTAssertEqual(excessProduct / Double(n), 0, accuracy: tolerance)
    }

    func testAR2TargetsStayInTheUnitIntervalWithAndWithoutSwitching() throws {
        // Measured (seed 99, 5·10⁵ targets): 0, 9.8·10⁻⁴ and 5.5·10⁻³; the bounds are about twice that.
        for (p, bound) in [(0.0, 1e-5), (0.05, 2.5e-3), (0.3, 1.2e-2)] {
            let family = try AutoregressiveFamily(switchProbability: p)
            var generator = Xoshiro256StarStar(seed: 99)
            let set = SequenceSet(family: family, count: 500, length: 1000, using: &generator)
            XCTAssertTrue(set.targets.allSatisfy { $0 >= 0 && $0 <= 1 }, "p = \(p)")
            XCTAssertTrue(set.inputs.allSatisfy { $0 >= 0 && $0 <= 1 }, "p = \(p)")
            let clamped = set.targets.filter { $0 == 0 || $0 == 1 }.count
            let fraction = Double(clamped) / Double(set.targets.count)
            print("ar2 p=\(p): clamped fraction \(fraction) (\(clamped) of \(set.targets.count))")
            XCTAssertLessThan(fraction, bound, "p = \(p)")
        }
    }

    func testAR2RejectsSwitchProbabilitiesOutsideTheHalfOpenUnitInterval() {
        for p in [-0.1, 1, 1.5, .nan] {
            XCTAssertThrowsError(try AutoregressiveFamily(switchProbability: p)) { error in
                XCTAssertTrue("\(error)".contains("switch probability"), "\(error)")
            }
            XCTAssertThrowsError(try FamilySpec(name: "ar2", switchProbability: p))
        }
        XCTAssertThrowsError(try AutoregressiveFamily.Coefficients(a1: 1.5, a2: 0))
    }

    // MARK: FamilySpec

    func testFamilySpecRoundTripsThroughJSONWithAndWithoutTheNewFields() throws {
        let specs = [try FamilySpec(name: "linreg", dimension: 8), try FamilySpec(name: "linreg"),
                     try FamilySpec(name: "ar2", switchProbability: 0.1), try FamilySpec(name: "ar2"),
                     try FamilySpec(name: "b16", sampler: .blocks), try FamilySpec(name: "semil", inputRange: .unit)]
        for spec in specs {
            let data = try JSONEncoder().encode(spec)
            XCTAssertEqual(try JSONDecoder().decode(FamilySpec.self, from: data), spec)
        }
        let plain = String(decoding: try JSONEncoder().encode(specs[4]), as: UTF8.self)
        XCTAssertFalse(plain.contains("dimension") || plain.contains("switchProbability"), plain)
        // A config.json written before the new fields existed.
        let old = Data(#"{"name":"quad","sampler":"iid","inputRange":"symmetric"}"#.utf8)
        XCTAssertEqual(try JSONDecoder().decode(FamilySpec.self, from: old), try FamilySpec(name: "quad"))
    }

    func testFamilySpecRejectsBadOrMisplacedOptionsAlsoWhenDecoding() throws {
        XCTAssertThrowsError(try FamilySpec(name: "linreg", dimension: 0))
        XCTAssertThrowsError(try FamilySpec(name: "b14", dimension: 3)) { XCTAssertTrue("\($0)".contains("linreg")) }
        XCTAssertThrowsError(try FamilySpec(name: "linreg", switchProbability: 0.1)) { XCTAssertTrue("\($0)".contains("ar2")) }
        let zero = Data(#"{"name":"linreg","sampler":"iid","inputRange":"symmetric","dimension":0}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(FamilySpec.self, from: zero)) { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(context.debugDescription.contains("dimension"), context.debugDescription)
        }
        let certain = Data(#"{"name":"ar2","sampler":"iid","inputRange":"symmetric","switchProbability":1}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(FamilySpec.self, from: certain))
    }

    func testFamilySpecBuildsTheNewFamiliesWithTheirDimensions() throws {
        XCTAssertEqual(FamilySpec.knownNames.filter { ["linreg", "ar2"].contains($0) }.count, 2)
        let linreg = try FamilySpec(name: "LinReg", dimension: 8)
        XCTAssertEqual(linreg.name, "linreg")
        XCTAssertEqual(linreg.makeFamily().inputDimension, 8)
        XCTAssertEqual(linreg.makeFamily().name, "linreg")
        XCTAssertEqual(try FamilySpec(name: "linreg").makeFamily().inputDimension, LinearRegressionFamily.defaultDimension)
        XCTAssertTrue(linreg.description.contains("d = 8"), linreg.description)
        let ar2 = try FamilySpec(name: "ar2", switchProbability: 0.25)
        XCTAssertEqual(ar2.makeFamily().inputDimension, 2)
        XCTAssertEqual((ar2.makeFamily() as? AutoregressiveFamily)?.switchProbability, 0.25)
        XCTAssertTrue(ar2.description.contains("0.25"), ar2.description)
        XCTAssertFalse(linreg.isBoolean || ar2.isBoolean)
    }

    // MARK: training

    func testConfigurationRejectsANetworkWhoseInputDimensionDiffersFromTheFamily() throws {
        let config = TrainingConfiguration(seed: 1, family: try FamilySpec(name: "linreg"),
                                           architecture: .lstm1997(.paperSingleLayer), trainingSequences: 4,
                                           sequenceLength: 11, learningRate: 0.01)
        XCTAssertThrowsError(try config.validate()) { XCTAssertTrue("\($0)".contains("5"), "\($0)") }
    }

    func testMetaTrainerRunsOnLinearRegressionInFiveDimensions() throws {
        let lstm = LSTM1997Network.Configuration(inputDimension: 5, layer: LSTMLayerShape(hiddenUnits: 6, blocks: 6, cellsPerBlock: 1))
        let config = TrainingConfiguration(seed: 4, family: try FamilySpec(name: "linreg", dimension: 5),
                                           architecture: .lstm1997(lstm), trainingSequences: 16,
                                           sequenceLength: LinearRegressionFamily.defaultLength(dimension: 5), epochs: 4,
                                           learningRate: 0.01, evaluationInterval: 2)
        let trainer = try MetaTrainer(configuration: config)
        XCTAssertEqual(trainer.trainingSet.inputDimension, 5)
        XCTAssertEqual(trainer.network.weightCount, (try Architecture.lstm1997(lstm).makeNetwork()).weightCount)
        for _ in 0..<4 {
            XCTAssertTrue(try trainer.runEpoch().isFinite)
            if trainer.evaluationDue { trainer.evaluate() }
        }
        XCTAssertTrue(trainer.isFinished)
        XCTAssertEqual(trainer.history.count, 2)
        for record in trainer.history {
            XCTAssertTrue(record.trainMSEt.isFinite && record.testMSEt.isFinite && record.onlineTrainingError.isFinite)
            XCTAssertLessThan(record.testMSEt, 0.5)
        }
    }

    func testMetaTrainerRunsOnAR2WithSwitching() throws {
        let config = TrainingConfiguration(seed: 2, family: try FamilySpec(name: "ar2", switchProbability: 0.05),
                                           architecture: .lstm1997(.paperSingleLayer), trainingSequences: 8,
                                           sequenceLength: 40, epochs: 2, learningRate: 0.01, evaluationInterval: 1)
        let trainer = try MetaTrainer(configuration: config)
        for _ in 0..<2 {
            XCTAssertTrue(try trainer.runEpoch().isFinite)
            if trainer.evaluationDue { trainer.evaluate() }
        }
        XCTAssertTrue(trainer.history.allSatisfy { $0.testMSEt.isFinite })
    }
}
