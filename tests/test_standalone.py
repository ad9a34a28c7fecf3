"""The repository stands on its own: nothing in it reads files beside the checkout (a fresh clone has no team
folder beside it).

.ci/run proves it for real by running `make test` in a clone inside an empty folder; this test names the offending
line early, on a developer's machine where the team folder beside it does exist."""

from __future__ import annotations

import re
import subprocess

from conftest import ROOT

#: The team folder one level up (dot-dot, slash, "shared"), or a path built from the checkout's parent folder and
#: "shared".
OUTSIDE = re.compile(r"\.\./shared|parents?\b[^\n]*[\"']shared[\"']")


def test_nothing_reads_beside_the_checkout():
    files = subprocess.run(["git", "ls-files", "scripts", "tests", "benchmarks", "Makefile", ".ci", "pyproject.toml",
                            "mkdocs.yml"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert len(files) > 20, "git ls-files found almost nothing: is this a checkout?"
    offending = []
    for name in files:
        if name == "tests/test_standalone.py":
            continue
        path = ROOT / name
        if not path.is_file() or path.suffix in {".png", ".json"}:
            continue
        for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line) and not line.lstrip().startswith("#"):  # a comment reads nothing
                offending.append(f"{name}:{number}: {line.strip()}")
    assert not offending, "Deze regels lezen buiten de repository (kopieer wat nodig is naar de repo):\n" + \
        "\n".join(offending)


def test_ci_runs_the_readme_test_command_in_a_clean_clone():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "git clone" in ci and "make test" in ci
    assert "make test" in (ROOT / "README.md").read_text("utf-8")


def test_browser_tests_fail_loudly_without_chromium(monkeypatch):
    """Without a browser the accessibility and CSP promises would go unchecked: that is a failure, not a skip."""
    import conftest
    import pytest

    monkeypatch.setattr(conftest, "CHROMIUM", "/bestaat/niet/chromium")
    monkeypatch.delenv("KAART_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", "/bestaat/niet")
    with pytest.raises(pytest.fail.Exception, match="make browser"):
        conftest.find_chromium()
