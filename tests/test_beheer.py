"""The web editor's configuration is generated from schemas/ and the data, covers every field, and /beheer/ in the
built site stays out of search, sitemap and navigation with a policy of its own."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build_site, run_kaart
from kaart import beheer
from kaart.fieldguide import fields
from kaart.schemas import SCHEMA_FILES

CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
DECAP_WIDGETS = {"string", "text", "select", "list", "object", "number", "boolean"}


def _config(data: Path = ROOT / "data", local: int | None = None) -> dict:
    return yaml.safe_load(beheer.render_config(data, CONFIG, local))


def _flatten(fields_: list[dict], prefix: str = "") -> dict[str, dict]:
    """Decap fields by path in the field guide's notation (services[].name)."""
    out = {}
    for f in fields_:
        path = f"{prefix}{f['name']}"
        out[path] = f
        if f["widget"] == "object":
            out.update(_flatten(f["fields"], path + "."))
        elif f["widget"] == "list" and "fields" in f:
            out.update(_flatten(f["fields"], path + "[]."))
    return out


def _collection_fields(config: dict, kind: str) -> dict[str, dict]:
    for col in config["collections"]:
        if col.get("name") == kind or col.get("name", "").startswith(kind + "-"):
            return _flatten(col["fields"])
        for entry in col.get("files", []):
            if entry["name"] == kind:
                return _flatten(entry["fields"])
    raise AssertionError(f"no collection for {kind}")


EDITABLE = sorted(k for k in beheer.record_schemas())


def test_every_record_schema_has_a_collection():
    # Every schema file that names where its records live, now and later (signals): nothing is listed by hand.
    on_disk = {p.name.removesuffix(".schema.json") for p in (ROOT / "schemas").glob("*.schema.json")}
    assert set(EDITABLE) == on_disk - beheer.NOT_EDITABLE
    assert {"provider", "role", "need", "municipalities", "taxonomy"} <= set(EDITABLE)


@pytest.mark.parametrize("kind", EDITABLE)
def test_every_schema_field_has_a_widget(kind):
    config = _config()
    widgets = _collection_fields(config, kind)
    for f in fields(kind):
        assert f.path in widgets, f"{kind}: field {f.path} has no widget in the editor"
        w = widgets[f.path]
        assert w["widget"] in DECAP_WIDGETS
        assert w["label"] and w["label"] != w["name"] or not f.schema.get("title"), f.path


def test_required_patterns_options_and_help_come_from_the_schema():
    provider = _collection_fields(_config(), "provider")
    assert provider["id"]["required"] is True and provider["alternate_name"]["required"] is False
    assert provider["id"]["pattern"][0] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    assert provider["locations[].address.postcode"]["pattern"][0] == "^[0-9]{4} [A-Z]{2}$"
    assert provider["services[].status"]["widget"] == "select"
    assert [o["value"] for o in provider["services[].status"]["options"]] == [
        "active", "inactive", "defunct", "temporarily closed"]
    taxonomy = yaml.safe_load((ROOT / "data" / "taxonomy.yaml").read_text(encoding="utf-8"))
    life = provider["life_domains"]
    assert life["widget"] == "select" and life["multiple"] is True
    assert [o["value"] for o in life["options"]] == [t["id"] for t in taxonomy["life_domains"]]
    roles = sorted(p.stem for p in (ROOT / "data" / "roles").glob("*.yaml"))
    assert [o["value"] for o in provider["roles"]["options"]] == roles
    assert provider["description"]["hint"].startswith("Wat deze organisatie doet")
    assert provider["services[].minimum_age"] | {} == provider["services[].minimum_age"]
    assert provider["services[].minimum_age"]["value_type"] == "int"
    # Inside an optional group the fields are optional in the form (kaart check still enforces them).
    assert provider["services[].waiting_time.date"]["required"] is False
    assert beheer.IF_GROUP_USED in provider["services[].waiting_time.date"]["hint"]


def test_one_provider_collection_per_municipality_folder_and_github_editorial_workflow(data_dir):
    config = _config(data_dir)
    assert config["backend"]["name"] == "github"
    assert config["backend"]["repo"] == "sociale-kaart/sociale-kaart"
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config
    municipalities = yaml.safe_load((data_dir / "municipalities.yaml").read_text(encoding="utf-8"))
    with_editors = {m["id"] for m in municipalities["municipalities"] if m.get("editors")}
    on_disk = {p.name for p in (data_dir / "providers").iterdir() if p.is_dir()}
    expected = {"landelijk"} | with_editors | on_disk
    folders = [c["folder"] for c in config["collections"] if c.get("name", "").startswith("provider-")]
    assert set(folders) == {f"data/providers/{slug}" for slug in expected}
    assert folders[0] == "data/providers/landelijk"
    assert all(c["slug"] == "{{id}}" and c["extension"] == "yaml"
               for c in config["collections"] if "folder" in c)


