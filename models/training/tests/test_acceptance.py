"""The shipping rule's targets on the shipped files' metrics, and on copies that miss one."""
import copy
import json
import os

from nodtrain import acceptance

METRICS = os.path.join(os.path.dirname(__file__), "..", "results", "metrics.json")


def failing(metrics):
    return [t.name for t in acceptance.targets(metrics) if not t.holds]


def test_the_shipped_files_meet_every_target():
    metrics = json.load(open(METRICS))
    assert failing(metrics) == []
    assert acceptance.main([METRICS]) == 0


def test_a_pruned_net_more_than_half_a_point_below_the_dense_one_fails(tmp_path):
    metrics = json.load(open(METRICS))
    worse = copy.deepcopy(metrics)
    worse["models"]["pruned-int8"]["all4mmPlusCpmVsDenseFp32"]["cpmDifference"] = -0.006
    assert failing(worse) == ["CPM points of pruned INT8 minus dense FP32 (paired, same scans)"]
    path = tmp_path / "metrics.json"
    path.write_text(json.dumps(worse))
    assert acceptance.main([str(path)]) == 1


def test_a_slow_int8_file_fails_on_each_machine_measured():
    metrics = json.load(open(METRICS))
    slow = copy.deepcopy(metrics)
    slow["models"]["pruned-int8"]["latencyMsPerSlab"]["4"]["p50"] = slow["models"]["pruned-fp32"]["latencyMsPerSlab"]["4"]["p50"] / 1.5
    slow["projectMachineLatency"]["pruned-int8"]["4"] = slow["projectMachineLatency"]["pruned-fp32"]["4"] / 1.9
    assert len(failing(slow)) == 2
    del slow["projectMachineLatency"]
    assert len(failing(slow)) == 1


def test_the_chain_logs_each_target_from_the_metrics_file(tmp_path, capsys):
    from nodtrain import pipeline
    metrics = json.load(open(METRICS))
    # as the evaluate stage holds them before writing: latency tables keyed by int batch sizes
    for m in metrics["models"].values():
        m["latencyMsPerSlab"] = {int(k): v for k, v in m["latencyMsPerSlab"].items()}
    path = tmp_path / "metrics.json"
    path.write_text(json.dumps(metrics))
    pipeline.log_acceptance(str(path))
    lines = [l for l in capsys.readouterr().out.splitlines() if "acceptance: " in l]
    assert len(lines) == len(acceptance.targets(json.load(open(METRICS))))
    assert all("acceptance: PASS " in l for l in lines)
