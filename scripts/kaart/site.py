"""`kaart build`: check → generate → MkDocs → stamp record pages → sitemap/exports/search → atomic swap.

The only coupling to MkDocs is `_mkdocs_build`: we hand it a docs directory and a config file and read back
plain HTML. Record pages (thousands) do not go through MkDocs one by one: MkDocs renders one *shell* page
(`pagina/sjabloon/`) at the same depth as record pages, and we put each record's title and body into a copy
of that shell. That keeps the theme's look and relative asset paths while the build stays linear — and a
successor theme only needs a new shell.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import yaml

from . import csp, csstrim, material, overview, search
from .export import export
from .feeds import write_feeds
from .errors import BuildError
from .progress import Progress
from .markup import esc
from . import pages as page_registry
from .pages import RECORD_PAGES, prefix
from .paths import REPO
from .problems import ERROR, format_problems
from .render import DEMO_RESULT_LABEL, Page, Renderer, Settings
from .validate import check

ASSETS = Path(__file__).resolve().parent / "assets"
SHELL_URL = page_registry.url("page_shell")
#: Record pages are stamped into a shell at their own depth (the theme's links are relative): depth → shell.
SHELLS = {shell.count("/"): shell for shell in (SHELL_URL, page_registry.url("page_shell_deep"))}
#: Demo (Voorbeeldstad) pages: made-up organisations and numbers have no place in a search engine.
DEMO_ROBOTS = '<meta name="robots" content="noindex">'


def _source_page(address: str) -> str:
    """The docs/ file MkDocs makes a directory-style address from: 'open-data/' ← 'open-data.md'."""
    return address.rstrip("/") + ".md"


def _markdown_page(page: Page) -> str:
    """An overview page as a Markdown file MkDocs can build: front matter + one raw HTML block."""
    front = yaml.safe_dump({"title": page.title, "description": page.description}, allow_unicode=True,
                           sort_keys=True)
    return f"---\n{front}---\n\n{wrap_body(page)}\n"


#: How much a word from data/synoniemen.yaml counts in the search ranking (Pagefind: body text 1, h1 7).
SYNONYM_WEIGHT = 10


def search_words(words) -> str:
    """The words visitors type for this page (data/synoniemen.yaml), for the search index only: inside the page's
    `hidden` block, so nobody sees them and screen readers skip them too (display: none), while Pagefind, which
    reads the HTML and not the layout, indexes them with extra weight. No visible clutter, no text that only a
    screen reader hears."""
    if not words:
        return ""
    text = f"Ook gezocht als: {', '.join(words)}."
    # "zw": how many words at the end of the page text these are, so kaart.js shows the start of the page instead
    # of an excerpt made only of them.
    return (f'<p data-pagefind-weight="{SYNONYM_WEIGHT}" data-pagefind-meta="zw:{len(text.split())}">'
            f'{esc(text)}</p>')


def synonym_words(model) -> dict[str, list[str]]:
    """Page address → the words visitors type for it (data/synoniemen.yaml, checked by kaart check). A hulpvraag
    page's heading is its question ("Ik voel me al lang somber …"), so its short name ("Psychische klachten")
    counts as such a word too."""
    words = {page_registry.url("need", rid): [rec.name] for rid, rec in model.needs.items()}
    for (kind, rid), extra in (model.synonyms or {}).items():
        words.setdefault(page_registry.url(kind, rid), []).extend(extra)
    return words


def wrap_body(page: Page, words=()) -> str:
    """The page body inside the search region, with its search facets (Pagefind data attributes) and the words
    visitors type for it (`search_words`)."""
    filters = "".join(
        f'<span data-pagefind-filter="{esc(key)}:{esc(value)}"></span>'
        for key, values in sorted(page.filters.items()) for value in values)
    meta = f'<span data-pagefind-meta="type:{esc(page.kind)}"></span>'
    if page.demo:  # search results show the title with "(voorbeeld)" and a label (kaart.js)
        meta += (f'<span data-pagefind-meta="title:{esc(page.title)}"></span>'
                 f'<span data-pagefind-meta="demo:{esc(DEMO_RESULT_LABEL)}"></span>')
    if not page.indexed:  # Pagefind reads only pages with data-pagefind-body: this one stays out of search
        return f'<div class="kaart-page kaart-{esc(page.kind)}">{page.body}</div>'
    return (f'<div class="kaart-page kaart-{esc(page.kind)}" data-pagefind-body>{page.body}'
            f'<div hidden>{filters}{meta}{search_words(words)}</div></div>')


def load_config(config_path: Path) -> dict:
    try:
        return yaml.safe_load(config_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BuildError(f"{config_path}: kan de MkDocs-configuratie niet lezen ({exc})") from exc


def build(data_dir: Path = Path("data"), out: Path = Path("site"), audience: str = "public",
          private: Path | None = None, gemeente: str | None = None, progress: Progress | None = None,
          config_path: Path | None = None) -> int:
    """Build the site into `out`; 0 when built. `private` is read only for the professional audience: a public
    build never opens it (`kaart build` refuses the combination; tests/test_professional.py passes it anyway)."""
    progress = progress or Progress(False)
    started = time.perf_counter()
    out = Path(out).resolve()
    progress.step("Gegevens controleren")
    model, problems = check(data_dir)
    errors = [p for p in problems if p.severity == ERROR]
    if errors or model is None:
        print(format_problems(errors, "text"), file=sys.stderr)
        print(f"kaart build: {len(errors)} fout(en) in de gegevens; er is niets gebouwd. "
              "Los de fouten op en probeer opnieuw (kaart check toont ze ook).", file=sys.stderr)
        return 1
    config = load_config(config_path or REPO / "mkdocs.yml")
    professional: dict = {}
    if audience == "professional":
        if private is None:
            print("kaart build: --audience professional heeft --private MAP nodig (de besloten laag).", file=sys.stderr)
            return 2
        from .private import check_private, load_private

        overlay_problems = [p for p in check_private(private, data_dir, public=(model, problems))
                            if p.severity == ERROR]
        if overlay_problems:
            print(format_problems(overlay_problems, "text"), file=sys.stderr)
            print("kaart build: fouten in de besloten laag; er is niets gebouwd.", file=sys.stderr)
            return 1
        professional = load_private(private, model)
    if gemeente:
        if gemeente not in model.gemeenten:
            print(f"kaart build: onbekende gemeente '{gemeente}'. Kies uit: {', '.join(model.gemeenten)}",
                  file=sys.stderr)
            return 2
        model = model.restrict_to(gemeente)

    site_url = config.get("site_url", "https://example.org/").rstrip("/") + "/"
    data_prefix = _repo_relative(Path(data_dir))
    settings = Settings(site_url=site_url, repo_url=config.get("repo_url", "").rstrip("/"), audience=audience,
                        data_prefix=data_prefix, professional=professional)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.kaart-", dir=out.parent))
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.kaart-work-", dir=out.parent))
    try:
        _build_into(model, settings, config, staging, work, progress, audience)
        progress.step(f"Site klaarzetten in {out}")
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp made it 0700: a web server running as another user must read it
        _swap(staging, out)
    except BuildError as exc:
        print(f"kaart build: {exc}", file=sys.stderr)
        shutil.rmtree(staging, ignore_errors=True)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    progress.step(f"Klaar in {time.perf_counter() - started:.1f} s")
    return 0


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def remove_stale(out: Path) -> None:
    """Remove what an interrupted build left beside `out` (staging, work and old dirs named `.<out>.kaart-*`).

    A killed build cannot clean up after itself; the next build into the same `--out` does. All of a build's
    scratch space lives beside `out` under that prefix, so nothing else on the disk is touched. Two builds into
    the same `--out` at the same time are not supported."""
    if not out.exists():  # killed between the two renames of the fallback swap: the old site comes back
        for old in sorted(out.parent.glob(f".{out.name}.kaart-old-*")):
            if old.is_dir() and not old.is_symlink():
                old.rename(out)
                break
    for path in out.parent.glob(f".{out.name}.kaart-*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def _repo_relative(data_dir: Path) -> str:
    try:
        return str(data_dir.resolve().relative_to(REPO))
    except ValueError:
        return "data"


def _build_into(model, settings: Settings, config: dict, site: Path, work: Path, progress: Progress, audience: str):
    renderer = Renderer(model, settings)
    docs = work / "docs"
    progress.step("Pagina's maken")
    shutil.copytree(REPO / "docs", docs)
    _copy_assets(docs)
    _open_data_downloads(docs / _source_page(page_registry.url("open_data")))
    intro = _home_intro(docs / "index.md")
    search_page = docs / _source_page(page_registry.url("search"))
    if search_page.exists():  # the help the search page offers when nothing is found (made from the data)
        text = search_page.read_text(encoding="utf-8")
        search_page.write_text(text.replace(overview.SEARCH_HELP_MARK, overview.search_help(renderer)), encoding="utf-8")
    overview_pages = [overview.home(renderer, intro), overview.roles_matrix(renderer), overview.needs_index(renderer),
                      overview.gemeenten_index(renderer), overview.levensgebieden_index(renderer),
                      overview.payment_guide(renderer), renderer.national(), overview.signals_index(renderer)]
    overview_pages.append(overview.routewijzer(renderer))
    for page in overview_pages:
        target = docs / (page.url + "index.md" if page.url else "index.md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_markdown_page(page), encoding="utf-8")
    field_guide = _field_guide()
    if field_guide:
        guide = docs / _source_page(page_registry.url("field_guide"))  # bijdragen/velden.md
        guide.parent.mkdir(exist_ok=True)
        contribute = docs / _source_page(page_registry.url("contribute"))  # bijdragen.md becomes the folder's index
        if contribute.exists():
            contribute.rename(guide.parent / "index.md")
        guide.write_text(field_guide, encoding="utf-8")
    for shell_url in SHELLS.values():
        shell = docs / _source_page(shell_url)
        shell.parent.mkdir(parents=True, exist_ok=True)
        shell.write_text(material.SHELL_MARKDOWN, encoding="utf-8")

    progress.step("MkDocs bouwt het thema en de overzichtspagina's")
    _mkdocs_build(material.without_instant_navigation(config) if audience == "professional" else config, docs, site,
                  work, model)

    trimming = _start_css_trim(site)  # in the background; collected before the site is swapped in
    progress.step("Content-Security-Policy")
    # The theme's inline scripts are all in MkDocs' output now; record pages are stamped from the shell and add
    # only JSON-LD (data). So the policy is computed once here and put into the shell before stamping.
    mkdocs_pages = sorted(site.rglob("*.html"))
    policy = csp.site_policy(mkdocs_pages, config)
    csp.apply(site, config, policy)

    progress.step("Recordpagina's invullen")
    stampers = {depth: material.Stamper((site / shell_url / "index.html").read_text(encoding="utf-8"),
                                        settings.site_url, shell_url) for depth, shell_url in SHELLS.items()}
    shutil.rmtree(site / SHELL_URL.split("/")[0])
    # Pages per gemeente (variants of a hulpvraag or rol) are out of the search index: in the public build they are
    # written after Pagefind has read the site, so it need not read thousands of pages only to leave them out.
    # The professional build writes them now, so its banner and noindex reach them too.
    now = [k for k in RECORD_PAGES if k.searched or audience == "professional"]
    pages = _stamp_record_pages(renderer, model, stampers, site, progress, now)

    # MkDocs' own sitemap.xml.gz lists only the theme's pages (and the removed shell): out of date in every build.
    (site / (page_registry.url("sitemap") + ".gz")).unlink(missing_ok=True)
    if audience == "professional":  # every page is noindex and robots.txt disallows all: no sitemap to list them
        (site / page_registry.url("sitemap")).unlink(missing_ok=True)
    else:
        progress.step("Sitemap")
        theme_urls = ["" if path.parent == site else path.parent.relative_to(site).as_posix() + "/"
                      for path in mkdocs_pages if path.name == "index.html"]
        _write_sitemap(site, settings.site_url, theme_urls, pages)
    forwarding = _redirect_pages(model, site, settings, progress)  # after the sitemap: old addresses aren't in it
    csp.apply(site, config, policy, pages=forwarding)  # written after the shell, so they need the policy too
    if audience == "professional":
        progress.step("Professionele versie: vCards en melding op elke pagina")
        _professional_extras(model, site, settings)
    progress.step("Webeditor in /beheer/")
    _beheer(site, model.data_dir, config)  # after the sitemap and the site-wide policy: it has its own
    progress.step("Zoekindex (Pagefind) en open data")
    search.write_postcode_lookup(model, renderer, site)
    search.write_facets(overview_pages + pages, site)  # the search page's filter menus (values as in Pagefind)
    search.write_vocabulary(model, site)  # the words "Bedoelde u …?" compares a typo with
    indexing = search.start_index(site, progress)  # Pagefind reads the HTML while we write the open data
    try:
        export(model, site / page_registry.url("open_data"))
        write_feeds(model, site, settings.site_url)
    finally:
        search.wait_index(indexing)
    later = [k for k in RECORD_PAGES if k not in now]
    if later:
        progress.step("Pagina's per gemeente (niet in de zoekindex)")
        _stamp_record_pages(renderer, model, stampers, site, progress, later)
    csstrim.finish(trimming)


def _start_css_trim(site: Path):
    """The theme's style sheet without the rules nothing uses (csstrim.py), judged on what can put a class in a
    page: the theme's pages as MkDocs rendered them (the record pages are the shell among them plus our renderers'
    HTML), the theme's and our scripts, and the sources of our renderers and template overrides."""
    here = Path(__file__).resolve().parent
    content = [*sorted(site.rglob("*.html")), *material.theme_scripts(site), *sorted((site / "assets" / "kaart").glob("*.js")),
               *sorted(here.glob("*.py")), *sorted((here / "theme").rglob("*.html"))]
    return csstrim.start(material.theme_stylesheets(site), content, REPO / "node_modules", material.CSS_KEEP)


