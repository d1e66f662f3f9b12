"""Print engine throughput and CLI start-up cost.

- full estimates per second: validated Scenario -> Estimate with a 36-month timeline, one core
  (target >= 50,000/s);
- median wall time of `costmodel estimate FILE --format json` next to `python -c "import pydantic"`
  (target ratio <= 2.0).

Run: python bench/estimate.py [--seconds 2] [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from costmodel.engine import estimate
from costmodel.scenario_io import load_scenario

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent / "tests" / "data" / "model_example.toml"


def estimates_per_second(seconds: float) -> float:
    """Return how many full 36-month estimates one core computes per second."""
    scenario = load_scenario(SCENARIO)
    scenario = scenario.model_copy(update={"horizon_months": 36})
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for _ in range(1000):
            estimate(scenario)
        count += 1000
    return count / (time.perf_counter() - start)


def median_wall(command: list[str], runs: int) -> float:
    """Return the median wall time in seconds of running `command` `runs` times."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scenario", default=str(SCENARIO), help="file or preset for the CLI timing")
    args = parser.parse_args()
    rate = estimates_per_second(args.seconds)
    print(f"full estimates per second (36 months, one core): {rate:,.0f}  (target >= 50,000)")
    cli = median_wall([sys.executable, "-m", "costmodel", "estimate", args.scenario, "--format", "json"], args.runs)
    bare = median_wall([sys.executable, "-c", "import pydantic"], args.runs)
    print(f"costmodel estimate --format json: {cli * 1000:.0f} ms median of {args.runs}")
    print(f"python -c 'import pydantic':      {bare * 1000:.0f} ms median of {args.runs}")
    print(f"ratio: {cli / bare:.2f}  (target <= 2.0)")


if __name__ == "__main__":
    main()
