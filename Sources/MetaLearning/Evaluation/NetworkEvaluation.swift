/// Runs `network` with frozen weights over every sequence of `set` (reset before each) and
/// returns its outputs o_k(j), sequence-major. The input at step j is (x(j), y(j−1)) with
/// y(0) = `initialPreviousTarget`. The weights are not changed.
public func predictions(of network: some RecurrentNetwork, on set: SequenceSet, initialPreviousTarget: Double) -> [Double] {
    let d = set.inputDimension
    var outputs = [Double](repeating: 0, count: set.count * set.length)
    var input = [Double](repeating: 0, count: d + 1)
    set.inputs.withUnsafeBufferPointer { x in
        set.targets.withUnsafeBufferPointer { y in
            input.withUnsafeMutableBufferPointer { u in
                for k in 0..<set.count {
                    network.reset()
                    var previous = initialPreviousTarget
                    for j in 0..<set.length {
                        let row = k * set.length + j
                        for i in 0..<d { u[i] = x[row * d + i] }
                        u[d] = previous
                        outputs[row] = network.forward(UnsafePointer(u.baseAddress!), learning: false)
                        previous = y[row]
                    }
                }
            }
        }
    }
    return outputs
}

/// The squared errors E_k(j) of `network` with frozen weights on `set` (SPEC §1.4).
public func evaluate(_ network: some RecurrentNetwork, on set: SequenceSet, initialPreviousTarget: Double) -> ErrorMatrix {
    let outputs = predictions(of: network, on: set, initialPreviousTarget: initialPreviousTarget)
    let errors = zip(set.targets, outputs).map { ($0 - $1) * ($0 - $1) }
    return ErrorMatrix(sequences: set.count, length: set.length, squaredErrors: errors)
}
