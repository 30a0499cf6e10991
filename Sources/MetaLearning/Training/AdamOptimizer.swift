import Foundation

/// Adam (Kingma & Ba 2015) exactly as docs/method.md §5.4 writes it, with its state, so that a checkpoint
/// can store it and a resumed run continues bit for bit:
///
///     m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²,
///     θ ← θ − lr·m̂/(√v̂ + ε),   m̂ = m/(1 − β1^t),  v̂ = v/(1 − β2^t),
///
/// with t the number of updates so far, this one included.
public struct AdamOptimizer: Codable, Equatable, Sendable {
    /// Decay of the first-moment estimate m (0.9).
    public let beta1: Double
    /// Decay of the second-moment estimate v (0.999).
    public let beta2: Double
    /// Added to √v̂ in the denominator (1e−8).
    public let epsilon: Double
    /// Updates taken so far (t of the bias corrections).
    public private(set) var step: Int
    /// m, one entry per parameter.
    public private(set) var firstMoment: [Double]
    /// v, one entry per parameter.
    public private(set) var secondMoment: [Double]

    /// A fresh optimizer (t = 0, m = v = 0) for `parameterCount` parameters.
    public init(parameterCount: Int, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        precondition(parameterCount >= 0, "AdamOptimizer: the parameter count must not be negative")
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        step = 0
        firstMoment = [Double](repeating: 0, count: parameterCount)
        secondMoment = [Double](repeating: 0, count: parameterCount)
    }

    /// Number of parameters the optimizer was made for.
    public var parameterCount: Int { firstMoment.count }

    /// One Adam step in place: m ← β1 m + (1−β1)g, v ← β2 v + (1−β2)g²,
    /// θ ← θ − lr·m̂/(√v̂ + ε), m̂ = m/(1−β1^t), v̂ = v/(1−β2^t).
    /// - Precondition: `parameters` and `gradient` have ``parameterCount`` entries.
    package mutating func update(_ parameters: UnsafeMutableBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>,
                                learningRate: Double) {
        precondition(parameters.count == parameterCount && gradient.count == parameterCount,
                     "AdamOptimizer: expected \(parameterCount) parameters and gradient entries, got \(parameters.count) and \(gradient.count)")
        step += 1
        let b1 = beta1, b2 = beta2, eps = epsilon
        let firstCorrection = 1 - pow(b1, Double(step))
        let secondCorrection = 1 - pow(b2, Double(step))
        firstMoment.withUnsafeMutableBufferPointer { m in
            secondMoment.withUnsafeMutableBufferPointer { v in
                for i in 0..<m.count {
                    let g = gradient[i]
                    m[i] = b1 * m[i] + (1 - b1) * g
                    v[i] = b2 * v[i] + (1 - b2) * (g * g)
                    let mHat = m[i] / firstCorrection
                    let vHat = v[i] / secondCorrection
                    parameters[i] -= learningRate * mHat / ((vHat).squareRoot() + eps)
                }
            }
        }
    }

    /// One Adam step on an array of parameters; see `update(_:gradient:learningRate:)`.
    public mutating func update(parameters: inout [Double], gradient: [Double], learningRate: Double) {
        parameters.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in update(p, gradient: g, learningRate: learningRate) }
        }
    }

    /// Checks that the state fits `parameterCount` parameters and holds only finite values.
    /// - Throws: `CheckpointError/shapeMismatch(_:)` or `CheckpointError/invalidField(_:)`.
    public func validate(parameterCount expected: Int) throws {
        guard firstMoment.count == expected, secondMoment.count == expected else {
            throw CheckpointError.shapeMismatch(
                "the Adam state has \(firstMoment.count) and \(secondMoment.count) moments for \(expected) weights")
        }
        guard step >= 0, firstMoment.allSatisfy(\.isFinite), secondMoment.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw CheckpointError.invalidField("the Adam state has a negative step count or non-finite moments")
        }
        guard beta1 >= 0, beta1 < 1, beta2 >= 0, beta2 < 1, epsilon > 0, epsilon.isFinite else {
            throw CheckpointError.invalidField("the Adam constants need 0 ≤ β1, β2 < 1 and ε > 0")
        }
    }
}

/// Scales `gradient` in place so its Euclidean norm is at most `maxNorm`; returns the norm before clipping.
///
/// A gradient whose norm is at most `maxNorm` (or is NaN, which the trainer reports as
/// divergence) is left unchanged; otherwise every entry is multiplied by maxNorm/norm.
/// `maxNorm = .infinity` disables clipping.
/// - Precondition: `maxNorm` ≥ 0.
@discardableResult
public func clipGlobalNorm(_ gradient: inout [Double], maxNorm: Double) -> Double {
    gradient.withUnsafeMutableBufferPointer { clipGlobalNorm($0, maxNorm: maxNorm) }
}

/// ``clipGlobalNorm(_:maxNorm:)-(inout [Double], Double)`` on a buffer, for the trainer's own accumulator.
@discardableResult
package func clipGlobalNorm(_ gradient: UnsafeMutableBufferPointer<Double>, maxNorm: Double) -> Double {
    precondition(maxNorm >= 0, "clipGlobalNorm: maxNorm must not be negative")
    var sum = 0.0
    for g in gradient { sum += g * g }
    let norm = sum.squareRoot()
    guard norm > maxNorm, norm.isFinite else { return norm }
    let factor = maxNorm / norm
    for i in gradient.indices { gradient[i] *= factor }
    return norm
}
