"""The private overlay: warm contacts for professionals, kept outside the public repository.

Layout: `<overlay>/contacts/<id>.yaml`, one warm contact per file (schemas/warm-contact.schema.json).
The overlay is read only by `kaart check --private` and the professional build; the public build never
touches it. Entry points:

- `check_private(private_dir, data_dir)`: every problem, in the same `path:line:col` form as the public data.
- `overlay_problems(private_dir, model)`: the same, when the public model is already loaded.
- `load_private(private_dir, model)`: provider id → its contacts, for the professional build.
- `vcard(contact, provider_name)`: a vCard 4.0 (RFC 6350) for one contact.
- `overlay_values(contacts)`: the strings that must never appear in a public build (the leak test).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import phonenumbers

from .load import Document, display_path, load_file
from .markup import dutch_date, esc, rel
from .material import warning_banner
from .model import Model
from .pages import url
from .problems import ERROR, WARNING, Problem
from .schemas import schema_problems
from .validate import Checker, check, today

#: The one folder of the overlay that holds records.
CONTACTS_DIR = "contacts"
KIND = "warm-contact"
NAMED_PERSON = "named-person"
FUNCTIONAL_LINE = "functional-line"
#: Order of contacts on a provider page: team lines first (they outlive people), then persons.
KIND_ORDER = {FUNCTIONAL_LINE: 0, NAMED_PERSON: 1}

#: Fields whose values are, by design, public: references to public records, enumerations and dates.
#: They are left out of overlay_values(), because the public site rightly contains them.
PUBLIC_FIELDS = frozenset({
    ("provider",), ("role",), ("kind",), ("consent", "basis"),
    ("review_date",), ("verified", "date"), ("consent", "recorded_on"), ("waiting_time", "date"),
})
#: Shortest string that counts as a sensitive overlay value (shorter ones occur everywhere).
MIN_SENSITIVE_LENGTH = 4

#: Domains that are reserved for examples (RFC 2606/6761): demo contacts must use one of these.
_DEMO_EMAIL = re.compile(r"@(?:[a-z0-9-]+\.)*(?:example|test|invalid|localhost|example\.(?:com|org|net))$", re.I)

#: vCard lines are folded at 75 octets (RFC 6350 §3.2).
VCARD_LINE_OCTETS = 75

CONTACT_ID_HINT = "Elk contact heeft een eigen id, bijvoorbeeld met de naam van de aanbieder erbij."

_OVERLAY_HINT = ("Een besloten laag heeft deze indeling: <map>/contacts/<id>.yaml, één warm contact per bestand. "
                 "Zie docs/professionals.md.")


class PrivateOverlayError(Exception):
    """The overlay has errors; `problems` holds all of them (errors and warnings)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = sum(p.severity == ERROR for p in problems)
        super().__init__(f"de besloten laag bevat {errors} fout(en); controleer met 'kaart check --private'")


# --- public API ---------------------------------------------------------------------------------------

def check_private(private_dir: Path | str, data_dir: Path | str = "data",
                  public: tuple[Model | None, list[Problem]] | None = None) -> list[Problem]:
    """All problems of the overlay. Cross-checks against the public data when that data is valid.

    `public` is the result of validate.check(data_dir) when the caller already has it (saves a second check).
    """
    if not Path(private_dir).is_dir():  # say so at once; the public data need not be read for that
        return _check(Path(private_dir), None, Path(data_dir))[1]
    model, data_problems = public if public is not None else check(data_dir)
    public_errors = any(p.severity == ERROR for p in data_problems)
    _, problems = _check(Path(private_dir), model, Path(data_dir))
    if model is None and public_errors:
        problems.append(Problem(display_path(Path(private_dir)), 1, 1, WARNING, "private-refs-unchecked",
                                "de verwijzingen naar aanbieders en rollen zijn niet gecontroleerd, omdat de "
                                "openbare gegevens fouten bevatten",
                                "Los eerst de fouten in de openbare gegevens op en controleer dan opnieuw."))
    return problems


def overlay_problems(private_dir: Path | str, model: Model) -> list[Problem]:
    """All problems of the overlay, checked against an already loaded public model (e.g. in `kaart build`)."""
    return _check(Path(private_dir), model, model.data_dir)[1]


