extension OnlinePredictor {
/// Runs the predictor over every sequence of `set` and returns its squared errors
/// E_k(j) = (y_k(j) − o_k(j))² (docs/method.md §3.1), sequence-major: entry k·J + j (0-based) belongs
/// to sequence k, example j + 1.
///
/// The predictor is reset before every sequence (docs/method.md §1.1) and at example j receives x(j)
/// and the previous target y(j−1), with y(0) = `initialPreviousTarget` (docs/method.md §1.1: 0.5 by
/// default).
public mutating func squaredErrors(on set: SequenceSet, initialPreviousTarget: Double) -> [Double] {
    let d = set.inputDimension
    var errors = [Double](repeating: 0, count: set.count * set.length)
    let stream = ExampleStream(dimension: d, initialPreviousTarget: initialPreviousTarget, policy: .everySequence)
    errors.withUnsafeMutableBufferPointer { out in
        stream.forEachExample(inputs: set.inputs, targets: set.targets, sequences: (0..<set.count).lazy.map { set.rows(ofSequence: $0) },
                              reset: { reset() }) { u, row in
            let e = set.targets[row] - predict(input: UnsafeBufferPointer(start: u, count: d).span, previousTarget: u[d])
            out[row] = e * e
        }
    }
    return errors
}
}
