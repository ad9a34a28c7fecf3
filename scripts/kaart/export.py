"""Open data: the public records as JSON, as CSV per record type, and as Open Referral HSDS 3.

Everything written here is public: services with `visibility: professional` are left out and a
waiting time appears only when it says `public: true`. Output is reproducible: the same model gives
byte-identical files (sorted keys and rows, no wall-clock time; the date is the newest verified date).
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import re
import uuid
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterable

import phonenumbers

from .labels import COST_LABELS, DEMO_LABEL, DEMO_NOTE
from .load import NATIONAL
from .model import Model, Record
from .pages import site_path

FORMATS = ("json", "csv", "hsds")

#: The licence of all open data (the code is EUPL-1.2). CC0: anyone may reuse, without conditions.
LICENSE = {
    "name": "CC0-1.0",
    "title": "Creative Commons Zero v1.0 Universal (publiek domein)",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/deed.nl",
}
JSON_FILE = "sociale-kaart.json"
LICENSE_FILE = "LICENTIE.txt"

#: Fixed namespace for HSDS ids (UUIDv5 of our own ids). Never change it: reusers store these ids.
HSDS_NAMESPACE = uuid.UUID("395b70a6-aa61-4060-bdce-6c82c044ff3d")
HSDS_VERSION = "3.0"
HSDS_DIR = "hsds"
HSDS_JSON = "organizations.json"
#: HSDS 3 gives a schedule's timezone as a number: the offset from UTC. Dutch opening hours are wall-clock times in
#: Europe/Amsterdam: UTC+1 (CET), in summer UTC+2 (CEST). HSDS has no way to say "follows daylight saving time", so
#: the number is the standard offset and the notes say what it means.
HSDS_TIMEZONE = 1
TIMEZONE_NOTE = ("Tijden in Nederlandse tijd (Europe/Amsterdam): UTC+1, in de zomertijd UTC+2. "
                 "Sluitingstijd 00:00:00 betekent middernacht.")

#: Record type in the exports → its page kind (pages.py).
PAGE_KIND = {"provider": "provider", "role": "role", "need": "need", "gemeente": "gemeente"}
#: Gemeente fields that are for the project's own workflow, not for reusers.
GEMEENTE_PRIVATE_FIELDS = ("editors",)
IDENTIFIER_TYPES = {"kvk": "KvK-nummer", "agb": "AGB-code", "oin": "OIN"}
#: identifier_type of our own id of an organisation and of a location in HSDS (kaart import reads it back).
OWN_ID_TYPE = "Sociale Kaart-id"
#: org-id.guide schemes; only where one exists (AGB and OIN have none, identifier_type says what they are).
IDENTIFIER_SCHEMES = {"kvk": "NL-KVK"}


class ExportError(ValueError):
    """Bad arguments to export(); the message is Dutch and meant for the user."""


# helpers ---------------------------------------------------------------------------------------------
def page(kind: str, rid: str) -> str:
    return site_path(PAGE_KIND[kind], rid)


def hsds_id(*parts: str) -> str:
    """str(uuid.uuid5(HSDS_NAMESPACE, "/".join(parts))), without building UUID objects (twice as fast)."""
    x = hashlib.sha1(_NAMESPACE_BYTES + "/".join(parts).encode("utf-8")).hexdigest()
    # the first 16 bytes, with version 5 in the 13th hex digit and the RFC 4122 variant (10xx) in the 17th
    return f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{_VARIANT[x[16]]}{x[17:20]}-{x[20:32]}"


_NAMESPACE_BYTES = HSDS_NAMESPACE.bytes
_VARIANT = {c: format(int(c, 16) & 0x3 | 0x8, "x") for c in "0123456789abcdef"}


def _compact(obj: dict) -> dict:
    """Drop empty values: HSDS fields are typed, so null is not allowed where a value is optional."""
    return {k: v for k, v in obj.items() if v is not None and v != [] and v != ""}


def _json_bytes(data: Any) -> bytes:
    # Compact: the C encoder is about three times faster than indent=2, which matters at thousands of records.
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def _cell(value: Any) -> str:
    """One CSV cell: empty for None, true/false, lists joined by '; '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def _many(value: Any) -> str:
    """_cell() for a list column, with a fast path for the usual list of strings."""
    if value.__class__ is list:
        try:
            return "; ".join(value)
        except TypeError:
            pass
    return _cell(value)


def _bool(value: bool) -> str:
    return "true" if value else "false"


