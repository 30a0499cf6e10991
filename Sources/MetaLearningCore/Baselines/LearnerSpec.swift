import Foundation

/// A classical online learner chosen by name, e.g. on the command line of `metalearn compare`:
/// `rls-raw`, `rls-raw:0.95`, `knn:5`, `nlms:0.3`, `mean`, `bayes`, `rls-basis`.
///
/// The text after the colon is the learner's one parameter: the forgetting factor λ ∈ (0, 1]
/// for the RLS learners, the step size μ ∈ (0, 2) for NLMS and the number of neighbours k ≥ 1
/// for k-NN; `bayes` and `mean` take none.
public struct LearnerSpec: Equatable, Sendable, CustomStringConvertible {
    /// The learners.
    public enum Kind: String, CaseIterable, Sendable {
        /// ``BooleanBayesPredictor``: the Bayes-optimal predictor (Boolean families only).
        case bayes
        /// ``RecursiveLeastSquares`` on the family's true basis: the quadratic features on raw
        /// targets for `quad`, (x1, x2, 1) on atanh(2y − 1) for `semil` (those two only).
        case rlsBasis = "rls-basis"
        /// ``RecursiveLeastSquares`` on (x1, …, xd, 1) and raw targets (every family).
        case rlsRaw = "rls-raw"
        /// ``NormalizedLMS`` on (x1, …, xd, 1) (every family).
        case nlms
        /// ``NearestNeighbourPredictor`` (every family).
        case knn
        /// ``RunningMeanPredictor`` (every family).
        case mean
    }

    /// Which learner.
    public var kind: Kind
    /// The learner's parameter (rls: forgetting λ; nlms: μ; knn: k); nil = the default
    /// (λ = 1, μ = 0.5, k = 3).
    public var parameter: Double?

    /// Creates a spec without validating the parameter (``makePredictor(for:inputDimension:)``
    /// does).
    public init(kind: Kind, parameter: Double? = nil) {
        self.kind = kind
        self.parameter = parameter
    }

