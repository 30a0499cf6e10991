/// LSTM as in Hochreiter & Schmidhuber (1997) with its own truncated, online learning
/// algorithm (docs/method.md §4.2), optionally with the second sigmoid layer of the quadratic experiment
/// (docs/method.md §4.4).
///
/// Single layer (`secondLayerUnits == 0`, e.g. the paper's 6/6(1), 685 weights): every
/// hidden-layer unit reads z(t) = [u(t); a(t−1); 1]; the output reads the hidden units and
/// cells of the same step plus a bias.
///
/// Two layers (e.g. 6/12(1) + 40, 5373 weights): layer 1 reads
/// z1(t) = [u(t); a1(t−1); a2(t−1); 1]; layer 2 (sigmoid) reads [a1(t); 1], gates included;
/// the output reads [a2(t); 1].
///
/// Weights are stored contiguously in the canonical order of docs/method.md §4.2: layer-1 rows (units
/// in the order hidden, cells, input gates, output gates; sources in the order of z), then
/// layer-2 rows, then the output unit.
public final class LSTM1997Network: RecurrentNetwork {
    /// The sizes of an LSTM-1997 network.
    public struct Configuration: NetworkConfiguration {
        /// `lstm1997`.
        public static let architectureName = "lstm1997"
        /// Dimension d of the function argument (2 in the paper); the net has d + 1 inputs.
        public var inputDimension: Int
        /// The LSTM layer.
        public var layer: LSTMLayerShape
        /// Units in the second (sigmoid) layer; 0 for the single-layer net.
        public var secondLayerUnits: Int

        /// Creates a configuration.
        public init(inputDimension: Int = 2, layer: LSTMLayerShape, secondLayerUnits: Int = 0) {
            self.inputDimension = inputDimension
            self.layer = layer
            self.secondLayerUnits = secondLayerUnits
        }

        /// The paper's 6/6(1) net for the Boolean and semi-linear families (685 weights).
        public static let paperSingleLayer = Configuration(layer: LSTMLayerShape(hiddenUnits: 6, blocks: 6, cellsPerBlock: 1))
        /// The paper's two-layer net for the quadratic family: 6/12(1) + 40 (5373 weights).
        public static let paperTwoLayer = Configuration(
            layer: LSTMLayerShape(hiddenUnits: 6, blocks: 12, cellsPerBlock: 1), secondLayerUnits: 40)

        /// Checks the sizes are usable.
        public func validate() throws {
            guard inputDimension >= 1, layer.hiddenUnits >= 0, layer.blocks >= 1, layer.cellsPerBlock >= 1,
                  secondLayerUnits >= 0 else {
                throw ConfigurationError.invalid("LSTM sizes must be positive (d ≥ 1, blocks ≥ 1, cells per block ≥ 1)")
            }
            let limit = NetworkLimits.maximumUnits
            try NetworkLimits.check("the input dimension", inputDimension, in: 1...limit)
            try NetworkLimits.check("the number of hidden units", layer.hiddenUnits, in: 0...limit)
            try NetworkLimits.check("the number of blocks", layer.blocks, in: 1...limit)
            try NetworkLimits.check("the number of cells per block", layer.cellsPerBlock, in: 1...limit)
            try NetworkLimits.check("the number of cells", layer.blocks * layer.cellsPerBlock, in: 1...limit)
            try NetworkLimits.check("the number of second-layer units", secondLayerUnits, in: 0...limit)
            // Layer rows over [u; a1; a2; 1], the cells' two traces, layer 2 and the output.
            let units = layer.units, cells = layer.cells
            let sources = inputDimension + 1 + units + secondLayerUnits + 1
            _ = try NetworkLimits.checkedWeightCount([(units, sources), (2 * cells, sources), (secondLayerUnits, units + 1)],
                                                     plus: units + 1)
        }

        /// Layer-1 rows over [u; a1; a2; 1], then layer 2 over [a1; 1], then the output unit
        /// (685 for 6/6(1), 5373 for 6/12(1)+40).
        public var weightCount: Int {
            let units = layer.units, sources = inputDimension + 1 + units + secondLayerUnits + 1
            let outputSources = secondLayerUnits > 0 ? secondLayerUnits + 1 : layer.hiddenUnits + layer.cells + 1
            return units * sources + secondLayerUnits * (units + 1) + outputSources
        }

