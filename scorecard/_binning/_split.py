"""Sample-split information table: a standalone helper over ``StumpBinner``."""

from __future__ import annotations

from typing import Any

from sklearn.base import clone

from ._binner import StumpBinner

__all__ = ["split_information"]


def split_information(
    X: Any,
    y: Any,
    sample_weight: Any = None,
    *,
    binner: Any = None,
    method: str = "split",
    refit: bool = True,
    alpha: float = 0.05,
) -> Any:
    """Information table with bins chosen on one half and counted on the other.

    A standalone form of ``StumpBinner(inference="split" | "crossfit")``.

    Parameters
    ----------
    X, y, sample_weight
        As for :meth:`StumpBinner.fit`.
    binner : StumpBinner or None, default=None
        Unfitted binner whose settings are used (cloned); ``StumpBinner()``
        when None.
    method : {"split", "crossfit"}, default="split"
        Sample splitting (one way) or cross-fitting (both ways, averaged).
    refit : bool, default=True
        Refit the final bins on all rows (the split figures then describe the
        bins chosen on the selection half); ``False`` keeps those bins.
    alpha : float, default=0.05
        One minus the coverage of the intervals.

    Returns
    -------
    DataFrame
        :meth:`StumpBinner.information_table` of the split fit;
        ``attrs["inference"]`` says what every column is.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(2000, 1))
    >>> y = (rng.random(2000) < 1 / (1 + np.exp(2 - x[:, 0]))).astype(int)
    >>> table = split_information(x, y, binner=StumpBinner(min_bin_size=0.1))
    >>> bool(table.loc["x0", "pvalue"] < 0.001)
    True
    """
    template = StumpBinner() if binner is None else binner
    fitted = clone(template).set_params(inference=method, refit=refit)
    fitted.fit(X, y, sample_weight=sample_weight)
    return fitted.information_table(alpha=alpha)
