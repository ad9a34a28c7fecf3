"""Atom feeds per gemeente and national: valid Atom, newest first, reproducible byte for byte."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from test_stale import make_data_dir, set_verified

from kaart.cli import main
from kaart.feeds import write_feeds
from kaart.validate import check

A = "{http://www.w3.org/2005/Atom}"
SITE = "https://kaart.example/sub"


@pytest.fixture
def model(tmp_path, monkeypatch):
    data = make_data_dir(tmp_path, monkeypatch)
    # a name full of characters that must be escaped in XML
    assert main(
        ["new", "provider", "--gemeente", "voorbeeldstad", "--naam", 'Hulp & Zorg <"Noord">', "--data", str(data)]) == 0
    set_verified(data / "providers/voorbeeldstad/buurthuis-de-linde.yaml", "2026-03-01")
    set_verified(data / "providers/voorbeeldstad/sportclub-noord.yaml", "2026-09-15")
    set_verified(data / "providers/voorbeeldstad/hulp-zorg-noord.yaml", "2026-03-01")
    set_verified(data / "roles/sociaal-wijkteam.yaml", "2025-12-24")
    model, problems = check(data)
    assert model is not None, problems
    return model


def entries(path):
    root = ET.parse(path).getroot()
    assert root.tag == A + "feed"
    return root, [(e.findtext(A + "id"), e.findtext(A + "title"), e.findtext(A + "updated"))
                  for e in root.findall(A + "entry")]


def test_gemeente_feed_newest_first_with_stable_ids(model, tmp_path):
    paths = write_feeds(model, tmp_path / "site", SITE + "/")
    feed = tmp_path / "site/gemeenten/voorbeeldstad/feed.xml"
    assert feed in paths and (tmp_path / "site/feed.xml") in paths
    root, items = entries(feed)
    assert items == [
        (f"{SITE}/aanbieders/sportclub-noord/", "Sportclub Noord", "2026-09-15T00:00:00Z"),
        (f"{SITE}/aanbieders/buurthuis-de-linde/", "Buurthuis De Linde", "2026-03-01T00:00:00Z"),
        (f"{SITE}/aanbieders/hulp-zorg-noord/", 'Hulp & Zorg <"Noord">', "2026-03-01T00:00:00Z"),
    ]
    assert root.findtext(A + "updated") == "2026-09-15T00:00:00Z"  # newest entry, not the wall clock
    assert root.findtext(A + "id") == f"{SITE}/gemeenten/voorbeeldstad/feed.xml"
    self_link = [ln for ln in root.findall(A + "link") if ln.get("rel") == "self"][0]
    assert self_link.get("href") == root.findtext(A + "id")
    summary = root.find(A + "entry").findtext(A + "summary")
    assert summary.startswith("Gecontroleerd op 15 september 2026 door ")


def test_national_feed_has_roles_needs_and_national_providers_only(model, tmp_path):
    write_feeds(model, tmp_path, SITE)
    _, items = entries(tmp_path / "feed.xml")
    ids = [i for i, _, _ in items]
    assert set(ids) == {f"{SITE}/rollen/sociaal-wijkteam/", f"{SITE}/hulpvragen/ik-wil-meer-mensen-ontmoeten/",
                        f"{SITE}/aanbieders/landelijke-hulplijn/"}
    assert ids[-1] == f"{SITE}/rollen/sociaal-wijkteam/"  # the oldest
    assert [u for _, _, u in items] == sorted((u for _, _, u in items), reverse=True)


def test_gemeente_without_local_records_gets_no_feed(model, tmp_path):
    """Issue 16: 340 gemeenten have no local records yet; an empty feed per gemeente is noise, not news."""
    model.providers = {k: r for k, r in model.providers.items() if r.gemeente != "anderdorp"}
    model.__post_init__()
    written = write_feeds(model, tmp_path, SITE)
    assert not (tmp_path / "gemeenten/anderdorp/feed.xml").exists()
    assert (tmp_path / "gemeenten/voorbeeldstad/feed.xml") in written


def test_feeds_are_byte_identical_and_escaped(model, tmp_path):
    first = write_feeds(model, tmp_path / "a", SITE)
    second = write_feeds(model, tmp_path / "b", SITE)
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()
    raw = (tmp_path / "a/gemeenten/voorbeeldstad/feed.xml").read_bytes()
    assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"")
    assert b"Hulp &amp; Zorg &lt;\"Noord\"&gt;" in raw
