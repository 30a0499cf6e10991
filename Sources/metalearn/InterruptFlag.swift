import Foundation
import MetaLearning

/// A thread-safe flag that asks long runs to stop at the next epoch boundary (set by Ctrl-C).
final class InterruptFlag: StopSignal, @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    /// A lowered flag.
    init() {}

    /// Whether a stop was requested.
    var isRaised: Bool { lock.withLock { raised } }

    /// Requests a stop.
    func raise() { lock.withLock { raised = true } }

    /// Installs a SIGINT handler that raises the flag; a second Ctrl-C exits at once with
    /// status 130 (checkpoints are written atomically, so the last one stays intact).
    /// Returns the signal source, which must be kept alive.
    func installSignalHandler() -> DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in
            if isRaised { exit(130) }
            raise()
            FileHandle.standardError.write("\ninterrupt: stopping after the current epoch and saving a checkpoint (Ctrl-C again to quit now)\n".data(using: .utf8)!)
        }
        source.resume()
        return source
    }
}
