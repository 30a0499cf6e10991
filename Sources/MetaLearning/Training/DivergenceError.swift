/// Training stopped because the loss became NaN or infinite.
public struct DivergenceError: Error, CustomStringConvertible, Equatable {
    /// The epoch in which it happened (1-based).
    public var epoch: Int
    public var description: String {
        "training diverged in epoch \(epoch): the error became NaN or infinite (try a smaller learning rate)"
    }
}
