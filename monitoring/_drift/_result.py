"""The drift report object and its builder, drift_from_counts."""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from scorecard import AUCResult, CountTable
from scorecard._kit.exceptions import DataConditionWarning
from scorecard._kit.intervals import check_alpha

from .._report import drift_report_html, write_page
from ._auc import AUCDrift, auc_drift
from ._bad_rate import BadRateDrift, bad_rate_by_band
from ._characteristic import CharacteristicShift, characteristic_analysis
from ._checks import (
    STATUSES,
    Kind,
    Reference,
    Status,
    check_bands,
    check_reference,
    counts_2d,
    row_names,
)
from ._iv import IVDrift, iv_drift
from ._psi import FeatureDrift, bin_labels_of, feature_rows

__all__ = ["DriftReport", "drift_from_counts"]

JSON_FORMAT = "infoscore.drift_report"
JSON_VERSION = 1


def _jsonable(x: Any) -> Any:
    """Numpy and NaN-safe conversion for JSON (NaN and inf become None)."""
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, np.bool_ | bool):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        return float(x) if math.isfinite(x) else None
    return x


@dataclass(frozen=True, eq=False, repr=False)
class DriftReport:
    """Result of one drift check: PSI per feature and score, and extras.

    Build it with :func:`drift_from_counts` (or ``DriftMonitor.check``).

    Attributes
    ----------
    features : tuple of FeatureDrift
        One entry per feature and for the score, in input order.
    psi_bands : (float, float)
        Lower and upper PSI bands of the status rule.
    alpha : float
        Significance level of the tests and intervals.
    reference : {"sample", "fixed"}
        Sampling model of the reference counts.
    smoothing : float
        Zero-cell smoothing used.
    model_id, batch_id : str or None
        Identify the run in a history store.
    created_at : str or None
        ISO-8601 UTC time of the check.
    n_rows : int or None
        Rows of the current batch.
    iv : IVDrift or None
        IV now vs reference (with labels).
    auc : AUCDrift or None
        AUC now vs reference (with labels).
    bad_rate : BadRateDrift or None
        Bad rate by score band (with labels).
    characteristics : CharacteristicShift or None
        Points shift per feature.
    notes : tuple of str
        Data conditions met during the check (e.g. smoothed zero cells).
    """

    features: tuple[FeatureDrift, ...]
    psi_bands: tuple[float, float]
    alpha: float
    reference: Reference
    smoothing: float
    model_id: str | None = None
    batch_id: str | None = None
    created_at: str | None = None
    n_rows: int | None = None
    iv: IVDrift | None = None
    auc: AUCDrift | None = None
    bad_rate: BadRateDrift | None = None
    characteristics: CharacteristicShift | None = None
    notes: tuple[str, ...] = ()

    @property
    def feature_names(self) -> tuple[str, ...]:
        """Names of the rows, in order."""
        return tuple(f.feature for f in self.features)

    @property
    def status(self) -> Status:
        """The worst status over features and score."""
        worst = max((STATUSES.index(f.status) for f in self.features), default=0)
        return STATUSES[worst]

    @property
    def drifted(self) -> tuple[str, ...]:
        """Names of the rows with status ``"drift"``."""
        return tuple(f.feature for f in self.features if f.status == "drift")

    def __getitem__(self, feature: str) -> FeatureDrift:
        """The :class:`FeatureDrift` of one feature (or the score)."""
        for f in self.features:
            if f.feature == feature:
                return f
        raise KeyError(
            f"No feature {feature!r} in the report; features are "
            f"{list(self.feature_names)}."
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per feature: PSI, bias-corrected, SE, CI, test, status."""
        rows = []
        for f in self.features:
            low, high = f.ci()
            rows.append(
                {
                    "feature": f.feature,
                    "kind": f.kind,
                    "psi": f.estimate,
                    "bias_corrected": f.bias_corrected,
                    "se": f.se,
                    "ci_low": low,
                    "ci_high": high,
                    "statistic": f.statistic,
                    "df": f.df,
                    "pvalue": f.pvalue,
                    "status": f.status,
                    "n_reference": f.n_reference,
                    "n_current": f.n_current,
                }
            )
        return pd.DataFrame(rows).set_index("feature")

    def bins_frame(self) -> pd.DataFrame:
        """Per-bin table of every feature (see :meth:`FeatureDrift.to_frame`)."""
        return pd.concat([f.to_frame() for f in self.features], ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: settings, results and the counts they came from."""
        out: dict[str, Any] = {
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "model_id": self.model_id,
            "batch_id": self.batch_id,
            "created_at": self.created_at,
            "n_rows": self.n_rows,
            "status": self.status,
            "psi_bands": list(self.psi_bands),
            "alpha": self.alpha,
            "reference": self.reference,
            "smoothing": self.smoothing,
            "notes": list(self.notes),
            "features": [
                {
                    "feature": f.feature,
                    "kind": f.kind,
                    "psi": f.estimate,
                    "bias_corrected": f.bias_corrected,
                    "se": f.se,
                    "ci": list(f.ci()),
                    "statistic": f.statistic,
                    "df": f.df,
                    "pvalue": f.pvalue,
                    "status": f.status,
                    "bins": list(f.bins),
                    "reference_counts": f.reference_counts,
                    "current_counts": f.current_counts,
                }
                for f in self.features
            ],
        }
        if self.iv is not None:
            out["iv"] = {
                "features": list(self.iv.features),
                "reference_counts": np.stack(
                    [self.iv.reference.first, self.iv.reference.second], -1
                ),
                "current_counts": np.stack(
                    [self.iv.current.first, self.iv.current.second], -1
                ),
                "table": self.iv.to_frame(self.alpha).reset_index().to_dict("list"),
            }
        if self.auc is not None:
            out["auc"] = {
                "reference": self.auc.reference.to_dict(),
                "current": self.auc.current.to_dict(),
                "difference": self.auc.estimate,
                "se": self.auc.se,
                "pvalue": self.auc.pvalue,
            }
        if self.bad_rate is not None:
            out["bad_rate"] = {
                "bands": list(self.bad_rate.bands),
                "reference_counts": self.bad_rate.reference,
                "current_counts": self.bad_rate.current,
            }
        if self.characteristics is not None:
            c = self.characteristics
            out["characteristics"] = {
                "features": list(c.features),
                "reference_counts": c.reference,
                "current_counts": c.current,
                "points": c.points,
                "shift": c.estimate,
                "se": c.se,
            }
        return _jsonable(out)

    def to_html(
        self, path: str | Path | None = None, *, title: str | None = None
    ) -> str:
        """Self-contained HTML page of the report (inline SVG, no script).

        Intervals and flags are at the report's ``alpha``.

        Parameters
        ----------
        path : str or path-like, default=None
            When given, the page is also written there (UTF-8).
        title : str, default=None
            Page title (default: "Drift report").

        Returns
        -------
        str
            The HTML document.
        """
        return write_page(drift_report_html(self, title=title), path)

    def to_json(self, *, indent: int | None = None) -> str:
        """Serialise to JSON (NaN becomes null); :meth:`from_json` reads it back."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @classmethod
    def from_json(cls, text: str | Mapping[str, Any]) -> DriftReport:
        """Rebuild a report from :meth:`to_json` output by recomputing from counts.

        Parameters
        ----------
        text : str or mapping
            JSON text or the parsed dict.

        Returns
        -------
        DriftReport

        Raises
        ------
        ValueError
            If the document is not a drift report of a supported version.
        """
        doc = json.loads(text) if isinstance(text, str) else dict(text)
        if doc.get("format") != JSON_FORMAT:
            raise ValueError(
                f"Not an infoscore drift report: format is {doc.get('format')!r}, "
                f"expected {JSON_FORMAT!r}."
            )
        if doc.get("version") != JSON_VERSION:
            raise ValueError(
                f"Drift report version {doc.get('version')!r} is not supported "
                f"(this infoscore reads version {JSON_VERSION})."
            )
        feats = doc["features"]
        width = max(len(f["bins"]) for f in feats)
        ref = np.zeros((len(feats), width))
        cur = np.zeros((len(feats), width))
        for i, f in enumerate(feats):
            ref[i, : len(f["bins"])] = f["reference_counts"]
            cur[i, : len(f["bins"])] = f["current_counts"]
        iv = auc = bad = chars = None
        with warnings.catch_warnings():
            # Data conditions were reported when the check ran (see notes).
            warnings.simplefilter("ignore", DataConditionWarning)
            if "iv" in doc:
                iv = iv_drift(
                    doc["iv"]["reference_counts"],
                    doc["iv"]["current_counts"],
                    features=doc["iv"]["features"],
                    smoothing=doc["smoothing"],
                )
            if "auc" in doc:
                auc = auc_drift(
                    AUCResult(**doc["auc"]["reference"]),
                    AUCResult(**doc["auc"]["current"]),
                )
            if "bad_rate" in doc:
                bad = bad_rate_by_band(
                    doc["bad_rate"]["reference_counts"],
                    doc["bad_rate"]["current_counts"],
                    bands=doc["bad_rate"]["bands"],
                )
            if "characteristics" in doc:
                c = doc["characteristics"]
                chars = characteristic_analysis(
                    c["reference_counts"],
                    c["current_counts"],
                    c["points"],
                    features=c["features"],
                    reference=doc["reference"],
                )
            report = drift_from_counts(
                ref,
                cur,
                features=[f["feature"] for f in feats],
                kinds=[f["kind"] for f in feats],
                bin_labels=[f["bins"] for f in feats],
                psi_bands=tuple(doc["psi_bands"]),
                alpha=doc["alpha"],
                reference=doc["reference"],
                smoothing=doc["smoothing"],
                model_id=doc.get("model_id"),
                batch_id=doc.get("batch_id"),
                created_at=doc.get("created_at"),
                n_rows=doc.get("n_rows"),
                iv=iv,
                auc=auc,
                bad_rate=bad,
                characteristics=chars,
            )
        return replace(report, notes=tuple(doc.get("notes", ())))

    def __repr__(self) -> str:
        head = (
            f"DriftReport(status={self.status!r}, model_id={self.model_id!r}, "
            f"batch_id={self.batch_id!r}, psi_bands={self.psi_bands}, "
            f"alpha={self.alpha}, reference={self.reference!r})"
        )
        table = self.to_frame()[["psi", "se", "ci_low", "ci_high", "pvalue", "status"]]
        return f"{head}\n{table.to_string()}"


def drift_from_counts(
    reference_counts: ArrayLike | CountTable,
    current_counts: ArrayLike | CountTable,
    *,
    features: Sequence[str] | None = None,
    kinds: Sequence[Kind] | None = None,
    bin_labels: Sequence[Sequence[Any]] | None = None,
    psi_bands: Sequence[float] = (0.10, 0.25),
    alpha: float = 0.05,
    reference: Reference = "sample",
    smoothing: float = 0.5,
    model_id: str | None = None,
    batch_id: str | None = None,
    created_at: str | None = None,
    n_rows: int | None = None,
    iv: IVDrift | None = None,
    auc: AUCDrift | None = None,
    bad_rate: BadRateDrift | None = None,
    characteristics: CharacteristicShift | None = None,
) -> DriftReport:
    """Drift check of every feature (and the score) from bin counts.

    Parameters
    ----------
    reference_counts : CountTable or array-like of shape (n_features, n_bins)
        Reference counts per bin, one row per feature (and the score), padded
        with zeros to a common width (class columns of a CountTable are
        summed).
    current_counts : CountTable or array-like of the same shape
        Counts of the current batch over the same bins.
    features : sequence of str, default=None
        Row names (from a CountTable, else ``x0, x1, ...``).
    kinds : sequence of {"feature", "score"}, default=None
        Kind of each row; all ``"feature"`` when omitted.
    bin_labels : sequence of sequences, default=None
        Labels of each row's bins; its length is the row's number of bins and
        counts beyond it must be zero. By default bins are numbered and
        trailing all-zero columns are padding.
    psi_bands : (float, float), default=(0.10, 0.25)
        Watch and drift bands of PSI (see :func:`drift_status`).
    alpha : float, default=0.05
        Level of the chi-square test and of the ``1 - alpha`` intervals.
    reference : {"sample", "fixed"}, default="sample"
        ``"sample"`` treats the reference counts as a sample (both variance
        terms); ``"fixed"`` as the population.
    smoothing : float, default=0.5
        Haldane-Anscombe smoothing of bins with a zero cell (a
        :class:`~scorecard.DataConditionWarning` names them).
    model_id, batch_id, created_at, n_rows : optional
        Run metadata carried by the report.
    iv, auc, bad_rate, characteristics : optional
        Results of :func:`iv_drift`, :func:`auc_drift`,
        :func:`bad_rate_by_band` and :func:`characteristic_analysis`.

    Returns
    -------
    DriftReport

    Raises
    ------
    ValueError
        For invalid counts, shapes, names, kinds, bands or alpha, and for a
        row with an empty reference or current sample.

    Notes
    -----
    A row whose counts fall in a single bin in both samples (e.g. a feature
    the binner never split) has PSI exactly 0 and is reported stable with
    ``df = 0`` and ``pvalue = 1``.

    The status rule is documented in :func:`drift_status`: drift needs a
    significant chi-square test and the CI's lower bound at or above the upper
    band; watch needs a significant test and the estimate at or above the
    lower band.

    Examples
    --------
    >>> ref = [[250, 250, 250, 250], [500, 300, 200, 0]]
    >>> cur = [[200, 250, 250, 300], [150, 300, 550, 0]]
    >>> rep = drift_from_counts(ref, cur, features=["age", "score"],
    ...                         kinds=["feature", "score"])
    >>> rep.to_frame()["psi"].round(4).tolist()
    [0.0203, 0.7755]
    >>> rep.to_frame()["status"].tolist()
    ['stable', 'drift']
    >>> rep.status
    'drift'
    """
    ref = counts_2d(reference_counts, "reference_counts")
    cur = counts_2d(current_counts, "current_counts")
    if ref.shape != cur.shape:
        raise ValueError(
            "reference_counts and current_counts must have the same shape; got "
            f"{ref.shape} and {cur.shape}."
        )
    bands = check_bands(psi_bands)
    alpha = check_alpha(alpha)
    reference = check_reference(reference)
    default = (
        reference_counts.features
        if isinstance(reference_counts, CountTable)
        else [f"x{i}" for i in range(ref.shape[0])]
    )
    names = row_names(features, ref.shape[0], default)
    kind_t: tuple[Kind, ...] = (
        tuple("feature" for _ in names) if kinds is None else tuple(kinds)
    )
    if kinds is not None:
        if len(kind_t) != len(names) or not set(kind_t) <= {"feature", "score"}:
            raise ValueError(
                f"kinds must give 'feature' or 'score' for each of the {len(names)} "
                f"rows; got {list(kind_t)}."
            )
    labels = bin_labels_of(bin_labels, ref, cur, names)
    for what, name in ((n_rows, "n_rows"),):
        if what is not None and (not isinstance(what, int | np.integer) or what < 0):
            raise ValueError(f"{name} must be a non-negative int; got {what!r}.")
    rows, messages = feature_rows(
        ref,
        cur,
        features=names,
        kinds=kind_t,
        bin_labels=labels,
        psi_bands=bands,
        alpha=alpha,
        reference=reference,
        smoothing=smoothing,
    )
    for message in messages:
        warnings.warn(message, DataConditionWarning, stacklevel=2)
    return DriftReport(
        features=rows,
        psi_bands=bands,
        alpha=alpha,
        reference=reference,
        smoothing=float(smoothing),
        model_id=None if model_id is None else str(model_id),
        batch_id=None if batch_id is None else str(batch_id),
        created_at=created_at,
        n_rows=None if n_rows is None else int(n_rows),
        iv=iv,
        auc=auc,
        bad_rate=bad_rate,
        characteristics=characteristics,
        notes=tuple(messages),
    )
