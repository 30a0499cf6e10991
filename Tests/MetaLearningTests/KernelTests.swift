import Foundation
import XCTest
import MetaLearning

final class KernelTests: XCTestCase {
    func testExponentialMatchesFoundationWithinTwoUlps() {
        var generator = Xoshiro256StarStar(seed: 11)
        for _ in 0..<100_000 {
            let x = generator.nextUniform(in: -700, 700)
            let ours = exponential(x)
            let reference = Foundation.exp(x)
            XCTAssertLessThanOrEqual(abs(ours - reference), 2 * reference.ulp, "x = \(x)")
        }
        XCTAssertEqual(exponential(0), 1)
        XCTAssertEqual(exponential(1), Foundation.exp(1), accuracy: 2 * Foundation.exp(1).ulp)
    }

    func testExponentialClampsInsteadOfProducingGarbage() {
        XCTAssertEqual(exponential(-1e6), exponential(-708))
        XCTAssertEqual(exponential(1e6), exponential(709))
        XCTAssertTrue(exponential(1e6).isFinite)
        XCTAssertEqual(sigmoid(1e6), 1)
        XCTAssertLessThan(sigmoid(-1e6), 1e-300)
    }

    func testVectorSigmoidIsBitIdenticalToScalar() {
        var generator = Xoshiro256StarStar(seed: 12)
        for _ in 0..<10_000 {
            let v = SIMD4((0..<4).map { _ in generator.nextUniform(in: -40, 40) })
            let vector = sigmoid(v)
            for lane in 0..<4 {
                XCTAssertEqual(vector[lane].bitPattern, sigmoid(v[lane]).bitPattern)
            }
        }
    }
}
