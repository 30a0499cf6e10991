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
package func exponential(_ x: Double) -> Double {
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
package func exponential(_ x: SIMD4<Double>) -> SIMD4<Double> {
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
package func sigmoid(_ x: Double) -> Double { 1 / (1 + exponential(-x)) }

/// Lane-wise σ; bit-identical to the scalar ``sigmoid(_:)-(Double)``.
@inlinable @inline(__always)
package func sigmoid(_ x: SIMD4<Double>) -> SIMD4<Double> { 1 / (1 + exponential(-x)) }

/// Lane-wise ``exponential(_:)-(Double)`` on eight lanes; bit-identical to the scalar version.
///
/// Eight lanes rather than four so that the Horner chain (26 dependent operations) runs as four
/// independent SSE2 chains (two AVX chains) side by side: the SIMD4 form is latency-bound
/// (docs/performance-notes-lstm.md).
@inlinable @inline(__always)
package func exponential(_ x: SIMD8<Double>) -> SIMD8<Double> {
    @inline(__always) func clamp(_ v: Double) -> Double { min(max(v, -708), 709) }
    let clamped = SIMD8(clamp(x[0]), clamp(x[1]), clamp(x[2]), clamp(x[3]),
                        clamp(x[4]), clamp(x[5]), clamp(x[6]), clamp(x[7]))
    let t = clamped * ExpConstants.log2e + ExpConstants.roundingShift
    let n = t - ExpConstants.roundingShift
    let r = (clamped - n * ExpConstants.ln2High) - n * ExpConstants.ln2Low
    var p = SIMD8<Double>(repeating: 1.0 / 6227020800.0)
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
    let shift = SIMD8<UInt64>(repeating: ExpConstants.roundingShift.bitPattern)
    let exponentBits = (unsafeBitCast(t, to: SIMD8<UInt64>.self) &- shift &+ 1023) &<< 52
    return p * unsafeBitCast(exponentBits, to: SIMD8<Double>.self)
}

/// Lane-wise σ on eight lanes; bit-identical to the scalar ``sigmoid(_:)-(Double)``.
@inlinable @inline(__always)
package func sigmoid(_ x: SIMD8<Double>) -> SIMD8<Double> { 1 / (1 + exponential(-x)) }

/// out[i] = σ(x[i]) for i < count, eight at a time, the rest as one partly filled SIMD4 step
/// (lanes are independent, so every value is bit-identical to the scalar σ); `out` may equal `x`.
@inlinable @inline(__always)
package func applySigmoid(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, _ count: Int) {
    var i = 0
    while i + 8 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Double>.self)
        UnsafeMutableRawPointer(out + i).storeBytes(of: sigmoid(v), as: SIMD8<Double>.self)
        i += 8
    }
    if i + 4 <= count {
        store4(sigmoid(load4(x + i)), out + i)
        i += 4
    }
    let rest = count - i
    if rest > 0 {
        var v = SIMD4<Double>.zero
        for k in 0..<rest { v[k] = x[i + k] }
        let y = sigmoid(v)
        for k in 0..<rest { out[i + k] = y[k] }
    }
}

