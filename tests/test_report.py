"""`costmodel report`: every format is written and carries the totals exactly as `costmodel estimate` prints them.

Also: the comparison of two scenarios, ranges drawn as bands, scenario text escaped, bad input
exit 2 (an unknown suffix, an unwritable path, matplotlib missing), the TUI's `write_report`,
and that neither the estimate path nor the TUI ever imports matplotlib.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("matplotlib", reason="the report extra is not installed: pip install 'costmodel[report]'")

from costmodel.cli.main import main
from costmodel.files.scenario_io import load_scenario
from costmodel.model.engine import estimate
from costmodel.report.contents import build_report, clean_text, contributions
from costmodel.report.export import write_report
from costmodel.report.formats import REPORT_FORMATS
from costmodel.report.html_page import render_html

TODAY = "2026-12-01"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSTMODEL_TODAY", TODAY)


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run the command line in this process; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse's usage errors
            code = int(stop.code or 0)
    return code, out.getvalue(), err.getvalue()


def cli_totals(scenario: str, tmp_path: Path) -> list[str]:
    """Return the `Total over H months` cells of `costmodel estimate`'s table, e.g. ['USD 10,712', ...]."""
    table = tmp_path / "table.txt"
    code, _, err = run_cli("estimate", scenario, "-o", str(table))
    assert code == 0, err
    line = next(x for x in table.read_text(encoding="utf-8").splitlines() if x.startswith("Total over"))
    cells = [c.strip(" ★") for c in re.split(r"[│|]", line)[1:]]
    assert all(c.startswith("USD ") for c in cells), cells
    return cells


def pdf_text(path: Path) -> tuple[int, str]:
    """Return the page count of a PDF and the text on its pages."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def simple_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Write tests/data/simple.toml's report once in every format; return the files by format name."""
    folder = tmp_path_factory.mktemp("reports")
    data = Path(__file__).parent / "data" / "simple.toml"
    written = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COSTMODEL_TODAY", TODAY)
        for name, fmt in REPORT_FORMATS.items():
            out = folder / f"simple{fmt.suffix}"
            code, _, err = run_cli("report", str(data), "-o", str(out))
            assert code == 0, err
            assert f"wrote {out}" in err
            written[name] = out
    return written


def test_the_registry_names_every_format_and_feeds_the_choices(data_dir: Path) -> None:
    assert set(REPORT_FORMATS) == {"html", "png", "svg", "pdf", "md"}
    assert {f.suffix for f in REPORT_FORMATS.values()} == {".html", ".png", ".svg", ".pdf", ".md"}
    with pytest.raises(SystemExit) as exit_info, contextlib.redirect_stderr(io.StringIO()) as err:
        main(["report", str(data_dir / "simple.toml"), "-o", "r.docx", "--format", "docx"])
    assert exit_info.value.code == 2
    assert "choose from 'html', 'png', 'svg', 'pdf', 'md'" in err.getvalue()


def test_every_format_carries_the_cli_totals(simple_reports: dict[str, Path], data_dir: Path, tmp_path: Path) -> None:
    totals = cli_totals(str(data_dir / "simple.toml"), tmp_path)
    assert totals == ["USD 10,712", "USD 17,239", "USD 18,516"]
    html = simple_reports["html"].read_text(encoding="utf-8")
    md = simple_reports["md"].read_text(encoding="utf-8")
    svg_text = "".join(ET.parse(simple_reports["svg"]).getroot().itertext())  # the SVG parses
    from PIL import Image

    with Image.open(simple_reports["png"]) as image:
        png_text = image.text.get("Description", "")  # type: ignore[attr-defined]
    pages, text = pdf_text(simple_reports["pdf"])
    assert 1 <= pages <= 2
    for total in totals:
        for name, content in (("html", html), ("md", md), ("svg", svg_text), ("png", png_text), ("pdf", text)):
            assert total in content, (name, total)


