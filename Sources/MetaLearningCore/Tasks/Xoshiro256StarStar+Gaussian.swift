import Foundation

extension Xoshiro256StarStar {
    /// A standard normal deviate N(0, 1) by the Box–Muller transform.
    ///
    /// Consumes exactly two draws, in this order: u1 = 1 − ``nextUnitInterval()`` ∈ (0, 1]
    /// (never 0, so the logarithm is finite) and u2 = ``nextUnitInterval()`` ∈ [0, 1); returns
    /// √(−2 ln u1) · cos(2π u2). The second deviate of the pair (the sine) is discarded on purpose:
    /// caching it would add state that ``stateWords`` and checkpoints do not carry, so every call
    /// depends only on the four state words and the draw order is the same on every path.
    /// The largest magnitude it can return is √(−2 ln 2⁻⁵³) ≈ 8.57.
    @inlinable
    public mutating func nextGaussian() -> Double {
        let u1 = 1 - nextUnitInterval()
        let u2 = nextUnitInterval()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
