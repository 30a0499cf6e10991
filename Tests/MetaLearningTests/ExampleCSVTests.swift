import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// The example CSV format of `metalearn predict`: parsing, its error messages, and writing.
final class ExampleCSVTests: XCTestCase {
    private func parse(_ text: String, d: Int = 2, source: String = "data.csv") throws -> ExampleTable {
        try ExampleTable.parse(text, expectedInputDimension: d, source: source)
    }

    /// Parses `text` expecting a `CSVError`, and checks its line and that its message names the file and line.
    private func parseError(_ text: String, d: Int = 2, file: StaticString = #filePath, line: UInt = #line) -> CSVError? {
        do {
            _ = try parse(text, d: d)
            XCTFail("expected a CSVError", file: file, line: line)
            return nil
        } catch let error as CSVError {
            XCTAssertEqual(error.file, "data.csv", file: file, line: line)
            let description = error.description
            XCTAssertTrue(description.hasPrefix("data.csv, line \(error.line ?? -1)"), description, file: file, line: line)
            XCTAssertFalse(description.contains("\n"), description, file: file, line: line)
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    // MARK: Reading

    func testParsesRowsInputsTargetsAndLineNumbers() throws {
        let table = try parse("sequence,x1,x2,y\n1,0,1,1\n1,1,1,0\n2,0.5,-2e-3,0.25\n")
        XCTAssertEqual(table.source, "data.csv")
        XCTAssertEqual(table.header, ["sequence", "x1", "x2", "y"])
        XCTAssertEqual(table.inputDimension, 2)
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertEqual(table.sequenceIDs, ["1", "1", "2"])
        XCTAssertEqual(table.inputs, [0, 1, 1, 1, 0.5, -0.002])
        XCTAssertEqual(table.targets, [1, 0, 0.25])
        XCTAssertEqual(table.lineNumbers, [2, 3, 4])
        XCTAssertEqual(Array(table.input(atRow: 2)), [0.5, -0.002])
        XCTAssertEqual(table.sequenceRanges, [0..<2, 2..<3])
    }

    func testHeaderIsCaseInsensitiveAndTrimmedAndKeptAsWritten() throws {
        let table = try parse(" Sequence , X1,x2 ,Y\n a , 1 ,2, 3 \n")
        XCTAssertEqual(table.header, ["Sequence", "X1", "x2", "Y"])
        XCTAssertEqual(table.sequenceIDs, ["a"])
        XCTAssertEqual(table.inputs, [1, 2])
        XCTAssertEqual(table.targets, [3])
    }

    func testAcceptsCRLFByteOrderMarkBlankLinesAndNoFinalNewline() throws {
        let text = "\u{FEFF}sequence,x1,x2,y\r\n\r\nfnA,1,0,1\r\n   \r\nfnA,0,1,0\r\nfnB,1,1,1"
        let table = try parse(text)
        XCTAssertEqual(table.header, ["sequence", "x1", "x2", "y"])
        XCTAssertEqual(table.sequenceIDs, ["fnA", "fnA", "fnB"])
        XCTAssertEqual(table.inputs, [1, 0, 0, 1, 1, 1])
        XCTAssertEqual(table.lineNumbers, [3, 5, 6])
        XCTAssertEqual(table.sequenceRanges, [0..<2, 2..<3])
    }

    func testAcceptsLeadingBlankLinesAndLoneCarriageReturns() throws {
        let table = try parse("\n\nsequence,x1,x2,y\r1,1,2,3\r\r1,4,5,6\r")
        XCTAssertEqual(table.lineNumbers, [4, 6])
        XCTAssertEqual(table.targets, [3, 6])
    }

    func testNumbersInDecimalAndScientificNotation() throws {
        let table = try parse("sequence,x1,x2,y\ns,+1.5,.5,5.\ns,-0,1E3,2.5e-3\ns,1e+2,-.25,0.1\n")
        XCTAssertEqual(table.inputs, [1.5, 0.5, -0.0, 1000, 100, -0.25])
        XCTAssertEqual(table.targets, [5, 0.0025, 0.1])
        XCTAssertEqual(table.inputs[2].sign, .minus)
    }

    func testQuotedSequenceIDsWithCommasQuotesAndLineBreaks() throws {
        let text = "sequence,x1,x2,y\n\"a,b\",1,2,3\n\"say \"\"hi\"\"\",1,2,3\n  \"x\"  ,1,2,3\n\"two\nlines\",1,2,3\n\" padded \",\"4\",5,6\nlast,7,8,9\n"
        let table = try parse(text)
        XCTAssertEqual(table.sequenceIDs, ["a,b", "say \"hi\"", "x", "two\nlines", " padded ", "last"])
        XCTAssertEqual(table.lineNumbers, [2, 3, 4, 5, 7, 8])
        XCTAssertEqual(table.inputs[8], 4)
    }

    func testQuotedHeaderNames() throws {
        let table = try parse("\"sequence\",\"x1\",\"x2\",\"y\"\n1,1,2,3\n")
        XCTAssertEqual(table.targets, [3])
    }

    func testUnicodeSequenceIDs() throws {
        let table = try parse("sequence,x1,x2,y\nFunktion ä,1,2,3\n日本,1,2,3\n")
        XCTAssertEqual(table.sequenceIDs, ["Funktion ä", "日本"])
        XCTAssertEqual(table.sequenceRanges, [0..<1, 1..<2])
    }

    func testSequenceRangesAreMaximalConsecutiveRunsAndAReappearingIDStartsANewRun() throws {
        let rows = ["a", "a", "b", "a", "a", "1", "01", "01"].map { "\($0),0,0,0" }
        let table = try parse("sequence,x1,x2,y\n" + rows.joined(separator: "\n"))
        XCTAssertEqual(table.sequenceRanges, [0..<2, 2..<3, 3..<5, 5..<6, 6..<8])
    }

    func testSequenceRangesOfInMemoryTables() {
        XCTAssertEqual(ExampleTable(sequenceIDs: [], inputs: [], targets: [], inputDimension: 1).sequenceRanges, [])
        let single = ExampleTable(sequenceIDs: ["s", "s", "s"], inputs: [1, 2, 3], targets: [0, 0, 0], inputDimension: 1)
        XCTAssertEqual(single.sequenceRanges, [0..<3])
        XCTAssertEqual(single.lineNumbers, [2, 3, 4])
        XCTAssertEqual(single.header, ["sequence", "x1", "y"])
    }

    func testInputDimensionOneAndZero() throws {
        let one = try parse("sequence,x1,y\ns,1,2\n", d: 1)
        XCTAssertEqual(one.inputs, [1])
        let zero = try parse("sequence,y\ns,2\n", d: 0)
        XCTAssertEqual(zero.inputs, [])
        XCTAssertEqual(zero.targets, [2])
    }

    // MARK: Errors, each naming the right line

    func testEmptyFile() {
        for text in ["", "\n\n  \r\n", "\u{FEFF}"] {
            let error = parseError(text)
            XCTAssertEqual(error, .emptyFile(file: "data.csv", expectedHeader: "sequence,x1,x2,y"))
            XCTAssertEqual(error?.description, "data.csv, line 1: the file is empty (expected header sequence,x1,x2,y)")
        }
    }

    func testMissingHeader() {
        let error = parseError("\n1,0.5,0.25,1\n1,0,0,0\n")
        XCTAssertEqual(error, .missingHeader(file: "data.csv", line: 2, expectedHeader: "sequence,x1,x2,y"))
        XCTAssertEqual(error?.description,
                       "data.csv, line 2: the header row is missing (expected header sequence,x1,x2,y as the first line)")
    }

    func testUnrecognizedHeaderSaysWhatWasExpected() {
        let error = parseError("seq,a,b,target\n1,0,0,0\n")
        XCTAssertEqual(error, .unrecognizedHeader(file: "data.csv", line: 1, found: "seq,a,b,target",
                                                  expectedHeader: "sequence,x1,x2,y"))
        XCTAssertEqual(error?.description, "data.csv, line 1: expected header sequence,x1,x2,y, found 'seq,a,b,target'")
        XCTAssertEqual(parseError("sequence,x2,x1,y\n1,0,0,0\n")?.line, 1)
        XCTAssertEqual(parseError("sequence,x1,x2\n1,0,0\n")?.line, 1)
    }

    func testInputDimensionMismatch() {
        let error = parseError("sequence,x1,x2,x3,y\n1,0,0,0,0\n")
        XCTAssertEqual(error, .inputDimensionMismatch(file: "data.csv", line: 1, found: 3, expected: 2))
        XCTAssertEqual(error?.description,
                       "data.csv, line 1: the file has 3 input columns but the model expects 2 (expected header sequence,x1,x2,y)")
        XCTAssertEqual(parseError("sequence,x1,y\n1,0,0\n"),
                       .inputDimensionMismatch(file: "data.csv", line: 1, found: 1, expected: 2))
    }

    func testWrongColumnCount() {
        let text = "sequence,x1,x2,y\n1,0,0,0\n1,0,0,0\n\n1,0,0,0\n1,0,0,0\n1,0,0\n1,0,0,0\n"
        let error = parseError(text)
        XCTAssertEqual(error, .wrongColumnCount(file: "data.csv", line: 7, expected: 4, found: 3))
        XCTAssertEqual(error?.description, "data.csv, line 7: expected 4 columns, found 3")
        XCTAssertEqual(parseError("sequence,x1,x2,y\n1,0,0,0,\n"),
                       .wrongColumnCount(file: "data.csv", line: 2, expected: 4, found: 5))
    }

    func testNonNumericValueNamesLineAndColumn() {
        let text = "sequence,x1,x2,y\n1,0,0,0\n1,0,0,0\n1,0,0,0\n1,0,abc,0\n"
        let error = parseError(text)
        XCTAssertEqual(error, .notANumber(file: "data.csv", line: 5, column: "x2", value: "abc"))
        XCTAssertEqual(error?.description, "data.csv, line 5, column x2: 'abc' is not a number")
        for bad in ["1.2.3", "0x1p3", "1e", "e5", "--1", "1;5", "+", ".", "1 2"] {
            XCTAssertEqual(parseError("sequence,x1,x2,y\ns,0,0,\(bad)\n"),
                           .notANumber(file: "data.csv", line: 2, column: "y", value: bad), bad)
        }
    }

    func testNonFiniteValues() {
        for (bad, column) in [("nan", "x1"), ("NaN", "x2"), ("inf", "y"), ("-Infinity", "x1"), ("1e999", "y")] {
            let fields = ["x1", "x2", "y"].map { $0 == column ? bad : "0" }
            let error = parseError("sequence,x1,x2,y\n\ns,\(fields.joined(separator: ","))\n")
            XCTAssertEqual(error, .nonFiniteNumber(file: "data.csv", line: 3, column: column, value: bad), bad)
        }
        XCTAssertEqual(parseError("sequence,x1,x2,y\ns,nan,0,0\n")?.description,
                       "data.csv, line 2, column x1: 'nan' is not a finite number")
    }

    func testEmptyFields() {
        XCTAssertEqual(parseError("sequence,x1,x2,y\ns,0,0,0\n,0,0,0\n"),
                       .emptyField(file: "data.csv", line: 3, column: "sequence"))
        XCTAssertEqual(parseError("sequence,x1,x2,y\n\"\",0,0,0\n"),
                       .emptyField(file: "data.csv", line: 2, column: "sequence"))
        XCTAssertEqual(parseError("sequence,x1,x2,y\ns,0, ,0\n")?.description,
                       "data.csv, line 2, column x2: the value is missing")
    }

    func testHeaderButNoDataRows() {
        for text in ["sequence,x1,x2,y", "sequence,x1,x2,y\n", "\u{FEFF}sequence,x1,x2,y\r\n\r\n  \r\n"] {
            XCTAssertEqual(parseError(text), .noDataRows(file: "data.csv", line: 1))
        }
        XCTAssertEqual(parseError("\nsequence,x1,x2,y\n")?.description,
                       "data.csv, line 2: the file has a header but no data rows")
    }

    func testUnterminatedQuoteNamesTheLineWhereTheRecordStarts() {
        let error = parseError("sequence,x1,x2,y\ns,0,0,0\n\"open,0,0,0\nmore,0,0,0\n")
        XCTAssertEqual(error, .unterminatedQuote(file: "data.csv", line: 3))
    }

    func testTextAfterClosingQuote() {
        let error = parseError("sequence,x1,x2,y\ns,0,0,0\n\"a\"b,0,0,0\n")
        XCTAssertEqual(error, .textAfterClosingQuote(file: "data.csv", line: 3, column: "sequence"))
    }

    func testErrorLineCountsLinesInsideQuotedFields() {
        let error = parseError("sequence,x1,x2,y\n\"multi\r\nline\",0,0,0\ns,0,x,0\n")
        XCTAssertEqual(error, .notANumber(file: "data.csv", line: 4, column: "x2", value: "x"))
    }

    func testLongValuesAreAbbreviatedInMessages() {
        let long = String(repeating: "z", count: 500)
        let description = parseError("sequence,x1,x2,y\ns,\(long),0,0\n")?.description ?? ""
        XCTAssertLessThan(description.count, 120, description)
        XCTAssertTrue(description.contains("…"), description)
    }

    /// Found by the csv fuzz target: a form feed in the header reached the message verbatim.
    func testLineBreaksAndControlCharactersFromTheFileAreEscapedInMessages() {
        let description = parseError("es\u{0C}e1,0c\n")?.description ?? ""
        XCTAssertEqual(description, "data.csv, line 1: expected header sequence,x1,x2,y, found 'es\\u{C}e1,0c'")
        for character in ["\u{0B}", "\u{1B}", "\u{85}", "\u{2028}", "\u{2029}", "\u{7F}"] {
            let message = parseError("sequence,x1,x2,y\ns,\"a\(character)b\",0,0\n")?.description ?? ""
            XCTAssertFalse(message.unicodeScalars.contains { $0.properties.generalCategory == .control
                || $0.properties.generalCategory == .lineSeparator || $0.properties.generalCategory == .paragraphSeparator },
                           message.debugDescription)
        }
        // The error keeps the value as it is; its message escapes the tab and keeps other text.
        XCTAssertEqual(parseError("sequence,x1,x2,y\ns,\"\tä\",0,0\n"),
                       .notANumber(file: "data.csv", line: 2, column: "x1", value: "\tä"))
        XCTAssertTrue(parseError("sequence,x1,x2,y\ns,\"\tä\",0,0\n")?.description.contains("'\\tä'") ?? false)
    }

    func testTimeSeriesMessagesEscapeColumnNamesAndValuesFromTheFile() {
        XCTAssertThrowsError(try TimeSeries.parse("value\u{0B},x\n\u{1B}]0;title\u{07},1\n", column: "value\u{0B}", source: "s.csv")) { error in
            XCTAssertEqual("\(error)", "s.csv, line 2, column value\\u{B}: '\\u{1B}]0;title\\u{7}' is not a number (leave the cell empty for a missing value)")
        }
    }

    // MARK: Files

    func testLoadReadsAFileAndNamesItInErrors() throws {
        let directory = try temporaryFolder()
        let good = directory.appendingPathComponent("good.csv")
        try Data("\u{FEFF}sequence,x1,y\r\na,1,2\r\n".utf8).write(to: good)
        let table = try ExampleTable.load(contentsOf: good, expectedInputDimension: 1)
        XCTAssertEqual(table.source, good.path)
        XCTAssertEqual(table.targets, [2])

        let bad = directory.appendingPathComponent("bad.csv")
        try Data("sequence,x1,y\na,1,2\na,q,2\n".utf8).write(to: bad)
        XCTAssertThrowsError(try ExampleTable.load(contentsOf: bad, expectedInputDimension: 1)) { error in
            XCTAssertEqual(error as? CSVError, .notANumber(file: bad.path, line: 3, column: "x1", value: "q"))
        }
    }

    func testLoadReportsMissingFilesAndInvalidUTF8() throws {
        let directory = try temporaryFolder()
        let missing = directory.appendingPathComponent("missing.csv")
        XCTAssertThrowsError(try ExampleTable.load(contentsOf: missing, expectedInputDimension: 1)) { error in
            XCTAssertEqual(error as? CSVError, .unreadable(file: missing.path, reason: "No such file or directory"))
        }
        let binary = directory.appendingPathComponent("binary.csv")
        try Data(Array("sequence,x1,y\na,1,2\n".utf8) + [0x62, 0xFF, 0x2C]).write(to: binary)
        XCTAssertThrowsError(try ExampleTable.load(contentsOf: binary, expectedInputDimension: 1)) { error in
            XCTAssertEqual(error as? CSVError, .invalidEncoding(file: binary.path, line: 3))
        }
    }

    // MARK: Writing

    func testRoundTripParseFormatParseKeepsEveryValueExactly() throws {
        var generator = Xoshiro256StarStar(seed: 20_240_611)
        var lines = ["sequence,x1,x2,x3,y"]
        let ids = ["plain", "with,comma", "with \"quote\"", " spaced ", "multi\nline", "ä"]
        for row in 0..<200 {
            let values = (0..<4).map { _ in
                Double(sign: Bool.random(using: &generator) ? .minus : .plus,
                       exponent: Int.random(in: -40...40, using: &generator),
                       significand: Double.random(in: 1..<2, using: &generator))
            }
            let id = ExampleTable.csvField(ids[row / 40])
            lines.append(([id] + values.map { $0.description }).joined(separator: ","))
        }
        let original = try parse(lines.joined(separator: "\r\n"), d: 3)
        let rewritten = try parse(ExampleTable.format(table: original), d: 3)
        XCTAssertEqual(rewritten.sequenceIDs, original.sequenceIDs)
        XCTAssertBitIdentical(rewritten.inputs, original.inputs)
        XCTAssertBitIdentical(rewritten.targets, original.targets)
        XCTAssertEqual(rewritten.sequenceRanges, original.sequenceRanges)
        XCTAssertEqual(original.sequenceRanges.count, 5)
    }

    func testFormatPredictionsAddsPredictionAndErrorColumnsThatReadBackExactly() throws {
        let table = try parse("Sequence,X1,X2,Y\n\"a,1\",0.1,1e-300,1\n\"a,1\",3,4,0\nb,5,6,0.3\n")
        let predictions = [0.7, 0.1 + 0.2, -2.5e-7]
        let text = ExampleTable.formatPredictions(table: table, predictions: predictions)
        let expected = """
            sequence,x1,x2,y,prediction,error
            "a,1",0.1,1e-300,1.0,0.7,0.30000000000000004
            "a,1",3.0,4.0,0.0,0.30000000000000004,-0.30000000000000004
            b,5.0,6.0,0.3,-2.5e-07,0.30000024999999997

            """
        XCTAssertEqual(text, expected)

        // The first d + 2 columns parse back to the same table; the last two to the same Doubles.
        let rows = text.split(separator: "\n").map(String.init)
        let inputPart = rows.map { $0.split(separator: ",").dropLast(2).joined(separator: ",") }
        let reread = try parse(inputPart.joined(separator: "\n"))
        XCTAssertEqual(reread.sequenceIDs, table.sequenceIDs)
        XCTAssertEqual(reread.inputs, table.inputs)
        XCTAssertEqual(reread.targets, table.targets)
        for (row, line) in rows.dropFirst().enumerated() {
            let fields = line.split(separator: ",")
            XCTAssertEqual(Double(String(fields[fields.count - 2]))!.bitPattern, predictions[row].bitPattern)
            XCTAssertEqual(Double(String(fields[fields.count - 1]))!.bitPattern,
                           (table.targets[row] - predictions[row]).bitPattern)
        }
    }

    func testFormatPredictionsWritesNonFinitePredictions() {
        let table = ExampleTable(sequenceIDs: ["s"], inputs: [1], targets: [0], inputDimension: 1)
        XCTAssertEqual(ExampleTable.formatPredictions(table: table, predictions: [.nan]),
                       "sequence,x1,y,prediction,error\ns,1.0,0.0,nan,nan\n")
    }

    func testSequenceIDsAreQuotedOnlyWhenNeeded() {
        XCTAssertEqual(ExampleTable.csvField("fnA"), "fnA")
        XCTAssertEqual(ExampleTable.csvField("a b"), "a b")
        XCTAssertEqual(ExampleTable.csvField("a,b"), "\"a,b\"")
        XCTAssertEqual(ExampleTable.csvField("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(ExampleTable.csvField(" x"), "\" x\"")
        XCTAssertEqual(ExampleTable.csvField("x\t"), "\"x\t\"")
        XCTAssertEqual(ExampleTable.csvField("a\r\nb"), "\"a\r\nb\"")
    }
}
