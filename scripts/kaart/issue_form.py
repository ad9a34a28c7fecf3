"""A "Nieuwe aanbieder" issue (the form in .github/ISSUE_TEMPLATE/nieuwe-aanbieder.yml) → a provider YAML file.

The issue text is written by anyone on the internet, so it is hostile input:
- it is parsed as data (GitHub renders an issue form as `### Label` + value blocks) and never run or templated;
- the YAML is written by a YAML dumper, so quotes, colons, `#`, newlines or `!!python` tags stay text;
- the file name is made from a slug of the name ([a-z0-9-] only) in a folder that must be a known gemeente,
  so no path can be chosen by the writer;
- HTML such as `<script>` stays plain text in the record; the site escapes every value it shows.
The result is a proposal: `kaart check` runs on it and a redacteur reviews the pull request.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import limits
from .load import NATIONAL

#: Issue form labels (nieuwe-aanbieder.yml) → our keys. A test checks both lists agree.
LABELS = {
    "Naam van de organisatie": "naam",
    "Gemeente": "gemeente",
    "Website": "website",
    "Levensgebied": "levensgebied",
    "Wat doet de organisatie, en voor wie?": "wat",
    "Hoe komen inwoners in contact? (niet verplicht)": "contact",
}
NO_RESPONSE = "_No response_"
#: Longest issue body we read; a form filled in honestly is a few kilobytes.
MAX_BODY = 20_000
_HEADING = re.compile(r"^###[ \t]+(.+?)[ \t]*$", re.M)
_SLUG_MAX = 60


class IssueError(Exception):
    """The issue cannot become a record; the message (Dutch) is posted on the issue."""


@dataclass(frozen=True)
class Proposal:
    path: Path  # relative to the data dir's parent: data/providers/<gemeente>/<id>.yaml
    record: dict
    text: str


def parse_form(body: str) -> dict[str, str]:
    """The answers of an issue form body, by our keys; empty answers are left out."""
    if len(body) > MAX_BODY:
        raise IssueError(f"de tekst van het issue is te lang (meer dan {MAX_BODY} tekens)")
    body = body.replace("\r\n", "\n")
    parts = _HEADING.split(body)
    answers: dict[str, str] = {}
    for label, value in zip(parts[1::2], parts[2::2]):
        key = LABELS.get(label.strip())
        value = value.strip()
        if key and value and value != NO_RESPONSE:
            answers[key] = value
    return answers


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:_SLUG_MAX].strip("-")
    return out


def _one_line(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def proposal(body: str, data_dir: Path, issue: int, today: str) -> Proposal:
    answers = parse_form(body)
    missing = [label for label, key in LABELS.items() if key in ("naam", "gemeente", "wat") and key not in answers]
    if missing:
        raise IssueError("deze vragen zijn niet beantwoord: " + ", ".join(f"'{m}'" for m in missing))
    name = _one_line(answers["naam"], limits.MAX_NAME_LENGTH)
    rid = slug(name)
    if not rid:
        raise IssueError("van de naam kan geen id gemaakt worden; gebruik letters of cijfers in de naam")
    gemeente = _gemeente(answers["gemeente"], data_dir)
    life_domain = _life_domain(answers.get("levensgebied"), data_dir)
    description = answers["wat"][:limits.MAX_TEXT_LENGTH]
    record: dict = {"id": rid, "name": name, "description": description, "life_domains": [life_domain]}
    website = answers.get("website", "").strip()
    if website:
        record["website"] = website
    service = {"id": "aanbod", "name": name, "description": description}
    if answers.get("contact"):
        service["application_process"] = answers["contact"][:limits.MAX_TEXT_LENGTH]
    record["services"] = [service]
    record["verified"] = {"date": today, "by": f"Voorstel via issue #{int(issue)} (nog te controleren)"}
    target = Path("data") / "providers" / gemeente / f"{rid}.yaml"
    if (data_dir / "providers" / gemeente / f"{rid}.yaml").exists():
        raise IssueError(f"er is al een aanbieder met id '{rid}' in {gemeente}; pas die aan in plaats van een "
                         "nieuwe te maken")
    header = (f"# Voorgesteld in issue #{int(issue)} via het formulier 'Nieuwe aanbieder'.\n"
              "# Redacteur: controleer alles met de organisatie en vul rollen, doelgroepen en contact aan.\n")
    text = header + yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)
    return Proposal(target, record, text)


def _gemeente(answer: str, data_dir: Path) -> str:
    wanted = _one_line(answer, 80).lower()
    if slug(wanted) == NATIONAL:
        return NATIONAL
    doc = yaml.safe_load((data_dir / "municipalities.yaml").read_text(encoding="utf-8")) or {}
    for m in doc.get("municipalities") or []:
        if wanted in (str(m.get("id", "")).lower(), str(m.get("name", "")).lower()) or slug(wanted) == m.get("id"):
            return m["id"]
    raise IssueError(f"de gemeente '{_one_line(answer, 40)}' staat (nog) niet in de kaart; schrijf de naam zoals "
                     "in de lijst van gemeenten op de site, of 'landelijk'")


def _life_domain(answer: str | None, data_dir: Path) -> str:
    doc = yaml.safe_load((data_dir / "taxonomy.yaml").read_text(encoding="utf-8")) or {}
    terms = doc.get("life_domains") or []
    if answer:
        wanted = _one_line(answer, 80).lower()
        for t in terms:
            if wanted in (str(t.get("name", "")).lower(), str(t.get("id", "")).lower()):
                return t["id"]
    raise IssueError("kies een levensgebied uit de lijst in het formulier")


def result_comment(ok: bool, message: str) -> str:
    """The Dutch comment on the issue; `message` is our own text or `kaart check` output (put in a code block)."""
    fence = "````"
    safe = message.replace(fence, "'''")
    if ok:
        return ("Dank u wel! Van dit voorstel is een pull request gemaakt met het nieuwe bestand. "
                "De controle (`kaart check`) vond geen fouten. Een redacteur van de gemeente kijkt ernaar.\n\n"
                f"{fence}\n{safe}\n{fence}\n")
    return ("Dank u wel voor het voorstel. Er kon nog geen bestand van gemaakt worden, of de controle vond fouten:\n\n"
            f"{fence}\n{safe}\n{fence}\n\nPas het issue aan (bewerk de tekst); dan wordt het opnieuw geprobeerd.\n")
