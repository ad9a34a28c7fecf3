"""Every gemeente and every postcode: the PC4 table in data/postcodes/, its checks, the browser's compact lookup,
and the yearly update from new CBS and PDOK files (`kaart gemeenten`).

The gemeente list lives in data/municipalities.yaml (one line per gemeente without local data). The PC4 table is
a CSV file per year, data/postcodes/pc4-<jaar>.csv: `pc4,gemeente,aandeel,opmerking`, one row per (PC4, gemeente)
pair, gemeente as CBS code so that a new name never touches the table. A PC4 that disappears keeps a row with an
empty gemeente and a note: the site can then say why, and `kaart check` can hold last year's file against this
year's. Only the newest two years are kept.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .problems import ERROR, Problem

POSTCODES_DIR = "postcodes"
TABLE_NAME = re.compile(r"^pc4-(\d{4})\.csv$")
TABLE_COLUMNS = ["pc4", "gemeente", "aandeel", "opmerking"]
CBS_COLUMNS = ["code", "name", "province", "province_code"]
PDOK_COLUMNS = ["pc4", "gemeente_code", "share", "pc6_count", "primary", "note"]
#: The provinces as CBS names them (86247NED); the schema's enum holds the same list.
PROVINCES = ("Drenthe", "Flevoland", "Fryslân", "Gelderland", "Groningen", "Limburg", "Noord-Brabant",
             "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland")
#: Shares are written with four decimals, so the parts of a straddling PC4 may miss 1 by a rounding step or two.
SHARE_TOLERANCE = 0.0005
CODE = re.compile(r"^GM\d{4}$")
PC4 = re.compile(r"^[1-9]\d{3}$")

PROVENANCE = """\
# Bronnen (zie ook /open-data/ op de site):
# - Gemeenten, CBS-codes en provincies: CBS (Statistics Netherlands), Gebieden in Nederland {year} (86247NED),
#   CC BY 4.0, https://www.cbs.nl/nl-nl/over-ons/website/copyright. Stand op 1 januari {year}.
# - Postcode (PC4) naar gemeente, met het aandeel per gemeente als een PC4 in twee gemeenten ligt: afgeleid uit de
#   BAG (publiek domein) via de PDOK Locatieserver (PC6-postcodes geteld per gemeente), gecontroleerd met
#   GeoNames (geonames.org, CC BY 4.0): voor elke PC4 hoort de grootste gemeente ook bij GeoNames. Voor de
#   uitvoer van de Locatieserver zelf vonden we geen licentieverklaring; de BAG is publiek domein.
# - Websites van gemeenten: alleen als een bron ze bevestigt. Voor de meeste gemeenten hebben we nog geen
#   gecontroleerde website; de site zegt dat eerlijk.
"""

GEMEENTEN_HEADER = """\
# Gemeenten. Echte gemeenten alleen met een CBS-code waar we zeker van zijn.
# Voorbeeldstad is verzonnen (demo: true, code GM9901: geen echte gemeente gebruikt GM99xx;
# postcodes beginnen met 0: die bestaan in Nederland niet).
#
# De echte gemeenten komen uit de CBS-lijst en worden elk jaar bijgewerkt met:
#   kaart gemeenten --cbs gemeenten.csv --pc4 pc4.csv --jaar {year}
# Lokale gegevens (website, editors, first_entry_point, client_support, description) blijven daarbij staan.
#
""" + PROVENANCE

TABLE_HEADER = """\
# Postcodegebieden (PC4) en hun gemeente op 1 januari {year}. Eén regel per postcode en gemeente.
# aandeel: deel van de PC6-postcodes in die gemeente (1 = helemaal). Ligt een PC4 in twee gemeenten, dan zijn er
# twee regels en tellen de aandelen op tot 1. Is een postcode vervallen, dan blijft hij staan met een lege
# gemeente en een opmerking waarom.
# Gemaakt met 'kaart gemeenten'; pas dit bestand niet met de hand aan.
#
""" + PROVENANCE


def slugify(name: str) -> str:
    """A gemeente's id: 'Súdwest-Fryslân' → 'sudwest-fryslan', "'s-Gravenhage" → 's-gravenhage'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


@dataclass(frozen=True)
class Row:
    pc4: str
    gemeente: str  # CBS code; "" for a postcode that no longer exists
    share: float | None
    note: str
    line: int
    col: tuple[int, ...]  # column where each field starts, for messages


