/// Data that lie outside the values a model's family produced during meta-training: the model
/// has never seen such inputs, so its predictions there mean nothing (docs/method.md §2).
public struct DataOutsideTheFamilyError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The family the model was meta-trained on, e.g. `b14`.
    public var family: String
    /// The file's line of the first offending value.
    public var line: Int
    /// Its column name, e.g. `x1` or `y`.
    public var column: String
    /// The value.
    public var value: Double
    /// The values that column takes in the family.
    public var expected: DataDomain.Values
    /// How many values of the table lie outside.
    public var count: Int

    /// Where, what and the expected values, in one line.
    public var summary: String {
        "line \(line): \(column) = \(value) is outside the \(family) family's \(column == "y" ? "targets" : "inputs"), "
            + "\(expected.description) (docs/method.md §2.8); \(count) value\(count == 1 ? "" : "s") in all"
    }

    /// ``summary`` and how to go on anyway.
    public var description: String { summary + ". --allow-out-of-range predicts anyway" }
}

extension ExampleTable {
    /// The first value outside `domain` (scanning rows in order, inputs before the target) with
    /// the number of such values, or nil when every value fits.
    public func valuesOutside(_ domain: DataDomain, family: String) -> DataOutsideTheFamilyError? {
        var first: DataOutsideTheFamilyError?
        var count = 0
        for row in 0..<rowCount {
            for (index, value) in input(atRow: row).enumerated() where !domain.inputs.contains(value) {
                count += 1
                if first == nil {
                    first = DataOutsideTheFamilyError(family: family, line: lineNumbers[row], column: header[index + 1],
                                                      value: value, expected: domain.inputs, count: 0)
                }
            }
            if !domain.targets.contains(targets[row]) {
                count += 1
                if first == nil {
                    first = DataOutsideTheFamilyError(family: family, line: lineNumbers[row], column: header[inputDimension + 1],
                                                      value: targets[row], expected: domain.targets, count: 0)
                }
            }
        }
        first?.count = count
        return first
    }
}