        /// docs/method.md §4.2 and §4.4: the layer-1 matrix by unit kind, `lstm.hidden_units`
        /// [H, M], `lstm.cells` [C, M], `lstm.input_gates` [B, M], `lstm.output_gates` [B, M]
        /// (M = d + U + N2 + 2 columns: x1…xd, y(t−1), a1(t−1), a2(t−1), bias); with a second
        /// layer `second_layer.weights` [N2, U + 1] (a1(t), bias); then `output.weights` (H + C
        /// values for y^H, y^c, or N2 for a2) and `output.bias` [1].
        public var tensorLayout: [WeightTensor] {
            let columns = inputDimension + 1 + layer.units + secondLayerUnits + 1
            var layout = [WeightTensor("lstm.hidden_units", shape: [layer.hiddenUnits, columns]),
                          WeightTensor("lstm.cells", shape: [layer.cells, columns]),
                          WeightTensor("lstm.input_gates", shape: [layer.blocks, columns]),
                          WeightTensor("lstm.output_gates", shape: [layer.blocks, columns])]
            if secondLayerUnits > 0 {
                layout.append(WeightTensor("second_layer.weights", shape: [secondLayerUnits, layer.units + 1]))
                layout.append(WeightTensor("output.weights", shape: [secondLayerUnits]))
            } else {
                layout.append(WeightTensor("output.weights", shape: [layer.hiddenUnits + layer.cells]))
            }
            layout.append(WeightTensor("output.bias", shape: [1]))
            return layout
        }

        /// The topology in the paper's notation, e.g. `6/6(1)` or `6/12(1)+40`.
        public var topology: String { secondLayerUnits > 0 ? "\(layer)+\(secondLayerUnits)" : "\(layer)" }
        /// Online SGD with the 1997 rule at α = 0.003.
        public var trainingDefaults: TrainingDefaults { .onlineSGD }
        /// Builds an ``LSTM1997Network``.
        public func makeNetwork() throws -> any RecurrentNetwork { try LSTM1997Network(configuration: self) }
        /// `--hidden`, `--blocks`, `--cells-per-block`, `--second-layer`; defaults: the paper's 6/6(1).
        public static func configuration(inputDimension: Int, sizes: NetworkSizeOptions) throws -> Configuration {
            try sizes.requireOnly([.hidden, .blocks, .cellsPerBlock, .secondLayer], for: architectureName)
            try sizes.require(.hidden, atLeast: 0)
            for option in [NetworkSizeOptions.Option.blocks, .cellsPerBlock] { try sizes.require(option, atLeast: 1) }
            try sizes.require(.secondLayer, atLeast: 0)
            let paper = paperSingleLayer.layer
            let configuration = Configuration(
                inputDimension: inputDimension,
                layer: LSTMLayerShape(hiddenUnits: sizes.hiddenUnits ?? paper.hiddenUnits, blocks: sizes.blocks ?? paper.blocks,
                                      cellsPerBlock: sizes.cellsPerBlock ?? paper.cellsPerBlock),
                secondLayerUnits: sizes.secondLayerUnits ?? 0)
            try configuration.validate()
            return configuration
        }
    }

    /// The network's sizes.
    public let configuration: Configuration
    /// The LSTM layer (layer 1).
    @usableFromInline package let layer: LSTM1997Layer
    public let inputCount: Int
    public let weightCount: Int
    /// The weights in canonical order.
    ///
    /// Online training (``learnOnline(input:target:learningRate:)``) defers the LSTM layer's
    /// part of each step's update to the next forward pass, where it is fused with reading the
    /// rows (docs/performance.md); call ``applyPendingUpdates()`` before reading the storage
    /// after an online step (``weightValues`` does).
    public let weightStorage: WeightStorage
    /// The kernels' view of the weights (no flush).
    @usableFromInline let storage: UnsafeMutableBufferPointer<Double>
    /// Every other buffer of the network.
    @usableFromInline let arena = ScratchArena()

