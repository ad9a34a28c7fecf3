"""Content-Security-Policy for the built site, as a `<meta http-equiv>` in every HTML page.

A static host (GitHub Pages, a gemeente's web server) often cannot send headers, so the policy travels inside
the page. It is computed from the built HTML, last in the build: the only inline scripts allowed are the ones that
are in the output at that moment (Material's small boot scripts), by their SHA-256 hash — never 'unsafe-inline'
for scripts. One policy for the whole site, so that nothing breaks if pages are ever swapped in without a reload
(the theme's instant navigation, which is off, keeps the first page's policy).

What the policy allows and why:
- script-src 'self' + hashes; 'wasm-unsafe-eval' because Pagefind's search runs as WebAssembly.
- img-src 'self' data: + the origin of the background-map tiles (`extra.kaart.map_tiles.url` in mkdocs.yml);
  Leaflet and Material use data: images for icons.
- connect-src 'self' (Pagefind fetches its index from the site itself); object-src 'none'; base-uri 'self';
  form-action 'self'.
- frame-ancestors and report-uri are left out: browsers ignore them in a <meta> policy (and warn in the console).
"""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.parse
from collections.abc import Iterable
from pathlib import Path

from .errors import BuildError
from .material import CONTENT_START

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_SRC_ATTR = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_TYPE_ATTR = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
#: Script types the browser runs; anything else (application/json, application/ld+json) is data.
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)
_ARTICLE = CONTENT_START
MARKER = 'http-equiv="Content-Security-Policy"'
#: The policy sits right after <meta charset>, in the first bytes of every page.
_HEAD_BYTES = 4096


_HEAD = re.compile(r"<head\b.*?</head\s*>", re.DOTALL | re.IGNORECASE)
_FRAME = re.compile(r"<!doctype[^>]*>|</?(html|head|body)\b[^>]*>", re.IGNORECASE)


def has_content(html_text: str) -> bool:
    """Whether the page's body shows anything: text or an element other than a script."""
    return bool(_FRAME.sub("", _SCRIPT.sub("", _HEAD.sub("", html_text))).strip())


def inline_script_hashes(html_text: str, name: str = "een pagina") -> set[str]:
    """CSP source expressions ('sha256-…') for the executable inline scripts of the theme in one page.

    Scripts inside the content (material.CONTENT_START, where every contributor's text lands) are
    never allowed: the policy must not bless a script that slipped through escaping, it must block it. The content
    is found by the theme's marker; a page with content but without that marker stops the build (BuildError)
    instead of having every script in it, the content's too, hashed into the policy (fail closed)."""
    start = html_text.find(_ARTICLE)
    end = html_text.rfind("</article>")
    if start != -1 and end > start:
        html_text = html_text[:start] + html_text[end:]
    elif has_content(html_text):
        raise BuildError(
            f"{name}: de inhoud van de pagina is niet te vinden (de markering {_ARTICLE}\"> met een "
            "</article> erna ontbreekt); is het thema veranderd? Zonder die markering kan de "
            "Content-Security-Policy scripts in de inhoud niet tegenhouden, dus er is niets gebouwd. Pas "
            "CONTENT_START in scripts/kaart/material.py aan het nieuwe thema aan.")
    hashes = set()
    for attrs, body in _SCRIPT.findall(html_text):
        if _SRC_ATTR.search(attrs):
            continue
        kind = _TYPE_ATTR.search(attrs)
        if (kind.group(1).lower() if kind else "") not in _EXECUTABLE_TYPES:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        hashes.add(f"'sha256-{digest}'")
    return hashes


def tile_origin(config: dict) -> str | None:
    """The scheme://host of the map tile URL in mkdocs.yml, if one is configured (https only)."""
    tiles = ((config.get("extra") or {}).get("kaart") or {}).get("map_tiles") or {}
    url = tiles.get("url") if isinstance(tiles, dict) else None
    if not url:
        return None
    parts = urllib.parse.urlsplit(str(url))
    if parts.scheme != "https" or not parts.hostname:
        return None
    return f"https://{parts.netloc}"


def policy(script_hashes: set[str], config: dict) -> str:
    img = ["'self'", "data:"]
    origin = tile_origin(config)
    if origin:
        img.append(origin)
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", "'wasm-unsafe-eval'", *sorted(script_hashes)]),
        ("style-src", ["'self'"]),
        ("img-src", img),
        ("font-src", ["'self'"]),
        ("connect-src", ["'self'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
    ]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives)


def site_policy(pages: Iterable[Path], config: dict) -> str:
    """The one policy for the site, from the theme's inline scripts in these pages."""
    hashes: set[str] = set()
    for path in pages:
        hashes |= inline_script_hashes(path.read_text(encoding="utf-8"), str(path))
    return policy(hashes, config)


def insert(text: str, value: str) -> str:
    """The page with the policy as its first <meta> after <meta charset> (it only covers what follows it)."""
    if MARKER in text[:_HEAD_BYTES]:
        return text
    meta = f'<meta {MARKER} content="{value}">'
    new, count = _CHARSET.subn(lambda m: m.group(0) + meta, text, count=1)
    if not count:
        new, count = re.subn(r"<head\b[^>]*>", lambda m: m.group(0) + meta, text, count=1, flags=re.I)
    return new


def apply(site: Path, config: dict, value: str | None = None, pages: list[Path] | None = None) -> str:
    """Put the site-wide policy into every HTML page of `site` (or just `pages`) that lacks it; returns it.

    Without `value` the policy is computed from all pages first (each must then be a theme page: one with content
    but without the theme's content marker stops the build, see `inline_script_hashes`). The build computes it once from MkDocs' output
    and puts it into the page shell before stamping (stamped record pages only add JSON-LD, which is data);
    pages written later without the shell (forwarding pages) are passed as `pages`."""
    pages = sorted(site.rglob("*.html")) if pages is None else pages
    if value is None:
        value = site_policy(pages, config)
    for path in pages:
        with path.open(encoding="utf-8") as fh:
            if MARKER in fh.read(_HEAD_BYTES):
                continue
        text = path.read_text(encoding="utf-8")
        new = insert(text, value)
        if new != text:
            path.write_text(new, encoding="utf-8")
    return value
