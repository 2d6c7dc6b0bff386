"""HTML pages of monitoring: one drift check, and the history of a store.

The lowest layer of monitoring above :mod:`scorecard._kit.report`: the pages
depend on neither the drift statistics nor the store. ``DriftReport.to_html``
and ``HistoryStore.to_html`` call them (dependency inversion: the drift page
reads a report through the :class:`DriftPage` protocol, the history page
reads plain tables).
"""

from __future__ import annotations

from pathlib import Path

from ._drift_page import DriftPage, drift_report_html
from ._history_page import MAX_LINES, ModelHistory, history_report_html

__all__ = [
    "MAX_LINES",
    "DriftPage",
    "ModelHistory",
    "drift_report_html",
    "history_report_html",
    "write_page",
]


def write_page(html: str, path: str | Path | None) -> str:
    """Write ``html`` to ``path`` (UTF-8) when a path is given; return ``html``."""
    if path is not None:
        Path(path).write_text(html, encoding="utf-8")
    return html
