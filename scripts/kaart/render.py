"""Pages from the model: one function per page type, each returning a Page with safe HTML.

Nothing here knows about MkDocs: a Page is a URL, a title and an HTML body. `site.py` decides how pages
reach the theme (MkDocs-built pages for the few overview pages, stamped into a theme shell for records).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

from .load import NATIONAL
from .labels import COST_LABELS, DEMO_ADVICE, DEMO_LABEL
from .markup import DAYS, dutch_date, esc, json_ld, link, rel, rich, tel_href
from .material import BUTTON
from .model import Model, Record
from .pages import local_gemeenten, url
from .routes import NEED, QUESTION, graph, ordered_answers, target
from .search import hours_json, map_points_json, provider_hours_json

PAYER_LABELS = {"gemeente": "Gemeente", "zorgverzekeraar": "Zorgverzekeraar", "zorgkantoor": "Zorgkantoor (Wlz)",
                "uwv": "UWV", "werkgever": "Werkgever", "rijksoverheid": "Rijksoverheid", "inwoner": "U zelf",
                "fondsen": "Fondsen", "wisselend": "Wisselend"}
URGENCY_LABELS = {"acuut": "Acuut: handel vandaag", "snel": "Snel: binnen een paar dagen",
                  "normaal": "Normaal: binnen een paar weken"}
STATUS_LABELS = {"inactive": "Tijdelijk niet beschikbaar", "defunct": "Gestopt",
                 "temporarily closed": "Tijdelijk gesloten"}
#: Demo pages: what their title and description carry, and the label search results show (kaart.js, meta "demo").
DEMO_TITLE = "{title} (voorbeeld)"
DEMO_RESULT_LABEL = "Voorbeeld: verzonnen gegevens. Bel of mail niet."
DEMO_DESCRIPTION_MAX = 280
DEMO_MAP_NOTE = "Voorbeeldlocaties: deze plekken zijn verzonnen."
#: An article of the Wmo 2015 on wetten.overheid.nl (its JCI address), for the ladder's two legal facts.
WMO_ARTICLE = "https://wetten.overheid.nl/jci1.3:c:BWBR0035362&artikel={}"
#: Local organisations an 'In <gemeente>' box names for one question, at most (the gemeente page has them all).
LOCAL_BOX_PROVIDERS = 5
#: Search facet (Pagefind filter) on provider pages with warm contacts, in the professional build only.
WARM_CONTACT_FILTER = "warm contact"
#: Marks boilerplate that Pagefind leaves out of the search index: labels and headings that are the same on every
#: provider page ("Contact", "Telefoon:") match every page for such a word and only make the index bigger (Pagefind
#: needs ~0.7 KB of memory per distinct word per page while indexing; benchmarks/README.md, "Bouwen").
NOINDEX = " data-pagefind-ignore"
#: Providers listed per gemeente on a role page before we point to the gemeente page instead.
ROLE_PAGE_PROVIDERS_PER_GEMEENTE = 12


def label_text(label: str) -> str:
    """A visible label ("Telefoon:") before a value, not indexed for search."""
    return f"<span{NOINDEX}>{esc(label)}:</span>"


@dataclass
class Settings:
    site_url: str  # absolute, ends with '/'
    repo_url: str  # https://github.com/owner/name
    branch: str = "main"
    audience: str = "public"
    data_prefix: str = "data"  # path of the data dir inside the repo, for edit links
    professional: dict = field(default_factory=dict)  # provider id → warm contacts (professional build)


@dataclass
class Page:
    url: str  # directory-style, relative to the site root: 'aanbieders/x/' ('' = home)
    title: str
    body: str  # HTML, starts with the <h1>
    description: str = ""
    kind: str = "page"
    filters: dict[str, list[str]] = field(default_factory=dict)  # search facets (Pagefind)
    lastmod: str | None = None
    demo: bool = False  # fictional (Voorbeeldstad): noindex, out of the sitemap, labelled in title and search
    indexed: bool = True  # False: a variant of another page (per gemeente): out of search, sitemap and indexes

    @property
    def noindex(self) -> bool:
        return self.demo or not self.indexed


def _day_range(days: list[str]) -> str:
    """['MO', 'TU', 'WE', 'TH', 'FR'] → 'ma–vr'; days that do not follow each other stay a list ('ma, wo')."""
    order = list(DAYS)
    idx = sorted(order.index(d) for d in days)
    if len(idx) >= 3 and idx == list(range(idx[0], idx[-1] + 1)):
        return f"{DAYS[order[idx[0]]][:2]}–{DAYS[order[idx[-1]]][:2]}"
    return ", ".join(DAYS[order[i]][:2] for i in idx)


def demo_page(page: Page) -> Page:
    """A page about fictional data, so nobody mistakes it for real: "(voorbeeld)" in its title and description."""
    page.title = DEMO_TITLE.format(title=page.title)
    desc = page.description.rstrip(".")
    if len(desc) > DEMO_DESCRIPTION_MAX:  # the page head keeps 300 characters: the label must stay in them
        desc = desc[:DEMO_DESCRIPTION_MAX].rsplit(" ", 1)[0] + " …"
    page.description = DEMO_TITLE.format(title=desc) + "."
    page.demo = True
    return page


class Renderer:
    def __init__(self, model: Model, settings: Settings):
        self.m = model
        self.s = settings
        self._inside_data: dict[str, str] = {}  # source folder → its path inside the data dir (repo_path)

    # small pieces ------------------------------------------------------------------------------------------
    def a_url(self, here: str, url: str) -> str:
        return rel(here, url)

    def a(self, here: str, url: str, text: str, cls: str = "") -> str:
        attr = f' class="{cls}"' if cls else ""
        return f'<a href="{esc(rel(here, url))}"{attr}>{esc(text)}</a>'

    def demo_banner(self, name: str) -> str:
        # Indexed on purpose: the notice is part of the page's search text, so an excerpt can show it too.
        return f'<p class="kaart-demo" role="note"><strong>{esc(DEMO_LABEL)}.</strong> {esc(DEMO_ADVICE)}</p>'

    def phone(self, number: str, demo: bool) -> str:
        """A phone number as a tel: link, or, for a fictional one, as plain text that says it is made up."""
        if demo:
            return f'<span class="kaart-demo-phone">{esc(number)}</span> (verzonnen nummer)'
        # kaart-tel keeps the number on one line (CSS white-space: nowrap); the text stays as written, so a copied
        # number has ordinary spaces (html-validate's tel-non-breaking accepts the class: .htmlvalidate.json).
        return f'<a class="kaart-tel" href="{esc(tel_href(number))}">{esc(number)}</a>'

    def gemeente_name(self, gid: str | None) -> str:
        if not gid or gid == "landelijk":
            return "Landelijk"
        m = self.m.gemeenten.get(gid)
        if not m:
            return gid
        return m["name"] + (" (voorbeeldgemeente)" if m.get("demo") else "")

    def gemeente_url(self, gid: str | None) -> str:
        return url("national") if not gid or gid == NATIONAL else url("gemeente", gid)

    def repo_path(self, rec: Record) -> str:
        """Where the record's YAML lives in the repository (for edit links), whatever the --data dir is."""
        folder, _, name = rec.source.replace(os.sep, "/").rpartition("/")
        inside = self._inside_data.get(folder)
        if inside is None:  # resolved once per folder: resolve() costs a dozen system calls
            try:
                inside = Path(folder or ".").resolve().relative_to(Path(self.m.data_dir).resolve()).as_posix()
            except ValueError:
                inside = ""
            self._inside_data[folder] = inside
        if not inside:
            return rec.source
        return f"{self.s.data_prefix}/{name}" if inside == "." else f"{self.s.data_prefix}/{inside}/{name}"

    def new_provider_link(self, gemeente: str) -> str:
        """The issue form "Nieuwe aanbieder", with the gemeente filled in (it becomes a pull request)."""
        url = (f"{self.s.repo_url}/issues/new?template=nieuwe-aanbieder.yml&labels={quote('nieuwe aanbieder')}"
               f"&gemeente={quote(gemeente)}")
        return link(url, "Nieuwe aanbieder voorstellen")

    def record_footer(self, here: str, source: str, rid: str, verified: dict, name: str,
                      new_in: str | None = None) -> str:
        """Checked-on line, "Meld een fout", the edit link; `new_in` (a gemeente's name) adds "Nieuwe aanbieder"."""
        edit = f"{self.s.repo_url}/edit/{self.s.branch}/{quote(source)}"
        report = (f"{self.s.repo_url}/issues/new?template=fout-melden.yml&record={quote(rid)}"
                  f"&title={quote('Fout in ' + name)}")
        new = f" · {self.new_provider_link(new_in)}" if new_in else ""
        return (
            '<footer class="kaart-record-footer">'
            f'<p class="kaart-verified">Laatst gecontroleerd op <time datetime="{esc(verified["date"])}">'
            f'{esc(dutch_date(verified["date"]))}</time> door {esc(verified["by"])}.</p>'
            f'<p class="kaart-actions">{link(report, "Meld een fout")} · '
            f'{link(edit, "Pas deze gegevens aan")} (bron: <code>{esc(source)}</code>){new}</p>'
            "</footer>")

    def list_items(self, items, fmt=rich) -> str:
        return "<ul>" + "".join(f"<li>{fmt(i)}</li>" for i in items) + "</ul>"

    def sources(self, items: list[dict]) -> str:
        if not items:
            return ""
        lis = "".join(
            f"<li>{link(s['url'], s['title'])}" + (f" ({esc(s['publisher'])})" if s.get("publisher") else "") + "</li>"
            for s in items)
        return f'<section class="kaart-sources"><h2 id="bronnen">Bronnen</h2><ul>{lis}</ul></section>'

    def cost(self, cost: dict | None) -> str:
        if not cost:
            return ""
        label = COST_LABELS[cost["type"]]
        text = cost.get("description", "")
        if text.lower().startswith(label.lower()):  # "Gratis. …" already says it
            return rich(text)
        return f"<strong>{esc(label)}</strong>" + (f". {rich(text)}" if text else "")

    def law_name(self, law_id: str) -> str:
        return self.m.law(law_id)["short_name"]

    def law_link(self, here: str, law_id: str) -> str:
        return self.a(here, url("payment_guide", anchor=f"wet-{law_id}"), self.law_name(law_id))

    def role_links(self, here: str, role_ids) -> str:
        return ", ".join(self.a(here, url("role", r), self.m.roles[r].name) for r in role_ids if r in self.m.roles)

    # provider -----------------------------------------------------------------------------------------------
    def provider(self, rec: Record) -> Page:
        d = rec.data
        here = url("provider", rec.id)
        demo = self.m.is_demo(rec)
        parts = []
        if demo:
            parts.append(self.demo_banner(d["name"]))
        parts.append(f"<h1>{esc(d['name'])}</h1>")
        if d.get("alternate_name"):
            parts.append(f'<p class="kaart-aka">Ook bekend als: {esc(d["alternate_name"])}</p>')
        parts.append(f'<p class="kaart-lead">{rich(d["description"])}</p>')
        facts = [("Gemeente", self.a(here, self.gemeente_url(rec.gemeente), self.gemeente_name(rec.gemeente)))]
        if d.get("roles"):
            facts.append(("Rol", self.role_links(here, d["roles"])))
        facts.append(("Levensgebied", ", ".join(
            self.a(here, url("life_domain", ld), self.m.life_domain(ld)["name"]) for ld in d["life_domains"])))
        if d.get("target_groups"):
            facts.append(("Voor", ", ".join(esc(self.m.terms["target_groups"][t]["name"]) for t in d["target_groups"])))
        parts.append(self.facts(facts))
        parts.append(self.overview_button(here, "aanbieder", rec.id, d["name"], d.get("roles", []), d["life_domains"],
                                          self.gemeente_name(rec.gemeente), (d.get("phones") or [{}])[0].get("number", "")))
        parts.append(self.contact(d, demo))
        services = [s for s in d["services"]
                    if s.get("visibility", "public") == "public" or self.s.audience == "professional"]
        locations = {loc["id"]: loc for loc in d.get("locations", [])}
        parts.append(f'<h2 id="diensten"{NOINDEX}>Wat kunt u hier krijgen?</h2>')
        for s in services:
            parts.append(self.service(here, s, locations))
        if locations:
            parts.append(f'<h2 id="locaties"{NOINDEX}>Adressen en openingstijden</h2>')
            parts.append(self.map(here, [(rec, loc) for loc in locations.values()]))
            for loc in locations.values():
                parts.append(self.location(loc, demo))
        hours = provider_hours_json(locations.values(), always=d.get("always_available", False))
        if hours:  # search results read this to filter on "nu open"
            parts.append(f'<span hidden data-pagefind-meta="hours[data-kaart-hours]" data-kaart-hours="{esc(hours)}">'
                         "</span>")
        if self.s.audience == "professional":
            parts.append(self.professional_section(rec))
        parts.append(self.sources(d.get("sources", [])))
        parts.append(self.record_footer(here, self.repo_path(rec), rec.id, d["verified"], d["name"],
                                        new_in=self.m.gemeenten.get(rec.gemeente or "", {}).get("name", "landelijk")))
        parts.append(json_ld(self.provider_jsonld(rec, services)))
        cost_types = sorted({s["cost"]["type"] for s in services if s.get("cost")})
        filters = {
            "type": ["Aanbieder"],
            "gemeente": [self.gemeente_name(rec.gemeente)],
            "levensgebied": [self.m.life_domain(x)["name"] for x in d["life_domains"]],
            "doelgroep": [self.m.terms["target_groups"][t]["name"] for t in d.get("target_groups", [])],
            "kosten": [COST_LABELS[c] for c in cost_types],
            "wet": sorted({self.law_name(lw) for s in services for lw in s.get("laws", [])}),
            "taal": sorted({self.m.terms["languages"][lang]["name"] for s in services for lang in s.get("languages", [])}),
        }
        if self.s.audience == "professional" and self.s.professional.get(rec.id):
            filters[WARM_CONTACT_FILTER] = ["ja"]  # professional build only: a facet "warm contact: ja"
        page = Page(here, d["name"], "".join(parts), _plain(d["description"]), "provider",
                    {k: v for k, v in filters.items() if v}, d["verified"]["date"])
        return demo_page(page) if demo else page

    def overview_button(self, here: str, kind: str, rid: str, name: str, roles, life_domains, gemeente: str = "",
                        phone: str = "") -> str:
        """'Zet in mijn overzicht' (mijn-overzicht.js); hidden until the script runs, explained without it."""
        role_labels = [{"id": r, "name": self.m.roles[r].name} for r in roles if r in self.m.roles]
        domain_labels = [{"id": x, "name": self.m.life_domain(x)["name"]} for x in life_domains]
        attrs = {"id": rid, "kind": kind, "name": name, "url": here, "gemeente": gemeente, "phone": phone,
                 "roles": json.dumps(role_labels, ensure_ascii=False, separators=(",", ":")),
                 "domains": json.dumps(domain_labels, ensure_ascii=False, separators=(",", ":"))}
        data = "".join(f' data-kaart-mo-{k}="{esc(v)}"' for k, v in attrs.items())
        overview = esc(rel(here, url("my_overview")))
        # The explanation is plain HTML that the script hides (not <noscript>, which some setups never show).
        return ('<div class="kaart-mo-add" data-pagefind-ignore>'
                '<p class="kaart-mo-noscript">Houd bij wie er bij u betrokken is: print het formulier op '
                f'<a href="{overview}">Mijn overzicht</a>.</p><p class="kaart-mo-js" hidden>'
                f'<button type="button" class="{BUTTON} kaart-mo-button" data-kaart-mo-add{data}>Zet in mijn overzicht</button> '
                '<span class="kaart-mo-status" role="status"></span> '
                f'<span class="kaart-mo-in-list" hidden><a href="{overview}">Bekijk mijn overzicht</a></span></p></div>')

    def facts(self, rows) -> str:
        # The labels are the same on every page, so they are not indexed; the newline keeps one value's last word
        # and the next value's first word apart for the search index (Pagefind does not split words at <dd>).
        return ('<dl class="kaart-facts">' + "".join(f"<dt{NOINDEX}>{esc(k)}</dt><dd>{v}</dd>\n" for k, v in rows)
                + "</dl>")

    def contact(self, d: dict, demo: bool = False) -> str:
        items = []
        for ph in d.get("phones", []):
            label = ph.get("description")
            items.append(f'<li>{label_text("Telefoon")} {self.phone(ph["number"], demo)}'
                         + (f" — {rich(label)}" if label else "") + "</li>")
        if d.get("email"):
            items.append(f'<li>{label_text("E-mail")} {link("mailto:" + d["email"], d["email"])}</li>')
        if d.get("website"):
            items.append(f'<li>{label_text("Website")} {link(d["website"], d["website"].removeprefix("https://").rstrip("/"))}</li>')
        if not items:
            return ""
        always = ('<p class="kaart-always"><strong>Dag en nacht bereikbaar</strong>, ook in het weekend en op '
                  "feestdagen.</p>" if d.get("always_available") else "")
        return (f'<h2 id="contact"{NOINDEX}>Contact</h2>{always}<ul class="kaart-contact">' + "".join(items)
                + "</ul>")

    def service(self, here: str, s: dict, locations: dict) -> str:
        rows = []
        if s.get("status", "active") != "active":
            rows.append(("Status", esc(STATUS_LABELS[s["status"]])))
        if s.get("eligibility"):
            rows.append(("Voor wie", rich(s["eligibility"])))
        ages = _ages(s)
        if ages:
            rows.append(("Leeftijd", esc(ages)))
        if s.get("application_process"):
            rows.append(("Hoe aanvragen", rich(s["application_process"])))
        if s.get("cost"):
            rows.append(("Kosten", self.cost(s["cost"])))
        if s.get("laws"):
            rows.append(("Wet", ", ".join(self.law_link(here, lw) for lw in s["laws"])))
        if s.get("languages"):
            rows.append(("Talen", esc(", ".join(self.m.terms["languages"][x]["name"] for x in s["languages"]))))
        wt = s.get("waiting_time")
        if wt and (wt["public"] or self.s.audience == "professional"):
            rows.append(("Wachttijd", f"{esc(wt['description'])} (peildatum {esc(dutch_date(wt['date']))})"))
        if s.get("location_ids"):
            rows.append(("Waar", ", ".join(esc(locations[x]["name"]) for x in s["location_ids"] if x in locations)))
        return (f'<section class="kaart-service" id="dienst-{esc(s["id"])}"><h3>{esc(s["name"])}</h3>'
                f'<p>{rich(s["description"])}</p>{self.facts(rows) if rows else ""}</section>')

    def location(self, loc: dict, demo: bool = False) -> str:
        addr = loc["address"]
        hours = hours_json(loc)
        hours_attr = f' data-kaart-hours="{esc(hours)}"' if hours else ""
        parts = [f'<section class="kaart-location" id="locatie-{esc(loc["id"])}"{hours_attr}><h3>{esc(loc["name"])}</h3>',
                 f'<p class="kaart-address">{esc(addr["street"])}<br>{esc(addr["postcode"])} {esc(addr["city"])}</p>']
        if hours:  # filled in by open-nu.js: "Nu open (tot 17:00)" / "Nu gesloten"
            parts.append('<p class="kaart-open-now" hidden></p>')
        if loc.get("opening_hours"):
            rows = []
            for day in DAYS:
                spans = [f"{oh['opens']}–{oh['closes']}" for oh in loc["opening_hours"] if day in oh["days"]]
                rows.append(f"<tr><th scope=\"row\">{DAYS[day].capitalize()}</th>"
                            f"<td>{esc(', '.join(spans) if spans else 'gesloten')}</td></tr>")
            # Not indexed (7 rows of times on every location): search filters on "nu open" instead.
            parts.append(f'<table class="kaart-hours"{NOINDEX}><caption>Openingstijden</caption>'
                         f'<tbody>{"".join(rows)}</tbody></table>')
        if loc.get("exceptions"):
            items = []
            for ex in sorted(loc["exceptions"], key=lambda e: e["date"]):
                when = "gesloten" if ex.get("closed") else f"{ex['opens']}–{ex['closes']}"
                items.append(f"<li>{esc(dutch_date(ex['date']))}: {esc(when)}"
                             + (f" ({esc(ex['description'])})" if ex.get("description") else "") + "</li>")
            parts.append("<p>Afwijkende dagen:</p><ul>" + "".join(items) + "</ul>")
        if loc.get("accessibility"):
            parts.append("<p>Toegankelijkheid:</p>" + self.list_items(loc["accessibility"]))
        for ph in loc.get("phones", []):
            parts.append(f'<p>{label_text("Telefoon")} {self.phone(ph["number"], demo)}</p>')
        parts.append("</section>")
        return "".join(parts)

    def map(self, here: str, places) -> str:
        """A map of (provider, location) pairs with coordinates; map.js draws it with Leaflet.

        The addresses stay in the page as text, so the map is only an extra: without JavaScript the element
        stays hidden and empty."""
        points = [{"lat": loc["latitude"], "lon": loc["longitude"], "name": f"{rec.name}: {loc['name']}",
                   "url": rel(here, url("provider", rec.id)),
                   "address": f"{loc['address']['street']}, {loc['address']['postcode']} {loc['address']['city']}"}
                  for rec, loc in places if "latitude" in loc and "longitude" in loc]
        if not points:
            return ""
        if any(self.m.is_demo(rec) for rec, _ in places):  # pins of a made-up town must not pass for a real place
            return (f'<section class="kaart-map" hidden aria-label="Kaart met voorbeeldlocaties. '
                    f'De plekken zijn verzonnen." data-kaart-map="{esc(map_points_json(points))}" '
                    f'data-kaart-map-note="{esc(DEMO_MAP_NOTE)}"></section>')
        return (f'<section class="kaart-map" hidden aria-label="Kaart met de adressen. '
                f'De adressen staan ook als tekst op deze pagina." data-kaart-map="{esc(map_points_json(points))}"></section>')

    def professional_section(self, rec: Record) -> str:
        contacts = self.s.professional.get(rec.id, [])
        if not contacts:
            return ('<section class="kaart-pro"><h2 id="voor-professionals">Voor professionals</h2>'
                    "<p>Er zijn nog geen warme contacten vastgelegd voor deze organisatie.</p></section>")
        from .private import render_contacts  # professional build only

        return render_contacts(rec, contacts, roles={r: self.m.roles[r].name for r in
                                                     {c["role"] for c in contacts if c.get("role") in self.m.roles}})

    def provider_jsonld(self, rec: Record, services: list[dict]) -> dict:
        d = rec.data
        org_id = self.s.site_url + url("provider", rec.id, anchor="organisatie")
        org: dict = {"@type": "Organization", "@id": org_id, "name": d["name"], "description": _plain(d["description"]),
                     "url": self.s.site_url + url("provider", rec.id)}
        if d.get("website"):
            org["sameAs"] = d["website"]
        if d.get("email"):
            org["email"] = d["email"]
        if d.get("phones"):
            org["telephone"] = d["phones"][0]["number"]
            org["contactPoint"] = [{"@type": "ContactPoint", "telephone": p["number"], "contactType": p.get("type", "voice")}
                                   for p in d["phones"]]
        places = []
        for loc in d.get("locations", []):
            place = {"@type": "Place", "name": loc["name"],
                     "address": {"@type": "PostalAddress", "streetAddress": loc["address"]["street"],
                                 "postalCode": loc["address"]["postcode"], "addressLocality": loc["address"]["city"],
                                 "addressCountry": "NL"}}
            if "latitude" in loc:
                place["geo"] = {"@type": "GeoCoordinates", "latitude": loc["latitude"], "longitude": loc["longitude"]}
            if loc.get("opening_hours"):
                place["openingHoursSpecification"] = [
                    {"@type": "OpeningHoursSpecification",
                     "dayOfWeek": [f"https://schema.org/{DAYS_EN[x]}" for x in oh["days"]],
                     "opens": oh["opens"], "closes": oh["closes"]} for oh in loc["opening_hours"]]
            places.append(place)
        if places:
            org["location"] = places
        graph = [org]
        for s in services:
            node = {"@type": "GovernmentService" if any(lw in GOVERNMENT_LAWS for lw in s.get("laws", [])) else "Service",
                    "name": s["name"], "description": _plain(s["description"]), "provider": {"@id": org_id}}
            if rec.gemeente and rec.gemeente != "landelijk":
                node["areaServed"] = {"@type": "AdministrativeArea", "name": self.m.gemeenten[rec.gemeente]["name"]}
            else:
                node["areaServed"] = {"@type": "Country", "name": "Nederland"}
            if s.get("languages"):
                # availableLanguage is not a property of Service (schema.org domain: ContactPoint, ServiceChannel,
                # …); the languages a service is offered in belong to the way one reaches it, its ServiceChannel.
                node["availableChannel"] = {"@type": "ServiceChannel", "availableLanguage": s["languages"]}
            graph.append(node)
        return {"@context": "https://schema.org", "@graph": graph}

    # role ---------------------------------------------------------------------------------------------------
    def role(self, rec: Record, here: str | None = None, local: str | None = None) -> Page:
        """The page of a role; `here`/`local`: the same page for one gemeente, with its 'In <gemeente>' box."""
        d = rec.data
        here = here or url("role", rec.id)
        parts = [f"<h1>{esc(d['name'])}</h1>", local or self.local_slot("gemeente_role", rec.id)]
        if d.get("also_known_as"):
            parts.append(f'<p class="kaart-aka">Ook wel: {esc(", ".join(d["also_known_as"]))}</p>')
        parts.append(f'<p class="kaart-lead">{rich(d["summary"])}</p>')
        parts.append(self.overview_button(here, "rol", rec.id, d["name"], [rec.id], d["life_domains"]))
        parts.append('<h2 id="doet">Wat doet deze rol?</h2>' + self.list_items(d["does"]))
        parts.append('<h2 id="doet-niet">Wat doet deze rol niet?</h2>' + self.list_items(d["does_not"]))
        parts.append('<h2 id="wanneer">Wanneer gaat u hierheen?</h2>' + self.list_items(d["when"]))
        laws = []
        for lb in d["legal_basis"]:
            text = self.law_link(here, lb["law"]) + (f", {esc(lb['article'])}" if lb.get("article") else "")
            if lb.get("url"):
                text += f" ({link(lb['url'], 'wettekst')})"
            if lb.get("note"):
                text += f". {rich(lb['note'])}"
            laws.append(text)
        parts.append('<h2 id="wet">Welke wet?</h2>' + self.list_items(laws, fmt=str))
        parts.append(f'<h2 id="wie-betaalt">Wie betaalt?</h2><p><strong>{esc(PAYER_LABELS[d["payer"]])}</strong>. '
                     f'{rich(d["who_pays"])}</p>')
        parts.append(f'<h2 id="kosten">Wat kost het u?</h2><p>{self.cost(d["cost"])}</p>')
        parts.append('<h2 id="bereikbaar">Hoe bereikt u deze rol?</h2>' + self.list_items(d["how_to_reach"]))
        if d.get("handover"):
            items = [f"{self.a(here, url('role', h['role']), self.m.roles[h['role']].name)}: {rich(h['when'])}"
                     for h in d["handover"] if h["role"] in self.m.roles]
            parts.append('<h2 id="overdracht">Naar wie verwijst deze rol door?</h2>' + self.list_items(items, fmt=str))
        if d.get("regisseur"):
            r = d["regisseur"]
            parts.append('<h2 id="regisseur">Kan dit uw vaste regisseur zijn?</h2>'
                         f'<p><strong>{"Ja" if r["possible"] else "Nee"}.</strong> {rich(r["explanation"])}</p>')
        signals = self.m.signals_for_role(rec.id)
        if signals:
            parts.append('<h2 id="signalen">Welke signalen pakt deze rol op?</h2>'
                         "<p>Professionals die dit zien, kunnen deze rol inschakelen.</p><ul>"
                         + "".join(f"<li>{self.a(here, url('signal', s.id), s.name)}: {esc(_first_sentence(s.data['signal']))}</li>"
                                   for s in signals) + "</ul>")
        parts.append(self.role_providers(here, rec.id))
        if self.s.audience == "professional":
            parts.append(self.professional_role(rec, here))
        parts.append(self.sources(d["sources"]))
        parts.append(self.record_footer(here, self.repo_path(rec), rec.id, d["verified"], d["name"]))
        parts.append(json_ld({"@context": "https://schema.org", "@type": "Service", "name": d["name"],
                              "description": _plain(d["summary"]), "serviceType": d["name"],
                              "url": f"{self.s.site_url}{here}",
                              "areaServed": {"@type": "Country", "name": "Nederland"}}))
        filters = {"type": ["Rol"], "levensgebied": [self.m.life_domain(x)["name"] for x in d["life_domains"]],
                   "kosten": [COST_LABELS[d["cost"]["type"]]],
                   "wet": sorted({self.law_name(lb["law"]) for lb in d["legal_basis"]})}
        return Page(here, d["name"], "".join(parts), _plain(d["summary"]), "role", filters, d["verified"]["date"])

    # 'In <gemeente>': a hulpvraag or rol for the reader's gemeente ----------------------------------------------
    def local_slot(self, kind: str, rid: str) -> str:
        """Where kaart.js puts the 'In <gemeente>' box of the gemeente a reader chose (kept in this browser only):
        it loads the page of that gemeente (`kind`, or the gemeente page when it has no local records) from this
        site and takes the box from it, so the box is made in one place (local_box)."""
        return (f'<div class="kaart-local-slot" data-kaart-local="{esc(url(kind, "{}", rid))}" '
                f'data-kaart-local-none="{esc(url("gemeente", "{}"))}" '
                f'data-kaart-local-choose="{esc(url("gemeenten"))}"{NOINDEX}></div>')

    def local_box(self, gid: str, here: str, role_ids=(), life_domain: str | None = None) -> str:
        """'In <gemeente>': where to start (number, hours), the free client support and the local organisations
        for this question, each with a number; for a gemeente without local records, honestly what to do."""
        m = self.m.gemeenten[gid]
        name = esc(m["name"])
        local = self.m.providers_in(gid)
        attrs = f'data-kaart-gemeente="{esc(gid)}" data-kaart-gemeente-local="{1 if local else 0}"'
        parts = [f'<section class="kaart-local" {attrs} aria-labelledby="in-gemeente"{NOINDEX}>'
                 f'<h2 id="in-gemeente">In {name}</h2>']
        if m.get("demo"):  # the box also appears on pages for everyone: it says itself that it is made up
            parts.append(f'<p class="kaart-result-demo">{esc(DEMO_LABEL)}: verzonnen organisaties en nummers.</p>')
        entry = self.m.providers.get(m.get("first_entry_point", ""))
        if entry:
            parts.append(f'<p>Begin bij: <strong>{self.a(here, url("provider", entry.id), entry.name)}</strong> '
                         f'{self.contact_line(entry, email=False)}{self.hours_summary(entry)}</p>')
        elif not local:
            parts.append(f"<p>Voor {name} staan nog geen organisaties uit de buurt in de Sociale Kaart. Begin bij de "
                         f"gemeente {name}: vraag naar het sociaal wijkteam of het Wmo-loket, en om gratis "
                         "cliëntondersteuning. "
                         + (f"Het nummer staat op {link(m['website'], m['website'].removeprefix('https://').rstrip('/'))}."
                            if m.get("website") else
                            f"Het nummer vindt u in de {link('https://organisaties.overheid.nl/', 'Overheidsalmanak')}.")
                         + "</p>")
        support = [self.m.providers[p] for p in m.get("client_support", []) if p in self.m.providers]
        if support:
            parts.append("<p>Gratis cliëntondersteuning: " + ", ".join(
                f"{self.a(here, url('provider', p.id), p.name)} {self.contact_line(p, email=False)}" for p in support)
                + "</p>")
        fit = [r for r in local if set(r.data.get("roles", [])) & set(role_ids)]
        if not fit and life_domain:
            fit = [r for r in local if life_domain in r.data["life_domains"]]
        fit = sorted((r for r in fit if r is not entry and r not in support), key=lambda r: r.name)
        if fit:
            parts.append("<p>Voor deze vraag:</p><ul>" + "".join(
                f"<li>{self.a(here, url('provider', r.id), r.name)} {self.contact_line(r, email=False)}</li>"
                for r in fit[:LOCAL_BOX_PROVIDERS]) + "</ul>")
        everything = self.a(here, url("gemeente", gid), "Alle hulp in " + m["name"])
        parts.append(f'<p class="kaart-local-more">{everything}</p></section>')
        return "".join(parts)

    def hours_summary(self, rec: Record) -> str:
        """' (ma–vr 09:00–17:00)': the opening hours of a provider's first location, short."""
        loc = next((loc for loc in rec.data.get("locations", []) if loc.get("opening_hours")), None)
        if not loc:
            return ""
        spans = "; ".join(f"{_day_range(oh['days'])} {oh['opens']}–{oh['closes']}" for oh in loc["opening_hours"])
        return f' <span class="kaart-local-hours">(open: {esc(spans)})</span>'

    def gemeente_need(self, gid: str, rec: Record) -> Page:
        here = url("gemeente_need", gid, rec.id)
        page = self.need(rec, here, self.local_box(gid, here, rec.data["roles"], rec.data["life_domain"]))
        return self.gemeente_variant(gid, page)

    def gemeente_role(self, gid: str, rec: Record) -> Page:
        here = url("gemeente_role", gid, rec.id)
        page = self.role(rec, here, self.local_box(gid, here, [rec.id]))
        return self.gemeente_variant(gid, page)

    def gemeente_variant(self, gid: str, page: Page) -> Page:
        """A page for one gemeente: not in search or the sitemap (the page for everyone is), no search facets."""
        m = self.m.gemeenten[gid]
        page.title = f"{page.title} ({m['name']})"
        page.indexed, page.filters = False, {}
        if m.get("demo"):
            page.body = self.demo_banner(m["name"]) + page.body
            return demo_page(page)
        return page

    def role_providers(self, here: str, role_id: str) -> str:
        providers = self.m.providers_with_role(role_id)
        if not providers:
            return ('<h2 id="aanbieders">Waar vindt u deze rol?</h2><p>Er staan nog geen organisaties met deze rol '
                    "in de kaart. Vraag het sociaal wijkteam of de gemeente.</p>")
        by_gemeente: dict[str, list[Record]] = {}
        for p in providers:
            by_gemeente.setdefault(p.gemeente or "landelijk", []).append(p)
        order = sorted(by_gemeente, key=lambda g: (g != "landelijk", self.gemeente_name(g)))
        blocks = []
        for g in order:
            recs = sorted(by_gemeente[g], key=lambda r: r.name)
            shown = recs[:ROLE_PAGE_PROVIDERS_PER_GEMEENTE]
            items = "".join(f"<li>{self.a(here, url('provider', r.id), r.name)}</li>" for r in shown)
            if len(recs) > len(shown):
                items += (f"<li>{self.a(here, self.gemeente_url(g), f'en nog {len(recs) - len(shown)} in {self.gemeente_name(g)}')}"
                          "</li>")
            blocks.append(f"<h3>{self.a(here, self.gemeente_url(g), self.gemeente_name(g))}</h3><ul>{items}</ul>")
        return '<h2 id="aanbieders">Waar vindt u deze rol?</h2>' + "".join(blocks)

    def professional_role(self, rec: Record, here: str) -> str:
        from .private import render_role_contacts  # professional build only

        entries = [(pid, self.m.providers[pid].name, c) for pid, contacts in sorted(self.s.professional.items())
                   if pid in self.m.providers for c in contacts if c.get("role") == rec.id]
        return render_role_contacts(here, entries)

    def professional_gemeente(self, here: str, local: list[Record]) -> str:
        from .private import render_gemeente_contacts  # professional build only

        return render_gemeente_contacts(here, [(r.id, r.name, self.s.professional[r.id]) for r in local
                                               if self.s.professional.get(r.id)])

    # signal -------------------------------------------------------------------------------------------------
    def signal(self, rec: Record) -> Page:
        d = rec.data
        here = url("signal", rec.id)
        places = self.m.terms["zorgvindplaatsen"]
        bases = self.m.terms["sharing_bases"]
        parts = [f"<h1>{esc(d['name'])}</h1>",
                 '<p class="kaart-aka">Voor professionals: signaal gezien, wie pakt het op?</p>',
                 f'<p class="kaart-lead">{rich(d["signal"])}</p>']
        urgency = f"<strong>{esc(URGENCY_LABELS[d['urgency']])}</strong>"
        if d.get("urgency_note"):
            urgency += f". {rich(d['urgency_note'])}"
        parts.append(self.facts([
            ("Hoe dringend", urgency),
            ("Wie ziet het", ", ".join(self.a(here, url("signals", anchor=p), places[p]["name"]) for p in d["seen_by"])),
            ("Wie pakt het op", self.role_links(here, d["roles"]))]))
        parts.append('<h2 id="eerst">Wat doet u eerst?</h2><ol>'
                     + "".join(f"<li>{rich(step)}</li>" for step in d["first_steps"]) + "</ol>")
        parts.append(f'<h2 id="delen">Wat mag u delen?</h2><p>{rich(d["sharing"]["what"])}</p>')
        for b in d["sharing"]["basis"]:
            parts.append(self.sharing_basis(here, bases[b], level=3))
        parts.append('<h2 id="wie">Wie pakt het op?</h2><ul>' + "".join(
            f"<li>{self.a(here, url('role', r), self.m.roles[r].name)}: {esc(_first_sentence(self.m.roles[r].data['summary']))}"
            f" {self.a(here, url('role', r, anchor='aanbieders'), 'Waar vindt u deze rol?')}</li>"
            for r in d["roles"] if r in self.m.roles) + "</ul>")
        if self.s.audience == "professional":
            parts.append(self.professional_signal(rec))
        parts.append(f'<p>{self.a(here, url("signals"), "Alle signalen per zorgvindplaats")}</p>')
        parts.append(self.sources(d["sources"]))
        parts.append(self.record_footer(here, self.repo_path(rec), rec.id, d["verified"], d["name"]))
        parts.append(json_ld({"@context": "https://schema.org", "@type": "WebPage", "name": d["name"],
                              "description": _plain(d["signal"]), "url": f"{self.s.site_url}{here}",
                              "audience": {"@type": "Audience", "audienceType": "professionals"}}))
        return Page(here, f"Signaal: {d['name']}", "".join(parts), _plain(d["signal"]), "signal",
                    {"type": ["Signaal"]}, d["verified"]["date"])

    def sharing_basis(self, here: str, basis: dict, level: int) -> str:
        """One ground for sharing (taxonomy sharing_bases): what it means, its steps, its official source."""
        steps = ("<ol>" + "".join(f"<li>{rich(s)}</li>" for s in basis["steps"]) + "</ol>") if basis.get("steps") else ""
        return (f'<h{level} id="grondslag-{esc(basis["id"])}">{esc(basis["name"])}</h{level}>'
                f'<p>{rich(basis["description"])}</p>{steps}<p>Bron: {link(basis["url"], basis["name"])}</p>')

    def professional_signal(self, rec: Record) -> str:
        from .private import render_signal_contacts  # professional build only

        groups = [(self.m.roles[r].name, [(pid, self.m.providers[pid].name, c)
                                          for pid, contacts in sorted(self.s.professional.items())
                                          if pid in self.m.providers for c in contacts if c.get("role") == r])
                  for r in rec.data["roles"] if r in self.m.roles]
        return render_signal_contacts(url("signal", rec.id), groups)

    # need ---------------------------------------------------------------------------------------------------
    def need(self, rec: Record, here: str | None = None, local: str | None = None) -> Page:
        """The page of a hulpvraag; `here`/`local`: the same page for one gemeente, with its 'In <gemeente>' box."""
        d = rec.data
        here = here or url("need", rec.id)
        ladder = d["ladder"]
        wmo = any(p["law"] == "wmo-2015" for p in ladder.get("individual_provisions", []))
        parts = [f"<h1>{esc(d['question'])}</h1>", local or self.local_slot("gemeente_need", rec.id),
                 f'<p class="kaart-lead">{rich(d["summary"])}</p>',
                 self.facts([("Levensgebied", self.a(here, url("life_domain", d['life_domain']),
                                                     self.m.life_domain(d["life_domain"])["name"]))]),
                 '<p>Probeer de stappen van boven naar beneden. Lukt een stap niet, ga dan naar de volgende.</p>',
                 self.report_straight_away(ladder),
                 '<ol class="kaart-ladder">']
        parts.append('<li><h2 id="zelf">Stap 1: Wat kunt u zelf doen?</h2>' + self.list_items(ladder["own_strength"]) + "</li>")
        parts.append('<li><h2 id="netwerk">Stap 2: Wat kan uw omgeving doen?</h2>' + self.list_items(ladder["network"]) + "</li>")
        general = {g["id"]: g for g in ladder["general_provisions"]}
        items = []
        for g in ladder["general_provisions"]:
            extra = f"<br>Wie helpt: {self.role_links(here, g['roles'])}" if g.get("roles") else ""
            items.append(f'<li id="algemeen-{esc(g["id"])}"><strong>{esc(g["name"])}</strong>: {rich(g["description"])}{extra}</li>')
        parts.append('<li><h2 id="algemeen">Stap 3: Hulp voor iedereen in uw buurt</h2>'
                     "<p>Algemene voorzieningen: u hoeft niets aan te vragen.</p><ul>" + "".join(items) + "</ul></li>")
        if ladder.get("individual_provisions"):
            items = []
            for p in ladder["individual_provisions"]:
                alts = ", ".join(f'<a href="#algemeen-{esc(x)}">{esc(general[x]["name"])}</a>' for x in p["alternatives"])
                how = f"<br>Aanvragen: {rich(p['how_to_apply'])}" if p.get("how_to_apply") else ""
                items.append(f'<li id="maatwerk-{esc(p["id"])}"><strong>{esc(p["name"])}</strong>: {rich(p["description"])}'
                             f"<br>Wet: {self.law_link(here, p['law'])}. Wie betaalt: {esc(PAYER_LABELS[p['payer']])}."
                             f"{how}<br>Probeer eerst: {alts}</li>")
            parts.append('<li><h2 id="maatwerk">Stap 4: Hulp die u aanvraagt (maatwerk)</h2>'
                         "<p>Als stap 1 tot en met 3 niet genoeg zijn. Een voorziening voor iedereen moet wel bij u "
                         "passen. Past die niet bij u? Dan moet de gemeente kijken naar hulp op maat"
                         + (f" ({link(WMO_ARTICLE.format('2.3.5'), 'Wmo 2015, artikel 2.3.5')})" if wmo else "")
                         + ".</p><ul>" + "".join(items) + "</ul></li>")
        parts.append("</ol>")
        parts.append('<h2 id="rollen">Wie kan helpen?</h2><p>' + self.role_links(here, d["roles"]) + "</p>")
        if d.get("related_needs"):
            parts.append('<h2 id="verwant">Verwante vragen</h2><ul>' + "".join(
                f"<li>{self.a(here, url('need', n), self.m.needs[n].data['question'])}</li>"
                for n in d["related_needs"] if n in self.m.needs) + "</ul>")
        parts.append(self.sources(d["sources"]))
        parts.append(self.record_footer(here, self.repo_path(rec), rec.id, d["verified"], d["name"]))
        parts.append(json_ld({"@context": "https://schema.org", "@type": "FAQPage", "url": f"{self.s.site_url}{here}",
                              "mainEntity": {"@type": "Question", "name": d["question"],
                                             "acceptedAnswer": {"@type": "Answer", "text": _plain(d["summary"])}}}))
        filters = {"type": ["Hulpvraag"], "levensgebied": [self.m.life_domain(d["life_domain"])["name"]],
                   "wet": sorted({self.law_name(p["law"]) for p in ladder.get("individual_provisions", [])})}
        return Page(here, d["name"], "".join(parts), _plain(d["summary"]), "need",
                    {k: v for k, v in filters.items() if v}, d["verified"]["date"])

    def report_straight_away(self, ladder: dict) -> str:
        """The ladder is advice, not a condition: anyone may go to the gemeente at once (a Wmo melding starts the
        gemeente's investigation)."""
        wmo = any(p["law"] == "wmo-2015" for p in ladder.get("individual_provisions", []))
        cite = (f" De gemeente moet dan samen met u onderzoeken wat u nodig heeft "
                f"({link(WMO_ARTICLE.format('2.3.2'), 'Wmo 2015, artikel 2.3.2')}).") if wmo else ""
        return ('<p class="kaart-melden">U mag ook altijd meteen bij de gemeente melden dat u hulp nodig heeft. '
                f"U hoeft niet eerst alle stappen te proberen.{cite}</p>")

    # gemeente ----------------------------------------------------------------------------------------------
    def gemeente(self, gid: str) -> Page:
        m = self.m.gemeenten[gid]
        if not self.m.providers_in(gid) and not m.get("first_entry_point") and not m.get("demo"):
            return self.gemeente_without_local_data(gid)
        here = url("gemeente", gid)
        parts = []
        if m.get("demo"):
            parts.append(self.demo_banner(m["name"]))
        parts.append(f"<h1>Hulp in {esc(m['name'])}</h1>")
        local = sorted(self.m.providers_in(gid), key=lambda r: r.name)
        entry = self.m.providers.get(m.get("first_entry_point", ""))
        # First screen on a phone: where to start and the free client support, each with its number.
        # data-kaart-gemeente: kaart.js remembers this gemeente (in this browser) for the hulpvraag and rol pages
        parts.append(f'<div class="kaart-start" data-kaart-gemeente="{esc(gid)}" '
                     f'data-kaart-gemeente-local="{1 if local else 0}">'
                     '<section class="kaart-card kaart-entry" aria-labelledby="begin-hier">'
                     '<h2 id="begin-hier">Waar begint u?</h2>')
        if entry:
            parts.append(f'<p>Met elke vraag: <strong>{self.a(here, url("provider", entry.id), entry.name)}</strong></p>'
                         f'<p>{self.contact_line(entry)}</p>')
        else:
            parts.append(f"<p>Met elke vraag over zorg, werk, geld of meedoen kunt u terecht bij de gemeente "
                         f"{esc(m['name'])}" + (f" ({link(m['website'], 'website')})" if m.get("website") else "")
                         + ". Vraag naar het sociaal wijkteam of het Wmo-loket.</p>")
        support = [self.m.providers[p] for p in m.get("client_support", []) if p in self.m.providers]
        role = self.m.client_support_role
        more = f' {self.a(here, url("role", role.id), "Meer over cliëntondersteuning")}.' if role else ""
        parts.append('</section><section class="kaart-card" aria-labelledby="clientondersteuning">'
                     '<h2 id="clientondersteuning">Gratis hulp van iemand naast u</h2>')
        if support:
            parts.append("<ul>" + "".join(f"<li>{self.a(here, url('provider', p.id), p.name)} {self.contact_line(p)}</li>"
                                          for p in support) + "</ul>")
        parts.append('<p class="kaart-card-note">Een onafhankelijke cliëntondersteuner helpt u gratis bij gesprekken met '
                     f'de gemeente en andere organisaties. Die persoon werkt niet voor de organisatie die beslist.{more}</p>'
                     "</section></div>")
        if local:  # every hulpvraag with what this gemeente offers for it (also without JavaScript)
            needs = sorted(self.m.needs.values(), key=lambda n: n.data["question"])
            parts.append(f'<details class="kaart-local-needs"><summary>Uw vraag in {esc(m["name"])} '
                         f'({len(needs)} hulpvragen)</summary><ul>' + "".join(
                             f"<li>{self.a(here, url('gemeente_need', gid, n.id), n.data['question'])}</li>"
                             for n in needs) + "</ul></details>")
            roles = sorted(self.m.roles.values(), key=lambda r: r.name)
            parts.append(f'<details class="kaart-local-needs"><summary>Wie doet wat in {esc(m["name"])} '
                         f'({len(roles)} rollen)</summary><ul>' + "".join(
                             f"<li>{self.a(here, url('gemeente_role', gid, r.id), r.name)}</li>"
                             for r in roles) + "</ul></details>")
        if m.get("description"):
            parts.append(f'<p class="kaart-lead">{rich(m["description"])}</p>')
        if local:
            parts.append(self.gemeente_providers(here, local))
            parts.append(self.map(here, [(r, loc) for r in local for loc in r.data.get("locations", [])]))
        if self.s.audience == "professional":
            parts.append(self.professional_gemeente(here, local))
        parts.append('<h2 id="landelijk">Landelijke hulp</h2><p>'
                     + self.a(here, url("national"), "Landelijke hulplijnen en organisaties") + " gelden ook in "
                     + esc(m["name"]) + ".</p>")
        if local:
            parts.append(f'<p class="kaart-feed">{self.a(here, url("gemeente_feed", gid), "Wat is er veranderd (Atom-feed)")}</p>')
        parts.append(self.record_footer(here, f"{self.s.data_prefix}/municipalities.yaml", gid, m["verified"], m["name"],
                                        new_in=m["name"]))
        parts.append(json_ld({"@context": "https://schema.org", "@type": "AdministrativeArea", "name": m["name"],
                              "identifier": m["code"], "url": f"{self.s.site_url}{here}"}))
        page = Page(here, f"Hulp in {m['name']}", "".join(parts), f"Sociale kaart van {m['name']}: waar u terechtkunt.",
                    "gemeente", {"type": ["Gemeente"], "gemeente": [self.gemeente_name(gid)]}, m["verified"]["date"])
        return demo_page(page) if m.get("demo") else page

    def gemeente_providers(self, here: str, local: list[Record]) -> str:
        """Every local provider once, under its first levensgebied, with its number; the other levensgebieden it
        helps with name it in one line. Jump links to each levensgebied first, so a phone reader skips ahead."""
        domains = self.m.terms["life_domains"]
        primary = {ld: [r for r in local if r.data["life_domains"][0] == ld] for ld in domains}
        also = {ld: [r for r in local if ld in r.data["life_domains"][1:]] for ld in domains}
        shown = [ld for ld in domains if primary[ld] or also[ld]]
        jumps = "".join(f'<li><a href="#{esc(ld)}">{esc(domains[ld]["name"])}</a> ({len(primary[ld]) + len(also[ld])})</li>'
                        for ld in shown)
        parts = ['<h2 id="per-levensgebied">Hulp per onderwerp</h2>',
                 f'<nav class="kaart-jumps" aria-label="Onderwerpen op deze pagina"><ul>{jumps}</ul></nav>']
        for ld in shown:
            parts.append(f'<h3 id="{esc(ld)}">{esc(domains[ld]["name"])}</h3>')
            if primary[ld]:
                parts.append('<ul class="kaart-providers">' + "".join(
                    f'<li><strong>{self.a(here, url("provider", r.id), r.name)}</strong> {self.contact_line(r, email=False)}'
                    f'<span class="kaart-provider-what">{esc(_first_sentence(r.data["description"]))}</span></li>'
                    for r in primary[ld]) + "</ul>")
            if also[ld]:  # described under their own first levensgebied; here only named, folded away
                parts.append(f'<details class="kaart-also"><summary>Helpen ook hierbij ({len(also[ld])})</summary><p>'
                             + ", ".join(self.a(here, url("provider", r.id), r.name) for r in also[ld]) + ".</p></details>")
        return "".join(parts)

    def gemeente_without_local_data(self, gid: str) -> Page:
        """A gemeente nobody has described yet: what holds everywhere, how to reach the gemeente, and an honest
        call for help. The national parts are the same on 300+ pages, so search indexes only the name."""
        m = self.m.gemeenten[gid]
        here = url("gemeente", gid)
        name = esc(m["name"])

        def role(rid: str, text: str) -> str:
            return self.a(here, url("role", rid), text) if rid in self.m.roles else esc(text)

        parts = [f"<h1>Hulp in {name}</h1>", self.local_box(gid, here),
                 '<p class="kaart-lead">' + (rich(m["description"]) if m.get("description") else
                 f"Voor {name} staan nog geen organisaties uit de buurt in de Sociale Kaart. Hier leest u wat "
                 "overal in Nederland geldt, en hoe u de gemeente bereikt.") + "</p>",
                 self.facts([("Provincie", esc(m.get("province", ""))), ("CBS-code", esc(m["code"]))]),
                 f"<div{NOINDEX}>",
                 '<h2 id="begin-hier">Waar begint u?</h2>'
                 f"<p>Voor deze vragen gaat u naar de gemeente {name}:</p><ul>"
                 f"<li><strong>Hulp thuis</strong>, zoals huishoudelijke hulp, begeleiding of een aanpassing in huis "
                 f"(Wmo). Daar helpt een {role('wmo-consulent', 'Wmo-consulent')}.</li>"
                 f"<li><strong>Hulp voor kinderen, jongeren en ouders</strong> (Jeugdwet). Daar helpt het "
                 f"{role('jeugd-en-gezinsteam', 'jeugd- en gezinsteam')}.</li>"
                 f"<li><strong>Werk, bijstand en geldzorgen</strong> (Participatiewet). Daar helpt een "
                 f"{role('consulent-werk-en-inkomen', 'consulent werk en inkomen')}.</li></ul>"
                 f"<p>Heeft u vragen over meer dingen tegelijk? Vraag dan naar het "
                 f"{role('sociaal-wijkteam', 'sociaal wijkteam')}.</p>"]
        if m.get("website"):
            parts.append(f"<p>Het telefoonnummer en de openingstijden staan op de website van de gemeente: "
                         f"{link(m['website'], m['website'].removeprefix('https://').rstrip('/'))}.</p>")
        else:
            parts.append(f"<p>De website van de gemeente {name} hebben wij nog niet gecontroleerd. Daarom staat die "
                         f"hier niet. Zoek {name} op in de "
                         f"{link('https://organisaties.overheid.nl/', 'Overheidsalmanak')} van de overheid. Daar "
                         "staan het adres, het telefoonnummer en de website van elke gemeente.</p>")
        cs = self.m.client_support_role  # a flag on the role (model.py), not a fixed id
        parts.append(
            '<h2 id="clientondersteuning">Gratis hulp van iemand naast u</h2>'
            "<p>Elke gemeente moet zorgen voor gratis onafhankelijke cliëntondersteuning. Dat staat in de Wet "
            "maatschappelijke ondersteuning 2015. Een cliëntondersteuner helpt u bij gesprekken met de gemeente en "
            "andere organisaties. Die persoon werkt niet voor de organisatie die beslist. U betaalt er niets voor.</p>"
            f"<p>Zo vraagt u erom:</p><ol><li>Bel of mail de gemeente {name}.</li>"
            "<li>Zeg: ‘Ik wil graag een onafhankelijke cliëntondersteuner.’</li>"
            "<li>Doe dit het liefst vóór uw gesprek met de gemeente. U mag ook iemand uit uw omgeving meenemen.</li>"
            "</ol>"
            + (f"<p>{role(cs.id, 'Meer over cliëntondersteuning')}. Bron: "
               + ", ".join(link(src["url"], src["title"]) for src in cs.data.get("sources", [])[:2]) + ".</p>"
               if cs else ""))
        roles = "".join(f"<li>{self.a(here, url('role', r.id), r.name)}</li>"
                        for r in sorted(self.m.roles.values(), key=lambda r: r.name))
        parts.append('<h2 id="rollen">Wie doet wat, overal in Nederland</h2>'
                     "<p>Deze hulpverleners werken in elke gemeente. Klik op een naam en lees wat ze doen, wat ze "
                     f"niet doen en wie betaalt. Of {self.a(here, url('roles'), 'vergelijk alle rollen')}.</p>"
                     f'<ul class="kaart-columns">{roles}</ul>')
        national = sorted(self.m.providers_in("landelijk"), key=lambda r: r.name)
        parts.append('<h2 id="landelijk">Landelijke hulp</h2>' + (
            "<ul>" + "".join(f'<li>{self.a(here, url("provider", r.id), r.name)}: '
                             f'{esc(_first_sentence(r.data["description"]))} {self.contact_line(r)}</li>'
                             for r in national) + "</ul>" if national else "")
            + f"<p>{self.a(here, url('national'), 'Alle landelijke hulplijnen en organisaties')}</p>")
        parts.append("</div>")
        parts.append(f'<section class="kaart-card kaart-help-mee" aria-labelledby="help-mee"{NOINDEX}>'
                     '<h2 id="help-mee">Deze gemeente heeft nog geen lokale gegevens: help mee</h2>'
                     f"<p>Werkt u bij de gemeente {name}, of bij een organisatie die hier helpt? Zet de hulp in uw "
                     f"gemeente in de kaart. {self.a(here, url('contribute'), 'Zo helpt u mee')}.</p></section>")
        parts.append(self.record_footer(here, f"{self.s.data_prefix}/municipalities.yaml", gid, m["verified"], m["name"],
                                        new_in=m["name"]))
        parts.append(json_ld({"@context": "https://schema.org", "@type": "AdministrativeArea", "name": m["name"],
                              "identifier": m["code"], "url": f"{self.s.site_url}{here}"}))
        return Page(here, f"Hulp in {m['name']}", "".join(parts),
                    f"Hulp in {m['name']}: waar u begint, gratis cliëntondersteuning en landelijke hulp.",
                    "gemeente", {"type": ["Gemeente"]}, m["verified"]["date"])

    def contact_line(self, rec: Record, email: bool = True) -> str:
        """The first phone number and the e-mail address; `email=False`: the number only (e-mail without one)."""
        d = rec.data
        bits = [self.phone(p["number"], self.m.is_demo(rec)) for p in d.get("phones", [])[:1]]
        if d.get("email") and (email or not bits):
            bits.append(link("mailto:" + d["email"], d["email"]))
        return f'<span class="kaart-contact-line">{" · ".join(bits)}</span>' if bits else ""

    def national(self) -> Page:
        here = url("national")
        recs = sorted(self.m.providers_in("landelijk"), key=lambda r: r.name)
        items = "".join(f'<li>{self.a(here, url("provider", r.id), r.name)}: {esc(_first_sentence(r.data["description"]))}'
                        f" {self.contact_line(r)}</li>" for r in recs)
        body = ("<h1>Landelijke hulp</h1><p class=\"kaart-lead\">Hulplijnen en organisaties die in heel Nederland "
                "werken.</p>" + (f"<ul>{items}</ul>" if recs else "<p>Nog geen landelijke organisaties.</p>"))
        return Page(here, "Landelijke hulp", body, "Landelijke hulplijnen en organisaties.", "list",
                    {"type": ["Overzicht"]})

    # Routewijzer ("Waar kan ik terecht?") -------------------------------------------------------------------
    # Plain linked pages: every answer is a link to the next static page, so the route works without JavaScript,
    # the back button works, and nothing about the answers is sent anywhere or stored (routes.py: the graph).
    @cached_property
    def route_graph(self):
        return graph(self.m.route)

    def route_url(self, qid: str) -> str:
        return url("routewijzer") if qid == self.m.route["start"] else url("route_step", qid)

    def route_nav(self, here: str, back: str | None, step: str) -> str:
        """'Terug' (to the question before; kaart.js makes it the browser's back when the visitor came from there)
        and where the visitor is: 'Vraag 2 van 4'."""
        back_link = (f'<a class="kaart-route-back" href="{esc(rel(here, back))}" '
                     f'data-kaart-back="{esc(rel(here, url("routewijzer")))}">'
                     '<span aria-hidden="true">← </span>Terug</a>' if back is not None else "")
        return f'<nav class="kaart-route-nav" aria-label="Routewijzer">{back_link}<p class="kaart-route-step">{esc(step)}</p></nav>'

    def route_question(self, q: dict, here: str | None = None) -> Page:
        """One question of the route: the question as the h1, the answers as big links, the urgent ones first."""
        g, qid = self.route_graph, q["id"]
        here = here or url("route_step", qid)
        links = []
        for a in ordered_answers(q):
            kind, key = target(a)
            to = (self.route_url(key) if kind == QUESTION else url("route_gemeente", key) if kind == NEED
                  else url("route_crisis"))
            cls = "kaart-route-answer kaart-route-urgent" if a.get("urgent") else "kaart-route-answer"
            links.append(f"<li>{self.a(here, to, a['answer'], cls)}</li>")
        back = self.route_url(g.back[qid]) if qid in g.back else None
        body = (self.route_nav(here, back, f"Vraag {g.depth[qid]} van {g.total(qid)}")
                + f"<h1>{esc(q['question'])}</h1>"
                + (f'<p class="kaart-route-help">{rich(q["help"])}</p>' if q.get("help") else "")
                + f'<ul class="kaart-route-answers">{"".join(links)}</ul>' + self.route_footer(here))
        return Page(here, f"{q['question']} (Routewijzer)", body,
                    "Waar kan ik terecht? Beantwoord een paar korte vragen en vind de hulp die bij u past.",
                    "route", indexed=False)

    def route_footer(self, here: str) -> str:
        return ('<p class="kaart-route-private">Uw antwoorden blijven op uw apparaat. Elke keuze is een gewone link '
                "naar de volgende pagina. Wij bewaren niets.</p>"
                f'<p class="kaart-route-again">{self.a(here, url("routewijzer"), "Opnieuw beginnen")} · '
                f'{self.a(here, url("needs"), "Alle hulpvragen")}</p>')

    def route_gemeente(self, need_id: str) -> Page:
        """The last question: which gemeente. Without JavaScript: a link per gemeente with local records (its
        page for this hulpvraag) and one to the page for everyone, which says what to do anywhere. With it, kaart.js
        offers the gemeente this browser remembers and a postcode box (both end on the same pages)."""
        here, rec = url("route_gemeente", need_id), self.m.needs[need_id]
        local = local_gemeenten(self.m)
        items = "".join(f"<li>{self.a(here, url('gemeente_need', gid, need_id), self.gemeente_name(gid), 'kaart-route-answer')}</li>"
                        for gid in local)
        items += f"<li>{self.a(here, url('need', need_id), 'Een andere gemeente', 'kaart-route-answer')}</li>"
        templates = (f'data-kaart-local="{esc(url("gemeente_need", "{}", need_id))}" '
                     f'data-kaart-local-none="{esc(url("need", need_id))}" data-kaart-local-gemeenten="{esc(" ".join(local))}"')
        body = (self.route_nav(here, self.route_url(self.route_graph.need_back.get(need_id, self.m.route["start"])),
                               "Laatste vraag")
                + "<h1>In welke gemeente woont u?</h1>"
                + f'<p class="kaart-route-help">U zoekt: <strong>{esc(rec.data["question"])}</strong></p>'
                + f'<div class="kaart-route-remembered" {templates} hidden></div>'
                + f'<form class="kaart-postcode kaart-route-postcode" data-kaart-route-postcode {templates} hidden>'
                '<label for="kaart-route-pc">Uw postcode</label> '
                '<input id="kaart-route-pc" name="postcode" type="text" inputmode="numeric" autocomplete="postal-code" '
                'placeholder="1234 AB"> <button type="submit">Verder</button>'
                '<p class="kaart-postcode-result" role="status" aria-live="polite"></p></form>'
                + f'<ul class="kaart-route-answers">{items}</ul>'
                + "<p>Staat uw gemeente er niet bij? Dan ziet u wat overal geldt. Voor de meeste gemeenten staan nog "
                "geen organisaties uit de buurt in de Sociale Kaart. Begin dan bij uw gemeente: vraag naar het sociaal "
                f"wijkteam of het Wmo-loket. Het nummer vindt u via {self.a(here, url('gemeenten'), 'de lijst met alle gemeenten')}.</p>"
                + self.route_footer(here))
        return Page(here, f"In welke gemeente woont u? (Routewijzer: {rec.data['name']})", body,
                    "De laatste vraag van de Routewijzer: in welke gemeente zoekt u hulp?", "route", indexed=False)

    def route_crisis(self) -> Page:
        """Where the urgent answers go: 112, 113 and Veilig Thuis first, as numbers to tap, before anything else."""
        here, crisis = url("route_crisis"), self.m.route["crisis"]
        lines = []
        for line in crisis["lines"]:
            numbers = " of ".join(f'<a class="kaart-tel kaart-route-call" href="{esc(tel_href(n))}">Bel {esc(n)}</a>'
                                  for n in line["numbers"])
            name = (self.a(here, url("provider", line["provider"]), line["name"])
                    if line.get("provider") in self.m.providers else esc(line["name"]))
            lines.append(f'<li><p class="kaart-route-line"><strong>{name}</strong></p><p>{numbers}</p>'
                         f'<p>{rich(line["when"])}</p></li>')
        sources = [s for line in crisis["lines"] for s in line.get("sources", [])]
        body = (f'<h1>{esc(crisis["title"])}</h1><ul class="kaart-route-lines">{"".join(lines)}</ul>'
                f'<p class="kaart-lead">{rich(crisis["intro"])}</p>'
                + self.route_nav(here, url("routewijzer"), "Routewijzer")
                + f'<p>Geen direct gevaar? {self.a(here, url("routewijzer"), "Kies dan wat bij u past")}.</p>'
                + self.sources(sources))
        return Page(here, crisis["title"], body, "Nu direct hulp: 112, 113 Zelfmoordpreventie en Veilig Thuis.",
                    "route", indexed=False)

    # life domain -------------------------------------------------------------------------------------------
    def life_domain(self, ld_id: str) -> Page:
        ld = self.m.life_domain(ld_id)
        here = url("life_domain", ld_id)
        needs = [n for n in self.m.needs.values() if n.data["life_domain"] == ld_id]
        roles = [r for r in self.m.roles.values() if ld_id in r.data["life_domains"]]
        parts = [f"<h1>{esc(ld['name'])}</h1>"]
        if ld.get("description"):
            parts.append(f'<p class="kaart-lead">{rich(ld["description"])}</p>')
        parts.append('<h2 id="vragen">Vragen</h2>' + ("<ul>" + "".join(
            f"<li>{self.a(here, url('need', n.id), n.data['question'])}</li>" for n in needs) + "</ul>"
            if needs else "<p>Nog geen vragen in dit levensgebied.</p>"))
        parts.append('<h2 id="rollen">Wie kan helpen?</h2>' + ("<ul>" + "".join(
            f"<li>{self.a(here, url('role', r.id), r.name)}: {esc(_first_sentence(r.data['summary']))}</li>"
            for r in roles) + "</ul>" if roles else "<p>-</p>"))
        gemeenten = "".join(f"<li>{self.a(here, url('gemeente', g, anchor=ld_id), self.gemeente_name(g))}</li>"
                            for g in self.m.gemeenten if any(ld_id in r.data["life_domains"]
                                                                   for r in self.m.providers_in(g)))
        if gemeenten:
            parts.append(f'<h2 id="gemeenten">Organisaties per gemeente</h2><ul>{gemeenten}</ul>')
        return Page(here, ld["name"], "".join(parts), _plain(ld.get("description", ld["name"])), "list",
                    {"type": ["Overzicht"], "levensgebied": [ld["name"]]})


DAYS_EN = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday", "SA": "Saturday",
           "SU": "Sunday"}
#: Services under these laws are provided or commissioned by government (schema.org GovernmentService).
GOVERNMENT_LAWS = {"wmo-2015", "jeugdwet", "participatiewet", "wgs", "wlz", "wia", "wajong"}


def _ages(s: dict) -> str:
    lo, hi = s.get("minimum_age"), s.get("maximum_age")
    if lo is not None and hi is not None:
        return f"{lo} tot en met {hi} jaar"
    if lo is not None:
        return f"vanaf {lo} jaar"
    if hi is not None:
        return f"tot en met {hi} jaar"
    return ""


def _plain(text: str) -> str:
    """Text without the Markdown subset marks, for meta descriptions and JSON-LD."""
    import re

    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return text.replace("**", "").replace("*", "").strip()


def _first_sentence(text: str, limit: int = 160) -> str:
    plain = _plain(text)
    end = plain.find(". ")
    first = plain if end == -1 else plain[: end + 1]
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"
