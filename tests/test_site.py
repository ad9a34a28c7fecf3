"""The built site, parsed as HTML: every record has a page, links resolve, JSON-LD parses, nothing executable
from the data reaches the output, builds are atomic. (Reproducibility: tests/test_search.py.)"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import urllib.parse
from collections import deque
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kaart.site import REPO, build
from site_checks import csp_problems, link_problems, page_policies, policy_problems
from kaart.validate import check

DATA = REPO / "data"


@pytest.fixture(autouse=True)
def real_today(monkeypatch):
    # The shipped data is checked against the real date (its verified dates are real).
    monkeypatch.delenv("KAART_TODAY", raising=False)


def _build(data: Path, out: Path, **kw) -> Path:
    assert build(data, out, **kw) == 0, "kaart build failed"
    return out


@pytest.fixture(scope="session")
def model():
    m, problems = check(DATA)
    assert m is not None, "\n".join(p.text() for p in problems if p.severity == "error")
    return m


@pytest.fixture(scope="session")
def site(tmp_path_factory, model) -> Path:
    return _build(DATA, tmp_path_factory.mktemp("site") / "site")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def page(site: Path, url: str) -> Path:
    return site / url / "index.html"


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_record_has_its_page(site, model):
    expected = ([f"aanbieders/{i}/" for i in model.providers] + [f"rollen/{i}/" for i in model.roles]
                + [f"hulpvragen/{i}/" for i in model.needs] + [f"gemeenten/{g}/" for g in model.gemeenten])
    missing = [u for u in expected if not page(site, u).is_file()]
    assert not missing
    for url in ("", "rollen/", "hulpvragen/", "gemeenten/", "wie-betaalt-wat/", "levensgebieden/", "landelijk/"):
        assert page(site, url).is_file(), url


def _locs(path: Path) -> list[str]:
    import re

    return re.findall(r"<loc>([^<]+)</loc>", path.read_text(encoding="utf-8"))


def _sitemap_pages(site: Path) -> list[str]:
    """Every page that the sitemaps named in the sitemap index list (what a search engine reads), relative to
    the site's root ("aanbieders/x/")."""
    sitemaps = _locs(site / "sitemap-index.xml")
    prefix = sitemaps[0].removesuffix("sitemap.xml")
    return [loc.removeprefix(prefix) for sm in sitemaps for loc in _locs(site / sm.removeprefix(prefix))]


def test_sitemap_lists_every_page_once(site):
    """Search engines find every page: the sitemap index names the sitemaps, which together name each
    index.html of the site (theme pages and stamped record pages alike) once, and nothing that is not a page —
    except the demo pages, which are noindex."""
    sitemaps = _locs(site / "sitemap-index.xml")
    prefix = sitemaps[0].removesuffix("sitemap.xml")
    assert sitemaps[0] == prefix + "sitemap.xml" and len(sitemaps) >= 2
    listed = [loc for sm in sitemaps for loc in _locs(site / sm.removeprefix(prefix))]
    assert len(listed) == len(set(listed))
    on_disk = set()
    for path in site.rglob("index.html"):
        url = path.parent.relative_to(site).as_posix()
        url = "" if url == "." else url + "/"
        if url.startswith(("pagefind/", "assets/", "beheer/")):
            continue  # the search bundle, assets, the web editor (tests/test_beheer.py); forwarding pages: test_redirects
        if 'name="robots" content="noindex"' in path.read_text(encoding="utf-8"):
            continue  # demo (Voorbeeldstad) pages: test_demo_pages_are_noindex_and_out_of_the_sitemap
        on_disk.add(prefix + url)
    assert set(listed) == on_disk
    assert any("/aanbieders/" in u for u in listed) and any(u.endswith("/rollen/") for u in listed)
    assert (site / "robots.txt").read_text(encoding="utf-8").splitlines()[-1] == f"Sitemap: {prefix}sitemap-index.xml"


def test_sitemap_the_theme_fetches_does_not_grow_with_the_providers(site):
    """The theme downloads /sitemap.xml on every visitor's first page: it must not list provider pages (their
    number grows with the map), while the pages that do not grow (gemeenten, roles, hulpvragen) stay in it."""
    theme = _locs(site / "sitemap.xml")
    assert theme and not [u for u in theme if "/aanbieders/" in u]
    assert any(u.endswith("/gemeenten/utrecht/") for u in theme) and any("/rollen/" in u for u in theme)
    providers = [u for sm in (site / "sitemaps").glob("aanbieders-*.xml") for u in _locs(sm)]
    indexable = [p for p in (site / "aanbieders").glob("*/index.html")
                 if 'name="robots" content="noindex"' not in p.read_text(encoding="utf-8")]  # demo pages are not
    assert providers and len(providers) == len(indexable)


