"""Rules added after held-out batch 18 (articles 230-238), on short made-up sentences: what a list
of instruments was used to do, the township of an article that names only one, drones shot down,
a weapon's heading, names after honorifics, semicolon lists of days, "the same day of their
arrest", protesters shot, situations in the present progressive, aims and deployments, drones'
grenades, explosives, people described, killings in custody, a strike dated by the sentence's
opening day, local defence organizations, asides before the story and groups taking part."""

from __future__ import annotations

import pytest
from made_up import kinds, sub_types, townships
from made_up import report as read

from bot.extract import extractor_for
from bot.extraction.kinds import (
    AIR,
    ARRESTS,
    ATTACK,
    CLASH,
    EXCESSIVE,
    GRENADE,
    INTERVENTION,
    MINE,
    OVERTAKE,
    REGAIN,
    SHELL,
)


@pytest.fixture(scope="module")
def db(module_db):
    return module_db


def test_what_a_list_of_instruments_was_used_to_do_is_told():
    assert sub_types("The army used a helicopter, a transport plane and two jets to drop bombs "
                     "on the village on Monday.") == [AIR]
    assert sub_types("Troops are trying to drop bombs on the village.") == []


def test_an_article_that_names_one_township_tells_its_dated_lede_there(db):
    text = ("Jets dropped bombs on Ta Gu village on 6 November. Two farmers were hurt. The village "
            "lies near a river. It was hit before. Villagers say it is quiet now. Residents of "
            "Salin Township are afraid.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", AIR)]
    # two townships named on their own: which one the lede is about is not known
    text = text + " Pale Township is quiet."
    assert kinds(read(db, text)) == []


def test_drones_shot_down_were_sent_to_strike():
    assert sub_types("Soldiers intercepted and shot down five drones over the town on "
                     "Monday.") == [AIR]
    assert sub_types("Two drones flying over the base were downed by the troops.") == [AIR]
    assert sub_types("The resistance shot down a helicopter on Monday.") == []


def test_where_a_weapon_in_flight_was_heading_is_its_target(db):
    assert townships(db, "Three drones heading towards Salin Township were neutralized.") \
        == ["Salin"]
    aside = extractor_for(db).places.find("Troops heading towards Salin Township clashed with "
                                          "the PDF.").event_townships
    assert aside == []


def test_a_name_after_a_burmese_honorific_is_a_person():
    assert sub_types("Soldiers arrested Daw Hla Hla in her shop on Monday.") == [ARRESTS]
    assert sub_types("Soldiers arrested U Tun Win at a checkpoint on Monday.") == [ARRESTS]


def test_a_semicolon_list_of_items_and_days_after_one_verb_is_one_event_a_day(db):
    text = ("Troops arrested 12 men in Salin Township on 1 November; over 20 people from Ta Gu on "
            "3 November; and nine from Kyun Ywa on 5 November.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-01", ARRESTS),
                                     ("Salin", "2023-11-03", ARRESTS),
                                     ("Salin", "2023-11-05", ARRESTS)]
    # a clause with a verb of its own after the semicolon is not an item of the list
    text = ("Troops arrested 12 men in Salin Township on 1 November; residents fled on "
            "3 November.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-01", ARRESTS)]


def test_the_same_day_of_an_event_told_is_its_day(db):
    text = ("Soldiers arrested four youths in Salin Township on Monday. The youths are accused of "
            "a robbery on 1 November. On the same day of their arrest, soldiers arrested two "
            "teachers.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", ARRESTS)]


def test_protesters_shot_in_the_body_or_dying_of_gunshots_met_excessive_force():
    assert sub_types("A protester was shot in the chest at the rally on Monday.") == [EXCESSIVE]
    assert sub_types("Police shot at the protesters at the rally, and one of them died.") == [
        EXCESSIVE]
    assert sub_types("Police fired tear gas at the protest on Monday.") == [INTERVENTION]


def test_the_means_listed_after_a_present_progressive_are_the_situation(db):
    text = ("In Salin Township, the army is launching an offensive with ground raids, airstrikes, "
            "and artillery barrages.")
    assert kinds(read(db, "Troops shelled Pale Township on Monday. " + text)) == [
        ("Pale", "2023-11-06", SHELL)]


def test_a_retaking_that_is_an_aim_is_no_event():
    assert sub_types("The army sent more troops to retake the town.") == []
    assert sub_types("The army launched a new operation to retake the town.") == [CLASH]
    assert sub_types("The army retook the town on Monday.") == [REGAIN]


def test_taking_position_is_deployment_not_a_capture():
    assert sub_types("The PDF fought troops who were taking position for an ambush.") == [CLASH]
    assert sub_types("The PDF took two junta positions on Monday.") == [OVERTAKE]


def test_grenades_dropped_by_drones_are_the_drone_strike():
    assert sub_types("The PDF carried out drone attacks on the troops with 30 grenades.") == [AIR]
    assert sub_types("A grenade was thrown at the police station on Monday.") == [GRENADE]


def test_explosives_that_went_off_are_bombs():
    assert sub_types("Three explosives went off near the ward office on Monday.") == [MINE]


def test_those_who_got_arrested_are_people_described_not_an_arrest():
    assert sub_types("“Most of those who got arrested had joined the strike,” she said.") == []
    assert sub_types("Troops arrested five men on Monday.") == [ARRESTS]


def test_people_killed_the_day_they_were_arrested_were_killed_in_custody():
    assert sub_types("Two men were killed on Monday, the same day they were arrested.") == [
        ATTACK]
    assert sub_types("Two men were arrested on Monday.") == [ARRESTS]


def test_a_day_opening_the_sentence_dates_a_strike_told_with_the(db):
    text = ("Troops clashed with the PDF near Ta Gu village in Salin Township on 6 November. On "
            "6 November, the junta's artillery fire struck a school in the village.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", CLASH),
                                     ("Salin", "2023-11-06", SHELL)]
    # a campaign told with "its" is still the one told
    text = ("The PDF captured a camp in Salin Township on 6 November. On 2 November, the PDF "
            "launched its offensive.")
    assert kinds(read(db, text)) == [("Salin", "2023-11-06", OVERTAKE)]


def test_a_local_peoples_defence_organization_is_a_local_force(db):
    text = ("The local people’s defence organization attacked junta troops with landmines in Salin "
            "Township on Monday.")
    assert "People's Defence Force" in read(db, text)[0].actors


def test_a_placeless_aside_dated_before_the_story_names_no_coalition(db):
    text = ("The PDF began attacking Salin town on Friday 3 November. On 27 October, "
            "the Arakan Army said it had launched an operation against the junta. Resistance "
            "fighters seized the Salin police station on Sunday.")
    seized = [p for p in read(db, text) if p.sub_event_type == OVERTAKE]
    assert seized and "Arakan Army" not in seized[0].actors


def test_groups_among_the_forces_taking_part_join_the_battles_told(db):
    text = ("Resistance fighters seized the police station in Salin town on Sunday. A resident "
            "said the Kachin Independence Army was among the resistance forces taking part.")
    assert "Kachin Independence Army" in read(db, text)[0].actors
