// swift-tools-version:5.9
import PackageDescription

// No unsafe flags: the package builds as a versioned dependency, with Swift's checks kept in
// release builds. The README's commands add `-Xswiftc -target-cpu -Xswiftc native` to compile
// for the build machine's CPU (AVX2 on this project's machines), which runs the networks 15–90 %
// faster; results are bit-identical either way (docs/performance.md, "Builds").

let package = Package(
    name: "MetaLearning",
    products: [
        .library(name: "MetaLearning", targets: ["MetaLearning"]),
        // Families, networks and learners without training, files or plots.
        .library(name: "MetaLearningCore", targets: ["MetaLearningCore"]),
        // The SVG line-plot renderer on its own: depends on nothing but Foundation.
        .library(name: "SVGPlot", targets: ["SVGPlot"]),
        .executable(name: "metalearn", targets: ["metalearn"]),
    ],
    dependencies: [
        // Command-line parsing for the thin `metalearn` executable (the only dependency).
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // Renders line plots as standalone SVG documents; no domain code, no flags.
        .target(name: "SVGPlot"),
        // The core: function families, sequence sets, the example stream, networks with their
        // kernels and learning rules, classical online learners. Depends on nothing.
        .target(
            name: "MetaLearningCore"
        ),
        // Training, evaluation, experiments and files, on top of the core (re-exported).
        .target(
            name: "MetaLearning",
            dependencies: ["MetaLearningCore", "SVGPlot"]
        ),
        .executableTarget(
            name: "metalearn",
            dependencies: [
                "MetaLearning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers shared by the test files: temporary folders, finite differences, bit-identity
        // comparisons and an SVG document parser.
        .target(
            name: "MetaLearningTestSupport",
            dependencies: ["MetaLearning"],
            path: "Tests/MetaLearningTestSupport"
        ),
        .testTarget(
            name: "MetaLearningTests",
            dependencies: ["MetaLearning", "SVGPlot", "MetaLearningTestSupport"]
        ),
    ]
)
