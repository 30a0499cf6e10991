#!/usr/bin/env bash
# Mutation test of the checkpoint reader through the command line (docs/reliability.md,
# "Mutation test"):
#
#     scripts/mutate-checkpoint.sh [METALEARN_BINARY]     (default .build/release/metalearn)
#
# Trains two tiny real runs with the binary (B14, 1 epoch: lstm1997, and lstm-modern with its
# Adam state), then writes one mutant per change of one field of model.json:
#   - every integer field set to each of 2^62, 1e9, 1e5, -1, 0;
#   - every array emptied, shortened by one element, lengthened by one, and every element of it
#     set to each of those five values (for the state words: the values in hexadecimal);
#   - the file truncated after 0, 1, 10 %, 25 %, 50 %, 75 %, 90 % and all but one of its bytes;
#   - the weights set to 1e200 (all of them, or only the first).
# Each mutant goes through `metalearn eval` and `metalearn predict` (on a three-row CSV) under a
# 4 GiB address-space limit (ulimit -v 4194304) and a 120 s timeout. Counted: exit 0 (accepted),
# one-line errors with exit 1…127, errors of more than one line, exit codes of 128 and above
# (a signal: a crash), timeouts. Mutants of the 1e200 weights are counted apart (a weight
# magnitude bound is not this script's business). Exits 1 if any run crashed, timed out, or
# failed with other than one line on standard error. Details go to mutate-checkpoint.tsv in the
# work folder (MUTATE_KEEP=1 keeps it; its path is printed).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
binary=$(realpath "${1:-$repo/.build/release/metalearn}")
[[ -x "$binary" ]] || { echo "no metalearn binary at $binary (swift build -c release first)" >&2; exit 2; }
work=$(mktemp -d)
[[ "${MUTATE_KEEP:-0}" == 1 ]] || trap 'rm -rf "$work"' EXIT
cd "$work"
export SWIFT_BACKTRACE=enable=no

"$binary" train --family b14 --epochs 1 -K 8 -J 16 --seed 1 --out lstm1997 > /dev/null 2>&1
"$binary" train --family b14 --arch lstm-modern --cells 3 --batch-size 4 --epochs 1 -K 8 -J 16 --seed 1 \
    --out lstm-modern > /dev/null 2>&1
printf 'sequence,x1,x2,y\n1,0,1,1\n1,1,1,0\n2,1,0,1\n' > input.csv

python3 - "$binary" "$work" <<'PY'
import copy, json, os, subprocess, sys

binary, work = sys.argv[1], sys.argv[2]
VALUES = [("2^62", 2**62), ("1e9", 10**9), ("1e5", 10**5), ("-1", -1), ("0", 0)]

def paths(node, path=()):
    """Every (path, value) below node, depth first."""
    yield path, node
    if isinstance(node, dict):
        for key in sorted(node):
            yield from paths(node[key], path + (key,))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from paths(item, path + (index,))

def replaced(document, path, value):
    copy_ = copy.deepcopy(document)
    target = copy_
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy_

def name(path):
    return ".".join(str(step) for step in path)

