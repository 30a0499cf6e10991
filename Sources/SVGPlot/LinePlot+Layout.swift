import Foundation

extension LinePlot {
    /// An axis-aligned rectangle in SVG pixels (y grows downward).
    public struct Rect: Sendable, Equatable {
        /// Left edge.
        public var x: Double
        /// Top edge.
        public var y: Double
        /// Width (non-negative).
        public var width: Double
        /// Height (non-negative).
        public var height: Double

        /// Creates a rectangle from its top-left corner and size.
        init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }

        /// Right edge.
        public var maxX: Double { x + width }
        /// Bottom edge.
        var maxY: Double { y + height }

        /// The rectangle grown by `margin` on every side (shrunk if negative).
        func expanded(by margin: Double) -> Rect {
            Rect(x: x - margin, y: y - margin, width: width + 2 * margin, height: height + 2 * margin)
        }

        /// Whether `point` lies inside or on the border.
        func contains(_ point: Point) -> Bool {
            point.x >= x && point.x <= maxX && point.y >= y && point.y <= maxY
        }

        /// Whether the two rectangles overlap.
        func intersects(_ other: Rect) -> Bool {
            x <= other.maxX && other.x <= maxX && y <= other.maxY && other.y <= maxY
        }

        /// Whether the segment from `start` to `end` passes through the rectangle
        /// (Liang–Barsky clipping).
        func intersectsSegment(from start: Point, to end: Point) -> Bool {
            let dx = end.x - start.x, dy = end.y - start.y
            var entry = 0.0, exit = 1.0
            for (p, q) in [(-dx, start.x - x), (dx, maxX - start.x), (-dy, start.y - y), (dy, maxY - start.y)] {
                if p == 0 {
                    if q < 0 { return false }
                } else {
                    let t = q / p
                    if p < 0 { entry = max(entry, t) } else { exit = min(exit, t) }
                    if entry > exit { return false }
                }
            }
            return true
        }
    }

    /// The geometry of a rendered plot: canvas size, the plot area inside the axes, and the
    /// resolved axes. `svg(width:height:)` draws exactly this geometry.
    public struct Frame: Sendable, Equatable {
        /// Canvas width in pixels.
        public let width: Double
        /// Canvas height in pixels.
        public let height: Double
        /// The rectangle inside the axes where data is drawn.
        public let plotArea: Rect
        /// The horizontal axis.
        public let xAxis: Axis
        /// The vertical axis.
        public let yAxis: Axis

        /// The pixel position of the data point (x, y): the range start of the x axis at the
        /// left edge of the plot area, the range start of the y axis at its bottom edge.
        /// Points beyond the ranges lie outside the plot area. Returns `nil` if an axis cannot
        /// show the value or the position is not finite.
        public func position(x: Double, y: Double) -> Point? {
            guard let across = xAxis.fraction(of: x), let up = yAxis.fraction(of: y) else { return nil }
            let point = Point(x: plotArea.x + across * plotArea.width, y: plotArea.maxY - up * plotArea.height)
            return point.x.isFinite && point.y.isFinite ? point : nil
        }

        /// `position(x:y:)` with positions far outside the plot area pulled in to 20 plot sizes
        /// beyond it. Drawing is clipped to the plot area, so this only changes the slope of
        /// line segments to extreme outliers, and it keeps every coordinate short and finite.
        func drawingPosition(x: Double, y: Double) -> Point? {
            guard let across = xAxis.fraction(of: x), let up = yAxis.fraction(of: y) else { return nil }
            let limit = { (fraction: Double) in min(max(fraction, -20), 21) }
            return Point(x: plotArea.x + limit(across) * plotArea.width,
                         y: plotArea.maxY - limit(up) * plotArea.height)
        }
    }

    /// The geometry `svg(width:height:)` draws on a canvas of this size: plot area and axes.
    /// Sizes below 240 × 160 pixels are raised to that minimum.
    public func frame(width: Int = 800, height: Int = 500) -> Frame {
        makeLayout(width: width, height: height).frame
    }
}

// MARK: - Layout

extension LinePlot {
    /// Font sizes, lengths and spacings of the drawing, in pixels.
    enum Metrics {
        static let minimumWidth = 240.0
        static let minimumHeight = 160.0
        static let outerPadding = 10.0
        static let titleFont = 15.0
        static let axisLabelFont = 13.0
        static let tickFont = 11.0
        static let legendFont = 12.0
        static let markerLabelFont = 10.0
        static let referenceLabelFont = 11.0
        static let majorTickLength = 5.0
        static let minorTickLength = 3.0
        static let tickLabelGap = 3.0
        static let legendRowHeight = 17.0
        static let legendSampleWidth = 24.0
        static let legendPadding = 8.0
        static let legendInset = 8.0
        static let legendGapOutside = 16.0
        static let maximumLegendNameLength = 40
        /// Pixels per labelled y tick and the starting guess per labelled x tick.
        static let yTickSpacing = 38.0
        static let xTickSpacing = 60.0

