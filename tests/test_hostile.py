"""Hostile input: every case in tests/fixtures/hostile/ is either refused by `kaart check` with its named error
(exit 1, `path:line:col`, no traceback) or built into a page where it shows as text and nothing executes.

The safe-render cases are built together, into a copy of data/, with the real `kaart build` once per session.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import serve
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaart.markup import rich

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
EXPECTED = yaml.safe_load((HOSTILE / "expected.yaml").read_text(encoding="utf-8"))
CASES = sorted(p.stem for p in HOSTILE.glob("*.yaml") if p.name != "expected.yaml")
SAFE = sorted(n for n, s in EXPECTED.items() if s["expect"] == "safe-render")
REFUSED = sorted(n for n, s in EXPECTED.items() if s["expect"] != "safe-render")
DEFAULT_DIR = "providers/voorbeeldstad"
PAGE_DIR = {"providers": "aanbieders", "roles": "rollen", "needs": "hulpvragen"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRS = ("href", "src", "action", "formaction", "srcset", "xlink:href", "poster", "background")


def _env() -> dict:
    # The copy of data/ is checked against the real date (its verified dates are real).
    return {k: v for k, v in os.environ.items() if k != "KAART_TODAY"} | {"PYTHONIOENCODING": "utf-8"}


def _kaart(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaart.cli", *args], cwd=ROOT, env=_env(), capture_output=True,
                          text=True, timeout=timeout)


def _bytes(name: str) -> bytes:
    raw = (HOSTILE / f"{name}.yaml").read_bytes()
    transform = EXPECTED[name].get("transform")
    if transform is None:
        return raw
    if transform == "invalid-utf8":
        return raw.replace(b"Testaanbieder", b"Test\xff\xfeaanbieder", 1)
    if transform == "utf-8-bom":
        return b"\xef\xbb\xbf" + raw
    if transform == "utf-16":
        return raw.decode("utf-8").encode("utf-16")
    if transform == "five-mb":
        return raw + b"# opvulling\n" * (5 * 1024 * 1024 // 12)
    raise AssertionError(f"unknown transform {transform!r}")


def _place(name: str, data: Path) -> Path:
    target = data / EXPECTED[name].get("dir", DEFAULT_DIR) / (name.replace("_", "-") + ".yaml")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(_bytes(name))
    return target


def _page_url(name: str) -> str:
    folder = EXPECTED[name].get("dir", DEFAULT_DIR).split("/")[0]
    return f"{PAGE_DIR[folder]}/{name.replace('_', '-')}/"


def test_every_case_has_an_expectation_and_every_expectation_a_case():
    assert sorted(EXPECTED) == CASES
    assert len(CASES) >= 40


@pytest.fixture(scope="session")
def clean_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("hostile-data") / "data"
    shutil.copytree(ROOT / "data", data)
    return data


@pytest.mark.parametrize("name", REFUSED)
def test_refused_with_its_error(name, clean_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(clean_data, data)
    target = _place(name, data)
    spec = EXPECTED[name]
    result = _kaart("check", "--data", str(data), timeout=60)  # speed: benchmarks/, not a wall-clock assert here
    out = result.stdout + result.stderr
    assert "Traceback" not in out
    severity = spec.get("severity", "error")
    line = re.compile(rf"^{re.escape(str(target))}:{spec['line']}:\d+: {severity}: \[{re.escape(spec['expect'])}\]",
                      re.MULTILINE)
    assert line.search(result.stdout), f"{name}: expected {severity} [{spec['expect']}] at line {spec['line']}:\n{out}"
    if severity == "error":
        assert result.returncode == 1, out
    else:
        assert result.returncode == 0, out
        assert f"{target}:" not in "\n".join(ln for ln in result.stdout.splitlines() if ": error: " in ln)
    assert not Path("/tmp/kaart-pwned").exists(), "a YAML tag ran a command"


@pytest.fixture(scope="session")
def hostile_site(clean_data, tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("hostile-all") / "data"
    shutil.copytree(clean_data, data)
    for name in SAFE:
        _place(name, data)
    check = _kaart("check", "--data", str(data), timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    out = data.parent / "site"
    result = _kaart("build", "--data", str(data), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def _squash(value: str) -> str:
    # Browsers ignore ASCII whitespace and control characters inside a URL scheme ("java\tscript:").
    return re.sub(r"[\x00-\x20]", "", value).lower()


def _executable(script) -> bool:
    return (script.get("type") or "").lower() in ("", "text/javascript", "application/javascript", "module")


def test_no_executable_content_anywhere_in_the_built_site(hostile_site):
    problems = []
    for html_file in sorted(hostile_site.rglob("*.html")):
        doc = _soup(html_file)
        rel = html_file.relative_to(hostile_site)
        content = doc.find("article")
        for tag in doc.find_all(True):
            for attr, value in tag.attrs.items():
                if attr.lower().startswith("on"):
                    problems.append(f"{rel}: <{tag.name} {attr}=…>")
                if attr.lower() in URL_ATTRS:
                    values = value if isinstance(value, list) else [value]
                    if any(_squash(v).startswith(BAD_SCHEMES) for v in values):
                        problems.append(f"{rel}: <{tag.name} {attr}={value!r}>")
        for name in ("iframe", "object", "embed", "frame", "base"):
            problems += [f"{rel}: <{name}> in the content" for _ in (content.find_all(name) if content else [])]
        if content is not None:
            problems += [f"{rel}: <style> in the content" for _ in content.find_all("style")]
            problems += [f"{rel}: <svg> in the content" for _ in content.find_all("svg")]
        for script in doc.find_all("script"):
            if script.get("src"):
                src = script["src"]
                if "://" in src or src.startswith("//"):
                    problems.append(f"{rel}: outside script {src}")
                continue
            if _executable(script):
                if content is not None and content in script.parents:
                    problems.append(f"{rel}: inline script inside the content")
                if "alert" in script.get_text():
                    problems.append(f"{rel}: injected script {script.get_text()[:80]!r}")
            elif script.get("type") == "application/ld+json":
                raw = script.get_text()
                if "</script" in raw.lower():
                    problems.append(f"{rel}: '</script' inside JSON-LD")
                json.loads(raw)
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("name", SAFE)
def test_payload_is_shown_as_text(name, hostile_site):
    page = hostile_site / _page_url(name) / "index.html"
    assert page.is_file(), f"{name}: no page at {_page_url(name)}"
    doc = _soup(page)
    # What a visitor sees: the content, and the page title in the browser tab (a need's name is only there).
    text = " ".join((doc.find("article").get_text(" ") + " " + doc.title.get_text()).split())
    payload = " ".join(EXPECTED[name]["payload"].split())
    if name.startswith("markdown_"):
        # Link syntax may legitimately become a (safe) link; the words around it must still be there.
        assert "Lees dit:" in text, text[:400]
        for a in doc.find("article").find_all("a", href=True):
            assert _squash(a["href"]).startswith(("https:", "mailto:", "tel:", "../", "./", "#")) or \
                not re.match(r"^[a-z][a-z0-9+.-]*:", _squash(a["href"])), a
    else:
        assert payload in text, f"{name}: {payload!r} not visible on the page"


def test_injected_names_stay_text_in_titles_and_json_ld(hostile_site):
    doc = _soup(hostile_site / _page_url("provider_name_injection") / "index.html")
    assert "<script>" in doc.title.get_text()
    data = [json.loads(s.get_text()) for s in doc.find_all("script", type="application/ld+json")]
    assert '<script>alert("xss")</script>' in repr(data), data  # the decoded name, intact, as data


_ALLOWED_TAGS = {"strong", "em", "a"}
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_ALPHABET = st.sampled_from(list("[]()<>*&#;:/\"' \t\nabcjsvpt") + ["javascript:", "https://a.nl", "data:",
                                                                    "vbscript:", "mailto:x@y.nl", "tel:1",
                                                                    "&#106;", "<script>", "onerror=", "**", "`"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=40).map("".join) | st.text(max_size=200))
def test_rich_text_never_yields_tags_or_links_outside_the_subset(text):
    out = rich(text)
    for closing, tag, attrs in _TAG.findall(out):
        assert tag.lower() in _ALLOWED_TAGS, out
        if tag.lower() == "a" and not closing:
            hrefs = re.findall(r'href="([^"]*)"', attrs)
            assert len(hrefs) == 1 and re.sub(r"[\x00-\x20]", "", hrefs[0]).lower().startswith(
                ("https://", "mailto:", "tel:")), out
            assert re.fullmatch(r'\s*href="[^"]*"\s*', attrs), out
        elif attrs.strip():
            assert False, f"attributes on <{tag}>: {out}"
    assert "javascript:" not in re.sub(r"[\x00-\x20]", "", " ".join(re.findall(r'href="([^"]*)"', out))).lower()


@pytest.mark.browser
def test_no_dialog_opens_on_hostile_pages_in_a_real_browser(hostile_site, browser):
    """What a visitor would notice: an injected alert() would open a dialog. Load every hostile page and search."""
    dialogs: list[str] = []
    with serve(hostile_site) as base:
        context = browser.new_context()  # the session's one browser (conftest.browser)
        context.route(lambda url: not url.startswith(base), lambda route: route.abort())
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        for name in SAFE:
            page.goto(base + _page_url(name), wait_until="load")
            for link in page.locator("article a").all()[:20]:
                if link.is_visible():
                    link.hover(timeout=2000)  # onmouseover payloads
        page.goto(base + "zoeken/?q=alert")
        page.wait_for_selector(".kaart-result", timeout=15000)
        page.wait_for_load_state("networkidle")  # every result's fragment is fetched and shown
        context.close()
    assert dialogs == []
