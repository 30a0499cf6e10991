import Foundation

/// The file formats of `metalearn export` (docs/method.md §7.8).
public enum WeightExportFormat: String, CaseIterable, Sendable, CustomStringConvertible {
    /// safetensors: an 8-byte header length, a JSON header with names, dtypes, shapes, data
    /// offsets and a `__metadata__` map of strings, then the values.
    case safetensors
    /// NumPy's `.npz`: a zip archive of one `.npy` file per tensor plus `__metadata__.npy`.
    case npz

    /// The usual file extension, without the dot: `safetensors` or `npz`.
    public var fileExtension: String { rawValue }

    /// The format's name, e.g. `safetensors`.
    public var description: String { rawValue }

    /// The format named by the extension of `path` (`.safetensors` or `.npz`, in any case).
    /// - Throws: ``WeightExportError/unknownFormat(path:)`` for any other extension.
    public init(inferringFromPath path: String) throws(WeightExportError) {
        let pathExtension = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard let format = Self.allCases.first(where: { $0.fileExtension == pathExtension }) else {
            throw .unknownFormat(path: path)
        }
        self = format
    }
}

/// Why weights could not be exported. Each description is one line.
public enum WeightExportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The architecture's tensor layout does not describe its weight list (names empty,
    /// repeated or reserved, a negative axis, or counts that do not add up).
    case invalidLayout(architecture: String, reason: String)
    /// The file would exceed what its format can address.
    case tooLarge(format: String, bytes: Int, limit: Int)
    /// No format was given and the output's extension names none.
    case unknownFormat(path: String)

    /// The message for the user.
    public var description: String {
        switch self {
        case .invalidLayout(let architecture, let reason):
            return "cannot export \(architecture): its tensor layout is invalid (\(reason))"
        case .tooLarge(let format, let bytes, let limit):
            return "cannot export: the \(format) file would have \(bytes) bytes, more than the \(limit) its format allows"
        case .unknownFormat(let path):
            return "cannot tell the export format from '\(path)': give --format safetensors or --format npz, or end the file name in .safetensors or .npz"
        }
    }
}

/// A model's weights as named Float64 tensors with metadata, ready to be written as
/// safetensors or `.npz` (docs/method.md §7.8).
///
/// The tensors are the blocks of the architecture's `NetworkConfiguration/tensorLayout`, in
/// canonical order: their values laid end to end are the checkpoint's weight list, bit for bit.
public struct WeightExport: Sendable {
    /// The version of the export layout (names, shapes, metadata keys) this build writes.
    public static let formatVersion = 1
    /// The value of the `format` metadata entry.
    public static let formatName = "metalearn-weights"
    /// The name of the metadata entry in both formats: the safetensors header's reserved key,
    /// and the `.npz` member `__metadata__.npy`.
    public static let metadataName = "__metadata__"

    /// One tensor: a block of the layout with its values.
    public struct Tensor: Equatable, Sendable {
        /// The block's name and shape.
        public var layout: WeightTensor
        /// Its weights in row-major order.
        public var values: ArraySlice<Double>
        /// The name, e.g. `lstm.cells`.
        public var name: String { layout.name }
        /// The shape, e.g. `[6, 28]`.
        public var shape: [Int] { layout.shape }
    }

    /// The tensors in canonical order.
    public let tensors: [Tensor]
    /// What the tensors are: `format`, `format_version`, `package_version`, `architecture`,
    /// `topology`, `sizes` (the architecture's configuration as JSON, as in `config.json`),
    /// `family`, `family_spec` (JSON), `input_dimension`, `initial_previous_target`, `epoch`,
    /// `weight_count` and `tensor_order` (the names in canonical order, comma-separated).
    public let metadata: [String: String]

