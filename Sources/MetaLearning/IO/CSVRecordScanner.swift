import Foundation

/// One field of a CSV record: where its text lies in the scanned bytes, and how to read it.
struct CSVField {
    /// The field's text: for an unquoted field without its surrounding spaces and tabs, for a
    /// quoted field the bytes between the quotes (with `""` escapes still doubled).
    var range: Range<Int>
    /// Whether the field was written in double quotes.
    var isQuoted: Bool
    /// Whether the quoted text contains `""` escapes that must be collapsed to `"`.
    var containsEscapedQuote: Bool

    /// The field's value as a string, with `""` escapes collapsed.
    func string(in bytes: UnsafeBufferPointer<UInt8>) -> String {
        let raw = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard containsEscapedQuote else { return raw }
        // The scanner guarantees every quote inside a quoted field is doubled.
        var value = String.UnicodeScalarView()
        var previousWasQuote = false
        for scalar in raw.unicodeScalars {
            if scalar == "\"" && previousWasQuote {
                previousWasQuote = false
                continue
            }
            previousWasQuote = scalar == "\""
            value.append(scalar)
        }
        return String(value)
    }
}

/// Why the scanner stopped; the parser turns it into a `CSVError` with column names.
enum CSVScanFailure: Error {
    /// A field opened with `"` reaches the end of the input; `line` is the record's first line.
    case unterminatedQuote(line: Int)
    /// Something other than spaces, a comma or a line break follows a closing quote.
    case textAfterClosingQuote(line: Int, fieldIndex: Int)
}

/// Splits UTF-8 CSV text into records of fields (RFC 4180), counting physical lines.
///
/// Fields are separated by commas; records end at LF, CRLF or a lone CR. A field that starts
/// with `"` (after optional spaces) runs to the matching closing quote and may contain commas,
/// line breaks and `""` for a literal quote. Unquoted fields are trimmed of spaces and tabs; a
/// quote inside an unquoted field is kept as an ordinary character. The scanner works on raw
/// bytes and records fields as ranges so that a large file is split without allocating per
/// field; all bytes it looks for are ASCII, so multi-byte UTF-8 passes through untouched.
struct CSVRecordScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position: Int
    /// The 1-based physical line of `position`.
    private(set) var line: Int

    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    /// Starts scanning `bytes` at its beginning, skipping a UTF-8 byte order mark.
    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let hasByteOrderMark = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        self.position = hasByteOrderMark ? 3 : 0
        self.line = 1
    }

    /// The 1-based physical line holding the first byte sequence that is not UTF-8, counting
    /// line breaks as the scanner does: LF, CRLF (one break) and a lone CR. For text that is
    /// valid UTF-8 throughout, the line after the last.
    static func lineOfFirstInvalidUTF8(in data: Data) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        var line = 1
        var previousWasCarriageReturn = false
        while case .valid(let encoded) = parser.parseScalar(from: &iterator) {
            let byte = encoded.count == 1 ? encoded.first : nil
            if byte == lineFeed {
                if !previousWasCarriageReturn { line += 1 }
            } else if byte == carriageReturn {
                line += 1
            }
            previousWasCarriageReturn = byte == carriageReturn
        }
        return line
    }

    /// Whether `fields` is what a blank (empty or whitespace-only) line scans to.
    static func isBlank(_ fields: [CSVField]) -> Bool {
        fields.count == 1 && !fields[0].isQuoted && fields[0].range.isEmpty
    }

    /// The next record that is not blank (see ``isBlank(_:)``), or nil at the end; returns its first line.
    mutating func nextNonBlankRecord(into fields: inout [CSVField]) throws(CSVScanFailure) -> Int? {
        while let line = try nextRecord(into: &fields) {
            if !Self.isBlank(fields) { return line }
        }
        return nil
    }

    /// Reads the next record into `fields` (replacing its contents) and returns the line on
    /// which the record starts, or `nil` at the end of the input.
    mutating func nextRecord(into fields: inout [CSVField]) throws(CSVScanFailure) -> Int? {
        fields.removeAll(keepingCapacity: true)
        guard position < bytes.count else { return nil }
        let startLine = line
        while true {
            try scanField(into: &fields, recordLine: startLine)
            guard position < bytes.count else { return startLine }
            let byte = bytes[position]
            position += 1
            if byte == Self.comma { continue }
            // A line break ends the record; CRLF counts as one break.
            if byte == Self.carriageReturn && position < bytes.count && bytes[position] == Self.lineFeed {
                position += 1
            }
            line += 1
            return startLine
        }
    }

    /// Scans one field and leaves `position` on the delimiter after it (or at the end).
    private mutating func scanField(into fields: inout [CSVField], recordLine: Int) throws(CSVScanFailure) {
        skipSpacesAndTabs()
        if position < bytes.count && bytes[position] == Self.quote {
            position += 1
            let contentStart = position
            var containsEscapedQuote = false
            while true {
                guard position < bytes.count else { throw .unterminatedQuote(line: recordLine) }
                let byte = bytes[position]
                if byte == Self.quote {
                    if position + 1 < bytes.count && bytes[position + 1] == Self.quote {
                        containsEscapedQuote = true
                        position += 2
                        continue
                    }
                    break
                }
                if byte == Self.lineFeed {
                    line += 1
                } else if byte == Self.carriageReturn
                    && !(position + 1 < bytes.count && bytes[position + 1] == Self.lineFeed) {
                    line += 1
                }
                position += 1
            }
            let contentEnd = position
            position += 1  // the closing quote
            skipSpacesAndTabs()
            if position < bytes.count && !isDelimiter(bytes[position]) {
                throw .textAfterClosingQuote(line: recordLine, fieldIndex: fields.count)
            }
            fields.append(CSVField(range: contentStart..<contentEnd, isQuoted: true,
                                   containsEscapedQuote: containsEscapedQuote))
        } else {
            let start = position
            while position < bytes.count && !isDelimiter(bytes[position]) { position += 1 }
            var end = position
            while end > start && (bytes[end - 1] == Self.space || bytes[end - 1] == Self.tab) { end -= 1 }
            fields.append(CSVField(range: start..<end, isQuoted: false, containsEscapedQuote: false))
        }
    }

    private mutating func skipSpacesAndTabs() {
        while position < bytes.count && (bytes[position] == Self.space || bytes[position] == Self.tab) {
            position += 1
        }
    }

    private func isDelimiter(_ byte: UInt8) -> Bool {
        byte == Self.comma || byte == Self.lineFeed || byte == Self.carriageReturn
    }
}
