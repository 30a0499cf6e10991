import Foundation

/// A sweep file: a base configuration and the points to run, in JSON (docs/cluster.md).
///
/// ```json
/// {
///   "name": "b14-lr",
///   "base": {"family": "b14", "epochs": 200, "sequences": 32, "length": 32},
///   "product": {"lr": [0.001, 0.003, 0.01], "seed": [1, 2, 3]},
///   "slurm": {"time": "00:30:00", "cpus": 1, "mem": "1G", "max-concurrent": 8}
/// }
/// ```
///
/// Keys: `name` (the sweep's name, default the file's name), `description` (free text), `base`
/// (options of `metalearn train`, named as on its command line without dashes:
/// ``TrainingOption``), `config` (a run's `config.json` to start from instead of `train`'s
/// defaults, relative to the sweep file; `base` and the points then override its fields as
/// `train --config` does), `product` (axes: an option and a non-empty list of values each; every
/// combination is a point), `points` (a non-empty list of explicit points, each an object of
/// options and an optional `name`), `slurm` (``SlurmSettings``). At least one of `product` and
/// `points`; with both, every point is crossed with every combination of the axes. Axes are
/// combined in alphabetical order of their names, the last varying fastest.
///
/// A point's run-folder name lists its values in that order, `key-value` joined by `_`, e.g.
/// `lr-0.003_seed-1` (characters other than letters, digits, `.`, `+` and `-` in a value become
/// `-`); a point with a `name` uses it, followed by its axis values. At most
/// ``maximumPoints`` points.
public struct SweepFile: Equatable, Sendable {
    /// The most points a sweep may have: 10⁵.
    public static let maximumPoints = 100_000
    /// The keys a sweep file may have at its top level.
    public static let topLevelKeys = ["name", "description", "config", "base", "product", "points", "slurm"]

    /// The sweep's name (job name on Slurm).
    public var name: String
    /// Free text.
    public var description: String?
    /// Options every point starts from.
    public var base: TrainingOptions
    /// A configuration file every point starts from (relative paths are relative to the sweep file).
    public var config: String?
    /// The axes of the product, sorted by name.
    public var product: [(option: TrainingOption, values: [OptionValue])]
    /// Explicit points (nil when the file has none).
    public var points: [ExplicitPoint]?
    /// Resources of the Slurm array.
    public var slurm: SlurmSettings
    /// The file's path as given (for messages and relative paths).
    public var path: String

    /// One entry of `points`.
    public struct ExplicitPoint: Equatable, Sendable {
        /// The name given, if any.
        public var name: String?
        /// Its options.
        public var options: TrainingOptions
    }

    /// Whether both files say the same (the axes compared in order).
    public static func == (lhs: SweepFile, rhs: SweepFile) -> Bool {
        lhs.name == rhs.name && lhs.description == rhs.description && lhs.base == rhs.base && lhs.config == rhs.config
            && lhs.product.map(\.option) == rhs.product.map(\.option) && lhs.product.map(\.values) == rhs.product.map(\.values)
            && lhs.points == rhs.points && lhs.slurm == rhs.slurm && lhs.path == rhs.path
    }

