"""`kaart import`: bring an existing social map in — Open Referral HSDS 3 (JSON or tables), CSV or Excel.

The shape: read the source into rows that remember where they came from (file, row, column) → turn each row
into a provider record in the scaffold's field order, cleaning every value on the way (a value that cannot be
used is left out with a `source:row:column: warning`) → compare with the records already in --data (changed
records get a diff, likely duplicates a warning) → write everything into a copy of --data and check that copy
with the project's own validator → only when all of that is clean, move the new files into place.
Errors anywhere mean nothing is written (all-or-nothing); `--dry-run` never writes.

Every record is written once: into the staging copy, which sits next to --data (`.kaart-import-*` in the same
folder as --data, so on the same file system; the system's temporary folder when that folder cannot be written),
and after the check the staged files are renamed into --data with os.replace (copied, then renamed, when the two
are on different file systems). What "all-or-nothing" means then:
- any error before the first rename (a source error, a check error, --dry-run, a disk that is full while
  staging) leaves --data exactly as it was;
- an error or interrupt (Ctrl-C) during the renames undoes the renames done so far: new files are removed again
  (and folders the import made), changed files get their previous text back; then the error is raised;
- a hard crash (power loss, kill -9) in the rename window itself (a few tenths of a second for 10 000 files; no
  record text is written in it) can leave a part of the new files in --data. Each of them is a complete record
  that passed the check, no existing file is ever half overwritten (a rename is atomic), and the staging folder
  is left beside --data. Running the same import again finishes it (the files already there count as
  unchanged); `git status` shows what came in. We accept this window: closing it would need a journal that every
  reader of --data honours, for a case that loses no data.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import errno
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import phonenumbers
import yaml

from . import limits
from .export import ALWAYS_TERM, FORMULA_GUARD, FORMULA_TRIGGERS, IDENTIFIER_TYPES, OWN_ID_TYPE, \
    hsds_id
from .labels import COST_LABELS, DEMO_NOTE
from .load import NATIONAL, display_path, load_file
from .problems import ERROR, WARNING, Problem
from .scaffold import slugify

SOURCES = ("hsds", "csv", "xlsx")

#: Fields of a provider in the order `kaart new provider` writes them (scaffold.PROVIDER), and of its parts.
PROVIDER_ORDER = ("id", "name", "alternate_name", "description", "roles", "life_domains", "target_groups", "website",
                  "email", "phones", "always_available", "organization_identifiers", "services", "locations",
                  "sources", "verified")
SERVICE_ORDER = ("id", "name", "description", "status", "application_process", "eligibility", "minimum_age",
                 "maximum_age", "languages", "cost", "laws", "location_ids", "waiting_time", "visibility")
LOCATION_ORDER = ("id", "name", "address", "latitude", "longitude", "accessibility", "opening_hours", "exceptions",
                  "phones")

#: The columns a mapping may name (schemas/import-mapping.schema.json lists the same, with explanations).
LIST_FIELDS = ("roles", "life_domains", "target_groups", "languages", "laws", "accessibility")
#: Lists whose values must be ids from the data: field → (what, where the ids come from).
TERM_FIELDS = {"roles": "rol", "life_domains": "levensgebied", "target_groups": "doelgroep", "languages": "taal",
               "laws": "wet"}
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: Cost labels that exports wrote before pages and exports shared one wording (kaart/labels.py): still read back.
EARLIER_COST_LABELS = {"betaald": "Betaald", "eigen-risico": "Eigen risico (Zorgverzekeringswet)"}
COST_BY_LABEL = {label.lower(): key for labels in (EARLIER_COST_LABELS, COST_LABELS) for key, label in labels.items()}
IDENTIFIER_BY_LABEL = {label.lower(): key for key, label in IDENTIFIER_TYPES.items()}
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
#: Control characters (Unicode category Cc) other than tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BLOCK_TAG = re.compile(r"<\s*/?\s*(p|br|div|li|ul|ol|h[1-6]|tr|td|table)\b[^>]*>", re.IGNORECASE)
#: Content that is only there to run in a browser: never imported, and the whole import stops (it is an attack or
#: a broken export, and an editor must look at it).
_UNSAFE = re.compile(r"<\s*/?\s*(script|style|iframe|object|embed|svg|math|form|meta|link|base)\b|"
                     r"<[^>]*\bon[a-z]+\s*=|\b(javascript|vbscript)\s*:|\bdata\s*:\s*[a-z]+/[a-z0-9.+-]+",
                     re.IGNORECASE)
_POSTCODE = re.compile(r"^\s*([0-9]{4})\s*([A-Za-z]{2})\s*$")
_TIME = re.compile(r"^([01]?[0-9]|2[0-4])[:.]([0-5][0-9])(?::[0-5][0-9](?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?$")
_WAIT = re.compile(r"^(?P<description>.*) \(peildatum (?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})\)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_URL = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:[0-9]+)?(/[^\s]*)?$")



#: What does not come back when our own HSDS export is imported again, and why (printed with such an import).
ROUND_TRIP_LIMITS = {
    "verified.by": "HSDS heeft geen veld voor wie de gegevens controleerde (alleen een e-mailadres, assurer_email); "
                   "kaart import zet 'Import uit <bestand>'.",
    "verified.date": "HSDS heeft de controledatum alleen per dienst (assured_date); een aanbieder zonder openbare "
                     "dienst krijgt de datum van de import.",
    "services[].id": "HSDS geeft een dienst alleen een UUID; kaart import maakt het id uit de naam van de dienst.",
    "sources": "de bronnen van een aanbieder staan niet in HSDS.",
    "services[].visibility": "diensten voor professionals staan nooit in open data, dus ook niet in HSDS.",
    "services[].waiting_time": "een wachttijd die niet openbaar is (public: false) staat nooit in open data.",
    "volgorde": "de HSDS-tabellen zijn op id gesorteerd: diensten, telefoonnummers en lijsten als levensgebieden "
                "kunnen in een andere volgorde terugkomen (organizations.json houdt de volgorde).",
}


class ImportFailed(Exception):
    """The import cannot go on; .problems say why (Dutch, with source:row:column)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def add(self, severity, where: tuple[str, int, int], code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(where[0], where[1], where[2], severity, code, message, hint))

    def warn(self, where, code, message, hint=""):
        self.add(WARNING, where, code, message, hint)

    def error(self, where, code, message, hint=""):
        self.add(ERROR, where, code, message, hint)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def _fail(where: tuple[str, int, int], code: str, message: str, hint: str = "") -> ImportFailed:
    return ImportFailed([Problem(where[0], where[1], where[2], ERROR, code, message, hint)])


# rows that know where they come from ----------------------------------------------------------------------------
@dataclass
class Row:
    """One source row (a CSV/Excel row or an HSDS object): its values and where each one was."""

    values: dict[str, Any]
    path: str
    line: int
    cols: dict[str, int] = field(default_factory=dict)

    def at(self, name: str | None = None) -> tuple[str, int, int]:
        return self.path, self.line, self.cols.get(name, 1) if name else 1

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


def _check_size(path: Path, shown: str) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _fail((shown, 1, 1), "import-unreadable", f"het bestand kan niet gelezen worden ({exc.strerror})",
                    "Controleer de naam van het bestand.") from None
    if size > limits.MAX_IMPORT_BYTES:
        raise _fail((shown, 1, 1), "import-too-large",
                    f"het bestand is {size // (1024 * 1024)} MB; het maximum is "
                    f"{limits.MAX_IMPORT_BYTES // (1024 * 1024)} MB",
                    "Splits het bestand in delen en importeer ze een voor een.")
    if size == 0:
        raise _fail((shown, 1, 1), "import-empty", "het bestand is leeg", "Kies het goede bestand.")


def _decode(raw: bytes, shown: str, encoding: str = "utf-8") -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail((shown, 1, 1), "import-encoding", "het bestand is opgeslagen als UTF-16, niet als UTF-8",
                    "Sla het op als 'CSV UTF-8' (Excel: Opslaan als → CSV UTF-8), of zet 'encoding: cp1252' in de "
                    "mapping als het een oud Windows-bestand is.")
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise _fail((shown, line, 1), "import-binary", "het bestand bevat NUL-tekens: het is geen tekstbestand",
                    "Kies een CSV- of JSON-bestand, of gebruik --from xlsx voor een Excel-bestand.")
    try:
        text = raw.decode("utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _fail((shown, line, col), "import-encoding",
                    f"het bestand is geen {encoding}: byte 0x{raw[exc.start]:02x} kan niet gelezen worden",
                    "Sla het op als 'CSV UTF-8' (Excel: Opslaan als → CSV UTF-8), of zet de juiste codering in de "
                    "mapping, bijvoorbeeld 'encoding: cp1252' voor een oud Windows-bestand.") from None
    except LookupError:
        raise _fail((shown, 1, 1), "import-encoding", f"onbekende codering '{encoding}'",
                    "Gebruik utf-8 of cp1252.") from None
    return text


def read_csv(path: Path, delimiter: str | None = None, encoding: str = "utf-8") -> tuple[list[str], list[Row]]:
    """Header and rows of a CSV file; the delimiter is guessed from the header when not given."""
    shown = display_path(path)
    _check_size(path, shown)
    text = _decode(path.read_bytes(), shown, encoding)
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    module_limit = csv.field_size_limit(limits.MAX_IMPORT_CELL_CHARS)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise _fail((shown, 1, 1), "import-no-header", "de eerste regel noemt geen kolommen",
                        "Zet de namen van de kolommen op de eerste regel.")
        header = [h.strip() for h in header]
        seen: dict[str, int] = {}
        for i, h in enumerate(header):
            if h and h in seen:
                raise _fail((shown, 1, i + 1), "import-column-duplicate",
                            f"de kolom '{h}' staat twee keer in de eerste regel (ook in kolom {seen[h] + 1})",
                            "Geef elke kolom een eigen naam.")
            seen[h] = i
        cols = {h: i + 1 for i, h in enumerate(header)}
        rows = []
        for values in reader:
            if len(rows) >= limits.MAX_IMPORT_ROWS:
                raise _fail((shown, reader.line_num, 1), "import-too-many-rows",
                            f"meer dan {limits.MAX_IMPORT_ROWS} regels", "Splits het bestand in delen.")
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise _fail((shown, reader.line_num, len(header) + 1), "import-row-too-long",
                            f"deze regel heeft {len(values)} vakken, de eerste regel maar {len(header)} kolommen",
                            f"Controleer het scheidingsteken ('{delimiter}') en de aanhalingstekens op deze regel.")
            rows.append(Row(dict(zip(header, values)), shown, reader.line_num, cols))
    except csv.Error as exc:
        raise _fail((shown, reader.line_num, 1), "import-csv-syntax",
                    f"deze regel is geen geldige CSV ({_csv_reason(str(exc))})",
                    "Controleer de aanhalingstekens; een vak met een regeleinde of scheidingsteken staat tussen \"\".") \
            from None
    finally:
        csv.field_size_limit(module_limit)
    return header, rows


