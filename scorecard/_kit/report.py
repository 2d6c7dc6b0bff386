"""The HTML report kit shared by the scorecard, fairness and drift reports.

One jinja2 template with inline CSS renders a list of :class:`Section` objects
into a single self-contained HTML string: figures are inline ``<svg>``, there
is no JavaScript, no font, image or style sheet is fetched (a
Content-Security-Policy forbids it), and every link is an in-page anchor.

Figures are built on :class:`matplotlib.figure.Figure` objects with an Agg
canvas, never through ``pyplot``, so no global figure state leaks between
reports or into a user's session.

Typical use (computation stays elsewhere; this module only renders)::

    fig = errorbar_plot(["A", "B"], [0.9, 0.7], se=[0.02, 0.05], reference=0.8)
    html = render_report(
        "Fairness report",
        [Section("Metrics", [Paragraph("..."), Plot(fig), Table(frame)])],
    )
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
import matplotlib
import numpy as np
import pandas as pd
from markupsafe import Markup, escape
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

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
    "table_html",
    "errorbar_plot",
    "line_plot",
    "roc_plot",
    "ks_plot",
    "render_report",
    "PALETTE",
]

#: Colours used by every plot (colour-blind safe, Okabe-Ito order).
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
)

_MISSING = "\u2014"  # em dash for NaN / None


# --------------------------------------------------------------------------
# blocks


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text (escaped; no markup).

    Parameters
    ----------
    text : str
        The text.
    """

    text: str


@dataclass(frozen=True)
class Table:
    """A data table rendered by :func:`table_html`.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data.
    caption : str, default=None
        Caption shown above the table.
    index : bool or None, default=None
        Show the index; ``None`` shows it unless it is a default RangeIndex.
    digits : int, default=4
        Decimals of ordinary floats.
    formats : mapping of str to str or callable, default=None
        Per-column format string (``"{:.2%}"``) or function of one value.
    highlight : sequence of bool, default=None
        Rows to highlight (e.g. a flagged group).
    """

    frame: pd.DataFrame
    caption: str | None = None
    index: bool | None = None
    digits: int = 4
    formats: Mapping[str, str | Callable[[Any], str]] | None = None
    highlight: Sequence[bool] | None = None


@dataclass(frozen=True)
class Plot:
    """A figure, inlined as SVG.

    Parameters
    ----------
    figure : matplotlib.figure.Figure or str
        A figure (converted by :func:`svg`) or an ``<svg>`` string.
    caption : str, default=None
        Caption under the figure.
    """

    figure: Figure | str
    caption: str | None = None


@dataclass(frozen=True)
class Formula:
    """A formula or code fragment shown in a monospaced block.

    Parameters
    ----------
    text : str
        Plain-text formula, e.g. ``"AIR = a_g / a_ref"``.
    """

    text: str


@dataclass(frozen=True)
class KeyValues:
    """A two-column definition list, e.g. the settings of a run.

    Parameters
    ----------
    items : mapping
        Label to value; values are formatted by :func:`format_number`.
    """

    items: Mapping[str, Any]


@dataclass(frozen=True)
class Note:
    """A highlighted call-out.

    Parameters
    ----------
    text : str
        The message.
    kind : {"info", "warn", "ok"}, default="info"
        Colour of the call-out.
    """

    text: str
    kind: str = "info"


@dataclass(frozen=True)
class Html:
    """Trusted HTML inserted as is (callers must escape any data in it).

    Parameters
    ----------
    html : str
        The markup.
    """

    html: str


@dataclass(frozen=True)
class Section:
    """A titled section: a heading followed by blocks (or nested sections).

    Parameters
    ----------
    heading : str
        The heading text; also the entry in the table of contents.
    blocks : sequence of blocks, default=()
        :class:`Paragraph`, :class:`Table`, :class:`Plot`, :class:`Formula`,
        :class:`KeyValues`, :class:`Note`, :class:`Html` or a nested
        :class:`Section` (rendered one heading level lower).
    id : str, default=None
        Anchor id; derived from the heading when omitted.
    """

    heading: str
    blocks: Sequence[Block] = field(default_factory=tuple)
    id: str | None = None


