"""The event store on a real SQLite file: schema, transactions, isolation, indexes."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from conftest import REF, log, mese_event

from bot.dates import DateRange
from bot.db import latest_version, open_db, schema_version, transaction
from bot.errors import InvalidInput, NotFound
from bot.events import get_event, log_event
from bot.queries import active, actor_activity, search, timeline
from bot.summary import summarise

ALL = DateRange(None, None)


def counts(db) -> dict[str, int]:
    return {t: db[t].count for t in ("events", "event_actors", "sources", "audit_log")}


def test_new_file_is_migrated_seeded_and_in_wal_mode(db):
    assert schema_version(db) == latest_version()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db["townships"].count == 356
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_opening_again_changes_nothing(db_path):
    first = open_db(db_path)
    log(first)
    second = open_db(db_path)
    assert schema_version(second) == latest_version()
    assert second["townships"].count == 356
    assert second["events"].count == 1


def test_logged_event_reads_back_as_stored(db):
    event = log(db)
    assert event.date == "2023-11-07"
    assert event.date_precision == "day"
    assert (event.township, event.pcode, event.state_region) == ("Mese", "MMR002007", "Kayah")
    assert event.event_type == "Battles"
    assert event.sub_event_type == "Non-state actor overtakes territory"
    assert event.fatalities is None  # unknown is not zero
    assert event.opponents == ["Tatmadaw"]
    assert sorted(event.actors) == sorted([
        "Karenni National People's Liberation Front", "Karenni Army",
        "Karenni Nationalities Defense Force", "People's Defence Force"])
    assert get_event(db, 0, event.id) == event
    audit = list(db["audit_log"].rows)
    assert [(a["action"], a["by"], a["event_id"]) for a in audit] == [("log", "tester", event.id)]


@pytest.mark.parametrize(
    "change",
    [
        {"township": "Meese"},
        {"date": "2030-01-01"},
        {"date": "31 Feb 2023"},
        {"actors": ["KNDF", "Nonexistent Army"]},
        {"event_type": "Skirmish"},
        {"fatalities": -1},
        {"fatalities": 10**12},
        {"sources": ["not a link"]},
        {"notes": "x" * 10_000},
        {"notes": "broken \ud800 surrogate"},
        {"actors": []},
        {"opponents": ["KNDF"]},  # on both sides
    ],
)
def test_refused_input_writes_nothing(db, change):
    log(db)  # the guild exists and has one event
    before = counts(db)
    with pytest.raises((InvalidInput, NotFound)) as exc:
        log(db, **change)
    assert exc.value.user_message
    assert counts(db) == before


def test_a_failure_inside_the_transaction_rolls_everything_back(db):
    log(db)
    before = counts(db)
    with pytest.raises(RuntimeError), transaction(db):
        db["events"].insert({"guild_id": 0, "event_date": "2023-01-01", "date_precision": 1,
                             "township_pcode": "MMR002007", "event_type": "Battles"})
        raise RuntimeError("crash between two writes")
    assert counts(db) == before


def test_new_actor_is_created_only_when_asked(db):
    with pytest.raises(NotFound):
        log_event(db, 0, mese_event(actors=["Mandalay PDF"]), by="t", ref=REF)
    event = log_event(db, 0, mese_event(actors=["Mandalay PDF"]), by="t", ref=REF,
                      new_actors=True)
    assert event.actors == ["Mandalay PDF"]
    again = log_event(db, 0, mese_event(actors=["mandalay pdf"]), by="t", ref=REF)
    assert again.actors == ["Mandalay PDF"]


def test_guilds_never_see_each_other(db):
    event = log(db, guild_id=1)
    assert active(db, 2, "Mese", ALL)["groups"] == []
    assert summarise(db, 2, ALL)["total_events"] == 0
    assert search(db, 2, "Operation").total == 0
    assert timeline(db, 2, "Mese", ALL)[1].total == 0
    assert actor_activity(db, 2, "KNDF", ALL)["total_events"] == 0
    with pytest.raises(NotFound):
        get_event(db, 2, event.id)
    assert active(db, 1, "Mese", ALL)["groups"]


def test_actor_edits_in_one_guild_do_not_reach_another(db):
    log_event(db, 1, mese_event(actors=["Mandalay PDF"]), by="t", ref=REF, new_actors=True)
    with pytest.raises(NotFound):
        log_event(db, 2, mese_event(actors=["Mandalay PDF"]), by="t", ref=REF)


def test_deleted_and_merged_events_drop_out_of_every_query(db):
    kept = log(db)
    gone = log(db, date="2023-11-08", notes="Operation 1107 second day")
    merged = log(db, date="2023-11-09", notes="Operation 1107 duplicate report")
    db.execute("UPDATE events SET deleted_at = '2023-11-11T00:00:00+00:00' WHERE id = ?",
               [gone.id])
    db.execute("UPDATE events SET merged_into = ? WHERE id = ?", [kept.id, merged.id])
    db.conn.commit()
    assert [g["events"] for g in active(db, 0, "Mese", ALL)["groups"]] == [1] * 5
    assert summarise(db, 0, ALL)["total_events"] == 1
    assert [e.id for e in search(db, 0, "Operation").items] == [kept.id]
    assert get_event(db, 0, gone.id).deleted  # still readable, shown as deleted


def test_active_counts_both_sides_and_sorts_most_active_first(db):
    log(db)
    log(db, date="2023-11-08", actors=["KNDF"], opponents=["junta"], event_type="Armed clash")
    groups = active(db, 0, "Mese", DateRange(date(2023, 11, 1), date(2023, 11, 30)))["groups"]
    assert groups[0]["events"] == 2
    assert {groups[0]["actor"], groups[1]["actor"]} == {
        "Tatmadaw", "Karenni Nationalities Defense Force"}
    assert groups[0]["first"] == "2023-11-07" and groups[0]["last"] == "2023-11-08"
    only_8th = active(db, 0, "Mese", DateRange(date(2023, 11, 8), date(2023, 11, 8)))
    assert len(only_8th["groups"]) == 2


def test_timeline_pages_without_losing_events(db):
    for day in range(1, 26):
        log(db, date=f"2023-10-{day:02d}")
    header, page = timeline(db, 0, "Mese", ALL, limit=10, offset=20)
    assert header["township"] == "Mese"
    assert page.total == 25
    assert [e.date for e in page.items] == [f"2023-10-{d:02d}" for d in range(21, 26)]
    assert page.label == "21-25 of 25"


@pytest.mark.parametrize("query", ['"', "AND (", "*", "notes:x", "a OR", "NEAR("])
def test_search_syntax_errors_become_a_clear_refusal(db, query):
    log(db)
    try:
        search(db, 0, query)
    except InvalidInput as exc:
        assert "search" in exc.user_message


def test_summary_totals(db):
    log(db, fatalities=3)
    log(db, date="2023-11-08", township="Loikaw", actors=["KNDF"], opponents=["junta"],
        event_type="Air/drone strike", fatalities=2)
    result = summarise(db, 0, ALL)
    assert result["total_events"] == 2
    assert result["fatalities"] == 5
    assert result["by_type"] == {"Battles": 1, "Explosions/Remote violence": 1}
    assert result["by_region"] == {"Kayah": 2}
    assert result["top_actors"][0]["events"] == 2
    assert summarise(db, 0, ALL, region="Shan")["total_events"] == 0


def _plan(db, sql: str, params: list) -> str:
    return " | ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_hot_queries_use_the_indexes(db):
    log(db)
    active_sql = (
        "SELECT a.name, COUNT(*) FROM events e JOIN event_actors ea ON ea.event_id = e.id"
        " JOIN actors a ON a.id = ea.actor_id WHERE e.guild_id = ? AND e.township_pcode = ?"
        " AND e.event_date BETWEEN ? AND ? AND e.deleted_at IS NULL AND e.merged_into IS NULL"
        " GROUP BY a.id")
    plan = _plan(db, active_sql, [0, "MMR002007", "2023-01-01", "2023-12-31"])
    assert "USING INDEX idx_events_guild_id_township_pcode_event_date" in plan, plan
    assert "SCAN e" not in plan and "SCAN events" not in plan, plan
    summary_sql = ("SELECT e.event_type, COUNT(*) FROM events e WHERE e.guild_id = ? AND"
                   " e.event_date BETWEEN ? AND ? AND e.deleted_at IS NULL GROUP BY e.event_type")
    plan = _plan(db, summary_sql, [0, "2023-01-01", "2023-12-31"])
    assert "USING INDEX idx_events_guild_id_event_date" in plan, plan


def test_queries_issue_the_planned_sql(db):
    """The functions themselves, traced, search the events or the pre-aggregated counts by
    index and never scan them (guards against drift from the above)."""
    log(db)
    seen: list[tuple[str, object]] = []
    db._tracer = lambda sql, params: seen.append((sql, params))  # sqlite-utils' tracer hook
    span = DateRange(date(2023, 1, 15), date(2023, 12, 20))
    active(db, 0, "Mese", span)
    summarise(db, 0, span)
    summarise(db, 0, span, "Kayah")
    db._tracer = None
    plans = [_plan(db, sql, params) for sql, params in seen
             if sql.lstrip().upper().startswith(("SELECT", "WITH"))
             and ("events e" in sql or "agg_" in sql)]
    assert len(plans) >= 3
    for plan in plans:
        scanned = [step.split()[1] for step in plan.split(" | ") if step.startswith("SCAN ")]
        assert not [t for t in scanned if t in ("e", "events", "event_actors")
                    or t.startswith("agg_")], plan


def test_audit_log_is_append_only_at_the_database_level(db):
    log(db)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE audit_log SET reason = 'rewritten'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM audit_log")


def test_an_old_sqlite_is_refused_with_a_sentence_before_anything_is_written(tmp_path,
                                                                              monkeypatch):
    import sqlite3

    from bot.errors import SitrepError

    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.31.1")
    with pytest.raises(SitrepError, match=r"SQLite 3\.31\.1; sitrep needs 3\.35\.0 or newer"):
        open_db(tmp_path / "old.db")
    assert not (tmp_path / "old.db").exists()
