extension LinePlot.Frame {
    /// The points of a line series in pixels, split into polylines at points the axes cannot
    /// show, and thinned: of each run of consecutive points in the same pixel column only the
    /// first, the lowest, the highest and the last are kept (in their original order).
    ///
    /// A line through the kept points covers exactly the pixels the full line covers, so a
    /// series of n points costs O(n) time here and at most about 4 × (plot width) points in the
    /// document, however large n is.
    func thinnedPolylines(x: [Double], y: [Double]) -> [[LinePlot.Point]] {
        var polylines: [[LinePlot.Point]] = []
        var current: [LinePlot.Point] = []
        var run: LinePlot.ColumnRun?
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                for index in 0..<min(xs.count, ys.count) {
                    guard let point = drawingPosition(x: xs[index], y: ys[index]) else {
                        run?.append(to: &current)
                        run = nil
                        if !current.isEmpty { polylines.append(current) }
                        current.removeAll(keepingCapacity: true)
                        continue
                    }
                    let column = point.x.rounded(.down)
                    if run?.column == column {
                        run!.add(point, at: index)
                    } else {
                        run?.append(to: &current)
                        run = LinePlot.ColumnRun(first: point, at: index, column: column)
                    }
                }
            }
        }
        run?.append(to: &current)
        if !current.isEmpty { polylines.append(current) }
        return polylines
    }

    /// The points of a dot series in pixels, without points the axes cannot show, points
    /// more than a few pixels outside the plot area (they would be clipped), and points whose
    /// rounded pixel position repeats an earlier dot (they would be drawn on top of it).
    func thinnedDots(x: [Double], y: [Double]) -> [LinePlot.Point] {
        let visible = plotArea.expanded(by: 10)
        var seen = Set<Int>()
        var dots: [LinePlot.Point] = []
        for index in 0..<min(x.count, y.count) {
            guard let point = drawingPosition(x: x[index], y: y[index]), visible.contains(point) else { continue }
            // Visible positions lie within a few pixels of the canvas, so this key is unique per pixel.
            let key = Int(point.x.rounded()) &* 1_000_003 &+ Int(point.y.rounded())
            if seen.insert(key).inserted { dots.append(point) }
        }
        return dots
    }
}

extension LinePlot {
    /// Consecutive points of a series that fall in one pixel column, reduced to the first, the
    /// lowest (largest pixel y), the highest (smallest pixel y) and the last.
    struct ColumnRun {
        let column: Double
        let first: Point
        var low: Point
        var lowIndex: Int
        var high: Point
        var highIndex: Int
        var last: Point

        init(first point: Point, at index: Int, column: Double) {
            self.column = column
            first = point
            low = point
            high = point
            last = point
            lowIndex = index
            highIndex = index
        }

        mutating func add(_ point: Point, at index: Int) {
            if point.y > low.y { low = point; lowIndex = index }
            if point.y < high.y { high = point; highIndex = index }
            last = point
        }

        /// Appends the kept points in their original order, skipping exact repeats.
        func append(to polyline: inout [Point]) {
            let lowFirst = lowIndex <= highIndex
            for point in [first, lowFirst ? low : high, lowFirst ? high : low, last] where polyline.last != point {
                polyline.append(point)
            }
        }
    }
}
