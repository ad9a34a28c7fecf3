"""Accessibility and Content-Security-Policy in a real browser (Debian Chromium via Playwright), on the real site.

The public and the professional site are built once per test session from data/ with the real `kaart build` and
served on 127.0.0.1 under the site's own base path (as the host serves it: the 404 page uses absolute addresses).
Every page kind of both builds is checked with axe-core (WCAG 2.0/2.1 A and AA) on a 1280 px desktop and on an
emulated phone (375×812, touch, mobile viewport: some failures only show there), plus no sideways scrolling at
320 CSS px (what 400 % zoom on a 1280 px screen leaves), with the keyboard only, and under the site's own CSP.

axe-core comes from the axe-playwright-python package (it bundles a pinned axe-core build): one Python dependency,
no node_modules needed to run the tests, and the version is pinned in pyproject.toml like every other test tool.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from conftest import axe, build_site, serve
from site_checks import policy_problems

ROOT = Path(__file__).resolve().parents[1]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

#: One URL per page type (demo gemeente Voorbeeldstad). Each must exist in the built site.
PAGE_TYPES = {
    "home": "",
    "gemeente": "gemeenten/voorbeeldstad/",
    "rol": "rollen/wmo-consulent/",
    "rollen-matrix": "rollen/",
    "hulpvraag": "hulpvragen/schulden/",
    "hulpvraag-in-gemeente": "gemeenten/voorbeeldstad/hulpvragen/schulden/",
    "rol-in-gemeente": "gemeenten/voorbeeldstad/rollen/wmo-consulent/",
    "aanbieder": "aanbieders/buurthuis-de-schakel/",
    "wie-betaalt-wat": "wie-betaalt-wat/",
    "zoeken": "zoeken/?q=schulden",
    "open-data": "open-data/",
    "bijdragen": "bijdragen/",
    "toegankelijkheid": "toegankelijkheid/",
    "mijn-overzicht": "mijn-overzicht/",
    "signalen": "signalen/",
    "signaal": "signalen/huurachterstand/",
    "gemeenten": "gemeenten/",
    "gemeente-zonder-lokale-gegevens": "gemeenten/utrecht/",
    "hulpvragen": "hulpvragen/",
    "levensgebieden": "levensgebieden/",
    "levensgebied": "levensgebieden/geld-en-schulden/",
    "landelijk": "landelijk/",
    "velden": "bijdragen/velden/",
    "over": "over/",
    "privacy": "privacy/",
    "professionals": "professionals/",
    "routewijzer": "routewijzer/",
    "routewijzer-vraag": "routewijzer/geld/",
    "routewijzer-gemeente": "routewijzer/gemeente-schulden/",
    "routewijzer-nu-hulp": "routewijzer/nu-hulp/",
    "404": "404.html",
}

#: The pages that differ in the professional build (warm contacts, banner); the rest are the public pages.
PRO_PAGE_TYPES = {
    "aanbieder-met-warm-contact": "aanbieders/sociaal-wijkteam-voorbeeldstad/",
    "rol": "rollen/sociaal-wijkteam/",
    "gemeente": "gemeenten/voorbeeldstad/",
    "signaal": "signalen/huurachterstand/",
    "professionals": "professionals/",
    "zoeken": "zoeken/?q=wijkteam",
}
OVERLAY = ROOT / "tests" / "fixtures" / "overlay"
#: The phone a citizen uses: what Playwright's device list gives a small phone (mobile viewport and touch on).
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}

# A 1×1 transparent PNG: map tiles are answered locally, so the test needs no internet and still proves the
# policy allows the tile host (a blocked image would be a securitypolicyviolation).
_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    return build_site(None, tmp_path_factory.mktemp("a11y") / "site", today=None)


@pytest.fixture(scope="session")
def pro_site(tmp_path_factory) -> Path:
    return build_site(None, tmp_path_factory.mktemp("a11y-pro") / "site", "--audience", "professional",
                      "--private", str(OVERLAY), today=None)


def _base_path() -> str:
    """The path of site_url ("sociale-kaart/"): the site is served there, as on the real host."""
    import urllib.parse

    import yaml

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return urllib.parse.urlparse(config["site_url"]).path.strip("/") + "/"


@contextlib.contextmanager
def _serve_at_base_path(site: Path, root: Path):
    (root / _base_path().rstrip("/")).symlink_to(site, target_is_directory=True)
    with serve(root) as url:
        yield url + _base_path()


@pytest.fixture(scope="session")
def base_url(built_site, tmp_path_factory):
    with _serve_at_base_path(built_site, tmp_path_factory.mktemp("host")) as url:
        yield url


@pytest.fixture(scope="session")
def pro_base_url(pro_site, tmp_path_factory):
    with _serve_at_base_path(pro_site, tmp_path_factory.mktemp("pro-host")) as url:
        yield url


_WATCH = """
window.__kaartCsp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__kaartCsp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


