"""Import time of the three packages against ``import pandas, sklearn``.

Each statement runs in a fresh interpreter (``python -c ...``), ``--repeat``
times (default 7); the table shows the median wall time, the ratio to the
baseline ``import pandas, sklearn`` and the target (at most 1.5x, issue 12).
Then the ten modules with the largest self time in
``python -X importtime -c "import scorecard"``, for diagnosis.

Exit status 1 when a ratio exceeds the target, unless ``--no-fail``.

    python benchmarks/bench_import.py
    python benchmarks/bench_import.py --repeat 11 --no-fail
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

BASELINE = "import pandas, sklearn"
TARGETS = ["import scorecard", "import fairness", "import monitoring"]
MAX_RATIO = 1.5


def wall_time(statement: str) -> float:
    """Seconds for one fresh interpreter to run ``statement``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return time.perf_counter() - start


def median_time(statement: str, repeat: int) -> float:
    wall_time(statement)  # warm the file-system cache and the .pyc files
    return statistics.median(wall_time(statement) for _ in range(repeat))


def top_self_times(statement: str, n: int = 10) -> list[tuple[int, int, str]]:
    """``(self us, cumulative us, module)`` of the ``n`` slowest imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, module = line.removeprefix("import time:").split("|")
        rows.append((int(self_us), int(cumulative_us), module.strip()))
    return sorted(rows, reverse=True)[:n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-fail", action="store_true", help="only print")
    args = parser.parse_args(argv)

    base = median_time(BASELINE, args.repeat)
    print(f"median of {args.repeat} fresh interpreters ({sys.executable})")
    print(f"{'statement':<28}{'seconds':>10}{'ratio':>8}{'target':>9}")
    print(f"{BASELINE:<28}{base:>10.3f}{1.0:>8.2f}{'':>9}")
    worst = 0.0
    for statement in TARGETS:
        seconds = median_time(statement, args.repeat)
        ratio = seconds / base
        worst = max(worst, ratio)
        verdict = "ok" if ratio <= MAX_RATIO else "SLOW"
        print(f"{statement:<28}{seconds:>10.3f}{ratio:>8.2f}  <={MAX_RATIO} {verdict}")

    print('\ntop-10 self times, python -X importtime -c "import scorecard"')
    print(f"{'self [ms]':>10}{'cumul. [ms]':>13}  module")
    for self_us, cumulative_us, module in top_self_times("import scorecard"):
        print(f"{self_us / 1e3:>10.1f}{cumulative_us / 1e3:>13.1f}  {module}")

    if worst > MAX_RATIO and not args.no_fail:
        print(
            f"\nFAIL: an import takes {worst:.2f}x the baseline (target {MAX_RATIO}x)"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