def load_private(private_dir: Path | str, model: Model) -> dict[str, list[dict[str, Any]]]:
    """Provider id → its warm contacts (team lines first, then persons, each by name), providers sorted by id.

    Pass the full model: a contact of a provider that is not in `model` is an error, never silently dropped.
    Raises PrivateOverlayError when the overlay has errors.
    """
    contacts, problems = _check(Path(private_dir), model, model.data_dir)
    if any(p.severity == ERROR for p in problems):
        raise PrivateOverlayError(problems)
    by_provider: dict[str, list[dict[str, Any]]] = {}
    for contact in contacts:
        by_provider.setdefault(contact["provider"], []).append(contact)
    for items in by_provider.values():
        items.sort(key=lambda c: (KIND_ORDER[c["kind"]], c["name"].casefold(), c["id"]))
    return dict(sorted(by_provider.items()))


def overlay_values(contacts: Mapping[str, list[dict]] | Iterable[dict]) -> set[str]:
    """Every sensitive string of the overlay: what a public build must never contain.

    That is every string value of every contact of at least MIN_SENSITIVE_LENGTH characters, except the
    PUBLIC_FIELDS (provider and role ids, enumerations, dates); plus the forms in which a page would show
    them: HTML-escaped text, a phone number in international (+31…) and digits-only form.
    """
    if isinstance(contacts, Mapping):
        contacts = [c for items in contacts.values() for c in items]
    values: set[str] = set()

    def walk(value: Any, where: tuple) -> None:
        if where in PUBLIC_FIELDS:
            return
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, where + (key,))
        elif isinstance(value, list):
            for item in value:
                walk(item, where)
        elif isinstance(value, str) and len(value.strip()) >= MIN_SENSITIVE_LENGTH:
            text = value.strip()
            values.add(text)
            values.add(html.escape(text, quote=False))
            values.add(html.escape(text))

    for contact in contacts:
        walk(contact, ())
        if isinstance(contact.get("phone"), str):
            e164 = _e164(contact["phone"])
            if e164:
                values.update({e164, "0" + e164[3:] if e164.startswith("+31") else e164[1:]})
        if isinstance(contact.get("email"), str):
            values.add(contact["email"].lower())
    return values


def vcard(contact: Mapping[str, Any], provider_name: str) -> str:
    """A vCard 4.0 (RFC 6350) for one contact: CRLF line endings, escaped text, lines folded at 75 octets."""
    lines = ["BEGIN:VCARD", "VERSION:4.0"]
    if contact.get("kind") == NAMED_PERSON:
        lines.append("KIND:individual")
    lines.append("FN:" + _escape(contact["name"]))
    lines.append("ORG:" + _escape(provider_name))  # one component: a ';' in the name is escaped
    if contact.get("function"):
        lines.append("TITLE:" + _escape(contact["function"]))
    if contact.get("phone"):
        e164 = _e164(contact["phone"])
        if e164:
            lines.append("TEL;VALUE=uri;TYPE=work,voice:tel:" + e164)
        else:  # not reachable for validated data; keep the number as text rather than drop it
            lines.append("TEL;VALUE=text;TYPE=work,voice:" + _escape(contact["phone"]))
    if contact.get("email"):
        lines.append("EMAIL;TYPE=work:" + _escape(contact["email"]))
    note = _note(contact)
    if note:
        lines.append("NOTE:" + _escape(note))
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


# --- rendering (professional build) -------------------------------------------------------------------

#: Shown on every page of the professional build (site.py puts it above the header).
BANNER_TEXT = ("Professionele versie van de Sociale Kaart, met warme contacten. Alleen voor professionals: "
               "deze site hoort achter toegangscontrole (inloggen) en mag niet openbaar online staan.")
KIND_LABELS = {FUNCTIONAL_LINE: "Teamlijn of functie (geen persoon)", NAMED_PERSON: "Persoon met naam"}
BASIS_LABELS = {"toestemming": "toestemming", "gerechtvaardigd-belang": "gerechtvaardigd belang",
                "publieke-taak": "publieke taak"}


def banner(docs_href: str) -> str:
    """The professional-version banner; `docs_href` links to the page that explains access control."""
    return warning_banner("Professionele versie", "<p><strong>Let op:</strong> " + esc(BANNER_TEXT)
                          + f' <a href="{esc(docs_href)}">Waarom?</a></p>')


def vcard_filename(contact: Mapping[str, Any]) -> str:
    """The vCard file of a contact, next to its provider's page (`aanbieders/<provider>/<id>.vcf`)."""
    return f"{contact['id']}.vcf"