class Tab:
    """One browser page with console and CSP-violation collection."""

    def __init__(self, browser, base_url: str, width: int = 1280, height: int = 900, device: dict | None = None):
        self.context = browser.new_context(**(device or {"viewport": {"width": width, "height": height}}),
                                           locale="nl-NL", service_workers="block")
        self.context.add_init_script(_WATCH)
        self.context.route(lambda url: not url.startswith(base_url), self._outside)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.console: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

    def _outside(self, route):
        url = route.request.url
        self.outside.append(url)
        if route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/png", body=_PNG)
        else:
            route.abort()

    def open(self, url: str):
        response = self.page.goto(self.base_url + url)
        assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
        self.page.wait_for_load_state("networkidle")
        if url.startswith("zoeken/"):
            self.page.wait_for_selector(".kaart-result", timeout=15000)
        if self.page.locator("[data-kaart-map]").count():  # the map's script has run and its tiles are in
            self.page.locator("[data-kaart-map]").first.scroll_into_view_if_needed()  # Leaflet loads when near
            self.page.wait_for_selector(".leaflet-tile-loaded", timeout=15000)
            self.page.wait_for_load_state("networkidle")
        return self.page

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__kaartCsp || []")

    def close(self):
        self.context.close()


@pytest.fixture
def tab(browser, base_url):
    t = Tab(browser, base_url)
    yield t
    t.close()


@pytest.fixture
def phone(browser, base_url):
    t = Tab(browser, base_url, device=PHONE)
    yield t
    t.close()


@pytest.fixture
def narrow(browser, base_url):
    t = Tab(browser, base_url, width=320, height=640)
    yield t
    t.close()


def _require(built_site: Path, kind: str, pages: dict = PAGE_TYPES) -> str:
    url = pages[kind]
    path = url.split("?")[0]
    if not (built_site / (path if path.endswith(".html") else path + "index.html")).is_file():
        pytest.fail(f"page type {kind}: /{url} is missing from the built site")
    return url


def _axe(page) -> list[str]:
    result = axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [f"{v['id']} ({v['impact']}): {v['help']} — {n['target']}: {n.get('failureSummary', '')}"
            for v in result.response["violations"] for n in v["nodes"][:3]]


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_finds_no_wcag_violations(kind, built_site, tab):
    page = tab.open(_require(built_site, kind))
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert _axe(page) == []


def _scrolls_sideways(page) -> list[int] | None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return widths if widths[0] > widths[1] else None


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_phone_no_violations_and_no_sideways_scrolling(kind, built_site, phone):
    page = phone.open(_require(built_site, kind))
    assert page.evaluate("matchMedia('(pointer: coarse)').matches"), "not an emulated phone"
    assert not _scrolls_sideways(page), f"/{PAGE_TYPES[kind]} scrolls sideways on a phone"
    assert _axe(page) == []


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_400_percent_zoom_does_not_scroll_sideways(kind, built_site, narrow):
    page = narrow.open(_require(built_site, kind))
    assert not _scrolls_sideways(page), f"/{PAGE_TYPES[kind]} scrolls sideways at 320 px"


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("kind", PRO_PAGE_TYPES)
def test_professional_pages_have_no_violations(kind, device, pro_site, pro_base_url, browser):
    tab = Tab(browser, pro_base_url, device=PHONE if device == "phone" else None)
    try:
        page = tab.open(_require(pro_site, kind, PRO_PAGE_TYPES))
        assert page.locator(".kaart-pro-banner").count() == 1  # it is the professional build
        assert _axe(page) == []
        assert not _scrolls_sideways(page)
        assert tab.csp_violations() == [] and tab.console == []
    finally:
        tab.close()


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_works_under_its_content_security_policy(kind, built_site, tab):
    page = tab.open(_require(built_site, kind))
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
    assert policy.count() == 1
    content = policy.get_attribute("content")
    assert policy_problems(content) == [], content  # per directive, whatever their order (tests/site_checks.py)
    # Tab.open waited for the late scripts (search results, map tiles): they had their chance to trip the policy.
    assert tab.csp_violations() == []
    assert tab.console == []


