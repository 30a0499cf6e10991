/// A two-dimensional line plot that renders itself as a standalone SVG document, using nothing
/// beyond Foundation.
///
/// It draws the figures this project needs: squared error against example position on a log10
/// y axis with a Bayes-floor reference line; MSEt training curves for train and test sets;
/// |error| against global time step with dashed vertical markers at sequence starts; and
/// comparisons of several learners.
///
/// ```swift
/// var plot = LinePlot(title: "Training", xLabel: "epoch", yLabel: "MSEt", yScale: .log10)
/// plot.series.append(LinePlot.Series(name: "train", y: trainMSE, firstX: 1))
/// plot.referenceLines.append(LinePlot.ReferenceLine(y: 0.01, label: "Bayes floor"))
/// let document: String = plot.svg(width: 800, height: 500)
/// ```
///
/// Rules applied when rendering, so that any input gives a valid document:
/// - A point is drawn only if both coordinates can be shown: non-finite coordinates are
///   dropped on every axis, and zero or negative coordinates on a `.log10` axis. A dropped
///   point breaks the line; the next shown point starts a new segment. NaN and infinity never
///   reach the SVG text.
/// - An empty plot, or one whose values are all equal, still renders: the range is widened
///   (by 10 % of the value, or ±1 around zero, on a linear axis; by half a decade each side on
///   a log10 axis).
/// - A fixed range the scale cannot use (empty, non-finite, or not positive on a log10 axis)
///   is ignored, and the range is chosen from the data instead.
/// - Each series is written as one `<path>`. Consecutive points that fall in the same pixel
///   column are thinned to the first, lowest, highest and last of them, which draws the same
///   picture at the output resolution: 100 000 points cost at most about four per column.
/// - All text is XML-escaped, and control characters that XML 1.0 forbids are removed.
public struct LinePlot: Sendable, Equatable {
    /// The title above the plot; empty for none.
    public var title: String
    /// The label under the x axis; empty for none.
    public var xLabel: String
    /// The label beside the y axis, written bottom to top; empty for none.
    public var yLabel: String
    /// How x values map to horizontal positions.
    public var xScale: AxisScale
    /// How y values map to vertical positions.
    public var yScale: AxisScale
    /// A fixed x range, or `nil` to fit the data (widened to tick values).
    public var xRange: ClosedRange<Double>?
    /// A fixed y range, or `nil` to fit the data (widened to tick values).
    public var yRange: ClosedRange<Double>?
    /// The curves, drawn in this order (later ones on top).
    public var series: [Series]
    /// Horizontal lines across the plot, each with a label at its right end.
    public var referenceLines: [ReferenceLine]
    /// Vertical dashed lines across the plot, each with an optional label above it.
    public var verticalMarkers: [VerticalMarker]
    /// Where the legend of named series goes.
    public var legendPlacement: LegendPlacement
    /// Shaded ranges (e.g. confidence bands) drawn under the series; they do not affect the
    /// axis ranges and have no legend entry of their own (give them a series' colour).
    public var bands: [Band] = []

    /// Creates a plot; every part can also be set or appended to afterwards.
    public init(title: String = "", xLabel: String = "", yLabel: String = "",
                xScale: AxisScale = .linear, yScale: AxisScale = .linear,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                series: [Series] = [], referenceLines: [ReferenceLine] = [],
                verticalMarkers: [VerticalMarker] = [], legendPlacement: LegendPlacement = .automatic) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.xRange = xRange
        self.yRange = yRange
        self.series = series
        self.referenceLines = referenceLines
        self.verticalMarkers = verticalMarkers
        self.legendPlacement = legendPlacement
    }
}
