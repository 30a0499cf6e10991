import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file could not be written; the destination was left as it was before the attempt.
///
/// Each case carries the destination path (as the user gave it) and the operating system's
/// reason, e.g. "No such file or directory".
public enum FileWriteError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No temporary file could be created next to the destination (missing directory, no permission).
    case cannotCreateTemporaryFile(path: String, reason: String)
    /// Writing or flushing the temporary file failed (disk full, I/O error).
    case writeFailed(path: String, reason: String)
    /// The temporary file could not be renamed over the destination.
    case cannotReplace(path: String, reason: String)
    /// The destination exists but is not a regular file (a directory, a device, a FIFO, a
    /// socket or a symbolic link): it is never replaced.
    case notARegularFile(path: String, kind: String)
    /// The destination is a regular file without any write permission bit: it is not replaced.
    case readOnly(path: String)
    /// A folder for the output could not be created (a parent is a file, no permission…).
    case cannotCreateDirectory(path: String, reason: String)

    /// The destination path.
    public var path: String {
        switch self {
        case .cannotCreateTemporaryFile(let path, _), .writeFailed(let path, _), .cannotReplace(let path, _),
             .notARegularFile(let path, _), .readOnly(let path), .cannotCreateDirectory(let path, _):
            return path
        }
    }

    /// The message for the user: one sentence naming the file, the step and the reason.
    public var description: String {
        switch self {
        case .cannotCreateTemporaryFile(let path, let reason):
            return "cannot write \(path): creating a temporary file in its directory failed (\(reason))"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): writing the contents failed (\(reason))"
        case .cannotReplace(let path, let reason):
            return "cannot write \(path): moving the new contents into place failed (\(reason))"
        case .notARegularFile(let path, let kind):
            return "cannot write \(path): it is \(kind), not a regular file, and is left as it is"
        case .readOnly(let path):
            return "cannot write \(path): the file is read-only and is left as it is"
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create the folder \(path) (\(reason))"
        }
    }
}

/// Writes `contents` as UTF-8 to the file at `url` so that the file is never seen partly
/// written: it keeps its old contents (or stays absent) until it has all the new ones.
///
/// See `writeFileAtomically(_:to:)` for `Data` for the procedure and its guarantees.
/// - Throws: `FileWriteError`.
/// - Precondition: `url` is a file URL.
public func writeFileAtomically(_ contents: String, to url: URL) throws {
    var contents = contents
    try contents.withUTF8 { bytes in
        try writeFileAtomically(bytes: UnsafeRawBufferPointer(bytes), to: url)
    }
}

/// Writes `data` to the file at `url` so that the file is never seen partly written: it keeps
/// its old contents (or stays absent) until it has all the new ones.
///
/// The bytes go to a new, uniquely named hidden file in the destination's directory
/// (`.name.<UUID>.tmp`), which is flushed to disk with fsync(2) and then renamed over the
/// destination with rename(2), atomic within one file system. On any failure the temporary
/// file is removed and the destination is untouched. An existing destination keeps its
/// permission bits; a new one gets 0666 minus the umask. A destination that exists but is not
/// a regular file (a directory, device, FIFO, socket or symbolic link) or that is read-only
/// (no write bit) is refused before anything is written. The directory itself is not fsynced, so after a
/// power loss the rename may be lost, but the file is then old or new, never torn.
/// - Throws: `FileWriteError`.
/// - Precondition: `url` is a file URL.
public func writeFileAtomically(_ data: Data, to url: URL) throws {
    try data.withUnsafeBytes { bytes in
        try writeFileAtomically(bytes: bytes, to: url)
    }
}

/// The shared implementation of both `writeFileAtomically` overloads.
func writeFileAtomically(bytes: UnsafeRawBufferPointer, to url: URL) throws(FileWriteError) {
    let staged = try StagedFile(bytes: bytes, destination: url)
    try staged.commit()
}

/// The naming pattern of the temporary files `writeFileAtomically` creates: `.<name>.<UUID>.tmp`
/// next to the destination `<name>` (the name cut to 50 Unicode scalars).
enum TemporaryFileName {
    /// The temporary name for a destination named `name`, with a fresh UUID.
    static func make(for name: String) -> String {
        "." + shortened(name) + "." + UUID().uuidString + ".tmp"
    }

    /// Whether `candidate` is a temporary name that `make(for: name)` could have produced.
    static func matches(_ candidate: String, destination name: String) -> Bool {
        let prefix = "." + shortened(name) + "."
        guard candidate.hasPrefix(prefix), candidate.hasSuffix(".tmp") else { return false }
        let middle = candidate.dropFirst(prefix.count).dropLast(4)
        return middle.count == 36 && UUID(uuidString: String(middle)) != nil
    }

    /// A long name is cut so that the temporary name stays within NAME_MAX (255 bytes):
    /// 50 scalars are at most 200 UTF-8 bytes, plus 42 for the dots, UUID and suffix.
    private static func shortened(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.prefix(50)))
    }
}

