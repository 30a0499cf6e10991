import Foundation
import MetaLearning

// The entry functions of the fuzz targets and of their regression replay (docs/reliability.md,
// "Fuzzing"). This file is compiled twice: here, into the test support target, so that
// `FuzzReplayTests` replays the committed corpus and crash files under XCTest; and through the
// symbolic link `Fuzz/Sources/FuzzEntries/FuzzEntries.swift` into the fuzz package, whose three
// libFuzzer targets call `FuzzTarget.fuzz(_:_:)`. It therefore uses public API only.

/// One reader of untrusted files, driven with arbitrary bytes.
///
/// The standard of docs/reliability.md: whatever the bytes, the reader either succeeds or throws
/// its typed error with a one-line description, and never traps.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A `model.json` file: decoded, validated, its network built with its weights, one
    /// prediction step and an evaluation on one fresh example — everything `eval` and
    /// `predict` do with the file before data; an accepted checkpoint must also read back the
    /// same after `Checkpoint.encoded()`.
    case checkpoint
    /// An example CSV file of `predict --input`: parsed for d = 2 (or for the d its header
    /// names), checked against the values of every family of that d (as `predict` does), written
    /// back with `ExampleTable.format(table:)` and parsed again to the same table.
    case csv
    /// A time-series CSV file of `forecast --input`: parsed for the column `value` (or, when
    /// there is none, for the header's last and first columns; accepted if either reads).
    case series

    /// What one input did.
    public enum Outcome: Equatable, Sendable {
        /// The reader accepted the bytes.
        case accepted
        /// The reader rejected the bytes with its typed error; the error's description.
        case rejected(String)
        /// A broken promise: a description on more than one line (or none), or a property of the
        /// reader that failed (such as a table that does not read back the same).
        case violation(String)

        /// Whether the outcome meets the standard (accepted, or rejected with a one-line error).
        public var isAcceptable: Bool {
            if case .violation = self { return false }
            return true
        }
    }

    /// Runs the reader on `data`.
    public func run(_ data: Data) -> Outcome {
        switch self {
        case .checkpoint: return Self.runCheckpoint(data)
        case .csv: return Self.runExampleCSV(data)
        case .series: return Self.runSeries(data)
        }
    }

    /// The body of `LLVMFuzzerTestOneInput`: runs the reader on the `count` bytes at `start`
    /// and traps on a violation, so that libFuzzer records the input as a crash.
    public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
        let data = start.map { Data(bytes: $0, count: count) } ?? Data()
        if case .violation(let reason) = run(data) {
            fatalError("fuzz target \(rawValue): \(reason)")
        }
        return 0
    }

    /// `.rejected` for a one-line description, `.violation` otherwise.
    ///
    /// One line means: not empty, and no line break (LF, CR, vertical tab, form feed, NEL, the
    /// Unicode line and paragraph separators) nor any other control character but the tab,
    /// so that text from the file can neither break the line nor drive the terminal.
    public static func verdict(_ error: some Error & CustomStringConvertible) -> Outcome {
        let description = error.description
        let breaksTheLine = description.unicodeScalars.contains { scalar in
            guard scalar != "\t" else { return false }
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
        if description.isEmpty || breaksTheLine {
            return .violation("\(type(of: error)) without a one-line description: \(description.debugDescription)")
        }
        return .rejected(description)
    }

    // MARK: - The three readers

    private static func runCheckpoint(_ data: Data) -> Outcome {
        // `LoadedModel(data:source:)` in two steps, to keep the checkpoint for the round trip.
        let checkpoint: Checkpoint
        let model: LoadedModel
        do {
            checkpoint = try Checkpoint.decodeAndValidate(data: data, source: "model.json")
            model = try LoadedModel(checkpoint: checkpoint)
        } catch {
            return verdict(error)
        }
        // What `train --resume` writes back must read back the same.
        do {
            let reread = try Checkpoint.decodeAndValidate(data: try checkpoint.encoded(), source: "rewritten.json")
            guard reread == checkpoint else { return .violation("the rewritten checkpoint reads back differently") }
        } catch {
            return .violation("the rewritten checkpoint does not read back: \(error)")
        }
        // One prediction step, as `predict` makes for its first row.
        let d = model.configuration.architecture.inputDimension
        let table = ExampleTable(sequenceIDs: ["1"], inputs: [Double](repeating: 0, count: d), targets: [0.5],
                                 inputDimension: d)
        guard model.predict(table).count == 1 else { return .violation("predict did not give one prediction for one row") }
        // `eval`'s path (family, fresh test set, Bayes floor) on one sequence of one example.
        do {
            _ = try model.evaluateOnFreshTestSet(seed: 1, sequences: 1, length: 1)
        } catch let error as ConfigurationError {
            return verdict(error)
        } catch let error as CheckpointError {
            return verdict(error)
        } catch {
            return .violation("evaluation threw an untyped \(type(of: error)): \(error)")
        }
        return .accepted
    }

    private static func runExampleCSV(_ data: Data) -> Outcome {
        var dimension = 2
        for attempt in 0..<2 {
            let table: ExampleTable
            do {
                table = try ExampleTable.parse(data: data, expectedInputDimension: dimension, source: "examples.csv")
            } catch {
                // A well-formed header for another d: read the rows for that d.
                if attempt == 0, case .inputDimensionMismatch(_, _, let found, _) = error, (0...64).contains(found) {
                    dimension = found
                    continue
                }
                return verdict(error)
            }
            // The table must read back from what `format(table:)` writes.
            let text = ExampleTable.format(table: table)
            let reread: ExampleTable
            do {
                reread = try ExampleTable.parse(text, expectedInputDimension: dimension, source: "round-trip.csv")
            } catch {
                return .violation("the formatted table does not parse: \(error)")
            }
            guard reread.sequenceIDs == table.sequenceIDs, reread.inputs == table.inputs,
                  reread.targets == table.targets, reread.sequenceRanges == table.sequenceRanges else {
                return .violation("the formatted table reads back differently")
            }
            // `predict`'s check of the values against a family's (inputs and targets it produces).
            for family in FamilySpec.allFamilies.map({ $0.makeFamily() }) where family.inputDimension == dimension {
                if let outside = table.valuesOutside(family.dataDomain, family: family.name) {
                    if case .violation(let reason) = verdict(outside) { return .violation(reason) }
                    guard outside.count >= 1, outside.line >= 1 else { return .violation("an empty out-of-range report") }
                }
            }
            let predictions = ExampleTable.formatPredictions(table: table, predictions: [Double](repeating: 0.5, count: table.rowCount))
            guard predictions.hasPrefix(ExampleTable.canonicalHeader(inputDimension: dimension).joined(separator: ",")) else {
                return .violation("the predictions lack the header")
            }
            return .accepted
        }
        return .violation("unreachable")
    }

    private static func runSeries(_ data: Data) -> Outcome {
        func read(_ column: String) -> (outcome: Outcome, available: [String]?) {
            let series: TimeSeries
            do {
                series = try TimeSeries.parse(data: data, column: column, source: "series.csv")
            } catch {
                if case .noSuchColumn(_, _, _, let available) = error { return (verdict(error), available) }
                return (verdict(error), nil)
            }
            guard series.observedCount >= TimeSeries.minimumObservedCount,
                  series.values.allSatisfy({ $0?.isFinite ?? true }),
                  series.bridged.count == series.count else {
                return (.violation("an accepted series breaks its promises"), nil)
            }
            return (.accepted, nil)
        }
        let first = read("value")
        guard let available = first.available, !available.isEmpty else { return first.outcome }
        // Every column the error offers must be selectable: read the last and the first; the
        // bytes are accepted if either reads as a series.
        var outcome = first.outcome
        for column in [available[available.count - 1], available[0]] {
            let next = read(column)
            if next.available != nil {
                return .violation("the column '\(column)' that the header names is not found")
            }
            if !next.outcome.isAcceptable { return next.outcome }
            if outcome != .accepted { outcome = next.outcome }
        }
        return outcome
    }
}
