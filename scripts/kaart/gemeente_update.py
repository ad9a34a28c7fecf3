"""`kaart gemeenten`: the yearly update of the gemeente list and the PC4 table from new CBS and PDOK files.

Input files have the same columns as the verified extracts the project started from (CBS 86247NED:
`code,name,province,province_code`; PDOK PC4 counts: `pc4,gemeente_code,share,pc6_count,primary,note`).
What a gemeente's editors wrote (website, editors, entry point, description…) stays. A gemeente whose code is gone
has merged: its successor is the new gemeente that now holds most of its postcodes, and data/redirects.yaml gets a
line so its old address keeps working. Providers in the old folder are not moved: `kaart check` then names the
successor, so a person decides.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .gemeenten import (CBS_COLUMNS, CODE, GEMEENTEN_HEADER, PC4, PDOK_COLUMNS, POSTCODES_DIR, PROVINCES,
                        TABLE_HEADER, read_csv, read_table, slugify, table_files)
from .problems import ERROR, Problem
from .pages import url
from .redirects import FILE_NAME as REDIRECTS_FILE

#: Keys of a gemeente entry that come from CBS; an entry with nothing else is written on one line.
CBS_KEYS = ("id", "code", "name", "province", "demo", "verified")
KEY_ORDER = ("id", "code", "name", "province", "demo", "website", "postcodes", "editors", "first_entry_point",
             "client_support", "description", "verified")


@dataclass
class Report:
    gemeenten: int = 0
    added: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    merged: list[tuple[str, str | None]] = field(default_factory=list)  # (old id, successor id or None)
    postcodes: int = 0
    removed_postcodes: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"{self.gemeenten} gemeenten, {self.postcodes} postcodes."]
        if self.added:
            shown = ", ".join(self.added[:10]) + (f" en nog {len(self.added) - 10}" if len(self.added) > 10 else "")
            lines.append(f"Nieuw ({len(self.added)}): {shown}.")
        for old, new in self.renamed:
            lines.append(f"Nieuwe naam: {old} heet nu {new} (doorverwijzing in data/{REDIRECTS_FILE}).")
        for old, new in self.merged:
            lines.append(f"Opgegaan: {old} → {new} (doorverwijzing in data/{REDIRECTS_FILE})." if new else
                         f"Verdwenen: {old}; geen opvolger gevonden. "
                         f"Zet zelf een doorverwijzing in data/{REDIRECTS_FILE}.")
        if self.removed_postcodes:
            lines.append(f"Vervallen postcodes (met opmerking bewaard): {', '.join(self.removed_postcodes)}.")
        lines.append("Controleer nu met: kaart check")
        return "\n".join(lines)


def _read_cbs(path: Path) -> tuple[list[dict], list[Problem]]:
    raw, problems = read_csv(path, CBS_COLUMNS)
    out, seen = [], set()
    for line, (code, name, province, _), cols in raw:
        if not CODE.match(code) or code.startswith("GM99"):
            problems.append(Problem(str(path), line, cols[0], ERROR, "cbs-code", f"'{code}' is geen CBS-gemeentecode",
                                    "Gebruik het bestand van het CBS: GM en vier cijfers, bijvoorbeeld GM0363."))
        elif code in seen:
            problems.append(Problem(str(path), line, cols[0], ERROR, "cbs-code-duplicate",
                                    f"{code} staat twee keer in de lijst",
                                    "Elke gemeente staat één keer in het CBS-bestand."))
        elif province not in PROVINCES:
            problems.append(Problem(str(path), line, cols[2], ERROR, "cbs-province", f"'{province}' is geen provincie",
                                    "Gebruik de provincienaam van het CBS: " + ", ".join(PROVINCES) + "."))
        elif not name.strip() or not slugify(name):
            problems.append(Problem(str(path), line, cols[1], ERROR, "cbs-name", f"gemeente {code} heeft geen naam",
                                    "Vul de naam van de gemeente in."))
        else:
            seen.add(code)
            out.append({"code": code, "name": name.strip(), "province": province})
    return out, problems


def _read_pdok(path: Path, codes: set[str]) -> tuple[list[tuple[str, str, float, str]], list[Problem]]:
    raw, problems = read_csv(path, PDOK_COLUMNS)
    out = []
    for line, (pc4, code, share, _, _, note), cols in raw:
        if not PC4.match(pc4):
            problems.append(Problem(str(path), line, cols[0], ERROR, "postcode-invalid", f"'{pc4}' is geen PC4",
                                    "Een PC4 is vier cijfers van 1000 tot 9999."))
            continue
        if code not in codes:
            problems.append(Problem(str(path), line, cols[1], ERROR, "postcode-gemeente-unknown",
                                    f"postcode {pc4} hoort bij {code}, maar die staat niet in het CBS-bestand",
                                    "Gebruik een PC4-bestand en een CBS-bestand van hetzelfde jaar."))
            continue
        try:
            value = float(share)
        except ValueError:
            value = -1.0
        if not 0 < value <= 1:
            problems.append(Problem(str(path), line, cols[2], ERROR, "postcode-share",
                                    f"aandeel '{share}' is geen getal groter dan 0 en hoogstens 1",
                                    "Gebruik het PC4-bestand zoals het gemaakt is."))
            continue
        out.append((pc4, code, value, note))
    return out, problems


class _Dumper(yaml.SafeDumper):
    """PyYAML writes YAML 1.1 and leaves '0108' unquoted (not octal in 1.1); a YAML 1.2 reader sees the number 108.
    Teaching the dumper 1.2's integers makes it quote such text, as it already quotes '0101'."""