def test_search_runs_under_the_policy(built_site, tab):
    """Pagefind (WebAssembly) must still search: results for a real query, no CSP violation on the way."""
    page = tab.open("zoeken/?q=schulden")
    titles = page.locator(".kaart-result-link").all_inner_texts()
    assert titles, "no search results for 'schulden'"
    assert tab.csp_violations() == []


def test_map_tiles_come_only_from_the_configured_host(built_site, tab):
    page = tab.open(PAGE_TYPES["gemeente"])  # waits until tiles are loaded
    assert page.locator(".leaflet-tile-loaded").count() > 0
    hosts = {url.split("/")[2] for url in tab.outside}
    assert hosts == {"service.pdok.nl"}, hosts  # tiles were requested, and only from there
    assert tab.csp_violations() == []


def test_demo_map_says_voorbeeldlocaties_on_the_map(built_site, tab):
    """Voorbeeldstad's pins lie on a real stretch of land: the drawn map itself says the places are made up."""
    page = tab.open(PAGE_TYPES["gemeente"])
    note = page.locator(".kaart-map .kaart-map-note")
    note.wait_for(state="visible", timeout=10000)
    assert note.inner_text().startswith("Voorbeeldlocaties")
    assert _axe(page) == []


def test_home_first_phone_screen_holds_the_question_search_postcode_topics_and_crisis_lines(built_site, browser,
                                                                                             base_url):
    """A stressed citizen on a small phone (375 × 667) sees the tasks without scrolling."""
    tab = Tab(browser, base_url, device={**PHONE, "viewport": {"width": 375, "height": 667}})
    try:
        page = tab.open(PAGE_TYPES["home"])
        assert page.locator("h1").inner_text() == "Waar heeft u hulp bij?"
        for selector in ("#kaart-q", "#kaart-pc", ".kaart-tasks", ".kaart-tasks a >> text=Alle hulpvragen",
                         ".kaart-tasks a.kaart-route-start >> text=Waar kan ik terecht?", ".kaart-crisis"):
            box = page.locator(selector).first.bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= 667, (selector, box)
        assert page.locator(".kaart-tasks li").count() >= 10  # every levensgebied and all hulpvragen
        assert page.locator(".kaart-crisis a[href^='tel:']").count() >= 2  # the numbers, tappable
    finally:
        tab.close()


#: /gemeenten/voorbeeldstad/ on a 375 px phone was 12 126 px tall when each provider was repeated under every
#: levensgebied (issue 17); the page must stay under half of that.
GEMEENTE_PHONE_HEIGHT_MAX = 12126 // 2


def test_gemeente_page_on_a_phone_starts_with_numbers_and_is_half_as_long(built_site, browser, base_url):
    tab = Tab(browser, base_url, device={**PHONE, "viewport": {"width": 375, "height": 667}})
    try:
        page = tab.open(PAGE_TYPES["gemeente"])
        for card in page.locator(".kaart-start .kaart-card").all():
            number = card.locator(".kaart-demo-phone, a[href^='tel:']").first.bounding_box()
            assert number and number["y"] + number["height"] <= 667, number  # on the first screen
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= GEMEENTE_PHONE_HEIGHT_MAX, height
    finally:
        tab.close()


SMALL_PHONE = {**PHONE, "viewport": {"width": 375, "height": 667}}


def _first_number_bottom(page, within: str) -> float:
    number = page.locator(f"{within} .kaart-demo-phone, {within} a[href^='tel:']").first
    number.wait_for(state="visible", timeout=10000)
    box = number.bounding_box()
    return box["y"] + box["height"]


