import Foundation

/// The files of one command's result, rendered in full before any of them is written and then
/// written together, so that they appear together or not at all.
///
/// ```swift
/// var files = OutputFiles(folder: folder)
/// files.add("report.md", markdown)
/// files.add("report.json", try RunFolder.json(summary))
/// try files.write()
/// ```
///
/// ``write()`` creates the folder, writes every file to a temporary file next to its
/// destination and flushes it (the procedure of `writeFileAtomically`), and only when all of
/// them are complete renames them into place, in the order they were added. If any file cannot
/// be written, every temporary file is removed and no destination is touched. (A rename itself
/// only fails if the folder is changed meanwhile; the files renamed before it then stay.)
public struct OutputFiles {
    /// The folder the files go to.
    public let folder: URL
    /// The file names, in the order they are renamed into place.
    public private(set) var names: [String] = []
    private var contents: [Data] = []

    /// An empty set of files for `folder`.
    public init(folder: URL) {
        self.folder = folder
    }

    /// Adds a file with `text` as UTF-8.
    public mutating func add(_ name: String, _ text: String) {
        add(name, Data(text.utf8))
    }

    /// Adds a file with `data`.
    /// - Precondition: `name` is a plain file name (no `/`) not added before.
    public mutating func add(_ name: String, _ data: Data) {
        precondition(!name.isEmpty && !name.contains("/") && !names.contains(name),
                     "OutputFiles: '\(name)' must be a new plain file name")
        names.append(name)
        contents.append(data)
    }

    /// The URL of the file `name` in ``folder``.
    public func url(of name: String) -> URL { folder.appendingPathComponent(name) }

    /// Creates the folder if needed and writes every file: all of them are staged before any is
    /// renamed into place.
    /// - Throws: `FileWriteError` naming the first file (or the folder) that failed; no file has
    ///   then been replaced.
    public func write() throws(FileWriteError) {
        try createFolder(at: folder)
        var staged: [StagedFile] = []
        do throws(FileWriteError) {
            for (name, data) in zip(names, contents) {
                var failure: FileWriteError?
                data.withUnsafeBytes { bytes in
                    do throws(FileWriteError) {
                        staged.append(try StagedFile(bytes: bytes, destination: url(of: name)))
                    } catch {
                        failure = error
                    }
                }
                if let failure { throw failure }
            }
        } catch {
            for file in staged { file.discard() }
            throw error
        }
        for (index, file) in staged.enumerated() {
            do throws(FileWriteError) {
                try file.commit()
            } catch {
                for later in staged[(index + 1)...] { later.discard() }
                throw error
            }
        }
    }
}