    @usableFromInline let secondUnits: Int
    @usableFromInline let layerUnits: Int
    @usableFromInline let outputSourceCount: Int
    @usableFromInline let secondLayerOffset: Int
    @usableFromInline let outputOffset: Int
    /// z(t), the LSTM layer's source vector.
    @usableFromInline let source: UnsafeMutablePointer<Double>
    /// [a1(t); 1], the second layer's source vector (two-layer net only).
    @usableFromInline let secondSource: UnsafeMutablePointer<Double>
    /// v(t), the output unit's source vector.
    @usableFromInline let outputSource: UnsafeMutablePointer<Double>
    @usableFromInline let secondActivation: UnsafeMutablePointer<Double>
    @usableFromInline let secondDelta: UnsafeMutablePointer<Double>
    /// α·δ2 per second-layer unit (update scratch).
    @usableFromInline let secondScale: UnsafeMutablePointer<Double>
    @usableFromInline let layerError: UnsafeMutablePointer<Double>
    @usableFromInline var output: Double = 0.5

    /// Creates a network with all weights zero; call ``initializeWeights(using:)`` or load weights.
    public init(configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
        let shape = configuration.layer
        inputCount = configuration.inputDimension + 1
        secondUnits = configuration.secondLayerUnits
        layerUnits = shape.units
        let sourceCount = inputCount + layerUnits + secondUnits + 1
        layer = LSTM1997Layer(shape: shape, sourceCount: sourceCount, gatesReceiveError: secondUnits > 0)
        secondLayerOffset = layer.weightCount
        outputOffset = secondLayerOffset + secondUnits * (layerUnits + 1)
        outputSourceCount = secondUnits > 0 ? secondUnits + 1 : shape.hiddenUnits + shape.cells + 1
        weightCount = outputOffset + outputSourceCount
        weightStorage = WeightStorage(count: weightCount)
        storage = weightStorage.buffer
        source = arena.zeroed(sourceCount)
        source[sourceCount - 1] = 1
        secondSource = arena.zeroed(layerUnits + 1)
        secondSource[layerUnits] = 1
        outputSource = arena.zeroed(outputSourceCount)
        outputSource[outputSourceCount - 1] = 1
        secondActivation = arena.zeroed(secondUnits)
        secondDelta = arena.zeroed(secondUnits)
        secondScale = arena.zeroed(secondUnits)
        layerError = arena.zeroed(layerUnits)
    }


    public var architecture: Architecture { .lstm1997(configuration) }

    /// docs/method.md §4.2: U[−0.1, 0.1] for every weight in canonical order; each input-gate bias is
    /// drawn like the others and then set to −1.0.
    public func initializeWeights(using generator: inout Xoshiro256StarStar) {
        layer.flushPendingUpdate()  // a pending update must not land on the fresh weights
        let weights = storage
        for i in 0..<weightCount { weights[i] = generator.nextUniform(in: -0.1, 0.1) }
        for j in 0..<configuration.layer.blocks { weights[layer.inputGateBiasIndex(block: j)] = -1.0 }
    }

    /// Applies the LSTM layer's deferred part of the last online update.
    public func applyPendingUpdates() { layer.flushPendingUpdate() }

    public func reset() {
        layer.reset()
        secondActivation.update(repeating: 0, count: secondUnits)
        output = 0.5
    }

    @inlinable
    public func _forward(_ input: UnsafePointer<Double>, learning: Bool) -> Double {
        // z(t) = [u(t); a1(t−1); a2(t−1); 1]: copy before the layer overwrites a1.
        source.update(from: input, count: inputCount)
        (source + inputCount).update(from: layer.activation, count: layerUnits)
        if secondUnits > 0 {
            (source + inputCount + layerUnits).update(from: secondActivation, count: secondUnits)
        }
        layer.forward(source: source, weights: storage.baseAddress!, learning: learning)
        if secondUnits > 0 {
            secondSource.update(from: layer.activation, count: layerUnits)
            let w2 = storage.baseAddress! + secondLayerOffset
            // All 40 net inputs first (four rows per sweep), then the sigmoids four at a time.
            matrixVector(w2, rows: secondUnits, stride: layerUnits + 1, secondSource, layerUnits + 1, into: secondActivation)
            applySigmoid(secondActivation, into: secondActivation, secondUnits)
            outputSource.update(from: secondActivation, count: secondUnits)
        } else {
            outputSource.update(from: layer.activation, count: outputSourceCount - 1)
        }
        output = sigmoid(dot(storage.baseAddress! + outputOffset, outputSource, outputSourceCount))
        return output
    }

