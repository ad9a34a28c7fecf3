"""Load + validate the whole data directory: schema errors, cross-references and plausibility checks.

Returns every problem (errors and warnings) and, when there are no errors, the Model.

How it runs: the per-file check (_load_one: reading, YAML, schema) for every file, in worker processes for a
big data dir; then the cross-rules of RULES, a table from record kind to rule function, in order, over one
Context; then build_model() makes the Model. The id and reference checks (Checker.record_id, unique, ref and
refs) are the same for the private overlay (private.py).
"""

from __future__ import annotations

import datetime as dt
import gc
import marshal
import multiprocessing
import os
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import phonenumbers

from . import limits
from .cache import digest, from_plain, open_cache, to_plain
from .gemeenten import check_table
from .limits import is_stale
from .load import NATIONAL, Document, SourceFile, discover, parse_bytes, read_source
from .model import TERM_KEYS, Model, Record
from .pages import match
from .problems import ERROR, WARNING, Problem, did_you_mean
from .schemas import schema_problems
from .truthy import truthy_warnings

#: Demo phone numbers: the subscriber part starts with 000 — Dutch subscriber numbers never start with 0.
DEMO_PHONE = re.compile(r"^\d{2,3}000\d{3,4}$")


def today() -> dt.date:
    """The reference date; KAART_TODAY=YYYY-MM-DD pins it (tests, reproducible builds)."""
    pinned = os.environ.get("KAART_TODAY")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.date.today()


class Checker:
    def __init__(self, reference: dt.date):
        self.today = reference
        self.problems: list[Problem] = []
        #: number as written → phone_facts(number); filled by the worker processes when there are any
        self.phone_facts: dict[str, tuple[bool, int | None, str | None]] = {}

    def add(self, doc: Document, where, severity, code, message, hint=""):
        line, col = doc.pos(tuple(where))
        self.problems.append(Problem(doc.path, line, col, severity, code, message, hint))

    def error(self, doc, where, code, message, hint=""):
        self.add(doc, where, ERROR, code, message, hint)

    def warning(self, doc, where, code, message, hint=""):
        self.add(doc, where, WARNING, code, message, hint)

    # id and reference checks (shared with the private overlay) --------------------------------------------
    def record_id(self, doc, rid: str, stem: str, first: dict[str, Document], duplicate_hint: str) -> bool:
        """A record's id equals its file name and no other file uses it. `first`: id → the document that used it
        first (filled here). False for a duplicate."""
        if rid != stem:
            self.error(doc, ["id"], "id-mismatch", f"id '{rid}' is niet gelijk aan de bestandsnaam '{stem}.yaml'",
                       f"Maak id en bestandsnaam gelijk: zet 'id: {stem}' of hernoem het bestand naar {rid}.yaml.")
        if rid in first:
            self.error(doc, ["id"], "id-duplicate", f"id '{rid}' wordt ook gebruikt in {first[rid].path}",
                       duplicate_hint)
            return False
        first[rid] = doc
        return True

    def unique(self, doc, where, value: str, seen: set[str], what: str, hint: str) -> None:
        """An id inside one record (a location, a service) is used once there; `seen` collects them."""
        if value in seen:
            self.error(doc, where, "id-duplicate", f"{what} '{value}' staat er twee keer in", hint)
        seen.add(value)

    def ref(self, doc, where, value, known: dict | set, what: str, code: str, hint: str):
        if value not in known:
            self.error(doc, where, code, f"onbekende {what} '{value}'", did_you_mean(value, known) + hint)

    def refs(self, doc, where, values, known: dict | set, what: str, code: str, hint: str):
        """ref() for every item of a list (None: no list)."""
        for j, v in enumerate(values or ()):
            if v not in known:  # (ref checks again; testing here first saves building a path per value)
                self.ref(doc, [*where, j], v, known, what, code, hint)

    def date(self, doc, where, value: str, future_ok: bool = False) -> dt.date | None:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.error(doc, where, "date-invalid", f"'{value}' is geen bestaande datum",
                       "Controleer dag en maand (JJJJ-MM-DD).")
            return None
        if not future_ok and day > self.today:
            self.error(doc, where, "date-future", f"de datum {value} ligt in de toekomst",
                       "Vul de dag in waarop u de gegevens echt heeft gecontroleerd.")
        return day

    def verified(self, doc, where, verified: dict, demo: bool = False):
        day = self.date(doc, list(where) + ["date"], verified["date"])
        if day and is_stale(day, self.today):
            self.warning(doc, list(where) + ["date"], "stale",
                         f"laatst gecontroleerd op {verified['date']}: langer dan {limits.STALE_MONTHS} maanden geleden",
                         "Controleer de gegevens met de organisatie en zet de datum van vandaag bij verified.date.")

    def phone(self, doc, where, number: str, demo: bool):
        facts = self.phone_facts.get(number)
        if facts is None:
            facts = self.phone_facts[number] = phone_facts(number)
        valid, country_code, national = facts
        if not valid:
            self.error(doc, where, "phone-invalid", f"'{number}' is geen geldig telefoonnummer",
                       "Schrijf een Nederlands nummer met netnummer (bijvoorbeeld 050 123 4567 of 0800 1234) "
                       "of een internationaal nummer met + (bijvoorbeeld +31 50 123 4567).")
            return
        fictional = country_code == 31 and bool(DEMO_PHONE.match(national))
        if demo and not fictional:
            self.error(doc, where, "phone-demo-range",
                       f"'{number}' kan een echt nummer zijn, maar dit is een voorbeeldgemeente",
                       "Gebruik in voorbeeldgegevens alleen nummers als 050 000 0101 (na het netnummer 000): "
                       "die worden nooit uitgegeven.")
        if fictional and not demo:
            self.error(doc, where, "phone-fictional",
                       f"'{number}' is een verzonnen voorbeeldnummer, maar dit is een echte gemeente",
                       "Vul het echte algemene nummer van de organisatie in, of laat het veld weg.")

    def postcode(self, doc, where, code: str, demo: bool):
        if demo != code.startswith("0"):
            self.error(doc, where, "postcode-demo-range",
                       f"postcode '{code}' past niet bij {'een voorbeeldgemeente' if demo else 'een echte gemeente'}",
                       "Echte postcodes lopen van 1000 tot 9999; voorbeeldgegevens gebruiken 0101 tot 0999."
                       if not demo else "Voorbeeldgegevens gebruiken postcodes die met 0 beginnen (0101 AA): "
                       "die bestaan niet echt.")


