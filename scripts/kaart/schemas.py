"""The JSON Schemas in schemas/: loading them once, and turning schema errors into Dutch problems."""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path

from referencing import Registry, Resource

from .load import Document
from .paths import REPO
from .problems import ERROR, Problem

SCHEMA_DIR = REPO / "schemas"

#: record kind → schema file
SCHEMA_FILES = {
    "provider": "provider.schema.json",
    "role": "role.schema.json",
    "need": "need.schema.json",
    "signal": "signal.schema.json",
    "municipalities": "municipalities.schema.json",
    "taxonomy": "taxonomy.schema.json",
    "payment-guide": "payment-guide.schema.json",
    "redirects": "redirects.schema.json",
    "routewijzer": "routewijzer.schema.json",
    "synoniemen": "synoniemen.schema.json",  # words visitors type → the page they mean (search)
    "warm-contact": "warm-contact.schema.json",  # private overlay, see private.py
    "import-mapping": "import-mapping.schema.json",  # kaart import --from csv|xlsx, see importer.py
}

_TYPES_NL = {"string": "tekst", "integer": "een geheel getal", "number": "een getal", "boolean": "true of false",
             "array": "een lijst (regels die met '- ' beginnen)", "object": "velden (naam: waarde)",
             "null": "leeg"}


