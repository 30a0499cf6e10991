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

    /// Installs SIGINT and SIGTERM handlers that raise the flag (SIGTERM is what Slurm's
    /// `scancel` and a task's time limit send, so a cancelled job line saves a checkpoint);
    /// a second signal exits at once with status 130 (checkpoints are written atomically, so
    /// the last one stays intact). Returns the signal sources, which must be kept alive.
    func installSignalHandler() -> SignalSources {
        let sources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                if isRaised { exit(130) }
                raise()
                let name = number == SIGINT ? "interrupt" : "terminate signal"
                FileHandle.standardError.write("\n\(name): stopping after the current epoch and saving a checkpoint (again to quit now)\n".data(using: .utf8)!)
            }
            source.resume()
            return source
        }
        return SignalSources(sources: sources)
    }
}

/// The signal sources of ``InterruptFlag/installSignalHandler()``.
struct SignalSources {
    let sources: [DispatchSourceSignal]

    /// Stops handling the signals.
    func cancel() { sources.forEach { $0.cancel() } }
}
