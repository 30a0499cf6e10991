import Foundation

/// Configuration files: a run folder's `config.json` (`{"configuration": {...}, "packageVersion": ...}`)
/// and the per-point files of a sweep, which have the same form. `train --config` reads them.
public enum ConfigurationFile {
    /// Reads a configuration from `path`: a `config.json` (or any file of that form, such as a
    /// sweep's `configs/NAME.json`), a checkpoint `model.json` (its configuration), or a run
    /// folder (its `config.json`, else its `model.json`). Validated.
    /// - Throws: ``ConfigurationError`` naming the file and what is wrong with it.
    public static func read(from path: String) throws(ConfigurationError) -> TrainingConfiguration {
        var url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .invalid("cannot read \(path): no such file")
        }
        if isDirectory.boolValue {
            let folder = RunFolder(url: url)
            if FileManager.default.fileExists(atPath: folder.configURL.path) {
                url = folder.configURL
            } else if FileManager.default.fileExists(atPath: folder.modelURL.path) {
                url = folder.modelURL
            } else {
                throw .invalid("cannot read \(path): a folder without config.json or model.json")
            }
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .invalid("cannot read \(url.path): the file cannot be opened")
        }
        return try decode(data, file: url.path)
    }

    /// Decodes and validates the configuration in `data` (any JSON object with a
    /// `configuration` field, such as `config.json` or `model.json`).
    /// - Throws: ``ConfigurationError`` naming `file`.
    public static func decode(_ data: Data, file: String) throws(ConfigurationError) -> TrainingConfiguration {
        struct File: Decodable { var configuration: TrainingConfiguration }
        let configuration: TrainingConfiguration
        do { configuration = try JSONDecoder().decode(File.self, from: data).configuration } catch {
            throw .invalid("cannot read \(file): not a run configuration written by metalearn (\(describe(error)))")
        }
        do { try configuration.validate() } catch {
            throw .invalid("cannot use \(file): \(error)")
        }
        return configuration
    }

    /// The bytes of a configuration file, exactly as ``RunFolder/writeConfiguration(_:)`` writes
    /// `config.json`.
    public static func encoded(_ configuration: TrainingConfiguration) throws -> Data {
        struct File: Encodable { var packageVersion: String; var configuration: TrainingConfiguration }
        return try RunFolder.json(File(packageVersion: packageVersion, configuration: configuration))
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing field '\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "bad value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "invalid or truncated JSON"
                : "\(context.debugDescription) at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        default: return "\(error)"
        }
    }
}
