"""Search quality: what citizens type (tests/search_queries.yaml) finds the page they mean among the first 3
results, through the real search page (kaart.js + Pagefind) of a real `kaart build` of data/, in Chromium.

Prints the hit rate and every miss (run with -s to see them); fails below 90 %.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from conftest import build_site, serve

ROOT = Path(__file__).resolve().parents[1]
QUERIES = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8"))["queries"]
TOP = 3
MIN_HIT_RATE = 0.90

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    site = build_site(None, tmp_path_factory.mktemp("zoekkwaliteit") / "site", today=None)
    with serve(site) as url:
        yield url


def top_results(page, base: str, q: str) -> tuple[list[str], str]:
    """The addresses of the first TOP results (relative to the site) and the status line, for one query."""
    page.goto(base + "zoeken/?q=" + quote(q))
    page.wait_for_function("() => (document.querySelector('#kaart-search-status') || {}).textContent", timeout=15000)
    hrefs = page.eval_on_selector_all(".kaart-result-link", f"els => els.slice(0, {TOP}).map(a => a.href)")
    return [h.removeprefix(base) for h in hrefs], page.locator("#kaart-search-status").inner_text()


def test_the_query_set_is_big_and_varied():
    assert len(QUERIES) >= 60
    kinds = {q["kind"] for q in QUERIES}
    assert {"sentence", "typo", "synonym", "word"} <= kinds
    assert len({q["q"] for q in QUERIES}) == len(QUERIES), "a query twice in tests/search_queries.yaml"


def test_citizens_find_the_page_they_mean_in_the_top_3(browser, real_site):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(real_site) else r.abort())
    misses, by_kind = [], {}
    try:
        for item in QUERIES:
            expect = item["expect"] if isinstance(item["expect"], list) else [item["expect"]]
            got, status = top_results(page, real_site, item["q"])
            hit = any(e in got for e in expect)
            total, hits = by_kind.get(item["kind"], (0, 0))
            by_kind[item["kind"]] = (total + 1, hits + hit)
            if not hit:
                misses.append(f"  MIS {item['q']!r}: verwacht {expect}, top {TOP} {got} — {status}")
    finally:
        context.close()
    rate = 1 - len(misses) / len(QUERIES)
    kinds = ", ".join(f"{k} {h}/{t}" for k, (t, h) in sorted(by_kind.items()))
    print(f"\nzoekkwaliteit: {len(QUERIES) - len(misses)}/{len(QUERIES)} in de top {TOP} = {rate:.1%} ({kinds})")
    print("\n".join(misses))
    assert rate >= MIN_HIT_RATE, f"{rate:.1%} < {MIN_HIT_RATE:.0%}:\n" + "\n".join(misses)


# --- what a visitor sees: the sentence fallback, "Bedoelde u", the help when nothing is found ------------------

DEVICES = {
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(params=sorted(DEVICES))
def tab(request, browser, real_site):
    context = browser.new_context(locale="nl-NL", **DEVICES[request.param])
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith(real_site) else r.abort())
    pg.device = request.param
    yield pg
    context.close()


def _status(page):
    page.wait_for_function("() => (document.querySelector('#kaart-search-status') || {}).textContent", timeout=15000)
    return page.locator("#kaart-search-status")


def _axe(page) -> list[str]:
    from conftest import axe

    result = axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [f"{v['id']}: {v['help']} — {n['target']}" for v in result.response["violations"] for n in v["nodes"][:3]]


def test_a_sentence_that_finds_nothing_searches_its_strongest_words_and_says_so(tab, real_site):
    from playwright.sync_api import expect

    tab.goto(real_site + "zoeken/?q=" + quote("mijn opa is eenzaam en wil verhuizen naar een verpleeghuis"))
    status = _status(tab)
    expect(status).to_contain_text("Geen resultaten voor de hele zin. Resultaten voor:")
    expect(status).to_contain_text("eenzaam")
    assert tab.locator(".kaart-result").count() >= 3
    assert tab.locator(".kaart-search-none").first.is_hidden()  # results: no "niet gevonden" help
    assert _axe(tab) == []
    assert tab.errors == []


def test_a_typo_says_bedoelde_u_and_shows_the_results_for_the_word_meant(tab, real_site):
    from playwright.sync_api import expect

    tab.goto(real_site + "zoeken/?q=mantelzrg")
    status = _status(tab)
    expect(status).to_contain_text("Bedoelde u \u2018mantelzorg\u2019?")
    expect(status).to_contain_text("\u2018mantelzrg\u2019 staat niet op deze site")
    first = tab.locator(".kaart-result-link").first.inner_text().lower()
    assert "mantelzorg" in first, first
    assert tab.errors == []


def test_nothing_found_offers_the_gemeente_the_routewijzer_the_lists_and_the_crisis_lines(tab, real_site, tmp_path):
    from playwright.sync_api import expect

    tab.goto(real_site + "gemeenten/voorbeeldstad/")  # a visited gemeente page is remembered (localStorage)
    tab.goto(real_site + "zoeken/?q=" + quote("xyzzyq qwvvz"))
    status = _status(tab)
    expect(status).to_contain_text("Geen resultaten")
    help_box = tab.locator(".kaart-search-none").first
    expect(help_box).to_be_visible()
    mine = tab.locator(".kaart-search-none-gemeente a")
    expect(mine).to_have_text(re.compile(r"^Hulp in Voorbeeldstad"))
    assert mine.get_attribute("href").endswith("gemeenten/voorbeeldstad/")
    expect(help_box.get_by_role("link", name="alle hulpvragen")).to_be_visible()
    route = help_box.get_by_role("link", name="Routewijzer")
    expect(route).to_be_visible()
    assert route.get_attribute("href").endswith("routewijzer/")
    crisis = tab.locator(".kaart-search .kaart-crisis")
    expect(crisis).to_be_visible()
    expect(crisis).to_contain_text("112")
    expect(crisis.get_by_role("link", name="113 Zelfmoordpreventie")).to_be_visible()
    expect(crisis.get_by_role("link", name="Veilig Thuis")).to_be_visible()
    tab.screenshot(path=str(tmp_path / f"niets-gevonden-{tab.device}.png"), full_page=True)
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= tab.viewport_size["width"], f"schuift opzij: {width}px"
    assert _axe(tab) == []
    # A new search that finds something hides the help again.
    tab.get_by_label("Zoekterm").fill("schulden")
    expect(tab.locator(".kaart-result").first).to_be_visible()
    expect(help_box).to_be_hidden()
    assert tab.errors == []
