import Foundation

extension RunFolder {
    /// Reads `metrics.csv`, the inverse of ``writeMetrics(_:)``.
    ///
    /// See ``parseMetrics(_:file:)`` for what is accepted. A header without rows (a run that has
    /// not reached its first evaluation) gives an empty history.
    /// - Throws: ``MetricsFileError`` naming the file and, where one is at fault, the line.
    public func readMetrics() throws(MetricsFileError) -> [EvaluationRecord] {
        let file = metricsURL.relativePath
        let data: Data
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: metricsURL.path, isDirectory: &isDirectory) else {
            throw .unreadable(file: file, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadable(file: file, reason: "it is a directory") }
        do { data = try Data(contentsOf: metricsURL) } catch {
            throw .unreadable(file: file, reason: "the file cannot be opened")
        }
        return try Self.parseMetrics(data, file: file)
    }

    /// Parses the text of a `metrics.csv` file.
    ///
    /// The first non-blank line names the columns; the six of
    /// ``MetricsFileError/requiredColumns`` must be among them, in any order (further columns
    /// are ignored, so that files from later versions stay readable). Each further non-blank
    /// line is one evaluation: `epoch` and `phase` are whole numbers ≥ 0, epochs strictly
    /// increase from row to row, and the four error and time columns hold numbers that are
    /// not negative. `nan` and `inf` are accepted there, because a run that diverged can write
    /// them; plots leave such points out.
    /// - Parameters:
    ///   - data: the file's bytes (UTF-8; a byte order mark is skipped).
    ///   - file: the name used in error messages.
    /// - Throws: ``MetricsFileError`` naming the file and line.
    public static func parseMetrics(_ data: Data, file: String) throws(MetricsFileError) -> [EvaluationRecord] {
        let bytes = [UInt8](data)
        // `withUnsafeBufferPointer` rethrows untyped errors, so the typed error is carried out by hand.
        var result: Result<[EvaluationRecord], MetricsFileError> = .success([])
        bytes.withUnsafeBufferPointer { buffer in
            do throws(MetricsFileError) {
                result = .success(try parseMetrics(bytes: buffer, file: file))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    private static func parseMetrics(bytes: UnsafeBufferPointer<UInt8>, file: String) throws(MetricsFileError) -> [EvaluationRecord] {
        var scanner = CSVRecordScanner(bytes: bytes)
        var fields: [CSVField] = []
        func next() throws(MetricsFileError) -> Int? {
            while true {
                let line: Int?
                do {
                    line = try scanner.nextRecord(into: &fields)
                } catch {
                    switch error {
                    case .unterminatedQuote(let line), .textAfterClosingQuote(let line, _):
                        throw .malformedQuoting(file: file, line: line)
                    }
                }
                guard let line else { return nil }
                if !CSVRecordScanner.isBlank(fields) { return line }
            }
        }

        guard let headerLine = try next() else { throw .emptyFile(file: file) }
        let header = fields.map { $0.string(in: bytes).lowercased() }
        let missing = MetricsFileError.requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else { throw .missingColumns(file: file, line: headerLine, missing: missing) }
        let column = Dictionary(uniqueKeysWithValues: MetricsFileError.requiredColumns.map { name in
            (name, header.firstIndex(of: name)!)
        })

        var records: [EvaluationRecord] = []
        while let line = try next() {
            guard fields.count == header.count else {
                throw .wrongColumnCount(file: file, line: line, expected: header.count, found: fields.count)
            }
            func text(_ name: String) -> String { fields[column[name]!].string(in: bytes) }
            func wholeNumber(_ name: String) throws(MetricsFileError) -> Int {
                let value = text(name)
                guard let number = Int(value), number >= 0 else {
                    throw .invalidValue(file: file, line: line, column: name, value: value, expected: "a whole number ≥ 0")
                }
                return number
            }
            func measure(_ name: String) throws(MetricsFileError) -> Double {
                let value = text(name)
                // The package's decimal grammar; `nan` and `inf` are accepted too.
                let number: Double?
                switch DecimalNumber.parse(value) {
                case .value(let parsed): number = parsed
                case .nonFinite: number = Double(value.trimmingCharacters(in: .whitespaces)) ?? .infinity
                case .empty, .notANumber: number = nil
                }
                guard let number, !(number < 0) else {
                    throw .invalidValue(file: file, line: line, column: name, value: value, expected: "a number ≥ 0")
                }
                return number
            }
            let record = EvaluationRecord(
                epoch: try wholeNumber("epoch"), phase: try wholeNumber("phase"),
                onlineTrainingError: try measure("online_training_error"), trainMSEt: try measure("train_mset"),
                testMSEt: try measure("test_mset"), elapsedSeconds: try measure("elapsed_seconds"))
            if let previous = records.last, record.epoch <= previous.epoch {
                throw .epochNotIncreasing(file: file, line: line, epoch: record.epoch, previous: previous.epoch)
            }
            records.append(record)
        }
        return records
    }

    /// Reads the run's configuration from `config.json` (written by ``writeConfiguration(_:)``).
    /// - Throws: `ConfigurationError` if the file is missing or is not a valid configuration.
    public func readConfiguration() throws(ConfigurationError) -> TrainingConfiguration {
        struct File: Decodable { var configuration: TrainingConfiguration }
        let path = configURL.relativePath
        guard let data = FileManager.default.contents(atPath: configURL.path) else {
            throw .invalid("cannot read \(path): no such file")
        }
        let configuration: TrainingConfiguration
        do { configuration = try JSONDecoder().decode(File.self, from: data).configuration } catch {
            throw .invalid("cannot read \(path): not a run configuration written by metalearn")
        }
        do { try configuration.validate() } catch {
            throw .invalid("cannot use \(path): \(error)")
        }
        return configuration
    }
}
