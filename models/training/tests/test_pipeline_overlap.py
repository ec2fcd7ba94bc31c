"""The chain's order of work: held-out series are made while the dense net trains, the dense net's findings are
computed while the pruned net fine-tunes, and the evaluation waits for both. Stages are stand-ins that record
what ran, on which thread, and wait for each other, so a chain that ran them one after another would time out."""
import threading
import time
import types

import pytest

from nodtrain import pipeline

WAIT = 20.0  # seconds; a stand-in that waits this long means the overlap did not happen


@pytest.fixture
def chain(monkeypatch, tmp_path):
    events = []
    dense_training = threading.Event()
    pruning = threading.Event()

    def record(what):
        events.append((what, threading.current_thread().name))

    def stage_data(args, splits, workers):
        record("data " + "+".join(splits))
        if splits != ["train"] and "dense" in args.stages:
            assert dense_training.wait(WAIT), "held-out series were not made while the dense net trained"

    def stage_dense(args, sampler):
        dense_training.set()
        record("dense")

    def stage_prune(args, sampler):
        pruning.set()
        record("prune")

    def findings(args, paths, workers):
        assert pruning.wait(WAIT), "the dense net's findings were not computed while the pruned net fine-tuned"
        record("findings " + ",".join(paths))
        time.sleep(0.2)  # still running when fine-tuning ends: the evaluation must wait for it
        record("findings done")

    sampler = types.SimpleNamespace(vol=types.SimpleNamespace(shape=(1,)))
    monkeypatch.setattr(pipeline, "stage_data", stage_data)
    monkeypatch.setattr(pipeline, "stage_check", lambda args: record("check"))
    monkeypatch.setattr(pipeline, "make_sampler", lambda args, device, seed: sampler)
    monkeypatch.setattr(pipeline, "stage_dense", stage_dense)
    monkeypatch.setattr(pipeline, "export_dense", lambda args: "dense.onnx")
    monkeypatch.setattr(pipeline, "stage_prune", stage_prune)
    monkeypatch.setattr(pipeline, "findings", findings)
    monkeypatch.setattr(pipeline, "stage_export", lambda args: record("export"))
    monkeypatch.setattr(pipeline, "stage_evaluate", lambda args: record("evaluate"))
    monkeypatch.setattr(pipeline, "stage_cards", lambda args: record("cards"))
    argv = ["--work", str(tmp_path / "work"), "--models-dir", str(tmp_path / "models")]
    return events, argv


def test_held_out_series_and_dense_findings_are_made_beside_training_and_the_evaluation_waits_for_both(chain):
    events, argv = chain
    pipeline.main(argv)
    order = [what for what, _ in events]
    threads = dict(events)
    assert order[0] == "data train" and threads["data train"] == threading.current_thread().name
    assert threads["data val+test"].startswith("cpu-lane")
    assert threads["findings dense-fp32"].startswith("cpu-lane")
    assert threads["dense"] == threads["prune"] == threading.current_thread().name
    assert order.index("findings done") < order.index("evaluate") < order.index("cards")
    assert order.index("data val+test") < order.index("evaluate")


def test_a_failure_beside_training_stops_the_chain_before_fine_tuning(chain, monkeypatch):
    events, argv = chain
    lanes = []

    class WatchedLane(pipeline.CpuLane):
        def __init__(self):
            super().__init__()
            lanes.append(self)

    def broken(args, splits, workers):
        if splits != ["train"]:
            raise RuntimeError("PhantomExport exited with status 1")
        events.append(("data train", threading.current_thread().name))

    def dense_outlasting_the_failure(args, sampler):
        deadline = time.time() + WAIT
        while not all(job.done() for job in lanes[0]._jobs) and time.time() < deadline:
            time.sleep(0.01)
        events.append(("dense", threading.current_thread().name))

    monkeypatch.setattr(pipeline, "CpuLane", WatchedLane)
    monkeypatch.setattr(pipeline, "stage_data", broken)
    monkeypatch.setattr(pipeline, "stage_dense", dense_outlasting_the_failure)
    with pytest.raises(RuntimeError, match="PhantomExport"):
        pipeline.main(argv)
    assert "prune" not in [what for what, _ in events]


def test_without_training_to_overlap_the_dense_findings_are_left_to_the_evaluate_stage(chain):
    events, argv = chain
    pipeline.main(argv + ["--stages", "data,evaluate", "--data-splits", "val,test"])
    order = [what for what, _ in events]
    assert order == ["data val+test", "evaluate"]


def test_the_dense_file_is_exported_again_unless_it_is_the_one_made_from_this_checkpoint(tmp_path, monkeypatch):
    from nodtrain import export
    exports = []

    def fake_export(net, path, tile):
        exports.append(path)
        open(path, "wb").write(b"onnx of " + net)

    monkeypatch.setattr(export, "export_onnx", fake_export)
    monkeypatch.setattr(pipeline, "load_net", lambda path: open(path, "rb").read())
    args = types.SimpleNamespace(work=str(tmp_path), models_dir=str(tmp_path))
    checkpoint = tmp_path / "dense.pt"
    checkpoint.write_bytes(b"weights 1")
    path = pipeline.export_dense(args)
    pipeline.export_dense(args)
    assert len(exports) == 1  # the early export is reused by the export stage

    open(path, "wb").write(b"a shipped file copied in")
    pipeline.export_dense(args)
    assert len(exports) == 2 and open(path, "rb").read() == b"onnx of weights 1"

    checkpoint.write_bytes(b"weights 2")
    pipeline.export_dense(args)
    assert len(exports) == 3 and open(path, "rb").read() == b"onnx of weights 2"


def test_work_queued_behind_a_failed_background_job_is_skipped():
    lane = pipeline.CpuLane()
    ran = []

    def fails():
        time.sleep(0.1)  # the second job is queued while this one runs
        raise RuntimeError("PhantomExport exited with status 1")

    lane.submit("series", fails)
    lane.submit("findings", ran.append, "findings")
    with pytest.raises(RuntimeError, match="PhantomExport"):
        lane.join()
    assert ran == []
