"""Actor names, aliases and ACLED's event taxonomy."""

from __future__ import annotations

import pytest

from bot.actors import complete_actors, create_actor, resolve_actor
from bot.errors import InvalidInput, NotFound
from bot.taxonomy import all_types, resolve_type, taxonomy


@pytest.mark.parametrize("name", ["junta", "regime", "Tatmadaw", "Myanmar military",
                                  "JUNTA", "Military Forces of Myanmar (2021-)"])
def test_names_of_the_military_are_one_actor(db, name):
    assert resolve_actor(db, 0, name).name == "Tatmadaw"


def test_sac_is_its_own_actor(db):
    assert resolve_actor(db, 0, "SAC").name == "State Administration Council"


@pytest.mark.parametrize(("name", "canonical"), [
    ("KNDF", "Karenni Nationalities Defense Force"),
    ("kndf", "Karenni Nationalities Defense Force"),
    ("PDFs", "People's Defence Force"), ("People’s Defense Force", "People's Defence Force"),
    ("Ta’ang National Liberation Army", "Ta'ang National Liberation Army"),
])
def test_abbreviations_aliases_plurals_and_curly_quotes(db, name, canonical):
    assert resolve_actor(db, 0, name).name == canonical


def test_unknown_actor_gets_suggestions(db):
    with pytest.raises(NotFound) as exc:
        resolve_actor(db, 0, "KNDFF")
    assert "Karenni Nationalities Defense Force (KNDF)" in exc.value.suggestions


def test_create_refuses_a_name_already_taken(db):
    with pytest.raises(InvalidInput):
        create_actor(db, 0, "junta")
    assert create_actor(db, 0, "Mandalay PDF").name == "Mandalay PDF"


def test_completion_prefers_prefix_matches(db):
    labels = [a.label for a in complete_actors(db, 0, "kn")]
    assert labels[0].startswith("K")
    assert any("KNDF" in label for label in labels)
    assert len(complete_actors(db, 0, "")) == 25
    assert complete_actors(db, 0, "%_\\") == []  # LIKE wildcards are literal


def test_taxonomy_has_acleds_6_types_and_25_subtypes():
    assert len(taxonomy()) == 6
    assert len(all_types()) == 25


@pytest.mark.parametrize(("text", "event_type", "sub"), [
    ("Non-state actor overtakes territory", "Battles", "Non-state actor overtakes territory"),
    ("armed clash", "Battles", "Armed clash"),
    ("AIR/DRONE STRIKE", "Explosions/Remote violence", "Air/drone strike"),
    ("Battles", "Battles", None),
    ("Battles: Armed clash", "Battles", "Armed clash"),
    ("Armed clash (Battles)", "Battles", "Armed clash"),
])
def test_a_subtype_implies_its_type(text, event_type, sub):
    found = resolve_type(text)
    assert (found.event_type, found.sub_event_type) == (event_type, sub)


def test_unknown_type_suggests(db):
    with pytest.raises(NotFound) as exc:
        resolve_type("airstrike")
    assert any("Air/drone strike" in s for s in exc.value.suggestions)