def read_csv(path: Path, columns: list[str], shown: str | None = None) -> tuple[list[tuple[int, list[str], tuple]],
                                                                               list[Problem]]:
    """Rows of a small CSV file with their line numbers; lines starting with '#' are comments (our headers)."""
    shown = shown or str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return [], [Problem(shown, 1, 1, ERROR, "file-unreadable", f"kan het bestand niet lezen: {exc.strerror}",
                            "Controleer de bestandsnaam.")]
    except UnicodeDecodeError:
        return [], [Problem(shown, 1, 1, ERROR, "encoding-not-utf8", "het bestand is geen UTF-8",
                            "Bewaar het bestand als UTF-8 (CSV UTF-8 in Excel).")]
    rows, problems = [], []
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = next(csv.reader(io.StringIO(line)))
        cols, at = [], 1
        for f in fields:
            cols.append(at)
            at += len(f) + 1
        if not header_seen:
            header_seen = True
            if fields != columns:
                problems.append(Problem(shown, number, 1, ERROR, "csv-columns",
                                        f"de kolommen zijn '{','.join(fields)}'",
                                        f"De eerste regel (na het commentaar) moet zijn: {','.join(columns)}"))
                return [], problems
            continue
        if len(fields) != len(columns):
            problems.append(Problem(shown, number, 1, ERROR, "csv-columns",
                                    f"deze regel heeft {len(fields)} velden in plaats van {len(columns)}",
                                    f"Schrijf per regel: {','.join(columns)} (laat een veld leeg, maar zet de komma's)."))
            continue
        rows.append((number, fields, tuple(cols)))
    if not header_seen:
        problems.append(Problem(shown, 1, 1, ERROR, "file-empty", "het bestand heeft geen kopregel en geen gegevens",
                                f"Begin met de regel: {','.join(columns)}"))
    return rows, problems


def table_files(data_dir: Path) -> list[tuple[int, Path]]:
    """The PC4 tables of a data directory as (year, path), oldest first."""
    folder = Path(data_dir) / POSTCODES_DIR
    if not folder.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in folder.iterdir() if (m := TABLE_NAME.match(p.name))]
    return sorted(found)


def read_table(path: Path, shown: str | None = None) -> tuple[list[Row], list[Problem]]:
    shown = shown or str(path)
    raw, problems = read_csv(path, TABLE_COLUMNS, shown)
    rows = []
    for number, (pc4, code, share, note), cols in raw:
        if not PC4.match(pc4):
            problems.append(Problem(shown, number, cols[0], ERROR, "postcode-invalid",
                                    f"'{pc4}' is geen postcodegebied (PC4)",
                                    "Een PC4 is vier cijfers van 1000 tot 9999, zonder letters."))
            continue
        value = None
        if code or share:
            try:
                value = float(share)
            except ValueError:
                value = -1.0
            if not 0 < value <= 1:
                problems.append(Problem(shown, number, cols[2], ERROR, "postcode-share",
                                        f"aandeel '{share}' bij postcode {pc4} is geen getal groter dan 0 en "
                                        "hoogstens 1",
                                        "Schrijf het deel van de postcode in deze gemeente, bijvoorbeeld 1 of 0.25."))
                continue
        rows.append(Row(pc4, code, value, note, number, cols))
    return rows, problems


def check_table(data_dir: Path, shown_dir: str, codes: dict[str, str]) -> tuple[list[Row], list[Problem]]:
    """Check the newest PC4 table and hold last year's against it. codes: CBS code → gemeente id of every
    gemeente in municipalities.yaml."""
    files = table_files(data_dir)
    if not files:
        return [], []
    year, path = files[-1]
    shown = f"{shown_dir}/{POSTCODES_DIR}/{path.name}"
    rows, problems = read_table(path, shown)
    by_pc4: dict[str, list[Row]] = {}
    for row in rows:
        by_pc4.setdefault(row.pc4, []).append(row)
        if not row.gemeente:
            if not row.note.strip():
                problems.append(Problem(shown, row.line, 1, ERROR, "postcode-removed-without-note",
                                        f"postcode {row.pc4} heeft geen gemeente en geen opmerking",
                                        "Vul de CBS-code van de gemeente in, of schrijf in 'opmerking' waarom deze "
                                        "postcode niet meer bestaat."))
            continue
        if not CODE.match(row.gemeente):
            problems.append(Problem(shown, row.line, row.col[1], ERROR, "postcode-gemeente-code",
                                    f"'{row.gemeente}' is geen CBS-gemeentecode",
                                    "Schrijf GM en vier cijfers, bijvoorbeeld GM0363."))
        elif row.gemeente not in codes:
            problems.append(Problem(shown, row.line, row.col[1], ERROR, "postcode-gemeente-unknown",
                                    f"postcode {row.pc4} hoort bij {row.gemeente}, maar die gemeente staat niet "
                                    "in data/municipalities.yaml",
                                    "Werk de gemeenten en postcodes samen bij met 'kaart gemeenten --cbs … --pc4 …', "
                                    "of zet de juiste CBS-code."))
    for pc4, parts in by_pc4.items():
        seen: set[str] = set()
        for row in parts:
            if row.gemeente in seen:
                problems.append(Problem(shown, row.line, 1, ERROR, "postcode-duplicate",
                                        f"postcode {pc4} staat twee keer bij {row.gemeente or 'geen gemeente'}",
                                        "Houd één regel per postcode en gemeente."))
            seen.add(row.gemeente)
        live = [r for r in parts if r.gemeente]
        if live and len(live) != len(parts):
            problems.append(Problem(shown, parts[0].line, 1, ERROR, "postcode-removed-and-live",
                                    f"postcode {pc4} is vervallen en hoort ook bij een gemeente",
                                    "Haal de regel zonder gemeente weg, of de regels met een gemeente."))
        total = sum(r.share or 0 for r in live)
        if live and abs(total - 1) > SHARE_TOLERANCE:
            problems.append(Problem(shown, live[0].line, live[0].col[2], ERROR, "postcode-share-sum",
                                    f"de aandelen van postcode {pc4} tellen op tot {total:.4f} in plaats van 1",
                                    "Ligt de postcode in één gemeente, zet dan aandeel 1. Ligt hij in meer "
                                    "gemeenten, dan tellen de aandelen samen op tot 1."))
    if len(files) > 1:
        prev_year, prev_path = files[-2]
        prev_shown = f"{shown_dir}/{POSTCODES_DIR}/{prev_path.name}"
        prev_rows, prev_problems = read_table(prev_path, prev_shown)
        problems += prev_problems
        reported: set[str] = set()
        for row in prev_rows:
            if row.pc4 not in by_pc4 and row.pc4 not in reported:
                reported.add(row.pc4)
                problems.append(Problem(prev_shown, row.line, 1, ERROR, "postcode-missing",
                                        f"postcode {row.pc4} stond in {prev_year} in de lijst, maar ontbreekt in "
                                        f"{path.name}",
                                        f"Zet in {path.name} de regel '{row.pc4},,,<waarom vervallen>' of zet de "
                                        "postcode terug bij zijn gemeente."))
    return rows, problems


