"""The HTML report kit shared by the scorecard, fairness and drift reports.

One jinja2 template with inline CSS renders a list of :class:`Section` objects
into a single self-contained HTML string: figures are inline ``<svg>``, there
is no JavaScript, no font, image or style sheet is fetched (a
Content-Security-Policy forbids it), and every link is an in-page anchor.

The kit has four rooms: :mod:`~scorecard._kit.report.blocks` (the content
types), :mod:`~scorecard._kit.report.plots` (matplotlib figures, imported on
first use), :mod:`~scorecard._kit.report.tables` (number formatting, HTML
tables) and :mod:`~scorecard._kit.report.render` (the page: jinja2 template
and CSS, package files under ``templates/``).

Typical use (computation stays elsewhere; this package only renders)::

    fig = errorbar_plot(["A", "B"], [0.9, 0.7], se=[0.02, 0.05], reference=0.8)
    html = render_report(
        "Fairness report",
        [Section("Metrics", [Paragraph("..."), Plot(fig), Table(frame)])],
    )
"""

from .blocks import (
    Block,
    Formula,
    Html,
    KeyValues,
    Note,
    Paragraph,
    Plot,
    Section,
    Table,
)
from .plots import PALETTE, errorbar_plot, line_plot, new_figure, svg
from .render import render_report, report_css
from .tables import MISSING, format_number, format_pvalue, table_html

__all__ = [
    "Section",
    "Paragraph",
    "Table",
    "Plot",
    "Formula",
    "KeyValues",
    "Note",
    "Html",
    "Block",
    "new_figure",
    "svg",
    "format_number",
    "format_pvalue",
    "table_html",
    "errorbar_plot",
    "line_plot",
    "render_report",
    "report_css",
    "PALETTE",
    "MISSING",
]
