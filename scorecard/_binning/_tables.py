"""Per-bin and per-feature tables of a fitted binning: WoE, IV, SEs and CIs.

Every figure comes from the spine (:func:`scorecard.woe`,
:func:`scorecard.information_value`, :meth:`FeatureBins.woe`): no table
computes a share, a smoothing or an IV term of its own.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._stats._divergence import Divergence, information_value
from .._stats._woe import woe
from ._bins import FeatureBins

__all__ = ["binning_table", "information_table"]


def _iv(fb: FeatureBins, smoothing: float) -> Divergence | None:
    g, b = np.asarray(fb.goods), np.asarray(fb.bads)
    if np.sum((g + b) > 0) < 2 or g.sum() <= 0 or b.sum() <= 0:
        return None
    return information_value(
        g[None, :], b[None, :], smoothing=smoothing, features=[fb.name]
    )


def binning_table(
    fb: FeatureBins, smoothing: float, *, alpha: float = 0.05
) -> pd.DataFrame:
    """Per-bin table of one feature with a totals row (see ``StumpBinner``)."""
    g, b = np.asarray(fb.goods), np.asarray(fb.bads)
    count = g + b
    n = count.sum()
    present = count > 0
    se = np.full(fb.n_bins, np.nan)
    ci = np.full((fb.n_bins, 2), np.nan)
    pval = np.full(fb.n_bins, np.nan)
    contrib = np.zeros(fb.n_bins)
    iv_res = _iv(fb, smoothing)
    if iv_res is not None:
        w_res = woe(g, b, smoothing=smoothing)
        se = np.where(present, w_res.se, np.nan)
        ci = np.where(present[:, None], w_res.ci(alpha), np.nan)
        pval = np.where(present, w_res.pvalue, np.nan)
        contrib = iv_res.contributions[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(present, b / count, np.nan)
    table = pd.DataFrame(
        {
            "bin": fb.labels(),
            "count": count,
            "share": count / n,
            "goods": g,
            "bads": b,
            "event_rate": rate,
            "woe": fb.woe(smoothing),
            "se": se,
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "pvalue": pval,
            "iv": contrib,
        }
    )
    if iv_res is not None:
        iv_ci = iv_res.ci(alpha)[0]
        total = [
            float(np.atleast_1d(iv_res.estimate)[0]),
            float(np.atleast_1d(iv_res.se)[0]),
            *iv_ci,
        ]
        total_p = float(np.atleast_1d(iv_res.pvalue)[0])
    else:
        total, total_p = [0.0, 0.0, 0.0, 0.0], 1.0
    table.loc[len(table)] = {
        "bin": "Totals",
        "count": n,
        "share": 1.0,
        "goods": g.sum(),
        "bads": b.sum(),
        "event_rate": b.sum() / n,
        "woe": np.nan,
        "se": total[1],
        "ci_low": total[2],
        "ci_high": total[3],
        "pvalue": total_p,
        "iv": total[0],
    }
    table.attrs["feature"] = fb.name
    return table


def information_table(
    bins: Mapping[str, FeatureBins], smoothing: float, *, alpha: float = 0.05
) -> pd.DataFrame:
    """One row per feature: IV, SE, CI, p-value and bins, sorted by IV."""
    rows = []
    for name, fb in bins.items():
        res = _iv(fb, smoothing)
        n_bins = int(np.sum((np.asarray(fb.goods) + np.asarray(fb.bads)) > 0))
        if res is None:
            rows.append((name, 0.0, 0.0, 0.0, 0.0, 1.0, n_bins, fb.kind))
            continue
        low, high = res.ci(alpha)[0]
        rows.append(
            (
                name,
                float(np.atleast_1d(res.estimate)[0]),
                float(np.atleast_1d(res.se)[0]),
                float(low),
                float(high),
                float(np.atleast_1d(res.pvalue)[0]),
                n_bins,
                fb.kind,
            )
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "feature",
            "iv",
            "se",
            "ci_low",
            "ci_high",
            "pvalue",
            "n_bins",
            "kind",
        ],
    ).set_index("feature")
    return out.sort_values("iv", ascending=False, kind="stable")
