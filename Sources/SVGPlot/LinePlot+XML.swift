extension LinePlot {
    /// Text and number formatting for SVG output.
    public enum XML {
        /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entity references and the
        /// characters XML 1.0 forbids (C0 controls other than tab, line feed and carriage
        /// return; U+FFFE; U+FFFF) removed, so it is safe in element content and in attributes.
        static func escaped(_ text: String) -> String {
            var result = ""
            result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
            for scalar in text.unicodeScalars {
                switch scalar {
                case "&": result += "&amp;"
                case "<": result += "&lt;"
                case ">": result += "&gt;"
                case "\"": result += "&quot;"
                case "'": result += "&apos;"
                case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
                case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": continue
                default: result.unicodeScalars.append(scalar)
                }
            }
            return result
        }

        /// A pixel coordinate with one decimal, without exponent or locale: `12.3`, `-4`, `0`.
        ///
        /// Written by hand rather than with `String(format:)` because a path holds thousands
        /// of these. Non-finite values become `0` and magnitudes are capped at 10⁷, so NaN
        /// and infinity can never appear in the document.
        public static func number(_ value: Double) -> String {
            guard value.isFinite else { return "0" }
            let tenths = Int((min(max(value, -1e7), 1e7) * 10).rounded())
            let magnitude = abs(tenths)
            let sign = tenths < 0 ? "-" : ""
            let whole = String(magnitude / 10)
            let fraction = magnitude % 10
            return fraction == 0 ? sign + whole : sign + whole + "." + String(fraction)
        }
    }
}
