#!/usr/bin/env bash
# Alternates `metalearn bench --json` of two binaries (old, new, old, new, ...) ROUNDS times and
# prints the median steps/s of each network for both, with the ratio new/old:
#
#     scripts/bench-alternating.sh OLD_BINARY NEW_BINARY [ROUNDS]
#
# Run it on an otherwise idle machine; each bench uses one core.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); rounds=${3:-7}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for round in $(seq 1 "$rounds"); do
    "$old" bench --json > "$work/old-$round.json"
    "$new" bench --json > "$work/new-$round.json"
done
python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
table = {}
for which in ("old", "new"):
    for r in range(1, rounds + 1):
        for row in json.load(open(f"{work}/{which}-{r}.json")):
            table.setdefault(row["network"], {}).setdefault(which, []).append(row["stepsPerSecond"])
print(f"{'network':45s} {'old M/s':>8s} {'new M/s':>8s} {'new/old':>8s}")
for network, runs in table.items():
    old = statistics.median(runs["old"]) / 1e6 if "old" in runs else float("nan")
    new = statistics.median(runs["new"]) / 1e6 if "new" in runs else float("nan")
    print(f"{network:45s} {old:8.3f} {new:8.3f} {new / old:8.3f}")
PY
