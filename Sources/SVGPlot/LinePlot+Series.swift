extension LinePlot {
    /// A point: in data coordinates, or in SVG pixels when returned by `Frame.position(x:y:)`
    /// (pixel y grows downward).
    public struct Point: Sendable, Equatable {
        /// Horizontal coordinate.
        public var x: Double
        /// Vertical coordinate.
        public var y: Double

        /// Creates a point.
        init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// One named curve: its points in drawing order, and how it is drawn.
    ///
    /// Coordinates are stored as two parallel arrays, so a series of 100 000 points costs two
    /// contiguous buffers. If the arrays differ in length, the extra values of the longer one
    /// are ignored.
    public struct Series: Sendable, Equatable {
        /// The name shown in the legend; a series with an empty name has no legend entry.
        public var name: String
        /// The x coordinates.
        public var x: [Double]
        /// The y coordinates.
        public var y: [Double]
        /// Color and drawing; `.automatic` picks the palette color for the series' position.
        public var style: SeriesStyle

        /// Creates a series from parallel coordinate arrays.
        public init(name: String, x: [Double], y: [Double], style: SeriesStyle = .automatic) {
            self.name = name
            self.x = x
            self.y = y
            self.style = style
        }

        /// Creates a series from (x, y) pairs.
        public init(name: String, points: [(x: Double, y: Double)], style: SeriesStyle = .automatic) {
            self.init(name: name, x: points.map(\.x), y: points.map(\.y), style: style)
        }

        /// Creates a series of equally spaced values: `y[i]` is drawn at x = `firstX + i`.
        public init(name: String, y: [Double], firstX: Double = 0, style: SeriesStyle = .automatic) {
            self.init(name: name, x: y.indices.map { firstX + Double($0) }, y: y, style: style)
        }

        /// The number of points (the shorter of the two coordinate arrays).
        public var count: Int { min(x.count, y.count) }
    }

    /// How a series is drawn: its color and whether as a solid line, a dashed line or markers.
    /// A shaded range between a lower and an upper curve over the same x values, e.g. a
    /// bootstrap band around a mean curve. Points where either bound cannot be shown
    /// (non-finite, or not positive on a log10 axis) break the band like a gap in a series.
    public struct Band: Sendable, Equatable {
        /// The x values.
        public var x: [Double]
        /// The lower bound at each x.
        public var lower: [Double]
        /// The upper bound at each x.
        public var upper: [Double]
        /// The fill colour.
        public var color: PaletteColor
        /// The fill opacity in 0...1.
        public var opacity: Double

        /// A band at x = firstX, firstX + 1, …
        public init(lower: [Double], upper: [Double], firstX: Double = 0, color: PaletteColor, opacity: Double = 0.15) {
            let count = min(lower.count, upper.count)
            self.x = (0..<count).map { firstX + Double($0) }
            self.lower = Array(lower.prefix(count))
            self.upper = Array(upper.prefix(count))
            self.color = color
            self.opacity = min(max(opacity, 0), 1)
        }
    }

    public struct SeriesStyle: Sendable, Equatable {
        /// The ways of drawing a series.
        public enum Drawing: Sendable, Equatable {
            /// A solid line through the points.
            case solidLine
            /// A dashed line through the points.
            case dashedLine
            /// A round dot at each point, without a connecting line.
            case markers
        }

        /// The color, or `nil` for the palette color of the series' position.
        public var color: PaletteColor?
        /// The way of drawing.
        public var drawing: Drawing
        /// Stroke width in pixels of a line; dots are drawn 2.5 times as wide.
        public var lineWidth: Double

        /// Creates a style.
        public init(color: PaletteColor? = nil, drawing: Drawing = .solidLine, lineWidth: Double = 1.5) {
            self.color = color
            self.drawing = drawing
            self.lineWidth = lineWidth
        }

        /// The palette color of the series' position, solid line. Series 11 to 20 reuse the
        /// palette with dashed lines, so that up to 20 series stay distinguishable.
        public static let automatic = SeriesStyle()

        /// A solid line in `color` (or the automatic color).
        public static func solid(_ color: PaletteColor? = nil) -> SeriesStyle {
            SeriesStyle(color: color, drawing: .solidLine)
        }

        /// A dashed line in `color` (or the automatic color).
        public static func dashed(_ color: PaletteColor? = nil) -> SeriesStyle {
            SeriesStyle(color: color, drawing: .dashedLine)
        }

        /// Dots in `color` (or the automatic color), no line.
        public static func markers(_ color: PaletteColor? = nil) -> SeriesStyle {
            SeriesStyle(color: color, drawing: .markers)
        }
    }

    /// The fixed palette of series colors (the ten "category10" colors, which stay
    /// distinguishable for most kinds of color vision when paired with line styles).
    public enum PaletteColor: Int, CaseIterable, Sendable {
        /// #1f77b4
        case blue
        /// #ff7f0e
        case orange
        /// #2ca02c
        case green
        /// #d62728
        case red
        /// #9467bd
        case purple
        /// #8c564b
        case brown
        /// #e377c2
        case pink
        /// #7f7f7f
        case gray
        /// #bcbd22
        case olive
        /// #17becf
        case cyan

        /// The color as an SVG hex string, e.g. `#1f77b4`.
        public var hex: String {
            switch self {
            case .blue: "#1f77b4"
            case .orange: "#ff7f0e"
            case .green: "#2ca02c"
            case .red: "#d62728"
            case .purple: "#9467bd"
            case .brown: "#8c564b"
            case .pink: "#e377c2"
            case .gray: "#7f7f7f"
            case .olive: "#bcbd22"
            case .cyan: "#17becf"
            }
        }
    }
}

extension LinePlot.SeriesStyle {
    /// The color and drawing actually used for the series at `index`, with automatic choices
    /// resolved: palette color by position, dashed from the eleventh series on.
    func resolved(at index: Int) -> (color: String, drawing: Drawing) {
        let palette = LinePlot.PaletteColor.allCases
        let colorHex = (color ?? palette[index % palette.count]).hex
        let cyclesPalette = color == nil && index >= palette.count && drawing == .solidLine
        return (colorHex, cyclesPalette ? .dashedLine : drawing)
    }
}