#: Below this many files a pool of worker processes costs more (start-up, copying results) than it saves.
PARALLEL_MIN_FILES = 2_000
#: Worker processes for reading and schema-checking files (KAART_WORKERS=1 turns parallel loading off).
WORKERS = 2
#: Files per task sent to a worker: big enough that sending the task and its answer costs little.
CHUNK_FILES = 250

#: The files of the running check. Forked workers inherit it, so a task is just a range of indexes.
_FILES: list[SourceFile] = []


def phone_facts(number: str) -> tuple[bool, int | None, str | None]:
    """(valid, country code, national number) of a phone number as written, read as a Dutch number."""
    try:
        parsed = phonenumbers.parse(number, "NL")
        if phonenumbers.is_valid_number(parsed):
            return True, parsed.country_code, str(parsed.national_number)
    except phonenumbers.NumberParseException:
        pass
    return False, None, None


def _provider_phones(data: dict) -> list[str]:
    """The numbers Checker.phone looks at in a schema-valid provider."""
    numbers = [ph["number"] for ph in data.get("phones", [])]
    for loc in data.get("locations", []):
        numbers.extend(ph["number"] for ph in loc.get("phones", []))
    return numbers


def _date_message_likely(data) -> bool:
    """Will Checker.verified have something to say about this record's date (stale, in the future, no real date)?"""
    verified = data.get("verified") if isinstance(data, dict) else None
    if not isinstance(verified, dict) or not isinstance(verified.get("date"), str):
        return False
    try:
        day = dt.date.fromisoformat(verified["date"])
    except ValueError:
        return True
    reference = today()
    return day > reference or is_stale(day, reference)


def _load_one(sf: SourceFile, raw: bytes | None = None):
    """The per-file check: everything about one file on its own (reading, YAML, schema); the rules across
    files are in RULES. (digest of the bytes or None, data or None, marks, load problems, schema problems)."""
    if raw is None:
        raw, read_problems = read_source(sf.path, sf.shown)
        if raw is None:
            return None, None, None, read_problems, []
    doc, load_problems = parse_bytes(raw, sf.shown)
    if doc is None:
        return digest(raw), None, None, load_problems, []
    load_problems += truthy_warnings(sf.kind, doc)  # bare yes/no/on/off in a text field
    schema_errs = schema_problems(sf.kind, doc)  # first: a message takes the marks from libyaml (Document.marks)
    marks = doc._marks
    if marks is None and not schema_errs and _date_message_likely(doc.data):
        # Positions of a file the fast parser read come from libyaml when a message needs them. Stale records can
        # be thousands: take them here, in the workers, not one file at a time in the parent later.
        marks = doc.marks
    return digest(raw), doc.data, marks, load_problems, schema_errs


def _load_range(bounds: tuple[int, int]) -> bytes:
    """Read, parse and schema-check _FILES[start:stop]. Answers only what the parent lacks: data and marks (not the
    path or a position dict), problems, and the phone facts of valid providers (libphonenumber is slow; here it
    runs in parallel) — as marshal bytes, which cost a fraction of what pickling the same results costs."""
    out = []
    phones: dict[str, tuple] = {}
    for sf in _FILES[bounds[0]:bounds[1]]:
        result = _load_one(sf)
        if sf.kind == "provider" and result[1] is not None and not result[4]:
            for number in _provider_phones(result[1]):
                if number not in phones:
                    phones[number] = phone_facts(number)
        out.append(to_plain(result))
    return marshal.dumps((out, phones))


