"""Report blocks: the content types a report section is made of.

A report is a list of :class:`Section` objects; each holds blocks
(:class:`Paragraph`, :class:`Table`, :class:`Plot`, :class:`Formula`,
:class:`KeyValues`, :class:`Note`, :class:`Html`, or nested sections) that
:func:`scorecard._kit.report.render_report` turns into HTML. Blocks hold data
only; they render nothing themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "Block",
    "Formula",
    "Html",
    "KeyValues",
    "Note",
    "Paragraph",
    "Plot",
    "Section",
    "Table",
]


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
