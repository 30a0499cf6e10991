import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// `writeFileAtomically`: the destination holds the old or the new contents, never a torn file,
/// and no temporary file is left behind.
final class AtomicFileTests: XCTestCase {
    private func contents(of directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    func testWritesNewFileAndLeavesNoTemporaryFile() throws {
        let directory = try temporaryFolder()
        let destination = directory.appendingPathComponent("out.csv")
        try writeFileAtomically("sequence,x1,y\nä,1,2\n", to: destination)
        XCTAssertEqual(try String(contentsOf: destination, encoding: .utf8), "sequence,x1,y\nä,1,2\n")
        XCTAssertEqual(try contents(of: directory), ["out.csv"])
    }

    func testReplacesExistingFileWholeAndKeepsItsPermissions() throws {
        let directory = try temporaryFolder()
        let destination = directory.appendingPathComponent("out.bin")
        try Data(repeating: 1, count: 100_000).write(to: destination)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: destination.path)
        let replacement = Data((0..<1000).map { UInt8($0 % 251) })
        try writeFileAtomically(replacement, to: destination)
        XCTAssertEqual(try Data(contentsOf: destination), replacement)
        let permissions = try FileManager.default.attributesOfItem(atPath: destination.path)[.posixPermissions] as? Int
        XCTAssertEqual(permissions, 0o640)
        XCTAssertEqual(try contents(of: directory), ["out.bin"])
    }

    func testWritesEmptyContents() throws {
        let directory = try temporaryFolder()
        let destination = directory.appendingPathComponent("empty")
        try writeFileAtomically(Data(), to: destination)
        XCTAssertEqual(try Data(contentsOf: destination), Data())
        XCTAssertEqual(try contents(of: directory), ["empty"])
    }

    func testWritingIntoMissingDirectoryThrowsAndCreatesNothing() throws {
        let directory = try temporaryFolder()
        let destination = directory.appendingPathComponent("no-such-dir/out.csv")
        XCTAssertThrowsError(try writeFileAtomically("x", to: destination)) { error in
            XCTAssertEqual(error as? FileWriteError,
                           .cannotCreateTemporaryFile(path: destination.path, reason: "No such file or directory"))
            XCTAssertEqual("\(error)", "cannot write \(destination.path): creating a temporary file in its "
                + "directory failed (No such file or directory)")
        }
        XCTAssertEqual(try contents(of: directory), [])
    }

    func testDirectoryAtTheDestinationIsRefusedAndLeftAlone() throws {
        let directory = try temporaryFolder()
        let destination = directory.appendingPathComponent("taken")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: destination.appendingPathComponent("inside"))
        XCTAssertThrowsError(try writeFileAtomically("new contents", to: destination)) { error in
            XCTAssertEqual(error as? FileWriteError, .notARegularFile(path: destination.path, kind: "a directory"))
        }
        XCTAssertEqual(try contents(of: directory), ["taken"])
        XCTAssertEqual(try contents(of: destination), ["inside"])
    }

    func testFIFOSymbolicLinkAndReadOnlyFileAreRefusedAndLeftAsTheyWere() throws {
        let directory = try temporaryFolder()
        let fifo = directory.appendingPathComponent("pipe")
        XCTAssertEqual(mkfifo(fifo.path, 0o644), 0)
        let target = directory.appendingPathComponent("target.csv")
        try Data("target".utf8).write(to: target)
        let link = directory.appendingPathComponent("link.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let readOnly = directory.appendingPathComponent("frozen.csv")
        try Data("frozen".utf8).write(to: readOnly)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: readOnly.path)

        XCTAssertThrowsError(try writeFileAtomically("x", to: fifo)) {
            XCTAssertEqual($0 as? FileWriteError, .notARegularFile(path: fifo.path, kind: "a FIFO"))
        }
        XCTAssertThrowsError(try writeFileAtomically("x", to: link)) {
            XCTAssertEqual($0 as? FileWriteError, .notARegularFile(path: link.path, kind: "a symbolic link"))
        }
        XCTAssertThrowsError(try writeFileAtomically("x", to: readOnly)) {
            XCTAssertEqual($0 as? FileWriteError, .readOnly(path: readOnly.path))
        }
        XCTAssertThrowsError(try writeFileAtomically("x", to: URL(fileURLWithPath: "/dev/null"))) {
            XCTAssertEqual($0 as? FileWriteError, .notARegularFile(path: "/dev/null", kind: "a device"))
        }
        var status = stat()
        XCTAssertEqual(lstat(fifo.path, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFIFO, "the FIFO is still a FIFO")
        XCTAssertEqual(lstat(link.path, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFLNK, "the link is still a link")
        XCTAssertEqual(lstat("/dev/null", &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFCHR, "/dev/null is still a device")
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "target")
        XCTAssertEqual(try String(contentsOf: readOnly, encoding: .utf8), "frozen")
        XCTAssertEqual(try contents(of: directory), ["frozen.csv", "link.csv", "pipe", "target.csv"], "no temporary file left")
    }

    func testRelativePathIsNamedAsGivenInErrors() {
        let destination = URL(fileURLWithPath: "no-such-dir-\(UUID().uuidString)/out.csv")
        XCTAssertThrowsError(try writeFileAtomically("x", to: destination)) { error in
            XCTAssertEqual((error as? FileWriteError)?.path, destination.relativePath)
            XCTAssertFalse(destination.relativePath.hasPrefix("/"))
        }
    }

    func testVeryLongFileNameStillGetsATemporaryFile() throws {
        let directory = try temporaryFolder()
        let name = String(repeating: "ü", count: 120) + ".csv"  // 244 UTF-8 bytes
        let destination = directory.appendingPathComponent(name)
        try writeFileAtomically("x", to: destination)
        XCTAssertEqual(try contents(of: directory), [name])
    }
}
