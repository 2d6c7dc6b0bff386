"""The count kernel on Dask collections: partition counts, summed in a tree."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._kit.dask import as_series, is_dask_collection, map_reduce, require_dask
from ._counts import count_codes as _count_codes_np

__all__ = ["count_codes"]

FloatArray = NDArray[np.float64]


def _count_part(
    codes: Any,
    labels: Any,
    weight: Any,
    *,
    n_bins: int,
    n_classes: int,
) -> FloatArray:
    c = np.asarray(codes)
    lab = np.asarray(labels).ravel()
    if lab.size != c.shape[0]:
        raise ValueError(
            f"labels have {lab.size} rows in a partition where codes have "
            f"{c.shape[0]}; partition them alike."
        )
    return _count_codes_np(
        c,
        lab,
        n_bins=n_bins,
        n_classes=n_classes,
        sample_weight=None if weight is None else np.asarray(weight),
    )


def count_codes(
    codes: Any,
    labels: Any,
    *,
    n_bins: int,
    n_classes: int,
    sample_weight: Any = None,
) -> FloatArray:
    """:func:`scorecard._stats._counts.count_codes` on Dask collections, summed.

    Parameters
    ----------
    codes : Dask Array (1-D or 2-D), Dask DataFrame or Series of int
        Bin index of each row.
    labels : Dask Array or Series of int
        Class index of each row (same rows as ``codes``).
    n_bins, n_classes : int
        As in :func:`scorecard._stats._counts.count_codes`.
    sample_weight : Dask Array or Series, default=None
        Row weights.

    Returns
    -------
    ndarray of shape (n_features, n_bins, n_classes)
        The sum of the partition counts, equal to the in-memory counts.
    """
    if not is_dask_collection(codes):
        return _count_codes_np(
            codes,
            labels,
            n_bins=n_bins,
            n_classes=n_classes,
            sample_weight=sample_weight,
        )
    dd = require_dask("count_codes")
    if isinstance(codes, dd.DataFrame | dd.Series):
        lab = as_series(labels, "labels", "count_codes")
        w = as_series(sample_weight, "sample_weight", "count_codes")
        return map_reduce(
            _count_part, codes, lab, w, n_bins=n_bins, n_classes=n_classes
        )
    import dask
    import dask.array as da

    arr = codes if codes.ndim == 2 else codes[:, None]
    arr = arr.rechunk({1: -1})
    rows = arr.chunks[0]
    lab_arr = da.asarray(labels).rechunk((rows,))
    blocks = arr.to_delayed().ravel()
    lab_blocks = lab_arr.to_delayed().ravel()
    if sample_weight is None:
        w_blocks: list[Any] = [None] * len(blocks)
    else:
        w_blocks = list(da.asarray(sample_weight).rechunk((rows,)).to_delayed().ravel())
    task = dask.delayed(_count_part, pure=True)
    parts = [
        task(b, lab, w, n_bins=n_bins, n_classes=n_classes)
        for b, lab, w in zip(blocks, lab_blocks, w_blocks, strict=True)
    ]
    total = dask.delayed(sum, pure=True)(parts)
    return np.asarray(total.compute(), dtype=np.float64)
