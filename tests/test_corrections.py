"""Corrections on a real SQLite file: edit, delete, restore, merge, undo and history.

The last section proves the audit log append-only: no store function so much as prepares an
UPDATE or DELETE on it, its rows are byte-identical after every function has run, and raw SQL
is refused by the triggers.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime

import pytest
from conftest import REF, log, mese_event

from bot.actor_admin import add_alias, merge_actors, rename_actor
from bot.backup import backup
from bot.corrections import (
    EDITABLE_FIELDS,
    add_source,
    delete_event,
    edit_event,
    merge_events,
    restore_event,
    undo_own_log,
)
from bot.duplicates import likely_duplicates
from bot.errors import Forbidden, InvalidInput, NotFound, SitrepError
from bot.events import get_event, log_event
from bot.history import history, undo_last_change
from bot.queries import search

TABLES = ("events", "event_actors", "sources", "audit_log", "actors", "actor_aliases")
IRRAWADDY = "https://www.irrawaddy.com/news/burma/brotherhood-alliance-vows.html"
MIZZIMA = "https://mizzima.com/article/mese-bases"
DVB = "https://english.dvb.no/mese"


def snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table a correction may touch, in a stable order."""
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}


def audit_rows(db) -> list[tuple]:
    return db.execute("SELECT * FROM audit_log ORDER BY id").fetchall()


def edit(db, event_id: int, reason: str | None = "checked the article", **changes: str):
    return edit_event(db, 0, event_id, changes, by="editor", reason=reason, ref=REF)


# --- edit ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("date", "2023-11-06", {"date": "2023-11-06", "date_precision": "day"}),
        ("date", "Monday", {"date": "2023-11-06"}),  # relative to ref, as log_event reads it
        ("date", "week of 6 Nov 2023", {"date": "2023-11-06", "date_precision": "week"}),
        ("township", "Loikaw Township", {"township": "Loikaw", "state_region": "Kayah"}),
        ("location", "Ho Ya village", {"location": "Ho Ya village"}),
        ("actors", "KNDF; PDF", {"actors": ["Karenni Nationalities Defense Force",
                                            "People's Defence Force"]}),
        ("opponents", "", {"opponents": []}),
        ("type", "Armed clash", {"event_type": "Battles", "sub_event_type": "Armed clash"}),
        ("type", "Battles", {"event_type": "Battles", "sub_event_type": None}),
        ("fatalities", "1,200", {"fatalities": 1200}),
        ("sources", f"{MIZZIMA} {DVB}", {"sources": [MIZZIMA, DVB]}),
        ("notes", "", {"notes": None}),
    ],
)
def test_edit_sets_each_field_as_typed(db, field, value, expected):
    event = log(db)
    edited = edit(db, event.id, **{field: value})
    assert {k: edited.to_json()[k] for k in expected} == expected
    assert get_event(db, 0, event.id) == edited


def test_edit_writes_one_audit_row_with_before_and_after(db):
    event = log(db)
    edited = edit(db, event.id, fatalities="3", location="Ho Ya")
    rows = history(db, 0, event.id)
    assert [r["action"] for r in rows] == ["log", "edit"]
    assert rows[1]["reason"] == "checked the article"
    assert rows[1]["by"] == "editor"
    assert rows[1]["before"] == event.to_json()
    assert rows[1]["after"] == edited.to_json()
    assert datetime.fromisoformat(rows[1]["at"]).tzinfo == UTC


def test_kept_sources_keep_their_rows_and_the_notes_index_follows(db):
    event = log(db)
    first = db.execute("SELECT id FROM sources WHERE event_id = ?", [event.id]).fetchone()
    edit(db, event.id, sources=f"{IRRAWADDY}, {MIZZIMA}", notes="a base near Ywathit")
    assert db.execute("SELECT id FROM sources WHERE url = ?", [IRRAWADDY]).fetchone() == first
    assert [e.id for e in search(db, 0, "Ywathit").items] == [event.id]


def test_edit_may_create_actors_only_when_asked(db):
    event = log(db)
    with pytest.raises(NotFound):
        edit(db, event.id, actors="Mese Lions")
    edited = edit_event(db, 0, event.id, {"actors": "Mese Lions"}, by="e", reason="r",
                        new_actors=True)
    assert edited.actors == ["Mese Lions"]