def test_every_html_page_carries_one_strict_content_security_policy(site):
    """Theme pages and stamped record pages alike, parsed per directive (tests/site_checks.py); forwarding pages:
    tests/test_redirects.py."""
    policies = page_policies(site)
    assert len(policies) > 50
    assert csp_problems(site) == []


def test_policy_check_finds_unsafe_inline_in_any_directive_order():
    strict = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'self'"
    assert policy_problems(strict) == []
    reordered = "default-src 'self'; style-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'"
    assert policy_problems(reordered) == ["script-src allows 'unsafe-inline'"]
    assert "style-src allows 'unsafe-inline'" in policy_problems(strict.replace("style-src 'self'", "style-src 'unsafe-inline'"))
    assert policy_problems(strict + "; script-src *") == ["script-src occurs twice (the browser ignores the second)"]
    assert "script-src allows https://cdn.example" in " ".join(policy_problems(strict.replace("'wasm", "https://cdn.example 'wasm")))


THEME_BOOT = "<script>__md_scope=new URL('.',location)</script>"


def test_policy_hashes_theme_scripts_and_never_content_scripts():
    from kaart import csp

    page_html = (f"<html><head>{THEME_BOOT}</head><body><main><article class=\"md-content__inner md-typeset\">"
                 "<p>Tekst</p><script>alert(1)</script></article></main></body></html>")
    assert csp.inline_script_hashes(page_html) == csp.inline_script_hashes(f"<html><head>{THEME_BOOT}</head></html>")
    assert len(csp.inline_script_hashes(page_html)) == 1


def test_page_without_the_theme_content_marker_stops_the_build():
    """Fail closed: a theme that renames its content element must not get the content's scripts hashed."""
    from kaart import csp
    from kaart.site import BuildError

    shell = (f"<html><head>{THEME_BOOT}</head><body><main><div class=\"content\"><h1>KAARTTITELMARKERING</h1>"
             "<p>KAARTINHOUDMARKERING</p><script>alert(1)</script></div></main></body></html>")
    with pytest.raises(BuildError, match="inhoud van de pagina is niet te vinden.*thema veranderd"):
        csp.inline_script_hashes(shell, "pagina/sjabloon/index.html")
    # An article without its end is no content region either.
    with pytest.raises(BuildError):
        csp.inline_script_hashes(shell.replace('<div class="content">', '<article class="md-content__inner">'))
    # A page that shows nothing (only scripts) has no content to leak into the policy.
    assert csp.inline_script_hashes(f"<html><head></head><body>{THEME_BOOT}\n</body></html>")


def test_build_with_a_theme_without_the_content_marker_fails_with_a_dutch_message(tmp_path, capsys):
    theme = tmp_path / "thema"
    theme.mkdir()
    (theme / "main.html").write_text(  # the same page, but the content is in <article class="inhoud">
        '{% extends "base.html" %}\n{% block container %}<div class="md-content" data-md-component="content">'
        '<article class="inhoud">{% block content %}{{ super() }}{% endblock %}</article></div>{% endblock %}\n',
        encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8")
                      .replace("custom_dir: scripts/kaart/theme", f"custom_dir: {theme}"), encoding="utf-8")
    out = tmp_path / "site"
    assert build(DATA, out, config_path=config) == 1
    assert "de inhoud van de pagina is niet te vinden" in capsys.readouterr().err
    assert not out.exists()


def _internal_links(html_file: Path, site: Path):
    doc = soup(html_file)
    for a in doc.find_all(["a", "link"], href=True):
        href = a["href"]
        parsed = urllib.parse.urlsplit(href)
        if parsed.scheme or href.startswith("//") or href.startswith("#"):
            continue
        target = (html_file.parent / urllib.parse.unquote(parsed.path)).resolve()
        yield href, target, parsed.fragment


def test_every_internal_link_resolves(site):
    assert link_problems(site) == []


def test_client_support_is_linked_from_the_flagged_role(site, model):
    """Home and gemeente pages link to the role with `client_support: true` (no record id in the code)."""
    role = model.client_support_role
    assert role is not None and role.id == "onafhankelijke-clientondersteuner"
    assert soup(page(site, "")).find("a", href=f"rollen/{role.id}/")
    assert soup(page(site, "gemeenten/voorbeeldstad/")).find("a", href=f"../../rollen/{role.id}/")


