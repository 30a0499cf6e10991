#!/usr/bin/env bash
# End-to-end check of a sweep run outside Slurm (docs/cluster.md): writes the tiny sweep
# sweeps/tiny.json (8 runs of a few seconds), runs its jobs.txt with GNU parallel if it is
# installed, else with xargs -P, runs every line a second time (each must say "nothing to do"),
# then collects the runs and checks that all 8 finished.
#
# Usage: scripts/sweep-parallel-e2e.sh [SWEEP_FOLDER]   (default /tmp/metalearn-sweep-e2e/parallel)
# Environment: JOBS (runs at once, default 2), METALEARN (a metalearn binary; default: the
# release build of this checkout, built if needed), SWEEP (default sweeps/tiny.json).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
out=${1:-/tmp/metalearn-sweep-e2e/parallel}
jobs=${JOBS:-2}
sweep=${SWEEP:-sweeps/tiny.json}
if [[ -z "${METALEARN:-}" ]]; then
    swift build -c release -Xswiftc -target-cpu -Xswiftc native --product metalearn >/dev/null
    METALEARN="$(swift build -c release -Xswiftc -target-cpu -Xswiftc native --show-bin-path)/metalearn"
fi
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

rm -rf "$out"
"$METALEARN" sweep "$sweep" --out "$out"
count=$(wc -l < "$out/jobs.txt")

start=$(now)
if command -v parallel >/dev/null 2>&1; then
    runner="GNU parallel ($(parallel --version | head -n 1))"
    parallel --will-cite -j "$jobs" --joblog "$out/parallel.log" < "$out/jobs.txt" > "$out/run.log" 2>&1
else
    runner="xargs -P $jobs"
    xargs -d '\n' -n 1 -P "$jobs" sh -c < "$out/jobs.txt" > "$out/run.log" 2>&1
fi
first=$(seconds "$start" "$(now)")

start=$(now)
if command -v parallel >/dev/null 2>&1; then
    parallel --will-cite -j "$jobs" --joblog "$out/parallel-again.log" < "$out/jobs.txt" > "$out/again.log" 2>&1
else
    xargs -d '\n' -n 1 -P "$jobs" sh -c < "$out/jobs.txt" > "$out/again.log" 2>&1
fi
again=$(seconds "$start" "$(now)")
done_lines=$(grep -c "nothing to do" "$out/again.log" || true)

"$METALEARN" collect "$out" --format csv --output "$out/collect.csv"
finished=$(grep -c ",finished," "$out/collect.csv" || true)
"$METALEARN" collect "$out" --over-seeds --format md

echo "runner: $runner, $jobs at once"
echo "$count runs in ${first} s; all again in ${again} s ($done_lines of $count said nothing to do)"
echo "collect: $finished of $count finished ($out/collect.csv)"
if [[ "$finished" -ne "$count" || "$done_lines" -ne "$count" ]]; then
    echo "FAILED" >&2
    exit 1
fi
echo "OK"
