"""Promises every built site keeps, checked on every test build (conftest.build_site calls `site_problems`).

- Every HTML page carries exactly one Content-Security-Policy, the same one, and that policy is strict: it is
  parsed per directive (not searched as text), so `'unsafe-inline'` is found whatever the directive order.
- Every internal link (a/link href, script/img src) points at a file of the site, and an anchor at an id there.

Not collected by pytest (no test_ prefix): a helper for the tests and for benchmarks/mutate.py.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from pathlib import Path

import lxml.html
from kaart.beheer import URL as EDITOR_URL

#: Source expressions no directive of our policy may hold: each would let injected script or style run.
FORBIDDEN_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", "*", "data:",
                     "http:", "https:", "blob:", "filesystem:"}
#: Directives where `data:` is harmless and needed (Leaflet's and Material's icons are data: images).
DATA_OK = {"img-src"}
#: What script-src may hold: our own files, WebAssembly for Pagefind, and hashes of the theme's inline scripts.
SCRIPT_SOURCE = re.compile(r"^('self'|'wasm-unsafe-eval'|'sha256-[A-Za-z0-9+/]{43}=')$")
REQUIRED = {"default-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'self'"]}
#: Pagefind 1.5 writes its filter and metadata indexes in hash-map order (upstream Pagefind issue #638):
#: these files (and the names that carry their hash) may differ between two builds of the same input.
PAGEFIND_UNSTABLE = re.compile(r"^pagefind/(filter/|pagefind\.nl_[0-9a-f]+\.pf_meta$|pagefind-entry\.json$)")
_META = re.compile(r"<meta\s+http-equiv=\"Content-Security-Policy\"\s+content=\"([^\"]*)\"", re.IGNORECASE)


def parse_policy(text: str) -> tuple[dict[str, list[str]], list[str]]:
    """A policy as {directive: [source, …]} plus the directives that occur twice (a browser ignores the second)."""
    directives: dict[str, list[str]] = {}
    repeated = []
    for part in text.split(";"):
        tokens = part.split()
        if not tokens:
            continue
        name = tokens[0].lower()
        if name in directives:
            repeated.append(name)
            continue
        directives[name] = tokens[1:]
    return directives, repeated


def policy_problems(text: str) -> list[str]:
    """What is wrong with a policy, per directive; [] for a strict one."""
    directives, repeated = parse_policy(text)
    problems = [f"{name} occurs twice (the browser ignores the second)" for name in repeated]
    for name, sources in REQUIRED.items():
        if directives.get(name) != sources:
            problems.append(f"{name} must be {' '.join(sources)}, is {directives.get(name)}")
    if "script-src" not in directives:
        problems.append("no script-src: scripts fall back to default-src")
    for name, sources in directives.items():
        for source in sources:
            if source.lower() in FORBIDDEN_SOURCES and not (source == "data:" and name in DATA_OK):
                problems.append(f"{name} allows {source}")
    for source in directives.get("script-src", []):
        if not SCRIPT_SOURCE.match(source) and source.lower() not in FORBIDDEN_SOURCES:
            problems.append(f"script-src allows {source} (only 'self', 'wasm-unsafe-eval' and sha256 hashes)")
    return problems


def page_policies(site: Path) -> dict[str, list[str]]:
    """Every HTML page of the site (Pagefind's bundle and the web editor aside) → the CSP values in its <meta> tags.

    The web editor (/beheer/) is an app of its own with the policy it needs (tests/test_beheer.py checks it); a
    visitor's instant navigation never reaches it (it is in no sitemap or menu)."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("pagefind/", EDITOR_URL)):
            continue
        out[rel] = [html.unescape(v) for v in _META.findall(path.read_text(encoding="utf-8"))]
    return out


def csp_problems(site: Path) -> list[str]:
    problems = []
    policies = page_policies(site)
    if not policies:
        return [f"{site}: no HTML pages"]
    seen: set[str] = set()
    for rel, values in policies.items():
        if len(values) != 1:
            problems.append(f"{rel}: {len(values)} Content-Security-Policy tags (expected 1)")
            continue
        if values[0] not in seen:
            seen.add(values[0])
            problems += [f"{rel}: {p}" for p in policy_problems(values[0])]
    if len(seen) > 1:  # Material's instant navigation keeps the first page's policy for every page after it
        problems.append(f"{len(seen)} different policies; the site must have one")
    return problems


def link_problems(site: Path) -> list[str]:
    """Internal links that point nowhere: `page → href`. 404.html links absolutely (served for any URL): skipped."""
    ids: dict[Path, set[str]] = {}

    def anchors(file: Path) -> set[str]:
        if file not in ids:
            ids[file] = set(lxml.html.parse(str(file)).getroot().xpath("//@id"))
        return ids[file]

    broken = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith("pagefind/") or rel == "404.html":
            continue
        doc = lxml.html.parse(str(page)).getroot()
        for element, attr in [(e, "href") for e in doc.xpath("//a[@href] | //link[@href]")] + \
                             [(e, "src") for e in doc.xpath("//script[@src] | //img[@src]")]:
            ref = element.get(attr)
            parts = urllib.parse.urlsplit(ref)
            if parts.scheme or ref.startswith("//") or not ref:
                continue
            if not parts.path:  # an anchor on the same page
                if parts.fragment and parts.fragment not in anchors(page):
                    broken.append(f"{rel} → {ref} (anker ontbreekt)")
                continue
            target = (page.parent / urllib.parse.unquote(parts.path)).resolve()
            file = target / "index.html" if target.is_dir() else target
            if not file.is_file() or not file.resolve().is_relative_to(site.resolve()):
                broken.append(f"{rel} → {ref}")
            elif parts.fragment and file.suffix == ".html" and parts.fragment not in anchors(file):
                broken.append(f"{rel} → {ref} (anker ontbreekt)")
    return broken


def site_problems(site: Path) -> list[str]:
    return csp_problems(site) + link_problems(site)
