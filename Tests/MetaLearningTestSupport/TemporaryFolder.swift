import Foundation
import XCTest

extension XCTestCase {
    /// Creates a new, empty folder under the system's temporary directory, named `prefix` (the
    /// test class's name by default) followed by a UUID, and removes it with everything in it
    /// when the current test ends (pass or fail).
    /// - Throws: the file manager's error if the folder cannot be created.
    package func temporaryFolder(prefix: String? = nil) throws -> URL {
        let name = "\(prefix ?? String(describing: type(of: self)))-\(UUID().uuidString)"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
