/// A problem with a run's `metrics.csv` (the evaluation history ``RunFolder/writeMetrics(_:)``
/// writes), located by file, line and, where one is at fault, column.
///
/// Every description is one sentence that starts with the location, for example
/// `runs/b16/metrics.csv, line 7, column test_mset: 'abc' is not a number`. Line numbers are
/// 1-based physical lines of the file.
public enum MetricsFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read at all (missing, a directory, no permission); no line applies.
    case unreadable(file: String, reason: String)
    /// The file holds no text other than blank lines.
    case emptyFile(file: String)
    /// The first line does not name the columns a metrics file needs.
    case missingColumns(file: String, line: Int, missing: [String])
    /// A record does not have as many fields as the header.
    case wrongColumnCount(file: String, line: Int, expected: Int, found: Int)
    /// A field does not hold the kind of value its column needs.
    case invalidValue(file: String, line: Int, column: String, value: String, expected: String)
    /// A record's epoch is not larger than the epoch of the record before it.
    case epochNotIncreasing(file: String, line: Int, epoch: Int, previous: Int)
    /// The CSV quoting is broken (an unclosed quote, or text after a closing quote).
    case malformedQuoting(file: String, line: Int)
    /// The file has a header but no evaluation rows (training has not reached its first
    /// evaluation yet).
    case noEvaluations(file: String)

    /// The columns a metrics file must have, in the order ``RunFolder/writeMetrics(_:)`` writes them.
    public static let requiredColumns = [
        "epoch", "phase", "online_training_error", "train_mset", "test_mset", "elapsed_seconds",
    ]

    /// The file name the error refers to.
    public var file: String {
        switch self {
        case .unreadable(let file, _), .emptyFile(let file), .missingColumns(let file, _, _),
             .wrongColumnCount(let file, _, _, _), .invalidValue(let file, _, _, _, _),
             .epochNotIncreasing(let file, _, _, _), .malformedQuoting(let file, _), .noEvaluations(let file):
            return file
        }
    }

    /// The 1-based line the error refers to, or `nil` where no single line is at fault.
    public var line: Int? {
        switch self {
        case .unreadable, .noEvaluations: return nil
        case .emptyFile: return 1
        case .missingColumns(_, let line, _), .wrongColumnCount(_, let line, _, _),
             .invalidValue(_, let line, _, _, _), .epochNotIncreasing(_, let line, _, _),
             .malformedQuoting(_, let line):
            return line
        }
    }

    /// The message for the user: one sentence starting with the file and line.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read \(file): \(reason)"
        case .emptyFile(let file):
            return "\(file), line 1: the file is empty (expected the header \(Self.requiredColumns.joined(separator: ",")))"
        case .missingColumns(let file, let line, let missing):
            return "\(file), line \(line): the header lacks the column\(missing.count == 1 ? "" : "s") "
                + "\(missing.joined(separator: ", ")) (expected \(Self.requiredColumns.joined(separator: ",")))"
        case .wrongColumnCount(let file, let line, let expected, let found):
            return "\(file), line \(line): expected \(expected) columns, found \(found)"
        case .invalidValue(let file, let line, let column, let value, let expected):
            return "\(file), line \(line), column \(column): '\(CSVError.abbreviated(value))' is not \(expected)"
        case .epochNotIncreasing(let file, let line, let epoch, let previous):
            return "\(file), line \(line), column epoch: epoch \(epoch) does not follow epoch \(previous) of the row before"
        case .malformedQuoting(let file, let line):
            return "\(file), line \(line): a quoted field is not closed properly"
        case .noEvaluations(let file):
            return "\(file) has no evaluation rows yet (training has not reached its first evaluation)"
        }
    }
}
