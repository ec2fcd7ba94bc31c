"""Model cards (models/CARD-FORMAT.md): <file>.card.json for the runtime, <file>.card.md for people.

Every value comes from the pipeline's constants or from metrics.json, which evaluate wrote; the SHA-256 is
of the ONNX file beside the card.
"""
from __future__ import annotations

import hashlib
import json
import os

from . import pipeline
from .decode import DecodeParams
from .froc import FP_RATES
from .net import OUTPUT_STRIDE

INTENDED_USE = "synthetic phantoms, not for clinical use"
RESAMPLING = (
    "in-plane: OpenCV resize with INTER_AREA (area average; the model shrinks 0.7 mm pixels to 1.25 mm) to "
    "round(n * spacingMm / pixelSpacingMm) pixels per axis for n source pixels; resampled pixel u is centred "
    "on source pixel (u + 0.5) * n / round(...) - 0.5. z: resampled slice t lies at source slice "
    "t * sliceSpacingMm / sourceSliceSpacingMm, linear between its two neighbours. Both steps act on HU; the "
    "window comes after them")
NORMALISATION = "clip(hu, lo, hi) then (hu - lo) / (hi - lo), so 0..1; applied after resampling"
PADDING = ("z: edge slices repeated at the volume's top and bottom; in-plane: 0.0 (air, the window's low end) "
           "where a tile reaches beyond the image")
REGRESSION_UNITS = (
    "dx, dy in output cells from the cell's corner: the centre lies at resampled pixel u = (x + dx) * stride "
    "- 0.5, v = (y + dy) * stride - 0.5 for cell (x = column, y = row); dz in resampled slices from the slab "
    "centre: t = c + dz; diameterMm in mm")


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def card(variant: str, path: str, metrics: dict) -> dict:
    from .grid import InputSpec
    spec = InputSpec(**metrics["input"])
    m = metrics["models"][variant]
    d = DecodeParams(**metrics["decode"])
    return {
        "format": "noduled-model-card/1",
        "name": pipeline.NAME,
        "variant": variant,
        "version": pipeline.VERSION,
        "file": os.path.basename(path),
        "sha256": sha256(path),
        "intendedUse": INTENDED_USE,
        "input": {
            "tensor": "slab",
            "layout": "NCHW",
            "depth": spec.depth,
            "pixelSpacingMm": spec.pixel_spacing_mm,
            "sliceSpacingMm": spec.slice_spacing_mm,
            "inPlaneMultiple": spec.in_plane_multiple,
            "tile": list(pipeline.TILE),
            "huWindow": [spec.hu_lo, spec.hu_hi],
            "normalisation": NORMALISATION,
            "resampling": RESAMPLING,
        },
        "slabs": {"stride": metrics["slabStride"], "padding": PADDING},
        "output": {
            "heatmap": "heatmap",
            "regression": "regression",
            "stride": OUTPUT_STRIDE,
            "heatmapActivation": "sigmoid, applied inside the graph",
            "regressionChannels": ["dx", "dy", "dz", "diameterMm"],
            "regressionUnits": REGRESSION_UNITS,
        },
        "decode": {
            "peakWindow": d.peak_window,
            "scoreThreshold": d.score_threshold,
            "operatingPointScore": round(m["operatingPoint"]["score"], 4),
            "nmsDistanceFactor": d.nms_distance_factor,
            "maxFindings": d.max_findings,
        },
        "metrics": card_metrics(m, metrics),
    }


