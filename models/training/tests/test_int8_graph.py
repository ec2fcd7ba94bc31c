"""export.share_concat_scales on an INT8 file quantized with each tensor's own scale (a frozen copy of the INT8
file shipped before the pass existed): what it merges, what it requantizes, and what it leaves alone."""
import os

import numpy as np
import onnx
import pytest
from onnx import numpy_helper

from nodtrain.export import share_concat_scales

INT8 = os.path.join(os.path.dirname(__file__), "data", "int8-own-scales.onnx")


def arrays(model):
    return {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}


def concat_scale_names(model):
    producer = {o: n for n in model.graph.node for o in n.output}
    consumers = {}
    for n in model.graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    out = []
    for c in (n for n in model.graph.node if n.op_type == "Concat"):
        out.append([producer[i].input[1] for i in c.input] + [consumers[c.output[0]][0].input[1]])
    return out


@pytest.fixture
def shipped():
    model = onnx.load(INT8)
    assert len(set(float(arrays(model)[s]) for s in concat_scale_names(model)[0])) > 1
    return model


def bias_scale_mismatch(model):
    """Largest relative gap between each quantized Conv's bias scale and input scale x weight scale."""
    producer = {o: n for n in model.graph.node for o in n.output}
    a = arrays(model)
    worst = 0.0
    for conv in (n for n in model.graph.node if n.op_type == "Conv" and len(n.input) > 2):
        x, w, b = (producer.get(i) for i in conv.input)
        if b is None or b.op_type != "DequantizeLinear":
            continue
        expected = a[x.input[1]].astype(np.float64) * a[w.input[1]].astype(np.float64)
        worst = max(worst, float(np.max(np.abs(a[b.input[1]] / expected - 1))))
    return worst


def test_each_concat_and_its_inputs_share_the_largest_of_their_scales(shipped):
    before = arrays(shipped)
    groups = share_concat_scales(shipped)
    after = arrays(shipped)
    onnx.checker.check_model(shipped)
    assert len(groups) == 3
    for names in concat_scale_names(shipped):
        assert {float(after[s]) for s in names} == {max(float(before[s]) for s in names)}


def test_every_bias_scale_stays_input_scale_times_weight_scale(shipped):
    assert bias_scale_mismatch(shipped) < 1e-6
    share_concat_scales(shipped)
    assert bias_scale_mismatch(shipped) < 1e-6


def test_convolutions_reading_a_merged_tensor_keep_their_float_bias_within_half_a_step(shipped):
    before = arrays(shipped)
    share_concat_scales(shipped)
    after = arrays(shipped)
    biases = [n for n in shipped.graph.node
              if n.op_type == "DequantizeLinear" and n.input[0] in before and before[n.input[0]].dtype == np.int32]
    changed = 0
    for dq in biases:
        q, s = dq.input[0], dq.input[1]
        was, now = before[q] * before[s].astype(np.float64), after[q] * after[s].astype(np.float64)
        assert np.all(np.abs(now - was) <= after[s] / 2 + 1e-9)
        changed += not np.array_equal(before[s], after[s])
    # in the shipped file each skip tensor already had its group's largest scale: only the convolutions after
    # the three Concats (dec2, dec1, dec0) read a tensor whose scale grew
    assert changed == 3


def test_nothing_but_merged_scales_and_requantized_biases_changes(shipped):
    before = arrays(shipped)
    groups = share_concat_scales(shipped)
    after = arrays(shipped)
    merged = {s for g in groups for s in g}
    changed = {k for k in before if not np.array_equal(before[k], after[k])}
    others = changed - merged
    assert others and all(k.endswith("_quantized") or k.endswith("_quantized_scale") for k in others)
    assert [n.op_type for n in onnx.load(INT8).graph.node] == [n.op_type for n in shipped.graph.node]


def test_a_concat_with_a_nonzero_zero_point_is_left_alone(shipped):
    zp = next(t for t in shipped.graph.initializer if t.name == "/net/stem/Relu_output_0_zero_point")
    zp.CopyFrom(numpy_helper.from_array(np.array(3, dtype=np.uint8), zp.name))
    groups = share_concat_scales(shipped)
    assert len(groups) == 2
    assert not any("/net/stem/Relu_output_0_scale" in g for g in groups)
