import ArgumentParser
import Foundation
import MetaLearning

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a saved model's weights as named Float64 tensors (safetensors or NumPy .npz).",
        discussion: """
            One tensor per block of the architecture's weight layout, in canonical order, with the architecture, \
            its sizes, the family and the format version as metadata (docs/method.md §7.8). The format defaults \
            to the extension of --output.
            """)

    @Argument(help: "Checkpoint (RUN/model.json) or run folder.", transform: nonEmptyPath)
    var model: String

    @Option(help: "File format (default: from the extension of --output).")
    var format: WeightExportFormat?

    @Option(help: "File to write (atomically).", transform: nonEmptyPath)
    var output: String

    func validate() throws {
        if format == nil {
            do { _ = try WeightExportFormat(inferringFromPath: output) } catch { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        do {
            let format = try self.format ?? WeightExportFormat(inferringFromPath: output)
            let loaded = try LoadedModel(path: model)
            let export = try WeightExport(model: loaded)
            try export.write(to: URL(fileURLWithPath: output), format: format)
            let architecture = loaded.configuration.architecture
            let weights = export.tensors.reduce(0) { $0 + $1.values.count }
            printError("wrote \(output): \(architecture.description), \(weights) weights in \(export.tensors.count) float64 tensors (\(format))")
        } catch {
            throw failure(error)
        }
    }
}
