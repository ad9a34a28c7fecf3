"""The fast parser (yaml_rs, kaart.load._fast_load) must give exactly what libyaml + our YAML 1.2 rules give —
the same values of the same types, the same problems, the same positions — or step aside. These tests feed both
paths the same bytes and compare, on generated YAML and on every file in data/ and tests/fixtures/.

KAART_FUZZ_EXAMPLES raises the number of examples for a longer run:
    KAART_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/test_fast_parser.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, VALID_DIR
from kaart import load
from kaart.load import parse_bytes

pytestmark = pytest.mark.skipif(not load.FAST_PARSER, reason="yaml_rs is not installed")

EXAMPLES = int(os.environ.get("KAART_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES * 2, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


def same(a, b) -> bool:
    """Equal and of the same types all the way down (1 == 1.0 == True for ==, not here)."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is float:
        return repr(a) == repr(b)
    return a == b


def assert_both_paths_agree(raw: bytes) -> bool:
    """Parse `raw` both ways and compare everything an editor or the validator sees. True when the fast path
    answered (so tests can tell they exercised it)."""
    fast_doc, fast_problems = parse_bytes(raw, "f.yaml")
    slow_doc, slow_problems = parse_bytes(raw, "f.yaml", fast=False)
    assert fast_problems == slow_problems
    assert (fast_doc is None) == (slow_doc is None)
    if fast_doc is None:
        return False
    assert same(fast_doc.data, slow_doc.data), (fast_doc.data, slow_doc.data)
    took_fast = fast_doc._marks is None
    assert fast_doc.positions == slow_doc.positions
    assert fast_doc.truthy == slow_doc.truthy  # where the plain yes/no/on/off values stand (kaart.truthy)
    return took_fast


# --- generated input ---------------------------------------------------------------------------------

# Plain scalars where YAML 1.1, YAML 1.2 core and yaml_rs's own extensions disagree.
ODD_SCALARS = ["0x1F", "0X1f", "0o17", "0O7", "0b101", "0B1", "1_000", "_1", "1_", "1.5_", "1._5", "1e1_0", "+0x1",
               "-0o7", ".inf", "-.inf", "+.Inf", ".INF", ".nan", ".NaN", ".NAN", "-.NAN", "~", "null", "Null", "NULL",
               "nULL", "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "yes", "No", "on", "Off", "y", "n",
               "007", "00", "-0", "+5", "1.", ".5", "-.5", "+.5e5", "5.E3", "1e3", "1E+2", "1e400", "-1e400",
               "99999999999999999999999", "0.1e-999", "2026-01-01", "2026-02-30", "2026-01-01T10:00:00Z", "9:00",
               "1:30:00", "12:30", "190:20:30", "0", "1", "-", "+", ".", "e1", "1e", "0x", "0xG", "Infinity",
               "NaN", "=", "<<", "1,000", "١٢", "１２", "0b2", "00x1"]
TOKENS = ["id", "name", "a", "b", ":", ": ", "- ", "? ", "\n", "\n  ", "\n    ", "\r\n", "\r", "\t", " ", "  ",
          "[", "]", "{", "}", ",", "'", '"', "#", " #", "|", "|-", "|+", ">", ">-", "---", "---\n", "...", "...\n",
          "%YAML 1.2\n", "%TAG ! tag:x,2026:\n", "&a ", "*a", "!!str ", "!x ", "\\", '\\"', "\\n", "\\x41", "\\/",
          "\\N", "\\_", "\\L", "\\P", "\\u00e9", "ë", "\u00a0", "\u2028", "\x85", "\ufeff", "\x07", "@", "`",
          "https://x.nl/a#b", "a: b", "- x", "\n- ", "\n  - "] + ODD_SCALARS

YAML_SOUP = st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), min_size=1, max_size=50).map("".join)

KEYS = st.sampled_from(["id", "name", "x", "services", "1", "true", "null", "<<", "a b", "é"]) | st.text(max_size=6)
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
           | st.sampled_from(ODD_SCALARS))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
                      max_leaves=30)