def _csv_reason(reason: str) -> str:
    if "field larger than field limit" in reason:
        return "een vak is veel te lang"
    if "NUL" in reason:
        return "er staat een NUL-teken in"
    if "expected" in reason and "after" in reason:
        return "een aanhalingsteken staat op een verkeerde plek"
    return reason


def read_xlsx(path: Path, sheet: str | None = None) -> tuple[list[str], list[Row]]:
    """Header and rows of an Excel sheet. A formula is not a value: such cells are kept as '=…' text so the row
    mapping can report them."""
    shown = display_path(path)
    _check_size(path, shown)
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _fail((shown, 1, 1), "import-xlsx-invalid", f"dit is geen Excel-bestand (.xlsx) ({type(exc).__name__})",
                    "Sla het bestand in Excel op als 'Excel-werkmap (.xlsx)', of gebruik --from csv.") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise _fail((shown, 1, 1), "import-sheet-missing", f"het werkblad '{sheet}' bestaat niet",
                        f"Kies een van: {', '.join(book.sheetnames)}.")
        ws = book[sheet] if sheet else book.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header_cells = next(it, None)
        if not header_cells or not any(h not in (None, "") for h in header_cells):
            raise _fail((shown, 1, 1), "import-no-header", "de eerste rij noemt geen kolommen",
                        "Zet de namen van de kolommen in de eerste rij.")
        header = ["" if h is None else str(h).strip() for h in header_cells]
        cols = {h: i + 1 for i, h in enumerate(header)}
        rows = []
        for n, cells in enumerate(it, start=2):
            if len(rows) >= limits.MAX_IMPORT_ROWS:
                raise _fail((shown, n, 1), "import-too-many-rows", f"meer dan {limits.MAX_IMPORT_ROWS} rijen",
                            "Splits het bestand in delen.")
            values = {}
            for h, v in zip(header, cells):
                if v is None:
                    v = ""
                elif isinstance(v, float) and v.is_integer():
                    v = str(int(v))
                elif isinstance(v, (dt.datetime, dt.date)):
                    v = v.date().isoformat() if isinstance(v, dt.datetime) else v.isoformat()
                elif isinstance(v, dt.time):
                    v = v.strftime("%H:%M")
                else:
                    v = str(v)
                values[h] = v
            if any(v.strip() for v in values.values()):
                rows.append(Row(values, shown, n, cols))
    finally:
        book.close()
    return header, rows


# HSDS sources ------------------------------------------------------------------------------------------------------
def read_hsds(path: Path) -> list[Row]:
    """HSDS organizations as Rows (nested values): from organizations.json (a list, one organization, or an API
    page with 'contents'), or from the tables of a datapackage (a folder or its datapackage.json)."""
    shown = display_path(path)
    if path.is_dir():
        if (path / "organizations.json").is_file():
            return read_hsds(path / "organizations.json")
        if (path / "organizations.csv").is_file():
            return _read_hsds_tables(path)
        raise _fail((shown, 1, 1), "import-not-hsds", "in deze map staat geen organizations.json of organizations.csv",
                    "Geef het HSDS-bestand organizations.json, of de map met de HSDS-tabellen.")
    if path.name == "datapackage.json":  # the tables it describes, not organizations.json beside it
        if not (path.parent / "organizations.csv").is_file():
            raise _fail((shown, 1, 1), "import-not-hsds", "naast deze datapackage.json staat geen organizations.csv",
                        "Geef de map met de HSDS-tabellen, of organizations.json.")
        return _read_hsds_tables(path.parent)
    _check_size(path, shown)
    text = _decode(path.read_bytes(), shown)
    return _json_organizations(text, shown)


def _json_organizations(text: str, shown: str) -> list[Row]:
    decoder = json.JSONDecoder()
    start = len(text) - len(text.lstrip())
    rows: list[Row] = []
    try:
        if text[start:start + 1] == "[":
            i = start + 1
            line, counted = 1, 0  # line of position `counted`; counting on from there keeps this linear
            while True:
                while i < len(text) and text[i] in " \t\r\n":
                    i += 1
                if text[i:i + 1] == "]":
                    break
                obj, end = decoder.raw_decode(text, i)
                line += text.count("\n", counted, i)
                counted = i
                rows.append(Row(obj, shown, line))
                if len(rows) > limits.MAX_IMPORT_ROWS:
                    raise _fail((shown, rows[-1].line, 1), "import-too-many-rows",
                                f"meer dan {limits.MAX_IMPORT_ROWS} organisaties", "Splits het bestand in delen.")
                i = end
                while i < len(text) and text[i] in " \t\r\n":
                    i += 1
                if text[i:i + 1] == ",":
                    i += 1
                elif text[i:i + 1] != "]":
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
            if text[i + 1:].strip():
                raise json.JSONDecodeError("Extra data", text, i + 1)
        else:
            data = json.loads(text)
            if isinstance(data, dict) and isinstance(data.get("contents"), list):  # an HSDS API page
                rows = [Row(o, shown, 1) for o in data["contents"]]
            elif isinstance(data, dict):
                rows = [Row(data, shown, 1)]
            else:
                raise _fail((shown, 1, 1), "import-not-hsds",
                            f"dit is geen HSDS-bestand: verwacht een lijst organisaties, niet {_kind(data)}",
                            "Geef organizations.json uit een HSDS 3-export (een lijst met organisaties).")
    except json.JSONDecodeError as exc:
        raise _fail((shown, exc.lineno, exc.colno), "import-json-syntax", f"dit is geen geldige JSON ({exc.msg})",
                    "Controleer het bestand met een JSON-validator; misschien is het afgebroken.") from None
    except RecursionError:
        raise _fail((shown, 1, 1), "import-too-deep", "de JSON is te diep genest", "Geef een gewone HSDS-export.") \
            from None
    for row in rows:
        org = row.values
        if not isinstance(org, dict) or not isinstance(org.get("name"), str) or "id" not in org:
            raise _fail(row.at(), "import-not-hsds",
                        "dit is geen HSDS-organisatie: elke organisatie heeft minstens 'id' en 'name'",
                        "Geef organizations.json uit een HSDS 3-export.")
    if not rows:
        raise _fail((shown, 1, 1), "import-empty", "er staan geen organisaties in het bestand",
                    "Kies een HSDS-export met organisaties.")
    return rows


def _kind(value) -> str:
    return {dict: "één object", list: "een lijst", str: "tekst", int: "een getal", float: "een getal",
            bool: "true/false", type(None): "null"}.get(type(value), type(value).__name__)


#: HSDS table → (file, column that links it to its parent, the parent's list it goes into).
_CHILDREN = {
    "service": ("services.csv", "organization_id", "services"),
    "location": ("locations.csv", "organization_id", "locations"),
    "organization_identifier": ("organization_identifiers.csv", "organization_id", "organization_identifiers"),
    "address": ("addresses.csv", "location_id", "addresses"),
    "schedule": ("schedules.csv", "location_id", "schedules"),
    "accessibility": ("accessibility.csv", "location_id", "accessibility"),
    "service_at_location": ("service_at_location.csv", "service_id", "service_at_locations"),
    "language": ("languages.csv", "service_id", "languages"),
    "cost_option": ("cost_options.csv", "service_id", "cost_options"),
    "service_area": ("service_areas.csv", "service_id", "service_areas"),
}


def _read_hsds_tables(folder: Path) -> list[Row]:
    """The HSDS tables nested back into organization objects (as in organizations.json); every object remembers
    its file and row."""
    orgs_header, orgs = read_csv(folder / "organizations.csv", ",")
    for needed in ("id", "name"):
        if needed not in orgs_header:
            raise _fail((display_path(folder / "organizations.csv"), 1, 1), "import-not-hsds",
                        f"organizations.csv heeft geen kolom '{needed}': dit is geen HSDS-tabel",
                        "Geef de map met de HSDS 3-tabellen (organizations.csv, services.csv, …).")

    def table(name: str) -> list[Row]:
        path = folder / name
        return read_csv(path, ",")[1] if path.is_file() else []

    def nest(row: Row) -> dict:
        obj = {k: v for k, v in row.values.items() if v != ""}
        obj["__row__"] = row
        return obj

    by_id: dict[str, dict] = {}
    for row in orgs:
        by_id[row.get("id")] = nest(row)
    objects: dict[str, dict[str, dict]] = {"organization": by_id}
    for kind in ("service", "location", "organization_identifier", "address", "schedule", "accessibility",
                 "service_at_location", "language", "cost_option", "service_area"):
        file, parent_key, into = _CHILDREN[kind]
        parent_kind = {"organization_id": "organization", "location_id": "location", "service_id": "service"}[parent_key]
        objects[kind] = {}
        for row in table(file):
            obj = nest(row)
            objects[kind][row.get("id")] = obj
            parent = objects[parent_kind].get(row.get(parent_key, ""))
            if parent is not None:
                parent.setdefault(into, []).append(obj)
    # phones belong to an organization, a location or a service; attributes link to anything by link_id
    for row in table("phones.csv"):
        obj = nest(row)
        for key, kind in (("location_id", "location"), ("service_id", "service"), ("organization_id", "organization")):
            parent = objects[kind].get(row.get(key, ""))
            if parent is not None:
                parent.setdefault("phones", []).append(obj)
                break
    terms = {r.get("id"): {k: v for k, v in r.values.items() if v != ""} for r in table("taxonomy_terms.csv")}
    taxonomies = {r.get("id"): r.get("name") for r in table("taxonomies.csv")}
    for term in terms.values():
        if "taxonomy_id" in term and "taxonomy" not in term and term["taxonomy_id"] in taxonomies:
            term["taxonomy"] = taxonomies[term["taxonomy_id"]]
    everything = {**objects["organization"], **objects["service"], **objects["location"]}
    for row in table("attributes.csv"):
        obj = nest(row)
        obj["taxonomy_term"] = terms.get(row.get("taxonomy_term_id"), {})
        parent = everything.get(row.get("link_id", ""))
        if parent is not None:
            parent.setdefault("attributes", []).append(obj)
    return [Row(o, o["__row__"].path, o["__row__"].line, o["__row__"].cols) for o in by_id.values()]


