import Foundation

// Small numerical kernels shared by the networks' hot loops. They work on raw pointers so the
// per-step code allocates nothing; the order of every floating-point operation is fixed, so
// results are bit-reproducible on one platform. See docs/performance.md for the measurements
// behind each choice.

/// Constants of ``exponential(_:)``.
@usableFromInline enum ExpConstants {
    @inlinable static var log2e: Double { 1.4426950408889634 }
    /// ln 2 split so that n·ln2High is exact for |n| < 2¹¹ (Cody–Waite reduction).
    @inlinable static var ln2High: Double { 6.93147180369123816490e-01 }
    @inlinable static var ln2Low: Double { 1.90821492927058770002e-10 }
    /// 1.5·2⁵²: adding it rounds a double of magnitude < 2⁵¹ to the nearest integer.
    @inlinable static var roundingShift: Double { 6755399441055744.0 }
}

/// e^x for x in [−708, 709] (inputs outside are clamped to that interval), accurate to about
/// one unit in the last place.
///
/// Written with plain arithmetic — Cody–Waite range reduction x = n·ln2 + r, |r| ≤ ln2/2,
/// a degree-13 Taylor polynomial for e^r (truncation error < 4e−18 relative) and 2ⁿ built in
/// the exponent bits — so that ``exponential(_:)-swift.method`` on SIMD4 vectorises and gives
/// bit-identical results to this scalar version, independent of the platform's libm. It is
/// 3–4× faster per value than glibc's `exp` when vectorised (docs/performance.md).
@inlinable @inline(__always)
public func exponential(_ x: Double) -> Double {
    let clamped = min(max(x, -708), 709)
    let t = clamped * ExpConstants.log2e + ExpConstants.roundingShift
    let n = t - ExpConstants.roundingShift
    let r = (clamped - n * ExpConstants.ln2High) - n * ExpConstants.ln2Low
    var p = 1.0 / 6227020800.0
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    let exponentBits = (t.bitPattern &- ExpConstants.roundingShift.bitPattern &+ 1023) &<< 52
    return p * Double(bitPattern: exponentBits)
}

/// Lane-wise ``exponential(_:)-(Double)``; bit-identical to the scalar version in every lane.
@inlinable @inline(__always)
public func exponential(_ x: SIMD4<Double>) -> SIMD4<Double> {
    // Lane by lane: SIMD's generic pointwiseMin/Max were not inlined (measured).
    let clamped = SIMD4(min(max(x[0], -708), 709), min(max(x[1], -708), 709),
                        min(max(x[2], -708), 709), min(max(x[3], -708), 709))
    let t = clamped * ExpConstants.log2e + ExpConstants.roundingShift
    let n = t - ExpConstants.roundingShift
    let r = (clamped - n * ExpConstants.ln2High) - n * ExpConstants.ln2Low
    var p = SIMD4<Double>(repeating: 1.0 / 6227020800.0)
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    let shift = SIMD4<UInt64>(repeating: ExpConstants.roundingShift.bitPattern)
    let exponentBits = (unsafeBitCast(t, to: SIMD4<UInt64>.self) &- shift &+ 1023) &<< 52
    return p * unsafeBitCast(exponentBits, to: SIMD4<Double>.self)
}

/// The logistic sigmoid σ(x) = 1/(1 + e^(−x)), with ``exponential(_:)-(Double)``.
@inlinable @inline(__always)
public func sigmoid(_ x: Double) -> Double { 1 / (1 + exponential(-x)) }

/// Lane-wise σ; bit-identical to the scalar ``sigmoid(_:)-(Double)``.
@inlinable @inline(__always)
public func sigmoid(_ x: SIMD4<Double>) -> SIMD4<Double> { 1 / (1 + exponential(-x)) }

/// out[i] = σ(x[i]) for i < count, four at a time; `out` may equal `x`.
@inlinable @inline(__always)
func applySigmoid(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, _ count: Int) {
    var i = 0
    while i + 4 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Double>.self)
        UnsafeMutableRawPointer(out + i).storeBytes(of: sigmoid(v), as: SIMD4<Double>.self)
        i += 4
    }
    while i < count {
        out[i] = sigmoid(x[i])
        i += 1
    }
}

/// Dot product of two length-`count` vectors, summed in four interleaved lanes
/// (lane k takes indices ≡ k mod 4), then lanes (0+1)+(2+3), then the tail in order.
@inlinable @inline(__always)
func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
    var lanes = SIMD4<Double>.zero
    var i = 0
    while i + 4 <= count {
        lanes += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD4<Double>.self)
            * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD4<Double>.self)
        i += 4
    }
    var sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
    while i < count {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}

/// y ← y + α·x over `count` entries.
@inlinable @inline(__always)
func addScaled(_ alpha: Double, _ x: UnsafePointer<Double>, to y: UnsafeMutablePointer<Double>, _ count: Int) {
    var i = 0
    let a = SIMD4<Double>(repeating: alpha)
    while i + 4 <= count {
        let yv = UnsafeMutableRawPointer(y + i).loadUnaligned(as: SIMD4<Double>.self)
        let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD4<Double>.self)
        UnsafeMutableRawPointer(y + i).storeBytes(of: yv + a * xv, as: SIMD4<Double>.self)
        i += 4
    }
    while i < count {
        y[i] += alpha * x[i]
        i += 1
    }
}

/// Allocates `count` doubles initialised to zero.
@inlinable
func allocateZeroed(_ count: Int) -> UnsafeMutablePointer<Double> {
    let pointer = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
    pointer.initialize(repeating: 0, count: max(count, 1))
    return pointer
}
