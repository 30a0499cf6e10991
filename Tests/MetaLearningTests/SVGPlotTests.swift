import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import MetaLearning
import MetaLearningTestSupport
import SVGPlot

/// `LinePlot`: the SVG is well-formed, draws what it is given where the frame says, and stays
/// valid for empty, constant, non-finite, non-positive (log) and very long inputs.
final class SVGPlotTests: XCTestCase {
    // MARK: - Document structure

    func testOutputIsAWellFormedStandaloneSVGDocument() throws {
        let plot = LinePlot(title: "MSEt", xLabel: "epoch", yLabel: "MSEt", yScale: .log10,
                            series: [.init(name: "train", y: [0.3, 0.1, 0.03, 0.01], firstX: 1)])
        let svg = plot.svg(width: 640, height: 400)
        XCTAssertTrue(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\""))
        let document = try SVGDocument(svg)
        let root = try XCTUnwrap(document.elements.first)
        XCTAssertEqual(root.name, "svg")
        XCTAssertEqual(root.attributes["xmlns"], "http://www.w3.org/2000/svg")
        XCTAssertEqual(root.attributes["viewBox"], "0 0 640 400")
        XCTAssertEqual(document.elements(ofClass: "title").map(\.text), ["MSEt"])
        XCTAssertEqual(document.elements(ofClass: "axis-label").map(\.text), ["epoch", "MSEt"])
    }

    func testABandIsOneClosedPolygonPerUnbrokenStretchUnderTheSeries() throws {
        var plot = LinePlot(yScale: .log10, series: [.init(name: "mean", y: [0.5, 0.2, 0.1, 0.05, 0.02], firstX: 1)])
        // The third lower bound is 0, which a log axis cannot show: the band breaks there.
        plot.bands.append(LinePlot.Band(lower: [0.4, 0.15, 0, 0.04, 0.01], upper: [0.6, 0.25, 0.12, 0.06, 0.03],
                                        firstX: 1, color: .blue))
        let svg = plot.svg(width: 640, height: 400)
        let document = try SVGDocument(svg)
        let band = try XCTUnwrap(document.elements(ofClass: "band").first)
        let path = try XCTUnwrap(band.attributes["d"])
        XCTAssertEqual(path.filter { $0 == "M" }.count, 2)  // two stretches: x = 1–2 and x = 4–5
        XCTAssertEqual(path.filter { $0 == "Z" }.count, 2)
        XCTAssertFalse(path.contains("nan") || path.contains("inf"))
        // Drawn before (under) the series.
        XCTAssertLessThan(try XCTUnwrap(svg.range(of: "class=\"band\"")).lowerBound,
                          try XCTUnwrap(svg.range(of: "class=\"series\"")).lowerBound)
    }

    func testATitleWiderThanTheCanvasIsSetSmallerSoThatNoneOfItIsCut() throws {
        let long = String(repeating: "a long title about switching streams ", count: 4)
        let plot = LinePlot(title: long, series: [.init(name: "a", y: [1, 2, 3])])
        let document = try SVGDocument(plot.svg(width: 640, height: 400))
        let title = try XCTUnwrap(document.elements(ofClass: "title").first)
        let fontSize = try XCTUnwrap(Double(title.attributes["font-size"] ?? ""))
        let x = try XCTUnwrap(Double(title.attributes["x"] ?? ""))
        XCTAssertLessThan(fontSize, 15)
        XCTAssertGreaterThan(fontSize, 3)
        // Shrunk to the canvas's width between the paddings, it is centred on the canvas.
        XCTAssertEqual(x, 320, accuracy: 1)
        // A short title keeps the normal size.
        let short = try SVGDocument(LinePlot(title: "MSEt").svg(width: 640, height: 400))
        XCTAssertEqual(short.elements(ofClass: "title").first?.attributes["font-size"], "15")
    }

    func testEachSeriesIsOnePathAndEachNamedSeriesOneLegendEntry() throws {
        let plot = LinePlot(series: [
            .init(name: "train", y: [1, 2, 3]),
            .init(name: "test", y: [2, 3, 1], style: .dashed()),
            .init(name: "", y: [3, 1, 2]),
            .init(name: "dots", y: [1, 1, 2], style: .markers(.red)),
        ])
        let document = try SVGDocument(plot.svg())
        XCTAssertEqual(document.elements(ofClass: "series").count, 4)
        XCTAssertEqual(document.elements(ofClass: "legend-entry").count, 3)
        XCTAssertEqual(document.elements(ofClass: "legend-entry").compactMap { $0.children.last?.text },
                       ["train", "test", "dots"])
    }

    func testTickLabelsAreTheLabelledTicksOfTheFrameAxes() throws {
        let plot = LinePlot(xRange: 0...10, yRange: 0...1, series: [.init(name: "a", x: [0, 10], y: [0, 1])])
        let frame = plot.frame(width: 800, height: 500)
        let labels = try SVGDocument(plot.svg(width: 800, height: 500)).elements(ofClass: "tick-label")
        let xLabels = labels.filter { $0.attributes["data-axis"] == "x" }.map(\.text)
        let yLabels = labels.filter { $0.attributes["data-axis"] == "y" }.map(\.text)
        XCTAssertEqual(xLabels, (0...10).map(String.init))
        XCTAssertEqual(xLabels, frame.xAxis.ticks.compactMap(\.label))
        XCTAssertEqual(yLabels, frame.yAxis.ticks.compactMap(\.label))
        XCTAssertEqual(yLabels.first, "0.0")
        XCTAssertEqual(yLabels.last, "1.0")
    }

    // MARK: - Axes

    func testLogTicksFromTenToTheMinusFourToOneArePowersOfTenWithTwoAndFiveMinorTicks() throws {
        let axis = LinePlot.Axis(scale: .log10, fixedRange: 1e-4...1, dataBounds: nil, maxMajorTicks: 10)
        XCTAssertEqual(axis.ticks.filter(\.isMajor).map(\.value), [1e-4, 1e-3, 1e-2, 1e-1, 1])
        XCTAssertEqual(axis.ticks.filter(\.isMajor).map(\.label), ["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰"])
        let minors = axis.ticks.filter { !$0.isMajor }
        XCTAssertEqual(minors.count, 8)
        for tick in minors {
            let mantissa = tick.value / pow(10, log10(tick.value).rounded(.down))
            XCTAssertTrue(abs(mantissa - 2) < 1e-9 || abs(mantissa - 5) < 1e-9, "minor tick at \(tick.value)")
            XCTAssertNil(tick.label)
        }

        let plot = LinePlot(yScale: .log10, yRange: 1e-4...1, series: [.init(name: "e", y: [0.5, 1e-3])])
        let yLabels = try SVGDocument(plot.svg()).elements(ofClass: "tick-label")
            .filter { $0.attributes["data-axis"] == "y" }.map(\.text)
        XCTAssertEqual(yLabels, ["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰"])
    }

    func testLogAxisOverManyDecadesLabelsEveryThirdDecadeWithinTheTickBudget() {
        let axis = LinePlot.Axis(scale: .log10, fixedRange: 1e-12...1, dataBounds: nil, maxMajorTicks: 5)
        XCTAssertEqual(axis.ticks.filter(\.isMajor).map(\.value), [1e-12, 1e-9, 1e-6, 1e-3, 1])
        XCTAssertEqual(axis.ticks.filter { !$0.isMajor }.count, 8, "the other decades as minor ticks")
    }

    func testLogAxisWithRoomLabelsTheTwoAndFiveTicksInPlainDecimals() {
        let axis = LinePlot.Axis(scale: .log10, fixedRange: 0.01...1, dataBounds: nil, maxMajorTicks: 10)
        XCTAssertEqual(axis.ticks.compactMap(\.label), ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"])
    }

    func testAutomaticLinearRangeEndsOnNiceTickValues() {
        let axis = LinePlot.Axis(scale: .linear, fixedRange: nil, dataBounds: 0.3...9.7, maxMajorTicks: 6)
        XCTAssertEqual(axis.range, 0...10)
        XCTAssertEqual(axis.ticks.map(\.value), [0, 2, 4, 6, 8, 10])
    }

    func testAutomaticLogRangeKeepsAMarginAndEndsOnOneTwoOrFiveTimesAPowerOfTen() {
        let axis = LinePlot.Axis(scale: .log10, fixedRange: nil, dataBounds: 0.01...0.26, maxMajorTicks: 10)
        XCTAssertEqual(axis.range.lowerBound, 0.005, accuracy: 1e-15)
        XCTAssertEqual(axis.range.upperBound, 0.5, accuracy: 1e-15)
    }

    func testUnusableFixedRangeFallsBackToTheData() {
        let plot = LinePlot(yScale: .log10, yRange: -1...1, series: [.init(name: "", y: [0.1, 0.2])])
        XCTAssertGreaterThan(plot.frame().yAxis.range.lowerBound, 0)
        let reversed = LinePlot(xRange: 5...5, series: [.init(name: "", y: [1, 2])])
        XCTAssertLessThan(reversed.frame().xAxis.range.lowerBound, reversed.frame().xAxis.range.upperBound)
    }

    func testLinearLabelsSwitchToPowersOfTenForVerySmallSteps() {
        let axis = LinePlot.Axis(scale: .linear, fixedRange: 0...5e-6, dataBounds: nil, maxMajorTicks: 6)
        XCTAssertEqual(axis.ticks.compactMap(\.label), ["0", "1×10⁻⁶", "2×10⁻⁶", "3×10⁻⁶", "4×10⁻⁶", "5×10⁻⁶"])
    }

    // MARK: - Geometry

    func testPointMapsToTheExpectedPixelCoordinate() throws {
        let plot = LinePlot(yScale: .log10, xRange: 0...10, yRange: 1e-4...1,
                            series: [.init(name: "e", points: [(x: 5, y: 1e-2), (x: 10, y: 1)])])
        let frame = plot.frame(width: 800, height: 500)
        let area = frame.plotArea

        let document = try SVGDocument(plot.svg(width: 800, height: 500))
        let drawnArea = try XCTUnwrap(document.elements(ofClass: "plot-area").first)
        XCTAssertEqual(try drawnArea.number("x"), area.x, accuracy: 0.051)
        XCTAssertEqual(try drawnArea.number("y"), area.y, accuracy: 0.051)
        XCTAssertEqual(try drawnArea.number("width"), area.width, accuracy: 0.051)
        XCTAssertEqual(try drawnArea.number("height"), area.height, accuracy: 0.051)

        // x = 5 is halfway along 0...10; y = 10⁻² is halfway (in decades) along 10⁻⁴...1.
        let middle = try XCTUnwrap(frame.position(x: 5, y: 1e-2))
        XCTAssertEqual(middle.x, area.x + area.width / 2, accuracy: 1e-9)
        XCTAssertEqual(middle.y, area.y + area.height / 2, accuracy: 1e-9)
        let corner = try XCTUnwrap(frame.position(x: 10, y: 1))
        XCTAssertEqual(corner.x, area.maxX, accuracy: 1e-9)
        XCTAssertEqual(corner.y, area.y, accuracy: 1e-9)

        let path = try XCTUnwrap(document.elements(ofClass: "series").first?.attributes["d"])
        let coordinates = pathNumbers(path)
        XCTAssertEqual(coordinates.count, 4)
        XCTAssertEqual(coordinates[0], middle.x, accuracy: 0.051)
        XCTAssertEqual(coordinates[1], middle.y, accuracy: 0.051)
        XCTAssertEqual(coordinates[2], corner.x, accuracy: 0.051)
        XCTAssertEqual(coordinates[3], corner.y, accuracy: 0.051)
    }

    func testLogAxisDropsNonPositivePointsAndBreaksTheLineThere() throws {
        let plot = LinePlot(yScale: .log10, series: [.init(name: "e", y: [1, 0, -1, 0.1, 0.01])])
        let path = try XCTUnwrap(try SVGDocument(plot.svg()).elements(ofClass: "series").first?.attributes["d"])
        XCTAssertEqual(path.filter { $0 == "M" }.count, 2, "a new segment after the dropped points")
        XCTAssertTrue(path.contains("h0"), "the lone first point is drawn as a dot")
        XCTAssertEqual(pathNumbers(path).count, 2 * 3)
    }

    // MARK: - Robustness

    func testNonFiniteInputsNeverReachTheDocument() throws {
        let plot = LinePlot(
            title: "robust", xRange: 0 ... .infinity,
            series: [
                .init(name: "a", x: [0, 1, .nan, 3, .infinity, 5], y: [1, .nan, 2, -.infinity, 4, 5]),
                .init(name: "b", x: [.nan], y: [.nan]),
            ],
            referenceLines: [.init(y: .nan, label: "nothing"), .init(y: 3, label: "three")],
            verticalMarkers: [.init(x: .infinity, label: "far"), .init(x: 2)]
        )
        for scale in [LinePlot.AxisScale.linear, .log10] {
            var variant = plot
            variant.yScale = scale
            let svg = variant.svg()
            XCTAssertNoThrow(try SVGDocument(svg))
            XCTAssertFalse(svg.lowercased().contains("nan"), "NaN leaked with \(scale) y axis")
            XCTAssertFalse(svg.lowercased().contains("inf"), "infinity leaked with \(scale) y axis")
        }
        let document = try SVGDocument(plot.svg())
        XCTAssertEqual(document.elements(ofClass: "series").count, 2)
        XCTAssertEqual(document.elements(ofClass: "reference-line").count, 1)
        XCTAssertEqual(document.elements(ofClass: "vertical-marker").count, 1)
    }

    func testEmptyPlotAndEmptySeriesGiveValidDocumentsWithTicks() throws {
        for plot in [LinePlot(), LinePlot(yScale: .log10, series: [.init(name: "empty", x: [], y: [])])] {
            let document = try SVGDocument(plot.svg())
            XCTAssertGreaterThanOrEqual(document.elements(ofClass: "tick-label").count, 4)
            XCTAssertEqual(document.elements(ofClass: "series").count, plot.series.count)
        }
    }

    func testAllEqualValuesWidenTheRangeAroundThem() {
        let linear = LinePlot(series: [.init(name: "", x: [2, 2, 2], y: [3, 3, 3])]).frame()
        XCTAssertTrue(linear.yAxis.range.lowerBound < 3 && 3 < linear.yAxis.range.upperBound)
        XCTAssertTrue(linear.xAxis.range.lowerBound < 2 && 2 < linear.xAxis.range.upperBound)
        let zero = LinePlot(series: [.init(name: "", y: [0, 0])]).frame()
        XCTAssertTrue(zero.yAxis.range.lowerBound < 0 && 0 < zero.yAxis.range.upperBound)
        let log = LinePlot(yScale: .log10, series: [.init(name: "", y: [1e-3, 1e-3])]).frame()
        XCTAssertTrue(log.yAxis.range.lowerBound < 1e-3 && 1e-3 < log.yAxis.range.upperBound)
    }

    func testXMLSpecialCharactersInAllTextAreEscaped() throws {
        let title = "MSE < 0.01 & \"Bayes\" > 'floor'"
        let plot = LinePlot(title: title, xLabel: "x<&>", yLabel: "y<&>",
                            series: [.init(name: "A&B <c>", y: [1, 2])],
                            referenceLines: [.init(y: 1.5, label: "<floor & ceiling>")],
                            verticalMarkers: [.init(x: 1, label: "f<1>")])
        let svg = plot.svg()
        XCTAssertFalse(svg.contains("MSE < 0.01"))
        XCTAssertTrue(svg.contains("MSE &lt; 0.01 &amp; &quot;Bayes&quot; &gt; &apos;floor&apos;"))
        let document = try SVGDocument(svg)
        XCTAssertEqual(document.elements(ofClass: "title").first?.text, title)
        XCTAssertEqual(document.elements(ofClass: "series").first?.attributes["data-name"], "A&B <c>")
        XCTAssertEqual(document.elements(ofClass: "reference-label").first?.text, "<floor & ceiling>")
        XCTAssertEqual(document.elements(ofClass: "marker-label").first?.text, "f<1>")
    }

    func testControlCharactersForbiddenInXMLAreRemoved() throws {
        let plot = LinePlot(title: "bell\u{7}here\u{0}")
        XCTAssertEqual(try SVGDocument(plot.svg()).elements(ofClass: "title").first?.text, "bellhere")
    }

    func testVerticalMarkersAreDrawnOncePerDistinctShownPosition() throws {
        var plot = LinePlot(series: [.init(name: "", y: Array(repeating: 1, count: 1200))])
        plot.verticalMarkers = stride(from: 0, to: 1200, by: 100).map { LinePlot.VerticalMarker(x: Double($0)) }
        plot.verticalMarkers[0].label = "f0"
        plot.verticalMarkers[6].label = "f1"
        plot.verticalMarkers.append(.init(x: 300))  // the same position again
        plot.verticalMarkers.append(.init(x: .nan))  // cannot be shown
        let document = try SVGDocument(plot.svg())
        XCTAssertEqual(document.elements(ofClass: "vertical-marker").count, 12)
        XCTAssertEqual(document.elements(ofClass: "marker-label").map(\.text), ["f0", "f1"])
    }

    func testMarkersOnlySeriesDrawsOneDotPerDistinctPixel() throws {
        let plot = LinePlot(series: [.init(name: "dots", x: [0, 1, 1, 2, 3], y: [0, 1, 1, 4, 9], style: .markers())])
        let path = try XCTUnwrap(try SVGDocument(plot.svg()).elements(ofClass: "series").first?.attributes["d"])
        XCTAssertEqual(path.components(separatedBy: "h0").count - 1, 4)
        XCTAssertFalse(path.contains("L"))
    }

    func testLongSeriesIsThinnedPerPixelColumnKeepingItsExtremes() throws {
        let count = 100_000
        let ys = (0..<count).map { index in sin(Double(index) * 0.37) + (index == 54_321 ? 5 : 0) }
        let plot = LinePlot(series: [.init(name: "long", y: ys)])
        let frame = plot.frame()
        let path = try XCTUnwrap(try SVGDocument(plot.svg()).elements(ofClass: "series").first?.attributes["d"])
        let numbers = pathNumbers(path)
        let pixelYs = stride(from: 1, to: numbers.count, by: 2).map { numbers[$0] }
        XCTAssertLessThanOrEqual(pixelYs.count, 4 * (Int(frame.plotArea.width) + 2))
        let top = try XCTUnwrap(frame.position(x: 54_321, y: ys[54_321]))
        let bottom = try XCTUnwrap(frame.position(x: 0, y: ys.min()!))
        XCTAssertEqual(pixelYs.min()!, top.y, accuracy: 0.051, "the spike survives thinning")
        XCTAssertEqual(pixelYs.max()!, bottom.y, accuracy: 0.051, "the lowest value survives thinning")
    }

    // MARK: - Styles and legend

    func testSeriesBeyondThePaletteReuseItsColorsWithDashes() throws {
        let plot = LinePlot(series: (0..<12).map { LinePlot.Series(name: "s\($0)", y: [Double($0), 1]) })
        let paths = try SVGDocument(plot.svg()).elements(ofClass: "series")
        XCTAssertEqual(paths[0].attributes["stroke"], LinePlot.PaletteColor.blue.hex)
        XCTAssertNil(paths[0].attributes["stroke-dasharray"])
        XCTAssertEqual(paths[10].attributes["stroke"], LinePlot.PaletteColor.blue.hex)
        XCTAssertNotNil(paths[10].attributes["stroke-dasharray"])
    }

    func testAutomaticLegendSkipsCornersWhereItWouldCoverData() throws {
        // A rising diagonal runs through the top right and bottom left corners.
        let plot = LinePlot(series: [.init(name: "rising", x: [0, 1], y: [0, 1])])
        let area = plot.frame().plotArea
        let box = try XCTUnwrap(try SVGDocument(plot.svg()).elements(ofClass: "legend-box").first)
        XCTAssertLessThan(try box.number("x"), area.x + area.width / 2, "legend moved to the left")
        XCTAssertLessThan(try box.number("y"), area.y + area.height / 2, "legend stays at the top")
    }

    func testAutomaticLegendGoesOutsideWhenEveryCornerIsCovered() throws {
        let zigzag = (0...200).map { Double($0 % 2) }
        let plot = LinePlot(series: [.init(name: "zigzag", y: zigzag)])
        let area = plot.frame().plotArea
        let box = try XCTUnwrap(try SVGDocument(plot.svg()).elements(ofClass: "legend-box").first)
        XCTAssertGreaterThan(try box.number("x"), area.maxX)
    }

    func testHiddenLegendIsNotDrawn() throws {
        let plot = LinePlot(series: [.init(name: "a", y: [1, 2])], legendPlacement: .hidden)
        XCTAssertTrue(try SVGDocument(plot.svg()).elements(ofClass: "legend").isEmpty)
    }

    // MARK: - Writing

    func testWriteReplacesTheFileAndLeavesNoTemporaryFile() throws {
        let directory = try temporaryFolder()
        let url = directory.appendingPathComponent("plot.svg")
        try LinePlot(title: "old").write(to: url)
        let plot = LinePlot(title: "new", series: [.init(name: "a", y: [1, 2, 3])])
        try plot.write(to: url, width: 500, height: 300)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), plot.svg(width: 500, height: 300))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["plot.svg"])
    }

    func testWriteIntoAMissingFolderThrowsAFileWriteError() {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/plot.svg")
        XCTAssertThrowsError(try LinePlot().write(to: url)) { error in
            guard case .cannotCreateTemporaryFile = error as? FileWriteError else {
                return XCTFail("unexpected error \(error)")
            }
        }
    }

    // MARK: - Formatting

    func testPixelNumbersHaveOneDecimalAndNeverShowNonFiniteValues() {
        XCTAssertEqual(LinePlot.XML.number(12.34), "12.3")
        XCTAssertEqual(LinePlot.XML.number(-7.25), "-7.3")
        XCTAssertEqual(LinePlot.XML.number(-0.04), "0")
        XCTAssertEqual(LinePlot.XML.number(3), "3")
        XCTAssertEqual(LinePlot.XML.number(.nan), "0")
        XCTAssertEqual(LinePlot.XML.number(-.infinity), "0")
    }

    // MARK: - Helpers

    /// The coordinates in SVG path data, in order (commands and the `h0` of lone points dropped).
    private func pathNumbers(_ path: String) -> [Double] {
        var numbers: [Double] = []
        var current = ""
        for character in path.replacingOccurrences(of: "h0", with: " ") {
            if character.isNumber || character == "." {
                current.append(character)
            } else {
                if let value = Double(current) { numbers.append(value) }
                current = character == "-" ? "-" : ""
            }
        }
        if let value = Double(current) { numbers.append(value) }
        return numbers
    }
}
