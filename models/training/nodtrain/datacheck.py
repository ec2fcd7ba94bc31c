"""Does the training data agree with the Java generator and with the phantom specification?

The Java generator reports, per series, statistics from its own labels (stats.json: HU mean/std of lung
parenchyma, soft tissue, fat and bone; lung-field and vessel voxel counts; each nodule's voxels and mean HU).
volume_stats() measures comparable quantities from the raw bytes this loader read, without the labels:
  lung field   HU < -400, not connected to the slice's border (outside air), holes filled, slice by slice
  parenchyma   mean and std of HU over lung-field voxels under -400 HU (vessel edges and airways included, so
               a few HU above Java's label-based figure)
  fat, soft    mode of the HU histogram in -160..-40 and 20..80 HU
  nodule       mean HU inside a sphere of the nominal diameter around the truth centre, and of its inner half
               (compared with Java's labelled mean for nodules >= 6 mm that do not touch the pleura)
check() compares them within the tolerances below and the training set's nodule types, sizes and HU with the
specification (test-data/README.md; NodulePlacer.java). Tolerances are loose enough for label-free
estimates and tight enough that a flipped axis, a wrong byte order, an offset origin or a wrong spacing fails.
"""
from __future__ import annotations

import math

import numpy as np

TOL_LUNG_FIELD_REL = 0.06   # lung-field voxel count, relative
TOL_PARENCHYMA_HU = 15.0    # mean vs Java mean
TOL_PARENCHYMA_STD_HU = 25.0
TOL_FAT_HU = 15.0
TOL_NODULE_HU = 40.0        # sphere mean vs Java's labelled mean, nodules >= 6 mm
TOL_TRUTH_HU = 40.0         # inner-half mean vs truth HU (solid, ground glass), nodules >= 8 mm
MIN_SHARE_PASSING = 0.9     # share of series / nodules that must pass each per-item check

TYPE_SHARES = {"solid": 0.6, "part-solid": 0.2, "ground-glass": 0.2}
SPEC_HU = {"solid": (-100.0, 100.0), "part-solid": (-700.0, -500.0), "ground-glass": (-700.0, -500.0)}


def sphere_mean(hu, geometry, center_mm, radius_mm):
    ijk = geometry.to_voxel(np.asarray(center_mm, np.float64))
    sp = np.asarray(geometry.spacing_mm)
    lo = np.maximum(np.floor(ijk - radius_mm / sp).astype(int), 0)
    hi = np.minimum(np.ceil(ijk + radius_mm / sp).astype(int) + 1, [geometry.columns, geometry.rows, geometry.slices])
    if np.any(hi <= lo):
        return float("nan"), 0
    k, j, i = np.meshgrid(np.arange(lo[2], hi[2]), np.arange(lo[1], hi[1]), np.arange(lo[0], hi[0]), indexing="ij")
    d2 = ((i - ijk[0]) * sp[0]) ** 2 + ((j - ijk[1]) * sp[1]) ** 2 + ((k - ijk[2]) * sp[2]) ** 2
    inside = d2 <= radius_mm ** 2
    if not inside.any():
        return float("nan"), 0
    return float(hu[k[inside], j[inside], i[inside]].mean()), int(inside.sum())


