import XCTest

/// Asserts that `actual` and `expected` have the same length and the same bit pattern in every
/// entry (so −0 ≠ +0 and NaN payloads count; NaN equals a NaN with the same bits).
///
/// On failure the message names the first differing index with both values in full precision
/// and their bit patterns, and how many entries differ in all.
package func XCTAssertBitIdentical(_ actual: [Double], _ expected: [Double], _ message: @autoclosure () -> String = "",
                                   file: StaticString = #filePath, line: UInt = #line) {
    if let difference = bitDifference(actual, expected) {
        let context = message()
        XCTFail(context.isEmpty ? difference : "\(context): \(difference)", file: file, line: line)
    }
}

/// `nil` if `actual` and `expected` are bit-identical, else a description of where they differ:
/// the lengths, or the first differing index with both values and bit patterns and the number of
/// differing entries.
package func bitDifference(_ actual: [Double], _ expected: [Double]) -> String? {
    guard actual.count == expected.count else {
        return "lengths differ: \(actual.count) vs expected \(expected.count)"
    }
    let differing = actual.indices.filter { actual[$0].bitPattern != expected[$0].bitPattern }
    guard let first = differing.first else { return nil }
    func hex(_ value: Double) -> String { "0x" + String(value.bitPattern, radix: 16) }
    return "\(differing.count) of \(actual.count) entries differ; first at index \(first): "
        + "\(actual[first]) (\(hex(actual[first]))) vs expected \(expected[first]) (\(hex(expected[first])))"
}