def test_every_record_page_is_reachable_from_home(site, model):
    seen = {(site / "index.html").resolve()}
    queue = deque(seen)
    while queue:
        current = queue.popleft()
        for _, target, _ in _internal_links(current, site):
            file = (target / "index.html") if target.is_dir() else target
            if file.suffix == ".html" and file.is_file() and file.resolve() not in seen:
                seen.add(file.resolve())
                queue.append(file.resolve())
    unreachable = [str(p.relative_to(site)) for p in site.rglob("index.html")
                   if p.resolve() not in seen and "pagefind" not in p.parts and p.parent != site / "404"]
    assert not unreachable, unreachable[:20]


def test_record_pages_have_footer_jsonld_and_title(site, model):
    for url in ([f"aanbieders/{i}/" for i in model.providers] + [f"rollen/{i}/" for i in model.roles]
                + [f"hulpvragen/{i}/" for i in model.needs]):
        doc = soup(page(site, url))
        footer = doc.select_one(".kaart-record-footer")
        assert footer is not None, url
        assert "Laatst gecontroleerd op" in footer.get_text(), url
        links = {a.get_text(): a["href"] for a in footer.find_all("a")}
        assert links["Meld een fout"].startswith("https://github.com/") and "template=fout-melden.yml" in links["Meld een fout"]
        assert "/edit/main/data/" in links["Pas deze gegevens aan"] and links["Pas deze gegevens aan"].endswith(".yaml")
        blocks = doc.find_all("script", type="application/ld+json")
        assert blocks, url
        for block in blocks:
            data = json.loads(block.string)
            assert data["@context"] == "https://schema.org"
        assert len(doc.find_all("h1")) == 1, url
        assert doc.title.string.strip(), url


def test_provider_and_gemeente_pages_offer_both_issue_forms(site, model):
    # "Meld een fout" and "Nieuwe aanbieder" (the form a workflow turns into a pull request), gemeente filled in.
    gemeenten = {gid: m["name"] for gid, m in model.gemeenten.items()}
    pages = [(f"aanbieders/{i}/", gemeenten.get(r.gemeente, "landelijk")) for i, r in model.providers.items()]
    pages += [(f"gemeenten/{gid}/", name) for gid, name in gemeenten.items()]
    for url, gemeente in pages:
        footer = soup(page(site, url)).select_one(".kaart-record-footer")
        links = {a.get_text(): a["href"] for a in footer.find_all("a")}
        assert "template=fout-melden.yml" in links["Meld een fout"], url
        new = urllib.parse.urlsplit(links["Nieuwe aanbieder voorstellen"])
        query = urllib.parse.parse_qs(new.query)
        assert new.path.endswith("/issues/new") and query["template"] == ["nieuwe-aanbieder.yml"], url
        assert query["gemeente"] == [gemeente], url


def test_provider_jsonld_describes_organisation_services_and_address(site, model):
    rec = next(r for r in model.providers.values() if r.data.get("locations") and r.data.get("phones"))
    doc = soup(page(site, f"aanbieders/{rec.id}/"))
    data = json.loads(doc.find("script", type="application/ld+json").string)
    types = {node["@type"] for node in data["@graph"]}
    assert "Organization" in types and types & {"Service", "GovernmentService"}
    org = next(n for n in data["@graph"] if n["@type"] == "Organization")
    assert org["name"] == rec.data["name"]
    assert org["contactPoint"][0]["@type"] == "ContactPoint"
    place = org["location"][0]
    assert place["address"]["@type"] == "PostalAddress"
    assert place["address"]["postalCode"] == rec.data["locations"][0]["address"]["postcode"]
    if rec.data["locations"][0].get("opening_hours"):
        assert place["openingHoursSpecification"][0]["@type"] == "OpeningHoursSpecification"


#: schema.org's domain of availableLanguage that our JSON-LD uses (Service and GovernmentService are not in it).
AVAILABLE_LANGUAGE_DOMAIN = {"ContactPoint", "ServiceChannel"}


def _jsonld_nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _jsonld_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _jsonld_nodes(value)


def test_jsonld_puts_available_language_only_where_schema_org_allows_it(site, model):
    with_languages = [r for r in model.providers.values() if any(s.get("languages") for s in r.data["services"])]
    assert with_languages
    for rec in with_languages:
        data = json.loads(soup(page(site, f"aanbieders/{rec.id}/")).find("script", type="application/ld+json").string)
        misplaced = [n["@type"] for n in _jsonld_nodes(data) if "availableLanguage" in n
                     and n.get("@type") not in AVAILABLE_LANGUAGE_DOMAIN]
        assert not misplaced, f"{rec.id}: availableLanguage on {misplaced}"
        services = {n["name"]: n for n in data["@graph"] if n["@type"] in ("Service", "GovernmentService")}
        for s in rec.data["services"]:
            if s.get("languages") and s.get("visibility", "public") == "public":
                channel = services[s["name"]]["availableChannel"]
                assert channel == {"@type": "ServiceChannel", "availableLanguage": s["languages"]}, rec.id


