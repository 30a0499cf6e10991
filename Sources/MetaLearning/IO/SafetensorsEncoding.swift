/// The safetensors format, written without its library (docs/method.md §7.8):
///
///     8 bytes   N, the header's length, as a little-endian UInt64
///     N bytes   the header: a UTF-8 JSON object, padded with spaces (0x20) so that 8 + N is a
///               multiple of 8 and the data that follows is 8-byte aligned
///     the rest  the data buffer: every tensor's values, little-endian, row-major
///
/// The header maps each tensor's name to `{"dtype": "F64", "shape": [...], "data_offsets":
/// [begin, end]}` (byte offsets into the data buffer, end exclusive), and the reserved key
/// `__metadata__` to a map of strings. Keys are written sorted by their UTF-8 bytes
/// (`__metadata__` first); the data buffer holds the tensors in the order given, so for a
/// weight export it is the flat weight list itself.
enum SafetensorsEncoding {
    /// The file for `tensors` (in data order) and `metadata`.
    /// - Precondition: the names are unique and none is `__metadata__`.
    static func file(tensors: [(name: String, shape: [Int], values: ArraySlice<Double>)], metadata: [String: String]) -> [UInt8] {
        var entries: [(key: String, json: String)] = []
        var offset = 0
        for tensor in tensors {
            let end = offset + 8 * tensor.values.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append((tensor.name, "{\"dtype\":\"F64\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}"))
            offset = end
        }
        entries.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        if !metadata.isEmpty { entries.insert(("__metadata__", JSONText.object(metadata)), at: 0) }
        var header = Array(("{" + entries.map { JSONText.string($0.key) + ":" + $0.json }.joined(separator: ",") + "}").utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        appendLittleEndian(UInt64(header.count), to: &bytes)
        bytes.append(contentsOf: header)
        for tensor in tensors {
            for value in tensor.values { appendLittleEndian(value.bitPattern, to: &bytes) }
        }
        return bytes
    }
}

/// JSON text for the small maps of strings the exports carry.
enum JSONText {
    /// `value` as a JSON string: quotes, backslashes and control characters escaped, every
    /// other character as it is (UTF-8).
    static func string(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    /// A JSON object of strings, keys sorted by their UTF-8 bytes, without spaces.
    static func object(_ map: [String: String]) -> String {
        let keys = map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return "{" + keys.map { string($0) + ":" + string(map[$0]!) }.joined(separator: ",") + "}"
    }
}
