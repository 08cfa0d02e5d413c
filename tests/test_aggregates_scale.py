"""The other changes made for research-archive scale (issue 9), each checked for behaviour:
the ACLED import's one audit row per batch (history and undo still work), the bounded search
ranking, and the background WAL checkpointer."""

from __future__ import annotations

import io
import time
from datetime import date

from conftest import log
from sqlite_utils import Database
from test_aggregates import _acled_csv

from bot import queries
from bot.acled_import import import_acled
from bot.actor_admin import rename_actor
from bot.corrections import edit_event
from bot.db import open_db
from bot.events import get_event
from bot.history import history, undo_last_change
from bot.queries import search
from bot.wal import BackgroundCheckpointer

ROWS = [(1, 2, 0, 0, 0), (2, 3, 1, 1, 1), (3, 4, 2, 2, 2), (4, 5, 3, 0, 3)]


def _import(db: Database, rows=ROWS, batch_size: int = 3) -> None:
    import_acled(db, 0, io.StringIO(_acled_csv(rows)), by="importer", name="a.csv",
                 batch_size=batch_size)


def _event(db: Database, key: str):
    (event_id,) = db.execute("SELECT event_id FROM acled_rows WHERE event_id_cnty = ?",
                             [key]).fetchone()
    return get_event(db, 0, event_id)


def test_an_import_writes_one_audit_row_per_batch(db):
    _import(db)
    batches = db.execute("SELECT action, event_id, after FROM audit_log"
                         " WHERE action LIKE 'import%'").fetchall()
    assert [(a, e) for a, e, _ in batches] == [("import-batch", None)] * 2  # 3 rows + 1 row
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE event_id IS NOT NULL"
                      ).fetchone()[0] == 0


def test_history_rebuilds_the_import_from_the_batch_row(db):
    _import(db)
    event = _event(db, "MMR2")
    (entry,) = history(db, 0, event.id)
    assert entry["action"] == "import" and entry["by"] == "importer"
    assert entry["before"] is None and entry["after"] == event.to_json()
    assert entry["reason"] == "a.csv line 3 (MMR2)"
    edited = edit_event(db, 0, event.id, {"fatalities": "9"}, by="ed", reason="checked",
                        ref=date(2024, 2, 1))
    first, second = history(db, 0, event.id)
    assert first["after"] == event.to_json()  # the state it was imported with, not today's
    assert second["before"] == event.to_json() and second["after"] == edited.to_json()
    assert undo_last_change(db, 0, event.id, by="ed").fatalities == event.fatalities
    assert undo_last_change(db, 0, event.id, by="ed").deleted  # undoing the import hides it


def test_an_actor_rename_shows_in_an_unchanged_imported_state(db):
    """The documented trade-off: the rebuilt state names groups as they are called now."""
    _import(db)
    event = _event(db, "MMR1")
    rename_actor(db, 0, "KNDF", "Karenni Nationalities Defence Force", by="ed")
    (entry,) = history(db, 0, event.id)
    assert "Karenni Nationalities Defence Force" in entry["after"]["actors"]


def test_a_reimport_reports_corrections_it_overwrites(db):
    _import(db)
    event = _event(db, "MMR3")
    edit_event(db, 0, event.id, {"notes": "checked by phone"}, by="ed", reason="call",
               ref=date(2024, 2, 1))
    untouched = _event(db, "MMR4")
    changed = [(k, d + 1 if k in (3, 4) else d, p, t, a) for k, d, p, t, a in ROWS]
    report = import_acled(db, 0, io.StringIO(_acled_csv(changed)), by="importer",
                          name="b.csv")
    assert report.updated == 2 and report.overwritten == [event.id]
    assert untouched.id not in report.overwritten


def test_search_ranks_a_window_of_matches_and_shows_the_latest_past_it(db, monkeypatch):
    for n in range(5):
        log(db, notes="strike " * (5 - n) + f"report {n}")  # older events mention it more
    assert [e.notes.split()[-1] for e in search(db, 0, "strike", 5).items] == \
        ["0", "1", "2", "3", "4"]  # best match first
    assert not search(db, 0, "strike", 5).more
    monkeypatch.setattr(queries, "SEARCH_WINDOW", 2)
    page = search(db, 0, "strike", 2)
    assert [e.notes.split()[-1] for e in page.items] == ["4", "3"]  # the newest two, newest first
    assert (page.total, page.more, page.label) == (2, True, "1-2 of 2+")  # and there are more
    assert search(db, 0, "strike", 2, offset=2).items == []  # the window is the whole answer
    monkeypatch.setattr(queries, "SEARCH_WINDOW", 5)
    assert not search(db, 0, "strike").more  # exactly a window's worth: nothing more


def test_the_background_checkpointer_folds_the_wal_back(db_path):
    db = open_db(db_path)
    db.execute("PRAGMA wal_autocheckpoint = 0")  # as if no writer would checkpoint
    for _ in range(5):
        log(db)
    checkpointer = BackgroundCheckpointer(db_path, interval=0.05).start()
    try:
        deadline = time.monotonic() + 10
        while checkpointer.last is None and time.monotonic() < deadline:
            time.sleep(0.05)
        _busy, frames, copied = checkpointer.last
        assert frames > 0 and copied == frames  # everything in the WAL is in the file
    finally:
        checkpointer.stop()
        db.close()