def card_metrics(m: dict, metrics: dict) -> dict:
    def curve(c):
        return {"nodules": c["nodules"], "sensitivity": _round(c["sensitivity"]), "cpm": _round(c["cpm"])}

    return {
        "data": "%d held-out synthetic phantom series (seeds %d..%d), not for clinical use" % (
            m["scans"], *metrics["seeds"]["test"]),
        "fpRatesPerScan": list(FP_RATES),
        "cpmAll4mmPlus": _round(m["all4mmPlus"]["cpm"]),
        "frocAll4mmPlus": curve(m["all4mmPlus"]),
        "solid6mmPlusSensitivityAt1FpPerScan": _round(m["solid6mmPlusSensitivityAt1FpPerScan"]),
        "bySize": {k: curve(v) for k, v in m["bySize"].items()},
        "byType4mmPlus": {k: curve(v) for k, v in m["byType4mmPlus"].items()},
        "operatingPoint": {"score": _round(m["operatingPoint"]["score"]),
                           "sensitivity4mmPlus": _round(m["operatingPoint"]["sensitivity"]),
                           "fpPerScan": _round(m["operatingPoint"]["fp_per_scan"])},
        "parameters": m["parameters"],
        "fileBytes": m["fileBytes"],
        "macsPerSlab": m["macsPerSlabTile"],
        "macsPerSeries": m["macsPerSeriesEvaluated"],
        "cpuLatencyMsPerSlab": {str(b): _round(v["p50"], 2) for b, v in m["latencyMsPerSlab"].items()},
        "latencyConditions": "ONNX Runtime %s (Python) CPU provider, 2 intra-op threads, %dx%d slab, p50, on "
                             "%s (the training machine's CPU)" % (
                                 metrics.get("onnxruntime", "?"), pipeline.TILE[0], pipeline.TILE[1], metrics["cpu"]),
        **project_machine_latency(m, metrics),
        **difference_to_dense(m),
    }


def difference_to_dense(m: dict) -> dict:
    vs = m.get("all4mmPlusCpmVsDenseFp32")
    if not vs:
        return {}
    return {"cpmAll4mmPlusMinusDenseFp32": {"difference": _round(vs["cpmDifference"]), "ci95": _round(vs["ci95"]),
                                            "method": "paired bootstrap over the %d test scans, %d draws" % (
                                                vs["scans"], vs["draws"])}}


def project_machine_latency(m: dict, metrics: dict) -> dict:
    """scripts/bench_project_machine.py's figures, where it has run."""
    pm = metrics.get("projectMachineLatency")
    if not pm:
        return {}
    variant = next(k for k, v in metrics["models"].items() if v is m)
    return {"cpuLatencyMsPerSlabProjectMachine": {b: _round(v, 2) for b, v in pm[variant].items()},
            "projectMachineLatencyConditions": pm["conditions"]}


def _round(x, digits=4):
    if isinstance(x, list):
        return [_round(v, digits) for v in x]
    return None if x is None else round(float(x), digits)


