"""Shared fixtures: a pinned reference date, a fresh copy of the valid data dir, and running the real CLI."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from site_checks import site_problems

from kaart.serve import serve_directory

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
VALID_DIR = FIXTURES / "valid"
INVALID_DIR = FIXTURES / "invalid"
#: All fixture dates are in 2026; pinning "today" keeps stale/future checks reproducible.
TODAY = "2026-11-01"

# kaart check remembers per-file results (kaart/cache.py). The tests keep theirs in a scratch dir of their own
# (one per test process), never in the developer's ~/.cache; tests/test_cache.py checks the cache itself.
import atexit  # noqa: E402
import tempfile  # noqa: E402

os.environ["KAART_CACHE_DIR"] = tempfile.mkdtemp(prefix="kaart-test-cache-")
atexit.register(shutil.rmtree, os.environ["KAART_CACHE_DIR"], True)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("KAART_TODAY", TODAY)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A private copy of tests/fixtures/valid that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(VALID_DIR, target)
    return target


def run_kaart(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `kaart` as a real child process (same interpreter, same environment)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "kaart.cli", *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


# --- one headless Chromium for every browser test in a worker -------------------------------------------------
# Playwright's sync API allows one running instance per thread: a module that starts its own while another
# module's is still open fails ("Sync API inside the asyncio loop"). So the browser is a session fixture here.

CHROMIUM = "/usr/bin/chromium"  # Debian's, as `make browser` installs it
#: Elsewhere a Chromium may be found under these names on PATH (or named in $KAART_CHROMIUM).
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def find_chromium(playwright=None) -> str:
    """The Chromium to test with: $KAART_CHROMIUM, Debian's, one on PATH, or Playwright's own download.

    Never a silent skip: without a browser the accessibility, CSP and search promises would go unchecked, so
    the browser tests fail and say how to install one (`pytest -m "not browser"` leaves them out on purpose)."""
    candidates = [os.environ.get("KAART_CHROMIUM"), CHROMIUM, *(shutil.which(n) for n in CHROMIUM_NAMES)]
    if playwright is not None:
        with contextlib.suppress(Exception):
            candidates.append(playwright.chromium.executable_path)
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    pytest.fail(f"geen Chromium gevonden ({CHROMIUM}, {', '.join(CHROMIUM_NAMES)} op PATH, $KAART_CHROMIUM): "
                "installeer het met 'make browser' (apt-get install chromium), of sla de browsertests bewust over "
                "met: pytest -m 'not browser'")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=find_chromium(p), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --- building and serving a site for tests ---------------------------------------------------------------------

def build_site(data: Path | None, out: Path, *extra: str, today: str | None = TODAY, clock: str | None = None) -> Path:
    """Run the real `kaart build` into `out` and check the promises every site keeps (tests/site_checks.py).
    `today=None` checks against the real date (the shipped data/). `clock` runs the build (and MkDocs and
    Pagefind) under Debian's faketime with that system date, e.g. "2031-02-03 04:05:06"."""
    env = {k: v for k, v in os.environ.items() if k != "KAART_TODAY"}
    env["PYTHONIOENCODING"] = "utf-8"
    if today:
        env["KAART_TODAY"] = today
    args = ["build", "--out", str(out), *extra] + (["--data", str(data)] if data else [])
    prefix = []
    if clock:
        if not shutil.which("faketime"):
            pytest.fail("faketime ontbreekt: installeer het met 'make faketime' (apt-get install faketime)")
        prefix = ["faketime", clock]
    result = subprocess.run([*prefix, sys.executable, "-m", "kaart.cli", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    problems = site_problems(out)  # every test build keeps these promises (CSP, internal links): site_checks.py
    assert not problems, "\n".join(problems[:30])
    return out


serve = serve_directory  # kaart.serve's static server: serve(directory) yields the base URL


#: axe-core as vendored from npm by `make setup` (package.json), not the copy bundled in a Python package.
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe():
    """An axe-core runner for Playwright pages, using the npm-vendored axe-core."""
    from axe_playwright_python.sync_playwright import Axe

    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} ontbreekt: voer 'make setup' (npm ci) uit")
    return Axe.from_file(AXE_JS)
