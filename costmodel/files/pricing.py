"""Where a scenario's prices come from, and whether they can still be trusted.

Pure functions over a validated Scenario (no clock: callers pass `today`). Faces call
`price_warnings` with today's date and show its sentences next to the engine's warnings;
`price_sources` lists each price a scenario uses with its source and date for the JSON.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from costmodel.model.errors import CostmodelError
from costmodel.model.schema import ModelPrice, Scenario, required_prices

__all__ = [
    "DEFAULT_MAX_AGE_MONTHS",
    "ENV_MAX_AGE",
    "ENV_TODAY",
    "UsedPrice",
    "age_in_months",
    "max_age_from_env",
    "parse_date",
    "parse_max_age",
    "price_sources",
    "price_warnings",
    "today_from_env",
    "used_prices",
]

DEFAULT_MAX_AGE_MONTHS = 12
ENV_MAX_AGE = "COSTMODEL_MAX_PRICE_AGE"
ENV_TODAY = "COSTMODEL_TODAY"


@dataclass(frozen=True, slots=True)
class UsedPrice:
    """A model or GPU a scenario bills with: its kind (`model` or `gpu`), name, fields used and by what."""

    kind: str
    name: str
    fields: tuple[str, ...]
    used_by: tuple[str, ...]
    source: str | None
    as_of: str | None


def parse_date(text: str) -> date:
    """Return the date of a `YYYY-MM-DD` or `YYYY-MM` text (the first of the month for the latter).

    Raises ValueError for anything else.
    """
    parts = text.strip().split("-")
    if len(parts) == 2:
        parts.append("1")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"expected a date as YYYY-MM-DD or YYYY-MM, got {text!r}")
    return date(int(parts[0]), int(parts[1]), int(parts[2]))


def age_in_months(as_of: str, today: date) -> int:
    """Return the whole calendar months from `as_of` (YYYY-MM or YYYY-MM-DD) to `today`; negative if later.

    A month-only date counts from its month: 2025-09 is 14 months old on 2026-11-25.
    A full date counts a month only once its day is reached.
    """
    then = parse_date(as_of)
    months = (today.year - then.year) * 12 + (today.month - then.month)
    if as_of.count("-") == 2 and today.day < then.day:
        months -= 1
    return months


def used_prices(s: Scenario) -> list[UsedPrice]:
    """Return every model and GPU whose prices the scenario's figures use, models first, in first-use order."""
    by_model: dict[str, tuple[list[str], list[str]]] = {}
    for need in required_prices(s):
        name = getattr(getattr(s, need.table), need.field)
        fields, users = by_model.setdefault(name, ([], []))
        if need.price not in fields:
            fields.append(need.price)
        user = f"{need.table}.{need.field}"
        if user not in users:
            users.append(user)
    out = [
        UsedPrice("model", name, tuple(f), tuple(u), s.models[name].source, s.models[name].as_of)
        for name, (f, u) in by_model.items()
    ]
    gpus: dict[str, list[str]] = {}
    for where in ("rag.self_host", "fine_tune.self_host", "fine_tune.self_train", "hybrid.self_host"):
        table, field = where.split(".")
        part = getattr(getattr(s, table), field)
        if part is not None:
            gpus.setdefault(part.gpu, []).append(where)
    out += [
        UsedPrice("gpu", name, ("per_hour",), tuple(users), s.gpus[name].source, s.gpus[name].as_of)
        for name, users in gpus.items()
    ]
    return out


def price_sources(s: Scenario, used: list[UsedPrice] | None = None) -> list[dict[str, object]]:
    """Return, for the JSON output, each used model or GPU with its fields, users, source and as_of.

    `used` is `used_prices(s)` when the caller has it already.
    """
    return [
        {
            "kind": u.kind,
            "name": u.name,
            "fields": list(u.fields),
            "used_by": list(u.used_by),
            "source": u.source,
            "as_of": u.as_of,
        }
        for u in (used_prices(s) if used is None else used)
    ]


