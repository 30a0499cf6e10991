#!/usr/bin/env python3
"""Run an exported MetaLearning model in NumPy, from docs/method.md alone.

    metalearn export runs/b14-seed1 --output b14.npz          # or b14.safetensors
    metalearn predict --model runs/b14-seed1 --input examples.csv --output predicted.csv
    python3 scripts/numpy_predict.py b14.npz examples.csv --compare predicted.csv

Loads the tensors of `metalearn export` (docs/method.md §7.8): an .npz with numpy.load, a
.safetensors file by reading its header with struct and json (no safetensors package needed).
Then streams the examples CSV through the network exactly as `metalearn predict` does
(docs/method.md §7.6): rows in time order, the network reset whenever the `sequence` column
changes, input u = (x1..xd, y of the previous row) with y(0) after each reset, the prediction
made before the row's y is seen. The forward passes are written from the equations of
docs/method.md §4 for all six architectures: lstm1997 (§4.2, §4.4), elman, bptt and rtrl
(§4.5), lstm-modern (§4.9) and gru (§4.10).

With --compare it reads the `prediction` column of `metalearn predict`'s output and exits 1
unless every prediction agrees within --tolerance (default 1e-12). --output writes this
script's predictions in predict's format (the numbers as Python's repr).

Needs Python 3 and NumPy only.
"""
import argparse
import csv
import json
import struct
import sys

import numpy as np


# --- Loading an export (docs/method.md §7.8) -------------------------------------------------

def load_export(path):
    """Returns (metadata, tensors): the metadata map of strings and a dict name -> float64 array."""
    with open(path, "rb") as file:
        magic = file.read(4)
    if magic == b"PK\x03\x04":
        with np.load(path, allow_pickle=False) as archive:
            metadata = json.loads(archive["__metadata__"].item())
            tensors = {name: archive[name] for name in archive.files if name != "__metadata__"}
    else:
        with open(path, "rb") as file:
            content = file.read()
        (header_length,) = struct.unpack("<Q", content[:8])
        header = json.loads(content[8:8 + header_length].decode("utf-8"))
        metadata = header.pop("__metadata__", {})
        data = content[8 + header_length:]
        tensors = {}
        for name, entry in header.items():
            assert entry["dtype"] == "F64", f"{name}: dtype {entry['dtype']}, expected F64"
            begin, end = entry["data_offsets"]
            tensors[name] = np.frombuffer(data[begin:end], dtype="<f8").reshape(entry["shape"])
    assert metadata.get("format") == "metalearn-weights", "not a metalearn export"
    assert metadata.get("format_version") == "1", f"export format version {metadata.get('format_version')}"
    return metadata, tensors


# --- Activation functions (docs/method.md §4.1) ----------------------------------------------

def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# --- The networks: make_<architecture>(sizes, tensors) returns (reset, step) ----------------
# step(u) takes u(t) = (x1..xd, y(t-1)) and returns the output o(t).

def make_lstm1997(sizes, t):
    """docs/method.md §4.2 (one layer) and §4.4 (with a second layer)."""
    H = sizes["layer"]["hiddenUnits"]
    B = sizes["layer"]["blocks"]
    S = sizes["layer"]["cellsPerBlock"]
    N2 = sizes["secondLayerUnits"]
    C = B * S
    U = H + C + 2 * B
    # The layer matrix: rows hidden units, cells, input gates, output gates (U x M).
    W = np.concatenate([t["lstm.hidden_units"], t["lstm.cells"], t["lstm.input_gates"], t["lstm.output_gates"]])
    block = np.arange(C) // S                      # cell c belongs to block floor(c / S)
    state = {}

    def reset():
        state["a"] = np.zeros(U)                   # a(t-1): hidden, cells, input gates, output gates
        state["s"] = np.zeros(C)                   # cell states
        state["a2"] = np.zeros(N2)                 # second layer a2(t-1)

    def step(u):
        z = np.concatenate([u, state["a"], state["a2"], [1.0]])
        net = W @ z
        y_hidden = sigmoid(net[:H])
        g = 4.0 * sigmoid(net[H:H + C]) - 2.0      # g(x) = 4 sigma(x) - 2
        y_in = sigmoid(net[H + C:H + C + B])
        y_out = sigmoid(net[H + C + B:])
        state["s"] = state["s"] + y_in[block] * g
        y_cells = y_out[block] * (2.0 * sigmoid(state["s"]) - 1.0)   # h(x) = 2 sigma(x) - 1
        state["a"] = np.concatenate([y_hidden, y_cells, y_in, y_out])
        if N2 > 0:
            state["a2"] = sigmoid(t["second_layer.weights"] @ np.concatenate([state["a"], [1.0]]))
            v = state["a2"]
        else:
            v = np.concatenate([y_hidden, y_cells])
        return sigmoid(t["output.weights"] @ v + t["output.bias"][0])

    return reset, step


def make_sigmoid_recurrent(sizes, t):
    """docs/method.md §4.5: elman, bptt and rtrl share this forward pass."""
    n = sizes["hiddenUnits"]
    state = {}

    def reset():
        state["h"] = np.zeros(n)

    def step(u):
        state["h"] = sigmoid(t["hidden.weights"] @ np.concatenate([u, state["h"], [1.0]]))
        return sigmoid(t["output.weights"] @ state["h"] + t["output.bias"][0])

    return reset, step