def _load_many(files: list[SourceFile], phones: dict[str, tuple], raws: list[bytes | None] | None = None):
    """_load_one for every file, in order. Large data dirs use worker processes: parsing is most of
    `kaart check` at 10 000 records and the files are independent. Results are identical either way."""
    global _FILES
    workers = min(int(os.environ.get("KAART_WORKERS", WORKERS)), os.cpu_count() or 1)
    # fork copies the loaded schemas and the file list for free; it is only safe while this process runs a
    # single thread
    if workers > 1 and len(files) >= PARALLEL_MIN_FILES and threading.active_count() == 1 \
            and "fork" in multiprocessing.get_all_start_methods():
        _FILES = files
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                ranges = [(i, min(i + CHUNK_FILES, len(files))) for i in range(0, len(files), CHUNK_FILES)]
                for answer in pool.imap(_load_range, ranges):
                    results, found = marshal.loads(answer)
                    phones.update(found)
                    for plain in results:
                        yield from_plain(plain)
        finally:
            _FILES = []
    else:
        for i, sf in enumerate(files):
            yield _load_one(sf, raws[i] if raws is not None else None)


def _load_written(sf: SourceFile, data) -> tuple:
    """_load_one for a file whose data the caller has just written (check's `written`): not read or parsed again.
    Positions, when a message needs them, are read from the file then (Document.marks)."""
    doc = Document(sf.shown, data, source=sf.path)
    return None, data, None, truthy_warnings(sf.kind, doc), schema_problems(sf.kind, doc)


def _load_all(files: list[SourceFile], phones: dict[str, tuple], cache, written: dict | None = None):
    """(file, (digest, data, marks, load problems, schema problems)) for every file, in order. With a filled
    cache every file is read here first, and only new or changed files are parsed and schema-checked; files in
    `written` are only schema-checked."""
    written = written or {}
    if not cache and not written:
        yield from zip(files, _load_many(files, phones))
        return
    results: list = [None] * len(files)
    todo: list[int] = []
    raws: list[bytes | None] = []
    for i, sf in enumerate(files):
        if sf.path in written:
            results[i] = _load_written(sf, written[sf.path])
            continue
        if not cache:
            todo.append(i)
            raws.append(None)
            continue
        raw, read_problems = read_source(sf.path, sf.shown)
        if raw is None:
            results[i] = (None, None, None, read_problems, [])
            continue
        file_digest = digest(raw)
        hit = cache.get(sf.shown, sf.kind, file_digest)
        if hit is None:
            todo.append(i)
            raws.append(raw)
        else:
            results[i], known_phones = hit
            phones.update(known_phones)
    if len(todo) >= PARALLEL_MIN_FILES or not cache:
        raws = None  # the workers read the files themselves (sending the bytes would cost more)
    for i, result in zip(todo, _load_many([files[i] for i in todo], phones, raws)):
        results[i] = result
    yield from zip(files, results)


def _remember(cache, loaded, phones: dict[str, tuple]) -> None:
    """Store every readable file's result (and the phone facts of valid providers) and write the cache."""
    for sf, result in loaded:
        file_digest, data, _, _, schema_errs = result
        if file_digest is None or cache.keep(sf.shown, sf.kind, file_digest):
            continue
        known = {}
        if sf.kind == "provider" and data is not None and not schema_errs:
            known = {n: phones[n] for n in _provider_phones(data) if n in phones}
        cache.put(sf.shown, sf.kind, result, known)
    cache.save()


def check(data_dir: Path | str = "data", use_cache: bool = True,
          written: dict[str, object] | None = None) -> tuple[Model | None, list[Problem]]:
    """Every problem in the data dir and, when there are no errors, the Model. `use_cache`: reuse what an earlier
    check remembered of unchanged files (kaart/cache.py; KAART_CACHE_DIR=off turns it off everywhere).
    `written`: file path (as `discover` names it: the data dir joined with the file's place in it) → the data the
    caller has just written there with a writer whose text reads back as exactly that data (kaart import's
    staging copy, importer.to_yaml; tests/test_import.py holds it to that): those files are checked without
    reading and parsing them again."""
    with paused_gc():
        return _check(Path(data_dir), use_cache, written)


