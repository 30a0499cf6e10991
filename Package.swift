// swift-tools-version:5.9
import Foundation
import PackageDescription

// Release builds use -Ounchecked (docs/performance.md). On an x86-64 machine with AVX2, FMA and BMI2
// (Haswell and later, AMD Zen) they also compile for that instruction set (`-target-cpu haswell`),
// like `-march=native`: the binary then runs only on such CPUs. Results are bit-identical either
// way (docs/performance.md). METALEARN_NATIVE=0 forces the baseline x86-64 build (for a binary to
// copy to an older machine); METALEARN_NATIVE=1 forces the AVX2 build.
func hostSupportsHaswellInstructions() -> Bool {
    #if arch(x86_64) && os(Linux)
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let flags = Set(flagsLine.split(separator: " ").map(String.init))
    return ["avx2", "fma", "bmi2"].allSatisfy(flags.contains)
    #else
    return false
    #endif
}
let nativeSetting = ProcessInfo.processInfo.environment["METALEARN_NATIVE"]
let useNative = nativeSetting == "1" || (nativeSetting != "0" && hostSupportsHaswellInstructions())
let nativeFlags = useNative ? ["-target-cpu", "haswell"] : []

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
            name: "MetaLearningCore",
            swiftSettings: [.unsafeFlags(["-Ounchecked"] + nativeFlags, .when(configuration: .release))]
        ),
        // Training, evaluation, experiments and files, on top of the core (re-exported).
        .target(
            name: "MetaLearning",
            dependencies: ["MetaLearningCore", "SVGPlot"],
            swiftSettings: [.unsafeFlags(["-Ounchecked"] + nativeFlags, .when(configuration: .release))]
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
