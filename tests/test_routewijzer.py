"""The Routewijzer ("Waar kan ik terecht?", data/routewijzer.yaml): the real route reaches every hulpvraag in at
most 4 questions, urgent answers go to 112/113/Veilig Thuis first, and the built pages are plain linked pages
(no form that sends an answer anywhere; the steps after the first question are out of search and the sitemap).
The rules of `kaart check` for the route have golden fixtures (tests/fixtures/invalid/routewijzer_*.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, build_site

from kaart import limits, routes, validate
from kaart.pages import url

DATA = ROOT / "data"


@pytest.fixture(scope="module")
def model():
    found, problems = validate.check(DATA, use_cache=False)
    assert found is not None, [p for p in problems if p.severity == "error"][:5]
    assert not [p for p in problems if p.code.startswith("route-")], problems
    return found


def _ways(route: dict):
    """Every way through the route: (the questions asked, the end it reaches) — the gemeente question not counted."""
    questions = {q["id"]: q for q in route["questions"]}

    def walk(qid: str, asked: tuple):
        assert qid not in asked, f"rondje: {asked + (qid,)}"
        for answer in questions[qid]["answers"]:
            kind, key = routes.target(answer)
            if kind == routes.QUESTION:
                yield from walk(key, asked + (qid,))
            else:
                yield asked + (qid,), (kind, key), answer

    yield from walk(route["start"], ())


def test_the_route_reaches_every_hulpvraag(model):
    """Issue 17, done when: the Routewijzer reaches every hulpvraag (every record in data/needs/)."""
    reached = {key for _, (kind, key), _ in _ways(model.route) if kind == routes.NEED}
    assert reached == set(model.needs), sorted(set(model.needs) - reached)
    assert routes.graph(model.route).needs == set(model.needs)


def test_no_way_asks_more_than_four_questions_with_the_gemeente_question(model):
    ways = list(_ways(model.route))
    longest = max(len(asked) + (kind == routes.NEED) for asked, (kind, _), _ in ways)
    assert longest <= limits.ROUTE_MAX_QUESTIONS == 4
    g = routes.graph(model.route)
    assert all(g.total(qid) <= 4 for qid in g.depth)


def test_every_urgent_answer_goes_to_the_crisis_page_and_stands_first(model):
    urgent = [(asked, end) for asked, end, answer in _ways(model.route) if answer.get("urgent")]
    assert urgent and all(end == (routes.CRISIS, "") for _, end in urgent)
    texts = {a["answer"] for q in model.route["questions"] for a in q["answers"] if a.get("urgent")}
    assert {"Iemand is nu in gevaar", "Ik denk aan zelfdoding"} <= texts
    for q in model.route["questions"]:
        order = [bool(a.get("urgent")) for a in routes.ordered_answers(q)]
        assert order == sorted(order, reverse=True), q["id"]


def test_the_crisis_page_names_112_first_then_113_and_veilig_thuis_with_their_real_numbers(model):
    lines = model.route["crisis"]["lines"]
    assert [line["numbers"][0] for line in lines[:3]] == ["112", "113", "0800 2000"]
    for line in lines:
        if line.get("provider"):
            rec = model.providers[line["provider"]]
            assert rec.gemeente == "landelijk" and rec.data["always_available"]
            phones = {re.sub(r"\D", "", p["number"]) for p in rec.data["phones"]}
            assert {re.sub(r"\D", "", n) for n in line["numbers"] if len(n) > 4} <= phones
        else:
            assert any(s["url"].startswith(("https://www.112.nl", "https://www.rijksoverheid.nl"))
                       for s in line["sources"])


def test_every_question_and_answer_is_short_plain_dutch(model):
    """The measurable B1 rule of kaart check, on the real text: at most 12 words per sentence, no jargon."""
    jargon = [j["word"].casefold() for j in model.route["jargon"]]
    for q in model.route["questions"]:
        for text in [q["question"], q.get("help", "")] + [a["answer"] for a in q["answers"]]:
            for sentence in re.findall(r"[^.?!]+", text):
                assert len(sentence.split()) <= limits.ROUTE_MAX_WORDS, sentence
            assert not [w for w in jargon if w in text.casefold()], text


# --- the built pages ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(None, tmp_path_factory.mktemp("route") / "site", today=None)


def _page(site: Path, address: str) -> str:
    return (site / address / "index.html").read_text(encoding="utf-8")


def _links(html: str) -> list[str]:
    """The answer links of a route page (render.Renderer.a writes href first)."""
    return re.findall(r'<a href="([^"]+)" class="kaart-route-answer', html.split('class="kaart-page', 1)[1])


def test_every_answer_is_a_link_to_a_page_that_exists_and_the_walk_reaches_every_hulpvraag(site, model):
    """Follow the answer links of the built pages from /routewijzer/ (as a visitor without JavaScript would)."""
    todo, seen, ends = [url("routewijzer")], set(), set()
    while todo:
        address = todo.pop()
        if address in seen:
            continue
        seen.add(address)
        html = _page(site, address)
        for href in _links(html):
            target = (Path("/" + address) / href).resolve().as_posix().lstrip("/") + "/"
            assert (site / target / "index.html").is_file(), (address, href)
            assert "?" not in href, href  # the answers are in the address of a static page, never in a query
            if target.startswith(url("routewijzer")):
                todo.append(target)
            else:
                ends.add(target)
    assert {url("need", n) for n in model.needs} <= ends
    assert url("route_crisis") in seen
    assert {url("gemeente_need", "voorbeeldstad", n) for n in model.needs} <= ends


def test_route_pages_send_nothing_and_only_the_start_page_is_indexed(site, model):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/routewijzer/</loc>" in sitemap
    assert "/routewijzer/geld/" not in sitemap and "/routewijzer/nu-hulp/" not in sitemap
    start = _page(site, url("routewijzer"))
    assert "data-pagefind-body" in start and 'name="robots"' not in start
    for address in (url("route_step", "geld"), url("route_gemeente", "schulden"), url("route_crisis")):
        html = _page(site, address)
        assert '<meta name="robots" content="noindex">' in html and "data-pagefind-body" not in html
        assert not re.search(r"<form[^>]*\baction=", html.split('class="kaart-page', 1)[1]), address
    step = _page(site, url("route_step", "geld"))
    assert "<h1>Wat past het best bij u?</h1>" in step and "Vraag 3 van 4" in step and ">Terug</a>" in step
    crisis = _page(site, url("route_crisis")).split('class="kaart-page', 1)[1]
    assert re.findall(r'href="tel:(\d+)"', crisis)[:3] == ["112", "113", "08000113"]
    home = _page(site, url("home"))
    assert 'class="kaart-route-start"' in home