@FUZZ
@given(YAML_SOUP)
def test_both_paths_agree_on_yaml_ish_text(text):
    assert_both_paths_agree(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=6),
       st.sampled_from([None, True, False]), st.sampled_from([None, '"', "'", "|", ">"]),
       st.integers(20, 200), st.integers(2, 6), st.booleans(), st.sampled_from(["\n", "\r\n"]))
def test_both_paths_agree_on_dumped_values(value, flow, style, width, indent, unicode, line_break):
    """Real YAML in every style PyYAML writes: flow and block, quoted, literal and folded text, long lines."""
    try:
        text = yaml.safe_dump(value, default_flow_style=flow, default_style=style, width=width, indent=indent,
                              allow_unicode=unicode, line_break=line_break, sort_keys=False)
    except yaml.YAMLError:
        return
    assert_both_paths_agree(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.lists(st.tuples(KEYS.filter(lambda k: k and k.isidentifier()),
                          st.sampled_from(ODD_SCALARS) | st.from_regex(r"\A[-+]?[0-9_.]{1,6}(?:[eE][-+]?[0-9_]{1,3})?\Z")),
                min_size=1, max_size=8))
def test_both_paths_agree_on_number_like_plain_scalars(pairs):
    text = "".join(f"{key}: {value}\n" for key, value in pairs) + "lat: 52.1\n"
    assert_both_paths_agree(text.encode())


BLOCK_LINES = st.lists(st.one_of(st.just(""), st.integers(0, 8).map(" ".__mul__),
                                  st.tuples(st.integers(1, 6), st.sampled_from(["tekst", "b c", "#x", "- y", "k: v",
                                                                                "...", "'q'", "  z"]))
                                  .map(lambda t: " " * t[0] + t[1])), max_size=5)


@FUZZ
@given(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|2", ">1-"]), st.sampled_from([0, 2, 4]),
       st.sampled_from(["", "- "]), st.sampled_from(["", " ", " # c"]), BLOCK_LINES,
       st.sampled_from(["", "next: x\n", "\nnext: x\n", "\n\n"]))
def test_both_paths_agree_on_block_scalars(header, base, dash, comment, lines, after):
    """Literal and folded text (most records write `description: >-`): chomping, indentation, blank lines."""
    lead = " " * base
    body = "".join(lead + line + "\n" if line.strip() else line + "\n" for line in lines)
    text = ("outer:\n" if base else "") + lead + dash + "key: " + header + comment + "\n" + body + (
        lead + after if after.startswith("next") else after)
    assert_both_paths_agree(text.encode())


@pytest.mark.parametrize("text", [
    "...\nid:", "a: 1\n...\nb: 2\n", "a: |\n  \t\nb: x\n", "a: >\n", "key: |+ \n", "outer:\n  key: >\n   \n",
    "? |\n: x\n", "? \x1f", "a: 0x1F\nlat: 1.5\n", "a: _1\n", "a: .inf\n", "1: x\n", "a: !x b\n",
    "<<: {a: 1}\n", "a: 1\n---\n", "%YAML 1.2\n---\na: 1\n", "a: \"\\x85\"\n", "a: b\u2028c\n",
    # issue 15 and shapes found next to it: a key whose ':' follows a lone CR, closing brackets without an opener
    'id: x\r"a"\r: b\r', 'id: x\r\n"a"\r\n: b\r\n', "k: a]\n", "k: [a]]\n", "k: a}\nl: [b]\n", "k: [a, b]\r\n",
    "k: [a ,b]\n", "k: {a: [b, {c: d}]}\n", "k: [[[a]]]\n", "- [a]\n", "k: [a]#c\n", "k: [a] #c\n",
    "? a\n", "# c\r%YAML 1.1\r---\ra: 1\r", "a: 1\r...\rb: 2\r", "k: {a: b}: c\n", "k: [a]: b\n", "[a]: b\n", "{a: b}\n", "k: {a: b\n  }\n"])
def test_inputs_where_yaml_rs_alone_would_differ(text):
    """Inputs yaml_rs reads differently from libyaml + our rules (found by the fuzz tests above and longer runs of
    them): both paths must still agree."""
    assert_both_paths_agree(text.encode())


# --- shapes where yaml_rs and libyaml part ways: the fast path must step aside ------------------------------

