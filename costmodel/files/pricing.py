"""Where a scenario's prices come from, and whether they can still be trusted.

Pure functions over a validated Scenario (no clock: callers pass `today`). Faces call
`price_warning_list` with today's date (typed `CostWarning`s, see costmodel.model.notices)
and show them ranked with the engine's warnings; `price_warnings` renders them as lines;
`price_sources` lists each price a scenario uses with its source and date for the JSON.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from costmodel.model.errors import CostmodelError
from costmodel.model.names import ALL_STRATEGIES
from costmodel.model.notices import CostWarning, Severity, from_engine, rank, render_all
from costmodel.model.options import apply_options
from costmodel.model.schema import ModelPrice, PriceNeed, Scenario, required_prices
from costmodel.model.strategies import BY_NAME, REGISTRY, present

__all__ = [
    "DEFAULT_MAX_AGE_MONTHS",
    "ENV_MAX_AGE",
    "ENV_TODAY",
    "UsedPrice",
    "age_in_months",
    "horizon_dates",
    "max_age_from_env",
    "parse_date",
    "parse_max_age",
    "price_key",
    "price_sources",
    "price_warning_list",
    "price_warnings",
    "today_from_env",
    "used_prices",
    "with_engine_warnings",
]

DEFAULT_MAX_AGE_MONTHS = 12
ENV_MAX_AGE = "COSTMODEL_MAX_PRICE_AGE"
ENV_TODAY = "COSTMODEL_TODAY"


class UsedPrice(NamedTuple):
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


def used_prices(s: Scenario, needs: Sequence[PriceNeed] | None = None) -> list[UsedPrice]:
    """Return every model and GPU whose prices the scenario's figures use, models first, in first-use order.

    `needs` is `required_prices(s)` when the caller has it already.
    """
    by_model: dict[str, tuple[list[str], list[str]]] = {}
    for need in required_prices(s) if needs is None else needs:
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
    for table, field in _GPU_SETUPS:
        part = getattr(getattr(s, table), field)
        if part is not None:
            gpus.setdefault(part.gpu, []).append(f"{table}.{field}")
    out += [
        UsedPrice("gpu", name, ("per_hour",), tuple(users), s.gpus[name].source, s.gpus[name].as_of)
        for name, users in gpus.items()
    ]
    return out


def price_sources(s: Scenario, used: Sequence[UsedPrice] | None = None) -> list[dict[str, object]]:
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


_SHORT = {
    "input_per_mtok": "input",
    "output_per_mtok": "output",
    "cached_input_per_mtok": "cache read",
    "cache_write_per_mtok": "cache write",
    "batch_input_per_mtok": "batch input",
    "batch_output_per_mtok": "batch output",
    "training_per_mtok": "training",
    "ft_input_per_mtok": "ft input",
    "ft_output_per_mtok": "ft output",
    "ft_cached_input_per_mtok": "ft cache read",
    "ft_batch_input_per_mtok": "ft batch input",
    "ft_batch_output_per_mtok": "ft batch output",
}
CHECK = "`costmodel pricing check`"


# Every GPU setup a strategy may rent, once each, in registry order.
_GPU_SETUPS: tuple[tuple[str, str], ...] = tuple(dict.fromkeys(ref for x in REGISTRY for ref in x.gpus_rented))


def _ordered(names: set[str]) -> tuple[str, ...]:
    """Return strategy names in the order faces list them."""
    return tuple(n for n in ALL_STRATEGIES if n in names)


def horizon_dates(s: Scenario, today: date) -> tuple[date, date]:
    """Return the first day of month 1 and the last day of the horizon's last month.

    Month 1 is the scenario's `start` (YYYY-MM) when it has one, else today's month.
    """
    start_text = getattr(s, "start", None)
    first = parse_date(str(start_text)) if start_text else date(today.year, today.month, 1)
    months = first.month - 1 + s.horizon_months
    after = date(first.year + months // 12, months % 12 + 1, 1)
    return first, after - timedelta(days=1)


def _price_uses(s: Scenario, needs: Sequence[PriceNeed]) -> dict[str, dict[str, set[str]]]:
    """Return, per model name, each price field the scenario uses (of `needs`) and the strategies using it."""
    billed = [(x.name, set(x.prices_billed(s))) for x in present(s)]
    uses: dict[str, dict[str, set[str]]] = {}
    for need in needs:
        name = getattr(getattr(s, need.table), need.field)
        users = {strategy for strategy, prices in billed if need in prices}
        uses.setdefault(name, {}).setdefault(need.price, set()).update(users)
    return uses


def _gpu_users(where: tuple[str, ...]) -> tuple[str, ...]:
    """Return the strategies a GPU's users (`fine_tune.self_train`, ...) bill it to, in registry order."""
    refs = {tuple(w.split(".")) for w in where}
    return tuple(x.name for x in REGISTRY if refs.intersection(x.gpus_rented))