def render_contacts(rec: Any, contacts: list[Mapping[str, Any]], roles: Mapping[str, str] | None = None,
                    on: Any = None) -> str:
    """The "Voor professionals" section of a provider page: every warm contact in full, with a vCard link.

    `rec` is the provider record (`.id`); `roles` maps role id → name (for the role links); `on` is the
    reference date for the overdue note (default: validate.today()). All overlay text is escaped.
    """
    here = url("provider", rec.id)
    on = on or today()
    cards = "".join(_card(here, c, roles or {}, on) for c in contacts)
    return ('<section class="kaart-pro" aria-labelledby="voor-professionals">'
            '<h2 id="voor-professionals">Voor professionals</h2>'
            "<p>Warme contacten: direct bereikbaar voor professionals. Geef deze gegevens niet aan inwoners; "
            "verwijs inwoners naar de gewone contactgegevens hierboven.</p>" + cards + "</section>")


def render_role_contacts(here: str, entries: list[tuple[str, str, Mapping[str, Any]]]) -> str:
    """The "Voor professionals" section of a role page. `entries`: (provider id, provider name, contact)."""
    if not entries:
        body = "<p>Er zijn nog geen warme contacten met deze rol vastgelegd.</p>"
    else:
        body = ("<p>Warme contacten met deze rol, per organisatie.</p><ul class=\"kaart-pro-list\">"
                + "".join(f"<li>{_compact(here, pid, c, provider_name=name)}</li>" for pid, name, c in entries)
                + "</ul>")
    return ('<section class="kaart-pro" aria-labelledby="voor-professionals">'
            f'<h2 id="voor-professionals">Voor professionals</h2>{body}</section>')


def render_signal_contacts(here: str, groups: list[tuple[str, list[tuple[str, str, Mapping[str, Any]]]]]) -> str:
    """The "Voor professionals" section of a signal page: the warm contacts of each role that picks the signal up.
    `groups`: (role name, [(provider id, provider name, contact)])."""
    if not any(entries for _, entries in groups):
        body = ("<p>Er zijn nog geen warme contacten vastgelegd voor de rollen die dit signaal oppakken. "
                "Gebruik de gewone contactgegevens op de pagina van de rol.</p>")
    else:
        body = "<p>Warme contacten van de rollen die dit signaal oppakken. Vraag eerst toestemming als dat nodig is.</p>"
        body += "".join(f"<h3>{esc(role)}</h3>" + ('<ul class="kaart-pro-list">' + "".join(
            f"<li>{_compact(here, pid, c, provider_name=name)}</li>" for pid, name, c in entries) + "</ul>"
            if entries else "<p>Nog geen warme contacten met deze rol.</p>") for role, entries in groups)
    return ('<section class="kaart-pro" aria-labelledby="voor-professionals">'
            f'<h2 id="voor-professionals">Voor professionals</h2>{body}</section>')


def render_gemeente_contacts(here: str, groups: list[tuple[str, str, list[Mapping[str, Any]]]]) -> str:
    """The "Voor professionals" section of a gemeente page. `groups`: (provider id, name, its contacts)."""
    if not groups:
        body = "<p>Er zijn nog geen warme contacten vastgelegd voor organisaties in deze gemeente.</p>"
    else:
        body = "<p>Warme contacten van organisaties in deze gemeente.</p>" + "".join(
            f'<h3><a href="{esc(rel(here, url("provider", pid, anchor="voor-professionals")))}">{esc(name)}</a></h3>'
            '<ul class="kaart-pro-list">' + "".join(f"<li>{_compact(here, pid, c)}</li>" for c in contacts) + "</ul>"
            for pid, name, contacts in groups)
    return ('<section class="kaart-pro" aria-labelledby="voor-professionals">'
            f'<h2 id="voor-professionals">Voor professionals</h2>{body}</section>')