PROVIDER = (VALID_DIR / "providers" / "voorbeeldstad" / "sociaal-wijkteam-voorbeeldstad.yaml").read_text(encoding="utf-8")
ADDRESS_BLOCK = '    address:\n      street: Voorbeeldstraat 1\n      postcode: "0101 AA"\n      city: Voorbeeldstad\n'
assert ADDRESS_BLOCK in PROVIDER and "    languages: [nl, en]\n" in PROVIDER


def provider_with(address: str | None = None, languages: str | None = None) -> bytes:
    text = PROVIDER
    if address is not None:
        text = text.replace(ADDRESS_BLOCK, "    address: " + address + "\n")
    if languages is not None:
        text = text.replace("    languages: [nl, en]\n", "    languages: " + languages + "\n")
    return text.encode()


@pytest.mark.parametrize("raw", [
    # issue 15: a key whose ':' is on the next line (yaml_rs took it, libyaml says yaml-syntax at that line)
    provider_with(address='{"street"\n      : Voorbeeldstraat 1, postcode: "0101 AA", city: Voorbeeldstad}'),
    # a flow mapping over several lines
    provider_with(address='{street: Voorbeeldstraat 1,\n      postcode: "0101 AA",\n      city: Voorbeeldstad}'),
    provider_with(address='{street: Voorbeeldstraat 1,\n  postcode: "0101 AA", city: Voorbeeldstad\n    }'),
    provider_with(address='{\n street: Voorbeeldstraat 1, postcode: "0101 AA", city: Voorbeeldstad}'),
    # an empty value and a trailing comma (yaml_rs: a key 'extra' → unknown-key at 1:1; libyaml: yaml-syntax)
    provider_with(address='{street: Voorbeeldstraat 1, postcode: "0101 AA", city: Voorbeeldstad, extra:,}'),
    provider_with(address='{street: Voorbeeldstraat 1, postcode: "0101 AA", city: Voorbeeldstad,}'),
    provider_with(address='{street: , postcode: "0101 AA", city: Voorbeeldstad}'),
    # '?' inside a flow sequence: libyaml reads a one-pair mapping (→ type), yaml_rs the text '?nl' (→ pattern)
    provider_with(languages="[?nl, en]"),
    provider_with(languages="[? nl, en]"),
    provider_with(languages="{? nl}"),
    provider_with(languages="[nl,\n      en]"),
    provider_with(languages="[nl, en,]"),
], ids=["key-then-line-break", "flow-map-lines", "flow-map-dedent", "flow-map-open-alone", "empty-value-comma",
        "trailing-comma", "empty-value", "question-in-flow", "question-space-in-flow", "question-in-map",
        "flow-seq-lines", "seq-trailing-comma"])
def test_issue_15_reproductions_read_the_same_both_ways(raw):
    """Same data, same problems (code, message, line and column) — and not by the fast path."""
    assert not assert_both_paths_agree(raw)


def test_issue_15_reproductions_give_the_libyaml_answer():
    _, problems = parse_bytes(provider_with(
        address='{"street"\n      : Voorbeeldstraat 1, postcode: "0101 AA", city: Voorbeeldstad}'), "p.yaml")
    assert [(p.code, p.line) for p in problems] == [("yaml-syntax", 43)]
    doc, problems = parse_bytes(provider_with(languages="[?nl, en]"), "p.yaml")
    assert not problems and doc.data["services"][0]["languages"] == [{"nl": None}, "en"]


#: Entries the fast path reads (as records write them), and more that it leaves to libyaml: a text YAML 1.1
#: reads as false, brackets or an escape inside quotes, keys with a space or in quotes.
PLAIN_FLOW_SCALARS = ["nl", "en", "Voorbeeldstraat 1", '"0101 AA"', "'x y'", "Voorbeeldstad", "a b", "1", "2.5",
                      "true", "null", "~", '"09:00"', '"a, b"', "'x: y'", "é"]