/// The operating system's message for an `errno` value, e.g. "No space left on device".
func systemReason(_ code: Int32) -> String { String(cString: strerror(code)) }

/// A file whose new contents are complete on disk under a temporary name in the destination's
/// directory, flushed with fsync, and not yet renamed over the destination.
///
/// ``commit()`` renames it into place; ``discard()`` removes it. Staging several files before
/// committing any is how ``OutputFiles`` makes a command's files appear together.
struct StagedFile {
    /// The temporary file.
    let temporaryPath: String
    /// The destination's path.
    let destination: String
    /// The destination as the user gave it, for messages.
    let displayPath: String

    /// Writes `bytes` to a new temporary file next to `destination` and flushes it.
    ///
    /// The destination is examined first without following links: a directory, device, FIFO,
    /// socket or symbolic link, or a regular file without any write bit, is refused before
    /// anything is created. An existing destination's permission bits are copied to the new file.
    /// - Throws: `FileWriteError`; the temporary file is removed again on failure.
    init(bytes: UnsafeRawBufferPointer, destination url: URL) throws(FileWriteError) {
        precondition(url.isFileURL, "writeFileAtomically: \(url) is not a file URL")
        let displayPath = url.relativePath
        let destination = url.path
        let directory = url.deletingLastPathComponent().path
        let temporaryPath = directory + "/" + TemporaryFileName.make(for: url.lastPathComponent)

        // Refuse what must not be replaced, before anything is created (lstat: a link is not followed).
        var existing = stat()
        if lstat(destination, &existing) == 0 {
            switch existing.st_mode & S_IFMT {
            case S_IFREG:
                if existing.st_mode & 0o222 == 0 { throw .readOnly(path: displayPath) }
            case S_IFDIR: throw .notARegularFile(path: displayPath, kind: "a directory")
            case S_IFLNK: throw .notARegularFile(path: displayPath, kind: "a symbolic link")
            case S_IFCHR, S_IFBLK: throw .notARegularFile(path: displayPath, kind: "a device")
            case S_IFIFO: throw .notARegularFile(path: displayPath, kind: "a FIFO")
            case S_IFSOCK: throw .notARegularFile(path: displayPath, kind: "a socket")
            default: throw .notARegularFile(path: displayPath, kind: "a special file")
            }
        }

        // O_EXCL: never reuse or follow an existing path; 0o666 lets the umask decide as for any new file.
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw .cannotCreateTemporaryFile(path: displayPath, reason: systemReason(errno))
        }
        var isOpen = true
        var complete = false
        defer {
            if isOpen { close(descriptor) }
            if !complete { unlink(temporaryPath) }
        }

        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .writeFailed(path: displayPath, reason: systemReason(code))
            }
            offset += written
        }
        var status = stat()
        if stat(destination, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG {
            _ = fchmod(descriptor, status.st_mode & 0o7777)
        }
        if fsync(descriptor) != 0 {
            throw .writeFailed(path: displayPath, reason: systemReason(errno))
        }
        isOpen = false
        if close(descriptor) != 0 {
            throw .writeFailed(path: displayPath, reason: systemReason(errno))
        }
        complete = true
        self.temporaryPath = temporaryPath
        self.destination = destination
        self.displayPath = displayPath
    }

    /// Renames the temporary file over the destination (atomic within one file system).
    /// - Throws: `FileWriteError.cannotReplace`; the temporary file is then removed.
    func commit() throws(FileWriteError) {
        if rename(temporaryPath, destination) != 0 {
            let code = errno
            discard()
            throw .cannotReplace(path: displayPath, reason: systemReason(code))
        }
    }

    /// Removes the temporary file; the destination is untouched.
    func discard() {
        unlink(temporaryPath)
    }
}

/// Creates `url` and its missing parents as directories.
/// - Throws: ``FileWriteError/cannotCreateDirectory(path:reason:)`` with the operating system's
///   reason (e.g. "Not a directory" when a parent is a file).
public func createFolder(at url: URL) throws(FileWriteError) {
    var missing: [String] = []
    var path = url.standardizedFileURL.path
    var status = stat()
    while !path.isEmpty && path != "/" && stat(path, &status) != 0 {
        missing.append(path)
        path = (path as NSString).deletingLastPathComponent
    }
    for directory in missing.reversed() {
        if mkdir(directory, 0o777) != 0 && errno != EEXIST {
            throw .cannotCreateDirectory(path: url.relativePath, reason: systemReason(errno))
        }
    }
    var final = stat()
    guard stat(url.path, &final) == 0 else {
        throw .cannotCreateDirectory(path: url.relativePath, reason: systemReason(errno))
    }
    guard final.st_mode & S_IFMT == S_IFDIR else {
        throw .cannotCreateDirectory(path: url.relativePath, reason: systemReason(ENOTDIR))
    }
}
