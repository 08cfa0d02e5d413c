"""Actor administration on a real store: aliases, renames, merges, each audited."""

from __future__ import annotations

import pytest
from conftest import log
from test_corrections import snapshot

from bot.actor_admin import add_actor, add_alias, describe_actor, merge_actors, rename_actor
from bot.actors import create_actor, find_actor, resolve_actor
from bot.dates import DateRange
from bot.errors import InvalidInput, NotFound
from bot.events import get_event
from bot.queries import actor_activity


def actor_audit(db) -> list[dict]:
    return list(db.query("SELECT * FROM audit_log WHERE event_id IS NULL ORDER BY id"))


def test_an_alias_finds_the_actor_and_is_audited(db):
    log(db)
    kndf = add_alias(db, 0, "KNDF", "Karenni defence forces", by="admin", reason="Mizzima's name")
    assert find_actor(db, 0, "karenni defence forces") == kndf
    [row] = actor_audit(db)
    assert (row["action"], row["by"], row["reason"]) == ("actor-alias", "admin", "Mizzima's name")
    assert "Karenni defence forces" not in row["before"]
    assert "Karenni defence forces" in row["after"]


def test_rename_keeps_the_old_name_and_follows_alliances(db):
    event = log(db)
    rename_actor(db, 0, "Karenni Army", "Karenni Army (KNPP)", by="admin")
    assert find_actor(db, 0, "Karenni Army").name == "Karenni Army (KNPP)"
    assert "Karenni Army (KNPP)" in get_event(db, 0, event.id).actors
    rename_actor(db, 0, "3BHA", "Brotherhood Alliance", by="admin")
    tnla = describe_actor(db, 0, find_actor(db, 0, "TNLA").id)
    assert tnla["member_of"] == "Brotherhood Alliance"
    assert [r["action"] for r in actor_audit(db)] == ["actor-rename", "actor-rename"]


def test_merge_moves_every_event_without_duplicate_rows(db):
    create_actor(db, 0, "Mese PDF")
    both = log(db, actors=["Mese PDF", "PDF"])
    only = log(db, actors=["Mese PDF"])
    before = describe_actor(db, 0, find_actor(db, 0, "Mese PDF").id)
    pdf = merge_actors(db, 0, "PDF", "Mese PDF", by="admin", reason="one group")
    assert get_event(db, 0, both.id).actors == ["People's Defence Force"]
    assert get_event(db, 0, only.id).actors == ["People's Defence Force"]
    assert find_actor(db, 0, "Mese PDF") == pdf  # its names now lead to the kept actor
    assert db.execute("SELECT count(*) FROM actors WHERE name = 'Mese PDF'").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM event_actors WHERE event_id = ?",
                      [both.id]).fetchone()[0] == 2  # PDF and the Tatmadaw opponent
    activity = actor_activity(db, 0, "PDF", DateRange(None, None))
    assert activity["total_events"] == 2
    [row] = actor_audit(db)
    assert row["action"] == "actor-merge" and row["reason"] == "one group"
    assert f'"events": [{both.id}, {only.id}]' in row["before"]
    assert '"name": "Mese PDF"' in row["before"] and '"other": null' in row["after"]
    assert before["aliases"] == ["Mese PDF"]


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda db: add_alias(db, 0, "KNDF", "PDF", by="a"), InvalidInput, "merge the two"),
        (lambda db: add_alias(db, 0, "KNDF", "kndf", by="a"), InvalidInput, "already a name"),
        (lambda db: add_alias(db, 0, "KNDF", "  ", by="a"), InvalidInput, "Give the alias"),
        (lambda db: add_alias(db, 0, "Nobody Army", "x", by="a"), NotFound, "No armed group"),
        (lambda db: rename_actor(db, 0, "KNDF", "TNLA", by="a"), InvalidInput, "merge the two"),
        (lambda db: rename_actor(db, 0, "KNDF", "Karenni Nationalities Defense Force", by="a"),
         InvalidInput, "nothing changed"),
        (lambda db: rename_actor(db, 0, "KNDF", "", by="a"), InvalidInput, "new name"),
        (lambda db: merge_actors(db, 0, "PDF", "People's Defence Force", by="a", reason="r"),
         InvalidInput, "already the same actor"),
        (lambda db: merge_actors(db, 0, "PDF", "junta", by="a", reason="r"), InvalidInput,
         "opposite sides of event(s) #1"),
        (lambda db: merge_actors(db, 0, "PDF", "KNDF", by="a", reason=""), InvalidInput,
         "reason"),
        (lambda db: merge_actors(db, 0, "PDF", "Nobody Army", by="a", reason="r"), NotFound,
         "Nobody Army"),
    ],
)
def test_refusals_write_nothing(db, call, error, words):
    log(db)
    before = snapshot(db)
    with pytest.raises(error) as exc:
        call(db)
    assert words in exc.value.user_message
    assert snapshot(db) == before


def test_actor_changes_stay_within_the_team(db):
    log(db)
    add_alias(db, 0, "KNDF", "Karenni defence", by="admin")
    assert find_actor(db, 1, "Karenni defence") is None
    merge_actors(db, 0, "PDF", "KNDF", by="admin", reason="test")
    assert find_actor(db, 1, "KNDF").name == "Karenni Nationalities Defense Force"


def test_add_actor_with_aliases_is_one_audited_change(db):
    actor = add_actor(db, 0, "Mandalay People's Defence Force", ["MDY-PDF", "Mandalay PDF"],
                      by="ed")
    assert resolve_actor(db, 0, "mdy-pdf").id == actor.id
    rows = list(db.query("SELECT action, after FROM audit_log WHERE action = 'actor-add'"))
    assert len(rows) == 1 and "Mandalay PDF" in rows[0]["after"]
    with pytest.raises(InvalidInput):  # an alias someone else holds: nothing is added
        add_actor(db, 0, "Another Force", ["KNDF"], by="ed")
    assert find_actor(db, 0, "Another Force") is None