def test_a_gemeente_folder_with_records_gets_a_collection_even_without_editors(data_dir):
    (data_dir / "providers" / "amsterdam").mkdir()
    shutil.copy(next((data_dir / "providers" / "voorbeeldstad").glob("*.yaml")), data_dir / "providers" / "amsterdam")
    names = [c["name"] for c in _config(data_dir)["collections"]]
    assert "provider-amsterdam" in names and "provider-utrecht" not in names


def test_editor_config_stays_small_with_all_342_gemeenten():
    # Not one provider collection per gemeente in the country: each one repeats every provider field
    # (343 of them made an 8 MB config). Only folders with records and gemeenten with their own editors.
    config = _config()
    gemeenten = beheer.gemeenten(ROOT / "data")
    providers = [c for c in config["collections"] if c.get("name", "").startswith("provider-")]
    assert len(gemeenten) > 300 and len(providers) < 10
    size = len(beheer.render_config(ROOT / "data", CONFIG).encode())
    assert size < 1_000_000, f"config.yml is {size} bytes"


def test_a_new_municipality_appears_in_the_editor_without_a_code_change(data_dir):
    before = _config(data_dir)
    doc = (data_dir / "municipalities.yaml").read_text(encoding="utf-8")
    entry = re.search(r"  - id: voorbeeldstad\n(?:    .*\n)+", doc).group(0)
    doc += entry.replace("voorbeeldstad", "tweedestad").replace("Voorbeeldstad", "Tweedestad")
    (data_dir / "municipalities.yaml").write_text(doc, encoding="utf-8")
    after = _config(data_dir)
    names = {c["name"] for c in after["collections"]} - {c["name"] for c in before["collections"]}
    assert names == {"provider-tweedestad"}


def test_local_config_talks_to_decap_server_and_writes_straight_into_the_checkout():
    config = _config(local=9123)
    assert config["local_backend"] == {"url": "http://localhost:9123/api/v1"}
    assert "publish_mode" not in config
    assert "http://localhost:9123" in beheer.content_security_policy(CONFIG, 9123)
    assert "localhost" not in beheer.content_security_policy(CONFIG)


def test_cli_prints_the_same_config_and_explains_itself(data_dir, tmp_path):
    result = run_kaart("beheer-config", "--data", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout == beheer.render_config(data_dir, CONFIG)
    assert "voorbeeld" in run_kaart("beheer-config", "--help").stdout
    bad = run_kaart("beheer-config", "--site", str(tmp_path / "nergens"))
    assert bad.returncode == 1 and "kaart build --out" in bad.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(None, tmp_path_factory.mktemp("beheer") / "site", today=None)


def test_built_editor_config_is_not_stale(site):
    # The build generates it from the data it builds: the same bytes as the command gives now.
    assert (site / "beheer" / "config.yml").read_text(encoding="utf-8") == beheer.render_config(ROOT / "data", CONFIG)


def test_beheer_is_vendored_and_out_of_search_sitemap_and_nav(site):
    folder = site / "beheer"
    assert (folder / "decap-cms.js").stat().st_size > 1_000_000
    version = json.loads((ROOT / "node_modules" / "decap-cms" / "package.json").read_text())["version"]
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["decap-cms"]
    assert version == pinned and re.fullmatch(r"\d+\.\d+\.\d+", pinned), "decap-cms must be pinned exactly"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<script src="decap-cms.js"></script>' in page and "https://" not in page.split("<body", 1)[1]
    assert 'name="robots" content="noindex' in page
    assert "beheer/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "beheer/" not in (site / "index.html").read_text(encoding="utf-8")  # not in the nav
    assert "data-pagefind-body" not in page and 'data-pagefind-ignore="all"' in page
    fragments = [gzip.decompress(p.read_bytes()) for p in (site / "pagefind" / "fragment").glob("*.pf_fragment")]
    assert fragments and not any(b"/beheer/" in f for f in fragments)


def test_beheer_has_its_own_strict_policy_and_no_secrets(site):
    page = (site / "beheer" / "index.html").read_text(encoding="utf-8")
    policies = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert len(policies) == 1, "exactly one policy: the editor's own, not the site's"
    policy = dict(d.strip().split(" ", 1) for d in policies[0].replace("&#x27;", "'").split(";"))
    assert policy["script-src"] == "'self' 'unsafe-eval' 'wasm-unsafe-eval'"  # no inline script, no CDN
    assert policy["connect-src"] == "'self' https://api.github.com"
    assert policy["object-src"] == "'none'" and policy["frame-src"] == "'none'"
    config = (site / "beheer" / "config.yml").read_text(encoding="utf-8")
    assert not re.search(r"(?i)token|secret|client_secret|password|ghp_", config)
    # The rest of the site keeps the site-wide policy without 'unsafe-eval'.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "'unsafe-eval'" not in home and "'unsafe-inline'" not in home
