"""Overview pages (home, role matrix, needs, municipalities, who pays what): few, linked from the navigation."""

from __future__ import annotations

from .gemeenten import slugify
from .load import NATIONAL
from .markup import esc, link, rich
from .labels import COST_LABELS
from .material import TABLE_CLOSE, TABLE_OPEN
from .pages import url
from .render import PAYER_LABELS, URGENCY_LABELS, Page, Renderer, _first_sentence, _plain


def home(r: Renderer, intro_html: str) -> Page:
    """Task first: on a phone's first screen the question, search, postcode, the topics and the lines that are
    open day and night; the explanation follows below."""
    here = url("home")
    m = r.m
    domains = "".join(f"<li>{r.a(here, url('life_domain', ld), t['name'])}</li>" for ld, t in m.terms["life_domains"].items())
    domains += f'<li class="kaart-task-all">{r.a(here, url("needs"), "Alle hulpvragen")}</li>'
    role = m.client_support_role  # linked when the data has it (a flag on the role), plain text otherwise
    support = (r.a(here, url("role", role.id), "onafhankelijke cliëntondersteuner") if role
               else "onafhankelijke cliëntondersteuner")
    # 340+ links would bury the rest of the home page: the gemeenten with local records, then the full list.
    gemeente_links = "".join(f"<li>{r.a(here, r.gemeente_url(g), r.gemeente_name(g))}</li>" for g in m.gemeenten
                             if m.providers_in(g)) + f"<li>{r.a(here, url('gemeenten'), 'Alle gemeenten van Nederland')}</li>"
    body = (
        '<h1 class="kaart-home-question">Waar heeft u hulp bij?</h1>'
        '<section class="kaart-home-search" aria-label="Zoeken">'
        f'<form action="{esc(r.a_url(here, url("search")))}" method="get" role="search">'
        '<label for="kaart-q">Zoek een vraag, organisatie of rol</label> '
        '<input id="kaart-q" name="q" type="search" autocomplete="off" placeholder="bijv. schulden"> '
        '<button type="submit">Zoek</button></form>'
        f'<form class="kaart-postcode" action="{esc(r.a_url(here, url("gemeenten")))}" method="get" data-kaart-postcode>'
        '<label for="kaart-pc">Hulp in uw gemeente: uw postcode</label> '
        '<input id="kaart-pc" name="postcode" type="text" inputmode="numeric" autocomplete="postal-code" placeholder="1234 AB" '
        'pattern="\\s*[0-9]{4}\\s*([A-Za-z]{2})?\\s*"> <button type="submit">Ga naar mijn gemeente</button>'
        '<p class="kaart-postcode-result" role="status" aria-live="polite"></p></form></section>'
        '<nav class="kaart-tasks" aria-labelledby="ld-kop"><div class="kaart-tasks-head">'
        '<h2 id="ld-kop">Kies een onderwerp</h2>'
        + (r.a(here, url("routewijzer"), "Waar kan ik terecht?", "kaart-route-start") if m.route else "")
        + f'</div><ul>{domains}</ul></nav>'
        + crisis_lines(r, here) +
        f'<section class="kaart-home-intro" aria-labelledby="over-kop"><h2 id="over-kop">Wat is de Sociale Kaart?</h2>{intro_html}'
        '</section>'
        '<section aria-labelledby="gemeente-kop"><h2 id="gemeente-kop">Kies uw gemeente</h2>'
        f'<ul class="kaart-columns">{gemeente_links}</ul></section>'
        '<section aria-labelledby="start-kop"><h2 id="start-kop">Weet u niet waar u moet beginnen?</h2>'
        f'<p>Ga naar het sociaal wijkteam van uw gemeente. Of vraag gratis hulp aan een {support}. '
        f'Lees ook {r.a(here, url("payment_guide"), "wie betaalt wat")}.</p></section>'
    )
    # Not in the search index: the home page names every topic, so it came up for almost any query ("werk zoeken"
    # put it second) while it answers none; the search page links the topics itself when nothing is found.
    return Page(here, "Vind hulp in uw gemeente", body, "Wie doet wat in zorg, werk, geld en meedoen? Vind hulp in uw gemeente.",
                "home", indexed=False)