@dataclass(frozen=True)
class PageSummary:
    """What the sitemap and the search facets need of a record page, without its HTML."""

    url: str
    lastmod: str | None
    filters: dict[str, list[str]]
    noindex: bool = False  # demo pages and per-gemeente variants: not in the sitemap


#: Record pages are rendered by this many processes (forked: they share the model). Small sites stay in-process.
RENDER_WORKERS = min(2, os.cpu_count() or 1)
PAGES_PER_WORKER_MIN = 500
_FORKED: dict = {}


def _stamp_record_pages(renderer: Renderer, model, stampers: dict[int, material.Stamper], site: Path,
                        progress: Progress, kinds) -> list[PageSummary]:
    tasks = list(_record_tasks(model, kinds))
    workers = RENDER_WORKERS if len(tasks) >= RENDER_WORKERS * PAGES_PER_WORKER_MIN else 1
    _FORKED.update(renderer=renderer, stampers=stampers, site=site, tasks=tasks, workers=workers,
                   words=synonym_words(model))
    try:
        if workers == 1:
            slices = [_stamp_slice(0)]
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                slices = pool.map(_stamp_slice, range(workers))
    finally:
        _FORKED.clear()
    summaries: list[PageSummary] = [None] * len(tasks)  # type: ignore[list-item]
    for worker, part in enumerate(slices):
        summaries[worker::workers] = part
    progress.step(f"  {len(summaries)} pagina's")
    return summaries


