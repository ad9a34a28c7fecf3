"""Old addresses keep working: data/redirects.yaml → small HTML pages at the old URLs.

A record's URL is its id, so a new *name* never changes an address. When an editor does change an id, or
removes a record, links in folders, letters and bookmarks would break; a line in data/redirects.yaml puts a
page at the old address. A renamed page forwards (meta refresh, no script: the site runs under a strict CSP)
and shows a visible link; a removed page explains what happened and links on, without forwarding by itself.
"""

from __future__ import annotations

import html
from pathlib import Path

from .load import Document, load_file
from .markup import rel
from .pages import OVERVIEWS, url
from .paths import REPO
from .problems import did_you_mean

FILE_NAME = "redirects.yaml"


def site_pages(providers, roles, needs, municipalities, life_domains, docs_dir: Path = REPO / "docs",
               signals=()) -> set[str]:
    """Every URL a full build writes a page for."""
    pages = {url(kind) for kind in OVERVIEWS}
    for kind, ids in (("signal", signals), ("provider", providers), ("role", roles), ("need", needs),
                      ("gemeente", municipalities), ("life_domain", life_domains)):
        pages.update(url(kind, x) for x in ids)
    if docs_dir.is_dir():
        pages.update(f"{p.relative_to(docs_dir).with_suffix('').as_posix()}/"
                     for p in docs_dir.rglob("*.md") if p.name != "index.md")
    return pages


def check_redirects(checker, doc: Document, pages: set[str]) -> None:
    """Cross-checks the schema can't do: the old address is free, the new one exists, each old address once."""
    seen: set[str] = set()
    for i, item in enumerate(doc.data.get("redirects", [])):
        at = ["redirects", i]
        old, new = item["from"], item["to"]
        if old in seen:
            checker.error(doc, at + ["from"], "redirect-duplicate", f"het oude adres '{old}' staat er twee keer in",
                          "Houd één regel per oud adres.")
        seen.add(old)
        if old in pages:
            checker.error(doc, at + ["from"], "redirect-from-exists",
                          f"op het oude adres '{old}' staat nog een pagina",
                          "Een doorverwijzing mag een bestaande pagina niet vervangen. Haal deze regel weg, of "
                          "hernoem of verwijder eerst het record.")
        if new not in pages:
            checker.error(doc, at + ["to"], "redirect-to-missing", f"de pagina '{new}' bestaat niet",
                          did_you_mean(new, pages)
                          + "Verwijs naar een bestaande pagina, bijvoorbeeld aanbieders/<id>/ of gemeenten/<naam>/.")


def load_redirects(data_dir: Path) -> list[dict]:
    """The (already validated) redirects of a data directory; none when the file is absent."""
    path = Path(data_dir) / FILE_NAME
    if not path.exists():
        return []
    doc, _ = load_file(path, str(path))
    if doc is None or not isinstance(doc.data, dict):
        return []
    return list(doc.data.get("redirects", []))


def redirect_page(item: dict, site_url: str) -> str:
    """A small, self-contained HTML page for one old address."""
    old, new = item["from"], item["to"]
    href = html.escape(rel(old, new), quote=True)
    canonical = html.escape(site_url + new, quote=True)
    removed = item.get("removed")
    if removed:
        title = "Deze pagina bestaat niet meer"
        refresh = ""
        body = (f"<p>{html.escape(removed)}</p>"
                f'<p><a href="{href}">Ga verder naar de pagina waar u nu hulp vindt</a>.</p>')
    else:
        title = "Deze pagina heeft een nieuw adres"
        refresh = f'<meta http-equiv="refresh" content="0; url={href}">\n'
        body = (f'<p>U wordt doorgestuurd. Gebeurt dat niet? <a href="{href}">Ga naar de nieuwe pagina</a>.</p>'
                "<p>Heeft u een bladwijzer of link naar deze pagina? Gebruik dan voortaan het nieuwe adres.</p>")
    return ("<!doctype html>\n"
            '<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title} - Sociale Kaart</title>\n"
            '<meta name="robots" content="noindex">\n'
            f'<link rel="canonical" href="{canonical}">\n{refresh}'
            f"</head>\n<body>\n<main>\n<h1>{title}</h1>\n{body}\n</main>\n</body>\n</html>\n")


def write_redirect_pages(site: Path, redirects: list[dict], site_url: str) -> list[Path]:
    """Write a page per old address whose target was built (a --gemeente build may lack it). Returns the pages."""
    written = []
    for item in redirects:
        target = site / item["to"] / "index.html"
        page = site / item["from"] / "index.html"
        if not target.exists() or page.exists():
            continue
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(redirect_page(item, site_url), encoding="utf-8")
        written.append(page)
    return written
