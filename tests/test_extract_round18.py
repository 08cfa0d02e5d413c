"""Round 18: how a story's day flows past background, on made-up sentences (never an
article's words). A day recalled as a flashback ("previously raided the town on May 2") is
reported on its own day but does not become the day the next sentences inherit. A sentence
with no day of its own does not take the story's day when it tells a state of affairs: verbs
listed after one present perfect ("has raided …, arrested …, and shelled …"), what "there have
been reports of" introduces, a spell "during previous fighting", sides "engaged in" a fight.
And how a capture story's day and place flow: "came three days after it captured X" dates the
"after" clause three days before the day told; a lede dated by a week ("this week") waits, like
a dated one, for the township the next sentences give; "encampment" is a place taken; "as the
rebels took control" opens a clause whose subject is who took it."""

from __future__ import annotations

import pytest
from made_up import kinds
from made_up import report as read

from bot.extraction.kinds import ATTACK, CLASH, OVERTAKE, PROPERTY, SHELL


@pytest.fixture(scope="module")
def db(module_db):
    return module_db


def test_a_flashback_day_does_not_take_over_the_storys_day(db):
    text = ("Junta troops burned houses in Salin Township on Wednesday. Soldiers previously "
            "raided the town on October 3, burning 12 houses. The burning followed a clash "
            "between the troops and the local PDF.")
    assert kinds(read(db, text)) == [("Salin", "2023-10-03", PROPERTY),
                                     ("Salin", "2023-11-08", CLASH),
                                     ("Salin", "2023-11-08", PROPERTY)]


def test_a_day_told_without_a_flashback_word_still_moves_the_story(db):
    text = ("Junta troops burned houses in Salin Township on Wednesday. Soldiers raided the "
            "town on October 3, burning 12 houses. The burning followed a clash between the "
            "troops and the local PDF.")
    assert ("Salin", "2023-10-03", CLASH) in kinds(read(db, text))


STORY = "Junta troops burned 20 houses in Salin Township on Wednesday. "


@pytest.mark.parametrize("background", [
    "The junta has systematically raided villages, detained residents, and shelled the area with "
    "heavy weapons.",
    "There have been reports of homes damaged in villages near the town, as a result of junta "
    "airstrikes.",
    "Four villagers were shot dead after troops questioned residents of the town during "
    "previous fighting in the region.",
    "The PDF is engaged in a bitter fight with the military for control of the region.",
])
def test_an_undated_state_of_affairs_does_not_take_the_storys_day(db, background):
    assert kinds(read(db, STORY + background)) == [("Salin", "2023-11-08", PROPERTY)]


@pytest.mark.parametrize(("told", "deed"), [
    ("Troops raided the village, detained residents, and shelled the area with heavy weapons.",
     SHELL),
    ("Four villagers were shot dead after troops questioned residents of the town.", ATTACK),
    ("The PDF was in a bitter fight with the military near the town.", CLASH),
])
def test_the_same_deeds_told_in_the_past_take_the_storys_day(db, told, deed):
    assert ("Salin", "2023-11-08", deed) in kinds(read(db, STORY + told))


def test_an_after_clause_n_days_back_dates_its_own_event(db):
    text = ("The KIA's win in Shwegu Township on Wednesday came three days after it captured "
            "a nearby junta outpost, a resident said.")
    assert kinds(read(db, text)) == [("Shwegu", "2023-11-05", OVERTAKE)]


def test_n_days_after_a_noun_still_counts_forward(db):
    text = ("The KIA clashed with junta troops in Shwegu Township on Monday. Two days after the "
            "clash, soldiers burned 30 houses in the town.")
    assert ("Shwegu", "2023-11-08", PROPERTY) in kinds(read(db, text))


def test_a_lede_dated_by_a_week_is_placed_and_dated_by_the_next_sentence(db):
    text = ("Rebels took control of a large army camp in the north this week, locals "
            "said. The victory in Shwegu Township on Tuesday ended a long siege.")
    assert kinds(read(db, text)) == [("Shwegu", "2023-11-07", OVERTAKE)]


def test_an_encampment_is_a_place_taken(db):
    text = "Rebels took control of an army encampment in Shwegu Township on Tuesday."
    assert kinds(read(db, text)) == [("Shwegu", "2023-11-07", OVERTAKE)]


def test_the_subject_of_an_as_clause_is_who_took_the_place(db):
    text = ("Over 100 junta soldiers surrendered to the KIA in Shwegu Township on Tuesday as "
            "the rebels took control of their camp.")
    assert kinds(read(db, text)) == [("Shwegu", "2023-11-07", OVERTAKE)]


def test_bombardments_in_a_shelling_story_are_the_shelling(db):
    text = ("Junta artillery shelled Kyondoe village in Kawkareik Township on Monday. Five houses "
            "were destroyed by regime bombardments.")
    assert kinds(read(db, text)) == [("Kawkareik", "2023-11-06", SHELL)]


def test_dated_deaths_in_a_fight_told_as_going_on_are_its_dead(db):
    text = ("Fighting broke out between the KNDF and junta troops near a village in Demoso "
            "Township on 1 November. It was still ongoing on Friday. One KNDF fighter died on "
            "3 November and two were killed on 5 November.")
    assert kinds(read(db, text)) == [("Demoso", "2023-11-01", CLASH)]


def test_dated_deaths_after_a_fight_not_told_as_going_on_may_be_a_new_one(db):
    text = ("The KNDF attacked a junta camp in Demoso Township on 1 November. Two KNDF fighters "
            "were killed in a clash on 5 November.")
    assert ("Demoso", "2023-11-05", CLASH) in kinds(read(db, text))


def test_people_found_killed_after_a_raid_of_days_were_killed_when_it_began(db):
    text = ("Three villagers were found killed on Wednesday after a three-day raid by junta "
            "troops on a village in Salin Township. Their bodies were discovered by returning "
            "residents.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", ATTACK)]


def test_people_killed_on_a_day_after_a_raid_are_killed_that_day(db):
    text = ("Three villagers were killed on Wednesday after a three-day raid by junta troops on "
            "a village in Salin Township.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-08", ATTACK)]
