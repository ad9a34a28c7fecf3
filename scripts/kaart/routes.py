"""The Routewijzer ("Waar kan ik terecht?", data/routewijzer.yaml): the route as a graph, and its check.

A route is a set of questions; each answer goes to the next question (`next`), to a hulpvraag (`need`, after which
the site asks for the gemeente itself) or to the page with 112, 113 and Veilig Thuis (`crisis: true`). The check
makes sure a visitor can never get stuck: every answer leads somewhere that exists, there are no loops, no end
is more than limits.ROUTE_MAX_QUESTIONS questions away (the gemeente question counted), every question and answer
is plain Dutch by a measurable rule (at most limits.ROUTE_MAX_WORDS words per sentence, no word from the route's
`jargon` list), and every hulpvraag can be reached. That last one is a warning, not an error: a new hulpvraag may
be merged before the route is changed, and it is still on the site (lists, search); the content test
(tests/test_routewijzer.py) holds the real data to it.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from .limits import ROUTE_MAX_QUESTIONS, ROUTE_MAX_WORDS
from .problems import did_you_mean

QUESTION, NEED, CRISIS = "question", "need", "crisis"
_SENTENCE = re.compile(r"[^.?!]+[.?!]*")
_WORD = re.compile(r"[\wÀ-ÿ'’-]+")
#: Crisis numbers this short are national short codes (112, 113): they are not in a provider record's phones.
SHORT_NUMBER_DIGITS = 4


def target(answer: dict) -> tuple[str, str] | None:
    """Where an answer goes: (QUESTION, id), (NEED, id) or (CRISIS, ''); None when it names no end or several."""
    ends = [(QUESTION, answer["next"])] if answer.get("next") else []
    ends += [(NEED, answer["need"])] if answer.get("need") else []
    ends += [(CRISIS, "")] if answer.get("crisis") else []
    return ends[0] if len(ends) == 1 else None


@dataclass
class Graph:
    """The route as the pages need it: per question its number on the shortest way in, the most questions still
    to come, and the question one step back; per hulpvraag the question that leads there first."""

    questions: dict[str, dict]
    start: str
    depth: dict[str, int] = field(default_factory=dict)  # question → its number (1 = the first question)
    back: dict[str, str] = field(default_factory=dict)  # question → the question before it (shortest way)
    need_back: dict[str, str] = field(default_factory=dict)  # hulpvraag → the question that leads there first
    height: dict[str, int] = field(default_factory=dict)  # question → most questions from here to an end

    def total(self, qid: str) -> int:
        """How many questions a visitor answers at most on a way through this question."""
        return self.depth[qid] + self.height[qid] - 1

    @property
    def needs(self) -> set[str]:
        return set(self.need_back)


def graph(route: dict) -> Graph:
    """The Graph of a route that passed the check (no loops, every end known)."""
    questions = {q["id"]: q for q in route["questions"]}
    g = Graph(questions, route["start"], depth={route["start"]: 1})
    todo = deque([route["start"]])
    while todo:  # breadth first: the shortest way in to every question
        qid = todo.popleft()
        for answer in questions[qid]["answers"]:
            kind, key = target(answer) or (None, "")
            if kind == QUESTION and key not in g.depth:
                g.depth[key], g.back[key] = g.depth[qid] + 1, qid
                todo.append(key)
            elif kind == NEED:
                g.need_back.setdefault(key, qid)

    def height(qid: str) -> int:
        if qid not in g.height:
            ends = [target(a) or (CRISIS, "") for a in questions[qid]["answers"]]
            g.height[qid] = 1 + max(height(k) if kind == QUESTION else (1 if kind == NEED else 0) for kind, k in ends)
        return g.height[qid]

    for qid in g.depth:
        height(qid)
    return g


def ordered_answers(question: dict) -> list[dict]:
    """The urgent answers first (they are what a visitor in danger must see first), the rest as written."""
    return sorted(question["answers"], key=lambda a: not a.get("urgent"))


# --- the check ---------------------------------------------------------------------------------------------------

def check(c, doc, route: dict, needs: set[str], valid_needs: set[str], national: dict) -> None:
    """Every rule of the route file; `c` a validate.Checker, `needs` every hulpvraag id (also of files with
    errors: no cascade of 'unknown'), `valid_needs` those that get a page, `national` the national providers."""
    questions: dict[str, int] = {}
    for i, q in enumerate(route["questions"]):
        c.unique(doc, ["questions", i, "id"], q["id"], set(questions), "vraag", "Geef elke vraag een eigen id.")
        questions.setdefault(q["id"], i)
    c.ref(doc, ["start"], route["start"], questions, "vraag", "route-unknown-question",
          "Zet bij start het id van een vraag uit questions.")
    jargon = [(j["word"], j["instead"]) for j in route.get("jargon", [])]
    for i, q in enumerate(route["questions"]):
        _plain_language(c, doc, ["questions", i, "question"], q["question"], jargon)
        if q.get("help"):
            _plain_language(c, doc, ["questions", i, "help"], q["help"], jargon)
        for j, a in enumerate(q["answers"]):
            _answer(c, doc, ["questions", i, "answers", j], a, questions, needs, jargon)
    if route["start"] in questions and not _loops(c, doc, route, questions):
        _depths(c, doc, route, questions)
        _reached(c, doc, route, questions, valid_needs)
    _crisis_lines(c, doc, route["crisis"]["lines"], national)
    c.verified(doc, ["verified"], route["verified"])


def _answer(c, doc, at: list, a: dict, questions: dict, needs: set[str], jargon) -> None:
    _plain_language(c, doc, at + ["answer"], a["answer"], jargon)
    ends = [k for k in ("next", "need", "crisis") if a.get(k)]
    if not ends:
        c.error(doc, at + ["answer"], "route-answer-nowhere", f"het antwoord '{a['answer']}' leidt nergens heen",
                "Zet bij dit antwoord next: (een volgende vraag), need: (een hulpvraag) of crisis: true.")
    elif len(ends) > 1:
        c.error(doc, at + [ends[1]], "route-answer-nowhere",
                f"het antwoord '{a['answer']}' gaat naar twee plekken ({' en '.join(ends)})",
                "Een antwoord gaat naar één plek: houd next, need of crisis over.")
    if a.get("next"):
        c.ref(doc, at + ["next"], a["next"], questions, "vraag", "route-unknown-question",
              "Gebruik het id van een vraag uit questions.")
    if a.get("need"):
        c.ref(doc, at + ["need"], a["need"], needs, "hulpvraag", "route-unknown-need",
              "Gebruik het id van een hulpvraag uit data/needs/ (de bestandsnaam zonder .yaml).")
    if a.get("urgent") and not a.get("crisis"):
        c.error(doc, at + ["urgent"], "route-urgent-not-crisis",
                f"het dringende antwoord '{a['answer']}' gaat niet naar 'Nu direct hulp'",
                "Wie in gevaar is, moet meteen 112, 113 en Veilig Thuis zien: zet crisis: true bij dit antwoord.")


def _plain_language(c, doc, at: list, text: str, jargon) -> None:
    """B1, measured: no sentence longer than ROUTE_MAX_WORDS words, no word from the route's jargon list."""
    for sentence in _SENTENCE.findall(text):
        words = _WORD.findall(sentence)
        if len(words) > ROUTE_MAX_WORDS:
            c.error(doc, at, "route-not-b1",
                    f"de zin '{sentence.strip()[:60]}' heeft {len(words)} woorden; in de Routewijzer hoogstens "
                    f"{ROUTE_MAX_WORDS} (eenvoudige taal, B1)",
                    "Maak er twee korte zinnen van, of laat woorden weg die niet nodig zijn.")
    folded = text.casefold()
    for word, instead in jargon:
        if re.search(r"(?<!\w)" + re.escape(word.casefold()) + r"(?!\w)", folded):
            c.error(doc, at, "route-not-b1", f"'{word}' is vaktaal (zie jargon in dit bestand)",
                    f"Schrijf in gewone woorden, bijvoorbeeld '{instead}'.")


