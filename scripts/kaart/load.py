"""Read YAML files into plain Python values, keeping the line and column of every value.

The reference path composes each file with libyaml (CSafeLoader) when available. We convert the composed
node tree ourselves instead of using PyYAML's constructor so that we can
- record positions (for `path:line:col` messages),
- reject duplicate keys (PyYAML silently keeps the last one),
- follow YAML 1.2 scalar rules: `no`, `on`, `2026-01-01` and `9:00` stay text, no Norway problem,
- refuse aliases, anchors, merge keys and custom tags (alias bombs, hidden sharing, code execution).

Fast path: ordinary record files are read once by yaml_rs (YAML 1.2, in Rust; ~3x quicker all in) when nothing
in them can make its answer differ from the reference path's (see _fast_load); libyaml reads such a file a second
time only if a message needs a line and column. Every other file goes the reference way, which also words the
errors (in Dutch: kaart.yaml_messages). The gates are cheap text checks that let through only what both parsers read
alike — block-style records whose flow collections ([a, b], {k: v}) each sit on one line in simple shapes; no `?`
keys, no ':' on the line after its key, no tags, directives, tabs or odd characters, no text that YAML 1.1 reads
as a boolean (the reference path notes where plain yes/no/on/off stand, for kaart.truthy). KAART_FAST_PARSER=0
turns the fast path off.
"""

from __future__ import annotations

import operator
import os
import re
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path
from sys import intern as _intern
from typing import Any

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from . import limits, yaml_messages
from .problems import ERROR, WARNING, Problem

try:  # the C loader is ~10x faster; its nodes still carry marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

try:  # YAML 1.2 parser in Rust: ~4x quicker than composing with libyaml, but it keeps no positions
    from yaml_rs import loads as _rs_loads
except ImportError:  # pragma: no cover - an install without it uses libyaml only
    _rs_loads = None

Path_ = tuple  # a location inside a document: keys and list indexes, e.g. ("services", 0, "name")

_STD = "tag:yaml.org,2002:"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
#: Tag our resolver gives every untagged plain scalar; _scalar applies the YAML 1.2 rules to it.
_PLAIN = "tag:kaart,2026:plain"
#: First characters with which a plain scalar can be something other than text under YAML 1.2 core rules.
_MAYBE_NOT_TEXT = frozenset("~nNtTfF0123456789+-.")
#: Plain scalars YAML 1.1 (yamllint, older tools, PyYAML's own loader) reads as true or false; our YAML 1.2 rules
#: keep them as text, and the validator warns where a text field holds one (kaart.truthy).
TRUTHY = frozenset("y Y yes Yes YES n N no No NO on On ON off Off OFF".split())
# Cheap pre-filter: only files that might hold an anchor or alias get the (rare) event scan.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s,\[\]{}]")


_STR, _SEQ, _MAP, _MERGE = _STD + "str", _STD + "seq", _STD + "map", _STD + "merge"


class _Composer(_Loader):
    """PyYAML's resolver runs YAML 1.1 regexes for every scalar (a Python call from the C parser each time);
    we only need to know plain from quoted, and '<<'."""

    # The composer calls these two for every node; they only serve path resolvers, which we do not use.
    # C builtins that take the same arguments and do nothing cost less than a Python method call.
    descend_resolver = operator.is_  # (parent, index) → ignored bool
    ascend_resolver = tuple  # () → ignored ()

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            if implicit[0]:
                return _MERGE if value == "<<" else _PLAIN
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


