"""Search and find: the Pagefind index, the postcode lookup and the data the browser scripts read.

Pagefind (a static, chunked index) runs after the whole site is written: it reads the `data-pagefind-body`
regions and the `data-pagefind-filter` / `data-pagefind-meta` spans that `site.wrap_body` and the renderer put
into every page, and writes `<site>/pagefind/` (index chunks, fragments, `pagefind.js`, `pagefind-ui.js/.css`).
A visitor's browser then fetches only the few chunks a query needs, which is what keeps search usable on a
cheap phone with thousands of providers (see benchmarks/README.md, "Zoeken").

The search page (/zoeken/, kaart.js) uses Pagefind's JS API, not its Default UI: the Default UI downloads every
filter index before the first result to show counts (156 KB of 337 KB at 10 000 providers). Our page builds its
filter menus from `facets.json` (written here from the rendered pages, a few KB) and passes only the filters a
visitor chooses to Pagefind, which then fetches just those filter chunks.

Understanding what citizens type (kaart.js `understand`): stop words out; a word that is not on the site is
compared with `woorden.txt` (the site's own words, written here by `write_vocabulary`) for "Bedoelde u …?"; a
sentence that finds nothing (or little) is searched word by word, ranked by how many of the words a page holds.
The words visitors use for a page (data/synoniemen.yaml) are in its indexed text (site.search_words).
Quality: tests/search_queries.yaml, run by tests/test_search_quality.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import Counter
from pathlib import Path

from .gemeenten import compact_lookup

#: Pagefind stems Dutch words ("schulden" finds "schuld") when the index language is Dutch.
LANGUAGE = "nl"
#: Where the bundle goes, relative to the site root. The search page script expects it here.
BUNDLE_DIR = "pagefind"
#: The postcode lookup the postcode forms read (PC4 → gemeente), relative to the site root.
POSTCODES_FILE = "assets/kaart/postcodes.json"
#: The filter menus of the search page, relative to the site root.
FACETS_FILE = "assets/kaart/facets.json"
#: The words the search page compares a mistyped word with ("Bedoelde u …?"), relative to the site root.
VOCABULARY_FILE = "assets/kaart/woorden.txt"
#: At most this many words (the most frequent first): ~20 KB gzip at most, fetched with the first search.
VOCABULARY_MAX = 8000
#: Shorter words are left out: a typo in a 3-letter word has too many near neighbours to guess from.
VOCABULARY_MIN_LENGTH = 4
_WORDS = re.compile(r"[a-zà-öø-ÿ]+(?:-[a-zà-öø-ÿ]+)*")
#: The facets (Pagefind filter keys, see render.py Page.filters) in menu order, with their Dutch labels.
FACET_LABELS = {"type": "Soort", "gemeente": "Gemeente", "levensgebied": "Levensgebied", "doelgroep": "Doelgroep",
                "kosten": "Kosten", "wet": "Wet", "taal": "Taal"}


def pagefind_executable() -> str:
    """The Pagefind binary that `pagefind[bin]` installs (no download, no npx)."""
    from pagefind_bin import get_executable

    return str(get_executable())


def index_site(site: Path, progress=None) -> None:
    """Index the built `site` with Pagefind into `<site>/pagefind/`; raise with Pagefind's output on failure."""
    wait_index(start_index(site, progress))


