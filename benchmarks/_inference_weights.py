"""Weighted IV, JS, PSI, AIR and AUC under each kind of sample weight (issue 13).

Run through ``benchmarks/bench_inference.py --part weights`` (also part of
the default run and of ``--quick``). A population of 200,000 applicants is
drawn once: four groups of unequal size (55/30/10/5%), a bad rate near 10%,
an integer score in steps of 5 points whose AUC is about 0.74, a cutoff
approving about 45%, group D scored like group A (true AIR 1, the null of
the AIR test) and a noise feature with exactly equal class shares (true IV
0, the null of the IV test). The statistics' true values are the
population's. Each replication draws one weighted sample of ``n`` rows:

- ``survey, sum n`` / ``survey, sum N``: probability-proportional-to-size
  draws (with replacement) whose inclusion propensity rises with the bad
  class, groups C and D and noise; the weights are the inverse inclusion
  probabilities, scaled to sum to ``n`` or to the population size;
- ``case-control goods x4``: bads over-sampled (30.8% of the rows), goods
  weighted 4 and bads 1, which are the inverse sampling rates;
- ``frequency``: a simple random sample stored compressed, one row per
  distinct (group, class, score, noise bin) with its count as the weight;
  the right answer is the expanded rows' unweighted figure (checked exactly
  on the first replications).

PSI compares the score bins of a reference sample (the design of the kind)
with a current sample of a population whose scores drifted by 0.1 SD (and,
for the size, of the same population). Case-control weights apply to the
reference only: a monitoring batch has no labels to sample on, so the
current side is a simple random sample.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from fairness import assess
from scorecard import (
    DataConditionWarning,
    delong_auc,
    information_value,
    jensen_shannon,
    psi,
)

SEED = 20261213
N_POP = 200_000
KINDS = ("survey, sum n", "survey, sum N", "case-control goods x4", "frequency")
GROUPS = np.array(["A", "B", "C", "D"])


def population(rng: np.random.Generator, drift: float = 0.0) -> dict:
    """Population rows: group, bad flag, integer score, score bin, noise bin."""
    grp = rng.choice(4, size=N_POP, p=[0.55, 0.3, 0.1, 0.05])
    logit = -2.35 + np.array([0.0, 0.25, 0.45, 0.0])[grp]
    bad = (rng.random(N_POP) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    shift = np.array([0.0, -12.0, -22.0, 0.0])[grp]
    raw = 600 + 50 * (rng.normal(size=N_POP) + drift) - 42 * bad + shift
    score = 5 * np.round(raw / 5)
    noise = np.empty(N_POP, dtype=np.int64)
    for c in (0, 1):  # exactly equal shares in each class: true IV 0
        rows = rng.permutation(np.flatnonzero(bad == c))
        noise[rows] = np.arange(rows.size) % 5
    u = 0.7 * bad + 0.8 * (grp >= 2) + rng.normal(0, 0.5, N_POP)
    prob = np.exp(0.9 * u)
    return {
        "grp": grp,
        "bad": bad,
        "score": score,
        "noise": noise,
        "prob": prob / prob.sum(),
    }


def _bin(score: np.ndarray, edges: np.ndarray) -> np.ndarray:
    return np.searchsorted(edges, score, side="right")


def _draw(rng, pop, n, kind, labelled=True):
    """Row indices and weights of one sample of ``kind``."""
    if kind == "frequency" or (kind.startswith("case") and not labelled):
        return rng.integers(0, N_POP, n), np.ones(n)
    if kind.startswith("case"):
        bad_rows, good_rows = pop["bad_rows"], pop["good_rows"]
        n_b = int(round(n * 4 * bad_rows.size / (4 * bad_rows.size + good_rows.size)))
        idx = np.concatenate(
            [rng.choice(bad_rows, n_b), rng.choice(good_rows, n - n_b)]
        )
        return idx, np.where(pop["bad"][idx] == 1, 1.0, 4.0)
    idx = rng.choice(N_POP, size=n, p=pop["prob"])
    w = 1 / pop["prob"][idx]
    return idx, w * (n if kind == "survey, sum n" else N_POP) / w.sum()


def _compress(pop, idx):
    """Distinct rows of a simple random sample and their counts."""
    keys = np.stack(
        [pop["grp"][idx], pop["bad"][idx], pop["score"][idx], pop["noise"][idx]], 1
    )
    uniq, first, counts = np.unique(keys, axis=0, return_index=True, return_counts=True)
    return idx[first], counts.astype(float)


def _cells(codes, bad, w, k=5):
    """(goods, bads, goods_sq, bads_sq) per bin."""
    out = [
        np.bincount(codes[bad == c], weights=p[bad == c], minlength=k)
        for p in (w, w**2)
        for c in (0, 1)
    ]
    return out[0], out[1], out[2], out[3]


def _truth_shares(codes, bad, k=5):
    p = np.bincount(codes[bad == 0], minlength=k) / np.sum(bad == 0)
    q = np.bincount(codes[bad == 1], minlength=k) / np.sum(bad == 1)
    return p, q


def _jeffreys(p, q):
    return float(np.sum((p - q) * np.log(p / q)))


def _js(p, q):
    m = (p + q) / 2
    return float(0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m)))


def _pop_auc(bad, score):
    """P(score_good > score_bad) + 0.5 P(tie) over the population."""
    s0, s1 = np.sort(score[bad == 0]), score[bad == 1]
    below = np.searchsorted(s0, s1, side="left")
    ties = np.searchsorted(s0, s1, side="right") - below
    return float(np.mean((s0.size - below - ties + 0.5 * ties) / s0.size))


def truths(pop, cur, edges, cutoff):
    """True IV, JS, PSI, AIR and AUC of the population."""
    codes = _bin(pop["score"], edges)
    p, q = _truth_shares(codes, pop["bad"])
    pn, qn = _truth_shares(pop["noise"], pop["bad"])
    e = np.bincount(codes, minlength=5) / N_POP
    a = np.bincount(_bin(cur["score"], edges), minlength=5) / N_POP
    rate = np.array(
        [np.mean(pop["score"][pop["grp"] == k] >= cutoff) for k in range(4)]
    )
    return {
        "IV": _jeffreys(p, q),
        "IV noise": _jeffreys(pn, qn),
        "JS": _js(p, q),
        "JS noise": _js(pn, qn),
        "PSI drift": _jeffreys(a, e),
        "PSI none": 0.0,
        "AIR B/A": rate[1] / rate[0],
        "AIR C/A": rate[2] / rate[0],
        "AIR D/A": rate[3] / rate[0],
        "AUC": _pop_auc(pop["bad"], pop["score"]),
        "approval": float(np.mean(pop["score"] >= cutoff)),
    }


def _replicate(rng, pop, cur, edges, cutoff, n, kind, check):
    """One sample of ``kind``: the reported figures of every statistic."""
    idx, w = _draw(rng, pop, n, kind)
    if kind == "frequency":
        expanded = idx
        idx, w = _compress(pop, idx)
    wk = "frequency" if kind == "frequency" else "sampling"
    bad, score = pop["bad"][idx], pop["score"][idx]
    codes = _bin(score, edges)
    out: dict = {}
    for name, feat in (("", codes), (" noise", pop["noise"][idx])):
        g, b, gs, bs = _cells(feat, bad, w)
        sq = {} if wk == "frequency" else {"goods_sq": gs, "bads_sq": bs}
        out["IV" + name] = information_value(g, b, weight_kind=wk, **sq)
        jsq = {} if wk == "frequency" else {"p_sq": gs, "q_sq": bs}
        out["JS" + name] = jensen_shannon(g, b, weight_kind=wk, **jsq)
    g, b, gs, bs = _cells(codes, bad, w)
    ref, ref_sq = g + b, gs + bs
    for label, population_ in (("PSI drift", cur), ("PSI none", pop)):
        idx2, w2 = _draw(rng, population_, n, kind, labelled=False)
        if kind == "frequency":
            idx2, w2 = _compress(population_, idx2)
        c2 = np.bincount(
            _bin(population_["score"][idx2], edges), weights=w2, minlength=5
        )
        s2 = np.bincount(
            _bin(population_["score"][idx2], edges), weights=w2**2, minlength=5
        )
        sq = {} if wk == "frequency" else {"expected_sq": ref_sq, "actual_sq": s2}
        out[label] = psi(ref, c2, weight_kind=wk, test="chi2", **sq)
    grp = pd.Series(GROUPS[pop["grp"][idx]], name="g")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        res = assess(
            bad,
            score,
            sensitive_features=grp,
            cutoff=cutoff,
            reference_group="g=A",
            min_group_size=5,
            sample_weight=w,
            weight_kind=wk,
        )
    out["AIR"] = res.groups
    out["AUC"] = delong_auc(bad, score, higher="good", sample_weight=w, weight_kind=wk)
    if check and kind == "frequency":
        _check_expanded(pop, expanded, edges, cutoff, out)
    return out


def _check_expanded(pop, idx, edges, cutoff, out):
    """Frequency weights give exactly the expanded rows' unweighted figures."""
    bad, score = pop["bad"][idx], pop["score"][idx]
    g, b, _, _ = _cells(_bin(score, edges), bad, np.ones(idx.size))
    iv = information_value(g, b)
    np.testing.assert_allclose(
        [iv.estimate, iv.se, iv.pvalue],
        [out["IV"].estimate, out["IV"].se, out["IV"].pvalue],
        rtol=1e-10,
    )
    auc = delong_auc(bad, score, higher="good")
    np.testing.assert_allclose(
        [auc.estimate, auc.se], [out["AUC"].estimate, out["AUC"].se], rtol=1e-10
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConditionWarning)
        plain = assess(
            bad,
            score,
            sensitive_features=pd.Series(GROUPS[pop["grp"][idx]], name="g"),
            cutoff=cutoff,
            reference_group="g=A",
            min_group_size=5,
        ).groups
    cols = ["air", "air_log_se", "air_ci_low", "air_ci_high", "air_pvalue", "auc_se"]
    np.testing.assert_allclose(
        out["AIR"][cols].to_numpy(float), plain[cols].to_numpy(float), rtol=1e-10
    )


