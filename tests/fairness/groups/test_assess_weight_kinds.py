"""Weighted AIR, AUC and IV under each kind of sample weight: seeded Monte Carlo.

Light versions of ``benchmarks/_inference_weights.py``: a population drawn
once, unequal-probability samples whose weights are the inverse inclusion
probabilities (survey, scaled to n or to N), case-control samples (goods
x 4) and frequency weights (a simple random sample stored compressed). The
bands allow for the Monte Carlo SE of 200 replications (coverage SE 1.5
points, SE/SD about 5%) and are narrow enough that the survey weights read
as frequencies fail them.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from fairness import assess
from fairness._groups._air import effective_counts, ratio_score_interval
from scorecard import DataConditionWarning, delong_auc, information_value

N_POP = 60_000
GROUPS = np.array(["A", "B", "C"])


def _world():
    """Population: 3 groups (60/30/10%), ~10% bads, integer score, 5 bins."""
    rng = np.random.default_rng(77)
    grp = rng.choice(3, size=N_POP, p=[0.6, 0.3, 0.1])
    bad = (rng.random(N_POP) < np.array([0.09, 0.11, 0.13])[grp]).astype(np.int64)
    raw = 600 + 50 * rng.normal(size=N_POP) - 42 * bad - np.array([0, 12, 22])[grp]
    score = 5 * np.round(raw / 5)
    edges = np.quantile(score, [0.2, 0.4, 0.6, 0.8])
    cutoff = float(np.quantile(score, 0.55))
    u = 0.7 * bad + 0.8 * (grp == 2) + rng.normal(0, 0.5, N_POP)
    prob = np.exp(0.9 * u)
    codes = np.searchsorted(edges, score, side="right")
    p = np.bincount(codes[bad == 0], minlength=5) / np.sum(bad == 0)
    q = np.bincount(codes[bad == 1], minlength=5) / np.sum(bad == 1)
    rate = [np.mean(score[grp == k] >= cutoff) for k in range(3)]
    s0 = np.sort(score[bad == 0])
    lo = np.searchsorted(s0, score[bad == 1], side="left")
    hi = np.searchsorted(s0, score[bad == 1], side="right")
    truth = {
        "iv": float(np.sum((p - q) * np.log(p / q))),
        "air": rate[2] / rate[0],
        "auc": float(np.mean(s0.size - hi + 0.5 * (hi - lo)) / s0.size),
    }
    return {
        "grp": grp,
        "bad": bad,
        "score": score,
        "codes": codes,
        "prob": prob / prob.sum(),
        "cutoff": cutoff,
        "truth": truth,
    }


@pytest.fixture(scope="module")
def world():
    return _world()


def _sample(rng, pop, n, kind):
    bad = pop["bad"]
    if kind == "case-control":
        bads, goods = np.flatnonzero(bad == 1), np.flatnonzero(bad == 0)
        n_b = int(round(n * 4 * bads.size / (4 * bads.size + goods.size)))
        idx = np.concatenate([rng.choice(bads, n_b), rng.choice(goods, n - n_b)])
        return idx, np.where(bad[idx] == 1, 1.0, 4.0)
    if kind == "frequency":
        idx = rng.integers(0, N_POP, n)
        keys = np.stack([pop["grp"][idx], bad[idx], pop["score"][idx]], 1)
        _, first, counts = np.unique(
            keys, axis=0, return_index=True, return_counts=True
        )
        return idx[first], counts.astype(float)
    idx = rng.choice(N_POP, size=n, p=pop["prob"])
    w = 1 / pop["prob"][idx]
    return idx, w * (n if kind == "survey, sum n" else N_POP) / w.sum()


def _air_c(pop, idx, bad, score, w, wk, direct):
    """The AIR row of group C against A from ``assess``.

    ``direct``: the same figures from the pieces ``assess`` uses (effective
    counts, the Koopman score interval), skipping its exact test, which is
    slow for the large counts of survey weights read as frequencies.
    """
    if not direct:
        return assess(
            bad,
            score,
            sensitive_features=pd.Series(GROUPS[pop["grp"][idx]], name="g"),
            cutoff=pop["cutoff"],
            reference_group="g=A",
            min_group_size=5,
            sample_weight=w,
            weight_kind=wk,
        ).groups.loc["g=C"]
    d = (score >= pop["cutoff"]).astype(float)
    grp = pop["grp"][idx]
    ca = effective_counts(d[grp == 0], w[grp == 0], wk)
    cc = effective_counts(d[grp == 2], w[grp == 2], wk)
    low, high = ratio_score_interval(cc[2], cc[3], ca[2], ca[3])
    return {
        "air": cc[0] / ca[0],
        "air_log_se": np.sqrt(cc[1] / cc[0] ** 2 + ca[1] / ca[0] ** 2),
        "air_ci_low": low,
        "air_ci_high": high,
    }


def _replicates(pop, kind, reps, n=1000, read_as=None, seed=5):
    """log AIR C/A, its SE, AIR CI hit; AUC, SE, CI hit; IV, SE, CI hit."""
    rng = np.random.default_rng(seed)
    wk = read_as or ("frequency" if kind == "frequency" else "sampling")
    t = pop["truth"]
    out = []
    for _ in range(reps):
        idx, w = _sample(rng, pop, n, kind)
        if read_as == "frequency":  # the old reading: weights as counts
            w = np.round(w)
        bad, score = pop["bad"][idx], pop["score"][idx]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataConditionWarning)
            row = _air_c(pop, idx, bad, score, w, wk, read_as is not None)
            auc = delong_auc(bad, score, higher="good", sample_weight=w, weight_kind=wk)
            cells = [
                np.bincount(
                    pop["codes"][idx][bad == c], weights=v[bad == c], minlength=5
                )
                for v in (w, w**2)
                for c in (0, 1)
            ]
            sq = (
                {} if wk == "frequency" else {"goods_sq": cells[2], "bads_sq": cells[3]}
            )
            iv = information_value(cells[0], cells[1], weight_kind=wk, **sq)
        a_lo, a_hi = auc.ci()
        i_lo, i_hi = iv.ci()
        out.append(
            (
                np.log(row["air"]),
                row["air_log_se"],
                row["air_ci_low"] <= t["air"] <= row["air_ci_high"],
                auc.estimate,
                auc.se,
                a_lo <= t["auc"] <= a_hi,
                iv.estimate,
                iv.se,
                i_lo <= t["iv"] <= i_hi,
            )
        )
    r = np.array(out, dtype=float)
    sesd = [r[:, k + 1].mean() / r[:, k].std(ddof=1) for k in (0, 3, 6)]
    return np.array(sesd), r[:, [2, 5, 8]].mean(0)


def _inside(sesd, cover):
    return bool(
        np.all((0.85 <= sesd) & (sesd <= 1.15))
        and np.all((0.91 <= cover) & (cover <= 0.985))
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "kind", ["survey, sum n", "survey, sum N", "case-control", "frequency"]
)
def test_each_weight_kind_se_and_coverage_monte_carlo(world, kind):
    # 200 seeded replications at n = 1,000 (7-13 s each): AIR C/A (log
    # SE), weighted AUC and IV: SE/SD within [0.85, 1.15], coverage of the
    # 95% default interval within [91%, 98.5%].
    sesd, cover = _replicates(world, kind, 200)
    assert _inside(sesd, cover), (kind, sesd.round(3), cover)


@pytest.mark.slow
def test_survey_weights_read_as_frequencies_fail_the_bands(world):
    # the same samples (weights summing to N, about 60 each, rounded to
    # whole numbers) analysed with weight_kind="frequency", the old reading,
    # fall far outside the bands the test above asserts
    sesd, cover = _replicates(world, "survey, sum N", 200, read_as="frequency")
    assert not _inside(sesd, cover)
    assert np.all(sesd < 0.5) and np.all(cover < 0.6)


def test_frequency_weights_are_the_expanded_rows(world):
    rng = np.random.default_rng(3)
    idx = rng.integers(0, N_POP, 800)
    keys = np.stack([world["grp"][idx], world["bad"][idx], world["score"][idx]], 1)
    _, first, counts = np.unique(keys, axis=0, return_index=True, return_counts=True)
    assert first.size < idx.size  # the compression is real
    bad, score = world["bad"], world["score"]
    groups = GROUPS[world["grp"]]
    kw = {"cutoff": world["cutoff"], "reference_group": "g=A", "min_group_size": 5}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        full = assess(
            bad[idx],
            score[idx],
            sensitive_features=pd.Series(groups[idx], name="g"),
            **kw,
        ).groups
        small = assess(
            bad[idx[first]],
            score[idx[first]],
            sensitive_features=pd.Series(groups[idx[first]], name="g"),
            sample_weight=counts.astype(float),
            weight_kind="frequency",
            **kw,
        ).groups
    cols = ["approval_rate", "air", "air_log_se", "air_ci_low", "air_ci_high"]
    cols += ["air_pvalue", "auc", "auc_se", "auc_ci_low", "auc_ci_high"]
    np.testing.assert_allclose(
        small[cols].to_numpy(float), full[cols].to_numpy(float), rtol=1e-10
    )


def test_weights_constant_within_class_reproduce_the_unweighted_auc_se(world):
    # case-control weights (goods x 4) change neither the AUC nor its SE
    rng = np.random.default_rng(4)
    idx = rng.integers(0, N_POP, 1500)
    bad, score = world["bad"][idx], world["score"][idx]
    plain = delong_auc(bad, score, higher="good")
    cc = delong_auc(
        bad,
        score,
        higher="good",
        sample_weight=np.where(bad == 1, 1.0, 4.0),
        weight_kind="sampling",
    )
    assert cc.estimate == pytest.approx(plain.estimate, rel=1e-12)
    assert cc.se == pytest.approx(plain.se, rel=1e-12)
    np.testing.assert_allclose(cc.ci(), plain.ci(), rtol=1e-12)


def test_weights_constant_within_group_reproduce_the_unweighted_air(world):
    # a design that samples whole groups at different rates (weight 1, 3,
    # 0.5 by group): each group's rate, the AIR, its SE and interval are the
    # unweighted ones
    rng = np.random.default_rng(6)
    idx = rng.integers(0, N_POP, 1500)
    grp = world["grp"][idx]
    w = np.array([1.0, 3.0, 0.5])[grp]
    kw = {
        "sensitive_features": pd.Series(GROUPS[grp], name="g"),
        "cutoff": world["cutoff"],
        "reference_group": "g=A",
        "min_group_size": 5,
    }
    bad, score = world["bad"][idx], world["score"][idx]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        plain = assess(bad, score, **kw).groups
        by_group = assess(
            bad, score, sample_weight=w, weight_kind="sampling", **kw
        ).groups
    cols = ["approval_rate", "air", "air_log_se", "air_ci_low", "air_ci_high"]
    cols += ["air_pvalue", "auc", "auc_se"]
    np.testing.assert_allclose(
        by_group[cols].to_numpy(float), plain[cols].to_numpy(float), rtol=1e-9
    )
