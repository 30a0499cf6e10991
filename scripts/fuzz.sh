#!/usr/bin/env bash
# Builds one fuzz target of the Fuzz/ package with libFuzzer and AddressSanitizer and runs it for
# the given time on its seed corpus (docs/reliability.md, "Fuzzing"):
#
#     scripts/fuzz.sh checkpoint|csv|series SECONDS [more libFuzzer flags]
#
# Inputs that libFuzzer finds to add coverage go to Fuzz/.work/corpus/TARGET (kept between
# runs, not committed); crashes, timeouts and out-of-memory inputs go to
# Fuzz/.work/crashes/TARGET (FUZZ_CRASHES=DIR to choose another folder); the log to
# Fuzz/.work/logs. A crash is a bug: fix it, copy the input to Tests/Fuzz/crashes/TARGET
# (FuzzReplayTests replays it in every `swift test`), and run again. Ends with one line of
# figures: time, executions, executions per second, corpus size and crashes; exits 1 if the
# target crashed.
#
# libFuzzer stops at the first crash. FUZZ_SKIP_BUILD=1 reuses the last build. The build is a
# debug build in Fuzz/.build-fuzz (-Onone: nothing optimised away before the sanitizer sees it).
set -euo pipefail

usage() { echo "usage: scripts/fuzz.sh checkpoint|csv|series SECONDS [libFuzzer flags]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
target=$1
seconds=$2
shift 2
case "$target" in
    checkpoint) product=FuzzCheckpoint ;;
    csv) product=FuzzCSV ;;
    series) product=FuzzSeries ;;
    *) usage ;;
esac
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 1 ]] || usage

repo=$(cd "$(dirname "$0")/.." && pwd)
export PATH="/opt/swift/usr/bin:$PATH"
fuzz="$repo/Fuzz"
seeds="$repo/Tests/Fuzz/corpus/$target"
dictionary="$fuzz/dictionaries/$target.dict"
work="$fuzz/.work"
corpus="$work/corpus/$target"
crashes="${FUZZ_CRASHES:-$work/crashes/$target}"
mkdir -p "$corpus" "$crashes" "$work/logs"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
log="$work/logs/$target-$stamp.log"

if [[ "${FUZZ_SKIP_BUILD:-0}" != 1 ]]; then
    echo "building $product (debug, -sanitize=fuzzer,address)…" >&2
    (cd "$fuzz" && swift build -c debug --scratch-path .build-fuzz --product "$product" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 \
        | grep -v "Cannot export local symbol" >&2)
fi
binary="$fuzz/.build-fuzz/debug/$product"
[[ -x "$binary" ]] || { echo "no fuzz binary at $binary" >&2; exit 1; }

crashes_before=$(find "$crashes" -type f | wc -l)
flags=(-max_total_time="$seconds" -artifact_prefix="$crashes/" -print_final_stats=1
       -timeout=10 -rss_limit_mb=4096 -max_len=65536)
[[ -f "$dictionary" ]] && flags+=(-dict="$dictionary")
echo "$binary $corpus $seeds ${flags[*]} $*" >&2
# The Swift runtime's own backtracer would start after libFuzzer's handler and can hang.
status=0
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" \
    "$binary" "$corpus" "$seeds" "${flags[@]}" "$@" > "$log" 2>&1 || status=$?

executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
in_memory=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -n 1 | sed 's/corp: //')
on_disk=$(find "$corpus" -type f | wc -l)
seed_count=$(find "$seeds" -type f | wc -l)
crashes_after=$(find "$crashes" -type f | wc -l)
new_crashes=$((crashes_after - crashes_before))
grep -E "^(==[0-9]+== ?ERROR|SUMMARY|artifact_prefix|Fatal error|.*Fatal error)" "$log" >&2 || true
echo "$target: ${seconds}s, ${executions:-?} executions, ${rate:-?} exec/s, corpus ${in_memory:-?} (units/bytes in memory; $on_disk files in $corpus, $seed_count seeds), $new_crashes new crash files in $crashes, exit $status, log $log"
[[ $new_crashes -eq 0 && $status -eq 0 ]] || exit 1