    /// Reads and checks a sweep file.
    /// - Throws: ``SweepFileError``, one line naming the file and the field at fault.
    public static func load(path: String) throws(SweepFileError) -> SweepFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: isDirectory.boolValue ? "it is a directory" : "the file cannot be opened")
        }
        return try parse(data, path: path)
    }

    /// Parses the text of a sweep file.
    /// - Parameter path: the file's path, for messages, the default name and relative paths.
    /// - Throws: ``SweepFileError``.
    public static func parse(_ data: Data, path: String) throws(SweepFileError) -> SweepFile {
        let root: JSONValue
        do { root = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw .invalidJSON(file: path, reason: describe(error))
        }
        guard case .object(let top) = root else {
            throw .wrongType(file: path, field: "(top level)", expected: "an object", found: root.kindDescription)
        }
        for key in top.keys.sorted() where !topLevelKeys.contains(key) {
            throw .unknownKey(file: path, field: key, expected: topLevelKeys)
        }
        func string(_ key: String) throws(SweepFileError) -> String? {
            guard let value = top[key] else { return nil }
            guard case .text(let text) = value else {
                throw .wrongType(file: path, field: key, expected: "a string", found: value.kindDescription)
            }
            return text
        }
        let defaultName = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let name = try string("name") ?? defaultName
        try checkSafeName(name, file: path, field: "name")
        var file = SweepFile(name: name, description: try string("description"), base: TrainingOptions(),
                             config: try string("config"), product: [], points: nil, slurm: SlurmSettings(), path: path)
        if let base = top["base"] {
            file.base = try options(base, field: "base", file: path, allowName: false).options
        }
        if let product = top["product"] {
            guard case .object(let axes) = product else {
                throw .wrongType(file: path, field: "product", expected: "an object of option: [values]", found: product.kindDescription)
            }
            guard !axes.isEmpty else { throw .emptyAxis(file: path, field: "product") }
            for key in axes.keys.sorted() {
                let field = "product.\(key)"
                guard let option = TrainingOption(rawValue: key) else {
                    throw .unknownKey(file: path, field: field, expected: TrainingOption.allCases.map(\.rawValue))
                }
                guard case .array(let list) = axes[key]! else {
                    throw .wrongType(file: path, field: field, expected: "a list of values", found: axes[key]!.kindDescription)
                }
                guard !list.isEmpty else { throw .emptyAxis(file: path, field: field) }
                var values: [OptionValue] = []
                for (index, element) in list.enumerated() {
                    values.append(try optionValue(element, option: option, field: "\(field)[\(index)]", file: path))
                }
                if let repeated = values.firstIndex(where: { value in values.filter { $0 == value }.count > 1 }) {
                    throw .invalidValue(file: path, field: "\(field)[\(repeated)]", message: "the value \(values[repeated]) appears twice")
                }
                file.product.append((option, values))
            }
        }
        if let points = top["points"] {
            guard case .array(let list) = points else {
                throw .wrongType(file: path, field: "points", expected: "a list of objects", found: points.kindDescription)
            }
            guard !list.isEmpty else { throw .emptyAxis(file: path, field: "points") }
            var parsed: [ExplicitPoint] = []
            for (index, element) in list.enumerated() {
                let field = "points[\(index)]"
                let point = try options(element, field: field, file: path, allowName: true)
                for (option, _) in file.product where point.options[option] != nil {
                    throw .invalidValue(file: path, field: "\(field).\(option)", message: "also an axis of product: give it in one place")
                }
                if let name = point.name { try checkSafeName(name, file: path, field: "\(field).name") }
                parsed.append(ExplicitPoint(name: point.name, options: point.options))
            }
            file.points = parsed
        }
        guard top["product"] != nil || top["points"] != nil else {
            throw .missingField(file: path, field: "product", detail: "a sweep needs \"product\" (axes to combine) or \"points\" (a list), or both")
        }
        if let slurm = top["slurm"] { file.slurm = try SlurmSettings(json: slurm, file: path) }
        _ = try file.pointCount()
        return file
    }

    /// The number of points, checked against ``maximumPoints`` without overflow.
    /// - Throws: ``SweepFileError/tooManyPoints(file:field:count:limit:)``.
    public func pointCount() throws(SweepFileError) -> Int {
        var count = points?.count ?? 1
        let field = points == nil ? "product" : product.isEmpty ? "points" : "points × product"
        for axis in product {
            let (next, overflow) = count.multipliedReportingOverflow(by: axis.values.count)
            if overflow || next > Self.maximumPoints {
                throw .tooManyPoints(file: path, field: field, count: overflow ? "more than \(Int.max)" : "at least \(next)",
                                     limit: Self.maximumPoints)
            }
            count = next
        }
        if count > Self.maximumPoints {
            throw .tooManyPoints(file: path, field: field, count: "\(count)", limit: Self.maximumPoints)
        }
        return count
    }

    /// Every point with its name and configuration, in job order: the explicit points (or one
    /// empty point) in file order, each crossed with the axes' combinations (first axis
    /// slowest).
    /// - Throws: ``SweepFileError`` for a point whose configuration is invalid, two points with
    ///   the same name, or an unreadable `config`.
    public func plan() throws(SweepFileError) -> SweepPlan {
        _ = try pointCount()
        var baseConfiguration: TrainingConfiguration?
        if let config {
            let resolved = config.hasPrefix("/") ? config
                : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(config).path
            do { baseConfiguration = try ConfigurationFile.read(from: resolved) } catch {
                throw .invalidValue(file: path, field: "config", message: error.description)
            }
        }
        let explicit = points ?? [ExplicitPoint(name: nil, options: TrainingOptions())]
        let pointAxes = TrainingOption.allCases.filter { option in explicit.contains { $0.options[option] != nil } }.map(\.rawValue)
        let axes = pointAxes + product.map(\.option.rawValue)
        var result: [SweepPoint] = []
        var names: [String: Int] = [:]
        for (pointIndex, point) in explicit.enumerated() {
            var combination = [Int](repeating: 0, count: product.count)
            while true {
                var options = base
                var values: [String: String] = [:]
                var nameParts: [String] = []
                if let name = point.name { nameParts.append(name) }
                for option in TrainingOption.allCases.sorted(by: { $0.rawValue < $1.rawValue }) {
                    guard let value = point.options[option] else { continue }
                    try? options.set(option, to: value)
                    values[option.rawValue] = value.description
                    if point.name == nil { nameParts.append("\(option.rawValue)-\(Self.nameComponent(value.description))") }
                }
                for (axisIndex, axis) in product.enumerated() {
                    let value = axis.values[combination[axisIndex]]
                    try? options.set(axis.option, to: value)
                    values[axis.option.rawValue] = value.description
                    nameParts.append("\(axis.option.rawValue)-\(Self.nameComponent(value.description))")
                }
                let name = nameParts.isEmpty ? "point\(pointIndex + 1)" : nameParts.joined(separator: "_")
                let configuration: TrainingConfiguration
                do {
                    configuration = try baseConfiguration.map(options.applied(to:)) ?? options.makeConfiguration()
                } catch {
                    throw .invalidPoint(file: path, point: name, message: "\(error)")
                }
                if let earlier = names[name] {
                    throw .duplicateName(file: path, name: name, first: earlier + 1, second: result.count + 1)
                }
                names[name] = result.count
                result.append(SweepPoint(name: name, values: values, configuration: configuration))
                // Next combination, last axis fastest.
                var axis = product.count - 1
                while axis >= 0 {
                    combination[axis] += 1
                    if combination[axis] < product[axis].values.count { break }
                    combination[axis] = 0
                    axis -= 1
                }
                if axis < 0 { break }
            }
        }
        return SweepPlan(name: name, source: path, axes: axes, points: result, paperTable: nil, slurm: slurm)
    }

    /// A value as part of a folder name: letters, digits, `.`, `+` and `-` kept, anything else `-`.
    static func nameComponent(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "+" || $0 == "-") ? $0 : "-" })
    }

    /// Rejects a name that is not a plain file name.
    static func checkSafeName(_ name: String, file: String, field: String) throws(SweepFileError) {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._+-".contains($0)) }
        guard !name.isEmpty, allowed, !name.hasPrefix("."), name.count <= 200 else {
            throw .invalidValue(file: file, field: field,
                                message: "'\(name)' is not a plain name (letters, digits, '.', '_', '+', '-'; not starting with '.')")
        }
    }

    private static func options(_ json: JSONValue, field: String, file: String, allowName: Bool) throws(SweepFileError)
        -> (name: String?, options: TrainingOptions) {
        guard case .object(let object) = json else {
            throw .wrongType(file: file, field: field, expected: "an object of options", found: json.kindDescription)
        }
        var options = TrainingOptions()
        var name: String?
        for key in object.keys.sorted() {
            let value = object[key]!
            if allowName && key == "name" {
                guard case .text(let text) = value else {
                    throw .wrongType(file: file, field: "\(field).name", expected: "a string", found: value.kindDescription)
                }
                name = text
                continue
            }
            guard let option = TrainingOption(rawValue: key) else {
                throw .unknownKey(file: file, field: "\(field).\(key)",
                                  expected: (allowName ? ["name"] : []) + TrainingOption.allCases.map(\.rawValue))
            }
            let checked = try optionValue(value, option: option, field: "\(field).\(key)", file: file)
            try? options.set(option, to: checked)
        }
        return (name, options)
    }

    private static func optionValue(_ json: JSONValue, option: TrainingOption, field: String, file: String) throws(SweepFileError) -> OptionValue {
        let value: OptionValue
        switch json {
        case .integer(let n): value = .integer(n)
        case .number(let x): value = .number(x)
        case .text(let text): value = .text(text)
        case .flag(let flag): value = .flag(flag)
        case .null, .array, .object:
            throw .wrongType(file: file, field: field, expected: option.kind.description, found: json.kindDescription)
        }
        do { return try TrainingOptions.checked(value, for: option) } catch {
            throw .wrongType(file: file, field: field, expected: error.expected, found: error.found)
        }
    }

    private static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError { return "\(underlying)".split(separator: "\n").first.map(String.init) ?? "invalid JSON" }
            return context.debugDescription
        }
        return "invalid JSON"
    }
}

