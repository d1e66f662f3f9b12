"""Print the time of a 100,000-sample Monte Carlo and of a full sensitivity run (one core).

The scenario is tests/data/model_example.toml with EVERY numeric input given a range
(lognormal -20 %/+25 % around its value; PERT for the changed fraction; zeros, which are often
switched-off options, stay points), the worst case
for the sampler. Targets: Monte Carlo of all three strategies <= 1 s.

Run: python bench/uncertainty.py [--samples 100000] [--months 24] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from costmodel.analysis.montecarlo import simulate
from costmodel.analysis.sensitivity import sensitivity
from costmodel.files.scenario_io import load_scenario
from costmodel.model.inputs import numeric_inputs
from costmodel.model.schema import Scenario
from costmodel.model.validation import validate_scenario

SCENARIO = Path(__file__).resolve().parent.parent / "tests" / "data" / "model_example.toml"


def fully_ranged(months: int) -> Scenario:
    """Return the example scenario with every numeric input ranged, at a horizon of `months`."""
    point = load_scenario(SCENARIO).model_copy(update={"horizon_months": months})
    ranges = {}
    for item in numeric_inputs(point):
        # Zeros stay points: a zero is often an option switched off (prompt caching, batch
        # share), and ranging it would switch the option on and change the scenario.
        if item.value > 0:
            ranges[item.path] = {"low": item.value * 0.8, "high": item.value * 1.25}
    ranges["knowledge.changed_fraction"] = {"low": 0.01, "mode": 0.02, "high": 0.05}
    ranged = validate_scenario({**point.model_dump(), "ranges": ranges})
    return ranged


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Return the median wall time in seconds of calling `fn()` `repeat` times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ranged = fully_ranged(args.months)
    n_ranged = len(ranged.ranges)
    simulate(ranged, 1000, seed=0)  # warm up numpy
    mc = timed(lambda: simulate(ranged, args.samples, seed=1), args.repeat)
    print(
        f"Monte Carlo: {args.samples:,} samples x 3 strategies, {n_ranged} ranged inputs, "
        f"{args.months} months: {mc * 1000:.0f} ms (target <= 1000 ms)"
    )
    sens = timed(lambda: sensitivity(ranged), args.repeat)
    print(f"Sensitivity: {n_ranged} inputs, low/high + 8 probes each: {sens * 1000:.0f} ms")


if __name__ == "__main__":
    main()
