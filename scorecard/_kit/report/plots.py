"""Report figures: matplotlib figures on a private Agg canvas, inlined as SVG.

Figures are built on :class:`matplotlib.figure.Figure` objects with an Agg
canvas, never through ``pyplot``, so no global figure state leaks between
reports or into a user's session. matplotlib is imported inside the functions
that draw, so importing the report kit does not load it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "PALETTE",
    "errorbar_plot",
    "line_plot",
    "new_figure",
    "svg",
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
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


_XML_HEAD = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)


def svg(fig: Figure) -> str:
    """Render a matplotlib figure to an inline ``<svg>`` element string.

    Text stays text (``svg.fonttype = "none"``), so it is searchable and
    small, and is never parsed as mathtext (labels come from data, where a
    pair of ``$`` is plain text); the XML prolog, DOCTYPE and the date
    metadata are dropped so the string can be placed directly into HTML.

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
    import matplotlib
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(
            f"fig must be a matplotlib.figure.Figure; got {type(fig).__name__}."
        )
    from matplotlib.text import Text

    buf = io.StringIO()
    # Labels come from data (column names, categories, batch ids): a pair of
    # "$" must stay text, never be parsed as mathtext (which fails or renders
    # something else). Tick labels made while drawing follow the rcParam.
    for text in fig.findobj(Text):
        text.set_parse_math(False)
    with matplotlib.rc_context({"svg.fonttype": "none", "text.parse_math": False}):
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
