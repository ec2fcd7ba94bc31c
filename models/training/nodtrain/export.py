"""ONNX export (opset 17, dynamic N/H/W) and INT8 static QDQ quantization with per-channel weights."""
from __future__ import annotations

import inspect
import os
import tempfile

import numpy as np
import torch

from .net import Deployed, SlabDetector

OPSET = 17
INPUT = "slab"
OUTPUTS = ("heatmap", "regression")


def export_onnx(net: SlabDetector, path: str, tile=(256, 256)) -> None:
    """Writes the deployed graph (sigmoid heatmap, regression in card units) with dynamic batch, H and W."""
    model = Deployed(net).cpu().eval()
    dummy = torch.rand(1, net.depth, tile[0], tile[1])
    kwargs = dict(
        input_names=[INPUT], output_names=list(OUTPUTS), opset_version=OPSET, do_constant_folding=True,
        dynamic_axes={INPUT: {0: "N", 2: "H", 3: "W"},
                      OUTPUTS[0]: {0: "N", 2: "h", 3: "w"}, OUTPUTS[1]: {0: "N", 2: "h", 3: "w"}})
    # torch >= 2.9 defaults to the dynamo exporter; the TorchScript one gives the same plain graph on
    # torch 1.13 (the Debian build used for the unit tests) and 2.x, so ask for it where the switch exists.
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False
    with torch.no_grad():
        torch.onnx.export(model, dummy, path, **kwargs)
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)


def head_node_names(path: str) -> list:
    """Nodes from the last convolution (the 1x1 head) to the outputs: they stay float in the INT8 model,
    because dx/dy (0..1), dz (up to +-depth/2) and diameterMm (up to 30) would share one activation scale
    otherwise."""
    import onnx
    g = onnx.load(path).graph
    producer = {o: n for n in g.node for o in n.output}
    names, stack = [], [o.name for o in g.output]
    while stack:
        node = producer.get(stack.pop())
        if node is None or node.name in names:
            continue
        names.append(node.name)
        if node.op_type == "Conv":
            continue  # the head conv itself: stop here
        stack.extend(i for i in node.input if i in producer)
    return names


class SlabReader:
    """Calibration data for onnxruntime.quantization: a list of float32 slabs [N, depth, H, W]."""

    def __init__(self, batches):
        self._it = iter(list(batches))

    def get_next(self):
        b = next(self._it, None)
        return None if b is None else {INPUT: np.ascontiguousarray(b, dtype=np.float32)}

    def rewind(self):  # newer onnxruntime versions may call it
        pass


def quantize_int8(fp32_path: str, int8_path: str, calibration_batches, method: str = "percentile",
                  shared_concat_scales: bool = True) -> None:
    from onnxruntime.quantization import (CalibrationMethod, QuantFormat, QuantType, quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process
    with tempfile.TemporaryDirectory() as tmp:
        pre = os.path.join(tmp, "pre.onnx")
        quant_pre_process(fp32_path, pre, skip_symbolic_shape=True)
        exclude = head_node_names(pre)
        calib = {"minmax": CalibrationMethod.MinMax, "percentile": CalibrationMethod.Percentile,
                 "entropy": CalibrationMethod.Entropy}[method]
        extra = {"CalibPercentile": 99.999} if method == "percentile" else {}
        quantize_static(pre, int8_path, SlabReader(calibration_batches), quant_format=QuantFormat.QDQ,
                        per_channel=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        nodes_to_exclude=exclude, calibrate_method=calib, extra_options=extra)
    import onnx
    model = onnx.load(int8_path)
    if shared_concat_scales:
        share_concat_scales(model)
        onnx.save(model, int8_path)
    onnx.checker.check_model(model)


def share_concat_scales(model) -> list:
    """One activation scale for each Concat and all its inputs, in place on a QDQ model; returns the groups of
    scale initializers it merged. Why: ONNX Runtime fuses DQ-Concat-Q into QLinearConcat, which requantizes
    every input whose scale differs from the output's (2.3 of 28 ms per batch of 4, profiled). The merged
    scale is the largest of the group, so no tensor is clipped more than its calibration allowed; tensors
    that had a smaller scale lose resolution, which is why accuracy must be measured again after it.
    Convolutions reading a changed tensor get their int32 bias requantized to the new input scale (a QDQ
    bias's scale is input scale x weight scale). Concats whose zero points are not all 0 are left alone."""
    from onnx import numpy_helper
    g = model.graph
    producer = {o: n for n in g.node for o in n.output}
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    init = {t.name: t for t in g.initializer}
    value = lambda name: numpy_helper.to_array(init[name])

    groups = []
    for concat in (n for n in g.node if n.op_type == "Concat"):
        dqs = [producer.get(i) for i in concat.input]
        outs = consumers.get(concat.output[0], [])
        if any(d is None or d.op_type != "DequantizeLinear" for d in dqs) or len(outs) != 1 \
                or outs[0].op_type != "QuantizeLinear":
            continue
        qdq = dqs + outs
        if any(len(n.input) < 3 or n.input[1] not in init or n.input[2] not in init for n in qdq):
            continue  # a scale computed in the graph, or no zero point: not a calibrated static pair
        pairs = [(n.input[1], n.input[2]) for n in qdq]
        if any(value(zp).any() or value(s).size != 1 for s, zp in pairs):
            continue
        scales = {s for s, _ in pairs}
        for earlier in [gr for gr in groups if gr & scales]:
            groups.remove(earlier)
            scales |= earlier
        groups.append(scales)

    old = {}
    for scales in groups:
        merged = max(float(value(s)) for s in scales)
        for s in scales:
            old[s] = float(value(s))
            init[s].CopyFrom(numpy_helper.from_array(np.full(value(s).shape, merged, dtype=value(s).dtype), s))

    # only Conv biases are requantized below; another op with an int32 bias after a changed tensor would be
    # silently wrong, so refuse it
    for n in g.node:
        x = producer.get(n.input[0]) if n.input else None
        if n.op_type != "Conv" and x is not None and x.op_type == "DequantizeLinear" and x.input[1] in old \
                and any(i in producer and producer[i].op_type == "DequantizeLinear" and producer[i].input[0] in init
                        and value(producer[i].input[0]).dtype == np.int32 for i in n.input[1:]):
            raise ValueError("share_concat_scales: %s (%s) reads a rescaled tensor and has an int32 bias; only "
                             "Conv biases are requantized" % (n.name, n.op_type))
    for conv in (n for n in g.node if n.op_type == "Conv" and len(n.input) > 2):
        x_dq, b_dq = producer.get(conv.input[0]), producer.get(conv.input[2])
        if x_dq is None or b_dq is None or b_dq.op_type != "DequantizeLinear" or x_dq.input[1] not in old:
            continue
        ratio = float(value(x_dq.input[1])) / old[x_dq.input[1]]
        b_name, b_scale = b_dq.input[0], b_dq.input[1]
        bias = value(b_name).astype(np.float64) * value(b_scale)
        new_scale = (value(b_scale) * ratio).astype(value(b_scale).dtype)
        init[b_scale].CopyFrom(numpy_helper.from_array(new_scale, b_scale))
        init[b_name].CopyFrom(numpy_helper.from_array(np.round(bias / new_scale).astype(np.int32), b_name))
    return [sorted(s) for s in groups]
