"""Data subject requests: a person's identity replaced by a stable pseudonym, record intact."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import log

from bot.corrections import delete_event
from bot.errors import NotFound
from bot.forget import forget_user
from bot.history import history


def dump(db) -> str:
    return json.dumps([list(r) for r in db.execute("SELECT * FROM audit_log ORDER BY id")])


def test_forgetting_replaces_the_person_and_keeps_the_record(db):
    event = log(db)  # logged by "tester"
    db.execute("UPDATE events SET logged_by_id = '4242' WHERE id = ?", [event.id])
    db.conn.commit()
    delete_event(db, 0, event.id, by="tester", by_id="4242", reason="duplicate")
    other = log(db, notes="someone else's")
    db.execute("UPDATE events SET logged_by = 'ana', logged_by_id = '7' WHERE id = ?",
               [other.id])
    db.conn.commit()
    result = forget_user(db, "4242", by="operator")
    alias = result["pseudonym"]
    assert alias.startswith("forgotten-") and result["events"] == 1
    text = dump(db)
    assert "tester" not in text and "4242" not in text
    steps = history(db, 0, event.id)
    assert [s["action"] for s in steps] == ["log", "delete"]
    assert {s["by"] for s in steps} == {alias}
    assert steps[1]["reason"] == "duplicate"  # the research record is untouched
    assert steps[0]["after"]["logged_by"] == alias
    kept = db.execute("SELECT logged_by FROM events WHERE id = ?", [other.id]).fetchone()[0]
    assert kept == "ana"
    again = log(db)
    db.execute("UPDATE events SET logged_by_id = '4242' WHERE id = ?", [again.id])
    db.conn.commit()
    assert forget_user(db, "4242", by="operator")["pseudonym"] == alias  # stable


def test_the_request_is_audited_without_the_real_id(db):
    log(db)
    forget_user(db, "tester", by="operator")
    row = db.execute("SELECT by, action, reason, after FROM audit_log ORDER BY id DESC"
                     " LIMIT 1").fetchone()
    assert row[:3] == ("operator", "forget-user", "data subject request")
    assert "tester" not in row[3]


def test_unknown_person_is_refused(db):
    log(db)
    with pytest.raises(NotFound):
        forget_user(db, "nobody", by="operator")


def test_other_code_paths_still_cannot_touch_audit_rows(db, db_path):
    log(db)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE audit_log SET by = 'x'")
    raw = sqlite3.connect(db_path)  # a tool that is not sitrep: the trigger fails closed
    with pytest.raises(sqlite3.OperationalError):
        raw.execute("UPDATE audit_log SET by = 'x'")
    raw.close()


def test_one_team_cannot_forget_in_another(db):
    log(db, guild_id=1)
    log(db, guild_id=2)
    forget_user(db, "tester", by="operator", guild_id=1)
    assert db.execute("SELECT count(*) FROM events WHERE guild_id = 2 AND logged_by = 'tester'"
                      ).fetchone()[0] == 1
