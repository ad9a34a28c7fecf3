"""Hostile and broken imports: every case ends with exit 1, a Dutch `source:row:column: error: [code]` line that
says what to do, no traceback, and not one byte changed in --data (all-or-nothing)."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path
from typing import Callable

import pytest

from conftest import run_kaart
from kaart import limits
from kaart.cli import main

MAPPING = """\
columns: {name: Naam, description: Omschrijving, phone: Telefoon, website: Website, id: Id, life_domains: Gebied}
defaults: {life_domains: [zorg]}
verified: {date: "2026-10-01", by: Redactie Sociale Kaart}
"""
HEADER = "Naam,Omschrijving,Telefoon,Website,Id,Gebied\n"
GOOD_ROW = "Buurthuis Oost,Koffie en ontmoeting in de wijk.,050 000 0801,,,\n"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def csv_case(content: bytes | str, mapping: str = MAPPING, extra: tuple[str, ...] = ()) -> Callable:
    def make(tmp: Path) -> list[str]:
        source = tmp / "bron.csv"
        source.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        (tmp / "mapping.yaml").write_text(mapping, "utf-8")
        return ["--from", "csv", str(source), "--mapping", str(tmp / "mapping.yaml"), "--gemeente", "voorbeeldstad",
                *extra]
    return make


def hsds_case(content: bytes | str | None, name: str = "organizations.json", extra: tuple[str, ...] = ()) -> Callable:
    def make(tmp: Path) -> list[str]:
        source = tmp / name
        if content is None:
            source.mkdir()
        else:
            source.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return ["--from", "hsds", str(source), "--gemeente", "voorbeeldstad", *extra]
    return make


def xlsx_case(rows: list[list] | bytes, mapping: str = MAPPING.replace("Naam,", "Naam,"), sheet: str | None = None):
    def make(tmp: Path) -> list[str]:
        source = tmp / "bron.xlsx"
        if isinstance(rows, bytes):
            source.write_bytes(rows)
        else:
            from openpyxl import Workbook

            book = Workbook()
            for row in rows:
                book.active.append(row)
            book.save(source)
        text = mapping + (f"sheet: {sheet}\n" if sheet else "")
        (tmp / "mapping.yaml").write_text(text, "utf-8")
        return ["--from", "xlsx", str(source), "--mapping", str(tmp / "mapping.yaml"), "--gemeente", "voorbeeldstad"]
    return make


HSDS_ORG = {"id": "7d0b7c2e-0d43-4ff2-9b7e-1b1c1b1c1b1c", "name": "Buurthuis Oost", "description": "Ontmoeting.",
            "services": [{"id": "s1", "name": "Koffie", "status": "active", "description": "Koffie."}]}

#: name → (case, expected error code, a Dutch word the message must contain, row, column or None)
CASES: dict[str, tuple[Callable, str, str, int, int | None]] = {
    # encodings and file shapes
    "cp1252-instead-of-utf8": (csv_case(HEADER.encode() + "Café Oost,Koffie.,,,,\n".encode("cp1252")),
                               "import-encoding", "geen utf-8", 2, 4),
    "utf16": (csv_case(HEADER.encode("utf-16")), "import-encoding", "UTF-16", 1, 1),
    "binary-nul-bytes": (csv_case(HEADER.encode() + b"Oost,\x00\x00\x00,,,,\n"), "import-binary", "NUL", 2, 1),
    "empty-file": (csv_case(b""), "import-empty", "leeg", 1, 1),
    "header-only": (csv_case(HEADER), "import-empty", "geen regels", 2, 1),
    "empty-header": (csv_case(",,,\n" + GOOD_ROW), "import-no-header", "kolommen", 1, 1),
    "duplicate-column": (csv_case("Naam,Naam\nA,B\n"), "import-column-duplicate", "twee keer", 1, 2),
    "missing-column": (csv_case("Naam,Omschrijving\nA,B\n"), "import-column-missing", "staat niet in de eerste regel",
                       1, 1),
    "misspelled-column": (csv_case(HEADER.replace("Telefoon", "Telefon") + GOOD_ROW), "import-column-missing",
                          "Bedoelde u 'Telefon'", 1, 1),
    "row-too-long": (csv_case(HEADER + GOOD_ROW + "A,B,C,D,E,F,G,H\n"), "import-row-too-long", "vakken", 3, 7),
    "unbalanced-quote": (csv_case(HEADER + 'Oost,"Koffie en,,,,\n'), "import-csv-syntax", "geen geldige CSV", 2, 1),
    "cell-too-large": (csv_case(HEADER + "Oost," + "x" * 200_000 + ",,,,\n"), "import-csv-syntax", "veel te lang",
                       2, 1),
    # dangerous or unusable cells
    "formula-in-name": (csv_case(HEADER + '"=HYPERLINK(""https://kwaad.example"",""klik"")",Koffie.,,,,\n'),
                        "import-formula", "spreadsheetformule", 2, 1),
    "formula-at-sign": (csv_case(HEADER + "Oost,@SUM(A1:A9),,,,\n"), "import-formula", "spreadsheetformule", 2, 2),
    "formula-minus-cmd": (csv_case(HEADER + "Oost,\"-2+3+cmd|' /C calc'!A0\",,,,\n"), "import-formula",
                          "spreadsheetformule", 2, 2),
    "script-tag": (csv_case(HEADER + "Oost,<script>alert(1)</script>Koffie.,,,,\n"), "import-unsafe", "browser", 2, 2),
    "event-handler": (csv_case(HEADER + 'Oost,"<img src=x onerror=alert(1)>",,,,\n'), "import-unsafe", "browser",
                      2, 2),
    "iframe": (csv_case(HEADER + "<iframe src=https://kwaad.example>,Koffie.,,,,\n"), "import-unsafe", "browser", 2, 1),
    "javascript-url": (csv_case(HEADER + "Oost,Koffie.,,javascript:alert(document.cookie),,\n"), "import-unsafe",
                       "browser", 2, 4),
    "data-url": (csv_case(HEADER + 'Oost,Koffie.,,"data:text/html;base64,PHNjcmlwdD4=",,\n'), "import-unsafe",
                 "browser", 2, 4),
    "only-html-name": (csv_case(HEADER + "<b></b>,Koffie.,,,,\n"), "import-name-missing", "geen naam", 2, 1),
    "empty-name": (csv_case(HEADER + GOOD_ROW + ",Koffie.,,,,\n"), "import-name-missing", "geen naam", 3, 1),
    "duplicate-ids": (csv_case(HEADER + "Oost,Koffie.,,,oost,\nWest,Thee.,,,oost,\n"), "import-id-duplicate",
                      "al eerder", 3, 5),
    "description-too-long": (csv_case(HEADER + "Oost," + "lang " * 500 + ",,,,\n"), "import-description-missing",
                             "omschrijving", 2, 1),
    "id-of-other-gemeente": (lambda tmp: csv_case(HEADER + "Oost,Koffie.,,,buurthuis-de-linde,\n")(tmp)[:-1]
                             + ["westerdorp"], "import-id-elsewhere", "bestaat al", 2, 1),
    # the mapping file
    "mapping-yaml-syntax": (csv_case(HEADER + GOOD_ROW, "columns: {name: Naam\n"), "yaml-syntax", "", 0, None),
    "mapping-unknown-key": (csv_case(HEADER + GOOD_ROW, "colums: {name: Naam}\n"), "unknown-key", "columns", 1, 1),
    "mapping-unknown-field": (csv_case(HEADER + GOOD_ROW, "columns: {naam: Naam}\n"), "unknown-key", "name", 1, 11),
    "mapping-value-unknown-id": (csv_case(HEADER + GOOD_ROW, MAPPING + "values: {life_domains: {Gezondheid: zorgg}}\n"),
                                 "mapping-unknown-value", "Bedoelde u 'zorg'", 4, 25),
    "mapping-default-unknown": (csv_case(HEADER + GOOD_ROW, "columns: {name: Naam}\ndefaults: {life_domains: [toveren]}\n"),
                                "mapping-unknown-value", "toveren", 2, 27),
    "mapping-duplicate-key": (csv_case(HEADER + GOOD_ROW, "columns: {name: Naam}\ncolumns: {name: Naam}\n"),
                              "yaml-duplicate-key", "twee keer", 2, 1),
    "mapping-not-a-mapping": (csv_case(HEADER + GOOD_ROW, "- name\n- Naam\n"), "type", "", 1, 1),
    "mapping-without-columns": (csv_case(HEADER + GOOD_ROW, "defaults: {life_domains: [zorg]}\n"),
                                "import-mapping-missing", "columns", 1, 1),
    "mapping-bad-delimiter": (csv_case(HEADER + GOOD_ROW, MAPPING + "delimiter: '|'\n"), "enum", "delimiter", 4, 1),
    # HSDS that is not HSDS
    "hsds-not-json": (hsds_case(HEADER + GOOD_ROW), "import-json-syntax", "geen geldige JSON", 1, 1),
    "hsds-truncated": (hsds_case(json.dumps([HSDS_ORG, HSDS_ORG], indent=1)[:-40]), "import-json-syntax",
                       "geen geldige JSON", 0, None),
    "hsds-number": (hsds_case("42"), "import-not-hsds", "geen HSDS-bestand", 1, 1),
    "hsds-geojson": (hsds_case(json.dumps([{"type": "Feature", "geometry": None}])), "import-not-hsds",
                     "'id' en 'name'", 1, 1),
    "hsds-package-json": (hsds_case(json.dumps({"name": "my-app", "version": "1.0.0"})), "import-not-hsds",
                          "'id' en 'name'", 1, 1),
    "hsds-empty-list": (hsds_case("[]"), "import-empty", "geen organisaties", 1, 1),
    "hsds-too-deep": (hsds_case("[" * 100_000 + "]" * 100_000), "import-too-deep", "te diep", 1, 1),
    "hsds-empty-folder": (hsds_case(None, "map"), "import-not-hsds", "organizations.json", 1, 1),
    "hsds-tables-without-name": (lambda tmp: (tmp / "t").mkdir() or (tmp / "t" / "organizations.csv").write_text(
        "id,naam\n1,Oost\n", "utf-8") and ["--from", "hsds", str(tmp / "t")], "import-not-hsds", "'name'", 1, 1),
    "hsds-no-life-domain": (hsds_case(json.dumps([HSDS_ORG])), "import-life-domain-missing", "levensgebied", 1, 1),
    "hsds-script-in-service": (hsds_case(json.dumps([{**HSDS_ORG, "services": [
        {"id": "s", "name": "<script>steal()</script>", "status": "active"}]}])), "import-unsafe", "browser", 1, 1),
    # Excel
    "xlsx-not-a-zip": (xlsx_case((HEADER + GOOD_ROW).encode()), "import-xlsx-invalid", "geen Excel-bestand", 1, 1),
    "xlsx-formula": (xlsx_case([["Naam", "Omschrijving", "Telefoon", "Website", "Id", "Gebied"],
                                ["=CONCAT(\"Buurt\",\"huis\")", "Koffie.", None, None, None, None]]),
                     "import-formula", "spreadsheetformule", 2, 1),
    "xlsx-missing-sheet": (xlsx_case([["Naam"], ["Oost"]], sheet="Aanbieders"), "import-sheet-missing", "werkblad", 1, 1),
    # the command itself
    "unknown-gemeente": (lambda tmp: csv_case(HEADER + GOOD_ROW)(tmp)[:-1] + ["voorbeeldstat"], "import-gemeente-unknown",
                         "Bedoelde u 'voorbeeldstad'", 1, 1),
    "source-missing": (lambda tmp: ["--from", "hsds", str(tmp / "bestaat-niet.json")], "import-missing", "bestaat niet",
                       1, 1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_import_is_refused_cleanly(name, data_dir, tmp_path, capsys):
    make, code, words, line, col = CASES[name]
    args = make(tmp_path)
    before = tree(data_dir)
    exit_code = main(["import", *args, "--data", str(data_dir)])
    printed = capsys.readouterr()
    text = printed.out + printed.err
    assert exit_code == 1, text
    assert "Traceback" not in text
    errors = re.findall(r"^(.+?):(\d+):(\d+): error: \[([a-z0-9-]+)\] (.*)$", printed.out, re.MULTILINE)
    assert errors, text
    match = [e for e in errors if e[3] == code]
    assert match, f"verwacht [{code}], kreeg: {printed.out}"
    if line:
        assert any(int(e[1]) == line and (col is None or int(e[2]) == col) for e in match), printed.out
    if words:
        assert words.lower() in printed.out.lower(), printed.out
    assert "oplossing:" in printed.out  # says what to do
    assert "niets geschreven" in printed.err
    assert tree(data_dir) == before  # all-or-nothing


def test_a_huge_cell_is_refused_even_after_a_library_raised_the_csv_limit(data_dir, tmp_path, capsys):
    # frictionless raises the csv module's process-wide field limit when it is imported (the export tests do);
    # the import keeps its own limit, so the same file gets the same answer whatever ran before.
    import csv
    import sys

    old = csv.field_size_limit(sys.maxsize)
    try:
        exit_code = main(["import", *CASES["cell-too-large"][0](tmp_path), "--data", str(data_dir)])
    finally:
        csv.field_size_limit(old)
    assert exit_code == 1
    assert "[import-csv-syntax]" in capsys.readouterr().out and csv.field_size_limit() == old


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30


def test_huge_file_and_too_many_rows_are_refused(data_dir, tmp_path, capsys, monkeypatch):
    make = csv_case(HEADER + GOOD_ROW * 20)
    args = make(tmp_path)
    monkeypatch.setattr(limits, "MAX_IMPORT_BYTES", 500)
    before = tree(data_dir)
    assert main(["import", *args, "--data", str(data_dir)]) == 1
    out = capsys.readouterr().out
    assert "[import-too-large]" in out and "MB" in out
    monkeypatch.setattr(limits, "MAX_IMPORT_BYTES", 10 ** 9)
    monkeypatch.setattr(limits, "MAX_IMPORT_ROWS", 5)
    assert main(["import", *args, "--data", str(data_dir)]) == 1
    assert re.search(r"bron\.csv:7:1: error: \[import-too-many-rows\]", capsys.readouterr().out)
    assert tree(data_dir) == before


def test_one_bad_row_among_good_ones_writes_nothing(data_dir, tmp_path, capsys):
    args = csv_case(HEADER + GOOD_ROW + "=1+1,Formule,,,,\n" + GOOD_ROW.replace("Oost", "West"))(tmp_path)
    before = tree(data_dir)
    assert main(["import", *args, "--data", str(data_dir)]) == 1
    assert "bron.csv:3:1: error: [import-formula]" in capsys.readouterr().out
    assert tree(data_dir) == before


def test_warnings_do_not_stop_an_import(data_dir, tmp_path, capsys):
    """Values that cannot be used but are not dangerous: left out, with a warning at their cell."""
    rows = (HEADER + "Oost,Koffie en <b>thee</b>.,0612,http://oost.example,,Zorg; Toveren\n")
    args = csv_case(rows)(tmp_path)
    assert main(["import", *args, "--data", str(data_dir)]) == 0
    out = capsys.readouterr().out
    for cell, code in (("2:2", "import-html"), ("2:3", "import-phone-invalid"), ("2:4", "import-url-http"),
                       ("2:6", "import-value-unmapped")):
        assert f"bron.csv:{cell}: warning: [{code}]" in out, out
    record = (data_dir / "providers" / "voorbeeldstad" / "oost.yaml").read_text("utf-8")
    assert "<b>" not in record and "Koffie en thee." in record and "http://" not in record


def test_real_process_prints_no_traceback(data_dir, tmp_path):
    args = hsds_case("{niet: json")(tmp_path)
    result = run_kaart("import", *args, "--data", str(data_dir))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert re.search(r"organizations\.json:1:2: error: \[import-json-syntax\] dit is geen geldige JSON", result.stdout)


def _staging_left(tmp_path: Path) -> list[Path]:
    return [p for p in tmp_path.iterdir() if p.name.startswith(".kaart-import-")]


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failure_while_moving_files_into_place_undoes_the_moves(data_dir, tmp_path, capsys, monkeypatch, failure):
    """The checked files are renamed into --data one by one; an error or Ctrl-C halfway removes the ones already
    moved, so --data is as it was, and the staging copy beside --data is gone."""
    from kaart import importer

    args = csv_case(HEADER + GOOD_ROW + GOOD_ROW.replace("Oost", "West") + GOOD_ROW.replace("Oost", "Noord"))(
        tmp_path)
    before = tree(data_dir)
    moved = []
    real_move = importer._move_file

    def move(source, target):
        if len(moved) == 2:
            raise failure
        real_move(source, target)
        moved.append(target)

    monkeypatch.setattr(importer, "_move_file", move)
    if isinstance(failure, OSError):
        assert main(["import", *args, "--data", str(data_dir)]) == 1
        assert "Er is niets geschreven" in capsys.readouterr().err
    else:
        assert main(["import", *args, "--data", str(data_dir)]) != 0
        assert "afgebroken" in capsys.readouterr().err
    assert len(moved) == 2 and tree(data_dir) == before
    assert not _staging_left(tmp_path)


def test_files_are_copied_when_the_staging_copy_is_on_another_file_system(data_dir, tmp_path, capsys, monkeypatch):
    from kaart import importer

    args = csv_case(HEADER + GOOD_ROW + GOOD_ROW.replace("Oost", "West"))(tmp_path)
    real_replace = os.replace

    def replace(source, target):
        if ".kaart-import-" in str(source):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(source, target)

    monkeypatch.setattr(importer.os, "replace", replace)
    assert main(["import", *args, "--data", str(data_dir)]) == 0
    folder = data_dir / "providers" / "voorbeeldstad"
    assert "Buurthuis West" in (folder / "buurthuis-west.yaml").read_text("utf-8")
    assert not list(folder.glob(".*")) and not _staging_left(tmp_path)


def test_a_full_disk_while_staging_writes_nothing_and_removes_the_staging_copy(data_dir, tmp_path, capsys,
                                                                                  monkeypatch):
    from kaart import importer

    args = csv_case(HEADER + "".join(GOOD_ROW.replace("Oost", f"Oost {i}") for i in range(4)))(tmp_path)
    before = tree(data_dir)

    def broken(jobs, source):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importer, "_write_records", broken)
    assert main(["import", *args, "--data", str(data_dir)]) == 1
    assert "Er is niets geschreven" in capsys.readouterr().err
    assert tree(data_dir) == before and not _staging_left(tmp_path)
