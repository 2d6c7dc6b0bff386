"""Per-bin and per-feature tables of a fitted binning: WoE, IV, SEs and CIs.

Every figure comes from the spine (:func:`scorecard.woe`,
:func:`scorecard.information_value`, :meth:`FeatureBins.woe`): no table
computes a share, a smoothing or an IV term of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._kit.intervals import wald_interval
from .._stats._divergence import Divergence, information_value
from .._stats._woe import woe
from ._bins import FeatureBins

__all__ = ["bin_squares", "binning_table", "inference_table", "information_table"]

#: Per-bin sums of squared sampling weights ``(goods_sq, bads_sq)``, or None.
Squares = tuple[Any, Any] | None


def _sampling(squares: Squares) -> dict[str, Any]:
    """The spine's arguments for linearised variances (none: frequency form)."""
    if squares is None:
        return {}
    return {
        "weight_kind": "sampling",
        "goods_sq": np.asarray(squares[0])[None, :],
        "bads_sq": np.asarray(squares[1])[None, :],
    }


def bin_squares(
    fb: FeatureBins, values: Any, y: Any, w: Any
) -> tuple[FeatureBins, Any, Any]:
    """``(fb, goods_sq, bads_sq)``: per-bin sums of squared weights of ``fb``.

    What the linearised (sampling-weight) variances of the tables need
    (docs/methodology.md section 14); kept with the bins they belong to, so
    bins changed later (edits) fall back to the counts alone.
    """
    codes = fb.assign(values)
    n = fb.n_bins
    w2 = np.asarray(w, dtype=np.float64) ** 2
    bads = np.bincount(codes, weights=w2 * y, minlength=n).astype(np.float64)
    rows = np.bincount(codes, weights=w2, minlength=n).astype(np.float64)
    return fb, np.maximum(rows - bads, 0.0), bads


def _iv(
    fb: FeatureBins, smoothing: float, squares: Squares = None
) -> Divergence | None:
    g, b = np.asarray(fb.goods), np.asarray(fb.bads)
    if np.sum((g + b) > 0) < 2 or g.sum() <= 0 or b.sum() <= 0:
        return None
    return information_value(
        g[None, :],
        b[None, :],
        smoothing=smoothing,
        features=[fb.name],
        **_sampling(squares),
    )


def binning_table(
    fb: FeatureBins,
    smoothing: float,
    *,
    alpha: float = 0.05,
    squares: Squares = None,
) -> pd.DataFrame:
    """Per-bin table of one feature with a totals row (see ``StumpBinner``).

    ``squares``: the per-bin sums of squared sampling weights; the SEs,
    intervals and tests are then linearised (docs/methodology.md section 14).
    """
    g, b = np.asarray(fb.goods), np.asarray(fb.bads)
    count = g + b
    n = count.sum()
    present = count > 0
    se = np.full(fb.n_bins, np.nan)
    ci = np.full((fb.n_bins, 2), np.nan)
    pval = np.full(fb.n_bins, np.nan)
    contrib = np.zeros(fb.n_bins)
    iv_res = _iv(fb, smoothing, squares)
    if iv_res is not None:
        if squares is None:
            w_res = woe(g, b, smoothing=smoothing)
        else:
            w_res = woe(
                g,
                b,
                smoothing=smoothing,
                weight_kind="sampling",
                goods_sq=squares[0],
                bads_sq=squares[1],
            )
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
    bins: Mapping[str, FeatureBins],
    smoothing: float,
    *,
    alpha: float = 0.05,
    squares: Mapping[str, Squares] | None = None,
) -> pd.DataFrame:
    """One row per feature: IV, SE, CI, p-value and bins, sorted by IV.

    Features in ``squares`` (sampling weights) get linearised variances.
    """
    rows = []
    for name, fb in bins.items():
        res = _iv(fb, smoothing, (squares or {}).get(name))
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


_CONDITIONAL = {
    "iv": "plug-in IV of the final bins, counted on all training rows",
    "se": "delta-method SE (null-corrected), conditional on the bins (ignores "
    "that the bins were chosen on these rows)",
    "ci_low_conditional": "non-central chi-square interval (unified belt) "
    "conditional on the bins",
    "ci_high_conditional": "non-central chi-square interval (unified belt) "
    "conditional on the bins",
    "pvalue_conditional": "chi-square test of no information conditional on "
    "the bins (anti-conservative when the bins were fitted on the same rows)",
    "n_bins": "non-empty final bins",
    "kind": "numeric or categorical",
}


_FIXED_NOTE = (
    " NaN for features whose bins were fixed by user_splits or edited (no "
    "search to re-run): their conditional columns apply when the bins were "
    "chosen without these labels."
)


def _split_figures(
    bins: Mapping[str, FeatureBins],
    smoothing: float,
    alpha: float,
    squares: Mapping[str, Squares] | None = None,
) -> dict[str, tuple[float, float, float, float, float]]:
    """(iv, se, ci_low, ci_high, pvalue) of bins counted on held-out rows."""
    out = {}
    for name, fb in bins.items():
        res = _iv(fb, smoothing, (squares or {}).get(name))
        if res is None:
            out[name] = (0.0, 0.0, 0.0, 0.0, 1.0)
            continue
        low, high = res.ci(alpha)[0]
        out[name] = (
            float(np.atleast_1d(res.estimate)[0]),
            float(np.atleast_1d(res.se)[0]),
            float(low),
            float(high),
            float(np.atleast_1d(res.pvalue)[0]),
        )
    return out