def routewijzer(r: Renderer) -> Page:
    """The Routewijzer's first page (/routewijzer/): searchable and in the sitemap; the steps after it are not."""
    if not r.m.route:  # (the navigation names the page, so it is there even without data/routewijzer.yaml)
        here = url("routewijzer")
        return Page(here, "Waar kan ik terecht?", "<h1>Waar kan ik terecht?</h1><p>De Routewijzer is er nog niet. "
                    f"Kies uw vraag in {r.a(here, url('needs'), 'de lijst met hulpvragen')}.</p>", "Routewijzer", "list")
    start = next(q for q in r.m.route["questions"] if q["id"] == r.m.route["start"])
    page = r.route_question(start, url("routewijzer"))
    page.title, page.indexed = "Waar kan ik terecht? Routewijzer", True
    page.description = "Waar kan ik terecht? Beantwoord hoogstens 4 korte vragen en zie waar u kunt beginnen."
    return page


def crisis_lines(r: Renderer, here: str, shown_when_nothing_found: bool = False) -> str:
    """The national lines that are open day and night (`always_available` in the data), each with its number.
    `shown_when_nothing_found`: part of the search page's help, hidden until a search finds nothing (kaart.js)."""
    lines = sorted((rec for rec in r.m.providers_in(NATIONAL) if rec.data.get("always_available")),
                   key=lambda rec: rec.name)
    if not lines:
        return ""
    items = "".join(f"<li>{r.a(here, url('provider', rec.id), rec.name)}: {r.contact_line(rec)}</li>" for rec in lines)
    opening = ('<section class="kaart-crisis kaart-search-none" hidden' if shown_when_nothing_found
               else '<section class="kaart-crisis"')
    return (opening + ' aria-labelledby="crisis-kop"><h2 id="crisis-kop">Nu direct hulp nodig?</h2>'
            "<p>Is iemand in gevaar? Bel 112. Dag en nacht:</p>"
            f"<ul>{items}</ul></section>")


#: Where the search page (docs/zoeken.md) gets the help it shows when nothing is found (search_help).
SEARCH_HELP_MARK = "<!-- kaart:zoekhulp -->"


def search_help(r: Renderer) -> str:
    """What the search page offers when a search finds nothing (kaart.js shows it): the visitor's own gemeente
    (filled in by kaart.js when one is remembered), the lists to choose from, and the lines open day and night."""
    here = url("search")
    role = r.m.roles.get("sociaal-wijkteam")
    team = r.a(here, url("role", role.id), "het sociaal wijkteam") if role else "het sociaal wijkteam"
    return (
        '<section class="kaart-search-none" aria-labelledby="geen-kop" hidden data-pagefind-ignore>'
        '<h2 id="geen-kop">Niet gevonden wat u zoekt?</h2><ul>'
        f'<li class="kaart-search-none-gemeente" hidden data-kaart-gemeente-url="{esc(r.a_url(here, url("gemeente", "{}")))}" '
        f'data-kaart-gemeente-page="{esc(url("gemeente", "{}"))}">'
        '</li>'
        f'<li>Ga naar {r.a(here, url("gemeenten"), "uw gemeente")}: daar staat waar u terechtkunt. Of vraag het {team}.</li>'
        f'<li>Kies uw vraag uit {r.a(here, url("needs"), "alle hulpvragen")}.</li>'
        f'<li>Of kijk {r.a(here, url("roles"), "wie wat doet")} (alle rollen).</li>'
        + (f'<li>Of beantwoord een paar korte vragen in de {r.a(here, url("routewijzer"), "Routewijzer")}: '
           'die brengt u bij de juiste hulpvraag.</li>' if r.m.route else '')
        + '</ul></section>'
        + crisis_lines(r, here, shown_when_nothing_found=True)
    )


