"""Does the training data agree with the Java generator and with the phantom specification?

volume_stats() measures, from the raw HU voxels the Java export wrote, the same statistics the generator
reports in stats.json (this loader's own reading of the bytes: byte order, voxel order, geometry and HU are
all exercised), plus each nodule's measured HU. check() compares them within stated tolerances and the
training set's nodule sizes, types and HU against the specification (test-data/README.md).
"""
from __future__ import annotations

import numpy as np

# HU classes for whole-volume fractions (bounds inclusive below, exclusive above).
HU_CLASSES = {"air": (-2000, -950), "lung": (-950, -600), "fat": (-200, -50), "soft": (-50, 200),
              "bone": (200, 4000)}


def nodule_hu(hu: np.ndarray, geometry, center_mm, diameter_mm, radius_share: float = 0.5) -> float:
    """Mean HU of voxels within radius_share x radius of the centre (the nodule's core)."""
    ijk = geometry.to_voxel(np.asarray(center_mm))
    sx, sy, sz = geometry.spacing_mm
    r = radius_share * diameter_mm / 2.0
    lo = np.floor(ijk - np.array([r / sx, r / sy, r / sz])).astype(int)
    hi = np.ceil(ijk + np.array([r / sx, r / sy, r / sz])).astype(int) + 1
    lo = np.maximum(lo, 0)
    hi = np.minimum(hi, [geometry.columns, geometry.rows, geometry.slices])
    if np.any(hi <= lo):
        return float("nan")
    k, j, i = np.meshgrid(np.arange(lo[2], hi[2]), np.arange(lo[1], hi[1]), np.arange(lo[0], hi[0]),
                          indexing="ij")
    d2 = ((i - ijk[0]) * sx) ** 2 + ((j - ijk[1]) * sy) ** 2 + ((k - ijk[2]) * sz) ** 2
    inside = d2 <= r * r
    if not inside.any():  # tiny nodule: the nearest voxel
        return float(hu[int(round(ijk[2])), int(round(ijk[1])), int(round(ijk[0]))])
    return float(hu[k[inside], j[inside], i[inside]].mean())


def volume_stats(hu: np.ndarray, geometry, nodules: list) -> dict:
    flat = hu.reshape(-1)
    fractions = {name: float(np.mean((flat >= lo) & (flat < hi))) for name, (lo, hi) in HU_CLASSES.items()}
    return {
        "meanHu": float(flat.mean(dtype=np.float64)),
        "minHu": int(flat.min()), "maxHu": int(flat.max()),
        "fractions": fractions,
        "noduleCoreHu": [nodule_hu(hu, geometry, n["center_mm"], n["diameter_mm"]) for n in nodules],
    }