def lung_field(hu):
    """(lung: air-like voxels inside the body, filled: the same with holes filled), slice by slice with OpenCV
    (the outside air touches the image border in every axial slice; the lungs do not)."""
    import cv2
    lung = np.zeros(hu.shape, bool)
    filled = np.zeros(hu.shape, bool)
    for k in range(hu.shape[0]):
        air = (hu[k] < -400).astype(np.uint8)
        _, lab = cv2.connectedComponents(air, connectivity=8)
        border = np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))
        inside = (lab > 0) & ~np.isin(lab, border)
        lung[k] = inside
        contours, _ = cv2.findContours(inside.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        canvas = np.zeros(air.shape, np.uint8)
        cv2.drawContours(canvas, contours, -1, 1, thickness=cv2.FILLED)
        filled[k] = canvas > 0
    return lung, filled


def _mode(values, lo, hi):
    v = values[(values >= lo) & (values < hi)]
    if v.size == 0:
        return float("nan")
    hist, edges = np.histogram(v, bins=np.arange(lo, hi + 2, 2))
    return float(edges[np.argmax(hist)] + 1)


def volume_stats(hu: np.ndarray, geometry, nodules: list) -> dict:
    lung, filled = lung_field(hu)
    lung_hu = hu[lung]
    outside_lungs = hu[~filled]
    return {
        "lungFieldVoxels": int(filled.sum()),
        "parenchymaMeanHu": float(lung_hu.mean()) if lung_hu.size else float("nan"),
        "parenchymaStdHu": float(lung_hu.std()) if lung_hu.size else float("nan"),
        "fatModeHu": _mode(outside_lungs, -160, -40),
        "softTissueModeHu": _mode(outside_lungs, 20, 80),
        "nodules": [dict(zip(("sphereMeanHu", "sphereVoxels"), sphere_mean(hu, geometry, n["center_mm"], n["diameter_mm"] / 2)))
                    | {"innerMeanHu": sphere_mean(hu, geometry, n["center_mm"], n["diameter_mm"] / 4)[0]}
                    for n in nodules],
    }


def _share(flags):
    flags = [bool(f) for f in flags]
    return (sum(flags) / len(flags)) if flags else None


def check(metas: list) -> dict:
    """metas: prepared series metadata (phantoms.prepare). Returns a report with a summary verdict."""
    series_rows, nodule_rows = [], []
    for m in metas:
        py, jv = m["python_stats"], m.get("java_stats") or {}
        if jv:
            lf = jv.get("lungFieldVoxels")
            series_rows.append({
                "name": m["name"],
                "lungFieldRel": (py["lungFieldVoxels"] - lf) / lf if lf else None,
                "parenchymaDeltaHu": py["parenchymaMeanHu"] - jv["tissues"]["lungParenchyma"]["meanHu"],
                "parenchymaStdDeltaHu": py["parenchymaStdHu"] - jv["tissues"]["lungParenchyma"]["stdHu"],
                "fatDeltaHu": py["fatModeHu"] - jv["tissues"]["fat"]["meanHu"],
            })
        jn = {n["id"]: n for n in (jv.get("nodules") or [])}
        for idx, (n, pn) in enumerate(zip(m["nodules"], py["nodules"])):
            j = jn.get(idx + 1, {})
            nodule_rows.append({
                "type": n["type"], "diameter_mm": n["diameter_mm"], "hu": n.get("hu"),
                "core_hu": n.get("core_hu"), "attachment": n["attachment"],
                "sphereMeanHu": pn["sphereMeanHu"], "innerMeanHu": pn["innerMeanHu"],
                "javaMeanHu": j.get("meanHu"), "javaVoxels": j.get("voxels"), "sphereVoxels": pn["sphereVoxels"],
            })

    checks = {}
    if series_rows:
        checks["lungFieldVoxels"] = _share(abs(r["lungFieldRel"]) <= TOL_LUNG_FIELD_REL for r in series_rows)
        checks["parenchymaHu"] = _share(abs(r["parenchymaDeltaHu"]) <= TOL_PARENCHYMA_HU for r in series_rows)
        checks["parenchymaStdHu"] = _share(abs(r["parenchymaStdDeltaHu"]) <= TOL_PARENCHYMA_STD_HU
                                           for r in series_rows)
        checks["fatHu"] = _share(abs(r["fatDeltaHu"]) <= TOL_FAT_HU for r in series_rows)
    # juxtapleural nodules are left out: the sphere reaches into the chest wall, Java's label stops at it
    big = [r for r in nodule_rows if r["diameter_mm"] >= 6 and r["javaMeanHu"] is not None
           and r["attachment"] != "juxtapleural"]
    checks["noduleHuVsJava"] = _share(abs(r["sphereMeanHu"] - r["javaMeanHu"]) <= TOL_NODULE_HU for r in big)
    bigger = [r for r in nodule_rows if r["diameter_mm"] >= 8 and r["type"] != "part-solid" and r["hu"] is not None]
    checks["noduleHuVsTruth"] = _share(abs(r["innerMeanHu"] - r["hu"]) <= TOL_TRUTH_HU for r in bigger)

    distribution = spec_distribution(nodule_rows)
    passed = all(v is None or v >= MIN_SHARE_PASSING for v in checks.values()) and distribution["passed"]
    summary = {"series": len(metas), "nodules": len(nodule_rows), "checks": checks,
               "distributionPassed": distribution["passed"],
               "verdict": "agrees" if passed else "DISAGREES (see datacheck.json)"}
    return {"summary": summary, "tolerances": {
                "lungFieldRel": TOL_LUNG_FIELD_REL, "parenchymaHu": TOL_PARENCHYMA_HU,
                "parenchymaStdHu": TOL_PARENCHYMA_STD_HU, "fatHu": TOL_FAT_HU,
                "noduleHuVsJava": TOL_NODULE_HU, "noduleHuVsTruth": TOL_TRUTH_HU,
                "minSharePassing": MIN_SHARE_PASSING},
            "distribution": distribution, "series": series_rows, "nodules": nodule_rows}


def spec_distribution(rows: list) -> dict:
    """Type shares within 4 binomial standard deviations of the specification; diameters following the
    specified law (solid and ground glass 3 * 10^(v^2), part-solid 6 * 5^(v^2), v uniform in 0..1: the
    transformed v must pass a Kolmogorov-Smirnov test against uniform at p >= 0.001); HU inside the ranges."""
    from scipy import stats
    n = len(rows)
    out = {"nodules": n, "types": {}, "passed": n > 0}
    for t, p in TYPE_SHARES.items():
        k = sum(r["type"] == t for r in rows)
        sd = math.sqrt(p * (1 - p) / max(n, 1))
        ok = abs(k / max(n, 1) - p) <= 4 * sd
        out["types"][t] = {"share": k / max(n, 1), "spec": p, "ok": ok}
        out["passed"] &= ok
    v = []
    for r in rows:
        d = r["diameter_mm"]
        base, lo = (5.0, 6.0) if r["type"] == "part-solid" else (10.0, 3.0)
        v.append(math.sqrt(max(0.0, math.log(d / lo, base))))
    ks = stats.kstest(v, "uniform") if v else None
    out["diameterLaw"] = {"ksStatistic": ks.statistic if ks else None, "p": ks.pvalue if ks else None,
                          "minMm": min(r["diameter_mm"] for r in rows) if rows else None,
                          "maxMm": max(r["diameter_mm"] for r in rows) if rows else None}
    out["passed"] &= bool(ks is not None and ks.pvalue >= 1e-3)
    in_range = [SPEC_HU[r["type"]][0] <= r["hu"] <= SPEC_HU[r["type"]][1] for r in rows
                if r["hu"] is not None and r["type"] in SPEC_HU]
    out["truthHuInSpec"] = _share(in_range)
    out["passed"] &= (out["truthHuInSpec"] in (None, 1.0))
    by_type = {}
    for t in TYPE_SHARES:
        vals = [r["innerMeanHu"] for r in rows if r["type"] == t and r["diameter_mm"] >= 8]
        by_type[t] = {"nodules>=8mm": len(vals), "measuredInnerHuMedian": float(np.median(vals)) if vals else None}
    out["measuredHuByType"] = by_type
    return out
