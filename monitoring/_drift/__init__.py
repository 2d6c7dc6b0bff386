r"""Drift statistics from bin count tables alone.

A drift check compares, per feature and for the score, the reference counts
per bin (stored in the scorecard artifact) with the counts of a new batch over
the same bins. Everything here consumes counts, never raw rows (except
:func:`delong_auc`), so a check, a stored run and a window of stored runs all
go through the same formulas.

Status rule
-----------
With ``psi_bands = (low, high)`` (default ``(0.10, 0.25)``), significance level
``alpha``, the chi-square test of no change (:func:`scorecard.psi`,
``T = PSI / (1/n + 1/m) ~ chi2(B - 1)``, or ``PSI / (1/m)`` for a fixed
reference) and the ``1 - alpha`` Wald interval ``[ci_low, ci_high]`` of PSI:

* ``"drift"``: ``pvalue < alpha`` **and** ``ci_low >= high``: the change is
  real and materially beyond the upper band;
* ``"watch"``: not drift, ``pvalue < alpha`` **and** ``estimate >= low``: the
  change is real and its point estimate reaches the lower band;
* ``"stable"``: otherwise (no evidence of change, or a change too small to
  matter).

Both non-stable statuses require a rejection of the test of no change at level
``alpha``, so under the null (no drift) the share of features flagged drift,
and even the share flagged drift *or* watch, is at most ``alpha`` up to the
chi-square approximation. The significance condition is needed: under no
change the delta-method SE of PSI is zero to first order, so at small batch
sizes a noisy, upward-biased PSI alone would often put its Wald lower bound
above a band.

Modules, from the bottom up: ``_checks`` (types, argument checks),
``_status`` (the rule above), one module per statistic (``_psi``, ``_iv``,
``_auc``, ``_bad_rate``, ``_characteristic``) and ``_result`` (the report
object and :func:`drift_from_counts`, which assembles them). Every divergence
goes through :func:`scorecard.psi` / :func:`scorecard.information_value`,
every AUC through :func:`scorecard.auc_from_counts` /
:func:`scorecard.delong_auc`, every interval through
:mod:`scorecard._kit.intervals`.
"""

from scorecard import AUCResult, auc_from_counts, delong_auc

from ._auc import AUCDrift, auc_drift
from ._bad_rate import BadRateDrift, bad_rate_by_band
from ._characteristic import CharacteristicShift, characteristic_analysis
from ._checks import Reference
from ._iv import IVDrift, iv_drift
from ._psi import FeatureDrift
from ._result import DriftReport, drift_from_counts
from ._status import drift_status

__all__ = [
    "AUCDrift",
    "AUCResult",
    "BadRateDrift",
    "CharacteristicShift",
    "DriftReport",
    "FeatureDrift",
    "IVDrift",
    "Reference",
    "auc_drift",
    "auc_from_counts",
    "bad_rate_by_band",
    "characteristic_analysis",
    "delong_auc",
    "drift_from_counts",
    "drift_status",
    "iv_drift",
]
