"""Regenerate docs/screenshot.svg: the terminal UI's main screen on the `support-assistant` preset.

The app runs headless (Textual's run_test) at 140x42 and saves an SVG with `save_screenshot`.
COSTMODEL_TODAY is pinned (price-age warnings depend on the date) so a rerun gives the same
picture until the UI or the preset changes.

Run: python bench/screenshot.py [--output docs/screenshot.svg] [--size 140x42] [--today 2026-11-25]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE.parent / "docs" / "screenshot.svg"
DEFAULT_TODAY = "2026-11-25"


def parse_size(text: str) -> tuple[int, int]:
    """Return (columns, rows) from `140x42`."""
    try:
        columns, rows = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected COLUMNSxROWS such as 140x42, got {text!r}") from None
    if columns < 40 or rows < 12:
        raise argparse.ArgumentTypeError(f"{text} is too small for the UI (at least 40x12)")
    return columns, rows


async def render(preset: str, size: tuple[int, int], output: Path) -> Path:
    """Open `preset` in the app at `size`, let it settle, and save its screen as SVG to `output`."""
    from costmodel.tui.app import CostmodelApp
    from costmodel.tui.state import Document

    app = CostmodelApp(Document.open(preset))
    async with app.run_test(size=size) as pilot:
        # the first frames lay out, estimate and draw the chart (after a refresh): let them finish
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        output.parent.mkdir(parents=True, exist_ok=True)
        return Path(app.save_screenshot(filename=output.name, path=str(output.parent)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="SVG file to write (default: %(default)s)")
    parser.add_argument("--size", type=parse_size, default=(140, 42), help="COLUMNSxROWS (default: 140x42)")
    parser.add_argument("--preset", default="support-assistant", help="preset or scenario file (default: %(default)s)")
    parser.add_argument(
        "--today", default=DEFAULT_TODAY, help="date for price-age warnings, YYYY-MM-DD (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    os.environ["COSTMODEL_TODAY"] = args.today
    os.environ.pop("COSTMODEL_MAX_PRICE_AGE", None)
    written = asyncio.run(render(args.preset, args.size, args.output))
    print(f"wrote {written} ({args.size[0]}x{args.size[1]}, {written.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