_Dumper.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))


def dump(value, **options) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, **options)


def _entry_line(entry: dict) -> str:
    ordered = {k: entry[k] for k in KEY_ORDER if k in entry}
    ordered.update({k: v for k, v in entry.items() if k not in ordered})
    if set(ordered) <= set(CBS_KEYS):
        flow = dump(ordered, default_flow_style=True, width=10_000)
        return f"  - {flow.strip()}\n"
    block = dump([ordered], width=110, default_flow_style=None)
    return "".join("  " + line + "\n" for line in block.splitlines())


def _add_redirects(path: Path, moves: dict[str, str], new_items: list[dict]) -> None:
    """Append redirects to data/redirects.yaml without losing its comments; point old redirects at the successor."""
    text = path.read_text(encoding="utf-8") if path.exists() else "redirects: []\n"
    for old, new in moves.items():
        text = re.sub(rf"(\bto:\s*){re.escape(old)}(\s)", rf"\g<1>{new}\g<2>", text)
    if not new_items:
        path.write_text(text, encoding="utf-8")
        return
    lines = "".join(f"  - from: {i['from']}\n    to: {i['to']}\n" for i in new_items)
    if re.search(r"^redirects:\s*\[\]\s*$", text, flags=re.M):
        text = re.sub(r"^redirects:\s*\[\]\s*$", "redirects:", text, flags=re.M)
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + lines, encoding="utf-8")


