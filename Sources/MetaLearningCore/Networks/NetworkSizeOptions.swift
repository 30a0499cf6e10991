/// The network sizes a user may give on the command line (`metalearn train --hidden … --cells …`),
/// each nil when not given. An architecture reads the ones that apply to it, fills in its own
/// defaults, and rejects the others (``NetworkConfiguration/configuration(inputDimension:sizes:)``).
public struct NetworkSizeOptions: Equatable, Sendable {
    /// One size option, named as on the command line.
    public enum Option: String, CaseIterable, Sendable {
        /// Conventional hidden units (LSTM-1997) or the hidden layer (Table-1 baselines).
        case hidden = "--hidden"
        /// Memory blocks (LSTM-1997).
        case blocks = "--blocks"
        /// Cells per memory block (LSTM-1997).
        case cellsPerBlock = "--cells-per-block"
        /// Units of the second sigmoid layer (LSTM-1997).
        case secondLayer = "--second-layer"
        /// Cells of a gated recurrent layer (forget-gate LSTM, GRU).
        case cells = "--cells"
        /// Truncation depth H (BPTT).
        case truncation = "--truncation"
    }

    /// `--hidden`.
    public var hiddenUnits: Int?
    /// `--blocks`.
    public var blocks: Int?
    /// `--cells-per-block`.
    public var cellsPerBlock: Int?
    /// `--second-layer`.
    public var secondLayerUnits: Int?
    /// `--cells`.
    public var cells: Int?
    /// `--truncation`.
    public var truncation: Int?

    /// Options with the given values (nil: not given).
    public init(hiddenUnits: Int? = nil, blocks: Int? = nil, cellsPerBlock: Int? = nil, secondLayerUnits: Int? = nil,
                cells: Int? = nil, truncation: Int? = nil) {
        self.hiddenUnits = hiddenUnits
        self.blocks = blocks
        self.cellsPerBlock = cellsPerBlock
        self.secondLayerUnits = secondLayerUnits
        self.cells = cells
        self.truncation = truncation
    }

    /// The options that were given, in declaration order.
    public var given: [Option] {
        Option.allCases.filter { value(of: $0) != nil }
    }

    /// The value given for `option`, or nil.
    public func value(of option: Option) -> Int? {
        switch option {
        case .hidden: return hiddenUnits
        case .blocks: return blocks
        case .cellsPerBlock: return cellsPerBlock
        case .secondLayer: return secondLayerUnits
        case .cells: return cells
        case .truncation: return truncation
        }
    }

    /// Rejects a given value of `option` below `minimum`.
    /// - Throws: ``ConfigurationError/invalid(_:)``: "--truncation must be at least 1, not 0".
    public func require(_ option: Option, atLeast minimum: Int) throws {
        if let value = value(of: option), value < minimum {
            throw ConfigurationError.invalid("\(option.rawValue) must be at least \(minimum), not \(value)")
        }
    }

    /// Rejects every given option outside `applicable`.
    /// - Throws: ``ConfigurationError/invalid(_:)``: "--cells does not apply to --arch elman".
    public func requireOnly(_ applicable: Set<Option>, for architectureName: String) throws {
        if let stray = given.first(where: { !applicable.contains($0) }) {
            throw ConfigurationError.invalid("\(stray.rawValue) does not apply to --arch \(architectureName)")
        }
    }
}
