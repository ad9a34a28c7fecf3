"""The YAML loader: positions, YAML 1.2 scalars, and refusing what editors should not write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaart import limits
from kaart.load import Document, discover, load_file, parse_bytes
from kaart.problems import ERROR, WARNING

NESTED = b"""\
# commentaar
id: buurthuis
services:
  - id: koffie
    name: Koffieochtend
    languages: [nl, en]
  - id: eten
    name:   Samen eten
locations:
  - address:
      postcode: "0101 AA"
"""


def load(text: str | bytes) -> Document:
    doc, problems = parse_bytes(text.encode() if isinstance(text, str) else text, "test.yaml")
    assert doc is not None, problems
    assert not [p for p in problems if p.severity == ERROR]
    return doc


def test_positions_of_nested_keys_and_list_items():
    doc = load(NESTED)
    assert doc.pos(("id",)) == (2, 1)
    assert doc.pos(("services",)) == (3, 1)
    assert doc.pos(("services", 0)) == (4, 5)
    assert doc.pos(("services", 0, "name")) == (5, 5)
    assert doc.pos(("services", 0, "languages", 1)) == (6, 21)
    assert doc.pos(("services", 1, "name")) == (8, 5)
    assert doc.pos(("locations", 0, "address", "postcode")) == (11, 7)


def test_pos_falls_back_to_nearest_parent_then_to_the_document():
    doc = load(NESTED)
    assert doc.pos(("services", 1, "description")) == doc.pos(("services", 1))
    assert doc.pos(("services", 7, "name")) == doc.pos(("services",))
    assert doc.pos(("nergens", "iets")) == (2, 1)  # the document starts at its first key
    assert Document("x.yaml", {}, {}).pos(("a",)) == (1, 1)


@pytest.mark.parametrize("text, value", [
    ("no", "no"), ("yes", "yes"), ("on", "on"), ("off", "off"), ("No", "No"), ("y", "y"),
    ("2026-01-01", "2026-01-01"), ("9:00", "9:00"), ("09:00", "09:00"), ("1:20:30", "1:20:30"),
    ("true", True), ("false", False), ("~", None), ("null", None), ("", None),
    ("12", 12), ("0101", 101), ("1.5", 1.5), ("'true'", "true"), ('"12"', "12"), ("0x1F", "0x1F"),
    ("1_000", "1_000"), (".inf", ".inf"),
])
def test_yaml_1_2_scalars(text, value):
    data = load(f"waarde: {text}\n").data["waarde"]
    assert data == value and type(data) is type(value)


def test_duplicate_key_is_an_error_at_the_second_key_naming_the_first():
    doc, problems = parse_bytes(b"id: a\nname: Een\nservices: []\nname: Twee\n", "dubbel.yaml")
    assert doc is None
    [p] = problems
    assert (p.code, p.line, p.col, p.severity) == ("yaml-duplicate-key", 4, 1, ERROR)
    assert "regel 2" in p.message and "'name'" in p.message


def test_same_key_in_different_list_items_is_fine():
    doc = load("services:\n  - name: a\n  - name: b\n")
    assert [s["name"] for s in doc.data["services"]] == ["a", "b"]


def test_utf8_bom_is_a_warning_and_the_data_still_loads():
    doc, problems = parse_bytes(b"\xef\xbb\xbfid: met-bom\n", "bom.yaml")
    assert doc is not None and doc.data == {"id": "met-bom"}
    assert [(p.code, p.severity) for p in problems] == [("encoding-bom", WARNING)]


@pytest.mark.parametrize("raw, code, line", [
    (b"id: a\nname: \xe9\n", "encoding-not-utf8", 2),
    ("id: a\n".encode("utf-16-le"), "encoding-not-utf8", 1),  # no BOM: NUL bytes are not YAML
    (b"a:\n  - b\n  c: 1\n", "yaml-syntax", 3),
    (b"id: a\nx: \x07\n", "yaml-syntax", 2),
    (b"---\na: 1\n---\nb: 2\n", "yaml-multiple-documents", 3),
    (b"? [a, b]\n: c\n", "yaml-complex-key", 1),
    (b"a: !vreemd x\n", "yaml-tag", 1),
    (b"a: !!set {x}\n", "yaml-tag", 1),
    (b"   \n\n", "file-empty", 1),
    (b"---\n", "file-empty", 1),
])
def test_bad_bytes_give_one_problem_with_a_position(raw, code, line):
    doc, problems = parse_bytes(raw, "slecht.yaml")
    assert doc is None
    assert [(p.code, p.line) for p in problems] == [(code, line)], problems
    assert problems[0].path == "slecht.yaml" and problems[0].hint


def test_too_many_values_is_refused():
    raw = ("lijst: [" + ", ".join(["1"] * (limits.MAX_NODES + 1)) + "]\n").encode()
    doc, problems = parse_bytes(raw, "veel.yaml")
    assert doc is None and problems[0].code == "file-too-many-values"


def test_load_file_refuses_a_file_over_the_size_limit_without_reading_it(tmp_path):
    path = tmp_path / "groot.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * limits.MAX_FILE_BYTES)
    doc, [p] = load_file(path, "groot.yaml")
    assert doc is None and p.code == "file-too-large" and str(limits.MAX_FILE_BYTES // 1024) in p.message


def test_load_file_on_a_missing_file_is_a_problem_not_an_exception(tmp_path):
    doc, [p] = load_file(tmp_path / "weg.yaml", "weg.yaml")
    assert doc is None and p.code == "file-unreadable"


def test_discover_finds_records_by_place_and_rejects_misplaced_files(tmp_path):
    for rel in ["taxonomy.yaml", "municipalities.yaml", "roles/r.yaml", "needs/n.yaml",
                "providers/voorbeeldstad/p.yaml", "providers/landelijk/q.yaml",
                "providers/p-zonder-map.yaml", "roles/oud.yml", "roles/notities.txt", "extra/x.yaml"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("id: x\n")
    os.symlink(tmp_path / "roles" / "r.yaml", tmp_path / "roles" / "link.yaml")
    files, problems = discover(tmp_path)
    kinds = {(Path(f.path).relative_to(tmp_path).as_posix(), f.kind, f.gemeente) for f in files}
    assert kinds == {("municipalities.yaml", "municipalities", None), ("taxonomy.yaml", "taxonomy", None),
                     ("roles/r.yaml", "role", None), ("needs/n.yaml", "need", None),
                     ("providers/voorbeeldstad/p.yaml", "provider", "voorbeeldstad"),
                     ("providers/landelijk/q.yaml", "provider", "landelijk")}
    found = {(Path(p.path).name, p.code) for p in problems}
    assert found == {("p-zonder-map.yaml", "file-location"), ("oud.yml", "file-extension"),
                     ("x.yaml", "file-location"), ("link.yaml", "file-symlink")}


# Document.pos finds one position by counting the values before it; Document.positions maps them all. Both must
# give the same answer for every place in a file, and for places that are not there (the nearest parent).
_KEYS = st.sampled_from(["id", "name", "a", "1", "services"])
_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
                       max_leaves=15)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=4), st.booleans(),
       st.lists(st.lists(_KEYS | st.integers(-1, 3), max_size=4), max_size=5))
def test_pos_of_one_place_agrees_with_the_map_of_all_places(value, flow, extra_paths):
    import yaml

    raw = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True).encode()
    doc, _ = parse_bytes(raw, "p.yaml", fast=False)
    reference, _ = parse_bytes(raw, "p.yaml", fast=False)
    paths = list(reference.positions) + [tuple(p) for p in extra_paths]
    expected = {path: reference.pos(path) for path in paths}  # reference has its map built now
    assert reference._positions is not None and doc._positions is None
    assert {path: doc.pos(path) for path in paths} == expected
    assert doc._positions is None  # answered without building the map


# --- YAML messages in Dutch (kaart.yaml_messages) ------------------------------------------------------

import random  # noqa: E402
import re  # noqa: E402

from kaart import yaml_messages  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
#: Words of the parsers' English messages (not Dutch words as well: 'in', 'of', 'document', 'tab' are both).
ENGLISH = re.compile(r"\b(found|expected|not|allowed|could|while|scanning|parsing|character|token|mapping|values|"
                     r"stream|indicator|unexpected|escape|undefined|directive|find|here|cannot|did|simple|quoted|"
                     r"scalar|sequence|entry|entries|collection|the|line|break|whitespace|context|octet)\b")


def _english_outside_brackets(message: str) -> bool:
    return bool(ENGLISH.search(re.sub(r"\([^()]*\)", "", message)))


def test_every_parser_message_in_the_table_is_dutch():
    assert len(yaml_messages.PROBLEMS) >= 40
    for english, dutch in yaml_messages.PROBLEMS.items():
        assert not ENGLISH.search(dutch), (english, dutch)
    for english, dutch in yaml_messages.CONTEXTS.items():
        assert "regel 3" in dutch.format(line=3) and not ENGLISH.search(dutch.format(line=3)), (english, dutch)


def test_an_unknown_parser_message_gets_a_dutch_sentence_with_the_english_in_brackets():
    said = yaml_messages.dutch("found a brand new kind of trouble")
    assert said == "de YAML kan hier niet gelezen worden (found a brand new kind of trouble)"
    assert not _english_outside_brackets(said)


def test_the_context_says_where_the_trouble_started():
    _, problems = parse_bytes(b"id: a\nname: b\nc\n", "x.yaml")
    assert [(p.code, p.line) for p in problems] == [("yaml-syntax", 4)]
    assert problems[0].message == "YAML-fout: er mist een dubbele punt na een veldnaam (de veldnaam staat op regel 3)"


def _corpus() -> list[bytes]:
    """The golden and hostile fixtures, and broken copies of them: cut short, a character taken out, a
    character that means something in YAML put in."""
    files = sorted(FIXTURES.glob("invalid/*.yaml")) + sorted(FIXTURES.glob("hostile/*.yaml"))
    blobs = [p.read_bytes() for p in files if p.name != "expected.yaml"]
    rng = random.Random(15)
    special = list("\t:'\"[]{}-?*&!%@`|>#,") + ["\n", "  ", ": ", "- ", "\n%", "\\"]
    broken = []
    for raw in blobs[::2]:
        text = raw.decode("utf-8", "replace")[:4000]
        for _ in range(3):
            i = rng.randrange(len(text))
            broken.append(text[:i].encode())
            broken.append((text[:i] + text[i + 1:]).encode())
            broken.append((text[:i] + rng.choice(special) + text[i:]).encode())
    return blobs + broken


def test_no_english_in_yaml_messages_on_the_golden_and_hostile_corpora():
    """Every message the loader gives on these is Dutch (the parser's English wording only ever in brackets, after a
    Dutch sentence — and here not even that: each problem met is in the table)."""
    seen = 0
    for raw in _corpus():
        for fast in (True, False):
            for problem in parse_bytes(raw, "x.yaml", fast=fast)[1]:
                seen += problem.code.startswith("yaml-")
                assert not ENGLISH.search(problem.message), problem.message
                assert not ENGLISH.search(problem.hint), problem.hint
    assert seen > 50  # the broken copies do give YAML errors


# --- %YAML directives ------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, line", [
    (b"%YAML 1.1\n---\nid: a\n", 1),
    (b"# c\n%YAML 1.1\n---\nid: a\n", 2),
    (b"%YAML 1.1\nid: a\n", 1),  # without the '---' libyaml wants after a directive
    (b"%YAML 1.1\n", 1),
    (b"%YAML 2.0\n---\nid: a\n", 1),  # a version libyaml refuses itself
    (b"# c\r%YAML 1.1\r---\rid: a\r", 2),  # lone CR line breaks
    (b"# c\r\n%YAML 1.1\r\n---\r\nid: a\r\n", 2),
])
def test_a_yaml_directive_for_another_version_than_1_2_is_named(raw, line):
    doc, problems = parse_bytes(raw, "x.yaml")
    assert doc is None
    assert [(p.code, p.line, p.col) for p in problems] == [("yaml-version", line, 1)]
    assert "YAML 1.2" in problems[0].message and "%YAML" in problems[0].hint


def test_a_yaml_1_2_directive_is_fine():
    doc, problems = parse_bytes(b"%YAML 1.2\n---\nid: a\n", "x.yaml")
    assert problems == [] and doc.data == {"id": "a"}
    assert parse_bytes(b"a: |\n  %YAML 1.1\n", "x.yaml")[0].data == {"a": "%YAML 1.1\n"}  # text, not a directive


# --- bare yes/no/on/off (kaart.truthy) ---------------------------------------------------------------------

def test_the_loader_notes_where_plain_truthy_values_stand():
    raw = b"id: a\nname: no\nq: 'no'\nlist: [On, \"off\", y, nee]\nnested:\n  - k: YES\n  - Off\nno: x\nnob: n\n"
    for fast in (True, False):
        doc, problems = parse_bytes(raw, "x.yaml", fast=fast)
        assert problems == []
        assert doc._marks is not None  # the fast path leaves these to libyaml
        assert doc.data["name"] == "no" and doc.data["list"] == ["On", "off", "y", "nee"]
        values = [_value(doc.data, doc.positions, i) for i in doc.truthy]
        assert values == [("name",), ("list", 0), ("list", 2), ("nested", 0, "k"), ("nested", 1), ("nob",)]


def _value(data, positions, index):
    return list(positions)[index]  # the positions map is built in the same depth-first order


def test_a_record_without_them_still_takes_the_fast_path():
    doc, _ = parse_bytes(b"id: a\nname: nooit\nq: 'yess'\nlist: [Ons, of]\n", "x.yaml")
    assert doc._marks is None and doc.truthy == ()


def test_truthy_warnings_only_for_text_fields():
    from kaart.truthy import truthy_warnings

    raw = (FIXTURES / "valid" / "providers" / "voorbeeldstad" / "sociaal-wijkteam-voorbeeldstad.yaml").read_text(
        encoding="utf-8")
    raw = re.sub(r"(?m)^name: .*$", "name: Off", raw, count=1)
    raw = raw.replace("closed: true", "closed: on").replace("      - Rolstoeltoegankelijk", "      - y")
    raw = re.sub(r"(?m)^alternate_name: .*$", "alternate_name: 'no'", raw, count=1) + "onbekend: no\n"
    doc, problems = parse_bytes(raw.encode(), "p.yaml")
    assert problems == []
    warnings = truthy_warnings("provider", doc)
    line_of = {text: i + 1 for i, text in enumerate(raw.splitlines())}
    assert [(p.severity, p.code, p.line, p.col, p.message) for p in warnings] == [
        (WARNING, "yaml-truthy", line_of["name: Off"], 1, "lees als tekst 'Off'; zet het tussen aanhalingstekens"),
        (WARNING, "yaml-truthy", line_of["      - y"], 9, "lees als tekst 'y'; zet het tussen aanhalingstekens"),
    ]  # not the boolean 'closed' (the schema's type error says it), nor an unknown field, nor a quoted value
