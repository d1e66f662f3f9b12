"""The exit codes of every command, defined once.

0 ok; 1 a bug (an internal error, reported with a traceback); 2 bad input (a message on
stderr, nothing half-written); 3 a guardrail tripped (`estimate --max-total`,
`diff --fail-on-flip`); 130 interrupted with ctrl+c.
"""

from __future__ import annotations

__all__ = ["EXIT_BAD_INPUT", "EXIT_BUG", "EXIT_GUARDRAIL", "EXIT_INTERRUPTED", "EXIT_OK"]

EXIT_OK = 0
EXIT_BUG = 1
EXIT_BAD_INPUT = 2
EXIT_GUARDRAIL = 3
EXIT_INTERRUPTED = 130
