"""A consistent copy of the live store, taken while the bot keeps writing.

Copying the file (``cp sitrep.db``) while the bot writes can tear a page or miss what is still
in the ``-wal`` file. SQLite's online backup API copies every page inside one read transaction,
so the copy is the database as of one commit; in WAL mode that read does not block writers.
The copy goes to a temporary file beside the destination and is renamed into place only once it
is complete and checked, so an interrupted backup never leaves a half-written file under the
name a restore would use.
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from bot.db import BUSY_TIMEOUT_MS
from bot.errors import InvalidInput, NotFound

_SIDE_FILES = ("-wal", "-shm", "-journal")


def _source(db_or_path: Database | str | Path) -> tuple[sqlite3.Connection, Path, bool]:
    """The connection to copy from, its file, and whether we opened it (and must close it).

    A path is opened with plain ``sqlite3``, not ``open_db``: backing up a mistyped path must
    not create, migrate and seed a new empty store there.
    """
    if isinstance(db_or_path, Database):
        file = db_or_path.execute("PRAGMA database_list").fetchone()[2]
        if not file:
            raise InvalidInput("That database lives in memory; only a database file can be "
                               "backed up.")
        return db_or_path.conn, Path(file), False
    path = Path(db_or_path)
    if not path.is_file():
        raise NotFound(f"There is no database at {str(path)!r}; check the path (--db).")
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000), path, True


def _destination(dest: str | Path, live: Path, overwrite: bool) -> Path:
    target = Path(dest)
    if target.is_dir():
        # Milliseconds: a scheduled and a manual backup in the same second must not collide.
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%f")[:-3] + "Z"
        target = target / f"sitrep-{stamp}.db"
    if not target.parent.is_dir():
        raise InvalidInput(f"The folder {str(target.parent)!r} does not exist; create it or "
                           "choose another path for the backup.")
    live_names = {live.resolve().name + side for side in ("", *_SIDE_FILES)}
    if target.resolve().parent == live.resolve().parent and target.resolve().name in live_names:
        raise InvalidInput("That path is the live database itself; give another file name for "
                           "the backup.")
    if target.exists() and not overwrite:
        raise InvalidInput(f"{str(target)!r} already exists; choose a new file name, or "
                           "overwrite it explicitly (--force).")
    return target


def backup(db_or_path: Database | str | Path, dest: str | Path, *,
           overwrite: bool = False) -> dict[str, object]:
    """Copy the store to ``dest`` (a file, or a folder to put a time-stamped file in).

    Returns ``{"path", "bytes", "events", "seconds"}``. The copy is a single self-contained file
    (rollback journal rather than WAL), so it can be mailed, attached or opened read-only.
    """
    started = time.perf_counter()
    conn, live, opened = _source(db_or_path)
    try:
        target = _destination(dest, live, overwrite)
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
        try:
            copy = sqlite3.connect(str(partial))
            try:
                conn.backup(copy)  # all pages in one step: one read transaction, one snapshot
                copy.execute("PRAGMA journal_mode = DELETE")
                check = copy.execute("PRAGMA quick_check").fetchone()[0]
                events = copy.execute("SELECT count(*) FROM events").fetchone()[0]
            except sqlite3.DatabaseError as e:
                raise InvalidInput(f"Could not back up {str(live)!r}: {e}. Check that it is a "
                                   "sitrep database and that the destination has room.") from e
            finally:
                copy.close()
            if check != "ok":
                raise InvalidInput(f"The copy failed SQLite's check ({check}); the database may "
                                   "be damaged. Keep the old backups and run PRAGMA "
                                   "integrity_check on the live file.")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    finally:
        if opened:
            conn.close()
    return {"path": str(target), "bytes": target.stat().st_size, "events": events,
            "seconds": round(time.perf_counter() - started, 3)}


BACKUP_GLOB = "sitrep-*.db"


def prune(folder: str | Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest time-stamped backups in ``folder``; return those gone.

    Only files this module named (``sitrep-<UTC stamp>.db``) are touched, so a folder shared
    with other files is safe.
    """
    if keep < 1:
        raise InvalidInput("Keep at least one backup.")
    backups = sorted(Path(folder).glob(BACKUP_GLOB))  # the stamp sorts chronologically
    gone = backups[:-keep]
    for old in gone:
        old.unlink()
    return gone


def check_backup(file: str | Path) -> dict[str, object]:
    """Refuse anything that is not a complete, current-or-older sitrep database.

    Opened read-only, so checking a file can never change it.
    """
    from bot.db import latest_version  # avoid a cycle: db imports nothing of ours but migrations

    path = Path(file)
    if not path.is_file():
        raise NotFound(f"There is no file at {str(path)!r}.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise InvalidInput(f"{str(path)!r} is not a usable sitrep database ({e}); it may be "
                           "truncated or damaged. Pick another backup.") from None
    if check != "ok":
        raise InvalidInput(f"{str(path)!r} fails SQLite's integrity check ({check}); pick "
                           "another backup.")
    if version < 1 or version > latest_version():
        raise InvalidInput(f"{str(path)!r} has schema version {version}, but this sitrep "
                           f"knows versions 1 to {latest_version()}; use a matching sitrep.")
    return {"path": str(path), "version": version, "events": events}


def restore_backup(live: str | Path, file: str | Path) -> dict[str, object]:
    """Replace the live database with a checked backup, keeping the replaced one beside it.

    Stop the bot first: the copy goes through SQLite's backup API, so readers see either the
    old or the new database, but a bot that keeps writing would write into the restored one.
    """
    checked = check_backup(file)
    live = Path(live)
    kept = None
    if live.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = backup(live, live.with_name(f"{live.name}.replaced-{stamp}"))["path"]
    source = sqlite3.connect(f"file:{Path(file)}?mode=ro", uri=True)
    target = sqlite3.connect(str(live), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = WAL")
    finally:
        source.close()
        target.close()
    return {**checked, "restored_to": str(live), "replaced_kept_at": kept}
