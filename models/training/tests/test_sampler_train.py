import numpy as np
import torch

from nodtrain.grid import InputSpec
from nodtrain.net import SlabDetector, default_widths
from nodtrain.sampler import SlabSampler
from nodtrain.train import train

SPEC = InputSpec(depth=5)


def blob_volumes():
    """Two tiny stand-in volumes with one bright ball each (a fabricated series, not a phantom)."""
    t, v, u = np.mgrid[0:24, 0:80, 0:80]
    vols, nodules = [], []
    for (bu, bv, bt, d) in ((30.0, 41.0, 11.0, 7.5), (55.0, 20.0, 7.0, 9.0)):
        ball = ((u - bu) ** 2 + (v - bv) ** 2 + ((t - bt) * 1.6) ** 2) <= 9
        vol = np.full((24, 80, 80), 0.1, np.float32) + 0.8 * ball
        vols.append(vol)
        nodules.append(np.array([[bu, bv, bt, d]], np.float32))
    return torch.from_numpy(np.stack(vols)).half(), nodules


def test_target_peaks_sit_on_the_ball_in_every_flipped_crop():
    vols, nodules = blob_volumes()
    s = SlabSampler(vols, nodules, [(0, 23), (0, 23)], SPEC, stride=2, crop=48, positive_share=1.0, seed=3)
    x, (heat, pos, reg, w) = s.batch(16)
    assert x.shape == (16, 5, 48, 48)
    found = 0
    for b in range(16):
        if pos[b].any():
            y, xx = np.argwhere(pos[b, 0].numpy())[0]
            dx, dy = reg[b, 0, y, xx].item(), reg[b, 1, y, xx].item()
            u, v = (xx + dx) * 2 - 0.5, (y + dy) * 2 - 0.5
            centre = x[b, 2].numpy()
            assert centre[int(round(v)), int(round(u))] > 0.6  # inside the ball in the slab's centre slice
            found += 1
    assert found >= 8


def test_a_few_training_steps_run_and_give_finite_losses():
    vols, nodules = blob_volumes()
    s = SlabSampler(vols, nodules, [(0, 23), (0, 23)], SPEC, stride=2, crop=32, seed=0)
    net = SlabDetector(SPEC.depth, default_widths(base=(8, 8, 8, 8)))
    logs = []
    train(net, s, steps=4, batch=4, lr=1e-3, bn_l1_weight=1e-4, warmup=2, log=logs.append, log_every=2)
    assert len(logs) == 2 and "nan" not in " ".join(logs)


def test_positive_crops_follow_the_nodule_weights():
    vols, nodules = blob_volumes()
    s = SlabSampler(vols, nodules, [(0, 23), (0, 23)], SPEC, stride=2, crop=48, positive_share=1.0, seed=5,
                    weights=[[0.0], [1.0]])
    x, (heat, pos, reg, w) = s.batch(12)
    # every positive crop is centred on the second ball (recorded as 9 mm), never on the first (7.5 mm)
    assert pos.sum() >= 4
    for b in range(12):
        if pos[b].any():
            y, xx = np.argwhere(pos[b, 0].numpy())[0]
            assert abs(reg[b, 3, y, xx].item() * 10 - 9.0) < 1e-4


def test_distillation_loss_is_zero_when_the_student_matches_the_teacher_and_grows_with_disagreement():
    from nodtrain.train import distillation_loss
    torch.manual_seed(0)
    teacher = torch.randn(2, 1, 8, 8) * 3
    pos = torch.zeros(2, 1, 8, 8, dtype=torch.bool)
    pos[0, 0, 3, 3] = True
    assert distillation_loss(teacher.clone(), teacher, pos).item() < 1e-9
    slightly = distillation_loss(teacher + 0.5, teacher, pos).item()
    far = distillation_loss(teacher + 3.0, teacher, pos).item()
    assert 0 < slightly < far


def test_distillation_pulls_the_student_towards_a_frozen_teacher():
    from nodtrain.train import distillation_loss
    vols, nodules = blob_volumes()
    s = SlabSampler(vols, nodules, [(0, 23), (0, 23)], SPEC, stride=2, crop=32, seed=0)
    torch.manual_seed(1)
    teacher = SlabDetector(SPEC.depth, default_widths(base=(8, 8, 8, 8)))
    with torch.no_grad():
        teacher.head.bias[0] = 1.5  # a teacher that scores everything high: unlike any ground truth
    teacher.eval()
    before = {k: v.clone() for k, v in teacher.state_dict().items()}
    x, (_, pos, _, _) = s.batch(4)

    def gap(student):
        with torch.no_grad():
            return distillation_loss(student(x)[0], teacher(x)[0], pos).item()

    torch.manual_seed(2)
    plain = train(SlabDetector(SPEC.depth, default_widths(base=(8, 8, 8, 8))), s, steps=6, batch=4, lr=3e-3,
                  warmup=1, log=lambda *_: None, seed=3)
    torch.manual_seed(2)
    taught = train(SlabDetector(SPEC.depth, default_widths(base=(8, 8, 8, 8))), s, steps=6, batch=4, lr=3e-3,
                   warmup=1, log=lambda *_: None, seed=3, teacher=teacher, distill_weight=5.0)
    assert gap(taught) < gap(plain)
    assert all(torch.equal(before[k], v) for k, v in teacher.state_dict().items())
