#!/usr/bin/python3
"""Writes the tiny ONNX models (and their cards) that the detect tests run.

Needs Debian's python3-onnx and python3-numpy (`apt-get install -y python3-onnx`); run with the
system interpreter: /usr/bin/python3 detect/src/test/python/make_test_models.py
Output: detect/src/test/resources/models/tiny-2p5d.onnx and tiny-2p5d.card.json (a few KB, committed).

The model honours the card contract (models/CARD-FORMAT.md) with hand-set weights, so a test can
predict what it finds: it responds to something bright in the slab's centre slice that is dark two
slices above and below, i.e. a small blob, and is blind to anything extended along z (chest wall,
mediastinum, lung edges). Not a trained model; synthetic test fixture only, not for clinical use.

  r        = centre - max(centre - 2, centre + 2)                      (per pixel, normalised HU)
  heatmap  = sigmoid(GAIN * (mean3x3(r) at stride 2 - R_THRESHOLD))   [N,1,H/2,W/2]
  regression = constants dx = dy = 0.25, dz = 0, diameterMm = 12      [N,4,H/2,W/2]

With a 3x3 kernel, padding 1 and stride 2, output cell p is centred on input pixel 2p, and the card's
decoding rule (centre = (p + dx) * stride - 0.5 in pixel-index units) gives 2p exactly for dx = 0.25.
"""
import argparse
import hashlib
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

