"""Reading and writing tabular files (CSV and Parquet), whole or in chunks.

Reading is strict: a CSV file's header may not name a column twice and every
row must have as many fields as the header (pandas skips that check when only
some columns are read, so a row with one unquoted ``1,193.60`` would be read
shifted). Writing is atomic: every output goes to a randomly named temporary
file next to its target and is renamed into place, so a killed job leaves
either the old file or the new one, never a partial file, and a stale
temporary file never blocks a later job. Output paths are checked against the
job's inputs first (:func:`check_outputs`). CSV outputs neutralise cells that a
spreadsheet would run as a formula (:func:`neutralise_formulas`); see
docs/methodology.md, section "Hostile input".
"""

from __future__ import annotations

import csv
import functools
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pandas as pd

__all__ = [
    "read_table",
    "iter_table_chunks",
    "write_table",
    "stage_table",
    "table_format",
    "table_columns",
    "check_table",
    "check_outputs",
    "check_suffix",
    "stage_file",
    "write_atomic",
    "neutralise_formulas",
    "FORMULA_PREFIXES",
]

_FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}

#: First characters that make a spreadsheet treat a text cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

PathLike = str | os.PathLike[str]


def table_format(path: PathLike) -> str:
    """``"csv"`` or ``"parquet"`` from a file name (a directory is Parquet).

    Raises
    ------
    ValueError
        For any other extension.
    """
    p = Path(path)
    if p.is_dir():
        return "parquet"
    fmt = _FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise ValueError(
            f"File {str(p)!r} must end in .csv, .parquet or .pq; got {p.suffix!r}."
        )
    return fmt


def _existing(path: PathLike) -> Path:
    p = Path(path)
    if not p.exists():
        raise ValueError(f"Data file {str(p)!r} does not exist.")
    return p


def _unique_header(names: Sequence[str], path: Path) -> list[str]:
    seen: set[str] = set()
    twice = [n for n in names if n in seen or seen.add(n)]  # type: ignore[func-returns-value]
    if twice:
        raise ValueError(
            f"Data file {str(path)!r} names the column(s) {sorted(set(twice))[:10]} "
            "more than once; column names must be unique."
        )
    return list(names)


def _csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        header = next(csv.reader(fh), None)
    if not header:
        raise ValueError(f"CSV file {str(path)!r} has no header line.")
    return _unique_header(header, path)


def _check_csv_rows(path: Path) -> None:
    """Every CSV row has as many fields as the header (blank lines are skipped)."""
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            raise ValueError(f"CSV file {str(path)!r} has no header line.")
        _unique_header(header, path)
        n = len(header)
        for row in reader:
            if len(row) != n and row:
                raise ValueError(
                    f"CSV file {str(path)!r}, line {reader.line_num}: {len(row)} "
                    f"fields, but the header has {n} (an unquoted comma or a "
                    "missing field); fix or quote that row."
                )


def table_columns(path: PathLike) -> list[str]:
    """Column names of a CSV or Parquet file, without reading its rows.

    Raises
    ------
    ValueError
        If a column name occurs twice.
    """
    p = _existing(path)
    if table_format(p) == "csv":
        return _csv_header(p)
    if p.is_file():
        import pyarrow.parquet as pq

        return _unique_header(list(pq.read_schema(p).names), p)
    import pyarrow.dataset as ds

    return _unique_header(list(ds.dataset(str(p), format="parquet").schema.names), p)


def check_table(path: PathLike) -> None:
    """Check a table file as the readers do, without keeping its rows.

    For readers outside this module (e.g. Dask's): unique column names, and
    for CSV the field count of every row (one streaming pass).

    Raises
    ------
    ValueError
        If a column name repeats or a CSV row has the wrong number of fields.
    """
    p = _existing(path)
    if table_format(p) == "csv":
        _check_csv_rows(p)
    else:
        table_columns(p)


