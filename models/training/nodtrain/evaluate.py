"""Evaluation on prepared held-out series: slabs over the whole field of view, decoding, FROC, CPM.

The model sees every slab s (centre c = s * stride) of the full resampled slice, zero-padded (air) on the
right and bottom to a multiple of 16. The Java runtime crops to the lungs' bounding box first, which only
removes places where no nodule lies; these figures therefore include any false positives outside the lungs.
"""
from __future__ import annotations

import numpy as np

from . import decode
from .froc import FP_RATES, Froc
from .grid import InputSpec, Resampling, pad_to_multiple, slab_centers, slab_indices

SIZE_BANDS = {"3-6mm": (3.0, 6.0), "6-10mm": (6.0, 10.0), "10+mm": (10.0, 1e9)}


class OrtRunner:
    def __init__(self, path: str, threads: int):
        from .latency import session
        self.sess = session(path, threads)

    def __call__(self, x: np.ndarray):
        hm, reg = self.sess.run(["heatmap", "regression"], {"slab": x})
        return hm, reg


def series_peaks(runner, grid: np.ndarray, spec: InputSpec, slab_stride: int, out_stride: int,
                 params: decode.DecodeParams, batch: int = 8) -> np.ndarray:
    t_n, v_n, u_n = grid.shape
    padded = np.zeros((t_n, pad_to_multiple(v_n, spec.in_plane_multiple), pad_to_multiple(u_n, spec.in_plane_multiple)),
                      np.float32)
    padded[:, :v_n, :u_n] = grid
    centers = slab_centers(t_n, slab_stride)
    peaks = []
    for i in range(0, len(centers), batch):
        cs = centers[i:i + batch]
        x = np.stack([padded[slab_indices(c, spec.depth, t_n)] for c in cs])
        hm, reg = runner(x)
        peaks.append(decode.slab_peaks(hm, reg, cs, out_stride, params))
    return np.concatenate(peaks) if peaks else np.zeros((0, 5))


def run_set(runner, series: list, spec: InputSpec, slab_stride: int, out_stride: int,
            params: decode.DecodeParams) -> Froc:
    """series: list of (grid, meta) from phantoms.load_prepared."""
    froc = Froc()
    for grid, meta in series:
        g = meta["geometry"]
        rs = Resampling(tuple(meta["source_shape"]), tuple(meta["resampled_shape"]), meta["z_step"])
        peaks = series_peaks(runner, grid.astype(np.float32), spec, slab_stride, out_stride, params)
        f = decode.findings(peaks, rs, g, params)
        froc.add_scan(f["center_mm"], f["score"], meta["nodules"])
    return froc


def metrics(froc: Froc, operating_point_score: float) -> dict:
    """The card's metrics block (synthetic phantoms)."""
    types = sorted({n["type"] for _, _, nods in froc.scans for n in nods})
    all4 = froc.sensitivity_at(lambda n: n["diameter_mm"] >= 4.0)
    solid6 = froc.sensitivity_at(lambda n: n["type"] == "solid" and n["diameter_mm"] >= 6.0)
    out = {
        "scans": len(froc.scans),
        "fpRatesPerScan": list(FP_RATES),
        "all4mmPlus": all4,
        "solid6mmPlus": solid6,
        "solid6mmPlusSensitivityAt1FpPerScan": solid6["sensitivity"][FP_RATES.index(1.0)],
        "bySize": {k: froc.sensitivity_at(lambda n, lo=lo, hi=hi: lo <= n["diameter_mm"] < hi)
                   for k, (lo, hi) in SIZE_BANDS.items()},
        "byType4mmPlus": {t: froc.sensitivity_at(lambda n, t=t: n["type"] == t and n["diameter_mm"] >= 4.0)
                          for t in types},
        "operatingPoint": dict(score=operating_point_score,
                               **froc.sensitivity_at_score(lambda n: n["diameter_mm"] >= 4.0, operating_point_score)),
    }
    return out
