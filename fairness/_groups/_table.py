"""The per-group table of :func:`assess`: rates, AUC and AIR with small-group rules.

Approval and bad rates, mean score, the within-group AUC (scorecard's
:func:`scorecard.delong_auc`, logit interval by default) and the adverse
impact ratio against the one reference group with the score interval and
exact test of :mod:`fairness._groups._air`. A group under ``min_group_size``
rows is reported but never flagged; the reference group is never flagged
against itself (docs/methodology.md "Group fairness in small groups").
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scorecard import DataConditionWarning, count_codes, delong_auc

from ._air import AirTest, effective_counts, exact_pvalue, ratio_score_interval
from ._protected import _Groups

FloatArray = NDArray[np.float64]

#: Below this many bads (or goods) in a group, its AUC interval is flagged as
#: approximate (the logit interval covers about 90-95% there, see the tests).
MIN_AUC_EVENTS = 5


@dataclass(frozen=True)
class _TableOptions:
    alpha: float
    min_group_size: int
    air_test: AirTest
    auc_interval: str
    weight_kind: str
    weighted: bool


def _group_stats(
    y: NDArray[np.int64],
    s: FloatArray,
    approved: FloatArray,
    g: NDArray[np.int64],
    k: int,
    w: FloatArray,
    kind: str,
) -> dict[str, FloatArray]:
    """Rows, weights, rates and effective approval counts of each group."""
    # goods and bads of each group from the one count kernel
    good_bad = count_codes(g, y, n_bins=k, n_classes=2, sample_weight=w)[0]
    rows = np.bincount(g, minlength=k).astype(np.float64)
    weight = good_bad.sum(axis=1)
    mean = np.bincount(g, weights=w * s, minlength=k) / weight
    ss = np.bincount(g, weights=w * (s - mean[g]) ** 2, minlength=k)
    eff = np.array(
        [effective_counts(approved[g == i], w[g == i], kind) for i in range(k)]
    )
    return {
        "rows": rows,
        "weight": weight,
        "bad": good_bad[:, 1],
        "bad_rows": np.bincount(g[y == 1], minlength=k).astype(np.float64),
        "rate": eff[:, 0],
        "rate_var": eff[:, 1],
        "x_eff": eff[:, 2],
        "n_eff": eff[:, 3],
        "mean": mean,
        "sd": np.sqrt(
            np.where(rows > 1, ss / weight * rows / np.maximum(rows - 1, 1), np.nan)
        ),
    }


def _group_aucs(
    y: NDArray[np.int64],
    s: FloatArray,
    groups: _Groups,
    w: FloatArray,
    opts: _TableOptions,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    names, g = groups.names, groups.labels
    k = len(names)
    auc, auc_se, ci = np.full(k, np.nan), np.full(k, np.nan), np.full((k, 2), np.nan)
    few = []
    for i in range(k):
        rows = g == i
        n_good, n_bad = int((rows & (y == 0)).sum()), int((rows & (y == 1)).sum())
        if n_good < 2 or n_bad < 2:
            warnings.warn(
                f"Group {names[i]!r} has {n_good} goods and {n_bad} bads; "
                "its AUC needs at least 2 of each and is NaN.",
                DataConditionWarning,
                stacklevel=4,
            )
            continue
        if min(n_good, n_bad) < MIN_AUC_EVENTS:
            few.append(f"{names[i]} ({n_bad} bads, {n_good} goods)")
        res = delong_auc(
            y[rows],
            s[rows],
            higher="good",
            sample_weight=w[rows] if opts.weighted else None,
            weight_kind=opts.weight_kind if opts.weighted else None,  # type: ignore[arg-type]
            interval=opts.auc_interval,  # type: ignore[arg-type]
        )
        auc[i], auc_se[i], ci[i] = res.estimate, res.se, res.ci(opts.alpha)
    if few:
        warnings.warn(
            f"Groups with fewer than {MIN_AUC_EVENTS} bads or goods: "
            f"{', '.join(few)}; their AUC intervals are approximate.",
            DataConditionWarning,
            stacklevel=4,
        )
    return auc, auc_se, ci


def _air_columns(
    st: dict[str, FloatArray], ref: int, opts: _TableOptions
) -> dict[str, FloatArray]:
    """AIR, delta-method log SE, score interval and exact p-value per group."""
    rate, x, n = st["rate"], st["x_eff"], st["n_eff"]
    k = rate.size
    with np.errstate(divide="ignore", invalid="ignore"):
        air = rate / rate[ref] if rate[ref] > 0 else np.full(k, np.nan)
        rel_var = st["rate_var"] / rate**2
        log_se = np.sqrt(rel_var + rel_var[ref])
    log_se = np.where(np.isfinite(log_se), log_se, np.nan)
    ci = np.array(
        [ratio_score_interval(x[i], n[i], x[ref], n[ref], opts.alpha) for i in range(k)]
    )
    pvalue = np.array(
        [exact_pvalue(x[i], n[i], x[ref], n[ref], opts.air_test) for i in range(k)]
    )
    log_se[ref], pvalue[ref] = 0.0, 1.0
    ci[ref] = 1.0
    return {
        "air": air,
        "log_se": log_se,
        "low": ci[:, 0],
        "high": ci[:, 1],
        "p": pvalue,
    }


def _group_table(
    y: NDArray[np.int64],
    s: FloatArray,
    groups: _Groups,
    st: dict[str, FloatArray],
    ref: int,
    w: FloatArray,
    opts: _TableOptions,
) -> pd.DataFrame:
    auc, auc_se, auc_ci = _group_aucs(y, s, groups, w, opts)
    air = _air_columns(st, ref, opts)
    small = st["rows"] < opts.min_group_size
    is_ref = np.arange(len(groups.names)) == ref
    with np.errstate(invalid="ignore"):
        below = air["air"] < 0.8
    return pd.DataFrame(
        {
            "n": st["rows"].astype(np.int64),
            "share": st["weight"] / st["weight"].sum(),
            "n_bad": st["bad_rows"].astype(np.int64),
            "bad_rate": st["bad"] / st["weight"],
            "approval_rate": st["rate"],
            "approval_se": np.sqrt(st["rate_var"]),
            "n_effective": st["n_eff"],
            "mean_score": st["mean"],
            "sd_score": st["sd"],
            "auc": auc,
            "auc_se": auc_se,
            "auc_ci_low": auc_ci[:, 0],
            "auc_ci_high": auc_ci[:, 1],
            "air": air["air"],
            "air_log_se": air["log_se"],
            "air_ci_low": air["low"],
            "air_ci_high": air["high"],
            "air_pvalue": air["p"],
            "reference": is_ref,
            "small_group": small,
            "four_fifths": below & ~small & ~is_ref,
        },
        index=pd.Index(groups.names, name="group"),
    )
