"""Phantom series from the Java generator (org.noduled.preprocess.phantom.PhantomExport), prepared for training.

The export writes, per seed, volume.raw (int16 little-endian HU, slice-major: k, then row j, then column i),
volume.json (grid and geometry), truth.json (planted nodules) and stats.json (anatomy statistics the Java
generator computed). prepare() turns one export into what training and evaluation read: the model-grid
volume (grid.to_model_grid, float16) and a JSON of geometry, nodules on the grid, lung z range and the
statistics this loader computed from the raw voxels beside Java's own (datacheck.py compares them).
"""
from __future__ import annotations

import json
import os
import subprocess

import numpy as np

from . import datacheck
from .grid import Geometry, InputSpec, Resampling, to_model_grid

EXPORT_MAIN = "org.noduled.preprocess.phantom.PhantomExport"
# Lung parenchyma after windowing: HU -950..-600 (air outside the body is -1000, soft tissue above -200).
LUNG_LO, LUNG_HI = -950.0, -600.0


def read_geometry(path: str) -> Geometry:
    """volume.json (noduled-phantom-volume/1): the fields of Java's VolumeGeometry."""
    v = json.load(open(path))
    return Geometry(columns=int(v["columns"]), rows=int(v["rows"]), slices=int(v["slices"]),
                    origin_mm=tuple(float(x) for x in v["originMm"]),
                    row_direction=tuple(float(x) for x in v["rowDirection"]),
                    column_direction=tuple(float(x) for x in v["columnDirection"]),
                    slice_direction=tuple(float(x) for x in v["sliceDirection"]),
                    spacing_mm=tuple(float(x) for x in v["spacingMm"]))


def read_volume(directory: str):
    """(hu [K, J, I] int16, geometry)."""
    g = read_geometry(os.path.join(directory, "volume.json"))
    hu = np.fromfile(os.path.join(directory, "volume.raw"), dtype="<i2")
    expected = g.slices * g.rows * g.columns
    if hu.size != expected:
        raise ValueError("%s: volume.raw holds %d voxels, volume.json says %d" % (directory, hu.size, expected))
    return hu.reshape(g.slices, g.rows, g.columns), g


def read_truth(directory: str) -> list:
    """truth.json (noduled-phantom-truth/1) nodules as dicts: center_mm (LPS), diameter_mm, type,
    attachment, hu, core_hu, core_diameter_mm."""
    t = json.load(open(os.path.join(directory, "truth.json")))
    return [{"center_mm": [float(x) for x in n["centerMm"]], "diameter_mm": float(n["diameterMm"]),
             "type": n["type"], "attachment": n["attachment"], "hu": float(n["hu"]),
             "core_hu": float(n["coreHu"]), "core_diameter_mm": float(n["coreDiameterMm"]), "id": int(n["id"])}
            for n in t["nodules"]]


def run_export(seed: int, out_root: str, java: str, classpath: str, threads: int, extra_args=()) -> str:
    """Runs the Java generator for one seed; returns the folder it wrote (out_root/seed-NNNNNN)."""
    cmd = [java, "-cp", classpath, EXPORT_MAIN, "--out", out_root, "--seeds", str(seed),
           "--threads", str(threads), *extra_args]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("phantom export seed %d failed (%d): %s" % (seed, r.returncode, r.stderr[-2000:]))
    return os.path.join(out_root, "seed-%06d" % seed)


def lung_z_range(hu_grid_norm: np.ndarray, spec: InputSpec) -> tuple:
    lo = (LUNG_LO - spec.hu_lo) / (spec.hu_hi - spec.hu_lo)
    hi = (LUNG_HI - spec.hu_lo) / (spec.hu_hi - spec.hu_lo)
    frac = ((hu_grid_norm > lo) & (hu_grid_norm < hi)).mean(axis=(1, 2))
    z = np.nonzero(frac > 0.03)[0]
    return (int(z[0]), int(z[-1])) if len(z) else (0, hu_grid_norm.shape[0] - 1)


def prepare(export_dir: str, prepared_dir: str, name: str, spec: InputSpec, keep_raw: bool = False) -> dict:
    """Writes prepared_dir/name.npy (float16 [T, V, U]) and name.json; returns the JSON's content."""
    hu, g = read_volume(export_dir)
    nodules = read_truth(export_dir)
    rs = Resampling.of(g, spec)
    grid = to_model_grid(hu, g, spec)
    for n in nodules:
        n["uvt"] = [float(x) for x in rs.source_to_grid(g.to_voxel(n["center_mm"]))]
    java_stats_path = os.path.join(export_dir, "stats.json")
    meta = {
        "name": name,
        "geometry": g.__dict__,
        "resampled_shape": list(rs.shape),
        "source_shape": list(rs.source_shape),
        "z_step": rs.z_step,
        "nodules": nodules,
        "lung_z_range": list(lung_z_range(grid, spec)),
        "python_stats": datacheck.volume_stats(hu, g, nodules),
        "java_stats": json.load(open(java_stats_path)) if os.path.exists(java_stats_path) else None,
    }
    os.makedirs(prepared_dir, exist_ok=True)
    np.save(os.path.join(prepared_dir, name + ".npy"), grid.astype(np.float16))
    with open(os.path.join(prepared_dir, name + ".json"), "w") as f:
        json.dump(meta, f)
    if not keep_raw:
        os.remove(os.path.join(export_dir, "volume.raw"))
    return meta


def load_meta(prepared_dir: str, name: str) -> dict:
    meta = json.load(open(os.path.join(prepared_dir, name + ".json")))
    g = meta["geometry"]
    meta["geometry"] = Geometry(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in g.items()})
    return meta


def load_prepared(prepared_dir: str, name: str):
    return np.load(os.path.join(prepared_dir, name + ".npy")), load_meta(prepared_dir, name)
