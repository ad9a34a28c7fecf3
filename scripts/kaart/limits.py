"""Named limits. Every bound the loader or validator enforces lives here."""

import datetime as _dt

#: Largest YAML file we read. A real record is a few KB; anything far bigger is a mistake or an attack.
MAX_FILE_BYTES = 256 * 1024
#: Deepest nesting of mappings/lists in one file (our schemas need at most 6).
MAX_DEPTH = 12
#: Most values (scalars + containers) in one file; guards against huge flat lists.
MAX_NODES = 20_000
#: Longest free-text field (description, summary…). Longer text belongs on the provider's own site.
MAX_TEXT_LENGTH = 2_000
#: Longest short field (name, title, label).
MAX_NAME_LENGTH = 120
#: Longest record id / slug.
MAX_ID_LENGTH = 80
#: Default age, in months, after which a record counts as stale.
STALE_MONTHS = 12
#: Average month length in days, for STALE_MONTHS and the ages `kaart stale` shows.
DAYS_PER_MONTH = 30.44
#: Characters of context printed for a YAML syntax error.
SNIPPET_CHARS = 60
#: Most records listed in one monthly "Controleronde" issue (GitHub refuses bodies over 65 536 characters).
MAX_ROUND_ITEMS = 100
#: Largest file `kaart import` reads. Our own HSDS export (organizations.json) is ~5.6 MB per 1 000 providers
#: (terms named by id only), so 10 000 are ~56 MB and fit; reading such a file peaks at ~7.5 MB of memory per MB
#: of JSON (412 MB for the 56 MB of 10 000 providers, benchmarks/bench_import.py), so this bound keeps an import
#: under ~0.5 GB. A bigger map comes in through the HSDS tables (one row per line) or in parts.
MAX_IMPORT_BYTES = 64 * 1024 * 1024
#: Most rows (or HSDS organisations) in one import; a bigger map is imported in parts.
MAX_IMPORT_ROWS = 50_000
#: Longest cell `kaart import` reads from a CSV file (the csv module's own default; set for each read, because
#: other libraries, such as frictionless, raise the module-wide limit when they are imported).
MAX_IMPORT_CELL_CHARS = 128 * 1024


def is_stale(day: _dt.date, reference: _dt.date, months: int = STALE_MONTHS) -> bool:
    """The one definition of stale: last verified on `day`, more than `months` months before `reference`.
    Used by the `stale` warning of `kaart check` (validate.py) and by `kaart stale` (editors.py)."""
    return (reference - day).days > months * DAYS_PER_MONTH
#: Routewijzer: a visitor answers at most this many questions, the gemeente question included (issue 17).
ROUTE_MAX_QUESTIONS = 4
#: Routewijzer: words per sentence in a question or answer (B1: short sentences; most guides say 10-15).
ROUTE_MAX_WORDS = 12
