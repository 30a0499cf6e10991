#!/usr/bin/env bash
# Proves that MetaLearning works as a versioned SwiftPM dependency: clones this repository's
# HEAD into a temporary folder, tags the clone 0.1.0 (a local git repository with a tag), writes
# a consumer package that depends on it with `.package(url: "file://…", from: "0.1.0")`, builds
# the consumer in release mode and runs it. The consumer meta-trains a small LSTM on B14 for a
# few epochs through the library API and prints its test MSEt; the script checks the output.
#
#     scripts/consumer-check.sh            # prints the consumer's output and "consumer OK"
#
# Fails (non-zero) if SwiftPM refuses the dependency (for example "contains unsafe build
# flags") or the consumer does not build or run. Uncommitted changes are not in the clone.
set -euo pipefail
export PATH="/opt/swift/usr/bin:$PATH"
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet "$repo" "$work/MetaLearning"
git -C "$work/MetaLearning" -c user.name=check -c user.email=check@localhost tag 0.1.0
mkdir -p "$work/Consumer/Sources/Consumer"
cat > "$work/Consumer/Package.swift" <<SWIFT
// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "Consumer",
    dependencies: [
        .package(url: "file://$work/MetaLearning", from: "0.1.0"),
    ],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [
            .product(name: "MetaLearning", package: "MetaLearning"),
        ]),
    ]
)
SWIFT
cat > "$work/Consumer/Sources/Consumer/main.swift" <<'SWIFT'
import MetaLearning

// Meta-train the paper's 6/6(1) LSTM on B14 for a few epochs, then evaluate it.
let family = try FamilySpec(name: "b14")
let architecture = try Architecture.named("lstm1997", inputDimension: family.makeFamily().inputDimension)
let configuration = TrainingConfiguration(seed: 1, family: family, architecture: architecture,
                                          trainingSequences: 32, sequenceLength: 64, epochs: 5,
                                          learningRate: 0.003)
let trainer = try MetaTrainer(configuration: configuration)
while !trainer.isFinished { _ = try trainer.runEpoch() }
let record = trainer.evaluate()
print("consumer: \(architecture.name) with \(trainer.network.weightCount) weights, epoch \(record.epoch), test MSEt \(record.testMSEt)")
SWIFT
cd "$work/Consumer"
start=$(date +%s)
swift build -c release 2>&1 | tail -n 3
echo "consumer build: $(( $(date +%s) - start )) s"
output=$(.build/release/Consumer)
echo "$output"
grep -q "^consumer: lstm1997 with 685 weights, epoch 5, test MSEt 0\." <<<"$output"
echo "consumer OK"
