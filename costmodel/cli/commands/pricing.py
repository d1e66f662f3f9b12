"""Pricing catalogs: list them, show one, copy one to edit, import LiteLLM's price map,
check a scenario's prices, and compare two catalogs."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from costmodel.cli.commands.common import add_price_age_arguments
from costmodel.files.presets import copy_to_user, list_catalogs, resolve_ref, user_dir
from costmodel.files.pricing import age_in_months, max_age_from_env, parse_date, today_from_env
from costmodel.files.scenario_io import load_catalog
from costmodel.model.catalog import Catalog
from costmodel.model.errors import CostmodelError
from costmodel.model.schema import PRICE_FIELDS

HELP = "pricing catalogs: list, show, new, import (LiteLLM), check a scenario's prices, diff two catalogs"
EXIT_WARNED = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `pricing list|show|new|import|check|diff` and their options."""
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
    imp = sub.add_parser("import", help="write a catalog from LiteLLM's price map (prices per token -> per 1M)")
    imp.add_argument(
        "file",
        nargs="?",
        default=None,
        metavar="FILE",
        help="the price map JSON (default: the copy inside an installed litellm package)",
    )
    imp.add_argument("--from", dest="kind", choices=("litellm",), default="litellm", help="format of FILE")
    imp.add_argument("--output", "-o", required=True, metavar="CATALOG.toml", help="catalog file to write (- = stdout)")
    imp.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PATTERN",
        help="import only models matching this shell pattern, e.g. 'gpt-4.1*' (repeatable)",
    )
    imp.add_argument("--as-of", default=None, metavar="DATE", help="the prices' date (default: the file's date)")
    imp.add_argument(
        "--base",
        default=None,
        metavar="CATALOG",
        help="merge with this catalog: its models keep the fields the map lacks (training prices, ...)",
    )
    check = sub.add_parser("check", help="every price a scenario uses: age, source, confirmed, availability")
    check.add_argument("scenario", metavar="FILE_OR_PRESET", help="a scenario .toml file or a preset name")
    check.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")
    check.add_argument("--strict", action="store_true", help=f"exit {EXIT_WARNED} when any price is warned about")
    check.add_argument("--format", "-f", choices=("table", "json"), default="table")
    add_price_age_arguments(check)
    diff = sub.add_parser("diff", help="what changed between two catalogs: models added, removed, prices in %%")
    diff.add_argument("old", metavar="A", help="the old catalog (name or path)")
    diff.add_argument("new", metavar="B", help="the new catalog (name or path)")
    diff.add_argument("--format", "-f", choices=("table", "json"), default="table")


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
                "unconfirmed": list(price.unconfirmed),
                **{
                    f: getattr(price, f).isoformat()
                    for f in ("available_until", "training_until")
                    if getattr(price, f) is not None
                },
                **{f: getattr(price, f) for f in ("above_tokens", "context_window") if getattr(price, f) is not None},
            }
            for m, price in catalog.models.items()
        },
        "gpus": {g: gpu.model_dump() for g, gpu in catalog.gpus.items()},
        "vector_dbs": {v: plan.model_dump(exclude_none=True) for v, plan in catalog.vector_dbs.items()},
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
    if args.action == "import":
        return _import(args)
    if args.action == "check":
        return _check(args)
    if args.action == "diff":
        return _diff(args)
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
                "vector_dbs": len(catalog.vector_dbs),
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
    console = Console()
    wide = console.width >= 120
    table = Table(show_edge=False, header_style="bold", title=f"Pricing catalogs (user folder: {user_dir()})")
    for column in ("name", "from", "as of", "age", "entries", *(("source",) if wide else ())):
        table.add_column(column, overflow="fold", no_wrap=column != "source")
    for r in rows:
        old = limit is not None and r["age_months"] is not None and r["age_months"] > limit
        age = _age(r["as_of"] or None, today)
        counts = ((r["models"], "models"), (r["gpus"], "GPUs"), (r["vector_dbs"], "DB plans"))
        entries = ", ".join(f"{n} {what}" for n, what in counts if n)
        cells = [r["name"], r["origin"], r["as_of"], f"[yellow]{age}[/]" if old else age, entries]
        table.add_row(*cells, *((r["source"],) if wide else ()))
    console.print(table)
    if not wide:
        console.print("[dim]sources:[/]")
        for r in rows:
            console.print(f"  {r['name']}: {r['source'] or '(no source)'}")
    return 0


