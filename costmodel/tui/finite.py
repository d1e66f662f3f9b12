"""Refuse an edit whose figures overflow: the UI's use of `costmodel.model.finite` (no Textual here).

Finite inputs can still overflow (requests 1e308 × a price is infinite): the UI refuses such
an edit inline, naming the input and the figure, instead of showing `inf` or failing inside a
formatter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from costmodel.model.schema import Scenario

__all__ = ["overflow_message"]


def overflow_message(scenario: Scenario) -> str | None:
    """Return why `scenario`'s figures cannot be shown (which input makes which figure overflow), or None."""
    from costmodel.model.finite import FigureOverflowError, finite_estimate

    try:
        finite_estimate(scenario)
    except FigureOverflowError as exc:
        return "; ".join(str(issue) for issue in exc.issues) or str(exc)
    except (ArithmeticError, ValueError) as exc:
        return f"the figures cannot be computed ({exc})"
    return None
