"""The fast TOML subset reader returns exactly what tomllib does, or None."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costmodel.files.fasttoml import loads_fast, loads_shared

EXAMPLE = Path(__file__).parent / "data" / "model_example.toml"


def _tomllib(text):
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "error"


def test_example_file():
    text = EXAMPLE.read_text(encoding="utf-8")
    assert loads_fast(text) == tomllib.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        "a = [1, 2]\n",  # arrays
        "a = {b = 1}\n",  # inline tables
        'a = "x\\ty"\n',  # escapes
        "a.b = 1\n",  # dotted keys
        "a = 1979-05-27\n",  # dates
        "a = inf\n",
        "a = 1\na = 2\n",  # duplicate key (an error for tomllib)
        "[t]\n[t]\n",  # table twice (an error)
        "a = 1\n[a]\n",  # a value used as a table (an error)
        "a = 012\n",  # leading zero (an error)
        "a = 1.\n",  # an error
        "a = 1\r\n",
        "[[x]]\n",
        'a = """x"""\n',
        "a = 1 2\n",
    ],
)
def test_outside_the_subset(text):
    assert loads_fast(text) is None


_keys = st.sampled_from(["a", "b", "rag", "x-y", "_1", '"q.k"', '"sp ace"', '""', "1", "a.b"])
_values = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["true", "false", "1_000", "1e6", "-0.0", "+5", "0.5e-3", "1__0", "01", "1e", ".5", "5."]),
    st.text(st.characters(codec="utf-8"), max_size=6).map(lambda t: '"' + t + '"'),
    st.text(st.characters(codec="utf-8"), max_size=6).map(lambda t: "'" + t + "'"),
)
_line = st.one_of(
    st.tuples(_keys, _values, st.sampled_from(["", " # c", "#c", "\t"])).map(lambda t: f"{t[0]} = {t[1]}{t[2]}"),
    st.lists(_keys, min_size=1, max_size=3).map(lambda ks: "[" + ".".join(ks) + "]"),
    st.sampled_from(["", "# comment", "   ", "[ a . b ]  # x", "x=1", "[a]]", "= 1", "  [a]", "\t[b.c]", "  x = 1"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_line, max_size=12))
def test_agrees_with_tomllib(lines):
    text = "\n".join(lines)
    fast = loads_fast(text)
    if fast is not None:
        assert fast == _tomllib(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(_line, max_size=12), st.lists(_line, max_size=12))
def test_shared_sections_agree_with_loads_fast(first, second):
    """`loads_shared` gives what `loads_fast` gives, for two texts read with one section cache, in either order."""
    sections: dict = {}
    texts = ["\n".join(first), "\n".join(second), "\n".join(first + second), "\n".join(second + first)]
    for text in texts + texts[::-1]:
        assert loads_shared(text, sections) == loads_fast(text)


def test_shared_sections_are_one_dict_and_never_changed():
    text = EXAMPLE.read_text(encoding="utf-8")
    sections: dict = {}
    seen = []
    one = loads_shared(text, sections, seen.append)
    two = loads_shared(text.replace("requests_per_month = 50000", "requests_per_month = 7"), sections)
    assert one == tomllib.loads(text) and two["workload"]["requests_per_month"] == 7
    assert one["rag"] is two["rag"] and one["models"]["gpt-4.1-mini"] is two["models"]["gpt-4.1-mini"]
    assert one["workload"] is not two["workload"] and len(seen) == 8  # eight [tables]
    sub = loads_shared("[rag]\nmodel = 'm'\n[rag.self_host]\ngpu = 'g'\n", sections)
    again = loads_shared("[rag]\nmodel = 'm'\n", sections)
    assert sub == {"rag": {"model": "m", "self_host": {"gpu": "g"}}} and again == {"rag": {"model": "m"}}


@settings(max_examples=400, deadline=None)
@given(st.lists(_line, max_size=12), st.sampled_from(["", "\n"]))
def test_sections_are_cut_where_the_pattern_cuts(lines, end):
    """The plain string search cuts a text where the header pattern does, indented headers or not."""
    from costmodel.files.fasttoml import _HEADER_START, _sections_of

    text = "\n".join(lines) + end
    assert _sections_of(text) == _HEADER_START.split(text)
    assert "".join(_sections_of(text)) == text
