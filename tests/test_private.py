"""The private overlay with warm contacts: `kaart check --private`, load_private(), vcard(), overlay_values()."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from kaart.cli import main
from kaart.private import (PrivateOverlayError, check_private, load_private, overlay_problems, overlay_values,
                          vcard)
from kaart.problems import ERROR, WARNING
from kaart.validate import check

OVERLAY = FIXTURES / "overlay"
INVALID = FIXTURES / "overlay-invalid"
DATA = ROOT / "data"
SHOWN_OVERLAY = "tests/fixtures/overlay"
SHOWN_INVALID = "tests/fixtures/overlay-invalid"

#: file in overlay-invalid/ → (code, line, col) of the one error it must give
EXPECTED = {
    "contacts/provider-unknown.yaml": ("ref-unknown-provider", 2, 1),
    "contacts/consent-missing.yaml": ("consent-missing", 3, 1),
    "contacts/phone-invalid.yaml": ("phone-invalid", 5, 1),
    "contacts/phone-real-in-demo.yaml": ("phone-demo-range", 5, 1),
    "contacts/key-unknown.yaml": ("unknown-key", 6, 1),
    "contacts/role-unknown.yaml": ("ref-unknown-role", 5, 1),
    "contacts/id-mismatch.yaml": ("id-mismatch", 1, 1),
    "contacts/consent-date-future.yaml": ("date-future", 8, 3),
    "contacts/email-real-in-demo.yaml": ("email-demo-range", 5, 1),
    "contacts/contact-missing.yaml": ("contact-missing", 4, 1),
    "misplaced.yaml": ("file-location", 1, 1),
}
LINE = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): \[(?P<code>[a-z0-9-]+)\] \S")


def kaart(*args: str) -> subprocess.CompletedProcess:
    """The real CLI in a child process, judging data/ by the real date (as CI does)."""
    env = {k: v for k, v in os.environ.items() if k != "KAART_TODAY"}
    return subprocess.run([sys.executable, "-m", "kaart.cli", *args], cwd=ROOT, env={**env, "PYTHONIOENCODING": "utf-8"},
                          capture_output=True, text=True, timeout=60)


def parse_output(stdout: str) -> list[dict]:
    return [m.groupdict() for m in map(LINE.match, stdout.splitlines()) if m]


@pytest.fixture(autouse=True)
def real_today(monkeypatch):
    """These tests read the real data/, which `kaart check` in CI judges by the real date: unpin it."""
    monkeypatch.delenv("KAART_TODAY", raising=False)


def review_overdue_files() -> list[str]:
    """Fixture contacts whose review_date has passed (today: the real date)."""
    out = []
    for path in sorted((OVERLAY / "contacts").glob("*.yaml")):
        day = re.search(r'^review_date: "(\d{4}-\d{2}-\d{2})"', path.read_text(encoding="utf-8"), re.M).group(1)
        if dt.date.fromisoformat(day) < dt.date.today():
            out.append(path.name)
    return out


@pytest.fixture(scope="module")
def model():
    m, problems = check(DATA)
    assert m is not None, "the public data must be valid: " + "; ".join(p.text() for p in problems[:5])
    return m


# --- kaart check --private, through the real CLI ----------------------------------------------------------

def test_clean_overlay_passes_with_only_the_overdue_review_warning():
    result = kaart("check", "--private", SHOWN_OVERLAY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    private = [p for p in parse_output(result.stdout) if p["path"].startswith(SHOWN_OVERLAY)]
    assert not [p for p in private if p["sev"] == "error"]
    assert "wijkteam-spoedlijn.yaml" in review_overdue_files()  # the fixture shows the warning …
    overdue = [p for p in private if p["code"] == "review-overdue"]
    assert [Path(p["path"]).name for p in overdue] == review_overdue_files()
    assert (f"{SHOWN_OVERLAY}/contacts/wijkteam-spoedlijn.yaml:8:1: warning: [review-overdue] "
            "dit contact had voor 2026-01-15 opnieuw bevestigd moeten worden") in result.stdout  # … at its line


def test_every_invalid_fixture_has_an_expectation_and_every_expectation_a_fixture():
    on_disk = sorted(str(p.relative_to(INVALID)) for p in INVALID.rglob("*.yaml"))
    assert on_disk == sorted(EXPECTED)


@pytest.fixture(scope="module")
def invalid_run():
    return kaart("check", "--private", SHOWN_INVALID)


def test_invalid_overlay_fails_with_one_readable_error_per_file(invalid_run):
    assert invalid_run.returncode == 1
    assert "Traceback" not in invalid_run.stdout + invalid_run.stderr
    found = [p for p in parse_output(invalid_run.stdout) if p["path"].startswith(SHOWN_INVALID)]
    got = {p["path"][len(SHOWN_INVALID) + 1:]: (p["code"], int(p["line"]), int(p["col"]))
           for p in found if p["sev"] == "error"}
    assert got == EXPECTED
    # exactly one error per file: no cascades
    assert len([p for p in found if p["sev"] == "error"]) == len(EXPECTED)


def test_invalid_overlay_messages_are_dutch_with_a_fix(invalid_run):
    out = invalid_run.stdout
    assert "bij een persoon met naam (named-person) hoort een vastgelegde grondslag" in out
    assert "onbekend veld 'availabilty'" in out and "Bedoelde u 'availability'?" in out
    assert "onbekende aanbieder 'sociaal-wijkteam-nergensdorp'" in out
    assert "Bedoelde u 'sociaal-wijkteam-voorbeeldstad'?" in out
    assert "'050 123 4567' kan een echt nummer zijn" in out
    assert out.count("    oplossing: ") >= len(EXPECTED)


def test_github_format_annotates_the_overlay_file(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["check", "--private", SHOWN_INVALID, "--format", "github"]) == 1
    assert (f"::error file={SHOWN_INVALID}/contacts/consent-missing.yaml,line=3,col=1,title=consent-missing::"
            in capsys.readouterr().out)


def test_missing_overlay_dir_is_a_clear_error(tmp_path):
    problems = check_private(tmp_path / "bestaat-niet", DATA)
    assert [(p.severity, p.code) for p in problems] == [(ERROR, "private-dir-missing")]
    assert "de besloten map" in problems[0].message and "--private" in problems[0].hint  # what to pass


# --- check_private() edge cases ------------------------------------------------------------------------------

def codes(problems, severity=ERROR) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for p in problems:
        if p.severity == severity:
            out.setdefault(Path(p.path).name, set()).add(p.code)
    return out


def test_overlay_is_still_checked_when_the_public_data_has_errors(tmp_path):
    broken = tmp_path / "data"
    broken.mkdir()  # no municipalities.yaml, no taxonomy.yaml: the public model cannot load
    problems = check_private(INVALID, broken)
    found = codes(problems)
    assert found["consent-missing.yaml"] == {"consent-missing"}
    assert found["phone-invalid.yaml"] == {"phone-invalid"}
    assert found["key-unknown.yaml"] == {"unknown-key"}
    # without the public model, references and demo ranges cannot be judged, so they are not reported …
    assert "provider-unknown.yaml" not in found and "role-unknown.yaml" not in found
    assert "phone-real-in-demo.yaml" not in found
    # … and the editor is told so
    assert any(p.code == "private-refs-unchecked" and p.severity == WARNING for p in problems)


def test_files_in_unexpected_places_are_errors_but_git_and_readme_are_fine(tmp_path, model):
    overlay = tmp_path / "overlay"
    shutil.copytree(OVERLAY, overlay)
    (overlay / ".git").mkdir()
    (overlay / ".git" / "config.yaml").write_text("x: 1\n", encoding="utf-8")
    (overlay / "contacts" / "oud").mkdir()
    (overlay / "contacts" / "oud" / "weg.yaml").write_text("x: 1\n", encoding="utf-8")
    (overlay / "contacts" / "notities.txt").write_text("bellen!\n", encoding="utf-8")
    shutil.copy(overlay / "contacts" / "fenna-fictief.yaml", overlay / "contacts" / "fenna-fictief.yml")
    found = codes(overlay_problems(overlay, model))
    assert found == {"weg.yaml": {"file-location"}, "notities.txt": {"file-location"},
                     "fenna-fictief.yml": {"file-extension"}}


def test_overlay_without_contacts_folder_is_an_error(tmp_path, model):
    (tmp_path / "contacts.yaml").write_text("id: x\n", encoding="utf-8")
    found = codes(overlay_problems(tmp_path, model))
    assert found[tmp_path.name] == {"contacts-missing"}
    assert found["contacts.yaml"] == {"file-location"}


def test_overlay_inside_the_public_data_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(OVERLAY, data / "overlay")
    found = codes(check_private(data / "overlay", data))
    assert "private-inside-data" in found["overlay"]


def test_review_date_passing_turns_into_a_warning(tmp_path, model):
    overlay = tmp_path / "overlay"
    shutil.copytree(OVERLAY, overlay)
    assert "fenna-fictief.yaml" not in codes(overlay_problems(overlay, model), WARNING)
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    path = overlay / "contacts" / "fenna-fictief.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('review_date: "2099-09-01"', f'review_date: "{yesterday}"'),
                    encoding="utf-8")
    problems = overlay_problems(overlay, model)
    assert codes(problems, WARNING)["fenna-fictief.yaml"] == {"review-overdue"}
    assert not any(p.severity == ERROR for p in problems if p.path.endswith("fenna-fictief.yaml"))


REAL_PROVIDER = """\
id: landelijke-testlijn
name: Landelijke testlijn
description: Een echte (niet-verzonnen) landelijke aanbieder, alleen voor deze test.
life_domains: [{domain}]
website: https://www.rijksoverheid.nl
services:
  - id: informatie
    name: Informatie
    description: Algemene informatie.
