/// The recorded activations of a ``ForgetGateLSTMNetwork`` over T steps of `width` sequences
/// run in lockstep, and the backward pass of docs/method.md §4.9 over them.
///
/// Storage is one contiguous block per quantity, slot m = t·width + b (step t, lane b), so a
/// step of all lanes is contiguous and the gradient GEMM at the end streams through memory:
/// z = [u; h(t−1); 1] (`rowLength` values), the gate activations [i; f; r; ĝ] (4n), their
/// pre-activation gradients d̂ (4n), c(t), tanh c(t), h(t) (n each), o(t) and δ^k(t) (one each).
/// Nothing is allocated per step; ``reserve(steps:width:keepingContents:)`` grows the blocks
/// geometrically.
final class ForgetGateLSTMTape {
    let cells: Int
    let rowLength: Int
    let gateRows: Int
    private(set) var capacity = 0
    private(set) var laneCapacity = 0
    private(set) var width = 1
    private(set) var sources = UnsafeMutablePointer<Double>.allocate(capacity: 0)
    private(set) var gates = UnsafeMutablePointer<Double>.allocate(capacity: 0)
    private(set) var gateGradients = UnsafeMutablePointer<Double>.allocate(capacity: 0)
    private(set) var cellStates = UnsafeMutablePointer<Double>.allocate(capacity: 0)
    private(set) var tanhCellStates = UnsafeMutablePointer<Double>.allocate(capacity: 0)
    private(set) var hiddenStates = UnsafeMutablePointer<Double>.allocate(capacity: 0)
    private(set) var outputs = UnsafeMutablePointer<Double>.allocate(capacity: 0)
    private(set) var deltas = UnsafeMutablePointer<Double>.allocate(capacity: 0)
    /// Per lane: the error reaching h(t) from step t + 1, and dc(t + 1) ⊙ f(t + 1).
    private(set) var recurrentHiddenError = UnsafeMutablePointer<Double>.allocate(capacity: 0)
    private(set) var cellErrorCarry = UnsafeMutablePointer<Double>.allocate(capacity: 0)
    /// n zeros: c(0) and h(0).
    let zeros: UnsafeMutablePointer<Double>

    init(cells: Int, rowLength: Int) {
        self.cells = cells
        self.rowLength = rowLength
        gateRows = 4 * cells
        zeros = allocateZeroed(cells)
    }

    deinit {
        for pointer in [sources, gates, gateGradients, cellStates, tanhCellStates, hiddenStates, outputs, deltas,
                        recurrentHiddenError, cellErrorCarry, zeros] {
            pointer.deallocate()
        }
    }

    /// Makes room for `steps`·`width` slots. With `keepingContents` (same width only) the slots
    /// recorded so far survive a reallocation.
    func reserve(steps: Int, width: Int, keepingContents: Bool = false) {
        precondition(!keepingContents || width == self.width, "a tape keeps its contents only at the same width")
        self.width = width
        if width > laneCapacity {
            recurrentHiddenError.deallocate()
            cellErrorCarry.deallocate()
            recurrentHiddenError = allocateZeroed(width * cells)
            cellErrorCarry = allocateZeroed(width * cells)
            laneCapacity = width
        }
        let slots = steps * width
        guard slots > capacity else { return }
        let newCapacity = max(slots, 2 * capacity)
        func grow(_ pointer: inout UnsafeMutablePointer<Double>, _ perSlot: Int) {
            let fresh = allocateZeroed(newCapacity * perSlot)
            if keepingContents { fresh.update(from: pointer, count: capacity * perSlot) }
            pointer.deallocate()
            pointer = fresh
        }
        grow(&sources, rowLength)
        grow(&gates, gateRows)
        grow(&gateGradients, gateRows)
        grow(&cellStates, cells)
        grow(&tanhCellStates, cells)
        grow(&hiddenStates, cells)
        grow(&outputs, 1)
        grow(&deltas, 1)
        capacity = newCapacity
    }