#: The columns of the role matrix (/rollen/); on a phone they are the labels in each role's card.
MATRIX_COLUMNS = ("Rol", "Wat doet deze rol", "Wet", "Wie betaalt", "Kosten voor u", "Kan regisseur zijn")


def roles_matrix(r: Renderer) -> Page:
    here = url("roles")
    regisseurs = [rec for rec in r.m.roles.values() if rec.data.get("regisseur", {}).get("possible")]
    # Mid-sentence: "sociaal wijkteam", but "MEE-consulent" keeps its capitals.
    names = [rec.name[0].lower() + rec.name[1:] if rec.name[1:2].islower() else rec.name for rec in regisseurs]
    examples = ", ".join(r.a(here, url("role", rec.id), name) for rec, name in zip(regisseurs, names))
    rows = []
    for rec in r.m.roles.values():
        d = rec.data
        laws = ", ".join(sorted({r.law_name(lb["law"]) for lb in d["legal_basis"]}))
        regisseur = ("Ja" if d["regisseur"]["possible"] else "Nee") if d.get("regisseur") else "—"
        cells = zip(MATRIX_COLUMNS[1:], (_first_sentence(d["summary"]), laws, PAYER_LABELS[d["payer"]],
                                         COST_LABELS[d["cost"]["type"]], regisseur))
        rows.append(f"<tr><th scope=\"row\">{r.a(here, url('role', rec.id), d['name'])}</th>"
                    + "".join(f'<td data-label="{esc(label)}">{esc(value)}</td>' for label, value in cells) + "</tr>")
    body = (
        "<h1>Rollen: wie doet wat?</h1>"
        '<p class="kaart-lead">In zorg en welzijn werken veel mensen met verschillende functies. '
        "Hier ziet u per rol wat die doet, welke wet erover gaat, wie betaalt en wat het u kost.</p>"
        "<p>U hoeft niet bij iedereen zelf uw verhaal te doen. Eén vaste persoon kan de regie houden: "
        "<em>één huishouden, één plan, één regisseur</em>. Daar is geen nieuwe functie voor nodig. "
        f"De rollen met ‘Ja’ in de laatste kolom doen dit al: {examples}.</p>"
        # A table on wide screens; on narrow ones each role is a card (kaart.css), the labels from data-label.
        '<table class="kaart-matrix"><caption>Alle rollen vergeleken</caption><thead><tr>'
        + "".join(f'<th scope="col">{esc(c)}</th>' for c in MATRIX_COLUMNS) + "</tr></thead><tbody>"
        + "".join(rows) + "</tbody></table>")
    return Page(here, "Rollen", body, "Alle rollen in zorg en welzijn vergeleken: wat ze doen, wie betaalt.", "list",
                {"type": ["Overzicht"]})


def needs_index(r: Renderer) -> Page:
    here = url("needs")
    parts = ["<h1>Hulpvragen</h1>",
             '<p class="kaart-lead">Kies uw vraag. Bij elke vraag ziet u eerst wat u zelf en uw omgeving kunnen doen, '
             "dan hulp voor iedereen in de buurt, en pas daarna hulp die u aanvraagt.</p>"]
    for ld_id, ld in r.m.terms["life_domains"].items():
        needs = [n for n in r.m.needs.values() if n.data["life_domain"] == ld_id]
        if needs:
            parts.append(f'<h2 id="{esc(ld_id)}">{esc(ld["name"])}</h2><ul>' + "".join(
                f"<li>{r.a(here, url('need', n.id), n.data['question'])}</li>" for n in needs) + "</ul>")
    return Page(here, "Hulpvragen", "".join(parts), "Hulpvragen per levensgebied, met wat u eerst zelf kunt doen.",
                "list", {"type": ["Overzicht"]})


