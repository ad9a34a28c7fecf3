"""The field guide for editors, generated from the JSON Schemas (the schema is the single source of truth).

`render_field_guide()` returns Markdown: per record type every field path (`services[].name`) with its Dutch title,
description, type, whether it is required, allowed values, an example value and the hint the validator also gives.
The site publishes it at /bijdragen/velden/.

Every field shows an example: the schema's own `examples` first; otherwise the first value found at that path in
the complete example record (docs/bijdragen/voorbeeld-aanbieder.yaml, fictional) or in the repository's own
records (EXAMPLE_SOURCES, files in sorted order). A group of fields points to its fields below.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .paths import REPO
from .schemas import SCHEMA_DIR, SCHEMA_FILES, registry, schema

#: The complete example record shown on /bijdragen/ (every provider field filled in; Voorbeeldstad is fictional).
EXAMPLE_RECORD = REPO / "docs" / "bijdragen" / "voorbeeld-aanbieder.yaml"
#: Where example values come from for fields whose schema has no `examples` (globs under the repository, in order).
EXAMPLE_SOURCES = {
    "provider": ["docs/bijdragen/voorbeeld-aanbieder.yaml", "data/providers/*/*.yaml"],
    "role": ["data/roles/*.yaml"],
    "need": ["data/needs/*.yaml"],
    "signal": ["data/signals/*.yaml"],
    "municipalities": ["data/municipalities.yaml"],
    "taxonomy": ["data/taxonomy.yaml"],
    "payment-guide": ["data/wie-betaalt-wat.yaml"],
    "redirects": ["data/redirects.yaml"],
    "routewijzer": ["data/routewijzer.yaml"],
    "synoniemen": ["data/synoniemen.yaml"],
    "import-mapping": ["docs/voorbeelden/import-mapping.yaml"],
}
#: Longer example texts are cut off here (the whole text is in the record itself).
EXAMPLE_CHARS = 160

#: Order and Dutch intro of the record types in the guide (every key of SCHEMA_FILES appears).
SECTIONS = {
    "provider": "Een aanbieder: één organisatie per bestand in `data/providers/<gemeente>/<id>.yaml`.",
    "role": "Een rol: een landelijke functie, één per bestand in `data/roles/<id>.yaml`.",
    "need": "Een hulpvraag met de trap, één per bestand in `data/needs/<id>.yaml`.",
    "signal": "Een signaal voor professionals op zorgvindplaatsen (vroegsignalering), één per bestand in "
              "`data/signals/<id>.yaml`.",
    "municipalities": "Alle gemeenten samen in één bestand: `data/municipalities.yaml`.",
    "taxonomy": "De vaste begrippen in `data/taxonomy.yaml`.",
    "payment-guide": "De uitleg 'wie betaalt wat' in `data/wie-betaalt-wat.yaml`.",
    "routewijzer": "De vragenroute 'Waar kan ik terecht?' in `data/routewijzer.yaml`. Eenvoudige taal (B1) is hier een "
                   "regel die `kaart check` meet: hoogstens 12 woorden per zin in een vraag, uitleg of antwoord, en "
                   "geen woord uit de lijst `jargon` (de melding zegt welk gewoon woord u kunt gebruiken). Hoogstens "
                   "4 vragen tot het eind, de vraag naar de gemeente meegeteld; elk antwoord leidt ergens heen, "
                   "zonder rondjes; elke hulpvraag is met de route te bereiken (anders een waarschuwing).",
    "synoniemen": "Woorden die bezoekers in het zoekvak typen, met de pagina die ze bedoelen: `data/synoniemen.yaml`. "
                "Alleen de zoekfunctie gebruikt ze.",
    "import-mapping": "Geen record maar een hulpbestand: bij `kaart import --from csv` of `--from xlsx` zegt het "
                      "welke kolom welk veld is. Voorbeeld: `docs/voorbeelden/import-mapping.yaml`.",
    "warm-contact": "Warme contacten staan alleen in de besloten laag voor professionals, nooit in de openbare "
                    "gegevens of in deze repository.",
}
#: Deepest nesting we follow; our schemas need 6. Guards against a schema that refers to itself.
MAX_DEPTH = 12

_TYPES = {"string": "tekst", "integer": "geheel getal", "number": "getal", "boolean": "true of false",
          "object": "groep velden", "array": "lijst", "null": "leeg"}


@dataclass
class Field:
    path: str  # e.g. services[].locations
    schema: dict  # with $ref resolved and merged
    required: bool
    item: dict | None  # resolved items schema for arrays


def _resolve(node: dict, resolver) -> tuple[dict, Any]:
    """Follow $ref, merging local keywords over the target's; returns the schema and the resolver for its base."""
    hops = 0
    while isinstance(node, dict) and "$ref" in node and hops < MAX_DEPTH:
        resolved = resolver.lookup(node["$ref"])
        local = {k: v for k, v in node.items() if k != "$ref"}
        node, resolver = {**resolved.contents, **local}, resolved.resolver
        hops += 1
    return node, resolver


