"""`kaart`: the command line of the Sociale Kaart (check, build, serve, new, export, stale)."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .problems import ERROR, format_problems, summary
from .progress import Progress

EXAMPLES = """\
voorbeelden:
  kaart check                              alle gegevens in data/ controleren
  kaart check --format github              meldingen als GitHub-annotaties (in een pull request)
  kaart build                              de openbare site bouwen in site/
  kaart build --gemeente voorbeeldstad     een site voor één gemeente
  kaart build --audience professional --private ../overlay --out site-pro
  kaart serve                              bouwen en bekijken op http://127.0.0.1:8000
  kaart new provider --gemeente voorbeeldstad --naam "Buurthuis De Linde"
  kaart export --format hsds --out export/
  kaart import --from hsds export/hsds/organizations.json --dry-run
  kaart import --from csv aanbieders.csv --mapping mapping.yaml --gemeente voorbeeldstad
  kaart stale --months 6
  kaart codeowners --check                 is .github/CODEOWNERS actueel?
  kaart beheer-config --out config.yml     de instellingen van de webeditor (/beheer/) maken
  kaart verify wmo-loket-voorbeeldstad --by "Redactie Voorbeeldstad"
  kaart gemeenten --cbs gemeenten.csv --pc4 pc4.csv --jaar 2027
