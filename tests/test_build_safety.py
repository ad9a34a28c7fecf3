"""Builds that cannot lose data: a killed `kaart build` leaves the previous site byte-identical, a build writes only
its --out (plus scratch space beside it that is gone afterwards), and the next build cleans up after a killed one.

(Two builds being byte-identical, and a failed build keeping the old site, are tested in test_site.py.)
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k != "KAART_TODAY"}


def _cmd(out: Path) -> list[str]:
    return [sys.executable, "-m", "kaart.cli", "build", "--data", str(DATA), "--out", str(out)]


def _build(out: Path) -> None:
    result = subprocess.run(_cmd(out), cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def digest(root: Path) -> dict[str, str]:
    """Every file and directory under root (hidden ones too) with the hash of its bytes."""
    tree = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        tree[rel] = "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return tree


def _scratch(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.glob(f".{out.name}.kaart-*"))


@pytest.fixture(scope="module")
def first_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("safety") / "public" / "site"
    _build(out)
    return out


def test_killed_build_leaves_the_previous_site_intact_and_the_next_build_cleans_up(first_site):
    out = first_site
    before = digest(out)
    proc = subprocess.Popen(_cmd(out), cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        staging = []
        while time.monotonic() < deadline and proc.poll() is None:
            staging = [n for n in _scratch(out) if "-work-" not in n and "-old-" not in n]
            # Wait until MkDocs has started writing into the staging dir: then the build is really mid-way.
            if staging and any((out.parent / staging[0]).iterdir()):
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the build finished before it could be interrupted"
        assert staging, "no staging dir beside --out appeared"
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its MkDocs/Pagefind children
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert digest(out) == before, "the interrupted build changed the previous site"
    assert _scratch(out), "expected the killed build's scratch dirs to be left over (the test did not interrupt)"

    _build(out)  # the next build removes the leftovers
    assert _scratch(out) == []
    assert (out / "index.html").is_file()  # byte-identical rebuilds: test_site.py


def test_build_writes_nothing_outside_out(tmp_path):
    parent = tmp_path / "public"
    out = parent / "site"
    sibling = parent / "andere-map"
    sibling.mkdir(parents=True)
    (sibling / "bewaar.txt").write_text("niet aankomen\n", encoding="utf-8")
    (parent / "notitie.txt").write_text("ook niet\n", encoding="utf-8")
    before = digest(parent)

    _build(out)

    after = {k: v for k, v in digest(parent).items() if k != "site" and not k.startswith("site/")}
    assert after == before, sorted(set(after.items()) ^ set(before.items()))[:10]
    assert (out / "index.html").is_file()
    assert not list(parent.glob(".site.kaart-*")), "scratch dirs left beside --out"
