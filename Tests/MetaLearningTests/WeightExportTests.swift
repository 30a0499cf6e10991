import Foundation
import XCTest
import MetaLearning
import MetaLearningTestSupport

/// `metalearn export` (docs/method.md §7.8): every architecture's tensor layout, the safetensors
/// and `.npz` files read back by parsers written here from the two formats' specifications
/// (not from the writers), by NumPy, and the NumPy forward pass of `scripts/numpy_predict.py`
/// against `metalearn predict`.
final class WeightExportTests: XCTestCase {
    /// A model to export: an architecture, a family of its input dimension, a name for messages.
    struct Case {
        var label: String
        var architecture: Architecture
        var family: FamilySpec
        /// The tensor names the documentation gives, in canonical order.
        var names: [String]
    }

    /// Every registered architecture at its default size, and the other shapes the layouts
    /// distinguish (two layers, several cells per block, no hidden units, d ≠ 2).
    static func cases() throws -> [Case] {
        let b14 = try FamilySpec(name: "b14")
        func linreg(_ d: Int) throws -> FamilySpec { try FamilySpec(name: "linreg", dimension: d) }
        let lstm1997 = ["lstm.hidden_units", "lstm.cells", "lstm.input_gates", "lstm.output_gates"]
        let baseline = ["hidden.weights", "output.weights", "output.bias"]
        let modern = ["lstm.input_gate", "lstm.forget_gate", "lstm.output_gate", "lstm.cell_input", "output.weights", "output.bias"]
        let gru = ["gru.reset_gate", "gru.update_gate", "gru.candidate", "output.weights", "output.bias"]
        return [
            Case(label: "lstm1997 6/6(1)", architecture: .lstm1997(.paperSingleLayer), family: b14,
                 names: lstm1997 + ["output.weights", "output.bias"]),
            Case(label: "lstm1997 6/12(1)+40", architecture: .lstm1997(.paperTwoLayer), family: b14,
                 names: lstm1997 + ["second_layer.weights", "output.weights", "output.bias"]),
            Case(label: "lstm1997 0/3(2), d = 3",
                 architecture: try .named("lstm1997", inputDimension: 3, sizes: NetworkSizeOptions(hiddenUnits: 0, blocks: 3, cellsPerBlock: 2)),
                 family: try linreg(3), names: lstm1997 + ["output.weights", "output.bias"]),
            Case(label: "lstm1997 2/2(3)+4, d = 2",
                 architecture: try .named("lstm1997", inputDimension: 2,
                                          sizes: NetworkSizeOptions(hiddenUnits: 2, blocks: 2, cellsPerBlock: 3, secondLayerUnits: 4)),
                 family: b14, names: lstm1997 + ["second_layer.weights", "output.weights", "output.bias"]),
            Case(label: "elman 15", architecture: try .named("elman", inputDimension: 2), family: b14, names: baseline),
            Case(label: "bptt 20, BPTT(2)", architecture: try .named("bptt", inputDimension: 2), family: b14, names: baseline),
            Case(label: "rtrl 4, d = 3", architecture: try .named("rtrl", inputDimension: 3, sizes: NetworkSizeOptions(hiddenUnits: 4)),
                 family: try linreg(3), names: baseline),
            Case(label: "lstm-modern 11", architecture: try .named("lstm-modern", inputDimension: 2), family: b14, names: modern),
            Case(label: "lstm-modern 3, d = 4", architecture: try .named("lstm-modern", inputDimension: 4, sizes: NetworkSizeOptions(cells: 3)),
                 family: try linreg(4), names: modern),
            Case(label: "gru 11", architecture: try .named("gru", inputDimension: 2), family: b14, names: gru),
            Case(label: "gru 5, d = 3", architecture: try .named("gru", inputDimension: 3, sizes: NetworkSizeOptions(cells: 5)),
                 family: try linreg(3), names: gru),
        ]
    }

    /// Weights drawn U[−scale, scale], with (when `specials`) values that only a bit-exact
    /// writer keeps: −0, the smallest subnormal, huge and tiny magnitudes, a non-terminating binary fraction.
    static func weights(count: Int, seed: UInt64, scale: Double = 1, specials: Bool = true) -> [Double] {
        var generator = Xoshiro256StarStar(masterSeed: seed, stream: .other)
        var weights = (0..<count).map { _ in generator.nextUniform(in: -scale, scale) }
        if specials {
            for (index, value) in [-0.0, Double.leastNonzeroMagnitude, -1e300, 1e-300, 0.1, -Double.ulpOfOne].enumerated() where index < count {
                weights[(index * 7919) % count] = value
            }
        }
        return weights
    }