    /// Parses "name" or "name:parameter", e.g. "rls-raw", "rls-raw:0.95", "knn:5", "nlms:0.3",
    /// "mean", "bayes", "rls-basis" (names are case-insensitive; surrounding spaces are ignored).
    /// - Throws: ``ConfigurationError/invalid(_:)`` with a one-line message for an unknown name,
    ///   a parameter that is not a number, or one out of range (λ ∉ (0, 1], μ ∉ (0, 2),
    ///   k < 1 or not an integer, any parameter for `bayes` or `mean`).
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0].lowercased()
        guard let kind = Kind(rawValue: name) else {
            let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError.invalid("unknown learner '\(escapingControlCharacters(text))' (expected one of \(known), optionally with ':parameter')")
        }
        var parameter: Double?
        if parts.count == 2 {
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            guard case .value(let number) = DecimalNumber.parse(value) else {
                throw ConfigurationError.invalid(
                    "learner '\(escapingControlCharacters(text))': parameter '\(escapingControlCharacters(value))' is not a finite decimal number")
            }
            parameter = number
        }
        self.init(kind: kind, parameter: parameter)
        try validate()
    }

    /// Checks that a list of learners is not empty and names no learner twice (by
    /// ``description``: `knn:3` and `KNN:3` are the same learner), since each names a row,
    /// a column and a curve of a comparison.
    /// - Throws: ``ConfigurationError/invalid(_:)`` naming the duplicate.
    public static func checkDistinct(_ learners: [LearnerSpec]) throws {
        guard !learners.isEmpty else { throw ConfigurationError.invalid("the list of learners is empty") }
        var seen = Set<String>()
        for learner in learners where !seen.insert(learner.description).inserted {
            throw ConfigurationError.invalid("the learner \(learner) is listed twice")
        }
    }

    /// The name, plus ":parameter" if one is set; round-trips through ``init(parsing:)``.
    public var description: String {
        guard let parameter else { return kind.rawValue }
        if parameter == parameter.rounded() && abs(parameter) < 1e15 {
            return "\(kind.rawValue):\(Int(parameter))"
        }
        return "\(kind.rawValue):\(parameter)"
    }

    /// Whether the learner applies to `family`: `bayes` to the Boolean families only,
    /// `rls-basis` to `semil` and `quad` only (the families whose true basis it knows), every
    /// other learner to every family.
    public func isApplicable(to family: FamilySpec) -> Bool {
        switch kind {
        case .bayes: return family.makeFamily().makeBayesPredictor() != nil
        case .rlsBasis: return family.makeFamily().trueBasis != nil
        case .rlsRaw, .nlms, .knn, .mean: return true
        }
    }

    /// Builds a fresh predictor for sequences of `family` with inputs of dimension
    /// `inputDimension`; its ``OnlinePredictor/name`` is this spec's ``description``.
    /// - Throws: ``ConfigurationError/invalid(_:)`` if the learner does not apply to the family,
    ///   the parameter is out of range, or `inputDimension` does not fit (< 1, or ≠ 2 for
    ///   `bayes` and `rls-basis`, whose families have two inputs).
    public func makePredictor(for family: FamilySpec, inputDimension: Int) throws -> any OnlinePredictor {
        guard isApplicable(to: family) else {
            throw ConfigurationError.invalid("learner '\(self)' does not apply to family \(family.name)")
        }
        try validate()
        guard inputDimension >= 1 else {
            throw ConfigurationError.invalid("learner '\(self)': input dimension must be at least 1 (got \(inputDimension))")
        }
        if (kind == .bayes || kind == .rlsBasis) && inputDimension != 2 {
            throw ConfigurationError.invalid("learner '\(self)' needs 2 inputs for family \(family.name) (got \(inputDimension))")
        }
        switch kind {
        case .bayes:
            guard let predictor = family.makeFamily().makeBayesPredictor() else {
                throw ConfigurationError.invalid("learner 'bayes' knows no Bayes-optimal predictor for family \(family.name)")
            }
            return predictor
        case .rlsBasis:
            guard let basis = family.makeFamily().trueBasis else {
                throw ConfigurationError.invalid("learner 'rls-basis' knows no true basis of family \(family.name)")
            }
            return try RecursiveLeastSquares(features: basis.features, forgetting: parameter ?? 1,
                                             targetTransform: basis.targetTransform, name: description)
        case .rlsRaw:
            return try RecursiveLeastSquares(features: .affine(inputDimension: inputDimension), forgetting: parameter ?? 1,
                                             name: description)
        case .nlms:
            return try NormalizedLMS(inputDimension: inputDimension, stepSize: parameter ?? NormalizedLMS.defaultStepSize,
                                     name: description)
        case .knn:
            return try NearestNeighbourPredictor(inputDimension: inputDimension,
                                                 neighbourCount: Int(parameter ?? Double(NearestNeighbourPredictor.defaultNeighbourCount)),
                                                 name: description)
        case .mean:
            return RunningMeanPredictor(name: description)
        }
    }

    /// The learners `compare` runs by default for `family`: every applicable kind, in
    /// ``Kind`` order, with default parameters.
    public static func defaults(for family: FamilySpec) -> [LearnerSpec] {
        Kind.allCases.map { LearnerSpec(kind: $0) }.filter { $0.isApplicable(to: family) }
    }

    /// The largest k accepted (far beyond any sequence length; keeps the Int conversion safe).
    static let largestNeighbourCount = 1_000_000_000

    /// Checks the parameter against the kind's range.
    private func validate() throws {
        guard let parameter else { return }
        guard parameter.isFinite else {
            throw ConfigurationError.invalid("learner '\(kind.rawValue)': parameter \(parameter) is not finite")
        }
        switch kind {
        case .bayes, .mean:
            throw ConfigurationError.invalid("learner '\(kind.rawValue)' takes no parameter (got \(self))")
        case .rlsBasis, .rlsRaw:
            guard parameter > 0 && parameter <= 1 else {
                throw ConfigurationError.invalid("learner '\(self)': forgetting factor λ must lie in (0, 1]")
            }
        case .nlms:
            guard parameter > 0 && parameter < 2 else {
                throw ConfigurationError.invalid("learner '\(self)': step size μ must lie in (0, 2)")
            }
        case .knn:
            guard parameter >= 1 && parameter == parameter.rounded() && parameter <= Double(Self.largestNeighbourCount) else {
                throw ConfigurationError.invalid("learner '\(self)': the number of neighbours k must be an integer ≥ 1")
            }
        }
    }
}