    /// Adds the 1997 rule's update for the last step to `buffer` (batch training).
    @inlinable
    public func _accumulateUpdate(target: Double, scale: Double, into buffer: UnsafeMutablePointer<Double>) {
        update(target: target, scale: scale, into: buffer, online: false)
    }

    /// The forward step, then the 1997 rule's update applied to the weights: the second layer's
    /// backward pass fused with its update in one sweep, and the LSTM layer's part deferred to
    /// the next forward pass (docs/performance.md).
    @inlinable
    public func _learnOnline(_ input: UnsafePointer<Double>, target: Double, learningRate: Double) -> Double {
        let output = _forward(input, learning: true)
        update(target: target, scale: learningRate, into: storage.baseAddress!, online: true)
        return output
    }

    /// The update of docs/method.md §4.2–4 for the last step, into `buffer`; `online` means `buffer` is the
    /// weights and selects the fused paths.
    @inlinable
    func update(target: Double, scale: Double, into buffer: UnsafeMutablePointer<Double>, online: Bool) {
        layer.flushPendingUpdate()  // (only if this is called twice without a forward in between)
        let w = storage.baseAddress!
        // Output unit: δ^k = o(1−o)(y − o).
        let deltaOut = output * (1 - output) * (target - output)
        // Every error signal is computed from the current weights before anything is written.
        let stride = layerUnits + 1
        if secondUnits > 0 {
            for m in 0..<secondUnits {
                let y = secondActivation[m]
                secondDelta[m] = y * (1 - y) * w[outputOffset + m] * deltaOut
                secondScale[m] = scale * secondDelta[m]
            }
            layerError.update(repeating: 0, count: layerUnits)
            if online {
                // Online: d_r = Σ_m W2[m,r]·δ2_m and W2 += α δ2 [a1; 1]ᵀ in one sweep over W2.
                backwardAndUpdate(w + secondLayerOffset, rows: secondUnits, stride: stride, delta: secondDelta,
                                  error: layerError, errorCount: layerUnits, alpha: secondScale, secondSource)
            } else {
                let w2 = w + secondLayerOffset
                for m in 0..<secondUnits {
                    addScaled(secondDelta[m], w2 + m * stride, to: layerError, layerUnits)  // d_r = Σ_m W2[m,r]·δ2_m
                }
                addOuter(secondScale, secondSource, to: buffer + secondLayerOffset, rows: secondUnits, stride: stride, stride)
            }
        } else {
            let readByOutput = outputSourceCount - 1
            for r in 0..<readByOutput { layerError[r] = w[outputOffset + r] * deltaOut }
            (layerError + readByOutput).update(repeating: 0, count: layerUnits - readByOutput)
        }
        if online && layer.cellsPerBlock == 1 {
            // Online: the layer's update is applied by the next forward pass, fused with it.
            layer.recordUpdate(outputError: layerError, source: source, scale: scale, into: buffer)
        } else {
            layer.accumulateUpdate(outputError: layerError, source: source, scale: scale, into: buffer)
        }
        addScaled(scale * deltaOut, outputSource, to: buffer + outputOffset, outputSourceCount)
    }
}

extension Architecture {
    /// An LSTM-1997 network of these sizes (``LSTM1997Network/Configuration/paperSingleLayer``,
    /// ``LSTM1997Network/Configuration/paperTwoLayer``).
    public static func lstm1997(_ configuration: LSTM1997Network.Configuration) -> Architecture {
        Architecture(configuration)
    }
}