#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection"): = + - @, tab and CR.
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
#: What OWASP advises to put before such a cell: a single quote, so the cell stays text.
FORMULA_GUARD = "'"
#: The variant for Excel with Dutch settings: a semicolon between cells (the comma is the decimal sign there) and
#: a byte-order mark, without which Excel reads UTF-8 as Windows-1252 ("GeheugencafÃ©").
EXCEL_DIR = "excel"
EXCEL_DELIMITER = ";"
EXCEL_ENCODING = "utf-8-sig"


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula gets a ' in front (OWASP). Numbers are numbers
    (csv.writer writes them with str()), so a negative number is never touched."""
    if value.__class__ is str and value and value[0] in FORMULA_TRIGGERS:
        return FORMULA_GUARD + value
    return value


def _safe_rows(rows: Iterable[tuple]) -> Iterable[tuple]:
    triggers = FORMULA_TRIGGERS
    for row in rows:
        # most rows have no such cell: test them all at once before building a new tuple
        if any(c.__class__ is str and c[:1] in triggers for c in row):
            row = tuple(spreadsheet_safe(c) for c in row)
        yield row


def _csv_bytes(fields: list[str], rows: Iterable[tuple], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """CSV with a header row. The rows are tuples in the order of fields, whose cells are strings, or None
    (empty), or numbers; csv.writer writes those exactly as _cell() would (str(); None as empty). Text cells that
    start like a formula are neutralised (spreadsheet_safe)."""
    buf = io.BytesIO()
    text = io.TextIOWrapper(buf, encoding=encoding, newline="")  # encodes as it goes: faster than StringIO
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(fields)
    writer.writerows(_safe_rows(rows))
    text.flush()
    return buf.getvalue()


def _dict_rows(fields: list[str], rows: Iterable[dict]) -> list[tuple]:
    """Generic dict rows as tuples of cells (for the small tables)."""
    return [tuple(_cell(row.get(f)) for f in fields) for row in rows]


def newest_date(model: Model) -> str:
    """The newest 'verified' date in the data: the reproducible date of this export."""
    dates = [m["verified"]["date"] for m in model.gemeenten.values() if "verified" in m]
    for group in (model.roles, model.needs, model.providers):
        dates += [r.data["verified"]["date"] for r in group.values()]
    if model.payment_guide and "verified" in model.payment_guide:
        dates.append(model.payment_guide["verified"]["date"])
    return max(dates) if dates else "1970-01-01"


# public view of the records ----------------------------------------------------------------------------
def public_services(rec: Record) -> list[dict]:
    """Services everyone may see, without a waiting time that is not marked public."""
    out = []
    for s in rec.data["services"]:
        if s.get("visibility", "public") != "public":
            continue
        s = dict(s)
        if "waiting_time" in s and s["waiting_time"].get("public") is not True:
            del s["waiting_time"]
        out.append(s)
    return out


def public_provider(model: Model, rec: Record) -> dict:
    data = dict(rec.data)
    data["services"] = public_services(rec)
    data["gemeente"] = rec.gemeente
    data["demo"] = model.is_demo(rec)
    data["page"] = page("provider", rec.id)
    return data


def public_gemeente(m: dict) -> dict:
    data = {k: v for k, v in m.items() if k not in GEMEENTE_PRIVATE_FIELDS}
    data["page"] = page("gemeente", m["id"])
    return data


def _providers(model: Model) -> list[Record]:
    return [model.providers[k] for k in sorted(model.providers)]


def _gemeenten(model: Model) -> list[dict]:
    return [model.gemeenten[k] for k in sorted(model.gemeenten)]


# JSON ----------------------------------------------------------------------------------------------------
def to_json(model: Model) -> dict:
    doc: dict[str, Any] = {
        "title": "Sociale Kaart: open data",
        "description": "Openbare gegevens van de Sociale Kaart: rollen, hulpvragen, gemeenten en aanbieders. "
                       "Records met demo: true zijn verzonnen voorbeeldgegevens.",
        "license": LICENSE,
        "date": newest_date(model),
        "taxonomy": model.taxonomy,
        "municipalities": [public_gemeente(m) for m in _gemeenten(model)],
        "roles": [dict(r.data, page=page("role", r.id)) for r in model.roles.values()],
        "needs": [dict(r.data, page=page("need", r.id)) for r in model.needs.values()],
        "providers": [public_provider(model, r) for r in _providers(model)],
    }
    if model.payment_guide:
        doc["payment_guide"] = dict(model.payment_guide, page=site_path("payment_guide"))
    return doc


# CSV per record type -------------------------------------------------------------------------------------
CSV_FIELDS = {
    "aanbieders.csv": ["id", "name", "alternate_name", "gemeente", "demo", "page", "description", "roles",
                       "life_domains", "target_groups", "website", "email", "phones", "kvk", "agb", "oin",
                       "verified_date", "verified_by"],
    "diensten.csv": ["provider_id", "id", "name", "gemeente", "demo", "page", "description", "status",
                     "application_process", "eligibility", "minimum_age", "maximum_age", "languages", "cost_type",
                     "cost_description", "laws", "location_ids", "waiting_time", "waiting_time_date"],
    "locaties.csv": ["provider_id", "id", "name", "gemeente", "demo", "street", "postcode", "city", "latitude",
                     "longitude", "accessibility", "opening_hours", "exceptions", "phones"],
    "rollen.csv": ["id", "name", "also_known_as", "page", "summary", "payer", "who_pays", "cost_type",
                   "cost_description", "laws", "life_domains", "handover_to", "verified_date", "verified_by"],
    "hulpvragen.csv": ["id", "name", "page", "question", "life_domain", "summary", "roles", "related_needs",
                       "general_provisions", "individual_provisions", "verified_date", "verified_by"],
    "gemeenten.csv": ["id", "code", "name", "province", "demo", "page", "website", "postcodes", "first_entry_point",
                      "client_support", "description", "verified_date", "verified_by"],
}


def _verified(d: dict) -> dict:
    v = d.get("verified") or {}
    return {"verified_date": v.get("date"), "verified_by": v.get("by")}


def _hours(loc: dict) -> list[str]:
    return [f"{','.join(h['days'])} {h['opens']}-{h['closes']}" for h in loc.get("opening_hours", [])]


def _exceptions(loc: dict) -> list[str]:
    out = []
    for ex in loc.get("exceptions", []):
        when = "gesloten" if ex.get("closed") else f"{ex.get('opens')}-{ex.get('closes')}"
        out.append(f"{ex['date']} {when}" + (f" ({ex['description']})" if ex.get("description") else ""))
    return out


def csv_tables(model: Model) -> dict[str, list[tuple]]:
    """The rows of each CSV file, as tuples in the order of CSV_FIELDS (see _csv_bytes for the cells)."""
    providers, services, locations = [], [], []
    for rec in _providers(model):
        d = rec.data
        gemeente, is_demo = rec.gemeente, model.is_demo(rec)
        demo = _bool(is_demo)
        provider_page = page("provider", rec.id)
        identifiers = d.get("organization_identifiers", [])
        ids = [_many([i["value"] for i in identifiers if i["type"] == t]) for t in IDENTIFIER_TYPES]
        verified = d.get("verified") or {}
        providers.append((
            d.get("id"), d.get("name"), d.get("alternate_name"), gemeente, demo, provider_page, d.get("description"),
            _many(d.get("roles")), _many(d.get("life_domains")), _many(d.get("target_groups")), d.get("website"),
            d.get("email"), _many([p["number"] for p in d.get("phones", [])]), *ids,
            verified.get("date"), verified.get("by")))
        for s in public_services(rec):
            wait = s.get("waiting_time") or {}
            cost = s.get("cost") or {}
            services.append((
                rec.id, s.get("id"), s.get("name"), gemeente, demo, provider_page, s.get("description"), s.get("status"),
                s.get("application_process"), s.get("eligibility"), s.get("minimum_age"), s.get("maximum_age"),
                _many(s.get("languages")), cost.get("type"), cost.get("description"), _many(s.get("laws")),
                _many(s.get("location_ids")), wait.get("description"), wait.get("date")))
        for loc in d.get("locations", []):
            row = {**loc, "gemeente": gemeente, "demo": is_demo, **loc["address"]}
            locations.append((
                rec.id, row.get("id"), row.get("name"), row["gemeente"], _cell(row["demo"]), row.get("street"),
                row.get("postcode"), row.get("city"), row.get("latitude"), row.get("longitude"),
                _many(row.get("accessibility")), "; ".join(_hours(loc)), "; ".join(_exceptions(loc)),
                _many([p["number"] for p in loc.get("phones", [])])))
    dicts: dict[str, list[dict]] = {"rollen.csv": [], "hulpvragen.csv": [], "gemeenten.csv": []}
    for rec in model.roles.values():
        d = rec.data
        dicts["rollen.csv"].append({
            **d, **_verified(d), "page": page("role", rec.id), "cost_type": d["cost"]["type"],
            "cost_description": d["cost"].get("description"), "laws": sorted({lb["law"] for lb in d["legal_basis"]}),
            "handover_to": [h["role"] for h in d.get("handover", [])]})
    for rec in model.needs.values():
        d = rec.data
        dicts["hulpvragen.csv"].append({
            **d, **_verified(d), "page": page("need", rec.id),
            "general_provisions": [g["name"] for g in d["ladder"]["general_provisions"]],
            "individual_provisions": [p["name"] for p in d["ladder"].get("individual_provisions", [])]})
    for m in _gemeenten(model):
        dicts["gemeenten.csv"].append({**public_gemeente(m), **_verified(m)})
    tables = {"aanbieders.csv": providers, "diensten.csv": services, "locaties.csv": locations}
    tables.update({name: _dict_rows(CSV_FIELDS[name], rows) for name, rows in dicts.items()})
    return {name: tables[name] for name in CSV_FIELDS}


#: Column types for the datapackage.json of our own CSVs (everything else is text).
CSV_TYPES = {"demo": "boolean", "minimum_age": "integer", "maximum_age": "integer", "latitude": "number",
             "longitude": "number", "verified_date": "date", "waiting_time_date": "date"}
CSV_TITLES = {"aanbieders.csv": "Aanbieders", "diensten.csv": "Diensten (alleen openbare)",
              "locaties.csv": "Locaties met adres en openingstijden", "rollen.csv": "Rollen",
              "hulpvragen.csv": "Hulpvragen", "gemeenten.csv": "Gemeenten"}


def datapackage(model: Model, formats: list[str]) -> dict:
    """Frictionless Data Package for sociale-kaart.json and the CSVs per record type."""
    resources: list[dict] = []
    if "json" in formats:
        resources.append({"name": "sociale-kaart", "path": JSON_FILE, "format": "json",
                          "mediatype": "application/json", "encoding": "utf-8",
                          "title": "Alle openbare gegevens in één bestand", "licenses": [LICENSE]})
    if "csv" in formats:
        for name, fields in CSV_FIELDS.items():
            resources.append({
                "name": name.removesuffix(".csv"), "path": name, "profile": "tabular-data-resource",
                "title": CSV_TITLES[name], "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "licenses": [LICENSE],
                "schema": {"fields": [{"name": f, "type": CSV_TYPES.get(f, "string")} for f in fields]}})
    date = newest_date(model)
    return {
        "profile": "data-package", "name": "sociale-kaart", "title": "Sociale Kaart: open data",
        "description": "Rollen, hulpvragen, gemeenten en aanbieders in het sociaal domein. Lijsten in een CSV-vak "
                       "zijn gescheiden door '; '. Records met demo = true zijn verzonnen voorbeeldgegevens. "
                       f"Dezelfde aanbieders in Open Referral HSDS 3 staan in {HSDS_DIR}/.",
        "version": date, "created": f"{date}T00:00:00Z", "licenses": [LICENSE], "resources": resources,
    }


# HSDS 3 ------------------------------------------------------------------------------------------------------
#: Every HSDS table, in the order of the official datapackage.json (HSDS 3.0), with its columns in that order. The
#: tables we have nothing for are written with their header only: the official package's foreign keys point at
#: them (a service may name a program, a phone a contact), so a validator needs them to exist.
HSDS_TABLES: dict[str, tuple[str, list[str]]] = {
    "organization": ("organizations.csv", ["id", "name", "alternate_name", "description", "email", "website",
                                          "tax_status", "tax_id", "year_incorporated", "legal_status", "logo",
                                          "uri", "parent_organization_id"]),
    "program": ("programs.csv", ["id", "organization_id", "name", "alternate_name", "description"]),
    "service": ("services.csv", ["id", "organization_id", "program_id", "name", "alternate_name", "description",
                                 "url", "email", "status", "interpretation_services", "application_process",
                                 "fees_description", "wait_time", "fees", "accreditations",
                                 "eligibility_description", "minimum_age", "maximum_age", "assured_date",
                                 "assurer_email", "licenses", "alert", "last_modified"]),
    "attribute": ("attributes.csv", ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"]),
    "service_at_location": ("service_at_location.csv", ["id", "service_id", "location_id", "description"]),
    "location": ("locations.csv", ["id", "location_type", "url", "organization_id", "name", "alternate_name",
                                   "description", "transportation", "latitude", "longitude",
                                   "external_identifier", "external_identifier_type"]),
    "phone": ("phones.csv", ["id", "location_id", "service_id", "organization_id", "contact_id",
                             "service_at_location_id", "number", "extension", "type", "description"]),
    "contact": ("contacts.csv", ["id", "organization_id", "service_id", "service_at_location_id", "location_id",
                                 "name", "title", "department", "email"]),
    "address": ("addresses.csv", ["id", "location_id", "attention", "address_1", "address_2", "city", "region",
                                  "state_province", "postal_code", "country", "address_type"]),
    "schedule": ("schedules.csv", ["id", "service_id", "location_id", "service_at_location_id", "valid_from",
                                   "valid_to", "dtstart", "timezone", "until", "count", "wkst", "freq", "interval",
                                   "byday", "byweekno", "bymonthday", "byyearday", "description", "opens_at",
                                   "closes_at", "schedule_link", "attending_type", "notes"]),
    "funding": ("funding.csv", ["id", "organization_id", "service_id", "source"]),
    "service_area": ("service_areas.csv", ["id", "service_id", "name", "description", "extent", "extent_type",
                                           "uri"]),
    "required_document": ("required_documents.csv", ["id", "service_id", "document", "uri"]),
    "language": ("languages.csv", ["id", "service_id", "location_id", "phone_id", "name", "code", "note"]),
    "accessibility": ("accessibility.csv", ["id", "location_id", "description", "details", "url"]),
    "taxonomy_term": ("taxonomy_terms.csv", ["id", "code", "name", "description", "parent_id", "taxonomy",
                                             "language", "taxonomy_id", "term_uri"]),
    "metadata": ("metadata.csv", ["id", "resource_id", "resource_type", "last_action_date", "last_action_type",
                                  "field_name", "previous_value", "replacement_value", "updated_by"]),
    "meta_table_description": ("meta_table_descriptions.csv", ["id", "name", "language", "character_set"]),
    "cost_option": ("cost_options.csv", ["id", "service_id", "valid_from", "valid_to", "option", "currency",
                                         "amount", "amount_description"]),
    "organization_identifier": ("organization_identifiers.csv", ["id", "organization_id", "identifier_scheme",
                                                                 "identifier_type", "identifier"]),
    "taxonomy": ("taxonomies.csv", ["id", "name", "description", "uri", "version"]),
}
HSDS_NUMBER_FIELDS = {"year_incorporated", "latitude", "longitude", "minimum_age", "maximum_age", "extension",
                      "timezone", "count", "interval", "amount"}
#: Columns that point at another table's id (HSDS foreign keys), for datapackage.json.
HSDS_FOREIGN_KEYS = {"organization_id": "organization", "service_id": "service", "location_id": "location",
                     "service_at_location_id": "service_at_location", "phone_id": "phone",
                     "program_id": "program", "contact_id": "contact",
                     "taxonomy_term_id": "taxonomy_term", "taxonomy_id": "taxonomy"}
#: Our taxonomies as HSDS taxonomies: key → (name, description, link_type used in attributes).
HSDS_TAXONOMIES = {
    "life_domains": ("Levensgebieden", "Gebieden van het dagelijks leven waarin hulp nodig kan zijn.", "life_domain"),
    "target_groups": ("Doelgroepen", "Groepen inwoners voor wie een organisatie er is.", "target_group"),
    "laws": ("Wetten", "Wetten waaronder een dienst valt.", "law"),
    "roles": ("Rollen", "Landelijke functies in het sociaal domein (zie /rollen/).", "role"),
    "data_quality": ("Kenmerken van de gegevens", "Bijzonderheden over de gegevens zelf.", "data_quality"),
    "availability": ("Bereikbaarheid", "Wanneer een organisatie bereikbaar is.", "availability"),
}
DEMO_TERM = {"id": "voorbeeldgegevens", "name": DEMO_LABEL, "description": DEMO_NOTE}
#: A provider with `always_available: true` (a crisis line): HSDS has no field for it, so it is an attribute.
ALWAYS_TERM = {"id": "dag-en-nacht-bereikbaar", "name": "Dag en nacht bereikbaar",
               "description": "Elke dag 24 uur bereikbaar (telefoon of chat), ook in het weekend en op feestdagen."}


class Hsds:
    """Builds HSDS 3 organization objects (organization-oriented JSON) from the public model."""

    def __init__(self, model: Model):
        self.model = model
        self.terms: dict[str, dict[str, dict]] = {k: dict(model.terms.get(k, {})) for k in HSDS_TAXONOMIES}
        self.terms["roles"] = {r.id: {"id": r.id, "name": r.name, "description": r.data["summary"]}
                               for r in model.roles.values()}
        self.terms["data_quality"] = {DEMO_TERM["id"]: DEMO_TERM}
        self.terms["availability"] = {ALWAYS_TERM["id"]: ALWAYS_TERM}
        self.languages = model.terms.get("languages", {})
        self._term_cache: dict[tuple[str, str], dict] = {}
        #: The tabular form, filled while the organizations are built: per table, tuples in HSDS_TABLES order.
        self.rows: dict[str, list[tuple]] = {table: [] for table in HSDS_TABLES}

    # vocabulary --------------------------------------------------------------------------------------------
    def taxonomies(self) -> list[dict]:
        return [_compact({"id": hsds_id("taxonomy", key), "name": name, "description": desc, "version": None})
                for key, (name, desc, _) in HSDS_TAXONOMIES.items()]

    def term(self, key: str, term_id: str) -> dict:
        cached = self._term_cache.get((key, term_id))
        if cached is None:
            cached = self._term_cache[(key, term_id)] = self._make_term(key, term_id)
        return cached

    def _make_term(self, key: str, term_id: str) -> dict:
        t = self.terms[key][term_id]
        return _compact({"id": hsds_id("taxonomy_term", key, term_id), "code": term_id, "name": t["name"],
                         "description": t.get("description") or t["name"], "taxonomy": HSDS_TAXONOMIES[key][0],
                         "taxonomy_id": hsds_id("taxonomy", key), "language": "nl"})

    def all_terms(self) -> list[dict]:
        return [self.term(key, tid) for key in HSDS_TAXONOMIES for tid in sorted(self.terms[key])]

    def attributes(self, entity: str, link_id: str, links: list[tuple[str, str]]) -> list[dict]:
        out, rows = [], self.rows["attribute"]
        for key, term_id in links:
            if term_id not in self.terms[key]:
                continue  # validated data never gets here; an unknown term is simply not exported
            term = self.term(key, term_id)
            aid = hsds_id("attribute", entity, link_id, key, term_id)
            link_type = HSDS_TAXONOMIES[key][2]
            # the term by its id only (HSDS 3 does not require the embedded taxonomy_term object): the whole term
            # in every attribute was a fifth of organizations.json; taxonomy_terms.csv beside it holds each term
            # once, and kaart import knows our terms by these ids (importer.known_terms)
            out.append({"id": aid, "link_id": link_id, "taxonomy_term_id": term["id"], "link_type": link_type,
                        "link_entity": entity})
            rows.append((aid, link_id, term["id"], link_type, entity, None))
        return out

    # records ---------------------------------------------------------------------------------------------------
    # Each method returns the nested HSDS object and appends its table rows. A row holds the values the object
    # has for the table's columns (None = empty); _compact() only drops values that are empty in a CSV anyway.
    def phones(self, owner_column: str, owner_id: str, items: list[dict], scope: str) -> list[dict]:
        out, seen, rows = [], set(), self.rows["phone"]
        for i, ph in enumerate(items):
            key = "".join(c for c in ph["number"] if c.isdigit() or c == "+")
            if key in seen:
                key += f"#{i}"
            seen.add(key)
            phone_id, number = hsds_id("phone", scope, key), _phone(ph["number"])
            out.append(_compact({"id": phone_id, owner_column: owner_id, "number": number,
                                 "type": ph.get("type"), "description": ph.get("description")}))
            rows.append((phone_id, owner_id if owner_column == "location_id" else None, None,
                         owner_id if owner_column == "organization_id" else None, None, None, number, None,
                         ph.get("type"), ph.get("description")))
        return out

    def organization(self, rec: Record) -> dict:
        d, pid = rec.data, rec.id
        demo = self.model.is_demo(rec)
        org_id = hsds_id("organization", pid)
        description = d["description"]
        if demo:
            description = f"{DEMO_NOTE} {description}"
        self.rows["organization"].append((org_id, d["name"], d.get("alternate_name"), description, d.get("email"),
                                          d.get("website"), None, None, None, None, None, None, None))
        phones = self.phones("organization_id", org_id, d.get("phones", []), pid)
        locations = [self.location(rec, org_id, loc) for loc in d.get("locations", [])]
        location_ids = {loc["id"]: hsds_loc["id"] for loc, hsds_loc in zip(d.get("locations", []), locations)}
        services = [self.service(rec, org_id, s, location_ids, demo) for s in public_services(rec)]
        links = [("roles", r) for r in d.get("roles", [])] + [("life_domains", x) for x in d["life_domains"]] \
            + [("target_groups", x) for x in d.get("target_groups", [])]
        if demo:
            links.append(("data_quality", DEMO_TERM["id"]))
        if d.get("always_available"):
            links.append(("availability", ALWAYS_TERM["id"]))
        # our own id first: it names the YAML file and the page, and lets `kaart import` recognise the record
        own = (hsds_id("organization_identifier", pid, "sociale-kaart"), org_id, None, OWN_ID_TYPE, pid)
        self.rows["organization_identifier"].append(own)
        identifiers = [_compact(dict(zip(("id", "organization_id", "identifier_scheme", "identifier_type",
                                          "identifier"), own)))]
        for oi in d.get("organization_identifiers", []):
            row = (hsds_id("organization_identifier", pid, oi["type"], oi["value"]), org_id,
                   IDENTIFIER_SCHEMES.get(oi["type"]), IDENTIFIER_TYPES[oi["type"]], oi["value"])
            self.rows["organization_identifier"].append(row)
            identifiers.append(_compact(dict(zip(("id", "organization_id", "identifier_scheme", "identifier_type",
                                                  "identifier"), row))))
        return _compact({
            "id": org_id, "name": d["name"], "alternate_name": d.get("alternate_name"), "description": description,
            "email": d.get("email"), "website": d.get("website"), "phones": phones,
            "locations": locations, "services": services, "organization_identifiers": identifiers,
            "attributes": self.attributes("organization", org_id, links),
        })

    def location(self, rec: Record, org_id: str, loc: dict) -> dict:
        loc_id = hsds_id("location", rec.id, loc["id"])
        addr = loc["address"]
        muni = self.model.gemeenten.get(rec.gemeente or "", {})
        rows = self.rows
        rows["location"].append((loc_id, "physical", None, org_id, loc["name"], None, None, None,
                                 loc.get("latitude"), loc.get("longitude"), loc["id"], OWN_ID_TYPE))
        phones = self.phones("location_id", loc_id, loc.get("phones", []), f"{rec.id}/{loc['id']}")
        schedules = []
        for i, oh in enumerate(loc.get("opening_hours", [])):
            sched_id, byday = hsds_id("schedule", rec.id, loc["id"], str(i)), ",".join(oh["days"])
            opens_at, closes_at = hsds_time(oh["opens"]), hsds_time(oh["closes"])
            schedules.append({"id": sched_id, "location_id": loc_id, "freq": "WEEKLY", "wkst": "MO", "byday": byday,
                              "opens_at": opens_at, "closes_at": closes_at, "timezone": HSDS_TIMEZONE,
                              "notes": TIMEZONE_NOTE})
            rows["schedule"].append((sched_id, None, loc_id, None, None, None, None, HSDS_TIMEZONE, None, None, "MO",
                                     "WEEKLY", None, byday, None, None, None, None, opens_at, closes_at, None, None,
                                     TIMEZONE_NOTE))
        for i, ex in enumerate(loc.get("exceptions", [])):
            what = "Gesloten" if ex.get("closed") else "Afwijkende openingstijden"
            sched_id = hsds_id("schedule", rec.id, loc["id"], "exception", ex["date"], str(i))
            description = what + (f": {ex['description']}" if ex.get("description") else "")
            opens_at = None if ex.get("closed") else hsds_time(ex.get("opens"))
            closes_at = None if ex.get("closed") else hsds_time(ex.get("closes"))
            schedules.append(_compact({
                "id": sched_id, "location_id": loc_id, "valid_from": ex["date"], "valid_to": ex["date"],
                "description": description, "opens_at": opens_at, "closes_at": closes_at, "timezone": HSDS_TIMEZONE,
                "notes": TIMEZONE_NOTE}))
            rows["schedule"].append((sched_id, None, loc_id, None, ex["date"], ex["date"], None, HSDS_TIMEZONE, None, None,
                                     None, None, None, None, None, None, None, description, opens_at, closes_at,
                                     None, None, TIMEZONE_NOTE))
        accessibility = []
        for i, text in enumerate(loc.get("accessibility", [])):
            acc_id = hsds_id("accessibility", rec.id, loc["id"], str(i))
            accessibility.append({"id": acc_id, "location_id": loc_id, "description": text})
            rows["accessibility"].append((acc_id, loc_id, text, None, None))
        address_id = hsds_id("address", rec.id, loc["id"])
        region = muni.get("name") if rec.gemeente != NATIONAL else None
        address = _compact({
            "id": address_id, "location_id": loc_id, "address_1": addr["street"],
            "city": addr["city"], "region": region,
            "postal_code": addr["postcode"], "country": "NL", "address_type": "physical"})
        address["state_province"] = state_province(muni, rec.gemeente == NATIONAL)
        rows["address"].append((address_id, loc_id, None, addr["street"], None, addr["city"], region,
                                address["state_province"], addr["postcode"], "NL", "physical"))
        return _compact({
            "id": loc_id, "location_type": "physical", "organization_id": org_id, "name": loc["name"],
            "latitude": loc.get("latitude"), "longitude": loc.get("longitude"),
            "external_identifier": loc["id"], "external_identifier_type": OWN_ID_TYPE, "addresses": [address],
            "phones": phones, "schedules": schedules, "accessibility": accessibility})

    def service(self, rec: Record, org_id: str, s: dict, location_ids: dict[str, str], demo: bool) -> dict:
        sid = hsds_id("service", rec.id, s["id"])
        rows = self.rows
        cost = s.get("cost")
        fees = None
        cost_options = []
        if cost:
            fees = COST_LABELS[cost["type"]] + (f": {cost['description']}" if cost.get("description") else "")
            row = (hsds_id("cost_option", rec.id, s["id"]), sid, None, None, COST_LABELS[cost["type"]],
                   "EUR" if cost["type"] == "gratis" else None, 0 if cost["type"] == "gratis" else None,
                   cost.get("description"))
            rows["cost_option"].append(row)
            cost_options = [_compact(dict(zip(("id", "service_id", "valid_from", "valid_to", "option", "currency",
                                               "amount", "amount_description"), row)))]
        wait = s.get("waiting_time")
        if rec.gemeente == NATIONAL:
            area_name = "Nederland"
        else:
            area_name = self.model.gemeenten.get(rec.gemeente or "", {}).get("name", rec.gemeente)
        languages = []
        for code in s.get("languages", []):
            row = (hsds_id("language", rec.id, s["id"], code), sid, None, None,
                   self.languages.get(code, {}).get("name"), code, None)
            rows["language"].append(row)
            languages.append(_compact({"id": row[0], "service_id": sid, "name": row[4], "code": code}))
        sals = []
        for lid in s.get("location_ids", []):
            if lid in location_ids:
                sal_id = hsds_id("service_at_location", rec.id, s["id"], lid)
                sals.append({"id": sal_id, "service_id": sid, "location_id": location_ids[lid]})
                rows["service_at_location"].append((sal_id, sid, location_ids[lid], None))
        description = f"{DEMO_NOTE} {s['description']}" if demo else s["description"]
        wait_time = f"{wait['description']} (peildatum {wait['date']})" if wait else None
        status, assured_date = s.get("status", "active"), rec.data["verified"]["date"]
        rows["service"].append((sid, org_id, None, s["name"], None, description, None, None, status, None,
                                s.get("application_process"), fees, wait_time, None, None, s.get("eligibility"),
                                s.get("minimum_age"), s.get("maximum_age"), assured_date, None, None, None, None))
        area_id = hsds_id("service_area", rec.id, s["id"])
        rows["service_area"].append((area_id, sid, area_name, None, None, None, None))
        return _compact({
            "id": sid, "organization_id": org_id, "name": s["name"], "description": description,
            "status": status, "application_process": s.get("application_process"),
            "fees_description": fees, "eligibility_description": s.get("eligibility"),
            "minimum_age": s.get("minimum_age"), "maximum_age": s.get("maximum_age"),
            "wait_time": wait_time, "assured_date": assured_date,
            "service_areas": [{"id": area_id, "service_id": sid, "name": area_name}],
            "languages": languages, "cost_options": cost_options, "service_at_locations": sals,
            "attributes": self.attributes("service", sid, [("laws", x) for x in s.get("laws", [])]),
        })

    def organizations(self) -> list[dict]:
        return [self.organization(r) for r in _providers(self.model)]


#: HSDS requires a province in every address. A demo gemeente has none (it does not exist); a national
#: organisation's address has none in our data. Both say so instead of guessing.
DEMO_PROVINCE = "Voorbeeldgegevens (geen echte provincie)"
UNKNOWN_PROVINCE = "Onbekend"


def state_province(muni: dict, national: bool) -> str:
    if not national and muni.get("province"):
        return muni["province"]
    if not national and muni.get("demo"):
        return DEMO_PROVINCE
    return UNKNOWN_PROVINCE


def hsds_time(value: str | None) -> str | None:
    """Our "HH:MM" as the HSDS table type time ("HH:MM:SS"). "24:00" (until midnight) has no such time: it is
    written as 00:00:00, which as a closing time means midnight (TIMEZONE_NOTE says so; the importer reads it back
    as 24:00)."""
    if value is None:
        return None
    return "00:00:00" if value == "24:00" else value + ":00"


#: A Dutch number written as 0 + nine digits, in groups separated by single spaces ("050 000 0301").
_NL_NUMBER = re.compile(r"0[1-9][0-9]*(?: [0-9]+)*")
#: International notation of such numbers, per first three digits after the 0: the groups, filled in by position.
_PHONE_TEMPLATES: dict[str, str | None] = {}
_PHONES: dict[str, str] = {}


def _phone(number: str) -> str:
    """International notation (+31 50 …): unambiguous for systems outside the Netherlands."""
    formatted = _PHONES.get(number)
    if formatted is None:
        formatted = _PHONES[number] = _format_phone(number)
    return formatted


def _format_phone(number: str) -> str:
    # phonenumbers.parse takes ~0.1 ms. For 0 + nine digits its result depends only on the first digits after the
    # 0 (the NL formatting rules look at two): format the first number of each such prefix with phonenumbers and
    # fill the same groups for the others. tests/test_export.py checks this against phonenumbers.
    digits = number.replace(" ", "")
    if len(digits) != 10 or not _NL_NUMBER.fullmatch(number):
        return _phonenumbers_format(number)
    prefix = digits[1:4]
    if prefix not in _PHONE_TEMPLATES:
        formatted = _phonenumbers_format(number)
        national = formatted.removeprefix("+31 ")
        ok = formatted.startswith("+31 ") and "".join(c for c in national if c.isdigit()) == digits[1:] \
            and all(c.isdigit() or c == " " for c in national)
        _PHONE_TEMPLATES[prefix] = "".join("{}" if c.isdigit() else c for c in national) if ok else None
        return formatted
    template = _PHONE_TEMPLATES[prefix]
    if template is None:
        return _phonenumbers_format(number)
    return "+31 " + template.format(*digits[1:])


def _phonenumbers_format(number: str) -> str:
    try:
        return phonenumbers.format_number(phonenumbers.parse(number, "NL"),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return number


def hsds_rows(hsds: Hsds) -> dict[str, list[tuple]]:
    """The tabular form, sorted by id; an id that occurs twice in a table is written once (the first row)."""
    tables: dict[str, list[tuple]] = {}
    for table, rows in hsds.rows.items():
        first = {row[0]: row for row in reversed(rows)}
        tables[table] = sorted(first.values(), key=itemgetter(0))
    tables["taxonomy_term"] = sorted(_dict_rows(HSDS_TABLES["taxonomy_term"][1], hsds.all_terms()), key=itemgetter(0))
    tables["taxonomy"] = sorted(_dict_rows(HSDS_TABLES["taxonomy"][1], hsds.taxonomies()), key=itemgetter(0))
    return tables


def hsds_datapackage(model: Model) -> dict:
    resources = []
    for table, (path, fields) in HSDS_TABLES.items():
        schema_fields = []
        for f in fields:
            field: dict[str, Any] = {"name": f, "type": "number" if f in HSDS_NUMBER_FIELDS else "string"}
            if f == "id" or f.endswith("_id"):
                field["format"] = "uuid"
            schema_fields.append(field)
        foreign = [{"fields": f, "reference": {"resource": HSDS_FOREIGN_KEYS[f], "fields": "id"}}
                   for f in fields if f in HSDS_FOREIGN_KEYS and HSDS_FOREIGN_KEYS[f] != table]
        schema: dict[str, Any] = {"fields": schema_fields, "primaryKey": "id"}
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append({"name": table, "path": path, "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "licenses": [LICENSE], "schema": schema})
    date = newest_date(model)
    return {
        "profile": "tabular-data-package",
        "name": "sociale-kaart-hsds",
        "title": "Sociale Kaart in Open Referral HSDS 3",
        "description": "Organisaties, diensten, locaties en openingstijden uit de Sociale Kaart, volgens de "
                       f"Human Services Data Specification {HSDS_VERSION} van Open Referral. Dezelfde gegevens "
                       f"staan genest in {HSDS_JSON}. Organisaties met '{DEMO_LABEL}' in de omschrijving "
                       "(en het kenmerk 'voorbeeldgegevens') zijn verzonnen.",
        "version": date,
        "created": f"{date}T00:00:00Z",
        "licenses": [LICENSE],
        "sources": [{"title": "Sociale Kaart (YAML-bronbestanden)"}],
        "hsds_version": HSDS_VERSION,
        "resources": resources,
    }


LICENSE_TEXT = f"""Sociale Kaart: open data
========================

