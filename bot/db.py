"""Opening the SQLite event store: connection settings, transactions and migrations.

Every caller (CLI command, bot worker thread, benchmark) gets its connection from ``open_db``,
so WAL mode, foreign keys and the busy timeout are never forgotten, and a fresh file is created,
migrated and seeded on first use.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from bot.errors import SitrepError
from bot.migrations import MIGRATIONS

# Writers queue for the write lock instead of failing: 200 simultaneous /log calls must all land.
BUSY_TIMEOUT_MS = 30_000
# Whether a data subject request is rewriting audit rows in this thread right now (migration
# 5). Per thread, because a connection belongs to the thread that opened it.
_forgetting = threading.local()


def _forgetting_now() -> bool:
    return getattr(_forgetting, "on", False)


@contextmanager
def forgetting() -> Iterator[None]:
    """Let this thread's connections pseudonymise audit rows (``bot.forget`` only)."""
    _forgetting.on = True
    try:
        yield
    finally:
        _forgetting.on = False


# Upserts without a conflict target and MATERIALIZED common table expressions (the
# pre-aggregated counts) need SQLite 3.35 (2021); older builds would fail mid-migration.
MIN_SQLITE = (3, 35, 0)


def open_db(path: str | Path) -> Database:
    """A connection to the store at ``path``, created, migrated and seeded if needed.

    The connection belongs to the thread that opened it (sqlite3's rule); worker threads open
    their own.
    """
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise SitrepError(
            f"This Python uses SQLite {sqlite3.sqlite_version}; sitrep needs "
            f"{'.'.join(map(str, MIN_SQLITE))} or newer. Use a Python 3.11+ from python.org or "
            "pyenv (they bundle a recent SQLite), or upgrade the system's libsqlite3.")
    path = Path(path)
    if path.parent != Path() and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    conn.create_function("sitrep_forgetting", 0, _forgetting_now)
    db = Database(conn)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    migrate(db)
    return db


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def latest_version() -> int:
    return len(MIGRATIONS)


def migrate(db: Database) -> int:
    """Apply every migration newer than the file's ``user_version``; return the new version.

    Each migration and its version bump commit together, so a crash leaves the file at a
    released version, and two processes opening a new file at once cannot both migrate it.
    """
    if schema_version(db) >= latest_version():
        return schema_version(db)
    with transaction(db):
        current = schema_version(db)  # re-read under the write lock
        for number, step in enumerate(MIGRATIONS[current:], start=current + 1):
            step(db)
            db.execute(f"PRAGMA user_version = {number}")
    return schema_version(db)


def checkpoint(path: str | Path) -> None:
    """Fold the WAL back into the database file, so a stopped bot leaves one tidy file."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One write transaction, taking the write lock up front.

    ``BEGIN IMMEDIATE`` rather than sqlite-utils' deferred ``atomic()``: a deferred transaction
    that reads and then writes can fail at once with "database is locked" when another writer
    got there first, whereas an immediate one waits its turn under the busy timeout.
    Nested use becomes a savepoint.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


@contextmanager
def without_triggers(db: Database, names: Iterable[str]) -> Iterator[None]:
    """Drop these triggers for a block of the caller's transaction and re-create them, as
    stored, when it ends. Other writers wait for this transaction's lock and readers see its
    commit, so no one sees them missing; if the block fails, the caller's rollback (or a
    crash) brings them back with the rest, so they are re-created only on success.
    """
    if not db.conn.in_transaction:
        raise RuntimeError("without_triggers needs the caller's transaction")
    wanted = list(names)
    found = [sql for name, sql in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'") if name in wanted]
    for name in wanted:
        db.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    yield
    for sql in found:
        db.execute(sql)
