"""CenterNet targets for slabs, and the losses that read them.

Coordinates: resampled grid (u, v, t) as in grid.py, pixel centres at integers. Output cell x covers input
pixels [x*S, (x+1)*S) for output stride S, so its corner lies at u = x*S - 0.5 and a centre at u belongs to
cell x = floor((u + 0.5) / S) with offset dx = (u + 0.5) / S - x in [0, 1). The decoder inverts this:
u = (x + dx) * S - 0.5.

Slab centred on slice c claims nodules with |t - c| <= claim = slab stride / 2: those get heatmap peak 1 at their
cell (a focal-loss positive). Nodules further along z get a softened Gaussian (a reduced-penalty negative),
so neighbouring slabs learn to answer weakly rather than be punished for seeing the same blob; the
regression (dx, dy, dz, diameter) is trained at the peak cell of every nodule within the slab's depth, so
that a neighbouring slab's weak answer points at the same 3D centre and 3D NMS merges the two.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .net import DIAMETER_SCALE


def render(nodules: torch.Tensor, valid: torch.Tensor, out_h: int, out_w: int, stride: int,
           pixel_spacing_mm: float, slice_spacing_mm: float, depth: int, claim: float = 1.0):
    """nodules [B, M, 4] = (u, v, dz, diameterMm) relative to the crop's top-left pixel and slab centre;
    valid [B, M] bool. Returns heatmap [B,1,h,w], positives [B,1,h,w] bool, regression [B,4,h,w],
    regression weight [B,1,h,w]."""
    dev = nodules.device
    b_n, m_n = valid.shape
    u, v, dz, d = nodules.unbind(-1)
    d_cells = d / (pixel_spacing_mm * stride)
    sigma = torch.clamp(d_cells / 5.0, min=0.6)
    px = (u + 0.5) / stride - 0.5
    py = (v + 0.5) / stride - 0.5
    adz = dz.abs()
    sigma_z = torch.clamp(d / 2.0 / slice_spacing_mm / 2.0, min=max(1.0, claim))
    zf = torch.where(adz <= claim, torch.ones_like(adz), torch.exp(-(adz - claim) ** 2 / (2 * sigma_z ** 2)))
    zf = zf * valid
    ys = torch.arange(out_h, device=dev, dtype=nodules.dtype).view(1, 1, out_h, 1)
    xs = torch.arange(out_w, device=dev, dtype=nodules.dtype).view(1, 1, 1, out_w)
    g = torch.exp(-((xs - px[..., None, None]) ** 2 + (ys - py[..., None, None]) ** 2)
                  / (2 * sigma[..., None, None] ** 2)) * zf[..., None, None]
    heat = g.max(dim=1, keepdim=True).values if m_n > 0 else torch.zeros(b_n, 1, out_h, out_w, device=dev)

    cx = torch.floor((u + 0.5) / stride)
    cy = torch.floor((v + 0.5) / stride)
    inside = valid & (cx >= 0) & (cx < out_w) & (cy >= 0) & (cy < out_h)
    pos_sel = inside & (adz <= claim)
    reg_sel = inside & (adz <= depth // 2)
    bidx = torch.arange(b_n, device=dev).view(-1, 1).expand(b_n, m_n)
    flat = (bidx * out_h * out_w + cy.clamp(0, out_h - 1).long() * out_w + cx.clamp(0, out_w - 1).long())

    heat_flat = heat.view(-1)
    positives = torch.zeros_like(heat_flat, dtype=torch.bool)
    positives[flat[pos_sel]] = True
    heat_flat[flat[pos_sel]] = 1.0

    reg = torch.zeros(b_n, 4, out_h, out_w, device=dev, dtype=nodules.dtype)
    weight = torch.zeros(b_n * out_h * out_w, device=dev, dtype=nodules.dtype)
    vals = torch.stack([(u + 0.5) / stride - cx, (v + 0.5) / stride - cy, dz, d / DIAMETER_SCALE], -1)
    reg_perm = reg.permute(0, 2, 3, 1).reshape(-1, 4)  # a copy: written, then put back
    # neighbours first, claimed nodules last, so the claim wins where two share a cell
    for sel, w in ((reg_sel & ~pos_sel, 0.5), (pos_sel, 1.0)):
        reg_perm[flat[sel]] = vals[sel]
        weight[flat[sel]] = w
    reg = reg_perm.view(b_n, out_h, out_w, 4).permute(0, 3, 1, 2).contiguous()
    return heat, positives.view(b_n, 1, out_h, out_w), reg, weight.view(b_n, 1, out_h, out_w)


def focal_loss(logits: torch.Tensor, heat: torch.Tensor, positives: torch.Tensor) -> torch.Tensor:
    """CenterNet's penalty-reduced focal loss (alpha 2, beta 4), from logits, normalised by positives."""
    logits = logits.float()
    log_p = F.logsigmoid(logits)
    log_not_p = F.logsigmoid(-logits)
    p = torch.sigmoid(logits)
    pos = positives.float()
    pos_loss = -((1 - p) ** 2) * log_p * pos
    neg_loss = -((1 - heat) ** 4) * (p ** 2) * log_not_p * (1 - pos)
    return (pos_loss.sum() + neg_loss.sum()) / pos.sum().clamp(min=1.0)


def regression_loss(reg: torch.Tensor, target: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """L1 at the weighted cells; the diameter channel is in units of DIAMETER_SCALE mm like the raw output."""
    l1 = (reg.float() - target).abs() * weight
    return l1.sum() / weight.sum().clamp(min=1.0)