def test_a_chosen_gemeente_puts_a_number_to_call_on_every_hulpvraag_page(built_site, browser, base_url):
    """Chosen once (a gemeente page), remembered in this browser: every hulpvraag and rol page then starts with
    'In <gemeente>' and a number to call on the first phone screen."""
    import json

    tab = Tab(browser, base_url, device=SMALL_PHONE)
    try:
        page = tab.open(PAGE_TYPES["gemeente"])
        stored = json.loads(page.evaluate("localStorage.getItem('kaart-gemeente')"))
        assert stored == {"slug": "voorbeeldstad", "local": True}
        needs = sorted(p.name for p in (built_site / "hulpvragen").iterdir() if p.is_dir())
        for need in needs:
            page = tab.open(f"hulpvragen/{need}/")
            assert page.locator(".kaart-local-slot h2").inner_text() == "In Voorbeeldstad", need
            assert _first_number_bottom(page, ".kaart-local-slot") <= 667, need
        page = tab.open(PAGE_TYPES["rol"])
        assert _first_number_bottom(page, ".kaart-local-slot") <= 667
        assert _axe(page) == [] and tab.csp_violations() == [] and tab.console == []
        # another gemeente, without local records: the box says honestly what to do
        tab.open("gemeenten/utrecht/")
        page = tab.open(PAGE_TYPES["hulpvraag"])
        box = page.locator(".kaart-local-slot")
        box.locator("h2").wait_for(timeout=10000)
        assert "nog geen organisaties uit de buurt" in box.inner_text() and box.locator("a[href*='utrecht.nl']").count()
        box.get_by_role("link", name="Andere gemeente kiezen").click()
        assert page.evaluate("localStorage.getItem('kaart-gemeente')") is None
    finally:
        tab.close()


