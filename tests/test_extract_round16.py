"""Rules added after blind batches 21 and 22 (articles 259-278), on short made-up sentences:
where a column moved on to after acting in a village, people "from" a township told with an
aside about who they were, a township's name split in two, people picked up, a place in a unit's
area, arson after the fighting, a finite verb ending an aim, protesters shot at, fighting over
recent weeks, an attack told by its weapon, a group described by what it does, "the attack
occurred" with no event told before, an attack named by its village, a raid on several bases, and
the weapon a group says it used."""

from __future__ import annotations

import pytest
from made_up import kinds, townships
from made_up import report as read

from bot.extraction.kinds import (
    ABDUCT,
    AIR,
    ARRESTS,
    CLASH,
    EXCESSIVE,
    INTERVENTION,
    MINE,
    OVERTAKE,
    PROPERTY,
    SHELL,
)


@pytest.fixture(scope="module")
def db(module_db):
    return module_db


def test_where_a_column_moved_on_to_after_acting_in_a_village_is_not_where_it_acted(db):
    text = ("Troops raided Ta Gu village on Monday and seized 9 villagers as porters while they "
            "marched to Kyun Ywa village in Pale Township.")
    assert townships(db, text) == []
    # the only place told: an ambush on the way is put where the column was going
    assert townships(db, "The convoy was ambushed as it headed to Pale Township.") == ["Pale"]


def test_people_from_a_township_told_with_an_aside_about_who_they_were_live_there(db):
    text = ("Seven civilians, including two nurses, from Salin Township were killed by the "
            "military. Troops raided Ta Gu village on Monday and took 12 villagers as human "
            "shields while they marched to Kyun Ywa village in Pale Township.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", ABDUCT)]


def test_a_one_word_township_written_as_two_words_with_the_syllable_unvoiced(db):
    # "Salin" cannot be split; Ponnagyun can: "Ponna Kyun", the later syllable as said alone
    assert townships(db, "Troops detained 12 men in Ponna Kyun on Monday.") == ["Ponnagyun"]
    assert townships(db, "In Ponna Gyun, troops detained 12 men on Monday.") == ["Ponnagyun"]
    # a village's name is no township's, even when its words join into one
    assert townships(db, "Troops torched Myo Thit village on Monday.") == []


def test_people_picked_up_were_detained_but_not_bodies(db):
    text = "On Monday, more than 30 residents were picked up near the market in Salin Township."
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", ARRESTS)]
    assert kinds(read(db, "The bodies were picked up in Salin Township on Monday.")) == []


def test_a_place_in_a_unit_s_area_is_there_but_a_unit_is_only_named_for_a_place(db):
    text = "Troops torched 25 houses in two villages in KNU Battalion 2 of Taungoo District."
    assert townships(db, text) == ["Taungoo"]
    assert townships(db, "Soldiers of Light Infantry Battalion 2 of Taungoo torched houses.") == []


def test_troops_burning_houses_after_the_fighting_go_on_with_its_day(db):
    text = ("Troops clashed with the PDF in Salin Township on Monday. Regime troops burned down "
            "25 houses in Ta Gu village after the fighting.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", CLASH),
                                     ("Salin", "2023-11-06", PROPERTY)]
    # guns firing "following the clashes" are some day after
    text = ("Troops clashed with the PDF in Salin Township on Monday. Artillery fired shells "
            "into Ta Gu village following the clashes.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", CLASH)]


def test_a_finite_verb_after_an_infinitive_ends_the_aim(db):
    text = ("Troops raided Ta Gu village in Salin Township on Monday. Villagers who were unable "
            "to escape in time were arrested by the soldiers.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", ARRESTS)]
    # still an aim: what troops were posted to fight off
    text = "Troops were posted in Salin Township on Monday to fight off resistance attacks."
    assert kinds(read(db, text)) == []


def test_protesters_shot_at_met_excessive_force_but_rubber_bullets_do_not(db):
    text = "Students were shot during a protest in Salin Township on Monday."
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", EXCESSIVE)]
    text = "Students were shot with rubber bullets during a protest in Salin Township on Monday."
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", INTERVENTION)]


def test_fighting_over_recent_weeks_is_a_stretch_not_an_event(db):
    text = ("A junta airstrike on a village in Salin Township on Tuesday killed one civilian, in "
            "an area that has seen heavy fighting in recent weeks.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-07", AIR)]


def test_an_attack_told_by_its_weapon_and_a_group_described_by_what_it_does(db):
    text = ("Troops moored boats in Salin Township on Monday. Resistance fighters targeted the "
            "boats with heavy weaponry on Tuesday, said the Salin PDF, a group fighting the "
            "regime.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-07", SHELL)]
    text = "The KIA and other groups attacked the junta camp in Salin Township on Monday."
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", CLASH)]


def test_the_attack_that_occurred_is_the_deed_its_sentence_tells(db):
    text = ("Troops razed 400 homes in two villages, residents said. The attack occurred on "
            "Monday, when soldiers entered Ta Gu village in Salin Township and began setting "
            "homes ablaze. “They burned our homes though we didn’t attack them,” a resident said.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", PROPERTY)]


def test_an_attack_named_by_its_village_refers_back(db):
    text = ("Troops torched Ta Gu village in Salin Township on Monday. Residents said it was "
            "payback for casualties the troops suffered in the Kyun Ywa village attack.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", PROPERTY)]


def test_a_raid_on_several_bases_of_which_one_was_taken_is_a_battle_too(db):
    text = ("The KNLA seized a junta outpost in Hpapun Township on Monday. The KNLA raided three "
            "junta outposts there on Monday.")
    assert kinds(read(db, text)) == [("Hpapun", "2023-11-06", CLASH),
                                     ("Hpapun", "2023-11-06", OVERTAKE)]
    text = ("The KNLA seized a junta outpost in Hpapun Township on Monday. The KNLA attacked the "
            "outpost at dawn on Monday.")
    assert kinds(read(db, text)) == [("Hpapun", "2023-11-06", OVERTAKE)]


def test_the_weapon_a_group_says_it_used_types_the_attack_just_told(db):
    text = ("The KIA attacked a junta convoy in Hpakant Township on Monday. The KIA said that it "
            "used mines against the convoy.")
    assert kinds(read(db, text)) == [("Hpakant", "2023-11-06", MINE)]
