"""Search and find, checked on a real `kaart build` (Pagefind included) of tests/fixtures/valid."""

from __future__ import annotations

import filecmp
import gzip
import html
import json
import re
from pathlib import Path

import pytest
from conftest import build_site
from site_checks import PAGEFIND_UNSTABLE

from kaart.gemeenten import Row, resolve
from kaart.search import facets, hours_data, postcode_lookup

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "fixtures" / "valid"


def _build(out: Path) -> Path:
    return build_site(DATA, out)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("search") / "site")


def test_pagefind_bundle_is_dutch_and_vendored(site):
    bundle = site / "pagefind"
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["nl"]
    assert entry["languages"]["nl"]["page_count"] > 5


def test_search_page_in_nav_and_no_cdn(site):
    page = (site / "zoeken" / "index.html").read_text(encoding="utf-8")
    assert "data-kaart-search" in page and 'id="kaart-search-ui"' in page
    assert 'role="status"' in page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="zoeken/"', home), "Zoeken must be in the navigation"
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'<script[^>]+src="(https?:)?//', text), f"outside script in {path}"
        assert not re.search(r'<link[^>]+href="(https?:)?//[^"]+\.css', text), f"outside style sheet in {path}"


def test_facets_reach_pagefind(site):
    provider = (site / "aanbieders" / "sociaal-wijkteam-voorbeeldstad" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="gemeente:Voorbeeldstad (voorbeeldgemeente)"' in provider
    filters = list((site / "pagefind" / "filter").glob("*.pf_filter"))
    assert filters, "Pagefind wrote no filter index"


def test_postcode_lookup_file(site):
    data = json.loads((site / "assets" / "kaart" / "postcodes.json").read_text(encoding="utf-8"))
    index = resolve(data, "0101")
    assert len(index) == 1
    url, name = data["g"][index[0]]
    assert url == "gemeenten/voorbeeldstad/" and not url.startswith("/")
    assert (site / url / "index.html").is_file()
    assert name.startswith("Voorbeeldstad")


def test_hours_on_location_and_in_search_meta(site):
    provider = (site / "aanbieders" / "sociaal-wijkteam-voorbeeldstad" / "index.html").read_text(encoding="utf-8")
    attrs = re.findall(r'data-kaart-hours="([^"]+)"', provider)
    assert len(attrs) == 2  # the location section and the search meta span
    location = json.loads(html.unescape(attrs[0]))
    assert location["h"] == [["MO TU WE TH FR", "09:00", "17:00"]]
    assert ["2026-12-25", None, None] in location["x"]
    assert json.loads(html.unescape(attrs[1])) == [location]
    assert 'data-pagefind-meta="hours[data-kaart-hours]"' in provider
    assert '<table class="kaart-hours"' in provider  # the table stays for readers without JavaScript


def _fragment(site: Path, url: str) -> dict:
    """What Pagefind stored for the page at `url` (its gzipped fragment file), as the browser would read it."""
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        data = json.loads(raw[raw.index(b"{"):])
        if data["url"].rstrip("/").endswith(url.rstrip("/")):
            return data
    raise AssertionError(f"Pagefind has no fragment for {url}")


def test_search_index_holds_the_content_not_the_boilerplate(site):
    """Labels and headings that are the same on every provider page (and the opening-hours table) stay out of the
    index: a search for "telefoon" should not match every provider, and each distinct word per page costs Pagefind
    memory while indexing. The values themselves are searchable, as separate words."""
    content = _fragment(site, "/aanbieders/sociaal-wijkteam-voorbeeldstad/")["content"]
    words = set(re.findall(r"[\w@.-]+", content))
    assert "Sociaal" in words and "Voorbeeldstad" in words  # name and gemeente
    for boilerplate in ("Telefoon", "Website", "Contact", "Openingstijden", "Maandag", "Voorbeeldgegevens", "Kosten"):
        assert boilerplate not in words, boilerplate
    # A <dd> value does not run into the next one ("Voorbeeldstad (voorbeeldgemeente)Werk"): that made one useless
    # word of two useful ones.
    assert not re.search(r"\)[A-Z]", content), content
    provider = (site / "aanbieders" / "sociaal-wijkteam-voorbeeldstad" / "index.html").read_text(encoding="utf-8")
    assert "Telefoon:" in provider and "Openingstijden" in provider  # still on the page for readers


def test_maps_have_markers_linking_to_providers(site):
    gemeente = (site / "gemeenten" / "voorbeeldstad" / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<section class="kaart-map" hidden aria-label="([^"]+)" data-kaart-map="([^"]+)"', gemeente)
    assert m, "no map on the gemeente page"
    points = json.loads(html.unescape(m.group(2)))
    assert points and all(p["url"].startswith("../../aanbieders/") for p in points)
    for p in points:
        assert (site / "gemeenten" / "voorbeeldstad" / p["url"] / "index.html").resolve().is_file()
    assert (site / "assets" / "vendor" / "leaflet" / "leaflet.js").is_file()
    config = re.search(r'<script type="application/json" id="kaart-config">(.*?)</script>', gemeente)
    assert config and "service.pdok.nl" in json.loads(config.group(1))["map_tiles"]["url"]


def test_facets_file_matches_the_pagefind_filters(site):
    """The search page's filter menus come from facets.json, not from Pagefind's filter indexes: every value in it
    must be one Pagefind indexed (or choosing it would find nothing), and every indexed value must be offered."""
    raw = (site / "assets" / "kaart" / "facets.json").read_bytes()
    data = json.loads(raw)
    keys = [f["key"] for f in data["facets"]]
    assert keys[:3] == ["type", "gemeente", "levensgebied"]
    assert {f["key"]: f["label"] for f in data["facets"]}["gemeente"] == "Gemeente"
    offered = {(f["key"], v) for f in data["facets"] for v, n in f["values"] if n > 0}
    indexed = set()
    for path in site.rglob("*.html"):
        for key, value in re.findall(r'data-pagefind-filter="([^:"]+):([^"]*)"', path.read_text(encoding="utf-8")):
            indexed.add((html.unescape(key), html.unescape(value)))
    assert offered == indexed
    gemeente = next(f for f in data["facets"] if f["key"] == "gemeente")["values"]
    assert ["Westerdorp (voorbeeldgemeente)", 1] in gemeente
    assert [v for v, _ in gemeente] == sorted((v for v, _ in gemeente), key=str.casefold)


def test_facets_counts_and_order():
    class P:
        def __init__(self, filters):
            self.filters = filters

    data = facets([P({"gemeente": ["b", "A"], "type": ["Rol"], "zzz": ["x"]}), P({"gemeente": ["b"], "type": ["Rol"]}), P({})])
    assert data == {"facets": [{"key": "type", "label": "Soort", "values": [["Rol", 2]]},
                               {"key": "gemeente", "label": "Gemeente", "values": [["A", 1], ["b", 2]]},
                               {"key": "zzz", "label": "Zzz", "values": [["x", 1]]}]}


def test_hours_data_exceptions():
    loc = {"opening_hours": [{"days": ["MO"], "opens": "09:00", "closes": "12:00"}],
           "exceptions": [{"date": "2026-12-26", "closed": True}, {"date": "2026-12-24", "opens": "09:00", "closes": "11:00"}]}
    assert hours_data(loc) == {"h": [["MO", "09:00", "12:00"]],
                               "x": [["2026-12-24", "09:00", "11:00"], ["2026-12-26", None, None]]}
    assert hours_data({}) is None


def test_postcode_lookup_shape():
    class M:
        gemeenten = {"b": {"name": "B", "code": "GM0002", "postcodes": ["2000"]},
                          "a": {"name": "A", "code": "GM0001", "postcodes": ["1000", "1001"]},
                          "c": {"name": "C", "code": "GM0003"}}
        postcodes = [Row("1002", "GM0001", 1.0, "", 3, (1, 6, 13, 15)),
                     Row("1003", "GM0003", 0.25, "", 4, (1, 6, 13, 15)),
                     Row("1003", "GM0001", 0.75, "", 5, (1, 6, 13, 15)),
                     Row("1004", "", None, "vervallen", 6, (1, 6, 13, 15))]

    class R:
        def gemeente_url(self, g):
            return f"gemeenten/{g}/"

        def gemeente_name(self, g):
            return g.upper()

    data = postcode_lookup(M(), R())
    assert data == {"v": 2, "g": [["gemeenten/a/", "A"], ["gemeenten/b/", "B"], ["gemeenten/c/", "C"]],
                    # 1000–1003 are A (1003 mostly), then 996 numbers later one postcode of B
                    "r": [1000, 4, 0, 996, 1, 1], "s": {"1003": [[0, 0.75], [2, 0.25]]}, "x": {"1004": "vervallen"}}
    assert [resolve(data, pc) for pc in ("0999", "1000", "1003", "1004", "2000", "2001")] == [
        None, [0], [0, 2], "vervallen", [1], None]


#: The second build runs on another day, by both clocks a build may read: KAART_TODAY and the system clock.
OTHER_DAY, OTHER_CLOCK = "2026-12-24", "2031-02-03 04:05:06"


@pytest.mark.slow
def test_build_is_reproducible_apart_from_pagefind_filter_order(site, tmp_path):
    """Same input, same bytes, also on another day (a sitemap or feed that writes the build date turns this red)."""
    again = build_site(DATA, tmp_path / "again", today=OTHER_DAY, clock=OTHER_CLOCK)
    differ = []

    def walk(cmp: filecmp.dircmp, prefix: str = ""):
        for name in cmp.diff_files + cmp.left_only + cmp.right_only:
            differ.append(prefix + name)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(site, again))
    unexpected = [p for p in differ if not PAGEFIND_UNSTABLE.match(p)]
    assert unexpected == [], unexpected