def _stamp_slice(worker: int) -> list[PageSummary]:
    renderer, stampers, site = _FORKED["renderer"], _FORKED["stampers"], _FORKED["site"]
    out = []
    for kind, arg in _FORKED["tasks"][worker::_FORKED["workers"]]:
        page = kind.render(renderer, arg)
        target = site / page.url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        stamper = stampers[page.url.count("/")]
        target.write_text(stamper.stamp(page.title, page.description, page.url, wrap_body(page, _FORKED["words"].get(page.url)),
                                        DEMO_ROBOTS if page.noindex else ""), encoding="utf-8")
        out.append(PageSummary(page.url, page.lastmod, page.filters, page.noindex))
    return out


def _record_tasks(model, kinds=RECORD_PAGES):
    """(page kind, record) for every record page of these kinds, in the order of the registry (pages.RECORD_PAGES)."""
    for kind in kinds:
        for rec in kind.records(model):
            yield kind, rec


def _professional_extras(model, site: Path, settings: Settings) -> None:
    """Professional build only: a vCard per warm contact beside its provider page, and the banner that says this
    is the professional version (behind access control) at the top of every HTML page."""
    from .markup import rel
    from .private import banner, vcard, vcard_filename

    for pid, contacts in settings.professional.items():
        if pid not in model.providers:  # a --gemeente build leaves out other providers and their contacts
            continue
        for contact in contacts:
            target = site / page_registry.url("provider", pid) / vcard_filename(contact)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8", newline="") as fh:  # vCard lines end in CRLF
                fh.write(vcard(contact, model.providers[pid].name))
    for path in sorted(site.rglob("*.html")):
        if path.parts[len(site.parts)] in ("pagefind", "assets"):
            continue
        here = path.parent.relative_to(site).as_posix()
        here = "" if here == "." else here + "/"
        text = path.read_text(encoding="utf-8")
        block = banner(rel(here, page_registry.url("professionals")))
        if material.HEADER_START in text:
            text = text.replace(material.HEADER_START, block + material.HEADER_START, 1)
        else:  # forwarding pages and other plain HTML
            text = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + block, text, count=1)
        # Not access control (docs/professionals.md), but a search engine that gets in anyway should not list it.
        if 'name="robots"' not in text:  # forwarding pages already have noindex
            text = text.replace("</head>", '<meta name="robots" content="noindex, nofollow"></head>', 1)
        path.write_text(text, encoding="utf-8")
    # The same for crawlers that read robots.txt: nothing here is for an index (no Sitemap line).
    (site / page_registry.url("robots")).write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")