    /// The export of `weights` (in canonical order) of a network trained with `configuration`
    /// for `epoch` epochs.
    /// - Throws: ``WeightExportError/invalidLayout(architecture:reason:)`` if the architecture's
    ///   layout does not describe `weights`.
    public init(configuration: TrainingConfiguration, weights: [Double], epoch: Int) throws(WeightExportError) {
        let architecture = configuration.architecture
        let layout = architecture.configuration.tensorLayout
        if let problem = Self.problem(with: layout, weightCount: weights.count) {
            throw .invalidLayout(architecture: architecture.description, reason: problem)
        }
        var tensors: [Tensor] = []
        for (block, offset) in zip(layout, layout.offsets) {
            tensors.append(Tensor(layout: block, values: weights[offset..<offset + block.count]))
        }
        self.tensors = tensors
        metadata = [
            "format": Self.formatName,
            "format_version": String(Self.formatVersion),
            "package_version": packageVersion,
            "architecture": architecture.name,
            "topology": architecture.topology,
            "sizes": Self.json(ArchitectureSizes(architecture: architecture)),
            "family": configuration.family.name,
            "family_spec": Self.json(configuration.family),
            "input_dimension": String(architecture.inputDimension),
            "initial_previous_target": configuration.initialPreviousTarget.description,
            "epoch": String(epoch),
            "weight_count": String(weights.count),
            "tensor_order": layout.map(\.name).joined(separator: ","),
        ]
    }

    /// The export of a loaded model's weights.
    /// - Throws: ``WeightExportError/invalidLayout(architecture:reason:)`` as above.
    public init(model: LoadedModel) throws(WeightExportError) {
        try self.init(configuration: model.configuration, weights: model.network.weightValues, epoch: model.epoch)
    }

    /// The bytes of the file in `format`.
    /// - Throws: ``WeightExportError/tooLarge(format:bytes:limit:)`` for an `.npz` past 4 GiB.
    public func encoded(as format: WeightExportFormat) throws(WeightExportError) -> Data {
        switch format {
        case .safetensors:
            return Data(SafetensorsEncoding.file(tensors: tensors.map { ($0.name, $0.shape, $0.values) }, metadata: metadata))
        case .npz:
            var members: [(name: String, bytes: [UInt8])] = [(Self.metadataName + ".npy", NPYEncoding.unicodeScalar(JSONText.object(metadata)))]
            for tensor in tensors {
                members.append((tensor.name + ".npy", NPYEncoding.float64Array(tensor.values, shape: tensor.shape)))
            }
            return Data(try ZipStoreArchive.archive(members))
        }
    }

    /// Writes the file in `format` atomically (through `writeFileAtomically`: a temporary file,
    /// then a rename).
    /// - Throws: ``WeightExportError`` or ``FileWriteError``.
    public func write(to url: URL, format: WeightExportFormat) throws {
        try writeFileAtomically(try encoded(as: format), to: url)
    }

    /// What is wrong with `layout` as a description of `weightCount` weights, or nil.
    static func problem(with layout: [WeightTensor], weightCount: Int) -> String? {
        var seen = Set<String>()
        for tensor in layout {
            guard !tensor.name.isEmpty, tensor.name != metadataName,
                  tensor.name.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: ",") }) else {
                return "'\(tensor.name)' is not a usable tensor name"
            }
            guard seen.insert(tensor.name).inserted else { return "the name '\(tensor.name)' appears twice" }
            guard tensor.shape.allSatisfy({ $0 >= 0 }) else { return "\(tensor) has a negative axis" }
        }
        guard layout.weightCount == weightCount else {
            return "its tensors hold \(layout.weightCount) weights, the network has \(weightCount)"
        }
        return nil
    }

    /// The architecture's `configuration` object alone, as `config.json` stores it.
    private struct ArchitectureSizes: Encodable {
        let architecture: Architecture
        func encode(to encoder: any Encoder) throws { try architecture.configuration.encode(to: encoder) }
    }

    /// Compact JSON with sorted keys.
    private static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The configurations and family specs encode plain numbers and strings; this cannot fail.
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
