"""Turn LiteLLM's public price map into a costmodel pricing catalog.

LiteLLM (github.com/BerriAI/litellm) keeps `model_prices_and_context_window.json`, a
community-maintained map of about 3,000-5,000 model entries, prices in USD per token. Its
installed package ships a copy as `model_prices_and_context_window_backup.json`.

`convert` is pure: it takes the parsed map and returns catalog data (USD per 1M tokens)
plus the entries it left out and why. `read_price_map` and `installed_price_map` do the
file work; `catalog_text` writes the TOML text.

Field mapping (per-token × 1e6, computed in decimal so that 3e-06 becomes exactly 3.0; a
field of 0 is taken as "not priced" and left out, never written as 0):

| LiteLLM field | catalog field |
|---|---|
| input_cost_per_token | input_per_mtok |
| output_cost_per_token | output_per_mtok (not for embedding and rerank entries) |
| cache_read_input_token_cost | cached_input_per_mtok |
| cache_creation_input_token_cost | cache_write_per_mtok |
| input_cost_per_token_batches, output_cost_per_token_batches | batch_input_per_mtok, batch_output_per_mtok |
| *_above_<N>k_tokens (input, output, cache read, cache write) | above_tokens = N × 1000 and the above_* prices |
| max_input_tokens | context_window |
| deprecation_date | available_until |
| (entry `ft:MODEL`) input, output, cache read, batch | MODEL's ft_* prices (when MODEL has a training price) |
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from costmodel.model.catalog import Catalog
from costmodel.model.errors import CostmodelError

__all__ = [
    "MAP_FILE",
    "TEXT_MODES",
    "ImportResult",
    "Skipped",
    "catalog_text",
    "convert",
    "installed_price_map",
    "per_mtok",
    "read_price_map",
]

MAP_FILE = "model_prices_and_context_window_backup.json"
"""The copy of the price map inside the installed `litellm` package."""

TEXT_MODES = frozenset({"chat", "completion", "responses", "embedding", "rerank"})
"""Modes whose entries are priced per text token; entries of other modes are left out."""

_NO_OUTPUT_MODES = frozenset({"embedding", "rerank"})

_DIRECT = {
    "input_cost_per_token": "input_per_mtok",
    "output_cost_per_token": "output_per_mtok",
    "cache_read_input_token_cost": "cached_input_per_mtok",
    "cache_creation_input_token_cost": "cache_write_per_mtok",
    "input_cost_per_token_batches": "batch_input_per_mtok",
    "output_cost_per_token_batches": "batch_output_per_mtok",
}
_TIERED = {
    "input_cost_per_token": "above_input_per_mtok",
    "output_cost_per_token": "above_output_per_mtok",
    "cache_read_input_token_cost": "above_cached_input_per_mtok",
    "cache_creation_input_token_cost": "above_cache_write_per_mtok",
}
_TIER_KEY = re.compile(
    r"(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)"
    r"_above_(\d+)k_tokens"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Skipped:
    """An entry (or one field of an entry) left out of the catalog, and why."""

    name: str
    reason: str


@dataclass(slots=True)
class ImportResult:
    """What `convert` made of a price map: catalog model tables and what it left out.

    `models` maps a model name to its catalog fields (prices in USD per 1M tokens, dates
    as `datetime.date`), ready for `catalog_text`. `skipped` lists whole entries left
    out; `notes` lists fields left out of entries that were imported.
    """

    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Skipped] = field(default_factory=list)


def per_mtok(per_token: float | int) -> float:
    """Return a per-token price as USD per 1,000,000 tokens, exact in decimal (3e-06 -> 3.0, 1.25e-07 -> 0.125).

    The float's shortest decimal text is scaled by 10**6, so no binary rounding error is
    added by the multiplication.
    """
    return float(Decimal(repr(per_token)).scaleb(6))


def _number(value: Any) -> float | None:
    """Return `value` as a finite number >= 0, or None when it is not one (bools, texts, NaN, negatives)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        ok = Decimal(repr(value)).is_finite() and value >= 0
    except InvalidOperation:
        return None
    return float(value) if ok else None


