"""The HTML report kit: SVG figures, tables, plots and the page, in a browser."""

from __future__ import annotations

import re

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from sklearn.metrics import roc_auc_score

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
    format_number,
    ks_plot,
    line_plot,
    new_figure,
    render_report,
    roc_plot,
    svg,
    table_html,
)
from tests._browser import assert_self_contained

# ----------------------------------------------------------------- figures


def test_svg_is_inline_markup_with_text_kept_and_no_pyplot_state():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = new_figure(3, 2)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [1, 0, 1])
    ax.set_title("unique-title-xyz")
    out = svg(fig)
    assert out.startswith("<svg")
    assert out.endswith("</svg>")
    assert "<?xml" not in out and "DOCTYPE" not in out
    assert "unique-title-xyz" in out  # text stays text (svg.fonttype none)
    assert "<dc:date>" not in out
    assert plt.get_fignums() == before
    assert matplotlib.rcParams["svg.fonttype"] == "path"  # context restored


def test_svg_rejects_non_figure():
    with pytest.raises(TypeError, match="fig must be a matplotlib.figure.Figure"):
        svg("<svg></svg>")


def test_errorbar_plot_bars_span_estimate_plus_minus_z_se():
    est, se = np.array([0.3, 0.1, 0.9]), np.array([0.05, 0.02, 0.1])
    fig = errorbar_plot(["a", "b", "c"], est, se=se, z=2.0, reference=0.8)
    ax = fig.axes[0]
    (bars,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    segs = np.array([s[:, 0] for s in bars.get_segments()])
    np.testing.assert_allclose(segs[:, 0], est - 2 * se)
    np.testing.assert_allclose(segs[:, 1], est + 2 * se)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    assert any(line.get_xdata()[0] == 0.8 for line in ax.lines)


def test_errorbar_plot_explicit_interval_and_bad_input():
    fig = errorbar_plot(["x"], [1.0], low=[0.5], high=[2.0])
    (bars,) = [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]
    np.testing.assert_allclose(bars.get_segments()[0][:, 0], [0.5, 2.0])
    with pytest.raises(ValueError, match="needs se, or both low and high"):
        errorbar_plot(["x"], [1.0])
    with pytest.raises(ValueError, match="se must have 2 values; got 1"):
        errorbar_plot(["x", "y"], [1.0, 2.0], se=[0.1])
    with pytest.raises(ValueError, match="highlight must have 1 values"):
        errorbar_plot(["x"], [1.0], se=[0.1], highlight=[True, False])


def test_line_plot_series_bands_and_thresholds():
    fig = line_plot(
        ["2024-01", "2024-02", "2024-03"],
        {"PSI": [0.01, 0.05, 0.3], "score PSI": [0.0, 0.01, 0.02]},
        bands={"PSI": ([0.0, 0.02, 0.2], [0.03, 0.08, 0.4])},
        hlines={"watch": 0.1, "drift": 0.25},
    )
    ax = fig.axes[0]
    assert len(ax.lines) == 4
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.01, 0.05, 0.3])
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "drift (0.25)"
    with pytest.raises(ValueError, match="series 'PSI' must have 2 values; got 3"):
        line_plot([1, 2], {"PSI": [1, 2, 3]})
    with pytest.raises(ValueError, match="band 'x' has no series"):
        line_plot([1, 2], {"PSI": [1, 2]}, bands={"x": ([0, 0], [1, 1])})


def test_roc_plot_auc_by_hand_and_against_sklearn():
    # goods (y=0) score 4 and 2, bads 3 and 1: goods outrank bads in 3 of 4 pairs
    fig = roc_plot({"m": ([0, 0, 1, 1], [4, 2, 3, 1])})
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "m (AUC 0.750)"
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500)
    risk = rng.normal(size=500) + y
    fig = roc_plot({"pd": (y, risk)}, higher_is_better=False)
    label = fig.axes[0].get_legend().get_texts()[0].get_text()
    assert label == f"pd (AUC {roc_auc_score(y, risk):.3f})"


@pytest.mark.parametrize(
    ("y", "message"),
    [
        ([0, 0, 0], r"both classes 0 \(good\) and 1 \(bad\); got \[0\]"),
        ([0, 1, 2], r"got \[0, 1, 2\]"),
    ],
)
def test_roc_plot_rejects_non_binary_target(y, message):
    with pytest.raises(ValueError, match=message):
        roc_plot({"m": (y, [1.0, 2.0, 3.0])})


def test_roc_and_ks_reject_bad_scores():
    with pytest.raises(ValueError, match="same length; got 2 and 3"):
        ks_plot([0, 1], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="score must be finite"):
        ks_plot([0, 1], [1.0, np.nan])


def test_ks_plot_by_hand():
    # cdf goods at 1,2,3,4: 0, .5, .5, 1; bads: .5, .5, 1, 1 -> KS .5 at score 1
    fig = ks_plot([0, 0, 1, 1], [4, 2, 3, 1])
    assert fig.axes[0].get_title(loc="left") == "KS 0.500 at score 1"


# ----------------------------------------------------------------- tables


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "\u2014"),
        (float("nan"), "\u2014"),
        (pd.NA, "\u2014"),
        (True, "yes"),
        (np.bool_(False), "no"),
        (1234567, "1,234,567"),
        (np.int64(-12), "-12"),
        (0.0, "0.0000"),
        (0.812345, "0.8123"),
        (-0.05, "-0.0500"),
        (612.345, "612.3"),
        (139734.22, "139,734.2"),
        (3e-7, "3e-07"),
        (2.5e16, "2.5e+16"),
        (float("inf"), "\u221e"),
        ("a<b", "a<b"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


def _cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html)
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r) for r in rows]


def test_table_html_formats_columns_and_escapes():
    frame = pd.DataFrame(
        {
            "group": ["<b>x</b>", "y & z"],
            "n": [1200.0, 35.0],
            "air": [0.81234, np.nan],
            "pvalue": [0.0, 0.01234],
            "share": [0.25, 0.75],
            "flag": [True, False],
        }
    )
    html = table_html(frame, formats={"share": "{:.1%}"}, highlight=[True, False])
    cells = _cells(html)
    assert cells[0] == ["group", "n", "air", "pvalue", "share", "flag"]
    assert cells[1] == [
        "&lt;b&gt;x&lt;/b&gt;",
        "1,200",
        "0.8123",
        "&lt;1e-16",
        "25.0%",
        "yes",
    ]
    assert cells[2] == ["y &amp; z", "35", "\u2014", "0.0123", "75.0%", "no"]
    assert html.count('<tr class="flag">') == 1
    assert '<td class="num">1,200</td>' in html
    assert "<td>yes</td>" in html  # booleans are not right-aligned numbers


def test_table_html_index_rules_and_errors():
    frame = pd.DataFrame({"v": [1.5]}, index=pd.Index(["g1"], name="group"))
    assert _cells(table_html(frame))[0] == ["group", "v"]
    assert _cells(table_html(frame, index=False))[0] == ["v"]
    assert _cells(table_html(frame.reset_index(drop=True)))[0] == ["v"]
    assert "<caption>c &amp; d</caption>" in table_html(frame, caption="c & d")
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame; got dict"):
        table_html({"v": [1]})
    with pytest.raises(ValueError, match="highlight must have 1 values"):
        table_html(frame, highlight=[True, True])


# ----------------------------------------------------------------- the page


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
