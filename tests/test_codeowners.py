"""CODEOWNERS is generated from the editors per gemeente and must be up to date in the repository."""

from __future__ import annotations

from pathlib import Path

import yaml
from test_stale import MUNICIPALITIES

from kaart.cli import main

ROOT = Path(__file__).resolve().parents[1]
CODEOWNERS = ROOT / ".github" / "CODEOWNERS"


def test_committed_codeowners_is_up_to_date(capsys):
    code = main(["codeowners", "--check", "--data", str(ROOT / "data"), "--out", str(CODEOWNERS)])
    assert code == 0, capsys.readouterr().err


def test_codeowners_content():
    text = CODEOWNERS.read_text(encoding="utf-8")
    rules = dict(line.split(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
    for path in ("/schemas/", "/scripts/", "/.github/"):
        assert rules[path] == "@sociale-kaart/maintainers"
    municipalities = yaml.safe_load((ROOT / "data" / "municipalities.yaml").read_text())["municipalities"]
    for m in municipalities:
        key = f"/data/providers/{m['id']}/"
        if m.get("editors"):
            assert rules[key] == " ".join("@" + e.lstrip("@") for e in m["editors"])
        else:
            assert key not in rules  # falls back to the maintainers via '*'


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "municipalities.yaml").write_text(MUNICIPALITIES.format(muni_date="2026-06-01"), encoding="utf-8")
    out = tmp_path / "CODEOWNERS"
    assert main(["codeowners", "--data", str(data), "--out", str(out)]) == 0
    return data, out


def test_new_editor_makes_check_fail_until_regenerated(tmp_path, capsys):
    data, out = _copy(tmp_path)
    yaml_file = data / "municipalities.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    assert "editors: [redactie-voorbeeldstad]" in text
    yaml_file.write_text(text.replace("editors: [redactie-voorbeeldstad]",
                                      "editors: [redactie-voorbeeldstad, '@nieuwe-redacteur']"), encoding="utf-8")
    assert main(["codeowners", "--check", "--data", str(data), "--out", str(out)]) == 1
    assert "CODEOWNERS is verouderd: voer 'kaart codeowners' uit" in capsys.readouterr().err

    assert main(["codeowners", "--data", str(data), "--out", str(out)]) == 0
    assert "/data/providers/voorbeeldstad/ @redactie-voorbeeldstad @nieuwe-redacteur\n" in out.read_text()
    assert main(["codeowners", "--check", "--data", str(data), "--out", str(out)]) == 0


def test_broken_municipalities_gives_dutch_error_not_traceback(tmp_path, capsys):
    data, out = _copy(tmp_path)
    (data / "municipalities.yaml").write_text("municipalities:\n  - id: x\n    editors: [niet geldig!]\n")
    assert main(["codeowners", "--data", str(data), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "los eerst de fouten in municipalities.yaml op" in err and "Traceback" not in err
    assert "@redactie-voorbeeldstad" in out.read_text()  # the previous file is left alone
