"""List pricing catalogs with where and when their prices were read, show one, or copy one to edit."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from costmodel.files.presets import copy_to_user, find_catalog, list_catalogs, user_dir
from costmodel.files.pricing import age_in_months, max_age_from_env, today_from_env
from costmodel.files.scenario_io import load_catalog
from costmodel.model.schema import PRICE_FIELDS, Catalog

HELP = "list pricing catalogs with sources and dates, show one, or copy one to edit"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `pricing list`, `pricing show NAME` and `pricing new NAME --from CATALOG`."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="list catalogs: origin, as_of, age and source")
    listing.add_argument("--format", "-f", choices=("table", "json"), default="table")
    show = sub.add_parser("show", help="print a catalog's prices with each one's source and as_of")
    show.add_argument("name", help="catalog name (see `costmodel pricing list`) or path")
    show.add_argument("--format", "-f", choices=("table", "json"), default="table")
    new = sub.add_parser("new", help="copy a catalog into the user presets folder for editing")
    new.add_argument("name", help="name of the new catalog (a file NAME.toml in the user folder's pricing/)")
    new.add_argument("--from", dest="source", required=True, metavar="CATALOG", help="catalog to copy")
    new.add_argument("--force", action="store_true", help="overwrite an existing user catalog of that name")


def _age(as_of: str | None, today: date) -> str:
    """Return an as_of's age as text, e.g. `14 mo`, or `?` when undated."""
    return f"{age_in_months(as_of, today)} mo" if as_of else "?"


def _catalog_dict(name: str, catalog: Catalog, today: date) -> dict[str, Any]:
    """Return a catalog's metadata, models and GPUs as plain data for JSON."""
    info = catalog.catalog
    return {
        "name": name,
        "title": info.name,
        "provider": info.provider,
        "description": info.description,
        "source": info.source,
        "as_of": info.as_of,
        "age_months": age_in_months(info.as_of, today) if info.as_of else None,
        "notes": " ".join(info.notes.split()),
        "models": {
            m: {
                **{f: getattr(price, f) for f in PRICE_FIELDS if getattr(price, f) is not None},
                **({"ft_hosting_per_hour": price.ft_hosting_per_hour} if price.ft_hosting_per_hour is not None else {}),
                "source": price.source,
                "as_of": price.as_of,
                "withdrawn": list(price.withdrawn),
                "withdrawn_note": price.withdrawn_note,
            }
            for m, price in catalog.models.items()
        },
        "gpus": {g: gpu.model_dump() for g, gpu in catalog.gpus.items()},
    }


def run(args: argparse.Namespace) -> int:
    """Print the catalogs, one catalog, or copy one; return the exit code."""
    today = today_from_env()
    if args.action == "new":
        path = copy_to_user(args.source, args.name, catalog=True, force=args.force)
        print(f"created {path} (from catalog {args.source!r}); edit it, then use pricing = {args.name!r}")
        return 0
    if args.action == "show":
        return _show(args, today)
    rows = []
    for info in list_catalogs():
        catalog = load_catalog(info.path)
        rows.append(
            {
                "name": info.name,
                "title": catalog.catalog.name,
                "origin": info.origin,
                "as_of": catalog.catalog.as_of,
                "age_months": age_in_months(catalog.catalog.as_of, today) if catalog.catalog.as_of else None,
                "models": len(catalog.models),
                "gpus": len(catalog.gpus),
                "source": catalog.catalog.source,
                "path": str(info.path),
            }
        )
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    limit = max_age_from_env()
    table = Table(show_edge=False, header_style="bold", title=f"Pricing catalogs (user folder: {user_dir()})")
    for column in ("name", "from", "as of", "age", "entries", "source"):
        table.add_column(column, overflow="fold")
    for r in rows:
        old = limit is not None and r["age_months"] is not None and r["age_months"] > limit
        age = _age(r["as_of"] or None, today)
        entries = ", ".join(
            x for x in (f"{r['models']} models" * bool(r["models"]), f"{r['gpus']} GPUs" * bool(r["gpus"])) if x
        )
        table.add_row(r["name"], r["origin"], r["as_of"], f"[yellow]{age}[/]" if old else age, entries, r["source"])
    Console().print(table)
    return 0


def _show(args: argparse.Namespace, today: date) -> int:
    """Print one catalog: its metadata and notes, then every model's and GPU's prices with source and date."""
    from pathlib import Path

    ref = args.name
    path = Path(ref) if ref.endswith(".toml") or "/" in ref else find_catalog(ref)
    catalog = load_catalog(path)
    name = path.stem
    if args.format == "json":
        print(json.dumps(_catalog_dict(name, catalog, today), indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    info = catalog.catalog
    console.print(Text(f"{info.name}  ({name}: {path})", style="bold"))
    for label, value in (
        ("provider", info.provider),
        ("source", info.source),
        ("as of", f"{info.as_of} ({_age(info.as_of or None, today)} old)"),
    ):
        if value:
            console.print(f"[dim]{label}:[/] {value}")
    if info.notes:
        console.print(Text(" ".join(info.notes.split()), style="italic"))
    limit = max_age_from_env()
    if catalog.models:
        used = [f for f in PRICE_FIELDS if any(getattr(m, f) is not None for m in catalog.models.values())]
        table = Table(header_style="bold", show_edge=False, title="USD per 1M tokens", title_justify="left")
        table.add_column("model", no_wrap=True)
        for f in used:
            table.add_column(f.removesuffix("_per_mtok").replace("_", " "), justify="right")
        table.add_column("as of")
        for m, price in catalog.models.items():
            cells = []
            for f in used:
                value = getattr(price, f)
                text = "" if value is None else f"{value:g}"
                cells.append(f"[red]{text}†[/]" if value is not None and f in price.withdrawn else text)
            age = age_in_months(price.as_of, today) if price.as_of else None
            as_of = price.as_of or "?"
            stale = age is None or (limit is not None and age > limit)
            table.add_row(m, *cells, f"[yellow]{as_of}[/]" if stale else as_of)
        console.print(table)
        withdrawn = {p.withdrawn_note for p in catalog.models.values() if p.withdrawn}
        for note in sorted(withdrawn):
            console.print(f"[red]†[/] no longer sold to new customers: {note or '(no reason given)'}")
        console.print(Text("sources:", style="dim"))
        for m, price in catalog.models.items():
            fee = f"; deployment {price.ft_hosting_per_hour:g}/hour" if price.ft_hosting_per_hour else ""
            console.print(f"  {m}: {price.source or '(no source)'} [dim]({price.as_of or 'undated'}{fee})[/]")
    if catalog.gpus:
        table = Table(header_style="bold", show_edge=False, title="GPUs, USD per GPU-hour", title_justify="left")
        for column in ("gpu", "per hour", "per month (730 h)", "provider", "as of", "source"):
            table.add_column(column, justify="right" if column.startswith("per") else "left")
        for g, gpu in catalog.gpus.items():
            table.add_row(
                g, f"{gpu.per_hour:g}", f"{gpu.per_hour * 730:,.0f}", gpu.provider, gpu.as_of or "?", gpu.source or ""
            )
        console.print(table)
    return 0
