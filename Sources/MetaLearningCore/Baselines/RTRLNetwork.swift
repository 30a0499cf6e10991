/// The fully recurrent network of Table 1 trained by real-time recurrent learning
/// (docs/method.md §4.8): n sigmoid hidden units (10 in the paper, 151 weights).
///
/// Sensitivities P_{i,(r,m)}(t) = ∂h_i(t)/∂W_{r,m} (n × n·M numbers, zero after reset):
///
///     P_{i,(r,m)}(t) = σ'(n_i(t))·[ Σ_l W_hh[i,l] P_{l,(r,m)}(t−1) + [i = r] z_m(t) ]
///     ΔW_{r,m} += α δ^k(t) Σ_i w^k_i P_{i,(r,m)}(t),   Δw^k += α δ^k(t)[h(t); 1]
///
/// With frozen weights (batch mode, the step contributions summed over a sequence) this is the
/// exact gradient of Σ_t ½e(t)², equal to full BPTT. Online, the weights change after every
/// step and P is carried over unchanged (continual RTRL, Williams & Zipser).
///
/// Layout: row i of P is contiguous and its column (r, m) sits at r·M + m — the index of W_{r,m}
/// in the weight buffer — so the gradient Σ_i w^k_i P_i is one contiguous sweep into the buffer.
/// The O(n⁴) sensitivity update (2·n·n·n·M FLOP, ≈ 28 k of ≈ 33 k per step for n = 10)
/// is a product of the n × n matrix diag(σ')·W_hh with the n × n·M matrix P(t−1). It runs
/// two rows of P(t) at a time over SIMD8 column chunks held in registers across the sum over
/// l, so each chunk of P(t−1) loaded feeds two rows and each output chunk is stored once.
/// Measured for n = 10 (release, baseline x86-64, best of 300 runs): 1.66 µs per update
/// (16.9 GFLOP/s) against 2.44 µs for the plain row-by-row axpy loop; 4 rows × SIMD4
/// gave 1.99 µs, 1 row × SIMD8 2.07 µs, 3 rows × SIMD8 (register spills) 2.71 µs.
public final class RTRLNetwork: SigmoidRecurrentNetwork, RecurrentNetwork {
    /// The sizes of an RTRL network (the shared baseline layout), as an architecture of its own.
    public struct Configuration: RecurrentBaselineArchitecture {
        /// `rtrl`.
        public static let architectureName = "rtrl"
        /// 10 hidden units (Table 1).
        public static var paperSizes: RecurrentBaselineConfiguration { .paperRTRL }
        /// d and n.
        public var sizes: RecurrentBaselineConfiguration
        /// Wraps the sizes.
        public init(_ sizes: RecurrentBaselineConfiguration) { self.sizes = sizes }
        /// The sizes' checks, and the sensitivities P (n·n·M values) within ``NetworkLimits/maximumWeights``.
        public func validate() throws {
            try sizes.validate()
            _ = try NetworkLimits.checkedWeightCount([(sizes.hiddenUnits * sizes.hiddenUnits, sizes.sourceCount)])
        }
        /// Builds an ``RTRLNetwork``.
        public func makeNetwork() throws -> any RecurrentNetwork { try RTRLNetwork(configuration: sizes) }
    }

    /// The network's sizes.
    public let configuration: RecurrentBaselineConfiguration
    /// n·M: the length of one row of P.
    @usableFromInline let sensitivityRowLength: Int
    /// P(t) (n × n·M, row-major).
    @usableFromInline var sensitivity: UnsafeMutablePointer<Double>
    /// P(t−1) while P(t) is computed; swapped with ``sensitivity`` each step.
    @usableFromInline var previousSensitivity: UnsafeMutablePointer<Double>
    /// C = diag(σ'(n(t)))·W_hh (n × n), scratch.
    @usableFromInline let coefficients: UnsafeMutablePointer<Double>
    /// Per-row scale of the gradient sweep, α δ^k w^k_i (n), scratch.
    @usableFromInline let rowScale: UnsafeMutablePointer<Double>
    /// Whether P(t−1) is zero (after reset or a step without learning), so the product is skipped.
    @usableFromInline var sensitivityIsZero = true

    /// Creates a network with all weights zero; call ``SigmoidRecurrentNetwork/initializeWeights(using:)`` or load weights.
    /// - Throws: ``ConfigurationError/invalid(_:)`` for unusable sizes.
    public init(configuration: RecurrentBaselineConfiguration) throws {
        try Configuration(configuration).validate()
        self.configuration = configuration
        let arena = ScratchArena()
        let n = configuration.hiddenUnits
        sensitivityRowLength = n * configuration.sourceCount
        sensitivity = arena.zeroed(n * sensitivityRowLength)
        previousSensitivity = arena.zeroed(n * sensitivityRowLength)
        coefficients = arena.zeroed(n * n)
        rowScale = arena.zeroed(n)
        super.init(sizes: configuration, arena: arena)
    }


    /// `.rtrl(configuration)`.
    public var architecture: Architecture { .rtrl(configuration) }

    /// docs/method.md §1.1: h ← 0, P ← 0.
    public func reset() {
        core.reset()
        sensitivity.update(repeating: 0, count: core.hiddenCount * sensitivityRowLength)
        sensitivityIsZero = true
    }