def mutants(document, text):
    for path, value in paths(document):
        if not path:
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            for label, number in VALUES:
                yield "int", f"{name(path)}={label}", json.dumps(replaced(document, path, number), indent=2)
        elif isinstance(value, list):
            variants = [("[]", []), ("drop-last", value[:-1]), ("append", value + value[-1:] if value else [0])]
            if value and all(isinstance(item, (int, float)) and not isinstance(item, bool) for item in value):
                variants += [(f"all={label}", [number] * len(value)) for label, number in VALUES]
            elif value and all(isinstance(item, str) for item in value):
                variants += [(f"all={label}", [format(number, "x") if number >= 0 else "-1"] * len(value))
                             for label, number in VALUES]
            for label, new in variants:
                yield "array", f"{name(path)}:{label}", json.dumps(replaced(document, path, new), indent=2)
    size = len(text)
    for label, cut in [("0", 0), ("1", 1), ("10%", size // 10), ("25%", size // 4), ("50%", size // 2),
                       ("75%", 3 * size // 4), ("90%", 9 * size // 10), ("n-1", size - 1)]:
        yield "truncated", f"truncated@{label}", text[:cut]
    weights = document["weights"]
    yield "weights-1e200", "weights:all=1e200", json.dumps(replaced(document, ("weights",), [1e200] * len(weights)), indent=2)
    yield "weights-1e200", "weights.0=1e200", json.dumps(replaced(document, ("weights", 0), 1e200), indent=2)

def run(arguments):
    command = "ulimit -v 4194304; exec \"$@\""
    try:
        result = subprocess.run(["bash", "-c", command, "bash", binary] + arguments, capture_output=True, timeout=120,
                                cwd=work)
    except subprocess.TimeoutExpired:
        return None, ""
    return result.returncode, result.stderr.decode("utf-8", "replace")

rows = []
for base in ["lstm1997", "lstm-modern"]:
    text = open(os.path.join(work, base, "model.json")).read()
    document = json.loads(text)
    for index, (kind, label, mutant) in enumerate(mutants(document, text)):
        path = os.path.join(work, f"mutant-{base}-{index}.json")
        with open(path, "w") as file:
            file.write(mutant)
        for command, arguments in [("eval", ["eval", "--model", path]),
                                   ("predict", ["predict", "--model", path, "--input", "input.csv", "--output", "-"])]:
            status, stderr = run(arguments)
            lines = [line for line in stderr.split("\n") if line != ""]
            rows.append((base, kind, label, command, status, len(lines), lines[0] if lines else ""))
        os.remove(path)

def verdict(row, separate_weights):
    base, kind, label, command, status, lines, first = row
    if (kind == "weights-1e200") != separate_weights:
        return None
    if status is None:
        return "timeout"
    if status >= 128 or status < 0:
        return "signal"
    if status == 0:
        return "accepted"
    if lines != 1:
        return "not one line"
    return "one-line error"

with open(os.path.join(work, "mutate-checkpoint.tsv"), "w") as file:
    file.write("base\tkind\tmutation\tcommand\texit\tstderr lines\tfirst stderr line\n")
    for row in rows:
        file.write("\t".join("timeout" if value is None else str(value) for value in row) + "\n")

def summary(separate_weights):
    counts = {}
    for row in rows:
        v = verdict(row, separate_weights)
        if v:
            counts[v] = counts.get(v, 0) + 1
    return counts

main = summary(False)
weights = summary(True)
mutant_count = len({(r[0], r[2]) for r in rows if r[1] != "weights-1e200"})
runs = sum(main.values())
print(f"mutants {mutant_count} (of lstm1997 and lstm-modern B14 checkpoints), runs {runs} (eval and predict each)")
for key in ["accepted", "one-line error", "not one line", "signal", "timeout"]:
    print(f"  {key}: {main.get(key, 0)}")
kinds = {}
for row in rows:
    if row[1] != "weights-1e200":
        kinds.setdefault(row[1], set()).add((row[0], row[2]))
print("  mutants by kind: " + ", ".join(f"{kind} {len(names)}" for kind, names in sorted(kinds.items())))
print(f"weights 1e200 (counted apart): " + ", ".join(f"{key} {value}" for key, value in sorted(weights.items())))
for row in rows:
    if verdict(row, row[1] == "weights-1e200") in ("signal", "timeout", "not one line"):
        print("  PROBLEM:", row)
exit_codes = sorted({r[4] for r in rows if r[4] not in (None, 0)})
print(f"exit codes of failing runs: {exit_codes}")
print(f"accepted mutants, eval: " + ", ".join(sorted({f'{r[0]}:{r[2]}' for r in rows if r[4] == 0 and r[3] == 'eval' and r[1] != 'weights-1e200'})))
print(f"details: {os.path.join(work, 'mutate-checkpoint.tsv')}")
bad = main.get("signal", 0) + main.get("timeout", 0) + main.get("not one line", 0) \
    + weights.get("signal", 0) + weights.get("timeout", 0) + weights.get("not one line", 0)
sys.exit(1 if bad else 0)
PY
