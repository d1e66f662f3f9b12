"""The keys panel of F1 / `?` with the glossary at its top: what d, h, all-in and the marks mean."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import HelpPanel, KeyPanel, Markdown, Static

__all__ = ["GLOSSARY", "KeysAndGlossary", "glossary_text"]

# (term, meaning): the short forms of the totals and the marks of the grid and the totals.
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("d", "engineer-days (a day: 8 engineer hours)"),
    ("h", "expert-hours (a domain expert's time)"),
    ("all-in", "per 1,000 requests served: the total less the upfront build (fixed costs, updates, requests)"),
    ("Δ", "change from the file as loaded (key d)"),
    ("•", "input edited since loaded (r resets)"),
    ("≠", "input differs in the second scenario"),
    ("★ ✗ ⚠", "cheapest · not available · warned"),
)


def glossary_text() -> Text:
    """Return the glossary as the panel shows it: a heading, then one line per term."""
    text = Text("Glossary", style="bold")
    for term, meaning in GLOSSARY:
        text.append("\n")
        text.append(term, style="bold")
        text.append(f" {meaning}", style="not bold")
    return text


class KeysAndGlossary(HelpPanel):
    """Textual's keys panel (the focused widget's keys and the app's) under the glossary."""

    DEFAULT_CSS = """
    KeysAndGlossary #glossary {
        height: auto;
        max-height: 60%;
        overflow-y: auto;
        margin-bottom: 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(glossary_text(), id="glossary")
        yield Markdown(id="widget-help")
        yield KeyPanel(id="keys-help")