def read_table(path: PathLike, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a whole CSV or Parquet file.

    Parameters
    ----------
    path : str or path-like
        The file (``.csv``, ``.parquet``/``.pq``, or a Parquet directory).
    columns : sequence of str, default=None
        Columns to read (all when ``None``).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ValueError
        If a column name occurs twice, or a CSV row has more or fewer fields
        than the header.
    """
    p = _existing(path)
    cols = list(columns) if columns else None
    if table_format(p) == "csv":
        _check_csv_rows(p)
        return pd.read_csv(p, usecols=cols, index_col=False)
    table_columns(p)
    return pd.read_parquet(p, columns=cols)


def iter_table_chunks(
    path: PathLike,
    *,
    columns: Sequence[str] | None = None,
    chunk_rows: int = 200_000,
) -> Iterator[pd.DataFrame]:
    """Yield a CSV or Parquet file in chunks of at most ``chunk_rows`` rows.

    Memory stays bounded whatever the file size: CSV is read with
    ``pandas.read_csv(chunksize=...)``; Parquet one row group at a time (then
    sliced into chunks), so the bound is the larger of the chunk and the
    writer's row-group size. A CSV file's field counts are checked (in one
    streaming pass) before the first chunk is yielded.

    Parameters
    ----------
    path : str or path-like
        The file.
    columns : sequence of str, default=None
        Columns to read (all when ``None``).
    chunk_rows : int, default=200_000
        Rows per chunk.

    Yields
    ------
    pandas.DataFrame
    """
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be >= 1; got {chunk_rows}.")
    p = _existing(path)
    cols = list(columns) if columns else None
    if table_format(p) == "csv":
        _check_csv_rows(p)
        with pd.read_csv(
            p, usecols=cols, chunksize=chunk_rows, index_col=False
        ) as reader:
            yield from reader
        return
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    table_columns(p)
    # One row group at a time, without read-ahead or pre-buffering: pyarrow's
    # batch iterators read ahead several row groups (measured: 434 MB of Arrow
    # memory for a 320 MB file, against 16 MB row group by row group).
    for file in ds.dataset(str(p), format="parquet").files:
        parquet = pq.ParquetFile(file, pre_buffer=False)
        for group in range(parquet.metadata.num_row_groups):
            table = parquet.read_row_group(group, columns=cols, use_threads=False)
            for start in range(0, table.num_rows, chunk_rows):
                yield table.slice(start, chunk_rows).to_pandas()


# --------------------------------------------------------------------------
# writing


def _neutral(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix ``'`` to text cells and column names a spreadsheet would run.

    A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return is read as a formula by spreadsheet programs (CSV injection); the
    apostrophe makes it plain text. Numeric columns are not changed (a
    negative number stays a number).

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        A copy when anything changed, else ``frame`` itself.

    Examples
    --------
    >>> neutralise_formulas(pd.DataFrame({"a": ["=1+1", "x"], "b": [-1, 2]}))
           a  b
    0  '=1+1 -1
    1      x  2
    """
    out = frame
    for j in range(frame.shape[1]):
        series = frame.iloc[:, j]
        if series.dtype.kind in "biufcmM":
            continue
        mapped = series.map(_neutral)
        if not mapped.equals(series):
            if out is frame:
                out = frame.copy()
            out.isetitem(j, mapped)
    names = [_neutral(c) for c in frame.columns]
    if names != list(frame.columns):
        out = out.copy() if out is frame else out
        out.columns = names
    return out


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def stage_file(path: PathLike, write: Callable[[Path], object] | str) -> Path:
    """Write a new, randomly named temporary file next to ``path``.

    The caller renames it into place with ``os.replace(tmp, path)`` (or
    deletes it); :func:`write_atomic` does both. The name is random, so a
    temporary file left by a killed job never blocks a later one.

    Parameters
    ----------
    path : str or path-like
        The final file.
    write : callable or str
        Text to write (UTF-8), or a function that writes the file at the path
        it is given.

    Returns
    -------
    Path
        The temporary file (permissions as the umask allows, like a new file).
    """
    target = Path(path)
    fd, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    tmp = Path(name)
    try:
        if isinstance(write, str):
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(write)
        else:
            os.close(fd)
            write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: PathLike, write: Callable[[Path], object] | str) -> None:
    """Write ``path`` through a temporary file renamed into place (atomic).

    Parameters
    ----------
    path : str or path-like
        The file to (over)write.
    write : callable or str
        As in :func:`stage_file`.
    """
    tmp = stage_file(path, write)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def stage_table(frame: pd.DataFrame, path: PathLike) -> Path:
    """Write a DataFrame, as CSV or Parquet by ``path``'s name, to a temporary file.

    The caller renames it into place (``os.replace(tmp, path)``) once
    everything else of the job succeeded; :func:`write_table` does both. CSV
    cells that a spreadsheet would run as a formula are neutralised
    (:func:`neutralise_formulas`); Parquet is written as is.
    """
    if table_format(path) == "csv":
        safe = neutralise_formulas(frame)
        return stage_file(path, lambda tmp: safe.to_csv(tmp, index=False))
    return stage_file(path, lambda tmp: frame.to_parquet(tmp, index=False))


