"""Refuse an edit whose figures overflow: the UI's use of `costmodel.model.finite` (no Textual here).

Finite inputs can still overflow (requests 1e308 × a price is infinite): the UI refuses such
an edit inline, naming the input and the figure, instead of showing `inf` or failing inside a
formatter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from costmodel.model.engine import Estimate
    from costmodel.model.schema import Scenario

__all__ = ["checked_estimate", "overflow_message"]


def checked_estimate(scenario: Scenario, today: date | None = None) -> tuple[Estimate | None, str | None]:
    """Return the engine's estimate of `scenario` dated `today` and None, or None and why its figures
    cannot be shown (which input makes which figure overflow)."""
    from costmodel.model.finite import FigureOverflowError, finite_estimate

    try:
        return finite_estimate(scenario, None, today), None
    except FigureOverflowError as exc:
        return None, "; ".join(str(issue) for issue in exc.issues) or str(exc)
    except (ArithmeticError, ValueError) as exc:
        return None, f"the figures cannot be computed ({exc})"


def overflow_message(scenario: Scenario) -> str | None:
    """Return why `scenario`'s figures cannot be shown (which input makes which figure overflow), or None."""
    return checked_estimate(scenario)[1]
