#!/usr/bin/env python3
"""Do the tests go red when a promise breaks? Apply small deliberate mistakes to a copy and run the tests.

Each mutation below breaks one promise the product makes (issue 21: found by mutating main by hand, 3 of 8 went
unnoticed then). For each, the checkout's tracked files are copied into a temporary folder, the mistake is made
there, and the tests that guard the promise run against the copy (PYTHONPATH points at the copy's scripts/, so
the copy's `kaart` is the one imported, also by the tests' `kaart build` child processes). A mutation is *caught*
when those tests fail; a mutation whose text is no longer found in the source is reported as *stale* (the code
moved: update the mutation), never as caught.

    .venv/bin/python tests/mutations.py                 # all mutations, ~4 minutes on 2 cores
    .venv/bin/python tests/mutations.py --list          # names and what each breaks
    .venv/bin/python tests/mutations.py dated-sitemap   # one or more by name

First the guarding tests run once on an unchanged copy: they must pass there (exit 2 if not). Exit 0 when every
mutation is caught, 1 when one is missed or stale. Not part of `make test` (it runs parts of the
suite several times); run it after changing a test that guards one of these promises.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutation:
    name: str
    breaks: str
    edits: tuple[tuple[str, str, str], ...]  # (file, text as it is, text with the mistake)
    tests: tuple[str, ...]  # pytest node ids or files that must fail


CSP_ORDER = ('''        ("script-src", ["'self'", "'wasm-unsafe-eval'", *sorted(script_hashes)]),
        ("style-src", ["'self'"]),''', '''        ("style-src", ["'self'"]),
        ("script-src", ["'self'", "'unsafe-inline'", "'wasm-unsafe-eval'", *sorted(script_hashes)]),''')
SWAP = ('''    if out.is_dir() and not out.is_symlink() and _exchange(staging, out):''',
        '''    if True:  # mutation: delete, then copy (a moment with half a site)
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(staging, out)
        shutil.rmtree(staging, ignore_errors=True)
        return
    if out.is_dir() and not out.is_symlink() and _exchange(staging, out):''')
DATED = ('''        stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""''',
         '''        import datetime
        stamp = f"<lastmod>{lastmod or datetime.date.today().isoformat()}</lastmod>"''')

MUTATIONS = [
    Mutation("csp-unsafe-inline-after-style-src",
             "script-src allows 'unsafe-inline' (contributors' text could run as script), written after style-src",
             (("scripts/kaart/csp.py", *CSP_ORDER),),
             ("tests/test_site.py::test_every_html_page_carries_one_strict_content_security_policy",)),
    Mutation("swap-by-delete-then-copy",
             "the build replaces the old site by deleting it and copying the new one (not atomic)",
             (("scripts/kaart/site.py", *SWAP),),
             ("tests/test_build_safety.py",)),
    Mutation("dated-sitemap",
             "the sitemap carries the build date (two builds of the same data differ)",
             (("scripts/kaart/site.py", *DATED),),
             ("tests/test_search.py::test_build_is_reproducible_apart_from_pagefind_filter_order",)),
    Mutation("three-at-once",
             "the three above together",
             (("scripts/kaart/csp.py", *CSP_ORDER), ("scripts/kaart/site.py", *SWAP), ("scripts/kaart/site.py", *DATED)),
             ("tests/test_site.py::test_every_html_page_carries_one_strict_content_security_policy",
              "tests/test_build_safety.py",
              "tests/test_search.py::test_build_is_reproducible_apart_from_pagefind_filter_order")),
    Mutation("hard-coded-role-link",
             "a gemeente page links a role by a fixed id, which a data dir without that role does not have",
             (("scripts/kaart/render.py",
               '''        more = f' {self.a(here, url("role", role.id), "Meer over cliëntondersteuning")}.' if role else ""''',
               '''        more = f' {self.a(here, "rollen/onafhankelijke-clientondersteuner/", "Meer over cliëntondersteuning")}.\''''),),
             ("tests/test_redirects.py::test_build_writes_a_forwarding_page_at_the_old_address",
              "tests/test_mijn_overzicht.py::test_keyboard_remove_and_role_pages")),
    Mutation("new-need-with-fixed-role",
             "`kaart new need` writes a role id that the data dir may not have",
             (("scripts/kaart/scaffold.py", 'role=first["roles"],', 'role="sociaal-wijkteam",'),),
             ("tests/test_cli.py",)),
    Mutation("fast-parser-never-runs",
             "the fast YAML path silently never runs, so the differential tests compare libyaml with itself",
             (("scripts/kaart/load.py", "def _fast_load(text: str, raw: bytes):",
               "def _fast_load(text: str, raw: bytes):\n    return None\n\n\ndef _unused_fast_load(text: str, raw: bytes):"),),
             ("tests/test_fast_parser.py",)),
    Mutation("public-build-shows-overlay",
             "a public build that is handed the private overlay shows the warm contacts",
             (("scripts/kaart/site.py", '''    professional: dict = {}
    if audience == "professional":''', '''    professional: dict = {}
    if private is not None:'''),
              ("scripts/kaart/render.py", '''        if self.s.audience == "professional":
            parts.append(self.professional_section(rec))''', '''        if self.s.professional.get(rec.id):  # mutation: the contacts as plain text
            parts.append(esc(repr(self.s.professional[rec.id])))
        if self.s.audience == "professional":
            parts.append(self.professional_section(rec))''')),
             ("tests/test_professional.py::test_public_build_contains_no_overlay_value_in_any_file",)),
]


def snapshot(target: Path) -> None:
    """The checkout's files as they are now (tracked and new, not ignored), so every run sees the same code even
    while someone goes on editing the checkout."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def run(mutation: Mutation, source: Path, quiet: bool) -> str:
    """'caught', 'missed', 'stale' or 'error …' for one mutation (no edits: the unmutated baseline)."""
    with tempfile.TemporaryDirectory(prefix=f"kaart-mutant-{mutation.name}-") as tmp:
        copy = Path(tmp) / "checkout"
        shutil.copytree(source, copy, symlinks=True)
        for file, before, after in mutation.edits:
            path = copy / file
            text = path.read_text(encoding="utf-8")
            if text.count(before) != 1:
                return "stale"
            path.write_text(text.replace(before, after), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(copy / "scripts"), "PYTHONDONTWRITEBYTECODE": "1"}
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
                                 *mutation.tests], cwd=copy, env=env, capture_output=True, text=True)
        lines = result.stdout.strip().splitlines()
        if not quiet:
            print("  " + (lines[-1] if lines else result.stderr[-500:]))
            # the first assertion that failed: so a reader sees the test went red for the right reason
            reason = next((line for line in lines if re.match(r"E\s+\w", line)), None)
            if reason:
                print("  " + reason[:300])
        broken = re.search(r"^E\s+(ModuleNotFoundError|ImportError|SyntaxError|NameError|IndentationError)\b.*$",
                           result.stdout, re.MULTILINE)
        if broken:  # the mutated code does not even load: that says nothing about the tests
            return f"error (the copy does not load: {broken.group(0)[:200].strip()})"
        if result.returncode == 1:
            return "caught"
        if result.returncode == 0:
            return "missed"
        return f"error (pytest exit {result.returncode}): {result.stderr.strip()[-300:]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Apply deliberate mistakes to a copy of the checkout and report whether the tests catch them.",
        epilog="Example: .venv/bin/python tests/mutations.py dated-sitemap swap-by-delete-then-copy")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="mutations to run (default: all; see --list)")
    parser.add_argument("--list", action="store_true", help="print the mutations and what each breaks, then stop")
    parser.add_argument("--quiet", action="store_true", help="print only the final table")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the first run of the guarding tests on an unchanged copy (they must pass there)")
    args = parser.parse_args(argv)
    known = {m.name: m for m in MUTATIONS}
    if args.list:
        for m in MUTATIONS:
            print(f"{m.name}: {m.breaks}")
        return 0
    unknown = [n for n in args.names if n not in known]
    if unknown:
        parser.error(f"unknown mutation {', '.join(unknown)}; choose from: {', '.join(known)}")
    chosen = [known[n] for n in args.names] or MUTATIONS
    with tempfile.TemporaryDirectory(prefix="kaart-mutants-") as tmp:
        source = Path(tmp) / "checkout"
        snapshot(source)
        (source / "node_modules").symlink_to(ROOT / "node_modules")  # vendored front-end files, read only
        return _run_all(chosen, source, args)


def _run_all(chosen: list[Mutation], source: Path, args) -> int:
    if not args.no_baseline:  # the guarding tests pass on the copy as it is, or "caught" would mean nothing
        tests = tuple(dict.fromkeys(t for m in chosen for t in m.tests))
        if not args.quiet:
            print("== baseline: the same tests on an unchanged copy", flush=True)
        baseline = run(Mutation("baseline", "nothing", (), tests), source, args.quiet)
        if baseline != "missed":
            print(f"baseline: the tests do not pass on an unchanged copy ({baseline}); fix that first",
                  file=sys.stderr)
            return 2
    results = []
    for m in chosen:
        if not args.quiet:
            print(f"== {m.name}: {m.breaks}", flush=True)
        start = time.monotonic()
        results.append((m, run(m, source, args.quiet), time.monotonic() - start))
    print("\n| mutation | result | s |\n|---|---|---:|")
    for m, outcome, seconds in results:
        print(f"| {m.name} | {outcome} | {seconds:.0f} |")
    caught = sum(outcome == "caught" for _, outcome, _ in results)
    print(f"\n{caught} of {len(results)} caught")
    return 0 if caught == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
