import Foundation

/// One numeric column of a CSV file read as a time series in row order, for
/// `metalearn forecast`.
///
/// An empty cell is a gap (`nil`): the value was not recorded. Every other cell must be a
/// finite decimal number. The series keeps where each value came from, so later messages can
/// point at the file.
public struct TimeSeries: Equatable, Sendable {
    /// The values in time order; `nil` is a gap (an empty cell).
    public let values: [Double?]
    /// The column the values were read from.
    public let column: String
    /// Where the values came from (the file path as given by the user, or a label).
    public let source: String

    /// Wraps values already in memory.
    public init(values: [Double?], column: String = "value", source: String = "memory") {
        self.values = values
        self.column = column
        self.source = source
    }

    /// The number of time steps, gaps included.
    public var count: Int { values.count }
    /// The number of recorded (non-gap) values.
    public var observedCount: Int { values.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
    /// The number of gaps.
    public var gapCount: Int { count - observedCount }

    /// The series with every gap replaced by the last recorded value before it (carried
    /// forward); gaps before the first recorded value stay `nil`.
    public var bridged: [Double?] {
        var last: Double?
        return values.map { value in
            if let value { last = value }
            return last
        }
    }

    /// The fewest recorded values ``load(contentsOf:column:)`` accepts.
    public static let minimumObservedCount = 2

    /// Reads column `column` of the CSV file at `url`.
    ///
    /// Format: a header row naming the columns (matched after trimming, ignoring case), then one
    /// row per time step, comma-separated, fields optionally in double quotes (RFC 4180). Blank
    /// lines are skipped. In the chosen column an empty cell is a gap; any other cell must be a
    /// finite decimal number (`-1.5`, `.5`, `2e-3`). Other columns are not looked at beyond
    /// counting them: every row must have as many fields as the header.
    /// - Throws: ``TimeSeriesError`` for the first problem found, naming file, line and column.
    public static func load(contentsOf url: URL, column: String) throws(TimeSeriesError) -> TimeSeries {
        let source = url.isFileURL ? url.relativePath : url.absoluteString
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .unreadable(file: source, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadable(file: source, reason: "it is a directory") }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: source, reason: error.localizedDescription)
        }
        return try parse(data: data, column: column, source: source)
    }

    /// Parses the bytes of a CSV file as ``load(contentsOf:column:)`` does once the file is read,
    /// for bytes from anywhere; `source` names them in messages.
    /// - Throws: ``TimeSeriesError``: `.invalidEncoding` if the bytes are not UTF-8, otherwise the
    ///   first problem ``parse(_:column:source:)`` finds.
    public static func parse(data: Data, column: String, source: String) throws(TimeSeriesError) -> TimeSeries {
        let decoded = data.withUnsafeBytes { raw in
            String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self)
        }
        guard let text = decoded else {
            throw .invalidEncoding(file: source, line: CSVRecordScanner.lineOfFirstInvalidUTF8(in: data))
        }
        return try parse(text, column: column, source: source)
    }

    /// Parses CSV text as ``load(contentsOf:column:)`` does; `source` names it in messages.
    /// - Throws: ``TimeSeriesError`` for the first problem found.
    public static func parse(_ text: String, column: String, source: String) throws(TimeSeriesError) -> TimeSeries {
        var text = text
        let result: Result<TimeSeries, TimeSeriesError> = text.withUTF8 { bytes in
            do throws(TimeSeriesError) {
                return .success(try parse(utf8: bytes, column: column, source: source))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `parse` on the UTF-8 bytes of the text.
    private static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>, column wanted: String,
                              source: String) throws(TimeSeriesError) -> TimeSeries {
        var scanner = CSVRecordScanner(bytes: bytes)
        var fields: [CSVField] = []
        var header: [String] = []

        func name(ofField index: Int) -> String {
            index < header.count && !header[index].isEmpty ? header[index] : "column \(index + 1)"
        }
        /// The next non-blank record's first line, or nil at the end.
        func nextRecord() throws(TimeSeriesError) -> Int? {
            do throws(CSVScanFailure) {
                return try scanner.nextNonBlankRecord(into: &fields)
            } catch {
                switch error {
                case .unterminatedQuote(let line):
                    throw .unterminatedQuote(file: source, line: line)
                case .textAfterClosingQuote(let line, let fieldIndex):
                    throw .textAfterClosingQuote(file: source, line: line, column: name(ofField: fieldIndex))
                }
            }
        }

        guard let headerLine = try nextRecord() else { throw .emptyFile(file: source) }
        header = fields.map { $0.string(in: bytes).trimmingCharacters(in: .whitespaces) }
        let key = wanted.trimmingCharacters(in: .whitespaces).lowercased()
        guard let index = header.firstIndex(where: { $0.lowercased() == key }) else {
            throw .noSuchColumn(file: source, line: headerLine, column: wanted, available: header)
        }
        let columnName = header[index]

        var values: [Double?] = []
        while let line = try nextRecord() {
            guard fields.count == header.count else {
                throw .wrongColumnCount(file: source, line: line, expected: header.count, found: fields.count)
            }
            let field = fields[index]
            switch DecimalNumber.parse(bytes: UnsafeBufferPointer(rebasing: bytes[field.range])) {
            case .value(let number):
                values.append(number)
            case .empty:
                values.append(nil)
            case .notANumber:
                throw .notANumber(file: source, line: line, column: columnName, value: field.string(in: bytes))
            case .nonFinite:
                throw .nonFiniteNumber(file: source, line: line, column: columnName, value: field.string(in: bytes))
            }
        }
        let series = TimeSeries(values: values, column: columnName, source: source)
        guard series.observedCount >= minimumObservedCount else {
            throw .tooFewValues(file: source, column: columnName, found: series.observedCount,
                                minimum: minimumObservedCount)
        }
        return series
    }
}

/// A problem with a time-series CSV file (`metalearn forecast --input`), located by file and,
/// where one applies, line and column.
///
/// Every description is one sentence that starts with the location, for example
/// `co2.csv, line 7, column co2: 'n/a' is not a number`. Lines are 1-based physical lines.
public enum TimeSeriesError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read at all (missing, a directory, no permission).
    case unreadable(file: String, reason: String)
    /// The bytes are not UTF-8 text; `line` holds the first bad byte.
    case invalidEncoding(file: String, line: Int)
    /// The file holds nothing but blank lines.
    case emptyFile(file: String)
    /// The header does not name the requested column.
    case noSuchColumn(file: String, line: Int, column: String, available: [String])
    /// A row has a different number of fields than the header.
    case wrongColumnCount(file: String, line: Int, expected: Int, found: Int)
    /// A cell of the column is neither empty nor a decimal number.
    case notANumber(file: String, line: Int, column: String, value: String)
    /// A cell of the column is NaN, an infinity, or too large to represent.
    case nonFiniteNumber(file: String, line: Int, column: String, value: String)
    /// A field opened with a double quote is never closed.
    case unterminatedQuote(file: String, line: Int)
    /// Text follows the closing quote of a quoted field.
    case textAfterClosingQuote(file: String, line: Int, column: String)
    /// The column has fewer recorded values than are needed.
    case tooFewValues(file: String, column: String, found: Int, minimum: Int)

    /// The message for the user: one sentence starting with the file (and line).
    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read \(file): \(reason)"
        case .invalidEncoding(let file, let line):
            return "\(file), line \(line): the file is not UTF-8 text"
        case .emptyFile(let file):
            return "\(file), line 1: the file is empty (expected a header row naming the columns)"
        case .noSuchColumn(let file, let line, let column, let available):
            let names = available.map { "'\(CSVError.abbreviated($0, limit: 30))'" }.joined(separator: ", ")
            return "\(file), line \(line): there is no column '\(CSVError.abbreviated(column))' (the columns are \(names))"
        case .wrongColumnCount(let file, let line, let expected, let found):
            return "\(file), line \(line): expected \(expected) columns as in the header, found \(found)"
        case .notANumber(let file, let line, let column, let value):
            return "\(file), line \(line), column \(Self.columnName(column)): '\(CSVError.abbreviated(value))' is not a number "
                + "(leave the cell empty for a missing value)"
        case .nonFiniteNumber(let file, let line, let column, let value):
            return "\(file), line \(line), column \(Self.columnName(column)): '\(CSVError.abbreviated(value))' is not a finite number "
                + "(leave the cell empty for a missing value)"
        case .unterminatedQuote(let file, let line):
            return "\(file), line \(line): a quoted field is never closed (a \" is missing)"
        case .textAfterClosingQuote(let file, let line, let column):
            return "\(file), line \(line), column \(Self.columnName(column)): unexpected text after the closing quote"
        case .tooFewValues(let file, let column, let found, let minimum):
            return "\(file), column \(Self.columnName(column)): \(found) recorded value\(found == 1 ? "" : "s"), at least \(minimum) needed"
        }
    }

    /// A column name from the file's header as it can stand in a one-line message.
    private static func columnName(_ name: String) -> String { CSVError.abbreviated(name, limit: 30) }
}