Block = Paragraph | Table | Plot | Formula | KeyValues | Note | Html | Section


# --------------------------------------------------------------------------
# figures


def new_figure(width: float = 6.4, height: float = 3.6) -> Figure:
    """Create a figure on a private Agg canvas (no pyplot state).

    Parameters
    ----------
    width, height : float, default=6.4, 3.6
        Size in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = new_figure(4, 3)
    >>> type(fig.canvas).__name__
    'FigureCanvasAgg'
    """
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


_XML_HEAD = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)


def svg(fig: Figure) -> str:
    """Render a matplotlib figure to an inline ``<svg>`` element string.

    Text stays text (``svg.fonttype = "none"``), so it is searchable and
    small; the XML prolog, DOCTYPE and the date metadata are dropped so the
    string can be placed directly into HTML.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (build it with :func:`new_figure`, not ``pyplot``).

    Returns
    -------
    str
        Markup starting with ``<svg``.

    Raises
    ------
    TypeError
        If ``fig`` is not a matplotlib Figure.

    Examples
    --------
    >>> fig = new_figure(2, 2)
    >>> _ = fig.add_subplot().plot([0, 1], [0, 1])
    >>> s = svg(fig)
    >>> s.startswith("<svg") and s.rstrip().endswith("</svg>")
    True
    """
    if not isinstance(fig, Figure):
        raise TypeError(
            f"fig must be a matplotlib.figure.Figure; got {type(fig).__name__}."
        )
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return _XML_HEAD.sub("", buf.getvalue(), count=1).strip()


def _as_float(values: ArrayLike | None, name: str, n: int | None = None) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64).ravel()
    if n is not None and arr.size != n:
        raise ValueError(f"{name} must have {n} values; got {arr.size}.")
    return arr


def errorbar_plot(
    labels: Sequence[Any],
    estimate: ArrayLike,
    *,
    se: ArrayLike | None = None,
    low: ArrayLike | None = None,
    high: ArrayLike | None = None,
    z: float = 1.0,
    reference: float | None = None,
    xlabel: str = "",
    title: str | None = None,
    highlight: Sequence[bool] | None = None,
) -> Figure:
    """Dot-and-whisker plot: one row per label, estimate with its error bar.

    Parameters
    ----------
    labels : sequence
        Row labels (top to bottom).
    estimate : array-like
        Point estimates.
    se : array-like, default=None
        Standard errors; bars span ``estimate +- z * se``.
    low, high : array-like, default=None
        Explicit interval ends (e.g. an asymmetric log-scale CI); used
        instead of ``se``.
    z : float, default=1.0
        Multiplier of ``se`` (1 is +- 1 SE, 1.96 a 95% Wald interval).
    reference : float, default=None
        Draw a dashed vertical line here (0.8 for the four-fifths rule).
    xlabel : str, default=""
        Axis label; say what the bars are (e.g. "IV (+- 1 SE)").
    title : str, default=None
        Axes title.
    highlight : sequence of bool, default=None
        Rows drawn in the warning colour.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If lengths differ, or neither ``se`` nor both ``low`` and ``high`` are
        given.

    Examples
    --------
    >>> fig = errorbar_plot(["a", "b"], [0.3, 0.1], se=[0.05, 0.02])
    >>> len(fig.axes)
    1
    """
    n = len(labels)
    est = _as_float(estimate, "estimate", n)
    if low is not None and high is not None:
        lo = _as_float(low, "low", n)
        hi = _as_float(high, "high", n)
    elif se is not None:
        s = _as_float(se, "se", n)
        lo, hi = est - z * s, est + z * s
    else:
        raise ValueError("errorbar_plot needs se, or both low and high.")
    flags = np.zeros(n, bool) if highlight is None else np.asarray(highlight, bool)
    if flags.size != n:
        raise ValueError(f"highlight must have {n} values; got {flags.size}.")
    fig = new_figure(6.4, max(1.6, 0.45 * n + 1.0))
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    colors = [PALETTE[1] if f else PALETTE[0] for f in flags]
    finite = np.isfinite(lo) & np.isfinite(hi)
    ax.hlines(y[finite], lo[finite], hi[finite], colors=np.asarray(colors)[finite])
    ax.scatter(est, y, c=colors, zorder=3, s=28)
    if reference is not None:
        ax.axvline(reference, color="#666666", linestyle="--", linewidth=1)
    ax.set_yticks(y, [str(label) for label in labels])
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#e5e5e5")
    ax.set_axisbelow(True)
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return fig


