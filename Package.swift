// swift-tools-version:5.9
import Foundation
import PackageDescription

// Release builds use -Ounchecked (docs/performance.md). METALEARN_NATIVE=1 additionally compiles for
// AVX2 (Haswell and later x86-64; it ties the build to that CPU family, so it is opt-in):
//     METALEARN_NATIVE=1 swift build -c release
// The portable default stays baseline x86-64 / any other architecture.
let nativeFlags = ProcessInfo.processInfo.environment["METALEARN_NATIVE"] == "1" ? ["-target-cpu", "haswell"] : []

let package = Package(
    name: "MetaLearning",
    products: [
        .library(name: "MetaLearning", targets: ["MetaLearning"]),
        .executable(name: "metalearn", targets: ["metalearn"]),
    ],
    dependencies: [
        // Command-line parsing for the thin `metalearn` executable (the only dependency).
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .target(
            name: "MetaLearning",
            swiftSettings: [.unsafeFlags(["-Ounchecked"] + nativeFlags, .when(configuration: .release))]
        ),
        .executableTarget(
            name: "metalearn",
            dependencies: [
                "MetaLearning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "MetaLearningTests",
            dependencies: ["MetaLearning"]
        ),
    ]
)