        /// An estimate of the rendered width of `text` in a sans-serif font (DejaVu Sans
        /// proportions): narrow letters 0.35 em, superscripts 0.45 em, capitals 0.72 em,
        /// others 0.62 em. Used only to reserve space, so a slight overestimate is intended.
        static func textWidth(_ text: String, fontSize: Double) -> Double {
            var ems = 0.0
            for scalar in text.unicodeScalars {
                switch scalar {
                case "i", "l", "j", "t", "f", "r", ".", ",", ":", ";", "!", "|", "'", " ", "(", ")", "[", "]", "I":
                    ems += 0.35
                case "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹", "⁻":
                    ems += 0.45
                case "A"..."Z", "m", "w", "M", "W", "×", "−", "—":
                    ems += 0.72
                default:
                    ems += 0.62
                }
            }
            return ems * fontSize
        }

        /// `name` cut to `maximumLegendNameLength` characters, with an ellipsis if cut.
        static func legendName(_ name: String) -> String {
            name.count <= maximumLegendNameLength ? name : String(name.prefix(maximumLegendNameLength - 1)) + "…"
        }
    }

    /// A series projected to pixels and thinned, ready to be written.
    struct SeriesShape {
        /// The pixel geometry: polylines for lines, single points for dots.
        enum Geometry {
            case lines([[Point]])
            case dots([Point])
        }

        var name: String
        var color: String
        var drawing: SeriesStyle.Drawing
        var lineWidth: Double
        var geometry: Geometry
    }

    /// A reference line placed in pixels, with the box its label occupies.
    struct PlacedReferenceLine {
        var pixelY: Double
        var label: String
        var color: String
        /// Where the label's text is anchored: its right end (`anchorsAtEnd`) or its left end.
        var labelAnchorX: Double
        var anchorsAtEnd: Bool
        var labelBaseline: Double
        var labelBox: Rect
    }

    /// Everything `svg(width:height:)` draws, placed in pixels.
    struct Layout {
        var frame: Frame
        var shapes: [SeriesShape]
        var referenceLines: [PlacedReferenceLine]
        /// The legend box, or `nil` for no legend.
        var legend: Rect?

        /// How many line segments, dots, reference lines and reference labels `box` would hide
        /// (0 when it covers nothing).
        func coverage(of box: Rect) -> Int {
            let area = box.expanded(by: 3)
            let hiddenReferences = referenceLines.filter { line in
                (area.y...area.maxY).contains(line.pixelY) || area.intersects(line.labelBox)
            }.count
            return hiddenReferences + Self.coverage(of: area, by: shapes)
        }

        /// How many dots, lone points and line segments of `shapes` lie (partly) inside `box`.
        static func coverage(of box: Rect, by shapes: [SeriesShape]) -> Int {
            var count = 0
            for shape in shapes {
                switch shape.geometry {
                case .dots(let dots):
                    count += dots.filter(box.contains).count
                case .lines(let lines):
                    for line in lines {
                        if line.count == 1, box.contains(line[0]) { count += 1 }
                        for index in line.indices.dropFirst()
                        where box.intersectsSegment(from: line[index - 1], to: line[index]) {
                            count += 1
                        }
                    }
                }
            }
            return count
        }
    }

    /// Places every part of the plot on a canvas of the given size.
    func makeLayout(width: Int, height: Int) -> Layout {
        let canvasWidth = max(Double(width), Metrics.minimumWidth)
        let canvasHeight = max(Double(height), Metrics.minimumHeight)
        let legendSize = legendPlacement == .hidden ? nil : self.legendSize()
        let reservesRight = legendPlacement == .outsideRight ? legendSize?.width ?? 0 : 0
        var layout = arrange(width: canvasWidth, height: canvasHeight, legendWidthOutside: reservesRight)
        guard let size = legendSize else { return layout }

        let area = layout.frame.plotArea
        let inset = Metrics.legendInset
        let left = area.x + inset, right = area.maxX - inset - size.width
        let top = area.y + inset, bottom = area.maxY - inset - size.height
        let corner = { (x: Double, y: Double) in Rect(x: x, y: y, width: size.width, height: size.height) }
        switch legendPlacement {
        case .topRight: layout.legend = corner(right, top)
        case .topLeft: layout.legend = corner(left, top)
        case .bottomLeft: layout.legend = corner(left, bottom)
        case .bottomRight: layout.legend = corner(right, bottom)
        case .outsideRight, .hidden:
            layout.legend = corner(area.maxX + Metrics.legendGapOutside, area.y)
        case .automatic:
            let corners = [corner(right, top), corner(left, top), corner(left, bottom), corner(right, bottom)]
                .map { (box: $0, coverage: layout.coverage(of: $0)) }
            if let free = corners.first(where: { $0.box.y >= area.y && $0.coverage == 0 }) {
                layout.legend = free.box
                return layout
            }
            let narrowed = arrange(width: canvasWidth, height: canvasHeight, legendWidthOutside: size.width)
            if narrowed.frame.plotArea.width >= 0.6 * area.width {
                layout = narrowed
                layout.legend = corner(narrowed.frame.plotArea.maxX + Metrics.legendGapOutside, narrowed.frame.plotArea.y)
            } else {
                // On a small canvas the plot would lose too much width: the least covered corner.
                layout.legend = corners.min { $0.coverage < $1.coverage }?.box
            }
        }
        return layout
    }

