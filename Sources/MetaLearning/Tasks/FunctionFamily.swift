/// A family of target functions from which meta-learning sequences are drawn (SPEC §1.2).
///
/// A family samples one function per sequence and then the sequence's inputs; conforming
/// types add new families without any change elsewhere.
public protocol FunctionFamily: Sendable {
    /// A short name used in file names and reports, e.g. `b14`.
    var name: String { get }
    /// Dimension d of the function argument x (2 for every family of the paper).
    var inputDimension: Int { get }
    /// A one-line human-readable description of the family and its sampling choices.
    var summary: String { get }
    /// Draws one function and fills one sequence with its examples.
    /// - Parameters:
    ///   - inputs: J·d slots for the inputs x(1..J).
    ///   - targets: J slots for the targets y(1..J) = f(x(1..J)).
    /// - Returns: an identifier of the drawn function (e.g. the truth table) or −1.
    func fillSequence(inputs: UnsafeMutableBufferPointer<Double>, targets: UnsafeMutableBufferPointer<Double>,
                      using generator: inout Xoshiro256StarStar) -> Int
}
