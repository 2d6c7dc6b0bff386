"""The package version, in one place (pyproject.toml reads it from here).

:func:`show_versions` prints it with the versions of the dependencies, for
bug reports (``infoscore --version`` prints the same).
"""

from __future__ import annotations

__version__ = "0.2.0.dev0"

#: Distributions reported by :func:`show_versions`: the runtime dependencies,
#: then the optional engines and the peers the tests use as oracles.
_REPORTED = (
    "numpy",
    "pandas",
    "scipy",
    "scikit-learn",
    "xgboost",
    "statsmodels",
    "pulp",
    "matplotlib",
    "jinja2",
    "pyarrow",
    "tqdm",
    "dask",
    "distributed",
    "pyspark",
    "polars",
)


def versions_text() -> str:
    """What :func:`show_versions` prints: infoscore, Python, platform, dependencies."""
    import platform
    import sys
    from importlib import metadata

    lines = [
        f"infoscore: {__version__}",
        f"python: {sys.version.split()[0]} ({sys.executable})",
        f"platform: {platform.platform()}",
        "",
        "dependencies:",
    ]
    width = max(map(len, _REPORTED))
    for name in _REPORTED:
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            found = "not installed"
        lines.append(f"  {name:<{width}} {found}")
    lines.append("")
    lines.append(
        "The import names scorecard, fairness and monitoring are also used by "
        "unrelated PyPI distributions; infoscore belongs in a virtual "
        "environment of its own."
    )
    return "\n".join(lines)


def show_versions() -> None:
    """Print infoscore's version with Python's, the platform's and the dependencies'.

    Paste the output into bug reports. The same text is printed by
    ``infoscore --version``.

    Examples
    --------
    >>> from scorecard import show_versions
    >>> show_versions()  # doctest: +ELLIPSIS
    infoscore: ...
    """
    import sys

    sys.stdout.write(versions_text() + "\n")
