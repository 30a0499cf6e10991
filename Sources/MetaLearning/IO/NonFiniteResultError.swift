/// A result came out NaN or infinite, so it is not reported: nothing was written or printed.
///
/// Every command checks its figures before it renders or writes any of them (docs/reliability.md),
/// so that a file never holds `nan` or `inf` as a result and a command never half-writes its
/// outputs. The description is one line naming the quantity, for example
/// `the RMSE of persistence is inf, not a finite number (the series holds values as large as 1e+300, …); nothing was written`.
public struct NonFiniteResultError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What was not finite, e.g. `the RMSE of persistence`.
    public var quantity: String
    /// The value: NaN, +∞ or −∞.
    public var value: Double
    /// Why it may have happened, or nil.
    public var hint: String?

    /// Creates the error.
    public init(quantity: String, value: Double, hint: String? = nil) {
        self.quantity = quantity
        self.value = value
        self.hint = hint
    }

    /// One line: the quantity, its value, the hint.
    public var description: String {
        "\(quantity) is \(value), not a finite number" + (hint.map { " (\($0))" } ?? "") + "; nothing was written"
    }

    /// Throws unless `value` is finite.
    /// - Parameters:
    ///   - quantity: what `value` is, evaluated only on failure.
    ///   - hint: why it may have happened, evaluated only on failure.
    public static func check(_ value: Double, _ quantity: @autoclosure () -> String,
                             hint: @autoclosure () -> String? = nil) throws(NonFiniteResultError) {
        guard value.isFinite else { throw NonFiniteResultError(quantity: quantity(), value: value, hint: hint()) }
    }

    /// Throws for the first value of `values` that is not finite.
    /// - Parameters:
    ///   - quantity: what the value at an index is, evaluated only on failure.
    ///   - hint: why it may have happened, evaluated only on failure.
    public static func check(_ values: some Collection<Double>, _ quantity: (Int) -> String,
                             hint: @autoclosure () -> String? = nil) throws(NonFiniteResultError) {
        for (index, value) in values.enumerated() where !value.isFinite {
            throw NonFiniteResultError(quantity: quantity(index), value: value, hint: hint())
        }
    }
}