# cleaning values ---------------------------------------------------------------------------------------------------
class Cleaner:
    """Turns source values into values our schema accepts; anything it cannot use is reported and left out."""

    def __init__(self, report: Report, terms: dict[str, set[str]], term_names: dict[str, dict[str, str]],
                 value_maps: dict[str, dict[str, Any]], demo: Callable[[str], bool]):
        self.report = report
        self.terms = terms
        self.term_names = term_names  # field → lowercased name → id
        self.value_maps = {k: {str(a).strip().lower(): b for a, b in v.items()} for k, v in value_maps.items()}
        self.demo = demo

    def text(self, where, value: Any, what: str, limit: int = limits.MAX_TEXT_LENGTH) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            else:
                self.report.warn(where, "import-not-text", f"{what}: verwacht tekst, gevonden {_kind(value)}",
                                 "Deze waarde is niet overgenomen.")
                return None
        value = _unguard(value).strip()
        if not value:
            return None
        if value[0] in "=@" or value[:1] in ("+", "-") and _looks_like_formula(value):
            self.report.error(where, "import-formula", f"{what}: '{_short(value)}' is een spreadsheetformule",
                              "Een formule is geen gegeven en kan in een spreadsheet iets uitvoeren. Zet de uitkomst "
                              "als gewone tekst in de cel (Excel: Plakken speciaal → Waarden), zonder = of @ ervoor.")
            return None
        unsafe = _UNSAFE.search(value)
        if unsafe:
            self.report.error(where, "import-unsafe", f"{what}: '{_short(unsafe.group(0))}' is code die in een browser "
                              "kan worden uitgevoerd", "Haal de HTML-code of het script uit deze cel; alleen gewone "
                              "tekst wordt overgenomen.")
            return None
        if _TAG.search(value):
            self.report.warn(where, "import-html", f"{what}: HTML-code ('{_short(_TAG.search(value).group(0))}') "
                             "wordt niet overgenomen", "Schrijf gewone tekst; de HTML-code is weggelaten.")
            value = _BLOCK_TAG.sub(" ", value)  # "<p>a</p><p>b</p>" → "a b", "<b>thee</b>." → "thee."
            value = re.sub(r"[ \t]+", " ", _TAG.sub("", value)).strip()
            if not value:
                return None
        if _CONTROL.search(value):
            value = _CONTROL.sub("", value)
            self.report.warn(where, "import-control-char", f"{what}: onzichtbare stuurtekens weggelaten",
                             "Controleer de tekst; tekens als NUL of ESC horen niet in een omschrijving.")
        if len(value) > limit:
            self.report.warn(where, "import-too-long", f"{what}: {len(value)} tekens; het maximum is {limit}",
                             "De tekst is niet overgenomen. Kort hem in tot de kern en zet de rest op de eigen website.")
            return None
        return value

    def name(self, where, value, what: str) -> str | None:
        value = self.text(where, value, what, limits.MAX_NAME_LENGTH)
        return " ".join(value.split()) if value else value

    def url(self, where, value) -> str | None:
        value = self.text(where, value, "website", 500)
        if not value:
            return None
        if value.startswith("http://"):
            self.report.warn(where, "import-url-http", f"website: '{_short(value)}' begint met http://, niet https://",
                             "Niet overgenomen. Controleer of de site ook met https:// werkt en vul dat adres in.")
            return None
        if "://" not in value and _URL.match("https://" + value):
            value = "https://" + value
        if not _URL.match(value):
            self.report.warn(where, "import-url-invalid", f"website: '{_short(value)}' is geen geldig webadres",
                             "Niet overgenomen. Gebruik een volledig adres dat begint met https://.")
            return None
        return value

    def email(self, where, value) -> str | None:
        value = self.text(where, value, "e-mail", 254)
        if value and value.lower().startswith("mailto:"):
            value = value[7:]
        if value and not _EMAIL.match(value):
            self.report.warn(where, "import-email-invalid", f"e-mail: '{_short(value)}' is geen geldig e-mailadres",
                             "Niet overgenomen. Schrijf het als naam@domein.nl.")
            return None
        return value

    def phone(self, where, value, gemeente: str) -> str | None:
        value = self.text(where, value, "telefoonnummer", 30)
        if not value:
            return None
        try:
            parsed = phonenumbers.parse(value, "NL")
            valid = phonenumbers.is_valid_number(parsed)
        except phonenumbers.NumberParseException:
            valid = False
        if not valid:
            self.report.warn(where, "import-phone-invalid", f"telefoonnummer: '{_short(value)}' is geen geldig nummer",
                             "Niet overgenomen. Schrijf een nummer met netnummer, zoals 050 123 4567.")
            return None
        from .validate import DEMO_PHONE

        fictional = parsed.country_code == 31 and bool(DEMO_PHONE.match(str(parsed.national_number)))
        if self.demo(gemeente) and not fictional:
            self.report.warn(where, "import-phone-demo", f"telefoonnummer: '{value}' kan een echt nummer zijn, maar "
                             f"'{gemeente}' is een voorbeeldgemeente",
                             "Niet overgenomen: voorbeeldgegevens gebruiken alleen nummers als 050 000 0101.")
            return None
        if fictional and not self.demo(gemeente):
            self.report.warn(where, "import-phone-fictional", f"telefoonnummer: '{value}' is een voorbeeldnummer",
                             "Niet overgenomen: in een echte gemeente hoort een echt nummer.")
            return None
        if parsed.country_code == 31:
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    def postcode(self, where, value, gemeente: str) -> str | None:
        value = self.text(where, value, "postcode", 10)
        if not value:
            return None
        m = _POSTCODE.match(value)
        if not m:
            self.report.warn(where, "import-postcode-invalid", f"postcode: '{_short(value)}' is geen postcode als 1234 AB",
                             "De locatie is niet overgenomen. Schrijf de postcode als 1234 AB.")
            return None
        code = f"{m.group(1)} {m.group(2).upper()}"
        if self.demo(gemeente) != code.startswith("0"):
            self.report.warn(where, "import-postcode-demo", f"postcode: '{code}' past niet bij "
                             f"{'een voorbeeldgemeente' if self.demo(gemeente) else 'een echte gemeente'}",
                             "De locatie is niet overgenomen. Voorbeeldgegevens gebruiken postcodes die met 0 "
                             "beginnen; echte postcodes lopen van 1000 tot 9999.")
            return None
        return code

    def number(self, where, value, what: str, lo: float, hi: float, integer: bool = False) -> float | int | None:
        if value is None or value == "":
            return None
        try:
            number = float(str(_unguard(str(value))).strip().replace(",", "."))
        except ValueError:
            self.report.warn(where, "import-number-invalid", f"{what}: '{_short(str(value))}' is geen getal",
                             "Niet overgenomen.")
            return None
        if integer:
            if not number.is_integer():
                self.report.warn(where, "import-number-invalid", f"{what}: '{value}' is geen geheel getal",
                                 "Niet overgenomen.")
                return None
            number = int(number)
        if not lo <= number <= hi:
            self.report.warn(where, "import-number-range", f"{what}: {value} ligt niet tussen {lo:g} en {hi:g}",
                             "Niet overgenomen.")
            return None
        return number

    def term(self, where, field_name: str, value: Any) -> str | None:
        """One id for a list field (roles, life_domains, …), through the mapping's value map or the taxonomy."""
        raw = self.text(where, value, TERM_FIELDS[field_name], 200)
        if not raw:
            return None
        key = raw.lower()
        mapped = self.value_maps.get(field_name, {}).get(key)
        if mapped is not None:
            return mapped if mapped in self.terms[field_name] else None  # the mapping itself was checked
        if raw in self.terms[field_name]:
            return raw
        if slugify(raw) in self.terms[field_name]:
            return slugify(raw)
        by_name = self.term_names[field_name].get(key) or self.term_names[field_name].get(slugify(raw))
        if by_name:
            return by_name
        close = difflib.get_close_matches(slugify(raw), sorted(self.terms[field_name]), n=1, cutoff=0.75)
        self.report.warn(where, "import-value-unmapped",
                         f"{TERM_FIELDS[field_name]} '{_short(raw)}' bestaat niet in de Sociale Kaart",
                         (f"Bedoelde u '{close[0]}'? " if close else "")
                         + f"Zet onder 'values: {field_name}:' in de mapping welk id erbij hoort.")
        return None

    def terms_of(self, where, field_name: str, values: Iterable[Any]) -> list[str]:
        out: list[str] = []
        for v in values:
            tid = self.term(where, field_name, v)
            if tid and tid not in out:
                out.append(tid)
        return out

    def choice(self, where, field_name: str, value: Any, allowed: Iterable[str], what: str) -> str | None:
        raw = self.text(where, value, what, 200)
        if not raw:
            return None
        mapped = self.value_maps.get(field_name, {}).get(raw.lower(), raw)
        allowed = tuple(allowed)
        if mapped in allowed:
            return mapped
        lowered = {a.lower(): a for a in allowed}
        if str(mapped).lower() in lowered:
            return lowered[str(mapped).lower()]
        self.report.warn(where, "import-value-unmapped", f"{what} '{_short(raw)}' kan niet worden overgenomen",
                         f"Kies uit {', '.join(allowed)}, of zet onder 'values: {field_name}:' in de mapping wat "
                         "het betekent.")
        return None


def _unguard(value: str) -> str:
    """Undo the OWASP guard of a spreadsheet-safe export ('+31 … → +31 …)."""
    if value[:1] == FORMULA_GUARD and value[1:2] and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def _looks_like_formula(value: str) -> bool:
    # "+31 50 …" and "- een lijst" are ordinary; "+A1*2", "-2+3" and "+cmd|…" are what a spreadsheet would compute
    body = value[1:].lstrip()
    return bool(body) and not body[0].isdigit() and not body[0].isalpha() and body[0] not in " '\"(" \
        or bool(re.match(r"^[+-]\s*[0-9.,]+\s*[-+*/^&]", value)) or bool(re.match(r"^[+-][A-Za-z]+[0-9]*[(|!]", value))


def _short(value: str, limit: int = 60) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _split(value: Any, separator: str) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if value is None or value == "":
        return []
    return [v.strip() for v in str(value).split(separator) if v.strip()]


# building records -----------------------------------------------------------------------------------------------
def ordered(data: dict, order: tuple[str, ...]) -> dict:
    return {k: data[k] for k in order if k in data and data[k] not in (None, [], {}, "")}


def _unique_id(base: str, taken: set[str], fallback: str) -> str:
    base = slugify(base) or fallback
    rid, n = base, 2
    while rid in taken:
        rid = f"{base[:limits.MAX_ID_LENGTH - 4]}-{n}"
        n += 1
    taken.add(rid)
    return rid


@dataclass
class Candidate:
    """A provider record made from one source row."""

    data: dict
    gemeente: str
    row: Row

    @property
    def id(self) -> str:
        return self.data["id"]


def _strip_demo(text: str | None) -> str | None:
    if text and text.startswith(DEMO_NOTE):
        return text[len(DEMO_NOTE):].lstrip() or None
    return text


def _hours(value: str | None) -> str | None:
    """HSDS time ("09:00", "09:00:00", "09:00:00+01:00") as our "HH:MM"."""
    if not value:
        return None
    m = _TIME.match(value.strip())
    if not m:
        return None
    hour, minute = int(m.group(1)), m.group(2)
    if hour == 24 and minute != "00":
        return None
    return f"{hour:02d}:{minute}"