FLOW_SCALARS = st.sampled_from(PLAIN_FLOW_SCALARS)
ODD_FLOW_SCALARS = st.sampled_from(PLAIN_FLOW_SCALARS + ["no", "'[x]'", '"a\\"b"', "'it''s'", "a ", "-1", "-"])
FLOW_KEYS = st.sampled_from(["street", "postcode", "city", "a", "opens"])
ODD_FLOW_KEYS = st.sampled_from(["street", "postcode", "a", "b c", '"q"', "'s'", "1", "-a"])
#: Between two entries, after the opening and before the closing bracket: ordinary ones, and line breaks with
#: indents less than, equal to and deeper than the collection's own (the shapes libyaml judges differently).
BREAKS = st.sampled_from(["", "\n", "\n ", "\n  ", "\n    ", "\n        ", " \n      ", "\n\n      ", " # c\n      "])


@st.composite
def flow_shapes(draw):
    """(text of a flow collection, whether it is a shape the fast path should take)."""
    risky = draw(st.booleans())  # half the cases are ordinary one-line collections, which the fast path reads
    safe = True
    mapping = draw(st.booleans())
    n = draw(st.integers(0, 4))
    entries = []
    key_pool, scalars = (ODD_FLOW_KEYS, ODD_FLOW_SCALARS) if risky else (FLOW_KEYS, FLOW_SCALARS)
    keys = draw(st.lists(key_pool, min_size=n, max_size=n, unique=True)) if mapping else []
    for i in range(n):
        value = draw(scalars | (st.tuples(st.just("["), st.lists(scalars, max_size=3))
                                .map(lambda t: "[" + ", ".join(t[1]) + "]")))
        odd = draw(st.sampled_from(["", "", "?", "? ", "empty", "no-space", "key-break"])) if risky else ""
        if mapping:
            key = keys[i]
            if odd == "empty":
                entry = key + ":"
            elif odd == "no-space":
                entry = key + ":" + value
            elif odd == "key-break":
                entry = key + draw(BREAKS.filter(bool)) + ": " + value
            else:
                entry = odd + key + ": " + value if odd.startswith("?") else key + ": " + value
        else:
            entry = (odd + value) if odd.startswith("?") else value
            if odd in ("empty", "no-space", "key-break"):
                entry = value + ":" if odd == "empty" else value + (": x" if odd == "no-space" else "\n: x")
        safe = safe and not odd
        entries.append(entry)
    text = "{" if mapping else "["
    for i, entry in enumerate(entries):
        before = draw(BREAKS) if risky and draw(st.integers(0, 2)) == 0 else ""
        safe = safe and not before
        text += ("" if i == 0 else ", ") + before + entry
    if entries and risky and draw(st.integers(0, 3)) == 0:
        text += ","
        safe = False
    end = draw(BREAKS) if risky and draw(st.integers(0, 2)) == 0 else ""
    safe = safe and not end
    text += end + ("}" if mapping else "]")
    return text, safe


@st.composite
def records_with_flow(draw):
    """A block-style record with a flow collection at one of the places records have them."""
    flow, safe = draw(flow_shapes())
    where = draw(st.sampled_from(["top", "nested", "item", "item-key", "next-line"]))
    head = "id: x\nname: Naam\n"
    tail = draw(st.sampled_from(["", "next: x\n", "next: x\n", "  more: y\n", "- z\n"]))
    if where == "top":
        body = "address: " + flow + "\n"
    elif where == "nested":
        body = "locations:\n  - id: a\n    address: " + flow + "\n"
    elif where == "item":
        body = "list:\n  - " + flow + "\n"
    elif where == "item-key":
        body = "hours:\n  - days: " + flow + "\n    opens: '09:00'\n"
    else:
        body = "address:\n  " + flow + "\n"
    safe = safe and tail in ("", "next: x\n")
    return head + body + tail, safe


QUESTION_AND_BREAK_LINES = st.sampled_from([
    "? a\n: b\n", "? a\n", "?a: b\n", "? [a, b]\n: c\n", "? |\n  t\n: v\n", "a\n: b\n", '"a"\n: b\n', "a\n  : b\n",
    "- ? a\n  : b\n", "- a\n  : b\n", "k: ? a\n", "k: [? a : b]\n", "k: {? a}\n", "k: {?a: b}\n", "k: a ?\n",
    "k: ?\n", "k: -?\n", "k: wat nu?\n", "k:\n  ? a\n  : b\n", "k: [a\n  , b]\n", "k: {a\n  : b}\n", "? \n: \n",
    "a:\n  - b\n  :\n", "u: 'wat ? nu'\n", "'a'\n  : b\n", "k: [a, ? b]\n", ": a\n", "- : a\n", "a: b\n? c\n"])


