/// Percentile-bootstrap confidence bands for the mean learning curve of an ``ErrorMatrix``.
///
/// A resample draws `sequences` sequence indices with replacement (whole sequences: the
/// functions are the independent units, the positions of one sequence are not) and takes the
/// mean curve of the drawn rows. The band at position j is the pair of (1 ± confidence)/2
/// quantiles of those resampled means.
public struct BootstrapBand: Codable, Equatable, Sendable {
    /// Lower end of the band per position.
    public var lower: [Double]
    /// Upper end of the band per position.
    public var upper: [Double]
    /// The confidence level, e.g. 0.9.
    public var confidence: Double
    /// Resamples drawn.
    public var resamples: Int

    /// Computes the band of the mean curve of `errors`.
    /// - Parameters:
    ///   - errors: squared errors, one row per sequence.
    ///   - resamples: number of bootstrap resamples (at least 1).
    ///   - confidence: coverage of the band, in (0, 1).
    ///   - generator: randomness for the resampling (seeded by the caller).
    public init(meanCurveOf errors: ErrorMatrix, resamples: Int = 1000, confidence: Double = 0.9,
                using generator: inout Xoshiro256StarStar) {
        precondition(resamples >= 1 && confidence > 0 && confidence < 1, "invalid bootstrap parameters")
        let n = errors.sequences
        let length = errors.length
        var means = [Double](repeating: 0, count: resamples * length)  // resample-major
        errors.squaredErrors.withUnsafeBufferPointer { rows in
            means.withUnsafeMutableBufferPointer { out in
                for b in 0..<resamples {
                    let row = out.baseAddress! + b * length
                    for _ in 0..<n {
                        let k = generator.nextInt(below: n)
                        let source = rows.baseAddress! + k * length
                        for j in 0..<length { row[j] += source[j] }
                    }
                    let scale = 1 / Double(n)
                    for j in 0..<length { row[j] *= scale }
                }
            }
        }
        let tail = (1 - confidence) / 2
        var lower = [Double](repeating: 0, count: length)
        var upper = [Double](repeating: 0, count: length)
        var column = [Double](repeating: 0, count: resamples)
        for j in 0..<length {
            for b in 0..<resamples { column[b] = means[b * length + j] }
            lower[j] = quantile(column, tail)
            upper[j] = quantile(column, 1 - tail)
        }
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
        self.resamples = resamples
    }
}
