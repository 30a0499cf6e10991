/// The sizes of one LSTM-1997 hidden layer (docs/method.md §4.2): conventional hidden units and memory
/// blocks of `cellsPerBlock` cells, each block with one input gate and one output gate.
public struct LSTMLayerShape: Codable, Equatable, Sendable, CustomStringConvertible {
    /// Conventional sigmoid hidden units.
    public var hiddenUnits: Int
    /// Memory blocks.
    public var blocks: Int
    /// Cells per block (the paper's "(1)").
    public var cellsPerBlock: Int

    /// Creates a shape.
    public init(hiddenUnits: Int, blocks: Int, cellsPerBlock: Int) {
        self.hiddenUnits = hiddenUnits
        self.blocks = blocks
        self.cellsPerBlock = cellsPerBlock
    }

    /// Number of cells.
    public var cells: Int { blocks * cellsPerBlock }
    /// Number of units in the layer: hidden units, cells, input gates, output gates.
    public var units: Int { hiddenUnits + cells + 2 * blocks }
    /// The paper's notation, e.g. `6/6(1)`.
    public var description: String { "\(hiddenUnits)/\(blocks)(\(cellsPerBlock))" }
}

/// One LSTM-1997 hidden layer with its truncated learning rule (docs/method.md §4.2–4.4).
///
/// Units are in the canonical order of docs/method.md §4.2: hidden units, cells, input gates, output
/// gates. Every unit receives the same source vector z of `sourceCount` entries (its last
/// entry is the constant 1 of the biases); the weights are a units × sourceCount row-major
/// matrix owned by the network. The layer owns its activations, cell states and the traces
/// Tc, Tin (2·cells·sourceCount numbers), allocated once.
///
/// The learning rule receives `d`, the error arriving at each unit's output from the layer
/// above within the same step (for the single-layer net, w^k·δ^k for hidden units and cells and
/// zero for gates), and adds α times the truncated gradient to the layer's weight rows.
@usableFromInline
package final class LSTM1997Layer {
    /// The layer's sizes.
    @usableFromInline package let shape: LSTMLayerShape
    /// Length M of the source vector z.
    @usableFromInline package let sourceCount: Int
    /// Whether the units above read gate activations directly, so that gates receive an
    /// error `d` of their own (the two-layer net of docs/method.md §4.4); false skips those terms.
    @usableFromInline package let gatesReceiveError: Bool

    @usableFromInline let hidden: Int, cells: Int, blocks: Int, cellsPerBlock: Int, units: Int
    /// The layer's buffers.
    @usableFromInline let arena = ScratchArena()
    @usableFromInline let cellStart: Int, inputGateStart: Int, outputGateStart: Int

    /// a(t): the activations of all units after the last forward step (zero after reset).
    @usableFromInline package let activation: UnsafeMutablePointer<Double>
    /// s_c(t): the cell states.
    @usableFromInline package let cellState: UnsafeMutablePointer<Double>
    @usableFromInline let cellOutputSquash: UnsafeMutablePointer<Double>  // h(s_c)
    @usableFromInline let cellOutputSlope: UnsafeMutablePointer<Double>   // h'(s_c)
    @usableFromInline let squashedInput: UnsafeMutablePointer<Double>     // σ(net) of every unit
    @usableFromInline let squashedState: UnsafeMutablePointer<Double>     // σ(s_c)
    @usableFromInline let rowScale: UnsafeMutablePointer<Double>          // α·δ per unit (update coefficients)
    @usableFromInline let cellScale: UnsafeMutablePointer<Double>         // α·ε_c per cell (update coefficients)
    @usableFromInline let pendingSource: UnsafeMutablePointer<Double>     // z of the step whose update is pending
    /// The weights that owe the update recorded by ``recordUpdate(outputError:source:scale:into:)``,
    /// or nil when nothing is pending.
    @usableFromInline var pendingTarget: UnsafeMutablePointer<Double>?
    /// Tc_{c,m} ≈ ∂s_c/∂W^c_{c,m} (cells × M).
    @usableFromInline package let cellTrace: UnsafeMutablePointer<Double>
    /// Tin_{c,m} ≈ ∂s_c/∂W^in_{j,m} (cells × M).
    @usableFromInline package let inputGateTrace: UnsafeMutablePointer<Double>

    /// Creates a layer for a source vector of `sourceCount` entries, all state zero.
    @usableFromInline package init(shape: LSTMLayerShape, sourceCount: Int, gatesReceiveError: Bool) {
        self.shape = shape
        self.sourceCount = sourceCount
        self.gatesReceiveError = gatesReceiveError
        hidden = shape.hiddenUnits
        cells = shape.cells
        blocks = shape.blocks
        cellsPerBlock = shape.cellsPerBlock
        units = shape.units
        cellStart = hidden
        inputGateStart = hidden + cells
        outputGateStart = hidden + cells + blocks
        activation = arena.zeroed(units)
        cellState = arena.zeroed(cells)
        cellOutputSquash = arena.zeroed(cells)
        cellOutputSlope = arena.zeroed(cells)
        squashedInput = arena.zeroed(units)
        squashedState = arena.zeroed(cells)
        rowScale = arena.zeroed(units)
        cellScale = arena.zeroed(cells)
        pendingSource = arena.zeroed(sourceCount)
        cellTrace = arena.zeroed(cells * sourceCount)
        inputGateTrace = arena.zeroed(cells * sourceCount)
    }


    /// Number of weights: units × sourceCount.
    @usableFromInline package var weightCount: Int { units * sourceCount }

    /// Index of the input-gate bias of block `j` within the layer's weights (last source).
    @usableFromInline package func inputGateBiasIndex(block j: Int) -> Int { (inputGateStart + j) * sourceCount + sourceCount - 1 }

    /// Zeroes activations, cell states and traces (docs/method.md §1.1 reset), after applying any pending update.
    @usableFromInline package func reset() {
        flushPendingUpdate()
        activation.update(repeating: 0, count: units)
        cellState.update(repeating: 0, count: cells)
        cellOutputSquash.update(repeating: 0, count: cells)
        cellOutputSlope.update(repeating: 0, count: cells)
        cellTrace.update(repeating: 0, count: cells * sourceCount)
        inputGateTrace.update(repeating: 0, count: cells * sourceCount)
    }

    /// docs/method.md §4.2 forward step (and §3.4 trace update when `learning`). `z` must not alias
    /// ``activation``: it holds a(t−1) while a(t) is written.
    ///
    /// All net inputs are computed first, four rows per sweep over z, and squashed together, so
    /// the sigmoids run eight at a time (docs/performance.md). An update pending from
    /// ``recordUpdate(outputError:source:scale:into:)`` is applied first — fused with this sweep
    /// when `weights` are the weights that owe it.
    @inlinable
    package func forward(source z: UnsafePointer<Double>, weights: UnsafePointer<Double>, learning: Bool) {
        let m = sourceCount
        let a = activation
        // σ(W·z) for every unit; cells use it for g = 4σ − 2.
        if let target = pendingTarget, UnsafePointer(target) == weights {
            // The previous step's online update is applied while the rows are read for this one.
            fusedUpdateAndNetInputs(weights: target, source: z)
        } else {
            flushPendingUpdate()
            matrixVector(weights, rows: units, stride: m, z, m, into: squashedInput)
        }
        applySigmoid(squashedInput, into: squashedInput, units)
        for i in 0..<hidden { a[i] = squashedInput[i] }
        for r in inputGateStart..<units { a[r] = squashedInput[r] }
        // CEC: s_c += y^in·g(net^c).
        for c in 0..<cells {
            let inGate = a[inputGateStart + c / cellsPerBlock]
            cellState[c] += inGate * (4 * squashedInput[cellStart + c] - 2)
        }
        applySigmoid(cellState, into: squashedState, cells)
        // y^c = y^out·h(s_c), h = 2σ − 1; traces.
        for c in 0..<cells {
            let j = c / cellsPerBlock
            let inGate = a[inputGateStart + j]
            let outGate = a[outputGateStart + j]
            let squashedState = self.squashedState[c]
            let h = 2 * squashedState - 1
            a[cellStart + c] = outGate * h
            if learning {
                let squashed = squashedInput[cellStart + c]
                let g = 4 * squashed - 2
                let gSlope = 4 * squashed * (1 - squashed)
                cellOutputSquash[c] = h
                cellOutputSlope[c] = 2 * squashedState * (1 - squashedState)
                // Tc += y^in·g'(net^c)·z;  Tin += g(net^c)·σ'(net^in)·z.
                addScaledPair(inGate * gSlope, to: cellTrace + c * m, g * inGate * (1 - inGate), to: inputGateTrace + c * m, z, m)
            }
        }
    }

    /// docs/method.md §4.3, §4.4: adds `scale` × the truncated negative gradient of the step's loss to the
    /// layer's weight rows in `buffer`, given the error `d` at each unit's output (`units`
    /// entries) and the step's source vector `z`. Reads no weights.
    @inlinable
    package func accumulateUpdate(outputError d: UnsafePointer<Double>, source z: UnsafePointer<Double>,
                                 scale: Double, into buffer: UnsafeMutablePointer<Double>) {
        flushPendingUpdate()
        computeUpdateCoefficients(outputError: d, scale: scale)
        applyUpdate(source: z, into: buffer)
    }

    /// Like ``accumulateUpdate(outputError:source:scale:into:)``, but only records the update: it
    /// is added to `buffer` by the next ``forward(source:weights:learning:)`` (fused with reading
    /// the rows, when that forward reads `buffer`), ``reset()`` or ``flushPendingUpdate()``.
    /// Needs one cell per block; the caller must flush before anyone else reads `buffer`.
    @inlinable
    package func recordUpdate(outputError d: UnsafePointer<Double>, source z: UnsafePointer<Double>,
                             scale: Double, into buffer: UnsafeMutablePointer<Double>) {
        precondition(cellsPerBlock == 1, "deferred updates need one cell per block")
        flushPendingUpdate()
        computeUpdateCoefficients(outputError: d, scale: scale)
        pendingSource.update(from: z, count: sourceCount)
        pendingTarget = buffer
    }

    /// Applies the update recorded by ``recordUpdate(outputError:source:scale:into:)``, if any.
    @inlinable
    package func flushPendingUpdate() {
        guard let target = pendingTarget else { return }
        pendingTarget = nil
        applyUpdate(source: pendingSource, into: target)
    }

    /// α·δ of every row that is updated along z (hidden units, output gates, and the input
    /// gates' own error of docs/method.md §4.4, zero when gates receive none) and α·ε_c of every cell.
    @inlinable
    func computeUpdateCoefficients(outputError d: UnsafePointer<Double>, scale: Double) {
        let a = activation
        // Conventional hidden units: δ^H = σ'(net)·d.
        for i in 0..<hidden {
            let delta = a[i] * (1 - a[i]) * d[i]
            rowScale[i] = scale * delta
        }
        for j in 0..<blocks {
            let outRow = outputGateStart + j
            let inRow = inputGateStart + j
            let outGate = a[outRow]
            var outSum = gatesReceiveError ? d[outRow] : 0
            for c in (j * cellsPerBlock)..<((j + 1) * cellsPerBlock) {
                let cellError = d[cellStart + c]
                outSum += cellOutputSquash[c] * cellError
                // Internal-state error ε_c = y^out·h'(s_c)·d_c; ΔW^c = α ε Tc; ΔW^in += α ε Tin.
                cellScale[c] = scale * outGate * cellOutputSlope[c] * cellError
            }
            // Output gate: δ^out = σ'(net^out)·(Σ_c h(s_c) d_c + d_out).
            rowScale[outRow] = scale * outGate * (1 - outGate) * outSum
            // Input gate read directly by the layer above: σ'(net^in)·d_in.
            let inGate = a[inRow]
            rowScale[inRow] = gatesReceiveError ? scale * inGate * (1 - inGate) * d[inRow] : 0
        }
    }

    /// Adds the update described by the coefficients to the rows in `buffer` (four hidden-unit or
    /// output-gate rows per sweep over z; each input-gate row in one sweep).
    @inlinable
    func applyUpdate(source z: UnsafePointer<Double>, into buffer: UnsafeMutablePointer<Double>) {
        let m = sourceCount
        addOuter(rowScale, z, to: buffer, rows: hidden, stride: m, m)
        for j in 0..<blocks {
            let inRow = inputGateStart + j
            let firstCell = j * cellsPerBlock
            for c in firstCell..<(firstCell + cellsPerBlock) {
                let epsilon = cellScale[c]
                addScaled(epsilon, cellTrace + c * m, to: buffer + (cellStart + c) * m, m)
                if gatesReceiveError && c == firstCell + cellsPerBlock - 1 {
                    // Last cell of the block and the gate's own error in one sweep over the row.
                    addScaled(epsilon, inputGateTrace + c * m, rowScale[inRow], z, to: buffer + inRow * m, m)
                } else {
                    addScaled(epsilon, inputGateTrace + c * m, to: buffer + inRow * m, m)
                }
            }
        }
        addOuter(rowScale + outputGateStart, z, to: buffer + outputGateStart * m, rows: blocks, stride: m, m)
    }

    /// The pending update fused with this step's net inputs: every row is read once, updated,
    /// stored and multiplied with z (one cell per block). Bit-identical to
    /// ``flushPendingUpdate()`` followed by the plain mat-vec.
    @inlinable
    func fusedUpdateAndNetInputs(weights w: UnsafeMutablePointer<Double>, source z: UnsafePointer<Double>) {
        pendingTarget = nil
        let m = sourceCount
        let zOld = UnsafePointer(pendingSource)
        addOuterAndDot(rowScale, zOld, to: w, rows: hidden, stride: m, m, dotWith: z, into: squashedInput)
        for c in 0..<cells {
            let (cellNet, gateNet) = addTracesAndDot(
                cellRow: w + (cellStart + c) * m, gateRow: w + (inputGateStart + c) * m, epsilon: cellScale[c],
                cellTrace: cellTrace + c * m, gateTrace: inputGateTrace + c * m, direct: gatesReceiveError, beta: rowScale[inputGateStart + c],
                zOld, dotWith: z, m)
            squashedInput[cellStart + c] = cellNet
            squashedInput[inputGateStart + c] = gateNet
        }
        addOuterAndDot(rowScale + outputGateStart, zOld, to: w + outputGateStart * m, rows: blocks, stride: m, m,
                       dotWith: z, into: squashedInput + outputGateStart)
    }
}