def make_lstm_modern(sizes, t):
    """docs/method.md §4.9: the forget-gate LSTM."""
    n = sizes["cells"]
    state = {}

    def reset():
        state["h"] = np.zeros(n)
        state["c"] = np.zeros(n)

    def step(u):
        z1 = np.concatenate([u, state["h"], [1.0]])
        i = sigmoid(t["lstm.input_gate"] @ z1)
        f = sigmoid(t["lstm.forget_gate"] @ z1)
        r = sigmoid(t["lstm.output_gate"] @ z1)
        g = np.tanh(t["lstm.cell_input"] @ z1)
        state["c"] = f * state["c"] + i * g
        state["h"] = r * np.tanh(state["c"])
        return sigmoid(t["output.weights"] @ state["h"] + t["output.bias"][0])

    return reset, step


def make_gru(sizes, t):
    """docs/method.md §4.10: the GRU."""
    n = sizes["cells"]
    state = {}

    def reset():
        state["h"] = np.zeros(n)

    def step(u):
        h = state["h"]
        z1 = np.concatenate([u, h, [1.0]])
        r = sigmoid(t["gru.reset_gate"] @ z1)
        z = sigmoid(t["gru.update_gate"] @ z1)
        candidate = np.tanh(t["gru.candidate"] @ np.concatenate([u, r * h, [1.0]]))
        state["h"] = (1.0 - z) * h + z * candidate
        return sigmoid(t["output.weights"] @ state["h"] + t["output.bias"][0])

    return reset, step


NETWORKS = {
    "lstm1997": make_lstm1997,
    "elman": make_sigmoid_recurrent,
    "bptt": make_sigmoid_recurrent,
    "rtrl": make_sigmoid_recurrent,
    "lstm-modern": make_lstm_modern,
    "gru": make_gru,
}


# --- Streaming a CSV as `metalearn predict` does (docs/method.md §7.6) -----------------------

def read_examples(path, d):
    """Rows (sequence, x, y) of a `sequence,x1..xd,y` file."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        rows = [row for row in csv.reader(file) if row and any(field.strip() for field in row)]
    expected = ["sequence"] + [f"x{i}" for i in range(1, d + 1)] + ["y"]
    header = [field.strip().lower() for field in rows[0]]
    if header != expected:
        sys.exit(f"{path}: header {','.join(header)}, expected {','.join(expected)}")
    return [(row[0], np.array([float(v) for v in row[1:d + 1]]), float(row[d + 1])) for row in rows[1:]]


def predict(metadata, tensors, examples, y0):
    reset, step = NETWORKS[metadata["architecture"]](json.loads(metadata["sizes"]), tensors)
    predictions, previous_sequence, previous_y = [], None, y0
    for sequence, x, y in examples:
        if sequence != previous_sequence:          # a new run of the identifier: reset
            reset()
            previous_sequence, previous_y = sequence, y0
        predictions.append(float(step(np.concatenate([x, [previous_y]]))))
        previous_y = y
    return predictions


def read_predictions(path):
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return [float(row["prediction"]) for row in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", help="a file written by `metalearn export` (.npz or .safetensors)")
    parser.add_argument("examples", help="a CSV with header sequence,x1..xd,y (as for `metalearn predict --input`)")
    parser.add_argument("--compare", help="the output of `metalearn predict` for the same model and CSV")
    parser.add_argument("--tolerance", type=float, default=1e-12, help="largest |difference| accepted (default 1e-12)")
    parser.add_argument("--output", help="write the predictions as `metalearn predict` does")
    parser.add_argument("--y0", type=float, help="previous-target input after each reset (default: the model's)")
    args = parser.parse_args()

    metadata, tensors = load_export(args.export)
    d = int(metadata["input_dimension"])
    y0 = args.y0 if args.y0 is not None else float(metadata["initial_previous_target"])
    examples = read_examples(args.examples, d)
    predictions = predict(metadata, tensors, examples, y0)
    sequences = sum(1 for i, row in enumerate(examples) if i == 0 or row[0] != examples[i - 1][0])
    network = f"{metadata['architecture']} {metadata['topology']}"
    print(f"{network}: {len(predictions)} rows in {sequences} sequences")

    if args.output:
        with open(args.output, "w", newline="") as file:
            file.write(",".join(["sequence"] + [f"x{i}" for i in range(1, d + 1)] + ["y", "prediction", "error"]) + "\n")
            for (sequence, x, y), p in zip(examples, predictions):
                file.write(",".join([sequence] + [repr(float(v)) for v in x] + [repr(y), repr(p), repr(y - p)]) + "\n")

    if args.compare:
        reference = read_predictions(args.compare)
        if len(reference) != len(predictions):
            sys.exit(f"{args.compare} has {len(reference)} predictions, expected {len(predictions)}")
        difference = max(abs(a - b) for a, b in zip(predictions, reference))
        verdict = "agree" if difference <= args.tolerance else "DISAGREE"
        print(f"max |numpy - metalearn predict| = {difference:.3e} over {len(predictions)} predictions "
              f"(tolerance {args.tolerance:g}): {verdict}")
        if difference > args.tolerance:
            sys.exit(1)


if __name__ == "__main__":
    main()
