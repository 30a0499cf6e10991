#!/usr/bin/env bash
# Runs a fixed battery of short, seeded runs with the given metalearn binary and prints one
# SHA-256 per output (timing fields removed), so that two builds can be compared bit for bit:
#
#     scripts/bit-identity.sh OLD_BINARY > old.txt
#     scripts/bit-identity.sh NEW_BINARY > new.txt
#     diff old.txt new.txt        # empty: every figure and every weight is the same
#
# Covers every architecture and update mode, a curriculum (the quad preset's first 250 epochs),
# no-reset training, the B14 preset and Table 1 at the smoke-test budget, and the commands
# that read a model (eval, predict, compare, stream, forecast, plot). Takes a few minutes.
set -euo pipefail
binary=$(realpath "$1")
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
run() { "$binary" "$@" >/dev/null 2>&1 || { echo "FAILED: metalearn $*" >&2; exit 1; }; }
# Weights, history and figures without wall-clock fields.
strip() {
    python3 - "$1" <<'PY'
import json, sys, re
path = sys.argv[1]
timing = re.compile(r"(?i)(seconds|wall|time|steps ?per|stepsPerSecond|elapsed|date|packageVersion|throughput)")
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
elif path.endswith("table1.csv"):
    for line in open(path):
        print(line.rstrip("\n").rsplit(",", 1)[0])  # without wall_seconds
else:
    print(open(path).read())
PY
}
digest() {  # digest LABEL FILE...
    local label=$1; shift
    local f text
    for f in "$@"; do
        text=$(strip "$f") || { echo "FAILED: cannot read $f" >&2; exit 1; }
        printf '%s %s %s\n' "$label" "${f#./}" "$(printf '%s' "$text" | sha256sum | cut -c1-16)"
    done
}
common=(-K 16 --test-sequences 8 --epochs 6 --eval-every 3 --seed 7)
for arch in lstm1997 elman bptt rtrl; do
    for update in online batch batch-epoch; do
        run train --family b14 --arch "$arch" "${common[@]}" --update "$update" --out "$arch-$update"
        digest "$arch-$update" "$arch-$update"/model.json "$arch-$update"/metrics.csv "$arch-$update"/curve.csv
    done
done
run train --family semil --arch lstm1997 "${common[@]}" --cells-per-block 2 --out lstm-cpb2
digest lstm-cpb2 lstm-cpb2/model.json lstm-cpb2/metrics.csv
run train --family quad -K 128 -J 100 --test-length 1000 --blocks 12 --second-layer 40 --epochs 250 --eval-every 250 --lr 0.003 --seed 1 --out quad250
digest quad250 quad250/model.json quad250/metrics.csv quad250/curve.csv
for family in b14 b16 semil quad linreg ar2; do
    run train --family "$family" --arch lstm-modern "${common[@]}" --batch-size 4 --out modern-$family
    digest modern-$family modern-$family/model.json modern-$family/metrics.csv
done
run train --family b16 --arch lstm-modern "${common[@]}" --batch-size 4 --no-reset --out modern-noreset
digest modern-noreset modern-noreset/model.json modern-noreset/metrics.csv
run train --family b16 --arch lstm1997 "${common[@]}" --no-reset --out lstm-noreset
digest lstm-noreset lstm-noreset/model.json
run train --family b14 --arch lstm-modern "${common[@]}" --update online --batch-size 4 --out modern-b14-x
run reproduce b14 --seeds 1,2 --budget quick --out presets
run reproduce table1 --budget quick --rows elman,bptt2 --out t1
# Since 2026-12-04 the quick budget is called smoke (quick still reads as smoke) and its folders
# end in -smoke: give them the old names so that old and new binaries hash the same paths.
for folder in presets/*-smoke-seed* t1/table1-smoke; do
    if [[ -e "$folder" ]]; then mv "$folder" "${folder/-smoke/-quick}"; fi
done
digest preset presets/b14-quick-seed1/model.json presets/b14-quick-seed2/model.json presets/b14-quick-seed1/summary.json
digest table1 t1/table1-quick/table1.csv t1/table1-quick/*/model.json
model=presets/b14-quick-seed1/model.json
"$binary" eval --model "$model" --seed 3 --json > eval.json 2>/dev/null; digest eval eval.json
run compare --model "$model" --functions 50 --out cmp
digest compare cmp/comparison.csv cmp/comparison.md
run stream --model modern-b16/model.json --switch-every 20 --length 200 --out stream
digest stream stream/stream.csv stream/stream.md
cp "$repo/data/series/sunspots.csv" sunspots.csv
run forecast --model modern-ar2/model.json --input sunspots.csv --column SUNACTIVITY --out fc
digest forecast fc/forecast.csv fc/forecast.md
printf 'sequence,x1,x2,y\n1,1,0,1\n1,0,0,0\n1,1,1,1\n2,0,1,0\n2,1,1,1\n' > in.csv
run predict --model "$model" --input in.csv --output out.csv
digest predict out.csv
run plot presets/b14-quick-seed1
digest plot presets/b14-quick-seed1/*.svg
echo "bit-identity battery complete"