def test_demo_records_are_labelled_on_every_page(site, model):
    demo_pages = [f"aanbieders/{r.id}/" for r in model.providers.values() if model.is_demo(r)]
    demo_pages += [f"gemeenten/{g}/" for g, m in model.gemeenten.items() if m.get("demo")]
    assert demo_pages, "the shipped data has a demo municipality"
    for url in demo_pages:
        label = soup(page(site, url)).select_one(".kaart-demo")
        assert label is not None and "Voorbeeldgegevens" in label.get_text(), url
    real = [f"aanbieders/{r.id}/" for r in model.providers.values() if not model.is_demo(r)]
    for url in real:
        assert soup(page(site, url)).select_one(".kaart-demo") is None, url


def _demo_and_real_pages(model):
    demo = [f"aanbieders/{r.id}/" for r in model.providers.values() if model.is_demo(r)]
    demo += [f"gemeenten/{g}/" for g, m in model.gemeenten.items() if m.get("demo")]
    real = [f"aanbieders/{r.id}/" for r in model.providers.values() if not model.is_demo(r)]
    real += [f"gemeenten/{g}/" for g, m in model.gemeenten.items() if not m.get("demo")][:20]
    return demo, real


def test_demo_pages_are_noindex_and_out_of_the_sitemap(site, model):
    demo, real = _demo_and_real_pages(model)
    assert len(demo) > 10
    listed = set(_sitemap_pages(site))
    for url in demo:
        robots = soup(page(site, url)).find("meta", attrs={"name": "robots"})
        assert robots and "noindex" in robots["content"], url
        assert url not in listed, url
    for url in real:
        assert soup(page(site, url)).find("meta", attrs={"name": "robots"}) is None, url
        assert url in listed, url


def test_demo_titles_and_descriptions_say_voorbeeld(site, model):
    demo, real = _demo_and_real_pages(model)
    for url in demo:
        doc = soup(page(site, url))
        assert doc.title.get_text().split(" - ")[0].endswith("(voorbeeld)"), (url, doc.title.get_text())
        assert "(voorbeeld)" in doc.find("meta", attrs={"name": "description"})["content"], url
        # Search results carry the same title and a label that says the data is made up.
        assert doc.find(attrs={"data-pagefind-meta": re.compile(r"^title:.*\(voorbeeld\)$")}), url
        assert doc.find(attrs={"data-pagefind-meta": re.compile(r"^demo:Voorbeeld")}), url
        banner = doc.select_one(".kaart-demo")
        assert banner is not None and not banner.has_attr("data-pagefind-ignore"), url  # in the search text
    for url in real:
        doc = soup(page(site, url))
        assert "(voorbeeld)" not in doc.title.get_text(), url
        assert not doc.find(attrs={"data-pagefind-meta": re.compile(r"^demo:")}), url


def test_demo_phone_numbers_are_not_tel_links(site, model):
    demo, real = _demo_and_real_pages(model)
    numbers = {ph["number"] for r in model.providers.values() if model.is_demo(r)
               for ph in r.data.get("phones", []) + [p for loc in r.data.get("locations", []) for p in loc.get("phones", [])]}
    assert numbers
    pages_with_demo_numbers = demo + ["landelijk/"] + [f"levensgebieden/{ld}/" for ld in model.terms["life_domains"]]
    shown = 0
    for url in pages_with_demo_numbers:
        doc = soup(page(site, url))
        assert not [a["href"] for a in doc.select('a[href^="tel:"]')
                    if any(n in a.get_text() for n in numbers)], url
        for span in doc.select(".kaart-demo-phone"):
            shown += 1
            assert "(verzonnen nummer)" in span.parent.get_text(), url
    assert shown > 10  # the numbers are still there, as text
    with_phone = [f"aanbieders/{r.id}/" for r in model.providers.values() if not model.is_demo(r) and r.data.get("phones")]
    assert with_phone and all(soup(page(site, u)).select('a[href^="tel:"]') for u in with_phone)


def test_demo_maps_say_the_places_are_made_up(site, model):
    demo, real = _demo_and_real_pages(model)
    demo_maps = [soup(page(site, u)).select_one("[data-kaart-map]") for u in demo]
    demo_maps = [m for m in demo_maps if m is not None]
    assert demo_maps
    for m in demo_maps:
        assert m["data-kaart-map-note"].startswith("Voorbeeldlocaties")
        assert "voorbeeldlocaties" in m["aria-label"]
    for u in real:
        m = soup(page(site, u)).select_one("[data-kaart-map]")
        assert m is None or not m.has_attr("data-kaart-map-note"), u