def price_warning_list(
    s: Scenario,
    today: date,
    max_age_months: int | None = DEFAULT_MAX_AGE_MONTHS,
    cheapest: str | None = None,
    needs: Sequence[PriceNeed] | None = None,
    used: Sequence[UsedPrice] | None = None,
) -> list[CostWarning]:
    """Return typed warnings about the prices the scenario uses, most serious first.

    Args:
        s: a validated scenario.
        today: the date to age prices against; the horizon starts in its month unless
            the scenario says `start`.
        max_age_months: prices older than this many months are flagged; None switches
            the age check off.
        cheapest: the strategy the estimate recommends; unconfirmed prices it uses rank
            as DECISION warnings, those of other strategies as AGE ones.
        needs, used: `required_prices(s)` and `used_prices(s, needs)` when the caller
            has them already (worked out here otherwise).

    Returns:
        DECISION warnings (a model retired before the horizon ends, fine-tuning ending
        while the scenario still trains, prices no longer sold, unconfirmed prices on the
        cheapest strategy), then a COST one per left-out deployment fee, then AGE ones
        grouped into one line each (stale, undated, future-dated, other unconfirmed).
    """
    out: list[CostWarning] = []
    if needs is None:
        needs = required_prices(s)
    if used is None:
        used = used_prices(s, needs)
    uses = _price_uses(s, needs)
    first, last = horizon_dates(s, today)
    for name, fields in uses.items():
        model = s.models[name]
        users = _ordered(set().union(*fields.values()))
        if model.available_until is not None and model.available_until < last:
            until = model.available_until.isoformat()
            text = (
                f"{name} was retired on {until}"
                if model.available_until <= today
                else f"{name} retires {until}, within the horizon"
            )
            out.append(CostWarning(Severity.DECISION, "retired", text, users, hint=CHECK))
        out += _training_warnings(s, name, model, fields, first, last, today)
        gone = [f for f in fields if f in model.withdrawn]
        if gone:
            tuning = all(f.startswith(("ft_", "training_")) for f in gone)
            out.append(
                CostWarning(
                    Severity.DECISION,
                    "withdrawn",
                    f"{name} fine-tuning not sold to new customers"
                    if tuning
                    else f"{name} prices not sold to new customers: {{items}}",
                    _ordered(set().union(*(fields[f] for f in gone))),
                    tuple(_SHORT.get(f, f) for f in gone),
                    CHECK,
                )
            )
    out += _deployment_fee_warnings(s)
    out += _unconfirmed_warnings(s, uses, _gpu_uses(s, used), cheapest)
    out += _age_warnings(used, uses, today, max_age_months)
    return rank(out)


def _training_warnings(
    s: Scenario, name: str, model: ModelPrice, fields: dict[str, set[str]], first: date, last: date, today: date
) -> list[CostWarning]:
    """Return a DECISION warning when the scenario trains `name` after its `training_until`.

    A first fine-tune needs a job in month 1; retraining (knowledge updates, hybrid
    refreshes, migrations) needs jobs until the horizon ends.
    """
    until = model.training_until
    if until is None or "training_per_mtok" not in fields or s.fine_tune.model != name:
        return []
    migrations = getattr(getattr(s, "operations", None), "migration_every_months", 0) or 0
    migrates = 0 < migrations <= s.horizon_months
    trains = fields["training_per_mtok"]
    if until < first:
        hit = _ordered(trains)
        text = f"{name} fine-tuning {'ended' if until < today else 'ends'} {until.isoformat()}, before the start"
    else:
        hit = _ordered({n for n in trains if migrates or BY_NAME[n].retrains_within(s)})
        if until >= last or not hit:
            return []
        tense = "ended" if until < today else "ends"
        text = f"{name} fine-tuning {tense} {until.isoformat()}; no retrains after"
    return [CostWarning(Severity.DECISION, "training_ends", text, hit, hint=CHECK)]


