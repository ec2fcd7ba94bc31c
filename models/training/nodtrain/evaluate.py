"""Evaluation on prepared held-out series: slabs over the whole field of view, decoding, FROC, CPM.

The model sees every slab s (centre c = s * stride) of the full resampled slice, zero-padded (air) on the
right and bottom to a multiple of 16. The Java runtime crops to the lungs' bounding box first, which only
removes places where no nodule lies; these figures therefore include any false positives outside the lungs.
"""
from __future__ import annotations

import numpy as np

from . import decode
from .froc import FP_RATES, Froc
from .grid import InputSpec, Resampling, pad_to_multiple, slab_centers, slab_indices

SIZE_BANDS = {"3-6mm": (3.0, 6.0), "6-10mm": (6.0, 10.0), "10+mm": (10.0, 1e9)}


class OrtRunner:
    def __init__(self, path: str, threads: int):
        from .latency import session
        self.sess = session(path, threads)

    def __call__(self, x: np.ndarray):
        hm, reg = self.sess.run(["heatmap", "regression"], {"slab": x})
        return hm, reg


def series_peaks(runner, grid: np.ndarray, spec: InputSpec, slab_stride: int, out_stride: int,
                 params: decode.DecodeParams, batch: int = 8) -> np.ndarray:
    t_n, v_n, u_n = grid.shape
    padded = np.zeros((t_n, pad_to_multiple(v_n, spec.in_plane_multiple), pad_to_multiple(u_n, spec.in_plane_multiple)),
                      np.float32)
    padded[:, :v_n, :u_n] = grid
    centers = slab_centers(t_n, slab_stride)
    peaks = []
    for i in range(0, len(centers), batch):
        cs = centers[i:i + batch]
        x = np.stack([padded[slab_indices(c, spec.depth, t_n)] for c in cs])
        hm, reg = runner(x)
        peaks.append(decode.slab_peaks(hm, reg, cs, out_stride, params))
    return np.concatenate(peaks) if peaks else np.zeros((0, 5))


def series_findings(runner, grid: np.ndarray, meta: dict, spec: InputSpec, slab_stride: int, out_stride: int,
                    params: decode.DecodeParams) -> dict:
    """One prepared series -> {"center_mm", "score", ...} in patient mm, as the runtime reports them."""
    rs = Resampling(tuple(meta["source_shape"]), tuple(meta["resampled_shape"]), meta["z_step"])
    peaks = series_peaks(runner, grid.astype(np.float32), spec, slab_stride, out_stride, params)
    return decode.findings(peaks, rs, meta["geometry"], params)


def run_set(runner, series: list, spec: InputSpec, slab_stride: int, out_stride: int,
            params: decode.DecodeParams) -> Froc:
    """series: list of (grid, meta) from phantoms.load_prepared."""
    froc = Froc()
    for grid, meta in series:
        f = series_findings(runner, grid, meta, spec, slab_stride, out_stride, params)
        froc.add_scan(f["center_mm"], f["score"], meta["nodules"])
    return froc


_RUNNERS = {}  # per worker process: model path -> session, made once


def _one_series(job):
    models, prepared_dir, name, spec, slab_stride, out_stride, params, threads, runner = job
    from . import phantoms
    grid, meta = phantoms.load_prepared(prepared_dir, name)
    out = {}
    for variant, path in models.items():
        if path not in _RUNNERS:
            _RUNNERS[path] = (runner or OrtRunner)(path, threads)
        f = series_findings(_RUNNERS[path], grid, meta, spec, slab_stride, out_stride, params)
        out[variant] = (f["center_mm"], f["score"])
    return name, out


def run_sets_parallel(models: dict, prepared_dir: str, names: list, spec: InputSpec, slab_stride: int,
                      out_stride: int, params: decode.DecodeParams, workers: int, threads: int,
                      mp_context=None, runner=None) -> dict:
    """Every model over every named prepared series, series spread over worker processes that each load one
    series at a time (a 400-series test set is 20 GB as float16; no process holds it all). Returns
    {variant: {name: (center_mm, score)}}. mp_context: how the workers start (the pipeline spawns them beside
    a training thread; None: the platform's default). runner: what runs a model file (a class taking path and threads;
    default OrtRunner); a module-level class, since spawned workers import it by name."""
    from concurrent.futures import ProcessPoolExecutor
    jobs = [(models, prepared_dir, n, spec, slab_stride, out_stride, params, threads, runner) for n in names]
    found = {v: {} for v in models}
    with ProcessPoolExecutor(workers, mp_context=mp_context) as pool:
        for name, out in pool.map(_one_series, jobs):
            for v, f in out.items():
                found[v][name] = f
    return found