Licentie: {LICENSE['title']} ({LICENSE['name']})
{LICENSE['path']}

U mag deze gegevens gebruiken, kopiëren, aanpassen en verspreiden, ook voor commerciële
doelen, zonder toestemming te vragen en zonder bronvermelding. Een vermelding van
"Sociale Kaart" stellen we wel op prijs.

Records met demo: true (in HSDS: '{DEMO_LABEL}' in de omschrijving) zijn verzonnen
voorbeeldgegevens. Gebruik die nooit als echte hulp.
"""


# entry point -------------------------------------------------------------------------------------------------
def export(model: Model, out_dir: Path, formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write the open data under out_dir; returns the written files, sorted."""
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ExportError(f"onbekend formaat '{unknown[0]}': kies uit {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    # Hundreds of thousands of small dicts and tuples, none of them cyclic: the cyclic garbage collector would
    # only walk them again and again (a third of the time at 10k providers).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        files = _files(model, out_dir, formats)
    finally:
        if gc_was_enabled:
            gc.enable()
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return sorted(files)


def _files(model: Model, out_dir: Path, formats: list[str]) -> dict[Path, bytes]:
    files: dict[Path, bytes] = {out_dir / LICENSE_FILE: LICENSE_TEXT.encode("utf-8")}
    if "json" in formats:
        files[out_dir / JSON_FILE] = _json_bytes(to_json(model))
    if "csv" in formats:
        for name, rows in csv_tables(model).items():
            files[out_dir / name] = _csv_bytes(CSV_FIELDS[name], rows)
            files[out_dir / EXCEL_DIR / name] = _csv_bytes(CSV_FIELDS[name], rows, EXCEL_DELIMITER, EXCEL_ENCODING)
    if "json" in formats or "csv" in formats:
        files[out_dir / "datapackage.json"] = _json_bytes(datapackage(model, formats))
    if "hsds" in formats:
        hsds = Hsds(model)
        files[out_dir / HSDS_DIR / HSDS_JSON] = _json_bytes(hsds.organizations())
        for table, rows in hsds_rows(hsds).items():
            path, fields = HSDS_TABLES[table]
            files[out_dir / HSDS_DIR / path] = _csv_bytes(fields, rows)
        files[out_dir / HSDS_DIR / "datapackage.json"] = _json_bytes(hsds_datapackage(model))
    return files
