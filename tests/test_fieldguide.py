"""The field guide is generated from the schemas and documents every field of every record type."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml

from conftest import ROOT, run_kaart
from kaart.fieldguide import render_field_guide, values_at
from kaart.schemas import SCHEMA_DIR, SCHEMA_FILES, registry


def schema_properties(kind: str) -> list[tuple[str, dict, dict]]:
    """(path, property schema, items schema) for every property, found independently of fieldguide.py."""
    root = json.loads((SCHEMA_DIR / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))
    found = []

    def deref(node, resolver):
        while "$ref" in node:
            target = resolver.lookup(node["$ref"])
            node, resolver = {**target.contents, **{k: v for k, v in node.items() if k != "$ref"}}, target.resolver
        return node, resolver

    def walk(node, resolver, prefix, depth=0):
        assert depth < 20, f"{kind}: schema nests too deep at {prefix}"
        node, resolver = deref(node, resolver)
        for key, sub in node.get("properties", {}).items():
            path = f"{prefix}.{key}" if prefix else key
            sub, sub_resolver = deref(sub, resolver)
            items, items_resolver = deref(sub.get("items", {}), sub_resolver)
            found.append((path, sub, items))
            walk(sub, sub_resolver, path, depth + 1)
            walk(items, items_resolver, path + "[]", depth + 1)

    walk(root, registry().resolver(base_uri=root["$id"]), "")
    return found


ALL = [(kind, path, sub, items) for kind in sorted(SCHEMA_FILES) for path, sub, items in schema_properties(kind)]


@pytest.fixture(scope="module")
def guide() -> str:
    return render_field_guide()


def test_walker_sees_nested_and_referenced_fields():
    paths = {(kind, path) for kind, path, _, _ in ALL}
    assert ("provider", "services[].name") in paths          # nested in a list
    assert ("provider", "verified.date") in paths            # behind a $ref into common.schema.json
    assert ("need", "ladder.general_provisions[].id") in paths


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_every_schema_property_appears_in_the_guide(guide, kind):
    section = guide.split(f"\n## {json.loads((SCHEMA_DIR / SCHEMA_FILES[kind]).read_text())['title']}\n", 1)
    assert len(section) == 2, f"no section for {kind}"
    body = section[1].split("\n## ", 1)[0]
    missing = [path for k, path, _, _ in ALL if k == kind and f"### `{path}` — " not in body]
    assert not missing, f"{kind}: fields missing from the field guide: {missing}"


def test_every_schema_property_has_a_dutch_title_and_description():
    """An editor reads the title and description in the guide and in error messages: both must exist.

    For a list, the title or description of its items counts (the guide shows that one)."""
    undocumented = []
    for kind, path, sub, items in ALL:
        for key in ("title", "description"):
            if not (sub.get(key) or items.get(key)):
                undocumented.append(f"{SCHEMA_FILES[kind]}: {path} mist '{key}'")
    assert not undocumented, "Vul deze velden aan in schemas/:\n" + "\n".join(undocumented)


def test_guide_shows_type_required_enum_examples_and_hints(guide):
    status = guide.split("### `services[].status` — ", 1)[1].split("\n### ", 1)[0]
    assert "**verplicht**" in status or "niet verplicht" in status
    assert "`active`, `inactive`, `defunct`, `temporarily closed`" in status
    date = guide.split("### `verified.date` — ", 1)[1].split("\n### ", 1)[0]
    assert "**verplicht**" in date and "Tip: Schrijf de datum" in date
    code = guide.split("### `municipalities[].code` — ", 1)[1].split("\n### ", 1)[0]
    assert "Voorbeeld: `GM0193`" in code
    # a field with its own meaning does not inherit the generic example of a shared definition
    slug = guide.split("### `municipalities[].id` — ", 1)[1].split("\n### ", 1)[0]
    assert "wijkteam-noord`" not in slug
    assert re.search(r"### `services` — .*\n\nSoort: lijst van groepen velden", guide)


def test_guide_is_deterministic_and_markdown_safe(guide):
    assert render_field_guide() == guide
    assert guide.startswith("# Veldenoverzicht\n") and guide.endswith("\n") and "\r" not in guide
    assert "<script" not in guide.lower()


def test_editor_guide_links_to_the_field_guide_and_names_only_real_codes():
    """docs/bijdragen.md explains error codes; a renamed code must not leave editors with a stale explanation."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    guide = (root / "docs" / "bijdragen.md").read_text(encoding="utf-8")
    assert "](velden.md)" in guide  # becomes /bijdragen/velden/ on the site
    source = "".join(p.read_text(encoding="utf-8") for p in (root / "scripts" / "kaart").glob("*.py"))
    codes = set(re.findall(r"^\| `([a-z0-9-]+)` \|", guide, re.M)) | set(re.findall(r"^- `([a-z0-9-]+)`:", guide, re.M))
    assert len(codes) >= 10
    unknown = sorted(c for c in codes if f'"{c}"' not in source)
    assert not unknown, f"docs/bijdragen.md explains codes the checker never reports: {unknown}"
    for command in ("kaart new provider", "kaart check", "kaart stale"):
        assert command in guide


def test_every_field_shows_an_example_value(guide):
    # From the schema, the complete example record or the repository's own records; groups point to their fields.
    sections = guide.split("\n### ")[1:]
    assert len(sections) == len(ALL)
    without = [s.split("\n", 1)[0] for s in sections if "\n- Voorbeeld: " not in s or "(nog geen voorbeeld)" in s]
    assert not without, f"fields without an example value: {without}"
    street = guide.split("### `locations[].address.street` — ", 1)[1].split("\n### ", 1)[0]
    assert "- Voorbeeld: `Lindelaan 1`" in street  # from docs/bijdragen/voorbeeld-aanbieder.yaml
    assert "- Voorbeeld: zie de velden hieronder" in guide.split("### `services` — ", 1)[1].split("\n### ", 1)[0]


EXAMPLE = ROOT / "docs" / "bijdragen" / "voorbeeld-aanbieder.yaml"


def test_complete_example_record_uses_every_provider_field_and_passes_check(tmp_path, monkeypatch):
    monkeypatch.delenv("KAART_TODAY")  # checked beside the shipped data/, against the real date
    record = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    unused = [path for kind, path, _, _ in ALL if kind == "provider" and not values_at(record, path)]
    assert not unused, f"the complete example leaves out: {unused}"
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "providers" / "voorbeeldstad" / f"{record['id']}.yaml").write_text(
        EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_kaart("check", "--data", str(data))
    assert result.returncode == 0, result.stdout
    assert record["id"] not in result.stdout  # not even a warning


def test_contributing_page_walks_through_three_kinds_of_editor_and_shows_the_example():
    page = (ROOT / "docs" / "bijdragen.md").read_text(encoding="utf-8")
    for heading in ("## Manier 1: een formulier", "## Manier 2: de webeditor", "## Manier 3: een pull request"):
        assert heading in page
    assert "](../beheer/)" in page and "make beheer" in page
    repo = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["repo_url"]
    for form in ("fout-melden.yml", "nieuwe-aanbieder.yml"):
        assert f"]({repo}/issues/new?template={form})" in page
        assert (ROOT / ".github" / "ISSUE_TEMPLATE" / form).is_file()
    # The example on the page is the file the tests validate, byte for byte.
    assert "```yaml\n" + EXAMPLE.read_text(encoding="utf-8") + "```\n" in page
    assert "commentaar" in page  # what the web editor does to YAML comments
    assert "kaart verify" in page and "Controleronde" in page
