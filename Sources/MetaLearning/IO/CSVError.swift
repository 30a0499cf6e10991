/// A problem with a user's example CSV file (`metalearn predict --input`), located by file,
/// line and, where one is at fault, column.
///
/// Every description is one sentence that starts with the location, for example
/// `data.csv, line 5, column x2: 'abc' is not a number`. Line numbers are 1-based physical
/// lines of the file; for a record that spans several lines (a quoted field containing a line
/// break) it is the line on which the record starts. Column names are the canonical ones
/// (`sequence`, `x1`…`xd`, `y`), or `column N` (1-based) where no name applies.
public enum CSVError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read at all (missing, a directory, no permission); no line applies.
    case unreadable(file: String, reason: String)
    /// The bytes are not UTF-8 text; `line` is the line holding the first bad byte.
    case invalidEncoding(file: String, line: Int)
    /// The file holds no text other than blank lines.
    case emptyFile(file: String, expectedHeader: String)
    /// The first line holds data, not column names.
    case missingHeader(file: String, line: Int, expectedHeader: String)
    /// The first line names columns, but not `sequence,x1,…,xd,y`.
    case unrecognizedHeader(file: String, line: Int, found: String, expectedHeader: String)
    /// The header is well formed but has a different number of input columns than the model.
    case inputDimensionMismatch(file: String, line: Int, found: Int, expected: Int)
    /// The file has a valid header and nothing after it.
    case noDataRows(file: String, line: Int)
    /// A record does not have as many fields as the header.
    case wrongColumnCount(file: String, line: Int, expected: Int, found: Int)
    /// A field is empty (a sequence identifier or a number).
    case emptyField(file: String, line: Int, column: String)
    /// A numeric field is not a decimal number.
    case notANumber(file: String, line: Int, column: String, value: String)
    /// A numeric field is NaN, an infinity, or too large to represent.
    case nonFiniteNumber(file: String, line: Int, column: String, value: String)
    /// A field opened with a double quote is never closed.
    case unterminatedQuote(file: String, line: Int)
    /// Text follows the closing quote of a quoted field.
    case textAfterClosingQuote(file: String, line: Int, column: String)

    /// The file name the error refers to.
    public var file: String {
        switch self {
        case .unreadable(let file, _), .invalidEncoding(let file, _), .emptyFile(let file, _),
             .missingHeader(let file, _, _), .unrecognizedHeader(let file, _, _, _),
             .inputDimensionMismatch(let file, _, _, _), .noDataRows(let file, _),
             .wrongColumnCount(let file, _, _, _), .emptyField(let file, _, _),
             .notANumber(let file, _, _, _), .nonFiniteNumber(let file, _, _, _),
             .unterminatedQuote(let file, _), .textAfterClosingQuote(let file, _, _):
            return file
        }
    }

    /// The 1-based line the error refers to; `nil` only for `unreadable`, and 1 for `emptyFile`.
    public var line: Int? {
        switch self {
        case .unreadable: return nil
        case .emptyFile: return 1
        case .invalidEncoding(_, let line), .missingHeader(_, let line, _),
             .unrecognizedHeader(_, let line, _, _), .inputDimensionMismatch(_, let line, _, _),
             .noDataRows(_, let line), .wrongColumnCount(_, let line, _, _),
             .emptyField(_, let line, _), .notANumber(_, let line, _, _),
             .nonFiniteNumber(_, let line, _, _), .unterminatedQuote(_, let line),
             .textAfterClosingQuote(_, let line, _):
            return line
        }
    }

    /// The message for the user: one sentence starting with the file and line.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read \(file): \(reason)"
        case .invalidEncoding(let file, let line):
            return "\(file), line \(line): the file is not UTF-8 text"
        case .emptyFile(let file, let expected):
            return "\(file), line 1: the file is empty (expected header \(expected))"
        case .missingHeader(let file, let line, let expected):
            return "\(file), line \(line): the header row is missing (expected header \(expected) as the first line)"
        case .unrecognizedHeader(let file, let line, let found, let expected):
            return "\(file), line \(line): expected header \(expected), found '\(Self.abbreviated(found))'"
        case .inputDimensionMismatch(let file, let line, let found, let expected):
            let expectedHeader = ExampleTable.canonicalHeader(inputDimension: expected).joined(separator: ",")
            return "\(file), line \(line): the file has \(found) input column\(found == 1 ? "" : "s") "
                + "but the model expects \(expected) (expected header \(expectedHeader))"
        case .noDataRows(let file, let line):
            return "\(file), line \(line): the file has a header but no data rows"
        case .wrongColumnCount(let file, let line, let expected, let found):
            return "\(file), line \(line): expected \(expected) columns, found \(found)"
        case .emptyField(let file, let line, let column):
            return "\(file), line \(line), column \(column): the value is missing"
        case .notANumber(let file, let line, let column, let value):
            return "\(file), line \(line), column \(column): '\(Self.abbreviated(value))' is not a number"
        case .nonFiniteNumber(let file, let line, let column, let value):
            return "\(file), line \(line), column \(column): '\(Self.abbreviated(value))' is not a finite number"
        case .unterminatedQuote(let file, let line):
            return "\(file), line \(line): a quoted field is never closed (a \" is missing)"
        case .textAfterClosingQuote(let file, let line, let column):
            return "\(file), line \(line), column \(column): unexpected text after the closing quote "
                + "(write a quote inside a quoted field as \"\")"
        }
    }

    /// Cuts a quoted excerpt of user text to a length that keeps the message on one line, with
    /// control characters (line breaks, terminal escape sequences) escaped
    /// (`escapingControlCharacters(_:)`).
    static func abbreviated(_ text: String, limit: Int = 60) -> String {
        let excerpt = text.count > limit ? String(text.prefix(limit)) + "…" : text
        return escapingControlCharacters(excerpt)
    }
}
