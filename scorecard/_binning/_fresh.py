"""Interval for the fresh-data IV of same-sample bins (docs/methodology.md 18).

The ingredients measured by :func:`scorecard._binning._inference.selection_inference`
(:class:`Parts`) and the rule that turns them into an estimate and interval:
the selection-adjusted degrees of freedom ``k`` (the largest of four measured
optimisms, one of them :func:`fixed_bin_bias`), the widening factor
:func:`widening` and the inverted law :func:`fresh_interval`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .._kit.intervals import ncx2_interval

__all__ = ["WORLDS", "Parts", "fixed_bin_bias", "fresh_interval", "widening"]

FloatArray = NDArray[np.float64]


def fixed_bin_bias(
    goods: FloatArray,
    bads: FloatArray,
    smoothing: float,
    scales: tuple[float, float] | None = None,
) -> float:
    """Second-order (delta-method) bias of the plug-in IV of fixed bins, over ``s``.

    With ``p_j``, ``q_j`` the good and bad shares of bin ``j`` (smoothed as
    :func:`~scorecard._stats._divergence.information_value` does: the
    smoothing added to both cells of a bin with a zero cell), the plug-in
    ``IV = sum_j (p_j - q_j) log(p_j / q_j)`` is separable over the bins
    with ``d2/dp2 = (1 + q/p) / p`` and ``d2/dq2 = (1 + p/q) / q``, and the
    shares are multinomial given the class totals, so
    ``E[IV_hat] - IV = 1/2 sum_j (1 + q_j/p_j)(1 - p_j)/n_G
    + 1/2 sum_j (1 + p_j/q_j)(1 - q_j)/n_B + O(n^-2)``, returned divided by
    ``s = 1/n_G + 1/n_B``. It is ``J - 1`` when ``p = q`` (the mean of the
    null chi-square) and grows with the odds ratio of bins with few bads.
    ``scales``: ``(1/n_G, 1/n_B)`` (Kish's effective sizes with weights;
    default the class totals).
    """
    g = np.asarray(goods, dtype=np.float64)
    b = np.asarray(bads, dtype=np.float64)
    keep = (g + b) > 0
    g, b = g[keep], b[keep]
    zero = (g == 0) | (b == 0)
    g = g + smoothing * zero
    b = b + smoothing * zero
    if g.size < 2 or g.sum() <= 0 or b.sum() <= 0 or np.any((g == 0) | (b == 0)):
        return 0.0  # no IV to correct (a zero cell left only when smoothing=0)
    p, q = g / g.sum(), b / b.sum()
    s_goods, s_bads = scales if scales is not None else (1 / g.sum(), 1 / b.sum())
    bias = 0.5 * s_goods * float(np.sum((1 + q / p) * (1 - p)))
    bias += 0.5 * s_bads * float(np.sum((1 + p / q) * (1 - q)))
    return bias / (s_goods + s_bads)


def widening(optimism: FloatArray, statistic: float, k_eff: float) -> float:
    """Widening factor ``c >= 1`` of :func:`fresh_interval` from the bootstrap.

    ``c = max(1, Var(o) / (2k + 4 lam_hat))``: the spread of the bootstrap
    optimism ``o`` (in units of ``s``) over the variance of the fitted law
    ``c ncx2(k/c, lam/c)`` at the bias-reduced ``lam_hat = max(T - k, 0)``.
    This overstates the variance of ``T - lam`` where ``k`` is large against
    ``lam`` (the bootstrap world's signal is the sample's, inflated by ``k``:
    median ``c`` 2.99 against a measured 1.17 for a weak feature at
    n = 1,000); the ratio taken in the bootstrap world,
    ``Var(o) / (2 mean(o) + 4 mean(t_b))``, tracks the truth but under-covers
    there (87%, the bootstrap's ``k`` being too large). The shrunk world
    (:attr:`Parts.widening` with ``world="shrunk"``) takes that ratio in its
    own population, with a better ``k``, and does not cover better either
    (docs/methodology.md, section 18). At least 1: the fixed-bin law is the
    floor; 1 without a spread or a ``k``.
    """
    o = np.asarray(optimism, dtype=np.float64)
    if o.size < 2 or k_eff <= 0:
        return 1.0
    lam = max(float(statistic) - float(k_eff), 0.0)
    return max(1.0, float(o.var(ddof=1)) / (2.0 * float(k_eff) + 4.0 * lam))


def fresh_interval(
    statistic: float,
    k_eff: float,
    c: float,
    scale: float,
    alpha: float,
    belt: str = "equal_tailed",
) -> tuple[float, float]:
    """Interval for the fresh-data IV of searched bins (docs/methodology.md).

    ``statistic`` is ``T = IV / s``; ``k_eff`` the expected excess of ``T``
    over ``lam = IV_fresh / s`` (the selection-adjusted degrees of freedom);
    ``c >= 1`` the widening factor (:func:`widening`). The interval inverts
    ``c * ncx2(k_eff / c, lam / c)``, the non-central law with mean
    ``k_eff + lam`` and variance ``c (2 k_eff + 4 lam)``. ``belt`` is the
    ``method`` of :func:`~scorecard._kit.intervals.ncx2_interval`: the
    equal-tailed one here (the unified belt was measured offline and not
    adopted, docs/calibration.md).
    """
    c = max(float(c), 1.0) if k_eff > 0 else 1.0
    ci = ncx2_interval(
        statistic / c, max(k_eff / c, 1e-9), scale * c, alpha, method=belt
    )
    return float(ci[0]), float(ci[1])


#: Bootstrap worlds of the optimism (docs/methodology.md, section 18):
#: ``"sample"`` resamples the sample's cells (the default), ``"shrunk"``
#: draws from :func:`scorecard._binning._population.shrunk_rates` (an
#: option: its ``k`` is closer to the truth, its coverage not better).
WORLDS = ("sample", "shrunk")


@dataclass(frozen=True)
class Parts:
    """The measured ingredients of one feature's selection-adjusted figures.

    Filled by :func:`scorecard._binning._inference.selection_inference`
    (the benchmark records them to compare interval rules offline). Units:
    the IVs over the null scale ``scale`` (``statistic`` excepted).
    ``optimism`` / ``on_sample``: the bootstrap of the sample's cells (bins
    searched on a resample, counted on it and on the sample);
    ``pop_optimism`` / ``pop_lambda``: the parametric bootstrap from the
    shrunk population (bins searched on a draw, counted on it and on the
    population's expected counts). ``world`` says which rule ``k_eff`` and
    ``widening`` follow.
    """

    statistic: float
    pvalue: float
    null_mean: float
    n_null: int
    stopping: str
    scale: float
    goods: FloatArray
    bads: FloatArray
    optimism: FloatArray
    on_sample: FloatArray
    bias: float
    pop_optimism: FloatArray = field(default_factory=lambda: np.zeros(0))
    pop_lambda: FloatArray = field(default_factory=lambda: np.zeros(0))
    world: str = "sample"

    @property
    def n_bins(self) -> int:
        return int(((self.goods + self.bads) > 0).sum())

    @property
    def k_eff(self) -> float:
        """Selection-adjusted degrees of freedom (docs/methodology.md).

        ``"shrunk"``: the mean optimism in the shrunk population;
        ``"sample"``: the largest of four measured optimisms.
        """
        if self.world == "shrunk" and self.pop_optimism.size:
            return max(float(self.pop_optimism.mean()), 0.0)
        return max(
            float(self.optimism.mean()) if self.optimism.size else 0.0,
            self.null_mean / self.scale if self.n_null else 0.0,
            self.n_bins - 1.0,
            self.bias,
        )

    @property
    def spread(self) -> float:
        o = self.pop_optimism if self.world == "shrunk" else self.optimism
        return float(o.var(ddof=1)) if o.size > 1 else 0.0

    @property
    def widening(self) -> float:
        if self.world == "shrunk" and self.pop_optimism.size > 1:
            o = self.pop_optimism
            var = 2.0 * max(float(o.mean()), 0.0) + 4.0 * float(self.pop_lambda.mean())
            return max(1.0, float(o.var(ddof=1)) / var) if var > 0 else 1.0
        return widening(self.optimism, self.statistic / self.scale, self.k_eff)
