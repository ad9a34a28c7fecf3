"""What municipal editors need around the data: who reviews which folder (CODEOWNERS) and what needs re-checking.

CODEOWNERS is generated from the `editors` of each gemeente in data/municipalities.yaml so that the list of
reviewers lives in the data, next to the gemeente, and a pull request on data/providers/<gemeente>/ asks those
editors for a review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import limits
from .limits import DAYS_PER_MONTH, is_stale
from .load import NATIONAL, load_file
from .model import Model
from .problems import ERROR, Problem
from .schemas import schema_problems

#: Reviewers of everything that is not a gemeente's own folder: the schemas, the code and the CI set-up.
MAINTAINERS = ("@sociale-kaart/maintainers",)
#: Paths only maintainers may approve (a change there changes the rules for every editor).
MAINTAINER_PATHS = ("/schemas/", "/scripts/", "/.github/", "/tests/", "/pyproject.toml", "/Makefile")
CODEOWNERS_PATH = Path(".github") / "CODEOWNERS"

_HEADER = """\
# Wie beoordeelt welke wijzigingen. Dit bestand wordt gemaakt door 'kaart codeowners'
# uit de 'editors' per gemeente in data/municipalities.yaml. Pas het niet met de hand aan:
# zet een redacteur bij de gemeente in data/municipalities.yaml en voer 'kaart codeowners' uit.
# Het laatste patroon dat past, telt (zie de GitHub-documentatie over CODEOWNERS).
"""


# --- CODEOWNERS ------------------------------------------------------------------------------------------

def load_gemeenten(data_dir: Path) -> tuple[list[dict], list[Problem]]:
    """The gemeenten from municipalities.yaml, schema-checked; problems instead of exceptions."""
    path = Path(data_dir) / "municipalities.yaml"
    if not path.is_file():
        return [], [Problem(str(path), 1, 1, ERROR, "file-missing", "municipalities.yaml ontbreekt",
                            f"Geef met --data de map met municipalities.yaml (nu: {data_dir}).")]
    doc, problems = load_file(path)
    if doc is None:
        return [], problems
    problems = [p for p in problems if p.severity == ERROR] + schema_problems("municipalities", doc)
    if problems:
        return [], problems
    return list(doc.data["municipalities"]), []


def _handle(name: str) -> str:
    return name if name.startswith("@") else "@" + name


def render_codeowners(municipalities: list[dict]) -> str:
    owners = " ".join(MAINTAINERS)
    lines = [_HEADER, "# Standaard: de beheerders.", f"* {owners}", ""]
    lines.append("# Regels, code en CI: alleen de beheerders.")
    lines += [f"{path} {owners}" for path in MAINTAINER_PATHS]
    lines += ["", "# Aanbieders per gemeente: de redacteuren van die gemeente."]
    with_editors = sorted((m for m in municipalities if m.get("editors")), key=lambda m: m["id"])
    for m in with_editors:
        handles = " ".join(_handle(e) for e in m["editors"])
        lines.append(f"/data/providers/{m['id']}/ {handles}")
    if not with_editors:
        lines.append("# (nog geen gemeente met redacteuren)")
    return "\n".join(lines) + "\n"


def codeowners(data_dir: Path, target: Path, check_only: bool) -> tuple[int, str, list[Problem]]:
    """Write (or compare) CODEOWNERS. Returns (exit code, message, problems)."""
    municipalities, problems = load_gemeenten(data_dir)
    if problems:
        return 1, "kaart codeowners: los eerst de fouten in municipalities.yaml op", problems
    wanted = render_codeowners(municipalities)
    try:
        current = target.read_text(encoding="utf-8") if target.exists() else None
    except (OSError, UnicodeDecodeError) as exc:
        return 1, f"kaart codeowners: {target} kan niet gelezen worden ({exc})", []
    if check_only:
        if current != wanted:
            return 1, "CODEOWNERS is verouderd: voer 'kaart codeowners' uit", []
        return 0, f"{target} is actueel.", []
    if current == wanted:
        return 0, f"{target} is al actueel.", []
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(wanted, encoding="utf-8")
    except OSError as exc:
        return 1, f"kaart codeowners: {target} kan niet geschreven worden ({exc.strerror})", []
    return 0, f"{target} bijgewerkt.", []


# --- stale records ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaleRecord:
    kind: str  # "provider" | "role" | "need" | "gemeente"
    id: str
    name: str
    gemeente: str  # gemeente id, or "landelijk" for roles, needs and national providers
    path: str
    line: int
    verified: dt.date
    verified_by: str
    age_days: int

    @property
    def age_months(self) -> int:
        return int(self.age_days // DAYS_PER_MONTH)


def stale_records(model: Model, months: int = limits.STALE_MONTHS, today: dt.date | None = None) -> list[StaleRecord]:
    """Records last verified more than `months` ago: per gemeente (landelijk first), oldest first."""
    if today is None:
        from .validate import today as reference_day

        today = reference_day()
    found: list[StaleRecord] = []

    def add(kind, rid, name, gemeente, path, line, verified):
        day = dt.date.fromisoformat(verified["date"])
        if is_stale(day, today, months):
            found.append(StaleRecord(kind, rid, name, gemeente, path, line, day, verified["by"], (today - day).days))

    for group, kind in ((model.roles, "role"), (model.needs, "need"), (model.providers, "provider")):
        for rec in group.values():
            line = rec.doc.pos(("verified", "date"))[0]
            add(kind, rec.id, rec.name, rec.gemeente or NATIONAL, rec.source, line, rec.data["verified"])
    muni_doc, _ = load_file(Path(model.data_dir) / "municipalities.yaml")
    for i, m in enumerate(muni_doc.data["municipalities"] if muni_doc else []):
        if m.get("id") in model.gemeenten:
            line = muni_doc.pos(("municipalities", i, "verified", "date"))[0]
            add("gemeente", m["id"], m["name"], m["id"], muni_doc.path, line, m["verified"])
    return sorted(found, key=lambda r: (r.gemeente != NATIONAL, r.gemeente, r.verified, r.path, r.line))


_KIND_NL = {"provider": "aanbieder", "role": "rol", "need": "hulpvraag", "gemeente": "gemeente"}


def format_stale(model: Model, records: list[StaleRecord], months: int) -> str:
    if not records:
        return f"Geen verouderde records: alles is in de laatste {months} maanden gecontroleerd."
    out = [f"{len(records)} record(s) langer dan {months} maanden niet gecontroleerd.",
           "Controleer de gegevens met de organisatie en zet de datum van vandaag bij verified.date.", ""]
    current = None
    for r in records:
        if r.gemeente != current:
            current = r.gemeente
            title = "Landelijk (rollen, hulpvragen, landelijke diensten)" if current == NATIONAL else \
                model.gemeenten.get(current, {}).get("name", current)
            count = sum(1 for x in records if x.gemeente == current)
            if len(out) > 3:
                out.append("")
            out.append(f"{title} ({count})")
        out.append(f"  {r.path}:{r.line}: {_KIND_NL[r.kind]} '{r.name}': gecontroleerd op {r.verified.isoformat()} "
                   f"door {r.verified_by}, {r.age_months} maanden geleden")
    return "\n".join(out)
