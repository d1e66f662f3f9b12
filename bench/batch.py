"""Print throughput figures for `costmodel batch` and for sweeps.

    PYTHONPATH=. python bench/batch.py [--files 2000] [--repeat 3]

Batch: 2,000 generated scenario files are estimated by a subprocess run of the real
command (`python -m costmodel batch FOLDER -o FILE`), start-up included; two layouts are
measured: variants extending one shared base file (the usual way to keep many scenarios)
and self-contained files. Sweep: evaluations per second of a 100,000-point sweep in
process, and of the real `costmodel sweep --format csv` command end to end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "data" / "model_example.toml"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def write_variants(folder: Path, count: int) -> Path:
    """Write `count` small files extending one shared base; return the folder to batch."""
    (folder / "base").mkdir(parents=True)
    (folder / "base" / "support.toml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    target = folder / "variants"
    target.mkdir()
    for i in range(count):
        (target / f"s{i:05d}.toml").write_text(
            f'extends = "../base/support.toml"\nname = "variant {i}"\n\n'
            f"[workload]\nrequests_per_month = {1000 + 37 * i}\nmonthly_growth = {(i % 11) / 100}\n\n"
            f"[knowledge]\nupdates_per_month = {i % 9}\n",
            encoding="utf-8",
        )
    return target


def write_full(folder: Path, count: int) -> Path:
    """Write `count` self-contained scenario files; return their folder."""
    text = EXAMPLE.read_text(encoding="utf-8")
    target = folder / "full"
    target.mkdir()
    for i in range(count):
        body = text.replace("requests_per_month = 50000", f"requests_per_month = {1000 + 37 * i}")
        (target / f"s{i:05d}.toml").write_text(body.replace('name = "', f'name = "{i} ', 1), encoding="utf-8")
    return target


def time_command(args: list[str], repeat: int) -> float:
    """Return the best wall time in seconds of running `python -m costmodel ARGS` (exit code checked)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "costmodel", *args], env=_env(), capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"costmodel {' '.join(args)} failed: {done.stderr.decode()[:500]}")
        best = min(best, elapsed)
    return best


def sweep_in_process(second: str) -> tuple[int, float]:
    """Return (points, seconds) for evaluating a 400 x 250 sweep of requests and `second` in process."""
    sys.path.insert(0, str(ROOT))
    from costmodel import load_scenario
    from costmodel.analysis.sweeps import plan_sweep

    scenario = load_scenario(EXAMPLE)
    plan = plan_sweep(scenario, {"workload.requests_per_month": "1000:1000000:400:log", second: "0:30:250"})
    start = time.perf_counter()
    count = sum(1 for _ in plan.iter_points())
    return count, time.perf_counter() - start


def main() -> None:
    """Generate the files, run the commands and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.files
    with tempfile.TemporaryDirectory(prefix="costmodel-bench-") as tmp:
        folder = Path(tmp)
        variants = write_variants(folder, n)
        full = write_full(folder, n)
        out = str(folder / "out")
        startup = time_command(["batch", str(EXAMPLE), "-o", out], args.repeat)
        print(f"start-up + 1 file:                        {startup * 1000:7.1f} ms")
        for label, target in (("variants (extends a shared base)", variants), ("self-contained files", full)):
            for fmt in ("csv", "jsonl"):
                seconds = time_command(["batch", str(target), "--format", fmt, "-o", out], args.repeat)
                print(f"batch {fmt:5s} {label:33s} {n / seconds:8,.0f} files/s  ({n:,} files in {seconds:.3f} s)")
        for label, second in (
            ("requests x updates", "knowledge.updates_per_month"),
            ("requests x price (rates every point)", 'models."gpt-4.1-mini".input_per_mtok'),
        ):
            count, seconds = sweep_in_process(second)
            print(f"sweep in process, {label:36s} {count / seconds:9,.0f} evaluations/s ({count:,} points)")
        spec = [
            "--vary",
            "workload.requests_per_month=1000:1000000:400:log",
            "--vary",
            "knowledge.updates_per_month=0:30:250",
        ]
        seconds = time_command(["sweep", str(EXAMPLE), *spec, "--format", "csv", "-o", out], args.repeat)
        print(f"sweep --format csv, end to end (requests x updates)     {count / seconds:9,.0f} evaluations/s")


if __name__ == "__main__":
    main()
