"""Issue 3's targets, read from a chain run's metrics.json: the rule for shipping a run's files, fixed before the
run (models/training/README.md, "Run it"). Synthetic phantoms, not for clinical use.

  python3 -m nodtrain.acceptance METRICS.json   (from models/training; exit status 1 if a target fails)
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    name: str
    value: float
    bound: float
    at_least: bool  # False: at most

    @property
    def holds(self) -> bool:
        return self.value >= self.bound if self.at_least else self.value <= self.bound

    def line(self) -> str:
        return "%s %s: %.4g (%s %.4g)" % ("PASS" if self.holds else "FAIL", self.name, self.value,
                                          ">=" if self.at_least else "<=", self.bound)


def targets(metrics: dict) -> list:
    models = metrics["models"]
    dense, pruned, int8 = models["dense-fp32"], models["pruned-fp32"], models["pruned-int8"]
    speedups = [("GPU machine's CPU, ONNX Runtime Python", pruned["latencyMsPerSlab"]["4"]["p50"]
                 / int8["latencyMsPerSlab"]["4"]["p50"])]
    project = metrics.get("projectMachineLatency")
    if project:
        speedups.append(("project machine, ONNX Runtime Java", project["pruned-fp32"]["4"] / project["pruned-int8"]["4"]))
    return [
        Target("CPM over nodules >= 4 mm, pruned INT8", int8["all4mmPlus"]["cpm"], 0.85, True),
        Target("solid >= 6 mm sensitivity at 1 FP/scan, pruned INT8", int8["solid6mmPlusSensitivityAt1FpPerScan"],
               0.95, True),
        Target("CPM points of pruned INT8 minus dense FP32 (paired, same scans)",
               100 * int8["all4mmPlusCpmVsDenseFp32"]["cpmDifference"], -0.5, True),
        Target("parameters removed by pruning", 1 - pruned["parameters"] / dense["parameters"], 0.60, True),
        Target("INT8 file, MB", int8["fileBytes"] / 1e6, 5.0, False),
    ] + [Target("INT8 speed-up over pruned FP32 at batch 4, " + where, x, 2.0, True) for where, x in speedups]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    results = targets(json.load(open(argv[0])))
    for t in results:
        print(t.line())
    print("synthetic phantoms, not for clinical use")
    return 0 if all(t.holds for t in results) else 1


if __name__ == "__main__":
    sys.exit(main())
