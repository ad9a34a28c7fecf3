"""Golden invalid fixtures (DESIGN §5.8): each bad file gives exactly the expected problems, in Dutch, at the right line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import INVALID_DIR, run_kaart
from kaart import limits
from kaart.cli import main
from kaart.problems import ERROR

EXPECTED = yaml.safe_load((INVALID_DIR / "expected.yaml").read_text(encoding="utf-8"))
#: Most fixtures are YAML records; the PC4 table (data/postcodes/pc4-<jaar>.csv) has CSV fixtures.
SUFFIXES = (".yaml", ".csv")
FIXTURES = sorted(p.stem for p in INVALID_DIR.iterdir() if p.suffix in SUFFIXES and p.name != "expected.yaml")
DEFAULT_DIR = "providers/voorbeeldstad"
NAME = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")  # <field>_<condition>


def test_every_fixture_has_an_expectation_and_every_expectation_a_fixture():
    assert sorted(EXPECTED) == FIXTURES


def test_there_are_at_least_thirty_distinct_cases():
    assert len(FIXTURES) >= 30
    assert len({p["code"] for e in EXPECTED.values() for p in e["problems"]}) >= 25


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_name_is_field_and_condition(name):
    assert NAME.match(name), f"{name}.yaml: noem het bestand <veld>_<situatie>.yaml"


def _bytes(name: str, transform: str | None) -> bytes:
    source = next(INVALID_DIR / f"{name}{suffix}" for suffix in SUFFIXES if (INVALID_DIR / f"{name}{suffix}").exists())
    text = source.read_text(encoding="utf-8")
    if transform is None:
        return text.encode("utf-8")
    if transform == "latin-1":
        return text.encode("latin-1")
    if transform == "utf-16":
        return text.encode("utf-16")  # with BOM, as Windows Notepad writes it
    if transform == "too-large":
        padding = "# opvulling\n" * (limits.MAX_FILE_BYTES // 12 + 1)
        return (text + padding).encode("utf-8")
    raise AssertionError(f"unknown transform {transform!r}")


def place(name: str, data_dir: Path) -> Path:
    """Put the fixture where expected.yaml says, inside a copy of the valid data dir."""
    spec = EXPECTED[name]
    target = data_dir / spec.get("dir", DEFAULT_DIR) / spec.get("as", name.replace("_", "-") + ".yaml")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(_bytes(name, spec.get("transform")))
    return target


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_kaart_check_reports_the_expected_problems(name, data_dir, capsys):
    target = place(name, data_dir)
    code = main(["check", "--data", str(data_dir), "--format", "json"])
    out = capsys.readouterr().out
    assert code == (1 if any(p["severity"] == ERROR for p in EXPECTED[name]["problems"]) else 0), out
    problems = json.loads(out)
    here = [p for p in problems if Path(p["path"]).resolve() == target.resolve()]
    elsewhere = [p for p in problems if p not in here and p["severity"] == ERROR]
    assert not elsewhere, f"onverwachte fouten in andere bestanden: {elsewhere}"
    got = sorted((p["code"], p["line"], p["severity"]) for p in here)
    want = sorted((p["code"], p["line"], p["severity"]) for p in EXPECTED[name]["problems"])
    assert got == want, f"{name}: {here}"
    for spec in EXPECTED[name]["problems"]:
        if "contains" in spec:
            found = [p for p in here if p["code"] == spec["code"] and p["line"] == spec["line"]]
            assert any(spec["contains"] in p["message"] + " " + p["hint"] for p in found), found
    for p in here:  # Dutch message and a Dutch fix for the editor
        assert p["message"] and p["hint"], p
        assert not re.search(r"\b(expected|found|is not|should)\b", p["message"]), p["message"]


@pytest.mark.parametrize("name", ["yaml_syntax_error", "encoding_utf16", "email_unknown_key", "phones_real_in_demo"])
def test_text_output_names_file_line_and_fix(name, data_dir, capsys):
    target = place(name, data_dir)
    assert main(["check", "--data", str(data_dir)]) == 1
    out = capsys.readouterr().out
    spec = EXPECTED[name]["problems"][0]
    assert f"{target}:{spec['line']}:" in out
    assert f"error: [{spec['code']}]" in out
    assert "oplossing:" in out


def test_all_bad_providers_at_once_in_a_real_process(data_dir):
    """One child process over every provider fixture together: exit 1, every file named, no traceback."""
    placed = [place(n, data_dir) for n, spec in EXPECTED.items()
              if spec.get("dir", DEFAULT_DIR) == DEFAULT_DIR and "as" not in spec]
    result = run_kaart("check", "--data", str(data_dir))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    for target in placed:
        assert f"{target}:" in result.stdout, target.name
    assert "fout(en)" in result.stderr
