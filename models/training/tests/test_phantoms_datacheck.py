"""The loader and the data check on a fabricated export (a stand-in written by the test, in the layout the
Java PhantomExport writes): little-endian int16, slice-major, geometry JSON, truth and stats JSON."""
import json

import numpy as np
import pytest

from nodtrain import datacheck, phantoms
from nodtrain.grid import InputSpec

SPEC = InputSpec(depth=5)


def write_export(d, flip_bytes=False):
    cols, rows, slices, sp = 96, 80, 40, (0.7, 0.7, 1.0)
    origin = (-33.25, -27.65, -20.0)
    k, j, i = np.mgrid[0:slices, 0:rows, 0:cols]
    x, y, z = origin[0] + i * sp[0], origin[1] + j * sp[1], origin[2] + k * sp[2]
    body = (x / 31) ** 2 + (y / 25) ** 2 <= 1
    fat = body & ((x / 28) ** 2 + (y / 22) ** 2 > 1)
    lungs = (((x - 12) / 9) ** 2 + (y / 12) ** 2 + (z / 30) ** 2 <= 1) | (((x + 12) / 9) ** 2 + (y / 12) ** 2 + (z / 30) ** 2 <= 1)
    centre, diameter = (12.0, 2.0, 3.0), 7.0
    nodule = (x - centre[0]) ** 2 + (y - centre[1]) ** 2 + (z - centre[2]) ** 2 <= (diameter / 2) ** 2
    hu = np.full(x.shape, -1000, np.int16)
    hu[body] = 45
    hu[fat] = -100
    hu[lungs] = -850
    hu[nodule] = 60
    (hu.byteswap() if flip_bytes else hu).astype("<i2").tofile(d / "volume.raw")
    json.dump({"format": "noduled-phantom-volume/1", "columns": cols, "rows": rows, "slices": slices,
               "spacingMm": list(sp), "originMm": list(origin), "rowDirection": [1, 0, 0],
               "columnDirection": [0, 1, 0], "sliceDirection": [0, 0, 1]}, open(d / "volume.json", "w"))
    json.dump({"nodules": [{"id": 1, "centerMm": list(centre), "diameterMm": diameter, "type": "solid",
                            "attachment": "isolated", "hu": 60.0, "coreDiameterMm": 0.0, "coreHu": 0.0}]},
              open(d / "truth.json", "w"))
    lung_only = lungs & ~nodule
    json.dump({"tissues": {"lungParenchyma": {"voxels": int(lung_only.sum()), "meanHu": -850.0, "stdHu": 1.0},
               "fat": {"voxels": int(fat.sum()), "meanHu": -100.0, "stdHu": 0.0}},
               "lungFieldVoxels": int(lungs.sum()), "vesselVoxels": 0,
               "nodules": [{"id": 1, "voxels": int(nodule.sum()), "meanHu": 60.0}]}, open(d / "stats.json", "w"))
    return centre


def test_prepare_puts_the_nodule_where_the_grid_shows_it(tmp_path):
    centre = write_export(tmp_path)
    meta = phantoms.prepare(str(tmp_path), str(tmp_path / "prep"), "s1", SPEC)
    grid, loaded = phantoms.load_prepared(str(tmp_path / "prep"), "s1")
    assert grid.shape == tuple(meta["resampled_shape"]) == (20, 45, 54)
    u, v, t = meta["nodules"][0]["uvt"]
    nodule_value = (60 + 1000) / 1400
    assert abs(grid[int(round(t)), int(round(v)), int(round(u))] - nodule_value) < 0.02
    assert np.allclose(loaded["geometry"].to_patient(loaded["geometry"].to_voxel(centre)), centre)
    assert not (tmp_path / "volume.raw").exists()


def test_check_agrees_with_a_faithful_export(tmp_path):
    write_export(tmp_path)
    meta = phantoms.prepare(str(tmp_path), str(tmp_path / "prep"), "s1", SPEC)
    report = datacheck.check([meta])
    assert report["summary"]["checks"]["lungFieldVoxels"] == 1.0
    assert report["summary"]["checks"]["parenchymaHu"] == 1.0
    assert report["summary"]["checks"]["noduleHuVsJava"] == 1.0


def test_check_catches_a_wrong_byte_order(tmp_path):
    write_export(tmp_path, flip_bytes=True)
    meta = phantoms.prepare(str(tmp_path), str(tmp_path / "prep"), "s1", SPEC)
    report = datacheck.check([meta])
    assert report["summary"]["checks"]["parenchymaHu"] == 0.0 or report["summary"]["checks"]["lungFieldVoxels"] == 0.0


def test_diameter_law_accepts_the_specified_sizes_and_rejects_uniform_ones():
    rng = np.random.default_rng(0)
    def rows(diams, types):
        return [{"type": t, "diameter_mm": d, "hu": 0.0 if t == "solid" else -600.0, "innerMeanHu": 0.0}
                for d, t in zip(diams, types)]
    types = rng.choice(["solid", "part-solid", "ground-glass"], p=[0.6, 0.2, 0.2], size=600)
    v = rng.random(600)
    good = np.where(types == "part-solid", 6 * 5 ** (v ** 2), 3 * 10 ** (v ** 2))
    assert datacheck.spec_distribution(rows(good, types))["passed"]
    bad = np.where(types == "part-solid", rng.uniform(6, 30, 600), rng.uniform(3, 30, 600))
    assert not datacheck.spec_distribution(rows(bad, types))["passed"]
