"""The report page: sections of blocks rendered into one self-contained HTML file.

One jinja2 template (``templates/report.html.j2``) with the style sheet
``templates/report.css`` inlined renders a list of :class:`Section` objects
into a single HTML string: figures are inline ``<svg>``, there is no
JavaScript, no font, image or style sheet is fetched (a Content-Security-Policy
forbids it), and every link is an in-page anchor.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..version import __version__
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
from .plots import svg
from .tables import format_number, table_html

if TYPE_CHECKING:
    import jinja2

__all__ = ["render_report", "report_css"]


_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "font-src data:; form-action 'none'; base-uri 'none'"
)


@functools.cache
def _page() -> jinja2.Template:
    """The page template (jinja2 is imported on the first render)."""
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_resource("report.html.j2"))


def _resource(name: str) -> str:
    return (resources.files(__package__) / "templates" / name).read_text("utf-8")


@functools.cache
def report_css() -> str:
    """The report style sheet (``templates/report.css``), inlined in every page."""
    return _resource("report.css")


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
    used: set[str] = set()
    rendered = []
    for s in sections:
        sid, html = _section_html(s, 2, used)
        rendered.append({"id": sid, "heading": s.heading, "html": Markup(html)})
    return _page().render(
        title=title,
        subtitle=subtitle,
        footer=footer,
        toc=toc,
        sections=rendered,
        css=Markup(report_css()),
        csp=_CSP,
        version=__version__,
    )
