"""Old addresses keep working: data/redirects.yaml is checked by `kaart check` and built into small pages."""

from __future__ import annotations

import json
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, VALID_DIR, run_kaart

RENAMED = """\
redirects:
  - from: aanbieders/wijkteam-oud/
    to: aanbieders/sociaal-wijkteam-voorbeeldstad/
  - from: aanbieders/buurtloket-gestopt/
    to: gemeenten/voorbeeldstad/
    removed: Het Buurtloket is gestopt. <b>Het wijkteam</b> helpt u verder.
"""


@pytest.fixture
def data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(VALID_DIR, target)
    return target


def _problems(data) -> list[dict]:
    result = run_kaart("check", "--data", str(data), "--format", "json")
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout), result.returncode


def test_build_writes_a_forwarding_page_at_the_old_address(data, tmp_path):
    (data / "redirects.yaml").write_text(RENAMED, encoding="utf-8")
    out = tmp_path / "site"
    result = run_kaart("build", "--data", str(data), "--out", str(out), timeout=300)
    assert result.returncode == 0, result.stderr

    old = BeautifulSoup((out / "aanbieders/wijkteam-oud/index.html").read_text(encoding="utf-8"), "html.parser")
    assert old.html["lang"] == "nl"
    refresh = old.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh["content"] == "0; url=../sociaal-wijkteam-voorbeeldstad/"
    link = old.find("a", string="Ga naar de nieuwe pagina")
    assert link["href"] == "../sociaal-wijkteam-voorbeeldstad/"
    assert (out / "aanbieders/wijkteam-oud" / link["href"] / "index.html").resolve().exists()
    assert old.find("link", rel="canonical")["href"].endswith("/aanbieders/sociaal-wijkteam-voorbeeldstad/")
    assert old.find("script") is None, "no script: the site runs under a strict CSP"
    assert old.find("meta", attrs={"name": "robots"})["content"] == "noindex"

    gone = BeautifulSoup((out / "aanbieders/buurtloket-gestopt/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert gone.find("meta", attrs={"http-equiv": "refresh"}) is None, "a removed page explains instead of jumping"
    assert "Het Buurtloket is gestopt. <b>Het wijkteam</b> helpt u verder." in gone.get_text()
    assert gone.find("b") is None
    assert gone.find("a")["href"] == "../../gemeenten/voorbeeldstad/"

    sitemaps = "".join(f.read_text(encoding="utf-8") for f in [out / "sitemap.xml", *out.glob("sitemaps/*.xml")])
    assert "/rollen/" in sitemaps, "the sitemaps are read (this data has only demo providers: noindex, not listed)"
    assert "wijkteam-oud" not in sitemaps and "buurtloket-gestopt" not in sitemaps
    # Written after the page shell got its Content-Security-Policy, so the build adds it to these two itself.
    for page in (old, gone):
        assert len(page.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})) == 1


def test_check_refuses_a_redirect_to_a_missing_page(data):
    (data / "redirects.yaml").write_text(
        "redirects:\n  - from: aanbieders/oud/\n    to: aanbieders/sociaal-wijkteam-voorbeeldstadd/\n", encoding="utf-8")
    problems, code = _problems(data)
    assert code == 1
    [p] = [p for p in problems if p["code"] == "redirect-to-missing"]
    assert p["path"].endswith("redirects.yaml") and p["line"] == 3
    assert "aanbieders/sociaal-wijkteam-voorbeeldstadd/" in p["message"]
    assert "aanbieders/sociaal-wijkteam-voorbeeldstad/" in p["hint"]  # did you mean


def test_check_refuses_a_redirect_over_an_existing_page(data):
    (data / "redirects.yaml").write_text(
        "redirects:\n  - from: aanbieders/buurthuis-de-linde/\n    to: gemeenten/voorbeeldstad/\n"
        "  - from: aanbieders/buurthuis-de-linde/\n    to: gemeenten/voorbeeldstad/\n", encoding="utf-8")
    problems, code = _problems(data)
    assert code == 1
    codes = sorted(p["code"] for p in problems if p["severity"] == "error")
    assert codes == ["redirect-duplicate", "redirect-from-exists", "redirect-from-exists"]


@pytest.mark.parametrize("line, code", [
    ("  - from: https://example.org/x/\n    to: gemeenten/voorbeeldstad/\n", "pattern"),
    ("  - from: aanbieders/x\n    to: gemeenten/voorbeeldstad/\n", "pattern"),
    ("  - from: aanbieders/x/\n    to: javascript:alert(1)\n", "pattern"),
    ("  - from: aanbieders/x/\n    naar: gemeenten/voorbeeldstad/\n", "unknown-key"),
])
def test_check_explains_malformed_redirects(data, line, code):
    (data / "redirects.yaml").write_text("redirects:\n" + line, encoding="utf-8")
    problems, rc = _problems(data)
    assert rc == 1
    assert code in {p["code"] for p in problems}, problems


def test_repository_redirects_are_valid(monkeypatch):
    monkeypatch.delenv("KAART_TODAY")  # data/ has real dates
    result = run_kaart("check", "--data", str(ROOT / "data"), "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    problems = json.loads(result.stdout)
    assert not [p for p in problems if p["path"].endswith("redirects.yaml")], problems