def test_the_png_is_wide_and_not_blank(simple_reports: dict[str, Path]) -> None:
    from PIL import Image, ImageStat

    with Image.open(simple_reports["png"]) as image:
        assert image.width >= 1200
        variance = ImageStat.Stat(image.convert("L")).var[0]
    assert variance > 100, variance


def test_the_html_is_self_contained(simple_reports: dict[str, Path]) -> None:
    html = simple_reports["html"].read_text(encoding="utf-8")
    assert html.count("<svg") == 4  # cumulative, monthly, cost lines, tornado
    for banned in ("<script", "<link", "<img", "@import", "<iframe", "@font-face", "src="):
        assert banned not in html, banned
    assert re.findall(r"url\((?!#)", html) == [] and re.findall(r'href="(?!#)', html) == []  # only in-page refs
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "the four inline SVGs share no id"
    assert "prefers-color-scheme: dark" in html and "@media print" in html
    assert "<details><summary>The scenario's inputs" in html
    assert "regenerate with" in html and "costmodel report" in html and TODAY in html
    assert "Fine-tuning" in html and "RAG is cheapest, USD 6,527 (38 %) below Fine-tuning over 3 months" in html


def test_the_markdown_has_every_section(simple_reports: dict[str, Path]) -> None:
    md = simple_reports["md"].read_text(encoding="utf-8")
    for heading in ("## Side by side", "## What the totals are made of", "## Fit (not a cost)", "## Prices used"):
        assert heading in md
    assert "| Total over 3 months | USD 10,712 | USD 17,239 | USD 18,516 |" in md


def test_cost_lines_add_up_to_each_total(example) -> None:  # type: ignore[no-untyped-def]
    from costmodel.model.engine import breakdown

    est = estimate(example)
    segments = contributions(example, est, breakdown(example))
    assert set(segments) == set(est.strategies)
    for name, s in est.strategies.items():
        assert sum(seg.amount for seg in segments[name]) == pytest.approx(s.total, rel=1e-12)
        assert not any(seg.label == "not in the cost lines" for seg in segments[name])


def test_the_decision_names_winner_margin_and_cost_lines(simple) -> None:  # type: ignore[no-untyped-def]
    report = build_report(simple, source="simple.toml", version="0", generated=date(2026, 12, 1), command="c")
    assert report.decision == (
        "RAG is cheapest, USD 6,527 (38 %) below Fine-tuning over 3 months; the difference comes mostly from "
        "retraining work (−4,800) and fine-tune build (−4,000) against retrieval build (+8,000)."
    )


def test_strategies_come_from_the_estimate_in_its_order(simple) -> None:  # type: ignore[no-untyped-def]
    report = build_report(simple, source="s", version="0", generated=date(2026, 12, 1), command="c")
    est = report.estimate
    reordered = dataclasses.replace(est, strategies=dict(reversed(list(est.strategies.items()))))
    again = build_report(simple, source="s", version="0", generated=date(2026, 12, 1), command="c")
    again = dataclasses.replace(again, estimate=reordered, rows=[(label, values[::-1]) for label, values in again.rows])
    html = render_html(again).decode()
    assert html.index("Hybrid</th>") < html.index("Fine-tuning</th>") < html.index("RAG</th>")


def test_ranges_give_bands_and_percentile_rows(tmp_path: Path, data_dir: Path) -> None:
    ranged = tmp_path / "ranged.toml"
    ranged.write_text(
        f'extends = "{(data_dir / "simple.toml").as_posix()}"\n'
        "[workload]\nrequests_per_month = { low = 500, high = 4000 }\n",
        encoding="utf-8",
    )
    out = tmp_path / "ranged.html"
    code, _, err = run_cli("report", str(ranged), "-o", str(out), "--samples", "500", "--seed", "3")
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "P10–P90 shaded" in html and "P10–P90 from 500 samples (seed 3)" in html
    assert "--samples 500 --seed 3" in html