def gemeenten_index(r: Renderer) -> Page:
    """All gemeenten grouped by province. Without JavaScript it is a plain list with a jump menu; kaart.js adds a
    filter box (hidden in the HTML, so nobody sees a box that does nothing)."""
    here = url("gemeenten")
    groups: dict[str, list[str]] = {}
    for g, m in r.m.gemeenten.items():
        groups.setdefault(m.get("province") or ("Voorbeeldgemeenten" if m.get("demo") else "Overig"), []).append(g)
    order = sorted(groups, key=lambda p: (p in ("Voorbeeldgemeenten", "Overig"), p))
    local = {g for g in r.m.gemeenten if r.m.providers_in(g)}
    sections = []
    for province in order:
        pid = "provincie-" + slugify(province)
        items = "".join(f'<li data-kaart-name="{esc(_plain(r.m.gemeenten[g]["name"]).lower())}">'
                        f"{r.a(here, r.gemeente_url(g), r.gemeente_name(g))}"
                        + (' <span class="kaart-badge">met lokale gegevens</span>' if g in local else "") + "</li>"
                        for g in sorted(groups[province], key=lambda g: r.m.gemeenten[g]["name"].lower()
                                        .lstrip("'")))
        sections.append(f'<section class="kaart-province" aria-labelledby="{pid}" data-kaart-province>'
                        f'<h2 id="{pid}">{esc(province)} <span class="kaart-count">({len(groups[province])})</span>'
                        f'</h2><ul class="kaart-columns">{items}</ul></section>')
    jump = "".join(f'<li><a href="#provincie-{slugify(p)}">{esc(p)}</a></li>' for p in order)
    real = sum(1 for m in r.m.gemeenten.values() if not m.get("demo"))
    body = ("<h1>Gemeenten</h1>"
            f'<p class="kaart-lead">Alle {real} gemeenten van Nederland. Bij elke gemeente staat wat overal geldt en '
            "hoe u de gemeente bereikt. Waar dat al kan, ziet u ook hulp in de buurt.</p>"
            '<form class="kaart-postcode" method="get" data-kaart-postcode>'
            '<label for="kaart-pc">Uw postcode</label> '
            '<input id="kaart-pc" name="postcode" type="text" inputmode="numeric" autocomplete="postal-code" placeholder="1234 AB"> '
            '<button type="submit">Ga naar mijn gemeente</button>'
            '<p class="kaart-postcode-result" role="status" aria-live="polite"></p></form>'
            '<div class="kaart-filter" data-kaart-filter hidden>'
            '<label for="kaart-gemeente-filter">Zoek in de lijst</label> '
            '<input id="kaart-gemeente-filter" type="search" autocomplete="off" placeholder="bijvoorbeeld: Zwolle">'
            '<p class="kaart-filter-result" role="status" aria-live="polite"></p></div>'
            f'<nav aria-label="Provincies"><ul class="kaart-jump">{jump}</ul></nav>'
            + "".join(sections)
            + f'<p>{r.a(here, url("national"), "Landelijke hulplijnen en organisaties")}</p>')
    return Page(here, "Gemeenten", body, "Kies uw gemeente: alle gemeenten van Nederland per provincie.", "list",
                {"type": ["Overzicht"]})


def levensgebieden_index(r: Renderer) -> Page:
    here = url("life_domains")
    items = "".join(f"<li>{r.a(here, url('life_domain', ld), t['name'])}: {esc(_plain(t.get('description', '')))}</li>"
                    for ld, t in r.m.terms["life_domains"].items())
    return Page(here, "Onderwerpen", f"<h1>Onderwerpen</h1><ul>{items}</ul>", "Hulp per levensgebied.", "list",
                {"type": ["Overzicht"]})


#: The columns of the tables on /wie-betaalt-wat/ (also the labels of a situation's values on a narrow screen).
PAYMENT_COLUMNS = ("Situatie", "Wet", "Wie betaalt", "Waar aanvragen", "Bron")


