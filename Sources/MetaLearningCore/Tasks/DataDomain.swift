/// The values a family's inputs and targets take (docs/method.md §2): what a network meta-trained
/// on the family has seen, and so what data `metalearn predict` can feed it meaningfully.
public struct DataDomain: Sendable, Equatable {
    /// The values of one kind of column.
    public enum Values: Sendable, Equatable {
        /// Exactly 0 or 1 (the Boolean families).
        case binary
        /// Any value in the closed interval.
        case interval(ClosedRange<Double>)
        /// Any finite value (Gaussian inputs).
        case unbounded

        /// Whether `value` is one of these values.
        public func contains(_ value: Double) -> Bool {
            switch self {
            case .binary: return value == 0 || value == 1
            case .interval(let range): return range.contains(value)
            case .unbounded: return value.isFinite
            }
        }

        /// The values as a reader would write them, e.g. `{0, 1}` or `[-1, 1]`.
        public var description: String {
            switch self {
            case .binary: return "{0, 1}"
            case .interval(let range): return "[\(Self.format(range.lowerBound)), \(Self.format(range.upperBound))]"
            case .unbounded: return "any finite value"
            }
        }

        private static func format(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
        }
    }

    /// The values of every input x_i.
    public var inputs: Values
    /// The values of the target y (and of the previous-target input y(j−1)).
    public var targets: Values

    /// Creates a domain.
    public init(inputs: Values, targets: Values) {
        self.inputs = inputs
        self.targets = targets
    }
}
