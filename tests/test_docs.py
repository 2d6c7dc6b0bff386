"""The documentation site: API coverage, and the built pages in a real browser.

The browser tests need a built site (``python -m sphinx -W -b html docs
docs/_build/html``, run by ``.ci/run`` before the tests). Without one they
skip, saying so; ``INFOSCORE_REQUIRE_DOCS=1`` (set by ``.ci/run``) turns the
skip into a failure.
"""

from __future__ import annotations

import importlib
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
API = ROOT / "docs" / "api"
SITE = ROOT / "docs" / "_build" / "html"

#: The modules whose ``__all__`` the reference must cover, and their page.
REFERENCED = {
    "scorecard": "scorecard.rst",
    "scorecard.datasets": "scorecard.rst",
    "fairness": "fairness.rst",
    "monitoring": "monitoring.rst",
}


def _documented(page: str) -> set[str]:
    """Names listed in the page's autosummary blocks or named as re-exports."""
    text = (API / page).read_text(encoding="utf-8")
    names = set()
    for block in re.findall(r"\.\. autosummary::\n((?:[ \t]+.*\n|\n)+)", text):
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith(":"):
                names.add(line)
    # "Re-exported from scorecard: ``fairness.delong_auc`` ... are ..."
    _, _, reexported = text.partition("Re-exported from")
    names.update(re.findall(r"``[a-z_.]+\.(\w+)``", reexported))
    return names


@pytest.mark.parametrize("module", sorted(REFERENCED))
def test_every_public_name_is_in_the_reference(module):
    public = set(importlib.import_module(module).__all__)
    missing = sorted(public - _documented(REFERENCED[module]))
    assert not missing, f"docs/api/{REFERENCED[module]} lacks {missing}"


def test_the_reference_names_only_public_names():
    known = set()
    for module in REFERENCED:
        known.update(importlib.import_module(module).__all__)
    stray = sorted(
        name
        for page in set(REFERENCED.values())
        for name in _documented(page)
        if name not in known
    )
    assert not stray, f"the API pages list names that are not public: {stray}"


def test_every_example_is_in_the_gallery_folder():
    """Sphinx-gallery runs ``examples/*.py``; each needs a title line."""
    scripts = sorted((ROOT / "examples").glob("*.py"))
    scripts = [p for p in scripts if p.name != "__init__.py"]
    assert len(scripts) >= 7
    for script in scripts:
        head = script.read_text(encoding="utf-8").split("\n", 2)
        assert head[0].startswith('"""'), script.name
        assert set(head[1]) == {"="} and len(head[1]) == len(head[0]) - 3, (
            f"{script.name}: the docstring must open with a title underlined by '='"
        )


# ---------------------------------------------------------------------------
# the built site


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        reason = (
            f"no built documentation at {SITE} "
            "(run python -m sphinx -W -b html docs docs/_build/html)"
        )
        if os.environ.get("INFOSCORE_REQUIRE_DOCS"):
            pytest.fail(f"INFOSCORE_REQUIRE_DOCS is set but there is {reason}")
        pytest.skip(reason)
    return SITE


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def _broken_links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    broken = []
    for link in parser.links:
        parts = urlsplit(link)
        if parts.scheme or link.startswith(("#", "//", "mailto:")):
            continue  # external or in-page: not checked offline
        target = (page.parent / unquote(parts.path)).resolve()
        if parts.path and not target.exists():
            broken.append(link)
    return broken


@pytest.mark.parametrize(
    "relative",
    [
        "index.html",
        "api/generated/scorecard.StumpBinner.html",
        "auto_examples/scorecard_end_to_end.html",
    ],
)
def test_built_page_in_browser(site, browser, relative):
    path = site / relative
    assert path.is_file(), f"{relative} was not built"
    page = browser.open(path)
    assert page.console_errors == []
    assert page.title
    assert page.headings, f"{relative} shows no heading"
    assert _broken_links(path) == []


def test_no_broken_in_site_link_anywhere(site):
    broken = {
        str(page.relative_to(site)): links
        for page in sorted(site.rglob("*.html"))
        if "_static" not in page.relative_to(site).parts
        if (links := _broken_links(page))
    }
    assert broken == {}


def test_gallery_shows_output_of_the_examples(site):
    html = (site / "auto_examples" / "scorecard_end_to_end.html").read_text(
        encoding="utf-8"
    )
    assert "identical scores: True" in html
    assert re.search(r"<img[^>]+sphx_glr_scorecard_end_to_end_\d+\.png", html)