def test_two_scenarios_are_compared(tmp_path: Path, data_dir: Path) -> None:
    proposal = tmp_path / "proposal.toml"
    proposal.write_text(
        f'extends = "{(data_dir / "simple.toml").as_posix()}"\n[knowledge]\nupdates_per_month = 30\n', encoding="utf-8"
    )
    out = tmp_path / "compare.md"
    code, _, err = run_cli("report", str(data_dir / "simple.toml"), str(proposal), "-o", str(out))
    assert code == 0, err
    md = out.read_text(encoding="utf-8")
    assert "## What changed from scenario A" in md
    assert "knowledge.updates\\_per\\_month | 2 | 30 |" in md
    html_out = tmp_path / "compare.html"
    code, _, err = run_cli("report", str(data_dir / "simple.toml"), str(proposal), "-o", str(html_out))
    assert code == 0, err
    assert "dashed: scenario A" in html_out.read_text(encoding="utf-8")
    svg_out = tmp_path / "compare.svg"
    code, _, err = run_cli("report", str(data_dir / "simple.toml"), str(proposal), "-o", str(svg_out))
    assert code == 0, err
    svg_text = "".join(ET.parse(svg_out).getroot().itertext())
    assert "What changed from scenario A" in svg_text and "knowledge.updates_per_month: 2 → 30" in svg_text


