"""What a visitor notices about search and find, in real headless Chromium against a real `kaart build`.

The site is built once per session from tests/fixtures/valid and served from 127.0.0.1. Every request that
leaves 127.0.0.1 (map tiles) is blocked, so the tests never touch the internet — and would notice a CDN.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import build_site, serve

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "valid"
#: 10:00 in Amsterdam on Monday 2 November 2026 (CET, UTC+1).
MONDAY_10 = "2026-11-02T09:00:00Z"
#: 10:00 in Amsterdam on Christmas Eve (open 09:00–12:00) and Christmas Day (closed) 2026.
CHRISTMAS_EVE_10 = "2026-12-24T09:00:00Z"
CHRISTMAS_10 = "2026-12-25T09:00:00Z"
#: Saturday 7 November 2026, 10:00 Amsterdam: the fixture's only opening hours are weekdays.
SATURDAY_10 = "2026-11-07T09:00:00Z"
PROVIDER = "aanbieders/sociaal-wijkteam-voorbeeldstad/"

pytestmark = pytest.mark.browser

try:  # only the browser tests need Playwright; conftest.find_chromium says how to install Chromium
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover
    expect = None


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    data = FIXTURE_DATA if FIXTURE_DATA.is_dir() else ROOT / "data"
    return build_site(data, tmp_path_factory.mktemp("zoeken") / "site")


@pytest.fixture(scope="session")
def base_url(built_site):
    # Serve under a sub-path, as on GitHub Pages project sites: links and scripts must not assume '/'.
    root = built_site.parent / "www"
    if not root.exists():
        root.mkdir()
        shutil.copytree(built_site, root / "kaart")
    with serve(root) as url:
        yield url + "kaart/"


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
    page.wait_for_selector(".kaart-result", timeout=15000)
    return page.locator(".kaart-result:visible")


def _count(page) -> int:
    text = page.locator("#kaart-search-status").text_content() or ""
    m = re.search(r"(\d+) resulta", text)
    assert m, f"geen aantal resultaten in de live region: {text!r}"
    return int(m.group(1))


def _track_pagefind(page) -> list[str]:
    """The pagefind/ files the page fetches from now on (names relative to pagefind/)."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.split("/pagefind/", 1)[1]) if "/pagefind/" in r.url else None)
    return fetched


def test_typing_a_query_shows_results_with_excerpts(page, base_url):
    page.goto(base_url + "zoeken/")
    box = page.get_by_label("Zoekterm")
    expect(box).to_be_focused()  # ready to type
    box.fill("wijkteam")
    results = _results(page)
    assert results.count() >= 1
    first = results.first
    assert "wijkteam" in first.locator(".kaart-result-link").inner_text().lower()
    assert first.locator(".kaart-result-excerpt mark").count() >= 1
    kinds = page.locator(".kaart-result-kind").all_inner_texts()  # type (· gemeente) per result
    assert "Aanbieder · Voorbeeldstad (voorbeeldgemeente)" in kinds, kinds
    expect(page.locator("#kaart-search-status")).to_contain_text("voor \u2018wijkteam\u2019")
    assert page.url.endswith("zoeken/?q=wijkteam")  # a shared link shows the same search
    first.locator(".kaart-result-link").click()
    page.wait_for_url(re.compile(r"/kaart/(aanbieders|rollen)/[a-z0-9-]+/$"))
    assert page.errors == []


def test_demo_results_say_they_are_examples(page, base_url):
    """A made-up organisation cannot pass for a real one in the results: its title says '(voorbeeld)' and a label
    says the data is made up; a real one (the national 'Landelijk' records) has neither."""
    page.goto(base_url + "zoeken/?q=wijkteam")
    results = _results(page)
    expect(results.first).to_be_visible()
    demo = results.filter(has_text="Voorbeeldstad (voorbeeldgemeente)").first
    expect(demo.locator(".kaart-result-link")).to_have_text(re.compile(r"\(voorbeeld\)$"))
    expect(demo.locator(".kaart-result-demo")).to_have_text("Voorbeeld: verzonnen gegevens. Bel of mail niet.")
    for i in range(results.count()):
        item = results.nth(i)
        if "(voorbeeld" not in item.inner_text():
            assert item.locator(".kaart-result-demo").count() == 0
    assert page.errors == []


