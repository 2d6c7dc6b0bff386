"""Report tables: readable numbers and escaped HTML tables from DataFrames."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import escape

__all__ = ["MISSING", "format_number", "format_pvalue", "table_html"]

#: What a missing cell (NaN / None) shows: an em dash.
MISSING = "\u2014"


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
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        x = float(value)
        if math.isnan(x):
            return MISSING
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
        return MISSING
    return str(value)


def format_pvalue(value: Any) -> str:
    """Format a p-value: three significant digits, ``"<1e-16"`` below 1e-16.

    Examples
    --------
    >>> format_pvalue(0.012345), format_pvalue(0.0)
    ('0.0123', '<1e-16')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
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
            return lambda v: MISSING if _isna(v) else str(fmt(v))
        return lambda v: MISSING if _isna(v) else fmt.format(v)
    if "pvalue" in key.lower().replace("_", "").replace("-", ""):
        return format_pvalue
    if pd.api.types.is_float_dtype(column.dtype):
        finite = column.to_numpy(dtype=np.float64)
        finite = finite[np.isfinite(finite)]
        if (
            finite.size
            and np.all(finite == np.round(finite))
            and np.all(np.abs(finite) < 1e15)
        ):
            return lambda v: MISSING if _isna(v) else f"{round(float(v)):,}"
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
    parts = ['<div class="table-scroll"><table class="data">']
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
    parts.append("</tbody></table></div>")
    return "".join(parts)