DEPTH = 5
STRIDE = 2
GAIN = 20.0
R_THRESHOLD = 0.3
DIAMETER_MM = 12.0


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def build_model():
    slab = helper.make_tensor_value_info("slab", TensorProto.FLOAT, ["N", DEPTH, "H", "W"])
    heatmap = helper.make_tensor_value_info("heatmap", TensorProto.FLOAT, ["N", 1, "h", "w"])
    regression = helper.make_tensor_value_info("regression", TensorProto.FLOAT, ["N", 4, "h", "w"])
    centre = DEPTH // 2
    inits = [
        const("axis1", np.array([1], dtype=np.int64)),
        const("c_start", np.array([centre], dtype=np.int64)),
        const("c_end", np.array([centre + 1], dtype=np.int64)),
        const("lo_start", np.array([centre - 2], dtype=np.int64)),
        const("lo_end", np.array([centre - 1], dtype=np.int64)),
        const("hi_start", np.array([centre + 2], dtype=np.int64)),
        const("hi_end", np.array([centre + 3], dtype=np.int64)),
        const("hm_w", np.full((1, 1, 3, 3), GAIN / 9.0, dtype=np.float32)),
        const("hm_b", np.array([-GAIN * R_THRESHOLD], dtype=np.float32)),
        const("rg_w", np.zeros((4, DEPTH, 1, 1), dtype=np.float32)),
        const("rg_b", np.array([0.25, 0.25, 0.0, DIAMETER_MM], dtype=np.float32)),
    ]
    nodes = [
        helper.make_node("Slice", ["slab", "c_start", "c_end", "axis1"], ["c"]),
        helper.make_node("Slice", ["slab", "lo_start", "lo_end", "axis1"], ["lo"]),
        helper.make_node("Slice", ["slab", "hi_start", "hi_end", "axis1"], ["hi"]),
        helper.make_node("Max", ["lo", "hi"], ["around"]),
        helper.make_node("Sub", ["c", "around"], ["r"]),
        helper.make_node("Conv", ["r", "hm_w", "hm_b"], ["logit"],
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[STRIDE, STRIDE]),
        helper.make_node("Sigmoid", ["logit"], ["heatmap"]),
        helper.make_node("Conv", ["slab", "rg_w", "rg_b"], ["regression"],
                         kernel_shape=[1, 1], strides=[STRIDE, STRIDE]),
    ]
    graph = helper.make_graph(nodes, "tiny_2p5d", [slab], [heatmap, regression], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="noduled-test-fixture")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def build_bench_model(seed=7):
    """A random-weight stand-in of the reference model's size class (16/32 channels, output stride 2), so the
    benchmark harness can be measured before the trained model lands. Its findings mean nothing."""
    rng = np.random.default_rng(seed)
    slab = helper.make_tensor_value_info("slab", TensorProto.FLOAT, ["N", DEPTH, "H", "W"])
    heatmap = helper.make_tensor_value_info("heatmap", TensorProto.FLOAT, ["N", 1, "h", "w"])
    regression = helper.make_tensor_value_info("regression", TensorProto.FLOAT, ["N", 4, "h", "w"])
    layers = [(DEPTH, 16, 1), (16, 32, 2), (32, 32, 1), (32, 32, 1)]
    inits, nodes, x = [], [], "slab"
    for n, (cin, cout, stride) in enumerate(layers):
        w = (rng.standard_normal((cout, cin, 3, 3)) * np.sqrt(2.0 / (cin * 9))).astype(np.float32)
        inits += [const(f"w{n}", w), const(f"b{n}", np.zeros(cout, dtype=np.float32))]
        nodes += [helper.make_node("Conv", [x, f"w{n}", f"b{n}"], [f"c{n}"], kernel_shape=[3, 3],
                                   pads=[1, 1, 1, 1], strides=[stride, stride]),
                  helper.make_node("Relu", [f"c{n}"], [f"r{n}"])]
        x = f"r{n}"
    inits += [const("hw", (rng.standard_normal((1, 32, 1, 1)) * 0.1).astype(np.float32)),
              const("hb", np.array([-8.0], dtype=np.float32)),
              const("rw", (rng.standard_normal((4, 32, 1, 1)) * 0.1).astype(np.float32)),
              const("rb", np.array([0.5, 0.5, 0.0, 8.0], dtype=np.float32))]
    nodes += [helper.make_node("Conv", [x, "hw", "hb"], ["hl"], kernel_shape=[1, 1]),
              helper.make_node("Sigmoid", ["hl"], ["heatmap"]),
              helper.make_node("Conv", [x, "rw", "rb"], ["regression"], kernel_shape=[1, 1])]
    graph = helper.make_graph(nodes, "bench_2p5d", [slab], [heatmap, regression], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="noduled-test-fixture")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def card(file_name, sha256, bench=False):
    return {
        "format": "noduled-model-card/1",
        "name": "noduled-bench-random" if bench else "noduled-test-tiny",
        "variant": "random-fp32" if bench else "hand-set-fp32",
        "version": "0.0.1",
        "file": file_name,
        "sha256": sha256,
        "intendedUse": "test fixture, not trained; synthetic, not for clinical use",
        "input": {
            "tensor": "slab",
            "layout": "NCHW",
            "depth": DEPTH,
            "pixelSpacingMm": 1.25 if bench else 2.0,
            "sliceSpacingMm": 2.0 if bench else 2.5,
            "inPlaneMultiple": 16,
            "tile": [256, 256] if bench else [64, 64],
            "huWindow": [-1000.0, 400.0],
            "normalisation": "clip(hu, lo, hi) then (hu - lo) / (hi - lo), so 0..1",
            "resampling": "in-plane: area average when shrinking (OpenCV INTER_AREA), z: linear between slices",
        },
        "slabs": {"stride": 2, "padding": "edge slices repeated at the volume's top and bottom"},
        "output": {
            "heatmap": "heatmap",
            "regression": "regression",
            "stride": STRIDE,
            "heatmapActivation": "sigmoid, applied inside the graph",
            "regressionChannels": ["dx", "dy", "dz", "diameterMm"],
            "regressionUnits": "dx, dy in output cells from the cell's corner; dz in resampled slices "
                               "from the slab centre; diameterMm in mm",
        },
        "decode": {
            "peakWindow": 3,
            "scoreThreshold": 0.05 if bench else 0.3,
            "operatingPointScore": 0.4 if bench else 0.5,
            "nmsDistanceFactor": 0.5,
            "maxFindings": 50 if bench else 10,
        },
        "metrics": {"see": "none: hand-set test fixture"},
    }


def write(out_dir, stem, model, bench):
    onnx_name = stem + ".onnx"
    onnx_path = os.path.join(out_dir, onnx_name)
    data = model.SerializeToString()
    with open(onnx_path, "wb") as f:
        f.write(data)
    sha = hashlib.sha256(data).hexdigest()
    with open(os.path.join(out_dir, stem + ".card.json"), "w") as f:
        json.dump(card(onnx_name, sha, bench), f, indent=2)
        f.write("\n")
    print(f"{onnx_path}: {len(data)} bytes, sha256 {sha}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(here, "..", "resources", "models"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=default_out)
    parser.add_argument("--bench", metavar="DIR",
                        help="also write bench-2p5d.onnx (random weights, reference size class; not committed)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    write(args.out, "tiny-2p5d", build_model(), bench=False)
    if args.bench:
        os.makedirs(args.bench, exist_ok=True)
        write(args.bench, "bench-2p5d", build_bench_model(), bench=True)


if __name__ == "__main__":
    main()
