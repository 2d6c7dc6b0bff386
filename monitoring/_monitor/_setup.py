"""Setting up a monitor: the model, its bins, reference counts, points and id."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from scorecard import CountTable, FeatureBins
from scorecard._kit.intervals import check_alpha

from .._drift._checks import Reference, check_bands, check_reference

__all__ = ["LABELLED", "UNLABELLED", "MonitorSetup", "now_text"]

#: Class labels of a count table without labels (one column: all rows).
UNLABELLED: tuple[str, ...] = ("rows",)
#: Class labels of a labelled count table: good (``y = 0``), bad (``y = 1``).
LABELLED: tuple[int, ...] = (0, 1)


def now_text() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class MonitorSetup:
    """The fitted model and what a check needs of it (see :class:`DriftMonitor`)."""

    def __init__(
        self,
        model: Any,
        *,
        psi_bands: Sequence[float] = (0.10, 0.25),
        alpha: float = 0.05,
        reference: Reference = "sample",
        smoothing: float = 0.5,
        model_id: str | None = None,
        chunk_rows: int = 100_000,
    ) -> None:
        self.psi_bands = check_bands(psi_bands)
        self.alpha = check_alpha(alpha)
        self.reference = check_reference(reference)
        if not isinstance(smoothing, int | float) or not (
            math.isfinite(smoothing) and smoothing >= 0
        ):
            raise ValueError(
                f"smoothing must be a finite number >= 0; got {smoothing!r}."
            )
        self.smoothing = float(smoothing)
        if (
            not isinstance(chunk_rows, int | np.integer)
            or isinstance(chunk_rows, bool)
            or chunk_rows < 1
        ):
            raise ValueError(
                f"chunk_rows must be a positive integer; got {chunk_rows!r}."
            )
        self.chunk_rows = int(chunk_rows)
        self.model = self._load(model)
        bins: dict[str, FeatureBins] = dict(self.model.bins_)
        self.features = tuple(str(f) for f in self.model.bins_)
        self._bins = bins
        self._score_bins: FeatureBins = self.model.score_bins_
        self.score_name = "(score)" if "score" in self.features else "score"
        self.row_names = (*self.features, self.score_name)
        self.n_bins = tuple(
            [bins[f].n_bins for f in self.features] + [self._score_bins.n_bins]
        )
        self._width = max(self.n_bins)
        self._points = {f: np.asarray(self.model.bin_points(f)) for f in self.features}
        self._base_points = float(self.model.base_points())
        self.reference_counts = self._reference_table()
        if model_id is not None and (
            not isinstance(model_id, str) or not model_id.strip()
        ):
            raise ValueError(f"model_id must be a non-empty string; got {model_id!r}.")
        self.model_id = model_id if model_id is not None else self._default_id()

    # ------------------------------------------------------------------ setup

    @staticmethod
    def _load(model: Any) -> Any:
        if isinstance(model, str | os.PathLike):
            from scorecard import load

            model = load(model)
        needed = ("bins_", "score_bins_", "bin_points")
        if not all(hasattr(model, a) for a in needed) or not hasattr(
            model, "bin_margins_"
        ):
            raise TypeError(
                "model must be a fitted Scorecard or BoostedScorecard (or the path "
                f"of its JSON artifact); got {type(model).__name__}"
                + (" (not fitted?)." if hasattr(model, "bin_points") else ".")
            )
        return model

    def _reference_table(self) -> CountTable:
        counts = np.zeros((len(self.row_names), self._width, 2))
        for i, fb in enumerate(
            [*(self._bins[f] for f in self.features), self._score_bins]
        ):
            counts[i, : fb.n_bins] = fb.counts()
        return CountTable(counts=counts, classes=LABELLED, features=self.row_names)

    def _default_id(self) -> str:
        doc = {
            "model": type(self.model).__name__,
            "bins": [self._bins[f].to_dict() for f in self.features],
            "score_bins": self._score_bins.to_dict(),
            "points": {f: [repr(float(v)) for v in p] for f, p in self._points.items()},
            "base_points": repr(self._base_points),
        }
        text = json.dumps(doc, sort_keys=True, default=str).encode()
        return f"{type(self.model).__name__}-{hashlib.sha256(text).hexdigest()[:12]}"

    def __repr__(self) -> str:
        return (
            f"DriftMonitor(model_id={self.model_id!r}, "
            f"n_features={len(self.features)}, "
            f"psi_bands={self.psi_bands}, alpha={self.alpha}, "
            f"reference={self.reference!r})"
        )
