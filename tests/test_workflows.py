"""The GitHub Actions workflows: least privilege, pinned actions, the data check on every pull request."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
ZIZMOR = Path(sys.executable).parent / "zizmor"
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
#: The only jobs that may write anything, and exactly what. None of them runs code from the repository on
#: input from outside: they download what a read-only job produced and call the GitHub API.
WRITE_JOBS = {("deploy.yml", "deploy"): {"pages", "id-token"},
              ("nieuwe-aanbieder.yml", "voorstellen"): {"contents", "pull-requests", "issues"},
              ("controleronde.yml", "issues"): {"issues"}}


def load(name: str) -> dict:
    # PyYAML (YAML 1.1) reads the key `on` as True; accept both spellings.
    doc = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in doc:
        doc["on"] = doc.pop(True)
    return doc


def all_workflows() -> list[str]:
    return sorted(p.name for p in WORKFLOWS.glob("*.y*ml"))


def triggers(doc: dict) -> set[str]:
    on = doc["on"]
    return {on} if isinstance(on, str) else set(on)


def steps(doc: dict):
    for job_id, job in doc["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def test_both_workflows_exist():
    assert {"check.yml", "deploy.yml", "nieuwe-aanbieder.yml", "controleronde.yml"} <= set(all_workflows())


@pytest.mark.parametrize("name", all_workflows())
def test_no_expressions_inside_run_scripts(name):
    """Text from issues (or anything else) reaches scripts through env: a ${{ }} in `run:` is pasted into
    the shell script before it runs (script injection)."""
    for job_id, step in steps(load(name)):
        assert "${{" not in step.get("run", ""), f"{name}:{job_id}: '${{{{ }}}}' inside run:; pass it via env"


def test_issue_workflow_converts_checks_and_comments_in_dutch():
    doc = load("nieuwe-aanbieder.yml")
    assert triggers(doc) == {"issues"}
    assert "nieuwe aanbieder" in doc["jobs"]["omzetten"]["if"]
    runs = "\n".join(step.get("run", "") for _, step in steps(doc))
    assert "kaart from-issue" in runs and "kaart check" in runs
    assert "gh pr create" in runs and "gh issue comment" in runs
    convert = next(s for _, s in steps(doc) if s.get("id") == "omzetten")
    assert convert["env"]["ISSUE_BODY"] == "${{ github.event.issue.body }}"  # via env, not in the script
    assert doc["jobs"]["omzetten"]["permissions"] == {"contents": "read"}


def test_verification_round_runs_monthly_and_updates_one_issue_per_gemeente():
    doc = load("controleronde.yml")
    cron = doc["on"]["schedule"][0]["cron"].split()
    assert cron[2] != "*" and cron[3] == "*", "once a month"
    runs = "\n".join(step.get("run", "") for _, step in steps(doc))
    assert "kaart stale --issues" in runs
    assert "gh issue edit" in runs and "gh issue create" in runs


@pytest.mark.parametrize("name", all_workflows())
def test_never_pull_request_target(name):
    assert "pull_request_target" not in triggers(load(name))
    code = [ln.split("#", 1)[0] for ln in (WORKFLOWS / name).read_text().splitlines()]
    assert not any("pull_request_target" in ln for ln in code)


@pytest.mark.parametrize("name", all_workflows())
def test_top_level_permissions_read_only(name):
    assert load(name)["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("name", all_workflows())
def test_write_permissions_only_in_deploy_job(name):
    for job_id, job in load(name)["jobs"].items():
        perms = job.get("permissions", {})
        assert isinstance(perms, dict), f"{name}:{job_id}: write-all/read-all is not allowed"
        writes = {k for k, v in perms.items() if v == "write"}
        if (name, job_id) in WRITE_JOBS:
            assert writes == WRITE_JOBS[(name, job_id)]
            assert not any(step.get("uses", "").startswith("actions/checkout@") for step in job["steps"]), \
                f"{name}:{job_id} writes; it must not check out and run the repository's code"
        else:
            assert not writes, f"{name}:{job_id} asks for write permission: {writes}"


@pytest.mark.parametrize("name", all_workflows())
def test_every_action_pinned_to_a_commit_with_version_comment(name):
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    uses = [(job, step["uses"]) for job, step in steps(load(name)) if "uses" in step]
    assert uses
    for job, ref in uses:
        assert SHA_PIN.match(ref), f"{name}:{job}: '{ref}' is not pinned to a 40-hex commit SHA"
        assert re.search(re.escape(ref) + r" # v\d+\.\d+\.\d+$", text, re.M), f"{ref}: no '# vX.Y.Z' comment"


@pytest.mark.parametrize("name", all_workflows())
def test_checkout_without_persisted_credentials_and_jobs_have_timeouts(name):
    doc = load(name)
    for job_id, job in doc["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 60, f"{name}:{job_id}"
    for job_id, step in steps(doc):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
    assert "group" in doc["concurrency"]


def test_check_workflow_on_pull_request_annotates_builds_and_keeps_a_preview():
    doc = load("check.yml")
    assert "pull_request" in triggers(doc)
    runs = [step.get("run", "") for _, step in steps(doc)]
    assert any(re.search(r"(^|/)kaart check --format github\b", r) for r in runs)
    assert any(re.search(r"(^|/)kaart build\b", r) for r in runs)
    assert any("make test" in r for r in runs)
    uploads = [step for _, step in steps(doc) if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["path"].rstrip("/") == "site"


def test_deploy_workflow_publishes_main_to_pages():
    doc = load("deploy.yml")
    assert doc["on"]["push"]["branches"] == ["main"]
    used = {step["uses"].split("@")[0] for _, step in steps(doc) if "uses" in step}
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= used
    assert doc["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    assert doc["concurrency"]["cancel-in-progress"] is False


def test_zizmor_finds_nothing_medium_or_worse():
    if not ZIZMOR.exists():
        pytest.fail(f"zizmor ontbreekt in {ZIZMOR.parent}: installeer de testpakketten met 'make setup'")
    result = subprocess.run([str(ZIZMOR), "--offline", "--min-severity", "medium", "--format", "plain",
                             str(WORKFLOWS)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


# --- templates for editors and citizens --------------------------------------------------------------

TEMPLATES = ROOT / ".github" / "ISSUE_TEMPLATE"
FIELD_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def forms() -> list[str]:
    return sorted(p.name for p in TEMPLATES.glob("*.yml") if p.name != "config.yml")


@pytest.mark.parametrize("name", forms())
def test_issue_forms_are_valid_issue_form_syntax(name):
    form = yaml.safe_load((TEMPLATES / name).read_text(encoding="utf-8"))
    assert form["name"] and form["description"] and form["body"]
    ids = [field["id"] for field in form["body"] if "id" in field]
    assert len(ids) == len(set(ids)), "ids in one form must be unique"
    for field in form["body"]:
        assert field["type"] in FIELD_TYPES
        assert field["attributes"].get("label" if field["type"] != "markdown" else "value")
        if field["type"] == "dropdown":
            assert field["attributes"]["options"]


def test_expected_forms_exist():
    assert set(forms()) == {"fout-melden.yml", "nieuwe-aanbieder.yml", "nieuwe-rol-of-hulpvraag.yml"}
    config = yaml.safe_load((TEMPLATES / "config.yml").read_text(encoding="utf-8"))
    assert config["blank_issues_enabled"] is False
    assert all(link["url"].startswith("https://") for link in config["contact_links"])


def test_error_report_form_prefills_record_and_has_the_categories():
    """The site links every record page to …/issues/new?template=fout-melden.yml&record=<id>."""
    form = yaml.safe_load((TEMPLATES / "fout-melden.yml").read_text(encoding="utf-8"))
    by_id = {field.get("id"): field for field in form["body"]}
    assert by_id["record"]["type"] == "input"
    dropdown = [f for f in form["body"] if f["type"] == "dropdown"]
    assert dropdown[0]["attributes"]["options"] == [
        "gegevens onduidelijk", "contact klopt niet / geen reactie", "gestopt", "verkeerd gebied", "anders"]


def test_pull_request_template_has_a_checklist():
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert text.count("- [ ]") >= 4
    assert "verified.date" in text
