"""The HTML report in a real browser: headless Chromium, network blocked, every request recorded.

The page must load with no request but its own file (no script, style sheet, font or image
from anywhere), render to a PNG at least 1200 px wide that is not blank, and switch to a dark
background under `prefers-color-scheme: dark`.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

pytest.importorskip("matplotlib", reason="the report extra is not installed: pip install 'costmodel[report]'")

from chromium_page import find_chromium, visit

from costmodel.cli.main import main

CHROMIUM = find_chromium()

pytestmark = [
    pytest.mark.report,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium is not installed (apt-get install chromium); .ci/run installs it",
    ),
]


def test_the_html_report_makes_no_request_and_renders(tmp_path: Path, data_dir: Path) -> None:
    from PIL import Image, ImageStat

    out = tmp_path / "report.html"
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["report", str(data_dir / "simple.toml"), "-o", str(out)]) == 0
    assert CHROMIUM is not None
    page = out.resolve().as_uri()
    seen = visit(CHROMIUM, page)
    assert seen.requests == [page], f"the page requested more than itself: {seen.requests}"
    means = {}
    for scheme, png in seen.screenshots.items():
        shot = tmp_path / f"{scheme}.png"
        shot.write_bytes(png)
        with Image.open(shot) as image:
            assert image.width >= 1200, image.size
            assert image.height > 1500, image.size  # the whole page, not the first screen
            grey = ImageStat.Stat(image.convert("L"))
        assert grey.var[0] > 100, f"the {scheme} screenshot looks blank"
        means[scheme] = grey.mean[0]
    assert means["dark"] < 100 < means["light"], means
