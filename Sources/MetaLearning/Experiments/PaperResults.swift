/// A row of Table 2 of the paper (docs/method.md §8.4), as data to print next to measured figures.
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

    /// The family each row of ``table2`` was run on, keyed by the same preset names.
    public static let table2Families: [String: FamilySpec] = [
        "b14": .boolean(.b14, sampler: .iid), "b16": .boolean(.b16, sampler: .iid),
        "semil64": .semiLinear(inputRange: .symmetric), "semil1000": .semiLinear(inputRange: .symmetric),
        "quad": .quadratic(inputRange: .symmetric),
    ]

    /// The row of a run of `family` with `functions` training functions K and `examples`
    /// examples J: the row of the same family (whatever its sampling options, which the paper
    /// does not vary), K and J, or nil.
    public static func row(family: FamilySpec, functions: Int, examples: Int) -> PaperTable2Row? {
        let matches = table2.filter { preset, row in
            table2Families[preset]?.name == family.name && row.functions == functions && row.examples == examples
        }
        return matches.min { $0.key < $1.key }?.value
    }
}
