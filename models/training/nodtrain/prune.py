"""Structured channel pruning: rank each block's output channels by |BN gamma|, keep the top ones.

How many a block keeps is either one share for every block (keep, rounded to a multiple of 8, which INT8
convolution kernels like) or a width per block (widths). Within a block the channels are chosen by
importance. The pruned net is a plain SlabDetector with smaller widths, its weights copied from the kept
channels (both as outputs of the block and as inputs of every block that reads it), ready to fine-tune.

Why per-block widths (measured on the dense net the chain trains): L1 on BN scales drives 121 of the 208
channels of each stride-16 block (enc3, enc3b) to |gamma| < 0.05, while no channel of the stride-2 and -4
blocks falls below 0.65. One share for all keeps 41 dead channels in enc3 and drops a third of the gamma
mass of the high-resolution blocks, where small nodules are seen; that version ended 1.6 CPM points below
the dense net on 400 test series (95% interval 0.6 to 2.5). Cutting only the dead stride-16 channels and
keeping the stride-2/-4 blocks at 24-56 channels still left 0.9 points; keeping 64 in the stride-4 blocks
and all 40 of the stride-2 ones (stem, dec0) closed the gap (models/training/README.md has the table).
The default narrows dec0 to 32 again, the costliest block: 12% less time per INT8 slab on the project machine;
the run that ships it measures what that costs in accuracy.
"""
from __future__ import annotations

import torch

from .net import TOPOLOGY, SlabDetector


def channel_importance(net: SlabDetector) -> dict:
    return {name: blk.bn.weight.detach().abs().cpu() for name, blk in net.blocks.items()}


def kept_channels(net: SlabDetector, keep: float = None, multiple: int = 8, widths: dict = None) -> dict:
    """Block name -> sorted indices of the channels to keep: widths[name] of them where named (at most all),
    else the share keep."""
    kept = {}
    for name, score in channel_importance(net).items():
        n = score.numel()
        if widths and name in widths:
            k = widths[name]
        elif keep is not None:
            k = int(round(n * keep / multiple)) * multiple
        else:
            raise ValueError("no width and no share to keep for block %s" % name)
        k = min(n, max(multiple, k))
        kept[name] = torch.sort(torch.topk(score, k).indices).values
    return kept


def prune(net: SlabDetector, keep: float = None, multiple: int = 8, widths: dict = None) -> SlabDetector:
    kept = kept_channels(net, keep, multiple, widths)
    widths = {name: int(idx.numel()) for name, idx in kept.items()}
    small = SlabDetector(net.depth, widths, net.upsample)

    def input_index(sources):
        parts, offset = [], 0
        for s in sources:
            if s == "input":
                parts.append(torch.arange(net.depth) + offset)
                offset += net.depth
            else:
                parts.append(kept[s] + offset)
                offset += net.widths[s]
        return torch.cat(parts)

    with torch.no_grad():
        for name, sources in TOPOLOGY.items():
            cin = input_index(sources)
            if name == "head":
                small.head.weight.copy_(net.head.weight[:, cin].cpu())
                small.head.bias.copy_(net.head.bias.cpu())
                continue
            out = kept[name]
            big, dst = net.blocks[name], small.blocks[name]
            dst.conv.weight.copy_(big.conv.weight.detach().cpu()[out][:, cin])
            for attr in ("weight", "bias", "running_mean", "running_var"):
                getattr(dst.bn, attr).copy_(getattr(big.bn, attr).detach().cpu()[out])
    return small.train(net.training)
