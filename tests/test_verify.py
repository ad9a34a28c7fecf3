"""`kaart verify` changes only verified.date/by (comments, order and quoting stay); the monthly round's issue texts."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from conftest import ROOT, TODAY, run_kaart
from kaart import limits
from kaart.verify import VerifyError, set_verified

RECORD = "providers/voorbeeldstad/buurthuis-de-linde.yaml"


def test_verify_sets_date_and_by_and_touches_nothing_else(data_dir):
    path = data_dir / RECORD
    before = path.read_text(encoding="utf-8")
    result = run_kaart("verify", "buurthuis-de-linde", "--by", "Team Wijk: Noord #2", "--data", str(data_dir))
    assert result.returncode == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    expected = before.replace('date: "2026-10-01"', f'date: "{TODAY}"').replace(
        "by: Redactie Sociale Kaart", 'by: "Team Wijk: Noord #2"')
    assert after == expected  # the comment on line 1, the order and the flow list [meedoen] are untouched
    assert after.startswith("# Minimaal voorbeeld")
    assert run_kaart("check", "--data", str(data_dir)).returncode == 0


def test_verify_without_by_keeps_the_name(data_dir):
    assert run_kaart("verify", "buurthuis-de-linde", "--data", str(data_dir)).returncode == 0
    text = (data_dir / RECORD).read_text(encoding="utf-8")
    assert f'date: "{TODAY}"' in text and "by: Redactie Sociale Kaart" in text


def test_verify_flow_style_and_hostile_names():
    text = "id: x  # keep\nverified: {date: '2020-01-01', by: Oud}  # ook dit\n"
    new = set_verified(text, "2026-11-01", 'a"b\\c\n- evil: true')
    assert new.startswith("id: x  # keep\nverified: {date: \"2026-11-01\", by: \"a\\\"b\\\\c\\n- evil: true\"}  # ook dit")
    import yaml
    assert yaml.safe_load(new)["verified"]["by"] == 'a"b\\c\n- evil: true'


def test_verify_unknown_id_and_missing_block_say_what_to_do(data_dir):
    bad = run_kaart("verify", "bestaat-niet", "--data", str(data_dir))
    assert bad.returncode == 1 and "kaart stale" in bad.stderr and "Traceback" not in bad.stderr
    assert run_kaart("verify", "../x", "--data", str(data_dir)).returncode == 1
    with pytest.raises(VerifyError, match="verified"):
        set_verified("id: x\n", "2026-01-01", None)


def test_stale_writes_one_issue_per_gemeente_with_checklist_edit_links_and_editors(data_dir, tmp_path):
    out = tmp_path / "ronde"
    result = run_kaart("stale", "--months", "1", "--issues", str(out), "--data", str(data_dir))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in out.glob("*.md"))
    assert "voorbeeldstad.md" in files
    title, body = (out / "voorbeeldstad.md").read_text(encoding="utf-8").split("\n", 1)
    assert title == "Controleronde Voorbeeldstad"
    assert "- [ ] Buurthuis De Linde (`buurthuis-de-linde`)" in body
    assert "/edit/main/data/providers/voorbeeldstad/buurthuis-de-linde.yaml)" in body
    assert "CODEOWNERS" in body and "@" in body.split("CODEOWNERS", 1)[1].splitlines()[0]


def test_round_with_all_342_gemeenten_opens_issues_only_where_editors_are(tmp_path, monkeypatch):
    monkeypatch.delenv("KAART_TODAY")  # the shipped data/, against the real date
    # The shipped data: 342 gemeenten, few with editors. Records of the rest go to the maintainers' national issue,
    # which stays under GitHub's 65 536-character limit.
    out = tmp_path / "ronde"
    result = run_kaart("stale", "--months", "1", "--issues", str(out), "--data", str(ROOT / "data"))
    assert result.returncode == 0, result.stderr
    gemeenten = yaml.safe_load((ROOT / "data" / "municipalities.yaml").read_text(encoding="utf-8"))["municipalities"]
    with_editors = {m["id"] for m in gemeenten if m.get("editors")}
    files = {p.stem for p in out.glob("*.md")}
    assert files <= with_editors | {"landelijk"} and "landelijk" in files
    national = (out / "landelijk.md").read_text(encoding="utf-8")
    assert len(national) < 65_536
    assert national.count("\n- [ ] ") == limits.MAX_ROUND_ITEMS and "En nog " in national
    assert "@sociale-kaart/maintainers" in national
