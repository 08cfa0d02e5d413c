"""``bot.extract`` end to end: carry-over, merging, statements, duplicates and the seed."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import SHARED
from made_up import ARTICLE, FRIDAY, read

from bot.actors import create_actor
from bot.corrections import delete_event
from bot.errors import InvalidInput
from bot.events import get_event, log_event
from bot.extract import Proposal, extract, extractor_for, parse_article


@pytest.fixture(scope="module")
def shared_db(module_db):
    return module_db


def only(proposals: list[Proposal]) -> Proposal:
    assert len(proposals) == 1, [(p.township, p.date, p.sub_event_type) for p in proposals]
    return proposals[0]


# --- the seed article (issue 6, "Must show") ---------------------------------------------

def test_seed_article_proposes_the_mese_capture_and_the_nawnghkio_clash(shared_db):
    text = (SHARED / "articles" / "00_seed.txt").read_text(encoding="utf-8")
    url, published, _ = parse_article(text)
    assert published == date(2023, 11, 10)
    proposals = {(p.township, p.date): p for p in read(shared_db, text, published)}

    mese = proposals[("Mese", "2023-11-07")]
    assert (mese.event_type, mese.sub_event_type) == ("Battles",
                                                      "Non-state actor overtakes territory")
    assert {"Karenni National People's Liberation Front", "Karenni Army",
            "Karenni Nationalities Defense Force", "People's Defence Force"} <= set(mese.actors)
    assert mese.opponents == ["Tatmadaw"]
    assert mese.sources == [url]
    assert "Operation 1107" in mese.evidence

    clash = proposals[("Nawnghkio", "2023-11-08")]
    assert clash.sub_event_type == "Armed clash"
    assert {"Ta'ang National Liberation Army", "People's Defence Force"} <= set(clash.actor_side)
    assert clash.opponents == ["Tatmadaw"]
    assert clash.state_region == "Shan (North)"


def test_a_proposal_confirms_into_a_stored_event_with_its_source(db):
    text = (SHARED / "articles" / "00_seed.txt").read_text(encoding="utf-8")
    mese = next(p for p in extract(text, FRIDAY, db=db) if p.township == "Mese")
    event = log_event(db, 0, mese.to_new_event("https://example.org/a"), by="tester",
                      ref=FRIDAY)
    assert (event.date, event.township, event.sub_event_type) == (
        "2023-11-07", "Mese", "Non-state actor overtakes territory")
    assert set(event.actors) | set(event.opponents) == set(mese.actors)
    assert event.sources == ["https://example.org/a"]


def test_json_is_the_event_shape_without_id_plus_evidence_and_duplicate(shared_db):
    proposal = only(read(shared_db, "Junta troops shelled Hmaw Bon village in Hpakant "
                                    "Township on Tuesday."))
    shape = proposal.to_json()
    assert {"date", "date_precision", "township", "pcode", "state_region", "location",
            "actors", "opponents", "event_type", "sub_event_type", "fatalities", "sources",
            "notes", "evidence", "duplicate_of"} <= set(shape)
    assert "id" not in shape
    assert shape["location"] == "Hmaw Bon"
    assert shape["evidence"] == "Junta troops shelled Hmaw Bon village in Hpakant Township on " \
                                "Tuesday."


# --- reading the article ------------------------------------------------------------------

def test_parse_article_headers_and_plain_text():
    url, published, body = parse_article(ARTICLE + "Body text.")
    assert (url, published, body) == ("https://example.org/report", FRIDAY, "Body text.")
    assert parse_article("Just a body.\n") == (None, None, "Just a body.")
    with pytest.raises(InvalidInput):
        parse_article("published: 10/11/2023\n\nBody.")


def test_a_sentence_continuing_a_report_inherits_its_place_and_date(shared_db):
    text = ("KNDF fighters clashed with junta troops in Demoso Township on Tuesday.\n\n"
            "Junta troops also shelled a nearby village.")
    found = {p.sub_event_type: p for p in read(shared_db, text)}
    assert set(found) == {"Armed clash", "Shelling/artillery/missile attack"}
    assert {(p.township, p.date) for p in found.values()} == {("Demoso", "2023-11-07")}


def test_a_new_area_or_a_period_stops_the_carry_over(shared_db):
    text = ("Troops shelled villages in Pekon Township on Tuesday.\n\n"
            "Airstrikes also hit Kachin State.\n\n"
            "Since October, the military has burned houses.")
    assert [p.sub_event_type for p in read(shared_db, text)] == [
        "Shelling/artillery/missile attack"]


def test_a_lede_without_a_township_takes_the_one_named_next(shared_db):
    text = ("The KIA captured three junta outposts on Tuesday morning.\n\n"
            "The outposts are in Hpakant Township, Kachin State.")
    proposal = only(read(shared_db, text))
    assert (proposal.township, proposal.date, proposal.sub_event_type) == (
        "Hpakant", "2023-11-07", "Non-state actor overtakes territory")


def test_a_following_sentence_can_date_the_event_just_told(shared_db):
    text = ("A drone strike on a police station in Ngazun Township killed five soldiers. "
            "The attack occurred around 9 PM on Tuesday.")
    proposal = only(read(shared_db, text))
    assert (proposal.township, proposal.date, proposal.sub_event_type) == (
        "Ngazun", "2023-11-07", "Air/drone strike")


def test_each_trigger_takes_the_nearest_of_several_days(shared_db):
    text = ("The KIA attacked a junta camp in Kutkai Township on Sunday and was able to seize "
            "the whole camp the next day.")
    proposal = only(read(shared_db, text))
    assert (proposal.date, proposal.sub_event_type) == (
        "2023-11-06", "Non-state actor overtakes territory")


def test_an_attack_the_next_sentence_says_was_made_by_drones_is_a_drone_strike(shared_db):
    text = ("Resistance groups attacked a police station in Ngazun Township on Sunday. "
            "Two drones dropped six bombs on the station.")
    assert only(read(shared_db, text)).sub_event_type == "Air/drone strike"


def test_monthly_summaries_are_not_events(shared_db):
    text = "Junta airstrikes in Hpapun Township in January killed 13 civilians."
    assert read(shared_db, text, date(2023, 2, 15)) == []


def test_reports_of_one_event_merge_into_one_proposal(shared_db):
    first = "At least 30 soldiers were killed when the KIA attacked a junta camp in Hpakant " \
            "Township on Monday."
    second = "The KIA clashed with junta troops for two hours, and about 20 soldiers were killed."
    proposal = only(read(shared_db, f"{first} {second}"))
    assert proposal.sub_event_type == "Armed clash"
    assert proposal.evidence == f"{first} {second}"
    assert proposal.fatalities == 20  # the most conservative of conflicting figures


def test_a_capture_after_fighting_the_same_day_is_one_territorial_event(shared_db):
    text = ("The AA attacked a junta base in Minbya Township on Tuesday. "
            "The base was seized the same day.")
    proposal = only(read(shared_db, text))
    assert proposal.sub_event_type == "Non-state actor overtakes territory"
    assert set(proposal.actors) == {"Arakan Army", "Tatmadaw"}


def test_the_military_retaking_a_town_is_government_regains_territory(shared_db):
    text = "The Tatmadaw retook Tigyaing on Sunday after the KIA withdrew."
    proposal = only(read(shared_db, text))
    assert proposal.sub_event_type == "Government regains territory"
    assert proposal.actor_side == ["Tatmadaw"]


def test_generic_resistance_words_resolve_to_the_groups_the_article_named(shared_db):
    text = ("The KNDF and the Karenni Army launched an offensive last month.\n\n"
            "On Tuesday, resistance forces seized a junta base in Loikaw Township.")
    proposal = only(read(shared_db, text))
    assert set(proposal.actor_side) == {"Karenni Nationalities Defense Force", "Karenni Army"}
    assert proposal.opponents == ["Tatmadaw"]


def test_the_juntas_council_stands_for_its_forces_and_an_areas_holder_is_no_party(shared_db):
    text = ("On Tuesday, the military council bombed a church in Laywar village in Hpapun "
            "Township, a territory of the Karen National Union.")
    proposal = only(read(shared_db, text))
    assert (proposal.sub_event_type, proposal.actors) == ("Air/drone strike", ["Tatmadaw"])


def test_civilian_harm_lists_only_who_did_it(shared_db):
    text = ("Junta troops opened fire on villagers in Myaing Township on Tuesday as PDF "
            "fighters withdrew.")
    proposal = only(read(shared_db, text))
    assert (proposal.event_type, proposal.actors) == ("Violence against civilians",
                                                      ["Tatmadaw"])


@pytest.mark.parametrize("text", [
    "The Brotherhood Alliance vowed on Wednesday to extend its operation across the country.",
    "The KNDF said it will soon attack junta bases in Loikaw Township.",
    "The military is planning to launch airstrikes in Mese Township on Tuesday.",
    "There were no reports of fighting in Saw Township on Monday.",
])
def test_statements_vows_and_plans_are_not_events(shared_db, text):
    assert read(shared_db, text) == []


def test_an_event_needs_a_day_and_a_township(shared_db):
    assert read(shared_db, "Junta troops shelled villages in Hpakant Township.") == []
    assert read(shared_db, "Junta troops shelled several villages on Tuesday.") == []


# --- rules added on unseen articles (held-out batches 51-82) --------------------------------

def kinds(proposals: list[Proposal]) -> list[tuple[str, str, str]]:
    return sorted((p.township, p.date, p.sub_event_type) for p in proposals)


def test_a_date_in_a_later_after_clause_does_not_date_the_main_verb(shared_db):
    text = ("The AA has seized an outpost in Paletwa Township after launching an offensive "
            "on Nov. 3.")
    assert read(shared_db, text) == []


def test_a_date_after_and_then_dates_only_the_later_action(shared_db):
    text = "Troops shelled the area and then torched houses in Pale Township on Tuesday."
    assert kinds(read(shared_db, text)) == [
        ("Pale", "2023-11-07", "Looting/property destruction")]


def test_one_verb_with_objects_on_two_days_is_two_events(shared_db):
    text = ("Troops torched Ywa Thit village on November 5 and Kyun village on Wednesday in "
            "Pale Township.")
    assert kinds(read(shared_db, text)) == [
        ("Pale", "2023-11-05", "Looting/property destruction"),
        ("Pale", "2023-11-08", "Looting/property destruction")]


def test_the_story_goes_on_with_the_main_clauses_day(shared_db):
    text = ("The KIA took the Hka camp in Momauk Township on Sunday after a week of fighting "
            "with junta troops that saw the Ja outpost fall on Nov. 1. Junta jets bombed the camp.")
    assert kinds(read(shared_db, text)) == [
        ("Momauk", "2023-11-01", "Non-state actor overtakes territory"),
        ("Momauk", "2023-11-05", "Air/drone strike"),
        ("Momauk", "2023-11-05", "Non-state actor overtakes territory")]


def test_a_protest_is_one_event_a_day_typed_by_the_worst_done_to_it(shared_db):
    text = ("Police shot dead a protester in Monywa on Sunday. Police also fired rubber "
            "bullets to disperse the crowd.")
    assert only(read(shared_db, text)).sub_event_type == "Excessive force against protesters"


def test_the_military_a_protest_opposes_is_not_a_party_to_it(shared_db):
    text = "Students protested against the military in Monywa on Sunday."
    assert only(read(shared_db, text)).actors == ["protesters"]


def test_people_troops_hold_in_a_monastery_were_abducted_not_arrested(shared_db):
    text = ("Troops arrested 30 villagers in Pale Township on Monday. The villagers are still "
            "being held in the village monastery.")
    assert only(read(shared_db, text)).sub_event_type == "Abduction/forced disappearance"


def test_troops_occupying_a_village_in_a_raid_take_no_territory(shared_db):
    text = "Troops raided Ywa Thit village in Pale Township on Monday and occupied the village."
    assert read(shared_db, text) == []


def test_the_perpetrators_named_when_a_raid_begins_did_what_follows(shared_db):
    text = ("Troops and Pyu Saw Htee militia entered Ywa Thit village in Pale Township on "
            "Monday. They burned 20 houses.")
    assert set(only(read(shared_db, text)).actors) == {"Tatmadaw", "Pyu Saw Htee"}


def test_saying_when_the_attacks_occurred_dates_one_of_them(shared_db):
    text = ("Resistance forces carried out landmine attacks on junta convoys in Pale Township "
            "on 7 and 8 November. The attacks occurred near Ywa Thit village on 7 November, "
            "killing two soldiers.")
    assert kinds(read(shared_db, text)) == [
        ("Pale", "2023-11-07", "Remote explosive/landmine/IED"),
        ("Pale", "2023-11-08", "Remote explosive/landmine/IED")]


def test_a_reference_back_with_its_own_day_and_township_is_another_event(shared_db):
    text = ("Troops shot two villagers in Pale Township on Tuesday. A resident said the same "
            "unit was responsible for the massacre of 12 villagers in Kani Township this month.")
    assert ("Kani", "2023-11-01", "Attack") in kinds(read(shared_db, text))


def test_unnamed_resistance_is_coded_as_the_pdf(shared_db):
    text = "Resistance groups attacked a police station in Pale Township on Monday."
    assert "People's Defence Force" in only(read(shared_db, text)).actors


# --- duplicates against the store -----------------------------------------------------------

def _store_mese_capture(db, guild_id: int = 0) -> int:
    text = "On Tuesday, the KNDF and PDFs seized two junta bases in Mese Township, Kayah State."
    proposal = only(extract(text, FRIDAY, db=db, guild_id=guild_id))
    return log_event(db, guild_id, proposal.to_new_event("https://example.org/first"),
                     by="tester", ref=FRIDAY).id


def test_a_stored_event_nearby_in_time_with_a_shared_group_is_flagged(db):
    stored = _store_mese_capture(db)
    again = "The KNDF captured a junta base in Mese Township on Wednesday, a resident said."
    proposal = only(extract(again, FRIDAY, db=db))
    assert proposal.duplicate_of == stored
    assert get_event(db, 0, stored).sources == ["https://example.org/first"]


def test_no_flag_for_another_team_a_deleted_event_or_other_groups(db):
    stored = _store_mese_capture(db)
    again = "The KNDF captured a junta base in Mese Township on Wednesday."
    assert only(extract(again, FRIDAY, db=db, guild_id=7)).duplicate_of is None
    other = "The KNPLF captured a police post in Mese Township on Wednesday."
    assert only(extract(other, FRIDAY, db=db)).duplicate_of is None
    far = "The KNDF captured a junta base in Mese Township on October 30."
    assert only(extract(far, FRIDAY, db=db)).duplicate_of is None
    delete_event(db, 0, stored, by="tester", reason="test")
    assert only(extract(again, FRIDAY, db=db)).duplicate_of is None


# --- the matchers are built once and follow the team's actor list --------------------------

def test_matchers_are_reused_and_rebuilt_when_the_actor_list_changes(db):
    first = extractor_for(db)
    assert extractor_for(db).groups is first.groups
    create_actor(db, 0, "Yaw Defense Force")
    assert extractor_for(db).groups is not first.groups
    text = "The Yaw Defense Force ambushed junta troops in Gangaw Township on Tuesday."
    assert "Yaw Defense Force" in only(extract(text, FRIDAY, db=db)).actors


def test_a_bare_attack_after_air_strikes_were_mentioned_is_an_air_strike(shared_db):
    text = ("Residents say air strikes by the military have killed nine villagers. The "
            "Wednesday attack on Ywa Thit village in Matupi Township wounded four people.")
    assert only(read(shared_db, text)).sub_event_type == "Air/drone strike"


def test_burning_the_base_taken_is_part_of_the_capture(shared_db):
    text = ("The KNLA captured a junta outpost in Hpapun Township on Monday and burned it "
            "down. After the outpost was set on fire, junta jets circled the area.")
    assert only(read(shared_db, text)).sub_event_type == "Non-state actor overtakes territory"


def test_a_raid_running_until_a_later_day_keeps_its_first_day(shared_db):
    text = ("Troops searched houses in Launglon Township on 7 November. They stayed in the "
            "village until 8 November. The soldiers stole motorcycles from some houses.")
    assert kinds(read(shared_db, text)) == [
        ("Launglon", "2023-11-07", "Looting/property destruction")]


def test_a_battle_told_only_by_its_dead_needs_one_township(shared_db):
    text = "Six soldiers were killed in Thaton and Bilin townships on Monday."
    assert read(shared_db, text) == []
    assert kinds(read(shared_db, "Six soldiers were killed in Bilin Township on Monday.")) == [
        ("Bilin", "2023-11-06", "Armed clash")]


def test_another_state_named_in_background_does_not_move_the_story(shared_db):
    text = ("The AA seized a camp in Ann Township on Wednesday. The group has also captured a "
            "township in Chin State. A helicopter shot at two villages on Wednesday evening.")
    assert kinds(read(shared_db, text)) == [
        ("Ann", "2023-11-08", "Air/drone strike"),
        ("Ann", "2023-11-08", "Non-state actor overtakes territory")]


def test_two_days_in_one_phrase_are_two_strikes(shared_db):
    text = "On 17 and 26 October, PDF drones attacked a junta base in Palaw Township."
    assert kinds(read(shared_db, text)) == [("Palaw", "2023-10-17", "Air/drone strike"),
                                            ("Palaw", "2023-10-26", "Air/drone strike")]


# --- rules added after held-out batch 5 (articles 92-103) --------------------------------

def test_a_reference_back_that_names_another_day_is_a_new_event(shared_db):
    text = (ARTICLE + "On November 8, troops shelled Kyauktaga Township, killing two villagers."
            "\n\nMeanwhile, the junta shelling on November 6 killed three more villagers.")
    found = read(shared_db, text)
    assert sorted(p.date for p in found) == ["2023-11-06", "2023-11-08"]
    assert {p.sub_event_type for p in found} == {"Shelling/artillery/missile attack"}


def test_fighting_dated_by_its_own_relative_clause_is_no_event_of_the_main_day(shared_db):
    text = (ARTICLE + "Residents returned to a village in Waingmaw Township in December 2018 "
            "after years of fighting between the army and KIA forces that erupted in 2011.")
    assert read(shared_db, text) == []


def test_groups_that_conducted_the_attack_join_the_event(shared_db):
    text = (ARTICLE + "On November 8, mines exploded as junta troops entered a village in "
            "Kyaikto Township.\n\nThe KNLA and PDF joint forces conducted the mine attack on "
            "junta forces.")
    found = only(read(shared_db, text))
    assert found.sub_event_type == "Remote explosive/landmine/IED"
    assert {"Karen National Union/Karen National Liberation Army",
            "People's Defence Force"} <= set(found.actors)


def test_driven_from_a_base_by_airstrikes_is_no_peaceful_transfer(shared_db):
    text = (ARTICLE + "On Thursday, the TNLA said its troops abandoned the base in Lashio "
            "Township because of junta airstrikes.")
    assert all(p.sub_event_type != "Non-violent transfer of territory"
               for p in read(shared_db, text))
