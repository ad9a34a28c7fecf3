"""A municipal editor's pull request with a broken record, as the check workflow sees it: a real git repository,
a branch that changes one file, and `kaart check --format github` run from the repository root. The annotation
must point at the changed file and the line of the mistake, so GitHub shows it on that line of the diff."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, VALID_DIR

ANNOTATION = re.compile(r"::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.+)")


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Redactie", "GIT_AUTHOR_EMAIL": "redactie@voorbeeldstad.example",
           "GIT_COMMITTER_NAME": "Redactie", "GIT_COMMITTER_EMAIL": "redactie@voorbeeldstad.example"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def test_pull_request_with_a_broken_record_gets_annotations_on_the_right_line(tmp_path):
    repo = tmp_path / "sociale-kaart"
    shutil.copytree(VALID_DIR, repo / "data")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "Gegevens")

    # The editor's branch: a phone number with a typo in one provider (as in the GitHub web editor).
    git(repo, "checkout", "-q", "-b", "wijkteam-nummer")
    record = repo / "data" / "providers" / "voorbeeldstad" / "sociaal-wijkteam-voorbeeldstad.yaml"
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    number_line = next(i for i, ln in enumerate(lines) if re.match(r"\s*-?\s*number:", ln))
    lines[number_line] = re.sub(r'number: .*', 'number: "050 12"', lines[number_line])
    record.write_text("".join(lines), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Nieuw telefoonnummer wijkteam")
    changed = git(repo, "diff", "--name-only", "main...HEAD").split()
    assert changed == [record.relative_to(repo).as_posix()]

    result = subprocess.run([sys.executable, "-m", "kaart.cli", "check", "--format", "github"], cwd=repo,
                            capture_output=True, text=True, env={**os.environ, "KAART_TODAY": "2026-11-01",
                                                                 "PYTHONPATH": str(ROOT / "scripts")})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    annotations = [ANNOTATION.fullmatch(ln) for ln in result.stdout.splitlines() if ln.startswith("::")]
    assert annotations and all(annotations), result.stdout
    errors = [a for a in annotations if a.group(1) == "error"]
    assert [(a.group(2), int(a.group(3)), a.group(5)) for a in errors] == [
        (changed[0], number_line + 1, "phone-invalid")]
    assert "050 12" in errors[0].group(6) and "Oplossing" in errors[0].group(6)
