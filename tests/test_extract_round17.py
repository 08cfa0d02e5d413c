"""Round 17: a strike, shelling or mine told inside a clash or raid story is its own Explosions/
Remote violence event on the story's day and township (CONVENTIONS.md R5, R6), on made-up
sentences: a side's guns named in the clash's own sentence ("provided artillery support … as
they clashed", "with heavy artillery fire from the military council"), a verb phrase of a weapon
after "the junta" ("and the junta fired heavy weapons"), people killed "by the junta's heavy
weapons" or who "died from a landmine explosion", and a shelling that was "still" going on that
day. The exceptions show what is NOT proposed: a weapon merely "deployed" (A1's generality), a
"despite shelling" circumstance (A1), people who fled "from" shelling, sounds heard, negation,
plans, periods, and an undated story."""

from __future__ import annotations

import pytest
from made_up import kinds, sub_types
from made_up import report as read

from bot.extraction.kinds import CLASH, MINE, OVERTAKE, SHELL


@pytest.fixture(scope="module")
def db(module_db):
    return module_db


def test_artillery_support_in_a_clash_sentence_is_a_shelling_of_its_own(db):
    text = ("Infantry Battalion 31 provided artillery support for the soldiers as they clashed "
            "with the KIA near Ta Gu village in Waingmaw Township on Monday.")
    assert kinds(read(db, text)) == [("Waingmaw", "2023-11-06", CLASH),
                                     ("Waingmaw", "2023-11-06", SHELL)]


def test_artillery_fire_told_as_a_phrase_of_the_clash_takes_the_storys_day(db):
    text = ("Resistance forces clashed with junta troops in Salin Township on Monday. The fighting "
            "lasted three hours, with heavy artillery fire from the military council.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", CLASH),
                                     ("Salin", "2023-11-06", SHELL)]


def test_a_weapons_verb_phrase_after_the_junta_is_no_reference_back():
    text = "The groups fought near the bridge on Thursday and the junta fired heavy weapons."
    assert sub_types(text) == [CLASH, SHELL]


def test_people_killed_by_a_sides_heavy_weapons_in_the_clashes_were_shelled(db):
    text = ("The PDF clashed with junta troops in Pale Township on Tuesday. Two villagers were "
            "hit and killed by the junta's heavy weapons during the clashes, the PDF said.")
    assert ("Pale", "2023-11-07", SHELL) in kinds(read(db, text))


def test_a_death_from_a_mine_in_a_capture_story_is_a_mine_event(db):
    text = ("The CNDF captured a junta camp in Salin Township on Wednesday. A CNDF soldier died "
            "from a landmine explosion, the group said.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-08", OVERTAKE),
                                     ("Salin", "2023-11-08", MINE)]


def test_a_shelling_still_going_on_that_day_is_the_storys(db):
    text = ("The PDF seized a junta camp in Pale Township on Monday. \u201cWe were still being "
            "shelled so we could not count the dead soldiers,\u201d a fighter said.")
    assert ("Pale", "2023-11-06", SHELL) in kinds(read(db, text))


# The exceptions: nothing of the kind proposed.

def test_artillery_merely_deployed_is_a_generality_not_a_shelling():
    assert SHELL not in sub_types("Amid intense clashes, the battalion deployed artillery widely.")
    assert SHELL not in sub_types("The junta used artillery and aircraft in the fighting.")
    # aimed at something, it is an act
    assert SHELL in sub_types("The battalion used artillery on the village on Monday.")


def test_despite_shelling_is_a_circumstance_of_the_capture(db):
    text = ("On Monday, a junta base in Pale Township was seized by resistance forces, despite "
            "junta shelling.")
    assert kinds(read(db, text)) == [("Pale", "2023-11-06", OVERTAKE)]


def test_people_who_fled_from_shelling_tell_no_strike(db):
    text = ("Resistance forces clashed with junta troops in Salin Township on Monday. Hundreds "
            "of villagers fled from junta shelling, residents said.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", CLASH)]


def test_sounds_heard_negated_or_planned_shelling_is_no_event():
    assert SHELL not in sub_types("We heard the sounds of artillery during the clash on Monday.")
    assert SHELL not in sub_types("The troops clashed on Monday, but there was no shelling.")
    assert SHELL not in sub_types("The junta is planning to shell the village on Monday.")


def test_a_period_of_shelling_and_an_undated_story_give_no_event(db):
    text = ("The junta has been shelling KIA positions in Mansi Township since Tuesday morning.")
    assert SHELL not in [p.sub_event_type for p in read(db, text)]
    text = ("Resistance forces clashed with junta troops in Salin Township, with heavy artillery "
            "fire from the military council.")
    assert kinds(read(db, text)) == []


def test_one_shelling_a_day_in_a_township_however_often_told(db):
    text = ("Light Infantry Battalion 500 provided artillery support as troops clashed with the "
            "PDF in Salin Township on Monday. The battalion fired at least 20 shells.")
    assert [k for k in kinds(read(db, text)) if k[2] == SHELL] == [
        ("Salin", "2023-11-06", SHELL)]
