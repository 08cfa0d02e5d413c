"""Rules added after held-out batch 16 (articles 214-222), on short made-up sentences: habits
told with "sometimes" or "whoever they can", people held by troops as civilians, who took a
place when a conjunction opens its clause or no group is its subject, and the parts of a battle
told beside it (its prisoners, the outposts abandoned as it was won)."""

from __future__ import annotations

import pytest
from made_up import OVERTAKE, kinds, sub_types
from made_up import report as read

from bot.extraction.kinds import ARRESTS, ATTACK, CLASH, REGAIN, TRANSFER


@pytest.fixture(scope="module")
def db(module_db):
    return module_db


def test_what_troops_sometimes_do_or_do_to_whoever_they_can_is_a_habit():
    assert sub_types("Sometimes, they even beat the young men they take.") == []
    assert sub_types("They move around and arrest whoever they can.") == []
    assert sub_types("Troops arrested five men on Monday.") == [ARRESTS]


def test_detainees_killed_are_civilians_killed():
    assert sub_types("Three detainees were tortured and killed by troops.") == [ATTACK]
    assert sub_types("Two captives were shot dead by the soldiers.") == [ATTACK]


def test_a_capture_told_after_when_is_by_the_group_after_when(db):
    text = ("Ten soldiers were killed when the People's Defence Force seized a junta camp in "
            "Pale Township on Monday.")
    assert kinds(read(db, text)) == [("Pale", "2023-11-06", OVERTAKE)]


def test_a_capture_with_no_group_as_subject_took_the_named_groups_place(db):
    text = ("“We were able to capture the military council camps near Pale town on Monday,” a "
            "spokesman said.")
    assert kinds(read(db, text)) == [("Pale", "2023-11-06", OVERTAKE)]
    # the side named as the subject still decides
    text = "Junta troops retook the camp in Pale Township on Monday."
    assert kinds(read(db, text)) == [("Pale", "2023-11-06", REGAIN)]


def test_soldiers_taken_in_a_battle_are_its_prisoners_not_arrests(db):
    text = ("Resistance forces captured a junta camp in Pale Township on Monday. Twelve soldiers "
            "died and 20 were arrested by our forces.")
    assert kinds(read(db, text)) == [("Pale", "2023-11-06", OVERTAKE)]
    # civilians arrested after a battle are arrests, whoever made them
    text = ("Troops clashed with the PDF in Pale Township on Monday. After the fighting, troops "
            "arrested ten villagers.")
    assert kinds(read(db, text)) == [("Pale", "2023-11-06", CLASH),
                                     ("Pale", "2023-11-06", ARRESTS)]


def test_outposts_abandoned_on_the_day_they_were_seized_were_lost_in_the_fight(db):
    text = ("The KIA seized the outposts in Pale Township on Sunday. Fleeing junta troops "
            "abandoned their other outposts.")
    assert kinds(read(db, text)) == [("Pale", "2023-11-05", OVERTAKE)]
    # with no capture that day, abandoning a post is a transfer
    text = "Junta troops abandoned their outposts in Pale Township on Sunday."
    assert kinds(read(db, text)) == [("Pale", "2023-11-05", TRANSFER)]
