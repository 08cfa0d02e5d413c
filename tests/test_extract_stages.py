"""Each extraction step on its own, with short made-up sentences."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.db import open_db
from bot.extract import extractor_for
from bot.extraction.counts import fatalities
from bot.extraction.groups import RESISTANCE, ArticleNames
from bot.extraction.segment import mask_dateline, paragraphs, sentences
from bot.extraction.triggers import find_triggers
from bot.extraction.when import find_dates

FRIDAY = date(2023, 11, 10)


@pytest.fixture(scope="module")
def matchers(tmp_path_factory: pytest.TempPathFactory):
    db = open_db(Path(tmp_path_factory.mktemp("stages")) / "sitrep.db")
    yield extractor_for(db)
    db.close()


def names(matchers, text: str) -> list[str]:
    return [m.name for m in matchers.groups.find(text, ArticleNames({}, {})) if not m.aside]


def townships(matchers, text: str) -> list[str]:
    return [m.township.name for m in matchers.places.find(text).event_townships]


def sub_types(text: str, **kwargs: object) -> list[str]:
    return [t.sub_event_type for t in find_triggers(text, **kwargs)]


# --- segmentation -------------------------------------------------------------------------

def test_abbreviations_do_not_end_sentences():
    body = ("Lt. Col. Aung Min said Battalion No. 12 left on Aug. 9 at 10 a.m. on Sunday. "
            "The U.S. embassy said nothing.")
    assert [s.text for s in sentences(body)] == [
        "Lt. Col. Aung Min said Battalion No. 12 left on Aug. 9 at 10 a.m. on Sunday.",
        "The U.S. embassy said nothing.",
    ]


def test_an_abbreviation_can_still_end_a_sentence():
    found = sentences("They saw ten trucks at 9 a.m. The convoy was hit by a mine.")
    assert [s.text for s in found] == ["They saw ten trucks at 9 a.m.",
                                       "The convoy was hit by a mine."]


def test_quotes_are_kept_and_split_like_other_text():
    body = "“We took the base. Then we left,” he said. Nobody else spoke."
    assert [s.text for s in sentences(body)] == ["“We took the base.", "Then we left,” he said.",
                                                 "Nobody else spoke."]


def test_sentences_are_verbatim_spans_of_the_body_with_their_paragraph():
    body = "First one. Second one.\n\n  Third, after a blank line.\n"
    found = sentences(body)
    assert [(s.paragraph, s.first_in_paragraph) for s in found] == [(0, True), (0, False),
                                                                    (1, True)]
    assert all(body[s.start:s.start + len(s.text)] == s.text for s in found)


def test_one_paragraph_per_line_without_blank_lines():
    assert [text for _, text in paragraphs("One line.\nAnother line.")] == [
        "One line.", "Another line."]


def test_a_dateline_is_hidden_from_place_finding_but_kept_in_the_text():
    sentence = sentences("YANGON—Troops arrested five people.")[0]
    assert sentence.text.startswith("YANGON—")
    assert mask_dateline(sentence).strip() == "Troops arrested five people."


# --- places -------------------------------------------------------------------------------

def test_village_in_township_in_state(matchers):
    places = matchers.places.find("near Ho Phate village in Kayah State’s Demoso Township")
    assert [m.township.name for m in places.event_townships] == ["Demoso"]
    assert places.villages[0][0] == "Ho Phate"
    assert places.regions == {"Kayah"}


def test_township_region_pattern_and_old_region_names(matchers):
    places = matchers.places.find("an airstrike in Saw Township, Magwe Region on Monday")
    assert [m.township.name for m in places.event_townships] == ["Saw"]
    assert places.regions == {"Magway"}
    assert matchers.places.find("in northern Shan State").regions == {"Shan (North)"}


def test_place_names_only_count_when_capitalised_and_not_part_of_another_name(matchers):
    assert townships(matchers, "I saw the convoy leave.") == []
    assert townships(matchers, "Mandalay PDF fighters joined the attack.") == []
    assert townships(matchers, "in Tigyaing, Sagaing Region") == ["Tigyaing"]


def test_bases_destinations_and_origins_are_not_where_it_happened(matchers):
    text = ("Troops based in Monywa shelled Kani Township while a convoy was heading to the "
            "state capital Mawlamyine.")
    places = matchers.places.find(text)
    assert [m.township.name for m in places.event_townships] == ["Kani"]
    assert {m.township.name for m in places.townships if m.aside} == {"Monywa", "Mawlamyine"}


def test_romanisation_variants_of_a_township(matchers):
    assert townships(matchers, "five in Zabu Thiri Township") == ["Za Bu Thi Ri"]
    assert townships(matchers, "clashes in Pekhon Township on Monday") == ["Pekon"]


def test_a_district_counts_only_when_no_township_is_named(matchers):
    assert townships(matchers, "The MNDAA seized Kunlong, located in Lashio District.") == [
        "Kunlong"]
    assert townships(matchers, "Jets bombed villages in Hpapun District.") == ["Hpapun"]


def test_a_town_places_its_township_and_names_the_location(matchers):
    places = matchers.places.find("Resistance forces occupied Khampat on Monday.")
    assert [(m.township.name, m.site) for m in places.event_townships] == [("Tamu", "Khampat")]


# --- actors -------------------------------------------------------------------------------

def test_short_abbreviations_match_only_in_capitals(matchers):
    assert names(matchers, "KA and AA fighters advanced.") == ["Karenni Army", "Arakan Army"]
    assert names(matchers, "Ka Lay and Aa Min were injured.") == []


def test_plurals_spellings_and_curly_apostrophes(matchers):
    assert set(names(matchers, "PDFs and People’s Defence Forces")) == {
        "People's Defence Force"}
    assert names(matchers, "Mandalay PDF joined") == ["People's Defence Force"]


def test_generic_words_for_the_military_and_police(matchers):
    military = matchers.groups.military
    for text in ("junta troops fired", "regime forces advanced", "the military arrested",
                 "Light Infantry Battalion 565 shelled"):
        assert set(names(matchers, text)) == {military}, text
    assert set(names(matchers, "security forces raided")) == {military, matchers.groups.police}


def test_soldier_words_after_a_named_group_are_that_group(matchers):
    assert names(matchers, "KNLA troops ambushed a convoy") == [
        "Karen National Union/Karen National Liberation Army"]


def test_a_unit_named_after_from_says_which_force(matchers):
    found = names(matchers, "junta personnel from the border guard police station fired")
    assert found == [matchers.groups.police]


def test_resistance_words_are_kept_for_the_article_to_resolve(matchers):
    assert names(matchers, "Resistance forces seized the camp.") == [RESISTANCE]


def test_an_article_defines_abbreviations_and_local_branches(matchers):
    article = ArticleNames({}, {})
    matchers.groups.find("the Kachin Region People’s Defense Force (KPDF) and "
                         "Chinland Defense Force-Mindat", article)
    later = [m.name for m in matchers.groups.find("KPDF and the Mindat Defense Force", article)]
    assert later == ["People's Defence Force", "Chinland Defense Force"]


def test_sources_are_marked(matchers):
    text = "Fighting broke out near the village, a KNDF official told reporters."
    found = matchers.groups.find(text, ArticleNames({}, {}))
    assert [(m.name, m.aside) for m in found] == [("Karenni Nationalities Defense Force", True)]


# --- dates --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "day", "precision"), [
    ("clashes on Tuesday", date(2023, 11, 7), "day"),
    ("an attack on Wednesday night", date(2023, 11, 8), "day"),
    ("fighting on Friday", date(2023, 11, 10), "day"),
    ("seized on October 27", date(2023, 10, 27), "day"),
    ("seized on 9th November", date(2023, 11, 9), "day"),
    ("raided on Nov. 3", date(2023, 11, 3), "day"),
    ("shelled last week", date(2023, 10, 30), "week"),
])
def test_event_dates_resolve_on_or_before_publication(text, day, precision):
    (found,) = find_dates(text, FRIDAY)
    assert (found.when.date, found.when.precision, found.role) == (day, precision, "event")


@pytest.mark.parametrize(("text", "role"), [
    ("captured since October 27", "period"),
    ("the KNDF told reporters on Monday", "report"),
    ("the group stated on 13th November", "report"),
])
def test_what_a_date_dates(text, role):
    assert [m.role for m in find_dates(text, FRIDAY)] == [role]


def test_two_days_at_once_and_days_counted_from_another():
    assert [m.role for m in find_dates("on Monday and Tuesday", FRIDAY)] == ["several", "several"]
    relative = find_dates("attacked on Sunday and seized it the next day", FRIDAY)
    assert [(m.role, m.offset) for m in relative] == [("event", 0), ("relative", 1)]


def test_days_counted_back_or_forward():
    found = find_dates("Six days earlier, a girl stepped on a mine; two days later, more fell.",
                       FRIDAY)
    assert [(m.role, m.offset) for m in found] == [("relative", -6), ("relative", 2)]


def test_a_date_naming_a_past_event_is_not_a_date():
    assert find_dates("following the 1 February seizure of power", FRIDAY) == []


# --- fatalities ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "count"), [
    ("Four civilians were killed and seven injured.", 4),
    ("Two children, both aged 10, and a 60-year-old woman were killed.", 3),
    ("The strike killed at least 110 soldiers, including two commanders.", 110),
    ("Dozens of villagers were killed.", 12),
    ("Tens of soldiers died.", 10),
    ("Hundreds of people were killed.", 100),
    ("The jet opened fire for 10 minutes on a village 29 kilometres away.", None),
    ("Seven people were injured.", None),
])
def test_death_counts_in_words_digits_and_acled_conventions(text, count):
    assert fatalities(text) == count


# --- triggers -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Rebels clashed with junta troops.", ["Armed clash"]),
    ("The KIA seized a junta base.", ["Non-state actor overtakes territory"]),
    ("A regime air strike hit the village.", ["Air/drone strike"]),
    ("A fighter jet opened fire on the market.", ["Air/drone strike"]),
    ("Troops shelled the village.", ["Shelling/artillery/missile attack"]),
    ("Two farmers stepped on a landmine.", ["Remote explosive/landmine/IED"]),
    ("Soldiers arrested 20 villagers.", ["Arrests"]),
    ("Troops torched 50 houses.", ["Looting/property destruction"]),
    ("Soldiers opened fire on villagers.", ["Attack"]),
    ("Troops abducted ten residents.", ["Abduction/forced disappearance"]),
    ("Police dispersed the protesters with tear gas.", ["Protest with intervention"]),
    ("Students staged a protest.", ["Peaceful protest"]),
])
def test_cues_and_acled_definitions(text, expected):
    assert sub_types(text) == expected


def test_bodies_found_are_a_killing_unless_they_are_soldiers_killed_in_battle():
    assert sub_types("Residents found six bodies after troops raided the village.") == ["Attack"]
    assert sub_types("The KIA found the bodies of 30 junta troops.") == []


def test_police_taken_hostage_are_not_civilians_abducted():
    assert sub_types("Four police were taken hostage.") == []
    assert sub_types("Four villagers were taken hostage.") == ["Abduction/forced disappearance"]


def test_a_capture_after_fighting_is_the_capture_and_strikes_during_it_are_background():
    text = "A junta base was seized after heavy fighting, despite junta shelling."
    assert sub_types(text) == ["Non-state actor overtakes territory"]


def test_arrests_at_a_protest_are_an_intervention():
    assert sub_types("Police arrested 20 people.", protest_nearby=True) == [
        "Protest with intervention"]


@pytest.mark.parametrize("text", [
    "The alliance vowed to capture the town.",
    "The junta is planning to launch attacks.",
    "The KIA would try to seize the camp.",
    "There were no reports of fighting in the area.",
    "Troops were traveling to raid the village.",
    "Battalions have been shelling the town every evening.",
])
def test_plans_vows_negations_and_habits_are_not_events(text):
    assert sub_types(text) == []


def test_reports_of_a_state_of_affairs_need_their_own_date():
    (trigger,) = find_triggers("Resistance groups have occupied five towns.")
    assert trigger.needs_own_date
    (counted,) = find_triggers("Regime forces carried out 268 airstrikes.")
    assert counted.needs_own_date


def test_a_back_reference_is_flagged_for_the_article_to_judge():
    (trigger,) = find_triggers("The airstrike also destroyed three houses.")
    assert trigger.anaphoric
