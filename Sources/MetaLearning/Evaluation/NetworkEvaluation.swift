extension RecurrentNetwork {
    /// Runs the network with frozen weights over every sequence of `set` (reset before each)
    /// and returns its outputs o_k(j), sequence-major. The input at step j is (x(j), y(j−1))
    /// with y(0) = `initialPreviousTarget`. The weights are not changed.
    public func predictions(on set: SequenceSet, initialPreviousTarget: Double) -> [Double] {
        var outputs = [Double](repeating: 0, count: set.count * set.length)
        let stream = ExampleStream(dimension: set.inputDimension, initialPreviousTarget: initialPreviousTarget, policy: .everySequence)
        outputs.withUnsafeMutableBufferPointer { out in
            stream.forEachExample(inputs: set.inputs, targets: set.targets, sequences: (0..<set.count).lazy.map { set.rows(ofSequence: $0) },
                                  reset: { reset() }) { u, row in
                out[row] = _forward(u, learning: false)
            }
        }
        return outputs
    }

    /// The squared errors E_k(j) of the network with frozen weights on `set` (docs/method.md §3.1).
    public func errors(on set: SequenceSet, initialPreviousTarget: Double) -> ErrorMatrix {
        let outputs = predictions(on: set, initialPreviousTarget: initialPreviousTarget)
        let errors = zip(set.targets, outputs).map { ($0 - $1) * ($0 - $1) }
        return ErrorMatrix(sequences: set.count, length: set.length, squaredErrors: errors)
    }
}