def _row(stat, kind, n, truth, est, se, lo, hi, pval, *, wald=None, size=False):
    est, se = np.asarray(est, float), np.asarray(se, float)
    sd = est.std(ddof=1)
    cover = (lo <= truth) & (truth <= hi)
    return {
        "statistic": stat,
        "kind": kind,
        "n": n,
        "truth": truth,
        "se/sd": float(np.mean(se) / sd) if sd > 0 else np.nan,
        "cover": float(np.mean(cover)),
        "cover_mcse": float(
            np.sqrt(max(cover.mean() * (1 - cover.mean()), 1e-12) / cover.size)
        ),
        "cover_wald": (
            np.nan
            if wald is None
            else float(np.mean((wald[0] <= truth) & (truth <= wald[1])))
        ),
        "reject_5%": float(np.mean(np.asarray(pval) < 0.05))
        if pval is not None
        else np.nan,
        "is_size": size,
    }


def rows_for_kind(kind, reps, n, world, check=3):
    """Seeded replications of one weight kind: one row per statistic."""
    pop, cur, edges, cutoff, truth = world
    rng = np.random.default_rng([SEED, KINDS.index(kind)])
    draws = [
        _replicate(rng, pop, cur, edges, cutoff, n, kind, r < check)
        for r in range(reps)
    ]
    rows = []
    for stat in ("IV", "IV noise", "JS", "JS noise", "PSI drift", "PSI none"):
        res = [d[stat] for d in draws]
        ci = np.array([r.ci() for r in res])
        wald = np.array([r.ci(method="wald") for r in res])
        rows.append(
            _row(
                stat,
                kind,
                n,
                truth[stat],
                [r.estimate for r in res],
                [r.se for r in res],
                ci[:, 0],
                ci[:, 1],
                [r.pvalue for r in res],
                wald=(wald[:, 0], wald[:, 1]),
                size=stat.endswith(("noise", "none")),
            )
        )
    for grp in ("B", "C", "D"):
        tab = pd.DataFrame([d["AIR"].loc[f"g={grp}"] for d in draws])
        rows.append(
            _row(
                f"AIR {grp}/A (log SE)",
                kind,
                n,
                truth[f"AIR {grp}/A"],
                np.log(tab["air"].to_numpy(float)),
                tab["air_log_se"],
                tab["air_ci_low"].to_numpy(float),
                tab["air_ci_high"].to_numpy(float),
                tab["air_pvalue"],
                size=grp == "D",
            )
        )
    auc = [d["AUC"] for d in draws]
    ci = np.array([r.ci() for r in auc])
    logit = np.array([_logit(r) for r in auc])
    row = _row(
        "AUC",
        kind,
        n,
        truth["AUC"],
        [r.estimate for r in auc],
        [r.se for r in auc],
        ci[:, 0],
        ci[:, 1],
        None,
        wald=(ci[:, 0], ci[:, 1]),
    )
    row["cover_logit"] = float(
        np.mean((logit[:, 0] <= truth["AUC"]) & (truth["AUC"] <= logit[:, 1]))
    )
    rows.append(row)
    return rows


