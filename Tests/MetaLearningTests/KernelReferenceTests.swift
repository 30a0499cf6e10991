import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// Each fused kernel of `Networks/Kernels.swift` against a plain, obviously correct Swift loop.
///
/// Sizes cover every remainder of the four- and eight-wide loops (1, 2, 3, 5, 7, 13, 62, …), and
/// every buffer is padded: inputs with random values the kernel must not read (reading one would
/// change the result), outputs with a sentinel it must not overwrite. Tolerances:
/// - exact (bit-identical) wherever the kernel documents its order of operations: element-wise
///   updates, and sums taken in four interleaved lanes, then (0+1)+(2+3), then the tail in order;
///   the reference loops below spell that order out;
/// - sums are also checked against a naive left-to-right sum, relatively to 1e−12 of Σ|aᵢbᵢ|;
/// - `exponential` against Foundation's `exp` to 2 ulp (its doc comment claims about one), and
///   σ against 1/(1 + exp(−x)) to 4 ulp on [−708, 708]; outside, where the kernel clamps, to 1e−307
///   absolute.
/// An off-by-one in a remainder loop either skips an entry (the exact comparison fails), reads a
/// padding entry (the exact comparison fails) or writes one (the sentinel check fails).
final class KernelReferenceTests: XCTestCase {
    /// Lengths that exercise the vector loops and every remainder after them.
    private static let sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 16, 62, 63]
    /// Row counts for the four-rows-at-a-time kernels: every remainder mod 4.
    private static let rowCounts = [1, 3, 4, 5, 7, 13, 62]
    /// Entries appended after every buffer.
    private static let padding = 5
    /// Written into output padding; must survive every kernel call.
    private static let sentinel = -12345.678

    // MARK: - Helpers

    private var generator = Xoshiro256StarStar(seed: 20_261_204)

    /// `count` uniform values in [−1, 1] followed by `padding` more (the kernel must ignore them).
    private func randomPadded(_ count: Int) -> [Double] {
        (0..<(count + Self.padding)).map { _ in generator.nextUniform(in: -1, 1) }
    }

    /// `count` uniform values in [−1, 1] followed by `padding` sentinels.
    private func randomWithSentinels(_ count: Int) -> [Double] {
        (0..<count).map { _ in generator.nextUniform(in: -1, 1) } + Array(repeating: Self.sentinel, count: Self.padding)
    }

    /// The dot product in the order ``dot`` documents: four interleaved lanes over the largest
    /// multiple of four, lanes combined (0+1)+(2+3), then the tail left to right.
    private func referenceDot(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double {
        let a = Array(a), b = Array(b)
        precondition(a.count == b.count)
        let blocked = a.count - a.count % 4
        var lane = [0.0, 0.0, 0.0, 0.0]
        for i in 0..<blocked { lane[i % 4] += a[i] * b[i] }
        var sum = (lane[0] + lane[1]) + (lane[2] + lane[3])
        for i in blocked..<a.count { sum += a[i] * b[i] }
        return sum
    }

    /// Checks `value` against the naive left-to-right sum to 1e−12 of Σ|aᵢbᵢ|.
    private func assertCloseToNaiveDot(_ value: Double, _ a: ArraySlice<Double>, _ b: ArraySlice<Double>,
                                       _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        var naive = 0.0, scale = 0.0
        for (x, y) in zip(a, b) {
            naive += x * y
            scale += abs(x * y)
        }
        XCTAssertLessThanOrEqual(abs(value - naive), 1e-12 * scale, message, file: file, line: line)
    }

    // MARK: - exponential and σ

    func testScalarExponentialAgainstFoundationIncludingClampedRange() {
        for _ in 0..<20_000 {
            let x = generator.nextUniform(in: -708, 709)
            let reference = Foundation.exp(x)
            XCTAssertLessThanOrEqual(abs(exponential(x) - reference), 2 * reference.ulp, "x = \(x)")
        }
        for x in [-1e300, -1000, -708.5, -708] { XCTAssertEqual(exponential(x), exponential(-708), "x = \(x)") }
        for x in [709, 709.5, 1000, 1e300] { XCTAssertEqual(exponential(x), exponential(709), "x = \(x)") }
        XCTAssertLessThanOrEqual(abs(exponential(709) - Foundation.exp(709)), 2 * Foundation.exp(709).ulp)
        XCTAssertLessThanOrEqual(abs(exponential(-708) - Foundation.exp(-708)), 2 * Foundation.exp(-708).ulp)
    }

    func testSigmoidAgainstTheTextbookFormulaIncludingLargeMagnitudes() {
        func textbook(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
        var inputs = (0..<20_000).map { _ in generator.nextUniform(in: -40, 40) }
        inputs += (0..<5_000).map { _ in generator.nextUniform(in: -708, 708) }
        inputs += [0, -0.0, 1e-300, -1e-300, 36.7, -36.7, 708, -708]
        for x in inputs {
            let reference = textbook(x)
            XCTAssertLessThanOrEqual(abs(sigmoid(x) - reference), 4 * reference.ulp, "x = \(x)")
        }
        // Beyond ±708 the exponential is clamped: σ is exactly 1 above, and below it stays
        // within 1e−307 of the true (underflowing) value instead of reaching 0.
        for x: Double in [709, 745, 1000, 1e6, 1e300, .infinity] { XCTAssertEqual(sigmoid(x), 1, "x = \(x)") }
        for x: Double in [-709, -745, -1000, -1e6, -1e300, -.infinity] {
            XCTAssertLessThanOrEqual(abs(sigmoid(x) - textbook(x)), 1e-307, "x = \(x)")
            XCTAssertGreaterThanOrEqual(sigmoid(x), 0, "x = \(x)")
        }
    }

    func testVectorExponentialAndSigmoidAreBitIdenticalToScalarInEveryLane() {
        for _ in 0..<2_000 {
            let values = (0..<8).map { _ in generator.nextUniform(in: -750, 750) }
            let four = SIMD4(values[0..<4]), eight = SIMD8(values)
            let e4 = exponential(four), s4 = sigmoid(four), e8 = exponential(eight), s8 = sigmoid(eight)
            for lane in 0..<4 {
                XCTAssertEqual(e4[lane].bitPattern, exponential(values[lane]).bitPattern, "SIMD4 exp lane \(lane)")
                XCTAssertEqual(s4[lane].bitPattern, sigmoid(values[lane]).bitPattern, "SIMD4 σ lane \(lane)")
            }
            for lane in 0..<8 {
                XCTAssertEqual(e8[lane].bitPattern, exponential(values[lane]).bitPattern, "SIMD8 exp lane \(lane)")
                XCTAssertEqual(s8[lane].bitPattern, sigmoid(values[lane]).bitPattern, "SIMD8 σ lane \(lane)")
            }
        }
    }

    func testApplySigmoidMatchesScalarSigmoidForEveryRemainder() {
        for count in Array(0...20) + [62, 63] {
            let x = randomPadded(count).map { $0 * 30 }
            let expected = x[..<count].map { sigmoid($0) } + Array(repeating: Self.sentinel, count: Self.padding)
            var out = Array(repeating: Self.sentinel, count: count + Self.padding)
            x.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { applySigmoid(xp.baseAddress!, into: $0.baseAddress!, count) }
            }
            XCTAssertBitIdentical(out, expected, "applySigmoid, count \(count)")
            // In place (out == x): the same values, and the padding left as it was.
            var inPlace = x
            inPlace.withUnsafeMutableBufferPointer { applySigmoid($0.baseAddress!, into: $0.baseAddress!, count) }
            XCTAssertBitIdentical(inPlace, Array(expected[..<count]) + x[count...], "applySigmoid in place, count \(count)")
        }
    }

    // MARK: - Vector kernels

    func testDotMatchesTheDocumentedSummationOrderExactly() {
        for count in Self.sizes {
            let a = randomPadded(count), b = randomPadded(count)
            let value = a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { dot(ap.baseAddress!, $0.baseAddress!, count) } }
            XCTAssertEqual(value.bitPattern, referenceDot(a[..<count], b[..<count]).bitPattern, "dot, count \(count)")
            assertCloseToNaiveDot(value, a[..<count], b[..<count], "dot, count \(count)")
        }
    }

    func testAddScaledIsElementWiseExact() {
        for count in Self.sizes {
            let alpha = generator.nextUniform(in: -2, 2)
            let x = randomPadded(count)
            var y = randomWithSentinels(count)
            var expected = y
            for i in 0..<count { expected[i] = y[i] + alpha * x[i] }
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { addScaled(alpha, xp.baseAddress!, to: $0.baseAddress!, count) } }
            XCTAssertBitIdentical(y, expected, "addScaled, count \(count)")
        }
    }

    func testAddScaledPairIsElementWiseExact() {
        for count in Self.sizes {
            let alpha = generator.nextUniform(in: -2, 2), beta = generator.nextUniform(in: -2, 2)
            let x = randomPadded(count)
            var y1 = randomWithSentinels(count), y2 = randomWithSentinels(count)
            var expected1 = y1, expected2 = y2
            for i in 0..<count {
                expected1[i] = y1[i] + alpha * x[i]
                expected2[i] = y2[i] + beta * x[i]
            }
            x.withUnsafeBufferPointer { xp in
                y1.withUnsafeMutableBufferPointer { p1 in
                    y2.withUnsafeMutableBufferPointer { p2 in
                        addScaledPair(alpha, to: p1.baseAddress!, beta, to: p2.baseAddress!, xp.baseAddress!, count)
                    }
                }
            }
            XCTAssertBitIdentical(y1, expected1, "addScaledPair y1, count \(count)")
            XCTAssertBitIdentical(y2, expected2, "addScaledPair y2, count \(count)")
        }
    }

    func testTwoTermAddScaledIsElementWiseExactInItsOrder() {
        for count in Self.sizes {
            let alpha = generator.nextUniform(in: -2, 2), beta = generator.nextUniform(in: -2, 2)
            let x1 = randomPadded(count), x2 = randomPadded(count)
            var y = randomWithSentinels(count)
            var expected = y
            for i in 0..<count { expected[i] = (y[i] + alpha * x1[i]) + beta * x2[i] }
            x1.withUnsafeBufferPointer { p1 in
                x2.withUnsafeBufferPointer { p2 in
                    y.withUnsafeMutableBufferPointer { addScaled(alpha, p1.baseAddress!, beta, p2.baseAddress!, to: $0.baseAddress!, count) }
                }
            }
            XCTAssertBitIdentical(y, expected, "addScaled(α, x1, β, x2), count \(count)")
        }
    }

    func testLoadAndStoreFourAtAnUnalignedOffset() {
        let source = randomPadded(9)
        var target = Array(repeating: Self.sentinel, count: 9)
        source.withUnsafeBufferPointer { sp in
            target.withUnsafeMutableBufferPointer { store4(load4(sp.baseAddress! + 1), $0.baseAddress! + 3) }
        }
        XCTAssertBitIdentical(target, Array(repeating: Self.sentinel, count: 3) + source[1..<5] + Array(repeating: Self.sentinel, count: 2))
        XCTAssertEqual(allocateZeroedContents(0), [0], "allocateZeroed(0) still allocates one zero")
        XCTAssertEqual(allocateZeroedContents(13), Array(repeating: 0, count: 13))
    }

    private func allocateZeroedContents(_ count: Int) -> [Double] {
        let pointer = allocateZeroed(count)
        defer { pointer.deallocate() }
        return Array(UnsafeBufferPointer(start: pointer, count: max(count, 1)))
    }

    // MARK: - Matrix kernels (rows `stride` apart, `count` ≤ stride columns used)

    /// A random `rows × stride` matrix followed by padding rows.
    private func randomMatrix(rows: Int, stride: Int) -> [Double] {
        (0..<((rows + 1) * stride + Self.padding)).map { _ in generator.nextUniform(in: -1, 1) }
    }

    /// Column counts used with each row count, and the row stride (larger than the count, so
    /// that entries between rows must be left alone).
    private static let shapes: [(count: Int, stride: Int)] = [(1, 1), (1, 3), (3, 3), (5, 7), (7, 8), (13, 13), (13, 16), (62, 63)]

    func testDotFourRowsMatchesFourDotsExactly() {
        for (count, stride) in Self.shapes {
            let w = randomMatrix(rows: 4, stride: stride), z = randomPadded(count)
            let value = w.withUnsafeBufferPointer { wp in z.withUnsafeBufferPointer { dot4(wp.baseAddress!, stride: stride, $0.baseAddress!, count) } }
            for row in 0..<4 {
                let rowValues = w[(row * stride)..<(row * stride + count)]
                XCTAssertEqual(value[row].bitPattern, referenceDot(rowValues, z[..<count]).bitPattern, "dot4 row \(row), count \(count)")
                assertCloseToNaiveDot(value[row], rowValues, z[..<count], "dot4 row \(row), count \(count)")
            }
        }
    }

    func testMatrixVectorMatchesOneDotPerRowExactly() {
        for rows in Self.rowCounts {
            for (count, stride) in Self.shapes {
                let w = randomMatrix(rows: rows, stride: stride), z = randomPadded(count)
                var out = Array(repeating: Self.sentinel, count: rows + Self.padding)
                w.withUnsafeBufferPointer { wp in
                    z.withUnsafeBufferPointer { zp in
                        out.withUnsafeMutableBufferPointer {
                            matrixVector(wp.baseAddress!, rows: rows, stride: stride, zp.baseAddress!, count, into: $0.baseAddress!)
                        }
                    }
                }
                let expected = (0..<rows).map { referenceDot(w[($0 * stride)..<($0 * stride + count)], z[..<count]) }
                XCTAssertBitIdentical(out, expected + Array(repeating: Self.sentinel, count: Self.padding),
                                      "matrixVector \(rows)×\(count), stride \(stride)")
                for r in 0..<rows {
                    assertCloseToNaiveDot(out[r], w[(r * stride)..<(r * stride + count)], z[..<count], "matrixVector row \(r)")
                }
            }
        }
    }

    /// y[r, i] + α[r]·x[i] for r < rows, i < count; everything else as it was.
    private func referenceAddOuter(_ alpha: [Double], _ x: [Double], to y: [Double], rows: Int, stride: Int, count: Int) -> [Double] {
        var result = y
        for r in 0..<rows {
            for i in 0..<count { result[r * stride + i] = y[r * stride + i] + alpha[r] * x[i] }
        }
        return result
    }

    func testAddOuterMatchesOneAddScaledPerRowExactly() {
        for rows in Self.rowCounts {
            for (count, stride) in Self.shapes {
                let alpha = randomPadded(rows), x = randomPadded(count)
                var y = randomMatrix(rows: rows, stride: stride)
                let expected = referenceAddOuter(alpha, x, to: y, rows: rows, stride: stride, count: count)
                alpha.withUnsafeBufferPointer { ap in
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer {
                            addOuter(ap.baseAddress!, xp.baseAddress!, to: $0.baseAddress!, rows: rows, stride: stride, count)
                        }
                    }
                }
                XCTAssertBitIdentical(y, expected, "addOuter \(rows)×\(count), stride \(stride)")
            }
        }
    }

    func testAddOuterAndDotMatchesAddOuterThenMatrixVectorExactly() {
        for rows in Self.rowCounts {
            for (count, stride) in Self.shapes {
                let alpha = randomPadded(rows), x = randomPadded(count), z = randomPadded(count)
                var y = randomMatrix(rows: rows, stride: stride)
                let expectedY = referenceAddOuter(alpha, x, to: y, rows: rows, stride: stride, count: count)
                let expectedOut = (0..<rows).map { referenceDot(expectedY[($0 * stride)..<($0 * stride + count)], z[..<count]) }
                var out = Array(repeating: Self.sentinel, count: rows + Self.padding)
                alpha.withUnsafeBufferPointer { ap in
                    x.withUnsafeBufferPointer { xp in
                        z.withUnsafeBufferPointer { zp in
                            y.withUnsafeMutableBufferPointer { yp in
                                out.withUnsafeMutableBufferPointer {
                                    addOuterAndDot(ap.baseAddress!, xp.baseAddress!, to: yp.baseAddress!, rows: rows, stride: stride,
                                                   count, dotWith: zp.baseAddress!, into: $0.baseAddress!)
                                }
                            }
                        }
                    }
                }
                XCTAssertBitIdentical(y, expectedY, "addOuterAndDot weights \(rows)×\(count), stride \(stride)")
                XCTAssertBitIdentical(out, expectedOut + Array(repeating: Self.sentinel, count: Self.padding),
                                      "addOuterAndDot products \(rows)×\(count), stride \(stride)")
            }
        }
    }

    func testBackwardAndUpdateMatchesTheBackwardSweepThenTheUpdateExactly() {
        for rows in Self.rowCounts {
            for stride in [1, 3, 4, 5, 7, 13, 62] {
                for errorCount in Set([0, 1, stride / 2, stride - 1, stride]).sorted() where errorCount >= 0 {
                    let delta = randomPadded(rows), alpha = randomPadded(rows), x = randomPadded(stride)
                    var w = randomMatrix(rows: rows, stride: stride)
                    var d = randomWithSentinels(errorCount)
                    // Plain loops: the error sums rows in increasing order with the old weights,
                    // then every used weight moves by α[r]·x[k].
                    var expectedD = d, expectedW = w
                    for r in 0..<rows {
                        for k in 0..<errorCount { expectedD[k] = expectedD[k] + delta[r] * w[r * stride + k] }
                    }
                    for r in 0..<rows {
                        for k in 0..<stride { expectedW[r * stride + k] = w[r * stride + k] + alpha[r] * x[k] }
                    }
                    delta.withUnsafeBufferPointer { dp in
                        alpha.withUnsafeBufferPointer { ap in
                            x.withUnsafeBufferPointer { xp in
                                w.withUnsafeMutableBufferPointer { wp in
                                    d.withUnsafeMutableBufferPointer {
                                        backwardAndUpdate(wp.baseAddress!, rows: rows, stride: stride, delta: dp.baseAddress!,
                                                          error: $0.baseAddress!, errorCount: errorCount,
                                                          alpha: ap.baseAddress!, xp.baseAddress!)
                                    }
                                }
                            }
                        }
                    }
                    let label = "backwardAndUpdate \(rows)×\(stride), errorCount \(errorCount)"
                    XCTAssertBitIdentical(d, expectedD, "\(label): error")
                    XCTAssertBitIdentical(w, expectedW, "\(label): weights")
                }
            }
        }
    }

    func testAddTracesAndDotMatchesTheUpdatesThenTwoDotsExactly() {
        for direct in [false, true] {
            for count in Self.sizes {
                let epsilon = generator.nextUniform(in: -1, 1), beta = generator.nextUniform(in: -1, 1)
                let tc = randomPadded(count), tin = randomPadded(count), x = randomPadded(count), z = randomPadded(count)
                var c = randomWithSentinels(count), g = randomWithSentinels(count)
                var expectedC = c, expectedG = g
                for i in 0..<count {
                    expectedC[i] = c[i] + epsilon * tc[i]
                    expectedG[i] = direct ? (g[i] + epsilon * tin[i]) + beta * x[i] : g[i] + epsilon * tin[i]
                }
                let (sumC, sumG) = tc.withUnsafeBufferPointer { tcp in
                    tin.withUnsafeBufferPointer { tinp in
                        x.withUnsafeBufferPointer { xp in
                            z.withUnsafeBufferPointer { zp in
                                c.withUnsafeMutableBufferPointer { cp in
                                    g.withUnsafeMutableBufferPointer {
                                        addTracesAndDot(cellRow: cp.baseAddress!, gateRow: $0.baseAddress!, epsilon: epsilon,
                                                        cellTrace: tcp.baseAddress!, gateTrace: tinp.baseAddress!, direct: direct,
                                                        beta: beta, xp.baseAddress!, dotWith: zp.baseAddress!, count)
                                    }
                                }
                            }
                        }
                    }
                }
                let label = "addTracesAndDot direct \(direct), count \(count)"
                XCTAssertBitIdentical(c, expectedC, "\(label): cell row")
                XCTAssertBitIdentical(g, expectedG, "\(label): gate row")
                XCTAssertEqual(sumC.bitPattern, referenceDot(expectedC[..<count], z[..<count]).bitPattern, "\(label): c·z")
                XCTAssertEqual(sumG.bitPattern, referenceDot(expectedG[..<count], z[..<count]).bitPattern, "\(label): g·z")
            }
        }
    }
}