def _beheer(site: Path, data_dir: Path, config: dict) -> None:
    from .beheer import BeheerError, write

    try:
        write(site, data_dir, config)
    except BeheerError as exc:
        raise BuildError(str(exc)) from exc


def _home_intro(index_md: Path) -> str:
    """The hand-written home text (docs/index.md) as HTML; only the small Markdown subset is used there."""
    import markdown

    if not index_md.exists():
        return ""
    text = index_md.read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("---", 2)[2]
    lines = [ln for ln in text.splitlines() if not ln.startswith("# ")]
    return markdown.markdown("\n".join(lines))


def _open_data_downloads(page: Path) -> None:
    """Download links on the hand-written /open-data/ page, from the file names export.py writes next to it."""
    try:
        from .export import CSV_TITLES, HSDS_DIR, HSDS_JSON, JSON_FILE, LICENSE_FILE
    except ImportError:
        return
    if not page.exists():
        return
    files = [(JSON_FILE, "Alles in één bestand (JSON)")]
    files += [(name, f"{title} (CSV)") for name, title in CSV_TITLES.items()]
    files += [("datapackage.json", "Beschrijving van de bestanden hierboven (Data Package, JSON)"),
              (f"{HSDS_DIR}/{HSDS_JSON}", "Open Referral HSDS 3: organisaties met diensten en locaties (JSON)"),
              (f"{HSDS_DIR}/datapackage.json", "Open Referral HSDS 3: beschrijving van de tabellen in hsds/ (JSON)"),
              (LICENSE_FILE, "Licentie (CC0 1.0, tekst)")]
    # The page is /open-data/ and the files sit in that same folder, so the links are plain file names.
    items = "".join(f'<li><a href="{esc(name)}">{esc(label)}</a> <code>{esc(name)}</code></li>\n'
                    for name, label in files)
    block = f'## Downloaden {{#downloaden}}\n\n<ul class="kaart-downloads">\n{items}</ul>\n\n'
    text = page.read_text(encoding="utf-8")
    at = text.find("\n## De bestanden")
    text = text[:at + 1] + block + text[at + 1:] if at != -1 else text.rstrip("\n") + "\n\n" + block
    page.write_text(text, encoding="utf-8")