def _next_edges(route: dict, questions: dict):
    """(question index, answer index, next question id) of every answer that goes to a known question."""
    for i, q in enumerate(route["questions"]):
        for j, a in enumerate(q["answers"]):
            if a.get("next") in questions and target(a):
                yield i, j, a["next"]


def _loops(c, doc, route: dict, questions: dict) -> bool:
    """An error at every answer that closes a loop (a way from a question back to itself); True if any."""
    edges: dict[int, list[tuple[int, str]]] = {}
    for i, j, nxt in _next_edges(route, questions):
        edges.setdefault(i, []).append((j, nxt))
    state: dict[int, int] = {}  # 1: on the current way, 2: done
    found = False

    def visit(i: int) -> None:
        nonlocal found
        state[i] = 1
        for j, nxt in edges.get(i, []):
            k = questions[nxt]
            if state.get(k) == 1:
                found = True
                c.error(doc, ["questions", i, "answers", j, "next"], "route-loop",
                        f"dit antwoord gaat terug naar vraag '{nxt}': de route loopt in een rondje",
                        "Laat het antwoord naar een latere vraag of een hulpvraag gaan, niet naar een eerdere vraag.")
            elif k not in state:
                visit(k)
        state[i] = 2

    for i in range(len(route["questions"])):
        if i not in state:
            visit(i)
    return found


