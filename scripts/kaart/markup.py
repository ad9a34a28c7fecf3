"""Safe HTML from untrusted text: escaping, a tiny Markdown subset, links, Dutch dates.

Everything a contributor writes passes through `esc` or `rich`. `rich` escapes first, then turns
*em*, **strong** and [text](https://…) into tags, and nh3 (Ammonia) removes anything else as a last line
of defence. Only https:, mailto: and tel: links survive.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re

import nh3

ALLOWED_SCHEMES = {"https", "mailto", "tel"}
_TAGS = {"strong", "em", "a"}
_ATTRS = {"a": {"href"}}

_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((https://[^\s()<>\"']{1,500}|mailto:[^\s()<>\"']{1,254})\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december"]
DAYS = {"MO": "maandag", "TU": "dinsdag", "WE": "woensdag", "TH": "donderdag", "FR": "vrijdag",
        "SA": "zaterdag", "SU": "zondag"}


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def rich(text: str) -> str:
    """Escape, then allow the small Markdown subset; the result is sanitised HTML."""
    out = esc(text)
    out = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', out)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    out = _EM.sub(r"<em>\1</em>", out)
    return nh3.clean(out, tags=_TAGS, attributes=_ATTRS, url_schemes=ALLOWED_SCHEMES, link_rel=None)


def safe_href(url: str) -> str | None:
    """The URL, escaped for an attribute, when its scheme is allowed; otherwise None."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ALLOWED_SCHEMES:
        return None
    return esc(url)


def link(url: str, text: str, cls: str = "") -> str:
    href = safe_href(url)
    if href is None:
        return esc(text)
    attr = f' class="{esc(cls)}"' if cls else ""
    return f'<a href="{href}"{attr}>{esc(text)}</a>'


def tel_href(number: str) -> str:
    digits = re.sub(r"[^\d+]", "", number)
    return "tel:" + digits


def rel(from_url: str, to_url: str) -> str:
    """Page-relative link between two directory-style site URLs ('' is home, 'aanbieders/x/' a record).

    Relative links keep the site working under any base path (GitHub Pages project sites, a
    gemeente's sub-folder)."""
    if to_url.startswith(("https://", "mailto:", "tel:", "#")):
        return to_url
    path, _, frag = to_url.partition("#")
    # Called for every link on every page, so without posixpath.relpath (which makes both paths absolute first):
    # site URLs are plain segments, and the link climbs out of the segments the two do not share.
    here = [s for s in from_url.split("/") if s]
    there = [s for s in path.split("/") if s]
    if "." in here or ".." in here or "." in there or ".." in there:
        target = posixpath.relpath(path.rstrip("/") or ".", from_url.rstrip("/") or ".")
    else:
        same = 0
        for a, b in zip(here, there):
            if a != b:
                break
            same += 1
        target = "/".join([".."] * (len(here) - same) + there[same:]) or "."
    if not posixpath.splitext(path)[1]:  # a directory page, not a file like feed.xml
        target = "./" if target == "." else target + "/"
    return target + (f"#{frag}" if frag else "")


def dutch_date(day: str | dt.date) -> str:
    """'2026-11-01' (or that date) → '1 november 2026'; pages, feeds and the professional layer all use this."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def json_ld(data: dict) -> str:
    """A JSON-LD script block; '<' is escaped so no text can close the script element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'
