"""Whole and chunked reading of CSV and Parquet files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard._kit.io import iter_table_chunks, read_table, table_columns, write_table


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "a": rng.normal(size=1000),
            "b": rng.integers(0, 5, 1000),
            "c": ["x", "y"] * 500,
        }
    )


@pytest.mark.parametrize("kind", ["csv", "parquet", "parquet-dir"])
def test_chunks_concatenate_to_the_whole_file(frame, tmp_path, kind):
    if kind == "parquet-dir":
        path = tmp_path / "data"
        path.mkdir()
        for i in range(3):  # files of 333-334 rows, row groups of 100 rows
            part = frame.iloc[i * 334 : (i + 1) * 334]
            part.to_parquet(path / f"part{i}.parquet", index=False, row_group_size=100)
    else:
        path = tmp_path / f"data.{kind}"
        write_table(frame, path)
    chunks = list(iter_table_chunks(path, columns=["a", "c"], chunk_rows=64))
    assert all(len(c) <= 64 for c in chunks)
    whole = pd.concat(chunks, ignore_index=True)
    pd.testing.assert_frame_equal(
        whole, read_table(path, columns=["a", "c"]), check_dtype=False
    )
    assert table_columns(path) == ["a", "b", "c"]


def test_bad_paths(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        read_table(tmp_path / "none.csv")
    with pytest.raises(
        ValueError, match=r"must end in .csv, .parquet or .pq; got '.txt'"
    ):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "x.txt")
    with pytest.raises(ValueError, match="chunk_rows must be >= 1"):
        next(iter_table_chunks(tmp_path / "none.csv", chunk_rows=0))
