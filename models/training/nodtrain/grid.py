"""The model's input grid: the one preprocessing used by training, evaluation and (in Java) the runtime.

A source volume is HU as int16, indexed [k, j, i] = (sorted slice, row, column), with spacing (sx, sy, sz) mm
along (i, j, k) and a geometry mapping voxel indices to patient LPS mm (see VolumeGeometry.java).

Resampled grid, indexed [t, v, u]:
  in-plane  U = round(I * sx / pixelSpacingMm), V = round(J * sy / pixelSpacingMm); each slice goes through
            OpenCV cv2.resize(float32 HU, (U, V), interpolation=INTER_AREA). OpenCV's area weights give output
            column u the source interval [u * I/U, (u+1) * I/U) (pixel edges), so its centre is the source
            column i = (u + 0.5) * I / U - 0.5 (likewise rows).
  z         T = floor((K - 1) * sz / sliceSpacingMm) + 1; resampled slice t lies at source slice
            k = t * sliceSpacingMm / sz, linear between the two neighbouring source slices.
  window    clip(hu, lo, hi), then (hu - lo) / (hi - lo): 0..1. Applied last, after both linear steps.
Both resampling steps are linear, so their order changes nothing beyond float rounding; the window is not
linear and comes after them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class InputSpec:
    """The card's `input` values that decide preprocessing."""
    depth: int = 7
    pixel_spacing_mm: float = 1.25
    slice_spacing_mm: float = 2.0
    hu_lo: float = -1000.0
    hu_hi: float = 400.0
    in_plane_multiple: int = 16


@dataclass(frozen=True)
class Geometry:
    """Source voxel grid in patient LPS mm, the same fields as Java's VolumeGeometry."""
    columns: int
    rows: int
    slices: int
    origin_mm: tuple
    row_direction: tuple      # unit step of increasing column index i
    column_direction: tuple   # unit step of increasing row index j
    slice_direction: tuple    # unit step of increasing slice index k
    spacing_mm: tuple         # (sx, sy, sz) along (i, j, k)

    def to_voxel(self, lps_mm):
        """Fractional (i, j, k) of patient points; lps_mm is (..., 3)."""
        d = np.asarray(lps_mm, dtype=np.float64) - np.asarray(self.origin_mm)
        axes = np.stack([self.row_direction, self.column_direction, self.slice_direction]).astype(np.float64)
        return (d @ axes.T) / np.asarray(self.spacing_mm)

    def to_patient(self, ijk):
        """Patient LPS mm of fractional voxel indices (..., 3) = (i, j, k)."""
        ijk = np.asarray(ijk, dtype=np.float64) * np.asarray(self.spacing_mm)
        axes = np.stack([self.row_direction, self.column_direction, self.slice_direction]).astype(np.float64)
        return np.asarray(self.origin_mm) + ijk @ axes


@dataclass(frozen=True)
class Resampling:
    """How one source grid maps onto the model grid."""
    source_shape: tuple   # (K, J, I)
    shape: tuple          # (T, V, U)
    z_step: float         # source slices per resampled slice = sliceSpacingMm / sz

    @staticmethod
    def of(geometry: Geometry, spec: InputSpec) -> "Resampling":
        sx, sy, sz = geometry.spacing_mm
        u = max(1, int(round(geometry.columns * sx / spec.pixel_spacing_mm)))
        v = max(1, int(round(geometry.rows * sy / spec.pixel_spacing_mm)))
        z_step = spec.slice_spacing_mm / sz
        t = int(math.floor((geometry.slices - 1) / z_step + 1e-6)) + 1
        return Resampling((geometry.slices, geometry.rows, geometry.columns), (t, v, u), z_step)

    def source_to_grid(self, ijk):
        """(i, j, k) source voxel indices -> (u, v, t) resampled indices; (..., 3) arrays."""
        ijk = np.asarray(ijk, dtype=np.float64)
        k_n, j_n, i_n = self.source_shape
        _, v_n, u_n = self.shape
        u = (ijk[..., 0] + 0.5) * u_n / i_n - 0.5
        v = (ijk[..., 1] + 0.5) * v_n / j_n - 0.5
        t = ijk[..., 2] / self.z_step
        return np.stack([u, v, t], axis=-1)

    def grid_to_source(self, uvt):
        """(u, v, t) resampled indices -> (i, j, k) source voxel indices."""
        uvt = np.asarray(uvt, dtype=np.float64)
        k_n, j_n, i_n = self.source_shape
        _, v_n, u_n = self.shape
        i = (uvt[..., 0] + 0.5) * i_n / u_n - 0.5
        j = (uvt[..., 1] + 0.5) * j_n / v_n - 0.5
        k = uvt[..., 2] * self.z_step
        return np.stack([i, j, k], axis=-1)


def to_model_grid(hu: np.ndarray, geometry: Geometry, spec: InputSpec) -> np.ndarray:
    """HU volume [k, j, i] -> normalised float32 [t, v, u] in 0..1 (see the module doc)."""
    rs = Resampling.of(geometry, spec)
    t_n, v_n, u_n = rs.shape
    out = np.empty(rs.shape, dtype=np.float32)
    cache = {}  # resized source slices; t walks upwards, so the two newest are all that is reused

    def plane(k):
        if k not in cache:
            if len(cache) >= 2:
                del cache[min(cache)]
            cache[k] = cv2.resize(hu[k].astype(np.float32), (u_n, v_n), interpolation=cv2.INTER_AREA)
        return cache[k]

    last = hu.shape[0] - 1
    for t in range(t_n):
        pos = t * rs.z_step
        k0 = min(int(math.floor(pos + 1e-9)), last)
        w = pos - k0
        if w < 1e-6 or k0 == last:
            out[t] = plane(k0)
        else:
            out[t] = (1.0 - w) * plane(k0) + w * plane(k0 + 1)
    return window(out, spec)


def window(hu: np.ndarray, spec: InputSpec) -> np.ndarray:
    lo, hi = spec.hu_lo, spec.hu_hi
    return ((np.clip(hu, lo, hi) - lo) / (hi - lo)).astype(np.float32)


def slab_indices(center: int, depth: int, t_n: int) -> np.ndarray:
    """Resampled slice indices of the slab centred on `center`; edge slices repeat beyond the volume."""
    half = depth // 2
    return np.clip(np.arange(center - half, center + half + 1), 0, t_n - 1)


def slab_centers(t_n: int, stride: int) -> np.ndarray:
    """Slab s is centred on resampled slice s * stride; enough slabs to claim every slice."""
    return np.arange(0, t_n, stride)


def pad_to_multiple(n: int, multiple: int) -> int:
    return int(math.ceil(n / multiple) * multiple)


def whole_slice_slab(grid: np.ndarray, center: int, depth: int, multiple: int) -> np.ndarray:
    """The slab centred on `center` over the whole slice, zero-padded (air) right and bottom to `multiple`."""
    t_n, v_n, u_n = grid.shape
    pad = np.zeros((depth, pad_to_multiple(v_n, multiple), pad_to_multiple(u_n, multiple)), np.float32)
    pad[:, :v_n, :u_n] = grid[slab_indices(center, depth, t_n)]
    return pad