def _field_guide() -> str | None:
    try:
        from .fieldguide import render_field_guide
    except ImportError:
        return None
    return render_field_guide()


def _copy_assets(docs: Path) -> None:
    target = docs / "assets" / "kaart"
    shutil.copytree(ASSETS, target, dirs_exist_ok=True)
    leaflet = REPO / "node_modules" / "leaflet" / "dist"
    if leaflet.is_dir():
        vendor = docs / "assets" / "vendor" / "leaflet"
        vendor.mkdir(parents=True, exist_ok=True)
        for name in ("leaflet.js", "leaflet.css"):
            shutil.copy2(leaflet / name, vendor / name)
        shutil.copytree(leaflet / "images", vendor / "images", dirs_exist_ok=True)


def _mkdocs_build(config: dict, docs: Path, site: Path, work: Path, model) -> None:
    newest = max([rec.data["verified"]["date"] for rec in model.providers.values()]
                 + [rec.data["verified"]["date"] for rec in model.roles.values()] + ["2026-01-01"])
    material.build_theme_pages(config, REPO, docs, site, work, hidden=[_source_page(u) for u in SHELLS.values()],
                               newest_date=newest)



#: The sitemap protocol allows at most 50 000 URLs per file (sitemaps.org); record sitemaps are cut well below it.
SITEMAP_CHUNK = 40_000
PROVIDER_PAGES = prefix("provider")