def update(data_dir: Path, cbs: Path, pc4: Path, year: int) -> tuple[Report | None, list[Problem]]:
    data_dir = Path(data_dir)
    muni_path = data_dir / "municipalities.yaml"
    new_gemeenten, problems = _read_cbs(cbs)
    pdok, more = _read_pdok(pc4, {g["code"] for g in new_gemeenten})
    problems += more
    tables = table_files(data_dir)
    if tables and year < tables[-1][0]:
        problems.append(Problem(str(pc4), 1, 1, ERROR, "year-older",
                                f"er is al een postcodelijst van {tables[-1][0]}; {year} is ouder",
                                f"Geef met --jaar het jaar van de nieuwe bestanden, bijvoorbeeld {tables[-1][0] + 1}."))
    if problems:
        return None, problems
    try:
        old = (yaml.safe_load(muni_path.read_text(encoding="utf-8")) or {}).get("municipalities") or []
    except (OSError, yaml.YAMLError) as exc:
        return None, [Problem(str(muni_path), 1, 1, ERROR, "file-unreadable", f"kan municipalities.yaml niet lezen: {exc}",
                              "Los eerst de fouten op die 'kaart check' meldt.")]
    report = Report()
    demo = [m for m in old if m.get("demo")]
    old_real = {m["code"]: m for m in old if not m.get("demo")}
    taken = {m["id"] for m in demo}
    entries: list[dict] = []
    moves: dict[str, str] = {}  # old page → new page
    id_of: dict[str, str] = {}  # code → id in the new list
    for g in new_gemeenten:
        before = old_real.get(g["code"])
        entry = dict(before) if before else {"id": slugify(g["name"]), "code": g["code"]}
        if before and before["name"] != g["name"] and slugify(g["name"]) != before["id"]:
            entry["id"] = slugify(g["name"])
            report.renamed.append((before["name"], g["name"]))
        if entry["id"] in taken:
            entry["id"] = f"{entry['id']}-{slugify(g['province'])}"
        taken.add(entry["id"])
        entry.update(name=g["name"], province=g["province"], demo=False)
        if not before or set(before) <= set(CBS_KEYS):  # CBS data only: CBS vouches for it this year
            entry["verified"] = {"date": f"{year}-01-01", "by": f"CBS, Gebieden in Nederland {year}"}
        if not before:
            report.added.append(g["name"])
        elif entry["id"] != before["id"]:
            moves[url("gemeente", before["id"])] = url("gemeente", entry["id"])
        id_of[g["code"]] = entry["id"]
        entries.append(entry)

    # merged: the successor is the gemeente that now holds most of the old gemeente's postcodes
    old_rows = read_table(tables[-1][1])[0] if tables else []
    new_main: dict[str, str] = {}
    for code_pc4, code, share, _ in sorted(pdok, key=lambda r: -r[2]):
        new_main.setdefault(code_pc4, code)
    for code, before in sorted(old_real.items()):
        if code in id_of:
            continue
        votes = Counter(new_main[r.pc4] for r in old_rows if r.gemeente == code and r.pc4 in new_main)
        successor = id_of[votes.most_common(1)[0][0]] if votes else None
        report.merged.append((before["id"], successor))
        if successor:
            moves[url("gemeente", before["id"])] = url("gemeente", successor)
    redirect_items = [{"from": old, "to": new} for old, new in moves.items()]

    # the PC4 table: this year's rows, plus a row with a note for every postcode that disappeared
    names = {m["code"]: m["name"] for m in old}
    new_pc4 = {r[0] for r in pdok}
    rows = [(p, c, f"{s:.4f}".rstrip("0").rstrip("."), n) for p, c, s, n in pdok]
    carried = set()
    for r in old_rows:
        if r.pc4 in new_pc4 or r.pc4 in carried:
            continue
        carried.add(r.pc4)
        note = r.note if not r.gemeente else (f"vervallen in {year}: staat niet meer in de PDOK-lijst "
                                              f"(hoorde bij {names.get(r.gemeente, r.gemeente)})")
        rows.append((r.pc4, "", "", note))
        if r.gemeente:
            report.removed_postcodes.append(r.pc4)
    rows.sort(key=lambda r: (r[0], r[2] == "", -float(r[2] or 0), r[1]))

    # write: the gemeente list, the table, the redirects; then keep only this year's and last year's table
    body = "".join(_entry_line(m) for m in demo + sorted(entries, key=lambda m: m["id"]))
    muni_path.write_text(GEMEENTEN_HEADER.format(year=year) + "municipalities:\n" + body, encoding="utf-8")
    folder = data_dir / POSTCODES_DIR
    folder.mkdir(exist_ok=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["pc4", "gemeente", "aandeel", "opmerking"])
    writer.writerows(rows)
    (folder / f"pc4-{year}.csv").write_text(TABLE_HEADER.format(year=year) + out.getvalue(), encoding="utf-8")
    for old_year, path in table_files(data_dir)[:-2]:
        path.unlink()
    _add_redirects(data_dir / REDIRECTS_FILE, moves, redirect_items)
    report.gemeenten = len(entries)
    report.postcodes = len(new_pc4)
    return report, []