def _tier(entry: Mapping[str, Any]) -> tuple[int | None, dict[str, str], list[int]]:
    """Return the lowest `_above_<N>k_tokens` threshold with a price, its keys by field, and the other thresholds."""
    tiers: dict[int, dict[str, str]] = {}
    for key in entry:
        match = _TIER_KEY.fullmatch(key)
        if match:
            tiers.setdefault(int(match.group(2)), {})[_TIERED[match.group(1)]] = key
    priced = sorted(n for n, keys in tiers.items() if {"above_input_per_mtok", "above_output_per_mtok"} & set(keys))
    if not priced:
        return None, {}, []
    return priced[0] * 1000, tiers[priced[0]], [n * 1000 for n in priced[1:]]


def _convert_entry(name: str, entry: Mapping[str, Any], notes: list[Skipped]) -> dict[str, Any] | str:
    """Return one entry's catalog fields, or the reason it has no usable per-token price."""
    mode = entry.get("mode")
    if mode is not None and mode not in TEXT_MODES:
        return f"mode {mode!r} is not priced per text token"
    out: dict[str, Any] = {}
    for key, target in _DIRECT.items():
        if key not in entry:
            continue
        if target.startswith(("output_", "batch_output_")) and mode in _NO_OUTPUT_MODES:
            continue
        value = _number(entry[key])
        if value is None:
            notes.append(Skipped(name, f"{key}: expected a number >= 0, got {entry[key]!r}; left out"))
        elif value == 0:
            if target != "output_per_mtok" or out.get("input_per_mtok"):
                notes.append(Skipped(name, f"{key} is 0, taken as not priced; left out"))
        else:
            out[target] = per_mtok(entry[key])
    if not out.get("input_per_mtok") and not out.get("output_per_mtok"):
        return "no per-token price (input and output missing or 0)"
    threshold, tier_keys, others = _tier(entry)
    if threshold is not None:
        out["above_tokens"] = threshold
        for target, key in sorted(tier_keys.items()):
            value = _number(entry[key])
            if not value:
                notes.append(Skipped(name, f"{key}: expected a price above 0, got {entry[key]!r}; left out"))
            else:
                out[target] = per_mtok(entry[key])
        for n in others:
            notes.append(Skipped(name, f"a further price tier above {n:,} input tokens is not imported"))
    window = entry.get("max_input_tokens")
    if isinstance(window, int) and not isinstance(window, bool) and window >= 1:
        out["context_window"] = window
    until = entry.get("deprecation_date")
    if isinstance(until, str) and _DATE.fullmatch(until):
        try:
            out["available_until"] = date.fromisoformat(until)
        except ValueError:
            notes.append(Skipped(name, f"deprecation_date: not a date, got {until!r}; left out"))
    return out


def _matches(name: str, patterns: Sequence[str]) -> bool:
    """Return True when `name` matches one of the shell-style patterns (all names when there are none)."""
    return not patterns or any(fnmatch.fnmatchcase(name, p) for p in patterns)


def _base_name(name: str, base: Catalog) -> str | None:
    """Return the base catalog's model that `name` is: the same name, or `name` without a `provider/` prefix."""
    if name in base.models:
        return name
    tail = name.rsplit("/", 1)[-1]
    return tail if tail in base.models else None


def convert(
    price_map: Mapping[str, Any],
    *,
    source: str,
    as_of: str,
    only: Sequence[str] = (),
    base: Catalog | None = None,
    base_name: str = "",
) -> ImportResult:
    """Return the catalog models made from a parsed LiteLLM price map (no I/O).

    Args:
        price_map: the JSON object of the map, model name -> entry.
        source: what each model's `source` says (the file and version read).
        as_of: the date each model's `as_of` says (YYYY-MM or YYYY-MM-DD).
        only: shell-style patterns (`gpt-4.1*`, `claude-*`); entries matching none are
            not considered. Empty: every entry.
        base: a catalog to merge with: a model of the map that the base also has (same
            name, or the same name after the map's `provider/` prefix) keeps the base's
            name and every field the map does not give (training and fine-tuned prices,
            withdrawn, training_until, ...).
        base_name: how `source` names the base catalog.

    Returns:
        An ImportResult. Prices are USD per 1M tokens; every imported price field is
        listed in the model's `unconfirmed` (the map is community-kept). Entries without a
        per-token price are in `skipped`, never written as 0.
    """
    result = ImportResult()
    for name, entry in price_map.items():
        if name == "sample_spec" or not _matches(name, only):
            continue
        if not isinstance(entry, Mapping):
            result.skipped.append(Skipped(name, "not an object"))
            continue
        fields = _convert_entry(name, entry, result.notes)
        if isinstance(fields, str):
            result.skipped.append(Skipped(name, fields))
            continue
        page = entry.get("source")
        prices = [f for f in fields if f.endswith("_per_mtok")]
        model: dict[str, Any] = {**fields, "unconfirmed": prices}
        model["source"] = source + (f"; LiteLLM cites {page}" if isinstance(page, str) and page else "")
        model["as_of"] = as_of
        entry_name = name
        target = _base_name(name, base) if base is not None else None
        if base is not None and target is not None:
            known = base.models[target].model_dump(exclude_none=True, exclude_defaults=True)
            merged = {k: v for k, v in known.items() if k not in model and k not in ("source", "as_of")}
            kept = [f for f in known.get("unconfirmed", ()) if f in merged]
            model = {**model, **merged, "unconfirmed": [*prices, *kept]}
            model["source"] += f"; other fields from {base_name or 'the base catalog'} ({known.get('source', '')})"
            name = target
        if not model["unconfirmed"]:
            del model["unconfirmed"]
        if name in result.models:
            result.notes.append(Skipped(entry_name, f"is base model {name!r} too, already imported; left out"))
            continue
        result.models[name] = model
    if base is not None:
        for name, price in base.models.items():
            if name not in result.models:
                result.models[name] = price.model_dump(exclude_none=True, exclude_defaults=True)
    _fine_tuned_prices(result)
    return result


