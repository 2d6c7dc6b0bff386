"""Report tables: number formatting and escaped HTML tables."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from scorecard._kit.report import (
    format_number,
    table_html,
)


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
