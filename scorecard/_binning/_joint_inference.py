"""Selection-adjusted test of ``StumpBinner(strategy="joint")``.

The joint fit (one XGBoost model over all features on the raw rows, then
each feature's thresholds counted) chooses every feature's bins from the
labels of all rows, so the chi-square test of a feature's IV given its bins
is anti-conservative, as for the per-feature search. The test here re-runs
the *whole* joint fit (pre-bins, category ordering, the joint model, the
counts) on permuted labels (with weights: the (label, weight) pairs of the
rows permuted together) and compares each feature's IV with its permutation
law, with the two stated early stops of
:mod:`scorecard._binning._inference` (Besag-Clifford and the Cantelli tail
bound), shared by all features: one permuted joint fit gives every
feature's permuted IV. See docs/methodology.md section 18, "The joint
strategy".

What it tests: the *global* null, "the labels are independent of all the
features" (under it the labels are exchangeable, so the p-value is exact).
When other features are informative, a feature's p-value compares its IV
with the IVs it gets when no feature is informative; its size under such a
partial null is measured, not guaranteed (docs/methodology.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ._inference import (
    BATCH,
    STOP_ERROR,
    STOP_EXCEEDANCES,
    SelectionInference,
    _iv,
    _tail_bound,
)
from ._stumps import fit_joint

__all__ = ["JointData", "joint_selection"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class JointData:
    """What re-running a joint fit needs: the raw columns, labels, weights.

    The columns are references to the fitted data (as the rows kept by a
    weighted per-feature fit), so a pickled joint binner holds them.
    """

    cols: list[Any]
    y: FloatArray
    w: FloatArray
    n_jobs: int


def _feature_ivs(fits: list[tuple[Any, bool]], smoothing: float) -> FloatArray:
    """IV of every feature's bins of one joint fit, through the spine."""
    width = max(fb.n_bins for fb, _ in fits)
    goods = np.zeros((len(fits), width))
    bads = np.zeros((len(fits), width))
    for j, (fb, _) in enumerate(fits):
        goods[j, : fb.n_bins] = fb.goods
        bads[j, : fb.n_bins] = fb.bads
    return np.array([_iv(goods[j], bads[j], smoothing)[0] for j in range(len(fits))])


def joint_selection(
    data: JointData,
    params: dict[str, Any],
    smoothing: float,
    observed: dict[str, Any],
    *,
    n_resamples: int,
    random_state: Any = None,
) -> dict[str, SelectionInference]:
    """Permutation p-values of the joint fit's features (global null).

    Parameters
    ----------
    data : JointData
        The fitted rows.
    params : dict
        The binner's fit settings.
    smoothing : float
        Smoothing of the IV.
    observed : dict of str to FeatureBins
        The fitted bins of every feature to test (features whose bins were
        fixed by the user are left out by the caller).
    n_resamples : int
        Permutations at most (each one joint fit).
    random_state : seed, Generator or None
        Seed of the permutations.

    Returns
    -------
    dict of str to SelectionInference
        ``pvalue``, ``null_mean``, ``n_resamples`` and ``stopping`` per
        feature; ``iv_adjusted`` and the interval are NaN (no bootstrap of
        the joint fit).
    """
    rng = np.random.default_rng(random_state)
    names = [c.name for c in data.cols]
    index = [names.index(n) for n in observed]
    t0 = _feature_ivs([(fb, False) for fb in observed.values()], smoothing)
    tol = 1e-9 * np.maximum(np.abs(t0), 1e-12)
    n_feat = t0.size
    exceed = np.zeros(n_feat, dtype=np.int64)
    pvalue = np.full(n_feat, np.nan)
    used = np.zeros(n_feat, dtype=np.int64)
    rule = ["full"] * n_feat
    active = np.ones(n_feat, dtype=bool)
    null: list[FloatArray] = []
    for b in range(n_resamples):
        perm = rng.permutation(data.y.size)
        fits = fit_joint(data.cols, data.y[perm], data.w[perm], params, data.n_jobs)
        ivs = _feature_ivs(fits, smoothing)[index]
        null.append(ivs)
        exceed += active & (ivs >= t0 - tol)
        used[active] = b + 1
        done = active & (exceed >= STOP_EXCEEDANCES)
        pvalue[done] = STOP_EXCEEDANCES / (b + 1)
        for j in np.flatnonzero(done):
            rule[j] = "besag-clifford"
        active &= ~done
        remaining = n_resamples - (b + 1)
        if (b + 1) % BATCH == 0 and remaining > 0:
            drawn = np.array(null)
            for j in np.flatnonzero(active & (exceed == 0)):
                if _tail_bound(drawn[:, j], t0[j], remaining) <= STOP_ERROR:
                    pvalue[j] = 1.0 / (n_resamples + 1.0)
                    rule[j] = "tail-bound"
                    active[j] = False
        if not active.any():
            break
    pvalue[active] = (1.0 + exceed[active]) / (n_resamples + 1.0)
    drawn = np.array(null) if null else np.zeros((0, n_feat))
    nan = float("nan")
    return {
        name: SelectionInference(
            statistic=float(t0[j]),
            pvalue=float(pvalue[j]),
            null_mean=float(drawn[: used[j], j].mean()) if used[j] else nan,
            iv_adjusted=nan,
            ci_low=nan,
            ci_high=nan,
            n_resamples=int(used[j]),
            stopping=rule[j],
        )
        for j, name in enumerate(observed)
    }
