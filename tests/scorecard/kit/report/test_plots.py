"""Report figures: SVG markup, error bars, lines, ROC and KS plots."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from matplotlib.collections import LineCollection

from scorecard._kit.report import (
    errorbar_plot,
    line_plot,
    new_figure,
    svg,
)


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


def test_dollar_pairs_from_data_are_text_not_mathtext():
    from scorecard._kit.report import errorbar_plot, line_plot, svg

    labels = ["rate$_per_$month", "$x^2$", "a $ b"]
    fig = errorbar_plot(labels, [0.1, 0.2, 0.3], se=[0.01, 0.02, 0.03],
                        xlabel="$_per_$", title="$\\frac{a}{b}$")  # fmt: skip
    out = svg(fig)  # mathtext would fail on "_per_" ("error: _per_")
    assert "rate$_per_$month" in out and "$x^2$" in out and "$\\frac{a}{b}$" in out
    fig = line_plot(["$b_$1", "2"], {"$s_$": [1.0, 2.0]}, title="$_t_$")
    assert "$s_$" in svg(fig)
