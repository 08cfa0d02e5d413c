"""Rules added after held-out batch 6 (articles 104-116), on short made-up sentences: where a
place name is only part of a road's or a possessive's name, which tense or quotation a date
belongs to, and what a relative clause or a passive says about who did what."""

from __future__ import annotations

from datetime import date

import pytest
from made_up import ARTICLE, PROPERTY, kinds, read, sub_types, townships


@pytest.fixture(scope="module")
def db(module_db):
    return module_db


def test_the_towns_a_road_joins_are_not_where_it_happened(db):
    assert townships(db, "Troops clashed with the PDF near the Ye U to Khin U road.") == []
    assert townships(db, "Fighting broke out along the Myitkyina – Bhamo road.") == []
    text = (ARTICLE + "Troops torched houses in Khin U Township on 8 November. They also "
            "clashed with the PDF near the Ye U to Khin U road.")
    assert {p.township for p in read(db, text)} == {"Khin-U"}


def test_a_township_named_with_a_possessive_is_a_place(db):
    text = "Troops detained two heads from Paletwa Township’s Abaung Thar village."
    assert townships(db, text) == ["Paletwa"]


def test_people_from_a_place_live_there_but_troops_from_it_came_from_their_base(db):
    assert townships(db, "Troops detained residents from Paletwa on Thursday.") == ["Paletwa"]
    assert townships(db, "Reinforcements from Monywa arrived on Thursday.") == []


def test_firing_into_a_village_with_heavy_weapons_is_shelling():
    assert sub_types("The battalion fired into the village with heavy weapons.") == [
        "Shelling/artillery/missile attack"]


def test_the_present_perfect_takes_no_date_from_another_verb(db):
    text = (ARTICLE + "The alliance launched an operation in Lashio Township on October 27 "
            "and has seized over 300 bases.")
    assert all(p.sub_event_type != "Non-state actor overtakes territory" for p in read(db, text))
    text = (ARTICLE + "Around 30 civilians have been arrested during a raid in Khin-U Township, "
            "Sagaing Region, on Wednesday, residents said.")
    assert [p.date for p in read(db, text)] == ["2023-11-08"]


def test_a_date_in_a_given_that_clause_is_not_the_events(db):
    text = (ARTICLE + "Troops shelled a village in Paletwa Township on Monday. They detained "
            "villagers over their ties to the AA, given that the AA was removed from the list "
            "in March 2021.")
    assert all(not p.date.startswith("2021") for p in read(db, text))


def test_history_a_year_back_takes_no_township_from_the_story(db):
    text = (ARTICLE + "Troops shelled a village in Paletwa Township on Monday. The military "
            "and the AA reached an unofficial ceasefire in November 2020.")
    assert kinds(read(db, text)) == [
        ("Paletwa", "2023-11-06", "Shelling/artillery/missile attack")]


def test_houses_destroyed_in_a_raid_by_troops_are_property_destruction():
    assert PROPERTY in sub_types("Nearly 10 houses were destroyed in the raid of regime troops.")
    assert PROPERTY not in sub_types("Nearly 10 houses were destroyed in the airstrike.")


def test_a_quoted_yesterday_retells_the_event_just_dated(db):
    text = ("url: https://example.org/report\noutlet: Example\npublished: 2024-04-21\n\n"
            "An artillery shell fired by junta troops hit Kyat village in Ann Township on "
            "April 19, killing a man.\n\n\"We hid there. Yesterday, an old man was killed by an "
            "artillery shell,\" he said.")
    assert kinds(read(db, text, date(2024, 4, 21))) == [
        ("Ann", "2024-04-19", "Shelling/artillery/missile attack")]


def test_a_capture_in_a_that_clause_describes_what_was_bombed():
    assert sub_types("The regime bombed a police camp that was captured by resistance "
                     "forces.") == ["Air/drone strike"]