verified: {{date: "2026-10-01", by: Testredactie}}
"""


def test_real_provider_contact_must_not_use_demo_numbers_or_addresses(tmp_path, model):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "providers" / "landelijk").mkdir(exist_ok=True)
    (data / "providers" / "landelijk" / "landelijke-testlijn.yaml").write_text(
        REAL_PROVIDER.format(domain=next(iter(model.terms["life_domains"]))), encoding="utf-8")
    overlay = tmp_path / "overlay"
    shutil.copytree(OVERLAY, overlay)
    path = overlay / "contacts" / "wijkteam-intakelijn.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("provider: sociaal-wijkteam-voorbeeldstad",
                                                             "provider: landelijke-testlijn"), encoding="utf-8")
    problems = check_private(overlay, data)
    assert not [p for p in problems if p.severity == ERROR and "/data/" in p.path]  # the public copy is valid
    assert codes(problems) == {"wijkteam-intakelijn.yaml": {"phone-fictional", "email-fictional"}}


# --- load_private() -----------------------------------------------------------------------------------------

def test_load_private_groups_contacts_per_provider(model):
    contacts = load_private(OVERLAY, model)
    assert list(contacts) == ["clientondersteuning-voorbeeldstad", "sociaal-wijkteam-voorbeeldstad"]
    assert all(pid in model.providers for pid in contacts)
    # team lines first (they outlive people), then persons; each by name
    assert [c["id"] for c in contacts["sociaal-wijkteam-voorbeeldstad"]] == [
        "wijkteam-intakelijn", "wijkteam-spoedlijn", "fenna-fictief"]
    assert [c["id"] for c in contacts["clientondersteuning-voorbeeldstad"]] == [
        "clientondersteuning-directe-lijn", "bram-bedacht"]
    fenna = contacts["sociaal-wijkteam-voorbeeldstad"][2]
    assert fenna["handover"]["what_to_say"] == "Vraag naar Fenna en noem het codewoord Zonnebloem-7f3c"


def test_load_private_refuses_an_invalid_overlay(model):
    with pytest.raises(PrivateOverlayError) as info:
        load_private(INVALID, model)
    assert {p.code for p in info.value.problems if p.severity == ERROR} >= {"consent-missing", "ref-unknown-provider"}
    assert "kaart check --private" in str(info.value)


# --- vCard ----------------------------------------------------------------------------------------------------

def unfold_and_parse(card: str) -> list[tuple[str, dict[str, str], str]]:
    """An independent reading of RFC 6350: unfold, split name;params:value. Values stay escaped."""
    assert card.endswith("\r\n")
    assert "\n" not in card.replace("\r\n", ""), "only CRLF line endings"
    physical = card[:-2].split("\r\n")
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    out = []
    for line in logical:
        head, value = line.split(":", 1)
        name, *params = head.split(";")
        out.append((name, dict(p.split("=", 1) for p in params), value))
    return out


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_vcard_of_a_named_person(model):
    fenna = next(c for c in load_private(OVERLAY, model)["sociaal-wijkteam-voorbeeldstad"] if c["id"] == "fenna-fictief")
    props = unfold_and_parse(vcard(fenna, "Sociaal wijkteam Voorbeeldstad"))
    names = [p[0] for p in props]
    assert names[:2] == ["BEGIN", "VERSION"] and names[-1] == "END"
    by_name = {name: (params, value) for name, params, value in props}
    assert by_name["VERSION"][1] == "4.0"
    assert unescape(by_name["FN"][1]) == "Fenna Fictief"
    assert unescape(by_name["ORG"][1]) == "Sociaal wijkteam Voorbeeldstad"
    assert by_name["TEL"] == ({"VALUE": "uri", "TYPE": "work,voice"}, "tel:+31500000902")
    assert by_name["EMAIL"][1] == "fenna.fictief@wijkteam.voorbeeldstad.example"
    note = unescape(by_name["NOTE"][1])
    assert "Zeg erbij: Vraag naar Fenna en noem het codewoord Zonnebloem-7f3c" in note.split("\n")


def test_vcard_escapes_and_folds_awkward_text():
    name = "Anna; de Vries, \\ teamleider\nlijn 2"
    contact = {"id": "x", "kind": "functional-line", "name": name, "phone": "050 000 0901",
               "availability": "Bereikbaar ’s ochtends — één lange zin " + "é" * 120}
    org = "Stichting Één; Twee, Drie"
    props = unfold_and_parse(vcard(contact, org))
    by_name = {name: value for name, _, value in props}
    assert unescape(by_name["FN"]) == name
    assert by_name["ORG"] == "Stichting Één\\; Twee\\, Drie"  # one component, not three
    assert unescape(by_name["NOTE"]) == "Bereikbaar: " + contact["availability"]
    assert "KIND" not in by_name  # only named persons are individuals


def test_vcard_for_every_fixture_contact_round_trips(model):
    for pid, items in load_private(OVERLAY, model).items():
        for contact in items:
            props = unfold_and_parse(vcard(contact, model.providers[pid].name))
            assert unescape(dict((n, v) for n, _, v in props)["FN"]) == contact["name"]


# --- overlay_values(): what the public build must never contain -------------------------------------------------

def test_overlay_values_hold_the_private_strings_and_not_the_public_references(model):
    values = overlay_values(load_private(OVERLAY, model))
    assert {"Fenna Fictief", "Bram Bedacht", "+31500000902", "0500000902",
            "fenna.fictief@wijkteam.voorbeeldstad.example"} <= values
    assert any("OVERLAY-TOKEN-7f3a" in v for v in values)
    assert all(len(v) >= 4 for v in values)
    # provider and role ids, enumerations and dates are public by design
    assert not values & {"sociaal-wijkteam-voorbeeldstad", "sociaal-wijkteam", "named-person", "toestemming",
                         "2099-09-01", "2026-09-01"}


def test_fixture_values_are_distinctive_so_a_leak_test_means_something(model):
    values = overlay_values(load_private(OVERLAY, model))
    # public sources: the data, the schemas (the field guide shows their examples) and the hand-written pages
    sources = [*DATA.rglob("*.yaml"), *(ROOT / "schemas").glob("*.json"), *(ROOT / "docs").rglob("*.md")]
    public_text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(sources))
    assert not [v for v in values if v in public_text]
