"""The professional build, and the proof that the public build never contains the private overlay.

Both sites are real `kaart build` runs (MkDocs, Pagefind, exports, feeds) of the real data/ — once without and
once with the fictional overlay in tests/fixtures/overlay/. data/ carries real dates, so these builds use the
real date (KAART_TODAY unset), not the date the other fixtures are pinned to.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import os
import posixpath
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote

import phonenumbers
import pytest
import yaml
from bs4 import BeautifulSoup

from kaart.private import BANNER_TEXT, overlay_values
from kaart.render import WARM_CONTACT_FILTER

from conftest import ROOT, run_kaart
from site_checks import site_problems

DATA = ROOT / "data"
OVERLAY = ROOT / "tests" / "fixtures" / "overlay"
#: Skipped when checking pages: Pagefind's and the theme's own files are not pages.
NOT_PAGES = ("pagefind", "assets")


def _contacts() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((OVERLAY / "contacts").glob("*.yaml"))]


CONTACTS = _contacts()


#: The public build is handed the overlay too. `kaart build` refuses that combination (exit 2, tested below), so
#: the build function is called directly: whatever path a future change opens, the overlay is there to leak.
_PUBLIC_WITH_OVERLAY = ("import sys; from pathlib import Path; from kaart.site import build; "
                        "sys.exit(build(Path(sys.argv[1]), Path(sys.argv[2]), 'public', Path(sys.argv[3])))")


def _build_both(root: Path) -> tuple[Path, Path]:
    """Build the public and the professional site side by side (two processes: the machine has two cores)."""
    env = {k: v for k, v in os.environ.items() if k != "KAART_TODAY"}
    env["PYTHONIOENCODING"] = "utf-8"
    public, pro = root / "public", root / "pro"
    commands = [[sys.executable, "-c", _PUBLIC_WITH_OVERLAY, str(DATA), str(public), str(OVERLAY)],
                [sys.executable, "-m", "kaart.cli", "build", "--data", str(DATA), "--out", str(pro),
                 "--audience", "professional", "--private", str(OVERLAY)]]
    runs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for cmd in commands]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    for site in (public, pro):  # the promises every site keeps (CSP, internal links): tests/site_checks.py
        problems = site_problems(site)
        assert not problems, "\n".join(problems[:30])
    return public, pro


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    return _build_both(tmp_path_factory.mktemp("professional"))


@pytest.fixture(scope="session")
def public_site(sites) -> Path:
    return sites[0]


@pytest.fixture(scope="session")
def pro_site(sites) -> Path:
    return sites[1]


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] not in NOT_PAGES]


def _readable_forms(data: bytes) -> list[bytes]:
    """The bytes of a file and, when it is compressed (Pagefind chunks, sitemap.xml.gz, a zip), what is inside."""
    forms = [data]
    if data[:2] == b"\x1f\x8b":
        forms += _readable_forms(gzip.decompress(data))
    elif data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                forms += _readable_forms(archive.read(name))
    return forms


def _corpus(site: Path) -> dict[str, list[bytes]]:
    """Every file of a built site (relative path → its readable forms)."""
    return {p.relative_to(site).as_posix(): _readable_forms(p.read_bytes()) for p in sorted(site.rglob("*"))
            if p.is_file()}


def _encodings(value: str) -> set[bytes]:
    """The ways a string can be written into a file: as is, HTML-escaped, JSON-escaped (ASCII or not), in a URL."""
    forms = {value, html.escape(value), html.escape(value, quote=False), json.dumps(value)[1:-1],
             json.dumps(value, ensure_ascii=False)[1:-1]}
    return {f.encode("utf-8") for f in forms} | {f.lower().encode("utf-8") for f in forms}


def _resolve(page: Path, href: str, site: Path) -> Path:
    target = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), unquote(href.split("#")[0])))
    path = site / target
    return path / "index.html" if path.is_dir() else path


# --- the overlay really is the fixture we think it is --------------------------------------------------------

def test_overlay_values_are_distinctive_and_complete():
    values = overlay_values(CONTACTS)
    for expected in ("Fenna Fictief", "Vraag naar Fenna en noem het codewoord Zonnebloem-7f3c", "+31500000902", "bram.bedacht@clientondersteuning.voorbeeldstad.example",
                     "Teamleider wijkteam OVERLAY-TOKEN-7f3e", "2 weken tot het eerste gesprek (OVERLAY-TOKEN-f6b9)"):
        assert expected in values, expected
    assert len(values) > 40


# --- the public build ----------------------------------------------------------------------------------------

def test_public_build_contains_no_overlay_value_in_any_file(public_site):
    corpus = _corpus(public_site)
    # The site is really there, with pages, a search index, open data, feeds and a sitemap to leak into.
    for must in ("aanbieders/sociaal-wijkteam-voorbeeldstad/index.html", "sitemap.xml", "feed.xml",
                 "open-data/aanbieders.csv", "pagefind/pagefind-entry.json", "signalen/index.html",
                 "signalen/huurachterstand/index.html", "signalen/signalen-van-huiselijk-geweld/index.html"):
        assert must in corpus, must
    assert any(name.endswith(".pf_fragment") for name in corpus)
    provider = b"".join(corpus["aanbieders/sociaal-wijkteam-voorbeeldstad/index.html"])
    assert b"Sociaal Wijkteam Voorbeeldstad" in provider and b"application/ld+json" in provider
    # Pagefind fragments are gzip: the decompressed text is searched too (a fragment holds the page's words).
    fragments = b"".join(b"".join(forms[1:]) for name, forms in corpus.items() if name.endswith(".pf_fragment"))
    assert b"Sociaal Wijkteam Voorbeeldstad" in fragments

    leaks = _leaks(corpus)
    assert not leaks, "overlay values in the public build:\n" + "\n".join(leaks)


def test_the_leak_scan_finds_overlay_values_where_they_are(pro_site):
    """The same scan on the professional build finds the values: in pages, vCards and Pagefind's gzip fragments."""
    leaks = _leaks(_corpus(pro_site))
    assert any(line.startswith("signalen/huurachterstand/index.html: 'Fenna Fictief'") for line in leaks)
    assert any(line.startswith("aanbieders/sociaal-wijkteam-voorbeeldstad/index.html: 'Fenna Fictief'") for line in leaks)
    assert any(line.startswith("aanbieders/sociaal-wijkteam-voorbeeldstad/fenna-fictief.vcf: '+31500000902'")
               for line in leaks)
    assert any(".pf_fragment: 'Fenna Fictief'" in line for line in leaks)