_FT_FIELDS = {
    "input_per_mtok": "ft_input_per_mtok",
    "output_per_mtok": "ft_output_per_mtok",
    "cached_input_per_mtok": "ft_cached_input_per_mtok",
    "batch_input_per_mtok": "ft_batch_input_per_mtok",
    "batch_output_per_mtok": "ft_batch_output_per_mtok",
}
_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")


def _fine_tuned_prices(result: ImportResult) -> None:
    """Copy the map's `ft:MODEL[-YYYY-MM-DD]` inference prices into MODEL's ft_* fields, in place.

    Only models that also carry a training price (from the base catalog) get them: the
    map prices fine-tuned inference, never training. The ft: entries stay as models too.
    """
    for name, entry in list(result.models.items()):
        if not name.startswith("ft:"):
            continue
        target = _SNAPSHOT.sub("", name[3:])
        model = result.models.get(target)
        if model is None or "training_per_mtok" not in model:
            continue
        unconfirmed = list(model.get("unconfirmed", ()))
        for field_name, ft_name in _FT_FIELDS.items():
            if field_name in entry:
                model[ft_name] = entry[field_name]
                if ft_name not in unconfirmed:
                    unconfirmed.append(ft_name)
        model["unconfirmed"] = unconfirmed
        model["source"] = f"{model.get('source', '')}; fine-tuned inference from the map's {name}"


def catalog_text(info: Mapping[str, str], result: ImportResult, gpus: Mapping[str, Any] | None = None) -> str:
    """Return the TOML text of a catalog: `[catalog]` from `info`, then one `[models."NAME"]` per model.

    Raises CostmodelError when the data does not validate as a catalog (it names the field).
    """
    import tomli_w

    data: dict[str, Any] = {"catalog": dict(info), "models": result.models}
    if gpus:
        data["gpus"] = dict(gpus)
    from pydantic import ValidationError

    try:
        Catalog.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(p) for p in first["loc"])
        raise CostmodelError(f"the imported catalog does not validate: {path}: {first['msg']}") from None
    return tomli_w.dumps(data)


def read_price_map(path: Path) -> dict[str, Any]:
    """Return the parsed price map in `path`; raise CostmodelError (file, line) when it is not a JSON object."""
    from costmodel.files.reading import read_text

    text = read_text(path)  # a regular file under the size limit, never a FIFO or a device
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CostmodelError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise CostmodelError(f"{path}: not a price map: arrays or objects nested too deeply") from None
    if not isinstance(data, dict):
        raise CostmodelError(f"{path}: expected a JSON object of model name -> prices, got {type(data).__name__}")
    return data


def installed_price_map() -> tuple[Path, str] | None:
    """Return the path of the price map shipped in an installed `litellm` package and its version, else None.

    The package is located, not imported (importing litellm is slow and has side effects).
    """
    import importlib.metadata
    import importlib.util

    try:
        spec = importlib.util.find_spec("litellm")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / MAP_FILE
        if path.is_file():
            try:
                version = importlib.metadata.version("litellm")
            except importlib.metadata.PackageNotFoundError:
                version = "unknown version"
            return path, version
    return None
