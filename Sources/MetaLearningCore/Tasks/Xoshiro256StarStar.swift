/// The xoshiro256** pseudo-random generator (Blackman & Vigna), seeded through SplitMix64.
///
/// docs/method.md §1.3: every source of randomness in a run is one of these, derived from the run's
/// master seed and a stream index (``RandomStream``), so that the same seed gives
/// bit-identical results on the same platform. The generator is a value type: copying it
/// copies its state, and its four state words are what a checkpoint stores.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable {
    /// The four 64-bit state words (see ``stateWords``).
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the generator by running SplitMix64 from `seed` for four words.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// Restores a generator from four saved state words (as written by a checkpoint).
    /// - Precondition: not all four words are zero (the all-zero state is a fixed point).
    public init(state words: [UInt64]) throws {
        guard words.count == 4, words.contains(where: { $0 != 0 }) else {
            throw CheckpointError.invalidField("random generator state must be four words, not all zero")
        }
        state = (words[0], words[1], words[2], words[3])
    }

    /// The state as an array of four words, for saving.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    /// docs/method.md §1.3: the generator of stream `stream` for master seed `masterSeed`, seeded from
    /// `masterSeed + 0x9E3779B97F4A7C15 · (streamIndex + 1)` (mod 2⁶⁴).
    public init(masterSeed: UInt64, stream: RandomStream) {
        self.init(seed: masterSeed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(stream.rawValue + 1))
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// A uniform double in [0, 1): `(next() >> 11) · 2⁻⁵³` (docs/method.md §1.3).
    @inlinable
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in [lower, upper).
    @inlinable
    public mutating func nextUniform(in lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextUnitInterval()
    }

    /// A uniform integer in 0..<n by rejection: draws r ≥ 2⁶⁴ − (2⁶⁴ mod n) are discarded and
    /// r mod n is returned (docs/method.md §1.3), so there is no modulo bias.
    @inlinable
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0, "nextInt(below:) needs a positive bound")
        let bound = UInt64(n)
        // 2⁶⁴ mod n computed without overflow as (0 − n) mod n.
        let remainder = (0 &- bound) % bound
        let limit = 0 &- remainder  // 2⁶⁴ − remainder; 0 means 'accept everything' (remainder 0)
        while true {
            let r = next()
            if remainder == 0 || r < limit { return Int(r % bound) }
        }
    }

    /// Shuffles `array` in place (Fisher–Yates with ``nextInt(below:)``).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.stateWords == rhs.stateWords }
}

@inlinable
func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

/// The independent random streams of one run (docs/method.md §1.3). The raw value is the stream index.
public enum RandomStream: Int, Sendable, CaseIterable {
    /// Weight initialisation.
    case weights = 0
    /// The training set.
    case trainingData = 1
    /// The test set.
    case testData = 2
    /// Epoch shuffling.
    case shuffling = 3
    /// Anything else (e.g. evaluation streams of `metalearn eval`).
    case other = 4
}
