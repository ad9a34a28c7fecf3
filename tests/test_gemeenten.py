"""Issue 16: every gemeente and every postcode, with an honest page where local data is missing.

The real data/ (342 gemeenten, 4 074 PC4 codes) is checked as shipped, built once with the real `kaart build`, and
tried in headless Chromium the way a resident would: type a postcode, land on the gemeente. The yearly update is
tried with a simulated merger of two gemeenten in a small copy of the test data.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, VALID_DIR, axe, build_site, run_kaart, serve

from kaart.cli import main
from kaart.gemeenten import compact_lookup, read_table, resolve, slugify, table_files

DATA = ROOT / "data"
#: From the source's own verification (SOURCES.md of the extract): the 22 PC4s that lie in two gemeenten.
STRADDLING = ["1216", "1357", "1724", "3366", "4062", "4197", "5091", "5383", "6574", "6924", "7011", "7311", "7351",
              "7693", "7694", "7933", "7963", "7964", "9207", "9354", "9417", "9423"]
#: Spot checks that the source verified against a second source.
KNOWN = {"1012": "Amsterdam", "3011": "Rotterdam", "3511": "Utrecht", "8011": "Zwolle", "9711": "Groningen",
         "2511": "'s-Gravenhage", "6211": "Maastricht"}
PER_PROVINCE = {"Noord-Brabant": 56, "Gelderland": 51, "Zuid-Holland": 50, "Noord-Holland": 44, "Limburg": 31,
                "Utrecht": 26, "Overijssel": 25, "Fryslân": 18, "Zeeland": 13, "Drenthe": 12, "Groningen": 10,
                "Flevoland": 6}
LOOKUP_BUDGET_GZIP = 25 * 1024
NOT_A_POSTCODE = "1000"  # Amsterdam's PO-box range: no address has it


def _gemeenten() -> list[dict]:
    return yaml.safe_load((DATA / "municipalities.yaml").read_text(encoding="utf-8"))["municipalities"]


def _table():
    year, path = table_files(DATA)[-1]
    rows, problems = read_table(path)
    assert problems == []
    return year, rows


# --- the data as shipped ---------------------------------------------------------------------------------------


def test_every_gemeente_of_2026_is_in_the_data_with_code_slug_and_province():
    real = [m for m in _gemeenten() if not m["demo"]]
    assert len(real) == 342
    assert all(re.fullmatch(r"GM\d{4}", m["code"]) for m in real)
    assert len({m["code"] for m in real}) == len({m["id"] for m in real}) == 342
    assert all(m["id"] == slugify(m["name"]) for m in real)
    assert Counter(m["province"] for m in real) == PER_PROVINCE
    ids = {m["id"] for m in _gemeenten()}
    assert {"amsterdam", "rotterdam", "utrecht", "zwolle", "voorbeeldstad", "s-gravenhage", "sudwest-fryslan",
            "bergen-nh", "bergen-l"} <= ids  # the old ids keep working; names with accents and suffixes get a slug


def test_no_gemeente_website_without_a_source():
    """Websites only where a person checked them (the five that were there); none generated for the other 338."""
    with_site = {m["id"] for m in _gemeenten() if m.get("website")}
    assert with_site == {"amsterdam", "rotterdam", "utrecht", "zwolle", "voorbeeldstad"}


def test_provenance_is_in_the_headers_of_both_data_files():
    year, _ = _table()
    for path in (DATA / "municipalities.yaml", DATA / "postcodes" / f"pc4-{year}.csv"):
        head = path.read_text(encoding="utf-8")[:3000]
        for must in ("CBS", "86247NED", "CC BY 4.0", "PDOK", "BAG", "GeoNames"):
            assert must in head, (path.name, must)


def test_the_pc4_table_covers_the_netherlands():
    year, rows = _table()
    assert year == 2026
    by_pc4: dict[str, list] = {}
    for r in rows:
        by_pc4.setdefault(r.pc4, []).append(r)
    assert len(by_pc4) == 4074
    assert sorted(pc for pc, parts in by_pc4.items() if len(parts) > 1) == STRADDLING
    codes = {m["code"]: m["name"] for m in _gemeenten()}
    assert {r.gemeente for r in rows} <= set(codes) and len({r.gemeente for r in rows}) == 342
    main_gemeente = {pc: codes[max(parts, key=lambda r: r.share).gemeente] for pc, parts in by_pc4.items()}
    assert {pc: main_gemeente[pc] for pc in KNOWN} == KNOWN


def test_compact_lookup_resolves_every_postcode_and_fits_the_budget(tmp_path, monkeypatch):
    monkeypatch.delenv("KAART_TODAY")  # the shipped data is checked against the real date
    from kaart.search import postcode_lookup
    from kaart.validate import check

    model, problems = check(DATA, use_cache=False)
    assert model is not None, [p.text() for p in problems if p.severity == "error"]

    class Urls:
        def gemeente_url(self, g):
            return f"gemeenten/{g}/"

        def gemeente_name(self, g):
            return model.gemeenten[g]["name"]

    lookup = postcode_lookup(model, Urls())
    names = [name for _, name in lookup["g"]]
    code_name = {m["code"]: m["name"] for m in model.gemeenten.values()}
    for pc4 in {r.pc4 for r in model.postcodes}:
        want = [code_name[r.gemeente] for r in sorted((r for r in model.postcodes if r.pc4 == pc4),
                                                      key=lambda r: -r.share)]
        assert [names[i] for i in resolve(lookup, pc4)] == want, pc4
    assert resolve(lookup, NOT_A_POSTCODE) is None
    raw = json.dumps(lookup, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert len(gzip.compress(raw, 9)) <= LOOKUP_BUDGET_GZIP


def test_compact_lookup_without_a_table_knows_only_the_listed_postcodes():
    lookup = compact_lookup([("gemeenten/a/", "A")], [], {}, {"0101": 0, "0102": 0, "0104": 0})
    assert lookup["r"] == [101, 2, 0, 1, 1, 0]
    assert [resolve(lookup, pc) for pc in ("0100", "0101", "0102", "0103", "0104", "0105")] == [
        None, [0], [0], None, [0], None]


# --- the yearly update, with a merger ----------------------------------------------------------------------


def _write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


CBS = ["code", "name", "province", "province_code"]
PDOK = ["pc4", "gemeente_code", "share", "pc6_count", "primary", "note"]
PROVIDER = """\
id: buurthuis-kampen
name: Buurthuis Kampen (test)
description: Een aanbieder in een gemeente die straks opgaat in een andere.
life_domains: [meedoen]
website: https://www.buurthuis-kampen.example
services:
  - id: dienst
    name: Dienst
    description: Een dienst.