class HsdsConverter:
    """HSDS 3 organization objects → provider records."""

    def __init__(self, clean: Cleaner, gemeente_of: Callable[[Row], str | None], verified_by: str,
                 existing_ids: dict[str, str], defaults: dict[str, Any], terms_by_id: dict[str, dict] | None = None):
        self.clean = clean
        self.terms_by_id = terms_by_id or {}  # taxonomy_term_id → term, for attributes without the term object
        self.defaults = defaults
        self.gemeente_of = gemeente_of
        self.verified_by = verified_by
        self.existing_ids = existing_ids  # HSDS organization id (UUIDv5 of our id) → our id

    def convert(self, row: Row, taken: set[str]) -> Candidate | None:
        org, report, c = row.values, self.clean.report, self.clean
        gemeente = self.gemeente_of(row)
        if gemeente is None:
            return None
        name = c.name(row.at("name"), org.get("name"), "naam")
        if not name:
            report.error(row.at("name"), "import-name-missing", "deze organisatie heeft geen naam",
                         "Elke aanbieder heeft een naam nodig; vul die in de bron in.")
            return None
        own = None
        identifiers = []
        for oi in _objects(org.get("organization_identifiers")):
            where = _at(oi, row, "identifier")
            kind = str(oi.get("identifier_type", "")).strip()
            value = str(oi.get("identifier", "")).strip()
            if kind == OWN_ID_TYPE:
                own = value
                continue
            key = IDENTIFIER_BY_LABEL.get(kind.lower()) or (kind.lower() if kind.lower() in IDENTIFIER_TYPES else None)
            if key is None and oi.get("identifier_scheme") == "NL-KVK":
                key = "kvk"
            digits = value.replace(" ", "")
            if key and re.fullmatch(r"[0-9]{8}|[0-9]{20}", digits):
                identifiers.append({"type": key, "value": digits})
            else:
                report.warn(where, "import-identifier-unmapped", f"registratienummer '{_short(kind)}: {_short(value)}' "
                            "kan niet worden overgenomen", "Alleen KvK-nummers, AGB-codes (8 cijfers) en OIN's "
                            "(20 cijfers) passen in de Sociale Kaart.")
        rid = self.existing_ids.get(str(org.get("id")))
        if rid is None and own and slugify(own) == own:
            rid = own
        if rid is None or rid in taken:
            rid = _unique_id(name, taken, "aanbieder")
        else:
            taken.add(rid)
        links = self._links(row, org)
        for kind in ("roles", "life_domains", "target_groups"):
            if not links[kind] and self.defaults.get(kind):
                links[kind] = list(self.defaults[kind])
        data: dict[str, Any] = {
            "id": rid, "name": name,
            "alternate_name": c.name(row.at("alternate_name"), org.get("alternate_name"), "andere naam"),
            "description": _strip_demo(c.text(row.at("description"), org.get("description"), "omschrijving")),
            "roles": links["roles"], "life_domains": links["life_domains"], "target_groups": links["target_groups"],
            "website": c.url(row.at("website"), org.get("website")),
            "email": c.email(row.at("email"), org.get("email")),
            "phones": self._phones(row, org, gemeente),
            "always_available": True if links["always"] else None,
            "organization_identifiers": identifiers,
        }
        locations, by_hsds = [], {}
        location_taken: set[str] = set()
        for loc in _objects(org.get("locations")):
            made = self._location(row, loc, gemeente, location_taken)
            if made:
                locations.append(made)
                by_hsds[str(loc.get("id"))] = made["id"]
        services, service_taken, dates = [], set(), []
        for svc in _objects(org.get("services")):
            made = self._service(row, svc, by_hsds, service_taken, dates)
            if made:
                services.append(made)
        if not data["description"]:
            data["description"] = next((s["description"] for s in services if s.get("description")), None)
        if not services and data["description"]:
            services = [ordered({"id": _unique_id(name, service_taken, "dienst"), "name": name,
                                 "description": data["description"], "status": "active"}, SERVICE_ORDER)]
            report.warn(row.at("services"), "import-service-made", f"'{name}' heeft geen diensten: één dienst met "
                        "dezelfde naam en omschrijving gemaakt", "Pas de dienst aan of splits hem in kaart.")
        data["services"] = services
        data["locations"] = locations
        data["verified"] = {"date": max(dates) if dates else _today(), "by": self.verified_by}
        return Candidate(ordered(data, PROVIDER_ORDER), gemeente, row)

    def _links(self, row: Row, obj: dict) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {"roles": [], "life_domains": [], "target_groups": [], "laws": [], "always": []}
        kinds = {"role": "roles", "life_domain": "life_domains", "target_group": "target_groups", "law": "laws",
                 "rollen": "roles", "levensgebieden": "life_domains", "doelgroepen": "target_groups",
                 "wetten": "laws"}
        for attr in _objects(obj.get("attributes")):
            term = attr.get("taxonomy_term") if isinstance(attr.get("taxonomy_term"), dict) else \
                self.terms_by_id.get(str(attr.get("taxonomy_term_id")), {})
            where = _at(attr, row, "taxonomy_term_id")
            if term.get("code") == "voorbeeldgegevens":
                continue  # our own demo marker: the gemeente says whether a record is demo
            if term.get("code") == ALWAYS_TERM["id"]:
                out["always"] = [ALWAYS_TERM["id"]]  # our own export of `always_available: true`
                continue
            kind = kinds.get(str(attr.get("link_type", "")).lower()) or kinds.get(str(term.get("taxonomy", "")).lower())
            if kind is None:
                guess = [k for k in ("life_domains", "target_groups", "roles")
                         if self.clean.value_maps.get(k, {}).get(str(term.get("code") or term.get("name", "")).lower())]
                kind = guess[0] if guess else None
            if kind is None:
                self.clean.report.warn(where, "import-value-unmapped",
                                       f"kenmerk '{_short(str(term.get('name') or term.get('code') or attr.get('value', '')))}'"
                                       " hoort niet bij een levensgebied, doelgroep, rol of wet",
                                       "Zet onder 'values:' in een mapping (--mapping) welk id erbij hoort.")
                continue
            tid = self.clean.term(where, kind, term.get("code") or term.get("name") or attr.get("value"))
            if tid and tid not in out[kind]:
                out[kind].append(tid)
        return out

    def _phones(self, row: Row, obj: dict, gemeente: str) -> list[dict]:
        out = []
        for ph in _objects(obj.get("phones")):
            number = self.clean.phone(_at(ph, row, "number"), ph.get("number"), gemeente)
            if not number:
                continue
            kind = ph.get("type")
            out.append(ordered({"number": number,
                                "type": kind if kind in ("voice", "text", "cell", "fax", "video", "textphone") else None,
                                "description": self.clean.text(_at(ph, row, "description"), ph.get("description"),
                                                               "toelichting telefoon")}, ("number", "type", "description")))
        return out

    def _location(self, row: Row, loc: dict, gemeente: str, taken: set[str]) -> dict | None:
        c = self.clean
        addresses = [a for a in _objects(loc.get("addresses")) if a.get("address_type", "physical") == "physical"]
        if not addresses:
            c.report.warn(_at(loc, row, "id"), "import-location-no-address",
                          f"locatie '{_short(str(loc.get('name', loc.get('id'))))}' heeft geen bezoekadres",
                          "Niet overgenomen: een locatie in de Sociale Kaart heeft een straat, postcode en plaats.")
            return None
        addr = addresses[0]
        street = c.name(_at(addr, row, "address_1"), addr.get("address_1"), "straat")
        postcode = c.postcode(_at(addr, row, "postal_code"), addr.get("postal_code"), gemeente)
        city = c.name(_at(addr, row, "city"), addr.get("city"), "plaats")
        if not (street and postcode and city):
            if street and city and not postcode:
                return None  # the postcode warning says why
            c.report.warn(_at(addr, row, "address_1"), "import-location-no-address",
                          "het adres mist straat, postcode of plaats", "De locatie is niet overgenomen.")
            return None
        name = c.name(_at(loc, row, "name"), loc.get("name"), "naam locatie") or street
        lid = _unique_id(str(loc.get("external_identifier")) if loc.get("external_identifier_type") == OWN_ID_TYPE
                         else name, taken, "locatie")
        hours, exceptions = [], []
        for s in _objects(loc.get("schedules")):
            self._schedule(row, s, hours, exceptions)
        return ordered({
            "id": lid, "name": name, "address": {"street": street, "postcode": postcode, "city": city},
            "latitude": c.number(_at(loc, row, "latitude"), loc.get("latitude"), "breedtegraad", 50.7, 53.6),
            "longitude": c.number(_at(loc, row, "longitude"), loc.get("longitude"), "lengtegraad", 3.3, 7.3),
            "accessibility": [t for t in (c.text(_at(a, row, "description"), a.get("description"), "toegankelijkheid")
                                          for a in _objects(loc.get("accessibility"))) if t],
            "opening_hours": hours, "exceptions": exceptions,
            "phones": self._phones(row, loc, gemeente),
        }, LOCATION_ORDER)

    def _schedule(self, row: Row, s: dict, hours: list, exceptions: list) -> None:
        where = _at(s, row, "opens_at")
        opens, closes = _hours(s.get("opens_at")), _hours(s.get("closes_at"))
        if closes == "00:00":
            closes = "24:00"  # HSDS has no 24:00; export.hsds_time writes midnight as 00:00:00
        if s.get("valid_from") and s.get("valid_from") == s.get("valid_to") and _DATE.match(str(s["valid_from"])):
            description = str(s.get("description") or "")
            closed = description.startswith("Gesloten") or not (opens and closes)
            reason = re.sub(r"^(Gesloten|Afwijkende openingstijden):?\s*", "", description).strip()
            ex: dict[str, Any] = {"date": s["valid_from"]}
            if closed:
                ex["closed"] = True
            else:
                ex["opens"], ex["closes"] = opens, closes
            if reason:
                ex["description"] = self.clean.name(_at(s, row, "description"), reason, "reden")
            exceptions.append(ordered(ex, ("date", "closed", "opens", "closes", "description")))
            return
        days = [d.strip().upper() for d in str(s.get("byday") or "").split(",") if d.strip()]
        if str(s.get("freq", "WEEKLY")).upper() != "WEEKLY" or not days or any(d not in DAYS for d in days) \
                or not (opens and closes) or opens >= closes:
            self.clean.report.warn(where, "import-schedule-unmapped",
                                   f"openingstijd '{_short(str(s.get('description') or s.get('byday') or s.get('id')))}'"
                                   " kan niet als vaste weektijd worden overgenomen",
                                   "Alleen wekelijkse tijden (freq WEEKLY, byday, opens_at en closes_at) passen. "
                                   "Vul de tijden met de hand in bij opening_hours.")
            return
        hours.append({"days": days, "opens": opens, "closes": closes})

    def _service(self, row: Row, svc: dict, location_ids: dict[str, str], taken: set[str], dates: list) -> dict | None:
        c = self.clean
        name = c.name(_at(svc, row, "name"), svc.get("name"), "naam dienst")
        description = _strip_demo(c.text(_at(svc, row, "description"), svc.get("description"), "omschrijving dienst"))
        if not name:
            c.report.warn(_at(svc, row, "name"), "import-service-no-name", "een dienst zonder naam is overgeslagen",
                          "Geef de dienst een naam in de bron.")
            return None
        cost = None
        for option in _objects(svc.get("cost_options")):
            kind = COST_BY_LABEL.get(str(option.get("option", "")).strip().lower())
            if kind is None:
                kind = c.choice(_at(option, row, "option"), "cost", option.get("option"), COST_LABELS, "kosten")
            if kind:
                cost = ordered({"type": kind, "description": c.text(_at(option, row, "amount_description"),
                                                                    option.get("amount_description"), "uitleg kosten")},
                               ("type", "description"))
                break
        if cost is None and svc.get("fees_description"):
            text = c.text(_at(svc, row, "fees_description"), svc.get("fees_description"), "kosten")
            if text:
                label, _, rest = text.partition(":")
                kind = COST_BY_LABEL.get(label.strip().lower())
                cost = {"type": kind, **({"description": rest.strip()} if rest.strip() else {})} if kind \
                    else {"type": "wisselend", "description": text}
        wait = None
        if svc.get("wait_time"):
            m = _WAIT.match(str(svc["wait_time"]))
            if m:
                wait = {"description": m.group("description"), "date": m.group("date"), "public": True}
            else:
                c.report.warn(_at(svc, row, "wait_time"), "import-wait-time-no-date",
                              f"wachttijd '{_short(str(svc['wait_time']))}' heeft geen peildatum",
                              "Niet overgenomen: vul de wachttijd met peildatum in bij waiting_time.")
        status = svc.get("status", "active")
        if status not in STATUSES:
            c.report.warn(_at(svc, row, "status"), "import-value-unmapped", f"status '{_short(str(status))}' bestaat niet",
                          f"Kies uit {', '.join(STATUSES)}; nu is 'active' gebruikt.")
            status = "active"
        if svc.get("assured_date") and _DATE.match(str(svc["assured_date"])):
            dates.append(str(svc["assured_date"]))
        links = self._links(row, svc)
        for kind in ("roles", "life_domains", "target_groups"):
            if links[kind]:
                c.report.warn(_at(svc, row, "attributes"), "import-service-attribute",
                              f"dienst '{name}': {TERM_FIELDS[kind]} bij een dienst past alleen bij de aanbieder",
                              "Zet het bij de aanbieder als dat klopt.")
        sal = [location_ids[str(x.get("location_id"))] for x in _objects(svc.get("service_at_locations"))
               if str(x.get("location_id")) in location_ids]
        languages = c.terms_of(_at(svc, row, "languages"), "languages",
                               [lang.get("code") or lang.get("name") for lang in _objects(svc.get("languages"))])
        return ordered({
            "id": _unique_id(name, taken, "dienst"), "name": name, "description": description or name,
            "status": status,
            "application_process": c.text(_at(svc, row, "application_process"), svc.get("application_process"),
                                          "aanvragen"),
            "eligibility": c.text(_at(svc, row, "eligibility_description"), svc.get("eligibility_description"),
                                  "voor wie"),
            "minimum_age": c.number(_at(svc, row, "minimum_age"), svc.get("minimum_age"), "minimumleeftijd", 0, 120, True),
            "maximum_age": c.number(_at(svc, row, "maximum_age"), svc.get("maximum_age"), "maximumleeftijd", 0, 120, True),
            "languages": languages, "cost": cost, "laws": links["laws"], "location_ids": list(dict.fromkeys(sal)),
            "waiting_time": wait,
        }, SERVICE_ORDER)