    func training(_ testCase: Case) -> TrainingConfiguration {
        TrainingConfiguration(seed: 1, family: testCase.family, architecture: testCase.architecture,
                              trainingSequences: 2, sequenceLength: 4, learningRate: 0.01)
    }

    // MARK: - The layout seam

    func testEveryRegisteredArchitectureCutsItsWeightListIntoTheDocumentedTensorsInOrder() throws {
        let cases = try Self.cases()
        XCTAssertEqual(Set(cases.map(\.architecture.name)), Set(Architecture.registeredNames), "every registered architecture is covered")
        for testCase in cases {
            let configuration = testCase.architecture.configuration
            let layout = configuration.tensorLayout
            XCTAssertEqual(layout.map(\.name), testCase.names, testCase.label)
            XCTAssertEqual(layout.weightCount, configuration.weightCount, testCase.label)
            XCTAssertEqual(layout.weightCount, try configuration.makeNetwork().weightCount, testCase.label)
            XCTAssertEqual(Set(layout.map(\.name)).count, layout.count, "\(testCase.label): names are unique")
            let weights = Self.weights(count: configuration.weightCount, seed: 3)
            let pieces = try configuration.tensors(of: weights)
            XCTAssertEqual(pieces.flatMap(\.values), weights, "\(testCase.label): the blocks laid end to end are the weight list")
        }
        XCTAssertThrowsError(try Architecture.lstm1997(.paperSingleLayer).configuration.tensors(of: [1, 2, 3]))
    }

    func testTheDocumentedShapesOfThePapersNetworks() {
        XCTAssertEqual(Architecture.lstm1997(.paperSingleLayer).configuration.tensorLayout.map(\.description),
                       ["lstm.hidden_units [6, 28]", "lstm.cells [6, 28]", "lstm.input_gates [6, 28]", "lstm.output_gates [6, 28]",
                        "output.weights [12]", "output.bias [1]"])
        XCTAssertEqual(Architecture.lstm1997(.paperTwoLayer).configuration.tensorLayout.map(\.description),
                       ["lstm.hidden_units [6, 86]", "lstm.cells [12, 86]", "lstm.input_gates [12, 86]", "lstm.output_gates [12, 86]",
                        "second_layer.weights [40, 43]", "output.weights [40]", "output.bias [1]"])
        XCTAssertEqual(Architecture.lstmModern(.paperSized).configuration.tensorLayout.map(\.description),
                       ["lstm.input_gate [11, 15]", "lstm.forget_gate [11, 15]", "lstm.output_gate [11, 15]", "lstm.cell_input [11, 15]",
                        "output.weights [11]", "output.bias [1]"])
        XCTAssertEqual(Architecture.gru(GRUNetwork.Configuration()).configuration.tensorLayout.map(\.description),
                       ["gru.reset_gate [11, 15]", "gru.update_gate [11, 15]", "gru.candidate [11, 15]", "output.weights [11]", "output.bias [1]"])
        XCTAssertEqual(Architecture.elman(.paperElman).configuration.tensorLayout.map(\.description),
                       ["hidden.weights [15, 19]", "output.weights [15]", "output.bias [1]"])
    }

    /// The names say what the weights do: the initial biases that are set rather than drawn sit
    /// in the last column of the blocks named for their gates, and `output.bias` alone moves an
    /// output of a network whose other weights are zero.
    func testTheNamedBlocksHoldTheWeightsTheirNamesSay() throws {
        for testCase in try Self.cases() {
            let configuration = testCase.architecture.configuration
            let network = try configuration.makeNetwork()
            var generator = Xoshiro256StarStar(masterSeed: 5, stream: .weights)
            network.initializeWeights(using: &generator)
            let blocks = try configuration.tensors(of: network.weightValues)
            for (tensor, values) in blocks where tensor.shape.count == 2 && tensor.shape[0] > 0 {
                let columns = tensor.shape[1]
                let biases = stride(from: values.startIndex + columns - 1, to: values.endIndex, by: columns).map { values[$0] }
                switch (testCase.architecture.name, tensor.name) {
                case ("lstm1997", "lstm.input_gates"): XCTAssertEqual(Set(biases), [-1.0], testCase.label)
                case ("lstm-modern", "lstm.forget_gate"): XCTAssertEqual(Set(biases), [1.0], testCase.label)
                default: XCTAssertTrue(biases.allSatisfy { abs($0) <= 0.1 }, "\(testCase.label) \(tensor.name): drawn biases")
                }
            }
            var probe = [Double](repeating: 0, count: configuration.weightCount)
            let biasOffset = configuration.tensorLayout.offsets[configuration.tensorLayout.count - 1]
            probe[biasOffset] = 0.7
            try network.setWeights(probe)
            network.reset()
            let output = network.step([Double](repeating: 0.3, count: configuration.inputDimension + 1))
            XCTAssertEqual(output, 1 / (1 + exp(-0.7)), accuracy: 1e-15, "\(testCase.label): output.bias is the output unit's bias")
        }
    }

