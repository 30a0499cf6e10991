import ArgumentParser
import Foundation
import MetaLearning

@main
struct Metalearn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metalearn",
        abstract: "Meta-learn online learning algorithms by gradient descent (Hochreiter, Younger & Conwell 2001).",
        version: packageVersion,
        subcommands: [Reproduce.self, Train.self, SweepCommand.self, CollectCommand.self, Eval.self, Predict.self, Export.self, Compare.self, StreamCommand.self, Forecast.self, Plot.self, Bench.self])

    /// Parses and runs the command, then makes sure everything printed reached standard output:
    /// a full disk or a closed stream is an error with a non-zero exit, not a silent loss.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            try flushStandardOutput()
        } catch {
            _ = try? flushStandardOutput()
            exit(withError: error)
        }
    }
}

/// Flushes standard output and reports a write error on it.
/// - Throws: ``ValidationErrorLine`` naming the reason.
func flushStandardOutput() throws {
    if fflush(stdout) != 0 || ferror(stdout) != 0 {
        let reason = String(cString: strerror(errno))
        clearerr(stdout)
        throw ValidationErrorLine(message: "cannot write standard output (\(reason))")
    }
}

/// Prints one line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write((text + "\n").data(using: .utf8)!)
}

/// Turns a library error into a one-line message and a non-zero exit.
func failure(_ error: Error) -> Error {
    if error is ExitCode || error is CleanExit || error is ValidationErrorLine { return error }
    return ValidationErrorLine(message: "\(error)")
}

/// An error whose description is shown as is, followed by exit code 1.
struct ValidationErrorLine: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Parses a comma-separated list of seeds such as `1,2,3` or a range `1-5`.
func parseSeeds(_ text: String) throws -> [UInt64] {
    var seeds: [UInt64] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
        let item = part.trimmingCharacters(in: .whitespaces)
        if let dash = item.firstIndex(of: "-"), dash != item.startIndex,
           let low = UInt64(item[..<dash]), let high = UInt64(item[item.index(after: dash)...]), low <= high, high - low < 1000 {
            seeds.append(contentsOf: low...high)
        } else if let seed = UInt64(item) {
            seeds.append(seed)
        } else {
            throw ValidationError("'\(text)' is not a list of seeds (use e.g. 1,2,3 or 1-3)")
        }
    }
    guard Set(seeds).count == seeds.count else { throw ValidationError("--seeds lists a seed twice") }
    return seeds
}