def _gpu_uses(s: Scenario, used: Sequence[UsedPrice]) -> dict[str, set[str]]:
    """Return, per unconfirmed GPU price the scenario uses (of `used`), the strategies it bills."""
    return {u.name: set(_gpu_users(u.used_by)) for u in used if u.kind == "gpu" and s.gpus[u.name].unconfirmed}


def _unconfirmed_warnings(
    s: Scenario, uses: dict[str, dict[str, set[str]]], gpus: dict[str, set[str]], cheapest: str | None
) -> list[CostWarning]:
    """Return one warning for unconfirmed prices the cheapest strategy uses (DECISION), one for the rest (AGE).

    Each names the models, those with most unconfirmed prices first (their fields are
    listed by `costmodel pricing check`).
    """
    groups: dict[bool, tuple[list[str], list[str], set[str]]] = {True: ([], [], set()), False: ([], [], set())}
    for name, fields in uses.items():
        model = s.models[name]
        for f, users in fields.items():
            if f not in model.unconfirmed:
                continue
            on_winner = cheapest is not None and cheapest in users
            labels, models, strategies = groups[on_winner]
            labels.append(f"{name}.{f}")
            if name not in models:
                models.append(name)
            strategies.update({cheapest} if on_winner and cheapest else users)
    for name, users in gpus.items():
        on_winner = cheapest is not None and cheapest in users
        labels, models, strategies = groups[on_winner]
        labels.append(f"{name}.per_hour")
        models.append(name)
        strategies.update({cheapest} if on_winner and cheapest else users)
    out = []
    for on_winner, (labels, models, strategies) in groups.items():
        if not labels:
            continue
        plural = "s" * (len(labels) > 1)
        where = " on the winner" if on_winner else ""
        out.append(
            CostWarning(
                Severity.DECISION if on_winner else Severity.AGE,
                "unconfirmed",
                f"{len(labels)} unconfirmed price{plural}{where}: {{items}}",
                _ordered(strategies),
                tuple(sorted(models, key=lambda m: -sum(label.startswith(f"{m}.") for label in labels))),
                CHECK,
            )
        )
    return out


def _age_warnings(
    used: Sequence[UsedPrice], uses: dict[str, dict[str, set[str]]], today: date, max_age_months: int | None
) -> list[CostWarning]:
    """Return the AGE warnings: one line for prices past the limit, one for undated, one for future-dated.

    `used` lists the prices used (`used_prices`), `uses` the strategies using each model's fields.
    """
    stale: list[tuple[int, UsedPrice]] = []
    undated: list[UsedPrice] = []
    future: list[UsedPrice] = []
    for u in used:
        if u.as_of is None:
            undated.append(u)
            continue
        age = age_in_months(u.as_of, today)
        if age < 0:
            future.append(u)
        elif max_age_months is not None and age > max_age_months:
            stale.append((age, u))
    out = []

    def users(group: Iterable[UsedPrice]) -> tuple[str, ...]:
        names: set[str] = set()
        for u in group:
            names.update(_gpu_users(u.used_by) if u.kind == "gpu" else set().union(*uses.get(u.name, {}).values()))
        return _ordered(names)

    if stale:
        ages = sorted({a for a, _ in stale})
        span = f"{ages[0]}" if len(ages) == 1 else f"{ages[0]}-{ages[-1]}"
        group = [u for _, u in stale]
        out.append(
            CostWarning(
                Severity.AGE,
                "stale",
                f"{_count(group, 'is', 'are')} {span} months old (limit {max_age_months}): {{items}}",
                users(group),
                tuple(u.name for u in group),
                CHECK,
            )
        )
    if undated:
        out.append(
            CostWarning(
                Severity.AGE,
                "undated",
                f"{_count(undated, 'has', 'have')} no as_of date, so the age is unknown: {{items}}",
                users(undated),
                tuple(u.name for u in undated),
            )
        )
    if future:
        out.append(
            CostWarning(
                Severity.AGE,
                "future",
                f"{_count(future, 'is', 'are')} dated after today ({today.isoformat()}): {{items}}",
                users(future),
                tuple(u.name for u in future),
            )
        )
    return out


