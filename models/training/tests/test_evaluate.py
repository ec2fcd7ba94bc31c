"""The evaluation's parallel path against its sequential one, on fabricated exports and a stand-in model
(ONNX Runtime is not installed for Debian's python; the stand-in marks the brightest voxel of each slab)."""
import numpy as np
import pytest

from nodtrain import evaluate, phantoms
from nodtrain.decode import DecodeParams
from nodtrain.grid import InputSpec
from test_phantoms_datacheck import write_export

SPEC = InputSpec(depth=5)


class BrightestVoxel:
    """Heatmap 0.9 at the output cell over the centre slice's brightest pixel, its offsets pointing at it;
    'weak' models answer 0.3 instead, so the two variants differ in score only."""

    def __init__(self, path, threads):
        self.score = 0.3 if "weak" in path else 0.9

    def __call__(self, x):
        n, depth, h, w = x.shape
        hm = np.zeros((n, 1, h // 2, w // 2), np.float32)
        reg = np.zeros((n, 4, h // 2, w // 2), np.float32)
        for b in range(n):
            v, u = np.unravel_index(np.argmax(x[b, depth // 2]), (h, w))
            if x[b, depth // 2, v, u] < 0.7:
                continue
            cy, cx = (v + 0.5) // 2, (u + 0.5) // 2
            hm[b, 0, int(cy), int(cx)] = self.score
            reg[b, :, int(cy), int(cx)] = [(u + 0.5) / 2 - cx, (v + 0.5) / 2 - cy, 0.0, 7.0]
        return hm, reg


class Refuses:
    """A runner for files whose findings must come from the cache."""

    def __init__(self, path, threads):
        raise AssertionError("ran %s again though its findings are cached" % path)


@pytest.fixture
def prepared(tmp_path):
    for i in range(3):
        d = tmp_path / ("export%d" % i)
        d.mkdir()
        write_export(d)
        phantoms.prepare(str(d), str(tmp_path / "prep"), "s%d" % i, SPEC)
    return str(tmp_path / "prep"), ["s0", "s1", "s2"]


def test_parallel_evaluation_gives_what_the_sequential_one_gives_and_finds_the_nodule(prepared):
    prep, names = prepared
    params = DecodeParams()
    found = evaluate.run_sets_parallel({"strong": "strong.onnx", "weak": "weak.onnx"}, prep, names, SPEC,
                                       slab_stride=2, out_stride=2, params=params, workers=2, threads=1,
                                       runner=BrightestVoxel)
    metas = {n: phantoms.load_meta(prep, n) for n in names}
    froc = evaluate.froc_of(found["strong"], metas, names)
    series = [phantoms.load_prepared(prep, n) for n in names]
    sequential = evaluate.run_set(BrightestVoxel("strong.onnx", 1), series, SPEC, 2, 2, params)
    assert froc.operating(lambda n: True)[0].tolist() == sequential.operating(lambda n: True)[0].tolist()
    assert froc.sensitivity_at(lambda n: True)["sensitivity"][-1] == 1.0
    weak_best = evaluate.froc_of(found["weak"], metas, names).operating(lambda n: True)[0]
    assert np.allclose(weak_best, 0.3)


def test_cached_evaluation_runs_each_model_file_once_and_again_when_the_file_or_the_data_changes(prepared, tmp_path):
    prep, names = prepared
    params = DecodeParams()
    strong, weak = tmp_path / "strong.onnx", tmp_path / "weak.onnx"
    strong.write_bytes(b"model one")
    weak.write_bytes(b"model two")
    models = {"strong": str(strong), "weak": str(weak)}
    cache = str(tmp_path / "found")
    first = evaluate.run_sets_cached(models, prep, names, SPEC, 2, 2, params, workers=2, threads=1, cache_dir=cache,
                                     data_identity="generator 1", runner=BrightestVoxel)
    direct = evaluate.run_sets_parallel(models, prep, names, SPEC, 2, 2, params, workers=2, threads=1,
                                        runner=BrightestVoxel)
    for v in models:
        for n in names:
            assert np.array_equal(first[v][n][0], direct[v][n][0])
            assert np.array_equal(first[v][n][1], direct[v][n][1])

    again = evaluate.run_sets_cached(models, prep, names, SPEC, 2, 2, params, workers=1, threads=1, cache_dir=cache,
                                     data_identity="generator 1", runner=Refuses)
    assert all(np.array_equal(again[v][n][1], first[v][n][1]) for v in models for n in names)

    with pytest.raises(AssertionError, match="onnx"):  # series made by another generator: no cached findings
        evaluate.run_sets_cached(models, prep, names, SPEC, 2, 2, params, workers=1, threads=1, cache_dir=cache,
                                 data_identity="generator 2", runner=Refuses)
    strong.write_bytes(b"model one, retrained")
    with pytest.raises(AssertionError, match="strong.onnx"):
        evaluate.run_sets_cached({"strong": str(strong)}, prep, names, SPEC, 2, 2, params, workers=1, threads=1,
                                 cache_dir=cache, data_identity="generator 1", runner=Refuses)


def test_spawned_workers_give_what_the_default_ones_give(prepared):
    # the pipeline spawns its evaluation workers beside a training thread; spawned ones import the runner by name
    import multiprocessing
    prep, names = prepared
    params = DecodeParams()
    default = evaluate.run_sets_parallel({"strong": "strong.onnx"}, prep, names, SPEC, 2, 2, params, workers=2,
                                         threads=1, runner=BrightestVoxel)
    spawned = evaluate.run_sets_parallel({"strong": "strong.onnx"}, prep, names, SPEC, 2, 2, params, workers=2,
                                         threads=1, mp_context=multiprocessing.get_context("spawn"),
                                         runner=BrightestVoxel)
    for n in names:
        assert len(spawned["strong"][n][1]) > 0
        assert np.array_equal(spawned["strong"][n][0], default["strong"][n][0])
        assert np.array_equal(spawned["strong"][n][1], default["strong"][n][1])
