"""Open data export: HSDS 3 validity against the official Open Referral schemas, public fields only,
reproducible bytes, CSV layout and the `kaart export` command."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, run_kaart
from kaart.cli import main
from kaart.export import CSV_FIELDS, ExportError, export, hsds_id
from kaart.validate import check

#: The official HSDS 3 schemas, vendored unchanged with their licence and source commit (schemas/vendor/hsds/README.md).
HSDS_DIR = ROOT / "schemas" / "vendor" / "hsds"

PRO_MARKER = "Casusoverleg alleen voor professionals"
SECRET_WAIT = "ruim negen weken wachten"
PUBLIC_WAIT = "ongeveer drie weken"

EXTRA_PROVIDER = f"""\
id: schuldhulp-voorbeeldstad
name: Schuldhulp Voorbeeldstad
description: Hulp bij geldzaken en schulden voor inwoners van Voorbeeldstad.
roles: [sociaal-wijkteam]
life_domains: [zorg]
target_groups: [iedereen]
phones:
  - number: "050 000 0301"
organization_identifiers:
  - type: agb
    value: "00000003"
services:
  - id: budgetcursus
    name: Budgetcursus
    description: Een cursus van zes avonden over rondkomen.
    languages: [nl]
    cost: {{type: betaald, description: Tien euro voor het cursusboek.}}
    waiting_time: {{description: {PUBLIC_WAIT}, date: "2026-10-01", public: true}}
  - id: schuldhulpverlening
    name: Schuldhulpverlening
    description: Samen een plan maken om schulden af te lossen.
    waiting_time: {{description: {SECRET_WAIT}, date: "2026-10-01", public: false}}
  - id: casusoverleg
    name: {PRO_MARKER}
    description: Overleg tussen hulpverleners over een huishouden.
    visibility: professional
verified:
  date: "2026-10-15"
  by: Redactie Sociale Kaart
"""

NATIONAL_PROVIDER = """\
id: landelijke-hulplijn
name: Landelijke Hulplijn
description: Een landelijke telefoonlijn voor vragen over zorg.
life_domains: [zorg]
website: https://www.hulplijn.example
services:
  - id: telefoon
    name: Telefonisch advies
    description: Bel met uw vraag.
    status: active
verified:
  date: "2026-09-01"
  by: Redactie Sociale Kaart