def known_terms(model) -> dict[str, dict]:
    """Our own taxonomy terms by their HSDS id, as `kaart export` writes them: its attributes name a term by
    taxonomy_term_id only (export.Hsds.attributes), and this gives the term object they used to hold."""
    from .export import Hsds

    return {term["id"]: term for term in Hsds(model).all_terms()}


def _objects(value) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _at(obj: dict, row: Row, name: str) -> tuple[str, int, int]:
    """Where a value of a nested HSDS object was: its own table row (tables) or its organization (JSON)."""
    own = obj.get("__row__")
    return own.at(name) if isinstance(own, Row) else row.at(name)


def _today() -> str:
    from .validate import today

    return today().isoformat()


# CSV / Excel with a mapping ------------------------------------------------------------------------------------------
@dataclass
class Mapping:
    columns: dict[str, str]
    values: dict[str, dict[str, Any]]
    defaults: dict[str, Any]
    verified: dict[str, str]
    gemeente: str | None = None
    delimiter: str | None = None
    encoding: str = "utf-8"
    sheet: str | None = None
    list_separator: str = ";"


def load_mapping(path: Path, terms: dict[str, set[str]]) -> Mapping:
    """The mapping file, checked against schemas/import-mapping.schema.json and against the data's ids."""
    from .schemas import schema_problems

    doc, problems = load_file(path)
    if doc is None:
        raise ImportFailed(problems)
    problems = schema_problems("import-mapping", doc)
    if problems:
        raise ImportFailed(problems)
    m = doc.data
    for field_name, table in (m.get("values") or {}).items():
        allowed = terms.get(field_name)
        if field_name == "cost":
            allowed = set(COST_LABELS)
        elif field_name == "status":
            allowed = set(STATUSES)
        for source, target in table.items():
            if allowed is not None and target not in allowed:
                close = difflib.get_close_matches(str(target), sorted(allowed), n=1)
                problems.append(Problem(doc.path, *doc.pos(("values", field_name, source)), ERROR,
                                        "mapping-unknown-value", f"'{target}' is geen bekende waarde voor {field_name}",
                                        (f"Bedoelde u '{close[0]}'? " if close else "")
                                        + f"Kies uit: {', '.join(sorted(allowed)[:12])}."))
    for field_name, value in (m.get("defaults") or {}).items():
        allowed = terms.get(field_name) or (set(COST_LABELS) if field_name == "cost" else None)
        for i, v in enumerate(value if isinstance(value, list) else [value]):
            if allowed is not None and v not in allowed:
                where = ("defaults", field_name, i) if isinstance(value, list) else ("defaults", field_name)
                problems.append(Problem(doc.path, *doc.pos(where), ERROR, "mapping-unknown-value",
                                        f"'{v}' is geen bekende waarde voor {field_name}",
                                        f"Kies uit: {', '.join(sorted(allowed)[:12])}."))
    if problems:
        raise ImportFailed(problems)
    return Mapping(columns=m.get("columns") or {}, values=m.get("values") or {}, defaults=m.get("defaults") or {},
                   verified=m.get("verified") or {}, gemeente=m.get("gemeente"), delimiter=m.get("delimiter"),
                   encoding=m.get("encoding", "utf-8"), sheet=m.get("sheet"),
                   list_separator=m.get("list_separator", ";"))


class TableConverter:
    """One CSV/Excel row → one provider record, through the mapping."""

    def __init__(self, clean: Cleaner, mapping: Mapping, gemeente: str, source_name: str):
        self.clean, self.m, self.gemeente = clean, mapping, gemeente
        self.verified_by = mapping.verified.get("by") or f"Import uit {source_name}, nog niet gecontroleerd"

    def cell(self, row: Row, field_name: str) -> tuple[tuple[str, int, int], Any]:
        column = self.m.columns.get(field_name)
        if column is None:
            return row.at(), None
        return row.at(column), row.get(column)

    def convert(self, row: Row, taken: set[str]) -> Candidate | None:
        c, report = self.clean, self.clean.report
        where, raw = self.cell(row, "name")
        name = c.name(where, raw, "naam")
        if not name:
            report.error(where, "import-name-missing", "deze regel heeft geen naam",
                         "Elke aanbieder heeft een naam nodig: vul die in, of haal de regel weg.")
            return None
        where, raw_id = self.cell(row, "id")
        if raw_id:
            rid = slugify(str(raw_id))
            if rid in taken:
                report.error(where, "import-id-duplicate", f"het id '{rid}' komt in dit bestand al eerder voor",
                             "Elke regel is één aanbieder met een eigen id; voeg de regels samen of geef een ander id.")
                return None
            taken.add(rid)
        else:
            rid = _unique_id(name, taken, "aanbieder")

        def text(field_name, what, limit=limits.MAX_TEXT_LENGTH):
            where, raw = self.cell(row, field_name)
            return c.text(where, raw, what, limit) if raw not in (None, "") else self.m.defaults.get(field_name)

        def terms(field_name):
            where, raw = self.cell(row, field_name)
            found = c.terms_of(where, field_name, _split(raw, self.m.list_separator))
            default = self.m.defaults.get(field_name)
            return found or (list(default) if isinstance(default, list) else [default] if default else [])

        description = text("description", "omschrijving")
        identifiers = []
        for key in IDENTIFIER_TYPES:
            where, raw = self.cell(row, key)
            value = re.sub(r"[\s.]", "", _unguard(str(raw or "")))
            if not value:
                continue
            if re.fullmatch(r"[0-9]{8}|[0-9]{20}", value):
                identifiers.append({"type": key, "value": value})
            else:
                report.warn(where, "import-identifier-invalid", f"{IDENTIFIER_TYPES[key]} '{_short(str(raw))}' is geen "
                            "geldig nummer", "Niet overgenomen: een KvK- of AGB-nummer heeft 8 cijfers, een OIN 20.")
        phones = []
        where, raw = self.cell(row, "phone")
        for number in _split(raw, self.m.list_separator):
            formatted = c.phone(where, number, self.gemeente)
            if formatted:
                phones.append({"number": formatted, "type": "voice"})
        location = self._location(row, rid)
        where, raw_cost = self.cell(row, "cost")
        cost_type = c.choice(where, "cost", raw_cost, COST_LABELS, "kosten") if raw_cost else self.m.defaults.get("cost")
        service_name = text("service_name", "naam dienst", limits.MAX_NAME_LENGTH) or name
        service = ordered({
            "id": _unique_id(service_name, set(), "dienst"), "name": " ".join(service_name.split()),
            "description": text("service_description", "omschrijving dienst") or description,
            "status": (c.choice(self.cell(row, "status")[0], "status", self.cell(row, "status")[1], STATUSES,
                                "status") if self.cell(row, "status")[1] else None)
            or self.m.defaults.get("status", "active"),
            "application_process": text("application_process", "aanvragen"),
            "eligibility": text("eligibility", "voor wie"),
            "minimum_age": c.number(*self.cell(row, "minimum_age"), "minimumleeftijd", 0, 120, True),
            "maximum_age": c.number(*self.cell(row, "maximum_age"), "maximumleeftijd", 0, 120, True),
            "languages": terms("languages"),
            "cost": ordered({"type": cost_type, "description": text("cost_description", "uitleg kosten")},
                            ("type", "description")) if cost_type else None,
            "laws": terms("laws"),
            "location_ids": [location["id"]] if location else None,
        }, SERVICE_ORDER)
        where, raw_date = self.cell(row, "verified_date")
        date = _unguard(str(raw_date or "")).strip() or self.m.verified.get("date") or _today()
        if not _DATE.match(date):
            report.warn(where, "import-date-invalid", f"controledatum '{_short(date)}' is geen datum als JJJJ-MM-DD",
                        "De datum van vandaag is gebruikt; pas verified.date aan.")
            date = _today()
        data = ordered({
            "id": rid, "name": name,
            "alternate_name": c.name(*self.cell(row, "alternate_name"), "andere naam"),
            "description": description,
            "roles": terms("roles"), "life_domains": terms("life_domains"), "target_groups": terms("target_groups"),
            "website": c.url(*self.cell(row, "website")), "email": c.email(*self.cell(row, "email")),
            "phones": phones, "organization_identifiers": identifiers, "services": [service],
            "locations": [location] if location else None,
            "verified": {"date": date, "by": text("verified_by", "gecontroleerd door", 120) or self.verified_by},
        }, PROVIDER_ORDER)
        return Candidate(data, self.gemeente, row)

    def _location(self, row: Row, rid: str) -> dict | None:
        c = self.clean
        street = c.name(*self.cell(row, "street"), "straat")
        postcode = c.postcode(*self.cell(row, "postcode"), self.gemeente) if self.cell(row, "postcode")[1] else None
        city = c.name(*self.cell(row, "city"), "plaats")
        if not (street or postcode or city):
            return None
        if not (street and postcode and city):
            if not (street and city and self.cell(row, "postcode")[1]):  # (a bad postcode was reported already)
                c.report.warn(self.cell(row, "street")[0], "import-location-no-address",
                              "het adres mist straat, postcode of plaats", "De locatie is niet overgenomen.")
            return None
        name = c.name(*self.cell(row, "location_name"), "naam locatie") or street
        where, raw = self.cell(row, "accessibility")
        return ordered({
            "id": slugify(name) or "locatie", "name": name,
            "address": {"street": street, "postcode": postcode, "city": city},
            "latitude": c.number(*self.cell(row, "latitude"), "breedtegraad", 50.7, 53.6),
            "longitude": c.number(*self.cell(row, "longitude"), "lengtegraad", 3.3, 7.3),
            "accessibility": [t for t in (c.text(where, v, "toegankelijkheid")
                                          for v in _split(raw, self.m.list_separator)) if t],
        }, LOCATION_ORDER)