#: Contact fields whose values the public site rightly shows: references to public records, enumerations, dates.
#: Written out here, not taken from kaart.private, so that a mistake there cannot hide a leak from this test.
_PUBLIC_KEYS = {"provider", "role", "kind", "basis", "review_date", "date", "recorded_on"}
_TOKEN = re.compile(r"OVERLAY-TOKEN-[0-9a-f]{4}")


def _secrets() -> set[str]:
    """What the public build must never contain, read from the overlay's files by this test itself: every text
    value of every contact (public keys aside), each marker token on its own, every phone number as written, as
    digits only and in +31 form, and each e-mail address in lower case."""
    secrets: set[str] = set()

    def walk(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key not in _PUBLIC_KEYS:
            secrets.add(value.strip())

    for path in sorted((OVERLAY / "contacts").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        secrets.update(_TOKEN.findall(text))
        contact = yaml.safe_load(text)
        walk(contact)
        if contact.get("phone"):
            digits = re.sub(r"\D", "", contact["phone"])
            national = "0" + digits[2:] if contact["phone"].lstrip().startswith("+31") else digits
            secrets.update({contact["phone"].strip(), national, "+31" + national[1:]})
        if contact.get("email"):
            secrets.add(contact["email"].lower())
    return secrets


def test_the_leak_scan_reads_the_secrets_itself_and_the_product_knows_them_too():
    secrets = _secrets()
    for expected in ("Fenna Fictief", "Vraag naar Fenna en noem het codewoord Zonnebloem-7f3c", "0500000902",
                     "+31500000902", "OVERLAY-TOKEN-7f3e", "fenna.fictief@wijkteam.voorbeeldstad.example"):
        assert expected in secrets, expected
    assert "sociaal-wijkteam-voorbeeldstad" not in secrets  # a public reference, shown on the public site
    assert len(secrets) > 40
    # what kaart.private.overlay_values treats as private covers every value found here (tokens are parts of them)
    assert {s for s in secrets if not _TOKEN.fullmatch(s)} - overlay_values(CONTACTS) == set()


def _leaks(corpus: dict[str, list[bytes]]) -> list[str]:
    needles = {value: _encodings(value) for value in sorted(_secrets())}
    leaks = set()
    for name, forms in corpus.items():
        for form in forms:
            lowered = form.lower()
            for value, encoded in needles.items():
                if any(e in form or e in lowered for e in encoded):
                    leaks.add(f"{name}: {value!r}")
    return sorted(leaks)


def test_public_build_has_no_professional_parts(public_site):
    assert not list(public_site.rglob("*.vcf"))
    for page in _pages(public_site):
        text = page.read_text(encoding="utf-8")
        assert 'id="voor-professionals"' not in text, page
        assert "kaart-pro-banner" not in text and BANNER_TEXT not in text, page
        assert f'data-pagefind-filter="{WARM_CONTACT_FILTER}:' not in text, page
    filters = b"".join(b"".join(_readable_forms(p.read_bytes())) for p in (public_site / "pagefind").rglob("*.pf_*"))
    assert WARM_CONTACT_FILTER.encode() not in filters
    # Search engines may list the public pages (the demo pages are noindex for another reason: test_site.py).
    for page in ("index.html", "aanbieders/ciz/index.html", "gemeenten/utrecht/index.html"):
        assert not _soup(public_site / page).find("meta", attrs={"name": "robots"}), page


def test_private_without_professional_audience_exits_2_and_builds_nothing(tmp_path):
    out = tmp_path / "site"
    for args in (["build", "--private", str(OVERLAY)], ["build", "--audience", "public", "--private", str(OVERLAY)]):
        result = run_kaart(*args, "--data", str(DATA), "--out", str(out))
        assert result.returncode == 2, result.stderr
        assert "--audience professional" in result.stderr
        assert not out.exists()


def test_professional_build_needs_the_overlay(tmp_path, monkeypatch):
    monkeypatch.delenv("KAART_TODAY")  # data/ has real dates
    result = run_kaart("build", "--audience", "professional", "--data", str(DATA), "--out", str(tmp_path / "site"))
    assert result.returncode == 2
    assert "--private" in result.stderr


# --- the professional build ----------------------------------------------------------------------------------

def _national_digits_to_e164() -> dict[str, str]:
    """'0500000902' → '+31500000902': overlay_values lists both; the page shows the number as written, with an
    E.164 tel: link, so the digits-only form is only there through that link."""
    out = {}
    for c in CONTACTS:
        if c.get("phone"):
            e164 = phonenumbers.format_number(phonenumbers.parse(c["phone"], "NL"), phonenumbers.PhoneNumberFormat.E164)
            out["0" + e164[3:]] = e164
    return out


def test_every_overlay_value_is_in_the_professional_build(pro_site):
    shown = b"".join(p.read_bytes() for p in _pages(pro_site)) + b"".join(p.read_bytes() for p in pro_site.rglob("*.vcf"))
    national = _national_digits_to_e164()
    missing = []
    for value in sorted(overlay_values(CONTACTS)):
        if value in national:
            if f'href="tel:{national[value]}"'.encode() not in shown:
                missing.append(value)
        elif value.encode("utf-8") not in shown:
            missing.append(value)
    assert not missing, missing


def test_banner_on_every_professional_page(pro_site):
    # The web editor (/beheer/) is its own app, the same in both builds, and not indexed (tested in test_beheer).
    pages = [p for p in _pages(pro_site) if p.relative_to(pro_site).parts[0] != "beheer"]
    assert len(pages) > 50
    for page in pages:
        soup = _soup(page)
        banners = soup.select(".kaart-pro-banner")
        assert len(banners) == 1, page
        assert BANNER_TEXT in " ".join(banners[0].get_text(" ").split()), page
        assert banners[0].name == "aside" and banners[0]["aria-label"] == "Professionele versie", page
        robots = soup.find("meta", attrs={"name": "robots"})
        assert robots and "noindex" in robots["content"], page
        link = banners[0].find("a")
        assert link and _resolve(page, link["href"], pro_site) == pro_site / "professionals" / "index.html", page
    # It comes before the page header (the first thing a visitor sees), and Pagefind leaves it out.
    home = (pro_site / "index.html").read_text(encoding="utf-8")
    assert home.index("kaart-pro-banner") < home.index('<header class="md-header')
    fragments = b"".join(b"".join(_readable_forms(p.read_bytes())) for p in (pro_site / "pagefind").rglob("*.pf_fragment"))
    assert b"toegangscontrole (inloggen)" not in fragments


def test_robots_keep_crawlers_out_of_the_professional_build_only(public_site, pro_site):
    assert (pro_site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"
    public = (public_site / "robots.txt").read_text(encoding="utf-8")
    assert "Disallow" not in public and "Sitemap: " in public


def test_professional_build_writes_no_sitemap(public_site, pro_site):
    """Every professional page is noindex and robots.txt disallows all: a sitemap would only list them."""
    for name in ("sitemap.xml", "sitemap-index.xml", "sitemaps", "sitemap.xml.gz"):
        assert not (pro_site / name).exists(), name
    assert "Sitemap" not in (pro_site / "robots.txt").read_text(encoding="utf-8")
    assert (public_site / "sitemap.xml").is_file() and (public_site / "sitemap-index.xml").is_file()
    # MkDocs' own sitemap.xml.gz lists only the theme's pages (and the page shell we remove): in no build.
    assert not (public_site / "sitemap.xml.gz").exists()


@pytest.mark.browser
def test_navigation_in_the_professional_build_works_without_a_sitemap(browser, pro_site):
    """The theme's instant navigation fetches sitemap.xml and only navigates in-page to the addresses listed
    there. Without one it gets a 404 (a console error on every first page) and an empty list, so every link is an
    ordinary page load anyway. The professional build therefore leaves instant navigation out (site.py,
    without_instant_navigation): no request for a sitemap, and the tabs and links in the content still lead to
    their page, without script errors.

    The site is answered at its own site_url by the browser itself (no network), as in test_browser_search."""
    import mimetypes

    site_url = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
    asked: list[str] = []

    def answer(route):
        path = route.request.url.removeprefix(site_url).split("?")[0].split("#")[0]
        asked.append(path)
        file = pro_site / (path + "index.html" if path.endswith("/") or not path else path)
        if not route.request.url.startswith(site_url) or not file.is_file():
            route.fulfill(status=404, body="niet gevonden")
            return
        route.fulfill(status=200, body=file.read_bytes(),
                      content_type=mimetypes.guess_type(file.name)[0] or "application/octet-stream")

    context = browser.new_context(locale="nl-NL")
    context.route("**/*", answer)
    page = context.new_page()
    errors: list[str] = []
    console_errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(site_url)
        page.wait_for_load_state("networkidle")
        assert "sitemap.xml" not in asked
        assert asked and all(not p.startswith("sitemap") for p in asked)
        page.evaluate("window.kaartZelfdePagina = true")
        page.locator("a.md-tabs__link[href$='rollen/']").first.click()
        page.wait_for_url(site_url + "rollen/")
        page.locator("h1", has_text="Rollen").first.wait_for(state="visible")
        # An ordinary page load (no in-page swap), and the new page is the whole professional page.
        assert page.evaluate("window.kaartZelfdePagina === undefined")
        assert page.locator(".kaart-pro-banner").count() == 1
        page.locator(".kaart-page a[href$='sociaal-wijkteam/']").first.click()
        page.wait_for_url(site_url + "rollen/sociaal-wijkteam/")
        page.locator("h1").first.wait_for(state="visible")
        page.go_back()
        page.wait_for_url(site_url + "rollen/")
        assert errors == [] and console_errors == []
    finally:
        context.close()


def test_provider_page_shows_each_warm_contact(pro_site):
    page = pro_site / "aanbieders" / "sociaal-wijkteam-voorbeeldstad" / "index.html"
    soup = _soup(page)
    heading = soup.find("h2", id="voor-professionals")
    assert heading is not None and heading.get_text() == "Voor professionals"
    section = heading.parent
    cards = section.select(".kaart-warm-contact")
    names = [c.find("h3").get_text() for c in cards]
    # Team lines first (they outlive people), then persons.
    assert names == ["Intakelijn wijkteam OVERLAY-TOKEN-a1c4", "Spoedlijn wijkteam OVERLAY-TOKEN-5e21", "Fenna Fictief"]

    fenna = section.find(id="contact-fenna-fictief")
    facts = {dt.get_text(): dd for dt, dd in zip(fenna.find_all("dt"), fenna.find_all("dd"))}
    assert facts["Functie"].get_text() == "Wijkcoach jeugd en gezin"
    assert facts["Soort"].get_text() == "Persoon met naam"
    role = facts["Rol"].find("a")
    assert role.get_text() == "Sociaal wijkteam"
    assert _resolve(page, role["href"], pro_site) == pro_site / "rollen" / "sociaal-wijkteam" / "index.html"
    assert facts["Telefoon"].find("a")["href"] == "tel:+31500000902"
    assert facts["Telefoon"].get_text() == "050 000 0902"
    assert facts["E-mail"].find("a")["href"] == "mailto:fenna.fictief@wijkteam.voorbeeldstad.example"
    assert "OVERLAY-TOKEN-7f3a" in facts["Bereikbaar"].get_text()
    handover = fenna.find("h4")
    assert handover.get_text() == "Warme overdracht"
    steps = {dt.get_text(): dd.get_text() for dt, dd in zip(handover.find_next("dl").find_all("dt"),
                                                             handover.find_next("dl").find_all("dd"))}
    assert steps == {"Wat stuurt u mee?": "Het ondertekende toestemmingsformulier en het gezinsplan (OVERLAY-TOKEN-7f3b)",
                     "Wat zegt u erbij?": "Vraag naar Fenna en noem het codewoord Zonnebloem-7f3c",
                     "Wanneer krijgt u antwoord?": "dezelfde dag teruggebeld (OVERLAY-TOKEN-7f3d)"}
    assert "Opnieuw bevestigen vóór 1 september 2099" in fenna.get_text()
    assert "Grondslag (AVG): toestemming" in fenna.get_text()

    intake = section.find(id="contact-wijkteam-intakelijn").get_text(" ")
    assert "Wachttijd:" in intake and "2 weken tot het eerste gesprek (OVERLAY-TOKEN-f6b9) (peildatum 15 oktober 2026)" in intake
    spoed = section.find(id="contact-wijkteam-spoedlijn")
    assert spoed.select_one(".kaart-pro-overdue"), "a contact past its review date says so"
    assert not fenna.select_one(".kaart-pro-overdue")


def test_vcard_links_resolve_to_valid_vcards_with_the_phone(pro_site):
    by_id = {c["id"]: c for c in CONTACTS}
    seen = set()
    for pid in sorted({c["provider"] for c in CONTACTS}):
        page = pro_site / "aanbieders" / pid / "index.html"
        for a in _soup(page).select("#voor-professionals ~ .kaart-warm-contact a[download]"):
            assert a.get_text() == "Download vCard"
            vcf = _resolve(page, a["href"], pro_site)
            contact = by_id[vcf.stem]
            assert vcf.parent.name == contact["provider"]
            raw = vcf.read_bytes()
            assert raw.startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n") and raw.endswith(b"END:VCARD\r\n")
            assert b"\n" not in raw.replace(b"\r\n", b""), "every line ends in CRLF"
            lines = raw.decode("utf-8").replace("\r\n ", "").split("\r\n")  # unfold (RFC 6350 §3.2)
            assert "FN:" + contact["name"] in lines
            if contact.get("phone"):
                e164 = phonenumbers.format_number(phonenumbers.parse(contact["phone"], "NL"),
                                                  phonenumbers.PhoneNumberFormat.E164)
                assert f"TEL;VALUE=uri;TYPE=work,voice:tel:{e164}" in lines
            if contact.get("email"):
                assert "EMAIL;TYPE=work:" + contact["email"] in lines
            seen.add(contact["id"])
    assert seen == set(by_id), "every contact has a vCard link on its provider page"
    assert {p.stem for p in pro_site.rglob("*.vcf")} == set(by_id)


def test_role_page_lists_contacts_with_that_role_and_links_their_provider(pro_site):
    page = pro_site / "rollen" / "onafhankelijke-clientondersteuner" / "index.html"
    section = _soup(page).find("h2", id="voor-professionals").parent
    items = section.select("li")
    assert [i.find("strong").get_text() for i in items] == ["Directe lijn cliëntondersteuning OVERLAY-TOKEN-9c2e",
                                                            "Bram Bedacht"]
    for item in items:
        provider = item.find("a", href=re.compile(r"aanbieders/clientondersteuning-voorbeeldstad/#contact-"))
        assert provider.get_text() == "Cliëntondersteuning Voorbeeldstad"
        assert _resolve(page, provider["href"], pro_site).is_file()
        assert _resolve(page, item.find("a", download=True)["href"], pro_site).suffix == ".vcf"
    assert items[0].find("a", href="tel:+31500000903")
    # A contact without a role (the spoedlijn) is on no role page; a role without contacts says so.
    wijkteam = _soup(pro_site / "rollen" / "sociaal-wijkteam" / "index.html").find("h2", id="voor-professionals").parent
    assert "Spoedlijn" not in wijkteam.get_text()
    others = [p for p in (pro_site / "rollen").glob("*/index.html")
              if p.parent.name not in {"sociaal-wijkteam", "onafhankelijke-clientondersteuner"}]
    assert others
    for other in others:
        section = _soup(other).find("h2", id="voor-professionals")
        assert section and "nog geen warme contacten" in section.parent.get_text()


def test_gemeente_page_groups_warm_contacts_by_provider(pro_site):
    page = pro_site / "gemeenten" / "voorbeeldstad" / "index.html"
    section = _soup(page).find("h2", id="voor-professionals").parent
    groups = {h3.get_text(): [li.find("strong").get_text() for li in h3.find_next("ul").find_all("li")]
              for h3 in section.find_all("h3")}
    assert groups == {
        "Cliëntondersteuning Voorbeeldstad": ["Directe lijn cliëntondersteuning OVERLAY-TOKEN-9c2e", "Bram Bedacht"],
        "Sociaal Wijkteam Voorbeeldstad": ["Intakelijn wijkteam OVERLAY-TOKEN-a1c4", "Spoedlijn wijkteam OVERLAY-TOKEN-5e21",
                                           "Fenna Fictief"],
    }
    for h3 in section.find_all("h3"):
        assert _resolve(page, h3.find("a")["href"], pro_site).is_file()


def test_warm_contact_facet_only_on_providers_with_contacts(pro_site):
    facet = f'data-pagefind-filter="{WARM_CONTACT_FILTER}:ja"'
    with_contacts = {c["provider"] for c in CONTACTS}
    providers = sorted((pro_site / "aanbieders").glob("*/index.html"))
    assert len(providers) > len(with_contacts)
    for page in providers:
        assert (facet in page.read_text(encoding="utf-8")) == (page.parent.name in with_contacts), page
    # Pagefind turned the spans into a filter the search page can offer.
    filters = b"".join(b"".join(_readable_forms(p.read_bytes())) for p in (pro_site / "pagefind").rglob("*.pf_*"))
    assert WARM_CONTACT_FILTER.encode() in filters


def test_overlay_text_is_escaped():
    """Markup in the overlay reaches the page as text, never as elements or attributes."""
    from kaart.private import render_contacts, render_gemeente_contacts, render_role_contacts

    evil = dict(CONTACTS[0], name='<img src=x onerror=alert(1)>"', function="<script>x</script>",
                availability="**vet** [link](https://example.org)", email='a"b@voorbeeldstad.example')

    class Rec:
        id = "x"

    for fragment in (render_contacts(Rec(), [evil]), render_role_contacts("rollen/r/", [("x", "<b>X</b>", evil)]),
                     render_gemeente_contacts("gemeenten/g/", [("x", "<b>X</b>", [evil])])):
        soup = BeautifulSoup(fragment, "html.parser")
        assert not soup.find_all(["img", "script", "b"])
        assert not soup.find("a", href="https://example.org")
        assert all(not k.startswith("on") for tag in soup.find_all(True) for k in tag.attrs)
        assert '<img src=x onerror=alert(1)>"' in soup.get_text()


# --- signals (vroegsignalering) -------------------------------------------------------------------------------

def test_signal_page_shows_the_warm_contacts_of_the_roles_that_pick_it_up(pro_site):
    """A wijkagent who sees a huurachterstand finds the wijkteam's direct line on the signal page itself."""
    page = pro_site / "signalen" / "huurachterstand" / "index.html"
    section = _soup(page).find("h2", id="voor-professionals").parent
    groups = {h3.get_text(): h3.find_next_sibling() for h3 in section.find_all("h3")}
    assert list(groups) == ["Schuldhulpverlener", "Sociaal wijkteam"]  # the signal's roles, in its order
    assert "Nog geen warme contacten" in groups["Schuldhulpverlener"].get_text()
    names = [li.find("strong").get_text() for li in groups["Sociaal wijkteam"].find_all("li")]
    assert names == ["Intakelijn wijkteam OVERLAY-TOKEN-a1c4", "Fenna Fictief"]  # not the spoedlijn: it has no role
    item = groups["Sociaal wijkteam"].find_all("li")[1]
    assert item.find("a", href="tel:+31500000902")
    provider = item.find("a", href=re.compile(r"aanbieders/sociaal-wijkteam-voorbeeldstad/#contact-fenna-fictief$"))
    assert _resolve(page, provider["href"], pro_site).is_file()
    assert _resolve(page, item.find("a", download=True)["href"], pro_site).suffix == ".vcf"


def test_signal_page_in_a_gemeente_build_shows_only_that_gemeentes_contacts(tmp_path):
    """`--gemeente amsterdam`: Voorbeeldstad's contacts are not Amsterdam's, so the signal page has none."""
    out = tmp_path / "ams"
    env = {k: v for k, v in os.environ.items() if k != "KAART_TODAY"}
    run = subprocess.run([sys.executable, "-m", "kaart.cli", "build", "--data", str(DATA), "--out", str(out),
                          "--audience", "professional", "--private", str(OVERLAY), "--gemeente", "amsterdam"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    section = _soup(out / "signalen" / "huurachterstand" / "index.html").find("h2", id="voor-professionals").parent
    assert "nog geen warme contacten" in section.get_text()
    assert "Fenna" not in section.get_text()


def test_public_signal_pages_say_what_to_do_and_carry_no_contacts(public_site):
    page = public_site / "signalen" / "signalen-van-huiselijk-geweld" / "index.html"
    soup = _soup(page)
    assert soup.find("h2", id="voor-professionals") is None
    assert soup.find("h1").get_text() == "Signalen van huiselijk geweld"
    assert "bel 112" in soup.find("h2", id="eerst").find_next("ol").get_text().lower()
    meldcode = soup.find(id="grondslag-meldcode")
    assert meldcode is not None and len(meldcode.find_next("ol").find_all("li")) == 5  # the 5 steps
    roles = [a["href"] for a in soup.find("h2", id="wie").find_next("ul").find_all("a")]
    assert any(h.endswith("rollen/veilig-thuis/") for h in roles)
    for href in roles:
        assert _resolve(page, href, public_site).is_file()


def test_signals_overview_by_zorgvindplaats_and_role_pages_list_their_signals(public_site):
    page = public_site / "signalen" / "index.html"
    soup = _soup(page)
    for place in ("huisarts-poh", "wijkagent", "woningcorporatie", "school-leerplicht", "werkgever-bedrijfsarts",
                  "schuldhulp", "apotheek", "energie-en-waterbedrijf"):
        heading = soup.find("h3", id=place)
        assert heading is not None, place
        links = heading.find_next("ul").find_all("a")
        assert links, place
        for a in links:
            assert _resolve(page, a["href"], public_site).is_file()
    assert soup.find("table").find("tbody").find_all("tr")
    role = _soup(public_site / "rollen" / "schuldhulpverlener" / "index.html")
    listed = [a.get_text() for a in role.find("h2", id="signalen").find_next("ul").find_all("a")]
    assert "Huurachterstand" in listed and "Achterstand bij energie of water" in listed
    tabs = _soup(public_site / "index.html").select("a.md-tabs__link")
    assert any(a.get_text(strip=True) == "Signalen" and a["href"] == "signalen/" for a in tabs)
