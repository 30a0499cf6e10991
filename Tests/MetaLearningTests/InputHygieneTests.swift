import Foundation
import MetaLearning
import MetaLearningTestSupport
import XCTest

/// Small rules for text from files and options: line numbers, control characters in messages,
/// one number grammar, distinct learners (docs/reliability.md, "Text from files and options").
final class InputHygieneTests: XCTestCase {
    func testInvalidUTF8IsReportedOnTheRightLineAfterLoneCarriageReturns() throws {
        let folder = try temporaryFolder()
        // Lines 1–3 end with a lone CR (old Mac line ends), line 4 with CRLF; the bad byte is on line 5.
        let prefix = Array("sequence,x1,x2,y\r1,0,0,0\r1,0,1,1\r1,1,1,1\r\n".utf8)
        let examples = folder.appendingPathComponent("examples.csv")
        try Data(prefix + [0x32, 0x2C, 0xFF, 0x2C, 0x30, 0x2C, 0x30, 0x0A]).write(to: examples)
        XCTAssertThrowsError(try ExampleTable.load(contentsOf: examples, expectedInputDimension: 2)) { error in
            XCTAssertEqual((error as? CSVError)?.line, 5, "\(error)")
        }
        let series = folder.appendingPathComponent("series.csv")
        try Data(Array("t,v\r1,2\r\n2,3\r".utf8) + [0x33, 0x2C, 0xFE, 0x0A]).write(to: series)
        XCTAssertThrowsError(try TimeSeries.load(contentsOf: series, column: "v")) { error in
            XCTAssertEqual(error as? TimeSeriesError, .invalidEncoding(file: series.path, line: 4))
        }
    }

    func testControlCharactersFromTheDataAreEscapedInMessages() throws {
        let escape = "\u{1B}[31m"
        XCTAssertThrowsError(try ExampleTable.parse("sequence,x1,x2,y\n1,\(escape)red,0,0\n", expectedInputDimension: 2,
                                                    source: "data.csv")) { error in
            let message = "\(error)"
            XCTAssertFalse(message.unicodeScalars.contains { $0.value == 0x1B }, message)
            XCTAssertTrue(message.contains("\\u{1B}[31mred"), message)
        }
        XCTAssertThrowsError(try TimeSeries.parse("t,v\u{9B}2J\n1,2\n", column: "w", source: "s.csv")) { error in
            XCTAssertTrue("\(error)".contains("\\u{9B}2J"), "\(error)")
        }
        XCTAssertEqual(escapingControlCharacters("a\tb\r\n\u{7F}ü"), "a\\tb\\r\\n\\u{7F}ü")
    }

    func testOneDecimalGrammarForFilesOptionsAndLearnerParameters() throws {
        let cases: [(String, DecimalNumber.Parsed)] = [
            ("0.003", .value(0.003)), ("3e-3", .value(0.003)), (" -.5 ", .value(-0.5)), ("1.", .value(1)),
            ("0x1p-3", .notANumber), ("0X10", .notANumber), ("1e", .notANumber), ("", .empty),
            ("nan", .nonFinite), ("-Infinity", .nonFinite), ("1e999", .nonFinite),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(DecimalNumber.parse(text), expected, text)
            let csv = "sequence,x1,y\na,\(text),1\n"
            let accepted = (try? ExampleTable.parse(csv, expectedInputDimension: 1, source: "t.csv")) != nil
            if case .value = expected { XCTAssertTrue(accepted, text) } else { XCTAssertFalse(accepted, text) }
        }
        XCTAssertThrowsError(try LearnerSpec(parsing: "knn:0x5"))
        XCTAssertEqual(try LearnerSpec(parsing: "knn:5").parameter, 5)
    }

    func testLearnerListsMustNotBeEmptyOrNameALearnerTwice() throws {
        XCTAssertThrowsError(try LearnerSpec.checkDistinct([]))
        XCTAssertThrowsError(try LearnerSpec.checkDistinct([try LearnerSpec(parsing: "bayes"), try LearnerSpec(parsing: "BAYES")])) { error in
            XCTAssertTrue("\(error)".contains("bayes is listed twice"), "\(error)")
        }
        XCTAssertNoThrow(try LearnerSpec.checkDistinct([try LearnerSpec(parsing: "knn:3"), try LearnerSpec(parsing: "knn:5")]))
    }
}