def _count(group: Sequence[UsedPrice], one: str, many: str) -> str:
    """Return the opening of a grouped warning: `1 price is`, `3 prices are` (one price = one model or GPU)."""
    return f"1 price {one}" if len(group) == 1 else f"{len(group)} prices {many}"


def ranked_warnings(
    s: Scenario,
    engine_warnings: Sequence[str],
    cheapest: str | None,
    today: date,
    max_age_months: int | None = DEFAULT_MAX_AGE_MONTHS,
    needs: Sequence[PriceNeed] | None = None,
    used: Sequence[UsedPrice] | None = None,
) -> list[CostWarning]:
    """Return the engine's warnings and the price warnings of one estimate as one list, most serious first.

    Every face renders this one list (`costmodel.model.notices.render_all`), so they all
    show the same warnings in the same order. `needs` and `used` are as for `price_warning_list`.
    """
    return with_engine_warnings(engine_warnings, price_warning_list(s, today, max_age_months, cheapest, needs, used))


def with_engine_warnings(engine_warnings: Sequence[str], prices: Sequence[CostWarning]) -> list[CostWarning]:
    """Return the engine's warnings and `prices` (a `price_warning_list`) as one list, most serious first."""
    return rank([*from_engine(engine_warnings), *prices])


def price_key(s: Scenario) -> tuple[object, ...] | None:
    """Return all that the price warnings and price sources of `s` read, as a key to keep them by; None when
    they read more.

    That is the horizon and its start, whether knowledge updates happen at all, the strategy
    and operations tables (models, switches, GPU setups, retraining), the price tiers and
    cache writes, and the models and GPUs with their prices and dates; the caller adds
    today, the age limit and the cheapest strategy. When the fine-tuned model's catalog
    bills hourly hosting, the deployment-fee check builds the strategies' lines from the
    whole scenario: None then.
    """
    tuned = s.models.get(s.fine_tune.model)
    if tuned is not None and tuned.ft_hosting_per_hour:
        return None
    return (
        s.horizon_months,
        s.start,
        s.knowledge.updates_per_month > 0,
        s.rag,
        s.fine_tune,
        s.hybrid,
        s.long_context,
        s.operations,
        s.price_tiers,
        s.cache_writes,
        tuple(s.models.items()),
        tuple(s.gpus.items()),
    )


def price_warnings(
    s: Scenario,
    today: date,
    max_age_months: int | None = DEFAULT_MAX_AGE_MONTHS,
    cheapest: str | None = None,
) -> list[str]:
    """Return the price warnings of `price_warning_list`, ranked, each rendered as one line of at most 78 columns."""
    return render_all(price_warning_list(s, today, max_age_months, cheapest))


def _deployment_fee_warnings(s: Scenario) -> list[CostWarning]:
    """Return a COST warning when the fine-tuned model's catalog bills hourly hosting the scenario leaves out."""
    ft = s.fine_tune
    model = s.models.get(ft.model)
    if model is None or not model.ft_hosting_per_hour or ft.hosting_per_hour >= model.ft_hosting_per_hour:
        return []
    served_by_api = tuple(
        x.name for x in present(s) if any(line.key == "deployment" for line in apply_options(x, x.lines(s), s))
    )
    if not served_by_api:
        return []
    return [
        CostWarning(
            Severity.COST,
            "fee_left_out",
            f"{model.ft_hosting_per_hour:g}/hour deployment fee not in fine_tune.hosting_per_hour",
            served_by_api,
        )
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