@pytest.mark.parametrize(
    ("changes", "reason", "error", "words"),
    [
        ({"colour": "red"}, "r", InvalidInput, f"editable fields: {', '.join(EDITABLE_FIELDS)}."),
        ({}, "r", InvalidInput, "FIELD=VALUE"),
        ({"fatalities": "3"}, None, InvalidInput, "needs a reason"),
        ({"fatalities": "3"}, "   ", InvalidInput, "needs a reason"),
        ({"fatalities": ""}, "r", InvalidInput, "Nothing changed"),
        ({"township": "mese township, kayah"}, "r", InvalidInput, "Nothing changed"),
        ({"actors": "knplf, KA, KNDF, PDFs"}, "r", InvalidInput, "Nothing changed"),
        ({"actors": " "}, "r", InvalidInput, "cannot be cleared"),
        ({"date": ""}, "r", InvalidInput, "cannot be cleared"),
        ({"date": "2030-01-01"}, "r", InvalidInput, "future"),
        ({"township": "Meese"}, "r", NotFound, "Mese"),
        ({"actors": "KNDF, Nonexistent Army"}, "r", NotFound, "--new-actor"),
        ({"type": "Skirmish"}, "r", NotFound, "ACLED"),
        ({"fatalities": "-1"}, "r", InvalidInput, "negative"),
        ({"fatalities": "many"}, "r", InvalidInput, "whole number"),
        ({"sources": "not-a-link"}, "r", InvalidInput, "https://"),
        ({"sources": " ".join(f"https://x.org/{i}" for i in range(11))}, "r", InvalidInput,
         "At most 10"),
        ({"notes": "x" * 5000}, "r", InvalidInput, "limit"),
        ({"opponents": "KNDF"}, "r", InvalidInput, "both sides"),
    ],
)
def test_refused_edit_writes_nothing(db, changes, reason, error, words):
    event = log(db)
    before = snapshot(db)
    with pytest.raises(error) as exc:
        edit(db, event.id, reason=reason, **changes)
    assert words in exc.value.user_message
    assert snapshot(db) == before


def test_editing_a_deleted_merged_or_missing_event_is_refused(db):
    deleted, kept, merged = log(db), log(db), log(db)
    delete_event(db, 0, deleted.id, by="e", reason="dup")
    merge_events(db, 0, kept.id, merged.id, by="e", reason="same incident")
    before = snapshot(db)
    with pytest.raises(InvalidInput, match="restore it first"):
        edit(db, deleted.id, fatalities="1")
    with pytest.raises(InvalidInput, match=f"edit #{kept.id} instead"):
        edit(db, merged.id, fatalities="1")
    for missing, guild in ((9999, 0), (kept.id, 1)):
        with pytest.raises(NotFound):
            edit_event(db, guild, missing, {"fatalities": "1"}, by="e", reason="r")
    assert snapshot(db) == before


def test_a_failed_audit_write_rolls_the_change_back(db):
    event = log(db)
    before = snapshot(db)
    db.execute("CREATE TEMP TRIGGER audit_fails BEFORE INSERT ON audit_log "
               "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")
    with pytest.raises(sqlite3.IntegrityError, match="disk on fire"):
        edit(db, event.id, fatalities="3")
    assert snapshot(db) == before


# --- delete, restore, merge ---------------------------------------------------------------------

def test_delete_and_restore_are_audited_and_shown(db):
    event = log(db)
    deleted = delete_event(db, 0, event.id, by="e", reason="not an event")
    assert deleted.deleted and get_event(db, 0, event.id).deleted
    assert db.execute("SELECT deleted_by FROM events").fetchone()[0] == "e"
    restored = restore_event(db, 0, event.id, by="e")
    assert not restored.deleted
    assert [(r["action"], r["after"]["deleted"]) for r in history(db, 0, event.id)] == [
        ("log", False), ("delete", True), ("restore", False)]


def test_delete_and_restore_refusals_write_nothing(db):
    event = log(db)
    before = snapshot(db)
    with pytest.raises(InvalidInput, match="reason"):
        delete_event(db, 0, event.id, by="e", reason="")
    with pytest.raises(InvalidInput, match="not deleted"):
        restore_event(db, 0, event.id, by="e")
    assert snapshot(db) == before
    delete_event(db, 0, event.id, by="e", reason="dup")
    before = snapshot(db)
    with pytest.raises(InvalidInput, match="already deleted"):
        delete_event(db, 0, event.id, by="e", reason="dup")
    assert snapshot(db) == before


