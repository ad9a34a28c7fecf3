"""Everything that knows the theme: MkDocs + Material for MkDocs. A successor theme replaces this module only.

The rest of the build makes plain HTML and hands it over here:
- `build_theme_pages`: the thin MkDocs adapter (a derived config pointing at our docs dir, `mkdocs build --strict`);
- `SHELL_MARKDOWN` + `Stamper`: MkDocs renders one shell page; every record page is that shell with its title,
  description and body put in (the contract is checked, with a Dutch build error when the theme changes);
- the theme's class names and markers our HTML and checks rely on (tables, buttons, banners, the page header, the
  content element that holds contributors' text, which csp.py must find or refuse to build).
Templates that override the theme live in `theme/` beside this file (mkdocs.yml: `theme.custom_dir`).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import yaml

from .errors import BuildError

# --- markup in the theme's terms ----------------------------------------------------------------------------------
#: A wide table that scrolls inside the page instead of widening it (Material's own table wrappers).
TABLE_OPEN = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
TABLE_CLOSE = "</div></div>"
#: A button in the theme's style.
BUTTON = "md-button"
#: Where the page header starts: a banner put before it is the first thing on every page.
HEADER_START = '<header class="md-header'
#: The element that holds a page's content (and so every contributor's text): csp.py hashes no script inside it.
CONTENT_START = '<article class="md-content__inner'


def warning_banner(label: str, inner_html: str) -> str:
    """A full-width warning strip at the top of a page (the theme's announcement bar), left out of search."""
    return (f'<aside class="md-banner md-banner--warning kaart-pro-banner" aria-label="{html.escape(label)}" '
            f'data-pagefind-ignore="all"><div class="md-banner__inner md-grid md-typeset">{inner_html}</div></aside>')


# --- the page shell ------------------------------------------------------------------------------------------------
TITLE_MARK = "KAARTTITELMARKERING"
DESC_MARK = "KAARTOMSCHRIJVINGMARKERING"
BODY_MARK = "KAARTINHOUDMARKERING"
#: The shell page as Markdown: MkDocs renders it like any page; the marks are replaced per record.
SHELL_MARKDOWN = (f"---\ntitle: {TITLE_MARK}\ndescription: {DESC_MARK}\nsearch:\n  exclude: true\n---\n\n"
                  f"{BODY_MARK}\n")


class Stamper:
    """Fills the MkDocs-rendered shell page with one record page."""

    def __init__(self, shell_html: str, site_url: str, shell_url: str):
        for mark in (TITLE_MARK, DESC_MARK, BODY_MARK):
            if mark not in shell_html:
                raise BuildError(f"het sjabloon mist de markering {mark}; is het thema veranderd?")
        body_p = f"<p>{BODY_MARK}</p>"
        if body_p not in shell_html:
            raise BuildError("het sjabloon heeft de inhoud niet als alinea; is het thema veranderd?")
        shell_html = shell_html.replace(f"{site_url}{shell_url}", "\x00CANONICAL\x00")
        before, after = shell_html.split(body_p, 1)
        # The theme puts an <h1> with the page title before the content when the content has none; our body
        # brings its own <h1>, so drop the theme's.
        h1 = f"<h1>{TITLE_MARK}</h1>"
        before = before.replace(h1, "")
        self.before, self.after = squeeze_html(before), squeeze_html(after)
        self.site_url = site_url

    def stamp(self, title: str, description: str, url: str, body: str, head_extra: str = "") -> str:
        """The whole HTML of one page: the shell with this title, description (≤ 300 characters), canonical URL
        and body; `head_extra` goes at the end of <head> (e.g. a robots meta element)."""
        title = html.escape(title, quote=True)
        desc = html.escape(description[:300], quote=True)
        canonical = html.escape(self.site_url + url, quote=True)
        head = (self.before.replace(TITLE_MARK, title).replace(DESC_MARK, desc)
                .replace("\x00CANONICAL\x00", canonical))
        tail = self.after.replace(TITLE_MARK, title).replace("\x00CANONICAL\x00", canonical)
        if head_extra:
            head = head.replace("</head>", f"{head_extra}</head>", 1)
        return head + body + tail


#: Elements whose text must stay byte for byte (inline scripts are hashed into the Content-Security-Policy).
_VERBATIM = re.compile(r"(<(script|style|pre|textarea)\b.*?</\2\s*>)", re.S | re.I)
_BETWEEN_TAGS = re.compile(r">\s+<")


def squeeze_html(text: str) -> str:
    """The theme's template whitespace between tags, cut to one newline (a fifth of every record page).

    A browser shows whitespace between tags as at most one space, so the page looks and reads the same; the
    contents of script, style, pre and textarea elements are left exactly as they are."""
    parts = _VERBATIM.split(text)
    # re.split with two groups yields: text, whole element, element name, text, …
    return "".join(_BETWEEN_TAGS.sub(">\n<", part) if i % 3 == 0 else (part if i % 3 == 1 else "")
                   for i, part in enumerate(parts))


def without_instant_navigation(config: dict) -> dict:
    """The MkDocs config without the theme's instant navigation (the professional build; mkdocs.yml has it off too).

    Instant navigation first fetches sitemap.xml and only swaps in the pages listed there: a download on every
    visitor's first page that grows with the site, and in the professional build (no sitemap, every page noindex)
    a 404. The public site leaves it out of mkdocs.yml and kaart.js prefetches a page on intent instead; this keeps
    the professional build without it even if mkdocs.yml turns it on again."""
    theme = dict(config.get("theme") or {})
    theme["features"] = [f for f in theme.get("features") or [] if not str(f).startswith("navigation.instant")]
    return {**config, "theme": theme}


# --- what the theme ships ----------------------------------------------------------------------------------------
def theme_stylesheets(site: Path) -> list[Path]:
    """The theme's main style sheet in a built site (its colour palette, small and keyed by attributes, stays)."""
    return sorted((site / "assets" / "stylesheets").glob("main.*.min.css"))


def theme_scripts(site: Path) -> list[Path]:
    """The theme's script bundle: the class names it sets at run time are in it as text."""
    return sorted((site / "assets" / "javascripts").glob("bundle.*.min.js"))


#: Theme classes the bundle makes at run time from parts (`md-source__fact--${kind}`): kept in any case.
CSS_KEEP = (r"^md-source__fact",)


# --- the MkDocs adapter --------------------------------------------------------------------------------------------
def build_theme_pages(config: dict, repo: Path, docs: Path, site: Path, work: Path, hidden: list[str],
                      newest_date: str) -> None:
    """Write a config pointing at our docs dir and run `mkdocs build --strict` into `site`.

    `hidden`: docs files that are built but kept out of the navigation (the shell page). `newest_date` (ISO) is
    the build's "last changed" date for the theme (SOURCE_DATE_EPOCH), so two builds of the same data agree."""
    cfg = dict(config)
    cfg["docs_dir"] = str(docs)
    cfg["site_dir"] = str(site)
    not_in_nav = str(cfg.get("not_in_nav", "")).strip()
    cfg["not_in_nav"] = "\n".join(filter(None, [not_in_nav, *(f"/{name}" for name in hidden)]))
    theme = dict(cfg.get("theme", {}))
    theme["custom_dir"] = str(repo / theme["custom_dir"]) if theme.get("custom_dir") else theme.get("custom_dir")
    if not theme.get("custom_dir"):
        theme.pop("custom_dir", None)
    cfg["theme"] = theme
    config_file = work / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(int(time.mktime(time.strptime(newest_date, "%Y-%m-%d")))))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                             "--config-file", str(config_file)],
                            capture_output=True, text=True, env=env, cwd=work)
    if result.returncode != 0:
        raise BuildError("MkDocs kon de site niet bouwen:\n" + (result.stderr or result.stdout).strip())