# writing YAML ------------------------------------------------------------------------------------------------------
class _Flow(dict):
    """A mapping written on one line ({street: …, postcode: …}), as in the hand-written records."""


# libyaml's emitter is ~5x faster than PyYAML's (10 000 records: ~12 s → ~2.5 s), but it writes a list under a key
# without extra indentation ("services:\n- id: …"); _indent_lists moves such lists in, as editors write them.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data):  # our loader refuses anchors and aliases
        return True


#: A key, list items, or both ("- - id: x"): group 1 the dashes, group 2 the key, group 3 what follows it.
_LINE = re.compile(r" *((?:- |-$)*)(?:([A-Za-z_][\w-]*):(?= |$))?(.*)")
#: The header of a block scalar (description: >-): its text follows on the lines indented deeper.
_BLOCK_HEADER = re.compile(r"^ *[|>][-+]?$")


def _indent_lists(text: str) -> str:
    """Indent every block list two spaces under its key ("services:\n  - id: …"). Each open list adds two spaces to
    every line inside it, the text of a block scalar included, so values stay as they were. A value that goes on
    over more lines (a long quoted text, a long list on one line) makes the result unsure: then it is loaded and
    compared, and the emitter's own text is kept when anything differs."""
    # lists: each open list's column of "- " and what it adds to the indentation: 2 for a list under a key, which
    # the emitter writes at the key's column; 0 for a list in a list ("- - a"), which is indented already.
    out, lists, unsure = [], [], False
    shift = 0
    block = -1  # the column of a block scalar's header while in its text
    deepest = None  # the deepest column the next line may have; deeper means it continues a value
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if not stripped:
            out.append(line)
            continue
        col = len(line) - len(stripped)
        if block >= 0:
            if col > block:
                out.append(" " * shift + line)
                continue
            block = -1
        if deepest is not None and col > deepest:
            unsure = True  # the rest of a value from a line above
            out.append(" " * shift + line)
            continue
        dashes, key, rest = _LINE.match(line).groups()
        while lists and (col < lists[-1][0] or (col == lists[-1][0] and not dashes)):
            shift -= lists.pop()[1]
        depth = dashes.count("-")
        for j in range(depth):
            if not lists or lists[-1][0] < col + 2 * j:
                lists.append((col + 2 * j, 0 if j else 2))
                shift += 0 if j else 2
        out.append(" " * shift + line)
        rest = rest.strip()
        if _BLOCK_HEADER.match(rest):
            block, deepest = col, None
        elif not rest:
            deepest = None  # a nested mapping or list follows
        else:  # a value on this line: a sibling key, or the next item of the innermost list, comes next
            deepest = col + 2 * depth if key else col + 2 * max(depth - 1, 0)
    result = "\n".join(out)
    if unsure:
        try:
            same = yaml.load(result, Loader=_SafeLoader) == yaml.load(text, Loader=_SafeLoader)
        except yaml.YAMLError:
            same = False
        return result if same else text
    return result


def _represent_list(dumper, data):
    flow = bool(data) and all(isinstance(v, str) and len(v) <= 40 for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_str(dumper, data):
    if len(data) > 80 and "\n" not in data and "  " not in data and data == data.strip():
        style = ">"
    elif data[:1].isdigit() or data[:1] in "+-" or dumper.resolve(yaml.ScalarNode, data, (True, False)) != \
            "tag:yaml.org,2002:str":
        style = '"'  # times, dates, postcodes, numbers and phone numbers stay text, quoted as in the examples
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))


# A faster way to the same text: for the plain records an import makes (dicts, lists, str, int, float, bool) the
# lines libyaml + _indent_lists would write are built directly. Only what is certain is built this way: a value
# libyaml could write otherwise (a string with a tab or a line break, text that would wrap, a float such as 1e-05,
# an empty list, a list in a list, any other type) makes _fast_body give up (None) and the record goes the slow way.
# tests/test_import.py compares both on generated records (Hypothesis), on every record of data/ and on an import.
_WIDTH = 100  # yaml.dump(width=…) below; libyaml breaks a line only at a space after this column
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
#: Does the resolver have an implicit type for text that starts so? (Resolver.resolve looks only at those; a
#: wildcard resolver, key None, would apply to all text.)
_MAY_RESOLVE = (lambda first: True) if None in _RESOLVER.yaml_implicit_resolvers else \
    frozenset(_RESOLVER.yaml_implicit_resolvers).__contains__
#: Text libyaml writes as it is, in every style: printable as libyaml decides it (its check leaves out everything
#: beyond U+FFFF, such as emoji, which it escapes), no line break (\x85, \u2028, \u2029), no tab, no byte order mark.
_AS_IS = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+")
_FIRST_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")
_FLOW_INDICATORS = re.compile(r"[,?\[\]{}:]")


class _Slow(Exception):
    """This value is not certain on the fast path: write the record with yaml.dump."""


def _plain_allowed(s: str, flow: bool) -> bool:
    """libyaml's analyze_scalar for text that matches _AS_IS: may it be written plain (unquoted)?"""
    if s[0] == " " or s[-1] == " " or s.startswith(("---", "...")):
        return False
    first = s[0]
    if first in _FIRST_INDICATORS:
        return False
    if first in "?:" and (flow or len(s) == 1 or s[1] == " "):
        return False
    if first == "-" and (len(s) == 1 or s[1] == " "):
        return False
    if flow and _FLOW_INDICATORS.search(s, 1):
        return False
    if s.find(": ", 1) >= 0 or (len(s) > 1 and s[-1] == ":") or " #" in s:
        return False
    return True


#: Short texts come back often (types, statuses, days, times, taxonomy ids): their written form, per context.
_SHORT_TEXT: tuple[dict[str, str], dict[str, str]] = ({}, {})


def _scalar(value, flow: bool) -> str:
    """One scalar on one line, as _represent_str (or PyYAML's representer) and libyaml write it."""
    kind = type(value)
    if kind is str and len(value) <= 40:
        cache = _SHORT_TEXT[flow]
        text = cache.get(value)
        if text is None:
            text = _text(value, flow)
            if len(cache) < 50_000:
                cache[value] = text
        return text
    return _text(value, flow) if kind is str else _other(value, kind)


def _text(value: str, flow: bool) -> str:
    if _AS_IS.fullmatch(value) is None:
        raise _Slow
    if len(value) > 80 and "\n" not in value and "  " not in value and value == value.strip():
        raise _Slow  # folded (>-) in a block, double quoted and maybe wrapped in a flow: the caller decides
    if value[:1].isdigit() or value[:1] in "+-" or \
            (_MAY_RESOLVE(value[:1]) and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != _STR_TAG):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if _plain_allowed(value, flow):
        return value
    return "'" + value.replace("'", "''") + "'"


def _other(value, kind) -> str:
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        text = repr(value)
        if _FLOAT.fullmatch(text) is None:
            raise _Slow
        return text
    raise _Slow


_PLAIN_KEYS: set[str] = set()


def _key(key) -> str:
    if key in _PLAIN_KEYS and type(key) is str:
        return key
    if type(key) is not str or _KEY.fullmatch(key) is None or \
            _RESOLVER.resolve(yaml.ScalarNode, key, (True, False)) != _STR_TAG:
        raise _Slow
    if len(_PLAIN_KEYS) < 1000:
        _PLAIN_KEYS.add(key)
    return key


def _folds(value: str) -> bool:
    return len(value) > 80 and "\n" not in value and "  " not in value and value == value.strip() and \
        _AS_IS.fullmatch(value) is not None


def _fold(value: str, column: int) -> list[str]:
    """The lines of a folded block scalar (>-) whose text libyaml starts at `column`: a space becomes a line
    break when the line is already longer than the width (libyaml's yaml_emitter_write_folded_scalar)."""
    words = value.split(" ")
    lines, line, col = [], words[0], column + len(words[0])
    for word in words[1:]:
        if col > _WIDTH:
            lines.append(line)
            line, col = word, column + len(word)
        else:
            line += " " + word
            col += 1 + len(word)
    lines.append(line)
    return lines


