import Foundation

/// What a finished child process left: its exit status and everything it printed.
package struct ProcessOutcome {
    /// The exit status (or the terminating signal's number).
    package var status: Int32
    /// Standard output, decoded as UTF-8.
    package var stdout: String
    /// Standard error, decoded as UTF-8.
    package var stderr: String
}

/// Runs `executable` with `arguments`, waits for it and returns its outcome.
/// - Throws: the error of `Process.run()` if it cannot be started.
package func runProcess(_ executable: URL, _ arguments: [String]) throws -> ProcessOutcome {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Standard error is drained on another thread so that neither pipe can fill up and block the child.
    final class Box: @unchecked Sendable { var data = Data() }
    let stderr = Box()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        stderr.data = err.fileHandleForReading.readDataToEndOfFile()
        drained.signal()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    return ProcessOutcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                          stderr: String(decoding: stderr.data, as: UTF8.self))
}

/// The `metalearn` executable that `swift test` builds next to the test bundle, or nil.
/// - Parameter testClass: a class of the test bundle (its bundle is one place to start looking).
package func metalearnExecutable(nextTo testClass: AnyClass) -> URL? {
    let starts = [Bundle(for: testClass).bundleURL, Bundle.main.bundleURL,
                  URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])]
    for start in starts {
        var directory = start
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("metalearn")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
    }
    return nil
}

/// Runs `python3` (found on the search path) with `arguments`.
/// - Throws: the error of `Process.run()` if `/usr/bin/env` cannot be started.
package func runPython(_ arguments: [String]) throws -> ProcessOutcome {
    try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments)
}

/// Whether `python3` is on the search path and can import every module in `modules`.
package func pythonCanImport(_ modules: [String]) -> Bool {
    (try? runPython(["-c", modules.map { "import \($0)" }.joined(separator: "; ")]))?.status == 0
}

/// The package's root folder, found from a test file's `#filePath` (Tests/TARGET/File.swift).
package func packageRoot(fromTestFile path: StaticString = #filePath) -> URL {
    URL(fileURLWithPath: "\(path)").deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
