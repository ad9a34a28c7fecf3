"""The web editor in a real Chromium, offline: Decap CMS on its local backend (decap-server from npm) writes into
a temporary copy of the data; what it writes passes `kaart check` and shows up in the next build."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from conftest import ROOT, build_site, run_kaart, serve

pytestmark = pytest.mark.browser

DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def local_editor(tmp_path, data_dir):
    """A built site with /beheer/ on the local backend, decap-server writing into tmp_path/data."""
    if not DECAP_SERVER.is_file():
        pytest.fail(f"{DECAP_SERVER} ontbreekt: voer 'make setup' (npm ci) uit")
    site = build_site(data_dir, tmp_path / "site")
    port = _free_port()
    result = run_kaart("beheer-config", "--local", str(port), "--site", str(site), "--data", str(data_dir))
    assert result.returncode == 0, result.stderr
    log = (tmp_path / "decap-server.log").open("w")
    server = subprocess.Popen(["node", str(DECAP_SERVER)], stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "PORT": str(port), "GIT_REPO_DIRECTORY": str(tmp_path),
                                   "BIND_HOST": "127.0.0.1"})
    try:
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "decap-server.log").read_text()
            time.sleep(0.1)
        with serve(site) as url:
            yield url, tmp_path, data_dir
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _open_editor(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(url + "beheer/")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Aanbieders Voorbeeldstad").first.wait_for(timeout=20000)
    return context, page, errors


def _choose(page, label_for: str, option: str) -> None:
    """Pick an option in a Decap select (react-select): open it, type, Enter."""
    control = page.locator(f"#{label_for}")
    control.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")


def _field_id(page, label: str, nth: int = 0) -> str:
    """The input behind the nth label that reads exactly `label` (optional fields add ' (optioneel)')."""
    exact = re.compile(rf"^\s*{re.escape(label)}(\s*\(optioneel\))?\s*$", re.I)
    return page.locator("label").filter(has_text=exact).nth(nth).get_attribute("for")


def _publish(page) -> None:
    page.get_by_role("button", name="Publiceer").click()
    page.get_by_role("menuitem", name="Publiceer nu").click()
    page.get_by_text("Gepubliceerd", exact=False).first.wait_for(timeout=20000)


def test_create_and_edit_a_provider_in_the_web_editor(browser, local_editor):
    url, repo, data = local_editor
    context, page, errors = _open_editor(browser, url)
    try:
        # --- a new provider, through the form -------------------------------------------------------------
        page.goto(url + "beheer/#/collections/provider-voorbeeldstad/new")
        page.locator("label", has_text="Id").first.wait_for()
        page.fill(f"#{_field_id(page, 'Id')}", "repair-cafe-noord")
        page.fill(f"#{_field_id(page, 'Naam')}", "Repair Café Noord")
        page.fill(f"#{_field_id(page, 'Omschrijving')}", "Samen kapotte spullen maken: # geen commentaar, 'quotes': ok.")
        _choose(page, _field_id(page, "Levensgebieden"), "Meedoen")
        page.fill(f"#{_field_id(page, 'Website')}", "https://repaircafe-noord.example")
        page.get_by_role("button", name="Voeg diensten toe").click()
        page.fill(f"#{_field_id(page, 'Id', 1)}", "reparatie-avond")
        page.fill(f"#{_field_id(page, 'Naam', 1)}", "Reparatieavond")
        page.fill(f"#{_field_id(page, 'Omschrijving', 1)}", "Elke maand op dinsdagavond.")
        page.fill(f"#{_field_id(page, 'Datum van controle')}", "2026-10-15")
        page.fill(f"#{_field_id(page, 'Gecontroleerd door')}", "Redactie Voorbeeldstad")
        _publish(page)

        created = data / "providers" / "voorbeeldstad" / "repair-cafe-noord.yaml"
        assert created.is_file(), sorted(p.name for p in created.parent.iterdir())
        # The editor writes YAML 1.2 (dates unquoted); kaart reads YAML 1.2 too, so read as text here.
        record = yaml.load(created.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        assert record["name"] == "Repair Café Noord"
        assert record["life_domains"] == ["meedoen"]
        assert record["services"][0]["id"] == "reparatie-avond"
        assert record["verified"] == {"date": "2026-10-15", "by": "Redactie Voorbeeldstad"}

        # --- an existing provider, edited -----------------------------------------------------------------
        page.goto(url + "beheer/#/collections/provider-voorbeeldstad")
        page.get_by_text("Buurthuis De Linde (buurthuis-de-linde)").click()
        name = page.locator(f"#{_field_id(page, 'Naam')}")
        expect(name).to_have_value("Buurthuis De Linde", timeout=20000)
        name.fill("Buurthuis De Linde (Noord)")
        _publish(page)
        text = (data / "providers" / "voorbeeldstad" / "buurthuis-de-linde.yaml").read_text(encoding="utf-8")
        edited = yaml.load(text, Loader=yaml.BaseLoader)
        # Decap writes the whole record again: YAML comments are dropped (docs/bijdragen.md says so; the
        # explanations live in the field guide). If a new Decap keeps them, update the guide and this line.
        assert "# Minimaal voorbeeld" not in text
        assert edited["name"] == "Buurthuis De Linde (Noord)"
        assert edited["services"][0]["id"] == "koffieochtend"  # the rest is kept
        assert errors == []
    finally:
        context.close()

    check = run_kaart("check", "--data", str(data))
    assert check.returncode == 0, check.stdout + check.stderr
    site = build_site(data, repo / "site-2")
    new_page = (site / "aanbieders" / "repair-cafe-noord" / "index.html").read_text(encoding="utf-8")
    assert "Repair Café Noord" in new_page and "Reparatieavond" in new_page
    assert "Buurthuis De Linde (Noord)" in (site / "aanbieders" / "buurthuis-de-linde" / "index.html").read_text(
        encoding="utf-8")