class Document:
    """One YAML file as plain data plus where every value stood.

    The loader does not build the path → position dict (a tuple and a dict entry per value, used only by the few
    files that get a message). It keeps the 0-based line and column of every value in the order it converted
    them — depth first, in file order, which is the order of iterating over `data`. `pos()` counts its way to
    one value; `positions` builds the whole map on first use. A file read by the fast parser has no marks yet:
    `source` (its bytes, or the path to read them from again) is parsed once more with libyaml the first time a
    position is asked for. So `data` must not be changed in place (the model and the renderers copy before they
    change)."""

    __slots__ = ("path", "data", "_positions", "_marks", "_source", "truthy")

    def __init__(self, path: str, data: Any, positions: dict[Path_, tuple[int, int]] | None = None,
                 marks: array | None = None, source: bytes | Path | str | None = None, truthy: tuple = ()):
        self.path = path  # as shown to the editor
        self.data = data
        #: Where plain yes/no/on/off/y/n values stand: their numbers in the depth-first order of the values (as
        #: the marks), for kaart.truthy. The fast parser leaves every file with such a text to libyaml.
        self.truthy = truthy
        self._positions = positions
        self._marks = marks
        self._source = source

    @property
    def marks(self) -> array | None:
        """The (line, column) pairs of every value, taken from libyaml now if the fast parser read the file.
        None when they cannot be had (the file changed or disappeared since): messages then point at 1:1."""
        if self._marks is None and self._source is not None:
            self._marks = _marks_from_source(self._source, self.data)
            self._source = None
        return self._marks

    @property
    def positions(self) -> dict[Path_, tuple[int, int]]:
        if self._positions is None:
            self._positions = _positions_from_marks(self.data, self.marks)
        return self._positions

    def pos(self, where: Path_ = ()) -> tuple[int, int]:
        """Line and column of `where`, or of its nearest parent that has a position."""
        if self._positions is None:  # most files get one message at most: find it without the whole map
            marks = self.marks
            if marks is None:
                return 1, 1
            i = 2 * _mark_index(self.data, where)
            return (marks[i] + 1, marks[i + 1] + 1) if i + 1 < len(marks) else (1, 1)
        positions = self._positions
        where = tuple(where)
        while where:
            if where in positions:
                return positions[where]
            where = where[:-1]
        return positions.get((), (1, 1))

    def __eq__(self, other):
        if not isinstance(other, Document):
            return NotImplemented
        return (self.path, self.data, self.positions) == (other.path, other.data, other.positions)

    __hash__ = None  # type: ignore[assignment]  # as the dataclass it replaces: equal by value, so unhashable

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, data={self.data!r})"


def _mark_index(data: Any, where: Path_) -> int:
    """Which value, in the loader's depth-first order, `where` is (or its nearest existing parent): the values
    before it are counted, not listed — a stale-date warning on each of 10 000 files must not build 10 000 maps."""
    index = 0
    node = data
    for step in where:
        if type(node) is dict:
            if type(step) is not str or step not in node:
                break
            for key, item in node.items():
                if key == step:
                    break
                index += _count_values(item)
        elif type(node) is list:
            if type(step) is not int or not 0 <= step < len(node):
                break
            for item in node[:step]:
                index += _count_values(item)
        else:
            break
        index += 1
        node = node[step]
    return index


def _count_values(value: Any) -> int:
    """`value` and everything below it."""
    if type(value) is dict:
        value = value.values()
    elif type(value) is not list:
        return 1
    n = 1
    for item in value:
        n += _count_values(item) if type(item) is dict or type(item) is list else 1
    return n


def _positions_from_marks(data: Any, marks) -> dict[Path_, tuple[int, int]]:
    positions: dict[Path_, tuple[int, int]] = {}
    if marks is None:
        return positions
    it = iter(marks)

    def walk(value, where):
        positions[where] = (next(it) + 1, next(it) + 1)
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, where + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, where + (i,))

    try:
        walk(data, ())
        extra = next(it, None) is not None
    except StopIteration:
        extra = True
    if extra:
        raise RuntimeError("Document.data was changed after loading: the positions no longer fit")
    return positions


