"""List the bundled and user scenario presets, show one, or copy one into the user folder to edit."""

from __future__ import annotations

import argparse
import json

from costmodel.files.presets import copy_to_user, find_preset, list_presets, user_dir

HELP = "list, show or copy scenario presets"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `presets list` and `presets show NAME`."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="list presets and where each comes from")
    listing.add_argument("--format", "-f", choices=("table", "json"), default="table")
    show = sub.add_parser("show", help="print a preset's file")
    show.add_argument("name", help="preset name (see `costmodel presets list`)")
    new = sub.add_parser("new", help="copy a preset into the user presets folder for editing")
    new.add_argument("name", help="name of the new preset (a file NAME.toml in the user folder)")
    new.add_argument(
        "--from", dest="source", default="default", metavar="PRESET", help="preset to copy (default: default)"
    )
    new.add_argument("--force", action="store_true", help="overwrite an existing user preset of that name")


def first_sentence(text: str) -> str:
    """Return the first sentence of `text` (up to the first '. '), for one-line listings."""
    head, sep, _ = text.partition(". ")
    return head + ("." if sep else "")


def run(args: argparse.Namespace) -> int:
    """Print the list of presets or one preset's text, or copy one; return the exit code."""
    if args.action == "new":
        path = copy_to_user(args.source, args.name, force=args.force)
        print(f"created {path} (from {args.source!r}); edit it, then: costmodel estimate {args.name}")
        return 0
    if args.action == "show":
        path = find_preset(args.name)
        print(f"# {args.name}: {path}")
        from costmodel.files.reading import read_text
        from costmodel.model.text import clean

        print(clean(read_text(path)), end="")
        return 0
    presets = list_presets()
    if args.format == "json":
        rows = [
            {
                "name": p.name,
                "title": p.title,
                "origin": p.origin,
                "path": str(p.path),
                "shadows": str(p.shadows) if p.shadows else None,
            }
            for p in presets
        ]
        print(json.dumps(rows, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold", title=f"Presets (user folder: {user_dir()})")
    table.add_column("name", no_wrap=True, style="bold")
    table.add_column("title")
    table.add_column("from", no_wrap=True)
    table.add_column("file", style="dim", overflow="fold")
    for p in presets:
        title = p.title if p.title != p.name else first_sentence(p.description)
        origin = f"{p.origin} (shadows bundled)" if p.shadows else p.origin
        table.add_row(p.name, title, origin, str(p.path))
    Console().print(table)
    print("Show one with `costmodel presets show NAME`; estimate it with `costmodel estimate NAME`.")
    return 0
