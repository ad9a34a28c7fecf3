"""`kaart new`: write a valid, commented skeleton record at the right path."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from .validate import today


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].strip("-")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


PROVIDER = """\
# Aanbieder: één organisatie per bestand. De bestandsnaam is gelijk aan het id.
# Alle velden staan uitgelegd op /bijdragen/ (veldenoverzicht). Regels met # zijn uitleg en mogen weg.
id: {id}
name: {name}
# Wat doet deze organisatie? Twee of drie korte zinnen, in gewone taal.
description: Vul hier in wat deze organisatie doet en voor wie.
# Rollen uit data/roles/: {roles}.
# roles: [{role}]
# Levensgebieden uit data/taxonomy.yaml: {life_domains}.
life_domains: [{life_domain}]
# target_groups: [iedereen]
# website: https://www.example.nl
# email: info@example.nl
# phones:
#   - number: "050 123 4567"
#     type: voice
services:
  - id: {id}-dienst
    name: Naam van de dienst
    description: Wat krijgt een inwoner hier?
    status: active
    # application_process: Bel of loop binnen. U hoeft geen verwijzing te hebben.
    # cost: {{type: gratis}}
    # languages: [nl]
# locations:
#   - id: hoofdlocatie
#     name: Hoofdlocatie
#     address: {{street: Straatnaam 1, postcode: "1234 AB", city: Plaats}}
#     opening_hours:
#       - {{days: [MO, TU, WE, TH, FR], opens: "09:00", closes: "17:00"}}
verified:
  date: "{today}"
  by: Vul uw functie of team in
"""

ROLE = """\
# Rol: een landelijke functie die in veel organisaties voorkomt. Elke bewering heeft een officiële bron.
id: {id}
name: {name}
summary: Eén of twee zinnen over wat deze rol voor een inwoner doet.
does:
  - Wat doet deze rol?
does_not:
  - Wat doet deze rol niet?
when:
  - Wanneer gaat u hierheen?
legal_basis:
  - law: {law}          # id uit data/taxonomy.yaml (laws): {laws}
    article: artikel 2.3.2  # laat weg als u het artikel niet zeker weet
payer: gemeente            # gemeente, zorgverzekeraar, zorgkantoor, uwv, werkgever, rijksoverheid, inwoner, fondsen, wisselend
who_pays: Leg in gewone taal uit wie dit betaalt.
cost:
  type: gratis             # gratis, eigen-bijdrage, eigen-risico, betaald, wisselend
how_to_reach:
  - Hoe komt u in contact met deze rol?
life_domains: [{life_domain}]   # ids uit data/taxonomy.yaml: {life_domains}
sources:
  - url: https://wetten.overheid.nl/BWBR0035362
    title: Wet maatschappelijke ondersteuning 2015
verified:
  date: "{today}"
  by: Vul uw functie of team in
"""

NEED = """\
# Hulpvraag met de trap: eerst zelf, dan uw netwerk, dan algemene voorzieningen, pas dan maatwerk.
id: {id}
name: {name}
question: Schrijf de vraag zoals een inwoner hem stelt, in de ik-vorm.
life_domain: {life_domain}       # id uit data/taxonomy.yaml: {life_domains}
summary: Eén of twee zinnen over deze vraag.
ladder:
  own_strength:
    - Wat kunt u zelf doen?
  network:
    - Wat kunnen familie, vrienden of buren doen?
  general_provisions:
    - id: buurthuis
      name: Buurthuis
      description: Hulp zonder aanvraag, voor iedereen.
  # individual_provisions:
  #   - id: begeleiding
  #     name: Begeleiding (Wmo)
  #     description: Hulp na een gesprek met de gemeente.
  #     law: {law}
  #     payer: gemeente
  #     alternatives: [buurthuis]   # eerst te proberen algemene voorzieningen
roles: [{role}]             # ids uit data/roles/: {roles}
sources:
  - url: https://www.rijksoverheid.nl/onderwerpen/zorg-en-ondersteuning-thuis
    title: Zorg en ondersteuning thuis
verified:
  date: "{today}"
  by: Vul uw functie of team in
"""


def _ids_in(data_dir: Path) -> dict[str, list[str]]:
    """The ids a skeleton may refer to, from this data dir (never a fixed id that another data dir may lack)."""
    try:
        taxonomy = yaml.safe_load((data_dir / "taxonomy.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        taxonomy = {}
    terms = {key: [t["id"] for t in taxonomy.get(key) or [] if isinstance(t, dict) and "id" in t]
             for key in ("life_domains", "laws")} if isinstance(taxonomy, dict) else {}
    return {"life_domains": terms.get("life_domains", []), "laws": terms.get("laws", []),
            "roles": sorted(p.stem for p in (data_dir / "roles").glob("*.yaml"))}


def _fill(template: str, kind: str, data_dir: Path, **values: str) -> str:
    ids = _ids_in(data_dir)
    needs = {"provider": ["life_domains"], "role": ["life_domains", "laws"], "need": ["life_domains", "roles"]}[kind]
    where = {"life_domains": "levensgebieden (life_domains) in taxonomy.yaml", "laws": "wetten (laws) in taxonomy.yaml",
             "roles": "rollen in roles/ (maak er eerst een met: kaart new role --naam \"…\")"}
    for key in needs:
        if not ids[key]:
            raise ValueError(f"{data_dir} heeft geen {where[key]}; een nieuw record moet daarnaar verwijzen")
    first = {key: (ids[key] or ["…"])[0] for key in ids}
    return template.format(**values, life_domain=first["life_domains"], law=first["laws"], role=first["roles"],
                           **{key: ", ".join(ids[key]) or "(nog geen)" for key in ids})


def new_record(kind: str, name: str, data_dir: Path, gemeente: str | None) -> Path:
    """Write the skeleton; returns its path. Raises FileExistsError/ValueError with a Dutch message."""
    rid = slugify(name)
    if not rid:
        raise ValueError("de naam bevat geen letters of cijfers; geef een naam als \"Buurthuis De Linde\"")
    if kind == "provider":
        if not gemeente:
            raise ValueError("geef met --gemeente aan in welke gemeente de aanbieder zit (of 'landelijk')")
        if slugify(gemeente) != gemeente:
            raise ValueError(f"'{gemeente}' is geen gemeente-id; gebruik kleine letters en streepjes, zoals 'voorbeeldstad'")
        folder = data_dir / "providers" / gemeente
        template = PROVIDER
    elif kind == "role":
        folder, template = data_dir / "roles", ROLE
    else:
        folder, template = data_dir / "needs", NEED
    path = folder / f"{rid}.yaml"
    if path.exists():
        raise FileExistsError(f"{path} bestaat al; kies een andere naam of pas dat bestand aan")
    text = _fill(template, kind, data_dir, id=rid, name=_quote(name), today=today().isoformat())
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