def _flow(value) -> str:
    """A value inside a flow collection ({…} or […]): flow all the way down."""
    kind = type(value)
    if kind is list:
        if not value:
            raise _Slow
        return "[" + ", ".join([_flow(v) for v in value]) + "]"
    if kind is _Flow:
        if not value:
            raise _Slow
        return "{" + ", ".join([f"{_key(k)}: {_flow(v)}" for k, v in value.items()]) + "}"
    if kind is str and len(value) > 80:
        raise _Slow  # double quoted in a flow, and possibly wrapped
    return _scalar(value, True)


def _block_list(items: list, col: int, shift: int, out: list[str]) -> None:
    """Items of a list under a key: "- " at `col` (libyaml writes it at the key's column, col - 2, hence shift)."""
    pad = " " * col
    for item in items:
        kind = type(item)
        if kind is dict:
            if not item:
                raise _Slow
            _block_map(item, col + 2, shift, out, pad + "- ")
        elif kind is str and _folds(item):
            out.append(pad + "- >-")
            text = " " * (col + 2)
            out.extend(text + line for line in _fold(item, col + 2 - shift))
        elif kind is list:
            raise _Slow  # "- - a": _indent_lists has its own rules for these
        else:
            line = pad + "- " + (_flow(item) if kind is _Flow else _scalar(item, False))
            if len(line) - shift > _WIDTH:
                raise _Slow
            out.append(line)


def _block_map(data: dict, col: int, shift: int, out: list[str], first: str | None = None) -> None:
    """A block mapping with its keys at `col` of the written text; `shift` is what _indent_lists added to
    libyaml's column for these lines (2 for every list under a key around them); `first` starts the first line
    ("- " of a list item)."""
    pad = " " * col
    lead = pad if first is None else first
    for key, value in data.items():
        start = lead + _key(key) + ":"
        lead = pad
        kind = type(value)
        if kind is str and _folds(value):
            out.append(start + " >-")
            text = " " * (col + 2)
            out.extend(text + line for line in _fold(value, col + 2 - shift))
            continue
        if kind is dict:
            if not value:
                raise _Slow
            out.append(start)
            _block_map(value, col + 2, shift, out)
            continue
        if kind is list:
            if not value:
                raise _Slow
            if not all(isinstance(v, str) and len(v) <= 40 for v in value):  # _represent_list's choice
                out.append(start)
                _block_list(value, col + 2, shift + 2, out)
                continue
            line = start + " " + _flow(value)
        elif kind is _Flow:
            line = start + " " + _flow(value)
        else:
            line = start + " " + _scalar(value, False)
        if len(line) - shift > _WIDTH:
            raise _Slow
        out.append(line)


def _fast_body(data: dict) -> str | None:
    """What _indent_lists(yaml.dump(data, …)) in to_yaml returns, or None when that is not certain."""
    out: list[str] = []
    try:
        if type(data) is not dict or not data:
            return None
        _block_map(data, 0, 0, out)
    except _Slow:
        return None
    return "\n".join(out) + "\n"


def to_yaml(data: dict, source: str) -> str:
    """A readable record file: the scaffold's field order, addresses and opening hours on one line each."""
    data = dict(data)  # the caller's record stays as it was (kaart check reads it: _stage_into)
    if "locations" in data:
        data["locations"] = [_one_line_parts(loc) for loc in data["locations"]]
    body = _fast_body(data)
    if body is None:
        body = _slow_body(data)
    return (f"# Geïmporteerd met kaart import uit {source}.\n"
            "# Controleer alle velden (zie /bijdragen/velden/) en zet daarna de datum en uw naam bij verified.\n"
            + body)


def _one_line_parts(location: dict) -> dict:
    """A copy of a location whose address, opening hours and exceptions are written on one line each."""
    loc = dict(location)
    loc["address"] = _Flow(loc["address"])
    for k in ("opening_hours", "exceptions"):
        if loc.get(k):
            loc[k] = [_Flow(part) for part in loc[k]]
        else:
            loc.pop(k, None)
    return loc


def _slow_body(data: dict) -> str:
    """The record through PyYAML's representer and libyaml's emitter, then _indent_lists."""
    return _indent_lists(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_WIDTH,
                                   default_flow_style=False))


# the import --------------------------------------------------------------------------------------------------------
@dataclass
class Result:
    written: list[Path] = field(default_factory=list)
    new: list[Path] = field(default_factory=list)
    changed: list[tuple[Path, str]] = field(default_factory=list)  # path, unified diff
    unchanged: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    round_trip_notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


def import_records(source: str, path: Path, data_dir: Path, gemeente: str | None = None,
                   mapping_path: Path | None = None, dry_run: bool = False, update: bool = False) -> Result:
    """Import `path` into `data_dir`. Raises ImportFailed for a source that cannot be read at all; otherwise the
    Result holds every problem and, when there are no errors and it is not a dry run, the written files."""
    from .validate import paused_gc

    with paused_gc():  # reading 10 000 records builds only acyclic containers, as kaart check does
        return _import_records(source, path, data_dir, gemeente, mapping_path, dry_run, update)


def _import_records(source: str, path: Path, data_dir: Path, gemeente: str | None, mapping_path: Path | None,
                    dry_run: bool, update: bool) -> Result:
    from .validate import check

    path, data_dir = Path(path), Path(data_dir)
    shown = display_path(path)
    if not path.exists():
        raise _fail((shown, 1, 1), "import-missing", f"'{shown}' bestaat niet", "Controleer de naam en de map.")
    model, problems = check(data_dir)
    if model is None:
        errors = [p for p in problems if p.severity == ERROR]
        raise ImportFailed(errors + [Problem(str(data_dir), 1, 1, ERROR, "import-data-invalid",
                                             "de gegevens in --data bevatten al fouten; er is niets geïmporteerd",
                                             "Los eerst de fouten hierboven op (kaart check).")])
    gemeenten = model.gemeenten
    if gemeente is not None and gemeente != NATIONAL and gemeente not in gemeenten:
        close = difflib.get_close_matches(gemeente, sorted(gemeenten), n=1)
        raise _fail(("--gemeente", 1, 1), "import-gemeente-unknown", f"'{gemeente}' is geen gemeente in de kaart",
                    (f"Bedoelde u '{close[0]}'? " if close else "") + "Kies een id uit data/gemeenten.yaml of "
                    "'landelijk'.")
    terms = {k: set(model.terms.get(k, {})) for k in ("life_domains", "target_groups", "languages", "laws")}
    terms["roles"] = set(model.roles)
    names = {k: {str(t.get("name", "")).lower(): tid for tid, t in model.terms.get(k, {}).items()} for k in terms
             if k != "roles"}
    names["roles"] = {r.name.lower(): rid for rid, r in model.roles.items()}
    for k in names:
        names[k].update({slugify(n): tid for n, tid in list(names[k].items())})
    mapping = load_mapping(mapping_path, terms) if mapping_path else None
    if source in ("csv", "xlsx") and (mapping is None or not mapping.columns):
        raise _fail((display_path(mapping_path) if mapping_path else "--mapping", 1, 1), "import-mapping-missing",
                    f"--from {source} heeft een mapping met 'columns' nodig",
                    "Geef met --mapping een YAML-bestand dat onder 'columns:' zegt welke kolom welk veld is "
                    "(voorbeeld: docs/voorbeelden/import-mapping.yaml).")
    gemeente = gemeente or (mapping.gemeente if mapping else None)
    if gemeente is not None and gemeente != NATIONAL and gemeente not in gemeenten:
        raise _fail((display_path(mapping_path), 1, 1) if mapping_path else ("--gemeente", 1, 1),
                    "import-gemeente-unknown", f"'{gemeente}' is geen gemeente in de kaart",
                    "Kies een id uit data/gemeenten.yaml of 'landelijk'.")

    report = Report()
    clean = Cleaner(report, terms, names, mapping.values if mapping else {},
                    lambda g: bool(gemeenten.get(g, {}).get("demo")))
    # ids in this import must not clash with each other; an id that exists already means "the same record"
    import_taken: set[str] = set()
    candidates: list[Candidate] = []
    if source == "hsds":
        rows = read_hsds(path)
        by_name = {m["name"].lower(): mid for mid, m in gemeenten.items()}

        def gemeente_of(row: Row) -> str | None:
            if gemeente:
                return gemeente
            for area in _objects(row.values.get("services")):
                for sa in _objects(area.get("service_areas")):
                    name = str(sa.get("name", "")).lower()
                    if name == "nederland":
                        return NATIONAL
                    if name in by_name:
                        return by_name[name]
            for loc in _objects(row.values.get("locations")):
                for addr in _objects(loc.get("addresses")):
                    for key in ("region", "city"):
                        if str(addr.get(key, "")).lower() in by_name:
                            return by_name[str(addr[key]).lower()]
            report.error(row.at(), "import-gemeente-missing",
                         f"bij '{_short(str(row.values.get('name')))}' staat niet in welke gemeente hij werkt",
                         "Geef met --gemeente aan waar deze aanbieders horen (of 'landelijk').")
            return None

        existing = {hsds_id("organization", rid): rid for rid in model.providers}
        own_export = any(oi.get("identifier_type") == OWN_ID_TYPE for row in rows
                         for oi in _objects(row.values.get("organization_identifiers")))
        verified_by = (mapping.verified.get("by") if mapping else None) or f"Import uit {path.name}"
        converter: Any = HsdsConverter(clean, gemeente_of, verified_by, existing, mapping.defaults if mapping else {},
                                       known_terms(model))
        convert = converter.convert
    else:
        if gemeente is None:
            raise _fail(("--gemeente", 1, 1), "import-gemeente-missing", "in welke gemeente horen deze aanbieders?",
                        "Geef --gemeente SLUG (of zet 'gemeente:' in de mapping).")
        if source == "csv":
            header, rows = read_csv(path, mapping.delimiter, mapping.encoding)
        else:
            header, rows = read_xlsx(path, mapping.sheet)
        if not rows:
            raise _fail((shown, 2, 1), "import-empty", "onder de kolomnamen staan geen regels",
                        "Kies het bestand met de aanbieders erin.")
        _check_columns(mapping, header, mapping_path, shown)
        convert = TableConverter(clean, mapping, gemeente, path.name).convert
    for row in rows:
        made = convert(row, import_taken)
        if made is not None:
            if not made.data.get("life_domains"):
                report.error(row.at(), "import-life-domain-missing",
                             f"'{made.data['name']}' heeft geen levensgebied",
                             "Geef een kolom voor life_domains in de mapping, of zet een standaard onder "
                             "'defaults: life_domains:'.")
                continue
            if not made.data.get("description"):
                report.error(row.at(), "import-description-missing", f"'{made.data['name']}' heeft geen omschrijving",
                             "Vul een omschrijving in de bron in (het veld is verplicht).")
                continue
            candidates.append(made)
    result = Result(problems=report.problems)
    if source == "hsds" and own_export:
        result.round_trip_notes = [f"{k}: {v}" for k, v in ROUND_TRIP_LIMITS.items()]
    _compare(candidates, model, data_dir, result, path.name)
    if not result.ok:
        return result
    staged = _stage_and_check(candidates, data_dir, result, path.name)
    try:
        if not result.ok or dry_run:
            return result
        if result.changed and not update:
            result.problems.append(Problem(shown, 1, 1, ERROR, "import-changed",
                                           f"{len(result.changed)} aanbieder(s) bestaan al en zijn anders in de bron; "
                                           "er is niets geschreven", "Bekijk de verschillen hierboven. Herhaal met "
                                           "--update om ze over te nemen."))
            return result
        _move_into_place(staged, result)
    finally:
        shutil.rmtree(staged.parent, ignore_errors=True)
    return result


