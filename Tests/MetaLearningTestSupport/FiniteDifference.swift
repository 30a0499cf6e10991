/// The central difference (f(x + step) − f(x − step)) / (2·step), the numerical derivative
/// the gradient checks compare against (the project's test plan uses step 1e−6).
///
/// `f` is evaluated at x + step first, then at x − step; callers that move shared state (a
/// network's weight) inside `f` must restore it themselves.
package func centralDifference(at x: Double, step: Double = 1e-6, _ f: (Double) -> Double) -> Double {
    let plus = f(x + step)
    let minus = f(x - step)
    return (plus - minus) / (2 * step)
}

/// The gradient of `loss` at `weights` by central differences: entry i is
/// `centralDifference(at: weights[i], step: step)` of `loss` with only weight i moved.
package func centralDifferenceGradient(at weights: [Double], step: Double = 1e-6,
                                       _ loss: ([Double]) -> Double) -> [Double] {
    var w = weights
    return (0..<weights.count).map { i in
        let gradient = centralDifference(at: weights[i], step: step) { value in
            w[i] = value
            return loss(w)
        }
        w[i] = weights[i]
        return gradient
    }
}