/// A JSON value as a sweep file holds it (numbers without a fraction or exponent are whole).
indirect enum JSONValue: Decodable, Equatable {
    case null, flag(Bool), integer(Int), number(Double), text(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .flag(flag) }
        else if let integer = try? container.decode(Int.self) { self = .integer(integer) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let text = try? container.decode(String.self) { self = .text(text) }
        else if let array = try? container.decode([JSONValue].self) { self = .array(array) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    var kindDescription: String {
        switch self {
        case .null: return "null"
        case .flag: return "true or false"
        case .integer: return "a whole number"
        case .number: return "a number"
        case .text: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// A sweep file that cannot be used; each case's description is one line naming the file and
/// the field, e.g. `sweep file s.json: product.lr[1]: expected a number, found a string`.
public enum SweepFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be read.
    case unreadable(file: String, reason: String)
    /// The file is not JSON.
    case invalidJSON(file: String, reason: String)
    /// A key that a sweep file does not have here.
    case unknownKey(file: String, field: String, expected: [String])
    /// A value of the wrong type.
    case wrongType(file: String, field: String, expected: String, found: String)
    /// An axis, `product` or `points` without values.
    case emptyAxis(file: String, field: String)
    /// A required field is missing.
    case missingField(file: String, field: String, detail: String)
    /// More points than ``SweepFile/maximumPoints``.
    case tooManyPoints(file: String, field: String, count: String, limit: Int)
    /// A value of the right type that cannot be used.
    case invalidValue(file: String, field: String, message: String)
    /// A point whose configuration is invalid.
    case invalidPoint(file: String, point: String, message: String)
    /// Two points with the same run-folder name (1-based positions in job order).
    case duplicateName(file: String, name: String, first: Int, second: Int)

    /// The field at fault, e.g. `product.lr[1]`.
    public var field: String {
        switch self {
        case .unreadable, .invalidJSON: return "(file)"
        case .unknownKey(_, let field, _), .wrongType(_, let field, _, _), .emptyAxis(_, let field),
             .missingField(_, let field, _), .tooManyPoints(_, let field, _, _), .invalidValue(_, let field, _):
            return field
        case .invalidPoint(_, let point, _): return "point \(point)"
        case .duplicateName(_, let name, _, _): return "point \(name)"
        }
    }

    /// The one-line message.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "sweep file \(file): cannot read it: \(reason)"
        case .invalidJSON(let file, let reason): return "sweep file \(file): not valid JSON: \(reason)"
        case .unknownKey(let file, let field, let expected):
            return "sweep file \(file): \(field): unknown key (expected one of \(expected.joined(separator: ", ")))"
        case .wrongType(let file, let field, let expected, let found):
            return "sweep file \(file): \(field): expected \(expected), found \(found)"
        case .emptyAxis(let file, let field): return "sweep file \(file): \(field): empty, give at least one value"
        case .missingField(let file, let field, let detail): return "sweep file \(file): \(field) missing: \(detail)"
        case .tooManyPoints(let file, let field, let count, let limit):
            return "sweep file \(file): \(field): \(count) points, more than the limit of \(limit)"
        case .invalidValue(let file, let field, let message): return "sweep file \(file): \(field): \(message)"
        case .invalidPoint(let file, let point, let message): return "sweep file \(file): point \(point): \(message)"
        case .duplicateName(let file, let name, let first, let second):
            return "sweep file \(file): points \(first) and \(second) both get the run-folder name \(name): give the points names"
        }
    }
}
