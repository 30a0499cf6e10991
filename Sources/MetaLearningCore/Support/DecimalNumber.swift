/// The one grammar for numbers typed or read as text everywhere in the package: CSV files,
/// command-line options and learner parameters (docs/decisions.md, "Numbers as text").
///
///     [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?
///
/// with surrounding spaces and tabs ignored. Hexadecimal floats (`0x1p-3`) and the spellings
/// `nan`, `inf` and `infinity`, which `Double.init(_: String)` also accepts, are not numbers
/// here; a well-formed number too large for a Double is not finite.
public enum DecimalNumber {
    /// What a piece of text holds.
    public enum Parsed: Equatable, Sendable {
        /// A finite number.
        case value(Double)
        /// Nothing but spaces and tabs.
        case empty
        /// Text that is not a decimal number (including hexadecimal floats).
        case notANumber
        /// `nan`, `inf`, `infinity` (any case, optionally signed), or a number beyond the range
        /// of a Double.
        case nonFinite
    }

    /// Parses `text`; see ``DecimalNumber``.
    public static func parse(_ text: String) -> Parsed {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// Parses UTF-8 bytes; see ``DecimalNumber``.
    ///
    /// The grammar is checked here; the conversion itself is left to `Double.init(_:)`, which
    /// rounds correctly, so that every Double's shortest `description` reads back to the same
    /// value.
    public static func parse(bytes field: UnsafeBufferPointer<UInt8>) -> Parsed {
        var start = 0
        var end = field.count
        while start < end && (field[start] == 0x20 || field[start] == 0x09) { start += 1 }
        while end > start && (field[end - 1] == 0x20 || field[end - 1] == 0x09) { end -= 1 }
        if start == end { return .empty }

        var index = start
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func skipDigits() -> Int {
            let first = index
            while index < end && isDigit(field[index]) { index += 1 }
            return index - first
        }
        if field[index] == UInt8(ascii: "+") || field[index] == UInt8(ascii: "-") { index += 1 }
        let afterSign = index
        var mantissaDigits = skipDigits()
        if index < end && field[index] == UInt8(ascii: ".") {
            index += 1
            mantissaDigits += skipDigits()
        }
        var wellFormed = mantissaDigits > 0
        if wellFormed && index < end && (field[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            if index < end && (field[index] == UInt8(ascii: "+") || field[index] == UInt8(ascii: "-")) { index += 1 }
            wellFormed = skipDigits() > 0
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: field[start..<end]), as: UTF8.self)
        guard wellFormed && index == end else {
            let word = String(decoding: UnsafeBufferPointer(rebasing: field[afterSign..<end]), as: UTF8.self)
            return ["nan", "inf", "infinity"].contains(word.lowercased()) ? .nonFinite : .notANumber
        }
        guard let value = Double(text) else { return .notANumber }
        return value.isFinite ? .value(value) : .nonFinite
    }
}

/// `text` with every control character (Unicode category Cc: the C0 controls such as ESC, CR,
/// LF and TAB, DEL and the C1 controls such as NEL) and the line and paragraph separators
/// (U+2028, U+2029) written as an escape, `\n`, `\r`, `\t` or `\u{1B}`, so that text from a
/// file or an option echoed in a message stays on one line and cannot drive the terminal
/// (colours, cursor moves, a rewritten title).
public func escapingControlCharacters(_ text: String) -> String {
    func breaksTheLine(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
    guard text.unicodeScalars.contains(where: breaksTheLine) else { return text }
    var escaped = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": escaped += "\\n"
        case "\r": escaped += "\\r"
        case "\t": escaped += "\\t"
        default:
            if breaksTheLine(scalar) {
                escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
    }
    return escaped
}
