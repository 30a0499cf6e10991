#!/usr/bin/env bash
# Kills a short seeded training run with SIGKILL at random moments, resumes it after each kill,
# and checks that the end result is the uninterrupted run's, bit for bit:
#
#     scripts/kill-resume.sh BINARY [KILLS] [SEED]
#
# The run (B14, K = 32, J = 32, 400 epochs, an evaluation and a checkpoint after every epoch)
# writes model.json and metrics.csv hundreds of times, so many kills land inside a checkpoint
# write. After each kill the script prints what the folder holds and checks that metrics.csv is
# never ahead of model.json. At the end it resumes the run to completion and compares
# model.json, metrics.csv, curve.csv and summary.json with an uninterrupted run's (wall-clock
# fields aside), and checks that no temporary file is left. Exit status 0 only if all holds.
set -euo pipefail
binary=$(realpath "$1")
kills=${2:-20}
RANDOM=${3:-2026}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(train --family b14 -K 32 -J 32 --test-sequences 16 --epochs 400 --eval-every 1 --seed 11)

# What a file holds apart from wall-clock fields.
strip() {
    python3 - "$1" <<'PY'
import json, re, sys
path = sys.argv[1]
timing = re.compile(r"(?i)(seconds|wall|stepsPerSecond|packageVersion)")
def clean(v):
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items() if not timing.search(k)}
    if isinstance(v, list):
        return [clean(x) for x in v]
    return v
if path.endswith(".json"):
    print(json.dumps(clean(json.load(open(path))), sort_keys=True))
elif path.endswith("metrics.csv"):
    for line in open(path):
        print(",".join(line.rstrip("\n").split(",")[:5]))
else:
    print(open(path).read(), end="")
PY
}
epoch_of_model() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['epoch'])" "$1"; }
last_metrics_epoch() { tail -n 1 "$1" | cut -d, -f1 | sed 's/^epoch$/0/'; }
# The temporary files in a folder, their UUIDs shortened: ".model.json.<UUID>.tmp ".
temporaries() {
    find "$1" -maxdepth 1 -name '.*.tmp' -printf '%f ' 2>/dev/null | sed 's/\.[0-9A-F-]\{36\}\./.<UUID>./g' || true
}

start=$(date +%s.%N)
"$binary" "${args[@]}" --out "$work/reference" >/dev/null 2>&1
duration=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(date +%s.%N)")
# Kill moments: uniform in [0, duration/20] after each start, so that 20 kills leave most of the run.
maximum_ms=$(python3 -c "import sys; print(max(20, int(float(sys.argv[1]) * 1000 / 20)))" "$duration")
echo "uninterrupted run: $(printf '%.2f' "$duration") s; kill moments uniform in 0-${maximum_ms} ms after each start"

run="$work/killed"
failures=0
with_temporaries=0
for ((k = 1; k <= kills; k++)); do
    if [[ -f $run/model.json || -f $run/config.json ]]; then
        command=(train --resume "$run")
    else
        command=("${args[@]}" --out "$run")
    fi
    "$binary" "${command[@]}" >/dev/null 2>&1 &
    pid=$!
    delay_ms=$((RANDOM % maximum_ms))
    sleep "$(printf '0.%03d' "$delay_ms")"
    if ! kill -KILL "$pid" 2>/dev/null; then
        echo "kill $k: the process had already ended (delay ${delay_ms} ms)"
    fi
    wait "$pid" 2>/dev/null || true
    model_epoch=-; metrics_epoch=-
    [[ -f $run/model.json ]] && model_epoch=$(epoch_of_model "$run/model.json")
    [[ -f $run/metrics.csv ]] && metrics_epoch=$(last_metrics_epoch "$run/metrics.csv")
    left=$(temporaries "$run")
    [[ -n $left ]] && with_temporaries=$((with_temporaries + 1))
    verdict=ok
    if [[ $model_epoch != - && $metrics_epoch != - && $metrics_epoch -gt $model_epoch ]]; then
        verdict="FAIL: metrics.csv is ahead of model.json"
        failures=$((failures + 1))
    fi
    printf 'kill %2d after %3d ms: model.json epoch %s, metrics.csv epoch %s, temporary files: %s %s\n' \
        "$k" "$delay_ms" "$model_epoch" "$metrics_epoch" "${left:-none}" "$verdict"
done

"$binary" train --resume "$run" >/dev/null 2>&1 || { echo "FAIL: the final resume did not finish"; exit 1; }
for file in model.json metrics.csv curve.csv summary.json; do
    if [[ "$(strip "$run/$file")" == "$(strip "$work/reference/$file")" ]]; then
        echo "$file: identical to the uninterrupted run's (wall-clock fields aside)"
    else
        echo "FAIL: $file differs from the uninterrupted run's"
        failures=$((failures + 1))
    fi
done
left=$(temporaries "$run")
if [[ -n $left ]]; then
    echo "FAIL: temporary files remain: $left"
    failures=$((failures + 1))
else
    echo "no temporary files remain ($with_temporaries of $kills kills had left one)"
fi
if ((failures > 0)); then echo "kill-resume: $failures failure(s)"; exit 1; fi
echo "kill-resume: $kills kills, final state bit-identical, no leftovers"