def _share_that_took_the_fast_path(strategy) -> tuple[int, int, int]:
    """Run `strategy` (text, safe) through both paths: (safe cases, safe cases the fast path read, all cases)."""
    seen = []

    @FUZZ
    @given(strategy)
    def run(case):
        text, safe = case
        seen.append((safe, assert_both_paths_agree(text.encode())))

    run()
    return sum(s for s, _ in seen), sum(s and f for s, f in seen), len(seen)


def test_both_paths_agree_on_flow_collections_over_lines_empty_values_and_trailing_commas():
    safe, fast, total = _share_that_took_the_fast_path(records_with_flow())
    # the test compares two paths, not libyaml with itself: plenty of cases are ordinary, and those go fast
    assert safe >= total // 5, (safe, total)
    assert fast >= safe * 9 // 10, (fast, safe)


ORDINARY_LINES = ["name: Naam\n", "k: [a, b]\n", "m: {a: b}\n", "t: tekst?\n", "u: Hoe?Zo\n"]


@st.composite
def records_with_question_marks_and_key_breaks(draw):
    pool = st.sampled_from(ORDINARY_LINES)
    if draw(st.integers(0, 3)):  # a quarter ordinary records, which the fast path reads
        pool = QUESTION_AND_BREAK_LINES | pool
    lines = draw(st.lists(pool, min_size=1, max_size=4, unique=True))
    return "id: x\n" + "".join(lines), all(line in ORDINARY_LINES for line in lines)


def test_both_paths_agree_on_question_mark_keys_and_keys_followed_by_a_line_break():
    safe, fast, total = _share_that_took_the_fast_path(records_with_question_marks_and_key_breaks())
    assert safe >= total // 10, (safe, total)
    assert fast >= safe * 9 // 10, (fast, safe)


# --- real files ----------------------------------------------------------------------------------------

def test_both_paths_agree_on_every_file_in_the_repository_and_the_fixtures():
    files = sorted((ROOT / "data").rglob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))
    assert len(files) > 100
    slow = [path for path in files if not assert_both_paths_agree(path.read_bytes())]
    assert len(slow) < len(files) // 2  # the ordinary records do take the fast path
    # every record in data/ does (the one-file tables, such as municipalities.yaml with its long lists, need not)
    records = [path for path in slow if path.parent.name in ("roles", "needs", "signals")
               or path.parent.parent.name == "providers"]
    assert not [str(p) for p in records if ROOT / "data" in p.parents]


def test_a_message_on_a_fast_parsed_file_points_at_the_right_line(tmp_path):
    """Positions of a file the fast path read come from libyaml on demand, also when only its path is known."""
    text = "id: a\nname: Een\nitems:\n  - x\n  - y: 1\n    z: [2, 3]\n"
    doc, _ = parse_bytes(text.encode(), "a.yaml")
    assert doc._marks is None  # read by yaml_rs
    assert doc.pos(("items", 1, "z", 1)) == (6, 12)
    path = tmp_path / "a.yaml"
    path.write_text(text)
    again = load.Document("a.yaml", doc.data, source=path)
    assert again.pos(("name",)) == (2, 1)
    assert again.pos(("items", 1, "y")) == (5, 5)
    path.write_text("id: b\n")  # changed since it was read: no wrong positions, the file's start
    changed = load.Document("a.yaml", doc.data, source=path)
    assert changed.pos(("items",)) == (1, 1)


def test_the_fast_path_is_not_used_off_the_main_thread():
    """Threads may have small stacks; yaml_rs recurses per nesting level."""
    seen = []
    thread = threading.Thread(target=lambda: seen.append(parse_bytes(b"id: a\nx: [1]\n", "t.yaml")[0]))
    thread.start()
    thread.join()
    assert seen[0].data == {"id": "a", "x": [1]} and seen[0]._marks is not None


@pytest.mark.parametrize("text", ["- " * 60_000 + "x", "? " * 60_000 + "x", "[" * 100_000,
                                  "a:\n" + "".join(" " * i + "- b:\n" for i in range(1, 400))])