def fields(kind: str) -> list[Field]:
    """Every property of a record type, depth first in schema order."""
    root = schema(kind)
    resolver = registry().resolver(base_uri=root["$id"])
    out: list[Field] = []

    def walk(node: dict, resolver, prefix: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        required = set(node.get("required", []))
        for key, raw in node.get("properties", {}).items():
            sub, sub_resolver = _resolve(raw, resolver)
            if "$ref" in raw and ({"title", "description"} & raw.keys()) and "examples" not in raw:
                # The field gives a shared definition its own meaning; the shared example would mislead.
                sub = {k: v for k, v in sub.items() if k != "examples"}
            path = f"{prefix}.{key}" if prefix else key
            item, item_resolver = (None, None)
            if "items" in sub:
                item, item_resolver = _resolve(sub["items"], sub_resolver)
            out.append(Field(path, sub, key in required, item))
            if "properties" in sub:
                walk(sub, sub_resolver, path, depth + 1)
            if item and "properties" in item:
                walk(item, item_resolver, path + "[]", depth + 1)

    walk(*_resolve(root, resolver), "", 0)
    return out


_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
#: Characters that would start Markdown inline markup (or an attr_list `{: …}`) anywhere in a line.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]{}])")
#: What would make a paragraph a heading, quote or list when it starts the text.
_MARKDOWN_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])")


def _text(value: str) -> str:
    """A schema text as Markdown that shows exactly that text: `code spans` stay code, everything else is escaped.

    Schema descriptions are plain text ("Bestand: data/providers/<gemeente>/<id>.yaml"); inserted as they are,
    Markdown would pass `<gemeente>` on as an HTML tag and the browser would drop it, and `*schuin*` would turn
    italic. So HTML's `<`, `>` and `&` become entities and Markdown's punctuation gets a backslash."""
    parts = _CODE_SPAN.split(" ".join(str(value).split()))  # one line: a newline could start a list or a heading
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(part)
            continue
        part = html.escape(_MARKDOWN_INLINE.sub(r"\\\1", part), quote=False)
        if i == 0:
            part = _MARKDOWN_START.sub(lambda m: m.group(1) + "".join("\\" + c if not c.isdigit() else c
                                                                      for c in m.group(2)), part)
        out.append(part)
    return "".join(out)


