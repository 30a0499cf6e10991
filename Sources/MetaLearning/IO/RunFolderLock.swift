import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A run folder is already in use, or its lock cannot be taken.
public enum RunFolderLockError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Another process (or another run of this one) holds the folder's lock; `pid` is the
    /// process the lock file names, nil if it names none yet.
    case inUse(folder: String, pid: Int32?)
    /// The lock file cannot be opened or locked; the operating system's reason.
    case cannotLock(folder: String, reason: String)

    /// One line naming the folder, and the holder's process ID where known.
    public var description: String {
        switch self {
        case .inUse(let folder, let pid):
            let holder = pid.map { "process \($0)" } ?? "another process"
            return "\(folder) is in use: \(holder) is training in it (it holds \(folder)/\(RunFolderLock.fileName)); "
                + "wait for it to finish or choose another folder"
        case .cannotLock(let folder, let reason):
            return "cannot lock the run folder \(folder) (\(reason))"
        }
    }
}

/// The exclusive lock a process holds on a run folder while it trains in it, so that two runs
/// never write one folder (docs/reliability.md, "Concurrent runs").
///
/// The lock is flock(2) on the file `.lock` in the folder, which holds the holder's process
/// ID. The operating system releases it when the holder closes it or dies, so a crashed or
/// killed run never leaves the folder locked; the file itself stays (empty once released).
/// Locks of separate `RunFolderLock`s exclude each other also within one process.
public final class RunFolderLock: @unchecked Sendable {
    /// The name of the lock file in the run folder.
    public static let fileName = ".lock"

    /// The locked folder.
    public let folder: RunFolder
    private let lock = NSLock()
    private var descriptor: Int32

    /// Creates the folder if needed and takes its lock, without waiting.
    /// - Throws: ``RunFolderLockError/inUse(folder:pid:)`` if another holder has it,
    ///   ``RunFolderLockError/cannotLock(folder:reason:)`` or `FileWriteError` if the folder or
    ///   its lock file cannot be made.
    public init(folder: RunFolder) throws {
        try createFolder(at: folder.url)
        let path = folder.lockURL.path
        let display = folder.url.relativePath
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw RunFolderLockError.cannotLock(folder: display, reason: systemReason(errno)) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            defer { close(descriptor) }
            guard code == EWOULDBLOCK else { throw RunFolderLockError.cannotLock(folder: display, reason: systemReason(code)) }
            throw RunFolderLockError.inUse(folder: display, pid: Self.holder(of: descriptor))
        }
        let text = "\(getpid())\n"
        guard ftruncate(descriptor, 0) == 0, text.withCString({ pwrite(descriptor, $0, strlen($0), 0) }) == text.utf8.count else {
            let code = errno
            close(descriptor)
            throw RunFolderLockError.cannotLock(folder: display, reason: systemReason(code))
        }
        self.folder = folder
        self.descriptor = descriptor
    }

    /// Whether the lock is still held (until ``release()``).
    public var isHeld: Bool { lock.withLock { descriptor >= 0 } }

    /// Releases the lock (empties the lock file and closes it); later calls do nothing.
    public func release() {
        lock.withLock {
            guard descriptor >= 0 else { return }
            _ = ftruncate(descriptor, 0)
            close(descriptor)
            descriptor = -1
        }
    }

    deinit { release() }

    /// The process ID written in a lock file, waiting briefly for a holder that has just taken
    /// the lock and not yet written it.
    private static func holder(of descriptor: Int32) -> Int32? {
        for attempt in 0..<20 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 31, 0) }
            if count > 0, let pid = Int32(String(decoding: buffer[0..<count], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            if attempt < 19 { usleep(5_000) }
        }
        return nil
    }
}
