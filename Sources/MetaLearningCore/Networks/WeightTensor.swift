/// One named block of a network's flat weight list: a run of consecutive weights in the
/// canonical order, read as a row-major array of the given shape (docs/method.md §7.8).
///
/// A ``NetworkConfiguration``'s ``NetworkConfiguration/tensorLayout`` cuts the whole list into
/// such blocks, in order and without gaps, so that the blocks' values laid end to end are the
/// weight list again. `metalearn export` writes one tensor per block.
public struct WeightTensor: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The tensor's name, e.g. `lstm.cells`: lower-case ASCII words joined by `.` and `_`,
    /// unique within a layout.
    public var name: String
    /// The tensor's shape, outermost axis first (row-major); `[rows, columns]` for a matrix.
    /// An axis may be 0 (an LSTM-1997 layer without conventional hidden units).
    public var shape: [Int]

    /// Creates a block description.
    public init(_ name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
    }

    /// The number of weights in the block: the product of ``shape``.
    public var count: Int { shape.reduce(1, *) }

    /// `name [a, b]`, e.g. `lstm.cells [6, 28]`.
    public var description: String { "\(name) [\(shape.map(String.init).joined(separator: ", "))]" }
}

extension Collection where Element == WeightTensor {
    /// The number of weights the blocks cover together.
    public var weightCount: Int { reduce(0) { $0 + $1.count } }

    /// The offset of each block's first weight in the flat list, in the blocks' order.
    public var offsets: [Int] {
        var offsets: [Int] = [], next = 0
        for tensor in self {
            offsets.append(next)
            next += tensor.count
        }
        return offsets
    }
}

extension NetworkConfiguration {
    /// The weight list `weights` cut into the blocks of ``tensorLayout``, in order.
    /// - Throws: ``ConfigurationError/invalid(_:)`` if the list's length is not the layout's
    ///   weight count.
    public func tensors(of weights: [Double]) throws -> [(tensor: WeightTensor, values: ArraySlice<Double>)] {
        let layout = tensorLayout
        guard weights.count == layout.weightCount else {
            throw ConfigurationError.invalid(
                "\(Self.architectureName) \(topology): the tensor layout covers \(layout.weightCount) weights, the list has \(weights.count)")
        }
        return zip(layout, layout.offsets).map { tensor, offset in (tensor, weights[offset..<offset + tensor.count]) }
    }
}

// MARK: - The layouts of the shared configurations

extension RecurrentBaselineConfiguration {
    /// docs/method.md §4.5: `hidden.weights` [n, d + n + 2] (columns x1…xd, y(t−1),
    /// h_1(t−1)…h_n(t−1), bias), `output.weights` [n], `output.bias` [1].
    public var tensorLayout: [WeightTensor] {
        [WeightTensor("hidden.weights", shape: [hiddenUnits, sourceCount]),
         WeightTensor("output.weights", shape: [hiddenUnits]),
         WeightTensor("output.bias", shape: [1])]
    }
}

extension RecurrentBaselineArchitecture {
    /// The layout shared by the Table-1 baselines (``RecurrentBaselineConfiguration/tensorLayout``).
    public var tensorLayout: [WeightTensor] { sizes.tensorLayout }
}

extension GatedLayerConfiguration {
    /// One block of n rows per gate, in the order of ``gateTensorNames`` (columns: the d + 1
    /// inputs, the n values of h(t−1), bias), then `output.weights` [n] and `output.bias` [1].
    public var tensorLayout: [WeightTensor] {
        Self.gateTensorNames.map { WeightTensor($0, shape: [cells, inputDimension + cells + 2]) }
            + [WeightTensor("output.weights", shape: [cells]), WeightTensor("output.bias", shape: [1])]
    }
}
