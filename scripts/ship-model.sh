#!/usr/bin/env bash
# Copies a finished run folder into models/NAME and writes its card (models/NAME/README.md):
# the command that trained it, seed, date, machine, test MSEt beside the Bayes floor, T sub.
#
#     scripts/ship-model.sh RUN_FOLDER NAME "metalearn reproduce b14 --seeds 1"
#
# The folder keeps what `eval`, `predict`, `compare` and `plot` read: model.json, config.json,
# summary.json, metrics.csv, curve.csv. ModelsTests re-evaluates every shipped model and checks
# its card's figures against its summary.
set -euo pipefail
run=$1; name=$2; command=$3
repo=$(cd "$(dirname "$0")/.." && pwd)
target="$repo/models/$name"
[[ -f "$run/summary.json" ]] || { echo "error: $run has no summary.json (not a finished run)" >&2; exit 1; }
mkdir -p "$target"
for file in model.json config.json summary.json metrics.csv curve.csv; do cp "$run/$file" "$target/$file"; done
machine="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores"
python3 - "$target" "$name" "$command" "$machine" <<'PY'
import json, sys, datetime
target, name, command, machine = sys.argv[1:5]
summary = json.load(open(f"{target}/summary.json"))
config = json.load(open(f"{target}/config.json"))
sub = summary["testSubordinate"]
time = sub.get("timeToThreshold", sub.get("trainTime"))
never = sub.get("curveLength") is not None and time >= sub["curveLength"]
def f(x): return "–" if x is None else (f"{x:.4f}" if abs(x) >= 0.01 else f"{x:.2e}")
bayes = summary.get("bayesMSEt")
lines = [
    f"# {name}",
    "",
    f"{summary['network']} ({summary['weights']} weights) meta-trained on {summary['family']}, "
    f"{summary['epochs']} epochs, α = {summary['learningRate']}, seed {summary['seed']}"
    + (f" (preset `{summary['preset']}`)" if summary['preset'] != 'custom' else "") + ".",
    "",
    "| | value |",
    "|---|---|",
    f"| command | `{command}` |",
    f"| trained | {datetime.date.today().isoformat()}, {machine}, {summary['wallSeconds']:.0f} s wall |",
    f"| test MSEt | {f(summary['testMSEt'])} |",
    f"| train MSEt | {f(summary['trainMSEt'])} |",
    f"| Bayes floor on the same test set | {f(bayes)}" + (f" ({summary.get('bayesSource')})" if bayes is not None else "") + " |",
    f"| constant 0.5 predictor | {f(summary['constantPredictorMSEt'])} |",
    f"| T sub / MSE sub (docs/method.md §3.3) | {'never' if never else time} / {'–' if never else f(sub.get('errorAfterThreshold', sub.get('trainMSE')))} |",
]
paper = summary.get("paper")
if paper:
    lines.append(f"| the paper's row | train {f(paper['trainMSEt'])}, test {f(paper['testMSEt'])}, T sub {paper['subordinateTrainTime']} |")
lines += [
    "",
    "Use it directly:",
    "",
    "```sh",
    f"metalearn eval --model models/{name} --seed 9",
    f"metalearn compare --model models/{name} --out runs/compare-{name}",
    f"metalearn predict --model models/{name} --input data.csv --output predictions.csv",
    f"metalearn plot errors --model models/{name} --output errors.svg   # the paper's Figure 2 for it",
    f"metalearn export models/{name} --output {name}.safetensors   # named tensors for NumPy & co. (docs/method.md §7.8)",
    "```",
    "",
    "Files: `model.json` (the checkpoint, docs/method.md §7), `config.json`, `summary.json`, "
    "`metrics.csv` (the training curve), `curve.csv` (test errors per position).",
    "",
]
open(f"{target}/README.md", "w").write("\n".join(lines))
print(f"shipped {name}: test MSEt {summary['testMSEt']}")
PY
