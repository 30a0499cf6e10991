import Foundation

/// A user's examples read from CSV for `metalearn predict`: rows in time order, grouped into
/// sequences by an identifier column, each row an input vector x ∈ ℝᵈ and a target y.
///
/// The file format is
///
///     sequence,x1,x2,...,xd,y
///     fnA,0,1,1
///     fnA,1,1,0
///     fnB,0,0,0
///
/// with a header row, then one example per row. The network is reset whenever the `sequence`
/// column changes from one row to the next (see `sequenceRanges`). Values are stored
/// row-major and contiguous, in the layout the prediction loop reads them.
public struct ExampleTable: Equatable, Sendable {
    /// Where the rows came from (a file path as given by the user, or a label); used in messages.
    public let source: String
    /// The column names as written in the file's header (trimmed), `d + 2` of them.
    public let header: [String]
    /// The input dimension d: the number of `x` columns.
    public let inputDimension: Int
    /// The `sequence` column of each row: an identifier string such as `"1"` or `"fnA"`,
    /// compared as a whole (`"01"` and `"1"` are different sequences).
    public let sequenceIDs: [String]
    /// All inputs, row-major: row r occupies `inputs[r·d ..< (r + 1)·d]`.
    public let inputs: [Double]
    /// The target y of each row.
    public let targets: [Double]
    /// The 1-based line in the file on which each row starts (the header is line 1 unless
    /// blank lines precede it); used to locate per-row messages.
    public let lineNumbers: [Int]
    /// The sequences, as maximal runs of consecutive rows with equal sequence IDs, in file order.
    ///
    /// A run ends where the ID changes, so an ID that reappears later after other IDs starts a
    /// new, separate sequence: `a, a, b, a` gives the runs `0..<2`, `2..<3`, `3..<4`. The runs
    /// are non-empty, contiguous and together cover `0..<rowCount`.
    public let sequenceRanges: [Range<Int>]

    /// The number of rows (examples).
    public var rowCount: Int { targets.count }

    /// The input vector of row `row` (0-based), d values.
    public func input(atRow row: Int) -> ArraySlice<Double> {
        inputs[(row * inputDimension)..<((row + 1) * inputDimension)]
    }

    /// The header a file for input dimension d must have: `sequence, x1, …, xd, y`.
    public static func canonicalHeader(inputDimension d: Int) -> [String] {
        ["sequence"] + (0..<d).map { "x\($0 + 1)" } + ["y"]
    }

    /// Creates a table from rows already in memory and computes its `sequenceRanges`.
    ///
    /// - Parameters:
    ///   - sequenceIDs: the `sequence` field of each row.
    ///   - inputs: x1…xd of each row, row after row (d values per row).
    ///   - targets: y of each row.
    ///   - inputDimension: d.
    ///   - lineNumbers: where each row stands in its file; by default `2, 3, …`, the lines
    ///     `format(table:)` writes the rows on.
    ///   - header: the column names; by default `canonicalHeader(inputDimension:)`.
    ///   - source: the file name (or a description) to put in messages.
    /// - Precondition: `inputs.count == d · targets.count`, one sequence ID and line number
    ///   per row, d ≥ 0, and a header of `d + 2` names.
    public init(
        sequenceIDs: [String], inputs: [Double], targets: [Double], inputDimension: Int,
        lineNumbers: [Int]? = nil, header: [String]? = nil, source: String = "(in memory)"
    ) {
        let rowCount = targets.count
        let lineNumbers = lineNumbers ?? Array((0..<rowCount).map { $0 + 2 })
        let header = header ?? Self.canonicalHeader(inputDimension: inputDimension)
        precondition(inputDimension >= 0, "ExampleTable: negative input dimension")
        precondition(inputs.count == rowCount * inputDimension && sequenceIDs.count == rowCount
            && lineNumbers.count == rowCount, "ExampleTable: array sizes do not match the row count and d")
        precondition(header.count == inputDimension + 2, "ExampleTable: the header needs d + 2 names")
        self.source = source
        self.header = header
        self.inputDimension = inputDimension
        self.sequenceIDs = sequenceIDs
        self.inputs = inputs
        self.targets = targets
        self.lineNumbers = lineNumbers
        self.sequenceRanges = Self.runs(of: sequenceIDs)
    }