def test_merge_keeps_both_events_sources_actors_and_notes(db):
    keep = log(db)
    other = log(db, actors=["TNLA"], opponents=["junta", "BGF"], sources=[MIZZIMA, IRRAWADDY],
                notes="Mizzima's account.")
    kept = merge_events(db, 0, keep.id, other.id, by="e", reason="same incident")
    assert kept.sources == [IRRAWADDY, MIZZIMA]
    assert "Ta'ang National Liberation Army" in kept.actors
    assert sorted(kept.opponents) == ["Border Guard Force", "Tatmadaw"]
    assert kept.notes == f"{keep.notes}\n\nFrom #{other.id}: Mizzima's account."
    gone = get_event(db, 0, other.id)
    assert gone.merged_into == keep.id and not gone.deleted
    assert gone.sources == other.sources  # the merged event keeps its own record
    keep_rows, other_rows = history(db, 0, keep.id), history(db, 0, other.id)
    assert [r["action"] for r in keep_rows] == [r["action"] for r in other_rows] == ["log", "merge"]
    assert other_rows[-1]["after"]["merged_into"] == keep.id
    assert keep_rows[-1]["after"] == kept.to_json()


def test_merge_without_notes_still_says_where_the_sources_came_from(db):
    keep, other = log(db), log(db, notes=None, sources=[DVB])
    assert merge_events(db, 0, keep.id, other.id, by="e", reason="r").notes.endswith(
        f"Merged from #{other.id}.")


def test_merge_refusals_write_nothing(db):
    keep, other, deleted = log(db), log(db), log(db)
    opposed = log(db, opponents=["KNDF"], actors=["junta"])
    many = log(db, sources=[f"https://x.org/{i}" for i in range(10)])
    delete_event(db, 0, deleted.id, by="e", reason="dup")
    merge_events(db, 0, keep.id, other.id, by="e", reason="same")
    before = snapshot(db)
    cases = [
        (keep.id, keep.id, "itself"),
        (keep.id, other.id, f"merge #{keep.id} instead"),
        (other.id, keep.id, f"merge into #{keep.id} instead"),
        (keep.id, deleted.id, "restore it first"),
        (keep.id, opposed.id, "both sides"),
        (keep.id, many.id, "At most 10 sources"),
    ]
    for keep_id, other_id, words in cases:
        with pytest.raises(InvalidInput) as exc:
            merge_events(db, 0, keep_id, other_id, by="e", reason="r")
        assert words in exc.value.user_message
    with pytest.raises(InvalidInput, match="reason"):
        merge_events(db, 0, keep.id, many.id, by="e", reason=None)
    with pytest.raises(NotFound):
        merge_events(db, 0, keep.id, 9999, by="e", reason="r")
    assert snapshot(db) == before


# --- undo and history ---------------------------------------------------------------------------

def test_undo_walks_back_one_change_at_a_time_down_to_the_log(db):
    logged = log(db)
    first = edit(db, logged.id, fatalities="3")
    edit(db, logged.id, location="Ho Ya")
    assert undo_last_change(db, 0, logged.id, by="u").to_json() == first.to_json()
    assert undo_last_change(db, 0, logged.id, by="u").to_json() == logged.to_json()
    assert undo_last_change(db, 0, logged.id, by="u").deleted  # undoing the log deletes
    before = snapshot(db)
    with pytest.raises(InvalidInput, match=r"Nothing to undo.*Restore it"):
        undo_last_change(db, 0, logged.id, by="u")
    assert snapshot(db) == before
    rows = history(db, 0, logged.id)
    assert [r["action"] for r in rows] == ["log", "edit", "edit", "undo", "undo", "undo"]
    assert rows[3]["reason"].startswith("undid the edit by editor at ")
    assert rows[3]["before"] == rows[2]["after"] and rows[3]["after"] == rows[2]["before"]


def test_undo_of_delete_restores_and_undo_of_restore_deletes(db):
    event = log(db)
    delete_event(db, 0, event.id, by="e", reason="dup")
    assert not undo_last_change(db, 0, event.id, by="u", reason="was not a dup").deleted
    assert history(db, 0, event.id)[-1]["reason"].endswith(": was not a dup")
    delete_event(db, 0, event.id, by="e", reason="dup")
    restore_event(db, 0, event.id, by="e")
    assert undo_last_change(db, 0, event.id, by="u").deleted


def test_a_change_after_an_undo_is_undone_first(db):
    event = log(db)
    edit(db, event.id, fatalities="3")
    undo_last_change(db, 0, event.id, by="u")
    edit(db, event.id, fatalities="5")
    assert undo_last_change(db, 0, event.id, by="u").fatalities is None
    assert undo_last_change(db, 0, event.id, by="u").deleted


