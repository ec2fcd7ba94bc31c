import numpy as np
import torch

from nodtrain import decode, targets
from nodtrain.net import DIAMETER_SCALE

STRIDE = 2


def render_one(u, v, dz, d, size=64):
    nod = torch.tensor([[[u, v, dz, d]]], dtype=torch.float32)
    return targets.render(nod, torch.ones(1, 1, dtype=torch.bool), size // STRIDE, size // STRIDE, STRIDE,
                          1.25, 2.0, 7)


def test_claimed_nodule_is_one_positive_at_its_cell_with_offsets_from_the_corner():
    heat, pos, reg, w = render_one(u=20.3, v=11.9, dz=0.6, d=8.0)
    assert pos.sum() == 1
    y, x = np.argwhere(pos[0, 0].numpy())[0]
    assert (x, y) == (10, 6)  # floor((20.3 + 0.5) / 2), floor((11.9 + 0.5) / 2)
    assert heat[0, 0, y, x] == 1.0
    np.testing.assert_allclose(reg[0, :, y, x].numpy(), [0.4, 0.2, 0.6, 8.0 / DIAMETER_SCALE], atol=1e-5)
    assert w[0, 0, y, x] == 1.0


def test_nodule_beyond_the_claim_is_a_soft_negative_with_regression():
    heat, pos, reg, w = render_one(u=20.0, v=20.0, dz=2.0, d=6.0)
    assert pos.sum() == 0
    assert 0.3 < heat.max() < 1.0
    assert w.sum() == 0.5


def test_decoding_a_rendered_target_gives_back_the_centre():
    u, v, dz, d = 37.2, 18.6, -0.7, 12.0
    heat, pos, reg, w = render_one(u, v, dz, d)
    hm = heat.numpy()
    out = reg.numpy().copy()
    out[:, 3] *= DIAMETER_SCALE
    peaks = decode.slab_peaks(hm, out, centers=[40], stride=STRIDE, params=decode.DecodeParams())
    assert len(peaks) == 1
    np.testing.assert_allclose(peaks[0], [u, v, 40 + dz, d, 1.0], atol=1e-5)


def test_focal_loss_is_lower_for_the_right_answer():
    heat, pos, reg, w = render_one(30.0, 30.0, 0.0, 6.0)
    good = torch.logit(heat.clamp(1e-4, 1 - 1e-4))
    bad = torch.logit((1 - heat).clamp(1e-4, 1 - 1e-4))
    assert targets.focal_loss(good, heat, pos) < 0.1 * targets.focal_loss(bad, heat, pos)


def test_nms_keeps_the_best_of_close_findings_and_distinct_ones():
    p = decode.DecodeParams(nms_distance_factor=1.0, max_findings=10)
    pts = np.array([[0, 0, 0], [3, 0, 0], [30, 0, 0]], float)
    keep = decode.nms(pts, np.array([6.0, 6.0, 6.0]), np.array([0.5, 0.9, 0.4]), p)
    assert list(keep) == [1, 2]


def test_peaks_need_the_threshold_and_to_be_local_maxima():
    hm = np.zeros((1, 1, 8, 8), np.float32)
    hm[0, 0, 2, 2] = 0.9
    hm[0, 0, 2, 3] = 0.5   # beside a higher cell: not a peak
    hm[0, 0, 6, 6] = 0.04  # under scoreThreshold
    reg = np.zeros((1, 4, 8, 8), np.float32)
    peaks = decode.slab_peaks(hm, reg, [0], 2, decode.DecodeParams(score_threshold=0.05))
    assert len(peaks) == 1 and peaks[0, 4] == np.float32(0.9)