def _write_sitemap(site: Path, site_url: str, theme_urls: list[str], pages: list[PageSummary]) -> None:
    """Every page in the built site, in sitemaps whose size does not touch what a visitor downloads.

    No visitor's browser fetches a sitemap (the theme's instant navigation, which did, is off; kaart.js
    prefetches a page on intent instead). `/sitemap.xml` lists the pages whose number does not grow with the
    providers (the theme's pages, gemeenten, roles, hulpvragen, levensgebieden), and the provider pages, with their
    verified date, go into `sitemaps/aanbieders-N.xml` (at most `SITEMAP_CHUNK` each); opening one of those is a
    normal page load. `sitemap-index.xml` names them all for search engines (robots.txt points to it). Listed from
    what the build made, not by walking the finished site (20 000 dirs)."""
    not_pages = ("pagefind/", "assets/", SHELL_URL.split("/")[0] + "/")  # the page shell is removed after stamping
    urls: dict[str, str | None] = {u: None for u in theme_urls if not u.startswith(not_pages)}
    for page in pages:
        if page.noindex:  # noindex pages have no place in a sitemap
            urls.pop(page.url, None)
            continue
        urls[page.url] = page.lastmod
    growing = sorted((u, d) for u, d in urls.items() if u.startswith(PROVIDER_PAGES))
    steady = sorted((u, d) for u, d in urls.items() if not u.startswith(PROVIDER_PAGES))
    files = {page_registry.url("sitemap"): _urlset(site_url, steady)}
    for n, first in enumerate(range(0, len(growing), SITEMAP_CHUNK), start=1):
        files[page_registry.url("provider_sitemap", str(n))] = _urlset(site_url, growing[first:first + SITEMAP_CHUNK])
    for name, data in files.items():
        (site / name).parent.mkdir(exist_ok=True)
        (site / name).write_bytes(data)
    index = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    index += [f"<sitemap><loc>{xml_escape(site_url + name)}</loc></sitemap>" for name in files]
    index.append("</sitemapindex>")
    (site / page_registry.url("sitemap_index")).write_bytes(("\n".join(index) + "\n").encode("utf-8"))
    (site / page_registry.url("robots")).write_text(
        f"User-agent: *\nAllow: /\n\nSitemap: {site_url}{page_registry.url('sitemap_index')}\n",
                                     encoding="utf-8")


def _urlset(site_url: str, urls: list[tuple[str, str | None]]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, lastmod in urls:
        stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{xml_escape(site_url + url)}</loc>{stamp}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _redirect_pages(model, site: Path, settings: Settings, progress: Progress) -> list[Path]:
    from .redirects import load_redirects, write_redirect_pages

    redirects = load_redirects(model.data_dir)
    if not redirects:
        return []
    progress.step("Oude adressen doorverwijzen")
    return write_redirect_pages(site, redirects, settings.site_url)


#: renameat2(2) flag: swap two paths in one step (Linux 3.15+; ext4, xfs, btrfs, tmpfs, overlayfs).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap the directories `a` and `b` atomically; False where the system or file system cannot."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _swap(staging: Path, out: Path) -> None:
    """Replace `out` by `staging` so that at every moment `out` is the whole old or the whole new site.

    Where the kernel can exchange two paths in one step (Linux), it does; `staging` then holds the old site and
    is removed. Elsewhere two renames leave a moment without `out`; a build killed in that moment leaves the old
    site beside it as `.<out>.kaart-old-*`, and the next build puts it back (`remove_stale`) before it starts."""
    if out.is_dir() and not out.is_symlink() and _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.kaart-old-{os.getpid()}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