# --- the browser's lookup ------------------------------------------------------------------------------------


def compact_lookup(gemeenten: list[tuple[str, str]], rows: list[Row], codes: dict[str, str],
                   extra: dict[str, str]) -> dict:
    """PC4 → gemeente for the browser, small enough for a phone (7.6 KB gzip for all of the Netherlands).

    gemeenten: [(url, name)] in the order the indexes below refer to; codes: CBS code → index;
    extra: PC4 → index for postcodes known only from municipalities.yaml (the demo gemeente).
    Shape: {"v": 2, "g": [[url, name], …], "r": [gap, length, index, …], "s": {pc4: [[index, share], …]},
    "x": {pc4: note}}. "r" lists runs of consecutive PC4s with the same (main) gemeente: each run starts `gap`
    numbers after the previous one ended. "s" holds the PC4s that lie in more than one gemeente, largest first;
    "x" the postcodes that no longer exist, with the reason.
    """
    main: dict[int, int] = {}
    split: dict[str, list[list]] = {}
    gone: dict[str, str] = {}
    for pc4, idx in extra.items():
        main[int(pc4)] = int(idx)
    by_pc4: dict[str, list[Row]] = {}
    for row in rows:
        by_pc4.setdefault(row.pc4, []).append(row)
    for pc4, parts in by_pc4.items():
        live = sorted((r for r in parts if r.gemeente in codes), key=lambda r: (-(r.share or 0), r.gemeente))
        if not live:
            if any(not r.gemeente for r in parts):
                gone[pc4] = parts[0].note
            continue
        main[int(pc4)] = int(codes[live[0].gemeente])
        if len(live) > 1:
            split[pc4] = [[int(codes[r.gemeente]), round(r.share or 0, 4)] for r in live]
    runs: list[int] = []
    prev_end = -1
    start = None
    for pc in sorted(main):
        if start is not None and pc == end + 1 and main[pc] == main[start]:
            end = pc
            continue
        if start is not None:
            runs += [start - prev_end - 1, end - start + 1, main[start]]
            prev_end = end
        start = end = pc
    if start is not None:
        runs += [start - prev_end - 1, end - start + 1, main[start]]
    return {"v": 2, "g": [list(g) for g in gemeenten], "r": runs, "s": dict(sorted(split.items())),
            "x": dict(sorted(gone.items()))}


def resolve(lookup: dict, pc4: str) -> list[int] | str | None:
    """What the browser script does, in Python (for tests and tools): indexes of the gemeenten of a PC4, largest
    share first; a note for a postcode that no longer exists; None when unknown."""
    if pc4 in lookup["x"]:
        return lookup["x"][pc4]
    if pc4 in lookup["s"]:
        return [i for i, _ in lookup["s"][pc4]]
    target, at, r = int(pc4), -1, lookup["r"]
    for k in range(0, len(r), 3):
        first = at + 1 + r[k]
        last = first + r[k + 1] - 1
        if first <= target <= last:
            return [r[k + 2]]
        if target < first:
            return None
        at = last
    return None
