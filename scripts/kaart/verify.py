"""The verification round: `kaart verify <id>` marks a record as checked today, and `kaart stale --issues DIR`
writes one issue text per gemeente with a checklist of records to re-check (the monthly workflow posts them).

`verify` edits the text of the file, not a re-dump of its data: only the two values of `verified.date` and
`verified.by` change, so comments, key order, quoting and line breaks everywhere else stay exactly as they were.
The positions come from libyaml's composed nodes (they carry character offsets).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from pathlib import Path

import yaml

from .limits import MAX_ROUND_ITEMS
from .load import NATIONAL

#: Where records of each kind live under the data dir; providers have one folder per gemeente.
RECORD_GLOBS = ("providers/*/{id}.yaml", "roles/{id}.yaml", "needs/{id}.yaml")


class VerifyError(Exception):
    """The record cannot be marked as checked; the message says why and what to do (Dutch)."""


def find_record(data_dir: Path, rid: str) -> Path:
    if not rid or "/" in rid or rid.startswith("."):
        raise VerifyError(f"'{rid}' is geen id. Een id is de bestandsnaam zonder .yaml, bijvoorbeeld buurthuis-de-linde.")
    found = [p for pattern in RECORD_GLOBS for p in sorted(Path(data_dir).glob(pattern.format(id=rid)))]
    if not found:
        raise VerifyError(f"geen aanbieder, rol of hulpvraag met id '{rid}' in {data_dir}. "
                          "Het id is de bestandsnaam zonder .yaml; zoek het op met: kaart stale")
    if len(found) > 1:
        raise VerifyError(f"id '{rid}' komt meer dan eens voor: {', '.join(map(str, found))}. Los dat eerst op "
                          "(kaart check meldt het ook).")
    return found[0]


def _scalar(mapping: yaml.MappingNode, key: str) -> yaml.ScalarNode | None:
    for k, v in mapping.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v if isinstance(v, yaml.ScalarNode) else None
    return None


def set_verified(text: str, date: str, by: str | None) -> str:
    """`text` with verified.date (and verified.by when given) replaced; everything else byte for byte."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise VerifyError(f"het bestand is geen geldige YAML ({exc.problem}); los dat eerst op (kaart check)") from exc
    verified = None
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if isinstance(k, yaml.ScalarNode) and k.value == "verified" and isinstance(v, yaml.MappingNode):
                verified = v
    if verified is None:
        raise VerifyError("het record heeft geen blok 'verified' met date en by; voeg het toe (zie het "
                          "veldenoverzicht) en probeer opnieuw")
    edits = []
    for key, value in (("date", date), ("by", by)):
        if value is None:
            continue
        node = _scalar(verified, key)
        if node is None:
            raise VerifyError(f"verified.{key} ontbreekt of is geen enkele waarde; zet het erin en probeer opnieuw")
        # A JSON string is a valid YAML double-quoted scalar: any name is safe, on one line.
        edits.append((node.start_mark.index, node.end_mark.index, json.dumps(value, ensure_ascii=False)))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def verify(data_dir: Path, rid: str, by: str | None, today: dt.date) -> Path:
    path = find_record(data_dir, rid)
    if by is not None and (not by.strip() or "\n" in by):
        raise VerifyError("--by moet een naam of team op één regel zijn, bijvoorbeeld --by \"Redactie Voorbeeldstad\"")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VerifyError(f"{path} kan niet gelezen worden ({exc})") from exc
    new = set_verified(text, today.isoformat(), by.strip() if by else None)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return path


# --- the monthly round: one issue per gemeente ---------------------------------------------------------

def round_issues(model, records, months: int, repo_url: str, branch: str = "main") -> dict[str, tuple[str, str]]:
    """gemeente id → (issue title, Markdown body) with a checklist of stale records and their edit links.

    Only a gemeente with its own editors gets its own issue: records of the 300+ gemeenten nobody edits yet go to
    the national issue for the maintainers, so the round never opens hundreds of issues nobody is called to."""
    from .editors import _handle

    by_gemeente: dict[str, list] = {}
    for rec in records:
        own = model.gemeenten.get(rec.gemeente, {}).get("editors")
        by_gemeente.setdefault(rec.gemeente if own else NATIONAL, []).append(rec)
    out = {}
    for gemeente, recs in sorted(by_gemeente.items()):
        muni = model.gemeenten.get(gemeente, {})
        name = "Landelijk" if gemeente == NATIONAL else muni.get("name", gemeente)
        editors = [_handle(e) for e in muni.get("editors") or []] or ["@sociale-kaart/maintainers"]
        lines = [f"Controleronde voor **{name}**: deze {len(recs)} record(s) zijn langer dan {months} maanden niet "
                 "nagekeken.", "",
                 f"Redacteuren (CODEOWNERS): {' '.join(editors)}", "",
                 "Zo werkt het: bel of mail de organisatie, pas aan wat niet klopt en zet de datum van vandaag bij "
                 "`verified.date` (of typ `kaart verify <id> --by \"uw team\"`). Vink het record daarna hier af.", ""]
        for r in recs[:MAX_ROUND_ITEMS]:
            rel = _repo_path(model.data_dir, r.path)
            edit = f"{repo_url}/edit/{branch}/{urllib.parse.quote(rel)}"
            lines.append(f"- [ ] {_md(r.name)} (`{r.id}`): laatst gecontroleerd op {r.verified.isoformat()} — "
                         f"[aanpassen]({edit})")
        if len(recs) > MAX_ROUND_ITEMS:
            lines += ["", f"En nog {len(recs) - MAX_ROUND_ITEMS} record(s). Typ `kaart stale` voor de hele lijst; "
                          "Die komen in een volgende ronde hier."]
        lines += ["", "_Dit issue wordt elke maand bijgewerkt door de workflow 'Controleronde'._"]
        out[gemeente] = (f"Controleronde {name}", "\n".join(lines) + "\n")
    return out


def _md(text: str) -> str:
    """Record names are data: keep them from becoming Markdown links, mentions or HTML in the issue."""
    for ch in "\\`*_[]<>@#|":
        text = text.replace(ch, "\\" + ch)
    return text


def _repo_path(data_dir: Path, path: str) -> str:
    p = Path(path).resolve()
    try:
        return "data/" + p.relative_to(Path(data_dir).resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def write_round(out: Path, issues: dict[str, tuple[str, str]]) -> list[Path]:
    """One `<gemeente>.md` per issue: the title on the first line, then the body."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for gemeente, (title, body) in issues.items():
        target = out / f"{gemeente}.md"
        target.write_text(f"{title}\n{body}", encoding="utf-8")
        written.append(target)
    return written
