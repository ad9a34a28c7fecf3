"""Every kind of page on the site and its address: the one place that knows a URL.

Addresses are directory-style and relative to the site root ('aanbieders/x/'; '' is the home page); links between
pages are made relative with `markup.rel`. Every link, sitemap entry, feed entry, export link and redirect check
takes its address from here, so renaming a section of the site is one line.

A record page kind also names what it is made from and how (`RECORD_PAGES`): adding a page kind is one entry here
plus one renderer method (render.Renderer), and site.py, the sitemap, the search facets and the redirect check
pick it up. Nothing here imports another module of the package: every step may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

#: page kind → address; '{}' is the record's id (or the gemeente's slug, the levensgebied's id).
URLS = {
    # one page per record
    "provider": "aanbieders/{}/",
    "role": "rollen/{}/",
    "need": "hulpvragen/{}/",
    "signal": "signalen/{}/",
    "gemeente": "gemeenten/{}/",
    "life_domain": "levensgebieden/{}/",
    # a hulpvraag or rol with what one gemeente offers for it (gemeenten with local records; not indexed)
    "gemeente_need": "gemeenten/{}/hulpvragen/{}/",
    "gemeente_role": "gemeenten/{}/rollen/{}/",
    # overviews made from the data
    "home": "",
    "roles": "rollen/",
    "needs": "hulpvragen/",
    "signals": "signalen/",
    "gemeenten": "gemeenten/",
    "life_domains": "levensgebieden/",
    "payment_guide": "wie-betaalt-wat/",
    "national": "landelijk/",
    # hand-written pages (docs/) and tools
    "search": "zoeken/",
    "open_data": "open-data/",
    "contribute": "bijdragen/",
    "field_guide": "bijdragen/velden/",
    "my_overview": "mijn-overzicht/",
    "professionals": "professionals/",
    "editor": "beheer/",
    # the Routewijzer ("Waar kan ik terecht?"): the first question is searchable, the steps after it are not
    "routewijzer": "routewijzer/",
    "route_step": "routewijzer/{}/",  # a question id (data/routewijzer.yaml)
    "route_gemeente": "routewijzer/gemeente-{}/",  # the last question (which gemeente) on the way to a hulpvraag
    "route_crisis": "routewijzer/nu-hulp/",  # where the urgent answers go: 112, 113, Veilig Thuis
    # files beside pages
    "gemeente_feed": "gemeenten/{}/feed.xml",
    "feed": "feed.xml",
    "sitemap": "sitemap.xml",  # for search engines: the pages whose number does not grow
    "provider_sitemap": "sitemaps/aanbieders-{}.xml",
    "sitemap_index": "sitemap-index.xml",
    "robots": "robots.txt",
    # the page shell MkDocs renders once and the build stamps every record page from (then removes)
    "page_shell": "pagina/sjabloon/",
    "page_shell_deep": "pagina/sjabloon/diep/pagina/",  # the same at the depth of gemeente_need/gemeente_role
}

#: Overview pages that are built from the data on every build (redirects may point at them).
OVERVIEWS = ("home", "gemeenten", "national", "needs", "life_domains", "roles", "payment_guide", "field_guide",
             "signals", "routewijzer")


def url(kind: str, *keys: str, anchor: str | None = None) -> str:
    """The address of a page: url('provider', 'ggd') == 'aanbieders/ggd/'; url('roles') == 'rollen/';
    url('gemeente_need', 'utrecht', 'schulden') == 'gemeenten/utrecht/hulpvragen/schulden/'."""
    pattern = URLS[kind]
    if pattern.count("{}") != len(keys):
        raise ValueError(f"page kind {kind!r} takes {pattern.count('{}')} id(s), not {len(keys)}")
    address = pattern.format(*keys)
    return f"{address}#{anchor}" if anchor else address


def site_path(kind: str, *keys: str) -> str:
    """The address as a root-relative path for open data and feeds: '/aanbieders/ggd/'."""
    return "/" + url(kind, *keys)


def prefix(kind: str) -> str:
    """The folder every page of a record kind sits in: prefix('provider') == 'aanbieders/'."""
    return URLS[kind].split("{}", 1)[0]


def match(kind: str, address: str) -> str | None:
    """The id in an address of a record page kind, or None: match('gemeente', 'gemeenten/utrecht/') == 'utrecht'."""
    head, _, tail = URLS[kind].partition("{}")
    if not address.startswith(head) or not address.endswith(tail):
        return None
    key = address[len(head):len(address) - len(tail)]
    return key if key and "/" not in key else None


@dataclass(frozen=True)
class RecordPages:
    """A record page kind: which records of the model get a page, and which renderer method makes it."""

    kind: str
    records: Callable[[Any], Iterable]  # model → the records (or ids) that each get a page
    render: Callable[[Any, Any], Any]  # (renderer, record) → render.Page
    searched: bool = True  # False: variants of other pages, written after the search index is made


RECORD_PAGES = (
    RecordPages("provider", lambda m: m.providers.values(), lambda r, rec: r.provider(rec)),
    RecordPages("role", lambda m: m.roles.values(), lambda r, rec: r.role(rec)),
    RecordPages("need", lambda m: m.needs.values(), lambda r, rec: r.need(rec)),
    RecordPages("signal", lambda m: m.signals.values(), lambda r, rec: r.signal(rec)),
    RecordPages("gemeente", lambda m: list(m.gemeenten), lambda r, gid: r.gemeente(gid)),
    RecordPages("life_domain", lambda m: list(m.terms["life_domains"]), lambda r, ld: r.life_domain(ld)),
    RecordPages("gemeente_need", lambda m: [(g, rec) for g in local_gemeenten(m) for rec in m.needs.values()],
                lambda r, pair: r.gemeente_need(*pair), searched=False),
    RecordPages("gemeente_role", lambda m: [(g, rec) for g in local_gemeenten(m) for rec in m.roles.values()],
                lambda r, pair: r.gemeente_role(*pair), searched=False),
    # the Routewijzer's steps after its first question (overview.routewijzer): out of search and the sitemap
    RecordPages("route_step", lambda m: [q for q in m.route["questions"] if q["id"] != m.route["start"]] if m.route
                else [], lambda r, q: r.route_question(q), searched=False),
    RecordPages("route_gemeente", lambda m: list(m.needs) if m.route else [], lambda r, nid: r.route_gemeente(nid),
                searched=False),
    RecordPages("route_crisis", lambda m: ["crisis"] if m.route else [], lambda r, _: r.route_crisis(),
                searched=False),
)


def local_gemeenten(model) -> list[str]:
    """The gemeenten with local records of their own: they get a page per hulpvraag and rol."""
    return [g for g in model.gemeenten if model.providers_in(g)]
