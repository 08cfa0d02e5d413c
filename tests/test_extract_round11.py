"""Rules added after held-out batch 15 (articles 205-213), on short made-up sentences: a
township named with a compass point first, a region named after "X Township," and a date, bombs
set off on the ground, damage told before the strike that did it, administrators and wives as
civilians, and the junta's operations commands."""

from __future__ import annotations

import pytest
from made_up import kinds, sub_types, townships
from made_up import report as read

from bot.extraction.kinds import AIR, ATTACK, MINE


@pytest.fixture(scope="module")
def db(module_db):
    return module_db


def test_a_compass_point_may_come_first_in_a_townships_name(db):
    assert townships(db, "A bomb went off in South Dagon Township on Tuesday.") == [
        "Dagon Myothit (South)"]
    assert townships(db, "Troops raided a ward in East Hlaingtharya Township.") == [
        "Hlaingtharya (East)"]
    assert townships(db, "Troops raided a ward in Dagon Township.") == ["Dagon"]


def test_a_region_after_a_township_and_a_comma_is_its_region_not_a_town(db):
    text = "A bomb exploded at a ward office in Mayangone Township, Yangon on 3 November."
    assert townships(db, text) == ["Mayangone"]
    assert kinds(read(db, text)) == [("Mayangone", "2023-11-03", MINE)]


def test_bombs_set_off_on_the_ground_are_explosives_not_air_strikes():
    assert sub_types("Guerrillas detonated bombs near a police post.") == [MINE]
    assert sub_types("The hand-made remote-controlled bombs were placed at the gate.") == [MINE]
    assert sub_types("Jets dropped bombs on the village.") == [AIR]


def test_a_bombing_in_a_story_of_blasts_is_another_blast(db):
    text = ("A bomb went off at an office in Pale Township on Monday. A truck was targeted in a "
            "bombing in Yinmabin Township on Tuesday.")
    assert kinds(read(db, text)) == [("Pale", "2023-11-06", MINE),
                                     ("Yinmarbin", "2023-11-07", MINE)]


def test_damage_told_before_the_strike_that_did_it_leaves_the_strike(db):
    assert sub_types("Several houses were destroyed after jets launched air attacks on the "
                     "town.") == [AIR]
    text = ("On Tuesday, no one was hurt but a school was destroyed after helicopters again "
            "bombed Pale Township.")
    assert kinds(read(db, text)) == [("Pale", "2023-11-07", AIR)]
    # a main clause that reports an event of its own still sets the "after" clause aside
    assert sub_types("Troops torched ten houses after they entered the village.") == [
        "Looting/property destruction"]


def test_administrators_and_wives_are_civilians():
    assert sub_types("A ward administrator was shot by two gunmen.") == [ATTACK]
    assert sub_types("The man and his wife were shot by unknown attackers.") == [ATTACK]


def test_an_operations_command_is_the_militarys(db):
    text = "The rebels fired rockets at the regional operations command in Pale Township on Monday."
    proposals = read(db, text)
    assert "Tatmadaw" in proposals[0].actors
