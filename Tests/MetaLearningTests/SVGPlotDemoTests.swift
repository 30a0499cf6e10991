import Foundation
import XCTest
@testable import MetaLearning

// TEMPORARY: writes the four demo plots to /tmp/svgdemo for a visual check.
final class SVGPlotDemoTests: XCTestCase {
    func testWriteDemoPlots() throws {
        var g = SystemRandomNumberGenerator()
        func noise() -> Double { Double.random(in: 0.7...1.4, using: &g) }
        // (a)
        let positions = (1...100).map(Double.init)
        let lstm = positions.map { 0.25 * exp(-$0 / 8) * noise() + 0.0104 }
        let bayes = positions.map { 0.24 * exp(-$0 / 5) + 0.01 }
        var a = LinePlot(title: "Squared error by example position (B14, J = 100)", xLabel: "example position j",
                         yLabel: "mean squared error", yScale: .log10)
        a.series = [.init(name: "LSTM (mean of 1000 sequences)", x: positions, y: lstm),
                    .init(name: "Bayes-optimal predictor", x: positions, y: bayes, style: .dashed())]
        a.referenceLines = [.init(y: 0.01, label: "Bayes floor σ² = 0.01")]
        try a.write(to: URL(fileURLWithPath: "/tmp/svgdemo/a.svg"))
        // (b)
        let epochs = (1...300).map(Double.init)
        let train = epochs.map { 0.2 * pow($0, -1.1) * noise() + 2e-4 }
        let test = epochs.map { 0.22 * pow($0, -0.9) * noise() + 6e-4 }
        let b = LinePlot(title: "Training curve", xLabel: "epoch", yLabel: "MSEt", yScale: .log10,
                         series: [.init(name: "train", x: epochs, y: train), .init(name: "test", x: epochs, y: test)])
        try b.write(to: URL(fileURLWithPath: "/tmp/svgdemo/b.svg"))
        // (c)
        var c = LinePlot(title: "|error| over time (function switches every 500 steps)", xLabel: "global time step",
                         yLabel: "|error|", yScale: .log10)
        var ys: [Double] = []
        for t in 0..<6000 { let local = t % 100; ys.append(0.5 * exp(-Double(local) / 6) * noise() + 0.002 * noise()) }
        c.series = [.init(name: "|error|", y: ys, style: .init(lineWidth: 0.8))]
        for start in stride(from: 0, to: 6000, by: 100) {
            if start % 500 == 0 { c.verticalMarkers.append(.init(x: Double(start), label: "f\(start / 500)", color: .red)) }
            else { c.verticalMarkers.append(.init(x: Double(start))) }
        }
        try c.write(to: URL(fileURLWithPath: "/tmp/svgdemo/c.svg"), width: 1000, height: 400)
        // (d)
        var d = LinePlot(title: "Learners compared on Q (quadratic functions)", xLabel: "example position j",
                         yLabel: "MSE", yScale: .log10)
        let names = ["LSTM meta-learner", "Elman", "RTRL", "BPTT(10)", "online LMS", "Bayes", "nearest neighbour", "constant 0.5", "k-NN (k=5)"]
        for (i, name) in names.enumerated() {
            let rate = 3.0 + Double(i) * 4
            let floor = 0.002 * pow(2, Double(i) / 2)
            d.series.append(.init(name: name, x: positions, y: positions.map { 0.3 * exp(-$0 / rate) * noise() + floor }))
        }
        d.referenceLines = [.init(y: 0.002, label: "Bayes floor")]
        try d.write(to: URL(fileURLWithPath: "/tmp/svgdemo/d.svg"))
        // big
        let many = (0..<100_000).map { t in 0.5 * exp(-Double(t % 100) / 6) * noise() + 0.002 }
        let start = Date()
        let big = LinePlot(title: "100k", yScale: .log10, series: [.init(name: "many", y: many)]).svg()
        print("100k points:", Date().timeIntervalSince(start), "s,", big.utf8.count, "bytes")
    }
}
