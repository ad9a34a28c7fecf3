"""The web editor at /beheer/ (Decap CMS): its configuration, generated from schemas/ and the data.

Nothing here is written by hand per field: every schema file whose description names where its records live
("Bestand: data/roles/<id>.yaml") becomes a collection, every property a widget (`widget()` is the one table
from JSON Schema to Decap widget), titles become labels and descriptions the Dutch help under each field.
Select lists come from the data: ids in data/roles/ and data/needs/, the terms in data/taxonomy.yaml, and one
provider collection per gemeente folder. A new schema (signals) or a new gemeente appears without a change
here.

Two targets:
- the published site: GitHub backend with the editorial workflow (every save is a branch + pull request, so
  `kaart check`, CODEOWNERS and review apply). No token or secret is in the config: editors log in with their
  own GitHub account through the OAuth endpoint named in mkdocs.yml (`extra.kaart.beheer.auth_url`).
- `make beheer`: the same collections on Decap's local backend (decap-server), which writes straight into the
  checkout; you commit yourself.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import urllib.parse
from pathlib import Path
from typing import Any

import yaml

from .fieldguide import _resolve
from .load import NATIONAL
from . import pages
from .paths import REPO
from .schemas import SCHEMA_DIR, registry

#: Where the editor's page and config live in the built site.
URL = pages.url("editor")
#: The vendored Decap CMS bundle (pinned in package.json), copied from node_modules into the build: the main
#: file, the chunks it loads on demand (N.decap-cms.js), its WebAssembly and the licence notices.
DECAP_DIST = Path("node_modules") / "decap-cms" / "dist"
DECAP_FILES = ("decap-cms.js", "[0-9]*.decap-cms.js", "*.wasm", "decap-cms.js.LICENSE.txt")
#: Where decap-server (the local backend) listens during `make beheer` (its own default port).
LOCAL_PORT = 8081
#: Schemas that are no record type of the public data (shared definitions; the private overlay is not in git;
#: the column mapping of `kaart import` is a tool's input, not a record).
NOT_EDITABLE = {"common", "warm-contact", "import-mapping"}
#: Free text fields that may be longer than this get a multi-line box (web and e-mail addresses stay one line).
LONG_TEXT = 200

_WHERE = re.compile(r"Bestand: (data/[\w./<>-]+\.yaml)")

#: Fields whose values are ids of other records or terms: (field name) → where the allowed ids come from.
REFERENCES = {
    "roles": "roles", "role": "roles",
    "related_needs": "needs", "needs": "needs",
    "life_domains": "life_domains", "life_domain": "life_domains",
    "target_groups": "target_groups",
    "languages": "languages",
    "laws": "laws", "law": "laws",
}


IF_GROUP_USED = "Verplicht als u deze groep invult."


class BeheerError(Exception):
    """The editor config cannot be made; the message says why (Dutch)."""


def record_schemas() -> dict[str, tuple[dict, str]]:
    """kind → (schema, where its files live), for every schema file that names a data file; sorted by kind."""
    out = {}
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        kind = path.name.removesuffix(".schema.json")
        if kind in NOT_EDITABLE:
            continue
        root = json.loads(path.read_text(encoding="utf-8"))
        where = _WHERE.search(root.get("description", ""))
        if where:
            out[kind] = (root, where.group(1))
    return out


# --- options from the data ----------------------------------------------------------------------------

def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise BeheerError(f"{path}: kan dit bestand niet lezen ({exc}). Controleer het met: kaart check") from exc


def option_lists(data_dir: Path) -> dict[str, list[dict[str, str]]]:
    """Allowed ids for reference fields, each as {label, value} (label = name, id)."""
    lists: dict[str, list[dict[str, str]]] = {}
    taxonomy = _read(data_dir / "taxonomy.yaml")
    for key in ("life_domains", "target_groups", "languages", "laws"):
        lists[key] = [_option(t.get("name"), t["id"]) for t in taxonomy.get(key) or [] if isinstance(t, dict)]
    for key, folder in (("roles", "roles"), ("needs", "needs")):
        lists[key] = [_option((_read(p) or {}).get("name"), p.stem)
                      for p in sorted((data_dir / folder).glob("*.yaml"))]
    return lists


def _option(name: str | None, value: str) -> dict[str, str]:
    return {"label": f"{name} ({value})" if name else value, "value": value}


def gemeenten(data_dir: Path) -> list[dict]:
    doc = _read(data_dir / "municipalities.yaml")
    return [m for m in doc.get("municipalities") or [] if isinstance(m, dict) and m.get("id")]


# --- schema → widgets ----------------------------------------------------------------------------------

def _hint(node: dict, item: dict | None = None) -> str | None:
    parts = [node.get("description") or (item or {}).get("description"), node.get("x-hint") or (item or {}).get("x-hint")]
    examples = node.get("examples")
    if examples and isinstance(examples[0], str | int | float):
        parts.append("Voorbeeld: " + str(examples[0]))
    text = " ".join(p for p in parts if p)
    return text or None


def _pattern(node: dict) -> list[str] | None:
    if "pattern" not in node:
        return None
    message = node.get("x-hint") or "Dit heeft niet de goede vorm."
    example = (node.get("examples") or [None])[0]
    if example is not None and "Voorbeeld" not in message:
        message += f" Voorbeeld: {example}"
    return [node["pattern"], message]


def widget(name: str, node: dict, resolver, required: bool, lists: dict, depth: int = 0) -> dict:
    """One Decap field for one schema property (the whole mapping from JSON Schema to Decap lives here)."""
    raw = node
    node, resolver = _resolve(node, resolver)
    if "$ref" in raw and ({"title", "description"} & raw.keys()) and "examples" not in raw:
        # The field gives a shared definition its own meaning; the shared example would mislead (as in the guide).
        node = {k: v for k, v in node.items() if k != "examples"}
    item, item_resolver = (None, None)
    if "items" in node:
        item, item_resolver = _resolve(node["items"], resolver)
    field: dict[str, Any] = {"name": name, "label": node.get("title") or (item or {}).get("title") or name}
    chosen = ((name in REFERENCES and "string" in (node.get("type"), (item or {}).get("type")))
              or "enum" in node or "enum" in (item or {}))
    # A select list shows the allowed values itself: the id's spelling rules and example would only confuse.
    hint = node.get("description") if chosen else _hint(node, item)
    if hint:
        field["hint"] = hint
    field["required"] = required
    kind = node.get("type")
    if depth > 12:
        raise BeheerError(f"het schema voor '{name}' is te diep genest")
    if kind == "array" and item is not None:
        ref = REFERENCES.get(name) if item.get("type") == "string" else None  # taxonomy.yaml defines them
        if ref or "enum" in item:
            options = lists.get(ref) if ref else [{"label": str(v), "value": v} for v in item["enum"]]
            field.update(widget="select", multiple=True, options=options or [])
        elif item.get("type") == "object":
            field.update(widget="list", fields=_object_fields(item, item_resolver, lists, depth + 1))
            field["summary"] = "{{fields." + _summary_key(item) + "}}"
        else:
            field.update(widget="list", field=widget(name, item, item_resolver, True, lists, depth + 1))
            field["field"].pop("required", None)
        if node.get("minItems"):
            field["min"] = node["minItems"]
        if node.get("maxItems"):
            field["max"] = node["maxItems"]
        return field
    if kind == "object":
        fields = _object_fields(node, resolver, lists, depth + 1)
        if not required:
            # Decap checks required fields inside an optional group even when the group is left empty, so a
            # new record could never be saved. Here they are optional in the form; the hint says when they
            # are needed, and `kaart check` on the pull request still enforces them.
            for sub in fields:
                if sub.get("required"):
                    sub["required"] = False
                    sub["hint"] = (sub.get("hint", "") + " " + IF_GROUP_USED).strip()
        field.update(widget="object", fields=fields, collapsed=False)
        return field
    if kind == "boolean":
        field.update(widget="boolean")
        return field
    if kind in ("integer", "number"):
        field.update(widget="number", value_type="int" if kind == "integer" else "float")
        if "minimum" in node:
            field["min"] = node["minimum"]
        if "maximum" in node:
            field["max"] = node["maximum"]
        if kind == "number":
            field["step"] = 0.0001
        return field
    if kind == "string":
        ref = REFERENCES.get(name)
        if "enum" in node or (ref and lists.get(ref)):
            options = ([{"label": str(v), "value": v} for v in node["enum"]] if "enum" in node else lists[ref])
            field.update(widget="select", options=options)
            return field
        pattern = _pattern(node)
        field["widget"] = "text" if node.get("maxLength", 0) > LONG_TEXT and not pattern else "string"
        if pattern:
            field["pattern"] = pattern
        return field
    raise BeheerError(f"geen invoerveld voor '{name}' (type {kind!r}): breid kaart/beheer.py widget() uit")


def _summary_key(item: dict) -> str:
    props = item.get("properties", {})
    for key in ("name", "title", "number", "id", "days", "date"):
        if key in props:
            return key
    return next(iter(props), "id")


def _object_fields(node: dict, resolver, lists: dict, depth: int) -> list[dict]:
    required = set(node.get("required", []))
    return [widget(key, sub, resolver, key in required, lists, depth)
            for key, sub in node.get("properties", {}).items()]


def record_fields(root: dict, lists: dict) -> list[dict]:
    resolver = registry().resolver(base_uri=root["$id"])
    node, resolver = _resolve(root, resolver)
    return _object_fields(node, resolver, lists, 0)


# --- collections and config ------------------------------------------------------------------------------

def collections(data_dir: Path) -> list[dict]:
    lists = option_lists(data_dir)
    all_gemeenten = gemeenten(data_dir)
    folders: list[dict] = []
    files: list[dict] = []
    for kind, (root, where) in record_schemas().items():
        fields = record_fields(root, lists)
        label = root.get("title", kind)
        if where.endswith("<id>.yaml"):
            base = {"label_singular": label, "format": "yaml", "extension": "yaml", "create": True,
                    "identifier_field": "name", "slug": "{{id}}", "summary": "{{name}} ({{id}})",
                    "sortable_fields": ["name", "id"], "fields": fields}
            if "<gemeente>" in where:
                prefix = where.split("<gemeente>")[0].rstrip("/")
                for slug, name in provider_places(data_dir / Path(prefix).relative_to("data"), all_gemeenten):
                    folders.append({"name": f"{kind}-{slug}", "label": f"{label}s {name}",
                                    "description": root.get("description"), "folder": f"{prefix}/{slug}", **base})
            else:
                folder = where.removesuffix("/<id>.yaml")
                folders.append({"name": kind, "label": _plural(label), "description": root.get("description"),
                                "folder": folder, **base})
        else:
            files.append({"name": kind, "label": label, "file": where, "format": "yaml", "fields": fields})
    if files:
        folders.append({"name": "vaste-gegevens", "label": "Vaste gegevens",
                        "description": "Bestanden met alle gemeenten, de begrippen en de uitleg over betalen. "
                                       "Pas deze alleen aan als u weet wat het doet voor de hele kaart.",
                        "files": files})
    return folders


def provider_places(folder: Path, gemeenten: list[dict]) -> list[tuple[str, str]]:
    """(slug, name) of the provider folders the editor offers: national services first, then every gemeente that
    has a folder with records or its own editors in municipalities.yaml (sorted by name).

    Not all 342 gemeenten: each collection repeats every provider field, and 343 of them made an 8 MB config that
    took the editor long to load. A gemeente without records or editors gets its first provider through the issue
    form "Nieuwe aanbieder" (or `kaart new provider`); after that its folder appears here by itself."""
    on_disk = {p.name for p in folder.iterdir() if p.is_dir()} if folder.is_dir() else set()
    names = {m["id"]: m.get("name", m["id"]) for m in gemeenten}
    slugs = {m["id"] for m in gemeenten if m.get("editors")} | (on_disk - {NATIONAL})
    rest = sorted(slugs, key=lambda slug: (names.get(slug, slug).casefold(), slug))
    return [(NATIONAL, "Landelijk")] + [(slug, names.get(slug, slug)) for slug in rest]


def _plural(label: str) -> str:
    return {"Rol": "Rollen", "Hulpvraag": "Hulpvragen", "Signaal": "Signalen"}.get(label, label)


def repo_from(config: dict) -> tuple[str, str]:
    """owner/name and branch of the GitHub repository in mkdocs.yml's repo_url."""
    url = str(config.get("repo_url") or "")
    parts = urllib.parse.urlsplit(url)
    path = parts.path.strip("/").removesuffix(".git")
    if parts.hostname != "github.com" or path.count("/") != 1:
        raise BeheerError(f"repo_url in mkdocs.yml ('{url}') is geen GitHub-repository zoals "
                          "https://github.com/eigenaar/naam; de webeditor heeft die nodig.")
    beheer = _beheer_settings(config)
    return path, str(beheer.get("branch") or "main")