/// Dot product of two length-`count` vectors, summed in four interleaved lanes
/// (lane k takes indices ≡ k mod 4), then lanes (0+1)+(2+3), then the tail in order.
@inlinable @inline(__always)
package func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
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
package func addScaled(_ alpha: Double, _ x: UnsafePointer<Double>, to y: UnsafeMutablePointer<Double>, _ count: Int) {
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

/// Loads four doubles from `p` (no alignment required).
@inlinable @inline(__always)
package func load4(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
}

/// Stores four doubles at `p` (no alignment required).
@inlinable @inline(__always)
package func store4(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
}

/// The dot products of four consecutive rows (`stride` apart) of `w` with `z`, lane k holding
/// row k; each lane is summed in exactly the order of ``dot(_:_:_:)``, so the results are
/// bit-identical to four calls of it. One load of z serves four rows.
@inlinable @inline(__always)
package func dot4(_ w: UnsafePointer<Double>, stride: Int, _ z: UnsafePointer<Double>, _ count: Int) -> SIMD4<Double> {
    let w0 = w, w1 = w + stride, w2 = w + 2 * stride, w3 = w + 3 * stride
    var l0 = SIMD4<Double>.zero, l1 = SIMD4<Double>.zero, l2 = SIMD4<Double>.zero, l3 = SIMD4<Double>.zero
    var i = 0
    while i + 4 <= count {
        let zv = load4(z + i)
        l0 += load4(w0 + i) * zv
        l1 += load4(w1 + i) * zv
        l2 += load4(w2 + i) * zv
        l3 += load4(w3 + i) * zv
        i += 4
    }
    var sum = SIMD4((l0[0] + l0[1]) + (l0[2] + l0[3]), (l1[0] + l1[1]) + (l1[2] + l1[3]),
                    (l2[0] + l2[1]) + (l2[2] + l2[3]), (l3[0] + l3[1]) + (l3[2] + l3[3]))
    while i < count {
        sum += SIMD4(w0[i], w1[i], w2[i], w3[i]) * z[i]
        i += 1
    }
    return sum
}

/// out[r] = dot(w + r·stride, z, count) for r < rows, four rows at a time.
@inlinable @inline(__always)
package func matrixVector(_ w: UnsafePointer<Double>, rows: Int, stride: Int, _ z: UnsafePointer<Double>, _ count: Int,
                  into out: UnsafeMutablePointer<Double>) {
    var r = 0
    while r + 4 <= rows {
        store4(dot4(w + r * stride, stride: stride, z, count), out + r)
        r += 4
    }
    while r < rows {
        out[r] = dot(w + r * stride, z, count)
        r += 1
    }
}

/// y1 ← y1 + α·x and y2 ← y2 + β·x in one sweep over x (bit-identical to two ``addScaled``).
@inlinable @inline(__always)
package func addScaledPair(_ alpha: Double, to y1: UnsafeMutablePointer<Double>, _ beta: Double, to y2: UnsafeMutablePointer<Double>,
                   _ x: UnsafePointer<Double>, _ count: Int) {
    var i = 0
    let a = SIMD4<Double>(repeating: alpha), b = SIMD4<Double>(repeating: beta)
    while i + 4 <= count {
        let xv = load4(x + i)
        store4(load4(y1 + i) + a * xv, y1 + i)
        store4(load4(y2 + i) + b * xv, y2 + i)
        i += 4
    }
    while i < count {
        y1[i] += alpha * x[i]
        y2[i] += beta * x[i]
        i += 1
    }
}

/// y ← (y + α·x1) + β·x2 in one sweep (bit-identical to two ``addScaled`` in that order).
@inlinable @inline(__always)
package func addScaled(_ alpha: Double, _ x1: UnsafePointer<Double>, _ beta: Double, _ x2: UnsafePointer<Double>,
               to y: UnsafeMutablePointer<Double>, _ count: Int) {
    var i = 0
    let a = SIMD4<Double>(repeating: alpha), b = SIMD4<Double>(repeating: beta)
    while i + 4 <= count {
        store4((load4(y + i) + a * load4(x1 + i)) + b * load4(x2 + i), y + i)
        i += 4
    }
    while i < count {
        y[i] = (y[i] + alpha * x1[i]) + beta * x2[i]
        i += 1
    }
}

/// Rank-1 update of `rows` consecutive rows (`stride` apart): row r ← row r + α[r]·x over
/// `count` entries, four rows per sweep so that one load of x serves four rows. Bit-identical
/// to one ``addScaled`` per row.
@inlinable @inline(__always)
package func addOuter(_ alpha: UnsafePointer<Double>, _ x: UnsafePointer<Double>, to y: UnsafeMutablePointer<Double>,
              rows: Int, stride: Int, _ count: Int) {
    var r = 0
    while r + 4 <= rows {
        let y0 = y + r * stride, y1 = y0 + stride, y2 = y1 + stride, y3 = y2 + stride
        let a0 = SIMD4<Double>(repeating: alpha[r]), a1 = SIMD4<Double>(repeating: alpha[r + 1])
        let a2 = SIMD4<Double>(repeating: alpha[r + 2]), a3 = SIMD4<Double>(repeating: alpha[r + 3])
        var i = 0
        while i + 4 <= count {
            let xv = load4(x + i)
            store4(load4(y0 + i) + a0 * xv, y0 + i)
            store4(load4(y1 + i) + a1 * xv, y1 + i)
            store4(load4(y2 + i) + a2 * xv, y2 + i)
            store4(load4(y3 + i) + a3 * xv, y3 + i)
            i += 4
        }
        while i < count {
            y0[i] += alpha[r] * x[i]
            y1[i] += alpha[r + 1] * x[i]
            y2[i] += alpha[r + 2] * x[i]
            y3[i] += alpha[r + 3] * x[i]
            i += 1
        }
        r += 4
    }
    while r < rows {
        addScaled(alpha[r], x, to: y + r * stride, count)
        r += 1
    }
}

/// The backward step through a sigmoid layer fused with its online update in place, for `rows`
/// rows of `w` (`stride` apart):
///
///     d[k]    += δ[r] · w[r, k]            for k < errorCount   (w before the update)
///     w[r, k] += α[r] · x[k]               for k < stride
///
/// rows in increasing order, so each d[k] is summed exactly as by one ``addScaled`` per row and
/// the result is bit-identical to a backward sweep followed by one ``addScaled`` per row. Four
/// rows per sweep: one load of d and x serves four rows, and w is read once instead of twice.
@inlinable @inline(__always)
package func backwardAndUpdate(_ w: UnsafeMutablePointer<Double>, rows: Int, stride: Int, delta: UnsafePointer<Double>,
                       error d: UnsafeMutablePointer<Double>, errorCount: Int,
                       alpha: UnsafePointer<Double>, _ x: UnsafePointer<Double>) {
    var r = 0
    while r + 4 <= rows {
        let p0 = w + r * stride, p1 = p0 + stride, p2 = p1 + stride, p3 = p2 + stride
        let e0 = SIMD4<Double>(repeating: delta[r]), e1 = SIMD4<Double>(repeating: delta[r + 1])
        let e2 = SIMD4<Double>(repeating: delta[r + 2]), e3 = SIMD4<Double>(repeating: delta[r + 3])
        let a0 = SIMD4<Double>(repeating: alpha[r]), a1 = SIMD4<Double>(repeating: alpha[r + 1])
        let a2 = SIMD4<Double>(repeating: alpha[r + 2]), a3 = SIMD4<Double>(repeating: alpha[r + 3])
        var k = 0
        while k + 4 <= errorCount {
            let xv = load4(x + k)
            let w0 = load4(p0 + k), w1 = load4(p1 + k), w2 = load4(p2 + k), w3 = load4(p3 + k)
            var dv = load4(d + k)
            dv = dv + e0 * w0
            dv = dv + e1 * w1
            dv = dv + e2 * w2
            dv = dv + e3 * w3
            store4(dv, d + k)
            store4(w0 + a0 * xv, p0 + k)
            store4(w1 + a1 * xv, p1 + k)
            store4(w2 + a2 * xv, p2 + k)
            store4(w3 + a3 * xv, p3 + k)
            k += 4
        }
        while k < stride {
            for q in 0..<4 {
                let p = w + (r + q) * stride + k
                let old = p.pointee
                if k < errorCount { d[k] += delta[r + q] * old }
                p.pointee = old + alpha[r + q] * x[k]
            }
            k += 1
        }
        r += 4
    }
    while r < rows {
        let p = w + r * stride
        for k in 0..<stride {
            let old = p[k]
            if k < errorCount { d[k] += delta[r] * old }
            p[k] = old + alpha[r] * x[k]
        }
        r += 1
    }
}

/// A deferred rank-1 update fused with the next mat-vec, for `rows` consecutive rows (`stride`
/// apart) of `y`:
///
///     y[r, i] ← y[r, i] + α[r]·x[i];   out[r] = Σ_i y[r, i]·z[i]   (with the updated y)
///
/// bit-identical to ``addOuter(_:_:to:rows:stride:_:)`` followed by ``matrixVector(_:rows:stride:_:_:into:)``
/// (same operations, same summation order) but reading each weight once instead of twice.
@inlinable @inline(__always)
package func addOuterAndDot(_ alpha: UnsafePointer<Double>, _ x: UnsafePointer<Double>, to y: UnsafeMutablePointer<Double>,
                    rows: Int, stride: Int, _ count: Int, dotWith z: UnsafePointer<Double>,
                    into out: UnsafeMutablePointer<Double>) {
    var r = 0
    while r + 4 <= rows {
        let y0 = y + r * stride, y1 = y0 + stride, y2 = y1 + stride, y3 = y2 + stride
        let a0 = SIMD4<Double>(repeating: alpha[r]), a1 = SIMD4<Double>(repeating: alpha[r + 1])
        let a2 = SIMD4<Double>(repeating: alpha[r + 2]), a3 = SIMD4<Double>(repeating: alpha[r + 3])
        var l0 = SIMD4<Double>.zero, l1 = SIMD4<Double>.zero, l2 = SIMD4<Double>.zero, l3 = SIMD4<Double>.zero
        var i = 0
        while i + 4 <= count {
            let xv = load4(x + i), zv = load4(z + i)
            let n0 = load4(y0 + i) + a0 * xv
            let n1 = load4(y1 + i) + a1 * xv
            let n2 = load4(y2 + i) + a2 * xv
            let n3 = load4(y3 + i) + a3 * xv
            store4(n0, y0 + i)
            store4(n1, y1 + i)
            store4(n2, y2 + i)
            store4(n3, y3 + i)
            l0 += n0 * zv
            l1 += n1 * zv
            l2 += n2 * zv
            l3 += n3 * zv
            i += 4
        }
        var sum = SIMD4((l0[0] + l0[1]) + (l0[2] + l0[3]), (l1[0] + l1[1]) + (l1[2] + l1[3]),
                        (l2[0] + l2[1]) + (l2[2] + l2[3]), (l3[0] + l3[1]) + (l3[2] + l3[3]))
        while i < count {
            let n = SIMD4(y0[i], y1[i], y2[i], y3[i]) + SIMD4(alpha[r], alpha[r + 1], alpha[r + 2], alpha[r + 3]) * x[i]
            y0[i] = n[0]
            y1[i] = n[1]
            y2[i] = n[2]
            y3[i] = n[3]
            sum += n * z[i]
            i += 1
        }
        store4(sum, out + r)
        r += 4
    }
    while r < rows {
        addScaled(alpha[r], x, to: y + r * stride, count)
        out[r] = dot(y + r * stride, z, count)
        r += 1
    }
}

/// The deferred update of one LSTM cell row and its input-gate row (one cell per block), fused
/// with the next mat-vec:
///
///     c ← c + ε·Tc;   g ← (g + ε·Tin) + β·x;   returns (c·z, g·z)   (with the updated rows)
///
/// (without the β term when `direct` is false)
///
/// bit-identical to ``addScaled(_:_:to:_:)`` and ``addScaled(_:_:_:_:to:_:)`` followed by two
/// ``dot(_:_:_:)``.
@inlinable @inline(__always)
package func addTracesAndDot(cellRow c: UnsafeMutablePointer<Double>, gateRow g: UnsafeMutablePointer<Double>,
                     epsilon: Double, cellTrace tc: UnsafePointer<Double>, gateTrace tin: UnsafePointer<Double>,
                     direct: Bool, beta: Double, _ x: UnsafePointer<Double>, dotWith z: UnsafePointer<Double>,
                     _ count: Int) -> (Double, Double) {
    let e = SIMD4<Double>(repeating: epsilon), b = SIMD4<Double>(repeating: beta)
    var lc = SIMD4<Double>.zero, lg = SIMD4<Double>.zero
    var i = 0
    if !direct {
        // No direct gate error (single-layer net): g ← g + ε·Tin.
        while i + 4 <= count {
            let zv = load4(z + i)
            let nc = load4(c + i) + e * load4(tc + i)
            let ng = load4(g + i) + e * load4(tin + i)
            store4(nc, c + i)
            store4(ng, g + i)
            lc += nc * zv
            lg += ng * zv
            i += 4
        }
    }
    while i + 4 <= count {
        let zv = load4(z + i)
        let nc = load4(c + i) + e * load4(tc + i)
        let ng = (load4(g + i) + e * load4(tin + i)) + b * load4(x + i)
        store4(nc, c + i)
        store4(ng, g + i)
        lc += nc * zv
        lg += ng * zv
        i += 4
    }
    var sumC = (lc[0] + lc[1]) + (lc[2] + lc[3])
    var sumG = (lg[0] + lg[1]) + (lg[2] + lg[3])
    while i < count {
        let nc = c[i] + epsilon * tc[i]
        let ng = direct ? (g[i] + epsilon * tin[i]) + beta * x[i] : g[i] + epsilon * tin[i]
        c[i] = nc
        g[i] = ng
        sumC += nc * z[i]
        sumG += ng * z[i]
        i += 1
    }
    return (sumC, sumG)
}

/// Allocates `count` doubles initialised to zero.
@inlinable
package func allocateZeroed(_ count: Int) -> UnsafeMutablePointer<Double> {
    let pointer = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
    pointer.initialize(repeating: 0, count: max(count, 1))
    return pointer
}
