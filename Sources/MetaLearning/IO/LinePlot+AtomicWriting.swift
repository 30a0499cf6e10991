import Foundation
import SVGPlot

extension LinePlot {
    /// Writes `svg(width:height:)` as UTF-8 to `url` atomically: the document goes to a hidden
    /// temporary file in the same folder, which is then renamed over the destination, so
    /// readers see either the old file or the complete new one, never a partial document. On
    /// failure the temporary file is removed and the destination is left as it was.
    ///
    /// The `SVGPlot` module only renders the document text; writing it is the project's shared
    /// procedure, `writeFileAtomically(_:to:)`.
    /// - Throws: `FileWriteError`, naming the path and the operating system's reason.
    /// - Precondition: `url` is a file URL.
    public func write(to url: URL, width: Int = 800, height: Int = 500) throws(FileWriteError) {
        var document = svg(width: width, height: height)
        // `withUTF8` only rethrows untyped errors, so the typed error is carried out by hand.
        var failure: FileWriteError?
        document.withUTF8 { bytes in
            do throws(FileWriteError) {
                try writeFileAtomically(bytes: UnsafeRawBufferPointer(bytes), to: url)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }
}
