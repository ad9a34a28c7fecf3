"""`kaart`: the command line of the Sociale Kaart (check, build, serve, new, export, stale)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .problems import ERROR, format_problems, summary

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
  kaart stale --months 6
  kaart codeowners --check                 is .github/CODEOWNERS actueel?
"""


class Progress:
    """Step messages on a terminal; silent in CI or when output is piped (unless --verbose)."""

    def __init__(self, verbose: bool | None = None):
        if verbose is None:
            verbose = sys.stderr.isatty() and not os.environ.get("CI")
        self.verbose = verbose
        self.started = time.perf_counter()

    def step(self, message: str) -> None:
        if self.verbose:
            elapsed = time.perf_counter() - self.started
            print(f"[{elapsed:6.1f} s] {message}", file=sys.stderr, flush=True)


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
                               "bewaart, wordt de site opnieuw gebouwd."),
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
    return parser


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
    print(format_stale(model, stale_records(model, months), months))
    return 0


def cmd_codeowners(args) -> int:
    from .editors import codeowners

    code, message, problems = codeowners(args.data, args.out, args.check)
    if problems:
        print(format_problems(problems, "text"), file=sys.stderr)
    print(message, file=sys.stderr if code else sys.stdout)
    return code


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

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
