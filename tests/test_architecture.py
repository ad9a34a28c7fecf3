"""The module graph reads as the pipeline (ARCHITECTURE.md): data → load → validate → model → render → site /
search / export, the CLI on top. Imports go downwards only, so there are no cycles and nothing imports the CLI."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

PACKAGE = ROOT / "scripts" / "kaart"

#: Every module of the package in its layer, lowest first. A module may import modules of its own layer or below.
LAYERS = [
    ("base", {"problems", "limits", "errors", "progress", "paths", "labels", "markup", "csp", "pages", "material"}),
    ("read", {"load", "cache", "schemas", "yaml_messages", "truthy"}),
    ("check", {"model", "gemeenten", "redirects", "validate", "private", "editors", "routes"}),
    ("make", {"render", "overview", "search", "export", "feeds", "fieldguide", "beheer", "scaffold", "importer",
              "csstrim",
              "issue_form", "verify", "gemeente_update"}),
    ("build", {"site"}),
    ("run", {"serve", "cli"}),
]


def imports() -> dict[str, set[str]]:
    """module → the package modules it imports (anywhere in the file, also inside functions)."""
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    graph = {}
    for name in sorted(modules):
        deps = set()
        for node in ast.walk(ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                deps |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kaart."):
                deps.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                deps |= {a.name.split(".")[1] for a in node.names if a.name.startswith("kaart.")}
        graph[name] = (deps & modules) - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_module_has_a_layer():
    placed = [m for _, modules in LAYERS for m in modules]
    assert len(placed) == len(set(placed))
    assert set(imports()) <= set(placed), f"put new modules in a layer: {set(imports()) - set(placed)}"


def test_imports_go_downwards_only():
    layer = {m: i for i, (_, modules) in enumerate(LAYERS) for m in modules}
    upwards = [f"{m} ({LAYERS[layer[m]][0]}) imports {d} ({LAYERS[layer[d]][0]})"
               for m, deps in imports().items() for d in sorted(deps) if layer[d] > layer[m]]
    assert not upwards, "\n".join(upwards)


def test_no_import_cycles_and_nothing_imports_the_cli():
    graph = imports()
    assert cycles(graph) == []
    assert not [m for m, deps in graph.items() if "cli" in deps]


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def _string_constants(tree: ast.AST):
    """(line, text) of every string in the code, f-string parts included, docstrings left out."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_every_address_comes_from_the_page_registry():
    """No module but pages.py spells an address of the site ('aanbieders/…', '/rollen/'): one place per URL."""
    from kaart.pages import URLS

    folders = sorted({pattern.split("/")[0] for pattern in URLS.values() if "/" in pattern})
    address = re.compile(r"^/?(%s)/" % "|".join(map(re.escape, folders)))
    found = [f"{path.name}:{line}: {text[:60]!r}" for path in sorted(PACKAGE.glob("*.py")) if path.name != "pages.py"
             for line, text in _string_constants(ast.parse(path.read_text(encoding="utf-8"))) if address.match(text)]
    assert len(folders) >= 10
    assert not found, "use kaart.pages.url(...) instead:\n" + "\n".join(found)


def test_theme_specifics_live_in_one_module():
    """Material's class names and the MkDocs call are in material.py only: a successor theme changes one module
    (plus the template overrides in scripts/kaart/theme/)."""
    theme_words = re.compile(r"\bmd-[a-z]|\bmkdocs\b.*\bbuild\b|-m\s+mkdocs")
    found = [f"{path.name}:{line}: {text[:60]!r}" for path in sorted(PACKAGE.glob("*.py")) if path.name != "material.py"
             for line, text in _string_constants(ast.parse(path.read_text(encoding="utf-8"))) if theme_words.search(text)]
    assert not found, "move theme specifics to kaart/material.py:\n" + "\n".join(found)
