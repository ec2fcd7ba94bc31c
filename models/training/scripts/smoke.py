"""Device smoke test: library versions, ONNX export on this torch, INT8 quantization, and CPU latency of
candidate widths (random weights; latency does not depend on them). Prints one JSON line per candidate."""
import json, os, platform, subprocess, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import numpy as np, torch
from nodtrain.net import SlabDetector, default_widths, parameter_count, macs_per_slab
from nodtrain.export import export_onnx, quantize_int8
from nodtrain.latency import per_slab_ms

out = os.environ.get("SMOKE_DIR", "/tmp/smoke"); os.makedirs(out, exist_ok=True)
versions = {"python": platform.python_version(), "torch": torch.__version__, "cuda": torch.cuda.is_available()}
for m in ("onnx", "onnxruntime", "scipy", "cv2", "numpy"):
    try:
        versions[m] = __import__(m).__version__
    except Exception as e:
        versions[m] = "missing: %s" % e
print(json.dumps(versions))
depth = int(os.environ.get("DEPTH", "7"))
rng = np.random.default_rng(0)
results = []
for base in json.loads(os.environ.get("BASES", "[[16,32,64,96]]")):
    torch.manual_seed(0)
    net = SlabDetector(depth, default_widths(base=tuple(base)))
    for m in net.modules():  # non-trivial BN statistics so that folding and calibration see real ranges
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_var.uniform_(0.5, 2.0); m.running_mean.uniform_(-0.2, 0.2)
    net.eval()
    name = "w" + "-".join(map(str, base))
    fp32 = os.path.join(out, name + "-fp32.onnx"); int8 = os.path.join(out, name + "-int8.onnx")
    t0 = time.time(); export_onnx(net, fp32)
    calib = [rng.random((4, depth, 256, 256), dtype=np.float32) for _ in range(4)]
    quantize_int8(fp32, int8, calib)
    t1 = time.time()
    r = {"base": base, "params": parameter_count(net), "mmacs_256": macs_per_slab(net, 256, 256) / 1e6,
         "export_quant_s": round(t1 - t0, 1),
         "fp32_ms": per_slab_ms(fp32, depth, seconds_per_batch=1.5),
         "int8_ms": per_slab_ms(int8, depth, seconds_per_batch=1.5),
         "fp32_bytes": os.path.getsize(fp32), "int8_bytes": os.path.getsize(int8)}
    print(json.dumps(r)); results.append(r)
json.dump({"versions": versions, "candidates": results}, open(os.path.join(out, "smoke.json"), "w"), indent=1)

# Training speed on stand-in volumes of the real prepared size (random values, random "nodules").
if torch.cuda.is_available() and os.environ.get("TRAIN_STEPS"):
    from nodtrain.grid import InputSpec
    from nodtrain.sampler import SlabSampler
    from nodtrain.train import train
    from nodtrain.prune import prune
    spec = InputSpec(depth=depth)
    dev = torch.device("cuda")
    torch.backends.cudnn.benchmark = True
    vols = torch.rand(40, 150, 287, 287, device=dev).half()
    nods = [np.column_stack([rng.uniform(40, 240, 4), rng.uniform(40, 240, 4), rng.uniform(10, 140, 4),
                             rng.uniform(3, 30, 4)]).astype(np.float32) for _ in range(40)]
    s = SlabSampler(vols, nods, [(5, 145)] * 40, spec, 2, crop=160)
    t0 = time.time(); x, tg = s.batch(64); torch.cuda.synchronize(); print("one batch %.3f s" % (time.time() - t0))
    steps = int(os.environ["TRAIN_STEPS"])
    base = json.loads(os.environ.get("DENSE", "[32,64,112,160]"))
    net = SlabDetector(depth, default_widths(base=tuple(base)))
    t0 = time.time(); train(net, s, steps, 64, 2e-3, bn_l1_weight=5e-5, log_every=100); torch.cuda.synchronize()
    dense_s = (time.time() - t0) / steps
    small = prune(net.cpu(), 0.5)
    t0 = time.time(); train(small, s, steps, 64, 1e-3, log_every=100); torch.cuda.synchronize()
    print(json.dumps({"dense_s_per_step": dense_s, "pruned_s_per_step": (time.time() - t0) / steps,
                      "pruned_widths": small.widths}))
