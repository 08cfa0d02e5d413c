"""Rules added after held-out batches 19 and 20 (articles 239-258), on short made-up sentences:
spellings ("ey" for "ay", an aspirate inside a name), where troops went afterwards, a second day
in a sentence, tallies and "since …, when", protesters killed, a week narrowed to a day, a
region's townships, the day of an announcement, people taken away, a mine attack, an aside
between a cue and its day, a reported clause's own day, "a separate strike", a stretch of days
after a day, counted strikes, an explosion caused by firing, the past perfect past a participle's
comma, and operations against no one named."""

from __future__ import annotations

import pytest
from made_up import kinds, roles, sub_types, townships
from made_up import report as read

from bot.extraction.kinds import (
    ABDUCT,
    AIR,
    ARRESTS,
    ATTACK,
    CLASH,
    EXCESSIVE,
    MINE,
    OVERTAKE,
    PROPERTY,
    SHELL,
)


@pytest.fixture(scope="module")
def db(module_db):
    return module_db


def test_ey_is_another_spelling_of_the_ay_vowel(db):
    assert townships(db, "Troops torched houses in Theyet Township on Monday.") == ["Thayet"]


def test_an_aspirate_written_inside_a_bare_name_is_the_same_name(db):
    assert townships(db, "Troops torched 20 houses in Nathogyi on Monday.") == ["Natogyi"]


def test_where_troops_went_afterwards_is_not_where_it_happened(db):
    text = ("Jets bombed Ta Gu village in Salin Township on Monday. The ground troops have left "
            "to Pale region.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", AIR)]
    assert townships(db, "The column withdrew to Pale Township after the raid.") == []


def test_a_second_day_in_the_sentence_is_the_verb_s_only_without_a_verb_of_its_own(db):
    text = ("On 6 November, troops set fire to 12 homes in Ta Gu village in Salin Township, and "
            "four more homes in Kyun Ywa village on 7 November.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", PROPERTY),
                                     ("Salin", "2023-11-07", PROPERTY)]
    text = ("Troops set fire to homes in Ta Gu village in Salin Township on 6 November and "
            "searched Kyun Ywa village on 8 November.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", PROPERTY)]


def test_a_tally_by_a_day_is_no_event_but_a_stretch_opened_by_a_fight_dates_it(db):
    text = ("By 30 October at least 5,000 houses had been destroyed in arson attacks in Salin "
            "Township.")
    assert kinds(read(db, text)) == []
    assert [role for _, role in roles("Troops had taken the town by 4 November.")] == ["period"]
    assert [role for _, role in roles("The town was captured by 4 November.")] == ["event"]
    text = ("Thousands have fled Salin Township since 2 November, when heavy fighting broke out "
            "between the junta and the PDF.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-02", CLASH)]
    assert [role for _, role in roles("People have fled since 2 November, when the army "
                                      "seized power.")] == ["period"]


def test_a_protester_killed_by_the_police_met_excessive_force():
    assert sub_types("A protester was killed by soldiers in the town on Monday.") == [EXCESSIVE]
    assert sub_types("Soldiers killed two villagers on Monday.") == [ATTACK]


def test_a_report_dated_by_a_week_takes_the_day_told_next_or_none(db):
    text = ("Troops killed three farmers in Salin Township this week. The bodies were found after "
            "a raid on 7 November, residents said.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-07", ATTACK)]
    assert kinds(read(db, "Troops killed three farmers in Salin Township last week.")) == []
    # a day of another kind of event is that event's
    text = ("Last week, two men were arrested by police in Salin Township. A protest was held "
            "there on 8 November.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-08", "Peaceful protest")]


def test_a_region_named_before_its_townships_is_no_place_of_its_own(db):
    assert townships(db, "Troops raided villages in Mandalay's Madaya and Singu townships "
                         "on Monday.") == ["Madaya", "Singu"]


def test_a_day_opening_an_announcement_dates_the_announcement(db):
    text = ("On 9 November 2023 the Chin Brotherhood, an alliance of armed groups, announced that "
            "they captured a junta camp in Matupi on 8 November.")
    assert kinds(read(db, text)) == [("Matupi", "2023-11-08", OVERTAKE)]


def test_people_taken_away_were_detained():
    assert sub_types("Soldiers took away three men from the village on Monday.") == [ARRESTS]
    assert sub_types("The bodies were taken away by the troops.") == []


def test_a_mine_attack_is_a_mine_blast():
    assert sub_types("Six soldiers were killed in a resistance mine attack on a convoy on "
                     "Monday.") == [MINE]


def test_an_aside_about_the_victims_does_not_end_the_clause_before_its_day(db):
    text = ("Hundreds fled in the past few days after soldiers abducted six people, including "
            "two girls, on 6 November in Salin Township.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", ABDUCT)]


def test_a_day_after_a_reported_clause_s_verb_is_that_clause_s(db):
    assert [role for _, role in roles("A villager said the fighting resumed on Tuesday.")] \
        == ["event"]
    assert [role for _, role in roles("A villager told reporters on Tuesday.")] == ["report"]
    assert [role for _, role in roles("The general said at Armed Forces Day on 27 March that "
                                      "he would act.")] == ["report"]


def test_a_separate_strike_is_another_strike(db):
    text = ("Jets bombed Salin town on 7 November, killing two. On 6 November, three women were "
            "killed in a separate strike on the same town.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", AIR), ("Salin", "2023-11-07", AIR)]


def test_what_was_done_within_days_of_a_day_is_not_dated_by_it(db):
    text = ("The army launched an offensive against the PDF in Salin Township on 1 November and "
            "within five days detained 20 villagers.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-01", CLASH)]


def test_a_weapon_word_takes_the_number_of_its_noun(db):
    text = "The army conducted 120 airstrikes and artillery attacks in Salin Township in October."
    assert kinds(read(db, text)) == []


def test_an_explosion_caused_by_firing_is_a_shell():
    assert sub_types("An explosion hit the village due to the firing of junta troops on "
                     "Monday, killing one man.") == [SHELL]
    assert sub_types("Troops fired another heavy weapon into the village on Monday.") == [SHELL]


def test_a_past_perfect_reaches_past_its_participle_s_comma(db):
    text = ("Troops burned 30 homes in Salin Township on Friday. They had raided the town before, "
            "burning ten homes on 1 October. The incident began when the PDF clashed with the "
            "troops in the town.")
    assert ("Salin", "2023-11-10", CLASH) in kinds(read(db, text))


def test_operations_launched_against_no_one_named_are_no_battle():
    assert sub_types("The junta launched military operations in the forest area on Monday.") == []
    assert sub_types("The junta launched military operations against resistance forces on "
                     "Monday.") == [CLASH]
