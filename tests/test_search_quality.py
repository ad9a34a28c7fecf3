"""Search quality: what citizens type (tests/search_queries.yaml) finds the page they mean among the first 3
results, through the real search page (kaart.js + Pagefind) of a real `kaart build` of data/, in Chromium.

Prints the hit rate and every miss (run with -s to see them); fails below 90 %.
"""

from __future__ import annotations

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
