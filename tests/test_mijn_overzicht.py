"""Mijn overzicht, as a visitor uses it: real `kaart build`, served on 127.0.0.1, driven in headless Chromium.

Add two organisations from their pages, choose a regisseur, write a contact and a note, reload, print, save as a
file, read it back in a fresh browser, and try a broken file. Plus the page without JavaScript, and the script's
promises (nothing sent anywhere, nothing injected as HTML) checked on its source.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import axe, build_site, serve

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "valid"
SCRIPT = ROOT / "scripts" / "kaart" / "assets" / "mijn-overzicht.js"
LINDE = "aanbieders/buurthuis-de-linde/"
WIJKTEAM = "aanbieders/sociaal-wijkteam-voorbeeldstad/"
OVERVIEW = "mijn-overzicht/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(FIXTURE_DATA, tmp_path_factory.mktemp("mijn-overzicht") / "www" / "kaart")


@pytest.fixture(scope="module")
def base_url(site):
    # Served under a sub-path (as on GitHub Pages project sites): nothing may assume the site sits at '/'.
    with serve(site.parent) as url:
        yield url + "kaart/"


#: What the visitor types; it must never appear in any request.
PRIVATE = ("Fatima", "12345678", "dinsdag")


def _watch_requests(context, base_url: str) -> list[str]:
    """Requests that could carry the visitor's data somewhere: any non-GET, any URL with what they typed.

    (The theme and the map make their own GET requests, e.g. map tiles; requests off 127.0.0.1 are blocked.)"""
    suspicious: list[str] = []

    def on_request(request):
        if request.url.startswith(("blob:", "data:")):
            return
        if request.method != "GET" or request.post_data or any(word in request.url for word in PRIVATE):
            suspicious.append(f"{request.method} {request.url}")

    def route(r):
        if r.request.url.startswith(base_url):
            r.continue_()
        else:
            r.abort()

    context.on("request", on_request)
    context.route(re.compile(r"^https?://"), route)
    return suspicious


def _add_from_page(page, base_url: str, url: str, name: str):
    page.goto(base_url + url)
    button = page.get_by_role("button", name="Zet in mijn overzicht")
    button.click()
    status = page.locator(".kaart-mo-add .kaart-mo-status")
    assert f"{name} staat nu in uw overzicht" in status.inner_text()
    assert page.get_by_role("button", name="Haal uit mijn overzicht").is_visible()


@pytest.mark.browser
def test_add_choose_regisseur_reload_print_export_and_import(browser, base_url, tmp_path):
    from playwright.sync_api import expect

    context = browser.new_context(accept_downloads=True)
    outside = _watch_requests(context, base_url)
    page = context.new_page()
    _add_from_page(page, base_url, LINDE, "Buurthuis De Linde")
    _add_from_page(page, base_url, WIJKTEAM, "Sociaal wijkteam Voorbeeldstad")

    # Follow the link on the page (prefetched on intent by kaart.js, then an ordinary page load).
    page.get_by_role("link", name="Bekijk mijn overzicht").click()
    page.wait_for_url(re.compile(r"/mijn-overzicht/$"))
    app = page.locator("#kaart-mo-app")
    expect(app).to_be_visible()
    expect(page.locator(".kaart-mo-nojs")).to_be_hidden()
    expect(app).to_contain_text("Er staan 2 organisaties of rollen in uw overzicht.")
    # Grouped by role (the wijkteam has one, the buurthuis none) and by levensgebied.
    groups = page.locator(".kaart-mo-group").all_inner_texts()
    assert groups[-1] == "Zonder rol" and len(groups) == 2, groups
    expect(page.locator(".kaart-mo-domains dt").first).to_be_visible()

    wijkteam = page.locator('[data-kaart-mo-key="aanbieder:sociaal-wijkteam-voorbeeldstad"]')
    wijkteam.get_by_role("button", name="Maak dit mijn regisseur").click()
    expect(page.locator(".kaart-mo-live")).to_contain_text("Sociaal wijkteam Voorbeeldstad is nu uw regisseur")
    wijkteam = page.locator('[data-kaart-mo-key="aanbieder:sociaal-wijkteam-voorbeeldstad"]')
    expect(wijkteam.get_by_role("button", name="Mijn regisseur")).to_have_attribute("aria-pressed", "true")
    wijkteam.get_by_label("Naam van uw contactpersoon hier").fill("Fatima de Vries")
    wijkteam.get_by_label("Telefoon van uw contactpersoon").fill("06 12345678")
    wijkteam.get_by_label("Notitie").fill("Afspraak op dinsdag <b>om tien uur</b>")

    page.reload()
    wijkteam = page.locator('[data-kaart-mo-key="aanbieder:sociaal-wijkteam-voorbeeldstad"]')
    expect(wijkteam.get_by_label("Naam van uw contactpersoon hier")).to_have_value("Fatima de Vries")
    expect(wijkteam.get_by_label("Notitie")).to_have_value("Afspraak op dinsdag <b>om tien uur</b>")
    expect(wijkteam.locator(".kaart-mo-regisseur-mark")).to_have_text("Mijn regisseur / vaste contactpersoon")
    expect(page.locator(".kaart-mo-regisseur-summary")).to_contain_text(
        "Uw regisseur / vaste contactpersoon: Sociaal wijkteam Voorbeeldstad (Fatima de Vries)")
    # Only one regisseur: choosing the other moves the mark, choosing it back restores it.
    linde = page.locator('[data-kaart-mo-key="aanbieder:buurthuis-de-linde"]')
    linde.get_by_role("button", name="Maak dit mijn regisseur").click()
    expect(page.locator(".kaart-mo-regisseur-mark")).to_have_count(1)
    expect(page.locator('[data-kaart-mo-key="aanbieder:buurthuis-de-linde"] .kaart-mo-regisseur-mark')).to_be_visible()
    page.locator('[data-kaart-mo-key="aanbieder:sociaal-wijkteam-voorbeeldstad"]').get_by_role(
        "button", name="Maak dit mijn regisseur").click()
    expect(page.locator(".kaart-mo-regisseur-mark")).to_have_count(1)

    # Paper: one table with both organisations and the regisseur; the buttons and form fields stay off paper.
    page.emulate_media(media="print")
    table = page.locator(".kaart-mo-print-table")
    expect(table).to_be_visible()
    expect(table).to_contain_text("Buurthuis De Linde")
    expect(table).to_contain_text("Sociaal wijkteam Voorbeeldstad")
    expect(table).to_contain_text("Fatima de Vries")
    regisseur_row = table.locator("tr", has_text="Sociaal wijkteam Voorbeeldstad")
    expect(regisseur_row).to_contain_text("Mijn regisseur")
    expect(table.locator("tr", has_text="Buurthuis De Linde")).not_to_contain_text("Mijn regisseur")
    expect(page.get_by_role("button", name="Print mijn overzicht")).to_be_hidden()
    expect(page.locator(".kaart-mo-list")).to_be_hidden()
    page.emulate_media(media="screen")
    expect(table).to_be_hidden()

    with page.expect_download() as info:
        page.get_by_role("button", name="Bewaar als bestand").click()
    download = info.value
    assert download.suggested_filename == "mijn-overzicht.json"
    saved = tmp_path / "mijn-overzicht.json"
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert [e["id"] for e in data["entries"]] == ["buurthuis-de-linde", "sociaal-wijkteam-voorbeeldstad"]
    assert data["regisseur"] == "aanbieder:sociaal-wijkteam-voorbeeldstad"
    context.close()
    assert outside == [], f"Mijn overzicht stuurde iets weg: {outside}"

    # A fresh browser (another computer): empty, until the file is read in.
    fresh = browser.new_context()
    outside = _watch_requests(fresh, base_url)
    page = fresh.new_page()
    page.goto(base_url + OVERVIEW)
    expect(page.locator(".kaart-mo-empty")).to_be_visible()
    page.get_by_label("Lees een bewaard bestand in").set_input_files(str(saved))
    expect(page.locator(".kaart-mo-live")).to_contain_text("Uw overzicht is ingelezen: 2 organisaties of rollen.")
    expect(page.locator(".kaart-mo-entry")).to_have_count(2)
    wijkteam = page.locator('[data-kaart-mo-key="aanbieder:sociaal-wijkteam-voorbeeldstad"]')
    expect(wijkteam.locator(".kaart-mo-regisseur-mark")).to_be_visible()
    expect(wijkteam.get_by_label("Naam van uw contactpersoon hier")).to_have_value("Fatima de Vries")
    expect(wijkteam.get_by_label("Notitie")).to_have_value("Afspraak op dinsdag <b>om tien uur</b>")

    # A broken file: a clear Dutch message, and the overview stays as it was.
    page.get_by_label("Lees een bewaard bestand in").set_input_files(
        files=[{"name": "kapot.json", "mimeType": "application/json", "buffer": b'{"version": 1, "entries": [{'}])
    error = page.get_by_role("alert").filter(has_text="kunnen we niet lezen")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Uw overzicht is niet veranderd.")
    expect(page.locator(".kaart-mo-entry")).to_have_count(2)

    # Valid JSON with a link to somewhere else is refused just the same.
    evil = {"version": 1, "regisseur": None, "entries": [{"id": "x", "kind": "aanbieder", "name": "X",
                                                          "url": "javascript:alert(1)"}]}
    page.get_by_label("Lees een bewaard bestand in").set_input_files(
        files=[{"name": "link.json", "mimeType": "application/json", "buffer": json.dumps(evil).encode()}])
    expect(error).to_be_visible()
    expect(page.locator(".kaart-mo-entry")).to_have_count(2)

    # Markup in a file stays text.
    markup = {"version": 1, "regisseur": "aanbieder:x", "entries": [{
        "id": "x", "kind": "aanbieder", "name": '<img src="nope.png" id="ingevoegd">Kwaad',
        "url": "aanbieders/x/", "roles": [{"id": "r", "name": "<script>window.kapot=1</script>"}],
        "domains": [], "note": "<b>vet</b>"}]}
    page.get_by_label("Lees een bewaard bestand in").set_input_files(
        files=[{"name": "markup.json", "mimeType": "application/json", "buffer": json.dumps(markup).encode()}])
    expect(page.locator(".kaart-mo-entry")).to_have_count(1)
    expect(page.locator(".kaart-mo-import-error")).to_be_hidden()
    expect(page.locator(".kaart-mo-entry h4")).to_have_text('<img src="nope.png" id="ingevoegd">Kwaad')
    assert page.locator("#ingevoegd").count() == 0
    assert page.locator(".kaart-mo-list b").count() == 0
    assert page.evaluate("window.kapot") is None
    fresh.close()
    assert outside == [], f"Mijn overzicht stuurde iets weg: {outside}"


@pytest.mark.browser
def test_keyboard_remove_and_role_pages(browser, base_url):
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "rollen/sociaal-wijkteam/")
    button = page.get_by_role("button", name="Zet in mijn overzicht")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".kaart-mo-add .kaart-mo-status")).to_contain_text("staat nu in uw overzicht")
    page.goto(base_url + OVERVIEW)
    entry = page.locator(".kaart-mo-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Rol")
    entry.get_by_role("button", name="Verwijder").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".kaart-mo-entry")).to_have_count(0)
    expect(page.locator(".kaart-mo-live")).to_contain_text("is verwijderd uit uw overzicht")
    # Focus lands on the list heading, not on <body>, so a screen reader user knows where they are.
    assert page.evaluate("document.activeElement.id") == "wie-is-er-bij-mij-betrokken"
    expect(page.locator(".kaart-mo-empty")).to_be_visible()
    context.close()


@pytest.mark.browser
def test_without_javascript_a_blank_form_and_no_dead_buttons(browser, base_url):
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + OVERVIEW)
    expect(page.locator("#kaart-mo-app")).to_be_hidden()
    form = page.locator("table.kaart-mo-blank")
    expect(form).to_be_visible()
    expect(form.locator("tbody tr")).to_have_count(8)
    expect(form.locator("th")).to_contain_text(["Regisseur (zet een kruisje)", "Organisatie of rol", "Rol",
                                                 "Levensgebied", "Contactpersoon", "Telefoon", "Notitie"])
    expect(page.get_by_text("Alles blijft bij u.")).to_be_visible()
    page.emulate_media(media="print")
    expect(form).to_be_visible()

    page.emulate_media(media="screen")
    page.goto(base_url + LINDE)
    expect(page.get_by_role("button", name="Zet in mijn overzicht")).to_have_count(0)
    expect(page.get_by_text("print het formulier op")).to_be_visible()
    context.close()


def test_script_sends_nothing_and_writes_no_html():
    source = SCRIPT.read_text(encoding="utf-8")
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                      "fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "document.cookie"):
        assert forbidden not in source, f"mijn-overzicht.js gebruikt {forbidden}"


def test_buttons_are_in_provider_and_role_pages_not_scripts(site):
    from bs4 import BeautifulSoup

    for url, kind in ((LINDE, "aanbieder"), (WIJKTEAM, "aanbieder"), ("rollen/sociaal-wijkteam/", "rol")):
        soup = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
        box = soup.select_one(".kaart-mo-add")
        assert box is not None and box.select_one(".kaart-mo-js").has_attr("hidden"), url
        button = box.find("button")
        assert button["type"] == "button" and button["data-kaart-mo-kind"] == kind
        assert button["data-kaart-mo-url"] == url
        assert json.loads(button["data-kaart-mo-domains"]), url
        assert not [a for a in button.attrs if a.startswith("on")]
    overview = (site / OVERVIEW / "index.html").read_text(encoding="utf-8")
    assert "assets/kaart/mijn-overzicht.js" in overview
    assert not re.search(r"\son[a-z]+=", overview.split('id="kaart-mo-app"', 1)[1].split("</article>", 1)[0])


def test_open_data_page_links_every_download(site):
    from bs4 import BeautifulSoup

    page = site / "open-data" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.select("ul.kaart-downloads a")]
    for needed in ("sociale-kaart.json", "aanbieders.csv", "hsds/organizations.json", "hsds/datapackage.json",
                   "datapackage.json"):
        assert needed in links, f"/open-data/ linkt niet naar {needed}"
    missing = [href for href in links if not (page.parent / href).is_file()]
    assert not missing, f"links naar bestanden die de build niet maakt: {missing}"
    nav = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="open-data/"' in nav and 'href="mijn-overzicht/"' in nav


@pytest.mark.browser
def test_filled_overview_has_no_axe_violations(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    _add_from_page(page, base_url, WIJKTEAM, "Sociaal wijkteam Voorbeeldstad")
    page.goto(base_url + OVERVIEW)
    page.get_by_role("button", name="Maak dit mijn regisseur").click()
    page.locator(".kaart-mo-entry").wait_for()
    results = axe().run(page, context={"include": [["#kaart-mo-app"]]})
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
    context.close()
    assert not violations, violations
