// swift-tools-version:5.9
// The fuzz targets of MetaLearning (docs/reliability.md, "Fuzzing"): a separate package, so that
// the main package and its users see none of it. Build and run one with
//
//     scripts/fuzz.sh checkpoint|csv|series SECONDS
//
// which builds with `-sanitize=fuzzer,address` (libFuzzer and AddressSanitizer, as shipped with
// the Swift toolchain on Linux) into Fuzz/.build-fuzz.
import PackageDescription

let package = Package(
    name: "MetaLearningFuzz",
    dependencies: [
        .package(name: "MetaLearning", path: ".."),
    ],
    targets: [
        // The entry functions, shared with the regression replay of the main package's tests
        // (a symbolic link to Tests/MetaLearningTestSupport/FuzzEntries.swift).
        .target(
            name: "FuzzEntries",
            dependencies: [.product(name: "MetaLearning", package: "MetaLearning")]
        ),
        // libFuzzer's driver for programs with their own main (SwiftPM defines every
        // executable's main, so libFuzzer's own main cannot link).
        .target(name: "LibFuzzerDriver"),
        // One libFuzzer target per reader: `LLVMFuzzerTestOneInput` calls the entry function.
        .executableTarget(name: "FuzzCheckpoint", dependencies: ["FuzzEntries", "LibFuzzerDriver"]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzEntries", "LibFuzzerDriver"]),
        .executableTarget(name: "FuzzSeries", dependencies: ["FuzzEntries", "LibFuzzerDriver"]),
    ]
)
