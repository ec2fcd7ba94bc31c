import numpy as np
import pytest

from nodtrain.grid import Geometry, InputSpec, Resampling, slab_indices, slab_centers, to_model_grid, window

SPEC = InputSpec(depth=5, pixel_spacing_mm=1.25, slice_spacing_mm=2.0)


def axial(columns, rows, slices, spacing, origin=(0.0, 0.0, 0.0), slice_dir=(0.0, 0.0, 1.0)):
    return Geometry(columns, rows, slices, origin, (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), slice_dir, spacing)


def test_resampled_shape_of_default_series_is_287_square_by_150():
    rs = Resampling.of(axial(512, 512, 300, (0.7, 0.7, 1.0)), SPEC)
    assert rs.shape == (150, 287, 287)
    assert rs.z_step == 2.0


def test_integer_factor_is_the_block_mean_then_window():
    rng = np.random.default_rng(1)
    hu = rng.integers(-1100, 600, size=(4, 8, 8)).astype(np.int16)
    g = axial(8, 8, 4, (0.625, 0.625, 1.0))
    out = to_model_grid(hu, g, SPEC)
    expected_hu = hu[[0, 2]].astype(np.float64).reshape(2, 4, 2, 4, 2).mean(axis=(2, 4))
    np.testing.assert_allclose(out, window(expected_hu, SPEC), atol=1e-6)


def test_area_average_of_a_ramp_lands_at_the_stated_source_position():
    # The mean of a linear function over an interval is its value at the interval's centre, so each output
    # column must equal the ramp at i = (u + 0.5) * I / U - 0.5: the coordinate rule written in the card.
    g = axial(512, 512, 1, (0.7, 0.7, 1.0))
    i = np.arange(512, dtype=np.float64)
    hu = np.broadcast_to((-900 + 2.0 * i)[None, None, :], (1, 512, 512)).astype(np.int16)
    out = to_model_grid(hu, g, SPEC)
    rs = Resampling.of(g, SPEC)
    u = np.arange(rs.shape[2])
    src = rs.grid_to_source(np.stack([u, np.zeros_like(u), np.zeros_like(u)], -1))[:, 0]
    # OpenCV drops partial area weights under 1e-3, which moves a sample by up to ~0.05 source pixels;
    # the tolerance allows 0.1 px (2 HU/px over a 1400 HU window), a half-pixel slip fails by far.
    np.testing.assert_allclose(out[0, 100, 2:-2], window(-900 + 2.0 * src, SPEC)[2:-2], atol=0.1 * 2 / 1400)


def test_z_is_linear_between_source_slices():
    g = axial(4, 4, 7, (1.25, 1.25, 0.8))  # 2 mm / 0.8 mm: resampled slices fall between source slices
    hu = np.broadcast_to((-500 + 10 * np.arange(7))[:, None, None], (7, 4, 4)).astype(np.int16)
    out = to_model_grid(hu, g, SPEC)
    t = np.arange(out.shape[0])
    assert out.shape[0] == 3  # floor(6 * 0.8 / 2) + 1
    np.testing.assert_allclose(out[:, 0, 0], window(-500 + 10 * t * 2.5, SPEC), atol=1e-6)


def test_grid_and_source_indices_round_trip():
    rs = Resampling.of(axial(512, 400, 300, (0.7, 0.8, 1.0)), SPEC)
    p = np.array([[10.3, 200.7, 33.1], [0, 0, 0], [511, 399, 299]])
    np.testing.assert_allclose(rs.grid_to_source(rs.source_to_grid(p)), p, atol=1e-9)


def test_patient_and_voxel_round_trip_with_flipped_slices():
    g = axial(512, 512, 300, (0.7, 0.7, 1.0), origin=(-179.0, -150.0, 120.0), slice_dir=(0.0, 0.0, -1.0))
    np.testing.assert_allclose(g.to_patient([0, 0, 10]), [-179.0, -150.0, 110.0])
    p = np.array([[1.0, -2.0, 30.0], [50.0, 60.0, -70.0]])
    np.testing.assert_allclose(g.to_patient(g.to_voxel(p)), p, atol=1e-9)


def test_slabs_repeat_edge_slices_and_cover_every_slice():
    assert list(slab_indices(0, 5, 10)) == [0, 0, 0, 1, 2]
    assert list(slab_indices(9, 5, 10)) == [7, 8, 9, 9, 9]
    centers = slab_centers(11, 2)
    assert list(centers) == [0, 2, 4, 6, 8, 10]
    assert all(min(abs(t - centers)) <= 1 for t in range(11))