def _card(here: str, c: Mapping[str, Any], roles: Mapping[str, str], on) -> str:
    rows = []
    if c.get("function"):
        rows.append(("Functie", esc(c["function"])))
    rows.append(("Soort", esc(KIND_LABELS.get(c["kind"], c["kind"]))))
    if c.get("role"):
        name = roles.get(c["role"])
        rows.append(("Rol", f'<a href="{esc(rel(here, url("role", c["role"])))}">{esc(name)}</a>'
                     if name else esc(c["role"])))
    rows += _reach_rows(c)
    if c.get("availability"):
        rows.append(("Bereikbaar", esc(c["availability"])))
    parts = [f'<div class="kaart-card kaart-warm-contact" id="contact-{esc(c["id"])}">',
             f"<h3>{esc(c['name'])}</h3>", _dl(rows)]
    handover = c.get("handover") or {}
    steps = [(label, esc(handover[key])) for key, label in
             (("what_to_send", "Wat stuurt u mee?"), ("what_to_say", "Wat zegt u erbij?"),
              ("response_time", "Wanneer krijgt u antwoord?")) if handover.get(key)]
    if steps:
        parts.append(f'<h4 id="overdracht-{esc(c["id"])}">Warme overdracht</h4>' + _dl(steps))
    waiting = c.get("waiting_time")
    if waiting:
        parts.append(f"<p><strong>Wachttijd:</strong> {esc(waiting['description'])} "
                     f"(peildatum {esc(dutch_date(waiting['date']))})</p>")
    review = c["review_date"]
    if review < on.isoformat():
        parts.append('<p class="kaart-pro-overdue" role="note"><strong>Let op:</strong> dit contact had vóór '
                     f"{esc(dutch_date(review))} opnieuw bevestigd moeten worden. Misschien klopt het niet meer.</p>")
    meta = [f"Gecontroleerd op {esc(dutch_date(c['verified']['date']))} door {esc(c['verified']['by'])}."]
    consent = c.get("consent")
    if consent:
        meta.append(f"Grondslag (AVG): {esc(BASIS_LABELS.get(consent['basis'], consent['basis']))}, vastgelegd op "
                    f"{esc(dutch_date(consent['recorded_on']))} door {esc(consent['recorded_by'])}.")
    meta.append(f"Opnieuw bevestigen vóór {esc(dutch_date(review))}.")
    parts.append(f'<p class="kaart-pro-meta">{" ".join(meta)}</p>')
    parts.append(f'<p><a href="{esc(vcard_filename(c))}" download type="text/vcard" '
                 f'aria-label="Download vCard van {esc(c["name"])}">Download vCard</a> '
                 "(voor uw adresboek)</p></div>")
    return "".join(parts)


def _compact(here: str, pid: str, c: Mapping[str, Any], provider_name: str | None = None) -> str:
    """One contact on one line: name, function, provider link (role pages), phone, e-mail, vCard."""
    bits = [f"<strong>{esc(c['name'])}</strong>"
            + (f" ({esc(c['function'])})" if c.get("function") else "")]
    if provider_name is not None:
        bits.append(f'<a href="{esc(rel(here, url("provider", pid, anchor="contact-" + c["id"])))}">{esc(provider_name)}</a>')
    bits += [value for _, value in _reach_rows(c)]
    bits.append(f'<a href="{esc(rel(here, url("provider", pid)) + vcard_filename(c))}" download type="text/vcard" '
                f'aria-label="Download vCard van {esc(c["name"])}">vCard</a>')
    return " · ".join(bits)


def _reach_rows(c: Mapping[str, Any]) -> list[tuple[str, str]]:
    rows = []
    if c.get("phone"):
        e164 = _e164(c["phone"])
        number = esc(c["phone"])
        rows.append(("Telefoon", f'<a href="tel:{esc(e164)}">{number}</a>' if e164 else number))
    if c.get("email"):
        rows.append(("E-mail", f'<a href="mailto:{esc(c["email"])}">{esc(c["email"])}</a>'))
    return rows


def _dl(rows: list[tuple[str, str]]) -> str:
    return '<dl class="kaart-facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


# --- checking -----------------------------------------------------------------------------------------

