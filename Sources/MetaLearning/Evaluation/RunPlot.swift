import Foundation
import SVGPlot

/// One of the standard figures of a run, ready to be written as SVG: the paper's Figure 2
/// (|error| against time over consecutive test sequences), the subordinate learning curves
/// and the meta-training curves (docs/method.md §3.1–3.3).
///
/// ```swift
/// let model = try LoadedModel(path: "runs/b16-seed1")
/// try RunPlot.errors(of: model, sequences: 5).write(to: URL(fileURLWithPath: "errors.svg"))
/// ```
///
/// The figures are built by the factory methods in `RunPlot+Errors.swift`,
/// `RunPlot+LearningCurve.swift` and `RunPlot+Training.swift`; `RunPlot+RunFolder.swift`
/// writes all three into a run folder.
public struct RunPlot: Sendable, Equatable {
    /// The kinds of figure, each with its default file name.
    public enum Kind: String, Sendable, CaseIterable {
        /// |e(t)| against global time over consecutive test sequences (Figure 2): `errors.svg`.
        case errors
        /// Mean and median squared error against example position: `curve.svg`.
        case curve
        /// Train and test MSEt and online training error against epoch: `training.svg`.
        case training

        /// The default file name, e.g. `errors.svg`.
        public var fileName: String { rawValue + ".svg" }
    }

    /// Which figure this is.
    public var kind: Kind
    /// The figure.
    public var plot: LinePlot
    /// Canvas width in pixels.
    public var width: Int
    /// Canvas height in pixels.
    public var height: Int

    /// Wraps a plot.
    public init(kind: Kind, plot: LinePlot, width: Int = 800, height: Int = 500) {
        self.kind = kind
        self.plot = plot
        self.width = width
        self.height = height
    }

    /// The SVG document.
    public func svg() -> String { plot.svg(width: width, height: height) }

    /// Writes the SVG document atomically (`LinePlot/write(to:width:height:)`).
    /// - Throws: `FileWriteError`, naming the path and the operating system's reason.
    public func write(to url: URL) throws(FileWriteError) {
        try plot.write(to: url, width: width, height: height)
    }

    /// The file `kind` is written to by default: inside `path` if it is a folder (a run
    /// folder), else next to the file at `path` (a `model.json`).
    public static func defaultURL(for kind: Kind, nextTo path: String) -> URL {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        let folder = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? url : url.deletingLastPathComponent()
        return folder.appendingPathComponent(kind.fileName)
    }

    /// The family as the paper names it, for titles: `B14`, `B16`, `semil`, `quad`, with the
    /// non-default sampling option if one is used.
    static func familyTitle(_ family: FamilySpec) -> String { family.makeFamily().displayName }

    /// `lstm1997 6/6(1), 800 epochs`: the network and how long it was trained, for titles.
    static func modelCaption(_ configuration: TrainingConfiguration, epochs: Int) -> String {
        "\(configuration.architecture.name) \(configuration.architecture.topology), \(epochs) epoch\(epochs == 1 ? "" : "s")"
    }

    /// A value with three significant digits for labels: `0.00391`, `0.0100`, `1.23e-05`.
    static func formatted(_ value: Double) -> String {
        guard value.isFinite, value != 0 else { return String(value) }
        if abs(value) >= 1e-4 && abs(value) < 1e4 {
            let decimals = max(0, 2 - Int((Foundation.log10(abs(value))).rounded(.down)))
            return String(format: "%.\(decimals)f", value)
        }
        return String(format: "%.2e", value)
    }
}
