"""Property tests: whatever an editor (or an attacker) puts in a file, the loader and validator answer with
problems, never with an exception.

KAART_FUZZ_EXAMPLES raises the number of examples for a longer run (default keeps the suite fast):
    KAART_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import VALID_DIR
from kaart.load import parse_bytes
from kaart.problems import ERROR, Problem
from kaart.schemas import SCHEMA_FILES, schema_problems
from kaart.validate import check

EXAMPLES = int(os.environ.get("KAART_FUZZ_EXAMPLES", "200"))
FAST = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
#: Schema validation and whole-directory checks (~35 ms each) cost more; fewer examples keep the suite fast.
MEDIUM = settings(FAST, max_examples=max(EXAMPLES // 2, 1))
SLOW = settings(FAST, max_examples=max(EXAMPLES // 5, 1))

PROVIDER = (VALID_DIR / "providers" / "voorbeeldstad" / "sociaal-wijkteam-voorbeeldstad.yaml").read_bytes()

# pieces that make YAML parsers and our converter take unusual paths
TOKENS = ["id", "name", "services", "verified", "date", "phones", "number", ":", ": ", "- ", "\n", "\n  ", "\t",
          "  ", "[", "]", "{", "}", ",", "'", '"', "#", "&a ", "*a", "<<", "!!python/object ", "!x ", "? ", "|",
          ">", "---", "...", "%YAML 1.1\n", "no", "yes", "~", "null", "0101", "9:00", "2026-02-30", "1e999",
          "0x10", ".nan", "ë", "\u2028", "\x00", "\x07", "\ufeff", "javascript:", "https://x.nl", "\\u0000",
          "a" * 50]


def _assert_problems_are_well_formed(problems: list[Problem]):
    for p in problems:
        assert isinstance(p, Problem)
        assert p.line >= 1 and p.col >= 1
        assert p.severity in ("error", "warning") and p.code and p.message
        p.text(), p.github()  # printing never fails either


@FAST
@given(st.binary(max_size=2_000))
def test_random_bytes_never_raise(raw):
    doc, problems = parse_bytes(raw, "fuzz.yaml")
    _assert_problems_are_well_formed(problems)
    assert doc is not None or any(p.severity == ERROR for p in problems)


@FAST
@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=60).map("".join),
       st.sampled_from(sorted(SCHEMA_FILES)))
def test_yaml_ish_text_never_raises_in_loader_or_schema_check(text, kind):
    doc, problems = parse_bytes(text.encode("utf-8", "surrogatepass"), "fuzz.yaml")
    _assert_problems_are_well_formed(problems)
    if doc is not None:
        _assert_problems_are_well_formed(schema_problems(kind, doc))


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "name", "services", "locations", "phones", "verified", "date", "roles", "x"])
        | st.text(max_size=8), inner, max_size=4),
    max_leaves=25)


@MEDIUM
@given(JSONISH, st.sampled_from(sorted(SCHEMA_FILES)))
def test_any_well_formed_yaml_value_gets_schema_problems_not_exceptions(value, kind):
    raw = yaml.safe_dump(value, allow_unicode=True).encode("utf-8")
    doc, problems = parse_bytes(raw, "fuzz.yaml")
    _assert_problems_are_well_formed(problems)
    if doc is not None:
        _assert_problems_are_well_formed(schema_problems(kind, doc))


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(VALID_DIR, target)
    return target


def _mutate(raw: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(raw)
    for position, delete, insert in edits:
        at = position % (len(out) + 1)
        out[at:at + delete] = insert
    return bytes(out)


EDITS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 4),
                           st.sampled_from([t.encode("utf-8") for t in TOKENS]) | st.binary(max_size=3)),
                 min_size=1, max_size=4)


@SLOW
@given(EDITS)
def test_edited_provider_never_crashes_the_whole_check(fuzz_dir, monkeypatch, edits):
    """Small edits to a valid, full provider reach the schema and the cross-checks (dates, phones, hours…)."""
    monkeypatch.setenv("KAART_TODAY", "2026-11-01")
    target = fuzz_dir / "providers" / "voorbeeldstad" / "sociaal-wijkteam-voorbeeldstad.yaml"
    target.write_bytes(_mutate(PROVIDER, edits))
    model, problems = check(fuzz_dir)
    _assert_problems_are_well_formed(problems)
    assert (model is None) == any(p.severity == ERROR for p in problems)


# The compiled yes/no check in schemas.fast_valid skips jsonschema for valid records; it must never say "valid"
# where jsonschema finds an error (that would hide a mistake from the editor).

def _jsonschema_errors(kind, data):
    from kaart.schemas import validator

    return list(validator(kind).iter_errors(data))


def _valid_records() -> list[tuple[str, object]]:
    """(kind, data) of every valid fixture record: the starting points the next property edits."""
    from kaart.load import load_file

    kinds = {"roles": "role", "needs": "need", "providers": "provider"}
    found = []
    for path in sorted(VALID_DIR.rglob("*.yaml")):
        kind = kinds.get(path.relative_to(VALID_DIR).parts[0]) or path.stem
        if kind in SCHEMA_FILES:
            found.append((kind, load_file(path)[0].data))
    return found


@st.composite
def _edited_records(draw):
    """A valid fixture record with at most two fields removed or replaced by a random value (at any depth):
    a good share stay valid, so both answers of the fast check are exercised."""
    import copy

    kind, data = draw(st.sampled_from(_valid_records()))
    data = copy.deepcopy(data)
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        node = data
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            child = node[draw(st.sampled_from(keys))]
            if not isinstance(child, (dict, list)) or not child:
                break
            node = child
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            if draw(st.booleans()):
                del node[key]
            else:
                node[key] = draw(JSONISH)
        elif isinstance(node, list) and node:
            node[draw(st.integers(0, len(node) - 1))] = draw(JSONISH)
    return kind, data


def test_fast_schema_check_agrees_with_jsonschema_on_edited_records():
    """The fast check's "valid" must mean jsonschema finds nothing (else a mistake is hidden from the editor), and
    its "invalid" must mean jsonschema finds something. The generated records must land on both sides often:
    a property whose guard never fires proves nothing."""
    from kaart.schemas import fast_valid

    answers = {True: 0, False: 0}

    @MEDIUM
    @given(_edited_records())
    def agree(record):
        kind, value = record
        fast = fast_valid(kind)(value)
        answers[fast] += 1
        assert fast == (_jsonschema_errors(kind, value) == []), (kind, value)

    agree()
    runs = sum(answers.values())
    assert min(answers.values()) >= runs // 10, answers  # 14 valid of 100 at the default settings


@SLOW
@given(EDITS)
def test_fast_schema_check_agrees_on_edited_providers(edits):
    from kaart.schemas import fast_valid

    doc, _ = parse_bytes(_mutate(PROVIDER, edits), "fuzz.yaml")
    if doc is not None:
        assert fast_valid("provider")(doc.data) == (_jsonschema_errors("provider", doc.data) == [])


def test_fast_schema_check_accepts_the_valid_fixtures_and_agrees_with_jsonschema_on_invalid_ones():
    from kaart.load import discover, load_file
    from kaart.schemas import fast_valid

    files, misplaced = discover(VALID_DIR)  # the record kind of each file, as `kaart check` decides it
    assert files and not misplaced
    for source in files:
        doc, _ = load_file(Path(source.path))
        assert fast_valid(source.kind)(doc.data), source.path
    for path in sorted((VALID_DIR.parent / "invalid").glob("*.yaml")):
        doc, _ = load_file(path)
        kind = "need" if path.stem.startswith("need_") else "role" if path.stem.startswith(("role_", "sources_")) \
            else "municipalities" if path.stem in ("demo_norway", "code_demo_range") else "provider"
        if doc is not None and isinstance(doc.data, dict):
            assert fast_valid(kind)(doc.data) == (_jsonschema_errors(kind, doc.data) == []), path


SEGMENT = st.sampled_from(["aanbieders", "gemeenten", "x", "voorbeeldstad", "feed.xml", "a-b", ".", ".."])


@FAST
@given(st.lists(SEGMENT, max_size=4), st.lists(SEGMENT, max_size=4), st.booleans(),
       st.sampled_from(["", "#contact"]))
def test_page_relative_links_match_posixpath(here, there, trailing, frag):
    """markup.rel walks the segments itself (it runs for every link on every page); it must give what
    posixpath.relpath gives for the same two site URLs, also for odd ones with '.' and '..'."""
    import posixpath

    from kaart.markup import rel

    from_url = "/".join(here) + ("/" if here else "")
    to_url = "/".join(there) + ("/" if trailing and there else "") + frag
    if to_url.startswith("#"):  # an anchor on the same page stays as it is
        assert rel(from_url, to_url) == to_url
        return
    path, _, fragment = to_url.partition("#")
    expected = posixpath.relpath(path.rstrip("/") or ".", from_url.rstrip("/") or ".")
    if not posixpath.splitext(path)[1]:
        expected = "./" if expected == "." else expected + "/"
    assert rel(from_url, to_url) == expected + (f"#{fragment}" if fragment else "")


#: Pieces of text that mean something to YAML, joined at random.
_TRICKY_TEXT = st.lists(st.sampled_from(["- ", ": ", "a", "b c", "'", '"', "\n", "  ", "#", "{", "[", "]", "-", ">",
                                         "|", "x" * 30, "é", "\t", " "]), max_size=12).map("".join)
_KEYS = st.sampled_from(["id", "name", "services", "a-b", "x"])
_VALUES = st.recursive(_TRICKY_TEXT, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner,
                                                                                                   min_size=1,
                                                                                                   max_size=4),
                       max_leaves=20)


@FAST
@given(st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=5), st.sampled_from([20, 40, 100]))
def test_import_writer_indents_lists_without_changing_a_value(record, width):
    """`kaart import` moves lists in under their keys after libyaml wrote them: whatever the text, the file says
    exactly what the emitter's file said."""
    from kaart.importer import _Dumper, _indent_lists

    text = yaml.dump(record, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=width)
    assert yaml.safe_load(_indent_lists(text)) == record