"""


# fixtures ----------------------------------------------------------------------------------------------
@pytest.fixture
def export_data(data_dir: Path) -> Path:
    """The valid fixture plus a provider with a professional service, a hidden and a public waiting time,
    and a national provider."""
    (data_dir / "providers" / "voorbeeldstad" / "schuldhulp-voorbeeldstad.yaml").write_text(EXTRA_PROVIDER, "utf-8")
    national = data_dir / "providers" / "landelijk"
    national.mkdir(parents=True, exist_ok=True)
    (national / "landelijke-hulplijn.yaml").write_text(NATIONAL_PROVIDER, "utf-8")
    return data_dir


def _model(data: Path):
    model, problems = check(data)
    assert model is not None, "de testgegevens zijn ongeldig:\n" + "\n".join(p.text() for p in problems)
    return model


@pytest.fixture
def exported(export_data: Path, tmp_path: Path):
    model = _model(export_data)
    out = tmp_path / "open-data"
    files = export(model, out)
    return model, out, files


@pytest.fixture(scope="module")
def hsds_schema() -> dict:
    path = HSDS_DIR / "organization.json"
    if not path.is_file():
        pytest.fail(f"De officiële HSDS-schema's ontbreken: {path} bestaat niet. Ze horen in de repository "
                    "(zie schemas/vendor/hsds/README.md).")
    return json.loads(path.read_text("utf-8"))


@pytest.fixture(scope="module")
def official_datapackage() -> dict:
    path = HSDS_DIR / "datapackage.json"
    if not path.is_file():
        pytest.fail(f"De officiële HSDS-datapackage ontbreekt: {path}.")
    return json.loads(path.read_text("utf-8"))


def _hsds_errors(schema: dict, organizations: list[dict]) -> list[str]:
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)  # checks uuid and email formats too
    return [f"{org.get('name')}: {err.json_path}: {err.message}"
            for org in organizations for err in validator.iter_errors(org)]


def _read_csv(path: Path) -> list[dict]:
    text = path.read_bytes().decode("utf-8")  # fails loudly if not UTF-8
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _header(path: Path) -> list[str]:
    return next(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))


# HSDS ----------------------------------------------------------------------------------------------------
def test_hsds_organizations_validate_against_official_schema(exported, hsds_schema):
    model, out, _ = exported
    organizations = json.loads((out / "hsds" / "organizations.json").read_text("utf-8"))
    assert isinstance(organizations, list)
    assert len(organizations) == len(model.providers)
    assert _hsds_errors(hsds_schema, organizations) == []
    # the rich fixture provider really exercises the nested parts (otherwise the validation proves little)
    full = next(o for o in organizations if o["name"] == "Sociaal wijkteam Voorbeeldstad")
    location = full["locations"][0]
    assert location["addresses"][0]["postal_code"] == "0101 AA"
    assert {s["byday"] for s in location["schedules"] if "byday" in s} == {"MO,TU,WE,TH,FR"}
    assert location["phones"] and full["phones"] and full["organization_identifiers"]
    service = full["services"][0]
    assert service["service_at_locations"][0]["location_id"] == location["id"]
    assert {lang["code"] for lang in service["languages"]} == {"nl", "en"}


def test_real_data_exports_valid_hsds(hsds_schema, tmp_path, monkeypatch):
    """The project's own data/ (filled by the editors) exports to valid HSDS, when it is valid itself."""
    monkeypatch.delenv("KAART_TODAY")
    model, problems = check(ROOT / "data")
    if model is None:
        pytest.skip(f"data/ heeft nu {sum(p.severity == 'error' for p in problems)} fout(en); kaart check eerst")
    export(model, tmp_path, ["hsds", "json"])
    organizations = json.loads((tmp_path / "hsds" / "organizations.json").read_text("utf-8"))
    assert _hsds_errors(hsds_schema, organizations) == []
    data = json.loads((tmp_path / "sociale-kaart.json").read_text("utf-8"))
    assert sorted(p["id"] for p in data["providers"]) == sorted(model.providers)
    public = sum(s.get("visibility", "public") == "public" for r in model.providers.values() for s in r.data["services"])
    assert sum(len(o.get("services", [])) for o in organizations) == public
    assert sum(len(p["services"]) for p in data["providers"]) == public
    for p in data["providers"]:
        for s in p["services"]:
            assert s.get("visibility", "public") == "public"
            assert "waiting_time" not in s or s["waiting_time"]["public"] is True


def test_hsds_ids_are_uuids_and_do_not_change_when_data_grows(export_data, tmp_path):
    first = export(_model(export_data), tmp_path / "a", ["hsds"])
    before = {o["name"]: o["id"] for o in json.loads((tmp_path / "a" / "hsds" / "organizations.json").read_text())}
    # an organisation moves to another municipality folder: its HSDS id stays the same
    (export_data / "providers" / "westerdorp").mkdir(exist_ok=True)
    (export_data / "providers" / "voorbeeldstad" / "buurthuis-de-linde.yaml").rename(
        export_data / "providers" / "westerdorp" / "buurthuis-de-linde.yaml")
    extra = export_data / "providers" / "voorbeeldstad" / "aaa-eerste.yaml"
    extra.write_text(NATIONAL_PROVIDER.replace("landelijke-hulplijn", "aaa-eerste").replace(
        "Landelijke Hulplijn", "Eerste Hulplijn").replace("www.hulplijn", "www.eerste"), "utf-8")
    export(_model(export_data), tmp_path / "b", ["hsds"])
    after = {o["name"]: o["id"] for o in json.loads((tmp_path / "b" / "hsds" / "organizations.json").read_text())}
    assert first
    assert "Eerste Hulplijn" in after
    for name, oid in before.items():
        assert after[name] == oid, f"HSDS-id van {name} veranderde"
        assert uuid.UUID(oid).version == 5


