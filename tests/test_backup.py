"""Online backups of a real store, including one taken while another thread keeps logging."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from conftest import log

from bot.backup import backup, prune, restore_backup
from bot.db import open_db
from bot.errors import InvalidInput, NotFound, SitrepError


def read(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


@pytest.mark.parametrize("source", ["db", "path"])
def test_backup_is_a_complete_self_contained_copy(db, db_path, tmp_path, source):
    for _ in range(3):
        log(db)
    dest = tmp_path / "copy.db"
    result = backup(db if source == "db" else db_path, dest)
    assert result["path"] == str(dest)
    assert result["events"] == 3
    assert result["bytes"] == dest.stat().st_size > 0
    assert 0 <= result["seconds"] < 10
    copy = read(dest)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 3
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("copy", ".copy"))) == [
        "copy.db"]  # no partial file left behind


def test_a_folder_gets_a_time_stamped_file(db, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    result = backup(db, folder)
    assert Path(result["path"]).parent == folder
    assert Path(result["path"]).name.startswith("sitrep-")


def test_refusals(db, db_path, tmp_path):
    log(db)
    existing = tmp_path / "notes.txt"
    existing.write_text("precious")
    cases = [
        (db, db_path, InvalidInput, "live database"),
        (db, Path(f"{db_path}-wal"), InvalidInput, "live database"),
        (db_path, tmp_path / "." / db_path.name, InvalidInput, "live database"),
        (db, existing, InvalidInput, "already exists"),
        (db, tmp_path / "missing" / "copy.db", InvalidInput, "does not exist"),
        (tmp_path / "nope.db", tmp_path / "copy.db", NotFound, "no database"),
    ]
    for source, dest, error, words in cases:
        with pytest.raises(error) as exc:
            backup(source, dest)
        assert words in exc.value.user_message
    assert existing.read_text() == "precious"
    assert not (tmp_path / "nope.db").exists()  # a mistyped source is not created
    assert not (tmp_path / "copy.db").exists()
    backup(db, existing, overwrite=True)
    assert read(existing).execute("SELECT count(*) FROM events").fetchone()[0] == 1


def test_backup_while_another_thread_writes_is_consistent(db, db_path, tmp_path):
    log(db)
    stop = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        conn = open_db(db_path)  # its own connection, as a bot worker thread has
        try:
            while not stop.is_set():
                written.append(log(conn).id)
        except BaseException as e:  # surfaced below: a writer blocked by the backup fails it
            errors.append(e)
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        counts = []
        for n in range(8):
            seen = len(written)
            deadline = time.monotonic() + 10
            while len(written) == seen and not errors and time.monotonic() < deadline:
                time.sleep(0.001)  # let at least one more write land between two copies
            result = backup(db, tmp_path / f"copy{n}.db")
            copy = read(Path(result["path"]))
            events = copy.execute("SELECT count(*) FROM events").fetchone()[0]
            # each log commits its event and its audit row together: a torn copy would differ
            logs = copy.execute("SELECT count(*) FROM audit_log WHERE action = 'log'").fetchone()
            assert (events, result["events"]) == (logs[0], logs[0])
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            counts.append(events)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert counts == sorted(set(counts))  # every copy saw newer writes, none went back
    assert len(written) > 8


def test_prune_keeps_the_newest(tmp_path):
    names = [f"sitrep-2026010{d}T000000Z.db" for d in range(1, 6)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not a backup")
    gone = prune(tmp_path, keep=2)
    assert [p.name for p in gone] == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", *names[3:]]


def test_restore_replaces_the_live_database_and_keeps_the_old(db_path, tmp_path):
    live = open_db(db_path)
    log(live)
    saved = backup(live, tmp_path / "saved.db")
    log(live)  # a second event after the backup
    live.close()
    result = restore_backup(db_path, saved["path"])
    assert result["events"] == 1 and result["replaced_kept_at"]
    assert open_db(db_path)["events"].count == 1
    assert open_db(result["replaced_kept_at"])["events"].count == 2


@pytest.mark.parametrize("damage", ["truncate", "garbage", "not sitrep"])
def test_restore_refuses_a_broken_file(db_path, tmp_path, damage):
    live = open_db(db_path)
    log(live)
    good = Path(backup(live, tmp_path / "good.db")["path"])
    live.close()
    bad = tmp_path / "bad.db"
    if damage == "truncate":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    elif damage == "garbage":
        bad.write_bytes(b"this is not a database" * 100)
    else:
        sqlite3.connect(str(bad)).execute("CREATE TABLE t (x)").connection.commit()
    before = db_path.read_bytes()
    with pytest.raises(SitrepError) as exc:
        restore_backup(db_path, bad)
    assert "bad.db" in exc.value.user_message
    assert db_path.read_bytes() == before