def test_provider_pages_stay_out_of_the_navigation(site, model):
    some = next(iter(model.providers))
    for url in ("", f"aanbieders/{some}/", "rollen/"):
        nav = soup(page(site, url)).select(".md-nav a[href]")
        assert nav, "the page has a navigation"
        assert not [a["href"] for a in nav if "aanbieders/" in a["href"]]


def test_role_matrix_lists_every_role(site, model):
    doc = soup(page(site, "rollen/"))
    linked = {a["href"].strip("/").split("/")[-1] for a in doc.select("table.kaart-matrix th a")}
    assert linked == set(model.roles)


def test_need_page_shows_the_ladder_with_alternatives(site, model):
    rec = next(r for r in model.needs.values() if r.data["ladder"].get("individual_provisions"))
    doc = soup(page(site, f"hulpvragen/{rec.id}/"))
    steps = [li.find("h2").get_text() for li in doc.select("ol.kaart-ladder > li")]
    assert steps[:3] == ["Stap 1: Wat kunt u zelf doen?", "Stap 2: Wat kan uw omgeving doen?",
                         "Stap 3: Hulp voor iedereen in uw buurt"]
    for provision in rec.data["ladder"]["individual_provisions"]:
        item = doc.find(id=f"maatwerk-{provision['id']}")
        alt_links = [a["href"] for a in item.find_all("a") if a["href"].startswith("#algemeen-")]
        assert len(alt_links) >= 1 and all(doc.find(id=h[1:]) for h in alt_links)


def test_html_lang_and_material_dutch(site):
    doc = soup(site / "index.html")
    assert doc.html["lang"] == "nl"


HOSTILE = """\
id: kwaadaardig
name: "Buurthuis <script>alert('naam')</script>"
description: >-
  Klik [hier](javascript:alert(1)) of <img src=x onerror=alert(2)> en
  <a href="javascript:alert(3)">dit</a> **vet** [echt](https://www.voorbeeldstad.example/ok).
  <iframe src="https://evil.example"></iframe> <style>body{display:none}</style>
  [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==) "><svg onload=alert(5)>
life_domains: [meedoen]
services:
  - id: dienst
    name: "</script><script>alert(6)</script>"
    description: "onmouseover=alert(7) ' \\" <b onclick=alert(8)>x</b>"
    status: active
verified:
  date: "2026-11-01"
  by: "<script>alert(9)</script>"
"""


def test_injected_markup_is_neutralised(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "providers" / "voorbeeldstad" / "kwaadaardig.yaml").write_text(HOSTILE, encoding="utf-8")
    site = _build(data, tmp_path / "site")
    doc = soup(page(site, "aanbieders/kwaadaardig/"))
    body = doc.select_one("[data-pagefind-body]")
    assert body is not None
    assert not body.find_all(["script", "img", "iframe", "style", "svg", "b"],
                             type=lambda t: t != "application/ld+json")
    for tag in body.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        for attr in ("href", "src"):
            value = (tag.get(attr) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:")), tag
    # the harmless subset still works
    assert body.find("strong", string="vet")
    assert body.find("a", href="https://www.voorbeeldstad.example/ok")
    # the visible text still shows what the editor typed (escaped, not dropped)
    assert "<script>alert('naam')</script>" in doc.h1.get_text()
    for script in doc.find_all("script"):
        text = script.string or ""
        if script.get("type") == "application/ld+json":
            json.loads(text)
            assert "</script" not in text.lower()
        assert "alert(" not in text or script.get("type") == "application/ld+json"


def test_failed_build_leaves_previous_site_intact(tmp_path):
    out = _build(DATA, tmp_path / "site")
    before = tree_digest(out)
    broken = tmp_path / "broken"
    shutil.copytree(DATA, broken)
    (broken / "roles" / "wmo-consulent.yaml").write_text("id: wmo-consulent\nname: [\n", encoding="utf-8")
    assert build(broken, out) == 1
    assert tree_digest(out) == before
    # a failure inside the MkDocs step (after generation started) also leaves the old site
    config = tmp_path / "mkdocs.yml"
    config.write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("name: material", "name: bestaat-niet"),
                      encoding="utf-8")
    assert build(DATA, out, config_path=config) == 1
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "mkdocs.yml", "site"], "no temp dirs left behind"


