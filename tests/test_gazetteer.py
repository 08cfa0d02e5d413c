"""Township and state/region resolution against the seeded MIMU gazetteer."""

from __future__ import annotations

import csv

import pytest
from conftest import SHARED

from bot.errors import Ambiguous, NotFound
from bot.gazetteer import gazetteer


@pytest.fixture
def gaz(db):
    return gazetteer(db)


@pytest.mark.parametrize(
    "text",
    ["Mese", "mese", "mese township", "MESE TOWNSHIP", "Mese Township, Kayah State",
     "Mese, Kayah", "Mese, Karenni State", "  Mese  ", "MMR002007", "mmr002007", "Mese (Kayah)"],
)
def test_spellings_of_mese_resolve_to_one_township(gaz, text):
    t = gaz.resolve(text)
    assert (t.pcode, t.name, t.state_region) == ("MMR002007", "Mese", "Kayah")


def test_every_listed_alternative_spelling_resolves_to_its_township(gaz):
    with open(SHARED / "data" / "myanmar_townships.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    shared = {}
    for row in rows:
        for alt in filter(None, row["alt_names"].split(";")):
            shared.setdefault(alt, []).append(row["pcode"])
    checked = 0
    for alt, pcodes in shared.items():
        if len(pcodes) == 1:
            assert gaz.resolve(alt).pcode == pcodes[0], alt
            checked += 1
        else:
            with pytest.raises(Ambiguous):
                gaz.resolve(alt)
    assert checked > 300


def test_a_town_resolves_to_its_township(gaz):
    assert gaz.resolve("Khampat").name == "Tamu"
    assert gaz.resolve("Loikaw").pcode == "MMR002001"  # the township wins over Loikaw Town


def test_unknown_name_suggests_the_three_closest(gaz):
    with pytest.raises(NotFound) as exc:
        gaz.resolve("Meese")
    assert exc.value.suggestions[0] == "Mese (Kayah)"
    assert len(exc.value.suggestions) == 3
    assert "Mese (Kayah)" in exc.value.user_message


def test_a_name_in_two_regions_asks_which(gaz):
    with pytest.raises(Ambiguous) as exc:
        gaz.resolve("Minhla")
    assert sorted(exc.value.choices) == ["Minhla (Bago (West))", "Minhla (Magway)"]
    assert gaz.resolve("Minhla, Magway Region").state_region == "Magway"
    assert gaz.resolve(exc.value.choices[0]).name == "Minhla"


def test_the_wrong_region_is_refused_with_where_it_is(gaz):
    with pytest.raises(NotFound) as exc:
        gaz.resolve("Mese, Shan State")
    assert "Mese (Kayah)" in exc.value.user_message


@pytest.mark.parametrize(
    ("text", "regions"),
    [("Shan", ["Shan (North)", "Shan (South)", "Shan (East)"]), ("northern Shan State",
     ["Shan (North)"]), ("Shan-North", ["Shan (North)"]), ("Bago-West", ["Bago (West)"]),
     ("Sagaing Region", ["Sagaing"]), ("Magwe", ["Magway"]), ("kayah state", ["Kayah"])],
)
def test_regions(gaz, text, regions):
    assert gaz.resolve_region(text) == regions


def test_unknown_region_is_refused(gaz):
    with pytest.raises(NotFound):
        gaz.resolve_region("Atlantis")


def test_completion_offers_mese_with_its_region(gaz):
    assert [t.label for t in gaz.complete("mes")] == ["Mese (Kayah)"]
    assert len(gaz.complete("")) == 25
    assert gaz.complete("hsenwi")[0].name == "Hseni"