class _Reject(Exception):
    def __init__(self, line: int, col: int, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.problem = (line, col, code, message, hint)


def display_path(path: Path) -> str:
    """Path relative to the working directory when it is below it (what editors and GitHub expect)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_file(path: Path | str, shown: str | None = None) -> tuple[Document | None, list[Problem]]:
    shown = shown or display_path(Path(path))
    raw, problems = read_source(path, shown)
    if raw is None:
        return None, problems
    return parse_bytes(raw, shown)


def read_source(path: Path | str, shown: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a data file, or None and the problem (too large, unreadable)."""

    def fail(line, col, code, message, hint=""):
        return None, [Problem(shown, line, col, ERROR, code, message, hint)]

    try:
        size = os.stat(path).st_size  # os, not pathlib: this runs for every file
        if size > limits.MAX_FILE_BYTES:
            return fail(1, 1, "file-too-large",
                        f"het bestand is {size // 1024} KB; het maximum is {limits.MAX_FILE_BYTES // 1024} KB",
                        "Eén record hoort maar een paar KB te zijn. Splits het bestand of kort lange teksten in.")
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        return fail(1, 1, "file-unreadable", f"het bestand kan niet gelezen worden ({exc.strerror})",
                    "Controleer of het bestand bestaat en leesbaar is.")
    return raw, []


def parse_bytes(raw: bytes, shown: str, fast: bool = True) -> tuple[Document | None, list[Problem]]:
    """The document in `raw` and the problems found reading it. `fast=False`: always compose with libyaml."""
    problems: list[Problem] = []

    def fail(line, col, code, message, hint=""):
        problems.append(Problem(shown, line, col, ERROR, code, message, hint))
        return None, problems

    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return fail(1, 1, "encoding-not-utf8", "het bestand is opgeslagen als UTF-16, niet als UTF-8",
                    "Sla het bestand op als 'UTF-8' (in de meeste editors: Opslaan als → Codering).")
    if b"\x00" in raw[:1024]:  # UTF-16 without a BOM (or a binary file): NUL bytes never occur in UTF-8 text
        return fail(1, 1, "encoding-not-utf8", "het bestand is geen UTF-8-tekst (het lijkt UTF-16 of een binair bestand)",
                    "Sla het bestand op als 'UTF-8' (in de meeste editors: Opslaan als → Codering).")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        problems.append(Problem(shown, 1, 1, WARNING, "encoding-bom",
                                "het bestand begint met een onzichtbaar BOM-teken",
                                "Sla het bestand op als 'UTF-8 zonder BOM'."))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return fail(line, col, "encoding-not-utf8",
                    f"ongeldig teken (byte 0x{raw[exc.start]:02x}): het bestand is geen UTF-8",
                    "Sla het bestand op als 'UTF-8'. Let op letters als ë en é die uit Word zijn geplakt.")
    if _only_comments(text):
        return fail(1, 1, "file-empty", "het bestand is leeg",
                    "Vul het bestand in (kopieer een voorbeeld of gebruik 'kaart new') of verwijder het.")
    if "%YAML" in text:
        found = _find_version(text)
        if found:
            return fail(*found)
    # Nesting needs an opener ("- ", "? ", "[", "{") or a deeper indent (at most ~720 levels in 256 KB). PyYAML's
    # composer recurses in C per level and crashes the process at ~25 000 levels (a 50 KB file of "- - - …"),
    # so files with many openers have their depth measured on the event stream first, which does not recurse.
    openers = text.count("- ") + text.count("? ") + text.count("[") + text.count("{")
    if openers > _MANY_OPENERS:
        found = _find_too_deep(text)
        if found:
            return fail(*found)
    if ("&" in text or "*" in text) and _MAYBE_ANCHOR.search(text):  # the regex alone costs ~75 µs per file
        found = _find_anchor(text)
        if found:
            return fail(*found)
    elif fast and FAST_PARSER and openers <= _MANY_OPENERS:
        data = _fast_load(text, raw)
        if data is not None:
            return Document(shown, data, source=raw), problems

    loader = _Composer(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "expected a single document" in str(exc):
            return fail(line, col, "yaml-multiple-documents", "het bestand bevat meer dan één document ('---')",
                        "Zet één record per bestand en haal de tweede '---' weg.")
        context = exc.context_mark.line + 1 if exc.context_mark else None
        reason = yaml_messages.dutch(exc.problem, exc.context, context, line)
        return fail(line, col, "yaml-syntax", f"YAML-fout: {reason}",
                    "Controleer inspringing (spaties, geen tabs), dubbele punten en aanhalingstekens rond tekst met ':' of '#'.")
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no problem_mark
        mark = getattr(exc, "position", None)
        before = text[:mark] if isinstance(mark, int) else ""
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        char = getattr(exc, "character", None)
        what = f" (U+{ord(char):04X})" if isinstance(char, str) and len(char) == 1 else ""
        return fail(line, col, "yaml-syntax", f"YAML-fout: het bestand bevat een onzichtbaar stuurteken{what}",
                    "Verwijder onzichtbare stuurtekens uit het bestand.")
    finally:
        loader.dispose()
    if node is None:
        return fail(1, 1, "file-empty", "het bestand is leeg",
                    "Vul het bestand in (kopieer een voorbeeld of gebruik 'kaart new') of verwijder het.")

    marks = [node.start_mark.line, node.start_mark.column]
    truthy: list[int] = []
    try:
        data = _convert(node, 0, marks, truthy)
    except _Reject as rej:
        return fail(*rej.problem)
    except RecursionError:
        return fail(1, 1, "yaml-too-deep", "het bestand is te diep genest", "Maak de structuur platter.")
    if data is None:  # only '---', '~' or 'null': nothing to check
        return fail(1, 1, "file-empty", "het bestand is leeg",
                    "Vul het bestand in (kopieer een voorbeeld of gebruik 'kaart new') of verwijder het.")
    return Document(shown, data, marks=array("I", marks), truthy=tuple(truthy)), problems


# --- the fast path ---------------------------------------------------------------------------------
#
# Most record files are plain mappings of text, lists and a few numbers. For those, yaml_rs (YAML 1.2, in Rust)
# gives the same values as libyaml + _convert in about a third of the time. It is used only where its answer cannot
# differ from ours; anything else goes the libyaml way, which also words the messages. A file read this way gets
# its positions from libyaml when a message needs one (Document.marks). tests/test_fast_parser.py holds both paths to
# the same answers (type for type) on generated YAML and on every file in data/ and tests/fixtures/.

#: False turns the fast path off (also when yaml_rs is not installed, or KAART_FAST_PARSER=0 is set: to rule it
#: out when a file seems to be read wrongly, or to measure it).
FAST_PARSER = _rs_loads is not None and os.environ.get("KAART_FAST_PARSER", "1").strip().lower() not in (
    "0", "off", "no", "false")
#: yaml_rs recurses once per nesting level and overflows the C stack at ~11 000 levels (8 MB): parse_bytes gives
#: it only files with few openers, and short ones (so few indent levels), far below that.
_FAST_MAX_CHARS = 64 * 1024
#: Numbers yaml_rs reads and YAML 1.2 core (our rules) keeps as text: 0x1F, 0o17, 0b101, 1_000, _1, 1.5_.
#: (Two patterns: each alone starts with a literal, which the regex engine finds ~10x quicker than an alternation.)
_ODD_BASE = re.compile(r"0[xXoObB]")
_ODD_UNDERSCORE = re.compile(r"_(?:(?<=[0-9.]_)|(?=[0-9._]))")
#: Tab, line feed, carriage return, printable ASCII, and the bytes of non-ASCII characters (checked next).
_ALLOWED_BYTES = b"\t\n\r" + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))
_ODD_NON_ASCII = re.compile("[\x80-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
#: `?` where it can be an indicator (a complex key; libyaml also reads `[?a]` as one, YAML 1.2 as the text '?a').
_MAYBE_QUESTION = re.compile(r"(?:^|[\s\[{,])\?")
#: A line whose node starts with ':' — the value of a key on an earlier line (`"key"\n: value`), which libyaml
#: refuses where yaml_rs takes it.
#: (Also '--:' and the like, which go the libyaml way too. A literal first is ~3x quicker than a class: a lone '\r'
#: line break has a pattern of its own.)
_COLON_FIRST = re.compile(r"\n[ -]*+:")
_COLON_FIRST_CR = re.compile(r"\r[ -]*+:")
#: Lines with a flow indicator. Each must be one of the shapes records use: a flow collection wholly on that line
#: (nested at most twice; entries are plain text or quoted text without escapes, keys plain words, `key: value`
#: with a space after the colon, no empty entries or trailing commas). Anything else — a collection over several
#: lines, `{a:,}`, `[a: b]`, brackets in text — is read by libyaml, whose rules for those differ from YAML 1.2 in
#: small ways. (Patterns kept small: compiling them is paid by every process; possessive, so no backtracking.
#: A plain scalar ending in a space does not match.)
_F_PLAIN = r"[A-Za-z0-9_.+()/~\u00a0-\uffff][^\[\]{},:#'\"\n]*+(?<! )"
_F_SCALAR = rf"(?:{_F_PLAIN}|\"[^\"\\\n]*+\"|'[^'\n]*+')"
_F_KEY = r"[A-Za-z_][A-Za-z0-9_-]*+"


def _flow(item: str) -> str:
    """A flow sequence or mapping (on one line) whose entries match `item`: each entry once in the pattern (a comma
    only where another entry follows), so that nesting does not multiply the pattern's size."""
    seq = rf"\[(?:[ ]*{item}[ ]*(?:,(?![ ]*\])|(?=\])))*+\]"
    mapping = rf"\{{(?:[ ]*{_F_KEY}:[ ]+{item}[ ]*(?:,(?![ ]*\}})|(?=\}})))*+\}}"
    return f"(?:{seq}|{mapping})"


_F_TWO = _flow(f"(?:{_F_SCALAR}|{_flow(_F_SCALAR)})")
#: The whole text: lines without a flow indicator, and lines holding one such collection (after `- ` and a key).
#: One pass of the regex engine over the text costs about half of finding those lines with str.find and matching
#: each.
_FLOW_LINES_OK = re.compile(
    rf"(?:(?:[^\n\[\]{{}}]*+|[ ]*(?:-[ ]+)*(?:{_F_KEY}:[ ]+)?{_F_TWO}[ ]*(?:[ ]#.*)?\r?)(?:\n|\Z))*+")
#: The greatest nesting the fast path takes; deeper files go the libyaml way, which names the limit.
_FAST_MAX_DEPTH = limits.MAX_DEPTH - 1
_FAST_MAX_VALUES = limits.MAX_NODES // 2


def _big_stack() -> bool:
    import resource

    soft = resource.getrlimit(resource.RLIMIT_STACK)[0]
    return soft == resource.RLIM_INFINITY or soft >= 4 * 1024 * 1024


#: The main thread's stack is large enough (other threads may have far smaller stacks: never used there).
_BIG_STACK = _big_stack()


def _fast_load(text: str, raw: bytes):
    """The data of `text` (decoded from `raw`) from yaml_rs, or None when libyaml must read it."""
    if len(text) > _FAST_MAX_CHARS or not _BIG_STACK or threading.current_thread() is not threading.main_thread():
        return None
    # tags and merge keys (yaml_rs ignores them), directives, document end markers (libyaml wants a '---' after
    # one), tabs (libyaml refuses them in more places)
    if "!" in text or "<<" in text or text[0] == "%" or "\n%" in text or text.startswith("...") \
            or "\n..." in text or "\t" in text or "\r" in text and ("\r%" in text or "\r..." in text):
        return None
    # control characters (libyaml refuses them, yaml_rs not always); line breaks in YAML 1.1 but not in 1.2
    if raw.translate(None, _ALLOWED_BYTES) or not text.isascii() and _ODD_NON_ASCII.search(text):
        return None
    # complex keys, keys whose ':' is on the next line, flow collections of any but the simplest one-line shapes
    if "?" in text and _MAYBE_QUESTION.search(text) or _COLON_FIRST.search(text) or text.lstrip(" -")[:1] == ":" \
            or "\r" in text and _COLON_FIRST_CR.search(text):
        return None
    if ("[" in text or "{" in text or "]" in text or "}" in text) and _FLOW_LINES_OK.fullmatch(text) is None:
        return None
    try:
        data = _rs_loads(text, parse_datetime=False)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # any complaint (a Rust panic arrives as a BaseException): libyaml says what and where
        return None
    if type(data) is not dict:  # a list, a bare value or several documents: libyaml words what is wrong
        return None
    # values seen, numbers seen, whether a block scalar ('|' or '>') may be there: yaml_rs reads one without any
    # content as "\n" where libyaml gives "", so whitespace-only text then goes the slow way
    counts = [0, False, "|" in text or ">" in text]
    data = _fast_copy(data, 0, counts)
    if data is None or counts[0] > _FAST_MAX_VALUES:
        return None
    if counts[1] and (_ODD_BASE.search(text) or _ODD_UNDERSCORE.search(text)):
        return None
    return data


def _fast_copy(value, depth: int, counts: list):
    """`value` with every key interned (as _convert does: one str per field name in memory and in what the workers
    send), or None when some key is not text or some value is one our YAML 1.2 rules would not give."""
    if depth > _FAST_MAX_DEPTH:
        return None
    block = counts[2]
    is_dict = type(value) is dict
    if is_dict:
        for key in value:
            if type(key) is not str or (block and key.isspace()):  # 1: x, true: x, null: x are text for us
                return None
        out: Any = {}
        pairs: Any = value.items()
    else:
        out = [None] * len(value)
        pairs = enumerate(value)
    for key, item in pairs:
        kind = type(item)
        if kind is str:
            if block and item.isspace() or len(item) <= 3 and item in TRUTHY:
                return None
        elif kind is dict or kind is list:
            item = _fast_copy(item, depth + 1, counts)
            if item is None:
                return None
        elif not _fast_scalar_ok(item, counts):
            return None
        out[_intern(key) if is_dict else key] = item
    counts[0] += len(out)
    return out


def _fast_scalar_ok(item, counts: list) -> bool:
    kind = type(item)
    if kind is float:
        if item != item or item in (_INF, -_INF):  # .inf / .nan: text under our rules
            return False
        counts[1] = True
    elif kind is int:
        counts[1] = True
    elif item is not None and kind is not bool:
        return False  # a type our loader never makes (dates are off; anything new goes the slow way)
    return True


_INF = float("inf")


def _marks_from_source(source: bytes | Path | str, data) -> array | None:
    """The marks libyaml gives the file `source` (bytes or a path), if it still holds `data`."""
    if not isinstance(source, bytes):
        try:
            with open(source, "rb") as fh:
                source = fh.read()
        except OSError:
            return None
    doc, _ = parse_bytes(source, "", fast=False)
    if doc is None or doc.data != data:
        return None
    return doc._marks


_BLANK = re.compile(r"\s*")  # the whitespace of str.strip()
_LINE_END = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")  # the line ends of str.splitlines()


def _only_comments(text: str) -> bool:
    """True when every line is blank or a comment. Jumps from one non-blank line to the next instead of
    splitting the whole file into lines: a record's first real line comes after a comment or two."""
    pos = _BLANK.match(text).end()
    while pos < len(text):
        if text[pos] != "#":
            return False
        end = _LINE_END.search(text, pos)
        if end is None:
            return True
        pos = _BLANK.match(text, end.end()).end()
    return True


#: More openers than this and a file's depth is measured before it is composed (see parse_bytes).
_MANY_OPENERS = 1_000


def _find_too_deep(text: str):
    """(line, col, code, message, hint) at the first value nested deeper than the limit, or None."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > limits.MAX_DEPTH + 1:  # the top-level mapping is depth 0 in _convert
                    mark = event.start_mark
                    return (mark.line + 1, mark.column + 1, "yaml-too-deep",
                            f"de gegevens zijn dieper genest dan {limits.MAX_DEPTH} niveaus",
                            "Controleer de inspringing: geen enkel schema gaat zo diep.")
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
    except yaml.YAMLError:
        return None  # the composer reports the syntax error, which comes before any deep nesting
    return None


_YAML_DIRECTIVE = re.compile(r"(?:^|(?<=[\r\n]))%YAML[ \t]+([^\s#]*)")  # (also after a lone CR line break)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _find_version(text: str):
    """(line, col, code, message, hint) when a '%YAML' directive asks for another YAML than 1.2, or None."""
    directive = _YAML_DIRECTIVE.search(text)
    if directive is None:
        return None
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if type(event) is yaml.DocumentStartEvent:
                if event.version is None or tuple(event.version) == (1, 2):
                    return None
                break
            if type(event) is not yaml.StreamStartEvent:
                return None
    except yaml.MarkedYAMLError as exc:
        # a version libyaml refuses, or one it took but without the '---' that must follow the directives
        if not (exc.problem or "").startswith(("found incompatible YAML document",
                                               "did not find expected <document start>")):
            return None  # the composer reports the syntax error
    except yaml.YAMLError:
        return None
    version = directive.group(1)
    if version == "1.2":
        return None
    return (len(_LINE_BREAK.findall(text, 0, directive.start())) + 1, 1, "yaml-version",
            f"het bestand vraagt om YAML {version} ('%YAML {version}'); de kaart leest alleen YAML 1.2",
            f"Haal de regel '%YAML {version}' weg. Records zijn YAML 1.2: daarin blijven no, yes, on en off gewone "
            "tekst en zijn alleen true en false ja of nee.")


def _find_anchor(text: str):
    """Return (line, col, code, message, hint) for the first anchor or alias, or None."""
    try:
        for event in yaml.parse(text, Loader=_Loader):
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent):
                return (mark.line + 1, mark.column + 1, "yaml-alias",
                        f"verwijzing '*{event.anchor}' is niet toegestaan",
                        "Schrijf de waarde voluit. Verwijzingen (&anker en *alias) maken records onleesbaar en kunnen misbruikt worden.")
            anchor = getattr(event, "anchor", None)
            if anchor:
                return (mark.line + 1, mark.column + 1, "yaml-anchor",
                        f"anker '&{anchor}' is niet toegestaan",
                        "Haal '&" + anchor + "' weg en schrijf waarden voluit.")
    except yaml.YAMLError:
        return None  # the composer will report the syntax error with its position
    return None


def _scalar(node: ScalarNode):
    value = node.value
    tag = node.tag
    if tag is _PLAIN or tag == _PLAIN:
        if value and value[0] not in _MAYBE_NOT_TEXT:
            return value
    else:
        if not tag.startswith(_STD) or tag[len(_STD):] not in {"str", "int", "float", "bool", "null", "timestamp"}:
            raise _Reject(node.start_mark.line + 1, node.start_mark.column + 1, "yaml-tag",
                          f"de YAML-tag '{tag}' is niet toegestaan",
                          "Haal de tag (het woord met ! ervoor) weg en schrijf gewone tekst.")
        if node.style or tag == _STR:  # quoted or block text, or explicitly tagged !!str
            return value
    # Plain scalar that YAML 1.1 would turn into something else: apply YAML 1.2 core rules instead.
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value  # yes/no/on/off, dates, 9:00 … stay text


#: `marks` holds two numbers (line, column) per value.
_MAX_MARKS = 2 * limits.MAX_NODES


def _convert(node, depth: int, marks: list[int], truthy: list[int]):
    """Plain data of `node`, whose own (line, column) are the last two entries of `marks`; the marks of every
    value below it are appended depth first, and the numbers of plain yes/no/on/off values to `truthy`. Runs for
    every container, so the common case — a text value that needs no rule — is handled inline in the loops
    instead of by a call per value."""
    if len(marks) > _MAX_MARKS:
        raise _Reject(marks[-2] + 1, marks[-1] + 1, "file-too-many-values",
                      f"het bestand bevat meer dan {limits.MAX_NODES} waarden",
                      "Eén bestand is één record; splits lange lijsten op.")
    if depth > limits.MAX_DEPTH:
        raise _Reject(marks[-2] + 1, marks[-1] + 1, "yaml-too-deep",
                      f"de gegevens zijn dieper genest dan {limits.MAX_DEPTH} niveaus",
                      "Controleer de inspringing: geen enkel schema gaat zo diep.")
    if type(node) is ScalarNode:
        value = _scalar(node)
        if type(value) is str and len(value) <= 3 and value in TRUTHY and (node.tag is _PLAIN or node.tag == _PLAIN):
            truthy.append(len(marks) // 2 - 1)
        return value
    tag = node.tag
    if tag is not _MAP and tag is not _SEQ and tag != _MAP and tag != _SEQ:
        raise _Reject(marks[-2] + 1, marks[-1] + 1, "yaml-tag", f"de YAML-tag '{tag}' is niet toegestaan",
                      "Haal de tag (het woord met ! ervoor) weg.")
    # a child may take the inline path only when it would pass the two checks above
    inline_ok = depth < limits.MAX_DEPTH
    append = marks.append
    if type(node) is SequenceNode:
        out: list[Any] = []
        for item in node.value:
            m = item.start_mark
            append(m.line)
            append(m.column)
            if inline_ok and type(item) is ScalarNode and len(marks) <= _MAX_MARKS:
                tag, value = item.tag, item.value
                if tag is _STR or (tag is _PLAIN and value and value[0] not in _MAYBE_NOT_TEXT
                                   and (len(value) > 3 or value not in TRUTHY)):
                    out.append(value)
                    continue
            out.append(_convert(item, depth + 1, marks, truthy))
        return out
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        km = key_node.start_mark
        if type(key_node) is not ScalarNode:
            raise _Reject(km.line + 1, km.column + 1, "yaml-complex-key", "een veldnaam moet gewone tekst zijn",
                          "Schrijf de veldnaam als één woord gevolgd door een dubbele punt.")
        if key_node.tag is _MERGE or key_node.tag == _MERGE:
            raise _Reject(km.line + 1, km.column + 1, "yaml-merge-key", "'<<' (samenvoegen) is niet toegestaan",
                          "Schrijf alle velden voluit.")
        key = _intern(key_node.value)  # one shared str per field name: smaller pickles from the workers, less memory
        if key in result:
            first = next(k.start_mark.line + 1 for k, _ in node.value if k.value == key)
            raise _Reject(km.line + 1, km.column + 1, "yaml-duplicate-key",
                          f"het veld '{key}' staat twee keer in dezelfde lijst (eerst op regel {first})",
                          "Haal één van de twee weg: YAML zou stilletjes alleen de laatste bewaren.")
        append(km.line)
        append(km.column)
        if inline_ok and type(value_node) is ScalarNode and len(marks) <= _MAX_MARKS:
            tag, value = value_node.tag, value_node.value
            if tag is _STR or (tag is _PLAIN and value and value[0] not in _MAYBE_NOT_TEXT
                               and (len(value) > 3 or value not in TRUTHY)):
                result[key] = value
                continue
        result[key] = _convert(value_node, depth + 1, marks, truthy)
    return result


# --- finding the files -------------------------------------------------------------------------------

KINDS = ("municipalities", "taxonomy", "payment-guide", "routewijzer", "role", "need", "signal", "provider")
NATIONAL = "landelijk"


@dataclass(frozen=True)
class SourceFile:
    kind: str
    path: str  # where to read it (a string: discover makes 10 000 of these, pathlib objects cost 10x more)
    shown: str
    gemeente: str | None = None  # providers: the folder name


_SINGLES = {"municipalities.yaml": "municipalities", "taxonomy.yaml": "taxonomy",
            "wie-betaalt-wat.yaml": "payment-guide", "redirects.yaml": "redirects",
            "routewijzer.yaml": "routewijzer", "synoniemen.yaml": "synoniemen"}


def discover(data_dir: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every YAML file under data_dir with its record kind, in a stable order (a folder's files by name, then its
    subfolders by name); misplaced files are problems. Symbolic links are not followed."""
    files: list[SourceFile] = []
    problems: list[Problem] = []
    data_dir = Path(data_dir)
    # display_path() per file resolves every path component (a dozen system calls); at 10 000 files that shows.
    # Links are not followed, so resolving the data dir once gives the same answer.
    try:
        shown_root = str(data_dir.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown_root = str(data_dir)
    if shown_root == ".":
        shown_root = ""  # data/…, not ./data/…
    join = os.path.join

    def visit(folder: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError:
            return  # an unreadable folder holds nothing we can check (as os.walk)
        folders = []
        for entry in entries:
            name = entry.name
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry)
                continue
            if not name.endswith((".yaml", ".yml")):
                continue
            shown = join(shown_root, *parts, name)
            if entry.is_symlink():
                problems.append(Problem(shown, 1, 1, ERROR, "file-symlink", "symbolische links worden niet gelezen",
                                        "Zet het echte bestand op deze plek."))
                continue
            if name.endswith(".yml"):
                problems.append(Problem(shown, 1, 1, ERROR, "file-extension",
                                        "de bestandsnaam eindigt op .yml",
                                        f"Hernoem het bestand naar {name[:-4]}.yaml."))
                continue
            if not parts and name in _SINGLES:
                files.append(SourceFile(_SINGLES[name], entry.path, shown))
            elif parts == ("roles",):
                files.append(SourceFile("role", entry.path, shown))
            elif parts == ("needs",):
                files.append(SourceFile("need", entry.path, shown))
            elif parts == ("signals",):
                files.append(SourceFile("signal", entry.path, shown))
            elif len(parts) == 2 and parts[0] == "providers":
                files.append(SourceFile("provider", entry.path, shown, gemeente=parts[1]))
            else:
                problems.append(Problem(shown, 1, 1, ERROR, "file-location",
                                        "dit bestand staat op een plek waar de kaart geen records verwacht",
                                        "Zet rollen in data/roles/, hulpvragen in data/needs/ en aanbieders in "
                                        "data/providers/<gemeente>/."))
        for entry in folders:
            visit(entry.path, parts + (entry.name,))

    visit(str(data_dir), ())
    return files, problems
