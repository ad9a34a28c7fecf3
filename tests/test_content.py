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


# --- content corrections (issue 18): each fact checked against its official source, so it cannot silently return --

CAK_2026 = "https://www.hetcak.nl/wet-maatschappelijke-ondersteuning/laatste-nieuws/verandering-eigen-bijdrage-wmo-2026"


def cites(rec, url_part: str) -> bool:
    return any(url_part in s["url"] for s in rec.data["sources"])


def test_bijstand_advance_comes_after_4_weeks_without_asking(model):
    """Participatiewet art. 52: the gemeente pays a voorschot on its own initiative when it has not decided in time."""
    need = model.needs["bijstand-aanvragen"]
    text = prose(need.data)
    assert "Dan kunt u om een voorschot vragen" not in text
    assert "na 4 weken" in text and "uit zichzelf een voorschot" in text and "hoeft daar niet om te vragen" in text
    assert cites(need, "BWBR0015703&artikel=52")


def test_search_period_under_27_says_what_is_certain_and_to_ask_the_gemeente(model):
    """'Participatiewet in balans' changed the 4-week zoektermijn from 1 January 2026: no absolute rule any more."""
    for rec in (model.needs["bijstand-aanvragen"], model.roles["consulent-werk-en-inkomen"]):
        text = prose(rec.data)
        assert "Dan moet u eerst vier weken zelf zoeken" not in text
        assert "jonger dan 27 jaar" in text and "1 januari 2026" in text, rec.id
        assert "Vraag het uw gemeente" in text or "vraag wat voor u geldt" in text, rec.id
        assert cites(rec, "rijksoverheid.nl/actueel/nieuws/2025/09/30/bijstand-meer-gericht-op-werk-taal-en-meedoen")
    demo = prose(model.providers["werkplein-voorbeeldstad"].data)
    assert "zoekt u eerst vier weken" not in demo and "Vraag ons wat voor u geldt" in demo


def test_113_is_two_free_numbers_not_one_via_the_other(model):
    rec = model.needs["psychische-klachten"]
    text = prose(rec.data)
    assert "113 via 0800-0113" not in text
    assert "Bel gratis 113 of 0800-0113" in text
    assert cites(rec, "113.nl")


def test_transition_at_18_starts_around_16_in_one_wording(model):
    """NJi, 'Van jeugd naar volwassenheid', step 9: make the toekomstplan early, for example when the youth is 16."""
    texts = [prose(r.data) for r in [*model.roles.values(), *model.needs.values(), *model.signals.values()]]
    texts.append(prose(model.payment_guide))
    assert not [t for t in texts if "16,5" in t]
    assert "rond 16 jaar" in prose(model.payment_guide) and "rond 16 jaar" in prose(model.roles["jeugd-en-gezinsteam"].data)
    assert cites(model.roles["jeugd-en-gezinsteam"], "nji.nl")
    assert cites(model.needs["jongere-wordt-18"], "nji.nl")


def test_wmo_contribution_gives_the_2026_maximum_with_the_cak_source(model):
    """CAK: from 1 January 2026 the abonnementstarief is at most € 21,80 per month (not per four weeks)."""
    records = [model.roles["wmo-consulent"], model.providers["het-cak"], model.needs["huishoudelijke-hulp"],
               model.needs["begeleiding-thuis"], model.needs["dagbesteding-of-meedoen"], model.needs["dementie"],
               model.needs["overbelaste-mantelzorger"]]
    for rec in records:
        text = prose(rec.data)
        assert "In 2026" in text or "in 2026" in text, rec.id
        assert "€ 21,80 per maand" in text, rec.id
        assert any(s["url"] == CAK_2026 for s in rec.data["sources"]), rec.id
    everything = " ".join(prose(r.data) for r in [*model.roles.values(), *model.needs.values(),
                                                   *model.providers.values()])
    assert "per vier weken" not in everything  # the CAK bills per month since 2020


def test_no_unsourced_alzheimer_telefoon_number(model):
    """No source we could check confirms the Alzheimer-Telefoon number: the record points to the website instead."""
    import re

    rec = model.providers["alzheimer-nederland"]
    text = prose(rec.data)
    assert "Alzheimer-Telefoon" in text and "staat op de website" in text
    assert not re.search(r"\b0[89]00[- ]?\d{4}\b", text)


def test_ladder_says_one_may_report_at_once_and_a_general_provision_must_fit(model):
    from kaart.render import Renderer, Settings

    r = Renderer(model, Settings(site_url="https://example.org/", repo_url="https://github.com/o/r"))
    body = r.need(model.needs["huishoudelijke-hulp"]).body
    assert "U mag ook altijd meteen bij de gemeente melden" in body
    assert "BWBR0035362&amp;artikel=2.3.2" in body  # the melding starts the gemeente's onderzoek
    assert "moet wel bij u passen" in body and "BWBR0035362&amp;artikel=2.3.5" in body
    for rec in model.needs.values():  # every ladder, also those without Wmo help, says one may go at once
        assert "U mag ook altijd meteen bij de gemeente melden" in r.need(rec).body, rec.id


def test_roles_overview_names_every_possible_regisseur_including_the_wijkverpleegkundige(model):
    from kaart.overview import roles_matrix
    from kaart.render import Renderer, Settings

    r = Renderer(model, Settings(site_url="https://example.org/", repo_url="https://github.com/o/r"))
    body = roles_matrix(r).body
    intro = body.split("<table", 1)[0]
    assert model.roles["wijkverpleegkundige"].data["regisseur"]["possible"]
    for rec in model.roles.values():
        if rec.data.get("regisseur", {}).get("possible"):
            assert f'href="{rec.id}/"' in intro, rec.id  # links from /rollen/
    assert "wijkverpleegkundige" in (REPO / "docs" / "over.md").read_text(encoding="utf-8")


def test_arrangeur_only_on_the_over_page(model):
    """Citizen pages say what a role does for the reader; the debate about a new 'arrangeur' belongs on /over/."""
    for rec in [*model.roles.values(), *model.needs.values(), *model.signals.values(), *model.providers.values()]:
        assert "arrangeur" not in prose(rec.data).lower(), f"{rec.kind} {rec.id}"
    assert "arrangeur" in (REPO / "docs" / "over.md").read_text(encoding="utf-8")