def payment_guide(r: Renderer) -> Page:
    here = url("payment_guide")
    g = r.m.payment_guide
    parts = ["<h1>Wie betaalt wat?</h1>"]
    if g:
        parts.append(f'<p class="kaart-lead">{rich(g["intro"])}</p>')
        parts.append("<nav aria-label=\"Op deze pagina\"><ul>" + "".join(
            f'<li><a href="#{esc(k["id"])}">{esc(k["name"])}</a></li>' for k in g["kinds"])
            + '<li><a href="#kastje-muur">Van het kastje naar de muur</a></li>'
              '<li><a href="#vastlopen">Als u vastloopt</a></li><li><a href="#wetten">De wetten</a></li></ul></nav>')
        for k in g["kinds"]:
            rows = "".join(
                f"<tr><th scope=\"row\">{rich(s['situation'])}</th>"
                f"<td data-label=\"{PAYMENT_COLUMNS[1]}\">{r.law_link(here, s['law'])}</td>"
                f"<td data-label=\"{PAYMENT_COLUMNS[2]}\">{esc(PAYER_LABELS[s['payer']])}</td>"
                f"<td data-label=\"{PAYMENT_COLUMNS[3]}\">{esc(s['body'])}"
                + (f"<br>{r.role_links(here, s['roles'])}" if s.get("roles") else "")
                + f"</td><td data-label=\"{PAYMENT_COLUMNS[4]}\">"
                + ", ".join(link(src["url"], src["title"]) for src in s["sources"]) + "</td></tr>"
                for s in k["situations"])
            # As the role matrix: a table on wide screens, one card per situation below that (kaart.css).
            parts.append(f'<h2 id="{esc(k["id"])}">{esc(k["name"])}</h2>'
                         + (f"<p>{rich(k['description'])}</p>" if k.get("description") else "")
                         + f'<table class="kaart-matrix kaart-payments"><caption>{esc(k["name"])}: wie betaalt?</caption>'
                         "<thead><tr>" + "".join(f'<th scope="col">{c}</th>' for c in PAYMENT_COLUMNS)
                         + f"</tr></thead><tbody>{rows}</tbody></table>")
        parts.append('<h2 id="kastje-muur">Van het kastje naar de muur</h2>'
                     "<p>Soms wijzen organisaties naar elkaar. Dit zijn situaties die vaak voorkomen, en wat u dan kunt doen.</p>")
        for p in g["ping_pong"]:
            parts.append(f'<section class="kaart-card" id="{esc(p["id"])}"><h3>{esc(p["title"])}</h3><p>{rich(p["description"])}</p>'
                         + (f"<p><strong>Wie betaalt wat:</strong></p>{r.list_items(p['who_pays'])}" if p.get("who_pays") else "")
                         + f"<p><strong>Wat kunt u doen:</strong></p>{r.list_items(p['what_to_do'])}"
                         + (f"<p>Wie helpt: {r.role_links(here, p['roles'])}</p>" if p.get("roles") else "")
                         + "<p>Bron: " + ", ".join(link(s["url"], s["title"]) for s in p["sources"]) + "</p></section>")
        parts.append('<h2 id="vastlopen">Als u vastloopt</h2>')
        for st in g["when_stuck"]:
            parts.append(f'<h3 id="{esc(st["id"])}">{esc(st["title"])}</h3><p>{rich(st["description"])}</p>'
                         + (f"<p>Wie helpt: {r.role_links(here, st['roles'])}</p>" if st.get("roles") else "")
                         + "<p>Bron: " + ", ".join(link(s["url"], s["title"]) for s in st["sources"]) + "</p>")
    parts.append('<h2 id="wetten">De wetten</h2><dl class="kaart-laws">')
    for law_id, law in r.m.terms["laws"].items():
        parts.append(f'<dt id="wet-{esc(law_id)}">{esc(law["name"])} ({esc(law["short_name"])})</dt>'
                     f'<dd>{rich(law.get("description", ""))} Wie betaalt: {esc(PAYER_LABELS[law["payer"]])}. '
                     f'{link(law["url"], "Wettekst op wetten.overheid.nl")}</dd>')
    parts.append("</dl>")
    if g:
        parts.append(r.record_footer(here, f"{r.s.data_prefix}/wie-betaalt-wat.yaml", "wie-betaalt-wat",
                                     g["verified"], "Wie betaalt wat"))
    return Page(here, "Wie betaalt wat", "".join(parts), "Welke wet geldt en wie betaalt: gemeente, zorgverzekeraar, "
                "zorgkantoor, UWV of werkgever.", "list", {"type": ["Overzicht"]})


