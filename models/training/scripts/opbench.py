"""Where the CPU time of a slab goes, per ONNX operator type, FP32 vs INT8, for architecture variants.
VARIANTS='[["bilinear",[16,32,64,96]], ...]' python3 scripts/opbench.py; prints one JSON line per model."""
import collections, glob, json, os, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import numpy as np, torch
from nodtrain.net import SlabDetector, default_widths, macs_per_slab
from nodtrain.export import export_onnx, quantize_int8
from nodtrain.latency import per_slab_ms
import onnxruntime as ort

out = os.environ.get("BENCH_DIR", "/tmp/opbench"); os.makedirs(out, exist_ok=True)
depth, rng = 7, np.random.default_rng(0)


def profile(path, runs=30):
    so = ort.SessionOptions(); so.intra_op_num_threads = 2; so.inter_op_num_threads = 1
    so.enable_profiling = True; so.profile_file_prefix = path + ".prof"
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    x = rng.random((1, depth, 256, 256), dtype=np.float32)
    for _ in range(5):
        s.run(None, {"slab": x})
    for _ in range(runs):
        s.run(None, {"slab": x})
    ev = json.load(open(s.end_profiling()))
    tot = collections.Counter()
    for e in ev:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            tot[e["args"]["op_name"]] += e["dur"]
    n = runs + 5
    return {k: round(v / 1000 / n, 3) for k, v in tot.most_common(8)}


for up, base in json.loads(os.environ["VARIANTS"]):
    torch.manual_seed(0)
    net = SlabDetector(depth, default_widths(base=tuple(base)), upsample=up)
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_var.uniform_(0.5, 2.0); m.running_mean.uniform_(-0.2, 0.2)
    net.eval()
    name = "%s-%s" % (up, "-".join(map(str, base)))
    fp32, int8 = os.path.join(out, name + "-fp32.onnx"), os.path.join(out, name + "-int8.onnx")
    export_onnx(net, fp32)
    quantize_int8(fp32, int8, [rng.random((4, depth, 256, 256), dtype=np.float32) for _ in range(2)], method="minmax")
    r = {"name": name, "mmacs": macs_per_slab(net, 256, 256) / 1e6}
    for tag, p in (("fp32", fp32), ("int8", int8)):
        lat = per_slab_ms(p, depth, batches=(1, 8), seconds_per_batch=1.5)
        r[tag] = {"b1": round(lat[1]["p50"], 3), "b8": round(lat[8]["p50"], 3), "ops": profile(p)}
    r["ratio_b1"] = round(r["fp32"]["b1"] / r["int8"]["b1"], 2)
    print(json.dumps(r), flush=True)