    // MARK: - Reading the files back in Swift

    func testSafetensorsFilesReadBackBitForBitWithAnIndependentParser() throws {
        for testCase in try Self.cases() {
            let weights = Self.weights(count: testCase.architecture.configuration.weightCount, seed: 11)
            let export = try WeightExport(configuration: training(testCase), weights: weights, epoch: 7)
            let bytes = [UInt8](try export.encoded(as: .safetensors))
            let parsed = try IndependentReader.safetensors(bytes)
            try assertMatches(parsed, testCase: testCase, weights: weights, epoch: 7)
            XCTAssertEqual(parsed.headerKeys, ["__metadata__"] + testCase.names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) },
                           "\(testCase.label): header keys sorted, __metadata__ first")
            XCTAssertEqual([UInt8](try export.encoded(as: .safetensors)), bytes, "the same export gives the same bytes")
        }
    }

    func testNPZFilesReadBackBitForBitWithAnIndependentParser() throws {
        for testCase in try Self.cases() {
            let weights = Self.weights(count: testCase.architecture.configuration.weightCount, seed: 13)
            let export = try WeightExport(configuration: training(testCase), weights: weights, epoch: 0)
            let bytes = [UInt8](try export.encoded(as: .npz))
            let parsed = try IndependentReader.npz(bytes)
            try assertMatches(parsed, testCase: testCase, weights: weights, epoch: 0)
            XCTAssertEqual(parsed.headerKeys, ["__metadata__.npy"] + testCase.names.map { $0 + ".npy" }, testCase.label)
            XCTAssertEqual([UInt8](try export.encoded(as: .npz)), bytes, "the same export gives the same bytes")
        }
    }

    func assertMatches(_ parsed: IndependentReader.File, testCase: Case, weights: [Double], epoch: Int,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let layout = testCase.architecture.configuration.tensorLayout
        XCTAssertEqual(parsed.tensors.map(\.name), layout.map(\.name), "\(testCase.label): tensors in canonical order", file: file, line: line)
        XCTAssertEqual(parsed.tensors.map(\.shape), layout.map(\.shape), testCase.label, file: file, line: line)
        XCTAssertBitIdentical(parsed.tensors.flatMap(\.values), weights, file: file, line: line)
        let metadata = parsed.metadata
        XCTAssertEqual(metadata["format"], "metalearn-weights", file: file, line: line)
        XCTAssertEqual(metadata["format_version"], "1", file: file, line: line)
        XCTAssertEqual(metadata["architecture"], testCase.architecture.name, file: file, line: line)
        XCTAssertEqual(metadata["topology"], testCase.architecture.topology, file: file, line: line)
        XCTAssertEqual(metadata["family"], testCase.family.name, file: file, line: line)
        XCTAssertEqual(metadata["input_dimension"], String(testCase.architecture.inputDimension), file: file, line: line)
        XCTAssertEqual(metadata["weight_count"], String(weights.count), file: file, line: line)
        XCTAssertEqual(metadata["initial_previous_target"], "0.5", file: file, line: line)
        XCTAssertEqual(metadata["epoch"], String(epoch), file: file, line: line)
        XCTAssertEqual(metadata["package_version"], packageVersion, file: file, line: line)
        XCTAssertEqual(metadata["tensor_order"], layout.map(\.name).joined(separator: ","), file: file, line: line)
        // The sizes and family decode as config.json's fields do.
        let sizes = try XCTUnwrap(metadata["sizes"])
        let architecture = "{\"type\": \"\(metadata["architecture"] ?? "")\", \"configuration\": \(sizes)}"
        XCTAssertEqual(try JSONDecoder().decode(Architecture.self, from: Data(architecture.utf8)), testCase.architecture, file: file, line: line)
        let family = try XCTUnwrap(metadata["family_spec"]?.data(using: .utf8))
        XCTAssertEqual(try JSONDecoder().decode(FamilySpec.self, from: family), testCase.family, file: file, line: line)
    }

    func testTheCRCIsTheZipChecksum() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([]), 0)
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        XCTAssertEqual(CRC32.checksum(bytes), IndependentReader.bitwiseCRC32(bytes[...]))
    }

    func testALayoutThatDoesNotDescribeTheWeightsIsATypedOneLineError() throws {
        let configuration = training(try Self.cases()[0])
        XCTAssertThrowsError(try WeightExport(configuration: configuration, weights: [0, 1], epoch: 0)) { error in
            guard case WeightExportError.invalidLayout = error else { return XCTFail("\(error)") }
            XCTAssertFalse("\(error)".contains("\n"))
            XCTAssertTrue("\(error)".contains("685"), "\(error)")
        }
        XCTAssertEqual(try WeightExportFormat(inferringFromPath: "a/b.SafeTensors"), .safetensors)
        XCTAssertEqual(try WeightExportFormat(inferringFromPath: "b.npz"), .npz)
        XCTAssertThrowsError(try WeightExportFormat(inferringFromPath: "b.npy")) { error in
            XCTAssertEqual(error as? WeightExportError, .unknownFormat(path: "b.npy"))
        }
    }

    // MARK: - The command

    /// Writes a checkpoint of `testCase` with `weights` into a new run folder.
    func runFolder(_ testCase: Case, weights: [Double], in folder: URL) throws -> URL {
        let trainer = try MetaTrainer(configuration: training(testCase))
        try trainer.network.setWeights(weights)
        let run = folder.appendingPathComponent(testCase.label.replacingOccurrences(of: " ", with: "_")
            .replacingOccurrences(of: "/", with: "-"), isDirectory: true)
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try trainer.checkpoint().write(to: RunFolder(url: run).modelURL)
        return run
    }

    func testExportCommandWritesARunFolderOrAModelFileAsItsCheckpointSays() throws {
        let metalearn = try XCTUnwrap(metalearnExecutable(nextTo: Self.self), "swift test builds metalearn")
        let folder = try temporaryFolder()
        for testCase in try Self.cases() where [LSTM1997Network.Configuration.architectureName, "gru"].contains(testCase.architecture.name) {
            let weights = Self.weights(count: testCase.architecture.configuration.weightCount, seed: 17, specials: false)
            let run = try runFolder(testCase, weights: weights, in: folder)
            let checkpoint = try Checkpoint.load(from: RunFolder(url: run).modelURL)
            let safetensors = folder.appendingPathComponent("out.safetensors").path
            let npz = folder.appendingPathComponent("out.data").path
            var outcome = try runProcess(metalearn, ["export", run.path, "--output", safetensors])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains("\(checkpoint.weights.count) weights"), outcome.stderr)
            outcome = try runProcess(metalearn, ["export", RunFolder(url: run).modelURL.path, "--format", "npz", "--output", npz])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            for parsed in [try IndependentReader.safetensors([UInt8](try Data(contentsOf: URL(fileURLWithPath: safetensors)))),
                           try IndependentReader.npz([UInt8](try Data(contentsOf: URL(fileURLWithPath: npz))))] {
                try assertMatches(parsed, testCase: testCase, weights: checkpoint.weights, epoch: checkpoint.epoch)
            }
        }
    }

    func testExportCommandErrorsAreOneLine() throws {
        let metalearn = try XCTUnwrap(metalearnExecutable(nextTo: Self.self), "swift test builds metalearn")
        let folder = try temporaryFolder()
        let testCase = try Self.cases()[0]
        // Without the special values: a checkpoint holding −1e300 is a corrupt file (its weights lie
        // within ±10⁶, docs/reliability.md), and these checks are about the export's own errors.
        let run = try runFolder(testCase, weights: Self.weights(count: 685, seed: 1, specials: false), in: folder)
        let checks: [([String], String)] = [
            (["export", run.path, "--output", folder.appendingPathComponent("w.txt").path], "cannot tell the export format"),
            (["export", run.path, "--format", "hdf5", "--output", "w.h5"], "'safetensors' and 'npz'"),
            (["export", folder.appendingPathComponent("missing").path, "--output", folder.appendingPathComponent("w.npz").path],
             "cannot read checkpoint"),
            (["export", run.path, "--output", run.path + "/"], "cannot tell the export format"),
            (["export", run.path, "--format", "npz", "--output", run.path], "is a directory"),
            (["export", run.path, "--output", folder.appendingPathComponent("no/such/dir/w.npz").path], "cannot write"),
        ]
        for (arguments, text) in checks {
            let outcome = try runProcess(metalearn, arguments)
            XCTAssertNotEqual(outcome.status, 0, "\(arguments) must fail")
            let first = outcome.stderr.split(separator: "\n").first.map(String.init) ?? ""
            XCTAssertTrue(first.contains(text), "\(arguments): first stderr line '\(first)' should mention '\(text)'")
            XCTAssertFalse(outcome.stderr.contains("Fatal error"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("w.npz").path))
    }

    // MARK: - NumPy

    /// NumPy reads both files as written: `numpy.load` for the `.npz`, the safetensors header
    /// parsed with `struct` and `json` and the data with `numpy.frombuffer`; every value's bits
    /// are compared with Swift's.
    func testNumPyReadsBothFormats() throws {
        guard pythonCanImport(["numpy"]) else { throw XCTSkip("python3 with numpy is not available") }
        let folder = try temporaryFolder()
        let reader = folder.appendingPathComponent("read.py")
        try Self.numpyReader.write(to: reader, atomically: true, encoding: .utf8)
        for testCase in try Self.cases() {
            let weights = Self.weights(count: testCase.architecture.configuration.weightCount, seed: 19)
            let export = try WeightExport(configuration: training(testCase), weights: weights, epoch: 3)
            let npz = folder.appendingPathComponent("w.npz"), safetensors = folder.appendingPathComponent("w.safetensors")
            try export.write(to: npz, format: .npz)
            try export.write(to: safetensors, format: .safetensors)
            let outcome = try runPython([reader.path, npz.path, safetensors.path])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let report = try JSONDecoder().decode([String: NumPyView].self, from: Data(outcome.stdout.utf8))
            for (format, view) in report {
                XCTAssertEqual(view.names, testCase.names, "\(testCase.label) \(format)")
                XCTAssertEqual(view.shapes, testCase.architecture.configuration.tensorLayout.map(\.shape), "\(testCase.label) \(format)")
                XCTAssertEqual(view.dtypes, Array(repeating: "float64", count: testCase.names.count), "\(testCase.label) \(format)")
                XCTAssertEqual(view.bits, weights.map { String($0.bitPattern) }, "\(testCase.label) \(format): bit for bit")
                XCTAssertEqual(view.metadata, export.metadata, "\(testCase.label) \(format)")
            }
            XCTAssertEqual(Set(report.keys).isSuperset(of: ["npz", "safetensors"]), true)
        }
    }

    struct NumPyView: Decodable {
        var names: [String]
        var shapes: [[Int]]
        var dtypes: [String]
        var bits: [String]
        var metadata: [String: String]
    }

    /// Prints, for each file, the tensors in the order of `tensor_order`: names, shapes, dtypes,
    /// every value's bits as a decimal UInt64, and the metadata. With the safetensors package
    /// installed it also reads the safetensors file through it.
    static let numpyReader = #"""
        import json, struct, sys
        import numpy as np

        def view(metadata, tensors):
            order = metadata["tensor_order"].split(",")
            assert sorted(order) == sorted(tensors), (order, list(tensors))
            return {"names": order, "shapes": [list(tensors[n].shape) for n in order],
                    "dtypes": [str(tensors[n].dtype) for n in order],
                    "bits": [str(b) for n in order for b in np.ascontiguousarray(tensors[n]).reshape(-1).view("<u8").tolist()],
                    "metadata": metadata}

        report = {}
        with np.load(sys.argv[1], allow_pickle=False) as z:
            metadata = json.loads(z["__metadata__"].item())
            report["npz"] = view(metadata, {n: z[n] for n in z.files if n != "__metadata__"})
            assert z.files == ["__metadata__"] + metadata["tensor_order"].split(","), z.files

        content = open(sys.argv[2], "rb").read()
        (n,) = struct.unpack("<Q", content[:8])
        assert (8 + n) % 8 == 0
        header = json.loads(content[8:8 + n])
        metadata = header.pop("__metadata__")
        data = content[8 + n:]
        tensors = {}
        end = 0
        for name, entry in sorted(header.items(), key=lambda item: item[1]["data_offsets"]):
            begin, stop = entry["data_offsets"]
            assert begin == end and entry["dtype"] == "F64"
            tensors[name] = np.frombuffer(data[begin:stop], dtype="<f8").reshape(entry["shape"])
            end = stop
        assert end == len(data)
        report["safetensors"] = view(metadata, tensors)

        try:
            from safetensors.numpy import load_file
            from safetensors import safe_open
        except ImportError:
            pass
        else:
            with safe_open(sys.argv[2], framework="np") as f:
                library_metadata = f.metadata()
            report["safetensors (library)"] = view(library_metadata, load_file(sys.argv[2]))

        print(json.dumps(report))
        """#

    /// `scripts/numpy_predict.py` reimplements every forward pass from docs/method.md §4 in
    /// NumPy, loads the exports and agrees with `metalearn predict` to 1e-12 on a CSV of the
    /// model's family, for every architecture.
    func testTheNumPyForwardPassOfTheDocsAgreesWithPredict() throws {
        guard pythonCanImport(["numpy"]) else { throw XCTSkip("python3 with numpy is not available") }
        let metalearn = try XCTUnwrap(metalearnExecutable(nextTo: Self.self), "swift test builds metalearn")
        let script = packageRoot().appendingPathComponent("scripts/numpy_predict.py")
        XCTAssertTrue(FileManager.default.fileExists(atPath: script.path), script.path)
        let folder = try temporaryFolder()
        for (index, testCase) in try Self.cases().enumerated() {
            // Weights large enough to drive every unit into its nonlinear range.
            let weights = Self.weights(count: testCase.architecture.configuration.weightCount, seed: 23 + UInt64(index),
                                       scale: 1.5, specials: false)
            let run = try runFolder(testCase, weights: weights, in: folder)
            let examples = folder.appendingPathComponent("examples-\(index).csv")
            try Self.examplesCSV(family: testCase.family, sequences: 3, length: 25, seed: UInt64(index))
                .write(to: examples, atomically: true, encoding: .utf8)
            let predicted = folder.appendingPathComponent("predicted-\(index).csv")
            var outcome = try runProcess(metalearn, ["predict", "--model", run.path, "--input", examples.path, "--output", predicted.path])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            for format in WeightExportFormat.allCases {
                let exported = folder.appendingPathComponent("export-\(index).\(format.fileExtension)")
                outcome = try runProcess(metalearn, ["export", run.path, "--output", exported.path])
                XCTAssertEqual(outcome.status, 0, outcome.stderr)
                outcome = try runPython([script.path, exported.path, examples.path, "--compare", predicted.path])
                XCTAssertEqual(outcome.status, 0, "\(testCase.label) \(format): \(outcome.stdout) \(outcome.stderr)")
                XCTAssertTrue(outcome.stdout.contains("75 predictions (tolerance 1e-12): agree"), "\(testCase.label) \(format): \(outcome.stdout)")
            }
        }
    }

    /// `sequences` sequences of `length` examples of `family` as a `predict` input file.
    static func examplesCSV(family: FamilySpec, sequences: Int, length: Int, seed: UInt64) -> String {
        var generator = Xoshiro256StarStar(masterSeed: seed, stream: .other)
        let set = SequenceSet(family: family.makeFamily(), count: sequences, length: length, using: &generator)
        var text = (["sequence"] + (1...set.inputDimension).map { "x\($0)" } + ["y"]).joined(separator: ",") + "\n"
        for k in 0..<sequences {
            for j in 0..<length {
                text += (["f\(k)"] + set.input(sequence: k, example: j).map(\.description)
                         + [set.target(sequence: k, example: j).description]).joined(separator: ",") + "\n"
            }
        }
        return text
    }
}

/// Readers of the two formats written from their specifications, sharing no code with the
/// package's writers: the safetensors layout (8-byte little-endian header length, JSON header,
/// data buffer), the zip file format (end record, central directory, local headers, CRC-32
/// computed bit by bit) and NumPy's `.npy` format 1.0.
enum IndependentReader {
    struct Malformed: Error, CustomStringConvertible { var description: String }

    struct Tensor { var name: String; var shape: [Int]; var values: [Double] }

    struct File {
        /// The tensors in the order of their data in the file.
        var tensors: [Tensor]
        var metadata: [String: String]
        /// safetensors: the header's top-level keys as they appear; npz: the members' names.
        var headerKeys: [String]
    }

    static func unsigned(_ bytes: [UInt8], at offset: Int, size: Int) throws -> UInt64 {
        guard offset >= 0, offset + size <= bytes.count else { throw Malformed(description: "read past the end at \(offset)") }
        var value: UInt64 = 0
        for i in (0..<size).reversed() { value = value << 8 | UInt64(bytes[offset + i]) }
        return value
    }

    static func integer(_ bytes: [UInt8], at offset: Int, size: Int) throws -> Int {
        let value = try unsigned(bytes, at: offset, size: size)
        guard value <= UInt64(Int.max) else { throw Malformed(description: "size field \(value) out of range") }
        return Int(value)
    }

    static func doubles(_ bytes: ArraySlice<UInt8>) throws -> [Double] {
        guard bytes.count % 8 == 0 else { throw Malformed(description: "\(bytes.count) bytes are not whole Float64 values") }
        let array = Array(bytes)
        return try stride(from: 0, to: array.count, by: 8).map { Double(bitPattern: try unsigned(array, at: $0, size: 8)) }
    }

    static func bitwiseCRC32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    // safetensors

    static func safetensors(_ bytes: [UInt8]) throws -> File {
        let headerLength = try integer(bytes, at: 0, size: 8)
        guard (8 + headerLength) % 8 == 0 else { throw Malformed(description: "data not 8-byte aligned") }
        guard 8 + headerLength <= bytes.count else { throw Malformed(description: "header longer than the file") }
        let header = Array(bytes[8..<8 + headerLength])
        guard header.first == UInt8(ascii: "{") else { throw Malformed(description: "header does not start with {") }
        var json = header
        while json.last == UInt8(ascii: " ") { json.removeLast() }
        guard json.last == UInt8(ascii: "}"), header.count - json.count < 8 else { throw Malformed(description: "bad header padding") }
        guard let object = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
            throw Malformed(description: "header is not an object")
        }
        let data = bytes[(8 + headerLength)...]
        var metadata: [String: String] = [:]
        var entries: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (key, value) in object {
            if key == "__metadata__" {
                guard let map = value as? [String: String] else { throw Malformed(description: "metadata is not a map of strings") }
                metadata = map
                continue
            }
            guard let entry = value as? [String: Any], entry["dtype"] as? String == "F64",
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw Malformed(description: "bad entry \(key)")
            }
            guard offsets[1] - offsets[0] == 8 * shape.reduce(1, *) else { throw Malformed(description: "\(key): size does not fit its shape") }
            entries.append((key, shape, offsets[0], offsets[1]))
        }
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var next = 0
        var tensors: [Tensor] = []
        for entry in entries {
            guard entry.begin == next else { throw Malformed(description: "\(entry.name): data not contiguous") }
            let start = data.startIndex + entry.begin
            tensors.append(Tensor(name: entry.name, shape: entry.shape, values: try doubles(bytes[start..<start + entry.end - entry.begin])))
            next = entry.end
        }
        guard next == data.count else { throw Malformed(description: "\(data.count - next) bytes after the last tensor") }
        return File(tensors: tensors, metadata: metadata, headerKeys: topLevelKeys(ofJSON: json))
    }

    /// The keys of a JSON object's top level, in the order written.
    static func topLevelKeys(ofJSON json: [UInt8]) -> [String] {
        var keys: [String] = [], depth = 0, inString = false, escaped = false, current: [UInt8] = [], expectingKey = false
        for byte in json {
            if inString {
                if escaped { escaped = false; if depth == 1 && expectingKey { current.append(byte) }; continue }
                if byte == UInt8(ascii: "\\") { escaped = true; continue }
                if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 1 && expectingKey { keys.append(String(decoding: current, as: UTF8.self)); expectingKey = false }
                    continue
                }
                if depth == 1 && expectingKey { current.append(byte) }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true; current = []
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; expectingKey = depth == 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ","): expectingKey = depth == 1
            default: break
            }
        }
        return keys
    }

    // npz: a zip of .npy files

    static func npz(_ bytes: [UInt8]) throws -> File {
        let end = bytes.count - 22
        guard try integer(bytes, at: end, size: 4) == 0x0605_4B50 else { throw Malformed(description: "no end of central directory record") }
        let entryCount = try integer(bytes, at: end + 10, size: 2)
        let directorySize = try integer(bytes, at: end + 12, size: 4)
        var position = try integer(bytes, at: end + 16, size: 4)
        guard position + directorySize == end else { throw Malformed(description: "central directory does not end at the end record") }
        var tensors: [Tensor] = [], metadata: [String: String] = [:], names: [String] = []
        var expectedLocalOffset = 0
        for _ in 0..<entryCount {
            guard try integer(bytes, at: position, size: 4) == 0x0201_4B50 else { throw Malformed(description: "bad central header") }
            let method = try integer(bytes, at: position + 10, size: 2)
            let crc = try integer(bytes, at: position + 16, size: 4)
            let compressed = try integer(bytes, at: position + 20, size: 4)
            let size = try integer(bytes, at: position + 24, size: 4)
            let nameLength = try integer(bytes, at: position + 28, size: 2)
            let extra = try integer(bytes, at: position + 30, size: 2), comment = try integer(bytes, at: position + 32, size: 2)
            let local = try integer(bytes, at: position + 42, size: 4)
            let name = String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self)
            position += 46 + nameLength + extra + comment
            guard method == 0, compressed == size else { throw Malformed(description: "\(name) is not stored uncompressed") }
            guard local == expectedLocalOffset else { throw Malformed(description: "\(name): members not in order") }
            guard try integer(bytes, at: local, size: 4) == 0x0403_4B50,
                  try integer(bytes, at: local + 8, size: 2) == 0,
                  try integer(bytes, at: local + 14, size: 4) == crc,
                  try integer(bytes, at: local + 22, size: 4) == size else { throw Malformed(description: "\(name): local header disagrees") }
            let localNameLength = try integer(bytes, at: local + 26, size: 2), localExtra = try integer(bytes, at: local + 28, size: 2)
            guard String(decoding: bytes[(local + 30)..<(local + 30 + localNameLength)], as: UTF8.self) == name else {
                throw Malformed(description: "\(name): local name differs")
            }
            let start = local + 30 + localNameLength + localExtra
            let content = bytes[start..<start + size]
            guard bitwiseCRC32(content) == UInt32(crc) else { throw Malformed(description: "\(name): CRC-32 mismatch") }
            expectedLocalOffset = start + size
            names.append(name)
            guard name.hasSuffix(".npy") else { throw Malformed(description: "\(name) is not an .npy member") }
            let array = try npy(Array(content))
            let arrayName = String(name.dropLast(4))
            if arrayName == "__metadata__" {
                guard array.descr.hasPrefix("<U"), array.shape.isEmpty, array.payload.count % 4 == 0 else {
                    throw Malformed(description: "metadata is not a 0-d Unicode array")
                }
                let payload = Array(array.payload)
                var scalars = String.UnicodeScalarView()
                for offset in stride(from: 0, to: payload.count, by: 4) {
                    let value = UInt32(try integer(payload, at: offset, size: 4))
                    if value != 0, let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
                }
                guard let map = try JSONSerialization.jsonObject(with: Data(String(scalars).utf8)) as? [String: String] else {
                    throw Malformed(description: "metadata is not a JSON map of strings")
                }
                metadata = map
            } else {
                guard array.descr == "<f8" else { throw Malformed(description: "\(arrayName): dtype \(array.descr)") }
                guard array.payload.count == 8 * array.shape.reduce(1, *) else { throw Malformed(description: "\(arrayName): size") }
                tensors.append(Tensor(name: arrayName, shape: array.shape, values: try doubles(array.payload)))
            }
        }
        guard expectedLocalOffset == end - directorySize else { throw Malformed(description: "bytes between members and directory") }
        return File(tensors: tensors, metadata: metadata, headerKeys: names)
    }

    static func npy(_ bytes: [UInt8]) throws -> (descr: String, shape: [Int], payload: ArraySlice<UInt8>) {
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8), bytes[6] == 1, bytes[7] == 0 else {
            throw Malformed(description: "not an .npy 1.0 file")
        }
        let headerLength = try integer(bytes, at: 8, size: 2)
        guard (10 + headerLength) % 64 == 0, bytes[9 + headerLength] == UInt8(ascii: "\n") else {
            throw Malformed(description: ".npy header not padded to 64 bytes")
        }
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        func value(after key: String, until terminator: Character) throws -> String {
            guard let range = header.range(of: "'\(key)': ") else { throw Malformed(description: "no \(key) in \(header)") }
            let rest = header[range.upperBound...]
            let open = rest.first!
            let body = rest.dropFirst()
            guard let close = body.firstIndex(of: terminator) else { throw Malformed(description: "unterminated \(key)") }
            return open == terminator || open == "(" ? String(body[..<close]) : String(rest[..<close])
        }
        let descr = try value(after: "descr", until: "'")
        guard header.contains("'fortran_order': False") else { throw Malformed(description: "not C order") }
        let shape = try value(after: "shape", until: ")").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map { guard let n = Int($0) else { throw Malformed(description: "bad shape \($0)") }; return n }
        return (descr, shape, bytes[(10 + headerLength)...])
    }
}
