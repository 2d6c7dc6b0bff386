"""The fairness report: :class:`FairnessReport` (HTML and JSON).

``_report``: the report and its assessment sections; ``_frontier``: the
accuracy-fairness frontier section; ``_methodology``: formulas and
conventions; ``_json``: JSON encoding of the numbers.
"""

from ._report import FairnessReport

__all__ = ["FairnessReport"]