def test_deep_nesting_never_crashes_the_process(text, tmp_path):
    """yaml_rs overflows the stack (a crash, not an exception) at ~11 000 levels; such files never reach it."""
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    assert path.stat().st_size <= 256 * 1024
    done = subprocess.run([sys.executable, "-c", "import sys; from kaart.load import load_file; "
                           "doc, problems = load_file(sys.argv[1]); print(doc is None, [p.code for p in problems])",
                           str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "yaml-too-deep" in done.stdout or "yaml-syntax" in done.stdout or "file-too-many-values" in done.stdout


def test_a_record_with_windows_line_ends_takes_the_fast_path():
    raw = (VALID_DIR / "providers" / "voorbeeldstad" / "sociaal-wijkteam-voorbeeldstad.yaml").read_bytes()
    assert assert_both_paths_agree(raw.replace(b"\n", b"\r\n"))


def test_valid_fixture_provider_takes_the_fast_path():
    raw = (VALID_DIR / "providers" / "voorbeeldstad" / "sociaal-wijkteam-voorbeeldstad.yaml").read_bytes()
    assert assert_both_paths_agree(raw)


def test_without_the_fast_parser_results_are_the_same(monkeypatch):
    raw = (VALID_DIR / "providers" / "voorbeeldstad" / "sociaal-wijkteam-voorbeeldstad.yaml").read_bytes()
    with_fast, _ = parse_bytes(raw, "p.yaml")
    monkeypatch.setattr(load, "FAST_PARSER", False)
    without, _ = parse_bytes(raw, "p.yaml")
    assert without._marks is not None and same(with_fast.data, without.data)
    assert with_fast == without


def test_kaart_check_says_the_same_with_the_fast_parser_turned_off(data_dir):
    """KAART_FAST_PARSER=0 (for ruling it out, or measuring it) changes nothing an editor sees: same messages,
    same lines and columns — for schema errors (found in the worker) and cross-check errors (found later)."""
    providers = data_dir / "providers" / "voorbeeldstad"
    source = (providers / "sociaal-wijkteam-voorbeeldstad.yaml").read_text(encoding="utf-8")
    (providers / "kapot-schema.yaml").write_text(
        source.replace("id: sociaal-wijkteam-voorbeeldstad", "id: kapot-schema") + "onbekend_veld: 1\n",
        encoding="utf-8")
    (providers / "kapot-verwijzing.yaml").write_text(
        source.replace("id: sociaal-wijkteam-voorbeeldstad", "id: kapot-verwijzing")
        .replace("roles: [sociaal-wijkteam]", "roles: [sociaal-wijkteem]"), encoding="utf-8")
    # issue 15: shapes yaml_rs read differently (the fast path said 1:1 [pattern] / nothing at all)
    (providers / "kapot-vraagteken.yaml").write_text(
        source.replace("id: sociaal-wijkteam-voorbeeldstad", "id: kapot-vraagteken")
        .replace("languages: [nl, en]", "languages: [?nl, en]"), encoding="utf-8")
    (providers / "kapot-sleutel.yaml").write_text(
        source.replace("id: sociaal-wijkteam-voorbeeldstad", "id: kapot-sleutel")
        .replace(ADDRESS_BLOCK, '    address: {"street"\n      : Voorbeeldstraat 1, city: Voorbeeldstad, extra:,}\n'),
        encoding="utf-8")
    outputs = []
    for setting in ("1", "0"):
        env = {**os.environ, "KAART_FAST_PARSER": setting, "KAART_CACHE_DIR": "off", "KAART_TODAY": "2026-11-01"}
        done = subprocess.run([sys.executable, "-m", "kaart.cli", "check", "--data", str(data_dir), "--format",
                               "text"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
        assert done.returncode == 1, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert "kapot-schema.yaml:" in outputs[0] and "onbekend_veld" in outputs[0]
    assert "kapot-verwijzing.yaml:6:" in outputs[0] and "sociaal-wijkteem" in outputs[0]
    assert "kapot-vraagteken.yaml:28:17: error: [type]" in outputs[0]
    assert "kapot-sleutel.yaml:43:7: error: [yaml-syntax]" in outputs[0]
    assert ":1:1:" not in outputs[0]  # every message found its line
