"""Likely duplicates: same township, dates within two days, an actor in common."""

from __future__ import annotations

import pytest
from conftest import log

from bot.corrections import delete_event, merge_events
from bot.duplicates import likely_duplicates
from bot.errors import InvalidInput

CLASH = {"actors": ["KNDF"], "opponents": ["junta"], "event_type": "Armed clash"}


def pairs(db, guild_id: int = 0) -> list[tuple[int, int]]:
    return [(d.first.id, d.second.id) for d in likely_duplicates(db, guild_id)]


def test_the_same_clash_logged_twice_is_a_pair(db):
    a = log(db, date="2023-11-07", location="Ho Ya", **CLASH)
    b = log(db, date="2023-11-07", location="ho ya", **CLASH)
    [dup] = likely_duplicates(db, 0)
    assert (dup.first.id, dup.second.id) == (a.id, b.id)
    assert dup.score == 1.0
    assert dup.why[0] == "same day"
    assert "same location (Ho Ya)" in dup.why
    assert dup.to_json()["first"]["id"] == a.id


@pytest.mark.parametrize(
    "other",
    [
        {"date": "2023-11-04", **CLASH},  # three days apart
        {"township": "Loikaw", **CLASH},
        {"actors": ["TNLA"], "opponents": ["BGF"], "event_type": "Armed clash"},
    ],
)
def test_not_a_pair(db, other):
    log(db, date="2023-11-07", **CLASH)
    log(db, **other)
    assert pairs(db) == []


def test_most_similar_first(db):
    base = log(db, date="2023-11-07", **CLASH)
    near = log(db, date="2023-11-07", **CLASH)
    far = log(db, date="2023-11-05", actors=["KNDF", "PDF"], opponents=["junta"],
              event_type="Air/drone strike")
    found = likely_duplicates(db, 0)
    assert [(d.first.id, d.second.id) for d in found] == [
        (base.id, near.id), (near.id, far.id), (base.id, far.id)]
    assert found[0].score > found[1].score >= found[2].score
    assert found[1].why[0] == "2 days apart"


def test_deleted_merged_and_other_teams_events_are_left_out(db):
    a, b = log(db, **CLASH), log(db, **CLASH)
    log(db, guild_id=1, **CLASH)
    delete_event(db, 0, b.id, by="e", reason="dup")
    assert pairs(db) == []
    c = log(db, **CLASH)
    assert pairs(db) == [(a.id, c.id)]
    merge_events(db, 0, a.id, c.id, by="e", reason="dup")
    assert pairs(db) == []
    assert pairs(db, 1) == []


def test_limit(db):
    for _ in range(4):
        log(db, **CLASH)
    assert len(likely_duplicates(db, 0, limit=2)) == 2
    with pytest.raises(InvalidInput):
        likely_duplicates(db, 0, limit=0)
