"""FROC and CPM as LUNA16 defines them, over a set of scans.

A finding hits a nodule when its centre lies within the nodule's radius (diameter / 2). For one category of
nodules (say solid >= 6 mm) the others are *irrelevant*: a finding that hits only irrelevant nodules is
neither a true nor a false positive (LUNA16's treatment of its excluded nodules). A finding that hits no
nodule at all is a false positive. A nodule counts as found at a threshold when any finding hitting it scores
at least that threshold; several findings on one nodule count once.

Sensitivity at r false positives per scan is the highest sensitivity over thresholds whose false positives per
scan stay <= r (a step curve: conservative, no interpolation). CPM is the mean over
r = 1/8, 1/4, 1/2, 1, 2, 4, 8.

paired_cpm_difference says how far two models' CPM on the same scans can be trusted to differ: a bootstrap
over scans (each draw takes the same scans for both models), as LUNA16 gives confidence bands by
bootstrapping scans. With 100 scans and 252 nodules one nodule is 0.4 CPM points at one rate, so a
0.5-point claim needs its interval beside it.
"""
from __future__ import annotations

import numpy as np

FP_RATES = (0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


def match_scan(centers_mm, scores, nodule_centers_mm, nodule_diameters_mm):
    """Per finding: boolean [F, M] of nodules hit."""
    f = np.asarray(centers_mm, np.float64).reshape(-1, 3)
    n = np.asarray(nodule_centers_mm, np.float64).reshape(-1, 3)
    if len(f) == 0 or len(n) == 0:
        return np.zeros((len(f), len(n)), bool)
    d = np.linalg.norm(f[:, None, :] - n[None, :, :], axis=2)
    return d <= np.asarray(nodule_diameters_mm, np.float64)[None, :] / 2.0


def sensitivities(best: np.ndarray, fp: np.ndarray, scans: int, rates=FP_RATES) -> list:
    """The step FROC curve read at each rate, from nodule best scores and false-positive scores."""
    thresholds = np.unique(np.concatenate([best[np.isfinite(best)], fp, [np.inf]]))[::-1]
    fp_sorted = np.sort(fp)
    best_sorted = np.sort(best)
    fps_per_scan = (len(fp_sorted) - np.searchsorted(fp_sorted, thresholds, side="left")) / scans
    sens = (len(best_sorted) - np.searchsorted(best_sorted, thresholds, side="left")) / len(best)
    out = []
    for r in rates:
        ok = fps_per_scan <= r
        out.append(float(sens[ok].max()) if ok.any() else 0.0)
    return out


def paired_cpm_difference(reference: "Froc", other: "Froc", relevant, draws: int = 2000, seed: int = 0) -> dict:
    """CPM(other) - CPM(reference) on the same scans, and its 95% interval from a paired bootstrap over scans."""
    if len(reference.scans) != len(other.scans) or len(reference.scans) == 0:
        raise ValueError("a paired difference needs the same non-empty list of scans for both models")
    ref, oth = reference.per_scan(relevant), other.per_scan(relevant)

    def cpm(per, idx):
        best = np.concatenate([per[i][0] for i in idx])
        if len(best) == 0:
            return np.nan
        return float(np.mean(sensitivities(best, np.concatenate([per[i][1] for i in idx]), len(idx))))

    everything = np.arange(len(ref))
    delta = cpm(oth, everything) - cpm(ref, everything)
    rng = np.random.default_rng(seed)
    deltas = []
    for _ in range(draws):
        idx = rng.integers(0, len(ref), len(ref))
        deltas.append(cpm(oth, idx) - cpm(ref, idx))
    deltas = np.asarray(deltas)
    deltas = deltas[np.isfinite(deltas)]
    return {"cpmDifference": float(delta), "ci95": [float(np.percentile(deltas, 2.5)),
                                                    float(np.percentile(deltas, 97.5))],
            "scans": len(ref), "draws": int(len(deltas))}


class Froc:
    """Accumulates scans; then curve(relevant) for any category predicate over nodule records."""

    def __init__(self):
        self.scans = []  # (scores [F], hits [F, M], nodules list of dict)

    def add_scan(self, centers_mm, scores, nodules: list):
        hits = match_scan(centers_mm, scores, [n["center_mm"] for n in nodules],
                          [n["diameter_mm"] for n in nodules])
        self.scans.append((np.asarray(scores, np.float64).reshape(-1), hits, list(nodules)))

    def per_scan(self, relevant):
        """Per scan: (best score of each relevant nodule, -inf when missed; false-positive scores)."""
        out = []
        for scores, hits, nodules in self.scans:
            rel = np.array([bool(relevant(n)) for n in nodules], bool)
            hit_any = hits.any(axis=1) if hits.size else np.zeros(len(scores), bool)
            best = [scores[hits[:, m]].max() if hits[:, m].any() else -np.inf for m in np.nonzero(rel)[0]]
            out.append((np.asarray(best, np.float64), scores[~hit_any]))
        return out

    def operating(self, relevant):
        """(nodule best scores [N] with -inf when missed, false-positive scores [P], scan count)."""
        per = self.per_scan(relevant)
        best = np.concatenate([b for b, _ in per]) if per else np.zeros(0)
        fp = np.concatenate([f for _, f in per]) if per else np.zeros(0)
        return best, fp, len(self.scans)

    def sensitivity_at(self, relevant, rates=FP_RATES):
        best, fp, scans = self.operating(relevant)
        if len(best) == 0:
            return {"nodules": 0, "sensitivity": [None] * len(rates), "cpm": None}
        out = sensitivities(best, fp, scans, rates)
        return {"nodules": int(len(best)), "sensitivity": out, "cpm": float(np.mean(out))}

    def sensitivity_at_score(self, relevant, score: float):
        best, fp, scans = self.operating(relevant)
        return {"nodules": int(len(best)),
                "sensitivity": float(np.mean(best >= score)) if len(best) else None,
                "fp_per_scan": float(np.sum(fp >= score) / max(1, scans))}

    def score_for_fp_rate(self, rate: float) -> float:
        """Lowest score threshold whose false positives per scan stay <= rate (for the operating point)."""
        _, fp, scans = self.operating(lambda n: False)
        allowed = int(np.floor(rate * scans))
        fp = np.sort(fp)[::-1]
        if len(fp) <= allowed:
            return 0.0  # every finding may pass: the decoder's scoreThreshold decides
        return float(np.nextafter(fp[allowed], np.inf))
