"""Strategies as a registry (issue 9): no strategy's name is spelled outside the registry and tests.

Other layers derive their lists of strategies from the registry's members instead; the
members they read (the GPU setups a strategy rents, the prices it bills, its pricing-option
fields, its embedding models) are checked here too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from costmodel.files.pricing import used_prices
from costmodel.files.scenario_io import load_scenario
from costmodel.files.tomltext import drop_off_options
from costmodel.model.names import ALL_STRATEGIES
from costmodel.model.schema import Scenario, required_prices
from costmodel.model.strategies import REGISTRY, present
from costmodel.model.strategies.fine_tune import TRAINING_PRICE
from costmodel.model.strategies.rag import EMBEDDING_PRICE

PACKAGE = Path(__file__).resolve().parent.parent / "costmodel"

# Where a strategy's name may be spelled: the strategy modules and the registry
# (model/strategies/), names.py (the registry's light half) and the schema, whose tables
# are named like the strategies.
REGISTRY_FILES = ("model/strategies/", "model/names.py", "model/schema.py")


def spelled_names(source: str) -> list[tuple[int, str]]:
    """Return (line, text) of each string constant in `source` that is a strategy's name or starts with "<name>.".

    Docstrings, and any other string standing alone as a statement, are prose and not checked;
    nor are the names in a `__slots__` list (attribute names, such as the Context's `rag`,
    which holds the [rag] table).
    """
    tree = ast.parse(source)
    prose = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }
    prose |= {
        id(constant)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(isinstance(x, ast.Name) and x.id == "__slots__" for x in node.targets)
        for constant in ast.walk(node.value)
    }
    dotted = tuple(f"{name}." for name in ALL_STRATEGIES)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in prose
        and (node.value in ALL_STRATEGIES or node.value.startswith(dotted))
    ]


def test_the_scan_finds_names_and_dotted_paths_but_not_prose() -> None:
    source = (
        '"""A module about rag."""\n'
        'ORDER = ("rag", "hybrid.self_host")\n'
        'LINE = f"fine_tune.{ORDER}"\n'
        '"""long_context"""\n'
        'OTHER = ("ragged", "my.rag", "hybrid_x")\n'
        'class C:\n    __slots__ = ("rag", "hy")\n'
    )
    assert spelled_names(source) == [(2, "rag"), (2, "hybrid.self_host"), (3, "fine_tune.")]


def test_no_strategy_name_is_spelled_outside_the_registry() -> None:
    """Every module of costmodel/ but the registry's files derives strategies from the registry."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where.startswith(REGISTRY_FILES):
            continue
        found += [f"costmodel/{where}:{line}: {text!r}" for line, text in spelled_names(path.read_text("utf-8"))]
    assert not found, "strategy names spelled outside the registry:\n" + "\n".join(found)


@pytest.fixture
def simple(data_dir: Path) -> Scenario:
    """Return tests/data/simple.toml: every option off, API serving, training at the catalog price."""
    return load_scenario(data_dir / "simple.toml")


def test_gpu_setups_each_strategy_rents() -> None:
    """Training on own GPUs (fine_tune.self_train) serves every training run, the hybrid's too."""
    rented = {strategy.name: strategy.gpus_rented for strategy in REGISTRY}
    assert rented == {
        "rag": (("rag", "self_host"),),
        "fine_tune": (("fine_tune", "self_host"), ("fine_tune", "self_train")),
        "hybrid": (("hybrid", "self_host"), ("fine_tune", "self_train")),
        "long_context": (),
    }


def test_gpu_users_are_listed_in_registry_order() -> None:
    s = load_scenario("support-assistant-h100")
    [gpu] = [u for u in used_prices(s) if u.kind == "gpu"]
    assert gpu.used_by == ("fine_tune.self_host", "fine_tune.self_train", "hybrid.self_host")


def test_the_hybrid_bills_the_embedding_and_training_prices_others_list(simple: Scenario) -> None:
    """RAG lists the embedding price and fine-tuning the training price; the hybrid bills both as well."""
    needs = required_prices(simple)
    assert needs.count(EMBEDDING_PRICE) == 1 and needs.count(TRAINING_PRICE) == 1
    assert [x.name for x in REGISTRY if EMBEDDING_PRICE in x.prices_billed(simple)] == ["rag", "hybrid"]
    assert [x.name for x in REGISTRY if TRAINING_PRICE in x.prices_billed(simple)] == ["fine_tune", "hybrid"]
    assert all(any(need in x.prices_billed(simple) for x in present(simple)) for need in needs)
    assert all(set(x.prices_billed(simple)) <= set(needs) for x in present(simple))


def test_training_on_own_gpus_bills_no_training_price() -> None:
    s = load_scenario("support-assistant-h100")
    assert s.fine_tune.self_train is not None and TRAINING_PRICE not in required_prices(s)
    assert not any(TRAINING_PRICE in x.prices_billed(s) for x in REGISTRY)


def test_option_fields_are_off_at_zero_and_left_out_of_saved_files(simple: Scenario) -> None:
    """Each option field is a field of the strategy's options table whose default, 0, switches it off."""
    data = drop_off_options(simple.model_dump(mode="python", exclude_none=True))
    for strategy in REGISTRY:
        if strategy.options_table is None:
            assert strategy.option_fields == ()
            continue
        table = type(getattr(simple, strategy.options_table))
        for field in strategy.option_fields:
            assert table.model_fields[field].default == 0, (strategy.name, field)
            assert field not in data[strategy.options_table], (strategy.name, field)


def test_embedding_models_are_models_the_strategy_calls() -> None:
    assert all(set(x.embedding_models) <= set(x.models_called) for x in REGISTRY)
    assert {x.name for x in REGISTRY if x.embedding_models} == {"rag", "hybrid"}
