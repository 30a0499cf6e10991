extension LinePlot {
    /// The plot as a complete standalone SVG 1.1 document: XML declaration, `<svg>` root with
    /// namespace and `viewBox`, white background, grid, axes with tick labels, axis labels,
    /// title, series, reference lines, vertical markers and legend.
    ///
    /// Sizes below 240 × 160 pixels are raised to that minimum. Elements carry `class`
    /// attributes (`series`, `legend-entry`, `tick-label`, `vertical-marker`,
    /// `reference-line`, `plot-area`, …) so that tests and style sheets can find them.
    public func svg(width: Int = 800, height: Int = 500) -> String {
        var renderer = SVGRenderer(plot: self, layout: makeLayout(width: width, height: height))
        return renderer.document()
    }

    /// Writes the parts of a laid-out plot as SVG elements, in drawing order.
    struct SVGRenderer {
        let plot: LinePlot
        let layout: Layout
        private var output = ""
        private var area: Rect { layout.frame.plotArea }

        private static let textColor = "#222222"
        private static let axisColor = "#333333"
        private static let gridColor = "#e3e3e3"
        private static let markerColor = "#8c8c8c"
        private static let clipID = "plot-area-clip"

        init(plot: LinePlot, layout: Layout) {
            self.plot = plot
            self.layout = layout
        }

        /// The whole document.
        mutating func document() -> String {
            writeHeader()
            writeGrid()
            writeVerticalMarkers()
            writeBands()
            writeSeries()
            writeReferenceLines()
            writeAxes()
            writeLabels()
            writeLegend()
            output += "</svg>\n"
            return output
        }

        private func number(_ value: Double) -> String { XML.number(value) }

        private mutating func writeHeader() {
            let width = number(layout.frame.width), height = number(layout.frame.height)
            output += "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
            output += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(width)\" height=\"\(height)\" "
            output += "viewBox=\"0 0 \(width) \(height)\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
            if !plot.title.isEmpty { output += "<title>\(XML.escaped(plot.title))</title>\n" }
            output += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>\n"
            output += "<defs><clipPath id=\"\(Self.clipID)\"><rect x=\"\(number(area.x))\" y=\"\(number(area.y))\" "
            output += "width=\"\(number(area.width))\" height=\"\(number(area.height))\"/></clipPath></defs>\n"
        }

        /// Light grid lines at the major ticks of both axes, as one path.
        private mutating func writeGrid() {
            var path = ""
            for (tick, x) in tickPositions(layout.frame.xAxis, horizontal: true) where tick.isMajor {
                path += "M\(number(x)) \(number(area.y))V\(number(area.maxY))"
            }
            for (tick, y) in tickPositions(layout.frame.yAxis, horizontal: false) where tick.isMajor {
                path += "M\(number(area.x)) \(number(y))H\(number(area.maxX))"
            }
            guard !path.isEmpty else { return }
            output += "<path class=\"grid\" d=\"\(path)\" fill=\"none\" stroke=\"\(Self.gridColor)\" stroke-width=\"1\"/>\n"
        }

        /// Dashed vertical lines; labels above the plot area, skipping any that would overlap
        /// the previous drawn label.
        private mutating func writeVerticalMarkers() {
            guard !plot.verticalMarkers.isEmpty else { return }
            var drawn = Set<String>()
            var labels = ""
            var lastLabelEnd = -Double.infinity
            output += "<g class=\"vertical-markers\">\n"
            for marker in plot.verticalMarkers {
                guard let fraction = layout.frame.xAxis.fraction(of: marker.x),
                      fraction >= -1e-9, fraction <= 1 + 1e-9 else { continue }
                let x = area.x + fraction * area.width
                let color = marker.color?.hex ?? Self.markerColor
                guard drawn.insert(number(x) + color).inserted else { continue }
                output += "<line class=\"vertical-marker\" x1=\"\(number(x))\" y1=\"\(number(area.y))\" "
                output += "x2=\"\(number(x))\" y2=\"\(number(area.maxY))\" stroke=\"\(color)\" "
                output += "stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\n"
                guard let label = marker.label, !label.isEmpty else { continue }
                let width = Metrics.textWidth(label, fontSize: Metrics.markerLabelFont)
                guard x - width / 2 >= lastLabelEnd + 4 else { continue }
                lastLabelEnd = x + width / 2
                labels += "<text class=\"marker-label\" x=\"\(number(x))\" y=\"\(number(area.y - 5))\" "
                labels += "text-anchor=\"middle\" font-size=\"\(number(Metrics.markerLabelFont))\" "
                labels += "fill=\"\(color)\">\(XML.escaped(label))</text>\n"
            }
            output += labels + "</g>\n"
        }

        /// One filled `<path>` per band (one closed polygon per unbroken stretch), clipped to
        /// the plot area, under the series.
        private mutating func writeBands() {
            guard !plot.bands.isEmpty else { return }
            output += "<g class=\"band-group\" clip-path=\"url(#\(Self.clipID))\">\n"
            for band in plot.bands {
                var path = ""
                var stretch: [(upper: Point, lower: Point)] = []
                func close() {
                    defer { stretch.removeAll(keepingCapacity: true) }
                    guard stretch.count >= 2 else { return }
                    path += "M\(number(stretch[0].upper.x)) \(number(stretch[0].upper.y))"
                    for pair in stretch.dropFirst() { path += "L\(number(pair.upper.x)) \(number(pair.upper.y))" }
                    for pair in stretch.reversed() { path += "L\(number(pair.lower.x)) \(number(pair.lower.y))" }
                    path += "Z"
                }
                for index in band.x.indices {
                    if let upper = layout.frame.drawingPosition(x: band.x[index], y: band.upper[index]),
                       let lower = layout.frame.drawingPosition(x: band.x[index], y: band.lower[index]) {
                        stretch.append((upper, lower))
                    } else {
                        close()
                    }
                }
                close()
                guard !path.isEmpty else { continue }
                output += "<path class=\"band\" d=\"\(path)\" fill=\"\(band.color.hex)\" "
                output += "fill-opacity=\"\(number(band.opacity))\" stroke=\"none\"/>\n"
            }
            output += "</g>\n"
        }

        /// One `<path>` per series, clipped to the plot area.
        private mutating func writeSeries() {
            output += "<g class=\"series-group\" clip-path=\"url(#\(Self.clipID))\">\n"
            for shape in layout.shapes {
                var path = ""
                switch shape.geometry {
                case .dots(let dots):
                    path.reserveCapacity(dots.count * 14)
                    for dot in dots { path += "M\(number(dot.x)) \(number(dot.y))h0" }
                case .lines(let lines):
                    path.reserveCapacity(lines.reduce(0) { $0 + $1.count } * 12)
                    for line in lines {
                        path += "M\(number(line[0].x)) \(number(line[0].y))"
                        if line.count == 1 {
                            path += "h0"  // a lone point: a zero-length segment, drawn as a dot by the round cap
                        } else {
                            path += "L"
                            for index in line.indices.dropFirst() {
                                if index > 1 { path += " " }
                                path += "\(number(line[index].x)) \(number(line[index].y))"
                            }
                        }
                    }
                }
                output += "<path class=\"series\" data-name=\"\(XML.escaped(shape.name))\" d=\"\(path)\" "
                output += strokeAttributes(of: shape) + "/>\n"
            }
            output += "</g>\n"
        }

        /// Fill, stroke, width, joins and dashes of a series path or its legend sample.
        private func strokeAttributes(of shape: SeriesShape) -> String {
            let width = shape.drawing == .markers ? shape.lineWidth * 2.5 : shape.lineWidth
            var attributes = "fill=\"none\" stroke=\"\(shape.color)\" stroke-width=\"\(number(width))\" "
            attributes += "stroke-linejoin=\"round\" stroke-linecap=\"round\""
            if shape.drawing == .dashedLine { attributes += " stroke-dasharray=\"6 4\"" }
            return attributes
        }

        /// Dashed horizontal lines with their labels, drawn over the series.
        private mutating func writeReferenceLines() {
            guard !layout.referenceLines.isEmpty else { return }
            output += "<g class=\"reference-lines\">\n"
            for line in layout.referenceLines {
                output += "<line class=\"reference-line\" x1=\"\(number(area.x))\" y1=\"\(number(line.pixelY))\" "
                output += "x2=\"\(number(area.maxX))\" y2=\"\(number(line.pixelY))\" stroke=\"\(line.color)\" "
                output += "stroke-width=\"1.2\" stroke-dasharray=\"8 4\"/>\n"
                guard !line.label.isEmpty else { continue }
                output += "<text class=\"reference-label\" x=\"\(number(line.labelAnchorX))\" "
                output += "y=\"\(number(line.labelBaseline))\" text-anchor=\"\(line.anchorsAtEnd ? "end" : "start")\" "
                output += "font-size=\"\(number(Metrics.referenceLabelFont))\" fill=\"\(line.color)\" "
                output += "stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">"
                output += XML.escaped(line.label) + "</text>\n"
            }
            output += "</g>\n"
        }

        /// The plot-area border, tick marks (outward; minor ones shorter) and tick labels.
        private mutating func writeAxes() {
            output += "<rect class=\"plot-area\" x=\"\(number(area.x))\" y=\"\(number(area.y))\" "
            output += "width=\"\(number(area.width))\" height=\"\(number(area.height))\" "
            output += "fill=\"none\" stroke=\"\(Self.axisColor)\" stroke-width=\"1\"/>\n"
            var marks = ""
            var labels = ""
            let font = number(Metrics.tickFont)
            for (tick, x) in tickPositions(layout.frame.xAxis, horizontal: true) {
                let length = tick.isMajor ? Metrics.majorTickLength : Metrics.minorTickLength
                marks += "M\(number(x)) \(number(area.maxY))v\(number(length))"
                guard let label = tick.label else { continue }
                labels += "<text class=\"tick-label\" data-axis=\"x\" x=\"\(number(x))\" "
                labels += "y=\"\(number(area.maxY + Metrics.majorTickLength + Metrics.tickLabelGap + Metrics.tickFont * 0.8))\" "
                labels += "text-anchor=\"middle\" font-size=\"\(font)\" fill=\"\(Self.textColor)\">\(XML.escaped(label))</text>\n"
            }
            for (tick, y) in tickPositions(layout.frame.yAxis, horizontal: false) {
                let length = tick.isMajor ? Metrics.majorTickLength : Metrics.minorTickLength
                marks += "M\(number(area.x)) \(number(y))h\(number(-length))"
                guard let label = tick.label else { continue }
                labels += "<text class=\"tick-label\" data-axis=\"y\" "
                labels += "x=\"\(number(area.x - Metrics.majorTickLength - Metrics.tickLabelGap))\" "
                labels += "y=\"\(number(y + Metrics.tickFont * 0.35))\" text-anchor=\"end\" font-size=\"\(font)\" "
                labels += "fill=\"\(Self.textColor)\">\(XML.escaped(label))</text>\n"
            }
            if !marks.isEmpty {
                output += "<path class=\"ticks\" d=\"\(marks)\" fill=\"none\" stroke=\"\(Self.axisColor)\" stroke-width=\"1\"/>\n"
            }
            output += labels
        }

        /// Title, x-axis label and (rotated) y-axis label.
        private mutating func writeLabels() {
            let centerX = area.x + area.width / 2
            if !plot.title.isEmpty {
                // Centred over the plot area, but moved inward if it would run off the canvas; a
                // title wider than the canvas is set in a smaller font so that none of it is cut.
                let canvasWidth = layout.frame.width
                let available = canvasWidth - 2 * Metrics.outerPadding
                let naturalWidth = Metrics.textWidth(plot.title, fontSize: Metrics.titleFont) * 1.05
                let fontSize = naturalWidth > available ? Metrics.titleFont * available / naturalWidth : Metrics.titleFont
                let halfWidth = min(naturalWidth, available) / 2
                let titleX = min(max(centerX, Metrics.outerPadding + halfWidth), canvasWidth - Metrics.outerPadding - halfWidth)
                output += "<text class=\"title\" x=\"\(number(titleX))\" "
                output += "y=\"\(number(Metrics.outerPadding + Metrics.titleFont - 1))\" text-anchor=\"middle\" "
                output += "font-size=\"\(number(fontSize))\" font-weight=\"bold\" fill=\"\(Self.textColor)\">"
                output += XML.escaped(plot.title) + "</text>\n"
            }
            if !plot.xLabel.isEmpty {
                let baseline = area.maxY + Metrics.majorTickLength + Metrics.tickLabelGap + Metrics.tickFont * 0.8
                    + 8 + Metrics.axisLabelFont * 0.8
                output += "<text class=\"axis-label\" data-axis=\"x\" x=\"\(number(centerX))\" y=\"\(number(baseline))\" "
                output += "text-anchor=\"middle\" font-size=\"\(number(Metrics.axisLabelFont))\" fill=\"\(Self.textColor)\">"
                output += XML.escaped(plot.xLabel) + "</text>\n"
            }
            if !plot.yLabel.isEmpty {
                let x = number(Metrics.outerPadding + Metrics.axisLabelFont * 0.8)
                let y = number(area.y + area.height / 2)
                output += "<text class=\"axis-label\" data-axis=\"y\" x=\"\(x)\" y=\"\(y)\" transform=\"rotate(-90 \(x) \(y))\" "
                output += "text-anchor=\"middle\" font-size=\"\(number(Metrics.axisLabelFont))\" fill=\"\(Self.textColor)\">"
                output += XML.escaped(plot.yLabel) + "</text>\n"
            }
        }

        /// The legend box with one entry (sample line or dot, and name) per named series.
        private mutating func writeLegend() {
            guard let box = layout.legend else { return }
            output += "<g class=\"legend\">\n"
            output += "<rect class=\"legend-box\" x=\"\(number(box.x))\" y=\"\(number(box.y))\" "
            output += "width=\"\(number(box.width))\" height=\"\(number(box.height))\" rx=\"3\" "
            output += "fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#c8c8c8\" stroke-width=\"1\"/>\n"
            let sampleX = box.x + Metrics.legendPadding
            for (row, shape) in layout.shapes.filter({ !$0.name.isEmpty }).enumerated() {
                let centerY = box.y + Metrics.legendPadding / 2 + (Double(row) + 0.5) * Metrics.legendRowHeight + 1
                let sample = shape.drawing == .markers
                    ? "M\(number(sampleX + Metrics.legendSampleWidth / 2)) \(number(centerY))h0"
                    : "M\(number(sampleX)) \(number(centerY))h\(number(Metrics.legendSampleWidth))"
                output += "<g class=\"legend-entry\"><path d=\"\(sample)\" \(strokeAttributes(of: shape))/>"
                output += "<text x=\"\(number(sampleX + Metrics.legendSampleWidth + 6))\" "
                output += "y=\"\(number(centerY + Metrics.legendFont * 0.35))\" font-size=\"\(number(Metrics.legendFont))\" "
                output += "fill=\"\(Self.textColor)\">\(XML.escaped(Metrics.legendName(shape.name)))</text></g>\n"
            }
            output += "</g>\n"
        }

        /// The ticks of `axis` with their pixel positions along it (x for a horizontal axis,
        /// y for a vertical one), leaving out any outside the plot area.
        private func tickPositions(_ axis: Axis, horizontal: Bool) -> [(tick: Tick, position: Double)] {
            axis.ticks.compactMap { tick in
                guard let fraction = axis.fraction(of: tick.value), fraction >= -1e-9, fraction <= 1 + 1e-9 else {
                    return nil
                }
                return (tick, horizontal ? area.x + fraction * area.width : area.maxY - fraction * area.height)
            }
        }
    }
}