def test_without_javascript_the_gemeente_page_leads_to_a_hulpvraag_with_numbers(built_site, browser, base_url):
    context = browser.new_context(**SMALL_PHONE, java_script_enabled=False, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(base_url + PAGE_TYPES["gemeente"])
        needs = page.locator(".kaart-local-needs").first  # the hulpvragen; the rollen follow
        needs.locator("summary").click()
        needs.locator("a").first.click()
        page.wait_for_url("**/gemeenten/voorbeeldstad/hulpvragen/**")
        assert _first_number_bottom(page, ".kaart-local") <= 667
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 375, 768, 1280])
def test_role_matrix_fits_the_screen_without_clipped_columns(built_site, browser, base_url, width):
    """All six columns of /rollen/ can be read at 320–1280 px: a table that fits the content column when there is
    room, one card per role below that; no role name is broken in the middle of a word."""
    tab = Tab(browser, base_url, device=PHONE if width == 375 else None, width=width)
    try:
        page = tab.open(PAGE_TYPES["rollen-matrix"])
        table = page.locator("table.kaart-matrix")
        content = page.locator("article").bounding_box()
        for cell in (table.locator("thead th").last if width == 1280 else table.locator("tbody td").last,
                     table.locator("tbody tr").last):
            cell.scroll_into_view_if_needed()
            box = cell.bounding_box()
            assert box["x"] >= content["x"] - 1 and box["x"] + box["width"] <= content["x"] + content["width"] + 1, \
                (width, box, content)
        links = table.locator("th[scope=row] a")
        assert links.count() >= 20
        for i in range(links.count()):  # a name on one line per word: each word keeps its letters together
            assert links.nth(i).evaluate("a => a.getClientRects().length") <= len(links.nth(i).inner_text().split())
        if width < 1280:
            assert table.locator("tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == "block"
            assert "Wie betaalt" in table.locator("tbody td").nth(2).evaluate("td => getComputedStyle(td, '::before').content")
    finally:
        tab.close()


@pytest.mark.parametrize("width", [320, 375, 768, 1280])
def test_payment_tables_fit_the_screen_without_clipped_columns_or_broken_words(built_site, browser, base_url, width):
    """The tables on /wie-betaalt-wat/ read as the role matrix does: a table that fits the content column when
    there is room, one card per situation (each value under its label) below that. No cell is wider than its box
    and words wrap only between words."""
    tab = Tab(browser, base_url, device=PHONE if width == 375 else None, width=width)
    try:
        page = tab.open(PAGE_TYPES["wie-betaalt-wat"])
        tables = page.locator("table.kaart-payments")
        assert tables.count() >= 3
        content = page.locator("article").bounding_box()
        for t in range(tables.count()):
            table = tables.nth(t)
            for cell in (table.locator("thead th").last if width == 1280 else table.locator("tbody td").last,
                         table.locator("tbody tr").last):
                cell.scroll_into_view_if_needed()
                box = cell.bounding_box()
                assert box["x"] >= content["x"] - 1 and box["x"] + box["width"] <= content["x"] + content["width"] + 1, \
                    (width, t, box, content)
        # (below 1280 px the header row is visually hidden, 1 px wide, for screen readers only)
        cells = page.evaluate("""sel => [...document.querySelectorAll(sel)]
            .map(c => { const s = getComputedStyle(c);
                        return [c.scrollWidth - c.clientWidth, s.wordBreak, s.overflowWrap, c.innerText.slice(0, 40)]; })""",
            "table.kaart-payments th, table.kaart-payments td" if width == 1280 else "table.kaart-payments tbody > tr > *")
        assert [c for c in cells if c[0] > 1] == [], "cells wider than their box"
        assert {(c[1], c[2]) for c in cells} == {("normal", "normal")}, "words may be broken"
        if width < 1280:
            first = tables.first.locator("tbody tr").first
            assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
            labels = first.locator("td").evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
            assert labels == ['"Wet: "', '"Wie betaalt: "', '"Waar aanvragen: "', '"Bron: "'], labels
        page.locator("table.kaart-payments").first.scroll_into_view_if_needed()
        page.screenshot(path=str(built_site.parent / f"wie-betaalt-wat-{width}.png"), full_page=False)
    finally:
        tab.close()


def test_ladder_steps_are_numbered_once(built_site, tab):
    """The step number is in the heading, so the list itself shows no number ("1. 1. Wat kunt u…" before)."""
    page = tab.open(PAGE_TYPES["hulpvraag"])
    step = page.locator("ol.kaart-ladder > li").first
    assert step.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    assert step.locator("h2").inner_text() == "Stap 1: Wat kunt u zelf doen?"


def _focused(page) -> dict:
    return page.evaluate("""() => {
      const el = document.activeElement; const s = getComputedStyle(el);
      return {tag: el.tagName, cls: el.className || '', id: el.id || '', text: (el.innerText || el.value || '').trim().slice(0, 60),
              href: el.getAttribute('href'), inContent: !!el.closest('.md-content'),
              outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, shadow: s.boxShadow !== 'none'};
    }""")


def test_first_tab_is_the_skip_link_and_it_moves_focus_to_the_content(built_site, tab):
    page = tab.open(PAGE_TYPES["aanbieder"])
    page.keyboard.press("Tab")
    first = _focused(page)
    assert first["href"].endswith("#inhoud") and first["text"] == "Ga naar inhoud", first
    assert page.locator("a.md-skip").is_visible()
    page.keyboard.press("Enter")
    # Material's instant navigation reacts to in-page links asynchronously: wait for the focus to arrive
    page.wait_for_function("document.activeElement && document.activeElement.id === 'inhoud'", timeout=5000)
    page.keyboard.press("Tab")
    after = _focused(page)
    assert after["inContent"] and after["tag"] in ("A", "BUTTON", "INPUT"), after


def test_focus_is_visible_on_every_link_in_the_tab_order(built_site, tab):
    page = tab.open(PAGE_TYPES["gemeente"])
    invisible = []
    for _ in range(40):
        page.keyboard.press("Tab")
        f = _focused(page)
        if f["tag"] in ("A", "BUTTON", "INPUT", "LABEL") and not (f["outline"] or f["shadow"]):
            invisible.append(f)
    assert not invisible, invisible


def _tab_to(page, predicate: str, limit: int = 60) -> bool:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({predicate}); }})()"):
            return True
    return False


def test_home_search_field_works_with_the_keyboard(built_site, tab):
    page = tab.open(PAGE_TYPES["home"])
    assert _tab_to(page, "el.matches('input[type=search], input[name=q]')"), "no search field in the Tab order"
    page.keyboard.type("schulden")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zoeken/**")
    page.wait_for_selector(".kaart-result", timeout=15000)
    assert page.locator(".kaart-result").count() > 0


def test_menu_drawer_opens_and_is_usable_with_the_keyboard_on_a_phone(built_site, phone):
    page = phone.open(PAGE_TYPES["hulpvraag"])
    assert _tab_to(page, "el.matches('label[for=__drawer], [aria-controls=__drawer]') || el.id === 'kaart-menu'"), \
        "the menu button is not in the Tab order"
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('__drawer').checked"), "Enter did not open the menu"
    nav_link = page.locator(".md-sidebar--primary a.md-nav__link").first
    nav_link.wait_for(state="visible")
    assert _tab_to(page, "el.closest('.md-sidebar--primary') && el.matches('a, label[tabindex], button')", 20), \
        "Tab does not reach the links in the open menu"
    page.keyboard.press("Escape")