def _label(u: UsedPrice) -> str:
    """Return how a warning names a used price, e.g. `prices of model 'gpt-4.1' (rag.model)`."""
    return f"prices of {u.kind} '{u.name}' ({', '.join(u.used_by)})"


def price_warnings(
    s: Scenario,
    today: date,
    max_age_months: int | None = DEFAULT_MAX_AGE_MONTHS,
    used: list[UsedPrice] | None = None,
) -> list[str]:
    """Return sentences about prices the scenario uses that may not hold any more.

    Args:
        s: a validated scenario.
        today: the date to age prices against (faces pass today's date).
        max_age_months: prices older than this many months are flagged; None switches
            the age check off.
        used: `used_prices(s)` when the caller has it already.

    Returns:
        One sentence per undated, stale or future-dated price, per price a provider no
        longer sells (`withdrawn`), and per fine-tuned deployment fee the scenario leaves out.
    """
    warnings: list[str] = []
    for u in used_prices(s) if used is None else used:
        if u.as_of is None:
            warnings.append(f"{_label(u)} carry no as_of date, so their age is unknown; add one (YYYY-MM)")
        elif max_age_months is not None:
            age = age_in_months(u.as_of, today)
            if age > max_age_months:
                warnings.append(
                    f"{_label(u)} are {age} months old (as of {u.as_of}), over the {max_age_months}-month "
                    "limit: re-check them (sources: `costmodel pricing show`; limit: --max-price-age)"
                )
            elif age < 0:
                warnings.append(f"{_label(u)} are dated {u.as_of}, after today ({today.isoformat()})")
        if u.kind == "model":
            model: ModelPrice = s.models[u.name]
            gone = [f for f in u.fields if f in model.withdrawn]
            if gone:
                note = f": {model.withdrawn_note}" if model.withdrawn_note else ""
                warnings.append(
                    f"model '{u.name}' uses prices its provider no longer sells to new customers "
                    f"({', '.join(gone)}){note}"
                )
    warnings += _deployment_fee_warnings(s)
    return warnings


def _deployment_fee_warnings(s: Scenario) -> list[str]:
    """Return a warning when the fine-tuned model's catalog bills hourly hosting the scenario leaves out."""
    ft = s.fine_tune
    model = s.models.get(ft.model)
    if model is None or not model.ft_hosting_per_hour or ft.hosting_per_hour >= model.ft_hosting_per_hour:
        return []
    served_by_api = [n for n, part in (("fine_tune", ft), ("hybrid", s.hybrid)) if part.self_host is None]
    if not served_by_api:
        return []
    return [
        f'models."{ft.model}".ft_hosting_per_hour is {model.ft_hosting_per_hour:g} an hour (a deployed '
        f"fine-tuned model bills by the hour), but fine_tune.hosting_per_hour is {ft.hosting_per_hour:g}: "
        f"{' and '.join(served_by_api)} may be understated"
    ]


def max_age_from_env(default: int = DEFAULT_MAX_AGE_MONTHS) -> int | None:
    """Return the price-age limit in months from COSTMODEL_MAX_PRICE_AGE (0 = off -> None), else `default`.

    Raises CostmodelError when the variable is not a whole number >= 0.
    """
    text = os.environ.get(ENV_MAX_AGE, "").strip()
    if not text:
        return default
    return parse_max_age(text, ENV_MAX_AGE)


def parse_max_age(text: str, where: str) -> int | None:
    """Return a price-age limit in months parsed from `text` (0 = off -> None); `where` names it in errors."""
    try:
        value = int(text)
    except ValueError:
        raise CostmodelError(f"{where}: expected a whole number of months (0 = no limit), got {text!r}") from None
    if value < 0:
        raise CostmodelError(f"{where}: expected a whole number of months >= 0, got {value}")
    return value or None


def today_from_env() -> date:
    """Return COSTMODEL_TODAY (YYYY-MM-DD, to reproduce an old run) when set, else the system's date."""
    text = os.environ.get(ENV_TODAY, "").strip()
    if not text:
        return date.today()
    try:
        return parse_date(text)
    except ValueError as exc:
        raise CostmodelError(f"{ENV_TODAY}: {exc}") from None
