"""Per-slab latency of the shipped models on this machine through ONNX Runtime Java (the runtime's own
library, bench/SlabBench.java), merged into results/metrics.json as projectMachineLatency. A command, not a
test; run it on an otherwise quiet 2-core project machine:
  python3 scripts/bench_project_machine.py [ROUNDS]   (from models/training)"""
import glob, json, os, re, statistics, subprocess, sys

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, here)
from nodtrain import pipeline  # noqa: E402

jar = sorted(glob.glob(os.path.expanduser("~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/*/onnxruntime-*.jar")))[-1]
metrics_path = os.path.join(here, "results", "metrics.json")
metrics = json.load(open(metrics_path))
depth, (h, w) = metrics["input"]["depth"], pipeline.TILE
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
line = re.compile(r"batch (\d+) threads \d+: p50 ([\d.]+) ms/slab")
result = {}
for variant, f in pipeline.FILES.items():
    runs = {}
    for _ in range(rounds):
        out = subprocess.run(["java", "-cp", jar, os.path.join(here, "bench", "SlabBench.java"),
                              os.path.join(here, "..", f), str(depth), str(h), str(w), "2", "3", "1", "4", "8"],
                             capture_output=True, text=True, check=True).stdout
        for b, ms in line.findall(out):
            runs.setdefault(b, []).append(float(ms))
    result[variant] = {b: round(statistics.median(v), 3) for b, v in runs.items()}
    print(variant, result[variant], flush=True)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
result["conditions"] = ("ONNX Runtime Java %s CPU provider, 2 intra-op threads, %dx%d slab, median over %d rounds "
                        "of p50, on %s (%d cores, the project's machine, shared; load average %.1f at the end, this benchmark included)" % (
                            re.search(r"onnxruntime-([\d.]+)\.jar", jar).group(1), h, w, rounds, cpu, os.cpu_count(),
                            os.getloadavg()[0]))
metrics["projectMachineLatency"] = result
json.dump(metrics, open(metrics_path, "w"), indent=1)
