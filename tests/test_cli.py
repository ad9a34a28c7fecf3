"""`kaart` on the command line: output formats, exit codes, help texts, `kaart new`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import VALID_DIR, run_kaart
from kaart.cli import build_parser, main

BAD_PHONE = 'phones:\n  - number: "12345"\n'


@pytest.fixture
def broken_dir(data_dir):
    """The valid data with one invalid phone number (line 8) in a provider."""
    path = data_dir / "providers" / "voorbeeldstad" / "buurthuis-de-linde.yaml"
    text = path.read_text(encoding="utf-8").replace("website: https://www.delinde.example\n",
                                                    "website: https://www.delinde.example\n" + BAD_PHONE)
    path.write_text(text, encoding="utf-8")
    return data_dir


def test_clean_data_exits_0_and_says_so():
    result = run_kaart("check", "--data", str(VALID_DIR))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "geen fouten" in result.stderr


def test_text_format_one_line_per_problem_with_a_fix(broken_dir, capsys):
    assert main(["check", "--data", str(broken_dir)]) == 1
    out = capsys.readouterr().out.splitlines()
    path = broken_dir / "providers" / "voorbeeldstad" / "buurthuis-de-linde.yaml"
    assert out[0] == f"{path}:8:5: error: [phone-invalid] '12345' is geen geldig telefoonnummer"
    assert out[1].startswith("    oplossing: ")


def test_paths_are_relative_to_the_working_directory(broken_dir, monkeypatch, capsys):
    monkeypatch.chdir(broken_dir.parent)
    assert main(["check", "--data", "data"]) == 1
    assert capsys.readouterr().out.startswith("data/providers/voorbeeldstad/buurthuis-de-linde.yaml:8:5: error:")


def test_github_format_prints_annotations(broken_dir, capsys):
    assert main(["check", "--data", str(broken_dir), "--format", "github"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    match = re.fullmatch(r"::error file=([^,]+),line=(\d+),col=(\d+),title=phone-invalid::(.+)", out[0])
    assert match, out[0]
    assert match.group(1).endswith("buurthuis-de-linde.yaml") and match.group(2, 3) == ("8", "5")
    assert "Oplossing:" in match.group(4) and "\n" not in match.group(4)


def test_github_format_escapes_newlines_and_separators():
    from kaart.problems import Problem

    line = Problem("a,b:c.yaml", 1, 2, "warning", "x", "regel 1\nregel 2 100%", "doe iets").github()
    assert line == "::warning file=a%2Cb%3Ac.yaml,line=1,col=2,title=x::regel 1%0Aregel 2 100%25 Oplossing: doe iets"


def test_json_format_parses(broken_dir, capsys):
    assert main(["check", "--data", str(broken_dir), "--format", "json"]) == 1
    [problem] = json.loads(capsys.readouterr().out)
    assert problem["code"] == "phone-invalid" and problem["severity"] == "error"
    assert problem["line"] == 8 and problem["col"] == 5 and problem["hint"]


def test_json_format_on_clean_data_is_an_empty_list(capsys):
    assert main(["check", "--data", str(VALID_DIR), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_missing_data_dir_exits_1_with_a_dutch_message(tmp_path):
    result = run_kaart("check", "--data", str(tmp_path / "nergens"))
    assert result.returncode == 1
    assert "bestaat niet" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["check", "--format", "xml"], ["check", "--onbekend"], ["vlieg"], [],
                                  ["new", "provider"], ["new", "gebouw", "--naam", "x"]])
def test_usage_errors_exit_2(args, capsys):
    assert main(args) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_usage_error_in_a_real_process_exits_2():
    result = run_kaart("check", "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr or "ongeldige keuze" in result.stderr


def _subcommands() -> list[str]:
    parser = build_parser()
    [action] = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return sorted(action.choices)


def test_the_known_subcommands_exist():
    assert {"check", "new"} <= set(_subcommands())


@pytest.mark.parametrize("command", _subcommands())
def test_help_of_every_subcommand_shows_an_example(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"voorbeeld(en)?:", out), out
    assert f"kaart {command}" in out.split("voorbeeld", 1)[1]


def test_main_help_lists_examples(capsys):
    assert main(["--help"]) == 0
    assert "voorbeelden:" in capsys.readouterr().out


@pytest.mark.parametrize("kind, extra, where", [
    ("provider", ["--gemeente", "voorbeeldstad"], "providers/voorbeeldstad/buurthuis-het-anker.yaml"),
    ("provider", ["--gemeente", "landelijk"], "providers/landelijk/buurthuis-het-anker.yaml"),
    ("role", [], "roles/buurthuis-het-anker.yaml"),
    ("need", [], "needs/buurthuis-het-anker.yaml"),
])
def test_new_writes_a_skeleton_that_passes_check(kind, extra, where, data_dir, capsys):
    assert main(["new", kind, "--naam", "Buurthuis 'Het Anker'", "--data", str(data_dir), *extra]) == 0
    path = data_dir / where
    assert path.is_file()
    assert str(path) in capsys.readouterr().out
    assert main(["check", "--data", str(data_dir), "--format", "json"]) == 0
    problems = json.loads(capsys.readouterr().out)
    assert all(p["severity"] == "warning" for p in problems), problems
    text = path.read_text(encoding="utf-8")
    assert "id: buurthuis-het-anker" in text and "#" in text  # commented for editors


def test_new_keeps_quotes_and_colons_in_the_name_intact(data_dir, capsys):
    assert main(["new", "role", "--naam", 'Hulp: "thuis" # 24/7', "--data", str(data_dir)]) == 0
    from kaart.load import load_file

    doc, problems = load_file(data_dir / "roles" / "hulp-thuis-24-7.yaml")
    assert doc.data["name"] == 'Hulp: "thuis" # 24/7'


def test_new_refuses_to_overwrite_an_existing_file(data_dir, capsys):
    path = data_dir / "roles" / "ouderenadviseur.yaml"
    before = path.read_bytes()
    assert main(["new", "role", "--naam", "Ouderenadviseur", "--data", str(data_dir)]) == 1
    assert "bestaat al" in capsys.readouterr().err
    assert path.read_bytes() == before


@pytest.mark.parametrize("args, message", [
    (["new", "provider", "--naam", "Iets"], "--gemeente"),
    (["new", "provider", "--naam", "Iets", "--gemeente", "Voorbeeld Stad"], "gemeente-id"),
    (["new", "role", "--naam", "!!!"], "geen letters"),
])
def test_new_explains_bad_input(args, message, data_dir, capsys):
    assert main([*args, "--data", str(data_dir)]) == 1
    assert message in capsys.readouterr().err


def _rename_ids(data_dir: Path, renames: dict[str, str]) -> None:
    """Give ids other names throughout a data dir (whole ids only: `sociaal-wijkteam-voorbeeldstad` stays)."""
    for path in data_dir.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for old, new in renames.items():
            text = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, text)
        path.write_text(text, encoding="utf-8")
    for old, new in renames.items():
        for path in data_dir.rglob(f"{old}.yaml"):
            path.rename(path.with_name(f"{new}.yaml"))


@pytest.mark.parametrize("kind, extra", [("provider", ["--gemeente", "voorbeeldstad"]), ("role", []), ("need", [])])
def test_new_skeleton_refers_only_to_ids_of_this_data_dir(kind, extra, data_dir, capsys):
    """Another valid data dir has other roles, life domains and laws: the skeleton must pass check there too."""
    _rename_ids(data_dir, {"sociaal-wijkteam": "buurtteam", "ouderenadviseur": "seniorenadviseur",
                           "meedoen": "samen-leven", "zorg": "gezondheid", "wmo-2015": "wmo"})
    assert main(["check", "--data", str(data_dir), "--format", "json"]) == 0, capsys.readouterr().out
    capsys.readouterr()
    assert main(["new", kind, "--naam", "Nieuw Record", "--data", str(data_dir), *extra]) == 0
    capsys.readouterr()
    assert main(["check", "--data", str(data_dir), "--format", "json"]) == 0
    problems = json.loads(capsys.readouterr().out)
    assert all(p["severity"] == "warning" for p in problems), problems


def test_new_need_without_any_role_says_what_to_do_first(data_dir, capsys):
    for path in (data_dir / "roles").glob("*.yaml"):
        path.unlink()
    assert main(["new", "need", "--naam", "Nieuwe vraag", "--data", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert "kaart new role" in err and "Traceback" not in err
    assert not (data_dir / "needs" / "nieuwe-vraag.yaml").exists()