@pytest.mark.parametrize("from_side", ["keep", "other"])
def test_undoing_a_merge_from_either_side_restores_both(db, from_side):
    keep, other = log(db), log(db, actors=["TNLA"], sources=[MIZZIMA])
    merge_events(db, 0, keep.id, other.id, by="e", reason="same")
    undo_last_change(db, 0, keep.id if from_side == "keep" else other.id, by="u")
    assert get_event(db, 0, keep.id) == keep
    assert get_event(db, 0, other.id) == other
    assert history(db, 0, keep.id)[-1]["action"] == history(db, 0, other.id)[-1]["action"] == "undo"


def test_undoing_a_merge_waits_for_later_changes_to_the_kept_event(db):
    keep, other = log(db), log(db, sources=[MIZZIMA])
    merge_events(db, 0, keep.id, other.id, by="e", reason="same")
    edit(db, keep.id, fatalities="4")
    before = snapshot(db)
    with pytest.raises(InvalidInput, match=f"#{keep.id} has changed since"):
        undo_last_change(db, 0, other.id, by="u")
    assert snapshot(db) == before
    undo_last_change(db, 0, keep.id, by="u")  # the edit
    undo_last_change(db, 0, other.id, by="u")  # now the merge
    assert get_event(db, 0, other.id).merged_into is None


def test_undo_after_an_actor_merge_finds_the_kept_actor(db):
    event = log(db)
    edit(db, event.id, actors="KNDF")
    merge_actors(db, 0, "PDF", "Karenni Army", by="admin", reason="test")
    restored = undo_last_change(db, 0, event.id, by="u")
    assert "People's Defence Force" in restored.actors
    assert "Karenni Army" not in restored.actors


def test_history_is_oldest_first_with_parsed_states(db):
    event = log(db)
    edit(db, event.id, fatalities="2")
    rows = history(db, 0, event.id)
    assert all(set(r) == {"action", "by", "at", "reason", "before", "after"} for r in rows)
    assert rows[0]["before"] is None and rows[0]["after"]["id"] == event.id
    assert rows[1]["before"]["fatalities"] is None and rows[1]["after"]["fatalities"] == 2
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    with pytest.raises(NotFound):
        history(db, 0, 9999)
    with pytest.raises(NotFound):
        history(db, 1, event.id)  # another team's event
    with pytest.raises(NotFound):
        undo_last_change(db, 1, event.id, by="u")


def test_own_log_undo_is_a_delete_for_the_logger_only(db):
    event = log_event(db, 0, mese_event(), by="u", by_id="u1", ref=REF)
    with pytest.raises(Forbidden):
        undo_own_log(db, 0, event.id, by="x", by_id="u2")
    assert undo_own_log(db, 0, event.id, by="u", by_id="u1").deleted


# --- the audit log is append-only ---------------------------------------------------------------

def exercise_every_function(db, tmp_path) -> None:
    """Every store function in this issue, successes and refusals."""
    a, b = log(db), log(db, sources=[MIZZIMA])
    edit(db, a.id, fatalities="3")
    delete_event(db, 0, b.id, by="e", reason="dup")
    restore_event(db, 0, b.id, by="e")
    merge_events(db, 0, a.id, b.id, by="e", reason="same")
    undo_last_change(db, 0, b.id, by="u")
    undo_last_change(db, 0, a.id, by="u")
    own = log_event(db, 0, mese_event(), by="u", by_id="u1", ref=REF)
    undo_own_log(db, 0, own.id, by="u", by_id="u1")
    history(db, 0, a.id)
    add_alias(db, 0, "KNDF", "Karenni defence", by="admin")
    rename_actor(db, 0, "KA", "Karenni Army (KA)", by="admin")
    merge_actors(db, 0, "PDF", "KNPLF", by="admin", reason="test")
    likely_duplicates(db, 0)
    backup(db, tmp_path / "copy.db")
    for refused in (
        lambda: edit(db, a.id, colour="red"),
        lambda: edit(db, a.id, fatalities=""),
        lambda: delete_event(db, 0, a.id, by="e", reason=None),
        lambda: merge_events(db, 0, a.id, a.id, by="e", reason="r"),
        lambda: add_alias(db, 0, "KNDF", "PDF", by="admin"),
        lambda: merge_actors(db, 0, "PDF", "PDF", by="admin", reason="r"),
        lambda: backup(db, db.execute("PRAGMA database_list").fetchone()[2]),
    ):
        with pytest.raises(SitrepError):
            refused()


