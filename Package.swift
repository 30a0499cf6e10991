// swift-tools-version:5.9
import PackageDescription

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
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
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
