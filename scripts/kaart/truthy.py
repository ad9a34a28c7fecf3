"""Warn about a bare yes/no/on/off (and y/n) where a record expects text (like yamllint's `truthy` rule).

Our YAML 1.2 rules read `name: no` as the text 'no' — but YAML 1.1 tools (yamllint, PyYAML's own loader, many
editors' plugins and older scripts) read it as false. The loader notes where such plain values stand
(Document.truthy); here each one in a text field becomes a warning at its line and column. Quoted values get none,
and a boolean field is left to the schema (its type error says what to write).
"""

from __future__ import annotations

import re

from .load import Document, _count_values
from .problems import WARNING, Problem
from .schemas import resolve, schema


def truthy_warnings(kind: str, doc: Document) -> list[Problem]:
    if not doc.truthy:
        return []
    root = schema(kind)
    out = []
    for index in doc.truthy:
        where = _path_at(doc.data, index)
        if where is None or not _expects_text(root, where):
            continue
        value = _value_at(doc.data, where)
        line, col = doc.pos(where)
        out.append(Problem(doc.path, line, col, WARNING, "yaml-truthy",
                           f"lees als tekst '{value}'; zet het tussen aanhalingstekens",
                           f"Andere YAML-programma's lezen {value} zonder aanhalingstekens als true of false. "
                           f"Schrijf \"{value}\" als u de tekst bedoelt."))
    return out


def _path_at(data, index: int) -> tuple | None:
    """The path of the value with number `index` in the loader's depth-first order (0 is the document)."""
    where: list = []
    node, at = data, 0
    while at != index:
        if type(node) is dict:
            items = node.items()
        elif type(node) is list:
            items = enumerate(node)
        else:
            return None
        at += 1  # the first child
        for step, item in items:
            size = _count_values(item)
            if index < at + size:
                where.append(step)
                node = item
                break
            at += size
        else:
            return None
    return tuple(where)


def _value_at(data, where: tuple):
    for step in where:
        data = data[step]
    return data


def _expects_text(sub: dict, where: tuple) -> bool:
    """Whether the schema `sub` allows text (and nothing but text) at `where`."""
    options = [sub]
    for step in where:
        options = [child for option in options for child in _children(option, step)]
        if not options:
            return False
    return any(_is_text(option) for option in _flatten(options))


def _flatten(options: list) -> list[dict]:
    out = []
    for option in options:
        option = resolve(option) if isinstance(option, dict) else {}
        branches = [b for key in ("anyOf", "oneOf", "allOf") for b in option.get(key, ())]
        out.append(option)
        if branches:
            out.extend(_flatten(branches))
    return out


def _children(sub: dict, step) -> list[dict]:
    out = []
    for option in _flatten([sub]):
        if isinstance(step, str):
            if step in option.get("properties", {}):
                out.append(option["properties"][step])
                continue
            found = [s for pattern, s in option.get("patternProperties", {}).items() if re.search(pattern, step)]
            out.extend(found)
            if not found and isinstance(option.get("additionalProperties"), dict):
                out.append(option["additionalProperties"])
        elif isinstance(option.get("items"), dict):
            out.append(option["items"])
    return out


def _is_text(option: dict) -> bool:
    kind = option.get("type")
    if kind == "string":
        return True
    if isinstance(kind, list):
        return "string" in kind and "boolean" not in kind
    if kind is None and "enum" in option:
        return all(isinstance(v, str) for v in option["enum"])
    return False
