"""Round 19: how a township is recognised, on made-up sentences (never an article's words).
The towns at the two ends of a road told with a verb ("the highway linking A with B") name the
road, as "the A-B road" already did, so an attack along it is not placed in either town. And
what a blast is: a bare "bomb" or "explosion" told in a story of an air strike is the aircraft's
bomb, so the damage it did is part of the strike, unless someone laid or planted it. And how a
day flows inside one sentence: "On A, … was killed by shelling, and on B, … were hurt": the day
that opens the next coordinate clause is that clause's, so the first deed keeps its own day; and
"since the fighting began on B" is the start of the spell a sentence counts over, not a clash."""

from __future__ import annotations

import pytest
from made_up import kinds
from made_up import report as read

from bot.extraction.kinds import AIR, ARRESTS, CLASH, MINE, SHELL


@pytest.fixture(scope="module")
def db(module_db):
    return module_db


@pytest.mark.parametrize("road", [
    "the highway linking the city of Monywa with Pale",
    "the road that connects Monywa to Pale",
    "the route joining Monywa and Pale",
])
def test_the_towns_a_road_links_are_not_where_it_was_attacked(db, road):
    text = (f"On Wednesday, PDF fighters attacked junta camps in Salin Township and along {road}.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-08", CLASH)]


def test_a_town_named_without_a_road_is_still_where_it_was_attacked(db):
    text = "On Wednesday, PDF fighters attacked junta camps in Salin and Pale townships."
    assert kinds(read(db, text)) == [("Pale", "2023-11-08", CLASH),
                                     ("Salin", "2023-11-08", CLASH)]


STRIKE = "A junta jet bombed Kanpa village in Salin Township on Wednesday, killing three people. "


@pytest.mark.parametrize("damage", [
    "Two shops in the village were also wrecked by a bomb explosion.",
    "A blast flattened the village school.",
])
def test_damage_by_a_bare_bomb_in_an_air_strike_story_is_the_strike(db, damage):
    assert kinds(read(db, STRIKE + damage)) == [("Salin", "2023-11-08", AIR)]


def test_a_bomb_someone_planted_is_still_a_mine_in_an_air_strike_story(db):
    text = STRIKE + "On Thursday, guerrillas laid bombs that went off at a police post."
    assert kinds(read(db, text)) == [("Salin", "2023-11-08", AIR), ("Salin", "2023-11-09", MINE)]


@pytest.mark.parametrize("joint", [", and on", " and on"])
def test_a_day_opening_the_next_clause_is_not_the_first_deeds(db, joint):
    text = (f"On November 3, an old man in Kanpa village, Salin Township died when army guns "
            f"fired shells into the village{joint} November 6, more shelling hurt two boys.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-03", SHELL),
                                     ("Salin", "2023-11-06", SHELL)]


def test_a_day_after_the_deed_without_a_new_clause_is_still_its_own(db):
    text = "Army guns fired shells into Kanpa village in Salin Township on November 6."
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", SHELL)]


STORY = "Soldiers detained 15 residents of Kanpa village in Salin Township on Wednesday. "


@pytest.mark.parametrize("since", [
    "The junta has held about 60 people in Salin since renewed hostilities between the army "
    "and the PDF started on October 2.",
    "About 60 people have been held in Salin since fighting between the army and the PDF "
    "resumed on October 2.",
])
def test_a_spell_counted_since_fighting_began_is_not_a_clash(db, since):
    assert kinds(read(db, STORY + since)) == [("Salin", "2023-11-08", ARRESTS)]


def test_fighting_that_broke_out_on_a_day_is_still_a_clash(db):
    text = STORY + "Fighting with the PDF broke out in the township on October 2."
    assert ("Salin", "2023-10-02", CLASH) in kinds(read(db, text))