def test_hsds_csv_headers_follow_official_datapackage(exported, official_datapackage):
    _, out, _ = exported
    official = {r["path"]: [f["name"] for f in r["schema"]["fields"]] for r in official_datapackage["resources"]}
    ours = json.loads((out / "hsds" / "datapackage.json").read_text("utf-8"))
    written = sorted(p.name for p in (out / "hsds").glob("*.csv"))
    assert sorted(r["path"] for r in ours["resources"]) == written
    for core in ("organizations.csv", "services.csv", "locations.csv", "service_at_location.csv", "phones.csv",
                 "schedules.csv", "addresses.csv", "organization_identifiers.csv"):
        assert core in written
    for resource in ours["resources"]:
        path = out / "hsds" / resource["path"]
        assert resource["path"] in official, f"{resource['path']} is geen HSDS-tabel"
        assert _header(path) == official[resource["path"]], resource["path"]
        assert [f["name"] for f in resource["schema"]["fields"]] == official[resource["path"]]


def test_hsds_tables_are_consistent(exported):
    """Every foreign key in the CSVs points at an existing row; ids are unique per table."""
    _, out, _ = exported
    package = json.loads((out / "hsds" / "datapackage.json").read_text("utf-8"))
    rows = {r["name"]: _read_csv(out / "hsds" / r["path"]) for r in package["resources"]}
    ids = {}
    for name, table in rows.items():
        ids[name] = [row["id"] for row in table]
        assert len(ids[name]) == len(set(ids[name])), f"dubbele id in {name}"
    checked = 0
    for resource in package["resources"]:
        for fk in resource["schema"].get("foreignKeys", []):
            target = set(ids[fk["reference"]["resource"]])
            for row in rows[resource["name"]]:
                if row[fk["fields"]]:
                    assert row[fk["fields"]] in target, f"{resource['name']}.{fk['fields']} wijst naar niets"
                    checked += 1
    assert checked > 20
    nested = json.loads((out / "hsds" / "organizations.json").read_text("utf-8"))
    assert sorted(ids["organization"]) == sorted(o["id"] for o in nested)


def test_datapackage_describes_the_csv_files(exported):
    _, out, _ = exported
    package = json.loads((out / "datapackage.json").read_text("utf-8"))
    assert package["licenses"][0]["name"] == "CC0-1.0"
    paths = sorted(r["path"] for r in package["resources"])
    assert paths == sorted([*CSV_FIELDS, "sociale-kaart.json"])
    for resource in package["resources"]:
        assert (out / resource["path"]).is_file()
        if resource["format"] == "csv":
            assert _header(out / resource["path"]) == [f["name"] for f in resource["schema"]["fields"]]
    for row in _read_csv(out / "aanbieders.csv"):
        assert row["demo"] in ("true", "false")  # matches the boolean type in the package


def test_licence_is_stated(exported):
    _, out, _ = exported
    package = json.loads((out / "hsds" / "datapackage.json").read_text("utf-8"))
    assert package["licenses"][0]["name"] == "CC0-1.0"
    assert all(r["licenses"][0]["name"] == "CC0-1.0" for r in package["resources"])
    assert json.loads((out / "sociale-kaart.json").read_text("utf-8"))["license"]["name"] == "CC0-1.0"
    assert "CC0" in (out / "LICENTIE.txt").read_text("utf-8")
    docs = (ROOT / "docs" / "open-data.md").read_text("utf-8")
    assert "CC0 1.0" in docs and "creativecommons.org/publicdomain/zero/1.0" in docs


# JSON ------------------------------------------------------------------------------------------------------
def test_json_has_every_provider_with_gemeente_demo_and_page(exported):
    model, out, _ = exported
    data = json.loads((out / "sociale-kaart.json").read_text("utf-8"))
    providers = {p["id"]: p for p in data["providers"]}
    assert sorted(providers) == sorted(model.providers)
    assert providers["schuldhulp-voorbeeldstad"]["gemeente"] == "voorbeeldstad"
    assert providers["schuldhulp-voorbeeldstad"]["demo"] is True
    assert providers["landelijke-hulplijn"]["gemeente"] == "landelijk"
    assert providers["landelijke-hulplijn"]["demo"] is False
    assert providers["landelijke-hulplijn"]["page"] == "/aanbieders/landelijke-hulplijn/"
    assert sorted(r["id"] for r in data["roles"]) == sorted(model.roles)
    assert sorted(n["id"] for n in data["needs"]) == sorted(model.needs)
    assert sorted(m["id"] for m in data["municipalities"]) == sorted(model.gemeenten)
    assert data["date"] == "2026-10-15"  # the newest verified date, not the day of the export
    assert all("editors" not in m for m in data["municipalities"])


