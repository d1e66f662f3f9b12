"""The command line: argument parsing and error reporting only; every command lives in `commands/`.

Exit codes (costmodel.cli.exit_codes): 0 ok, 1 a bug, 2 bad input (a message on stderr,
at most 8 lines, nothing on stdout), 3 a guardrail tripped (see `estimate --max-total`).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence

import costmodel.cli.startup  # noqa: F401  # first: it readies pydantic before anything imports it
from costmodel import __version__
from costmodel.cli.commands import COMMANDS
from costmodel.cli.exit_codes import EXIT_BAD_INPUT, EXIT_BUG, EXIT_INTERRUPTED, EXIT_OK
from costmodel.cli.messages import LINE_WIDTH, error_lines
from costmodel.model.errors import CostmodelError
from costmodel.model.text import shorten

__all__ = ["build_parser", "error_lines", "main"]


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one short line on stderr and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {shorten(message, LINE_WIDTH)} (see `{self.prog} --help`)\n")


def _unknown_command(word: str) -> str | None:
    """Return an error for a first argument that is neither a command, a file nor a preset; None when it is one."""
    import difflib

    from costmodel.files.presets import find_preset, looks_like_path

    if looks_like_path(word):
        return None
    try:
        if os.path.lexists(word):
            return None
        find_preset(word)
        return None
    except (CostmodelError, OSError, ValueError):
        pass
    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
    shown = shorten(repr(word), 60)
    if close:
        return f"unknown command {shown}; did you mean `costmodel {close[0]}`? (see `costmodel --help`)"
    return f"{shown} is not a command, a file or a preset (commands: {', '.join(COMMANDS)}; see `costmodel --help`)"


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Return the parser with one subcommand per module named in `costmodel.cli.commands.COMMANDS`.

    With `only` (a command's name) just that subcommand is registered: running one command
    then imports one command's module, not all of them.
    """
    parser = _Parser(
        prog="costmodel",
        description="What RAG, fine-tuning or a hybrid will really cost. "
        "With no command, opens the terminal UI on the default preset; with a .toml file, on that file.",
    )
    parser.add_argument("--version", action="version", version=f"costmodel {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS if only is None else (only,):
        module = importlib.import_module(f"costmodel.cli.commands.{name}")
        command = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] not in COMMANDS and not args_list[0].startswith("-"):
        problem = _unknown_command(args_list[0])
        if problem:
            print(f"costmodel: {problem}", file=sys.stderr)
            return EXIT_BAD_INPUT
    if not args_list or (args_list[0] not in COMMANDS and not args_list[0].startswith("-")):
        args_list = ["tui", *args_list]
    # Importing the commands' modules (pydantic, the schema, Textual) makes many objects that live as
    # long as the process: collecting garbage among them while they are made only costs start-up time.
    gc.disable()
    if args_list[0] == "tui" and len(args_list) <= 2 and not any(a.startswith("-") for a in args_list[1:]):
        # The UI's start-up is measured against a bare Textual app: skip importing every
        # command's module to build the full parser when the arguments are this plain.
        # costmodel.tui.run freezes what is imported and turns the collector back on.
        from costmodel.tui import run as run_tui

        return _guarded(lambda: run_tui(args_list[1] if len(args_list) == 2 else None))
    try:
        only = args_list[0] if args_list[0] in COMMANDS else None
        args = build_parser(only).parse_args(args_list)
    finally:
        gc.freeze()
        gc.enable()
    return _guarded(lambda: args.run(args))


def _guarded(run: Callable[[], int]) -> int:
    """Run a command and return its exit code, turning bad input into exit code 2 and bugs into 1."""
    try:
        return int(run())
    except CostmodelError as exc:
        lines = error_lines(str(exc))
        print("\n".join([f"costmodel: {lines[0]}", *lines[1:]]), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except Exception:
        print("costmodel: internal error (a bug, please report it):", file=sys.stderr)
        import traceback

        traceback.print_exc()
        return EXIT_BUG