def _catalog_path(ref: str) -> Path:
    """Return the file of a catalog named by `ref`: a path, or a user or bundled catalog name."""
    return resolve_ref(ref, None, "catalog")


# Price columns of `pricing show`, in groups that each make one table: (title, [(field, header)]).
_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "USD per 1M tokens",
        (
            ("input_per_mtok", "input"),
            ("output_per_mtok", "output"),
            ("cached_input_per_mtok", "cache read"),
            ("cache_write_per_mtok", "cache write"),
            ("batch_input_per_mtok", "batch in"),
            ("batch_output_per_mtok", "batch out"),
        ),
    ),
    (
        "Fine-tuning, USD per 1M tokens",
        (
            ("training_per_mtok", "training"),
            ("ft_input_per_mtok", "ft input"),
            ("ft_output_per_mtok", "ft output"),
            ("ft_cached_input_per_mtok", "ft cache read"),
            ("ft_batch_input_per_mtok", "ft batch in"),
            ("ft_batch_output_per_mtok", "ft batch out"),
        ),
    ),
    (
        "Long-context tier (a request above N input tokens), USD per 1M tokens",
        (
            ("above_tokens", "above N"),
            ("above_input_per_mtok", "input"),
            ("above_output_per_mtok", "output"),
            ("above_cached_input_per_mtok", "cache read"),
            ("above_cache_write_per_mtok", "cache write"),
        ),
    ),
    (
        "Dates and limits",
        (
            ("context_window", "context window"),
            ("available_until", "available until"),
            ("training_until", "training until"),
        ),
    ),
)


def _cell(price: Any, field: str) -> str:
    """Return one value of a model as shown: `3`, `0.075`, `200,000`, a date; `*` unconfirmed, `†` withdrawn."""
    value = getattr(price, field)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:g}" if abs(value) >= 1e-4 or value == 0 else f"{value:.6f}".rstrip("0")
    marks = ("*" if field in price.unconfirmed else "") + ("†" if field in price.withdrawn else "")
    return text + marks


def fit_columns(name_width: int, columns: list[tuple[str, int]], width: int) -> list[list[str]]:
    """Return the column headers split into runs that fit `width` next to a name column.

    Each column is (header, widest cell); a column takes the wider of the two plus 3
    (padding and rule); headers do not wrap. Every run holds at least one column.
    """
    runs: list[list[str]] = [[]]
    used = name_width + 2
    for header, cell in columns:
        need = max(len(header), cell) + 3
        if runs[-1] and used + need > width:
            runs.append([])
            used = name_width + 2
        runs[-1].append(header)
        used += need
    return [r for r in runs if r]


