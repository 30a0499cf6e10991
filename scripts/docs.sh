#!/usr/bin/env bash
# Builds the DocC documentation of MetaLearning and MetaLearningCore with swift-docc-plugin,
# which the package itself does not depend on: a dependency on the plugin would make every
# `swift build` fetch two more packages and compile the plugin's two scripts
# (docs/architecture.md, "Documentation"). The script copies the package's manifest and sources
# into .build/docc-package/, adds the plugin there (swiftlang/swift-docc-plugin, from 1.5.0), and
# runs its generate-documentation command; the working tree and Package.swift stay untouched.
#
#   scripts/docs.sh                 # archives in .build/docs/MetaLearning.doccarchive and
#                                   # .build/docs/MetaLearningCore.doccarchive; prints the
#                                   # number of warnings, exits 1 if there are any
#   scripts/docs.sh --static        # the same, as static websites (transform-for-static-hosting)
#
# The first run builds the two libraries in debug for their symbol graphs (1–3 minutes on the
# 2-core machine); later runs are incremental.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

root=$(pwd)
work="$root/.build/docc-package"
mkdir -p "$work" "$root/.build/docs"
rm -rf "$work/Sources" "$work/Tests"
cp -R Sources Tests "$work/"

# The manifest with the plugin added as the first package dependency.
awk '
    !done && /^[[:space:]]*dependencies: \[/ {
        print
        print "        .package(url: \"https://github.com/swiftlang/swift-docc-plugin\", from: \"1.5.0\"),"
        done = 1
        next
    }
    { print }
    END { if (!done) exit 1 }
' Package.swift > "$work/Package.swift.new" || { echo "docs.sh: no package-level 'dependencies: [' line in Package.swift" >&2; exit 1; }
# Replace the manifest only when it changed, so that SwiftPM keeps its cached resolution.
cmp -s "$work/Package.swift.new" "$work/Package.swift" 2>/dev/null || mv "$work/Package.swift.new" "$work/Package.swift"
rm -f "$work/Package.swift.new"

extra=()
if [[ "${1:-}" == "--static" ]]; then
    extra=(--transform-for-static-hosting --hosting-base-path MetaLearning)
fi

log=$(mktemp)
status=0
for target in MetaLearning MetaLearningCore; do
    swift package --package-path "$work" --allow-writing-to-directory "$root/.build/docs" \
        generate-documentation --target "$target" --output-path "$root/.build/docs/$target.doccarchive" \
        ${extra[@]+"${extra[@]}"} 2>&1 | tee -a "$log" || status=1
done
warnings=$(grep -cE "^(warning|.*: warning):" "$log" || true)
rm -f "$log"
echo "docs.sh: $warnings DocC warnings; archives in .build/docs/"
if [[ $status -ne 0 || $warnings -ne 0 ]]; then exit 1; fi