def _code(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "`" + text.replace("`", "'") + "`"


def _type(f: Field) -> str:
    kind = f.schema.get("type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    label = " of ".join(_TYPES.get(k, k) for k in kinds if k) or "waarde"
    if "array" in kinds and f.item:
        label = "lijst van " + ("groepen velden" if "properties" in f.item else
                                _TYPES.get(f.item.get("type", ""), "waarden"))
    return label


def _constraints(s: dict) -> list[str]:
    out = []
    if "minLength" in s and s["minLength"] > 1:
        out.append(f"minimaal {s['minLength']} tekens")
    if "maxLength" in s:
        out.append(f"maximaal {s['maxLength']} tekens")
    if "minimum" in s:
        out.append(f"minstens {s['minimum']}")
    if "maximum" in s:
        out.append(f"hoogstens {s['maximum']}")
    if s.get("minItems", 0) > 1:
        out.append(f"minstens {s['minItems']} regels")
    if "maxItems" in s:
        out.append(f"hoogstens {s['maxItems']} regels")
    if s.get("uniqueItems"):
        out.append("geen dubbele waarden")
    return out


def _field(kind: str, f: Field) -> list[str]:
    s = f.schema
    item = f.item or {}
    title = s.get("title") or item.get("title") or f.path
    lines = [f"### `{f.path}` — {_text(title)}", ""]
    meta = [_type(f), "**verplicht**" if f.required else "niet verplicht"] + _constraints(s)
    lines.append("Soort: " + " · ".join(meta))
    lines.append("")
    description = s.get("description") or item.get("description")
    if description:
        lines += [_text(description), ""]
    enum = s.get("enum") or item.get("enum")
    if enum:
        lines.append("- Toegestane waarden: " + ", ".join(_code(v) for v in enum))
    lines.append("- Voorbeeld: " + _example(kind, f))
    hint = s.get("x-hint") or item.get("x-hint")
    if hint:
        lines.append(f"- Tip: {_text(hint)}")
    lines.append("")
    return lines


def _example(kind: str, f: Field) -> str:
    examples = f.schema.get("examples")  # an item's example (often the generic id example) would mislead here
    if examples:
        return ", ".join(_code(v) for v in examples)
    if "properties" in f.schema or "properties" in (f.item or {}):
        return "zie de velden hieronder"
    for doc in _example_documents(kind):
        found = values_at(doc, f.path)
        if found:
            value = found[0]
            if isinstance(value, str) and len(value) > EXAMPLE_CHARS:
                value = value[:EXAMPLE_CHARS].rsplit(" ", 1)[0] + " …"
            return _code(value)
    enum = f.schema.get("enum") or (f.item or {}).get("enum")
    return _code(enum[0]) if enum else "(nog geen voorbeeld)"


def values_at(doc: Any, path: str) -> list:
    """Every value at a field-guide path (`services[].name`) in a parsed record."""
    current = [doc]
    for part in path.replace("[]", ".[]").split("."):
        step = []
        for value in current:
            if part == "[]" and isinstance(value, list):
                step += value
            elif isinstance(value, dict) and part in value:
                step.append(value[part])
        current = step
    return current


@cache
def _example_documents(kind: str) -> tuple:
    paths = [p for pattern in EXAMPLE_SOURCES.get(kind, []) for p in sorted(REPO.glob(pattern))]
    return tuple(_read(p) for p in paths)


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None  # `kaart check` reports a broken file; the guide then takes the next one


def render_field_guide() -> str:
    kinds = list(SECTIONS) + sorted(set(SCHEMA_FILES) - set(SECTIONS))
    out = ["# Veldenoverzicht", "",
           "Dit overzicht wordt gemaakt uit de schema's in `schemas/`. Het noemt elk veld dat u in een "
           "YAML-bestand kunt gebruiken. Een punt (`.`) betekent: een veld binnen een veld. "
           "`[]` betekent: elke regel van een lijst. Zo is `services[].name` de naam van elke dienst.",
           "", "Foutmeldingen van `kaart check` noemen dezelfde veldnamen.", ""]
    for kind in kinds:
        root = schema(kind)
        out += [f"## {_text(root.get('title', kind))}", ""]
        intro = SECTIONS.get(kind)
        if intro:
            out += [intro, ""]
        if root.get("description"):
            out += [_text(root["description"]), ""]
        for f in fields(kind):
            out += _field(kind, f)
    return "\n".join(out).rstrip("\n") + "\n"
