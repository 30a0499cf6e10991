/// Online k-nearest-neighbour regression, as an online predictor of the meta-learner's stream
/// (docs/method.md §1.1): the prediction for x(j) is the mean target of the k examples of the current
/// sequence whose inputs are nearest to x(j) in Euclidean distance (all of them if fewer than
/// k have been seen), and ½ (the prior mean, docs/method.md §1.1) before any example.
///
/// Ties in distance are broken in favour of the earlier example. Every example is stored
/// (memory O(J·d) per sequence; storage is kept across resets); a prediction scans them all,
/// O(j·(d + k)) at step j, without allocating once the storage has grown. Examples whose input
/// or target is not finite are not stored.
public struct NearestNeighbourPredictor: OnlinePredictor, Sendable {
    /// The default number of neighbours k.
    public static let defaultNeighbourCount = 3

    /// Input dimension d.
    public let inputDimension: Int
    /// The number of neighbours k ≥ 1.
    public let neighbourCount: Int
    /// A short name for tables (e.g. `knn:5`).
    public let name: String

    /// Stored inputs, example-major (d values each).
    @usableFromInline var storedInputs: [Double] = []
    /// Stored targets.
    @usableFromInline var storedTargets: [Double] = []
    /// The previous call's input, stored at the next call together with its target.
    @usableFromInline var pendingInput: [Double]
    /// Whether an example is pending (false right after reset: the placeholder y(0) is ignored).
    @usableFromInline var hasPending = false
    /// Scratch: squared distances and targets of the current k best, nearest first.
    @usableFromInline var bestDistances: [Double]
    /// Scratch: targets matching ``bestDistances``.
    @usableFromInline var bestTargets: [Double]

    /// Creates a k-NN predictor.
    /// - Parameters:
    ///   - inputDimension: d ≥ 1.
    ///   - neighbourCount: k ≥ 1 (default 3).
    ///   - name: the name shown in tables.
    /// - Throws: ``ConfigurationError/invalid(_:)`` for an out-of-range argument.
    public init(inputDimension: Int, neighbourCount: Int = NearestNeighbourPredictor.defaultNeighbourCount,
                name: String = "knn") throws {
        guard inputDimension >= 1 else {
            throw ConfigurationError.invalid("knn: input dimension must be at least 1 (got \(inputDimension))")
        }
        guard neighbourCount >= 1 else {
            throw ConfigurationError.invalid("knn: the number of neighbours k must be at least 1 (got \(neighbourCount))")
        }
        self.inputDimension = inputDimension
        self.neighbourCount = neighbourCount
        self.name = name
        pendingInput = [Double](repeating: 0, count: inputDimension)
        bestDistances = [Double](repeating: 0, count: neighbourCount)
        bestTargets = [Double](repeating: 0, count: neighbourCount)
    }

    /// Forgets every stored example.
    public mutating func reset() {
        storedInputs.removeAll(keepingCapacity: true)
        storedTargets.removeAll(keepingCapacity: true)
        hasPending = false
    }

    /// Stores (x(j−1), y(j−1)) unless this is the first call after reset, then returns the mean
    /// target of the k nearest stored examples to `input` = x(j), or ½ if none is stored.
    public mutating func predict(input: Span<Double>, previousTarget: Double) -> Double {
        let d = inputDimension
        if hasPending && previousTarget.isFinite && pendingInput.allSatisfy(\.isFinite) {
            storedInputs.append(contentsOf: pendingInput)
            storedTargets.append(previousTarget)
        }
        for i in 0..<d { pendingInput[i] = input[i] }
        hasPending = true

        let stored = storedTargets.count
        guard stored > 0 else { return 0.5 }
        let k = Swift.min(neighbourCount, stored)
        var found = 0
        storedInputs.withUnsafeBufferPointer { inputs in
            bestDistances.withUnsafeMutableBufferPointer { distances in
                bestTargets.withUnsafeMutableBufferPointer { targets in
                    for n in 0..<stored {
                        var distance = 0.0
                        for i in 0..<d {
                            let difference = inputs[n * d + i] - input[i]
                            distance += difference * difference
                        }
                        // Insert into the sorted list of the k best; strict < keeps earlier examples first.
                        if found == k && !(distance < distances[k - 1]) { continue }
                        var slot = found == k ? k - 1 : found
                        if found < k { found += 1 }
                        while slot > 0 && distance < distances[slot - 1] {
                            distances[slot] = distances[slot - 1]
                            targets[slot] = targets[slot - 1]
                            slot -= 1
                        }
                        distances[slot] = distance
                        targets[slot] = storedTargets[n]
                    }
                }
            }
        }
        var sum = 0.0
        for i in 0..<found { sum += bestTargets[i] }
        return sum / Double(found)
    }
}