def _beheer_settings(config: dict) -> dict:
    return ((config.get("extra") or {}).get("kaart") or {}).get("beheer") or {}


def auth_url(config: dict) -> str | None:
    url = _beheer_settings(config).get("auth_url")
    return str(url).rstrip("/") if url else None


def local_backend(port: int) -> str:
    return f"http://localhost:{port}/api/v1"


def editor_config(data_dir: Path, config: dict, local: int | None = None) -> dict:
    """The Decap CMS config for this data and mkdocs.yml; `local` = the port of decap-server on this machine."""
    repo, branch = repo_from(config)
    backend: dict[str, Any] = {"name": "github", "repo": repo, "branch": branch,
                               "commit_messages": {
                                   "create": "Nieuw: {{collection}} {{slug}} (webeditor)",
                                   "update": "Bijgewerkt: {{collection}} {{slug}} (webeditor)",
                                   "delete": "Verwijderd: {{collection}} {{slug}} (webeditor)",
                                   "openAuthoring": "{{message}}"}}
    if auth_url(config):
        backend["base_url"] = auth_url(config)
    out: dict[str, Any] = {"backend": backend}
    if local:
        out["local_backend"] = {"url": local_backend(local)}
    else:
        out["publish_mode"] = "editorial_workflow"
    site_url = str(config.get("site_url") or "").rstrip("/") + "/"
    out.update({
        "locale": "nl",
        "site_url": site_url,
        "display_url": site_url,
        # Decap insists on a media folder; the schemas have no file fields, so nothing is ever uploaded.
        "media_folder": "docs/assets/media",
        "public_folder": "/assets/media",
        "omit_empty_optional_fields": True,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(data_dir),
    })
    return out


