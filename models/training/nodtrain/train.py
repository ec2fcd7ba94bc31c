"""The training loop: focal loss on the heatmap, L1 on the regression, optional L1 on BN scales.

The L1 term on every BN gamma (network slimming, Liu et al. 2017) pushes unimportant channels towards zero
during dense training, so that ranking channels by |gamma| for pruning removes little that the net uses.
"""
from __future__ import annotations

import math
import time

import torch
import torch.nn as nn

from . import targets


def bn_l1(net: nn.Module) -> torch.Tensor:
    return sum(m.weight.abs().sum() for m in net.modules() if isinstance(m, nn.BatchNorm2d))


def train(net, sampler, steps: int, batch: int, lr: float, bn_l1_weight: float = 0.0, warmup: int = 100,
          log=print, log_every: int = 200, seed: int = 0):
    torch.manual_seed(seed)
    dev = sampler.dev
    net.to(dev).train()
    net.to(memory_format=torch.channels_last)
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
        if bn_l1_weight > 0:
            loss = loss + bn_l1_weight * bn_l1(net)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        opt.step()
        for k, v in (("hm", l_hm), ("reg", l_reg)):
            running[k] = running.get(k, 0.0) + v.detach()  # no host sync per step
        if (step + 1) % log_every == 0 or step + 1 == steps:
            n = log_every if (step + 1) % log_every == 0 else (step + 1) % log_every
            log("step %d/%d  focal %.4f  reg %.4f  lr %.2e  %.1f s" % (
                step + 1, steps, float(running["hm"]) / n, float(running["reg"]) / n, lr_at(step), time.time() - t0))
            running = {}
    net.eval()
    return net