def markdown(c: dict, metrics: dict) -> str:
    m = c["metrics"]
    i, o, d = c["input"], c["output"], c["decode"]
    lines = [
        "# %s %s (%s)" % (c["name"], c["version"], c["variant"]),
        "",
        "**Trained and measured on synthetic phantoms, not for clinical use.**",
        "",
        "File `%s`, %d bytes, SHA-256 `%s`. Machine-readable card: `%s`." % (
            c["file"], m["fileBytes"], c["sha256"], c["file"].replace(".onnx", ".card.json")),
        "",
        "## What it does",
        "A 2.5D CenterNet-style nodule detector: 2D convolutions over a slab of %d adjacent resampled axial "
        "slices (as channels), answering for the slab's centre slice with a centre heatmap and a regression map "
        "(sub-cell offset, z offset, diameter) at output stride %d. Slabs slide along z with stride %d; the "
        "runtime decodes peaks, maps them to patient coordinates and merges them by 3D non-maximum suppression." % (
            i["depth"], o["stride"], c["slabs"]["stride"]),
        "",
        "## Input",
        "- tensor `%s`, %s, shape [N, %d, H, W], N, H and W dynamic; H and W multiples of %d; preferred tile %dx%d" % (
            i["tensor"], i["layout"], i["depth"], i["inPlaneMultiple"], i["tile"][0], i["tile"][1]),
        "- grid: %.2f mm pixels, %.1f mm between slices" % (i["pixelSpacingMm"], i["sliceSpacingMm"]),
        "- resampling: %s" % i["resampling"],
        "- HU window [%g, %g]; %s" % (i["huWindow"][0], i["huWindow"][1], i["normalisation"]),
        "- padding: %s" % c["slabs"]["padding"],
        "",
        "## Output",
        "- `%s` [N, 1, H/%d, W/%d]: %s" % (o["heatmap"], o["stride"], o["stride"], o["heatmapActivation"]),
        "- `%s` [N, 4, H/%d, W/%d]: %s; %s" % (o["regression"], o["stride"], o["stride"],
                                              ", ".join(o["regressionChannels"]), o["regressionUnits"]),
        "- decoding: local maxima over %dx%d cells scoring >= %g; 3D NMS at %g x the larger diameter; at most %d "
        "findings; operating point score %g (chosen on %d validation series for 1 false positive per scan)" % (
            d["peakWindow"], d["peakWindow"], d["scoreThreshold"], d["nmsDistanceFactor"], d["maxFindings"],
            d["operatingPointScore"], metrics["models"][c["variant"]]["validation"]["scans"]),
        "",
        "## Metrics (synthetic phantoms, not for clinical use)",
        "Measured by `models/training/run_all.sh` on %s. A finding hits a nodule when its centre lies within "
        "the nodule's radius; LUNA16 rules (hits on nodules outside the category are neither true nor false "
        "positives); sensitivity at r FP/scan is the best reached with at most r FP/scan (no interpolation)." % m["data"],
        "",
        "| FROC | nodules | " + " | ".join("%g" % r for r in m["fpRatesPerScan"]) + " | CPM |",
        "|---|---|" + "---|" * len(m["fpRatesPerScan"]) + "---|",
    ]

    def row(name, cv):
        sens = " | ".join("-" if s is None else "%.3f" % s for s in cv["sensitivity"])
        cpm = "-" if cv["cpm"] is None else "%.3f" % cv["cpm"]
        return "| %s | %d | %s | %s |" % (name, cv["nodules"], sens, cpm)

    lines.append(row("all >= 4 mm", m["frocAll4mmPlus"]))
    for k, v in m["bySize"].items():
        lines.append(row(k, v))
    for k, v in m["byType4mmPlus"].items():
        lines.append(row("%s >= 4 mm" % k, v))
    lat = m["cpuLatencyMsPerSlab"]
    vs = m.get("cpmAll4mmPlusMinusDenseFp32")
    lines += [""]
    if vs:
        # from metrics.json, not the card's 4-digit values: rounding twice turned +0.554 points into +0.5
        raw = metrics["models"][c["variant"]]["all4mmPlusCpmVsDenseFp32"]
        lines.append("- CPM over nodules >= 4 mm minus the dense FP32 net's on the same scans: %+.1f points "
                     "(95%% interval %+.1f to %+.1f; %s)" % (100 * raw["cpmDifference"], 100 * raw["ci95"][0],
                                                            100 * raw["ci95"][1], vs["method"]))
    lines += [
        "- solid >= 6 mm, sensitivity at 1 FP/scan: %s" % m["solid6mmPlusSensitivityAt1FpPerScan"],
        "- at the operating point (score %s): sensitivity %s over nodules >= 4 mm, %s FP/scan" % (
            m["operatingPoint"]["score"], m["operatingPoint"]["sensitivity4mmPlus"], m["operatingPoint"]["fpPerScan"]),
        "- parameters %d; file %d bytes; %.0f M multiply-accumulates per %dx%d slab, %.2f G per series "
        "(%d slabs over the whole %dx%d field of view; the runtime's lung crop needs fewer)" % (
            m["parameters"], m["fileBytes"], m["macsPerSlab"] / 1e6, i["tile"][0], i["tile"][1],
            m["macsPerSeries"] / 1e9, metrics["slabsPerSeries"], *metrics["evaluatedInPlane"]),
        "- CPU latency per slab (%s): batch 1 %s ms, batch 4 %s ms, batch 8 %s ms" % (
            m["latencyConditions"], lat.get("1"), lat.get("4"), lat.get("8")),
    ]
    pm = m.get("cpuLatencyMsPerSlabProjectMachine")
    if pm:
        lines.append("- CPU latency per slab (%s): batch 1 %s ms, batch 4 %s ms, batch 8 %s ms" % (
            m["projectMachineLatencyConditions"], pm.get("1"), pm.get("4"), pm.get("8")))
    cfg = metrics["config"]
    how = {
        "dense-fp32": "the dense net as trained (%d steps, batch %d, %dx%d crops, AdamW, focal + L1 losses, L1 on "
                      "BN scales %g)" % (cfg["dense_steps"], cfg["batch"], cfg["crop"], cfg["crop"], cfg["bn_l1"]),
        "pruned-fp32": "the dense net pruned to %s channels per block (kept by |BN gamma|), fine-tuned %d steps "
                       "on the ground truth%s" % (
                           _widths_text(metrics), cfg["finetune_steps"],
                           " and the dense net's heatmap (distillation weight %g)" % cfg["distill"]
                           if cfg.get("distill") else ""),
        "pruned-int8": "the pruned net quantized to INT8 by onnxruntime.quantization (static, QDQ, per-channel "
                       "int8 weights, uint8 activations calibrated by %s on 96 whole-slice slabs of training "
                       "series%s; the 1x1 head, sigmoid and scaling stay float)" % (
                           cfg["calibration"],
                           # files made before the option existed had each tensor's own scale
                           ", then one scale, the largest, for each Concat and its inputs"
                           if cfg.get("int8_concat_scales", "calibrated") == "shared" else ""),
    }[c["variant"]]
    lines += [
        "",
        "## How it was made",
        "2.5D U-Net of 3x3 Conv-BN-ReLU blocks (encoder strides 2-16, bilinear upsampling, concatenation skips) "
        "with a 1x1 head; this file is %s. Exported to ONNX opset 17 with dynamic N, H and W." % how,
        "",
        "## Training data",
        "Synthetic chest CT phantoms from the project's Java generator (`noduled phantom`, test-data/README.md), "
        "%d training series, %d validation series and %d test series with disjoint seeds (%s); "
        "not for clinical use. Data check of the training series against the generator (datacheck.py): %s; "
        "share of series or nodules within tolerance per check: %s; nodule types, diameter law and HU ranges "
        "match the specification: %s." % (
            metrics["config"]["train"], metrics["config"]["val"], metrics["config"]["test"],
            ", ".join("%s %d..%d" % (k, v[0], v[1]) for k, v in metrics["seeds"].items()),
            metrics["datacheck"]["summary"]["verdict"],
            ", ".join("%s %.3f" % (k, v) for k, v in metrics["datacheck"]["summary"]["checks"].items() if v is not None),
            "yes" if metrics["datacheck"]["summary"]["distributionPassed"] else "NO"),
    ]
    if metrics.get("evaluationGenerator"):
        lines.append("Evaluation series: %s." % metrics["evaluationGenerator"])
    lines += [
        "",
    ]
    return "\n".join(lines)


def _widths_text(metrics: dict) -> str:
    widths = metrics.get("prunedWidths")
    if widths:
        return ", ".join("%s %d" % (k, v) for k, v in widths.items())
    return "%d%% of every block's" % round(100 * metrics["config"]["keep"])


def write_all(models_dir: str, metrics: dict) -> None:
    for variant, f in pipeline.FILES.items():
        path = os.path.join(models_dir, f)
        c = card(variant, path, metrics)
        with open(path.replace(".onnx", ".card.json"), "w") as fh:
            json.dump(c, fh, indent=2)
            fh.write("\n")
        with open(path.replace(".onnx", ".card.md"), "w") as fh:
            fh.write(markdown(c, metrics))
