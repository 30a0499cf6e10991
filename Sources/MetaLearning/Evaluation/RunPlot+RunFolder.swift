import Foundation

extension RunPlot {
    /// Builds the three figures of the run in `folder` — ``errors(of:sequences:source:)``,
    /// ``learningCurve(of:source:)`` and ``training(runFolder:)`` — from its `model.json`,
    /// `metrics.csv` and `config.json`, and writes them into the folder as `errors.svg`,
    /// `curve.svg` and `training.svg`. Nothing is written unless all three could be built.
    /// - Returns: the written files, in that order.
    /// - Throws: `ConfigurationError` (no such folder, bad `sequences`),
    ///   `CheckpointError` (model), ``MetricsFileError`` (metrics), `FileWriteError`.
    @discardableResult
    public static func writeAll(in folder: RunFolder, sequences: Int = defaultErrorSequenceCount,
                                source: TestSequenceSource = .runTestSet) throws -> [URL] {
        try requireRunFolder(folder)
        let model = try LoadedModel(path: folder.url.path)
        let plots = [try errors(of: model, sequences: sequences, source: source),
                     learningCurve(of: model, source: source),
                     try training(runFolder: folder)]
        var files = OutputFiles(folder: folder.url)
        for plot in plots { files.add(plot.kind.fileName, plot.svg()) }
        try files.write()
        let written = files.names.map(files.url(of:))
        return written
    }
}
