"""Whole and chunked reading of CSV and Parquet files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard._kit.io import (
    check_table,
    iter_table_chunks,
    read_table,
    table_columns,
    write_table,
)


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


# --------------------------------------------------------------------------
# issue 15: strict CSV reading, atomic writing, output-path checks


def test_a_csv_row_with_an_extra_field_is_rejected_not_read_shifted(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,amount,age\n1,500.0,30\n2,1,193.60,41\n3,7.5,22\n")
    for read in (
        lambda: read_table(path, columns=["amount", "age"]),
        lambda: list(iter_table_chunks(path, columns=["amount"], chunk_rows=1)),
        lambda: read_table(path),
        lambda: check_table(path),  # what the Dask engine runs first
    ):
        with pytest.raises(ValueError, match="line 3: 4 fields, but the header has 3"):
            read()


def test_a_csv_row_with_a_missing_field_is_rejected(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('id,name,age\n1,"a, b",30\n2,x\n')
    with pytest.raises(ValueError, match="line 3: 2 fields"):
        read_table(path, columns=["age"])


def test_quoted_commas_and_blank_lines_are_fine(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('id,name\n1,"a, b"\n\n2,"c\nd"\n')
    assert read_table(path)["name"].tolist() == ["a, b", "c\nd"]


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_duplicated_header_is_rejected(tmp_path, kind):
    path = tmp_path / f"d.{kind}"
    if kind == "csv":
        path.write_text("a,b,a\n1,2,3\n")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table([[1], [2], [3]], names=["a", "b", "a"]), path)
    with pytest.raises(ValueError, match=r"names the column\(s\) \['a'\] more than"):
        table_columns(path)
    with pytest.raises(ValueError, match="more than once"):
        read_table(path, columns=["a"])


def test_write_table_is_atomic_and_ignores_stale_temp_files(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    path.write_text("old\n")
    # a temp file of a killed job with our own pid must not block the write
    (tmp_path / f".out.csv.{__import__('os').getpid()}.tmp").write_text("stale")
    frame = pd.DataFrame({"a": [1, 2]})

    def boom(self, target, *args, **kwargs):  # a job killed mid-write
        Path(target).write_text("a\n1\n")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", boom)
    with pytest.raises(OSError, match="disk full"):
        write_table(frame, path)
    assert path.read_text() == "old\n"  # the old file is intact, no partial file
    monkeypatch.undo()
    write_table(frame, path)
    assert pd.read_csv(path)["a"].tolist() == [1, 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".out.csv.{__import__('os').getpid()}.tmp",
        "out.csv",
    ]


def test_csv_output_neutralises_formula_prefixes(tmp_path):
    path = tmp_path / "out.csv"
    frame = pd.DataFrame(
        {"id": ["=HYPERLINK(1)", "+1", "@x", "-a", "\tz", "ok"], "v": range(-3, 3)}
    )
    frame["=cmd"] = 1.5
    write_table(frame, path)
    back = pd.read_csv(path)
    assert back["id"].tolist() == ["'=HYPERLINK(1)", "'+1", "'@x", "'-a", "'\tz", "ok"]
    assert back["v"].tolist() == [-3, -2, -1, 0, 1, 2]  # numbers stay numbers
    assert list(back.columns) == ["id", "v", "'=cmd"]
    write_table(frame, tmp_path / "out.parquet")  # Parquet is written as is
    assert pd.read_parquet(tmp_path / "out.parquet")["id"].iloc[0] == "=HYPERLINK(1)"


def test_outputs_may_not_be_inputs_also_through_links(tmp_path):
    import os

    from scorecard._kit.io import check_outputs, check_suffix

    data = tmp_path / "train.csv"
    data.write_text("a\n1\n")
    (tmp_path / "link.csv").symlink_to(data)
    os.link(data, tmp_path / "hard.csv")
    for out in (data, tmp_path / "link.csv", tmp_path / "hard.csv"):
        with pytest.raises(ValueError, match="would overwrite the input data"):
            check_outputs({"--out": out}, {"data": data})
    store = tmp_path / "m.db"
    with pytest.raises(ValueError, match="would overwrite the input --store"):
        check_outputs({"--report": f"{store}-wal"}, {"--store": store})
    with pytest.raises(ValueError, match="would overwrite the input --out"):
        same = tmp_path / "a.json"
        check_outputs({"--out": same, "--report": same}, {})
    with pytest.raises(ValueError, match="is a folder; name a file"):
        check_outputs({"--report": tmp_path}, {})
    with pytest.raises(FileNotFoundError, match="of --report does not exist"):
        check_outputs({"--report": tmp_path / "no" / "r.html"}, {})
    parquet_dir = tmp_path / "batch"
    parquet_dir.mkdir()
    with pytest.raises(ValueError, match="would overwrite the input batch"):
        check_outputs({"--out": parquet_dir / "x.parquet"}, {"batch": parquet_dir})
    with pytest.raises(ValueError, match=r"--report must end in \.html"):
        check_suffix(tmp_path / "r.db", "--report", (".html",))
    assert check_outputs({"--out": tmp_path / "new.csv"}, {"data": data})
