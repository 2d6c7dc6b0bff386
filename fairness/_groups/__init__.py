"""Group fairness of a score: :func:`assess` and :func:`proxy_table`.

``_protected``: the protected groups of each row (the one sensitive-feature
rule of :mod:`fairness._sensitive`, the intersection cap and pooling into
``"other"``); ``_air``: the AIR's Koopman score interval and exact tests for
small and zero counts; ``_table``: the per-group table (rates, AUC, AIR,
flags); ``_metric``: :class:`GroupMetric` and the
AIR / SMD / divergence / dependence metrics; ``_assess``: :func:`assess` and
:class:`FairnessAssessment`; ``_proxy``: :func:`proxy_table` and
:class:`ProxyTable`. The AUC with its DeLong SE is scorecard's
:func:`scorecard.delong_auc`, re-exported.
"""

from scorecard import AUCResult, delong_auc

from ._assess import FairnessAssessment, assess
from ._metric import GroupMetric
from ._proxy import ProxyTable, proxy_table

__all__ = [
    "AUCResult",
    "FairnessAssessment",
    "GroupMetric",
    "ProxyTable",
    "assess",
    "delong_auc",
    "proxy_table",
]