    /// Full BPTT over the recorded slots (docs/method.md §4.9), with δ^k(t) read from ``deltas``.
    ///
    /// Adds Σ_t d̂x(t) z(t)ᵀ (gate weights and biases) to `gateGradient`, stored transposed as
    /// `rowLength` × 4n, and Σ_t δ^k(t) [h(t); 1] to `outputGradient` (n + 1 values).
    /// - Parameters:
    ///   - transposedWeights: the gate weights transposed, `rowLength` × 4n.
    ///   - outputWeights: w_y.
    ///   - initialCell: c before the first slot, `width` × n values, lane after lane (nil: zero).
    func backward(steps: Int, width: Int, transposedWeights: UnsafePointer<Double>, outputWeights: UnsafePointer<Double>,
                  initialCell: UnsafePointer<Double>?, gateGradient: UnsafeMutablePointer<Double>,
                  outputGradient: UnsafeMutablePointer<Double>) {
        let n = cells, g = gateRows
        // The rows of Wᵀ that belong to h(t−1) in z(t).
        let recurrentRows = transposedWeights + (rowLength - n - 1) * g
        for b in 0..<width {
            let dhNext = recurrentHiddenError + b * n, carry = cellErrorCarry + b * n
            dhNext.update(repeating: 0, count: n)
            carry.update(repeating: 0, count: n)
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let m = t * width + b
                let delta = deltas[m]
                let a = gates + m * g, dA = gateGradients + m * g, tanhC = tanhCellStates + m * n
                let previousCell = t > 0 ? UnsafePointer(cellStates + (m - width) * n) : (initialCell.map { $0 + b * n } ?? UnsafePointer(zeros))
                for q in 0..<n {
                    let dh = outputWeights[q] * delta + dhNext[q]
                    let i = a[q], f = a[n + q], r = a[2 * n + q], gHat = a[3 * n + q], th = tanhC[q]
                    let dc = dh * r * (1 - th * th) + carry[q]
                    dA[q] = dc * gHat * i * (1 - i)
                    dA[n + q] = dc * previousCell[q] * f * (1 - f)
                    dA[2 * n + q] = dh * th * r * (1 - r)
                    dA[3 * n + q] = dc * i * (1 - gHat * gHat)
                    carry[q] = dc * f
                }
                if t > 0 { matrixVector(recurrentRows, rows: n, stride: g, dA, g, into: dhNext) }
            }
        }
        let slots = steps * width
        for m in 0..<slots {
            let delta = deltas[m]
            addScaled(delta, hiddenStates + m * n, to: outputGradient, n)
            outputGradient[n] += delta
        }
        accumulateOuterProducts(sources, rowLength, gateGradients, g, slots, into: gateGradient)
    }
}

/// The gate nonlinearities and the cell update of one step (docs/method.md §4.9), in place on `gates`:
/// pre-activations [a_i; a_f; a_r; a_g] become [i; f; r; ĝ], then c = f ⊙ c(t−1) + i ⊙ ĝ,
/// tanh c and h = r ⊙ tanh c are written. tanh is computed as 2σ(2x) − 1 with the package's
/// bit-reproducible σ, so the SIMD and scalar paths agree exactly.
@inline(__always)
func activateGates(_ gates: UnsafeMutablePointer<Double>, previousCell: UnsafePointer<Double>,
                   cell: UnsafeMutablePointer<Double>, tanhCell: UnsafeMutablePointer<Double>,
                   hidden: UnsafeMutablePointer<Double>, cells n: Int) {
    let candidate = gates + 3 * n
    for q in 0..<n { candidate[q] *= 2 }
    applySigmoid(gates, into: gates, 4 * n)
    for q in 0..<n {
        let gHat = 2 * candidate[q] - 1
        candidate[q] = gHat
        let c = gates[n + q] * previousCell[q] + gates[q] * gHat
        cell[q] = c
        tanhCell[q] = 2 * c
    }
    applySigmoid(tanhCell, into: tanhCell, n)
    for q in 0..<n {
        let th = 2 * tanhCell[q] - 1
        tanhCell[q] = th
        hidden[q] = gates[2 * n + q] * th
    }
}

