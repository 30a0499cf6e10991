import Foundation
import XCTest
import MetaLearning

/// ``FamilySpec`` as an enum: its file form (unchanged from the struct it replaced), its
/// validation, and the family knowledge that ``FunctionFamily`` requirements carry.
final class FamilySpecTests: XCTestCase {
    /// Every family with the JSON that `config.json` and `model.json` hold for it (sorted keys,
    /// as the run folder writes them), literally: this is the file format.
    private let fileForms: [(FamilySpec, String)] = [
        (.boolean(.b14, sampler: .iid), #"{"inputRange":"symmetric","name":"b14","sampler":"iid"}"#),
        (.boolean(.b14, sampler: .blocks), #"{"inputRange":"symmetric","name":"b14","sampler":"blocks"}"#),
        (.boolean(.b16, sampler: .iid), #"{"inputRange":"symmetric","name":"b16","sampler":"iid"}"#),
        (.boolean(.b16, sampler: .blocks), #"{"inputRange":"symmetric","name":"b16","sampler":"blocks"}"#),
        (.semiLinear(inputRange: .symmetric), #"{"inputRange":"symmetric","name":"semil","sampler":"iid"}"#),
        (.semiLinear(inputRange: .unit), #"{"inputRange":"unit","name":"semil","sampler":"iid"}"#),
        (.quadratic(inputRange: .symmetric), #"{"inputRange":"symmetric","name":"quad","sampler":"iid"}"#),
        (.quadratic(inputRange: .unit), #"{"inputRange":"unit","name":"quad","sampler":"iid"}"#),
        (.linearRegression(dimension: nil), #"{"inputRange":"symmetric","name":"linreg","sampler":"iid"}"#),
        (.linearRegression(dimension: 5), #"{"dimension":5,"inputRange":"symmetric","name":"linreg","sampler":"iid"}"#),
        (.linearRegression(dimension: 8), #"{"dimension":8,"inputRange":"symmetric","name":"linreg","sampler":"iid"}"#),
        (.autoregressive(switchProbability: nil), #"{"inputRange":"symmetric","name":"ar2","sampler":"iid"}"#),
        (.autoregressive(switchProbability: 0), #"{"inputRange":"symmetric","name":"ar2","sampler":"iid","switchProbability":0}"#),
        (.autoregressive(switchProbability: 0.05),
         #"{"inputRange":"symmetric","name":"ar2","sampler":"iid","switchProbability":0.05}"#),
    ]

    private func encoded(_ spec: FamilySpec, formatting: JSONEncoder.OutputFormatting = [.sortedKeys]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        return String(decoding: try encoder.encode(spec), as: UTF8.self)
    }

    private func decoded(_ json: String) throws -> FamilySpec {
        try JSONDecoder().decode(FamilySpec.self, from: Data(json.utf8))
    }

    func testEveryFamilyRoundTripsToTheFileFormBytes() throws {
        for (spec, json) in fileForms {
            XCTAssertEqual(try encoded(spec), json, "\(spec)")
            XCTAssertEqual(try decoded(json), spec, json)
            XCTAssertEqual(try encoded(try decoded(json)), json)
        }
        XCTAssertEqual(Set(fileForms.map(\.0.name)), Set(FamilySpec.knownNames), "every family has a file form")
    }

    /// The run folder's own formatting (pretty-printed, sorted keys) gives the bytes of today's files.
    func testRunFolderFormattingMatchesTheStoredFiles() throws {
        let pretty = try encoded(.linearRegression(dimension: 3), formatting: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        XCTAssertEqual(pretty, """
            {
              "dimension" : 3,
              "inputRange" : "symmetric",
              "name" : "linreg",
              "sampler" : "iid"
            }
            """)
    }

    func testTheNamedInitialiserBuildsTheSameCases() throws {
        XCTAssertEqual(try FamilySpec(name: "B14"), .boolean(.b14, sampler: .iid))
        XCTAssertEqual(try FamilySpec(name: "b16", sampler: .blocks), .boolean(.b16, sampler: .blocks))
        XCTAssertEqual(try FamilySpec(name: "semil", inputRange: .unit), .semiLinear(inputRange: .unit))
        XCTAssertEqual(try FamilySpec(name: "quad"), .quadratic(inputRange: .symmetric))
        XCTAssertEqual(try FamilySpec(name: "linreg"), .linearRegression(dimension: nil))
        XCTAssertEqual(try FamilySpec(name: "linreg", dimension: 8), .linearRegression(dimension: 8))
        XCTAssertEqual(try FamilySpec(name: "ar2", switchProbability: 0.1), .autoregressive(switchProbability: 0.1))
        XCTAssertEqual(FamilySpec.knownNames, ["b14", "b16", "semil", "quad", "linreg", "ar2"])
        for spec in FamilySpec.allFamilies {
            XCTAssertEqual(try FamilySpec(name: spec.name), spec)
            XCTAssertEqual(spec.makeFamily().name, spec.name)
        }
    }

    func testAnUnknownNameFailsToDecodeNamingIt() {
        XCTAssertThrowsError(try decoded(#"{"inputRange":"symmetric","name":"cubic","sampler":"iid"}"#)) { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(context.debugDescription.contains("'cubic'"), context.debugDescription)
        }
        XCTAssertThrowsError(try FamilySpec(name: "cubic")) { XCTAssertTrue("\($0)".contains("'cubic'")) }
        XCTAssertThrowsError(try FamilySpec.boolean(.b14, sampler: .iid).transferred(to: "cubic"))
    }

    func testAnOptionOfAnotherFamilyIsRejected() {
        XCTAssertThrowsError(try FamilySpec(name: "b14", dimension: 3)) { XCTAssertTrue("\($0)".contains("linreg")) }
        XCTAssertThrowsError(try FamilySpec(name: "quad", switchProbability: 0.1)) { XCTAssertTrue("\($0)".contains("ar2")) }
        XCTAssertThrowsError(try FamilySpec(name: "semil", sampler: .blocks)) { XCTAssertTrue("\($0)".contains("b14")) }
        XCTAssertThrowsError(try FamilySpec(name: "b16", inputRange: .unit)) { XCTAssertTrue("\($0)".contains("semil")) }
        XCTAssertThrowsError(try FamilySpec(name: "linreg", inputRange: .unit))
        XCTAssertThrowsError(try decoded(#"{"dimension":3,"inputRange":"symmetric","name":"b14","sampler":"iid"}"#)) {
            XCTAssertTrue("\($0)".contains("linreg"))
        }
        XCTAssertThrowsError(try decoded(#"{"inputRange":"symmetric","name":"linreg","sampler":"iid","switchProbability":0.1}"#)) {
            XCTAssertTrue("\($0)".contains("ar2"))
        }
    }

    func testLegacyFilesDecode() throws {
        // Written before `dimension` and `switchProbability` existed.
        XCTAssertEqual(try decoded(#"{"inputRange":"symmetric","name":"linreg","sampler":"iid"}"#),
                       .linearRegression(dimension: nil))
        XCTAssertEqual(try decoded(#"{"inputRange":"symmetric","name":"ar2","sampler":"iid"}"#),
                       .autoregressive(switchProbability: nil))
        XCTAssertEqual(try decoded(#"{"name":"b16","sampler":"blocks","inputRange":"symmetric"}"#),
                       .boolean(.b16, sampler: .blocks))
        // A sampler or range stored for a family it does not apply to was never used: read and ignored.
        XCTAssertEqual(try decoded(#"{"inputRange":"unit","name":"b14","sampler":"iid"}"#), .boolean(.b14, sampler: .iid))
        XCTAssertEqual(try decoded(#"{"inputRange":"symmetric","name":"semil","sampler":"blocks"}"#),
                       .semiLinear(inputRange: .symmetric))
        // Out-of-range options still fail.
        XCTAssertThrowsError(try decoded(#"{"dimension":0,"inputRange":"symmetric","name":"linreg","sampler":"iid"}"#))
    }

    func testTransferCarriesOnlyTheOptionsThatApply() throws {
        XCTAssertEqual(try FamilySpec.boolean(.b14, sampler: .blocks).transferred(to: "b16"), .boolean(.b16, sampler: .blocks))
        XCTAssertEqual(try FamilySpec.boolean(.b14, sampler: .blocks).transferred(to: "quad"), .quadratic(inputRange: .symmetric))
        XCTAssertEqual(try FamilySpec.semiLinear(inputRange: .unit).transferred(to: "quad"), .quadratic(inputRange: .unit))
        XCTAssertEqual(try FamilySpec.linearRegression(dimension: 3).transferred(to: "linreg"), .linearRegression(dimension: nil))
        XCTAssertEqual(try FamilySpec.autoregressive(switchProbability: 0.2).transferred(to: "b14"), .boolean(.b14, sampler: .iid))
    }

    // MARK: Family knowledge

    func testDisplayNamesAndDefaultLengths() {
        let expected: [(FamilySpec, String, Int)] = [
            (.boolean(.b14, sampler: .iid), "B14", 64), (.boolean(.b16, sampler: .blocks), "B16 (blocks inputs)", 64),
            (.semiLinear(inputRange: .symmetric), "semil", 64), (.quadratic(inputRange: .unit), "quad (x in [0,1])", 64),
            (.linearRegression(dimension: nil), "linreg", 11), (.linearRegression(dimension: 3), "linreg", 7),
            (.autoregressive(switchProbability: 0.1), "ar2", 64),
        ]
        for (spec, title, length) in expected {
            XCTAssertEqual(spec.makeFamily().displayName, title)
            XCTAssertEqual(spec.makeFamily().defaultSequenceLength, length, "\(spec)")
        }
    }

    func testOptimalLearnersAndFloorsBelongToTheirFamilies() throws {
        for spec in FamilySpec.allFamilies {
            let family = spec.makeFamily()
            XCTAssertEqual(family.makeBayesPredictor() != nil, spec.isBoolean, spec.name)
            XCTAssertEqual(LearnerSpec(kind: .bayes).isApplicable(to: spec), spec.isBoolean, spec.name)
            let hasBasis = ["semil", "quad"].contains(spec.name)
            XCTAssertEqual(family.trueBasis != nil, hasBasis, spec.name)
            XCTAssertEqual(LearnerSpec(kind: .rlsBasis).isApplicable(to: spec), hasBasis, spec.name)
        }
        XCTAssertEqual(SemiLinearFamily().trueBasis, FunctionBasis(features: .affine(inputDimension: 2), targetTransform: .tanhLink))
        XCTAssertEqual(QuadraticFamily().trueBasis, FunctionBasis(features: .quadratic(inputDimension: 2), targetTransform: .identity))
        XCTAssertEqual(SemiLinearFamily().referenceBayesMSEt(length: 64), 0.0021)
        XCTAssertEqual(SemiLinearFamily().referenceBayesMSEt(length: 1000), 0.000134)
        XCTAssertEqual(SemiLinearFamily(inputRange: .unit).referenceBayesMSEt(length: 64), 0.00145)
        XCTAssertNil(SemiLinearFamily(inputRange: .unit).referenceBayesMSEt(length: 1000))
        XCTAssertNil(QuadraticFamily().referenceBayesMSEt(length: 1000))
        XCTAssertNil(BooleanFamily(.b14).referenceBayesMSEt(length: 64))
    }

    func testPaperRowsAreMatchedByTypedFamily() {
        XCTAssertEqual(PaperTable2Row.row(family: .boolean(.b14, sampler: .iid), functions: 128, examples: 64)?.experiment, "B14")
        XCTAssertEqual(PaperTable2Row.row(family: .semiLinear(inputRange: .symmetric), functions: 128, examples: 1000)?.testMSEt,
                       0.0025)
        XCTAssertNil(PaperTable2Row.row(family: .quadratic(inputRange: .symmetric), functions: 128, examples: 64))
        XCTAssertEqual(Set(PaperTable2Row.table2Families.keys), Set(PaperTable2Row.table2.keys))
        for (preset, family) in PaperTable2Row.table2Families {
            XCTAssertEqual(PaperTable2Row.table2[preset]?.experiment.lowercased(), family.name, preset)
        }
    }

    // MARK: Sequence buffer

    /// A family fills a single-sequence buffer with the same data as the first sequence of a set.
    func testASequenceBufferHoldsTheSameDataAsASequenceSet() {
        for spec in FamilySpec.allFamilies + [.linearRegression(dimension: 3), .autoregressive(switchProbability: 0.3)] {
            let family = spec.makeFamily()
            var generator = Xoshiro256StarStar(seed: 5)
            var buffer = SequenceBuffer(length: 9, inputDimension: family.inputDimension)
            let id = family.fillSequence(&buffer, using: &generator)
            var twin = Xoshiro256StarStar(seed: 5)
            let set = SequenceSet(family: family, count: 1, length: 9, using: &twin)
            XCTAssertEqual(Array(buffer.sequenceInputs), set.inputs, spec.name)
            XCTAssertEqual(Array(buffer.sequenceTargets), set.targets, spec.name)
            XCTAssertEqual(Array(buffer.input(4)), Array(set.input(sequence: 0, example: 4)), spec.name)
            XCTAssertEqual(buffer[target: 8], set.target(sequence: 0, example: 8))
            XCTAssertEqual(id, set.functionIDs[0])
            XCTAssertEqual(generator, twin, "\(spec.name): same number of draws")
        }
    }
}