def test_no_store_function_updates_or_deletes_an_audit_row(db, tmp_path):
    edit(db, log(db).id, notes="first")
    old = audit_rows(db)
    attempts: list[tuple[int, str]] = []

    def watch(action: int, table: str | None, *_: object) -> int:
        if table == "audit_log" and action in (sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE):
            attempts.append((action, table))
        return sqlite3.SQLITE_OK

    db.conn.set_authorizer(watch)  # sees every statement this connection prepares
    exercise_every_function(db, tmp_path)
    assert attempts == []
    db.execute("DELETE FROM audit_log WHERE 0")  # the watch works: it sees a delete prepared
    db.conn.set_authorizer(None)
    assert attempts == [(sqlite3.SQLITE_DELETE, "audit_log")]
    new = audit_rows(db)
    assert new[: len(old)] == old  # byte-identical
    assert len(new) > len(old)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET reason = 'forged'",
        "UPDATE audit_log SET after = NULL WHERE id = 1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
        "INSERT OR REPLACE INTO audit_log (id, guild_id, at, action) VALUES (1, 0, 'x', 'forged')",
        "INSERT INTO audit_log (id, guild_id, at, action) VALUES (1, 0, 'x', 'forged')"
        " ON CONFLICT (id) DO UPDATE SET action = 'forged'",
    ],
)
def test_raw_sql_cannot_change_the_audit_log(db, sql):
    log(db)
    old = audit_rows(db)
    with pytest.raises(sqlite3.IntegrityError, match=r"append-only|UNIQUE"):
        db.execute(sql)
    db.conn.rollback()
    assert audit_rows(db) == old


def test_replace_is_refused_even_without_recursive_triggers(db):
    log(db)
    old = audit_rows(db)
    db.execute("PRAGMA recursive_triggers = OFF")  # SQLite's default outside some distributions
    with contextlib.suppress(sqlite3.IntegrityError):  # refused is what we want
        db.execute("INSERT OR REPLACE INTO audit_log (id, guild_id, at, action)"
                   " VALUES (1, 0, 'x', 'forged')")
    db.conn.rollback()
    assert audit_rows(db) == old


# --- add a source -------------------------------------------------------------------------------

def test_add_source_appends_the_url_and_audits_it_as_add_source(db):
    event = log(db)
    added = add_source(db, 0, event.id, f"  {MIZZIMA} ", by="analyst", by_id="42")
    assert added.sources == [IRRAWADDY, MIZZIMA]
    assert get_event(db, 0, event.id) == added
    assert db.execute("SELECT outlet FROM sources WHERE url = ?", [MIZZIMA]).fetchone() == (
        "mizzima.com",)
    rows = history(db, 0, event.id)
    assert [r["action"] for r in rows] == ["log", "add-source"]
    assert rows[1]["by"] == "analyst" and rows[1]["reason"] is None
    assert rows[1]["before"] == event.to_json() and rows[1]["after"] == added.to_json()
    assert add_source(db, 0, event.id, DVB, by="a", reason="second outlet").sources[-1] == DVB
    assert history(db, 0, event.id)[-1]["reason"] == "second outlet"


def test_an_added_source_can_be_undone(db):
    event = log(db)
    add_source(db, 0, event.id, MIZZIMA, by="analyst")
    assert undo_last_change(db, 0, event.id, by="editor").sources == [IRRAWADDY]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (IRRAWADDY, "already cites that source"),
        ("irrawaddy.com/news", "not a web link"),
        ("ftp://example.org/a", "not a web link"),
        ("https://example.org/a b", "not a web link"),
    ],
)
def test_add_source_refuses_duplicates_and_non_links_without_writing(db, url, words):
    event = log(db)
    before = snapshot(db)
    with pytest.raises(InvalidInput, match=words):
        add_source(db, 0, event.id, url, by="analyst")
    assert snapshot(db) == before


def test_add_source_refuses_hidden_missing_and_full_events(db):
    deleted, kept, merged = log(db), log(db), log(db, sources=[MIZZIMA])
    delete_event(db, 0, deleted.id, by="e", reason="dup")
    merge_events(db, 0, kept.id, merged.id, by="e", reason="same")
    with pytest.raises(InvalidInput, match="restore it first"):
        add_source(db, 0, deleted.id, DVB, by="a")
    with pytest.raises(InvalidInput, match=f"add the source to #{kept.id} instead"):
        add_source(db, 0, merged.id, DVB, by="a")
    with pytest.raises(NotFound):
        add_source(db, 0, 999, DVB, by="a")
    with pytest.raises(NotFound):
        add_source(db, 1, kept.id, DVB, by="a")  # another team's event is not there at all
    full = log(db, sources=[f"https://example.org/{i}" for i in range(10)])
    with pytest.raises(InvalidInput, match="already has 10 sources"):
        add_source(db, 0, full.id, DVB, by="a")

