/// A problem with a checkpoint or run folder (corrupt, truncated, wrong architecture).
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read or parsed.
    case unreadable(path: String, reason: String)
    /// The file's format version is not one this build reads.
    case unsupportedVersion(Int)
    /// The stored arrays do not fit the stored architecture.
    case shapeMismatch(String)
    /// A field has an impossible value.
    case invalidField(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read checkpoint \(path): \(reason)"
        case .unsupportedVersion(let version): return "checkpoint format version \(version) is not supported by this build"
        case .shapeMismatch(let detail): return "checkpoint does not fit its architecture: \(detail)"
        case .invalidField(let detail): return "invalid checkpoint: \(detail)"
        }
    }
}

/// An invalid run configuration or option value.
public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The configuration cannot be run; the message says why.
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let message): return message
        }
    }
}
