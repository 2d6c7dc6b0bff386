"""The report page: structure, escaping, anchors, CSS and template files, browser."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from matplotlib.figure import Figure

from scorecard._kit.report import (
    Formula,
    Html,
    KeyValues,
    Note,
    Paragraph,
    Plot,
    Section,
    Table,
    errorbar_plot,
    line_plot,
    new_figure,
    render_report,
)
from scorecard._models._plots import ks_plot, roc_plot
from tests._browser import assert_self_contained


def _demo_sections() -> list[Section]:
    fig = errorbar_plot(["A", "B"], [0.9, 0.7], se=[0.02, 0.05], reference=0.8)
    frame = pd.DataFrame({"group": ["A", "B"], "n": [100, 50], "air": [1.0, 0.7]})
    return [
        Section(
            "Overview & <settings>",
            [
                Paragraph("A paragraph with <b>markup</b> that must be escaped."),
                KeyValues({"cutoff": 612.5, "n": 20000, "reference": "A"}),
                Note("Group B is below the four-fifths line.", kind="warn"),
            ],
        ),
        Section(
            "Metrics",
            [
                Table(frame, caption="Groups", highlight=[False, True]),
                Plot(fig, caption="AIR with 1 SE"),
                Section("Details", [Formula("AIR = a_g / a_ref")]),
            ],
        ),
        Section("Metrics", [Paragraph("Same heading, distinct anchor.")]),
    ]


def test_render_report_structure_escaping_and_anchors():
    html = render_report("Kit <demo>", _demo_sections(), subtitle="SimuCredit")
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Kit &lt;demo&gt;</title>" in html
    assert 'content="default-src &#39;none&#39;;' in html
    ids = re.findall(r'<section id="([^"]+)">', html)
    assert ids == ["overview-settings", "metrics", "details", "metrics-2"]
    toc = re.findall(r'<a href="#([^"]+)">', html)
    assert toc == ["overview-settings", "metrics", "metrics-2"]
    assert "<h3>Details</h3>" in html
    assert "&lt;b&gt;markup&lt;/b&gt;" in html and "<b>markup</b>" not in html
    assert html.count("<svg") == 1
    assert '<div class="note warn">' in html
    assert "<dt>cutoff</dt><dd>612.5</dd>" in html
    assert_self_contained(html)


def test_render_report_rejects_unknown_blocks():
    with pytest.raises(TypeError, match="block must be Paragraph, .* got int"):
        render_report("t", [Section("s", [42])])
    with pytest.raises(TypeError, match="sections must hold Section objects; got str"):
        render_report("t", ["s"])
    with pytest.raises(ValueError, match="Note.kind must be 'info', 'warn' or 'ok'"):
        render_report("t", [Section("s", [Note("x", kind="red")])])
    with pytest.raises(ValueError, match="Plot.figure must be a Figure or an '<svg'"):
        render_report("t", [Section("s", [Plot("<img src=x>")])])


def test_assert_self_contained_catches_external_resources():
    for bad in (
        "<script>alert(1)</script>",
        '<img src="http://example.com/x.png">',
        '<link rel="stylesheet" href="https://cdn.example/x.css">',
        '<a href="https://example.com">x</a>',
        "<style>@import url(http://x/y.css);</style>",
    ):
        with pytest.raises(AssertionError, match="not self-contained"):
            assert_self_contained(bad)
    assert_self_contained('<a href="#top">top</a><svg><use xlink:href="#m1"/></svg>')


def test_figure_type_is_not_pyplot():
    assert type(new_figure()) is Figure


def test_report_renders_in_headless_chromium(browser, tmp_path):
    sections = _demo_sections()
    sections.append(
        Section(
            "Performance",
            [
                Plot(roc_plot({"m": ([0, 0, 1, 1, 0], [4, 2, 3, 1, 5])})),
                Plot(ks_plot([0, 0, 1, 1, 0], [4, 2, 3, 1, 5])),
                Plot(
                    line_plot(
                        [1, 2, 3], {"PSI": [0.01, 0.02, 0.3]}, hlines={"drift": 0.25}
                    )
                ),
            ],
        )
    )
    path = tmp_path / "kit.html"
    path.write_text(render_report("Kit demo", sections), encoding="utf-8")
    page = browser.open(path, screenshot=tmp_path / "kit.png")
    assert page.title == "Kit demo"
    assert page.headings == [
        "Kit demo",
        "Overview & <settings>",
        "Metrics",
        "Details",
        "Metrics",
        "Performance",
    ]
    assert page.svg_count == 4
    assert "Group B is below the four-fifths line." in page.text
    assert page.console_errors == []
    assert page.requests == []
    png = page.screenshot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert page.size[1] > 1000  # the full page, beyond one viewport


def test_browser_harness_sees_blocked_script_and_remote_image(browser, tmp_path):
    # The page's CSP blocks both; the harness must report the violations.
    html = render_report(
        "bad",
        [
            Section(
                "s",
                [
                    Html(
                        '<script>console.log("x")</script>'
                        '<img src="http://127.0.0.1:9/x.png">'
                    )
                ],
            )
        ],
    )
    path = tmp_path / "bad.html"
    path.write_text(html, encoding="utf-8")
    page = browser.open(path)
    joined = " ".join(page.console_errors)
    assert "Content Security Policy" in joined
    assert "script" in joined and "img-src" in joined


def test_browser_harness_records_requests_of_a_page_without_csp(browser, tmp_path):
    # no CSP here: the browser really tries to fetch the image
    path = tmp_path / "leaky.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>leaky</title></head><body>"
        '<h1>x</h1><img src="http://127.0.0.1:9/x.png"></body></html>',
        encoding="utf-8",
    )
    page = browser.open(path)
    assert page.requests == ["http://127.0.0.1:9/x.png"]
    assert page.headings == ["x"]


def test_template_and_css_are_package_files():
    from importlib import resources

    from scorecard._kit.report import report_css

    folder = resources.files("scorecard._kit.report") / "templates"
    css = (folder / "report.css").read_text("utf-8")
    assert css == report_css() and ":root" in css
    assert "{{ css }}" in (folder / "report.html.j2").read_text("utf-8")
    html = render_report("t", [Section("s", [Paragraph("x")])])
    assert css in html


def test_version_comes_from_the_one_place():
    from scorecard._kit.version import __version__

    html = render_report("t", [Section("s", [Paragraph("x")])])
    assert f'content="infoscore {__version__}"' in html
    assert f"Generated by infoscore {__version__}." in html


def test_importing_the_kit_and_models_loads_no_plotting_or_template_engine():
    import subprocess
    import sys

    code = (
        "import sys, scorecard, scorecard._kit.report, scorecard._models._report; "
        "print(sorted(m for m in ('matplotlib', 'jinja2', 'statsmodels') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