verified:
  date: "2026-10-01"
  by: Redactie Sociale Kaart
"""


def _update(data: Path, tmp: Path, year: int, gemeenten: list[list], pc4: list[list]):
    cbs = _write_csv(tmp / f"cbs-{year}.csv", CBS, gemeenten)
    pdok = _write_csv(tmp / f"pc4-{year}.csv", PDOK, pc4)
    return run_kaart("gemeenten", "--data", str(data), "--cbs", str(cbs), "--pc4", str(pdok), "--jaar", str(year))


def _check(data: Path) -> tuple[int, list[dict]]:
    result = run_kaart("check", "--data", str(data), "--format", "json")
    assert "Traceback" not in result.stderr
    return result.returncode, [p for p in json.loads(result.stdout or "[]") if p["severity"] == "error"]


def test_merger_of_two_gemeenten(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(VALID_DIR, data)
    shutil.rmtree(data / "postcodes")
    year1 = [["GM0193", "Zwolle", "Overijssel", "PV23"], ["GM0166", "Kampen", "Overijssel", "PV23"],
             ["GM0148", "Dalfsen", "Overijssel", "PV23"]]
    pc4_1 = [["8011", "GM0193", "1.0000", 300, 1, ""], ["8012", "GM0193", "1.0000", 80, 1, ""],
             ["8019", "GM0193", "0.7500", 30, 1, ""], ["8019", "GM0148", "0.2500", 10, 0, ""],
             ["8261", "GM0166", "1.0000", 90, 1, ""], ["8262", "GM0166", "1.0000", 70, 1, ""],
             ["7721", "GM0148", "1.0000", 60, 1, ""]]
    first = _update(data, tmp_path, 2025, year1, pc4_1)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "3 gemeenten, 6 postcodes" in first.stdout
    (data / "providers" / "kampen").mkdir()
    (data / "providers" / "kampen" / "buurthuis-kampen.yaml").write_text(PROVIDER, encoding="utf-8")
    assert _check(data) == (0, [])
    zwolle = next(m for m in yaml.safe_load((data / "municipalities.yaml").read_text(encoding="utf-8"))
                  ["municipalities"] if m["id"] == "zwolle")
    assert zwolle["website"] == "https://www.zwolle.nl"  # local data stays

    # 1 January 2026: Kampen and Dalfsen merge into a new gemeente; postcode 8012 is withdrawn.
    year2 = [["GM0193", "Zwolle", "Overijssel", "PV23"], ["GM1999", "IJsselmonde-Oost", "Overijssel", "PV23"]]
    pc4_2 = [["8011", "GM0193", "1.0000", 380, 1, ""],
             ["8019", "GM0193", "0.7500", 30, 1, ""], ["8019", "GM1999", "0.2500", 10, 0, ""],
             ["8261", "GM1999", "1.0000", 90, 1, ""], ["8262", "GM1999", "1.0000", 70, 1, ""],
             ["7721", "GM1999", "1.0000", 60, 1, ""]]
    second = _update(data, tmp_path, 2026, year2, pc4_2)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Opgegaan: kampen → ijsselmonde-oost" in second.stdout
    assert "Opgegaan: dalfsen → ijsselmonde-oost" in second.stdout
    assert "8012" in second.stdout
    assert [y for y, _ in table_files(data)] == [2025, 2026]  # last year's table stays for the check
    redirects = yaml.safe_load((data / "redirects.yaml").read_text(encoding="utf-8"))["redirects"]
    assert {"from": "gemeenten/kampen/", "to": "gemeenten/ijsselmonde-oost/"} in redirects
    assert {"from": "gemeenten/dalfsen/", "to": "gemeenten/ijsselmonde-oost/"} in redirects
    withdrawn = [r for r in read_table(data / "postcodes" / "pc4-2026.csv")[0] if r.pc4 == "8012"]
    assert [(r.gemeente, "Zwolle" in r.note) for r in withdrawn] == [("", True)]

    # The provider is not orphaned silently: the check fails and names the successor.
    code, errors = _check(data)
    assert code == 1
    assert [(e["code"], Path(e["path"]).name) for e in errors] == [("ref-unknown-gemeente", "buurthuis-kampen.yaml")]
    assert "IJsselmonde-Oost" in errors[0]["message"] and "data/providers/ijsselmonde-oost/" in errors[0]["hint"]
    (data / "providers" / "kampen").rename(data / "providers" / "ijsselmonde-oost")
    assert _check(data) == (0, [])

    # A postcode that was there last year may not vanish without a note.
    table = data / "postcodes" / "pc4-2026.csv"
    table.write_text("".join(line for line in table.read_text(encoding="utf-8").splitlines(keepends=True)
                             if not line.startswith("7721,")), encoding="utf-8")
    code, errors = _check(data)
    line = next(r.line for r in read_table(data / "postcodes" / "pc4-2025.csv")[0] if r.pc4 == "7721")
    assert code == 1 and [(e["code"], Path(e["path"]).name, e["line"]) for e in errors] == [
        ("postcode-missing", "pc4-2025.csv", line)]


def test_update_keeps_postcodes_that_look_like_numbers_as_text(tmp_path):
    """PyYAML writes 0108 without quotes (YAML 1.1: not octal); our YAML 1.2 reader would read the number 108."""
    data = tmp_path / "data"
    shutil.copytree(VALID_DIR, data)
    muni = data / "municipalities.yaml"
    muni.write_text(muni.read_text(encoding="utf-8").replace('["0101", "0102"]', '["0101", "0108", "0109"]'),
                    encoding="utf-8")
    result = _update(data, tmp_path, 2026, [["GM0193", "Zwolle", "Overijssel", "PV23"]],
                     [["8011", "GM0193", "1", 1, 1, ""]])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "postcodes: ['0101', '0108', '0109']" in muni.read_text(encoding="utf-8")
    assert _check(data) == (0, [])


def test_update_refuses_bad_files_and_changes_nothing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(VALID_DIR, data)
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    result = _update(data, tmp_path, 2026, [["GM0193", "Zwolle", "Friesland", "PV21"], ["0166", "Kampen", "Overijssel", "PV23"]],
                     [["8011", "GM0193", "1", 1, 1, ""]])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'cbs-2026.csv'}:2:" in result.stdout and "[cbs-province]" in result.stdout
    assert f"{tmp_path / 'cbs-2026.csv'}:3:1: error: [cbs-code]" in result.stdout
    assert "oplossing:" in result.stdout and "niets veranderd" in result.stderr
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before
    missing = run_kaart("gemeenten", "--data", str(data), "--cbs", "nergens.csv", "--pc4", "nergens.csv",
                        "--jaar", "2026")
    assert missing.returncode == 1 and "--cbs nergens.csv bestaat niet" in missing.stderr


def test_gemeenten_help_explains_every_option(capsys):
    assert main(["gemeenten", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--cbs", "--pc4", "--jaar", "--data"):
        assert option in out
    assert "voorbeelden:" in out and "Voorbeeld: --jaar 2027" in out


# --- the built site -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(None, tmp_path_factory.mktemp("heel-nl") / "site", today=None)


def test_a_page_for_every_gemeente_and_feeds_only_where_there_is_local_data(site):
    ids = {m["id"] for m in _gemeenten()}
    assert {p.parent.name for p in (site / "gemeenten").glob("*/index.html")} == ids
    assert len(ids) == 343
    assert {p.parent.name for p in (site / "gemeenten").glob("*/feed.xml")} == {"voorbeeldstad"}


def test_gemeente_without_local_data_says_so_and_helps_anyway(site):
    page = (site / "gemeenten" / "aa-en-hunze" / "index.html").read_text(encoding="utf-8")
    assert "Hulp in Aa en Hunze" in page and "GM1680" in page and "Drenthe" in page
    assert "Deze gemeente heeft nog geen lokale gegevens: help mee" in page
    assert re.search(r'href="(\.\./)+bijdragen/"', page)
    assert "onafhankelijke cliëntondersteuner" in page and "Ik wil graag een onafhankelijke cliëntondersteuner" in page
    assert 'href="https://organisaties.overheid.nl/"' in page  # honest instruction, no invented website
    for rid in ("wmo-consulent", "jeugd-en-gezinsteam", "consulent-werk-en-inkomen", "sociaal-wijkteam"):
        assert f"rollen/{rid}/" in page
    assert "aanbieders/113-zelfmoordpreventie/" in page  # national services apply everywhere
    assert "feed.xml" not in page.split('class="kaart-page')[1]
    known = (site / "gemeenten" / "utrecht" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.utrecht.nl"' in known and "organisaties.overheid.nl" not in known
    demo = (site / "gemeenten" / "voorbeeldstad" / "index.html").read_text(encoding="utf-8")
    assert "Hulp per onderwerp" in demo and "help mee" not in demo  # the full page stays


def test_gemeente_index_lists_all_by_province(site):
    page = (site / "gemeenten" / "index.html").read_text(encoding="utf-8")
    sections = re.findall(r'<h2 id="provincie-([a-z-]+)">', page)
    assert sections == sorted(slugify(p) for p in PER_PROVINCE) + ["voorbeeldgemeenten"]
    assert len(re.findall(r"<li data-kaart-name=", page)) == 343
    assert re.search(r'<div class="kaart-filter" data-kaart-filter hidden>', page)  # only shown by the script


def test_lookup_file_budget_and_provenance_on_open_data(site):
    raw = (site / "assets" / "kaart" / "postcodes.json").read_bytes()
    assert len(gzip.compress(raw, 9)) <= LOOKUP_BUDGET_GZIP
    page = (site / "open-data" / "index.html").read_text(encoding="utf-8")
    for must in ("Gebieden in Nederland 2026", "86247NED", "CC BY 4.0", "PDOK Locatieserver", "BAG",
                 "GeoNames", "geen licentieverklaring"):
        assert must in page, must


# --- in the browser ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as url:
        yield url


def _sample() -> tuple[list[str], dict[str, list[str]]]:
    _, rows = _table()
    names = {m["code"]: m["name"] for m in _gemeenten()}
    by_pc4: dict[str, list] = {}
    for r in rows:
        by_pc4.setdefault(r.pc4, []).append(r)
    want = {pc: [names[r.gemeente] for r in sorted(parts, key=lambda r: -r.share)] for pc, parts in by_pc4.items()}
    single = sorted(pc for pc in want if len(want[pc]) == 1)
    sample = STRADDLING + sorted(KNOWN) + ["9711"] + single[::len(single) // 30][:30]
    return sorted(set(sample)), want


@pytest.mark.browser
def test_every_postcode_in_a_sample_finds_its_gemeente_in_the_browser(browser, base_url):
    sample, want = _sample()
    assert len(sample) >= 50
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
    page = context.new_page()
    typed_forms = ["{} AB", "{}ab", " {} ", "{}"]
    for n, pc4 in enumerate(sample):
        page.goto(base_url + "gemeenten/")
        page.fill("#kaart-pc", typed_forms[n % len(typed_forms)].format(pc4))
        page.press("#kaart-pc", "Enter")
        if len(want[pc4]) == 1:
            page.wait_for_url(base_url + f"gemeenten/{slugify(want[pc4][0])}/")
            assert page.locator("h1").first.inner_text() == f"Hulp in {want[pc4][0]}"
            continue
        result = page.locator(".kaart-postcode-result")
        result.locator("a").first.wait_for()
        assert result.inner_text().startswith(f"Postcode {pc4} ligt in 2 gemeenten."), pc4
        assert result.locator("a").all_inner_texts() == want[pc4]  # largest share first
        assert page.url == base_url + "gemeenten/"
    page.goto(base_url)
    page.fill("#kaart-pc", NOT_A_POSTCODE + " AA")
    page.press("#kaart-pc", "Enter")
    result = page.locator(".kaart-postcode-result")
    result.wait_for()
    page.wait_for_function("document.querySelector('.kaart-postcode-result').textContent.length > 0")
    assert "bestaat niet in Nederland" in result.inner_text()
    assert page.locator("#kaart-pc").get_attribute("aria-invalid") == "true"
    context.close()


@pytest.mark.browser
def test_lookup_loads_only_when_the_box_is_used(browser, base_url):
    page = browser.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(base_url + "gemeenten/")
    page.wait_for_load_state("networkidle")
    assert not any("postcodes.json" in u for u in fetched)
    page.focus("#kaart-pc")
    page.wait_for_load_state("networkidle")
    assert any("postcodes.json" in u for u in fetched)
    page.close()


@pytest.mark.browser
def test_filter_box_narrows_the_list(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "gemeenten/")
    page.fill("#kaart-gemeente-filter", "sudwest")
    assert page.locator("li[data-kaart-name]:visible").all_inner_texts() == ["Súdwest-Fryslân"]
    assert page.locator(".kaart-filter-result").inner_text() == "1 gemeente gevonden."
    assert page.locator("section[data-kaart-province]:visible h2").all_inner_texts() == ["Fryslân (18)"]
    page.fill("#kaart-gemeente-filter", "bergen")
    shown = page.locator("li[data-kaart-name]:visible").all_inner_texts()
    assert {"Bergen (L.)", "Bergen (NH.)", "Bergen op Zoom", "Haaksbergen"} <= set(shown)
    assert all("bergen" in name.lower() for name in shown)
    assert page.locator(".kaart-filter-result").inner_text() == f"{len(shown)} gemeenten gevonden."
    page.fill("#kaart-gemeente-filter", "xyz")
    assert "Geen gemeente gevonden" in page.locator(".kaart-filter-result").inner_text()
    page.fill("#kaart-gemeente-filter", "")
    assert page.locator("li[data-kaart-name]:visible").count() == 343
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("url", ["gemeenten/", "gemeenten/aa-en-hunze/"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_axe_finds_no_violations_on_the_gemeente_pages(browser, base_url, url, device):
    options = (dict(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True) if device == "phone"
               else dict(viewport={"width": 1280, "height": 900}))
    context = browser.new_context(locale="nl-NL", **options)
    context.route(lambda u: not u.startswith(base_url), lambda route: route.abort())
    page = context.new_page()
    page.goto(base_url + url)
    page.wait_for_load_state("networkidle")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    result = axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                              "wcag21aa"]}})
    assert [v["id"] for v in result.response["violations"]] == []
    context.close()
