/// The sizes of one LSTM-1997 hidden layer (SPEC §3.1): conventional hidden units and memory
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

/// One LSTM-1997 hidden layer with its truncated learning rule (SPEC §3.2–§3.4, §4.3).
///
/// Units are in the canonical order of SPEC §3.1: hidden units, cells, input gates, output
/// gates. Every unit receives the same source vector z of `sourceCount` entries (its last
/// entry is the constant 1 of the biases); the weights are a units × sourceCount row-major
/// matrix owned by the network. The layer owns its activations, cell states and the traces
/// Tc, Tin (2·cells·sourceCount numbers), allocated once.
///
/// The learning rule receives `d`, the error arriving at each unit's output from the layer
/// above within the same step (for the single-layer net, w^k·δ^k for hidden units and cells and
/// zero for gates), and adds α times the truncated gradient to the layer's weight rows.
public final class LSTM1997Layer {
    /// The layer's sizes.
    public let shape: LSTMLayerShape
    /// Length M of the source vector z.
    public let sourceCount: Int
    /// Whether the units above read gate activations directly, so that gates receive an
    /// error `d` of their own (the two-layer net of SPEC §4); false skips those terms.
    public let gatesReceiveError: Bool

    @usableFromInline let hidden: Int, cells: Int, blocks: Int, cellsPerBlock: Int, units: Int
    @usableFromInline let cellStart: Int, inputGateStart: Int, outputGateStart: Int

    /// a(t): the activations of all units after the last forward step (zero after reset).
    public let activation: UnsafeMutablePointer<Double>
    /// s_c(t): the cell states.
    public let cellState: UnsafeMutablePointer<Double>
    @usableFromInline let cellOutputSquash: UnsafeMutablePointer<Double>  // h(s_c)
    @usableFromInline let cellOutputSlope: UnsafeMutablePointer<Double>   // h'(s_c)
    @usableFromInline let squashedInput: UnsafeMutablePointer<Double>     // σ(net) of every unit
    @usableFromInline let squashedState: UnsafeMutablePointer<Double>     // σ(s_c)
    @usableFromInline let rowScale: UnsafeMutablePointer<Double>          // α·δ per unit (update scratch)
    /// Tc_{c,m} ≈ ∂s_c/∂W^c_{c,m} (cells × M).
    public let cellTrace: UnsafeMutablePointer<Double>
    /// Tin_{c,m} ≈ ∂s_c/∂W^in_{j,m} (cells × M).
    public let inputGateTrace: UnsafeMutablePointer<Double>

    /// Creates a layer for a source vector of `sourceCount` entries, all state zero.
    public init(shape: LSTMLayerShape, sourceCount: Int, gatesReceiveError: Bool) {
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
        activation = allocateZeroed(units)
        cellState = allocateZeroed(cells)
        cellOutputSquash = allocateZeroed(cells)
        cellOutputSlope = allocateZeroed(cells)
        squashedInput = allocateZeroed(units)
        squashedState = allocateZeroed(cells)
        rowScale = allocateZeroed(units)
        cellTrace = allocateZeroed(cells * sourceCount)
        inputGateTrace = allocateZeroed(cells * sourceCount)
    }

    deinit {
        for pointer in [activation, cellState, cellOutputSquash, cellOutputSlope, squashedInput, squashedState, rowScale, cellTrace, inputGateTrace] {
            pointer.deallocate()
        }
    }

    /// Number of weights: units × sourceCount.
    public var weightCount: Int { units * sourceCount }

    /// Index of the input-gate bias of block `j` within the layer's weights (last source).
    public func inputGateBiasIndex(block j: Int) -> Int { (inputGateStart + j) * sourceCount + sourceCount - 1 }

    /// Zeroes activations, cell states and traces (SPEC §1.1 reset).
    public func reset() {
        activation.update(repeating: 0, count: units)
        cellState.update(repeating: 0, count: cells)
        cellOutputSquash.update(repeating: 0, count: cells)
        cellOutputSlope.update(repeating: 0, count: cells)
        cellTrace.update(repeating: 0, count: cells * sourceCount)
        inputGateTrace.update(repeating: 0, count: cells * sourceCount)
    }

    /// SPEC §3.2 forward step (and §3.4 trace update when `learning`). `z` must not alias
    /// ``activation``: it holds a(t−1) while a(t) is written.
    ///
    /// All net inputs are computed first, four rows per sweep over z, and squashed together, so
    /// the sigmoids run four at a time (docs/performance.md).
    @inlinable
    public func forward(source z: UnsafePointer<Double>, weights: UnsafePointer<Double>, learning: Bool) {
        let m = sourceCount
        let a = activation
        // σ(W·z) for every unit; cells use it for g = 4σ − 2.
        matrixVector(weights, rows: units, stride: m, z, m, into: squashedInput)
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

    /// SPEC §3.4 / §4.3: adds `scale` × the truncated negative gradient of the step's loss to the
    /// layer's weight rows in `buffer`, given the error `d` at each unit's output (`units`
    /// entries) and the step's source vector `z`. Reads no weights.
    @inlinable
    public func accumulateUpdate(outputError d: UnsafePointer<Double>, source z: UnsafePointer<Double>,
                                 scale: Double, into buffer: UnsafeMutablePointer<Double>) {
        let m = sourceCount
        let a = activation
        let coefficient = rowScale
        // Conventional hidden units: δ^H = σ'(net)·d; rows updated four at a time below.
        for i in 0..<hidden {
            let delta = a[i] * (1 - a[i]) * d[i]
            coefficient[i] = scale * delta
        }
        addOuter(coefficient, z, to: buffer, rows: hidden, stride: m, m)
        for j in 0..<blocks {
            let outRow = outputGateStart + j
            let inRow = inputGateStart + j
            let outGate = a[outRow]
            var outSum = gatesReceiveError ? d[outRow] : 0
            let firstCell = j * cellsPerBlock
            for c in firstCell..<(firstCell + cellsPerBlock) {
                let cellError = d[cellStart + c]
                outSum += cellOutputSquash[c] * cellError
                // Internal-state error ε_c = y^out·h'(s_c)·d_c; ΔW^c = α ε Tc; ΔW^in += α ε Tin.
                let epsilon = scale * outGate * cellOutputSlope[c] * cellError
                addScaled(epsilon, cellTrace + c * m, to: buffer + (cellStart + c) * m, m)
                if c == firstCell + cellsPerBlock - 1 && gatesReceiveError && d[inRow] != 0 {
                    // Last cell of the block and the gate's own error in one sweep over the row.
                    let inGate = a[inRow]
                    addScaled(epsilon, inputGateTrace + c * m, scale * inGate * (1 - inGate) * d[inRow], z,
                              to: buffer + inRow * m, m)
                } else {
                    addScaled(epsilon, inputGateTrace + c * m, to: buffer + inRow * m, m)
                }
            }
            // Output gate: δ^out = σ'(net^out)·(Σ_c h(s_c) d_c + d_out).
            coefficient[outRow] = scale * outGate * (1 - outGate) * outSum
        }
        addOuter(coefficient + outputGateStart, z, to: buffer + outputGateStart * m, rows: blocks, stride: m, m)
    }
}
