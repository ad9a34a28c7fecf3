"""The validator on whole data dirs: a clean example set, warnings versus errors, cross-file checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import VALID_DIR
from kaart.cli import main
from kaart.load import load_file
from kaart.problems import ERROR, WARNING
from kaart.schemas import resolve, schema
from kaart.validate import check

FULL = {"role": VALID_DIR / "roles" / "sociaal-wijkteam.yaml",
        "need": VALID_DIR / "needs" / "hulp-in-huis.yaml",
        "provider": VALID_DIR / "providers" / "voorbeeldstad" / "sociaal-wijkteam-voorbeeldstad.yaml"}
MINIMAL = {"role": VALID_DIR / "roles" / "ouderenadviseur.yaml",
           "need": VALID_DIR / "needs" / "eenzaamheid.yaml",
           "provider": VALID_DIR / "providers" / "voorbeeldstad" / "buurthuis-de-linde.yaml"}


def test_valid_fixtures_are_clean_and_give_a_model():
    model, problems = check(VALID_DIR)
    assert problems == []
    assert model is not None
    assert set(model.roles) == {"ouderenadviseur", "sociaal-wijkteam"}
    assert set(model.needs) == {"eenzaamheid", "hulp-in-huis"}
    assert [r.id for r in model.providers_in("voorbeeldstad")] == ["buurthuis-de-linde",
                                                                    "sociaal-wijkteam-voorbeeldstad"]
    assert model.providers["sociaal-wijkteam-voorbeeldstad"].gemeente == "voorbeeldstad"


def _unused(kind_schema: dict, data, prefix: str = "") -> set[str]:
    """Schema properties (recursively through objects and lists) that `data` never uses."""
    sub = resolve(kind_schema)
    if sub.get("type") == "array" and isinstance(data, list) and data:
        per_item = [_unused(sub.get("items", {}), item, prefix + "[]") for item in data]
        return set.intersection(*per_item)
    missing = set()
    for key, prop in sub.get("properties", {}).items():
        here = f"{prefix}.{key}" if prefix else key
        if not isinstance(data, dict) or key not in data:
            missing.add(here)
        else:
            missing |= _unused(prop, data[key], here)
    return missing


@pytest.mark.parametrize("kind", sorted(FULL))
def test_full_example_uses_every_field_of_its_schema(kind):
    """DESIGN §5.7: the full example shows editors every field; it must grow when the schema does."""
    doc, _ = load_file(FULL[kind])
    assert _unused(schema(kind), doc.data) == set()


@pytest.mark.parametrize("kind", sorted(MINIMAL))
def test_minimal_example_has_only_required_fields_and_one_contact(kind):
    doc, _ = load_file(MINIMAL[kind])
    extra = set(doc.data) - set(schema(kind)["required"])
    assert extra <= {"website"}, extra  # a provider needs one way to reach it, or it gets a warning


def test_every_record_id_equals_its_file_name():
    for path in VALID_DIR.rglob("*.yaml"):
        if path.parent != VALID_DIR:
            doc, _ = load_file(path)
            assert doc.data["id"] == path.stem, path


def test_stale_records_are_warnings_and_check_still_passes(monkeypatch, capsys):
    monkeypatch.setenv("KAART_TODAY", "2028-01-01")
    model, problems = check(VALID_DIR)
    assert model is not None
    assert {p.severity for p in problems} == {WARNING}
    stale = {(Path(p.path).name, p.line) for p in problems if p.code == "stale"}
    # every record (and every municipality) checked on 2026-10-01 is now more than 12 months old
    assert ("buurthuis-de-linde.yaml", 12) in stale
    assert ("ouderenadviseur.yaml", 24) in stale
    assert len([s for s in stale if s[0] == "municipalities.yaml"]) == 3
    assert len(stale) == 8 + 3  # 2 providers, 2 roles, 2 needs, 2 signals; 3 municipalities
    assert main(["check", "--data", str(VALID_DIR)]) == 0
    captured = capsys.readouterr()
    assert "warning: [stale]" in captured.out and "0 fout(en), 11 waarschuwing(en)" in captured.err


def test_not_stale_just_before_the_limit(monkeypatch):
    monkeypatch.setenv("KAART_TODAY", "2027-09-30")
    _, problems = check(VALID_DIR)
    assert [p for p in problems if p.code == "stale"] == []


def test_duplicate_provider_warning_names_both_files(data_dir):
    original = data_dir / "providers" / "voorbeeldstad" / "buurthuis-de-linde.yaml"
    copy = data_dir / "providers" / "westerdorp" / "de-linde-west.yaml"
    copy.parent.mkdir()
    copy.write_text(original.read_text(encoding="utf-8").replace("id: buurthuis-de-linde", "id: de-linde-west"),
                    encoding="utf-8")
    model, problems = check(data_dir)
    assert model is not None, problems
    dups = [p for p in problems if p.code == "duplicate-provider"]
    assert dups and all(p.severity == WARNING for p in dups)
    # same name and same website: reported on the later file, pointing at the earlier one with its line
    assert {Path(p.path) for p in dups} == {copy}
    assert {"naam", "website"} == {w for p in dups for w in ("naam", "website") if f"zelfde {w} " in p.message}
    assert all(f"{original}:3" in p.message for p in dups), dups


def test_missing_data_dir_is_one_clear_error(tmp_path):
    model, [p] = check(tmp_path / "bestaat-niet")
    assert model is None and p.code == "data-dir-missing" and "--data" in p.hint


def test_missing_taxonomy_is_reported_not_a_cascade_of_exceptions(data_dir):
    (data_dir / "taxonomy.yaml").unlink()
    model, problems = check(data_dir)
    assert model is None
    assert "file-missing" in {p.code for p in problems}
    assert all(p.severity == ERROR for p in problems if p.code != "stale")


def test_errors_in_one_file_do_not_hide_errors_in_another(data_dir):
    prov = data_dir / "providers" / "voorbeeldstad" / "buurthuis-de-linde.yaml"
    prov.write_text(prov.read_text(encoding="utf-8").replace("life_domains: [meedoen]", "life_domains: [meedoenn]"),
                    encoding="utf-8")
    role = data_dir / "roles" / "ouderenadviseur.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("payer: gemeente", "payer: gemeentes"), encoding="utf-8")
    model, problems = check(data_dir)
    assert model is None
    assert {(Path(p.path).name, p.code) for p in problems} == {("buurthuis-de-linde.yaml", "ref-unknown-life-domain"),
                                                               ("ouderenadviseur.yaml", "enum")}


def test_a_role_referenced_but_broken_does_not_cascade_into_unknown_role_errors(data_dir):
    role = data_dir / "roles" / "sociaal-wijkteam.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("payer: gemeente", "payer: 12"), encoding="utf-8")
    _, problems = check(data_dir)
    assert {(Path(p.path).name, p.code) for p in problems} == {("sociaal-wijkteam.yaml", "type"),
                                                               ("sociaal-wijkteam.yaml", "enum")}


def test_unknown_first_entry_point_in_municipalities(data_dir):
    shutil.rmtree(data_dir / "providers" / "voorbeeldstad")
    _, problems = check(data_dir)
    codes = sorted((Path(p.path).name, p.code, p.line) for p in problems)
    assert codes == [("municipalities.yaml", "ref-unknown-provider", 10),
                     ("municipalities.yaml", "ref-unknown-provider", 11)]


def test_parallel_loading_gives_exactly_the_same_problems(data_dir, monkeypatch):
    """Large data dirs are read by worker processes; the answer must not depend on that."""
    import kaart.validate as validate

    from test_invalid_fixtures import place

    for name in ("phones_invalid", "yaml_duplicate_key", "roles_unknown", "need_roles_unknown", "id_mismatch"):
        place(name, data_dir)
    monkeypatch.setenv("KAART_WORKERS", "1")
    _, sequential = check(data_dir, use_cache=False)  # (a cache would answer the second call without workers)
    monkeypatch.setattr(validate, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setenv("KAART_WORKERS", "2")
    _, parallel = check(data_dir, use_cache=False)
    assert len(sequential) >= 5
    assert [p.text() for p in parallel] == [p.text() for p in sequential]
    # and through the cache: first run in workers writes it, the second answers from it
    _, cold = check(data_dir)
    _, warm = check(data_dir)
    assert [p.text() for p in cold] == [p.text() for p in warm] == [p.text() for p in sequential]
