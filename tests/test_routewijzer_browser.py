"""The Routewijzer in a real browser (Debian Chromium), on an emulated phone (375 px) and a 1280 px desktop: click
through to a hulpvraag with a gemeente chosen and see a phone number, the back button and the 'Terug' link go to
the question before, an urgent answer shows 112 and 113 first, and all of it also works with JavaScript off.
axe on the route pages runs with the other page kinds (tests/test_a11y.py, PAGE_TYPES)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_a11y import PHONE, Tab, _axe, base_url, built_site  # noqa: F401  (session fixtures: one build)

pytestmark = pytest.mark.browser

DEVICES = {"phone": {**PHONE, "viewport": {"width": 375, "height": 667}}, "desktop": None}
#: A number as the pages write it: '0800 2000', '050 000 0123'.
NUMBER = re.compile(r"\b0\d{2,3} \d{3,4}( \d{3,4})?\b")


def _tab(browser, base_url, device: str, js: bool = True) -> Tab:
    tab = Tab(browser, base_url, device=DEVICES[device])
    if not js:  # a second context without JavaScript, with the same outside-request guard
        tab.context.close()
        options = DEVICES[device] or {"viewport": {"width": 1280, "height": 900}}
        tab.context = browser.new_context(**options, locale="nl-NL", java_script_enabled=False)
        tab.context.route(lambda u: not u.startswith(base_url), lambda route: route.abort())
        tab.page = tab.context.new_page()
    return tab


def _answer(page, text: str) -> None:
    link = page.locator("a.kaart-route-answer", has_text=text).first
    box = link.bounding_box()
    assert box and box["height"] >= 44, box  # a touch target
    with page.expect_navigation():
        link.click()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("js", [True, False], ids=["js", "zonder-js"])
def test_click_through_to_a_hulpvraag_in_a_gemeente_and_see_a_phone_number(browser, base_url, device, js):
    tab = _tab(browser, base_url, device, js)
    try:
        page = tab.page
        page.goto(base_url + "routewijzer/")
        expect(page.locator("h1")).to_have_text("Voor wie zoekt u hulp?")
        assert page.locator(".kaart-route-step").inner_text() == "Vraag 1 van 4"
        _answer(page, "Voor mijzelf")
        expect(page.locator("h1")).to_have_text("Waar gaat uw vraag over?")
        _answer(page, "Geld, schulden of rondkomen")
        assert page.locator(".kaart-route-step").inner_text() == "Vraag 3 van 4"
        # the back button, then 'Terug': both to the question before
        page.go_back()
        expect(page.locator("h1")).to_have_text("Waar gaat uw vraag over?")
        page.go_forward()
        with page.expect_navigation():
            page.locator("a.kaart-route-back").click()
        expect(page.locator("h1")).to_have_text("Waar gaat uw vraag over?")
        _answer(page, "Geld, schulden of rondkomen")
        _answer(page, "Ik heb schulden en ik kan mijn rekeningen niet betalen")
        expect(page.locator("h1")).to_have_text("In welke gemeente woont u?")
        assert page.locator("form[data-kaart-route-postcode]").is_visible() == js  # no box that does nothing
        _answer(page, "Voorbeeldstad")
        assert page.url.endswith("/gemeenten/voorbeeldstad/hulpvragen/schulden/")
        box = page.locator(".kaart-local").first
        assert "In Voorbeeldstad" in box.inner_text()
        assert NUMBER.search(box.inner_text()), box.inner_text()
        page.go_back()
        expect(page.locator("h1")).to_have_text("In welke gemeente woont u?")
        if js:  # the gemeente the browser now remembers is offered first
            remembered = page.locator(".kaart-route-remembered a.kaart-route-answer")
            remembered.wait_for(state="visible", timeout=5000)
            assert remembered.inner_text().startswith("Verder met Voorbeeldstad")
        tab.page.screenshot(path=str(_shot(f"gemeente-{device}-{'js' if js else 'zonder-js'}")))
    finally:
        tab.close()


def _shot(name: str):
    from pathlib import Path
    import tempfile

    folder = Path(tempfile.gettempdir()) / "kaart-routewijzer-shots"
    folder.mkdir(exist_ok=True)
    return folder / f"{name}.png"


@pytest.mark.parametrize("device", DEVICES)
def test_a_postcode_takes_the_visitor_to_the_hulpvraag_in_that_gemeente(browser, base_url, device):
    tab = _tab(browser, base_url, device)
    try:
        page = tab.page
        page.goto(base_url + "routewijzer/gemeente-schulden/")
        page.locator("#kaart-route-pc").fill("0101 AB")
        with page.expect_navigation():
            page.locator("form[data-kaart-route-postcode] button").click()
        assert page.url.endswith("/gemeenten/voorbeeldstad/hulpvragen/schulden/")
        assert NUMBER.search(page.locator(".kaart-local").first.inner_text())
        # a gemeente without local records: the page for everyone, with the box kaart.js fills for that gemeente
        page.goto(base_url + "routewijzer/gemeente-schulden/")
        page.locator("#kaart-route-pc").fill("3511")
        with page.expect_navigation():
            page.locator("form[data-kaart-route-postcode] button").click()
        assert page.url.endswith("/hulpvragen/schulden/")
        page.locator(".kaart-local-slot .kaart-local").wait_for(timeout=5000)
        assert "In Utrecht" in page.locator(".kaart-local-slot").inner_text()
        assert not tab.outside, tab.outside  # nothing left this site
    finally:
        tab.close()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("js", [True, False], ids=["js", "zonder-js"])
def test_an_urgent_answer_shows_112_and_113_first(browser, base_url, device, js):
    tab = _tab(browser, base_url, device, js)
    try:
        page = tab.page
        page.goto(base_url + "routewijzer/")
        first = page.locator("a.kaart-route-answer").first
        assert "kaart-route-urgent" in first.get_attribute("class")
        _answer(page, "Ik denk aan zelfdoding")
        expect(page.locator("h1")).to_have_text("Nu direct hulp")
        calls = page.locator(".kaart-page a[href^='tel:']")
        assert [calls.nth(i).get_attribute("href") for i in range(3)] == ["tel:112", "tel:113", "tel:08000113"]
        height = (DEVICES[device] or {"viewport": {"height": 900}})["viewport"]["height"]
        box = calls.nth(1).bounding_box()
        assert box and box["y"] + box["height"] <= height, box  # 113 on the first screen
        page.go_back()
        expect(page.locator("h1")).to_have_text("Voor wie zoekt u hulp?")
        page.screenshot(path=str(_shot(f"nu-hulp-{device}-{'js' if js else 'zonder-js'}")))
    finally:
        tab.close()


def test_route_pages_have_no_axe_violations_on_a_phone(browser, base_url):
    tab = Tab(browser, base_url, device=PHONE)
    try:
        for address in ("routewijzer/", "routewijzer/kind/", "routewijzer/gemeente-schulden/", "routewijzer/nu-hulp/"):
            page = tab.open(address)
            assert _axe(page) == [], address
        assert not tab.console, tab.console
        assert not tab.csp_violations()
    finally:
        tab.close()
