/// NumPy's `.npy` array files and the `.npz` archive that holds several of them, written
/// without NumPy (docs/method.md §7.8).
///
/// An `.npy` file (format version 1.0) is the magic `\x93NUMPY`, the version bytes 1 and 0, a
/// little-endian UInt16 header length, then a Python dict literal
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (6, 28), }` padded with spaces and ended
/// by a line feed so that the data starts at a multiple of 64 bytes, then the values in C
/// (row-major) order. An `.npz` file is a zip archive of such files, one per array, named
/// `NAME.npy`; `numpy.load` reads it as a mapping from `NAME` to the array.
enum NPYEncoding {
    /// The data offset of every `.npy` file is a multiple of this (NumPy's `ARRAY_ALIGN`).
    static let alignment = 64

    /// A `.npy` file of little-endian Float64 (`<f8`) values in row-major order.
    /// - Precondition: `values.count` is the product of `shape`.
    static func float64Array(_ values: some Collection<Double>, shape: [Int]) -> [UInt8] {
        precondition(values.count == shape.reduce(1, *), "npy: \(values.count) values do not fill the shape \(shape)")
        var bytes = header(descr: "<f8", shape: shape)
        bytes.reserveCapacity(bytes.count + 8 * values.count)
        for value in values { appendLittleEndian(value.bitPattern, to: &bytes) }
        return bytes
    }

    /// A `.npy` file holding one string as a 0-dimensional Unicode array (`<Un`, n the number
    /// of Unicode scalars, stored as UTF-32LE): `numpy.load(...)[()]` or `.item()` gives it back.
    static func unicodeScalar(_ text: String) -> [UInt8] {
        let scalars = Array(text.unicodeScalars)
        var bytes = header(descr: "<U\(max(scalars.count, 1))", shape: [])
        for scalar in scalars { appendLittleEndian(scalar.value, to: &bytes) }
        if scalars.isEmpty { appendLittleEndian(UInt32(0), to: &bytes) }
        return bytes
    }

    /// The magic, version, header length and padded header for `descr` and `shape`.
    static func header(descr: String, shape: [Int]) -> [UInt8] {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var dictionary = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }".utf8)
        let prefixLength = 6 + 2 + 2  // magic, version, header length
        let unpadded = prefixLength + dictionary.count + 1  // + the final line feed
        let padding = (alignment - unpadded % alignment) % alignment
        dictionary.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        dictionary.append(UInt8(ascii: "\n"))
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        appendLittleEndian(UInt16(dictionary.count), to: &bytes)
        bytes.append(contentsOf: dictionary)
        return bytes
    }
}

/// A zip archive whose members are stored uncompressed (method 0, "STORE"), as `numpy.savez`
/// writes them: a local header and the bytes of each member, then the central directory and
/// its end record. Every member gets the same fixed time stamp (1980-01-01 00:00, the
/// earliest a zip file can hold), so that the same members always give the same bytes.
enum ZipStoreArchive {
    /// The largest archive without the Zip64 extension: sizes and offsets are UInt32.
    static let maximumSize = Int(UInt32.max)
    /// The most members without Zip64.
    static let maximumMembers = Int(UInt16.max)

    /// The archive of `members` (name, bytes), in that order.
    /// - Throws: ``WeightExportError/tooLarge(format:bytes:limit:)`` past the limits of a zip
    ///   file without Zip64 (4 GiB, 65535 members).
    static func archive(_ members: [(name: String, bytes: [UInt8])]) throws(WeightExportError) -> [UInt8] {
        let total = members.reduce(22) { $0 + 2 * (30 + $1.name.utf8.count) + 16 + $1.bytes.count }
        guard total <= maximumSize, members.count <= maximumMembers else {
            throw .tooLarge(format: "npz", bytes: total, limit: maximumSize)
        }
        let version: UInt16 = 20        // 2.0: the version numpy's zipfile writes for stored members
        let dosTime: UInt16 = 0         // 00:00:00
        let dosDate: UInt16 = 1 << 5 | 1  // 1980-01-01: (year − 1980) << 9 | month << 5 | day
        var output: [UInt8] = []
        output.reserveCapacity(total)
        var centralDirectory: [UInt8] = []
        for member in members {
            let name = Array(member.name.utf8)
            let crc = CRC32.checksum(member.bytes)
            let size = UInt32(member.bytes.count)
            let offset = UInt32(output.count)
            // Local file header.
            appendLittleEndian(UInt32(0x0403_4B50), to: &output)
            for field in [version, 0, 0, dosTime, dosDate] { appendLittleEndian(field, to: &output) }  // needed, flags, method
            for field in [crc, size, size] { appendLittleEndian(field, to: &output) }
            appendLittleEndian(UInt16(name.count), to: &output)
            appendLittleEndian(UInt16(0), to: &output)  // extra field length
            output.append(contentsOf: name)
            output.append(contentsOf: member.bytes)
            // Its central directory entry.
            appendLittleEndian(UInt32(0x0201_4B50), to: &centralDirectory)
            for field in [version, version, 0, 0, dosTime, dosDate] { appendLittleEndian(field, to: &centralDirectory) }  // made by, needed, flags, method
            for field in [crc, size, size] { appendLittleEndian(field, to: &centralDirectory) }
            appendLittleEndian(UInt16(name.count), to: &centralDirectory)
            for _ in 0..<4 { appendLittleEndian(UInt16(0), to: &centralDirectory) }  // extra, comment, disk, internal attributes
            appendLittleEndian(UInt32(0), to: &centralDirectory)  // external attributes
            appendLittleEndian(offset, to: &centralDirectory)
            centralDirectory.append(contentsOf: name)
        }
        let directoryOffset = UInt32(output.count)
        output.append(contentsOf: centralDirectory)
        // End of central directory record.
        appendLittleEndian(UInt32(0x0605_4B50), to: &output)
        for field in [UInt16(0), 0, UInt16(members.count), UInt16(members.count)] { appendLittleEndian(field, to: &output) }  // disks, entries
        appendLittleEndian(UInt32(centralDirectory.count), to: &output)
        appendLittleEndian(directoryOffset, to: &output)
        appendLittleEndian(UInt16(0), to: &output)  // comment length
        return output
    }
}

/// Appends the little-endian bytes of `value`.
func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    var value = value.littleEndian
    withUnsafeBytes(of: &value) { bytes.append(contentsOf: $0) }
}