def start_index(site: Path, progress=None) -> tuple[subprocess.Popen, Path]:
    """Start Pagefind in the background (it is a separate, multi-threaded program), so the build can write the
    open data meanwhile; `wait_index` collects it."""
    site = Path(site)
    if progress is not None and getattr(progress, "verbose", False):
        progress.step(f"  Pagefind indexeert {site}")
    cmd = [pagefind_executable(), "--site", str(site), "--output-subdir", BUNDLE_DIR,
           "--force-language", LANGUAGE, "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_quiet_env())
    return proc, site


def wait_index(started: tuple[subprocess.Popen, Path]) -> None:
    proc, site = started
    stdout, stderr = proc.communicate()
    if proc.returncode != 0 or not (site / BUNDLE_DIR / "pagefind.js").exists():
        from .errors import BuildError

        raise BuildError("Pagefind kon de zoekindex niet maken:\n" + (stderr or stdout).strip())


def _quiet_env() -> dict:
    env = dict(os.environ)
    env.pop("PAGEFIND_SITE", None)  # the command line decides the site, not a stray environment variable
    return env


def postcode_lookup(model, renderer) -> dict:
    """PC4 → gemeente for the postcode forms: the PC4 table (data/postcodes/) plus the `postcodes` of a gemeente
    in data/municipalities.yaml (the demo gemeente). The compact shape is described in gemeenten.compact_lookup;
    URLs are relative to the site root, so the site may live under a sub-path."""
    ids = sorted(model.gemeenten)
    gemeenten = [(renderer.gemeente_url(g), renderer.gemeente_name(g)) for g in ids]
    index = {g: i for i, g in enumerate(ids)}
    codes = {m["code"]: index[g] for g, m in model.gemeenten.items() if not m.get("demo")}
    extra = {str(pc): index[g] for g, m in model.gemeenten.items() for pc in m.get("postcodes", []) or []}
    return compact_lookup(gemeenten, getattr(model, "postcodes", []), codes, extra)


def write_postcode_lookup(model, renderer, site: Path) -> Path:
    target = Path(site) / POSTCODES_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(postcode_lookup(model, renderer), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    target.write_text(data + "\n", encoding="utf-8")
    return target


def facets(pages) -> dict:
    """The search page's filter menus, from the pages' Pagefind filters (the same values Pagefind indexes).

    {"facets": [{"key": "gemeente", "label": "Gemeente", "values": [["Westerdorp", 12], …]}, …]}: keys in
    FACET_LABELS order (unknown keys after them, alphabetically), values sorted case-insensitively, with the
    number of pages that carry them. Keys without values are left out."""
    counts: dict[str, dict[str, int]] = {}
    for page in pages:
        for key, values in (getattr(page, "filters", None) or {}).items():
            bucket = counts.setdefault(key, {})
            for value in set(values):
                bucket[value] = bucket.get(value, 0) + 1
    order = [k for k in FACET_LABELS if k in counts] + sorted(k for k in counts if k not in FACET_LABELS)
    return {"facets": [{"key": k, "label": FACET_LABELS.get(k, k.capitalize()),
                        "values": [[v, n] for v, n in sorted(counts[k].items(), key=lambda i: (i[0].casefold(), i[0]))]}
                       for k in order if counts[k]]}


def write_facets(pages, site: Path) -> Path:
    target = Path(site) / FACETS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(facets(pages), ensure_ascii=False, separators=(",", ":"))
    target.write_text(data + "\n", encoding="utf-8")
    return target


def _strings(value):
    """Every text inside a record (nested lists and mappings), without addresses: what its page can show."""
    if isinstance(value, str):
        if not value.startswith(("http:", "https:")) and "@" not in value:
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _record_texts(model):
    """The texts the vocabulary counts: everything the records say (so a word that is on the site is known and
    never 'corrected'), the terms, the gemeenten, the payment guide and the synonyms."""
    for rec in [*model.needs.values(), *model.roles.values(), *model.signals.values(), *model.providers.values()]:
        yield from _strings(rec.data)
    yield from _strings(model.taxonomy)
    yield from (g.get("name", "") for g in model.gemeenten.values())
    yield from _strings(model.payment_guide or {})
    for words in model.synonyms.values():
        yield from words


def vocabulary(model) -> list[str]:
    """The words of the site that a typo is compared with, the most frequent first (ties alphabetically):
    lower case, at least VOCABULARY_MIN_LENGTH letters, at most VOCABULARY_MAX of them."""
    counts = Counter(w for text in _record_texts(model) for w in _WORDS.findall(str(text).lower())
                     if len(w) >= VOCABULARY_MIN_LENGTH)
    return [w for w, _ in sorted(counts.items(), key=lambda i: (-i[1], i[0]))[:VOCABULARY_MAX]]


def write_vocabulary(model, site: Path) -> Path:
    target = Path(site) / VOCABULARY_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(" ".join(vocabulary(model)) + "\n", encoding="utf-8")
    return target


def hours_data(loc: dict) -> dict | None:
    """A location's opening hours and exceptions, compact, for the 'open nu' script (data attribute / meta).

    {"h": [["MO TU", "09:00", "17:00"], …], "x": [["2026-12-25", null, null], ["2026-12-24", "09:00", "12:00"]]}
    An exception with null times means closed all day."""
    if not loc.get("opening_hours") and not loc.get("exceptions"):
        return None
    hours = [[" ".join(oh["days"]), oh["opens"], oh["closes"]] for oh in loc.get("opening_hours", [])]
    exceptions = []
    for ex in sorted(loc.get("exceptions", []), key=lambda e: e["date"]):
        if ex.get("closed") or not (ex.get("opens") and ex.get("closes")):
            exceptions.append([ex["date"], None, None])
        else:
            exceptions.append([ex["date"], ex["opens"], ex["closes"]])
    return {"h": hours, "x": exceptions}


def hours_json(loc: dict) -> str:
    data = hours_data(loc)
    return "" if data is None else json.dumps(data, sort_keys=True, separators=(",", ":"))


#: What the "nu open" check (kaart.js) reads for an organisation that is reachable day and night.
ALWAYS = {"always": True}


def provider_hours_json(locations, always: bool = False) -> str:
    """All locations' hours of one provider (open now = any location open), for the search result meta; a
    provider that is reachable day and night (`always_available`) is open at any hour, whatever its locations."""
    items = [ALWAYS] if always else [h for h in (hours_data(loc) for loc in locations) if h]
    return json.dumps(items, sort_keys=True, separators=(",", ":")) if items else ""


def map_points_json(points: list[dict]) -> str:
    """Map markers: [{"lat", "lon", "name", "url" (relative to the page), "address"}], rounded for stable output."""
    clean = [{"lat": round(float(p["lat"]), 6), "lon": round(float(p["lon"]), 6), "name": p["name"],
              "url": p.get("url", ""), "address": p.get("address", "")} for p in points]
    return json.dumps(clean, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
