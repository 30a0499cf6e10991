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
            let code = exitCode(for: error)
            if code.isSuccess { exit(withError: error) }  // --help, --version: printed as usual
            // Values from files and options are echoed in messages: escape control characters
            // (terminal escape sequences) line by line.
            let text = fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false)
                .map { escapingControlCharacters(String($0)) }.joined(separator: "\n")
            if !text.isEmpty { printError(text) }
            Foundation.exit(code.rawValue)
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

/// Parses a number option with the package's decimal grammar (``DecimalNumber``), the one the
/// CSV readers use: `0.003`, `3e-3`, `-1.5`; hexadecimal floats, `nan` and `inf` are refused.
/// - Throws: a one-line `ValidationError`.
func decimalOption(_ text: String) throws -> Double {
    switch DecimalNumber.parse(text) {
    case .value(let value): return value
    case .nonFinite: throw ValidationError("'\(text)' is not a finite number")
    case .empty, .notANumber: throw ValidationError("'\(text)' is not a decimal number (write e.g. 0.003 or 3e-3)")
    }
}

/// Accepts a path option or argument that is not empty (`--out ''` would mean the current
/// folder).
/// - Throws: a one-line `ValidationError`.
func nonEmptyPath(_ text: String) throws -> String {
    guard !text.isEmpty else { throw ValidationError("an empty path is not a file or folder name") }
    return text
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