def test_ten_results_at_a_time_then_more(page, base_url):
    page.goto(base_url + "zoeken/?q=wijkteam")
    _results(page)
    expect(page.locator("#kaart-search-status")).to_contain_text("resulta")
    total = _count(page)
    assert total > 10, "the fixture should give more than one page of results for 'wijkteam'"
    expect(page.locator(".kaart-result")).to_have_count(10)
    more = page.get_by_role("button", name="Meer resultaten")
    more.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".kaart-result")).to_have_count(min(total, 20))
    # Focus moves to the first new result, so a keyboard user continues where the list grew.
    expect(page.locator(".kaart-result-link").nth(10)).to_be_focused()
    if total <= 20:
        expect(more).to_be_hidden()


def test_home_form_searches_and_dutch_stemming_finds_singular(page, base_url):
    page.goto(base_url)
    page.fill("#kaart-q", "wijkteams")  # plural: Dutch stemming still finds 'wijkteam'
    page.press("#kaart-q", "Enter")
    page.wait_for_url(re.compile(r"/kaart/zoeken/\?q=wijkteams"))
    assert _results(page).count() >= 1
    assert page.get_by_label("Zoekterm").input_value() == "wijkteams"


def test_first_search_does_not_download_the_filter_indexes(page, base_url):
    fetched = _track_pagefind(page)
    page.goto(base_url + "zoeken/?q=wijkteam")
    _results(page)
    page.wait_for_load_state("networkidle")
    assert any(name.startswith("fragment/") for name in fetched)
    assert not [name for name in fetched if name.startswith("filter/") or "pagefind-ui" in name], fetched
    fetched.clear()
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Gemeente", exact=True).select_option("Westerdorp (voorbeeldgemeente)")
    expect(page.locator("#kaart-search-status")).to_contain_text("Gemeente: Westerdorp")
    page.wait_for_load_state("networkidle")
    assert len([name for name in fetched if name.startswith("filter/")]) == 1, fetched  # just the chosen facet


def test_choosing_a_facet_narrows_the_results(page, base_url):
    page.goto(base_url + "zoeken/?q=wijkteam")
    _results(page)
    expect(page.locator("#kaart-search-status")).to_contain_text("resulta")
    before = _count(page)
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Gemeente", exact=True).select_option("Westerdorp (voorbeeldgemeente)")
    expect(page.locator("#kaart-search-status")).to_contain_text("met Gemeente: Westerdorp (voorbeeldgemeente)")
    after = _count(page)
    assert 0 < after < before
    expect(page.locator(".kaart-result")).to_have_count(after)
    for link in page.locator(".kaart-result-link").all():
        assert "voorbeeldstad" not in (link.get_attribute("href") or "")
    for kind in page.locator(".kaart-result-kind").all_inner_texts():
        assert "Westerdorp" in kind
    expect(page.locator("summary")).to_have_text("Filters (1 gekozen)")
    assert "gemeente=Westerdorp" in page.url
    # The chosen filter survives a reload (it is in the address), and "Filters wissen" undoes it.
    page.reload()
    expect(page.locator("#kaart-search-status")).to_contain_text("Westerdorp")
    assert _count(page) == after
    page.get_by_role("button", name="Filters wissen").click()
    expect(page.locator("#kaart-search-status")).to_have_text(re.compile(rf"^{before} resulta"))


def test_facet_without_a_query_lists_what_it_covers(page, base_url):
    page.goto(base_url + "zoeken/")
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Soort", exact=True).select_option("Rol")
    expect(page.locator("#kaart-search-status")).to_contain_text("met Soort: Rol")
    kinds = page.locator(".kaart-result-kind").all_inner_texts()
    assert kinds and all(k.startswith("Rol") for k in kinds)


def test_no_results_says_so(page, base_url):
    page.goto(base_url + "zoeken/")
    page.get_by_label("Zoekterm").fill("xyzzyqwv")
    status = page.locator("#kaart-search-status")
    expect(status).to_contain_text("Geen resultaten voor \u2018xyzzyqwv\u2019")
    expect(status).to_contain_text("Probeer een ander woord")
    assert page.locator(".kaart-result").count() == 0
    assert page.get_by_role("button", name="Meer resultaten").is_hidden()
    # Emptying the box clears the message and the address.
    page.get_by_label("Zoekterm").fill("")
    expect(status).to_have_text("")
    assert "q=" not in page.url


def test_search_with_the_keyboard_only(page, base_url):
    page.goto(base_url + "zoeken/")
    expect(page.get_by_label("Zoekterm")).to_be_focused()
    page.keyboard.type("wijkteam")
    page.keyboard.press("Enter")
    _results(page)
    expect(page.locator("#kaart-search-status")).to_contain_text("resulta")
    # Tab order: search button, the Filters panel, the "nu open" toggle, then the first result.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Zoeken", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("summary")).to_be_focused()
    page.keyboard.press("Enter")  # opens the panel
    page.keyboard.press("Tab")
    expect(page.get_by_label("Soort", exact=True)).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # closes it again
    page.keyboard.press("Tab")
    expect(page.get_by_label("Verberg wat nu gesloten is")).to_be_focused()
    page.keyboard.press("Tab")
    link = page.locator(".kaart-result-link").first
    expect(link).to_be_focused()
    # Focus is visible: a 3px outline.
    assert link.evaluate("a => getComputedStyle(a).outlineWidth") == "3px"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kaart/(aanbieders|rollen)/[a-z0-9-]+/$"))