HEADER = ("# Gemaakt door 'kaart beheer-config' uit schemas/ en data/. Niet met de hand aanpassen:\n"
          "# de volgende bouw maakt dit bestand opnieuw.\n")


def render_config(data_dir: Path, config: dict, local: int | None = None) -> str:
    return HEADER + yaml.dump(editor_config(data_dir, config, local), Dumper=_NoAliases, allow_unicode=True,
                              sort_keys=False, width=120)


class _NoAliases(yaml.SafeDumper):
    """Writes shared option lists out in full: the file stays readable without YAML anchors."""

    def ignore_aliases(self, data) -> bool:
        return True


# --- the page ------------------------------------------------------------------------------------------

def content_security_policy(config: dict, local: int | None = None) -> str:
    """Only what the editor needs: its own script and styles, GitHub's API (and the local backend), the login.

    Decap builds its styles at run time (emotion: <style> elements) and compiles its config schema with ajv
    (new Function), hence 'unsafe-inline' for styles and 'unsafe-eval' for scripts — on this page only, which
    holds no contributor content and is never indexed. Scripts still come only from this site."""
    connect = ["'self'", "https://api.github.com"]
    if local:
        connect.append(_origin(local_backend(local)))
    login = auth_url(config)
    if login:
        connect.append(_origin(login))
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"]),
        ("style-src", ["'self'", "'unsafe-inline'"]),
        ("img-src", ["'self'", "data:", "blob:", "https://avatars.githubusercontent.com"]),
        ("font-src", ["'self'", "data:"]),
        ("connect-src", connect),
        ("frame-src", ["'none'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'none'"]),
    ]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives)


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def page(config: dict, local: int | None = None) -> str:
    policy = html.escape(content_security_policy(config, local), quote=True)
    return ("<!doctype html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
            "<title>Beheer – Sociale Kaart</title>\n"
            "<link href=\"config.yml\" type=\"text/yaml\" rel=\"cms-config-url\">\n"
            "</head>\n<body data-pagefind-ignore=\"all\">\n"
            "<noscript>De webeditor werkt alleen met JavaScript. Zonder JavaScript kunt u gegevens aanpassen "
            "via GitHub; zie <a href=\"../bijdragen/\">Bijdragen</a>.</noscript>\n"
            "<script src=\"decap-cms.js\"></script>\n</body>\n</html>\n")


def write(site: Path, data_dir: Path, config: dict, local: int | None = None) -> Path:
    """Write /beheer/ (page, config, vendored editor) into a built site; returns the folder."""
    dist = REPO / DECAP_DIST
    if not (dist / "decap-cms.js").is_file():
        raise BeheerError(f"{DECAP_DIST}/decap-cms.js ontbreekt: installeer de front-end-bestanden met "
                          "'make setup' (npm ci).")
    target = site / URL
    target.mkdir(parents=True, exist_ok=True)
    for pattern in DECAP_FILES:
        for path in sorted(dist.glob(pattern)):
            shutil.copy2(path, target / path.name)
    (target / "config.yml").write_text(render_config(data_dir, config, local), encoding="utf-8")
    (target / "index.html").write_text(page(config, local), encoding="utf-8")
    return target
