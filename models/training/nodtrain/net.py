"""The 2.5D CenterNet-style detector: a small U-Net of plain 2D convolutions over a slab of slices.

Every convolution but the head is Conv-BN-ReLU and the decoder fuses by concatenation, never by addition,
so each BN's channels can be pruned on their own (prune.py): a channel removed from a block's output is
removed from the input of every block that reads it, with no coupling between blocks.

Input  slab       [N, depth, H, W], H and W multiples of 16, values 0..1.
Output heatmap    [N, 1, H/2, W/2], sigmoid inside the graph.
       regression [N, 4, H/2, W/2]: dx, dy (output cells from the cell's corner), dz (resampled slices from
                  the slab centre), diameterMm (mm; the graph multiplies the raw channel by DIAMETER_SCALE).
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

OUTPUT_STRIDE = 2
DIAMETER_SCALE = 10.0
HEATMAP_PRIOR_BIAS = -2.19  # sigmoid = 0.1: the CenterNet initialisation, stable focal loss from step one


class ConvBnRelu(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int = 1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


# Which blocks' outputs feed which block's input, in concatenation order. prune.py reads this table.
# Each entry: block name -> list of source block names ("input" is the slab).
TOPOLOGY = {
    "stem": ["input"],
    "enc1": ["stem"], "enc1b": ["enc1"],
    "enc2": ["enc1b"], "enc2b": ["enc2"],
    "enc3": ["enc2b"], "enc3b": ["enc3"],
    "dec2": ["enc3b", "enc2b"],
    "dec1": ["dec2", "enc1b"],
    "dec0": ["dec1", "stem"],
    "head": ["dec0"],
}
STRIDED = {"stem", "enc1", "enc2", "enc3"}


class SlabDetector(nn.Module):
    """widths maps each Conv-BN-ReLU block to its output channels (see default_widths)."""

    def __init__(self, depth: int, widths: dict, upsample: str = "bilinear"):
        super().__init__()
        self.depth = depth
        self.widths = dict(widths)
        self.upsample = upsample
        self.blocks = nn.ModuleDict()
        for name, sources in TOPOLOGY.items():
            if name == "head":
                continue
            cin = sum(depth if s == "input" else widths[s] for s in sources)
            self.blocks[name] = ConvBnRelu(cin, widths[name], stride=2 if name in STRIDED else 1)
        # heatmap logit and regression from one 1x1 convolution: 1 + 4 channels
        self.head = nn.Conv2d(widths["dec0"], 5, 1)
        with torch.no_grad():
            self.head.bias.zero_()
            self.head.bias[0] = HEATMAP_PRIOR_BIAS

    def features(self, x):
        b = self.blocks
        stem = b["stem"](x)
        e1 = b["enc1b"](b["enc1"](stem))
        e2 = b["enc2b"](b["enc2"](e1))
        e3 = b["enc3b"](b["enc3"](e2))
        d2 = b["dec2"](torch.cat([self._up(e3), e2], 1))
        d1 = b["dec1"](torch.cat([self._up(d2), e1], 1))
        return b["dec0"](torch.cat([self._up(d1), stem], 1))

    def forward(self, x):
        """Raw training outputs: heatmap logits [N,1,h,w], regression [N,4,h,w] with diameter / DIAMETER_SCALE."""
        out = self.head(self.features(x))
        return out[:, :1], out[:, 1:]


    def _up(self, x):
        # bilinear, not nearest: ONNX Runtime runs uint8 bilinear Resize in NHWC on a fast integer path,
        # while its uint8 nearest Resize took as long as a third of the convolutions (profiled, INT8 QDQ)
        if self.upsample == "nearest":
            return F.interpolate(x, scale_factor=2.0, mode="nearest")
        return F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)


class Deployed(nn.Module):
    """What the ONNX file holds: sigmoid heatmap and regression in card units."""

    def __init__(self, net: SlabDetector):
        super().__init__()
        self.net = net
        self.register_buffer("reg_scale", torch.tensor([1.0, 1.0, 1.0, DIAMETER_SCALE]).view(1, 4, 1, 1))

    def forward(self, slab):
        logits, reg = self.net(slab)
        return torch.sigmoid(logits), reg * self.reg_scale


def default_widths(scale: float = 1.0, base=(16, 32, 64, 96)) -> dict:
    c0, c1, c2, c3 = (int(round(c * scale)) for c in base)
    return {"stem": c0, "enc1": c1, "enc1b": c1, "enc2": c2, "enc2b": c2, "enc3": c3, "enc3b": c3,
            "dec2": c2, "dec1": c1, "dec0": c0}


def parameter_count(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())


def macs_per_slab(net: SlabDetector, height: int, width: int) -> int:
    """Multiply-accumulates of the convolutions for one slab of height x width (BN folds into them)."""
    total = 0
    hooks = []

    def count(mod, inp, out):
        nonlocal total
        k = mod.kernel_size[0] * mod.kernel_size[1]
        total += out.numel() // out.shape[0] * k * (mod.in_channels // mod.groups)

    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(count))
    was_training = net.training
    net.eval()
    with torch.no_grad():
        net(torch.zeros(1, net.depth, height, width, device=next(net.parameters()).device))
    net.train(was_training)
    for h in hooks:
        h.remove()
    return total
