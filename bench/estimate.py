"""Print engine throughput and CLI start-up cost.

- full estimates per second: validated Scenario -> Estimate with a 36-month timeline, one core
  (target >= 50,000/s), also with an `[operations]` table present (every operations line on);
- median wall time of `costmodel estimate FILE --format json` next to `python -c "import pydantic"`
  (target ratio <= 2.0).

Run: python bench/estimate.py [--seconds 2] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import estimate

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent / "tests" / "data" / "model_example.toml"


OPERATIONS = HERE.parent / "tests" / "data" / "operations_example.toml"  # the same with every operations line on


def estimates_per_second(seconds: float, with_breakeven: bool, path: Path = SCENARIO) -> float:
    """Return how many full 36-month estimates one core computes per second (best of 5 rounds)."""
    scenario = load_scenario(path)
    scenario = scenario.model_copy(update={"horizon_months": 36})
    best = 0.0
    for _ in range(5):
        count = 0
        start = time.perf_counter()
        deadline = start + seconds / 5
        while time.perf_counter() < deadline:
            if with_breakeven:
                for _ in range(500):
                    estimate(scenario).breakeven  # noqa: B018  # worked out on first access
            else:
                for _ in range(500):
                    estimate(scenario)
            count += 500
        best = max(best, count / (time.perf_counter() - start))
    return best


def median_wall(command: list[str], runs: int) -> float:
    """Return the median wall time in seconds of running `command` `runs` times (after one warm-up)."""
    # As on a user's machine, Python may cache bytecode (CI sets PYTHONDONTWRITEBYTECODE).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scenario", default=str(SCENARIO), help="file or preset for the CLI timing")
    args = parser.parse_args()
    rate = estimates_per_second(args.seconds, with_breakeven=False)
    print(f"full estimates per second (36 months, one core): {rate:,.0f}  (target >= 50,000)")
    rate = estimates_per_second(args.seconds, with_breakeven=True)
    print(f"  ... with the six break-even months read as well:  {rate:,.0f}")
    rate = estimates_per_second(args.seconds, with_breakeven=False, path=OPERATIONS)
    print(f"  ... with an [operations] table present:           {rate:,.0f}  (target >= 50,000)")
    cli = median_wall([sys.executable, "-m", "costmodel", "estimate", args.scenario, "--format", "json"], args.runs)
    bare = median_wall([sys.executable, "-c", "import pydantic"], args.runs)
    print(f"costmodel estimate --format json: {cli * 1000:.0f} ms median of {args.runs}")
    print(f"python -c 'import pydantic':      {bare * 1000:.0f} ms median of {args.runs}")
    print(f"ratio: {cli / bare:.2f}  (target <= 2.0)")


if __name__ == "__main__":
    main()
