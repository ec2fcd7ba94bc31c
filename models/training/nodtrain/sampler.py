"""Training batches: slab crops cut on the GPU from whole prepared series, with their CenterNet targets.

Positive-biased: a share of crops is centred (with jitter) on a nodule and its slab centre lies within two
slices of the nodule's, the rest are anywhere in the lungs' z range (vessels everywhere: the hard negatives).
Augmentation: flips along x, y and z (the slab's slice order), small intensity gain and offset.
"""
from __future__ import annotations

import numpy as np
import torch

from . import targets
from .grid import InputSpec


class SlabSampler:
    def __init__(self, volumes: torch.Tensor, nodules: list, z_ranges: list, spec: InputSpec, stride: int,
                 crop: int = 160, positive_share: float = 0.6, seed: int = 0, weights: list = None,
                 claim: float = 1.0):
        """volumes [S, T, V, U] (float16 on the training device); nodules[s] = array [M, 4] of (u, v, t,
        diameterMm) on the resampled grid; z_ranges[s] = (first, last) resampled slice of the lungs;
        weights[s] = [M] how often each nodule is the centre of a positive crop (default: all alike);
        claim = slab stride / 2: a slab answers for nodules within this many slices of its centre."""
        self.claim = claim
        self.vol = volumes
        self.dev = volumes.device
        self.spec = spec
        self.stride = stride
        self.crop = crop
        self.positive_share = positive_share
        self.rng = np.random.default_rng(seed)
        self.z_ranges = z_ranges
        m_max = max(1, max(len(n) for n in nodules))
        table = np.zeros((len(nodules), m_max, 4), np.float32)
        valid = np.zeros((len(nodules), m_max), bool)
        for s, n in enumerate(nodules):
            table[s, :len(n)] = n
            valid[s, :len(n)] = True
        self.nodules_np = [np.asarray(n, np.float32).reshape(-1, 4) for n in nodules]
        self.table = torch.from_numpy(table).to(self.dev)
        self.valid = torch.from_numpy(valid).to(self.dev)
        self.positives = [(s, m) for s, n in enumerate(self.nodules_np) for m in range(len(n))]
        w = np.concatenate([np.asarray(weights[s], np.float64).reshape(-1) if weights else np.ones(len(n))
                            for s, n in enumerate(self.nodules_np)]) if self.positives else np.zeros(0)
        self.positive_p = w / w.sum() if len(w) else w

    def batch(self, size: int):
        s_n, t_n, v_n, u_n = self.vol.shape
        c, half = self.crop, self.spec.depth // 2
        rng = self.rng
        series = np.empty(size, np.int64)
        centers = np.empty(size, np.int64)
        y0 = np.empty(size, np.int64)
        x0 = np.empty(size, np.int64)
        for b in range(size):
            if self.positives and rng.random() < self.positive_share:
                s, m = self.positives[rng.choice(len(self.positives), p=self.positive_p)]
                u, v, t, _ = self.nodules_np[s][m]
                reach = int(round(2 * self.claim))  # the claiming slab and its neighbours' view
                cz = int(round(t)) + int(rng.integers(-reach, reach + 1))
                cy = v + rng.uniform(-0.4, 0.4) * c
                cx = u + rng.uniform(-0.4, 0.4) * c
            else:
                s = int(rng.integers(s_n))
                lo, hi = self.z_ranges[s]
                cz = int(rng.integers(lo, hi + 1))
                cy = rng.uniform(c / 2, v_n - c / 2)
                cx = rng.uniform(c / 2, u_n - c / 2)
            series[b] = s
            centers[b] = min(max(cz, 0), t_n - 1)
            y0[b] = min(max(int(round(cy - c / 2)), 0), v_n - c)
            x0[b] = min(max(int(round(cx - c / 2)), 0), u_n - c)
        zi = np.clip(centers[:, None] + np.arange(-half, half + 1)[None, :], 0, t_n - 1)
        ar = np.arange(c)
        idx = [torch.from_numpy(a).to(self.dev) for a in (
            series[:, None, None, None], zi[:, :, None, None], (y0[:, None] + ar)[:, None, :, None],
            (x0[:, None] + ar)[:, None, None, :])]
        x = self.vol[idx[0], idx[1], idx[2], idx[3]].float()  # one gather: [B, depth, crop, crop]

        st = torch.from_numpy(series).to(self.dev)
        nod = self.table[st].clone()  # [B, M, 4]: u, v, t, d
        valid = self.valid[st]
        nod[..., 0] -= torch.from_numpy(x0).to(self.dev).float()[:, None]
        nod[..., 1] -= torch.from_numpy(y0).to(self.dev).float()[:, None]
        nod[..., 2] -= torch.from_numpy(centers).to(self.dev).float()[:, None]  # now dz

        flips = torch.from_numpy(rng.random((size, 3)) < 0.5).to(self.dev)
        fx, fy, fz = flips[:, 0], flips[:, 1], flips[:, 2]
        x = torch.where(fx.view(-1, 1, 1, 1), x.flip(-1), x)
        x = torch.where(fy.view(-1, 1, 1, 1), x.flip(-2), x)
        x = torch.where(fz.view(-1, 1, 1, 1), x.flip(1), x)
        nod[..., 0] = torch.where(fx[:, None], (c - 1) - nod[..., 0], nod[..., 0])
        nod[..., 1] = torch.where(fy[:, None], (c - 1) - nod[..., 1], nod[..., 1])
        nod[..., 2] = torch.where(fz[:, None], -nod[..., 2], nod[..., 2])

        gain = torch.from_numpy(rng.normal(1.0, 0.04, (size, 1, 1, 1)).astype(np.float32)).to(self.dev)
        offset = torch.from_numpy(rng.normal(0.0, 0.015, (size, 1, 1, 1)).astype(np.float32)).to(self.dev)
        x = x * gain + offset

        out = c // self.stride
        tg = targets.render(nod, valid, out, out, self.stride, self.spec.pixel_spacing_mm,
                            self.spec.slice_spacing_mm, self.spec.depth, claim=self.claim)
        return x.contiguous(memory_format=torch.channels_last), tg
