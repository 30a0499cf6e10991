extension LinePlot {
    /// A horizontal line across the whole plot at a fixed y, such as a Bayes floor, with a
    /// label written just above its right end (below it if the line is near the top).
    ///
    /// The line takes part in choosing the automatic y range, so it is always visible. A line
    /// whose y the axis cannot show (not finite, or not positive on a log10 axis), or which lies
    /// outside a fixed range, is left out.
    public struct ReferenceLine: Sendable, Equatable {
        /// The y value of the line.
        public var y: Double
        /// The label; empty for none.
        public var label: String
        /// The color, or `nil` for dark gray.
        public var color: PaletteColor?

        /// Creates a reference line.
        public init(y: Double, label: String = "", color: PaletteColor? = nil) {
            self.y = y
            self.label = label
            self.color = color
        }
    }

    /// A vertical dashed line across the whole plot at a fixed x, such as the start of a
    /// sequence or a switch of the target function, with an optional label above the plot.
    ///
    /// Markers take part in choosing the automatic x range. A marker the axis cannot show, or
    /// outside a fixed range, is left out; markers with the same color that fall on the same
    /// pixel position (to 0.1 px) are drawn once. A label that would overlap the previous
    /// drawn label is left out.
    public struct VerticalMarker: Sendable, Equatable {
        /// The x value of the line.
        public var x: Double
        /// The label above the plot, or `nil` for none.
        public var label: String?
        /// The color, or `nil` for mid gray.
        public var color: PaletteColor?

        /// Creates a vertical marker.
        public init(x: Double, label: String? = nil, color: PaletteColor? = nil) {
            self.x = x
            self.label = label
            self.color = color
        }
    }

    /// Where the legend of named series is drawn.
    public enum LegendPlacement: Sendable, Equatable {
        /// The first inside corner (top right, top left, bottom left, bottom right) where the
        /// legend covers no line, dot or reference line; if every corner is covered, outside
        /// to the right of the plot, unless that would narrow the plot area by more than 40 %
        /// (small canvases): then the corner that covers the fewest line segments and dots.
        case automatic
        /// Inside the top right corner.
        case topRight
        /// Inside the top left corner.
        case topLeft
        /// Inside the bottom left corner.
        case bottomLeft
        /// Inside the bottom right corner.
        case bottomRight
        /// Outside the plot area, to its right (the plot is narrowed to make room).
        case outsideRight
        /// No legend.
        case hidden
    }
}