@contextmanager
def paused_gc():
    """Loading (and importing) builds many small, acyclic containers; the cyclic garbage collector would rescan
    all of them again and again (~15-25% of the time at 10 000 records). Nothing there creates cycles: pause it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class Context:
    """What the rules share: the loaded documents and the lookup tables the id rules build for the cross-rules."""

    c: Checker
    data_dir: Path
    docs: dict[str, list[tuple[SourceFile, Document]]]
    clean: set[int]  # id() of documents whose schema validation passed
    taxonomy: dict = field(default_factory=dict)
    terms: dict[str, set] = field(default_factory=lambda: {k: set() for k in TERM_KEYS})
    gemeenten: dict[str, dict] = field(default_factory=dict)
    muni_at: dict[str, tuple[Document, int]] = field(default_factory=dict)  # gemeente id → (document, index)
    postcodes: list = field(default_factory=list)
    records: dict[str, dict[str, Record]] = field(default_factory=dict)  # kind → id → schema-valid record
    #: ids that exist at all (even in files with schema errors) — avoids a cascade of "unknown" errors
    known: dict[str, set] = field(default_factory=dict)
    guide: dict | None = None
    route: dict | None = None  # data/routewijzer.yaml
    synonyms: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # data/synoniemen.yaml, checked
    loaded: list = field(default_factory=list)  # (file, load result) of every file: what the cache will remember
    #: (what, normalised value) → providers that share it: the duplicate-provider warnings
    dup_keys: dict[tuple[str, str], list[Record]] = field(default_factory=lambda: defaultdict(list))

    @cached_property
    def successors(self) -> dict[str, str]:
        return _successors(self.docs["redirects"])

    def usable(self, kind: str) -> list[tuple[SourceFile, Document]]:
        return [(sf, d) for sf, d in self.docs[kind] if id(d) in self.clean]


def _check(data_dir: Path, use_cache: bool = True,
           written: dict | None = None) -> tuple[Model | None, list[Problem]]:
    if not data_dir.is_dir():
        return None, [Problem(str(data_dir), 1, 1, ERROR, "data-dir-missing",
                              f"de map '{data_dir}' bestaat niet",
                              "Geef met --data de map met municipalities.yaml, roles/, needs/ en providers/.")]
    files, problems = discover(data_dir)
    c = Checker(today())
    c.problems.extend(problems)

    from .schemas import SCHEMA_DIR

    cache = open_cache(data_dir, SCHEMA_DIR) if use_cache else None
    ctx = _load_docs(c, data_dir, files, cache, written)
    _missing_single_files(ctx)
    for kind, rule in RULES:
        rule(ctx, kind)
    if cache is not None:
        _remember(cache, ctx.loaded, c.phone_facts)
    if any(p.severity == ERROR for p in c.problems):
        return None, c.problems
    return build_model(ctx), c.problems


def _load_docs(c: Checker, data_dir: Path, files: list[SourceFile], cache,
               written: dict | None = None) -> Context:
    """Read, parse and schema-check every file (the per-file check, _load_one); documents by kind."""
    loaded = []  # what the cache will remember
    docs: dict[str, list[tuple[SourceFile, Document]]] = defaultdict(list)
    clean: set[int] = set()
    for sf, result in _load_all(files, c.phone_facts, cache, written):
        if cache is not None:
            loaded.append((sf, result))
        _, data, marks, load_problems, schema_errs = result
        c.problems.extend(load_problems)
        if data is None:
            continue
        doc = Document(sf.shown, data, marks=marks, source=sf.path)  # read again for positions if marks is None
        c.problems.extend(schema_errs)
        docs[sf.kind].append((sf, doc))
        if not schema_errs:
            clean.add(id(doc))
    return Context(c, data_dir, docs, clean, loaded=loaded)


def _missing_single_files(ctx: Context) -> None:
    for single, shown in (("municipalities", "municipalities.yaml"), ("taxonomy", "taxonomy.yaml")):
        if not ctx.docs[single] and not any(p.path.endswith(shown) for p in ctx.c.problems):
            ctx.c.problems.append(Problem(str(ctx.data_dir / shown), 1, 1, ERROR, "file-missing", f"{shown} ontbreekt",
                                          f"Maak {ctx.data_dir / shown} aan (zie de voorbeelden in data/)."))


def build_model(ctx: Context) -> Model:
    """The Model of a check without errors: built here, from the tables the rules filled, and nowhere else."""
    gemeenten = dict(sorted(ctx.gemeenten.items(), key=lambda kv: kv[1]["name"]))
    r = ctx.records
    return Model(ctx.data_dir, ctx.taxonomy, gemeenten, r["role"], r["need"], r["provider"], ctx.guide,
                 signals=r["signal"], postcodes=ctx.postcodes, route=ctx.route, synonyms=ctx.synonyms)


# id rules: they build the lookup tables --------------------------------------------------------------------

def _taxonomy_terms(ctx: Context, kind: str) -> None:
    for sf, doc in ctx.docs[kind]:
        if isinstance(doc.data, dict):
            ctx.taxonomy = doc.data
            for key, seen in ctx.terms.items():
                for i, term in enumerate(doc.data.get(key) or []):
                    if isinstance(term, dict) and isinstance(term.get("id"), str):
                        if term["id"] in seen:
                            ctx.c.error(doc, [key, i, "id"], "id-duplicate", f"'{term['id']}' staat twee keer in {key}",
                                        "Elk begrip heeft een eigen id.")
                        seen.add(term["id"])


def _gemeente_ids(ctx: Context, kind: str) -> None:
    for sf, doc in ctx.docs[kind]:
        items = doc.data.get("municipalities") if isinstance(doc.data, dict) else None
        for i, m in enumerate(items or []):
            if not isinstance(m, dict) or not isinstance(m.get("id"), str):
                continue
            if m["id"] in ctx.gemeenten or m["id"] == NATIONAL:
                ctx.c.error(doc, ["municipalities", i, "id"], "id-duplicate",
                            f"gemeente '{m['id']}' staat er twee keer in",
                            "Elke gemeente staat één keer in municipalities.yaml.")
                continue
            ctx.gemeenten[m["id"]] = m
            ctx.muni_at[m["id"]] = (doc, i)


def _record_ids(ctx: Context, kind: str) -> None:
    """Records with one file each: id equals the file name, each id once; the schema-valid ones by id."""
    out: dict[str, Record] = {}
    first: dict[str, Document] = {}
    for sf, doc in ctx.docs[kind]:
        rid = doc.data.get("id") if isinstance(doc.data, dict) else None
        if not isinstance(rid, str):
            continue
        stem = os.path.basename(sf.shown)[:-len(".yaml")]  # discover only takes .yaml files
        if not ctx.c.record_id(doc, rid, stem, first, RECORD_ID_HINT):
            continue
        if id(doc) in ctx.clean:
            out[rid] = Record(kind, rid, doc.data, doc, sf.gemeente)
    ctx.records[kind] = dict(sorted(out.items()))
    ctx.known[kind] = {d.data.get("id") for _, d in ctx.docs[kind] if isinstance(d.data, dict)}


# municipalities and the postcode table ----------------------------------------------------------------------

def _gemeenten(ctx: Context, kind: str) -> None:
    if not (ctx.docs[kind] and id(ctx.docs[kind][0][1]) in ctx.clean):
        return
    seen_codes: dict[str, str] = {}
    seen_pc4: dict[str, str] = {}
    for mid, m in ctx.gemeenten.items():
        _one_gemeente(ctx.c, mid, m, *ctx.muni_at[mid], seen_codes, seen_pc4)


def _one_gemeente(c: Checker, mid: str, m: dict, doc: Document, i: int, seen_codes: dict, seen_pc4: dict) -> None:
    at = ["municipalities", i]
    demo = bool(m.get("demo"))
    if m["code"] in seen_codes:
        c.error(doc, at + ["code"], "code-duplicate", f"CBS-code {m['code']} hoort ook bij '{seen_codes[m['code']]}'",
                "Elke gemeente heeft een eigen CBS-code.")
    seen_codes[m["code"]] = mid
    if demo != m["code"].startswith("GM99"):
        c.error(doc, at + ["code"], "code-demo-range",
                "voorbeeldgemeenten gebruiken GM99xx, echte gemeenten nooit" if demo else
                f"{m['code']} is gereserveerd voor voorbeeldgemeenten",
                "Zoek de echte CBS-code op bij het CBS, of zet demo: true voor een verzonnen gemeente.")
    for j, pc in enumerate(m.get("postcodes", [])):
        if pc in seen_pc4:
            c.error(doc, at + ["postcodes", j], "postcode-duplicate",
                    f"postcodegebied {pc} staat ook bij '{seen_pc4[pc]}'", "Een PC4-gebied hoort bij één gemeente.")
        seen_pc4[pc] = mid
        c.postcode(doc, at + ["postcodes", j], pc, demo)
    c.verified(doc, at + ["verified"], m["verified"])
    if not demo and "province" not in m:
        c.error(doc, at + ["id"], "province-missing", f"gemeente '{mid}' heeft geen provincie",
                "Zet de provincie erbij zoals het CBS hem noemt, bijvoorbeeld 'province: Overijssel'.")


def _postcode_table(ctx: Context, kind: str) -> None:
    muni_doc = ctx.docs[kind][0][1] if ctx.docs[kind] else None
    # A broken gemeente list would make every postcode of a gemeente an error too: fix the list first.
    if muni_doc and not any(p.path == muni_doc.path and p.severity == ERROR for p in ctx.c.problems):
        shown_dir = os.path.dirname(muni_doc.path) or "."
        ctx.postcodes, table_problems = check_table(ctx.data_dir, shown_dir,
                                                    {m["code"]: mid for mid, m in ctx.gemeenten.items()})
        ctx.c.problems.extend(table_problems)


def _gemeente_providers(ctx: Context, kind: str) -> None:
    """Gemeente → provider references (they need the providers)."""
    local_ids: dict[str | None, set[str]] = defaultdict(set)
    for r in ctx.records["provider"].values():
        local_ids[r.gemeente].add(r.id)
    for mid, m in ctx.gemeenten.items():
        doc, i = ctx.muni_at[mid]
        if id(doc) not in ctx.clean:
            continue
        local = local_ids[mid]
        at = ["municipalities", i]
        if "first_entry_point" in m:
            ctx.c.ref(doc, at + ["first_entry_point"], m["first_entry_point"], local, "aanbieder in deze gemeente",
                      "ref-unknown-provider", f"Gebruik de id van een aanbieder in data/providers/{mid}/.")
        for j, pid in enumerate(m.get("client_support", [])):
            ctx.c.ref(doc, at + ["client_support", j], pid, local, "aanbieder in deze gemeente",
                      "ref-unknown-provider", f"Gebruik de id van een aanbieder in data/providers/{mid}/.")


# roles, needs and signals -----------------------------------------------------------------------------------

ROLE_HINT = "Gebruik een id uit data/roles/ (zie /rollen/)."
LAW_HINT = "Gebruik een wet-id uit data/taxonomy.yaml (laws)."
LIFE_DOMAIN_HINT = "Gebruik een id uit data/taxonomy.yaml (life_domains)."
RECORD_ID_HINT = "Elk record heeft een eigen id; kies een andere, bijvoorbeeld met de wijk of gemeente erbij."


def _each(rule):
    """A rule for one record → a rule for every schema-valid record of its kind, by id."""
    def every(ctx: Context, kind: str) -> None:
        for rec in ctx.records[kind].values():
            rule(ctx, rec)
    every.__name__ = every.__qualname__ = rule.__name__ + "_each"
    return every


def _role(ctx: Context, rec: Record) -> None:
    c, d, doc, terms = ctx.c, rec.data, rec.doc, ctx.terms
    for i, lb in enumerate(d["legal_basis"]):
        c.ref(doc, ["legal_basis", i, "law"], lb["law"], terms["laws"], "wet", "ref-unknown-law", LAW_HINT)
    for i, h in enumerate(d.get("handover", [])):
        c.ref(doc, ["handover", i, "role"], h["role"], ctx.known["role"], "rol", "ref-unknown-role", ROLE_HINT)
    c.refs(doc, ["life_domains"], d["life_domains"], terms["life_domains"], "levensgebied",
           "ref-unknown-life-domain", LIFE_DOMAIN_HINT)
    c.verified(doc, ["verified"], d["verified"])


def _need(ctx: Context, rec: Record) -> None:
    c, d, doc, terms, known = ctx.c, rec.data, rec.doc, ctx.terms, ctx.known
    c.ref(doc, ["life_domain"], d["life_domain"], terms["life_domains"], "levensgebied",
          "ref-unknown-life-domain", LIFE_DOMAIN_HINT)
    c.refs(doc, ["roles"], d["roles"], known["role"], "rol", "ref-unknown-role", ROLE_HINT)
    c.refs(doc, ["related_needs"], d.get("related_needs"), known["need"], "hulpvraag", "ref-unknown-need",
           "Gebruik een id uit data/needs/.")
    ladder = d["ladder"]
    general_ids: set[str] = set()
    for i, g in enumerate(ladder["general_provisions"]):
        c.unique(doc, ["ladder", "general_provisions", i, "id"], g["id"], general_ids, "algemene voorziening",
                 "Geef elke voorziening een eigen id.")
        c.refs(doc, ["ladder", "general_provisions", i, "roles"], g.get("roles"), known["role"], "rol",
               "ref-unknown-role", ROLE_HINT)
    for i, p in enumerate(ladder.get("individual_provisions", [])):
        at = ["ladder", "individual_provisions", i]
        c.ref(doc, at + ["law"], p["law"], terms["laws"], "wet", "ref-unknown-law", LAW_HINT)
        c.refs(doc, at + ["alternatives"], p["alternatives"], general_ids, "algemene voorziening",
               "ref-unknown-alternative", "Noem de id van een algemene voorziening uit ladder.general_provisions.")
    c.verified(doc, ["verified"], d["verified"])


def _signal(ctx: Context, rec: Record) -> None:
    c, d, doc, terms = ctx.c, rec.data, rec.doc, ctx.terms
    c.refs(doc, ["seen_by"], d["seen_by"], terms["zorgvindplaatsen"], "zorgvindplaats", "ref-unknown-zorgvindplaats",
           "Gebruik een id uit data/taxonomy.yaml (zorgvindplaatsen), bijvoorbeeld huisarts-poh of wijkagent.")
    c.refs(doc, ["roles"], d["roles"], ctx.known["role"], "rol", "ref-unknown-role", ROLE_HINT)
    c.refs(doc, ["sharing", "basis"], d["sharing"]["basis"], terms["sharing_bases"], "grondslag",
           "ref-unknown-sharing-basis",
           "Gebruik een id uit data/taxonomy.yaml (sharing_bases), bijvoorbeeld toestemming of meldcode.")
    c.verified(doc, ["verified"], d["verified"])


# providers --------------------------------------------------------------------------------------------------

GEMEENTE_HINT = "Zet het bestand in data/providers/<gemeente>/ met een gemeente uit data/municipalities.yaml, " \
                "of in data/providers/landelijk/."


def _provider(ctx: Context, rec: Record) -> None:
    c, d, doc, terms = ctx.c, rec.data, rec.doc, ctx.terms
    _provider_gemeente(ctx, rec)
    demo = bool(ctx.gemeenten.get(rec.gemeente or "", {}).get("demo"))
    c.refs(doc, ["roles"], d.get("roles"), ctx.known["role"], "rol", "ref-unknown-role", ROLE_HINT)
    c.refs(doc, ["life_domains"], d["life_domains"], terms["life_domains"], "levensgebied",
           "ref-unknown-life-domain", LIFE_DOMAIN_HINT)
    c.refs(doc, ["target_groups"], d.get("target_groups"), terms["target_groups"], "doelgroep",
           "ref-unknown-target-group", "Gebruik een id uit data/taxonomy.yaml (target_groups).")
    dup_keys = ctx.dup_keys
    for i, ph in enumerate(d.get("phones", [])):
        c.phone(doc, ["phones", i, "number"], ph["number"], demo)
        dup_keys[("telefoonnummer", _NON_DIGIT.sub("", ph["number"]))].append(rec)
    location_ids: set[str] = set()
    for i, loc in enumerate(d.get("locations", [])):
        _location(c, doc, ["locations", i], loc, location_ids, demo)
    service_ids: set[str] = set()
    for i, s in enumerate(d["services"]):
        _service(c, doc, ["services", i], s, service_ids, location_ids, terms)
    if not (d.get("phones") or d.get("email") or d.get("website")):
        c.warning(doc, ["name"], "contact-missing", "er staat geen telefoonnummer, e-mailadres of website bij",
                  "Voeg minstens één manier toe waarop inwoners de organisatie bereiken.")
    if d.get("website"):
        dup_keys[("website", d["website"].lower().rstrip("/"))].append(rec)
    for i, oi in enumerate(d.get("organization_identifiers", [])):
        dup_keys[(oi["type"].upper() + "-nummer", oi["value"])].append(rec)
    dup_keys[("naam", _normalise(d["name"]))].append(rec)
    c.verified(doc, ["verified"], d["verified"])


def _provider_gemeente(ctx: Context, rec: Record) -> None:
    """The folder of a provider is a gemeente (or landelijk); a merged gemeente names its successor."""
    gemeenten = ctx.gemeenten
    if rec.gemeente == NATIONAL or rec.gemeente in gemeenten:
        return
    successor = ctx.successors.get(rec.gemeente)
    if successor in gemeenten:
        ctx.c.error(rec.doc, ["id"], "ref-unknown-gemeente",
                    f"de gemeente '{rec.gemeente}' bestaat niet meer: zij is opgegaan in "
                    f"{gemeenten[successor]['name']}",
                    f"Verplaats het bestand naar data/providers/{successor}/ en controleer of de gegevens nog "
                    "kloppen (data/redirects.yaml noemt de opvolger).")
    else:
        ctx.c.error(rec.doc, ["id"], "ref-unknown-gemeente", f"de map '{rec.gemeente}' is geen bekende gemeente",
                    GEMEENTE_HINT)


def _location(c: Checker, doc: Document, at: list, loc: dict, location_ids: set[str], demo: bool) -> None:
    c.unique(doc, at + ["id"], loc["id"], location_ids, "locatie", "Geef elke locatie een eigen id.")
    c.postcode(doc, at + ["address", "postcode"], loc["address"]["postcode"], demo)
    for j, ph in enumerate(loc.get("phones", [])):
        c.phone(doc, at + ["phones", j, "number"], ph["number"], demo)
    for j, oh in enumerate(loc.get("opening_hours", [])):
        if oh["opens"] >= oh["closes"]:
            c.error(doc, at + ["opening_hours", j, "closes"], "hours-order",
                    f"sluitingstijd {oh['closes']} ligt niet na openingstijd {oh['opens']}",
                    "Controleer opens en closes; voor 'tot middernacht' gebruikt u \"24:00\".")
    for j, ex in enumerate(loc.get("exceptions", [])):
        c.date(doc, at + ["exceptions", j, "date"], ex["date"], future_ok=True)
        if not ex.get("closed") and not (ex.get("opens") and ex.get("closes")):
            c.error(doc, at + ["exceptions", j], "exception-incomplete",
                    "een afwijkende dag heeft 'closed: true' of zowel opens als closes nodig",
                    "Zet closed: true voor een sluitingsdag, of vul opens en closes in.")


def _service(c: Checker, doc: Document, at: list, s: dict, service_ids: set[str], location_ids: set[str],
             terms: dict[str, set]) -> None:
    c.unique(doc, at + ["id"], s["id"], service_ids, "dienst", "Geef elke dienst een eigen id.")
    c.refs(doc, at + ["languages"], s.get("languages"), terms["languages"], "taal", "ref-unknown-language",
           "Gebruik een taalcode uit data/taxonomy.yaml (languages), bijvoorbeeld nl of en.")
    c.refs(doc, at + ["laws"], s.get("laws"), terms["laws"], "wet", "ref-unknown-law", LAW_HINT)
    c.refs(doc, at + ["location_ids"], s.get("location_ids"), location_ids, "locatie", "ref-unknown-location",
           "Noem de id van een locatie uit 'locations' in dit bestand.")
    if "minimum_age" in s and "maximum_age" in s and s["minimum_age"] > s["maximum_age"]:
        c.error(doc, at + ["maximum_age"], "age-order", "de maximumleeftijd is lager dan de minimumleeftijd",
                "Draai de twee leeftijden om.")
    if "waiting_time" in s:
        c.date(doc, at + ["waiting_time", "date"], s["waiting_time"]["date"])


def _duplicate_providers(ctx: Context, kind: str) -> None:
    for (what, value), recs in sorted(item for item in ctx.dup_keys.items() if len(item[1]) > 1):
        if value:
            for rec in recs[1:]:
                ctx.c.warning(rec.doc, ["name"], "duplicate-provider",
                              f"lijkt dubbel: zelfde {what} als {recs[0].source}:{recs[0].doc.pos(['name'])[0]}",
                              "Voeg de records samen of maak duidelijk waarin ze verschillen.")


# payment guide and redirects --------------------------------------------------------------------------------

def _payment_guide(ctx: Context, kind: str) -> None:
    c, terms, roles = ctx.c, ctx.terms, ctx.known["role"]
    for sf, doc in ctx.usable(kind):
        guide = ctx.guide = doc.data
        for i, item in enumerate(guide["kinds"]):
            for j, s in enumerate(item["situations"]):
                at = ["kinds", i, "situations", j]
                c.ref(doc, at + ["law"], s["law"], terms["laws"], "wet", "ref-unknown-law", LAW_HINT)
                c.refs(doc, at + ["roles"], s.get("roles"), roles, "rol", "ref-unknown-role", ROLE_HINT)
        for section in ("ping_pong", "when_stuck"):
            for i, item in enumerate(guide[section]):
                c.refs(doc, [section, i, "roles"], item.get("roles"), roles, "rol", "ref-unknown-role", ROLE_HINT)
        c.verified(doc, ["verified"], guide["verified"])


def _routewijzer(ctx: Context, kind: str) -> None:
    from .routes import check as check_route

    national = {rid: r for rid, r in ctx.records["provider"].items() if r.gemeente == NATIONAL}
    for sf, doc in ctx.usable(kind):
        check_route(ctx.c, doc, doc.data, ctx.known["need"], set(ctx.records["need"]), national)
        ctx.route = doc.data


def _redirects(ctx: Context, kind: str) -> None:
    usable = ctx.usable(kind)
    if not usable:
        return
    from .redirects import check_redirects, site_pages

    r = ctx.records
    pages = site_pages(r["provider"], r["role"], r["need"], ctx.gemeenten, ctx.terms["life_domains"],
                       signals=r["signal"])
    for sf, doc in usable:
        check_redirects(ctx.c, doc, pages)


#: The page kinds a group in data/synoniemen.yaml may name, with the Dutch word for the message.
SYNONYM_TARGETS = {"need": "hulpvraag", "role": "rol", "signal": "signaal", "provider": "aanbieder"}
_SPACES = re.compile(r"\s+")


def _synonyms(ctx: Context, kind: str) -> None:
    """data/synoniemen.yaml: every group names exactly one page that exists, and no phrase is said twice."""
    c, r = ctx.c, ctx.records
    seen: dict[str, int] = {}  # normalised phrase → line where it stood first
    for sf, doc in ctx.usable(kind):
        for i, group in enumerate(doc.data["synonyms"]):
            named = [k for k in SYNONYM_TARGETS if k in group]
            if len(named) != 1:
                c.error(doc, ["synonyms", i], "synonym-target",
                        "noem precies één pagina: need, role, signal of provider" if not named else
                        f"deze groep noemt {len(named)} pagina's ({', '.join(named)}); dat moet er één zijn",
                        "Zet bij elke groep één regel als 'need: schulden' en daaronder de woorden (phrases).")
                continue
            key = named[0]
            known = r[key] if key != "provider" else {k: v for k, v in r[key].items() if v.gemeente == NATIONAL}
            if group[key] not in known:
                c.ref(doc, ["synonyms", i, key], group[key], known, SYNONYM_TARGETS[key], "ref-unknown-synonym-target",
                      f"Gebruik de id van een bestaande {SYNONYM_TARGETS[key]} (de bestandsnaam zonder .yaml)"
                      + (", uit data/providers/landelijk/." if key == "provider" else "."))
                continue
            phrases = []
            for j, phrase in enumerate(group["phrases"]):
                norm = _SPACES.sub(" ", phrase).strip().casefold()
                at = ["synonyms", i, "phrases", j]
                if not norm:
                    c.error(doc, at, "synonym-empty", "een leeg woord (alleen spaties)", "Schrijf een woord of zinnetje, of haal de regel weg.")
                elif norm in seen:
                    c.error(doc, at, "synonym-duplicate", f"'{phrase}' staat ook al op regel {seen[norm]}",
                            "Elk woord of zinnetje leidt naar één pagina: haal het hier of daar weg.")
                else:
                    seen[norm] = doc.pos(tuple(at))[0]
                    phrases.append(norm)
            ctx.synonyms.setdefault((key, group[key]), []).extend(phrases)


#: The cross-rules: record kind → rule, in the order they run, which is the order of their messages. The id
#: rules come first: they build the lookup tables (terms, gemeenten, records by id) that the later rules
#: refer to. A rule is called as rule(context, kind). The per-file check (syntax, schema) is _load_one.
RULES: tuple[tuple[str, Callable[[Context, str], None]], ...] = (
    ("taxonomy", _taxonomy_terms),
    ("municipalities", _gemeente_ids),
    ("municipalities", _gemeenten),
    ("municipalities", _postcode_table),
    ("role", _record_ids),
    ("need", _record_ids),
    ("signal", _record_ids),
    ("provider", _record_ids),
    ("role", _each(_role)),
    ("need", _each(_need)),
    ("signal", _each(_signal)),
    ("provider", _each(_provider)),
    ("provider", _duplicate_providers),
    ("municipalities", _gemeente_providers),
    ("payment-guide", _payment_guide),
    ("routewijzer", _routewijzer),
    ("redirects", _redirects),
    ("synoniemen", _synonyms),
)


def _successors(redirect_docs) -> dict[str, str]:
    """Old gemeente id → the gemeente it went into, from the gemeenten/<old>/ → gemeenten/<new>/ redirects that
    'kaart gemeenten' writes after a merger."""
    out = {}
    for _, doc in redirect_docs:
        items = doc.data.get("redirects") if isinstance(doc.data, dict) else None
        for item in items or []:
            if not isinstance(item, dict):
                continue
            old, new = match("gemeente", str(item.get("from", ""))), match("gemeente", str(item.get("to", "")))
            if old and new:
                out[old] = new
    return out


_NON_DIGIT = re.compile(r"\D")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"de", "het", "een", "stichting", "van", "en", "voor", "bv", "b.v.", "vof"}


def _normalise(name: str) -> str:
    if name.isascii():  # most names: NFKD and dropping accents would change nothing
        text = name.lower()
    else:
        text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = _WORD.findall(text)
    return " ".join(w for w in words if w not in _STOP)
