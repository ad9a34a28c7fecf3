"""Atom feeds "wat is er veranderd": one per gemeente and one national feed, from the records' verified dates.

Deterministic: no wall-clock time anywhere; a feed's <updated> is its newest entry's date, so the same data gives
byte-identical files. Only public, provider-level fields are used (never a service marked professional-only).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from .load import NATIONAL
from .markup import dutch_date
from .model import Model, Record
from . import pages
from .pages import site_path

ATOM = "http://www.w3.org/2005/Atom"
#: Most entries per feed: feed readers only show the recent ones, and a big gemeente would otherwise give a huge file.
MAX_ENTRIES = 50
#: Longest summary in characters; the full text is on the page the entry links to.
MAX_SUMMARY = 300
#: <updated> of a feed without entries: a fixed date, never "now" (keeps the output reproducible).
EMPTY_FEED_DATE = dt.date(2000, 1, 1)
#: Page folder per record kind (Dutch URLs, DESIGN.md §4).


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _verified(rec: Record) -> dt.date:
    return dt.date.fromisoformat(rec.data["verified"]["date"])


def page_url(site_url: str, rec: Record) -> str:
    return site_url + site_path(rec.kind, rec.id)


def _summary(rec: Record) -> str:
    verified = rec.data["verified"]
    text = f"Gecontroleerd op {dutch_date(_verified(rec))} door {verified['by']}."
    about = rec.data.get("description") or rec.data.get("summary") or rec.data.get("question") or ""
    about = " ".join(str(about).split())
    if about:
        if len(about) > MAX_SUMMARY:
            about = about[: MAX_SUMMARY - 1].rstrip() + "…"
        text += " " + about
    return text


def _sorted(records: list[Record]) -> list[Record]:
    """Newest first; records checked on the same day in a stable order (kind, id)."""
    return sorted(records, key=lambda r: (-_verified(r).toordinal(), r.kind, r.id))[:MAX_ENTRIES]


def render_feed(records: list[Record], *, title: str, subtitle: str, feed_url: str, page: str, site_url: str,
                fallback_date: dt.date = EMPTY_FEED_DATE) -> bytes:
    entries = _sorted(records)
    # Plain tag names under one xmlns on the root: the serializer then never invents ns0: prefixes.
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "nl"})
    _sub(feed, "id", feed_url)
    _sub(feed, "title", title)
    _sub(feed, "subtitle", subtitle)
    _sub(feed, "updated", _timestamp(_verified(entries[0]) if entries else fallback_date))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=page)
    author = _sub(feed, "author")
    _sub(author, "name", "Sociale Kaart")
    _sub(author, "uri", f"{site_url}/")
    _sub(feed, "generator", "Sociale Kaart (kaart build)")
    for rec in entries:
        url = page_url(site_url, rec)
        entry = _sub(feed, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", rec.name)
        _sub(entry, "updated", _timestamp(_verified(rec)))
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        _sub(entry, "summary", _summary(rec), type="text")
    ET.indent(feed, space="  ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != content:
        path.write_bytes(content)
    return path


def write_feeds(model: Model, out_dir: Path, site_url: str) -> list[Path]:
    """Write <out_dir>/gemeenten/<slug>/feed.xml per gemeente with local records and <out_dir>/feed.xml; returns
    the paths written."""
    out_dir = Path(out_dir)
    site_url = site_url.rstrip("/")
    written = []
    for slug, m in model.gemeenten.items():
        if not model.providers_in(slug):
            continue  # no local records, nothing to follow: no empty feed for 300+ gemeenten
        muni_date = dt.date.fromisoformat(m["verified"]["date"])
        written.append(_write(out_dir / pages.url("gemeente_feed", slug), render_feed(
            list(model.providers_in(slug)),
            title=f"Sociale Kaart {m['name']}: wat is er veranderd",
            subtitle=f"Aanbieders in {m['name']}, nieuwste controle eerst.",
            feed_url=site_url + site_path("gemeente_feed", slug), page=site_url + site_path("gemeente", slug),
            site_url=site_url, fallback_date=muni_date)))
    national = [*model.roles.values(), *model.needs.values(), *model.providers_in(NATIONAL)]
    written.append(_write(out_dir / "feed.xml", render_feed(
        national,
        title="Sociale Kaart: wat is er veranderd (landelijk)",
        subtitle="Rollen, hulpvragen en landelijke diensten, nieuwste controle eerst.",
        feed_url=site_url + site_path("feed"), page=site_url + site_path("home"), site_url=site_url)))
    return written
