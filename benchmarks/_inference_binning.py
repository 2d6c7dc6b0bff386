"""Calibration of inference after binning (issue 13, item 1).

Seeded resampling from populations generated here, one feature of each kind:
``weak`` (true IV about 0.015), ``strong`` (about 0.5), ``two_bin`` (a binary
feature, IV about 0.02), ``missing_heavy`` (70% missing, weak effect) and
``noise``. For every cell it reports

- ``--part=size`` (:func:`size_rows`): the size at 5% of the default
  selection-adjusted test, computed given each feature draw from its
  permutation law (exact for ties and discreteness; continuous, two-bin,
  missing-heavy, ordinal and categorical features);
- ``--part=coverage`` (:func:`coverage_rows`): how often the default
  interval covers the IV of the fitted bins on fresh data (a large
  population sample), beside the conditional ncx2 interval;
- ``--part=diagnose`` (:func:`diagnose_rows`): the estimated optimism ``k``
  and variance of both bootstrap worlds against the truth, from a
  ``--record`` file of the coverage part;
- ``--part=split`` (:func:`split_rows`): coverage and SE/SD of the
  sample-splitting interval (``inference="split"``);
- ``--part=old``: the round-2 rows (Bernoulli size counts, split and
  conditional coverage).

Run alone: ``python benchmarks/_inference_binning.py`` (``--quick`` for a
smoke run). ``bench_inference.py`` calls :func:`run`.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd

from scorecard import StumpBinner
from scorecard._binning._inference import selection_inference

KINDS = ("weak", "strong", "two_bin", "missing_heavy", "noise")
#: Kinds of the coverage rows: every kind with signal, ordinal and categorical too.
COVER_KINDS = ("weak", "strong", "two_bin", "missing_heavy", "ordinal", "categorical")
_SLOPE = {
    "weak": 0.25,
    "strong": 1.6,
    "two_bin": 0.6,
    "missing_heavy": 0.5,
    "ordinal": 0.05,  # per step of 12 values (IV about 0.03)
    "categorical": 1.0,  # times the level effects below
    "noise": 0.0,
}
_LEVELS = np.array(list("abcdefgh"), dtype=object)
_LEVEL_P = (1 / np.arange(1, 9)) / (1 / np.arange(1, 9)).sum()  # Zipf-like
_LEVEL_EFFECT = np.array([0.0, 0.25, -0.2, 0.4, -0.3, 0.1, 0.5, -0.4])
_BASE = -2.4  # about 9% bad


def _features(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "ordinal":
        return rng.integers(0, 12, size=n).astype(np.float64)
    if kind == "categorical":
        return rng.choice(_LEVELS, n, p=_LEVEL_P)
    if kind == "two_bin":
        return (rng.random(n) < 0.3).astype(np.float64)
    x = rng.normal(size=n)
    if kind == "missing_heavy":
        x[rng.random(n) < 0.7] = np.nan
    return x


def _labels(
    kind: str, x: np.ndarray, rng: np.random.Generator, null: bool
) -> np.ndarray:
    eta = np.full(x.size, _BASE)
    if not null and kind == "categorical":
        eta = _BASE + _LEVEL_EFFECT[np.searchsorted(_LEVELS.astype(str), x.astype(str))]
    elif not null:
        z = np.nan_to_num(x, nan=-1.0)  # missing values carry risk too
        eta = _BASE + _SLOPE[kind] * z
    return (rng.random(x.size) < 1 / (1 + np.exp(-eta))).astype(np.int64)


def _draw(
    n: int, rng: np.random.Generator, null: bool, kinds=KINDS
) -> tuple[pd.DataFrame, dict]:
    X = pd.DataFrame({k: _features(k, n, rng) for k in kinds})
    ys = {k: _labels(k, X[k].to_numpy(), rng, null) for k in kinds}
    return X, ys


def _fresh_iv(fb, x: np.ndarray, y: np.ndarray) -> float:
    """IV of fixed bins on a large population sample (the target)."""
    codes = fb.assign(x)
    bads = np.bincount(codes, weights=y, minlength=fb.n_bins)
    rows = np.bincount(codes, minlength=fb.n_bins).astype(np.float64)
    goods = rows - bads
    keep = rows > 0
    p, q = goods[keep] / goods.sum(), bads[keep] / bads.sum()
    ok = (p > 0) & (q > 0)
    return float(np.sum((p[ok] - q[ok]) * np.log(p[ok] / q[ok])))


def _fit(kind: str, x: np.ndarray, y: np.ndarray, **kw) -> StumpBinner:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return StumpBinner(**kw).fit(pd.DataFrame({kind: x}), y)


def _table(binner: StumpBinner) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return binner.information_table().iloc[0]


def _size_rows(ns, reps, n_perm, seed) -> list[dict]:
    rows = []
    for n in ns:
        rng = np.random.default_rng([seed, n, 0])
        hits = {
            (k, m): [] for k in KINDS for m in ("selection", "conditional", "split")
        }
        for r in range(reps):
            X, ys = _draw(n, rng, null=True)
            for k in KINDS:
                x, y = X[k].to_numpy(), ys[k]
                b = _fit(k, x, y, n_permutations=0, random_state=r)
                t = _table(b)
                searches, params, data, _ = b._search_state_
                sel = selection_inference(
                    searches[0],
                    params,
                    b.smoothing,
                    n_resamples=n_perm,
                    random_state=[seed, n, r],
                    bootstrap=False,
                )
                hits[(k, "selection")].append(sel.pvalue <= 0.05)
                hits[(k, "conditional")].append(t["pvalue_conditional"] <= 0.05)
                ts = _table(
                    _fit(k, x, y, inference="split", n_permutations=0, random_state=r)
                )
                hits[(k, "split")].append(ts["pvalue"] <= 0.05)
        for (k, m), v in hits.items():
            rows.append(
                {
                    "statistic": f"no-information test ({m})",
                    "setting": f"null, {k}",
                    "n": n,
                    "se_over_sd": np.nan,
                    "coverage": np.nan,
                    "size": float(np.mean(v)),
                    "reps": len(v),
                }
            )
    return rows


def _coverage_rows(ns, reps, n_perm, seed, pop_n) -> list[dict]:
    rows = []
    prng = np.random.default_rng([seed, 99])
    popX, popy = _draw(pop_n, prng, null=False)
    for n in ns:
        rng = np.random.default_rng([seed, n, 1])
        rec = {
            (k, m): {"est": [], "se": [], "cov": [], "target": []}
            for k in KINDS
            if k != "noise"
            for m in ("split", "adjusted", "conditional")
        }
        for r in range(reps):
            X, ys = _draw(n, rng, null=False)
            for k in KINDS:
                if k == "noise":
                    continue
                x, y = X[k].to_numpy(), ys[k]
                px, py = popX[k].to_numpy(), popy[k]
                b = _fit(k, x, y, n_permutations=n_perm, random_state=r)
                t = _table(b)
                target = _fresh_iv(b.bins_[k], px, py)
                for m, est, lo, hi, se in (
                    (
                        "adjusted",
                        t["iv_adjusted"],
                        t["ci_low"],
                        t["ci_high"],
                        (t["ci_high"] - t["ci_low"]) / 3.92,
                    ),
                    (
                        "conditional",
                        t["iv"],
                        t["ci_low_conditional"],
                        t["ci_high_conditional"],
                        t["se"],
                    ),
                ):
                    d = rec[(k, m)]
                    d["est"].append(est)
                    d["se"].append(se)
                    d["target"].append(target)
                    d["cov"].append(lo <= target <= hi)
                bs = _fit(
                    k,
                    x,
                    y,
                    inference="split",
                    refit=False,
                    n_permutations=0,
                    random_state=r,
                )
                ts = _table(bs)
                target = _fresh_iv(bs.bins_[k], px, py)
                d = rec[(k, "split")]
                d["est"].append(ts["iv_split"])
                d["se"].append(ts["se_split"])
                d["target"].append(target)
                d["cov"].append(ts["ci_low"] <= target <= ts["ci_high"])
        for (k, m), d in rec.items():
            err = np.asarray(d["est"]) - np.asarray(d["target"])
            sd = float(np.std(err, ddof=1))
            rows.append(
                {
                    "statistic": f"IV of fitted bins on fresh data ({m})",
                    "setting": k,
                    "n": n,
                    "se_over_sd": float(np.mean(d["se"]) / sd) if sd > 0 else np.nan,
                    "coverage": float(np.mean(d["cov"])),
                    "size": np.nan,
                    "reps": len(d["cov"]),
                }
            )
    return rows


# --------------------------------------------------------------------------
# size of the default test, per feature kind (the default procedure: up to
# 199 permutations with the sequential stops), cheap because the bins are
# searched on the count tables only (no XGBoost fit per replicate)

NULL_KINDS = ("continuous", "two_bin", "missing_heavy", "ordinal", "categorical")


def _null_feature(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "two_bin":
        return (rng.random(n) < 0.3).astype(np.float64)
    if kind == "ordinal":  # twelve values: ties in every pre-bin
        return rng.integers(0, 12, size=n).astype(np.float64)
    if kind == "categorical":  # eight Zipf-like levels
        p = 1 / np.arange(1, 9)
        return rng.choice(np.array(list("abcdefgh"), dtype=object), n, p=p / p.sum())
    x = rng.normal(size=n)
    if kind == "missing_heavy":
        x[rng.random(n) < 0.7] = np.nan
    return x


def _null_inputs(kind: str, n: int, rng: np.random.Generator, params: dict):
    from scorecard._binning._columns import _prepare, _RawColumn
    from scorecard._binning._search import search_inputs

    x = _null_feature(kind, n, rng)
    y = (rng.random(n) < 1 / (1 + np.exp(-_BASE))).astype(np.float64)
    col = _RawColumn(
        kind, "categorical" if kind == "categorical" else "numeric", x
    ).convert()
    prep, codes, _ = _prepare(
        col,
        y,
        np.ones(n),
        specials=(),
        max_bin=params["max_bin"],
        min_category_size=params["min_category_size"],
        weighted=False,
    )
    return search_inputs(prep, col, codes, weighted=False, specials=())


def _conditional_size(inputs, params, draws: int, rng, n_perm: int = 199) -> float:
    """P(p <= 5%) of the default test given the feature's cells, under the null.

    Under no information the observed labels are one uniform permutation, so
    the observed IV ``T_0`` has the permutation law of the search's IV. With
    ``q(t) = P(T* >= t)``, the ``B``-permutation test rejects at 5% when at
    most ``0.05 (B + 1) - 1`` of the ``B`` permuted IVs reach ``T_0``; its size
    given the cells is ``E[P(Binomial(B, q(T_0)) <= 9)]`` for ``B = 199``,
    estimated here from ``draws`` permuted IVs (leave-one-out ``q``). Ties and
    discreteness (two-bin, ordinal, categorical features) enter exactly; the
    sequential stops of the package change no decision at 5% (Besag-Clifford
    stops only at p >= 10/199; the tail bound only where p = 1/200, with
    error below 1e-3).
    """
    from scipy import stats

    from scorecard._binning._inference import _iv, _permuted
    from scorecard._binning._search import bin_counts, search_many

    ivs = []
    for start in range(0, draws, 100):
        size = min(100, draws - start)
        bads, _ = _permuted(inputs, size, rng, None)
        assign = search_many(inputs, bads, params)
        goods = inputs.rows - bads
        ivs.append(_iv(bin_counts(assign, goods), bin_counts(assign, bads), 0.5))
    t = np.concatenate(ivs)
    tol = 1e-9 * np.maximum(np.abs(t), 1e-12)
    # q(t_i) = P(T* >= t_i), the atom at t_i included: (G + m - 1/2) / M with
    # G draws above, m draws tied (itself included); for distinct values the
    # midpoint rule, whose mean over a continuous null is 0.05 up to O(1/M^2)
    at_least = (t[None, :] >= (t - tol)[:, None]).sum(axis=1)
    q = (at_least - 0.5) / t.size
    k_max = int(round(0.05 * (n_perm + 1))) - 1
    return float(np.mean(stats.binom.cdf(k_max, n_perm, q)))


def size_rows(ns=(1000, 5000, 20000), configs=None, draws=300, seed=13) -> list[dict]:
    """Size at 5% of the default selection-adjusted test, per kind and n.

    ``configs[kind]`` feature draws per cell, each with ``draws`` permutations
    (:func:`_conditional_size`); the row's ``mc_se`` is the SD of the
    conditional sizes over the draws divided by their square root.
    """
    configs = configs or {k: 40 for k in NULL_KINDS}
    params = StumpBinner()._fit_params(specials={}, weighted=False)
    rows = []
    for n in ns:
        for kind in NULL_KINDS:
            rng = np.random.default_rng([seed, n, NULL_KINDS.index(kind)])
            sizes = []
            for _ in range(configs[kind]):
                inputs = _null_inputs(kind, n, rng, params)
                sizes.append(_conditional_size(inputs, params, draws, rng))
            rows.append(
                {
                    "statistic": "selection-adjusted test, size at 5%",
                    "setting": f"null, {kind}",
                    "n": n,
                    "size": float(np.mean(sizes)),
                    "mc_se": float(np.std(sizes, ddof=1) / np.sqrt(len(sizes))),
                    "min_given_x": float(np.min(sizes)),
                    "configs": len(sizes),
                    "draws": draws,
                }
            )
            print(rows[-1], flush=True)
    return rows


def coverage_rows(
    ns=(1000, 5000, 20000), reps=120, seed=13, pop_n=400_000, record=None
):
    """Coverage of the default interval for the fresh-data IV of the fitted bins.

    For each kind with signal (:data:`COVER_KINDS`) and each ``n``: ``reps``
    samples, bins fitted on each (``StumpBinner()`` defaults), the package's
    selection-adjusted interval (the default ``ci_low``/``ci_high`` of
    ``information_table``, :func:`selection_inference` with its defaults),
    the same with ``world="shrunk"`` (the parametric bootstrap, on the same
    permutations, drawn after the default's resamples) and the conditional
    ncx2 interval, against the IV of the fitted bins on
    an independent population sample of ``pop_n`` rows (the target; its own
    sampling error is below 1% of the interval widths). ``miss_low`` /
    ``miss_high``: the share of intervals wholly below / above the target.
    ``record``: a CSV path that receives, per replication and kind, the
    measured ingredients of the interval (:func:`_record_row`), so that
    interval rules can be compared offline.
    """
    from scorecard._binning._inference import _from_parts, _selection_parts
    from scorecard._kit.intervals import ncx2_interval

    prng = np.random.default_rng([seed, 99])
    popX, popy = _draw(pop_n, prng, null=False, kinds=COVER_KINDS)
    rows = []
    for n in ns:
        rng = np.random.default_rng([seed, n, 1])
        rec: dict = {(k, m): [] for k in COVER_KINDS for m in ("adj", "old", "cond")}
        for r in range(reps):
            X, ys = _draw(n, rng, null=False, kinds=COVER_KINDS)
            for k in COVER_KINDS:
                x, y = X[k].to_numpy(), ys[k]
                b = _fit(k, x, y, n_permutations=0, random_state=r)
                fb = b.bins_[k]
                target = _fresh_iv(fb, popX[k].to_numpy(), popy[k])
                searches, params, _, _ = b._search_state_
                # selection_inference with its defaults, through its parts
                # both bootstrap worlds on the same draws: the sample's first,
                # so the default's figures equal its own run on this seed
                parts = _selection_parts(
                    searches[0],
                    params,
                    b.smoothing,
                    199,
                    [seed, n, r],
                    None,
                    True,
                    world="both",
                )
                sel = _from_parts(parts, 0.05, True)
                old = _from_parts(replace(parts, world="sample"), 0.05, True)
                if record is not None:
                    _record_row(record, k, n, r, parts, sel, old, target)
                g, bd = np.asarray(fb.goods), np.asarray(fb.bads)
                s = 1 / g.sum() + 1 / bd.sum()
                df = max(int(((g + bd) > 0).sum()) - 1, 1)
                lo, hi = ncx2_interval(sel.statistic / s, df, s)
                rec[(k, "adj")].append(
                    (sel.ci_low, sel.ci_high, sel.iv_adjusted, target)
                )
                rec[(k, "old")].append(
                    (old.ci_low, old.ci_high, old.iv_adjusted, target)
                )
                rec[(k, "cond")].append((lo, hi, sel.statistic, target))
        for (k, m), v in rec.items():
            cols = zip(*v, strict=True)
            lo, hi, est, target = (np.array(c, dtype=float) for c in cols)
            cover = (lo <= target) & (target <= hi)
            rows.append(
                {
                    "statistic": "IV of fitted bins on fresh data, " + _LABEL[m],
                    "setting": k,
                    "n": n,
                    "coverage": float(cover.mean()),
                    "mc_se": float(np.sqrt(cover.mean() * (1 - cover.mean()) / reps)),
                    "miss_low": float(np.mean(hi < target)),
                    "miss_high": float(np.mean(lo > target)),
                    "bias": float(np.mean(est - target)),
                    "target": float(target.mean()),
                    "reps": reps,
                }
            )
            print(rows[-1], flush=True)
    return rows


_LABEL = {
    "adj": "selection-adjusted, world='shrunk' (option)",
    "old": "selection-adjusted (default, world='sample')",
    "cond": "conditional",
}


def _record_row(path, kind, n, r, parts, sel, old, target) -> None:
    """Append one replication's ingredients to the CSV at ``path``."""
    import os

    sample = replace(parts, world="sample")

    def vec(a) -> str:
        return " ".join(f"{v:.17g}" for v in np.asarray(a, dtype=float))

    row = {
        "kind": kind,
        "n": n,
        "rep": r,
        "T": parts.statistic / parts.scale,
        "scale": parts.scale,
        "lam": target / parts.scale,
        "null_mean": parts.null_mean / parts.scale,
        "n_null": parts.n_null,
        "n_bins": parts.n_bins,
        "k_eff": parts.k_eff,
        "spread": parts.spread,
        "bias": parts.bias,
        "widening": parts.widening,
        "opt_mean": float(parts.optimism.mean()),
        "ci_low": sel.ci_low,
        "ci_high": sel.ci_high,
        "k_old": sample.k_eff,
        "spread_old": sample.spread,
        "widening_old": sample.widening,
        "ci_low_old": old.ci_low,
        "ci_high_old": old.ci_high,
        "pop_lambda_mean": float(parts.pop_lambda.mean()),
        "goods": vec(parts.goods),
        "bads": vec(parts.bads),
        "optimism": vec(parts.optimism),
        "on_sample": vec(parts.on_sample),
        "pop_optimism": vec(parts.pop_optimism),
        "pop_lambda": vec(parts.pop_lambda),
    }
    new = not os.path.exists(path)
    pd.DataFrame([row]).to_csv(path, mode="a", header=new, index=False)


def diagnose_rows(path: str) -> list[dict]:
    """The ``k`` diagnostic of a ``--record`` file, per kind and ``n``.

    The true mean optimism ``mean(T - lam)`` (``lam`` the fitted bins' IV on
    the population draw over ``s``) against the mean estimated ``k`` of the
    two bootstrap worlds (``k_new``: shrunk, ``k_old``: the sample's cells,
    round 6), each with its Monte Carlo SE; and the true ``Var(T - lam)``
    against the mean variance each rule's interval assumes,
    ``c (2k + 4 max(T - k, 0))``, with its SE; the coverage of the recorded
    intervals and (``cover_old_unified``) of the default's ingredients
    inverted with the unified ncx2 belt instead of the equal-tailed one.
    """
    from scorecard._binning._fresh import fresh_interval

    d = pd.read_csv(path)
    rows = []
    for (kind, n), g in d.groupby(["kind", "n"], sort=False):
        err = g["T"] - g["lam"]
        out = {"setting": kind, "n": int(n), "reps": len(g)}
        out["true_k"] = float(err.mean())
        out["true_k_se"] = float(err.std(ddof=1) / np.sqrt(len(g)))
        for name, k, c in (
            ("new", g["k_eff"], g["widening"]),
            ("old", g["k_old"], g["widening_old"]),
        ):
            out[f"k_{name}"] = float(k.mean())
            out[f"k_{name}_se"] = float(k.std(ddof=1) / np.sqrt(len(g)))
            var = c * (2 * k + 4 * np.maximum(g["T"] - k, 0.0))
            out[f"var_{name}"] = float(var.mean())
            out[f"var_{name}_se"] = float(var.std(ddof=1) / np.sqrt(len(g)))
        out["true_var"] = float(err.var(ddof=1))
        target = g["lam"] * g["scale"]
        for name, lo, hi in (
            ("new", "ci_low", "ci_high"),
            ("old", "ci_low_old", "ci_high_old"),
        ):
            out[f"cover_{name}"] = float(((g[lo] <= target) & (target <= g[hi])).mean())
        # the default interval (world='sample') with the unified ncx2 belt
        # in place of the equal-tailed one, from the recorded ingredients
        ends = np.array(
            [
                fresh_interval(t, k, c, s, 0.05, belt="unified")
                for t, k, c, s in zip(
                    g["T"], g["k_old"], g["widening_old"], g["scale"], strict=True
                )
            ]
        )
        hit = (ends[:, 0] <= target) & (target <= ends[:, 1])
        out["cover_old_unified"] = float(hit.mean())
        out["miss_low_old_unified"] = float(np.mean(ends[:, 1] < target))
        out["miss_high_old_unified"] = float(np.mean(ends[:, 0] > target))
        rows.append(out)
        print(out, flush=True)
    return rows


def split_rows(ns, reps: int, pop_n: int, seed: int = 13) -> list[dict]:
    """Coverage and SE/SD of the split interval (``inference="split"``).

    Bins searched on one half, counted on the other (``refit=False``); the
    target is the IV of those bins on a ``pop_n``-row population draw.
    """
    popX, popy = _draw(pop_n, np.random.default_rng([seed, 99]), null=False)
    kinds = ("weak", "strong", "two_bin", "missing_heavy")
    rows = []
    for n in ns:
        rng = np.random.default_rng([seed, n, 7])
        cells: dict[str, dict[str, list]] = {
            k: {"cov": [], "err": [], "se": []} for k in kinds
        }
        for r in range(reps):
            X, ys = _draw(n, rng, null=False)
            for k in kinds:
                b = _fit(
                    k,
                    X[k].to_numpy(),
                    ys[k],
                    inference="split",
                    refit=False,
                    n_permutations=0,
                    random_state=r,
                )
                t = _table(b)
                target = _fresh_iv(b.bins_[k], popX[k].to_numpy(), popy[k])
                cells[k]["cov"].append(t["ci_low"] <= target <= t["ci_high"])
                cells[k]["err"].append(t["iv_split"] - target)
                cells[k]["se"].append(t["se_split"])
        for k, d in cells.items():
            cover = float(np.mean(d["cov"]))
            rows.append(
                {
                    "statistic": "IV of the split bins on fresh data (split)",
                    "setting": k,
                    "n": n,
                    "se_over_sd": float(np.mean(d["se"]) / np.std(d["err"], ddof=1)),
                    "coverage": cover,
                    "mc_se": float(np.sqrt(cover * (1 - cover) / reps)),
                    "reps": reps,
                }
            )
    return rows


def run(
    quick: bool = False,
    part: str = "all",
    ns: tuple[int, ...] | None = None,
    reps: int | None = None,
    record: str | None = None,
) -> pd.DataFrame:
    """Size and coverage table of inference after binning.

    Parameters
    ----------
    quick : bool, default=False
        Few replicates and small samples (a smoke run).
    part : {"all", "size", "coverage", "split", "old", "diagnose"}, default="all"
        ``"size"``: :func:`size_rows` (the size of the default test given
        the feature, per kind and n); ``"coverage"``: :func:`coverage_rows`
        (the default interval for the fresh-data IV); ``"split"``:
        :func:`split_rows` (the sample-splitting interval); ``"old"``: the round-2
        Bernoulli size and split/bootstrap coverage rows; ``"diagnose"``:
        :func:`diagnose_rows` of the ``record`` file (no new draws).
    ns : tuple of int or None, default=None
        Sample sizes (default 1,000, 5,000 and 20,000; 1,000 when quick).
    reps : int or None, default=None
        Replications per coverage cell (default 120, SE of a 95% coverage
        2.0 points; 4 when quick).
    record : str or None, default=None
        CSV path for the per-replication ingredients of the coverage rows.

    Returns
    -------
    DataFrame
    """
    if part == "diagnose":
        if record is None:
            raise ValueError("--part diagnose reads the file given by --record.")
        return pd.DataFrame(diagnose_rows(record))
    ns = ns or ((1000,) if quick else (1000, 5000, 20000))
    rows: list[dict] = []
    if part in ("all", "size"):
        configs = {k: (2 if quick else 25) * m for k, m in _CONFIG_MULT.items()}
        rows += size_rows(ns, configs=configs, draws=100 if quick else 300)
    if part in ("all", "coverage"):
        rows += coverage_rows(
            ns, reps=reps or (4 if quick else 120), pop_n=400_000, record=record
        )
    if part in ("all", "split"):
        rows += split_rows(ns, reps or (4 if quick else 300), pop_n=400_000)
    if part == "old":
        rows += _size_rows(ns, 4 if quick else 80, 19 if quick else 39, seed=13)
        rows += _coverage_rows(ns, 2 if quick else 30, 99, seed=13, pop_n=400_000)
    return pd.DataFrame(rows)


#: Feature draws per size cell, relative (the continuous kinds cost most).
_CONFIG_MULT = {
    "continuous": 1,
    "two_bin": 4,
    "missing_heavy": 1,
    "ordinal": 2,
    "categorical": 2,
}


def add_arguments(parser) -> None:
    """The options of this module (shared with ``bench_inference.py``)."""
    parser.add_argument(
        "--part",
        choices=("all", "size", "coverage", "split", "old", "diagnose"),
        default="all",
        help="which rows of inference after binning",
    )
    parser.add_argument(
        "--n",
        type=int,
        action="append",
        help="sample size (repeatable; default 1000, 5000, 20000)",
    )
    parser.add_argument("--reps", type=int, help="replications per coverage cell")
    parser.add_argument(
        "--record",
        help="CSV path: per-replication ingredients of the coverage rows "
        "(written by --part coverage, read by --part diagnose)",
    )


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    add_arguments(parser)
    args = parser.parse_args()
    start = time.perf_counter()
    table = run(
        quick=args.quick,
        part=args.part,
        ns=tuple(args.n) if args.n else None,
        reps=args.reps,
        record=args.record,
    )
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
