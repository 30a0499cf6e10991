import Foundation
import MetaLearning

/// Prints training progress to standard error: on a terminal one line rewritten in place
/// (epoch, ETA, errors); otherwise, or when several runs share the terminal, one line per
/// evaluation.
final class ProgressPrinter: TrainingObserver {
    /// Prefix of every line, e.g. `b14 seed 1`.
    let label: String
    /// Whether to rewrite one line in place (terminal, single run).
    let inPlace: Bool
    private let startEpoch: Int
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private static let lock = NSLock()

    /// Creates a printer for a trainer starting (or resuming) at `startEpoch`.
    /// - Parameter inPlace: nil chooses in-place output when standard error is a terminal.
    init(label: String, startEpoch: Int, inPlace: Bool? = nil) {
        self.label = label
        self.startEpoch = startEpoch
        self.inPlace = inPlace ?? (isatty(STDERR_FILENO) == 1)
    }

    func epochCompleted(by trainer: MetaTrainer) {
        guard inPlace else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 200_000_000 || trainer.isFinished else { return }
        lastDraw = now
        let last = trainer.history.last
        let text = "\(label): epoch \(trainer.epoch)/\(trainer.configuration.totalEpochs)  ETA \(eta(trainer))"
            + "  online \(format(trainer.lastOnlineError))"
            + (last.map { "  train \(format($0.trainMSEt))  test \(format($0.testMSEt))" } ?? "")
        write("\r\u{1B}[K" + text)
    }

    func evaluated(_ record: EvaluationRecord, by trainer: MetaTrainer) {
        let text = "\(label): epoch \(record.epoch)/\(trainer.configuration.totalEpochs)  ETA \(eta(trainer))"
            + "  online \(format(record.onlineTrainingError))  train MSEt \(format(record.trainMSEt))"
            + "  test MSEt \(format(record.testMSEt))  \(String(format: "%.1f", record.elapsedSeconds)) s"
        if inPlace {
            write("\r\u{1B}[K" + text + (trainer.isFinished ? "\n" : ""))
        } else {
            write(text + "\n")
        }
    }

    /// Remaining time, extrapolated from the work done so far in this process; work is counted
    /// in examples, so a curriculum's short first phase does not make the long one look quick.
    private func eta(_ trainer: MetaTrainer) -> String {
        let configuration = trainer.configuration
        let done = configuration.examplesPerSequence(inFirst: trainer.epoch) - configuration.examplesPerSequence(inFirst: startEpoch)
        guard done > 0 else { return "?" }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let left = configuration.examplesPerSequence(inFirst: configuration.totalEpochs) - configuration.examplesPerSequence(inFirst: trainer.epoch)
        let remaining = seconds / Double(done) * Double(left)
        if remaining < 60 { return String(format: "%.0fs", remaining) }
        if remaining < 3600 { return String(format: "%.0fm%02.0fs", (remaining / 60).rounded(.down), remaining.truncatingRemainder(dividingBy: 60)) }
        return String(format: "%.0fh%02.0fm", (remaining / 3600).rounded(.down), (remaining / 60).truncatingRemainder(dividingBy: 60))
    }

    private func format(_ value: Double) -> String { value.isFinite ? String(format: "%.5f", value) : "-" }

    private func write(_ text: String) {
        Self.lock.withLock { FileHandle.standardError.write(text.data(using: .utf8)!) }
    }
}