def test_demo_records_are_marked_in_hsds(exported):
    _, out, _ = exported
    organizations = {o["name"]: o for o in json.loads((out / "hsds" / "organizations.json").read_text("utf-8"))}
    demo = organizations["Schuldhulp Voorbeeldstad"]
    assert demo["description"].startswith("Voorbeeldgegevens")
    demo_term = hsds_id("taxonomy_term", "data_quality", "voorbeeldgegevens")
    assert any(a["taxonomy_term_id"] == demo_term for a in demo["attributes"])
    # a term is named by its id only (HSDS 3 allows it); taxonomy_terms.csv describes it once
    assert all("taxonomy_term" not in a for a in demo["attributes"])
    terms = (out / "hsds" / "taxonomy_terms.csv").read_text("utf-8")
    assert demo_term in terms and "voorbeeldgegevens" in terms
    real = organizations["Landelijke Hulplijn"]
    assert "Voorbeeldgegevens" not in json.dumps(real, ensure_ascii=False)


# privacy ----------------------------------------------------------------------------------------------------
def test_professional_services_and_hidden_waiting_times_are_never_exported(exported):
    _, out, files = exported
    everything = "\n".join(f.read_text("utf-8") for f in files)
    assert PRO_MARKER not in everything
    assert "casusoverleg" not in everything
    assert SECRET_WAIT not in everything
    # positive controls: the public parts of the same provider are there
    assert PUBLIC_WAIT in everything
    assert "Schuldhulpverlening" in everything
    diensten = _read_csv(out / "diensten.csv")
    debt = next(r for r in diensten if r["id"] == "schuldhulpverlening")
    assert debt["waiting_time"] == "" and debt["waiting_time_date"] == ""


# CSV ---------------------------------------------------------------------------------------------------------
def test_csv_per_record_type(exported):
    model, out, _ = exported
    for name, fields in CSV_FIELDS.items():
        assert _header(out / name) == fields
        assert (out / name).read_bytes()[:3] != b"\xef\xbb\xbf"  # no byte-order mark
    providers = _read_csv(out / "aanbieders.csv")
    assert [r["id"] for r in providers] == sorted(model.providers)
    services = {r["id"]: r for r in _read_csv(out / "diensten.csv")}
    assert services["inloopspreekuur"]["languages"] == "nl; en"
    assert services["budgetcursus"]["cost_type"] == "betaald"
    assert "casusoverleg" not in services
    locations = _read_csv(out / "locaties.csv")
    assert locations[0]["postcode"] == "0101 AA"
    municipalities = _read_csv(out / "gemeenten.csv")
    assert {m["id"] for m in municipalities} == set(model.gemeenten)
    assert len(_read_csv(out / "rollen.csv")) == len(model.roles)
    assert len(_read_csv(out / "hulpvragen.csv")) == len(model.needs)


# reproducibility -------------------------------------------------------------------------------------------
def test_two_exports_are_byte_identical(export_data, tmp_path):
    model = _model(export_data)
    a = export(model, tmp_path / "a")
    b = export(_model(export_data), tmp_path / "b")
    rel_a = [p.relative_to(tmp_path / "a") for p in a]
    assert rel_a == [p.relative_to(tmp_path / "b") for p in b]
    for p in rel_a:
        assert (tmp_path / "a" / p).read_bytes() == (tmp_path / "b" / p).read_bytes(), p


def test_unknown_format_is_a_clear_error(exported, tmp_path):
    model, _, _ = exported
    with pytest.raises(ExportError, match="onbekend formaat 'xml'"):
        export(model, tmp_path / "x", ["xml"])


# command line ------------------------------------------------------------------------------------------------
def test_cli_export_writes_only_the_chosen_format(export_data, tmp_path, capsys):
    out = tmp_path / "od"
    assert main(["export", "--format", "hsds", "--data", str(export_data), "--out", str(out)]) == 0
    assert (out / "hsds" / "organizations.json").is_file()
    assert not (out / "sociale-kaart.json").exists()
    assert not (out / "aanbieders.csv").exists()
    assert not (out / "datapackage.json").exists()  # the HSDS package lives in hsds/
    assert "geschreven" in capsys.readouterr().out