def test_gemeente_build_has_only_that_gemeente_and_national(tmp_path, model):
    demo = next(g for g, m in model.gemeenten.items() if m.get("demo"))
    site = _build(DATA, tmp_path / "site", gemeente=demo)
    built = {p.parent.name for p in (site / "aanbieders").glob("*/index.html")}
    expected = {r.id for r in model.providers.values() if r.gemeente in (demo, "landelijk")}
    assert built == expected
    assert {p.parent.name for p in (site / "gemeenten").glob("*/index.html")} == {demo}
    assert page(site, "rollen/").is_file()


def test_gemeente_page_lists_each_provider_once_with_jump_links(site, model):
    doc = soup(page(site, "gemeenten/voorbeeldstad/"))
    listed = [a["href"] for a in doc.select("ul.kaart-providers > li > strong > a")]
    local = [r for r in model.providers.values() if r.gemeente == "voorbeeldstad"]
    assert len(listed) == len(set(listed)) == len(local)  # every local provider once (was: once per levensgebied)
    jumps = [a["href"] for a in doc.select("nav.kaart-jumps a")]
    assert jumps and all(doc.find(id=h[1:]) for h in jumps)
    # where to start and the free client support come first, each with a number
    order = [h2["id"] for h2 in doc.select("h2[id]")]
    assert order[:3] == ["begin-hier", "clientondersteuning", "per-levensgebied"]
    for card in doc.select(".kaart-start .kaart-card")[:2]:
        assert card.select(".kaart-demo-phone, a[href^='tel:']"), card.get_text()


def test_field_guide_shows_schema_descriptions_as_text(site):
    """Schema descriptions are plain text: `<gemeente>` is a placeholder to read, not a tag for the browser to drop,
    and `*schuin*` explains the markup rather than being italic. Code spans of the guide stay code."""
    doc = soup(page(site, "bijdragen/velden"))
    text = doc.find("article").get_text(" ")
    assert "data/providers/<gemeente>/<id>.yaml" in text
    assert "data/providers//.yaml" not in text
    assert "Alleen *schuin*, **vet** en [links](https://…) zijn toegestaan" in text
    assert not doc.find("article").find_all(["gemeente", "id", "map"])
    codes = {c.get_text() for c in doc.find("article").find_all("code")}
    assert "services[].name" in codes and "data/providers/<gemeente>/<id>.yaml" in codes


def test_no_element_has_an_empty_tabindex(site):
    """tabindex="" is invalid HTML (Material's nav writes it on the open section's label; theme/main.html drops it)."""
    import lxml.html

    empty = []
    for path in sorted(site.rglob("*.html")):
        if path.relative_to(site).parts[0] == "pagefind":
            continue
        for element in lxml.html.parse(str(path)).getroot().xpath("//*[@tabindex]"):
            if not element.get("tabindex").strip():
                empty.append(f"{path.relative_to(site)}: <{element.tag} id={element.get('id')}>")
    assert not empty, "\n".join(empty[:20])


# --- html-validate on one page of every kind ------------------------------------------------------------------
#: html-validate from npm (package.json devDependencies; `make setup` runs npm ci). $KAART_HTML_VALIDATE may name
#: another copy of its bin/html-validate.mjs.
HTML_VALIDATE = REPO / "node_modules" / "html-validate" / "bin" / "html-validate.mjs"
HTML_VALIDATE_CONFIG = REPO / ".htmlvalidate.json"
#: Rules .htmlvalidate.json turns off or relaxes, and why. Each one fires only on the theme's (Material's) output.
RULES_CHANGED = {
    "no-trailing-whitespace": "formatting, not markup: the theme's Jinja templates leave spaces at line ends",
    "doctype-style": "<!doctype html> in lower case is valid HTML (Material's pages and our forwarding pages)",
    "valid-id": "relaxed (HTML's own rule: no whitespace): Material's ids start with '__' (__drawer, __nav_2), "
                "which its script and CSS need",
    "tel-non-breaking": "our phone links carry class kaart-tel, whose CSS (white-space: nowrap) keeps a number on "
                        "one line without putting &nbsp; into the text a visitor copies",
}
#: Single elements of the theme that a rule flags, and why they stay: (rule, what identifies the element, reason).
THEME_ELEMENTS = [
    ("valid-autocomplete", "#__drawer", "Material's drawer toggle, a checkbox with autocomplete=off (so a browser "
     "does not restore it open); written by base.html outside any block we can override"),
    ("valid-autocomplete", "#__search", "Material's search toggle, the same kind of checkbox as #__drawer"),
    ("prefer-native-element", "html > body > header > nav > label", "Material's menu button is a <label> for "
     "the drawer checkbox (no script needed to open it); theme/main.html only adds tabindex and role=button so "
     "the keyboard reaches it. A <button> would need a script of our own to open the drawer"),
    ("unique-landmark", '<nav class="md-nav', "Material renders the table of contents twice (in the menu for "
     "phones and in the sidebar), each nested <nav> named after its heading, so the names repeat"),
]


