"""Training's evaluation of one shipped model on chosen phantom seeds, per series, at the card's operating point.

The Java runtime's `noduled bench accuracy --first-seed S --series-count N` tallies the same seeds; comparing the
two on the same phantoms isolates the pipeline (preprocessing, decoding) from sampling noise. Synthetic phantoms,
not for clinical use.

  python3 scripts/paired_accuracy.py CARD.json FIRST_SEED COUNT WORK_DIR OUT.json   (from models/training)
"""
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nodtrain import evaluate, phantoms, pipeline  # noqa: E402
from nodtrain.decode import DecodeParams  # noqa: E402
from nodtrain.froc import Froc  # noqa: E402
from nodtrain.grid import InputSpec  # noqa: E402
from nodtrain.net import OUTPUT_STRIDE  # noqa: E402


def main():
    card_path, first, count, work, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    card = json.load(open(card_path))
    i, d = card["input"], card["decode"]
    spec = InputSpec(depth=i["depth"], pixel_spacing_mm=i["pixelSpacingMm"], slice_spacing_mm=i["sliceSpacingMm"],
                     hu_lo=i["huWindow"][0], hu_hi=i["huWindow"][1], in_plane_multiple=i["inPlaneMultiple"])
    params = DecodeParams(peak_window=d["peakWindow"], score_threshold=d["scoreThreshold"],
                          operating_point_score=d["operatingPointScore"],
                          nms_distance_factor=d["nmsDistanceFactor"], max_findings=d["maxFindings"])
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    java = os.path.join(here, ".jre", "jre", "bin", "java")
    classpath = ":".join(os.path.join(here, ".jre", f) for f in sorted(os.listdir(os.path.join(here, ".jre")))
                         if f.endswith(".jar"))
    seeds = list(range(first, first + count))
    jobs = [("paired", s, work, java, classpath, 2, (), spec) for s in seeds]
    with ProcessPoolExecutor(max(1, (os.cpu_count() or 2) // 2)) as pool:
        list(pool.map(pipeline._make_one, jobs))
    runner = evaluate.OrtRunner(os.path.join(os.path.dirname(os.path.abspath(card_path)), card["file"]), 2)
    op = d["operatingPointScore"]
    rows, found, nodules, fps = [], 0, 0, 0
    everything = Froc()  # all series together, for the FROC curve and CPM
    at_least_4mm = lambda n: n["diameter_mm"] >= 4.0
    for s in seeds:
        item = phantoms.load_prepared(os.path.join(work, "prepared"), "paired-%d" % s)
        froc = evaluate.run_set(runner, [item], spec, card["slabs"]["stride"], OUTPUT_STRIDE, params)
        everything.scans.extend(froc.scans)
        r = froc.sensitivity_at_score(at_least_4mm, op)
        hit = round((r["sensitivity"] or 0.0) * r["nodules"])
        rows.append({"seed": s, "nodules4mm": r["nodules"], "found": hit, "falsePositives": round(r["fp_per_scan"])})
        found, nodules, fps = found + hit, nodules + r["nodules"], fps + round(r["fp_per_scan"])
    summary = {"card": os.path.basename(card_path), "operatingPointScore": op, "seeds": [first, first + count - 1],
               "nodules4mm": nodules, "found": found, "sensitivity": found / max(1, nodules),
               "fpPerScan": fps / count, "frocAll4mmPlus": everything.sensitivity_at(at_least_4mm),
               "series": rows,
               "note": "training's evaluation (whole field of view), synthetic phantoms, not for clinical use"}
    json.dump(summary, open(out, "w"), indent=1)
    print(json.dumps({k: v for k, v in summary.items() if k != "series"}))


if __name__ == "__main__":
    main()
