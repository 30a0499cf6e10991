/// Runs an online predictor over every sequence of `set` and returns its squared errors
/// E_k(j) = (y_k(j) − o_k(j))² (SPEC §1.4), sequence-major: entry k·J + j (0-based) belongs
/// to sequence k, example j + 1.
///
/// The predictor is reset before every sequence (SPEC §1.1) and at example j receives x(j)
/// and the previous target y(j−1), with y(0) = `initialPreviousTarget` (SPEC §1.1: 0.5 by
/// default).
public func squaredErrors<P: OnlinePredictor>(of predictor: inout P, on set: SequenceSet,
                                              initialPreviousTarget: Double) -> [Double] {
    let length = set.length
    let d = set.inputDimension
    var errors = [Double](repeating: 0, count: set.count * length)
    set.inputs.withUnsafeBufferPointer { inputs in
        set.targets.withUnsafeBufferPointer { targets in
            errors.withUnsafeMutableBufferPointer { out in
                for k in 0..<set.count {
                    predictor.reset()
                    var previousTarget = initialPreviousTarget
                    for j in 0..<length {
                        let index = k * length + j
                        let x = UnsafeBufferPointer(rebasing: inputs[(index * d)..<((index + 1) * d)])
                        let e = targets[index] - predictor.predict(input: x, previousTarget: previousTarget)
                        out[index] = e * e
                        previousTarget = targets[index]
                    }
                }
            }
        }
    }
    return errors
}