"""


def _data_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, default=Path("data"), metavar="MAP",
                   help="map met de gegevens (standaard: data/). Voorbeeld: --data /tmp/kopie/data")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kaart", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Sociale Kaart: controleer de gegevens, bouw de site en de open data.",
        epilog=EXAMPLES)
    sub = parser.add_subparsers(dest="command", metavar="opdracht")

    p = sub.add_parser("check", help="controleer alle gegevens",
                       description="Laad en controleer alle YAML-bestanden. Elke melding noemt bestand, regel, "
                                   "kolom, een code en wat u moet doen. Exit 0: geen fouten (waarschuwingen mogen); "
                                   "1: fouten; 2: verkeerd gebruik.",
                       epilog="voorbeeld: kaart check --format github --data data",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _data_arg(p)
    p.add_argument("--private", type=Path, metavar="MAP",
                   help="controleer ook een besloten laag met warme contacten. Voorbeeld: --private ../overlay")
    p.add_argument("--format", choices=["text", "github", "json"], default="text",
                   help="text (standaard, voor mensen), github (annotaties in een pull request) of json")
    p.add_argument("--no-cache", action="store_true",
                   help="lees en controleer elk bestand opnieuw, ook als het niet veranderd is sinds de vorige "
                        "controle (standaard onthoudt kaart de uitkomst per ongewijzigd bestand in ~/.cache/kaart; "
                        "KAART_CACHE_DIR=map kiest een andere plek, KAART_CACHE_DIR=off zet het overal uit). "
                        "Voorbeeld: kaart check --no-cache")

    for name, what in (("build", "bouw de site"), ("serve", "bouw de site en bekijk hem in uw browser")):
        p = sub.add_parser(name, help=what, formatter_class=argparse.RawDescriptionHelpFormatter,
                           description=(
                               "Controleer de gegevens, maak alle pagina's, bouw de site met MkDocs, maak de zoekindex "
                               "en de open data. Een mislukte bouw laat de vorige site heel."
                               if name == "build" else
                               "Bouw de site en toon hem op http://127.0.0.1:8000. Als u een bestand in data/ of docs/ "
                               "bewaart, wordt de site opnieuw gebouwd en laden open pagina's in uw browser zichzelf "
                               "opnieuw."),
                           epilog=("voorbeelden:\n  kaart build\n  kaart build --gemeente voorbeeldstad --out site-vs\n"
                                   "  kaart build --audience professional --private ../overlay --out site-pro"
                                   if name == "build" else "voorbeeld: kaart serve --port 8001"))
        _data_arg(p)
        p.add_argument("--audience", choices=["public", "professional"], default="public",
                       help="public (standaard): de openbare site; professional: met warme contacten uit --private. "
                            "Voorbeeld: --audience professional --private ../overlay")
        p.add_argument("--private", type=Path, metavar="MAP",
                       help="map met de besloten laag (alleen met --audience professional). Voorbeeld: --private ../overlay")
        p.add_argument("--gemeente", metavar="SLUG",
                       help="alleen deze gemeente plus alles wat landelijk is. Voorbeeld: --gemeente voorbeeldstad")
        p.add_argument("--out", type=Path, default=Path("site"), metavar="MAP",
                       help="waar de site komt (standaard: site/). Voorbeeld: --out /tmp/site")
        p.add_argument("--verbose", action="store_true", default=None,
                       help="toon de stappen ook als de uitvoer niet naar een terminal gaat")
        if name == "serve":
            p.add_argument("--port", type=int, default=8000, help="poort (standaard 8000). Voorbeeld: --port 8001")

    p = sub.add_parser("new", help="maak een nieuw record met uitleg",
                       description="Schrijf een geldig sjabloon met uitleg op de juiste plek.",
                       epilog='voorbeeld: kaart new provider --gemeente voorbeeldstad --naam "Buurthuis De Linde"',
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=["provider", "role", "need"], help="provider (aanbieder), role (rol) of need (hulpvraag)")
    p.add_argument("--naam", required=True, help='naam van het nieuwe record, bijvoorbeeld "Buurthuis De Linde"')
    p.add_argument("--gemeente", help="gemeente-id voor een aanbieder, bijvoorbeeld voorbeeldstad (of landelijk)")
    _data_arg(p)

    p = sub.add_parser("stale", help="records die lang niet zijn gecontroleerd",
                       description="Toon per gemeente de records (aanbieders, rollen, hulpvragen, gemeenten) die "
                                   "langer dan N maanden niet zijn gecontroleerd, met bestand:regel, naam en datum. "
                                   "Exit 0 (ook als er verouderde records zijn); 1 als de gegevens fouten bevatten.",
                       epilog="voorbeeld: kaart stale --months 6 --data data",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _data_arg(p)
    p.add_argument("--months", type=_positive_int, default=None, metavar="N",
                   help="hoeveel maanden oud een controle mag zijn (standaard: 12). Voorbeeld: --months 6")
    p.add_argument("--issues", type=Path, metavar="MAP",
                   help="schrijf ook per gemeente een issuetekst (MAP/<gemeente>.md: eerste regel de titel) met een "
                        "afvinklijst en links om aan te passen; de maandelijkse workflow plaatst ze. "
                        "Voorbeeld: --issues /tmp/ronde")

    p = sub.add_parser("verify", help="zet 'laatst gecontroleerd' van een record op vandaag",
                       description="Zet verified.date van een aanbieder, rol of hulpvraag op vandaag (en met --by "
                                   "verified.by op uw naam of team). De rest van het bestand blijft precies zoals het "
                                   "was, met commentaar en volgorde. Exit 0: bijgewerkt; 1: niet gevonden of fout.",
                       epilog='voorbeeld: kaart verify buurthuis-de-linde --by "Redactie Voorbeeldstad"',
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("id", help="id van het record (de bestandsnaam zonder .yaml), bijvoorbeeld buurthuis-de-linde")
    p.add_argument("--by", metavar="NAAM",
                   help='wie controleerde: een functie of team, liefst geen privénaam. Zonder --by blijft de '
                        'huidige waarde staan. Voorbeeld: --by "Redactie Voorbeeldstad"')
    _data_arg(p)

    p = sub.add_parser("codeowners", help="maak .github/CODEOWNERS uit de redacteuren per gemeente",
                       description="Schrijf .github/CODEOWNERS uit 'editors' in data/municipalities.yaml, zodat een "
                                   "pull request op data/providers/<gemeente>/ naar de redacteuren van die gemeente "
                                   "gaat. Met --check: alleen controleren (exit 1 als het bestand verouderd is).",
                       epilog="voorbeeld: kaart codeowners --check",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _data_arg(p)
    p.add_argument("--check", action="store_true",
                   help="schrijf niets; exit 1 als .github/CODEOWNERS niet klopt met municipalities.yaml")
    p.add_argument("--out", type=Path, default=Path(".github") / "CODEOWNERS", metavar="BESTAND",
                   help="waar CODEOWNERS staat (standaard: .github/CODEOWNERS)")

    p = sub.add_parser("beheer-config", help="maak de instellingen van de webeditor (/beheer/)",
                       description="Maak config.yml voor de webeditor (Decap CMS) uit schemas/ en de gegevens: "
                                   "een verzameling per soort record en per gemeentemap, een invoerveld per veld, "
                                   "keuzelijsten uit data/taxonomy.yaml, data/roles/ en data/needs/, uitleg uit de "
                                   "schema's. kaart build doet dit zelf; deze opdracht is voor 'make beheer' en om "
                                   "te bekijken wat de editor krijgt. Zonder --out of --site: naar het scherm.",
                       epilog="voorbeelden:\n  kaart beheer-config --out /tmp/config.yml\n"
                              "  kaart beheer-config --local --site site    (editor op deze computer, make beheer)",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _data_arg(p)
    p.add_argument("--local", type=int, nargs="?", const=8081, metavar="POORT",
                   help="voor de lokale editor: schrijft via decap-server (npx decap-server) rechtstreeks in uw "
                        "kopie van de bestanden, zonder GitHub; POORT is die van decap-server (standaard 8081). "
                        "Voorbeeld: --local --site site")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, metavar="BESTAND",
                       help="schrijf de instellingen naar dit bestand. Voorbeeld: --out /tmp/config.yml")
    where.add_argument("--site", type=Path, metavar="MAP",
                       help="zet de hele webeditor (pagina, instellingen, programma) in MAP/beheer/ van een "
                            "gebouwde site. Voorbeeld: --site site")

    p = sub.add_parser("from-issue", help="maak van een issue 'Nieuwe aanbieder' een YAML-bestand",
                       description="Lees de tekst van een issue 'Nieuwe aanbieder' (het formulier) en schrijf een "
                                   "voorstel voor een aanbieder op de juiste plek in --data. Drukt het pad af. "
                                   "De tekst wordt alleen als gegevens gelezen, nooit uitgevoerd. Met --comment "
                                   "komt een Nederlandse reactie voor het issue in dat bestand. Exit 0: geschreven; "
                                   "1: het issue mist iets (de reden staat in --comment en op het scherm).",
                       epilog="voorbeeld: kaart from-issue issue.md --issue 42 --comment reactie.md",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("body", type=Path, help="bestand met de tekst van het issue, bijvoorbeeld issue.md")
    p.add_argument("--issue", type=_positive_int, required=True, metavar="NUMMER",
                   help="nummer van het issue (komt in verified.by en het commentaar). Voorbeeld: --issue 42")
    p.add_argument("--comment", type=Path, metavar="BESTAND",
                   help="schrijf hier de reactie voor het issue als het niet lukt. Voorbeeld: --comment reactie.md")
    _data_arg(p)

    p = sub.add_parser("export", help="schrijf de open data (JSON, CSV, HSDS 3)",
                       description="Controleer de gegevens en schrijf de openbare gegevens als open data (licentie "
                                   "CC0 1.0): sociale-kaart.json, een CSV-bestand per soort record en Open Referral "
                                   "HSDS 3 in hsds/. Diensten voor professionals en niet-openbare wachttijden blijven "
                                   "eruit. Exit 0: geschreven; 1: fouten in de gegevens (zoals bij kaart check).",
                       epilog="voorbeelden:\n  kaart export\n  kaart export --format hsds --out /tmp/open-data\n"
                              "  kaart export --format json --format csv --data data",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _data_arg(p)
    p.add_argument("--format", action="append", choices=["json", "csv", "hsds"], metavar="FORMAAT",
                   help="json, csv of hsds; herhaal voor meer formaten (standaard: alle drie). Voorbeeld: --format hsds")
    p.add_argument("--out", type=Path, default=Path("open-data"), metavar="MAP",
                   help="waar de bestanden komen (standaard: open-data/). Voorbeeld: --out /tmp/open-data")

    p = sub.add_parser("import", help="neem aanbieders over uit HSDS, CSV of Excel",
                       description="Lees een bestaande sociale kaart (Open Referral HSDS 3, CSV of Excel) en schrijf "
                                   "één YAML-bestand per aanbieder in data/providers/<gemeente>/. Elke waarde die niet "
                                   "past, staat als waarschuwing 'bron:regel:kolom' in de uitvoer. Een bestaand record "
                                   "wordt nooit stilletjes overschreven: u ziet de verschillen en kiest --update. "
                                   "Alles wordt eerst gecontroleerd zoals bij kaart check; bij een fout wordt niets "
                                   "geschreven. Exit 0: geïmporteerd (of --dry-run zonder fouten); 1: fouten, niets "
                                   "geschreven; 2: verkeerd gebruik.",
                       epilog="voorbeelden:\n"
                              "  kaart import --from hsds open-data/hsds/organizations.json --dry-run\n"
                              "  kaart import --from hsds open-data/hsds/ --gemeente voorbeeldstad\n"
                              "  kaart import --from csv aanbieders.csv --mapping docs/voorbeelden/import-mapping.yaml "
                              "--gemeente voorbeeldstad\n"
                              "  kaart import --from xlsx kaart.xlsx --mapping mapping.yaml --update",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--from", dest="source", required=True, choices=["hsds", "csv", "xlsx"], metavar="SOORT",
                   help="hsds (organizations.json of de map met HSDS-tabellen), csv of xlsx (Excel). "
                        "Voorbeeld: --from csv")
    p.add_argument("file", type=Path, metavar="BESTAND",
                   help="het bestand (of bij hsds ook de map) dat u wilt importeren. Voorbeeld: aanbieders.csv")
    p.add_argument("--mapping", type=Path, metavar="YAML",
                   help="welke kolom welk veld is, en welke waarden bij welke id horen (nodig bij csv en xlsx; bij "
                        "hsds voor waarden en standaarden). Voorbeeld: --mapping docs/voorbeelden/import-mapping.yaml")
    p.add_argument("--gemeente", metavar="SLUG",
                   help="gemeente-id uit data/municipalities.yaml (of landelijk) waar alle aanbieders horen. Bij hsds "
                        "zonder --gemeente: uit het werkgebied of de plaats. Voorbeeld: --gemeente voorbeeldstad")
    _data_arg(p)
    p.add_argument("--dry-run", action="store_true",
                   help="alleen controleren en tonen wat er zou gebeuren; niets schrijven. Voorbeeld: --dry-run")
    p.add_argument("--update", action="store_true",
                   help="bestaande aanbieders die in de bron anders zijn, overschrijven (zonder --update: alleen de "
                        "verschillen tonen en niets schrijven). Voorbeeld: --update")
    p.add_argument("--format", choices=["text", "github", "json"], default="text",
                   help="hoe de meldingen worden getoond: text (standaard), github of json")

    p = sub.add_parser("gemeenten", help="werk de gemeenten en postcodes bij (elk jaar)",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Werk data/municipalities.yaml en de postcodelijst data/postcodes/pc4-<jaar>.csv "
                                   "bij uit nieuwe bestanden van het CBS en PDOK. Lokale gegevens van een gemeente "
                                   "(website, redacteuren, eerste ingang, beschrijving) blijven staan. Is een gemeente "
                                   "opgegaan in een andere, dan komt er een doorverwijzing in data/redirects.yaml en "
                                   "meldt 'kaart check' aanbieders die nog in de oude map staan, met de opvolger. "
                                   "Een vervallen postcode blijft in de lijst staan met een opmerking. "
                                   "Exit 0: bijgewerkt; 1: fouten in de bestanden (er is dan niets veranderd).",
                       epilog="voorbeelden:\n  kaart gemeenten --cbs gemeenten-2027.csv --pc4 pc4-2027.csv --jaar 2027\n"
                              "  kaart gemeenten --cbs g.csv --pc4 p.csv --jaar 2027 --data /tmp/kopie/data\n\n"
                              "bestanden:\n  --cbs  kolommen code,name,province,province_code "
                              "(CBS 86247NED 'Gebieden in Nederland')\n"
                              "  --pc4  kolommen pc4,gemeente_code,share,pc6_count,primary,note "
                              "(PC6-postcodes per gemeente uit de PDOK Locatieserver)")
    _data_arg(p)
    p.add_argument("--cbs", type=Path, required=True, metavar="BESTAND",
                   help="CSV met alle gemeenten van het CBS. Voorbeeld: --cbs gemeenten-2027.csv")
    p.add_argument("--pc4", type=Path, required=True, metavar="BESTAND",
                   help="CSV met postcode (PC4) → gemeente en aandeel. Voorbeeld: --pc4 pc4-2027.csv")
    p.add_argument("--jaar", type=_year, required=True, metavar="JAAR",
                   help="het jaar waarvoor de lijst geldt (stand op 1 januari). Voorbeeld: --jaar 2027")
    return parser


def _year(text: str) -> int:
    if not re.fullmatch(r"20\d\d", text):
        raise argparse.ArgumentTypeError(f"'{text}' is geen jaar; bijvoorbeeld 2027")
    return int(text)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen geheel getal; bijvoorbeeld 6") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is te klein; geef minstens 1 maand")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("afgebroken", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0


def cmd_check(args) -> int:
    from .validate import check

    model, problems = check(args.data, use_cache=not args.no_cache)
    if args.private:
        from .private import check_private

        problems += check_private(args.private, args.data, public=(model, list(problems)))
    out = format_problems(problems, args.format)
    if out:
        print(out)
    if args.format == "text":
        print(summary(problems), file=sys.stderr)
    return 1 if any(p.severity == ERROR for p in problems) else 0


def cmd_new(args) -> int:
    from .scaffold import new_record

    try:
        path = new_record(args.kind, args.naam, args.data, args.gemeente)
    except (ValueError, FileExistsError, OSError) as exc:
        print(f"kaart new: fout: {exc}", file=sys.stderr)
        return 1
    print(f"{path} aangemaakt. Vul de velden in en controleer met: kaart check")
    return 0


def cmd_stale(args) -> int:
    from . import limits
    from .editors import format_stale, stale_records
    from .validate import check

    months = args.months or limits.STALE_MONTHS
    model, problems = check(args.data)
    if model is None:
        errors = [p for p in problems if p.severity == ERROR]
        print(format_problems(errors, "text"), file=sys.stderr)
        print("kaart stale: de gegevens bevatten fouten; los die eerst op (zie 'kaart check').", file=sys.stderr)
        return 1
    records = stale_records(model, months)
    print(format_stale(model, records, months))
    if args.issues:
        from .paths import REPO
        from .site import load_config
        from .verify import round_issues, write_round

        config = load_config(REPO / "mkdocs.yml")
        issues = round_issues(model, records, months, str(config.get("repo_url", "")).rstrip("/"))
        written = write_round(args.issues, issues)
        print(f"{len(written)} issuetekst(en) geschreven in {args.issues}", file=sys.stderr)
    return 0


def cmd_from_issue(args) -> int:
    from .issue_form import IssueError, proposal, result_comment
    from .validate import today

    try:
        body = args.body.read_text(encoding="utf-8", errors="replace")
        found = proposal(body, args.data, args.issue, today().isoformat())
    except (IssueError, OSError) as exc:
        message = f"kaart from-issue: {exc}"
        print(message, file=sys.stderr)
        if args.comment:
            args.comment.write_text(result_comment(False, message), encoding="utf-8")
        return 1
    target = args.data / found.path.relative_to("data")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(found.text, encoding="utf-8")
    print(found.path.as_posix())
    return 0


def cmd_verify(args) -> int:
    from .validate import today
    from .verify import VerifyError, verify

    try:
        path = verify(args.data, args.id, args.by, today())
    except VerifyError as exc:
        print(f"kaart verify: fout: {exc}", file=sys.stderr)
        return 1
    print(f"{path}: verified.date is nu {today().isoformat()}. Controleer met: kaart check")
    return 0


def cmd_codeowners(args) -> int:
    from .editors import codeowners

    code, message, problems = codeowners(args.data, args.out, args.check)
    if problems:
        print(format_problems(problems, "text"), file=sys.stderr)
    print(message, file=sys.stderr if code else sys.stdout)
    return code


def cmd_beheer_config(args) -> int:
    from .beheer import BeheerError, render_config, write
    from .errors import BuildError
    from .paths import REPO
    from .site import load_config

    try:
        config = load_config(REPO / "mkdocs.yml")
        if args.site:
            if not (args.site / "index.html").is_file():
                print(f"kaart beheer-config: '{args.site}' is geen gebouwde site. Bouw eerst met: "
                      f"kaart build --out {args.site}", file=sys.stderr)
                return 1
            target = write(args.site, args.data, config, local=args.local)
            print(f"webeditor geschreven in {target}")
            return 0
        text = render_config(args.data, config, local=args.local)
    except (BeheerError, BuildError) as exc:
        print(f"kaart beheer-config: fout: {exc}", file=sys.stderr)
        return 1
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"{args.out} geschreven")
    else:
        sys.stdout.write(text)
    return 0


def cmd_build(args) -> int:
    from .site import build

    if args.private and args.audience != "professional":
        print("kaart build: --private hoort bij --audience professional; de openbare site leest de besloten laag nooit.\n"
              "Er is niets gebouwd. Openbare site: laat --private weg. Professionele versie: "
              "kaart build --audience professional --private MAP --out site-pro", file=sys.stderr)
        return 2
    return build(args.data, args.out, args.audience, args.private, args.gemeente, Progress(args.verbose))


def cmd_serve(args) -> int:
    from .serve import serve

    return serve(args, cmd_build)


def cmd_export(args) -> int:
    from .export import FORMATS, export
    from .validate import check

    model, problems = check(args.data)
    if model is None:
        print(format_problems(problems, "text"))
        print(summary(problems), file=sys.stderr)
        return 1
    try:
        files = export(model, args.out, args.format or FORMATS)
    except (FileExistsError, NotADirectoryError):
        print(f"kaart export: fout: '{args.out}' (of een deel ervan) is een bestand, geen map. "
              "Kies met --out een map.", file=sys.stderr)
        return 1
    except PermissionError:
        print(f"kaart export: fout: geen toestemming om te schrijven in '{args.out}'. Kies met --out een andere map.",
              file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"kaart export: fout: kan niet schrijven in '{args.out}': {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"{len(files)} bestanden geschreven in {args.out}")
    return 0


COMMANDS = {"check": cmd_check, "new": cmd_new, "stale": cmd_stale, "codeowners": cmd_codeowners,
            "build": cmd_build, "serve": cmd_serve}

COMMANDS["export"] = cmd_export
COMMANDS["beheer-config"] = cmd_beheer_config
COMMANDS["verify"] = cmd_verify
COMMANDS["from-issue"] = cmd_from_issue


def cmd_import(args) -> int:
    from .importer import ImportFailed, import_records

    if args.source in ("csv", "xlsx") and not args.mapping:
        print(f"kaart import: --from {args.source} heeft --mapping nodig: een YAML-bestand dat zegt welke kolom welk "
              "veld is. Voorbeeld: docs/voorbeelden/import-mapping.yaml", file=sys.stderr)
        return 2
    try:
        result = import_records(args.source, args.file, args.data, args.gemeente, args.mapping, args.dry_run,
                                args.update)
    except ImportFailed as exc:
        print(format_problems(exc.problems, args.format))
        print(f"kaart import: {summary(exc.problems)} Er is niets geschreven.", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"kaart import: fout: kan niet lezen of schrijven: {exc.strerror or exc} ({exc.filename}). "
              "Er is niets geschreven.", file=sys.stderr)
        return 1
    for path, diff in result.changed:
        print(diff, end="" if diff.endswith("\n") else "\n")
    out = format_problems(result.problems, args.format)
    if out:
        print(out)
    if not result.ok:
        print(f"kaart import: {summary(result.problems)} Er is niets geschreven.", file=sys.stderr)
        return 1
    if result.round_trip_notes:
        print("Let op: dit is een export van de Sociale Kaart zelf. Deze velden komen niet (helemaal) terug:\n  "
              + "\n  ".join(result.round_trip_notes), file=sys.stderr)
    changed = len(result.changed)
    if args.dry_run:
        print(f"Proef (--dry-run): {len(result.new)} nieuw, {changed} veranderd, {len(result.unchanged)} ongewijzigd. "
              "Er is niets geschreven.", file=sys.stderr)
    else:
        print(f"{len(result.written)} bestand(en) geschreven ({len(result.new)} nieuw, {changed} bijgewerkt, "
              f"{len(result.unchanged)} ongewijzigd). Controleer ze en draai daarna: kaart check", file=sys.stderr)
    print(summary(result.problems), file=sys.stderr)
    return 0


COMMANDS["import"] = cmd_import


def cmd_gemeenten(args) -> int:
    from .gemeente_update import update

    for option, path in (("--cbs", args.cbs), ("--pc4", args.pc4)):
        if not path.is_file():
            print(f"kaart gemeenten: fout: {option} {path} bestaat niet. Geef het pad naar het CSV-bestand.",
                  file=sys.stderr)
            return 1
    if not (args.data / "municipalities.yaml").is_file():
        print(f"kaart gemeenten: fout: {args.data}/municipalities.yaml bestaat niet. Geef met --data de map met de "
              "gegevens.", file=sys.stderr)
        return 1
    report, problems = update(args.data, args.cbs, args.pc4, args.jaar)
    if problems:
        print(format_problems(problems, "text"))
        print(summary(problems) + " Er is niets veranderd.", file=sys.stderr)
        return 1
    print(report.text())
    return 0


COMMANDS["gemeenten"] = cmd_gemeenten

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
