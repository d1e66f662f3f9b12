"""Every text/background pair of the UI in both of Textual's themes stands at least 4.5:1 (WCAG AA).

The colours are read from the running app (its CSS resolved against each theme), so a rule
changed in app.tcss or a new theme colour is checked as drawn.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.color import Color

from costmodel.tui.app import CostmodelApp
from costmodel.tui.contrast import MINIMUM, contrast, readable
from costmodel.tui.state import Document

pytestmark = pytest.mark.tui

COMPONENTS = {
    "#grid": ["heading", "header", "unit", "unset", "edited", "cursor"],
    "#totals": ["header", "label", "strong", "cheapest", "hint", "warning", "cursor"],
    "#chart": ["axis", "mark", "rag", "fine-tune", "hybrid", "long-context"],
}
PREFIX = {"#grid": "input-grid--", "#totals": "totals--", "#chart": "timeline-chart--"}
PLAIN = ["#notes", "#field-help", "#title-bar", "#editor-label", "#formula", "#grid", "#totals"]


def pairs(theme: str) -> list[tuple[str, float]]:
    """Return (what, contrast) for every styled text of the main screen in `theme`."""
    app = CostmodelApp(Document.open("support-assistant"))
    found: list[tuple[str, float]] = []

    async def main() -> None:
        async with app.run_test(size=(140, 45)) as pilot:
            app.theme = theme
            await pilot.pause()
            app.query_one("#grid").focus()
            await pilot.pause()
            for selector, names in COMPONENTS.items():
                widget = app.query_one(selector)
                base = widget.rich_style
                for name in names:
                    style = base + widget.get_component_rich_style(PREFIX[selector] + name)
                    background = Color.from_rich_color(style.bgcolor) if style.bgcolor else widget.background_colors[1]
                    found.append((f"{selector} {name}", contrast(Color.from_rich_color(style.color), background)))
            for selector in PLAIN:
                widget = app.query_one(selector)
                style = widget.rich_style
                background = Color.from_rich_color(style.bgcolor) if style.bgcolor else widget.background_colors[1]
                found.append((selector, contrast(Color.from_rich_color(style.color), background)))
            background = Color.parse(app.theme_variables["background"])
            for name in ("text-success", "text-warning", "text-error"):  # the notes' verdicts and warnings
                colour = Color.parse(app._theme_colour(name, "white"))
                found.append((f"notes {name}", contrast(colour, background)))

    asyncio.run(main())
    return found


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_every_text_reads_at_least_4_5_to_1(theme: str) -> None:
    low = [(what, round(ratio, 2)) for what, ratio in pairs(theme) if ratio < MINIMUM]
    assert not low, f"below {MINIMUM}:1 in {theme}: {low}"


def test_readable_moves_a_colour_until_it_reads() -> None:
    background = Color.parse("#E0E0E0")
    amber = Color.parse("#ffa62b")
    assert contrast(amber, background) < MINIMUM
    assert contrast(readable(amber, background), background) >= MINIMUM
    assert contrast(Color(255, 255, 255), Color(0, 0, 0)) == pytest.approx(21)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_dialog_texts_read_at_least_4_5_to_1(theme: str) -> None:
    """The unsaved-edits dialog: its title, message and hint on the dialog's background."""
    from costmodel.tui.dialogs import confirm

    app = CostmodelApp(Document.open("support-assistant"))
    found: list[tuple[str, float]] = []

    async def main() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            app.theme = theme
            app.push_screen(
                confirm("Unsaved edits", "scenario.toml has edits.", [("save", "Save"), ("cancel", "Cancel")])
            )
            await pilot.pause()
            for selector in (".dialog-title", "#confirm-message", ".dialog-hint"):
                widget = app.screen.query_one(selector)
                style = widget.rich_style
                background = Color.from_rich_color(style.bgcolor) if style.bgcolor else widget.background_colors[1]
                found.append((selector, contrast(Color.from_rich_color(style.color), background)))

    asyncio.run(main())
    low = [(what, round(ratio, 2)) for what, ratio in found if ratio < MINIMUM]
    assert not low, f"below {MINIMUM}:1 in {theme}: {low}"