    /// Maximal runs of equal consecutive identifiers.
    private static func runs(of ids: [String]) -> [Range<Int>] {
        guard !ids.isEmpty else { return [] }
        var ranges: [Range<Int>] = []
        var start = 0
        for row in 1..<ids.count where ids[row] != ids[row - 1] {
            ranges.append(start..<row)
            start = row
        }
        ranges.append(start..<ids.count)
        return ranges
    }
}

// MARK: - Reading

extension ExampleTable {
    /// Reads an example CSV file for a model with `expectedInputDimension` inputs.
    ///
    /// Messages name the file as `url.relativePath`, i.e. as the user typed it for a URL made
    /// with `URL(fileURLWithPath:)` from a relative path. See `parse(_:expectedInputDimension:source:)`
    /// for the format.
    /// - Throws: `CSVError`: `.unreadable` if the file cannot be read, `.invalidEncoding` if it
    ///   is not UTF-8, otherwise whatever `parse` throws.
    public static func load(contentsOf url: URL, expectedInputDimension: Int) throws -> ExampleTable {
        let source = url.isFileURL ? url.relativePath : url.absoluteString
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CSVError.unreadable(file: source, reason: readFailureReason(error))
        }
        return try parse(data: data, expectedInputDimension: expectedInputDimension, source: source)
    }

    /// Parses the bytes of an example CSV file: what ``load(contentsOf:expectedInputDimension:)``
    /// does once the file is read, for bytes from anywhere.
    /// - Parameter source: the file name to put in messages and in the table.
    /// - Throws: `CSVError`: `.invalidEncoding` if the bytes are not UTF-8, otherwise whatever
    ///   ``parse(_:expectedInputDimension:source:)`` throws.
    /// - Precondition: `expectedInputDimension >= 0`.
    public static func parse(data: Data, expectedInputDimension: Int, source: String) throws(CSVError) -> ExampleTable {
        let decoded = data.withUnsafeBytes { raw in
            String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self)
        }
        guard let text = decoded else {
            throw .invalidEncoding(file: source, line: CSVRecordScanner.lineOfFirstInvalidUTF8(in: data))
        }
        return try parse(text, expectedInputDimension: expectedInputDimension, source: source)
    }

    /// Parses example CSV text for a model with `expectedInputDimension` (d) inputs.
    ///
    /// Accepted format:
    /// - A header row, exactly `sequence,x1,…,xd,y`: names are compared after trimming
    ///   whitespace and ignoring case.
    /// - Then one row per example with d + 2 fields, in time order.
    /// - Line endings LF, CRLF or CR; a UTF-8 byte order mark at the start, a missing or
    ///   present final newline, and blank (empty or whitespace-only) lines anywhere are accepted.
    /// - Fields are separated by commas and may be enclosed in double quotes (RFC 4180): a
    ///   quoted field may contain commas, line breaks and `""` for one `"`; its text is taken
    ///   verbatim. Unquoted fields are trimmed of spaces and tabs.
    /// - `sequence` is a non-empty identifier string. The other fields are finite decimal
    ///   numbers, optionally signed, optionally in scientific notation (`-1.5`, `.5`, `2e-3`);
    ///   NaN, infinities and values too large for a Double are rejected.
    ///
    /// Line numbers in errors and in `lineNumbers` are 1-based physical lines of `text`
    /// (a record that spans lines counts from its first line).
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - expectedInputDimension: d, the model's input dimension: the header must name x1…xd.
    ///   - source: the file name to put in messages and in the table.
    /// - Throws: `CSVError` for the first problem found, from top to bottom.
    /// - Precondition: `expectedInputDimension >= 0`.
    public static func parse(_ text: String, expectedInputDimension: Int, source: String) throws(CSVError) -> ExampleTable {
        precondition(expectedInputDimension >= 0, "ExampleTable.parse: negative input dimension")
        var text = text
        // `withUTF8` rethrows untyped errors, so the typed error is carried out by hand.
        let result: Result<ExampleTable, CSVError> = text.withUTF8 { bytes in
            do throws(CSVError) {
                return .success(try parse(utf8: bytes, expectedInputDimension: expectedInputDimension, source: source))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `parse` on the UTF-8 bytes of the text.
    private static func parse(
        utf8 bytes: UnsafeBufferPointer<UInt8>, expectedInputDimension d: Int, source: String
    ) throws(CSVError) -> ExampleTable {
        let columnNames = canonicalHeader(inputDimension: d)
        let expectedHeader = columnNames.joined(separator: ",")
        let columnCount = d + 2
        var scanner = CSVRecordScanner(bytes: bytes)
        var fields: [CSVField] = []

        func columnName(_ index: Int) -> String {
            index < columnNames.count ? columnNames[index] : "column \(index + 1)"
        }
        /// The next non-blank record's first line, or nil at the end.
        func nextRecord() throws(CSVError) -> Int? {
            do throws(CSVScanFailure) {
                return try scanner.nextNonBlankRecord(into: &fields)
            } catch {
                switch error {
                case .unterminatedQuote(let line):
                    throw .unterminatedQuote(file: source, line: line)
                case .textAfterClosingQuote(let line, let fieldIndex):
                    throw .textAfterClosingQuote(file: source, line: line, column: columnName(fieldIndex))
                }
            }
        }

        // The header.
        guard let headerLine = try nextRecord() else {
            throw .emptyFile(file: source, expectedHeader: expectedHeader)
        }
        let header = fields.map { trimmingWhitespace($0.string(in: bytes)) }
        try checkHeader(header, fields: fields, bytes: bytes, expected: columnNames, inputDimension: d,
                        line: headerLine, source: source)

        // The rows.
        var sequenceIDs: [String] = []
        var inputs: [Double] = []
        var targets: [Double] = []
        var lineNumbers: [Int] = []
        while let line = try nextRecord() {
            guard fields.count == columnCount else {
                throw .wrongColumnCount(file: source, line: line, expected: columnCount, found: fields.count)
            }
            let sequenceField = fields[0]
            if sequenceField.range.isEmpty {
                throw .emptyField(file: source, line: line, column: columnNames[0])
            }
            sequenceIDs.append(sequenceField.string(in: bytes))
            for column in 1..<columnCount {
                let field = fields[column]
                let value: Double
                switch DecimalNumber.parse(bytes: UnsafeBufferPointer(rebasing: bytes[field.range])) {
                case .value(let number):
                    value = number
                case .empty:
                    throw .emptyField(file: source, line: line, column: columnNames[column])
                case .notANumber:
                    throw .notANumber(file: source, line: line, column: columnNames[column],
                                      value: field.string(in: bytes))
                case .nonFinite:
                    throw .nonFiniteNumber(file: source, line: line, column: columnNames[column],
                                           value: field.string(in: bytes))
                }
                if column <= d { inputs.append(value) } else { targets.append(value) }
            }
            lineNumbers.append(line)
        }
        guard !targets.isEmpty else { throw .noDataRows(file: source, line: headerLine) }
        return ExampleTable(sequenceIDs: sequenceIDs, inputs: inputs, targets: targets, inputDimension: d,
                            lineNumbers: lineNumbers, header: header, source: source)
    }

    /// Accepts exactly `expected` (case-insensitively), else says what is wrong with the header.
    private static func checkHeader(
        _ header: [String], fields: [CSVField], bytes: UnsafeBufferPointer<UInt8>, expected: [String],
        inputDimension d: Int, line: Int, source: String
    ) throws(CSVError) {
        let names = header.map { $0.lowercased() }
        if names == expected { return }
        // A well-formed header for another input dimension: the model does not fit the data.
        if names.count >= 2 && names.first == "sequence" && names.last == "y"
            && names.dropFirst().dropLast().enumerated().allSatisfy({ $0.element == "x\($0.offset + 1)" }) {
            throw .inputDimensionMismatch(file: source, line: line, found: names.count - 2, expected: d)
        }
        let expectedHeader = expected.joined(separator: ",")
        // Numbers after the first column: this is a data row, the header was left out.
        let looksLikeData = fields.count >= 2 && fields.dropFirst().allSatisfy { field in
            switch DecimalNumber.parse(bytes: UnsafeBufferPointer(rebasing: bytes[field.range])) {
            case .value, .nonFinite: return true
            case .empty, .notANumber: return false
            }
        }
        if looksLikeData {
            throw .missingHeader(file: source, line: line, expectedHeader: expectedHeader)
        }
        throw .unrecognizedHeader(file: source, line: line, found: header.joined(separator: ","),
                                  expectedHeader: expectedHeader)
    }

    private static func trimmingWhitespace(_ text: String) -> String {
        var view = Substring(text)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }

    /// The POSIX reason ("No such file or directory") behind a Foundation read error.
    private static func readFailureReason(_ error: Error) -> String {
        var candidate: (any Error)? = error
        while let current = candidate {
            let bridged = current as NSError
            if bridged.domain == NSPOSIXErrorDomain, let message = strerror(Int32(bridged.code)) {
                return String(cString: message)
            }
            candidate = bridged.userInfo[NSUnderlyingErrorKey] as? any Error
        }
        return error.localizedDescription
    }
}

// MARK: - Writing

extension ExampleTable {
    /// The table as example CSV, readable by `parse`: the canonical header
    /// `sequence,x1,…,xd,y`, then one line per row, LF line endings and a final newline.
    ///
    /// Numbers are written as Swift's shortest round-trip `description` (`0.1`, `1e-05`), so
    /// they read back to exactly the same Double; a sequence ID is quoted when it needs it.
    public static func format(table: ExampleTable) -> String {
        var text = canonicalHeader(inputDimension: table.inputDimension).joined(separator: ",") + "\n"
        text.reserveCapacity(table.rowCount * (table.inputDimension + 3) * 12)
        for row in 0..<table.rowCount {
            appendRow(row, of: table, to: &text)
            text += "\n"
        }
        return text
    }

    /// The output of `metalearn predict`: the input columns followed by `prediction` (made
    /// before the row's y was seen) and `error` (y − prediction), under the header
    /// `sequence,x1,…,xd,y,prediction,error`.
    ///
    /// Numbers are written as Swift's shortest round-trip `description`, so every value reads
    /// back exactly; a non-finite prediction would appear as `nan`, `inf` or `-inf`, which is
    /// why `metalearn predict` first calls ``checkPredictions(_:for:)``. A sequence ID containing a comma, quote, line break or surrounding whitespace
    /// is written in double quotes with `"` doubled (RFC 4180). LF line endings, final newline.
    /// - Precondition: one prediction per row.
    public static func formatPredictions(table: ExampleTable, predictions: [Double]) -> String {
        precondition(predictions.count == table.rowCount, "formatPredictions: one prediction per row is needed")
        var text = (canonicalHeader(inputDimension: table.inputDimension) + ["prediction", "error"])
            .joined(separator: ",") + "\n"
        text.reserveCapacity(table.rowCount * (table.inputDimension + 5) * 12)
        for row in 0..<table.rowCount {
            appendRow(row, of: table, to: &text)
            let prediction = predictions[row]
            text += ","
            text += prediction.description
            text += ","
            text += (table.targets[row] - prediction).description
            text += "\n"
        }
        return text
    }

    /// Checks that every prediction, and every error y − prediction, is a finite number.
    /// - Throws: ``NonFiniteResultError`` naming the line of the first row where one is not
    ///   (inputs far outside the range the model was trained on can make its output NaN).
    /// - Precondition: one prediction per row.
    public static func checkPredictions(_ predictions: [Double], for table: ExampleTable) throws(NonFiniteResultError) {
        precondition(predictions.count == table.rowCount, "checkPredictions: one prediction per row is needed")
        for row in 0..<table.rowCount {
            let largest = table.input(atRow: row).map(abs).max() ?? 0
            let hint = "the largest |x| on that line is \(largest)"
            try NonFiniteResultError.check(predictions[row], "the prediction for \(table.source), line \(table.lineNumbers[row])",
                                           hint: hint)
            try NonFiniteResultError.check(table.targets[row] - predictions[row],
                                           "the error y − prediction for \(table.source), line \(table.lineNumbers[row])")
        }
    }

    /// Appends `sequence,x1,…,xd,y` of one row, without a line break.
    private static func appendRow(_ row: Int, of table: ExampleTable, to text: inout String) {
        text += csvField(table.sequenceIDs[row])
        for value in table.input(atRow: row) {
            text += ","
            text += value.description
        }
        text += ","
        text += table.targets[row].description
    }

    /// `value` as a CSV field: verbatim if `parse` would read it back unchanged, else quoted.
    public static func csvField(_ value: String) -> String {
        let needsQuotes = value.isEmpty
            || value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || value.unicodeScalars.first.map { $0 == " " || $0 == "\t" } == true
            || value.unicodeScalars.last.map { $0 == " " || $0 == "\t" } == true
        guard needsQuotes else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" { quoted += "\"" }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }
}