def _depths(c, doc, route: dict, questions: dict) -> None:
    """An error at every answer after which a visitor would answer more than ROUTE_MAX_QUESTIONS questions."""
    seen: set[tuple[int, int]] = set()
    reported: set[tuple[int, int]] = set()
    todo = [(questions[route["start"]], 1)]  # (question index, its number on this way)
    while todo:
        i, number = todo.pop()
        if (i, number) in seen:
            continue
        seen.add((i, number))
        for j, a in enumerate(route["questions"][i]["answers"]):
            kind, key = target(a) or (None, "")
            if kind not in (QUESTION, NEED) or (kind == QUESTION and key not in questions):
                continue
            if number + 1 > ROUTE_MAX_QUESTIONS and (i, j) not in reported:
                reported.add((i, j))
                what = f"vraag '{key}'" if kind == QUESTION else "de vraag naar de gemeente"
                c.error(doc, ["questions", i, "answers", j, "next" if kind == QUESTION else "need"], "route-too-deep",
                        f"na dit antwoord komt {what} als vraag {number + 1}; de Routewijzer stelt hoogstens "
                        f"{ROUTE_MAX_QUESTIONS} vragen (de vraag naar de gemeente telt mee)",
                        "Laat dit antwoord eerder naar een hulpvraag gaan, of voeg twee vragen samen.")
            elif kind == QUESTION:
                todo.append((questions[key], number + 1))


def _reached(c, doc, route: dict, questions: dict, needs: set[str]) -> None:
    """Warnings for hulpvragen and questions no way through the route reaches."""
    reached_q = {route["start"]}
    todo = [route["start"]]
    reached_n: set[str] = set()
    while todo:
        for a in route["questions"][questions[todo.pop()]]["answers"]:
            kind, key = target(a) or (None, "")
            if kind == QUESTION and key in questions and key not in reached_q:
                reached_q.add(key)
                todo.append(key)
            elif kind == NEED:
                reached_n.add(key)
    for qid, i in questions.items():
        if qid not in reached_q:
            c.warning(doc, ["questions", i, "id"], "route-question-unreached",
                      f"geen antwoord leidt naar vraag '{qid}'",
                      "Laat een antwoord met next: naar deze vraag gaan, of haal de vraag weg.")
    for need in sorted(needs - reached_n):
        c.warning(doc, ["start"], "route-need-unreached", f"de Routewijzer leidt nergens naar hulpvraag '{need}'",
                  f"Zet bij een passend antwoord need: {need}. Tot dan vinden bezoekers deze hulpvraag alleen via "
                  "de lijsten en het zoeken.")


def _crisis_lines(c, doc, lines: list[dict], national: dict) -> None:
    if lines and lines[0]["numbers"][0] != "112":
        c.error(doc, ["crisis", "lines", 0, "numbers"], "route-crisis-order", "het eerste nummer is niet 112",
                "Zet het alarmnummer 112 bovenaan: wie in levensgevaar is, belt eerst 112.")
    for i, line in enumerate(lines):
        at = ["crisis", "lines", i]
        pid = line.get("provider")
        if pid is None:
            if line["numbers"] != ["112"] and not line.get("sources"):
                c.error(doc, at + ["numbers"], "route-crisis-source", f"bij '{line['name']}' staat geen bron",
                        "Noem de landelijke aanbieder (provider:) of een officiële bron (sources:) voor dit nummer.")
            continue
        rec = national.get(pid)
        if rec is None or not rec.data.get("always_available"):
            c.error(doc, at + ["provider"], "route-crisis-provider",
                    f"'{pid}' is geen landelijke aanbieder die dag en nacht bereikbaar is",
                    did_you_mean(pid, national) + "Noem een aanbieder uit data/providers/landelijk/ met "
                    "always_available: true.")
            continue
        known = {_digits(p["number"]) for p in rec.data.get("phones", [])}
        for j, number in enumerate(line["numbers"]):
            if len(_digits(number)) > SHORT_NUMBER_DIGITS and _digits(number) not in known:
                c.error(doc, at + ["numbers", j], "route-crisis-number",
                        f"{number} staat niet bij aanbieder '{pid}'",
                        "Neem het nummer over uit het record van de aanbieder, zodat het op één plek wordt bijgehouden.")


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)
