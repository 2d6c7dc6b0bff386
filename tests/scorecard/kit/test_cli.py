"""The ``infoscore`` command line."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from scorecard._kit.cli import main


# ~12 s: the whole pipeline on 20,000 rows. CI runs the slow set too (.ci/run),
# and .ci/floors.sh runs `infoscore demo` at the dependency floors.
@pytest.mark.slow
def test_demo_runs_the_pipeline_and_writes_reports(tmp_path):
    out = tmp_path / "demo"
    proc = subprocess.run(
        [sys.executable, "-m", "scorecard._kit.cli", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Delinquency" in proc.stdout
    table = pd.read_csv(out / "information_discrete.csv", index_col=0)
    assert (table["ci_low"] <= table["IV"]).all()
    assert table.loc["Race", "pvalue"] < 1e-6


def test_unknown_command_exits_with_usage_error(capsys):
    with pytest.raises(SystemExit, match="2"):
        main(["no-such-command"])
    assert "invalid choice" in capsys.readouterr().err