def _selection_notes(n_permutations: int, why: str) -> dict[str, str]:
    """Labels of the selection-adjusted columns (docs/methodology.md section 18)."""
    interval = (
        "interval for the IV of the fitted bins on fresh data: the non-central "
        f"chi-square law inverted with the selection-adjusted degrees of freedom.{why}"
    )
    return {
        "iv_adjusted": "selection-adjusted IV of the fitted bins on fresh data: "
        "IV - s k, k the selection-adjusted degrees of freedom (the largest of "
        "the permutation-null mean, the bootstrap optimism of the search and "
        f"J - 1; docs/methodology.md section 18).{why}",
        "ci_low": interval,
        "ci_high": interval,
        "pvalue": "selection-adjusted permutation test of no information: the "
        f"whole binning search re-run on up to {n_permutations} permutations of "
        "the labels (early stop by the Besag-Clifford rule or a tail bound, "
        f"docs/methodology.md section 18).{why}",
    }


_JOINT_NOTES = {
    "pvalue": "selection-adjusted permutation test for strategy='joint': the "
    "whole joint fit re-run on up to {b} permutations of the labels (early "
    "stop by the Besag-Clifford rule or a tail bound), exact under the global "
    "null that no feature is informative; its size when other features are "
    "informative is measured in docs/methodology.md section 18.{why}",
    "iv_adjusted": "NaN for strategy='joint': no bootstrap of the joint fit; "
    "use inference='split' for an interval of the fitted bins' IV.{why}",
}


def inference_table(
    base: pd.DataFrame,
    *,
    inference: str,
    joint: bool = False,
    selection: Mapping[str, object] | None,
    split_bins: list[Mapping[str, FeatureBins]],
    smoothing: float,
    alpha: float,
    refit: bool,
    n_permutations: int,
    unavailable: str | None,
    split_squares: Sequence[Mapping[str, Squares]] | None = None,
) -> pd.DataFrame:
    """The information table with its inference columns (see ``StumpBinner``).

    ``base`` is :func:`information_table`'s output; its interval and p-value
    become the ``*_conditional`` columns and the honest ones take their
    names. ``table.attrs["inference"]`` describes every column.
    """
    out = base.rename(
        columns={
            "ci_low": "ci_low_conditional",
            "ci_high": "ci_high_conditional",
            "pvalue": "pvalue_conditional",
        }
    )
    notes = dict(_CONDITIONAL)
    names = list(out.index)
    if inference == "same_sample":
        cols: dict[str, list[float]] = {
            "iv_adjusted": [],
            "ci_low": [],
            "ci_high": [],
            "pvalue": [],
        }
        for name in names:
            res = None if selection is None else selection.get(name)
            for key in cols:
                cols[key].append(np.nan if res is None else getattr(res, key))
        why = f" Not computed: {unavailable}" if unavailable else ""
        if selection is not None and any(n not in selection for n in names):
            why += _FIXED_NOTE
        notes.update(_selection_notes(n_permutations, why))
        if joint:
            extra = {
                k: v.format(b=n_permutations, why=why) for k, v in _JOINT_NOTES.items()
            }
            no_ci = extra["iv_adjusted"]
            notes.update(extra, ci_low=no_ci, ci_high=no_ci)
        prefix = "iv_adjusted"
    else:
        # features whose bins were edited after the fit have no split figures
        nan5 = (np.nan,) * 5
        figures = [
            {n: f.get(n, nan5) for n in names}
            for f in (
                _split_figures(b, smoothing, alpha, sq)
                for b, sq in zip(
                    split_bins,
                    split_squares or [{} for _ in split_bins],
                    strict=True,
                )
            )
        ]
        which = (
            "the bins chosen on the selection half (the final bins were refitted "
            "on all rows)"
            if refit
            else "the final bins (chosen on the selection half)"
        )
        if inference == "split":
            f = figures[0]
            cols = {
                "iv_split": [f[n][0] for n in names],
                "se_split": [f[n][1] for n in names],
                "ci_low": [f[n][2] for n in names],
                "ci_high": [f[n][3] for n in names],
                "pvalue": [f[n][4] for n in names],
            }
            what = f"counted on the estimation half, for {which}"
            prefix = "iv_split"
        else:
            est = np.array([[f[n][0] for n in names] for f in figures]).mean(axis=0)
            se = (
                np.sqrt(
                    np.array([[f[n][1] ** 2 for n in names] for f in figures]).sum(
                        axis=0
                    )
                )
                / 2
            )
            ci = wald_interval(est, se, alpha, lower=0.0)
            pmin = np.array([[f[n][4] for n in names] for f in figures]).min(axis=0)
            cols = {
                "iv_crossfit": list(est),
                "se_crossfit": list(se),
                "ci_low": list(ci[:, 0]),
                "ci_high": list(ci[:, 1]),
                "pvalue": list(np.minimum(1.0, 2 * pmin)),
            }
            what = (
                "averaged over the two halves, each half's bins counted on the "
                "other half (cross-fit); the final bins were refitted on all rows"
            )
            prefix = "iv_crossfit"
        for key in cols:
            notes[key] = f"{key}: {what}"
        notes["pvalue"] = f"test of no information {what}" + (
            "; Bonferroni over the two halves" if inference == "crossfit" else ""
        )
    for key, values in cols.items():
        out[key] = values
    order = ["iv", "se", prefix, *[c for c in cols if c != prefix]]
    order += [c for c in out.columns if c not in order]
    out = out[order]
    out.attrs["inference"] = {c: notes[c] for c in out.columns if c in notes}
    out.attrs["method"] = inference
    return out