def write_table(frame: pd.DataFrame, path: PathLike) -> None:
    """Write a DataFrame as CSV or Parquet according to the file name (atomic)."""
    tmp = stage_table(frame, path)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------
# checking output paths


def check_suffix(path: PathLike, option: str, suffixes: Sequence[str]) -> Path:
    """``path`` as a Path after checking its extension (case-insensitive).

    Raises
    ------
    ValueError
        If the name does not end in one of ``suffixes``.
    """
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise ValueError(
            f"{option} must end in {' or '.join(suffixes)}; got {str(path)!r}."
        )
    return p


def _same_file(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links
    except OSError:
        return False


def _inside(a: Path, folder: Path) -> bool:
    real, base = os.path.realpath(a), os.path.realpath(folder)
    return os.path.commonpath([real, base]) == base


def check_outputs(
    outputs: Mapping[str, PathLike | None],
    inputs: Mapping[str, PathLike | None],
) -> dict[str, Path]:
    """Check output paths before anything is read or written.

    Every output must be a file name (not a folder) in an existing folder and
    must not be the same file as any input, any other output, or a file
    inside an input folder (a Parquet directory) -- compared after resolving
    symbolic links, and by inode for hard links. Pass the history store as an
    input; its ``-wal``, ``-shm`` and ``-journal`` files are checked too.

    Parameters
    ----------
    outputs : mapping of str to path or None
        Option name (e.g. ``"--report"``) to path; ``None`` entries are skipped.
    inputs : mapping of str to path or None
        Argument name (e.g. ``"card"``, ``"--store"``) to path.

    Returns
    -------
    dict of str to Path
        The outputs given.

    Raises
    ------
    ValueError
        If an output names a folder, an input or another output.
    FileNotFoundError
        If an output's folder does not exist.
    """
    given = {k: Path(v) for k, v in outputs.items() if v is not None}
    sources: list[tuple[str, Path]] = []
    for name, value in inputs.items():
        if value is None:
            continue
        p = Path(value)
        sources.append((name, p))
        if name == "--store" or name == "store":
            sources += [(name, Path(f"{p}{s}")) for s in ("-wal", "-shm", "-journal")]
    for option, out in given.items():
        if out.is_dir():
            raise ValueError(f"{option} {str(out)!r} is a folder; name a file.")
        if not out.parent.is_dir():
            raise FileNotFoundError(
                f"Folder {str(out.parent)!r} of {option} does not exist."
            )
        for name, src in sources:
            clash = _same_file(out, src) or (src.is_dir() and _inside(out, src))
            if clash:
                raise ValueError(
                    f"{option} {str(out)!r} would overwrite the input {name} "
                    f"{str(src)!r}; choose another file."
                )
        sources.append((option, out))
    return given
