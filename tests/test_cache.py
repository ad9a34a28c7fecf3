"""`kaart check` remembers per-file results between runs (kaart/cache.py): a second run must say exactly what a
fresh run says, see every change, and never trust a cache it cannot read."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import VALID_DIR, run_kaart

import kaart.validate as validate
from kaart.cache import cache_dir, fingerprint
from kaart.schemas import SCHEMA_DIR

PROVIDER = "providers/voorbeeldstad/sociaal-wijkteam-voorbeeldstad.yaml"


@pytest.fixture
def data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(VALID_DIR, target)
    return target


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    home = tmp_path / "cache"
    monkeypatch.setenv("KAART_CACHE_DIR", str(home))
    return home


@pytest.fixture
def parsed(monkeypatch):
    """The files the check really parsed (the cache is meant to spare unchanged ones)."""
    seen: list[str] = []
    real = validate.parse_bytes

    def counting(raw, shown):
        seen.append(shown)
        return real(raw, shown)

    monkeypatch.setattr(validate, "parse_bytes", counting)
    return seen


def _json(data, *extra):
    result = run_kaart("check", "--data", str(data), "--format", "json", *extra)
    return result.returncode, json.loads(result.stdout or "[]")


def test_second_check_answers_the_same_from_the_cache(data, cache_home, parsed):
    (data / "providers" / "voorbeeldstad" / "kapot.yaml").write_text("id: kapot\nname: [\n", encoding="utf-8")
    provider = data / PROVIDER
    provider.write_text(provider.read_text(encoding="utf-8").replace("verified:", "onbekend_veld: x\nverified:"),
                        encoding="utf-8")
    first = validate.check(data)
    assert parsed and list(cache_home.glob("check-*.marshal")), "the first check parses and writes the cache"
    parsed.clear()
    second = validate.check(data)
    assert parsed == [], "nothing changed, so nothing is parsed again"
    assert [p.text() for p in second[1]] == [p.text() for p in first[1]]
    codes = {p.code for p in second[1]}
    assert {"yaml-syntax", "unknown-key"} <= codes, codes
    # positions still come out right for files that were not parsed this time
    assert any(p.path.endswith("sociaal-wijkteam-voorbeeldstad.yaml") and p.line > 1 for p in second[1])


def test_all_three_formats_are_identical_cold_and_warm(data, cache_home):
    (data / PROVIDER).write_text((data / PROVIDER).read_text(encoding="utf-8").replace("https://", "http://", 1),
                                 encoding="utf-8")
    for fmt in ("text", "github", "json"):
        cold = run_kaart("check", "--data", str(data), "--format", fmt, "--no-cache")
        warm1 = run_kaart("check", "--data", str(data), "--format", fmt)
        warm2 = run_kaart("check", "--data", str(data), "--format", fmt)
        assert cold.returncode == warm1.returncode == warm2.returncode == 1
        assert cold.stdout == warm1.stdout == warm2.stdout and cold.stderr == warm2.stderr


def test_a_changed_file_is_checked_again(data, cache_home, parsed):
    assert validate.check(data)[0] is not None
    provider = data / PROVIDER
    good = provider.read_text(encoding="utf-8")
    provider.write_text(good.replace("https://", "javascript:", 1), encoding="utf-8")
    parsed.clear()
    model, problems = validate.check(data)
    assert model is None and len(parsed) == 1 and parsed[0].endswith(PROVIDER), parsed
    assert any(p.path.endswith(PROVIDER) and p.severity == "error" for p in problems)
    provider.write_text(good, encoding="utf-8")  # and back: clean again
    assert validate.check(data)[0] is not None


def test_phone_checks_still_run_for_remembered_files(data, cache_home):
    """Phone facts come from the cache too; the demo-range rule must still fire on a warm run."""
    provider = data / PROVIDER
    text = provider.read_text(encoding="utf-8")
    import re

    number = re.search(r'number: "?([0-9 ]+)"?', text).group(1)
    provider.write_text(text.replace(number, "050 367 4321", 1), encoding="utf-8")
    for _ in range(2):
        code, problems = _json(data)
        assert code == 1 and any(p["code"] == "phone-demo-range" for p in problems)


def test_an_unreadable_cache_is_ignored_and_rewritten(data, cache_home):
    assert _json(data)[0] == 0
    [cache_file] = cache_home.glob("check-*.marshal")
    cache_file.write_bytes(b"\x00garbage, not marshal")
    code, problems = _json(data)
    assert code == 0 and problems == []
    assert cache_file.read_bytes()[:1] != b"\x00"


def test_no_cache_option_and_environment_write_nothing(data, cache_home, monkeypatch, tmp_path):
    assert _json(data, "--no-cache")[0] == 0
    assert not cache_home.exists()
    monkeypatch.setenv("KAART_CACHE_DIR", "off")
    assert cache_dir() is None
    assert _json(data)[0] == 0
    assert not cache_home.exists()


def test_other_code_or_schemas_start_a_fresh_cache(tmp_path):
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMA_DIR, schemas)
    before = fingerprint(schemas)
    assert fingerprint(schemas) == before
    target = schemas / "provider.schema.json"
    target.write_text(target.read_text(encoding="utf-8").replace('"title"', '"title" ', 1), encoding="utf-8")
    assert fingerprint(schemas) != before


def test_a_cache_of_another_shape_is_not_trusted(data, cache_home):
    """A readable marshal file whose entries are not what this version writes (hand-edited, other tool)."""
    import marshal

    assert _json(data)[0] == 0
    [cache_file] = cache_home.glob("check-*.marshal")
    stored = marshal.loads(cache_file.read_bytes())
    stored["files"] = {key: 42 for key in stored["files"]}
    cache_file.write_bytes(marshal.dumps(stored))
    provider = data / PROVIDER
    provider.write_text(provider.read_text(encoding="utf-8").replace("https://", "http://", 1), encoding="utf-8")
    code, problems = _json(data)
    assert code == 1 and any(p["path"].endswith(PROVIDER) for p in problems)