    /// The size of the legend box, or `nil` if no series has a name.
    func legendSize() -> (width: Double, height: Double)? {
        let names = series.map(\.name).filter { !$0.isEmpty }
        guard !names.isEmpty else { return nil }
        let widest = names.map { Metrics.textWidth(Metrics.legendName($0), fontSize: Metrics.legendFont) }.max() ?? 0
        return (2 * Metrics.legendPadding + Metrics.legendSampleWidth + 6 + widest + 4,
                Metrics.legendPadding + Double(names.count) * Metrics.legendRowHeight + 2)
    }

    /// Computes margins, axes and pixel shapes, leaving `legendWidthOutside` (plus a gap)
    /// free to the right of the plot area when it is not zero.
    func arrange(width: Double, height: Double, legendWidthOutside: Double) -> Layout {
        let bounds = dataBounds()
        let hasMarkerLabels = verticalMarkers.contains { marker in
            xScale.canShow(marker.x) && !(marker.label ?? "").isEmpty
        }
        let top = Metrics.outerPadding + (title.isEmpty ? 0 : Metrics.titleFont + 9)
            + (hasMarkerLabels ? Metrics.markerLabelFont + 6 : 0) + 8
        let bottom = Metrics.majorTickLength + Metrics.tickLabelGap + Metrics.tickFont
            + (xLabel.isEmpty ? 0 : Metrics.axisLabelFont + 8) + Metrics.outerPadding
        let plotHeight = max(40, height - top - bottom)
        let yAxis = Axis(scale: yScale, fixedRange: yRange, dataBounds: bounds.y,
                         maxMajorTicks: Int(plotHeight / Metrics.yTickSpacing))

        let widestYLabel = yAxis.ticks.compactMap(\.label)
            .map { Metrics.textWidth($0, fontSize: Metrics.tickFont) }.max() ?? 0
        let left = min(width * 0.4, Metrics.outerPadding + (yLabel.isEmpty ? 0 : Metrics.axisLabelFont + 8)
            + widestYLabel + Metrics.tickLabelGap + Metrics.majorTickLength + 2)
        var right = 20 + (legendWidthOutside > 0 ? legendWidthOutside + Metrics.legendGapOutside : 0)
        var plotWidth = max(40, width - left - right)

        var maxXTicks = max(2, Int(plotWidth / Metrics.xTickSpacing))
        var xAxis = Axis(scale: xScale, fixedRange: xRange, dataBounds: bounds.x, maxMajorTicks: maxXTicks)
        while maxXTicks > 2 && !Self.tickLabelsFit(xAxis, length: plotWidth) {
            maxXTicks -= 1
            xAxis = Axis(scale: xScale, fixedRange: xRange, dataBounds: bounds.x, maxMajorTicks: maxXTicks)
        }
        // The last x label is centred on its tick and may stick out past the plot's right edge.
        if legendWidthOutside == 0, let last = xAxis.ticks.last(where: { $0.label != nil }), let label = last.label,
           let fraction = xAxis.fraction(of: last.value) {
            let overhang = Metrics.textWidth(label, fontSize: Metrics.tickFont) / 2 - (1 - fraction) * plotWidth
            right = max(right, overhang + 6)
            plotWidth = max(40, width - left - right)
        }

        let frame = Frame(width: width, height: height,
                          plotArea: Rect(x: left, y: top, width: plotWidth, height: plotHeight),
                          xAxis: xAxis, yAxis: yAxis)
        let shapes = series.indices.map { index in shape(of: series[index], at: index, in: frame) }
        return Layout(frame: frame, shapes: shapes,
                      referenceLines: placeReferenceLines(in: frame, avoiding: shapes), legend: nil)
    }

