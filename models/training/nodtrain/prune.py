"""Structured channel pruning: rank each block's output channels by |BN gamma|, keep the top share.

Every block keeps the same share of its channels (rounded to a multiple of 8, which INT8 convolution kernels
like), chosen within the block by importance; this removes about (1 - keep)^2 of the parameters of the
inner convolutions. The pruned net is a plain SlabDetector with smaller widths, its weights copied from the
kept channels (both as outputs of the block and as inputs of every block that reads it), ready to fine-tune.
"""
from __future__ import annotations

import torch

from .net import TOPOLOGY, SlabDetector


def channel_importance(net: SlabDetector) -> dict:
    return {name: blk.bn.weight.detach().abs().cpu() for name, blk in net.blocks.items()}


def kept_channels(net: SlabDetector, keep: float, multiple: int = 8) -> dict:
    """Block name -> sorted indices of the channels to keep."""
    kept = {}
    for name, score in channel_importance(net).items():
        n = score.numel()
        k = int(round(n * keep / multiple)) * multiple
        k = min(n, max(multiple, k))
        kept[name] = torch.sort(torch.topk(score, k).indices).values
    return kept


def prune(net: SlabDetector, keep: float, multiple: int = 8) -> SlabDetector:
    kept = kept_channels(net, keep, multiple)
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
