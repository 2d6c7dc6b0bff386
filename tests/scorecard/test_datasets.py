"""The bundled data load offline and match their documentation."""

from __future__ import annotations

from importlib import resources

from scorecard.datasets import load_german_credit, load_simucredit


def test_simucredit():
    df = load_simucredit()
    assert df.shape == (20_000, 10)
    assert set(df["Status"].unique()) == {0, 1}
    assert abs((df["Race"] == 0).mean() - 0.30) < 0.01
    assert df.isna().sum().sum() == 0


def test_german_credit():
    df = load_german_credit()
    assert df.shape == (1_000, 21)
    assert set(df["creditability"]) == {"good", "bad"}
    assert "personal_status_and_sex" in df and "age_in_years" in df


def test_attribution_note_ships_with_the_data():
    note = resources.files("scorecard.datasets").joinpath("data", "ATTRIBUTION.md")
    text = note.read_text()
    assert "Apache License 2.0" in text and "CC BY 4.0" in text
