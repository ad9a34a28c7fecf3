"""The national knowledge base says what it must, cites official sources, and is written in plain Dutch."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import textstat

from kaart.site import REPO
from kaart.validate import check

#: Flesch-Douma reading ease per role/need text. Douma's scale: 60–70 is "normaal" (readable for most adults),
#: 70+ "vrij makkelijk". B1 texts about care unavoidably contain long compound words that the formula punishes
#: (cliëntondersteuner, maatwerkvoorziening, mantelzorgmakelaar) even where they are explained, so we ask every
#: page for at least 60 and the pages together for at least 68 on average.
MIN_READING_EASE = 60
MIN_AVERAGE_READING_EASE = 68

#: Where an official source lives: government, the law texts, the bodies that carry out the law, national
#: associations and knowledge institutes funded for this task.
OFFICIAL_DOMAINS = (
    "overheid.nl", "rijksoverheid.nl", "government.nl", "uwv.nl", "werk.nl", "ciz.nl", "hetcak.nl", "vng.nl",
    "movisie.nl", "mantelzorg.nl", "mee.nl", "meenl.nl", "zorginstituutnederland.nl", "veiligthuis.nl",
    "nibud.nl", "nji.nl", "113.nl", "juridischloket.nl", "nationaleombudsman.nl", "alzheimer-nederland.nl",
    "geldfit.nl", "deluisterlijn.nl", "kindertelefoon.nl", "skgz.nl", "arboportaal.nl", "opvoeden.nl",
    "thuisarts.nl", "nhg.org", "venvn.nl", "ergotherapie.nl", "nvab-online.nl", "rechtspraak.nl", "politie.nl",
    "eentegeneenzaamheid.nl", "valys.nl", "zorgverzekeraarsnederland.nl", "schuldhulpverleningnederland.nl",
    "nvvk.nl", "sociaalwerknederland.nl", "mantelzorgmakelaars.nl", "bmmm.nl", "wijkverpleging.nl",
    "kenniscentrumervaringsdeskundigheid.nl", "ervaringsdeskundigheid.org", "humanitas.nl", "schuldhulpmaatje.nl",
    "ggzstandaarden.nl", "dementiezorgvoorelkaar.nl", "zorgvoorbeter.nl", "autoriteitpersoonsgegevens.nl",
)

REQUIRED_ROLES = {
    "wmo-consulent", "onafhankelijke-clientondersteuner", "mee-consulent", "sociaal-wijkteam", "mantelzorgconsulent",
    "mantelzorgmakelaar", "wijkverpleegkundige", "huisarts-poh-ggz", "jeugd-en-gezinsteam", "schuldhulpverlener",
    "consulent-werk-en-inkomen", "uwv-arbeidsdeskundige", "ciz-indicatiesteller", "casemanager-dementie",
    "ervaringsdeskundige", "budgetcoach", "welzijnswerker", "veilig-thuis",
}

#: Text fields that are ids, codes or links rather than prose.
NOT_PROSE = {"id", "url", "sources", "verified", "law", "payer", "life_domain", "life_domains", "roles",
             "related_needs", "alternatives", "type", "role", "possible", "seen_by", "basis", "urgency"}


@pytest.fixture(scope="module")
def model(monkeypatch_module=None):
    import os

    saved = os.environ.pop("KAART_TODAY", None)  # the shipped data is checked against the real date
    try:
        m, problems = check(REPO / "data")
    finally:
        if saved is not None:
            os.environ["KAART_TODAY"] = saved
    assert m is not None, "\n".join(p.text() for p in problems if p.severity == "error")
    return m


def prose(record: dict) -> str:
    parts: list[str] = []

    def walk(value):
        if isinstance(value, str):
            parts.append(value if value.rstrip().endswith((".", "?", "!", ":")) else value + ".")
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in NOT_PROSE:
                    walk(item)

    walk(record)
    return " ".join(parts)


def official(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS)


def test_knowledge_base_is_complete(model):
    assert len(model.roles) >= 15
    assert REQUIRED_ROLES <= set(model.roles)
    assert len(model.needs) >= 20
    covered = {n.data["life_domain"] for n in model.needs.values()}
    assert covered == set(model.terms["life_domains"]), "every levensgebied has hulpvragen"
    assert any(r.data.get("regisseur", {}).get("possible") for r in model.roles.values())


def test_every_role_and_need_cites_an_official_source(model):
    missing = [f"{rec.kind} {rec.id}" for rec in [*model.roles.values(), *model.needs.values()]
               if not any(official(s["url"]) for s in rec.data["sources"])]
    assert not missing, f"zonder officiële bron: {missing}"


def test_every_statement_of_law_has_a_source(model):
    for law_id, law in model.terms["laws"].items():
        assert urlsplit(law["url"]).hostname == "wetten.overheid.nl", law_id
    for rec in model.roles.values():
        assert rec.data["legal_basis"] and rec.data["sources"], rec.id
    guide = model.payment_guide
    assert guide is not None
    for kind in guide["kinds"]:
        for situation in kind["situations"]:
            assert any(official(s["url"]) for s in situation["sources"]), situation["situation"]
    for case in guide["ping_pong"] + guide["when_stuck"]:
        assert any(official(s["url"]) for s in case["sources"]), case["id"]


def test_who_pays_covers_the_kinds_of_help(model):
    kinds = {k["id"] for k in model.payment_guide["kinds"]}
    assert {"hulpmiddelen", "woningaanpassing", "vervoer", "begeleiding", "persoonlijke-verzorging", "verpleging",
            "jeugdhulp", "werkvoorzieningen", "schulden"} <= kinds


def test_plain_dutch_reading_ease(model):
    textstat.set_lang("nl")
    scores = {f"{rec.kind} {rec.id}": textstat.flesch_reading_ease(prose(rec.data))
              for rec in [*model.roles.values(), *model.needs.values(), *model.signals.values()]}
    # The texts the signal pages and /signalen/ take from the taxonomy: zorgvindplaatsen and grounds for sharing.
    for key in ("zorgvindplaatsen", "sharing_bases"):
        scores[f"taxonomy {key}"] = textstat.flesch_reading_ease(prose(list(model.terms[key].values())))
    assert any(k.startswith("signal ") for k in scores)
    hard = {k: round(v) for k, v in scores.items() if v < MIN_READING_EASE}
    assert not hard, f"te moeilijk (Flesch-Douma < {MIN_READING_EASE}): {hard}"
    assert sum(scores.values()) / len(scores) >= MIN_AVERAGE_READING_EASE


# --- signals (vroegsignalering) ---------------------------------------------------------------------------------

ZORGVINDPLAATSEN = {"huisarts-poh", "wijkagent", "woningcorporatie", "school-leerplicht", "werkgever-bedrijfsarts",
                    "schuldhulp", "apotheek", "energie-en-waterbedrijf"}
SHARING_BASES = {"toestemming", "avg", "meldcode", "wgs-vroegsignalering", "beroepsgeheim"}


def test_signals_cover_every_zorgvindplaats_with_a_role_a_sharing_rule_and_an_official_source(model):
    signals = model.signals
    assert len(signals) >= 15
    assert ZORGVINDPLAATSEN <= set(model.terms["zorgvindplaatsen"])
    covered = {p for s in signals.values() for p in s.data["seen_by"]}
    assert covered == set(model.terms["zorgvindplaatsen"]), "every zorgvindplaats has signals"
    for s in signals.values():
        assert s.data["roles"] and set(s.data["roles"]) <= set(model.roles), s.id
        assert s.data["sharing"]["basis"] and s.data["sharing"]["what"], s.id
        assert any(official(src["url"]) for src in s.data["sources"]), s.id
    for needed in ("huurachterstand", "vervuilde-woning", "zorgen-om-een-kind", "signalen-van-huiselijk-geweld",
                   "verward-gedrag", "overbelaste-mantelzorger", "eenzaamheid-bij-een-oudere",
                   "beginnende-geheugenproblemen", "schoolverzuim", "schulden-bij-een-werknemer"):
        assert needed in signals, needed


def test_sharing_bases_are_the_real_ones_with_official_sources(model):
    bases = model.terms["sharing_bases"]
    assert SHARING_BASES <= set(bases)
    for basis in bases.values():
        assert official(basis["url"]), basis["id"]
    meldcode = bases["meldcode"]
    assert len(meldcode["steps"]) == 5 and "afwegingskader" in meldcode["description"]
    assert "rijksoverheid.nl" in meldcode["url"]
    assert "BWBR0031140" in bases["wgs-vroegsignalering"]["url"]  # the Wet gemeentelijke schuldhulpverlening
    assert {"meldcode", "wgs-vroegsignalering", "beroepsgeheim", "toestemming"} <= {
        b for s in model.signals.values() for b in s.data["sharing"]["basis"]}