def test_search_page_reached_by_a_link(page, base_url):
    page.goto(base_url)
    page.locator("a[href$='zoeken/']").first.click()
    page.wait_for_url(re.compile(r"/kaart/zoeken/$"))
    page.get_by_label("Zoekterm").fill("wijkteam")
    assert _results(page).count() >= 1
    assert page.errors == []


def test_first_page_downloads_no_list_of_all_pages_and_links_are_prefetched_on_intent(browser, base_url):
    """What a visitor downloads for a page must not grow with the map: no sitemap (the theme's instant navigation,
    which fetched /sitemap.xml on every first page, is off). Navigation stays fast: a page is prefetched when the
    pointer rests on its link or a finger touches it, and the click then opens it from the cache, with our scripts
    set up on the new page."""
    for device in ({"viewport": {"width": 1280, "height": 900}},
                   {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}):
        context = browser.new_context(locale="nl-NL", **device)
        asked: list[str] = []
        context.on("request", lambda r: asked.append(r.url.removeprefix(base_url)))
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(base_url)
            page.wait_for_load_state("networkidle")
            assert asked and not [u for u in asked if "sitemap" in u], asked
            link = page.locator("article a[href$='hulpvragen/']").first
            if device.get("has_touch"):
                link.dispatch_event("touchstart")
            else:
                link.hover()
            page.locator('link[rel=prefetch][href$="/hulpvragen/"]').wait_for(state="attached")
            page.wait_for_load_state("networkidle")
            assert "hulpvragen/" in asked
            page.locator("article a[href$='wie-betaalt-wat/']").first.focus()  # the keyboard shows intent as well
            page.locator('link[rel=prefetch][href$="/wie-betaalt-wat/"]').wait_for(state="attached")
            assert not [u for u in asked if u.endswith((".json", ".csv", ".zip", ".xml"))
                        and not u.startswith(("assets/", "pagefind/"))], asked
            link.click()
            page.wait_for_url(base_url + "hulpvragen/")
            page.locator("h1", has_text="Hulpvragen").first.wait_for(state="visible")
            page.goto(base_url + "gemeenten/voorbeeldstad/")
            page.locator(f"main a[href$='{PROVIDER.split('/')[1]}/']").first.click()
            page.wait_for_url(base_url + PROVIDER)
            page.locator(".kaart-open-now").first.wait_for(state="attached")
            assert errors == []
        finally:
            context.close()


def test_excerpts_keep_only_mark(page, base_url):
    page.goto(base_url + "zoeken/")
    html = page.evaluate("""() => { const p = document.createElement('p');
        window.kaart.appendExcerpt(p, 'a <mark>b</mark> &lt;c&gt; <img src=x onerror="window.bad=1"><b>d</b><script>window.bad=2</script>');
        return p.innerHTML; }""")
    assert html == "a <mark>b</mark> &lt;c&gt; d"
    assert page.evaluate("() => window.bad") is None


@pytest.mark.parametrize("typed", ["0101 AA", "0101aa", "0101", " 0102 "])
def test_postcode_jumps_to_the_gemeente(page, base_url, typed):
    page.goto(base_url)
    page.fill("#kaart-pc", typed)
    page.press("#kaart-pc", "Enter")
    page.wait_for_url(base_url + "gemeenten/voorbeeldstad/")
    assert "Voorbeeldstad" in page.locator("h1").first.inner_text()