def run_sets_cached(models: dict, prepared_dir: str, names: list, spec: InputSpec, slab_stride: int,
                    out_stride: int, params: decode.DecodeParams, workers: int, threads: int,
                    cache_dir: str, data_identity: str, mp_context=None, runner=None) -> dict:
    """As run_sets_parallel, but each model's findings are kept in cache_dir, keyed by the SHA-256 of its file,
    the evaluation settings, the evaluation and preparation code (this file, decode.py, grid.py, phantoms.py) and data_identity (what made
    the prepared series: the generator's jars and options), and only the series a model has not yet seen are
    run. Why: several pruned variants compared against one dense net need the dense net's findings once, not
    once per variant."""
    import json
    import os
    os.makedirs(cache_dir, exist_ok=True)
    found, files, missing = {}, {}, {}
    for variant, path in models.items():
        key = _cache_key(path, spec, slab_stride, out_stride, params, data_identity)
        files[variant] = os.path.join(cache_dir, key + ".json")
        cached = {}
        if os.path.exists(files[variant]):
            with open(files[variant]) as f:
                cached = json.load(f)
        found[variant] = {n: (np.asarray(c, np.float64).reshape(-1, 3), np.asarray(s, np.float64))
                          for n, (c, s) in cached.items()}
        missing[variant] = [n for n in names if n not in found[variant]]
    todo = sorted({n for m in missing.values() for n in m}, key=names.index)
    run = {v: models[v] for v, m in missing.items() if m}
    if todo and run:
        fresh = run_sets_parallel(run, prepared_dir, todo, spec, slab_stride, out_stride, params, workers, threads,
                                  mp_context, runner)
        for variant, per_series in fresh.items():
            found[variant].update(per_series)
            tmp = files[variant] + ".tmp"
            with open(tmp, "w") as f:
                json.dump({n: [np.asarray(c).tolist(), np.asarray(s).tolist()]
                           for n, (c, s) in found[variant].items()}, f)
            os.replace(tmp, files[variant])
    return {v: {n: found[v][n] for n in names} for v in models}


def _cache_key(path: str, spec: InputSpec, slab_stride: int, out_stride: int, params: decode.DecodeParams,
               data_identity: str) -> str:
    import hashlib
    import json
    import os
    from .cards import sha256
    here = os.path.dirname(os.path.abspath(__file__))
    sources = (path, __file__, *(os.path.join(here, m) for m in ("decode.py", "grid.py", "phantoms.py")))
    key = json.dumps([[sha256(s) for s in sources], spec.__dict__, slab_stride, out_stride, params.__dict__,
                      data_identity], sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def froc_of(found: dict, metas: dict, names: list) -> Froc:
    """found: {name: (center_mm, score)} for one model; metas: {name: meta}."""
    froc = Froc()
    for n in names:
        centers, scores = found[n]
        froc.add_scan(centers, scores, metas[n]["nodules"])
    return froc


def metrics(froc: Froc, operating_point_score: float) -> dict:
    """The card's metrics block (synthetic phantoms)."""
    types = sorted({n["type"] for _, _, nods in froc.scans for n in nods})
    all4 = froc.sensitivity_at(lambda n: n["diameter_mm"] >= 4.0)
    solid6 = froc.sensitivity_at(lambda n: n["type"] == "solid" and n["diameter_mm"] >= 6.0)
    out = {
        "scans": len(froc.scans),
        "fpRatesPerScan": list(FP_RATES),
        "all4mmPlus": all4,
        "solid6mmPlus": solid6,
        "solid6mmPlusSensitivityAt1FpPerScan": solid6["sensitivity"][FP_RATES.index(1.0)],
        "bySize": {k: froc.sensitivity_at(lambda n, lo=lo, hi=hi: lo <= n["diameter_mm"] < hi)
                   for k, (lo, hi) in SIZE_BANDS.items()},
        "byType4mmPlus": {t: froc.sensitivity_at(lambda n, t=t: n["type"] == t and n["diameter_mm"] >= 4.0)
                          for t in types},
        "operatingPoint": dict(score=operating_point_score,
                               **froc.sensitivity_at_score(lambda n: n["diameter_mm"] >= 4.0, operating_point_score)),
    }
    return out