def test_scenario_text_is_escaped(tmp_path: Path, data_dir: Path) -> None:
    nasty = tmp_path / "nasty.toml"
    nasty.write_text(
        f'extends = "{(data_dir / "simple.toml").as_posix()}"\n'
        'name = "<script>alert(1)</script> \\u001b[31mred\\u001b[0m $x$ | *b*"\n'
        'description = "<img src=x onerror=alert(2)> \\u001b]0;title\\u0007"\n',
        encoding="utf-8",
    )
    for suffix in (".html", ".md", ".svg"):
        out = tmp_path / f"nasty{suffix}"
        code, _, err = run_cli("report", str(nasty), "-o", str(out))
        assert code == 0, err
        text = out.read_text(encoding="utf-8")
        assert "\x1b" not in text and "\x07" not in text
        assert "<script>" not in text and "<img" not in text
    page = (tmp_path / "nasty.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; " in page and "red" in page and "$x$" in page
    ET.parse(tmp_path / "nasty.svg")
    assert clean_text("a\x1b[1mb\x1b[0m\x9b2Jc") == "abc"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "report.txt"], "cannot tell the format from the name"),
        (["-o", "report.html", "--format", "png"], "ends in .html but --format is png"),
        (["-o", "/nonexistent-folder/report.html"], "/nonexistent-folder/report.html: cannot write"),
        (["-o", "r.md", "--set", "fine_tune.epochs=0"], "fine_tune.epochs"),
        (["-o", "r.md", "--seed", "3"], "--seed needs --samples N"),
        (["-o", "r.md", "--months", "0"], "expected 1..120 months"),
    ],
)
def test_bad_input_is_exit_2_with_one_message(
    args: list[str], message: str, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative OUT that were written would land here
    code, out, err = run_cli("report", str(data_dir / "simple.toml"), *args)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_write_report_takes_a_scenario_for_the_tui(tmp_path: Path, simple) -> None:  # type: ignore[no-untyped-def]
    out = write_report(simple, tmp_path / "screen.svg")
    assert out == tmp_path / "screen.svg"
    assert "USD 10,712" in "".join(ET.parse(out).getroot().itertext())
    assert "(unsaved scenario)" in out.read_text(encoding="utf-8")


def test_load_scenario_and_report_agree(tmp_path: Path) -> None:
    out = tmp_path / "preset.md"
    code, _, err = run_cli("report", "support-assistant", "-o", str(out), "--months", "12")
    assert code == 0, err
    est = estimate(load_scenario("support-assistant"), months=12)
    from costmodel.model.money import format_money

    md = out.read_text(encoding="utf-8")
    for s in est.strategies.values():
        assert format_money(s.total, est.currency) in md
    assert "costmodel report support-assistant -o" in md and "--months 12" in md
    # warnings by severity, most serious first (costmodel.model.notices)
    assert md.index("## Warnings: changes what can be chosen") < md.index("## Warnings: prices to check")


class _Unavailable:
    """A strategy's estimate as the v2 engine marks one it rules out: every figure, plus `available`."""

    def __init__(self, inner: object, because: str) -> None:
        self._inner, self.available, self.unavailable_because = inner, False, because

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


def test_an_unavailable_strategy_is_marked_and_never_recommended(simple) -> None:  # type: ignore[no-untyped-def]
    from costmodel.report.contents import decision_sentence, unavailable
    from costmodel.report.markdown_page import render_markdown

    report = build_report(simple, source="s", version="0", generated=date(2026, 12, 1), command="c")
    est = report.estimate
    ruled_out = {**est.strategies, "rag": _Unavailable(est.strategies["rag"], "model 'm' is withdrawn on 2026-06-30")}
    est = dataclasses.replace(est, strategies=ruled_out, cheapest="fine_tune")
    assert unavailable(est) == {"rag": "model 'm' is withdrawn on 2026-06-30"}
    sentence = decision_sentence(simple, est)
    assert sentence.startswith(
        "Fine-tuning is cheapest, USD 1,277 (7 %) below Hybrid over 3 months "
        "(RAG would cost USD 6,527 less but is not available)"
    )
    md = render_markdown(dataclasses.replace(report, estimate=est, decision=sentence)).decode()
    assert "RAG (unavailable)" in md and "RAG is not available over the horizon: model 'm' is withdrawn" in md


def test_a_fourth_strategy_shows_in_every_format(simple) -> None:  # type: ignore[no-untyped-def]
    """The strategies come from the estimate: a fourth one (as the v2 engine adds) needs no change here."""
    from costmodel.report.contents import Segment
    from costmodel.report.render import summary_rows

    report = build_report(simple, source="s", version="0", generated=date(2026, 12, 1), command="c")
    est = report.estimate
    fourth = est.strategies["rag"]._replace(name="long_context", total=est.strategies["rag"].total + 1000)
    est = dataclasses.replace(est, strategies={"long_context": fourth, **est.strategies})
    fit = {"strategies": {**report.fit["strategies"], "long_context": report.fit["strategies"]["rag"]}}
    segments = {**report.contributions, "long_context": [Segment("knowledge pack in every prompt", fourth.total)]}
    four = dataclasses.replace(report, estimate=est, rows=summary_rows(est, None, fit), fit=fit, contributions=segments)
    assert four.strategies[0] == "long_context" and len(four.rows[0][1]) == 4
    html = REPORT_FORMATS["html"].render(four).decode()
    # The registry labels long_context (costmodel.model.names): the column reads "Long context".
    assert "Long context</th>" in html and "knowledge pack in every prompt" in html
    assert "USD 11,712" in REPORT_FORMATS["md"].render(four).decode()
    svg = REPORT_FORMATS["svg"].render(four)
    assert "USD 11,712" in "".join(ET.fromstring(svg).itertext())


@pytest.mark.parametrize("suffix", ["html", "svg"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path, suffix: str) -> None:
    """A byte of the file name that is not UTF-8 is written as \\xNN in the page, not a traceback."""
    try:
        source = tmp_path / os.fsdecode(b"caf\xe9.toml")
        source.write_text((Path(__file__).parent / "data" / "model_example.toml").read_text("utf-8"), "utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")
    out = tmp_path / f"page.{suffix}"
    code, _, err = run_cli("report", str(source), "-o", str(out))
    assert code == 0, err
    assert "caf\\xe9" in out.read_text("utf-8")
