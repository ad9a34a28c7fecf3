"""Builds that cannot lose data: a killed `kaart build` leaves the previous site byte-identical, a build writes only
its --out (plus scratch space beside it that is gone afterwards), and the next build cleans up after a killed one.

(Two builds being byte-identical, and a failed build keeping the old site, are tested in test_site.py.)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from site_checks import PAGEFIND_UNSTABLE

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


KILLER = ROOT / "tests" / "kill_points.py"
VALID = ROOT / "tests" / "fixtures" / "valid"
TODAY = "2026-11-01"


def _run_with_kill_point(scope: Path, n: int) -> subprocess.CompletedProcess:
    """`kaart build` of the valid fixture into scope/site, killed just before its n-th file-system step inside
    `scope` (n = -1: not killed; the steps are listed on stderr). See tests/kill_points.py."""
    env = {**_env(), "KAART_TODAY": TODAY, "PYTHONIOENCODING": "utf-8"}
    cmd = [sys.executable, str(KILLER), str(scope), str(n), "--", "build", "--data", str(VALID),
           "--out", str(scope / "site")]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          start_new_session=True)


def _steps(stderr: str) -> list[tuple[int, str, list[str]]]:
    steps = []
    for line in stderr.splitlines():
        if line.startswith("kill-point: "):
            _, number, event, *paths = line.split(" ")
            steps.append((int(number), event, paths))
    return steps


def _kill_points(steps: list[tuple[int, str, list[str]]]) -> list[int]:
    """Where to kill: early, half-way, and every step of the hand-over, i.e. each step on `site` itself, inside it,
    or on a scratch folder as a whole (creating, renaming, removing the staging or old site). A swap that copies
    file by file has many steps inside `site`: the first three and the last two are enough to catch it."""
    def handover(path: str) -> bool:
        return path == "site" or path.startswith("site/") or (path.startswith(".site.kaart-")
                                                                and "/" not in path and "-work-" not in path)

    half = len(steps) // 2
    late = [n for n, _, paths in steps[half:] if any(handover(p) for p in paths)]
    if len(late) > 8:
        late = late[:3] + late[len(late) // 2:len(late) // 2 + 1] + late[-2:]
    return sorted({steps[0][0], steps[half][0], *late})


def test_build_killed_at_any_step_leaves_the_previous_site_whole_and_the_next_build_cleans_up(tmp_path):
    """Kill `kaart build` (SIGKILL, children too) at several steps: early, half-way, and at each step of the swap.
    After every kill `--out` must be the complete previous site, byte for byte (the rebuild is identical, so the
    complete new site is the same bytes). A swap that first deletes and then copies, or renames twice, is caught."""
    first = tmp_path / "first"
    first.mkdir()
    assert _run_with_kill_point(first, -1).returncode == 0  # a site to replace
    before = digest(first / "site")
    counted = _run_with_kill_point(first, -1)  # the same build over an existing site, listing its steps
    assert counted.returncode == 0, counted.stderr
    assert _changed(before, first / "site") == [], "two builds of the same data differ"
    mask = os.umask(0o22)
    os.umask(mask)
    assert (first / "site").stat().st_mode & 0o777 == 0o777 & ~mask, "a web server running as another user can't read it"
    steps = _steps(counted.stderr)
    points = _kill_points(steps)
    assert len(points) >= 4, steps[-10:]

    def kill_at(n: int) -> tuple[int, str, list[str]]:
        scope = tmp_path / f"kill-{n}"
        shutil.copytree(first, scope, symlinks=True)
        result = _run_with_kill_point(scope, n)
        assert result.returncode == -signal.SIGKILL, f"step {n}: the build was not killed ({result.returncode})"
        step = next(s for s in steps if s[0] == n)
        return n, step, _changed(before, scope / "site")

    with ThreadPoolExecutor(2) as pool:  # two at a time: each in its own folder with a copy of the site
        results = list(pool.map(kill_at, points))
    damaged = [f"killed before step {n} ({step[1]} {' '.join(step[2])}): {problems[:5]}"
               for n, step, problems in results if problems]
    assert not damaged, "\n".join(damaged)

    left = [tmp_path / f"kill-{n}" for n in points if _scratch(tmp_path / f"kill-{n}" / "site")]
    assert left, "expected killed builds to leave scratch folders behind"
    last = left[-1]
    assert _run_with_kill_point(last, -1).returncode == 0  # the next build removes the leftovers
    assert _scratch(last / "site") == []
    assert _changed(before, last / "site") == []


def _changed(before: dict[str, str], site: Path) -> list[str]:
    """How `site` differs from the site digested in `before`. Pagefind's filter and meta files may come out in
    another order in each build (PAGEFIND_UNSTABLE): of those only the number of files and a readable entry
    file that names an existing meta file are compared."""
    if not site.is_dir():
        return ["--out is gone"]
    after = digest(site)
    stable = {k for k in set(before) | set(after) if not PAGEFIND_UNSTABLE.match(k)}
    problems = sorted(f"{'changed' if k in before and k in after else 'missing' if k in before else 'extra'}: {k}"
                      for k in stable if before.get(k) != after.get(k))
    unstable = [sorted(k for k in tree if PAGEFIND_UNSTABLE.match(k)) for tree in (before, after)]
    if len(unstable[0]) != len(unstable[1]):
        problems.append(f"pagefind: {len(unstable[1])} filter/meta files instead of {len(unstable[0])}")
    try:
        entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        meta = f"pagefind/pagefind.{entry['languages']['nl']['hash']}.pf_meta"
        if meta not in after:
            problems.append(f"pagefind-entry.json names {meta}, which is missing")
    except (OSError, ValueError, KeyError) as exc:
        problems.append(f"pagefind-entry.json unreadable: {exc!r}")
    return problems


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


def test_next_build_puts_back_a_site_left_between_two_renames(tmp_path):
    """Where the system cannot exchange two folders, the swap renames twice; a build killed in between leaves the
    old site as `.site.kaart-old-*`. The next build puts it back first, so it is never lost."""
    from kaart.site import remove_stale

    out = tmp_path / "site"
    old = tmp_path / ".site.kaart-old-4242"
    old.mkdir()
    (old / "index.html").write_text("oud\n", encoding="utf-8")
    (tmp_path / ".site.kaart-x1y2").mkdir()  # a half-built staging folder
    remove_stale(out)
    assert (out / "index.html").read_text(encoding="utf-8") == "oud\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]

