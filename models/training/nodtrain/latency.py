"""CPU latency per slab through ONNX Runtime's CPU provider with a fixed number of intra-op threads."""
from __future__ import annotations

import statistics
import time

import numpy as np


def session(path: str, threads: int = 2):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def per_slab_ms(path: str, depth: int, tile=(256, 256), batches=(1, 4, 8), threads: int = 2,
                seconds_per_batch: float = 3.0, seed: int = 0) -> dict:
    """{batch: {"p50": ms per slab, "p90": ...}}; inputs are random 0..1 slabs, never zeros."""
    sess = session(path, threads)
    rng = np.random.default_rng(seed)
    result = {}
    for b in batches:
        inputs = [rng.random((b, depth, tile[0], tile[1]), dtype=np.float32) for _ in range(3)]
        for x in inputs:  # warm-up: kernel selection and first-touch allocations stay out of the numbers
            sess.run(None, {"slab": x})
        times = []
        end = time.perf_counter() + seconds_per_batch
        i = 0
        while time.perf_counter() < end or len(times) < 5:
            t0 = time.perf_counter()
            sess.run(None, {"slab": inputs[i % len(inputs)]})
            times.append((time.perf_counter() - t0) * 1000.0 / b)
            i += 1
        times.sort()
        result[b] = {"p50": statistics.median(times), "p90": times[int(0.9 * (len(times) - 1))], "runs": len(times)}
    return result
