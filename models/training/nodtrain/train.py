"""The training loop: focal loss on the heatmap, L1 on the regression, optional L1 on BN scales, optional
distillation from a teacher.

The L1 term on every BN gamma (network slimming, Liu et al. 2017) pushes unimportant channels towards zero
during dense training, so that ranking channels by |gamma| for pruning removes little that the net uses.

Distillation (Hinton et al. 2015) fine-tunes the pruned net towards the dense net's heatmap as well as the
ground truth. The ground truth alone let the pruned net drift 1.2 CPM points from the dense net (issue 3's
target is 0.5): it learns its own trade-off between faint nodules and vessel cross-sections, while the
teacher's soft scores carry the dense net's trade-off, including the vessels it learned to score low.
"""
from __future__ import annotations

import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import targets


def bn_l1(net: nn.Module) -> torch.Tensor:
    return sum(m.weight.abs().sum() for m in net.modules() if isinstance(m, nn.BatchNorm2d))


def distillation_loss(student_logits: torch.Tensor, teacher_logits: torch.Tensor,
                      positives: torch.Tensor, gamma: float = 2.0) -> torch.Tensor:
    """Bernoulli KL divergence from the teacher's heatmap to the student's per cell, weighted by
    |p_teacher - p_student|^gamma (quality focal loss with soft targets, Li et al. 2020), summed and normalised
    by the ground-truth positives like the focal loss. Plain KL would spend the small net on matching
    background cells at 0.001 against 0.002, which no FROC operating point sees; the weight keeps it on the
    cells where the two nets disagree by a score that ranks a finding: faint nodules and vessel
    cross-sections."""
    s, t = student_logits.float(), teacher_logits.float()
    p_s, p_t = torch.sigmoid(s), torch.sigmoid(t)
    kl = (p_t * (F.logsigmoid(t) - F.logsigmoid(s))
          + (1 - p_t) * (F.logsigmoid(-t) - F.logsigmoid(-s)))
    return ((p_t - p_s).abs() ** gamma * kl).sum() / positives.float().sum().clamp(min=1.0)


def train(net, sampler, steps: int, batch: int, lr: float, bn_l1_weight: float = 0.0, warmup: int = 100,
          log=print, log_every: int = 200, seed: int = 0, teacher=None, distill_weight: float = 0.0):
    """teacher (optional, with distill_weight > 0): a net whose heatmap the student also learns, in eval mode
    and never updated."""
    torch.manual_seed(seed)
    dev = sampler.dev
    net.to(dev).train()
    net.to(memory_format=torch.channels_last)
    distill = teacher is not None and distill_weight > 0
    if distill:
        teacher.to(dev).eval()
        teacher.to(memory_format=torch.channels_last)
        for p in teacher.parameters():
            p.requires_grad_(False)
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-4)

    def lr_at(step):  # linear warm-up, then cosine to 2% of the peak
        if step < warmup:
            return lr * (step + 1) / warmup
        p = (step - warmup) / max(1, steps - warmup)
        return lr * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * p)))

    use_bf16 = dev.type == "cuda"
    t0 = time.time()
    running = {}
    for step in range(steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        x, (heat, pos, reg_t, reg_w) = sampler.batch(batch)
        with torch.autocast(device_type=dev.type, dtype=torch.bfloat16, enabled=use_bf16):
            logits, reg = net(x)
        l_hm = targets.focal_loss(logits, heat, pos)
        l_reg = targets.regression_loss(reg, reg_t, reg_w)
        loss = l_hm + l_reg
        if distill:
            with torch.no_grad(), torch.autocast(device_type=dev.type, dtype=torch.bfloat16, enabled=use_bf16):
                t_logits, _ = teacher(x)
            l_kd = distillation_loss(logits, t_logits, pos)
            loss = loss + distill_weight * l_kd
        if bn_l1_weight > 0:
            loss = loss + bn_l1_weight * bn_l1(net)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        opt.step()
        for k, v in (("hm", l_hm), ("reg", l_reg)) + ((("kd", l_kd),) if distill else ()):
            running[k] = running.get(k, 0.0) + v.detach()  # no host sync per step
        if (step + 1) % log_every == 0 or step + 1 == steps:
            n = log_every if (step + 1) % log_every == 0 else (step + 1) % log_every
            kd = "  distill %.4f" % (float(running["kd"]) / n) if distill else ""
            log("step %d/%d  focal %.4f  reg %.4f%s  lr %.2e  %.1f s" % (
                step + 1, steps, float(running["hm"]) / n, float(running["reg"]) / n, kd, lr_at(step),
                time.time() - t0))
            running = {}
    net.eval()
    return net
