"""`kaart stale` and stale_records(): which records editors must re-check, per gemeente."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kaart.cli import main
from kaart.editors import stale_records
from kaart.validate import check

TAXONOMY = """\
life_domains:
  - {id: zorg, name: Zorg}
  - {id: meedoen, name: Meedoen}
target_groups:
  - {id: iedereen, name: Iedereen}
languages:
  - {id: nl, name: Nederlands}
laws:
  - id: wmo-2015
    name: Wet maatschappelijke ondersteuning 2015
    short_name: Wmo 2015
    payer: gemeente
    url: https://wetten.overheid.nl/BWBR0035362
"""

MUNICIPALITIES = """\
municipalities:
  - id: voorbeeldstad
    code: GM9901
    name: Voorbeeldstad
    demo: true
    editors: [redactie-voorbeeldstad]
    verified: {{date: "{muni_date}", by: Redactie}}
  - id: anderdorp
    code: GM9902
    name: Anderdorp
    demo: true
    verified: {{date: "2026-06-01", by: Redactie}}
"""


def set_verified(path: Path, day: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'date: "\d{4}-\d{2}-\d{2}"', f'date: "{day}"', text, count=1), encoding="utf-8")


def make_data_dir(root: Path, monkeypatch, muni_date: str = "2026-06-01") -> Path:
    """A small but complete data dir, records written by `kaart new` (the editors' own tool)."""
    data = root / "data"
    data.mkdir()
    (data / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    (data / "municipalities.yaml").write_text(MUNICIPALITIES.format(muni_date=muni_date), encoding="utf-8")
    monkeypatch.setenv("KAART_TODAY", "2026-11-01")
    for argv in (["new", "role", "--naam", "Sociaal wijkteam"],
                 ["new", "need", "--naam", "Ik wil meer mensen ontmoeten"],
                 ["new", "provider", "--gemeente", "voorbeeldstad", "--naam", "Buurthuis De Linde"],
                 ["new", "provider", "--gemeente", "voorbeeldstad", "--naam", "Sportclub Noord"],
                 ["new", "provider", "--gemeente", "anderdorp", "--naam", "Wijkcentrum Anderdorp"],
                 ["new", "provider", "--gemeente", "landelijk", "--naam", "Landelijke Hulplijn"]):
        assert main([*argv, "--data", str(data)]) == 0
    return data


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    data = make_data_dir(tmp_path, monkeypatch, muni_date="2025-01-15")
    set_verified(data / "providers/voorbeeldstad/buurthuis-de-linde.yaml", "2025-03-01")
    set_verified(data / "providers/voorbeeldstad/sportclub-noord.yaml", "2024-02-01")
    set_verified(data / "roles/sociaal-wijkteam.yaml", "2025-06-01")
    set_verified(data / "providers/anderdorp/wijkcentrum-anderdorp.yaml", "2026-10-01")  # fresh
    return data


def test_stale_records_per_gemeente_oldest_first(data):
    model, problems = check(data)
    assert model is not None, problems
    found = stale_records(model, 12, dt.date(2026, 11, 1))
    assert [(r.gemeente, r.kind, r.id) for r in found] == [
        ("landelijk", "role", "sociaal-wijkteam"),
        ("voorbeeldstad", "provider", "sportclub-noord"),
        ("voorbeeldstad", "gemeente", "voorbeeldstad"),
        ("voorbeeldstad", "provider", "buurthuis-de-linde"),
    ]
    linde = found[-1]
    assert linde.verified == dt.date(2025, 3, 1) and linde.age_months == 20
    # the line points at verified.date in the editor's file
    lines = Path(data / "providers/voorbeeldstad/buurthuis-de-linde.yaml").read_text().splitlines()
    assert "2025-03-01" in lines[linde.line - 1]


def test_months_threshold(data):
    model, _ = check(data)
    ids = {r.id for r in stale_records(model, 18, dt.date(2026, 11, 1))}
    assert ids == {"sportclub-noord", "voorbeeldstad", "buurthuis-de-linde"}  # role is 17 months old
    # written today by `kaart new`: fresh now, stale after a month and a half with --months 1
    assert "ik-wil-meer-mensen-ontmoeten" not in {r.id for r in stale_records(model, 1, dt.date(2026, 11, 1))}
    assert "ik-wil-meer-mensen-ontmoeten" in {r.id for r in stale_records(model, 1, dt.date(2026, 12, 15))}


def test_cli_stale_text(data, capsys):
    assert main(["stale", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "4 record(s) langer dan 12 maanden niet gecontroleerd" in out
    assert out.index("Landelijk") < out.index("Voorbeeldstad (3)")
    assert "Anderdorp" not in out
    assert re.search(r"providers/voorbeeldstad/sportclub-noord\.yaml:\d+: aanbieder 'Sportclub Noord': "
                     r"gecontroleerd op 2024-02-01 door .*, 32 maanden geleden", out)


def test_cli_stale_nothing_and_usage(tmp_path, monkeypatch, capsys):
    data = make_data_dir(tmp_path, monkeypatch)
    assert main(["stale", "--data", str(data), "--months", "6"]) == 0
    assert "Geen verouderde records" in capsys.readouterr().out
    assert main(["stale", "--data", str(data), "--months", "nul"]) == 2
    assert "geen geheel getal" in capsys.readouterr().err


def test_cli_stale_on_broken_data_is_a_dutch_error(data, capsys):
    (data / "roles/sociaal-wijkteam.yaml").write_text("id: [kapot\n", encoding="utf-8")
    assert main(["stale", "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert "yaml-syntax" in err and "los die eerst op" in err and "Traceback" not in err
