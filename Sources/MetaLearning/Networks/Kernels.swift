import Foundation

// Small numerical kernels shared by the networks' hot loops. They work on raw pointers so the
// per-step code allocates nothing; the summation order is fixed, so results are
// bit-reproducible on one platform.

/// The logistic sigmoid σ(x) = 1/(1 + e^(−x)).
@inlinable @inline(__always)
public func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

/// Dot product of two length-`count` vectors, summed in four interleaved lanes
/// (lane k takes indices ≡ k mod 4), then lanes (0+1)+(2+3), then the tail in order.
@inlinable @inline(__always)
func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var i = 0
    while i + 4 <= count {
        s0 += a[i] * b[i]
        s1 += a[i + 1] * b[i + 1]
        s2 += a[i + 2] * b[i + 2]
        s3 += a[i + 3] * b[i + 3]
        i += 4
    }
    var sum = (s0 + s1) + (s2 + s3)
    while i < count {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}

/// y ← y + α·x over `count` entries.
@inlinable @inline(__always)
func addScaled(_ alpha: Double, _ x: UnsafePointer<Double>, to y: UnsafeMutablePointer<Double>, _ count: Int) {
    for i in 0..<count { y[i] += alpha * x[i] }
}

/// Allocates `count` doubles initialised to zero.
@inlinable
func allocateZeroed(_ count: Int) -> UnsafeMutablePointer<Double> {
    let pointer = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
    pointer.initialize(repeating: 0, count: max(count, 1))
    return pointer
}
