"""Rules added after held-out batch 17 (articles 223-229), on short made-up sentences: the region
of a neighbour named to situate a place, a town where the wounded were treated, one capture a
day in a place, changes in how much fighting there is, fighting that is feared, and the past
perfect's events, which the story's day does not date."""

from __future__ import annotations

import pytest
from made_up import OVERTAKE, PROPERTY, kinds, sub_types
from made_up import report as read

from bot.extraction.kinds import CLASH, SHELL


@pytest.fixture(scope="module")
def db(module_db):
    return module_db


def test_the_region_of_a_neighbouring_township_does_not_move_the_story(db):
    text = ("Junta troops torched houses in Salin Township, Magway Region, on Monday. Troops "
            "marched to the border with Pale Township in Sagaing Region on Tuesday. On Tuesday, "
            "the soldiers burned down two more villages.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", PROPERTY),
                                     ("Salin", "2023-11-07", PROPERTY)]


def test_the_town_where_the_wounded_were_treated_is_not_where_it_happened(db):
    text = ("Junta artillery hit a village in Salin Township on Monday, killing two people. "
            "Three were taken to hospital in the nearby town of Minbu. More shells fell on the "
            "same village on Tuesday.")
    assert {p.township for p in read(db, text)} == {"Salin"}


def test_one_capture_a_day_in_a_place_as_first_told(db):
    text = ("The PDF captured a junta camp in Pale Township on Monday. “Our troops captured the "
            "camp after an hour of fighting,” a spokesman said.")
    assert kinds(read(db, text)) == [("Pale", "2023-11-06", OVERTAKE)]


def test_a_change_in_how_much_fighting_there_is_is_no_event():
    assert sub_types("Fighting between the PDF and the junta intensified in late October.") == []
    assert sub_types("Fighting in the area, home to thousands of farmers, has increased in "
                     "recent weeks.") == []
    assert sub_types("Clashes broke out and escalated on Monday.") == [CLASH]


def test_fighting_that_people_fear_is_no_event():
    assert sub_types("We worry about more fighting in our village.") == []
    assert sub_types("Residents fled in fear of air strikes.") == []
    assert sub_types("Troops shelled the village on Monday.") == [SHELL]


def test_the_past_perfect_is_not_dated_by_the_story(db):
    text = ("Junta troops burned houses in Salin Township on Monday. Residents had fled "
            "into the forest when the air and ground attacks began.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", PROPERTY)]
    # a clause of its own after "but" is still the story's
    text = ("Troops shelled a village in Salin Township on Monday. The PDF had withdrawn by noon, "
            "but troops clashed with another PDF unit in the evening.")
    assert ("Salin", "2023-11-06", CLASH) in kinds(read(db, text))
