"""The shipped ONNX files against their cards and the card contract (models/CARD-FORMAT.md): same fields as
the contract's example, the file's SHA-256, the graph's input and output names and shapes."""
import glob
import hashlib
import json
import os
import re

import onnx
import pytest

MODELS = os.path.join(os.path.dirname(__file__), "..", "..")
CARDS = sorted(glob.glob(os.path.join(MODELS, "*.card.json")))


def contract_example():
    text = open(os.path.join(MODELS, "CARD-FORMAT.md")).read()
    return json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))


def keys(d, prefix=""):
    out = set()
    for k, v in d.items():
        out.add(prefix + k)
        if isinstance(v, dict) and k != "metrics":
            out |= keys(v, prefix + k + ".")
    return out


def test_three_models_are_shipped():
    variants = {json.load(open(c))["variant"] for c in CARDS}
    assert variants == {"dense-fp32", "pruned-fp32", "pruned-int8"}


@pytest.mark.parametrize("card_path", CARDS, ids=os.path.basename)
def test_card_has_exactly_the_contract_fields(card_path):
    card = json.load(open(card_path))
    assert keys(card) == keys(contract_example())
    assert card["intendedUse"] == "synthetic phantoms, not for clinical use"


@pytest.mark.parametrize("card_path", CARDS, ids=os.path.basename)
def test_card_matches_its_onnx_file(card_path):
    card = json.load(open(card_path))
    path = os.path.join(MODELS, card["file"])
    assert hashlib.sha256(open(path, "rb").read()).hexdigest() == card["sha256"]
    g = onnx.load(path).graph
    dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
    (inp,) = g.input
    assert inp.name == card["input"]["tensor"]
    shape = dims(inp)
    assert shape[1] == card["input"]["depth"]
    assert all(isinstance(d, str) for d in (shape[0], shape[2], shape[3]))  # N, H, W dynamic
    outs = {o.name: dims(o) for o in g.output}
    assert outs[card["output"]["heatmap"]][1] == 1
    assert outs[card["output"]["regression"]][1] == len(card["output"]["regressionChannels"])
    assert max(o.version for o in onnx.load(path).opset_import if o.domain in ("", "ai.onnx")) >= 17


def test_shipped_default_fits_in_5_mb_and_is_int8():
    card = json.load(open(os.path.join(MODELS, "noduled-lung-2p5d-pruned-int8.card.json")))
    path = os.path.join(MODELS, card["file"])
    assert os.path.getsize(path) <= 5 * 1024 * 1024
    ops = {n.op_type for n in onnx.load(path).graph.node}
    assert {"QuantizeLinear", "DequantizeLinear"} <= ops