def _check(private_dir: Path, model: Model | None, data_dir: Path) -> tuple[list[dict], list[Problem]]:
    shown_dir = display_path(private_dir)
    if not private_dir.is_dir():
        return [], [Problem(shown_dir, 1, 1, ERROR, "private-dir-missing",
                            f"de besloten map '{shown_dir}' bestaat niet"
                            + (" (het is een bestand)" if private_dir.exists() else ""),
                            "Geef met --private de map van de besloten laag, met daarin de map contacts/. "
                            + _OVERLAY_HINT)]
    problems: list[Problem] = []
    if _inside(private_dir, data_dir):
        problems.append(Problem(shown_dir, 1, 1, ERROR, "private-inside-data",
                                "de besloten laag staat in de map met openbare gegevens",
                                "Zet warme contacten in een aparte, besloten repository buiten de openbare "
                                "Sociale Kaart. Alles in data/ wordt openbaar."))
    files, found = _discover(private_dir)
    problems += found
    if not (private_dir / CONTACTS_DIR).is_dir():
        problems.append(Problem(shown_dir, 1, 1, ERROR, "contacts-missing",
                                f"de map '{CONTACTS_DIR}/' ontbreekt in '{shown_dir}'",
                                "Maak de map contacts/ aan met één YAML-bestand per contact. " + _OVERLAY_HINT))

    c = Checker(today())
    c.problems = problems
    roles = set(model.roles) if model else None
    contacts: list[dict] = []
    first: dict[str, Document] = {}
    for path, shown in files:
        contact = _contact(c, path, shown, first, model, roles)
        if contact is not None:
            contacts.append(contact)
    if not files and (private_dir / CONTACTS_DIR).is_dir():
        c.problems.append(Problem(display_path(private_dir / CONTACTS_DIR), 1, 1, WARNING, "contacts-empty",
                                  "de besloten laag bevat geen contacten",
                                  "Voeg per warm contact een bestand contacts/<id>.yaml toe."))
    return contacts, c.problems


def _contact(c: Checker, path: Path, shown: str, first: dict[str, Document], model: Model | None,
             roles: set[str] | None) -> dict | None:
    """Every problem of one contact file (the rules of the warm-contact kind); its data when schema-valid."""
    doc, load_problems = load_file(path, shown)
    c.problems += load_problems
    if doc is None:
        return None
    schema_errs = schema_problems(KIND, doc)
    c.problems += schema_errs
    d = doc.data
    if not isinstance(d, dict):
        return None
    rid = d.get("id")
    if isinstance(rid, str):
        c.record_id(doc, rid, path.stem, first, CONTACT_ID_HINT)
    if d.get("kind") == NAMED_PERSON and "consent" not in d:
        c.error(doc, ["kind"], "consent-missing",
                "bij een persoon met naam (named-person) hoort een vastgelegde grondslag, maar 'consent' ontbreekt",
                "Leg vast op welke grondslag (AVG) u de naam bewaart: voeg consent toe met basis, recorded_on en "
                "recorded_by. Is er geen grondslag? Haal de naam weg en gebruik kind: functional-line.")
    if schema_errs:
        return None
    _cross_check(c, doc, d, model, roles)
    return d


def _cross_check(c: Checker, doc: Document, d: dict, model: Model | None, roles: set[str] | None) -> None:
    demo: bool | None = None
    if model is not None:
        c.ref(doc, ["provider"], d["provider"], model.providers, "aanbieder", "ref-unknown-provider",
              "Gebruik de id van een aanbieder uit de openbare gegevens (de bestandsnaam in "
              "data/providers/<gemeente>/ zonder .yaml).")
        if d["provider"] in model.providers:
            demo = model.is_demo(model.providers[d["provider"]])
    if roles is not None and "role" in d:
        c.ref(doc, ["role"], d["role"], roles, "rol", "ref-unknown-role", "Gebruik een id uit data/roles/ (zie /rollen/).")
    if "phone" not in d and "email" not in d:
        c.error(doc, ["name"], "contact-missing", "er staat geen telefoonnummer en geen e-mailadres bij",
                "Een warm contact is er om iemand direct te bereiken: vul phone of email in.")
    if "phone" in d:
        _phone(c, doc, d["phone"], demo)
    if "email" in d and demo is not None:
        fictional = bool(_DEMO_EMAIL.search(d["email"]))
        if demo and not fictional:
            c.error(doc, ["email"], "email-demo-range",
                    f"'{d['email']}' kan een echt adres zijn, maar dit is een voorbeeldgemeente",
                    "Gebruik in voorbeeldgegevens alleen adressen op een voorbeelddomein, "
                    "zoals naam@voorbeeldstad.example.")
        elif fictional and not demo:
            c.error(doc, ["email"], "email-fictional",
                    f"'{d['email']}' is een verzonnen voorbeeldadres, maar dit is een echte gemeente",
                    "Vul het echte e-mailadres in, of laat het veld weg.")
    if "consent" in d:
        c.date(doc, ["consent", "recorded_on"], d["consent"]["recorded_on"])
    if "waiting_time" in d:
        c.date(doc, ["waiting_time", "date"], d["waiting_time"]["date"])
    c.verified(doc, ["verified"], d["verified"])
    review = c.date(doc, ["review_date"], d["review_date"], future_ok=True)
    if review and review < c.today:
        c.warning(doc, ["review_date"], "review-overdue",
                  f"dit contact had voor {d['review_date']} opnieuw bevestigd moeten worden",
                  "Vraag na of het contact nog klopt en nog in de kaart mag staan. Ja: zet een nieuwe review_date "
                  "en verified. Nee: verwijder het bestand (zie docs/professionals.md).")