def _sample_pages(site: Path, model, tmp_path: Path) -> list[Path]:
    """One page of every kind: MkDocs' own pages, the overview pages, every kind of record page, 404, forwarding."""
    from kaart import csp
    from kaart.redirects import redirect_page

    local = {r.gemeente for r in model.providers.values()}
    without = next(g for g in sorted(model.gemeenten) if g not in local)
    with_local = next(g for g in sorted(model.gemeenten) if g in local)
    provider = max(model.providers.values(), key=lambda r: (len(r.data.get("locations", [])), r.id))
    urls = ["", f"gemeenten/{with_local}/", f"gemeenten/{without}/", "gemeenten/", "landelijk/",
            f"rollen/{sorted(model.roles)[0]}/", "rollen/", f"hulpvragen/{sorted(model.needs)[0]}/", "hulpvragen/",
            f"aanbieders/{provider.id}/", "signalen/", f"signalen/{sorted(model.signals)[0]}/", "wie-betaalt-wat/",
            "levensgebieden/", f"levensgebieden/{sorted(model.terms['life_domains'])[0]}/", "zoeken/",
            "mijn-overzicht/", "open-data/", "bijdragen/", "bijdragen/velden/"]
    pages = [page(site, u) for u in urls] + [site / "404.html"]
    policy = page_policies(site)["index.html"][0]
    for name, item in (("verhuisd", {"from": "aanbieders/oud/", "to": f"aanbieders/{provider.id}/"}),
                       ("gestopt", {"from": "aanbieders/weg/", "to": f"gemeenten/{with_local}/",
                                    "removed": "Het Buurtloket is gestopt & <b>het wijkteam</b> helpt u."})):
        forwarding = tmp_path / name / "index.html"  # as the build writes them: redirects.py, then the policy
        forwarding.parent.mkdir()
        forwarding.write_text(csp.insert(redirect_page(item, "https://example.org/"), policy), encoding="utf-8")
        pages.append(forwarding)
    missing = [str(p) for p in pages if not p.is_file()]
    assert not missing, missing
    return pages


def _theme_element(message: dict, lines: list[str]) -> str | None:
    """The reason a message is about one of THEME_ELEMENTS, or None."""
    line = lines[message["line"] - 1]
    start = line.rfind("<", 0, message["column"])
    source = line[start:] if start != -1 else ""
    for rule, element, reason in THEME_ELEMENTS:
        if message["ruleId"] == rule and (message.get("selector") == element or source.startswith(element)):
            return reason
    return None