def _check_columns(mapping: Mapping, header: list[str], mapping_path: Path | None, shown: str) -> None:
    missing = [(f, col) for f, col in mapping.columns.items() if col not in header]
    if not missing:
        return
    problems = []
    for f, col in missing:
        close = difflib.get_close_matches(col, header, n=1, cutoff=0.6)
        problems.append(Problem(shown, 1, 1, ERROR, "import-column-missing",
                                f"de kolom '{col}' (voor {f}) staat niet in de eerste regel",
                                (f"Bedoelde u '{close[0]}'? " if close else "")
                                + f"Pas 'columns: {f}:' aan in {display_path(mapping_path) if mapping_path else 'de mapping'}. "
                                f"De kolommen zijn: {', '.join(h for h in header if h)[:300]}."))
    raise ImportFailed(problems)


def _fingerprints(data: dict) -> list[tuple[str, str]]:
    from .validate import _normalise

    out = [("KvK-nummer", oi["value"]) for oi in data.get("organization_identifiers", []) if oi["type"] == "kvk"]
    out += [("telefoonnummer", re.sub(r"\D", "", p["number"])) for p in data.get("phones", [])]
    if data.get("website"):
        out.append(("website", data["website"].lower().rstrip("/")))
    name = _normalise(data["name"])
    if name:
        out.append(("(bijna) dezelfde naam", name.replace(" ", "")))
    return out


def _compare(candidates: list[Candidate], model, data_dir: Path, result: Result, source: str) -> None:
    """New, changed or unchanged per candidate; likely duplicates of existing records and of each other."""
    seen: dict[tuple[str, str], str] = {}
    #: display_path of each gemeente folder: a file's own is that + its name (links are refused by the check)
    shown_folders: dict[str, str] = {}
    for rec in model.providers.values():
        for fp in _fingerprints(rec.data):
            seen.setdefault(fp, f"{rec.source} ({rec.id})")
    for cand in candidates:
        target = data_dir / "providers" / cand.gemeente / f"{cand.id}.yaml"
        existing = model.providers.get(cand.id)
        if existing is not None and existing.gemeente != cand.gemeente:
            result.problems.append(Problem(*cand.row.at("name"), ERROR, "import-id-elsewhere",
                                           f"het id '{cand.id}' bestaat al in {existing.source}",
                                           "Het hoort bij een andere gemeente. Geef deze aanbieder een ander id "
                                           "(kolom id in de mapping) of importeer in die gemeente."))
            continue
        fingerprints = _fingerprints(cand.data)
        for fp in fingerprints:
            other = seen.get(fp)
            if other is not None and not (existing is not None and other.endswith(f"({cand.id})")):
                result.problems.append(Problem(*cand.row.at("name"), WARNING, "import-duplicate",
                                               f"'{cand.data['name']}' lijkt dubbel: zelfde {fp[0]} als {other}",
                                               "Controleer of het dezelfde organisatie is; voeg ze dan samen."))
                break
        label = None  # display_path resolves the path (~10 lstat calls): once per folder, and only when needed
        for fp in fingerprints:
            if fp not in seen:
                if label is None:
                    folder = shown_folders.get(cand.gemeente)
                    if folder is None:
                        folder = shown_folders[cand.gemeente] = display_path(target.parent)
                    shown = target.name if folder == "." else os.path.join(folder, target.name)
                    label = f"{shown} (uit {source}:{cand.row.line})"
                seen[fp] = label
        if existing is not None:
            if existing.data == _plain(cand.data) or _same_record(existing.data, cand.data):
                result.unchanged.append(target)
            else:
                old_text = _read_text(target)
                new_text = to_yaml(cand.data, source)
                diff = "".join(difflib.unified_diff(old_text.splitlines(True), new_text.splitlines(True),
                                                    fromfile=f"{display_path(target)} (nu)",
                                                    tofile=f"{display_path(target)} (uit {source})"))
                result.changed.append((target, diff))
        else:
            result.new.append(target)


def _read_text(path) -> str:
    try:
        return Path(path).read_text("utf-8")
    except (OSError, TypeError):
        return ""


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def _same_record(old: dict, new: dict) -> bool:
    """Equal apart from what an import cannot know (the verified stamp)."""
    a = {k: v for k, v in old.items() if k != "verified"}
    b = {k: v for k, v in new.items() if k != "verified"}
    return normalise_record(a) == normalise_record(b)


def normalise_record(data: dict) -> Any:
    """A record as a value to compare semantically: phone numbers as digits, the default status filled in, service
    ids left out (HSDS has no place for them) and every list in a fixed order (the HSDS tables are sorted by id, so
    the order of services, phones or life domains does not survive them)."""
    data = _plain(data)
    for s in data.get("services", []):
        s.pop("id", None)
        s.setdefault("status", "active")
    return _sorted(data)


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _sorted(v) for k, v in value.items() if v not in ([], None)}
        if "number" in out and isinstance(out["number"], str):
            out["number"] = re.sub(r"\D", "", out["number"])
        return out
    if isinstance(value, list):
        return sorted((_sorted(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _stage_and_check(candidates: list[Candidate], data_dir: Path, result: Result, source: str) -> Path:
    """Write the new and changed records into a copy of data_dir and check that copy with the project's validator.
    Problems in the new files are reported at their source row."""
    stage_root = _stage_folder(data_dir)
    try:
        return _stage_into(stage_root / "data", candidates, data_dir, result, source)
    except BaseException:  # a full disk, Ctrl-C: the staging folder goes, --data was never touched
        shutil.rmtree(stage_root, ignore_errors=True)
        raise


def _stage_into(staged: Path, candidates: list[Candidate], data_dir: Path, result: Result, source: str) -> Path:
    from .validate import check

    shutil.copytree(data_dir, staged, copy_function=_link_or_copy)
    rows: dict[str, Row] = {}
    unchanged = set(result.unchanged)
    # the files are written here, not links: the resolved path is the resolved folder + the name (resolving every
    # file costs a dozen lstat calls each)
    staged_resolved = str(staged.resolve())
    folders: set[str] = set()
    jobs: list[tuple[Path, dict]] = []
    written: dict[str, dict] = {}  # what kaart check need not read back (to_yaml's text reads back as the data)
    for cand in candidates:
        if data_dir / "providers" / cand.gemeente / f"{cand.id}.yaml" in unchanged:
            continue
        target = staged / "providers" / cand.gemeente / f"{cand.id}.yaml"
        if cand.gemeente not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(cand.gemeente)
        jobs.append((target, cand.data))
        if _reads_back(cand.data):
            written[str(target)] = cand.data
        rows[os.path.join(staged_resolved, "providers", cand.gemeente, f"{cand.id}.yaml")] = cand.row
    _write_records(jobs, source)
    _, problems = check(staged, use_cache=False, written=written)
    for p in problems:
        row = rows.get(str(Path(p.path).resolve()))
        if row is None:
            # --data had no errors before (import_records checked): an error elsewhere is caused by the import
            if p.severity == ERROR:
                shown = display_path(data_dir / Path(p.path).resolve().relative_to(staged.resolve())) \
                    if Path(p.path).resolve().is_relative_to(staged.resolve()) else p.path
                result.problems.append(Problem(shown, p.line, p.col, p.severity, p.code, p.message, p.hint))
            continue
        if p.code in ("stale", "duplicate-provider"):
            continue  # an old source is not news; _compare reported duplicates with their source row
        result.problems.append(Problem(row.path, row.line, 1, p.severity, p.code,
                                       f"{p.message} (in het nieuwe bestand, regel {p.line})", p.hint))
    return staged


def _reads_back(value) -> bool:
    """Does the YAML that to_yaml writes for this value read back as exactly this value? Yes for text, whole and
    finite numbers, booleans and lists and mappings of them (tests/test_import.py holds to_yaml to that); a date,
    None or anything else is read back from the file by the check instead."""
    kind = type(value)
    if kind is str or kind is bool or kind is int:
        return True
    if kind is float:
        return value == value and value not in (float("inf"), float("-inf"))
    if kind is list:
        return all(_reads_back(v) for v in value)
    if kind is dict:
        return all(type(k) is str and _reads_back(v) for k, v in value.items())
    return False


def _write_records(jobs: list[tuple[Path, dict]], source: str) -> None:
    for target, data in jobs:
        if target.exists():
            target.unlink()  # a hard link to the original: never write through it
        target.write_text(to_yaml(data, source), "utf-8")


def _stage_folder(data_dir: Path) -> Path:
    """A new, empty folder for the staging copy: beside --data (same file system, so the checked files can be
    renamed into place), or in the system's temporary folder when --data's folder cannot be written."""
    try:
        return Path(tempfile.mkdtemp(prefix=".kaart-import-", dir=data_dir.resolve().parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix="kaart-import-"))


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _move_file(source: Path, target: Path) -> None:
    """Rename a staged file onto its place in --data; across file systems copy it to a temporary name beside the
    target first and rename that (the target is never half written)."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        tmp = target.with_name(f".{target.name}.import")
        try:
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _move_into_place(staged: Path, result: Result) -> None:
    """Move the checked files from the staging copy into --data (each one renamed, not written again), and undo
    the moves done so far if anything fails or interrupts halfway (all-or-nothing; see the module docstring)."""
    data_dir_files = result.new + [p for p, _ in result.changed]
    done: list[tuple[Path, bytes | None]] = []
    made: list[Path] = []  # folders this import created, removed again on failure
    try:
        for target in data_dir_files:
            data_dir = target.parents[2]
            source = staged / target.relative_to(data_dir)
            previous = target.read_bytes() if target.exists() else None
            if not target.parent.is_dir():
                missing, folder = [], target.parent
                while not folder.is_dir():
                    missing.append(folder)
                    folder = folder.parent
                target.parent.mkdir(parents=True, exist_ok=True)
                made += reversed(missing)  # outermost first; undone innermost first
            _move_file(source, target)
            done.append((target, previous))
    except BaseException:
        for target, previous in reversed(done):
            if previous is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(previous)
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
    result.written = [t for t, _ in done]
