"""Print how long `costmodel report` takes end to end, per format, as a user runs it.

Each run is a fresh process, `python -m costmodel report PRESET -o FILE` (start-up, loading,
the estimate, sensitivity, the charts and writing the file), timed by the wall clock.
Targets: HTML <= 1.5 s, PNG <= 3 s. Also prints the time to import matplotlib alone and
each file's size.

Run: python bench/report.py [--runs 5] [--preset support-assistant] [--formats html,png,svg,pdf,md]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"html": 1.5, "png": 3.0}


def wall_time(args: list[str]) -> float:
    """Return the seconds one process running `args` takes (it must exit 0)."""
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    """Time each format over `--runs` fresh processes and print the median and best times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--preset", default="support-assistant")
    parser.add_argument("--formats", default="html,png,svg,pdf,md")
    options = parser.parse_args()
    imports = [wall_time([sys.executable, "-c", "import matplotlib.figure"]) for _ in range(options.runs)]
    bare = [wall_time([sys.executable, "-c", "pass"]) for _ in range(options.runs)]
    print(f"python start-up: median {statistics.median(bare):.3f} s")
    print(f"import matplotlib.figure: median {statistics.median(imports):.3f} s (start-up included)")
    with tempfile.TemporaryDirectory() as folder:
        for fmt in options.formats.split(","):
            out = Path(folder) / f"report.{fmt}"
            command = [sys.executable, "-m", "costmodel", "report", options.preset, "-o", str(out)]
            wall_time(command)  # warm the file cache and matplotlib's font cache
            times = [wall_time(command) for _ in range(options.runs)]
            median = statistics.median(times)
            target = TARGETS.get(fmt)
            verdict = "" if target is None else f"  target <= {target:.1f} s: {'ok' if median <= target else 'OVER'}"
            print(
                f"report -o {out.name:<11} median {median:.3f} s, best {min(times):.3f} s, "
                f"{out.stat().st_size / 1024:,.0f} KiB{verdict}"
            )


if __name__ == "__main__":
    main()