/// out = zᵀ·M for a `count`-vector z and a `count` × `columns` row-major matrix M
/// (`columns` a multiple of 4): eight columns at a time held in registers over the k loop.
@inline(__always)
func vectorTimesMatrix(_ z: UnsafePointer<Double>, _ count: Int, _ matrix: UnsafePointer<Double>, _ columns: Int,
                       into out: UnsafeMutablePointer<Double>) {
    var c = 0
    while c + 8 <= columns {
        var a0 = SIMD4<Double>.zero, a1 = SIMD4<Double>.zero
        var row = matrix + c
        for k in 0..<count {
            let zk = SIMD4<Double>(repeating: z[k])
            a0 += zk * load4(row)
            a1 += zk * load4(row + 4)
            row += columns
        }
        store4(a0, out + c)
        store4(a1, out + c + 4)
        c += 8
    }
    if c + 4 <= columns {
        var a0 = SIMD4<Double>.zero
        var row = matrix + c
        for k in 0..<count {
            a0 += SIMD4<Double>(repeating: z[k]) * load4(row)
            row += columns
        }
        store4(a0, out + c)
    }
}

/// G ← G + Σ_m z_m ⊗ d_m over `count` slots: z_m = `z` + m·`zLength` (`zLength` values),
/// d_m = `d` + m·`columns` (`columns` values, a multiple of 4), G row-major `zLength` × `columns`.
/// Blocks of 2 rows × 8 columns stay in registers while the slots stream past, in chunks of 64
/// slots so that they are read from L1.
@inline(__always)
func accumulateOuterProducts(_ z: UnsafePointer<Double>, _ zLength: Int, _ d: UnsafePointer<Double>, _ columns: Int,
                             _ count: Int, into gradient: UnsafeMutablePointer<Double>) {
    let chunk = 64
    var start = 0
    while start < count {
        let end = min(start + chunk, count)
        var k = 0
        while k < zLength {
            let pair = k + 1 < zLength
            let g0 = gradient + k * columns, g1 = gradient + (k + 1) * columns
            var c = 0
            while c + 8 <= columns {
                var a00 = load4(g0 + c), a01 = load4(g0 + c + 4)
                var a10 = pair ? load4(g1 + c) : .zero, a11 = pair ? load4(g1 + c + 4) : .zero
                for m in start..<end {
                    let dm = d + m * columns + c
                    let d0 = load4(dm), d1 = load4(dm + 4)
                    let z0 = SIMD4<Double>(repeating: z[m * zLength + k])
                    a00 += z0 * d0
                    a01 += z0 * d1
                    if pair {
                        let z1 = SIMD4<Double>(repeating: z[m * zLength + k + 1])
                        a10 += z1 * d0
                        a11 += z1 * d1
                    }
                }
                store4(a00, g0 + c)
                store4(a01, g0 + c + 4)
                if pair {
                    store4(a10, g1 + c)
                    store4(a11, g1 + c + 4)
                }
                c += 8
            }
            if c + 4 <= columns {
                var a0 = load4(g0 + c), a1 = pair ? load4(g1 + c) : .zero
                for m in start..<end {
                    let d0 = load4(d + m * columns + c)
                    a0 += SIMD4<Double>(repeating: z[m * zLength + k]) * d0
                    if pair { a1 += SIMD4<Double>(repeating: z[m * zLength + k + 1]) * d0 }
                }
                store4(a0, g0 + c)
                if pair { store4(a1, g1 + c) }
            }
            k += 2
        }
        start = end
    }
}