    /// docs/method.md §4.5 forward step; with `learning`, also the §4.8 sensitivity update P(t−1) → P(t)
    /// with the current weights. Without, P is cut to zero (a later learning step's gradient
    /// then ignores the dependence of h(t−1) on the weights).
    @inlinable
    public func _forward(_ input: UnsafePointer<Double>, learning: Bool) -> Double {
        let output = core.forward(input, weights: weights)
        guard learning else {
            sensitivityIsZero = true
            return output
        }
        let n = core.hiddenCount, m = core.sourceCount, rowLength = sensitivityRowLength
        let h = core.hidden
        swap(&sensitivity, &previousSensitivity)
        let next = sensitivity
        if sensitivityIsZero {
            next.update(repeating: 0, count: n * rowLength)
        } else {
            let w = UnsafePointer(weights)
            for i in 0..<n {
                let slope = h[i] * (1 - h[i])
                let row = w + i * m + inputCount
                for l in 0..<n { coefficients[i * n + l] = slope * row[l] }
            }
            multiplySensitivities(into: next)
        }
        // The direct term: P_{i,(i,m)} += σ'(n_i)·z_m.
        for i in 0..<n {
            addScaled(h[i] * (1 - h[i]), core.source, to: next + i * rowLength + i * m, m)
        }
        sensitivityIsZero = false
        return output
    }

    /// next = C·P(t−1): two rows of `next` per sweep over the columns in SIMD8 chunks (see
    /// the type's documentation for why), then an odd last row on its own.
    @inlinable
    func multiplySensitivities(into next: UnsafeMutablePointer<Double>) {
        let n = core.hiddenCount, rowLength = sensitivityRowLength
        let previous = UnsafePointer(previousSensitivity)
        let c = UnsafePointer(coefficients)
        let vectorEnd = rowLength & ~7
        var i = 0
        while i + 2 <= n {
            let c0 = c + i * n, c1 = c0 + n
            let out0 = next + i * rowLength, out1 = out0 + rowLength
            var j = 0
            while j < vectorEnd {
                var a0 = SIMD8<Double>(), a1 = SIMD8<Double>()
                var column = previous + j
                for l in 0..<n {
                    let p = UnsafeRawPointer(column).loadUnaligned(as: SIMD8<Double>.self)
                    // Plain a·b + c: `addingProduct` calls libm per lane on baseline x86-64 (STYLE).
                    a0 = a0 + p * c0[l]
                    a1 = a1 + p * c1[l]
                    column += rowLength
                }
                UnsafeMutableRawPointer(out0 + j).storeBytes(of: a0, as: SIMD8<Double>.self)
                UnsafeMutableRawPointer(out1 + j).storeBytes(of: a1, as: SIMD8<Double>.self)
                j += 8
            }
            while j < rowLength {
                var s0 = 0.0, s1 = 0.0
                for l in 0..<n {
                    let p = previous[l * rowLength + j]
                    s0 += c0[l] * p
                    s1 += c1[l] * p
                }
                out0[j] = s0
                out1[j] = s1
                j += 1
            }
            i += 2
        }
        if i < n {
            combine(rows: previous, coefficients: c + i * n, into: next + i * rowLength, accumulate: false)
        }
    }

    /// out[j] (+)= Σ_l c[l]·source[l][j] over the n rows of a P-shaped matrix, in SIMD8 chunks.
    @inlinable
    func combine(rows source: UnsafePointer<Double>, coefficients c: UnsafePointer<Double>,
                 into out: UnsafeMutablePointer<Double>, accumulate: Bool) {
        let n = core.hiddenCount, rowLength = sensitivityRowLength
        let vectorEnd = rowLength & ~7
        var j = 0
        while j < vectorEnd {
            var a = accumulate ? UnsafeRawPointer(out + j).loadUnaligned(as: SIMD8<Double>.self) : SIMD8<Double>()
            var column = source + j
            for l in 0..<n {
                a = a + UnsafeRawPointer(column).loadUnaligned(as: SIMD8<Double>.self) * c[l]
                column += rowLength
            }
            UnsafeMutableRawPointer(out + j).storeBytes(of: a, as: SIMD8<Double>.self)
            j += 8
        }
        while j < rowLength {
            var s = accumulate ? out[j] : 0
            for l in 0..<n { s += c[l] * source[l * rowLength + j] }
            out[j] = s
            j += 1
        }
    }

    /// docs/method.md §4.8: adds `scale`·(δ^k(t) Σ_i w^k_i P_{i,·}(t), δ^k(t)[h(t); 1]) to `buffer`.
    @inlinable
    public func _accumulateUpdate(target: Double, scale: Double, into buffer: UnsafeMutablePointer<Double>) {
        let n = core.hiddenCount
        let w = UnsafePointer(weights)
        let deltaOut = core.outputDelta(target: target)
        // Coefficients from the current w^k before anything is written: `buffer` may be the weights.
        for i in 0..<n { rowScale[i] = scale * deltaOut * w[core.outputOffset + i] }
        if !sensitivityIsZero {
            // The hidden rows of the buffer are laid out like the columns of P.
            combine(rows: sensitivity, coefficients: rowScale, into: buffer, accumulate: true)
        }
        addScaled(scale * deltaOut, core.hidden, to: buffer + core.outputOffset, n + 1)
    }
}

extension Architecture {
    /// An RTRL network of these sizes (Table 1: ``RecurrentBaselineConfiguration/paperRTRL``).
    public static func rtrl(_ sizes: RecurrentBaselineConfiguration) -> Architecture {
        Architecture(RTRLNetwork.Configuration(sizes))
    }
}