def test_cli_export_all_formats_by_default(export_data, tmp_path):
    out = tmp_path / "od"
    result = run_kaart("export", "--data", str(export_data), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "sociale-kaart.json").is_file() and (out / "gemeenten.csv").is_file()
    assert (out / "hsds" / "datapackage.json").is_file()


def test_cli_export_refuses_invalid_data(export_data, tmp_path, capsys):
    bad = export_data / "providers" / "voorbeeldstad" / "schuldhulp-voorbeeldstad.yaml"
    bad.write_text(bad.read_text("utf-8").replace("life_domains: [zorg]", "life_domains: [zorgg]"), "utf-8")
    out = tmp_path / "od"
    assert main(["export", "--data", str(export_data), "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert "schuldhulp-voorbeeldstad.yaml" in printed.out and "onbekende levensgebied 'zorgg'" in printed.out
    assert "Traceback" not in printed.out + printed.err
    assert not out.exists()


def test_cli_export_usage_errors(tmp_path):
    result = run_kaart("export", "--format", "xml", "--out", str(tmp_path / "x"))
    assert result.returncode == 2
    assert "--format" in result.stderr
    result = run_kaart("export", "--data", str(tmp_path / "bestaat-niet"), "--out", str(tmp_path / "x"))
    assert result.returncode == 1
    assert "bestaat niet" in result.stdout


def test_cli_export_out_is_a_file(export_data, tmp_path, capsys):
    target = tmp_path / "een-bestand"
    target.write_text("x", "utf-8")
    assert main(["export", "--data", str(export_data), "--out", str(target)]) == 1
    err = capsys.readouterr().err
    assert "is een bestand, geen map" in err and "Traceback" not in err


def test_fast_ids_and_phone_numbers_match_the_libraries():
    """export.py computes UUIDv5 with hashlib and fills phone formats per prefix: same strings as uuid/phonenumbers."""
    import random

    import phonenumbers

    from kaart import export as exp

    rng = random.Random(7)
    for _ in range(2000):
        parts = ["".join(rng.choice("abz-_/09 éü€😀") for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(1, 5))]
        assert exp.hsds_id(*parts) == str(uuid.uuid5(exp.HSDS_NAMESPACE, "/".join(parts)))
    exp._PHONES.clear()
    exp._PHONE_TEMPLATES.clear()
    numbers = [f"0{p} {rng.randint(0, 999):03d} {rng.randint(0, 9999):04d}" for p in range(10, 100) for _ in range(3)]
    numbers += [f"0{rng.randint(100, 999)} {rng.randint(0, 999999):06d}" for _ in range(300)]
    numbers += ["0800 0113", "088 123 4567", "+31 20 123 4567", "06-12345678", "0031 20 1234567", "112", "geen"]
    for number in numbers:
        try:
            expected = phonenumbers.format_number(phonenumbers.parse(number, "NL"),
                                                  phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        except phonenumbers.NumberParseException:
            expected = number
        assert exp._phone(number) == expected, number


# official HSDS tables ------------------------------------------------------------------------------------------
def _frictionless_errors(hsds_dir: Path) -> list[str]:
    """Validate our HSDS CSVs with frictionless against the official HSDS 3 datapackage.json (unchanged)."""
    from frictionless import Package

    official = json.loads((HSDS_DIR / "datapackage.json").read_text("utf-8"))
    report = Package(official, basepath=str(hsds_dir)).validate()
    return [f"{task.name}: {err.type}: {err.message}" for task in report.tasks for err in task.errors]


def test_hsds_tables_pass_the_official_datapackage(exported):
    _, out, _ = exported
    assert _frictionless_errors(out / "hsds") == []
    schedules = _read_csv(out / "hsds" / "schedules.csv")
    weekly = [s for s in schedules if s["freq"] == "WEEKLY"]
    assert weekly and all(len(s["opens_at"]) == 8 and s["opens_at"][2] == ":" for s in weekly)  # HH:MM:SS
    assert all(s["timezone"] == "1" and "Europe/Amsterdam" in s["notes"] for s in schedules)
    addresses = _read_csv(out / "hsds" / "addresses.csv")
    assert addresses and all(a["state_province"] for a in addresses)
    # the fixture's locations are in the demo municipality: no real province is claimed for them
    assert {a["state_province"] for a in addresses} == {"Voorbeeldgegevens (geen echte provincie)"}


def test_real_data_hsds_tables_pass_the_official_datapackage(tmp_path, monkeypatch):
    monkeypatch.delenv("KAART_TODAY")
    model, problems = check(ROOT / "data")
    if model is None:
        pytest.skip(f"data/ heeft nu {sum(p.severity == 'error' for p in problems)} fout(en); kaart check eerst")
    export(model, tmp_path, ["hsds"])
    assert _frictionless_errors(tmp_path / "hsds") == []
    # the 24-hour locations: "24:00" becomes midnight, which the time type accepts
    closes = {row["closes_at"] for row in _read_csv(tmp_path / "hsds" / "schedules.csv")}
    assert "00:00:00" in closes and "24:00:00" not in closes


def test_state_province_comes_from_the_municipality(export_data, tmp_path):
    zwolle = export_data / "providers" / "zwolle"
    zwolle.mkdir()
    (zwolle / "testlocatie-zwolle.yaml").write_text(NATIONAL_PROVIDER.replace("landelijke-hulplijn", "testlocatie-zwolle")
                                                    .replace("Landelijke Hulplijn", "Testlocatie Zwolle")
                                                    .replace("services:", """locations:
  - id: balie
    name: Balie
    address: {street: Teststraat 1, postcode: "8011 AB", city: Zwolle}
services:"""), "utf-8")
    out = tmp_path / "od"
    export(_model(export_data), out, ["hsds"])
    provinces = {a["city"]: a["state_province"] for a in _read_csv(out / "hsds" / "addresses.csv")}
    assert provinces == {"Zwolle": "Overijssel", "Voorbeeldstad": "Voorbeeldgegevens (geen echte provincie)"}


# spreadsheets ------------------------------------------------------------------------------------------------
HOSTILE_PROVIDER = """\
id: formule-test
name: "@SUM(1+1)*cmd|' /C calc'!A0"
description: "=HYPERLINK(\\"https://kwaad.example\\", \\"klik\\")"
life_domains: [zorg]
phones:
  - number: "050 000 0399"
    description: "+31 is het landnummer"
services:
  - id: dienst
    name: "-2+3"
    description: "\\tTab aan het begin"
    application_process: "\\rCR aan het begin"
verified:
  date: "2026-10-01"
  by: Redactie Sociale Kaart
"""


def _all_cells(out: Path):
    for path in sorted(out.rglob("*.csv")):
        raw = path.read_bytes()
        excel = path.parent.name == "excel"
        text = raw.decode("utf-8-sig" if excel else "utf-8")
        for r, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ",")):
            for c, cell in enumerate(row):
                yield path, r, c, cell


def test_no_exported_cell_starts_with_a_formula_trigger(export_data, tmp_path):
    (export_data / "providers" / "voorbeeldstad" / "formule-test.yaml").write_text(HOSTILE_PROVIDER, "utf-8")
    out = tmp_path / "od"
    export(_model(export_data), out)
    cells = list(_all_cells(out))
    assert len({p for p, *_ in cells}) >= 6 + 6 + 15  # the CSVs, their Excel variants and the HSDS tables
    bad = [f"{p.relative_to(out)}:{r + 1}:{c + 1}: {cell!r}" for p, r, c, cell in cells
           if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert bad == []
    values = {cell for *_, cell in cells}
    # neutralised as OWASP advises (a ' in front), the text itself unchanged
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in values
    assert "'=HYPERLINK(\"https://kwaad.example\", \"klik\")" in values
    assert "'-2+3" in values and "'\tTab aan het begin" in values and "'\rCR aan het begin" in values
    # phone numbers stay readable: every digit in place, only the ' in front of the international +
    phones = {cell for p, r, c, cell in cells if p.name == "phones.csv" and "050 000 0399"[1:3] in cell}
    assert "'+31 50 000 0399" in phones
    assert "050 000 0399" in {cell for p, r, c, cell in cells if p.name == "aanbieders.csv"}
    # the numbers in number columns are not touched (frictionless still reads them)
    assert _frictionless_errors(out / "hsds") == []


def test_excel_nl_variant_shows_accents_and_columns(export_data, tmp_path):
    provider = export_data / "providers" / "voorbeeldstad" / "schuldhulp-voorbeeldstad.yaml"
    provider.write_text(provider.read_text("utf-8").replace("name: Schuldhulp Voorbeeldstad",
                                                            "name: Geheugencafé Voorbeeldstad"), "utf-8")
    out = tmp_path / "od"
    export(_model(export_data), out, ["csv"])
    raw = (out / "excel" / "aanbieders.csv").read_bytes()
    # Excel reads a CSV as UTF-8 only when it starts with a byte-order mark; otherwise as Windows-1252
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Geheugencafé" in raw.decode("utf-8-sig")
    assert "GeheugencafÃ©" in (out / "aanbieders.csv").read_bytes().decode("cp1252")  # why the variant exists
    # Dutch Excel splits on ';' (the comma is its decimal sign): same header and rows as the comma version
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == CSV_FIELDS["aanbieders.csv"]
    assert rows[1:] == [list(r.values()) for r in _read_csv(out / "aanbieders.csv")]
    assert sorted(p.name for p in (out / "excel").iterdir()) == sorted(CSV_FIELDS)


def test_open_data_page_explains_formula_guard_and_excel_variant():
    docs = (ROOT / "docs" / "open-data.md").read_text("utf-8")
    assert "OWASP" in docs and "`'`" in docs and "`excel/`" in docs and "puntkomma" in docs
    assert "timezone" in docs and "Europe/Amsterdam" in docs


def test_pages_and_exports_name_a_cost_kind_in_the_same_words(exported):
    """One wording per cost kind (kaart/labels.py): the page, its search filter, HSDS and the CSV say the same."""
    from kaart import export as export_module, labels, overview, render
    from kaart.importer import COST_BY_LABEL
    from kaart.render import Renderer, Settings

    assert render.COST_LABELS is labels.COST_LABELS
    assert overview.COST_LABELS is labels.COST_LABELS and export_module.COST_LABELS is labels.COST_LABELS
    model, out, _ = exported
    said = labels.COST_LABELS["betaald"]
    assert said == "U betaalt zelf"
    organizations = json.loads((out / "hsds" / "organizations.json").read_text("utf-8"))
    course = next(s for o in organizations for s in o["services"] if s["name"] == "Budgetcursus")
    assert course["cost_options"][0]["option"] == said
    assert course["fees_description"] == f"{said}: Tien euro voor het cursusboek."
    assert {r["option"] for r in _read_csv(out / "hsds" / "cost_options.csv")} <= set(labels.COST_LABELS.values())
    page = Renderer(model, Settings(site_url="https://example.org/", repo_url="https://github.com/o/r")).provider(
        model.providers["schuldhulp-voorbeeldstad"])
    assert f"<strong>{said}</strong>. Tien euro voor het cursusboek." in page.body
    assert page.filters["kosten"] == [said]
    # kaart import reads the labels back, also the ones exports wrote before ("Betaald").
    assert COST_BY_LABEL[said.lower()] == COST_BY_LABEL["betaald"] == "betaald"
    assert all(COST_BY_LABEL[label.lower()] == kind for kind, label in labels.COST_LABELS.items())


def test_shared_words_and_paths_are_defined_once():
    """COST_LABELS, DEMO_NOTE, REPO and the Dutch month names each have one definition the others import."""
    import datetime
    import re

    from kaart import feeds, markup

    sources = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "scripts" / "kaart").glob("*.py")}
    for pattern, home in ((r"^COST_LABELS\s*=", "labels.py"), (r"^DEMO_NOTE\s*=", "labels.py"),
                          (r"^DEMO_LABEL\s*=", "labels.py"), (r"^REPO\s*=", "paths.py"),
                          (r"[\"']januari[\"']", "markup.py"), (r"^def dutch_date\b", "markup.py")):
        where = sorted(name for name, text in sources.items() if re.search(pattern, text, re.M))
        assert where == [home], f"{pattern}: defined in {where}"
    assert feeds.dutch_date is markup.dutch_date
    assert markup.dutch_date("2026-11-01") == markup.dutch_date(datetime.date(2026, 11, 1)) == "1 november 2026"
