"""What a visitor notices about search and find, in real headless Chromium against a real `kaart build`.

The site is built once per session from tests/fixtures/valid and served from 127.0.0.1. Every request that
leaves 127.0.0.1 (map tiles) is blocked, so the tests never touch the internet — and would notice a CDN.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "valid"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
#: 10:00 in Amsterdam on Monday 2 November 2026 (CET, UTC+1).
MONDAY_10 = "2026-11-02T09:00:00Z"
#: 10:00 in Amsterdam on Christmas Eve (open 09:00–12:00) and Christmas Day (closed) 2026.
CHRISTMAS_EVE_10 = "2026-12-24T09:00:00Z"
CHRISTMAS_10 = "2026-12-25T09:00:00Z"
#: Saturday 7 November 2026, 10:00 Amsterdam: the fixture's only opening hours are weekdays.
SATURDAY_10 = "2026-11-07T09:00:00Z"
PROVIDER = "aanbieders/sociaal-wijkteam-voorbeeldstad/"

pytestmark = pytest.mark.browser

try:  # only the browser tests need Playwright; _need_chromium says how to install it
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover
    expect = None


def _need_chromium():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} ontbreekt: installeer Chromium met 'make browser' (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright ontbreekt: pip install -e '.[test]'")
        pytest.skip("playwright ontbreekt")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    data = FIXTURE_DATA if FIXTURE_DATA.is_dir() else ROOT / "data"
    out = tmp_path_factory.mktemp("zoeken") / "site"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "KAART_TODAY": "2026-11-01"}
    result = subprocess.run([sys.executable, "-m", "kaart.cli", "build", "--data", str(data), "--out", str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def base_url(built_site):
    # Serve under a sub-path, as on GitHub Pages project sites: links and scripts must not assume '/'.
    root = built_site.parent / "www"
    if not root.exists():
        root.mkdir()
        shutil.copytree(built_site, root / "kaart")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/kaart/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(locale="nl-NL", timezone_id="America/New_York")  # Amsterdam time must not depend on the device
    pg = context.new_page()
    pg.outside_requests = []
    pg.errors = []

    def route(r):
        if r.request.url.startswith(base_url):
            r.continue_()
        else:
            pg.outside_requests.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def _results(page):
    page.wait_for_selector(".pagefind-ui__result", timeout=15000)
    page.wait_for_timeout(300)  # let the result list settle (Pagefind renders in steps)
    return page.locator(".pagefind-ui__result:visible")


def _count(page) -> int:
    text = page.locator("#kaart-search-status").text_content() or ""
    m = re.search(r"(\d+) resulta", text)
    assert m, f"geen aantal resultaten in de live region: {text!r}"
    return int(m.group(1))


def test_typing_a_query_shows_results_with_excerpts(page, base_url):
    page.goto(base_url + "zoeken/")
    box = page.get_by_label("Zoekterm")
    box.fill("wijkteam")
    results = _results(page)
    assert results.count() >= 1
    assert "wijkteam" in results.first.locator(".pagefind-ui__result-link").inner_text().lower()
    assert results.first.locator(".pagefind-ui__result-excerpt mark").count() >= 1
    expect(page.locator("#kaart-search-status")).to_contain_text("resulta")
    assert _count(page) >= 1
    assert page.errors == []


def test_home_form_searches_and_dutch_stemming_finds_singular(page, base_url):
    page.goto(base_url)
    page.fill("#kaart-q", "wijkteams")  # plural: Dutch stemming still finds 'wijkteam'
    page.press("#kaart-q", "Enter")
    page.wait_for_url(re.compile(r"/kaart/zoeken/\?q=wijkteams"))
    assert _results(page).count() >= 1
    assert page.get_by_label("Zoekterm").input_value() == "wijkteams"


def test_choosing_a_facet_narrows_the_results(page, base_url):
    page.goto(base_url + "zoeken/?q=wijkteam")
    _results(page)
    expect(page.locator("#kaart-search-status")).to_contain_text("resulta")
    before = _count(page)
    page.locator("summary", has_text="Gemeente").click()
    page.get_by_label(re.compile(r"^Westerdorp")).check()
    expect(page.locator("#kaart-search-status")).not_to_have_text(re.compile(rf"^{before} "))
    after = _count(page)
    assert 0 < after < before
    for link in page.locator(".pagefind-ui__result-link").all():
        assert "voorbeeldstad" not in (link.get_attribute("href") or "")


@pytest.mark.parametrize("typed", ["0101 AA", "0101aa", "0101", " 0102 "])
def test_postcode_jumps_to_the_gemeente(page, base_url, typed):
    page.goto(base_url)
    page.fill("#kaart-pc", typed)
    page.press("#kaart-pc", "Enter")
    page.wait_for_url(base_url + "gemeenten/voorbeeldstad/")
    assert "Voorbeeldstad" in page.locator("h1").first.inner_text()


@pytest.mark.parametrize("typed, expected", [("9999 ZZ", "staat nog niet in de Sociale Kaart"),
                                             ("12", "geen postcode"), ("", "Typ eerst uw postcode")])
def test_postcode_unknown_or_wrong_says_so(page, base_url, typed, expected):
    for url in (base_url, base_url + "gemeenten/"):
        page.goto(url)
        page.fill("#kaart-pc", typed)
        page.click("form[data-kaart-postcode] button")
        result = page.locator(".kaart-postcode-result")
        expect(result).not_to_be_empty()
        assert expected in result.inner_text()
        assert page.url == url  # stayed on the page
        assert page.locator("#kaart-pc").get_attribute("aria-invalid") == "true"


def test_postcode_form_without_javascript_goes_to_the_gemeenten_list(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(base_url)
    pg.fill("#kaart-pc", "0101 AA")
    pg.press("#kaart-pc", "Enter")
    pg.wait_for_url(re.compile(r"/kaart/gemeenten/\?postcode="))
    assert pg.locator("h1").first.inner_text() == "Gemeenten"
    context.close()


@pytest.mark.parametrize("when, expected", [(MONDAY_10, "Nu open (tot 17:00)"),
                                            (CHRISTMAS_EVE_10, "Nu open (tot 12:00)"),
                                            (CHRISTMAS_10, "Nu gesloten"),
                                            (SATURDAY_10, "Nu gesloten")])
def test_open_now_label_in_amsterdam_time(page, base_url, when, expected):
    page.clock.set_fixed_time(when)
    page.goto(base_url + PROVIDER)
    label = page.locator(".kaart-location .kaart-open-now").first
    label.wait_for(state="visible")
    assert label.inner_text() == expected
    # The table of hours stays: the label is an extra.
    assert page.locator(".kaart-hours").first.is_visible()


def test_search_only_open_now(page, base_url):
    page.clock.set_fixed_time(MONDAY_10)
    page.goto(base_url + "zoeken/?q=wijkteam")
    before = _results(page).count()
    page.get_by_label("Alleen organisaties die nu open zijn").check()
    expect(page.locator(".kaart-open-count")).not_to_be_empty()
    visible = page.locator(".pagefind-ui__result:visible")
    assert 0 < visible.count() < before
    for item in visible.all():
        assert item.locator(".kaart-open-badge").inner_text() == "Nu open"
    assert "nu open" in page.locator("#kaart-search-status").text_content()


def test_search_only_open_now_on_saturday_hides_all(page, base_url):
    page.clock.set_fixed_time(SATURDAY_10)
    page.goto(base_url + "zoeken/?q=wijkteam")
    _results(page)
    page.get_by_label("Alleen organisaties die nu open zijn").check()
    expect(page.locator(".kaart-open-count")).to_have_text(re.compile(r"^0 "))
    assert page.locator(".pagefind-ui__result:visible").count() == 0


def test_map_shows_markers_linking_to_providers_without_outside_scripts(page, base_url):
    page.goto(base_url + "gemeenten/voorbeeldstad/")
    marker = page.locator(".kaart-map .leaflet-marker-icon").first
    marker.wait_for(state="visible")
    assert page.locator(".kaart-map").get_attribute("aria-label").startswith("Kaart met de adressen")
    marker.click()
    popup_link = page.locator(".leaflet-popup-content a").first
    popup_link.wait_for(state="visible")
    popup_link.click()
    page.wait_for_url(re.compile(r"/kaart/aanbieders/[a-z0-9-]+/$"))
    # The only outside requests a visitor's browser makes are map tiles (blocked here).
    assert page.outside_requests
    assert all("service.pdok.nl" in u for u in page.outside_requests), page.outside_requests
    assert page.errors == []


def test_following_links_keeps_the_scripts_working(page, base_url):
    # With Material's instant navigation the next page arrives without reloading scripts; kaart.js
    # re-runs through Material's document$ for every page, so labels and maps appear either way.
    page.clock.set_fixed_time(MONDAY_10)
    page.goto(base_url + "gemeenten/voorbeeldstad/")
    page.locator(".kaart-map .leaflet-marker-icon").first.wait_for(state="visible")
    page.locator(f"main a[href$='{PROVIDER.split('/')[1]}/']").first.click()
    page.wait_for_url(re.compile(PROVIDER + "$"))
    page.locator(".kaart-open-now").first.wait_for(state="visible")
    assert page.locator(".kaart-open-now").first.inner_text() == "Nu open (tot 17:00)"
    page.locator(".kaart-map .leaflet-marker-icon").first.wait_for(state="visible")
    assert page.errors == []


def test_without_javascript_addresses_and_hours_remain(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(base_url + PROVIDER)
    assert pg.locator(".kaart-address").first.is_visible()
    assert pg.locator(".kaart-hours").first.is_visible()
    assert not pg.locator(".kaart-map").first.is_visible()
    assert not pg.locator(".kaart-open-now").first.is_visible()
    pg.goto(base_url + "zoeken/")
    assert "Zoeken werkt alleen met JavaScript" in pg.locator(".kaart-search").inner_text()
    context.close()
