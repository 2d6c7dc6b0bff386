"""Bad rate per score band, reference vs current (two-proportion tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from scorecard._kit.intervals import two_sided_pvalue, wald_interval, z_critical

from ._checks import FloatArray, class_counts, row_names

__all__ = ["BadRateDrift", "bad_rate_by_band"]


@dataclass(frozen=True, eq=False, repr=False)
class BadRateDrift:
    """Bad rate per score band, reference vs current.

    Attributes
    ----------
    bands : tuple of str
        Band labels.
    reference, current : ndarray of shape (n_bands, 2)
        Good and bad counts per band.
    estimate : ndarray
        Current minus reference bad rate per band.
    se : ndarray
        ``sqrt(r_ref (1 - r_ref)/n_ref + r_cur (1 - r_cur)/n_cur)``.
    statistic, pvalue : ndarray
        Wald z and two-sided p-value of equal bad rates (pooled SE).
    method : str
        ``"two-proportion z (pooled); CI: Wilson and Wald difference"``.
    """

    bands: tuple[str, ...]
    reference: FloatArray
    current: FloatArray
    estimate: FloatArray
    se: FloatArray
    statistic: FloatArray
    pvalue: FloatArray
    method: str

    @property
    def n(self) -> FloatArray:
        """Rows per band, both samples."""
        return self.reference.sum(axis=1) + self.current.sum(axis=1)

    def ci(self, alpha: float = 0.05) -> FloatArray:
        """Wald interval of the bad-rate difference per band."""
        return wald_interval(self.estimate, self.se, alpha)

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """One row per band: counts, bad rates (Wilson CI), difference, test."""
        out = {}
        z = z_critical(alpha)
        for name, counts in (("reference", self.reference), ("current", self.current)):
            n = counts.sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = counts[:, 1] / n
                centre = (rate + z**2 / (2 * n)) / (1 + z**2 / n)
                half = (
                    z
                    * np.sqrt(rate * (1 - rate) / n + z**2 / (4 * n**2))
                    / (1 + z**2 / n)
                )
            out[f"n_{name}"] = n
            out[f"bad_rate_{name}"] = rate
            out[f"bad_rate_{name}_low"] = centre - half
            out[f"bad_rate_{name}_high"] = centre + half
        ci = self.ci(alpha)
        out.update(
            difference=self.estimate,
            se=self.se,
            ci_low=ci[:, 0],
            ci_high=ci[:, 1],
            statistic=self.statistic,
            pvalue=self.pvalue,
        )
        return pd.DataFrame(out, index=pd.Index(self.bands, name="band"))

    def __repr__(self) -> str:
        return f"BadRateDrift(method='{self.method}')\n{self.to_frame().to_string()}"


def bad_rate_by_band(
    reference: ArrayLike,
    current: ArrayLike,
    *,
    bands: Sequence[str] | None = None,
) -> BadRateDrift:
    """Compare the bad rate per score band between reference and current.

    Parameters
    ----------
    reference, current : array-like of shape (n_bands, 2)
        Good and bad counts per score band.
    bands : sequence of str, default=None
        Band labels (``"0", "1", ...`` when omitted).

    Returns
    -------
    BadRateDrift
        Bands with no rows in a sample get NaN rates and tests.

    Raises
    ------
    ValueError
        For invalid counts, shapes that differ or a wrong number of labels.

    Examples
    --------
    >>> res = bad_rate_by_band([[90, 10], [80, 20]], [[85, 15], [80, 20]])
    >>> res.estimate.round(3)
    array([0.05, 0.  ])
    """
    ref = class_counts(reference, "reference")
    cur = class_counts(current, "current")
    if ref.shape != cur.shape or ref.shape[0] != 1:
        raise ValueError(
            "reference and current must both have shape (n_bands, 2); got "
            f"{np.shape(reference)} and {np.shape(current)}."
        )
    ref, cur = ref[0], cur[0]
    labels = row_names(bands, ref.shape[0], [str(i) for i in range(ref.shape[0])])
    n_r, n_c = ref.sum(axis=1), cur.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_r, r_c = ref[:, 1] / n_r, cur[:, 1] / n_c
        diff = r_c - r_r
        se = np.sqrt(r_r * (1 - r_r) / n_r + r_c * (1 - r_c) / n_c)
        pooled = (ref[:, 1] + cur[:, 1]) / (n_r + n_c)
        se0 = np.sqrt(pooled * (1 - pooled) * (1 / n_r + 1 / n_c))
        z = np.where(se0 > 0, diff / se0, np.nan)
    return BadRateDrift(
        bands=labels,
        reference=ref,
        current=cur,
        estimate=diff,
        se=se,
        statistic=z,
        pvalue=two_sided_pvalue(z),
        method="two-proportion z (pooled); CI: Wilson and Wald difference",
    )