def _phone(c: Checker, doc: Document, number: str, demo: bool | None) -> None:
    if demo is not None:
        c.phone(doc, ["phone"], number, demo)
        return
    # Provider unknown: we cannot tell demo from real, so only the number itself is checked.
    probe = Checker(c.today)
    probe.phone(doc, ["phone"], number, demo=False)
    c.problems += [p for p in probe.problems if p.code == "phone-invalid"]


def _discover(private_dir: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """contacts/*.yaml in a stable order. Hidden files (.git, .gitignore) and non-YAML files outside
    contacts/ (README.md) are ignored; anything else is in the wrong place."""
    files: list[tuple[Path, str]] = []
    problems: list[Problem] = []

    def wrong(shown: str, code: str, message: str, hint: str) -> None:
        problems.append(Problem(shown, 1, 1, ERROR, code, message, hint))

    for root, dirs, names in os.walk(private_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        parts = Path(root).relative_to(private_dir).parts
        in_contacts = parts == (CONTACTS_DIR,)
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(root) / name
            shown = display_path(path)
            is_yaml = name.endswith((".yaml", ".yml"))
            if not is_yaml and not (parts and parts[0] == CONTACTS_DIR):
                continue  # README.md, LICENSE … next to contacts/
            if path.is_symlink():
                wrong(shown, "file-symlink", "symbolische links worden niet gelezen", "Zet het echte bestand op deze plek.")
            elif not in_contacts:
                wrong(shown, "file-location", "dit bestand staat op een plek waar de besloten laag geen contacten verwacht",
                      f"Zet elk warm contact direct in {CONTACTS_DIR}/ (geen submappen). " + _OVERLAY_HINT)
            elif name.endswith(".yml"):
                wrong(shown, "file-extension", "de bestandsnaam eindigt op .yml", f"Hernoem het bestand naar {name[:-4]}.yaml.")
            elif not is_yaml:
                wrong(shown, "file-location", f"in {CONTACTS_DIR}/ horen alleen .yaml-bestanden",
                      "Haal het bestand weg of zet het naast de map contacts/ (bijvoorbeeld een README.md).")
            else:
                files.append((path, shown))
    return files, problems


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except (ValueError, OSError):
        return False
    return True


# --- vCard --------------------------------------------------------------------------------------------

def _e164(number: str) -> str | None:
    try:
        parsed = phonenumbers.parse(number, "NL")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _note(contact: Mapping[str, Any]) -> str:
    parts = []
    if contact.get("availability"):
        parts.append(f"Bereikbaar: {contact['availability']}")
    handover = contact.get("handover") or {}
    for key, label in (("what_to_send", "Stuur mee"), ("what_to_say", "Zeg erbij"), ("response_time", "Reactietijd")):
        if handover.get(key):
            parts.append(f"{label}: {handover[key]}")
    waiting = contact.get("waiting_time")
    if waiting:
        parts.append(f"Wachttijd: {waiting['description']} (peildatum {waiting['date']})")
    return "\n".join(parts)


def _escape(text: str) -> str:
    """RFC 6350 §3.4: backslash, comma, semicolon and newline are escaped in text values."""
    text = str(text).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 6350 §3.2)."""
    out: list[str] = []
    current, size, limit = "", 0, VCARD_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, VCARD_LINE_OCTETS  # the leading space counts toward the 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


__all__ = ["BANNER_TEXT", "CONTACTS_DIR", "PUBLIC_FIELDS", "PrivateOverlayError", "banner", "check_private",
           "load_private", "overlay_problems", "overlay_values", "render_contacts", "render_gemeente_contacts",
           "render_role_contacts", "vcard", "vcard_filename"]