def _price_tables(catalog: Catalog, width: int, today: date) -> list[Any]:
    """Return rich tables of a catalog's model prices that each fit `width` columns: no price is ever cut."""
    from rich.table import Table

    models = catalog.models
    limit = max_age_from_env()
    name_width = min(max(len(m) for m in models), max(12, width // 3))
    tables = []
    for title, fields in _GROUPS:
        dated = title.startswith("Dates")
        shown = [(f, h) for f, h in fields if any(getattr(p, f) is not None for p in models.values())]
        if not shown and not dated:
            continue
        rows = {m: p for m, p in models.items() if dated or any(getattr(p, f) is not None for f, _ in shown)}
        cells = {m: {h: _cell(p, f) for f, h in shown} for m, p in rows.items()}
        extra = [("as of", 10)] if dated else []
        columns = [(h, max(len(c[h]) for c in cells.values())) for _, h in shown] + extra
        for run in fit_columns(name_width, columns, width):
            table = Table(header_style="bold", show_edge=False, title=title, title_justify="left")
            table.add_column("model", overflow="fold", min_width=name_width, max_width=name_width)
            for header in run:
                table.add_column(header, justify="left" if header == "as of" else "right", no_wrap=header != "as of")
            for m, p in rows.items():
                values = []
                for header in run:
                    if header != "as of":
                        values.append(cells[m][header])
                        continue
                    age = age_in_months(p.as_of, today) if p.as_of else None
                    stale = age is None or (limit is not None and age > limit)
                    values.append(f"[yellow]{p.as_of or '?'}[/]" if stale else (p.as_of or "?"))
                table.add_row(m, *values)
            tables.append(table)
    return tables


def _show(args: argparse.Namespace, today: date) -> int:
    """Print one catalog: its metadata and notes, then its prices in tables that fit the terminal."""
    path = _catalog_path(args.name)
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
    if catalog.models:
        for table in _price_tables(catalog, console.width, today):
            console.print(table)
        if any(p.unconfirmed for p in catalog.models.values()):
            console.print("* not confirmed from the provider's own page (a community price map or a secondary source)")
        withdrawn = {p.withdrawn_note for p in catalog.models.values() if p.withdrawn}
        for note in sorted(withdrawn):
            console.print(f"[red]†[/] no longer sold to new customers: {note or '(no reason given)'}")
        console.print(Text("sources:", style="dim"))
        for m, price in catalog.models.items():
            fee = f"; deployment {price.ft_hosting_per_hour:g}/hour" if price.ft_hosting_per_hour else ""
            console.print(f"  {m}: {price.source or '(no source)'} [dim]({price.as_of or 'undated'}{fee})[/]")
    if catalog.gpus:
        table = Table(header_style="bold", show_edge=False, title="GPUs, USD per GPU-hour", title_justify="left")
        table.add_column("gpu", overflow="fold")
        table.add_column("per hour", justify="right", no_wrap=True)
        table.add_column("per month (730 h)", justify="right", no_wrap=True)
        table.add_column("as of", no_wrap=True)
        table.add_column("provider", overflow="fold")
        for g, gpu in catalog.gpus.items():
            mark = "*" if gpu.unconfirmed else ""
            table.add_row(
                g, f"{gpu.per_hour:g}{mark}", f"{gpu.per_hour * 730:,.0f}{mark}", gpu.as_of or "?", gpu.provider
            )
        console.print(table)
        if any(gpu.unconfirmed for gpu in catalog.gpus.values()):
            console.print("* not confirmed from the provider's own page (an aggregator, or derived)")
        console.print(Text("sources:", style="dim"))
        for g, gpu in catalog.gpus.items():
            console.print(f"  {g}: {gpu.source or '(no source)'}")
    if catalog.vector_dbs:
        _print_vector_dbs(console, catalog)
    return 0


def _print_vector_dbs(console: Any, catalog: Catalog) -> None:
    """Print a catalog's vector-DB plans: unit prices, fees and minimums, then what each includes and its source."""
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold", show_edge=False, title="Vector-DB plans, USD", title_justify="left")
    table.add_column("plan", overflow="fold")
    for header in ("GB-mo", "1M RU", "1M WU", "flat/mo", "min/mo", "as of"):
        table.add_column(header, justify="left" if header == "as of" else "right", no_wrap=True)
    for name, plan in catalog.vector_dbs.items():
        values = (
            plan.storage_per_gb_month,
            plan.read_per_million_units,
            plan.write_per_million_units,
            plan.flat_per_month,
            plan.minimum_per_month,
        )
        mark = "" if plan.confirmed else "*"
        cells = ["" if v is None else f"{v:g}{mark}" for v in values]
        table.add_row(name, *cells, plan.as_of or "?")
    console.print(table)
    console.print("GB-mo storage per GB-month; RU / WU read / write units; min/mo monthly minimum spend")
    console.print("* not confirmed from the vendor's own page")
    console.print(Text("plans:", style="dim"))
    for name, plan in catalog.vector_dbs.items():
        extra = "; ".join(x for x in (plan.included and f"includes {plan.included}", plan.notes) if x)
        console.print(f"  {name}: {plan.provider}{f' ({extra})' if extra else ''}; {plan.source or '(no source)'}")


def _import(args: argparse.Namespace) -> int:
    """Write a catalog from a LiteLLM price map; list what was left out on stderr; return 0."""
    import sys

    from costmodel.cli.commands.common import write_output
    from costmodel.files.litellm import catalog_text, convert, installed_price_map, read_price_map

    if args.file is None:
        found = installed_price_map()
        if found is None:
            raise CostmodelError(
                "pricing import: no FILE given and no litellm package is installed: pass the price map "
                "(model_prices_and_context_window.json from github.com/BerriAI/litellm)"
            )
        path, version = found
        label = f"{path.name} from litellm {version}"
        print(f"costmodel: reading {path} (litellm {version})", file=sys.stderr)
    else:
        path = Path(args.file)
        label = path.name
    price_map = read_price_map(path)
    if args.as_of is None:
        as_of = date.fromtimestamp(path.stat().st_mtime).isoformat()
    else:
        try:
            parse_date(args.as_of)
        except ValueError as exc:
            raise CostmodelError(f"--as-of: {exc}") from None
        as_of = args.as_of
    base = None
    base_name = ""
    if args.base is not None:
        base_path = _catalog_path(args.base)
        base, base_name = load_catalog(base_path), base_path.stem
    source = f"LiteLLM price map ({label}; community-kept, not the providers' pages)"
    result = convert(price_map, source=source, as_of=as_of, only=args.only, base=base, base_name=base_name)
    if not result.models:
        raise CostmodelError(
            f"{path}: no model with a per-token price"
            + (f" matches {', '.join(args.only)}" if args.only else "")
            + f" ({len(result.skipped)} entries left out)"
        )
    info = {
        "name": f"Imported from {label}",
        "provider": "LiteLLM price map (community)",
        "description": f"{len(result.models)} models imported by `costmodel pricing import`",
        "source": source,
        "as_of": as_of,
        "notes": (
            "Prices are LiteLLM's per-token figures x 1e6 (USD per 1M tokens), every one listed as "
            "unconfirmed: the map is kept by a community, not by the providers. "
            f"{len(result.skipped)} entries without a per-token price were left out"
            + (f", and fields of {len(result.notes)} were" if result.notes else "")
            + (f". Fields the map lacks (training and fine-tuned prices, ...) come from {base_name}." if base else ".")
        ),
    }
    write_output(catalog_text(info, result, base.model_dump()["gpus"] if base else None), args.output)
    print(f"costmodel: {len(result.models)} models written to {args.output}", file=sys.stderr)
    for what, items in (("left out", result.skipped), ("field left out of", result.notes)):
        kinds: dict[str, list[str]] = {}
        for item in items:
            kinds.setdefault(item.reason, []).append(item.name)
        for reason, names in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
            shown = ", ".join(names[:5]) + (f", … +{len(names) - 5}" if len(names) > 5 else "")
            print(f"costmodel: {what} {len(names)} ({reason}): {shown}", file=sys.stderr)
    return 0


_STATUS_FIELDS = ("available_until", "training_until")


def _check(args: argparse.Namespace) -> int:
    """Print every price the scenario uses with its age, source and status; return 3 under --strict if warned."""
    from costmodel.cli.commands.common import price_age_options, warning_set
    from costmodel.files.pricing import horizon_dates, used_prices
    from costmodel.files.scenario_io import load_document
    from costmodel.model.engine import estimate
    from costmodel.model.notices import render_all, to_dicts

    scenario = load_document(args.scenario, args.overrides).scenario
    est = estimate(scenario)
    today = price_age_options(args)[0]
    ranked = warning_set(scenario, (), est.cheapest, args)
    rows = []
    for u in used_prices(scenario):
        if u.kind == "gpu":
            gpu = scenario.gpus[u.name]
            rows.append(_check_row(u, "per_hour", gpu.per_hour, gpu.unconfirmed, None, today))
            continue
        model = scenario.models[u.name]
        for f in u.fields:
            row = _check_row(u, f, getattr(model, f), f in model.unconfirmed, model, today)
            rows.append(row)
    first, last = horizon_dates(scenario, today)
    if args.format == "json":
        data = {
            "scenario": scenario.name,
            "cheapest": est.cheapest,
            "today": today.isoformat(),
            "horizon": {"start": first.isoformat(), "end": last.isoformat()},
            "prices": rows,
        }
        data["warnings"] = render_all(ranked)
        data["warning_details"] = to_dicts(ranked)
        print(json.dumps(data, indent=2))
    else:
        horizon = f"horizon {first:%Y-%m} to {last:%Y-%m}, aged on {today.isoformat()}"
        _print_check(f"{scenario.name} ({horizon})", rows, render_all(ranked))
    return EXIT_WARNED if args.strict and ranked else 0


def _check_row(u: Any, field: str, value: Any, unconfirmed: bool, model: Any, today: date) -> dict[str, Any]:
    """Return one row of `pricing check`: the price, what uses it, its date, age, source and status."""
    status = []
    if model is not None:
        if field in model.withdrawn:
            status.append("withdrawn")
        for f in _STATUS_FIELDS:
            when = getattr(model, f)
            if when is not None and (f == "available_until" or field == "training_per_mtok"):
                status.append(f"{f.replace('_', ' ')} {when.isoformat()}")
    return {
        "kind": u.kind,
        "name": u.name,
        "field": field,
        "value": value,
        "used_by": list(u.used_by),
        "as_of": u.as_of,
        "age_months": age_in_months(u.as_of, today) if u.as_of else None,
        "confirmed": not unconfirmed,
        "status": status,
        "source": u.source,
    }


def _print_check(name: str, rows: list[dict[str, Any]], warnings: list[str]) -> None:
    """Print the rows of `pricing check` as a table that fits the terminal, then sources and warnings."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    table = Table(header_style="bold", show_edge=False, title=f"Prices used by {name}", title_justify="left")
    table.add_column("model / field", overflow="fold")
    table.add_column("price", justify="right", no_wrap=True)
    table.add_column("as of", no_wrap=True)
    table.add_column("age", justify="right", no_wrap=True)
    table.add_column("status", overflow="fold")
    for r in rows:
        field = r["field"].removesuffix("_per_mtok")
        age = "?" if r["age_months"] is None else f"{r['age_months']} mo"
        status = ["unconfirmed" if not r["confirmed"] else "confirmed", *r["status"]]
        table.add_row(f"{r['name']} {field}", f"{r['value']:g}", r["as_of"] or "?", age, ", ".join(status))
    console.print(table)
    console.print(Text("sources:", style="dim"))
    seen = set()
    for r in rows:
        if r["name"] not in seen:
            seen.add(r["name"])
            console.print(f"  {r['name']}: {r['source'] or '(no source)'} [dim](used by {', '.join(r['used_by'])})[/]")
    for w in warnings:
        console.print(Text(f"⚠ {w}", style="yellow"))
    if not warnings:
        console.print("no price warnings")


def _diff(args: argparse.Namespace) -> int:
    """Print what changed between catalogs A and B; return 0."""
    from costmodel.analysis.price_diff import catalog_diff

    a_path, b_path = _catalog_path(args.old), _catalog_path(args.new)
    result = catalog_diff(load_catalog(a_path), load_catalog(b_path))
    if args.format == "json":
        print(json.dumps({"a": str(a_path), "b": str(b_path), **result.to_dict()}, indent=2, default=str))
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{a_path.stem} -> {b_path.stem}[/]")
    console.print(f"added ({len(result.added)}): {', '.join(result.added) or 'none'}")
    console.print(f"removed ({len(result.removed)}): {', '.join(result.removed) or 'none'}")
    if not result.changes:
        console.print("no price of a model in both changed")
        return 0
    table = Table(header_style="bold", show_edge=False, title="Changed", title_justify="left")
    table.add_column("model", no_wrap=True)
    table.add_column("field", overflow="fold")
    table.add_column("A", justify="right", no_wrap=True)
    table.add_column("B", justify="right", no_wrap=True)
    table.add_column("change", justify="right", no_wrap=True)
    for c in result.changes:
        change = "" if c.percent is None else f"{c.percent:+.1f} %"
        style = "red" if c.percent and c.percent > 0 else "green" if c.percent and c.percent < 0 else ""
        table.add_row(
            c.model,
            c.field.removesuffix("_per_mtok"),
            _plain(c.old),
            _plain(c.new),
            f"[{style}]{change}[/]" if style else change,
        )
    console.print(table)
    return 0


def _plain(value: Any) -> str:
    """Return a diff value as text: `-` when unset, `3`, `0.075`, `200,000`, a date, or a list of fields."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    text = str(value)
    if "_per_mtok" in text:
        names = [n.removesuffix("_per_mtok") for n in text.split(", ")]
        text = ", ".join(names) if len(names) <= 3 else f"{len(names)} fields"
    return text
