"""From slab outputs to findings, as the card's `decode` block describes (the Java runtime does the same).

1. Peaks: a heatmap cell is a candidate when it equals the maximum of its peakWindow x peakWindow
   neighbourhood (edges: the window is cut at the map's border) and scores at least scoreThreshold.
2. Position: u = (x + dx) * S - 0.5, v = (y + dy) * S - 0.5 on the resampled grid, t = c + dz for the slab
   centred on resampled slice c; then grid -> source voxel -> patient LPS mm (grid.py).
3. 3D NMS over the whole series: by score, highest first; a finding closer than nmsDistanceFactor x the
   larger of the two diameters to one already kept is dropped. At most maxFindings are kept.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import maximum_filter


@dataclass(frozen=True)
class DecodeParams:
    peak_window: int = 3
    score_threshold: float = 0.05
    operating_point_score: float = 0.4
    nms_distance_factor: float = 1.0
    max_findings: int = 50


def slab_peaks(heatmap: np.ndarray, regression: np.ndarray, centers, stride: int, params: DecodeParams):
    """heatmap [N,1,h,w], regression [N,4,h,w] for slabs centred on `centers` (resampled slices).
    Returns [K, 5] = (u, v, t, diameterMm, score) on the resampled grid."""
    hm = heatmap[:, 0]
    w = params.peak_window
    local_max = maximum_filter(hm, size=(1, w, w), mode="constant", cval=-np.inf)
    n, y, x = np.nonzero((hm == local_max) & (hm >= params.score_threshold))
    reg = regression[n, :, y, x]  # [K, 4]
    u = (x + reg[:, 0]) * stride - 0.5
    v = (y + reg[:, 1]) * stride - 0.5
    t = np.asarray(centers, np.float64)[n] + reg[:, 2]
    return np.stack([u, v, t, reg[:, 3], hm[n, y, x]], axis=1).astype(np.float64)


def nms(points_mm: np.ndarray, diameters: np.ndarray, scores: np.ndarray, params: DecodeParams) -> np.ndarray:
    """Indices of the findings kept, highest score first."""
    order = np.argsort(-scores, kind="stable")
    kept = []
    for i in order:
        if kept:
            k = np.asarray(kept)
            dist = np.linalg.norm(points_mm[k] - points_mm[i], axis=1)
            limit = params.nms_distance_factor * np.maximum(diameters[k], diameters[i])
            if np.any(dist < limit):
                continue
        kept.append(i)
        if len(kept) >= params.max_findings:
            break
    return np.asarray(kept, dtype=np.int64)


def findings(peaks: np.ndarray, resampling, geometry, params: DecodeParams) -> dict:
    """Peaks [K, 5] on the grid -> {"center_mm": [F,3], "diameter_mm": [F], "score": [F]} after 3D NMS."""
    if len(peaks) == 0:
        return {"center_mm": np.zeros((0, 3)), "diameter_mm": np.zeros(0), "score": np.zeros(0)}
    ijk = resampling.grid_to_source(peaks[:, :3])
    lps = geometry.to_patient(ijk)
    diam = np.clip(peaks[:, 3], 0.5, None)
    keep = nms(lps, diam, peaks[:, 4], params)
    return {"center_mm": lps[keep], "diameter_mm": diam[keep], "score": peaks[keep, 4]}
