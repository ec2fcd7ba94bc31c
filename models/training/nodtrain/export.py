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


def quantize_int8(fp32_path: str, int8_path: str, calibration_batches, method: str = "percentile") -> None:
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
    onnx.checker.check_model(onnx.load(int8_path))