@pytest.mark.parametrize("typed, expected", [("1000 AA", "bestaat niet in Nederland"),
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


def _badges(page, visible_only: bool = True) -> list[str]:
    selector = ".kaart-result:visible .kaart-open-badge" if visible_only else ".kaart-result .kaart-open-badge"
    return page.locator(selector).all_inner_texts()


def test_search_hides_only_what_is_closed_now(page, base_url):
    page.clock.set_fixed_time(MONDAY_10)
    page.goto(base_url + "zoeken/?q=wijkteam")
    before = _results(page).count()
    page.get_by_label("Verberg wat nu gesloten is").check()
    # said once, next to the toggle (a live region), over all results; not repeated in the results status
    expect(page.locator(".kaart-open-count")).to_have_text(re.compile(r"^1 organisatie nu open"))
    assert "nu open" not in page.locator("#kaart-search-status").text_content()
    assert _badges(page) and "Nu gesloten" not in _badges(page)
    assert "Nu open" in _badges(page)
    assert page.locator(".kaart-result:visible").count() == before  # nothing was closed at 10:00 on a Monday


def test_on_saturday_closed_organisations_hide_and_unknown_hours_stay(page, base_url):
    page.clock.set_fixed_time(SATURDAY_10)
    page.goto(base_url + "zoeken/?q=voorbeeldstad")
    before = _results(page).count()
    assert "Nu gesloten" in _badges(page, visible_only=False)
    page.get_by_label("Verberg wat nu gesloten is").check()
    expect(page.locator(".kaart-open-count")).to_have_text(re.compile(r"^0 organisaties nu open, van 1 is de openingstijden"))
    assert page.locator(".kaart-result:visible").count() == before - 1  # only the closed wijkteam went
    assert "Nu gesloten" not in _badges(page)
    assert "Openingstijden onbekend" in _badges(page)  # no hours in the record: not shown as closed


@pytest.fixture(scope="module")
def crisis_url(tmp_path_factory):
    """The fixture data plus a national line that is reachable day and night (and has no opening hours)."""
    data = tmp_path_factory.mktemp("crisis") / "data"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "providers" / "landelijk").mkdir(parents=True)
    (data / "providers" / "landelijk" / "crisislijn.yaml").write_text(CRISIS_LINE, encoding="utf-8")
    site = build_site(data, data.parent / "site")
    with serve(site) as url:
        yield url


CRISIS_LINE = """\
id: crisislijn
name: Crisislijn (testgegevens)
description: Een hulplijn die dag en nacht bereikbaar is, voor deze test.
life_domains: [zorg]
website: https://www.crisislijn.example
always_available: true
services:
  - id: crisislijn
    name: Crisislijn
    description: Praat dag en nacht met iemand.
verified:
  date: "2026-10-01"
  by: Redactie Sociale Kaart
"""
#: Sunday 8 November 2026, 23:00 in Amsterdam: every office is closed.
SUNDAY_23 = "2026-11-08T22:00:00Z"


def test_a_line_open_day_and_night_is_never_hidden(browser, crisis_url):
    context = browser.new_context(locale="nl-NL", timezone_id="Asia/Tokyo")
    pg = context.new_page()
    pg.clock.set_fixed_time(SUNDAY_23)
    pg.goto(crisis_url + "zoeken/?q=crisislijn")
    _results(pg)
    pg.get_by_label("Verberg wat nu gesloten is").check()
    expect(pg.locator(".kaart-open-count")).to_have_text(re.compile(r"^1 organisatie nu open"))
    assert _badges(pg) == ["Dag en nacht bereikbaar"]
    pg.goto(crisis_url + "aanbieders/crisislijn/")
    assert "Dag en nacht bereikbaar" in pg.locator(".kaart-always").inner_text()
    assert pg.evaluate("kaart.statusText(kaart.openStatus({always: true}, new Date()))") == "Dag en nacht bereikbaar"
    context.close()


def test_map_shows_markers_linking_to_providers_without_outside_scripts(page, base_url):
    page.goto(base_url + "gemeenten/voorbeeldstad/")
    page.locator(".kaart-map").scroll_into_view_if_needed()  # Leaflet loads when the map comes near the screen
    marker = page.locator(".kaart-map .leaflet-marker-icon").first
    marker.wait_for(state="visible")
    # Voorbeeldstad is made up, and so are its places: the map says so (real gemeenten: "Kaart met de adressen").
    assert page.locator(".kaart-map").get_attribute("aria-label").startswith("Kaart met voorbeeldlocaties")
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
    # Every page sets up its labels and maps (kaart.js through Material's document$, which emits once per page
    # load; it would emit per swapped page if the theme's instant navigation were on).
    page.clock.set_fixed_time(MONDAY_10)
    page.goto(base_url + "gemeenten/voorbeeldstad/")
    page.locator(".kaart-map").scroll_into_view_if_needed()
    page.locator(".kaart-map .leaflet-marker-icon").first.wait_for(state="visible")
    page.locator(f"main a[href$='{PROVIDER.split('/')[1]}/']").first.click()
    page.wait_for_url(re.compile(PROVIDER + "$"))
    page.locator(".kaart-open-now").first.wait_for(state="visible")
    assert page.locator(".kaart-open-now").first.inner_text() == "Nu open (tot 17:00)"
    page.locator(".kaart-map").scroll_into_view_if_needed()
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