    /// Whether the labels of `axis` (horizontal, `length` pixels) keep 8 px apart.
    static func tickLabelsFit(_ axis: Axis, length: Double) -> Bool {
        let labelled = axis.ticks.compactMap { tick -> (position: Double, width: Double)? in
            guard let label = tick.label, let fraction = axis.fraction(of: tick.value) else { return nil }
            return (fraction * length, Metrics.textWidth(label, fontSize: Metrics.tickFont))
        }.sorted { $0.position < $1.position }
        for index in labelled.indices.dropFirst() {
            let previous = labelled[index - 1], current = labelled[index]
            if current.position - previous.position < (previous.width + current.width) / 2 + 8 { return false }
        }
        return true
    }

    /// The smallest and largest showable coordinates on each axis, over the points shown
    /// (both coordinates showable), the reference lines (y) and the vertical markers (x).
    func dataBounds() -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
        var xBounds = Bounds()
        var yBounds = Bounds()
        for line in series {
            line.x.withUnsafeBufferPointer { xs in
                line.y.withUnsafeBufferPointer { ys in
                    for index in 0..<min(xs.count, ys.count) {
                        let x = xs[index]
                        let y = ys[index]
                        guard xScale.canShow(x), yScale.canShow(y) else { continue }
                        xBounds.include(x)
                        yBounds.include(y)
                    }
                }
            }
        }
        for line in referenceLines where yScale.canShow(line.y) { yBounds.include(line.y) }
        for marker in verticalMarkers where xScale.canShow(marker.x) { xBounds.include(marker.x) }
        return (xBounds.range, yBounds.range)
    }

    /// The smallest and largest of the values seen so far.
    struct Bounds {
        private var low = Double.infinity
        private var high = -Double.infinity

        mutating func include(_ value: Double) {
            low = min(low, value)
            high = max(high, value)
        }

        /// `low...high`, or `nil` if no value was included.
        var range: ClosedRange<Double>? { low <= high ? low...high : nil }
    }

    /// The series at `index` projected into `frame`, thinned, with its style resolved.
    func shape(of series: Series, at index: Int, in frame: Frame) -> SeriesShape {
        let style = series.style.resolved(at: index)
        let geometry: SeriesShape.Geometry = style.drawing == .markers
            ? .dots(frame.thinnedDots(x: series.x, y: series.y))
            : .lines(frame.thinnedPolylines(x: series.x, y: series.y))
        let width = series.style.lineWidth.isFinite && series.style.lineWidth > 0 ? series.style.lineWidth : 1.5
        return SeriesShape(name: series.name, color: style.color, drawing: style.drawing,
                           lineWidth: min(width, 20), geometry: geometry)
    }

    /// The reference lines inside the y range, each label placed at the first of: above the
    /// right end, below the right end, above the left end, below the left end, that stays in
    /// the plot area and covers neither data nor an earlier label; above the right end if none.
    func placeReferenceLines(in frame: Frame, avoiding shapes: [SeriesShape]) -> [PlacedReferenceLine] {
        let area = frame.plotArea
        let font = Metrics.referenceLabelFont
        var placed: [PlacedReferenceLine] = []
        for line in referenceLines {
            guard let fraction = frame.yAxis.fraction(of: line.y), fraction >= -1e-9, fraction <= 1 + 1e-9 else { continue }
            let pixelY = area.maxY - fraction * area.height
            let color = line.color?.hex ?? "#404040"
            guard !line.label.isEmpty else {
                let noBox = Rect(x: area.maxX, y: pixelY, width: 0, height: 0)
                placed.append(PlacedReferenceLine(pixelY: pixelY, label: "", color: color, labelAnchorX: area.maxX,
                                                  anchorsAtEnd: true, labelBaseline: pixelY, labelBox: noBox))
                continue
            }
            let width = Metrics.textWidth(line.label, fontSize: font)
            let candidates = [(true, true), (true, false), (false, true), (false, false)].map { atRight, above in
                let baseline = above ? pixelY - 4 : pixelY + 3 + font * 0.8
                let left = atRight ? area.maxX - 6 - width : area.x + 6
                return PlacedReferenceLine(pixelY: pixelY, label: line.label, color: color,
                                           labelAnchorX: atRight ? area.maxX - 6 : left, anchorsAtEnd: atRight,
                                           labelBaseline: baseline,
                                           labelBox: Rect(x: left, y: baseline - font * 0.8 - 1, width: width, height: font + 1))
            }
            let fits = { (candidate: PlacedReferenceLine) in
                let box = candidate.labelBox
                return box.y >= area.y + 1 && box.maxY <= area.maxY - 1
                    && !placed.contains { $0.labelBox.intersects(box) }
                    && Layout.coverage(of: box.expanded(by: 1), by: shapes) == 0
            }
            placed.append(candidates.first(where: fits) ?? candidates[0])
        }
        return placed
    }
}
