/// A row of Table 2 of the paper (SPEC §1.6), as data to print next to measured figures.
public struct PaperTable2Row: Codable, Equatable, Sendable {
    /// Experiment name as in the paper, e.g. `B14`.
    public var experiment: String
    /// Number of training functions K.
    public var functions: Int
    /// Examples per function J.
    public var examples: Int
    /// Training epochs.
    public var epochs: Int
    /// Train MSEt.
    public var trainMSEt: Double
    /// Test MSEt.
    public var testMSEt: Double
    /// "train time subordinate".
    public var subordinateTrainTime: Int
    /// "train MSE subordinate".
    public var subordinateTrainMSE: Double

    /// Table 2 of the paper, keyed by preset name.
    public static let table2: [String: PaperTable2Row] = [
        "b14": .init(experiment: "B14", functions: 128, examples: 64, epochs: 1000, trainMSEt: 0.033, testMSEt: 0.038,
                     subordinateTrainTime: 6, subordinateTrainMSE: 0.003),
        "b16": .init(experiment: "B16", functions: 256, examples: 256, epochs: 800, trainMSEt: 0.0055, testMSEt: 0.0058,
                     subordinateTrainTime: 6, subordinateTrainMSE: 0.002),
        "semil64": .init(experiment: "semil", functions: 128, examples: 64, epochs: 10000, trainMSEt: 0.0007,
                         testMSEt: 0.0008, subordinateTrainTime: 10, subordinateTrainMSE: 0.07),
        "semil1000": .init(experiment: "semil", functions: 128, examples: 1000, epochs: 5000, trainMSEt: 0.0020,
                           testMSEt: 0.0025, subordinateTrainTime: 50, subordinateTrainMSE: 0.05),
        "quad": .init(experiment: "quad", functions: 128, examples: 1000, epochs: 25000, trainMSEt: 0.00061,
                      testMSEt: 0.00068, subordinateTrainTime: 35, subordinateTrainMSE: 0.02),
    ]
}

/// Reference error floors of SPEC §1.5 for families whose Bayes-optimal MSEt is not computed
/// exactly here (Monte-Carlo values of the SPEC, ±2 %), keyed by family name and J.
public enum ReferenceFloors {
    /// The Bayes-optimal test MSEt of SPEC §1.5 for the semi-linear (inputs U[−1,1]) and
    /// quadratic families, or nil if the SPEC gives none for this J.
    public static func bayesMSEt(family: FamilySpec, length: Int) -> Double? {
        switch (family.name, family.inputRange, length) {
        case ("semil", .symmetric, 64): return 0.0021
        case ("semil", .symmetric, 1000): return 0.000134
        case ("semil", .unit, 64): return 0.00145
        default: return nil
        }
    }
}