def line_plot(
    x: Sequence[Any] | ArrayLike,
    series: Mapping[str, ArrayLike],
    *,
    bands: Mapping[str, tuple[ArrayLike, ArrayLike]] | None = None,
    hlines: Mapping[str, float] | None = None,
    xlabel: str = "",
    ylabel: str = "",
    title: str | None = None,
) -> Figure:
    """Lines over time (or any ordered x), optional error bands and thresholds.

    Parameters
    ----------
    x : sequence
        Shared x values (dates, batch labels or numbers).
    series : mapping of str to array-like
        One line per entry.
    bands : mapping of str to (low, high), default=None
        Shaded intervals for some of the series (same keys).
    hlines : mapping of str to float, default=None
        Labelled horizontal thresholds (e.g. ``{"watch": 0.1}``).
    xlabel, ylabel : str, default=""
        Axis labels.
    title : str, default=None
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If a series or band length differs from ``x`` or a band names an
        unknown series.

    Examples
    --------
    >>> fig = line_plot(["2024-01", "2024-02"], {"PSI": [0.01, 0.2]},
    ...                 hlines={"drift": 0.25})
    >>> len(fig.axes[0].lines)
    2
    """
    xs = list(np.asarray(x, dtype=object).ravel())
    n = len(xs)
    categorical = any(isinstance(v, str) for v in xs)
    pos: Any = np.arange(n) if categorical else xs
    fig = new_figure()
    ax = fig.add_subplot()
    for i, (name, values) in enumerate(series.items()):
        color = PALETTE[i % len(PALETTE)]
        ax.plot(
            pos,
            _as_float(values, f"series {name!r}", n),
            marker="o",
            markersize=3,
            color=color,
            label=str(name),
        )
        if bands and name in bands:
            lo, hi = bands[name]
            ax.fill_between(
                pos,
                _as_float(lo, f"band {name!r} low", n),
                _as_float(hi, f"band {name!r} high", n),
                color=color,
                alpha=0.18,
                linewidth=0,
            )
    for name in bands or {}:
        if name not in series:
            raise ValueError(f"band {name!r} has no series; series are {list(series)}.")
    for j, (name, level) in enumerate((hlines or {}).items()):
        ax.axhline(
            level,
            color=("#999999", "#555555")[j % 2],
            linestyle="--",
            linewidth=1,
            label=f"{name} ({level:g})",
        )
    if categorical:
        step = max(1, n // 12)
        ax.set_xticks(pos[::step], xs[::step], rotation=30, ha="right")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(color="#e5e5e5")
    ax.set_axisbelow(True)
    ax.legend(fontsize=8, frameon=False)
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return fig


def _risk(y_true: ArrayLike, score: ArrayLike, higher_is_better: bool) -> tuple:
    y = np.asarray(y_true).ravel()
    s = np.asarray(score, dtype=np.float64).ravel()
    if y.shape != s.shape:
        raise ValueError(
            f"y_true and score must have the same length; got {y.size} and {s.size}."
        )
    values = set(np.unique(y).tolist())
    if not values <= {0, 1} or len(values) != 2:
        raise ValueError(
            f"y_true must hold both classes 0 (good) and 1 (bad); got {sorted(values)}."
        )
    if not np.all(np.isfinite(s)):
        raise ValueError("score must be finite; got NaN or infinite values.")
    return y.astype(int), (-s if higher_is_better else s)


def roc_plot(
    curves: Mapping[str, tuple[ArrayLike, ArrayLike]],
    *,
    higher_is_better: bool = True,
    title: str | None = None,
) -> Figure:
    """ROC curves (bads caught against goods rejected), AUC in the legend.

    Parameters
    ----------
    curves : mapping of str to (y_true, score)
        One curve per entry (e.g. ``{"train": (y, s), "test": (y2, s2)}``);
        ``y_true`` is 1 for bad, 0 for good.
    higher_is_better : bool, default=True
        ``True`` for scores where higher means lower risk (points);
        ``False`` for a risk such as a probability of default.
    title : str, default=None
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``y_true`` is not binary 0/1 with both classes, or lengths differ.

    Examples
    --------
    >>> fig = roc_plot({"model": ([0, 0, 1, 1], [700, 650, 640, 600])})
    >>> fig.axes[0].get_legend().get_texts()[0].get_text()
    'model (AUC 1.000)'
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    fig = new_figure(4.2, 4.0)
    ax = fig.add_subplot()
    for i, (name, (y_true, score)) in enumerate(curves.items()):
        y, risk = _risk(y_true, score, higher_is_better)
        fpr, tpr, _ = roc_curve(y, risk)
        auc = roc_auc_score(y, risk)
        ax.plot(
            fpr, tpr, color=PALETTE[i % len(PALETTE)], label=f"{name} (AUC {auc:.3f})"
        )
    ax.plot([0, 1], [0, 1], color="#999999", linestyle=":", linewidth=1)
    ax.set_xlabel("share of goods rejected (FPR)")
    ax.set_ylabel("share of bads rejected (TPR)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return fig


def ks_plot(
    y_true: ArrayLike,
    score: ArrayLike,
    *,
    higher_is_better: bool = True,
    title: str | None = None,
) -> Figure:
    """Cumulative score distributions of goods and bads with the KS gap.

    Parameters
    ----------
    y_true : array-like of {0, 1}
        1 for bad, 0 for good.
    score : array-like of float
        The score.
    higher_is_better : bool, default=True
        Orientation of the score (see :func:`roc_plot`); the x axis is the
        score as given.
    title : str, default=None
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        As :func:`roc_plot`.

    Examples
    --------
    >>> fig = ks_plot([0, 0, 1, 1], [700, 650, 640, 600])
    >>> fig.axes[0].get_title(loc="left")
    'KS 1.000 at score 640'
    """
    y, _ = _risk(y_true, score, higher_is_better)
    s = np.asarray(score, dtype=np.float64).ravel()
    grid = np.unique(s)
    cdf_good = np.searchsorted(np.sort(s[y == 0]), grid, side="right") / (y == 0).sum()
    cdf_bad = np.searchsorted(np.sort(s[y == 1]), grid, side="right") / (y == 1).sum()
    gap = np.abs(cdf_good - cdf_bad)
    k = int(np.argmax(gap))
    fig = new_figure(5.2, 3.6)
    ax = fig.add_subplot()
    ax.step(grid, cdf_good, where="post", color=PALETTE[2], label="goods")
    ax.step(grid, cdf_bad, where="post", color=PALETTE[1], label="bads")
    ax.vlines(
        grid[k],
        min(cdf_good[k], cdf_bad[k]),
        max(cdf_good[k], cdf_bad[k]),
        color="#000000",
        linestyle="--",
        linewidth=1,
    )
    ax.set_xlabel("score")
    ax.set_ylabel("cumulative share")
    ax.legend(fontsize=8, frameon=False)
    ax.grid(color="#e5e5e5")
    ax.set_axisbelow(True)
    head = f"KS {gap[k]:.3f} at score {grid[k]:.4g}"
    ax.set_title(f"{title}: {head}" if title else head, loc="left", fontsize=10)
    return fig


# --------------------------------------------------------------------------
# tables


def format_number(value: Any, *, digits: int = 4) -> str:
    """Format one cell: integers with separators, floats with fixed decimals.

    Parameters
    ----------
    value : object
        The value. ``None`` and NaN become an em dash, booleans "yes"/"no",
        integral numbers get thousands separators, numbers of magnitude at
        least 100 one decimal, tiny or huge ones three significant digits in
        scientific notation, others ``digits`` decimals.
    digits : int, default=4
        Decimals of ordinary floats.

    Returns
    -------
    str

    Examples
    --------
    >>> [format_number(v) for v in (12345, 0.81234, 612.345, 3e-7, float("nan"))]
    ['12,345', '0.8123', '612.3', '3e-07', '—']
    """
    if value is None:
        return _MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        x = float(value)
        if math.isnan(x):
            return _MISSING
        if math.isinf(x):
            return "\u221e" if x > 0 else "\u2212\u221e"
        a = abs(x)
        if x == 0:
            return f"{0:.{digits}f}"
        if a >= 1e15 or a < 10.0 ** (-digits):
            return f"{x:.3g}"
        if a >= 100:
            return f"{x:,.1f}"
        return f"{x:.{digits}f}"
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return _MISSING
    return str(value)


def _format_pvalue(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _MISSING
    x = float(value)
    if x < 1e-16:
        return "<1e-16"
    return f"{x:.3g}"


def _column_formatter(
    name: str,
    column: pd.Series,
    digits: int,
    formats: Mapping[str, str | Callable[[Any], str]],
) -> Callable[[Any], str]:
    key = str(name)
    if key in formats:
        fmt = formats[key]
        if callable(fmt):
            return lambda v: _MISSING if _isna(v) else str(fmt(v))
        return lambda v: _MISSING if _isna(v) else fmt.format(v)
    if "pvalue" in key.lower().replace("_", "").replace("-", ""):
        return _format_pvalue
    if pd.api.types.is_float_dtype(column.dtype):
        finite = column.to_numpy(dtype=np.float64)
        finite = finite[np.isfinite(finite)]
        if (
            finite.size
            and np.all(finite == np.round(finite))
            and np.all(np.abs(finite) < 1e15)
        ):
            return lambda v: _MISSING if _isna(v) else f"{round(float(v)):,}"
    return lambda v: format_number(v, digits=digits)


def _isna(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def table_html(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    index: bool | None = None,
    digits: int = 4,
    formats: Mapping[str, str | Callable[[Any], str]] | None = None,
    highlight: Sequence[bool] | None = None,
) -> str:
    """Render a DataFrame as an HTML table with readable numbers.

    Numbers are right-aligned; float columns holding only whole numbers are
    shown as integers, columns whose name contains "pvalue" in three
    significant digits, NaN as an em dash. Every value is HTML-escaped.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data.
    caption : str, default=None
        Table caption.
    index : bool or None, default=None
        Show the index; ``None`` shows it unless it is a default RangeIndex.
    digits : int, default=4
        Decimals of ordinary floats (see :func:`format_number`).
    formats : mapping, default=None
        Per-column format string or callable, overriding the defaults.
    highlight : sequence of bool, default=None
        Rows given the ``flag`` class (highlighted).

    Returns
    -------
    str
        A ``<table>`` element.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If ``highlight`` has the wrong length.

    Examples
    --------
    >>> df = pd.DataFrame({"group": ["a<b"], "n": [1200.0], "air": [0.81234]})
    >>> html = table_html(df)
    >>> for cell in html.split("<tbody>")[1].split("</td>")[:3]:
    ...     print(cell)
    <tr><td>a&lt;b
    <td class="num">1,200
    <td class="num">0.8123
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"frame must be a pandas DataFrame; got {type(frame).__name__}."
        )
    formats = dict(formats or {})
    show_index = (
        not isinstance(frame.index, pd.RangeIndex) if index is None else bool(index)
    )
    data = frame.reset_index() if show_index else frame
    if highlight is not None and len(highlight) != len(data):
        raise ValueError(
            f"highlight must have {len(data)} values (one per row); "
            f"got {len(highlight)}."
        )
    columns = [str(c) for c in data.columns]
    formatters = [
        _column_formatter(c, data.iloc[:, j], digits, formats)
        for j, c in enumerate(columns)
    ]
    numeric = [
        pd.api.types.is_numeric_dtype(data.iloc[:, j].dtype)
        and not pd.api.types.is_bool_dtype(data.iloc[:, j].dtype)
        for j in range(len(columns))
    ]
    parts = ['<table class="data">']
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    parts.append("<thead><tr>")
    parts.extend(f"<th>{escape(c)}</th>" for c in columns)
    parts.append("</tr></thead><tbody>")
    for i, row in enumerate(data.itertuples(index=False, name=None)):
        flagged = highlight is not None and bool(highlight[i])
        parts.append('<tr class="flag">' if flagged else "<tr>")
        for value, fmt, num in zip(row, formatters, numeric, strict=True):
            cls = ' class="num"' if num else ""
            parts.append(f"<td{cls}>{escape(fmt(value))}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


# --------------------------------------------------------------------------
# the page

_CSS = """
:root { --fg:#1d2330; --muted:#5b6472; --line:#d9dde3; --accent:#0072B2;
  --warn:#b34700; --warnbg:#fff3e8; --okbg:#ecf7f1; --infobg:#eef4fb; }
* { box-sizing: border-box; }
body { margin:0; color:var(--fg); background:#fff;
  font:15px/1.5 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
header { padding:24px 40px 12px; border-bottom:3px solid var(--accent); }
header h1 { margin:0 0 4px; font-size:26px; }
header p { margin:0; color:var(--muted); }
nav { padding:8px 40px; background:#f6f7f9; border-bottom:1px solid var(--line); }
nav ol { margin:0; padding:0; list-style:none; display:flex; flex-wrap:wrap;
  gap:4px 18px; }
nav a { color:var(--accent); text-decoration:none; font-size:14px; }
main { padding:8px 40px 40px; max-width:1200px; }
section { margin-top:28px; }
h2 { font-size:20px; border-bottom:1px solid var(--line); padding-bottom:4px; }
h3 { font-size:16px; margin-top:20px; }
table.data { border-collapse:collapse; margin:10px 0 18px; font-size:13px; }
table.data caption { text-align:left; color:var(--muted); padding-bottom:4px;
  caption-side:top; }
table.data th { background:#f0f2f5; text-align:left; font-weight:600;
  padding:5px 9px; border-bottom:2px solid var(--line); white-space:nowrap; }
table.data td { padding:4px 9px; border-bottom:1px solid #eceef1; }
table.data td:first-child { white-space:nowrap; }
table.data td.num { text-align:right; font-variant-numeric:tabular-nums;
  white-space:nowrap; }
table.data tr.flag td { background:var(--warnbg); }
figure { margin:12px 0 20px; }
figure svg { max-width:100%; height:auto; }
figcaption { color:var(--muted); font-size:13px; }
pre.formula { background:#f6f7f9; border-left:3px solid var(--accent);
  padding:8px 12px; font:13px/1.45 "DejaVu Sans Mono", monospace;
  white-space:pre-wrap; }
dl.kv { display:grid; grid-template-columns:max-content auto; gap:3px 18px;
  font-size:14px; }
dl.kv dt { color:var(--muted); }
dl.kv dd { margin:0; }
.note { padding:8px 12px; border-radius:4px; margin:10px 0; }
.note.info { background:var(--infobg); }
.note.warn { background:var(--warnbg); color:var(--warn); }
.note.ok { background:var(--okbg); }
footer { color:var(--muted); font-size:12px; padding:16px 40px;
  border-top:1px solid var(--line); }
"""

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "font-src data:; form-action 'none'; base-uri 'none'"
)

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="infoscore {{ version }}">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
{% if subtitle %}<p>{{ subtitle }}</p>{% endif %}
</header>
{% if toc %}<nav aria-label="Contents"><ol>
{% for s in sections %}<li><a href="#{{ s.id }}">{{ s.heading }}</a></li>
{% endfor %}</ol></nav>{% endif %}
<main>
{% for s in sections %}{{ s.html }}
{% endfor %}
</main>
<footer>Generated by infoscore {{ version }}.{% if footer %} {{ footer }}{% endif %}
Self-contained: no scripts, fonts or images are loaded.</footer>
</body>
</html>
"""

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
_PAGE = _ENV.from_string(_TEMPLATE)


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    slug, k = base, 2
    while slug in used:
        slug, k = f"{base}-{k}", k + 1
    used.add(slug)
    return slug


def _block_html(block: Block, level: int, used: set[str]) -> str:
    if isinstance(block, Section):
        return _section_html(block, level + 1, used)[1]
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Table):
        return table_html(
            block.frame,
            caption=block.caption,
            index=block.index,
            digits=block.digits,
            formats=block.formats,
            highlight=block.highlight,
        )
    if isinstance(block, Plot):
        content = block.figure if isinstance(block.figure, str) else svg(block.figure)
        if not content.lstrip().startswith("<svg"):
            raise ValueError("Plot.figure must be a Figure or an '<svg' string.")
        cap = (
            f"<figcaption>{escape(block.caption)}</figcaption>" if block.caption else ""
        )
        return f"<figure>{content}{cap}</figure>"
    if isinstance(block, Formula):
        return f'<pre class="formula">{escape(block.text)}</pre>'
    if isinstance(block, KeyValues):
        items = "".join(
            f"<dt>{escape(k)}</dt><dd>{escape(format_number(v))}</dd>"
            for k, v in block.items.items()
        )
        return f'<dl class="kv">{items}</dl>'
    if isinstance(block, Note):
        if block.kind not in ("info", "warn", "ok"):
            raise ValueError(
                f"Note.kind must be 'info', 'warn' or 'ok'; got {block.kind!r}."
            )
        return f'<div class="note {block.kind}">{escape(block.text)}</div>'
    if isinstance(block, Html):
        return block.html
    raise TypeError(
        "A section block must be Paragraph, Table, Plot, Formula, KeyValues, Note, "
        f"Html or Section; got {type(block).__name__}."
    )


def _section_html(section: Section, level: int, used: set[str]) -> tuple[str, str]:
    if not isinstance(section, Section):
        raise TypeError(
            f"sections must hold Section objects; got {type(section).__name__}."
        )
    sid = _slug(section.id or section.heading, used)
    tag = f"h{min(level, 6)}"
    body = "".join(_block_html(b, level, used) for b in section.blocks)
    html = (
        f'<section id="{escape(sid)}"><{tag}>{escape(section.heading)}</{tag}>'
        f"{body}</section>"
    )
    return sid, html


def render_report(
    title: str,
    sections: Sequence[Section],
    *,
    subtitle: str | None = None,
    footer: str | None = None,
    toc: bool = True,
) -> str:
    """Render sections into one self-contained HTML document.

    Parameters
    ----------
    title : str
        Page title and main heading.
    sections : sequence of Section
        Top-level sections (``<h2>``), in order.
    subtitle : str, default=None
        Line under the title (data set, date, model id).
    footer : str, default=None
        Extra footer text.
    toc : bool, default=True
        Show a table of contents of the top-level sections.

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    TypeError
        If a section or block has an unknown type.

    Examples
    --------
    >>> html = render_report("Demo", [Section("Intro", [Paragraph("1 < 2")])])
    >>> '<section id="intro"><h2>Intro</h2><p>1 &lt; 2</p></section>' in html
    True
    """
    from .version import __version__

    used: set[str] = set()
    rendered = []
    for s in sections:
        sid, html = _section_html(s, 2, used)
        rendered.append({"id": sid, "heading": s.heading, "html": Markup(html)})
    return _PAGE.render(
        title=title,
        subtitle=subtitle,
        footer=footer,
        toc=toc,
        sections=rendered,
        css=Markup(_CSS),
        csp=_CSP,
        version=__version__,
    )
