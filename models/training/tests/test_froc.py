import numpy as np
import pytest

from nodtrain.froc import Froc


def nod(x, d, t="solid"):
    return {"center_mm": [x, 0.0, 0.0], "diameter_mm": d, "type": t}


def make():
    f = Froc()
    # scan 1: nodules at x=0 (8 mm) and x=100 (3 mm, irrelevant for >=4 mm); findings: hit (0.9),
    # duplicate hit (0.8), hit of the irrelevant one (0.7), FP (0.6)
    f.add_scan([[1, 0, 0], [0, 2, 0], [100, 0, 0], [50, 0, 0]], [0.9, 0.8, 0.7, 0.6], [nod(0, 8), nod(100, 3)])
    # scan 2: nodule at x=0 (10 mm) found only at 0.3 after two FPs (0.95, 0.5); centre 6 mm away misses
    f.add_scan([[200, 0, 0], [-200, 0, 0], [0, 0, 4.9], [6, 0, 0]], [0.95, 0.5, 0.3, 0.99], [nod(0, 10)])
    return f


def test_sensitivities_follow_the_luna16_rules():
    r = make().sensitivity_at(lambda n: n["diameter_mm"] >= 4)
    # FPs per scan by threshold: 0.99 -> 0.5, 0.95 -> 1, 0.9 (first TP) -> 1, 0.6 -> 1.5, 0.5 -> 2, 0.3 -> 2
    # sensitivity: 1/2 from 0.9, 2/2 from 0.3 (at 2 FP/scan)
    assert r["nodules"] == 2
    assert r["sensitivity"] == [0.0, 0.0, 0.0, 0.5, 1.0, 1.0, 1.0]
    assert r["cpm"] == pytest.approx(3.5 / 7)


def test_hits_on_irrelevant_nodules_are_not_false_positives():
    f = make()
    best, fp, scans = f.operating(lambda n: n["diameter_mm"] >= 4)
    assert sorted(fp) == [0.5, 0.6, 0.95, 0.99]
    assert scans == 2
    assert sorted(best) == [0.3, 0.9]


def test_operating_score_for_one_fp_per_scan():
    f = make()
    s = f.score_for_fp_rate(1.0)   # 2 FPs allowed over two scans: the third highest (0.6) must not pass
    assert 0.6 < s <= 0.95
    assert f.sensitivity_at_score(lambda n: n["diameter_mm"] >= 4, s)["fp_per_scan"] <= 1.0


def scans_with_one_nodule_each(n, found):
    """n scans, one 8 mm nodule each at x=0 and one FP at 0.5; the nodule is found (at 0.9) where found[i]."""
    f = Froc()
    for i in range(n):
        centers, scores = [[300, 0, 0]], [0.5]
        if found[i]:
            centers.append([0, 0, 0])
            scores.append(0.9)
        f.add_scan(centers, scores, [nod(0, 8)])
    return f


def test_paired_difference_of_a_model_with_itself_is_exactly_zero():
    from nodtrain.froc import paired_cpm_difference
    f = make()
    d = paired_cpm_difference(f, f, lambda n: n["diameter_mm"] >= 4, draws=200)
    assert d["cpmDifference"] == 0.0 and d["ci95"] == [0.0, 0.0]


def test_paired_difference_sees_a_model_that_misses_a_fifth_of_the_nodules():
    from nodtrain.froc import paired_cpm_difference
    rng = np.random.default_rng(1)
    misses = rng.random(200) < 0.2
    ref = scans_with_one_nodule_each(200, [True] * 200)
    worse = scans_with_one_nodule_each(200, ~misses)
    d = paired_cpm_difference(ref, worse, lambda n: True, draws=400)
    assert d["cpmDifference"] == pytest.approx(-misses.mean())
    lo, hi = d["ci95"]
    assert lo < d["cpmDifference"] < hi < 0


def test_paired_difference_refuses_different_scan_lists():
    from nodtrain.froc import paired_cpm_difference
    with pytest.raises(ValueError):
        paired_cpm_difference(make(), scans_with_one_nodule_each(3, [True] * 3), lambda n: True)