def _logit(res):
    from dataclasses import replace

    return replace(res, interval="logit").ci()


def world(seed: int = SEED):
    """The population, its drifted copy, the score bins, cutoff and truths."""
    pop = population(np.random.default_rng(seed))
    cur = population(np.random.default_rng(seed + 1), drift=0.1)
    for p in (pop, cur):
        p["bad_rows"] = np.flatnonzero(p["bad"] == 1)
        p["good_rows"] = np.flatnonzero(p["bad"] == 0)
    edges = np.quantile(pop["score"], [0.2, 0.4, 0.6, 0.8])
    cutoff = float(np.quantile(pop["score"], 0.55))
    return pop, cur, edges, cutoff, truths(pop, cur, edges, cutoff)


def run(quick: bool, reps: int | None = None, n: int = 2000) -> pd.DataFrame:
    """The table: every weight kind x statistic."""
    reps = reps or (150 if quick else 1000)
    w = world()
    t = w[-1]
    print(
        f"Weights: population {N_POP:,} (approval {t['approval']:.3f}, AUC "
        f"{t['AUC']:.3f}, IV {t['IV']:.3f}); n = {n}, {reps} replications per kind"
    )
    rows = []
    for kind in KINDS:
        rows += rows_for_kind(kind, reps, n, w)
    return pd.DataFrame(rows)


if __name__ == "__main__":
    import sys

    with pd.option_context("display.width", 220, "display.max_rows", 200):
        print(
            run("--quick" in sys.argv).to_string(
                index=False, float_format=lambda v: f"{v:.4f}"
            )
        )