@lru_cache(maxsize=None)
def registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=None)
def schema(kind: str) -> dict:
    return json.loads((SCHEMA_DIR / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def validator(kind: str):
    """The full jsonschema validator; only needed for records the compiled check (fast_valid) does not pass, so
    jsonschema (~60 ms to import) is imported on first use."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(kind), registry=registry())


@lru_cache(maxsize=None)
def _common_id() -> str:
    return json.loads((SCHEMA_DIR / "common.schema.json").read_text(encoding="utf-8"))["$id"]


def resolve(subschema: dict) -> dict:
    """Follow $ref (to common.schema.json) so titles, enums and hints of the target are visible."""
    seen = 0
    # Only common.schema.json uses '#/$defs/…' refs; error.schema no longer knows which file it came from.
    resolver = registry().resolver(base_uri=_common_id())
    while "$ref" in subschema and seen < 10:
        ref = subschema["$ref"]
        resolved = resolver.lookup(ref)
        target, resolver = resolved.contents, resolved.resolver
        merged = {**target, **{k: v for k, v in subschema.items() if k != "$ref"}}
        subschema = merged
        seen += 1
    return subschema


def _label(path) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(het hele bestand)"


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "een getal"
    if isinstance(value, str):
        return "tekst"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "velden"
    return "niets (leeg)"


# --- fast path -----------------------------------------------------------------------------------------
# jsonschema costs ~3 ms for a full provider ($ref lookups, one validator object per keyword); at 10 000 records
# that is most of `kaart check`. Almost every record is valid, so we first run a compiled yes/no check. It is
# conservative: it answers True only when jsonschema would find no error (a keyword it does not know, or a case
# it does not model exactly, answers False), and then jsonschema produces the errors as before.

_ANNOTATIONS = frozenset({"title", "description", "examples", "x-hint", "$schema", "$id", "$defs", "$comment",
                          "default", "deprecated", "readOnly", "writeOnly", "format"})
_TYPE_CHECKS = {
    "string": lambda x: isinstance(x, str),
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "number": lambda x: isinstance(x, int | float) and not isinstance(x, bool),
    "integer": lambda x: (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer()),
}


def _never(_instance) -> bool:
    return False


def _always(_instance) -> bool:
    return True


def _compile(sub, resolver, depth: int = 0):
    """A function instance → bool that is True only if `sub` certainly accepts the instance."""
    if sub is True:
        return _always
    if sub is False or not isinstance(sub, dict) or depth > 40:
        return _never
    keys = {k for k in sub if k not in _ANNOTATIONS}
    ref = None
    if "$ref" in keys:
        resolved = resolver.lookup(sub["$ref"])
        ref = _compile(resolved.contents, resolved.resolver, depth + 1)
        if keys == {"$ref"}:  # a reference with its own title or description: no wrapper needed
            return ref
    # Most subschemas are a single 'string', 'object' or 'array' with a few constraints. One closure per
    # subschema instead of one per keyword halves the calls (this runs ~100 times per record).
    fused = _fused(sub, keys - {"$ref"}, resolver, depth)
    if fused is None:
        return _compile_each(sub, resolver, depth)
    return fused if ref is None else _all_of((ref, fused))


_STRING_KEYS = frozenset({"type", "minLength", "maxLength", "pattern", "enum"})
_OBJECT_KEYS = frozenset({"type", "properties", "additionalProperties", "required", "minProperties", "maxProperties"})
_ARRAY_KEYS = frozenset({"type", "items", "minItems", "maxItems", "uniqueItems"})
_NO_LIMIT = 1 << 62


def _fused(sub, keys, resolver, depth):
    """One closure for a single-type string/object/array subschema, or None when the shape is different."""
    kind = sub.get("type")
    if kind == "string" and keys <= _STRING_KEYS:
        if "enum" in keys and not all(isinstance(v, str) for v in sub["enum"]):
            return None
        return _string(sub.get("minLength", 0), sub.get("maxLength", _NO_LIMIT),
                       re.compile(sub["pattern"]).search if "pattern" in keys else None,
                       frozenset(sub["enum"]) if "enum" in keys else None)
    if kind == "object" and keys <= _OBJECT_KEYS:
        props = {k: _compile(v, resolver, depth + 1) for k, v in sub.get("properties", {}).items()}
        extra = sub.get("additionalProperties", True)
        closed = extra is False
        extra = None if extra is True or closed else _compile(extra, resolver, depth + 1)
        return _object(props, frozenset(sub.get("properties", {})), closed, extra, tuple(sub.get("required", ())),
                       sub.get("minProperties", 0), sub.get("maxProperties", _NO_LIMIT))
    if kind == "array" and keys <= _ARRAY_KEYS:
        item = sub.get("items", True)
        if not isinstance(item, dict | bool):
            return None
        return _array(None if item is True else _compile(item, resolver, depth + 1),
                      sub.get("minItems", 0), sub.get("maxItems", _NO_LIMIT), bool(sub.get("uniqueItems")))
    return None


def _string(lo, hi, search, options):
    def check(x):
        if not isinstance(x, str):
            return False
        if options is not None and x not in options:
            return False
        n = len(x)
        if n < lo or n > hi:
            return False
        return search is None or search(x) is not None
    return check


def _object(props, known, closed, extra, required, lo, hi):
    get = props.get

    def check(x):
        if not isinstance(x, dict):
            return False
        if closed and not known.issuperset(x):
            return False
        for name in required:
            if name not in x:
                return False
        if not lo <= len(x) <= hi:
            return False
        for k, v in x.items():
            p = get(k)
            if p is None:
                if extra is not None and not extra(v):
                    return False
            elif not p(v):
                return False
        return True
    return check


def _array(item, lo, hi, unique):
    def check(x):
        if not isinstance(x, list):
            return False
        n = len(x)
        if n < lo or n > hi:
            return False
        if unique:
            for v in x:
                if not isinstance(v, str):
                    return False
            if len(set(x)) != n:
                return False
        if item is not None:
            for v in x:
                if not item(v):
                    return False
        return True
    return check


def _compile_each(sub, resolver, depth: int = 0):
    """The general case: one check per keyword."""
    checks = []
    for key, value in sub.items():
        if key in _ANNOTATIONS:
            continue
        if key == "$ref":
            resolved = resolver.lookup(value)
            checks.append(_compile(resolved.contents, resolved.resolver, depth + 1))
        elif key == "type":
            names = value if isinstance(value, list) else [value]
            if not all(n in _TYPE_CHECKS for n in names):
                return _never
            tests = tuple(_TYPE_CHECKS[n] for n in names)
            checks.append(tests[0] if len(tests) == 1 else lambda x, tests=tests: any(t(x) for t in tests))
        elif key == "properties":
            checks.append(_properties({k: _compile(v, resolver, depth + 1) for k, v in value.items()}))
        elif key == "additionalProperties":
            known = frozenset(sub.get("properties", {}))
            if value is False:
                checks.append(lambda x, known=known: not isinstance(x, dict) or known.issuperset(x))
            else:
                extra = _compile(value, resolver, depth + 1)
                checks.append(lambda x, known=known, extra=extra: not isinstance(x, dict)
                              or all(extra(v) for k, v in x.items() if k not in known))
        elif key == "required":
            names = tuple(value)
            checks.append(lambda x, names=names: not isinstance(x, dict) or all(n in x for n in names))
        elif key == "items" and isinstance(value, dict | bool) and "prefixItems" not in sub:
            checks.append(_items(_compile(value, resolver, depth + 1)))
        elif key == "enum" and all(isinstance(v, str) for v in value):
            options = frozenset(value)
            checks.append(lambda x, options=options: isinstance(x, str) and x in options)
        elif key == "pattern":
            regex = re.compile(value)
            checks.append(lambda x, regex=regex: not isinstance(x, str) or regex.search(x) is not None)
        elif key in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"):
            kind = {"L": str, "I": list, "P": dict}[key[3]]
            if key.startswith("min"):
                checks.append(lambda x, kind=kind, n=value: not isinstance(x, kind) or len(x) >= n)
            else:
                checks.append(lambda x, kind=kind, n=value: not isinstance(x, kind) or len(x) <= n)
        elif key in ("minimum", "maximum"):
            number = _TYPE_CHECKS["number"]
            if key == "minimum":
                checks.append(lambda x, n=value: not number(x) or x >= n)
            else:
                checks.append(lambda x, n=value: not number(x) or x <= n)
        elif key == "uniqueItems":
            if value:  # only lists of text are decided here; anything else goes to jsonschema
                checks.append(lambda x: not isinstance(x, list) or (all(isinstance(v, str) for v in x)
                                                                    and len(set(x)) == len(x)))
        else:
            return _never  # a keyword the fast path does not model: jsonschema decides
    return _all_of(tuple(checks))


# Plain loops instead of all(<generator>): this runs ~100 times per record.
def _all_of(checks):
    def check(x):
        for c in checks:
            if not c(x):
                return False
        return True
    return check


def _properties(props):
    def check(x):
        if isinstance(x, dict):
            for k, v in x.items():
                p = props.get(k)
                if p is not None and not p(v):
                    return False
        return True
    return check


def _items(item):
    def check(x):
        if isinstance(x, list):
            for v in x:
                if not item(v):
                    return False
        return True
    return check


@lru_cache(maxsize=None)
def fast_valid(kind: str):
    """Compiled check for `kind`: True means jsonschema would report nothing."""
    root = schema(kind)
    return _compile(root, registry().resolver(base_uri=root.get("$id", "")))


def schema_problems(kind: str, doc: Document) -> list[Problem]:
    if fast_valid(kind)(doc.data):
        return []
    problems = []
    for error in validator(kind).iter_errors(doc.data):
        problems.extend(_explain(doc, error))
    return problems


def _explain(doc: Document, error) -> list[Problem]:
    where = tuple(error.absolute_path)
    field = _label(where)
    sub = resolve(error.schema) if isinstance(error.schema, dict) else {}
    kw = error.validator
    line, col = doc.pos(where)

    def problem(code, message, hint="", at=None):
        ln, cl = doc.pos(at) if at is not None else (line, col)
        return Problem(doc.path, ln, cl, ERROR, code, message, hint)

    if kw == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        out = []
        for key in sorted(set(error.instance) - set(allowed)):
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = (f"Bedoelde u '{close[0]}'?" if close else
                    "Toegestane velden hier: " + ", ".join(allowed) + ".")
            out.append(problem("unknown-key", f"onbekend veld '{key}' in {field}", hint, at=where + (key,)))
        return out
    if kw == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        prop = resolve(error.schema.get("properties", {}).get(missing, {}))
        title = prop.get("title")
        what = f"'{missing}'" + (f" ({title})" if title else "")
        return [problem("required", f"verplicht veld {what} ontbreekt in {field}",
                        f"Voeg '{missing}:' toe. Zie het veldenoverzicht op /bijdragen/.")]
    if kw == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        want = " of ".join(_TYPES_NL.get(t, t) for t in expected)
        hint = f"Verwacht {want}."
        if "string" in expected and not isinstance(error.instance, str):
            hint += " Zet de waarde tussen aanhalingstekens, bijvoorbeeld \"" + str(error.instance) + "\"."
        return [problem("type", f"{field}: verwacht {want}, maar vond {_type_name(error.instance)}", hint)]
    if kw == "enum":
        options = [str(o) for o in error.validator_value]
        close = difflib.get_close_matches(str(error.instance), options, n=1, cutoff=0.6)
        hint = (f"Bedoelde u '{close[0]}'? " if close else "") + "Kies uit: " + ", ".join(options) + "."
        return [problem("enum", f"{field}: '{error.instance}' is geen toegestane waarde", hint)]
    if kw == "pattern" and str(error.validator_value).startswith("^https://") and isinstance(error.instance, str) \
            and not error.instance.startswith("https://"):
        scheme = error.instance.split(":", 1)[0].lower() if ":" in error.instance else ""
        return [problem("url-not-https", f"{field}: alleen https://-adressen zijn toegestaan"
                        + (f", niet '{scheme}:'" if scheme else ""), sub.get("x-hint", ""))]
    if kw == "pattern":
        return [problem("pattern", f"{field}: '{_short(error.instance)}' heeft niet de juiste vorm",
                        sub.get("x-hint") or sub.get("description", ""))]
    if kw in ("minLength", "maxLength"):
        if kw == "minLength" and error.instance == "":
            return [problem("empty", f"{field} is leeg", "Vul een waarde in of haal het veld weg.")]
        limit = error.validator_value
        return [problem("too-long" if kw == "maxLength" else "too-short",
                        f"{field} is {len(error.instance)} tekens; {'maximaal' if kw == 'maxLength' else 'minimaal'} {limit}",
                        "Maak de tekst korter; lange uitleg hoort op de eigen website van de organisatie."
                        if kw == "maxLength" else "Schrijf iets meer.")]
    if kw in ("minItems", "maxItems"):
        return [problem("list-size", f"{field}: de lijst moet {'minstens' if kw == 'minItems' else 'hoogstens'} "
                        f"{error.validator_value} regel(s) hebben", "Vul de lijst aan of haal het veld weg.")]
    if kw == "uniqueItems":
        return [problem("duplicate-item", f"{field}: dezelfde waarde staat twee keer in de lijst",
                        "Haal de dubbele regel weg.")]
    if kw in ("minimum", "maximum"):
        return [problem("out-of-range", f"{field}: {error.instance} ligt buiten het toegestane bereik "
                        f"({'minstens' if kw == 'minimum' else 'hoogstens'} {error.validator_value})",
                        sub.get("description", ""))]
    return [problem("schema", f"{field}: {error.message}", "")]


def _short(value, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
