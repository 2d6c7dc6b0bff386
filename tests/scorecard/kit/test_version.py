"""show_versions and ``infoscore --version``: what a bug report needs."""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
import sys

import pytest

import scorecard
from scorecard._kit.cli import main


def _check(text: str) -> None:
    lines = text.splitlines()
    assert lines[0] == f"infoscore: {scorecard.__version__}"
    assert platform.python_version() in lines[1]
    for name in ("numpy", "pandas", "scikit-learn", "xgboost"):
        expected = importlib.metadata.version(name)
        assert any(line.split() == [name, expected] for line in lines), (
            f"{name} {expected} not listed"
        )
    assert "virtual environment" in text


def test_show_versions_prints_package_and_dependency_versions(capsys):
    scorecard.show_versions()
    _check(capsys.readouterr().out)


def test_uninstalled_dependency_is_reported_as_such(capsys, monkeypatch):
    from scorecard._kit import version

    monkeypatch.setattr(version, "_REPORTED", ("no-such-distribution-xyz",))
    scorecard.show_versions()
    assert "no-such-distribution-xyz not installed" in " ".join(
        capsys.readouterr().out.split()
    )


def test_cli_version_exits_zero_with_the_same_text(capsys):
    with pytest.raises(SystemExit, match="0"):
        main(["--version"])
    _check(capsys.readouterr().out)


def test_installed_command_prints_version():
    done = subprocess.run(
        [sys.executable, "-m", "scorecard._kit.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    _check(done.stdout)