def signals_index(r: Renderer) -> Page:
    """/signalen/: early signals for professionals at zorgvindplaatsen, by place and as one table, and the grounds
    on which they may share what they saw."""
    here = url("signals")
    m = r.m
    parts = ["<h1>Signaal gezien: wie pakt het op?</h1>",
             '<p class="kaart-lead">Voor professionals op plekken waar mensen al komen: de huisarts, de wijkagent, '
             "de verhuurder, de school, de werkgever en anderen. Ziet u een probleem? Hier leest u wie het oppakt, "
             "wat u eerst doet en wat u mag delen.</p>"]
    if not m.signals:
        parts.append("<p>Er staan nog geen signalen in de kaart.</p>")
    places = m.terms["zorgvindplaatsen"]
    if m.signals and places:
        parts.append('<h2 id="per-zorgvindplaats">Per zorgvindplaats</h2>'
                     "<p>Kies de plek waar u werkt.</p><ul class=\"kaart-columns\">"
                     + "".join(f'<li><a href="#{esc(pid)}">{esc(p["name"])}</a></li>' for pid, p in places.items())
                     + "</ul>")
        for pid, p in places.items():
            signals = [s for s in m.signals.values() if pid in s.data["seen_by"]]
            parts.append(f'<h3 id="{esc(pid)}">{esc(p["name"])}</h3>'
                         + (f"<p>{rich(p['description'])}</p>" if p.get("description") else "")
                         + ("<ul>" + "".join(f"<li>{r.a(here, url('signal', s.id), s.name)}</li>" for s in signals)
                            + "</ul>" if signals else "<p>Nog geen signalen voor deze plek.</p>"))
    if m.signals:
        rows = "".join(
            f"<tr><th scope=\"row\">{r.a(here, url('signal', s.id), s.name)}</th>"
            f"<td>{esc(_first_sentence(s.data['signal']))}</td><td>{esc(URGENCY_LABELS[s.data['urgency']])}</td>"
            f"<td>{r.role_links(here, s.data['roles'])}</td></tr>"
            for s in sorted(m.signals.values(), key=lambda s: s.name))
        parts.append('<h2 id="alle-signalen">Alle signalen</h2>'
                     f'{TABLE_OPEN}<table>'
                     '<caption>Alle signalen met wie ze oppakt</caption><thead><tr><th scope="col">Signaal</th>'
                     '<th scope="col">Wat ziet u</th><th scope="col">Hoe dringend</th><th scope="col">Wie pakt het op</th>'
                     f"</tr></thead><tbody>{rows}</tbody></table>{TABLE_CLOSE}")
    bases = m.terms["sharing_bases"]
    if bases:
        parts.append('<h2 id="delen">Wat mag u delen?</h2>'
                     "<p>Deel alleen wat nodig is. Vraag eerst toestemming, tenzij een wet iets anders zegt. "
                     "Bij direct gevaar belt u 112.</p>")
        parts += [r.sharing_basis(here, b, level=3) for b in bases.values()]
    return Page(here, "Signalen", "".join(parts),
                "Voor professionals: signaal gezien bij een inwoner? Wie pakt het op, wat doet u eerst en wat mag u delen.",
                "list", {"type": ["Overzicht"]})