def test_html_validate_finds_no_error_in_a_page_of_every_kind(site, model, tmp_path):
    import os
    import subprocess

    config = json.loads(HTML_VALIDATE_CONFIG.read_text(encoding="utf-8"))
    assert config["extends"] == ["html-validate:recommended"]
    assert set(config["rules"]) == set(RULES_CHANGED), "give every changed rule its reason in RULES_CHANGED"
    tool = Path(os.environ.get("KAART_HTML_VALIDATE") or HTML_VALIDATE)
    if not tool.is_file():
        pytest.fail(f"{tool} ontbreekt: voer 'make setup' (npm ci) uit")
    pages = _sample_pages(site, model, tmp_path)
    report_file = tmp_path / "html-validate.json"  # not stdout: node exits before a large piped write is done
    result = subprocess.run(["node", str(tool), "--config", str(HTML_VALIDATE_CONFIG),
                             "--formatter", f"json={report_file}", *map(str, pages)],
                            capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode in (0, 1) and report_file.is_file(), result.stderr + result.stdout
    errors, excused = [], set()
    for report in json.loads(report_file.read_text(encoding="utf-8")):
        lines = Path(report["filePath"]).read_text(encoding="utf-8").split("\n")
        for message in report["messages"]:
            reason = _theme_element(message, lines)
            if reason:
                excused.add(reason)
            elif message["severity"] == 2:
                errors.append(f"{report['filePath']}:{message['line']}:{message['column']} {message['ruleId']}: "
                              f"{message['message']} ({message.get('selector')})")
    assert not errors, f"{len(errors)} html-validate errors:\n" + "\n".join(errors[:40])
    # The exclusions are still needed (an unused one would hide a future error in our own markup for nothing).
    assert excused == {reason for _, _, reason in THEME_ELEMENTS}


def test_every_hulpvraag_and_rol_has_a_page_per_gemeente_with_local_records(site, model):
    """/gemeenten/<g>/hulpvragen/<id>/: the page with 'In <gemeente>' at the top, also without JavaScript; a variant
    of the page for everyone, so out of search, the sitemap and search engines."""
    local = [g for g in model.gemeenten if model.providers_in(g)]
    assert local == ["voorbeeldstad"]
    listed = set(_sitemap_pages(site))
    gemeente_page = soup(page(site, "gemeenten/voorbeeldstad/"))
    for kind, folder, records in (("need", "hulpvragen", model.needs), ("role", "rollen", model.roles)):
        for rid in records:
            url = f"gemeenten/voorbeeldstad/{folder}/{rid}/"
            html = page(site, url).read_text(encoding="utf-8")
            doc = soup(page(site, url))
            box = doc.select_one("section.kaart-local")
            assert box is not None and box.find("h2").get_text() == "In Voorbeeldstad", url
            assert box.select(".kaart-demo-phone"), url  # a number to call (made up: Voorbeeldstad is a demo)
            assert "Voorbeeldgegevens" in box.get_text()
            assert "data-pagefind-body" not in html and 'name="robots" content="noindex"' in html, url
            assert url not in listed
            if kind == "need":
                assert gemeente_page.find("a", href=f"hulpvragen/{rid}/"), rid  # reachable without JavaScript
        generic = soup(page(site, f"{folder}/{next(iter(records))}/"))
        slot = generic.select_one(".kaart-local-slot")
        assert slot is not None and slot["data-kaart-local"] == f"gemeenten/{{}}/{folder}/{next(iter(records))}/"


def test_gemeente_without_local_records_says_what_to_do_in_its_box(site):
    box = soup(page(site, "gemeenten/utrecht/")).select_one("section.kaart-local")
    assert box["data-kaart-gemeente-local"] == "0"
    text = box.get_text(" ")
    assert "nog geen organisaties uit de buurt" in text and "www.utrecht.nl" in text


_CLASS_IN_CSS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
_CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')


def test_theme_style_sheet_keeps_every_rule_a_page_can_use_and_drops_the_rest(site):
    """csstrim.py (PurgeCSS) cuts the theme's main style sheet to what the site uses: every theme class that
    occurs in a page (theme pages, one record page of every kind, the scripts that set classes) still has its
    rules; features the site does not use (content tabs, copy buttons, the theme's own search) are gone."""
    import material as theme_package

    shipped = next(Path(theme_package.__file__).parent.glob("templates/assets/stylesheets/main.*.min.css"))
    trimmed = site / "assets" / "stylesheets" / shipped.name
    assert trimmed.is_file() and not trimmed.with_name(shipped.name + ".map").exists()
    before, after = shipped.read_text(encoding="utf-8"), trimmed.read_text(encoding="utf-8")
    assert len(after) < 0.7 * len(before), (len(before), len(after))
    theme_classes = set(_CLASS_IN_CSS.findall(before))
    kept = set(_CLASS_IN_CSS.findall(after))
    pages = [p for p in site.rglob("*.html") if not p.is_relative_to(site / "pagefind")]
    one_per_kind: dict[str, Path] = {}
    for p in pages:
        kind = p.relative_to(site).parts[0] if len(p.relative_to(site).parts) > 2 else p.as_posix()
        one_per_kind.setdefault(kind, p)
    used = {c for p in one_per_kind.values()
            for attr in _CLASS_ATTR.findall(p.read_text(encoding="utf-8")) for c in attr.split()}
    for script in (site / "assets" / "kaart").glob("*.js"):
        used |= set(re.findall(r"\bmd-[\w-]+", script.read_text(encoding="utf-8")))
    lost = sorted((used & theme_classes) - kept)
    assert not lost, lost
    assert {"md-button", "md-typeset__table", "md-banner", "md-header", "md-tabs"} <= kept
    assert not {"tabbed-set", "md-search__input", "md-clipboard"} & kept


def test_css_trim_leaves_the_style_sheet_whole_without_purgecss(tmp_path):
    from kaart import csstrim

    css = tmp_path / "main.css"
    css.write_text(".a{color:red}.b{color:blue}", encoding="utf-8")
    assert csstrim.start([css], [], tmp_path / "node_modules") is None  # not installed: nothing runs
    assert css.read_text(encoding="utf-8") == ".a{color:red}.b{color:blue}"
    html = tmp_path / "page.html"
    html.write_text('<p class="a">x</p>', encoding="utf-8")
    csstrim.finish(csstrim.start([css], [html], REPO / "node_modules"))
    assert css.read_text(encoding="utf-8").replace("\n", "").replace(" ", "") == ".a{color:red}"
