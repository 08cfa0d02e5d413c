"""``sitrep doctor``: what is wrong, before a user notices, and what to do about it.

Each check is one line: ok, warn (works, but needs attention) or fail (something is or will be
broken). The offline checks read the database read-only, so a damaged file is reported, never
"repaired" by opening it; the online checks (token, gateway, the digest channels' permissions)
live in ``bot.app`` because they need Discord.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from sqlite_utils import Database

from bot import digest_schedule, guild_settings
from bot.backup import BACKUP_GLOB
from bot.config import Settings
from bot.db import latest_version

Status = Literal["ok", "warn", "fail", "skip"]
GB = 1024**3
TOWNSHIPS = 356  # rows in seeds/myanmar_townships.csv


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str  # for anything but ok: what to do

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    def line(self) -> str:
        return f"{self.status:<5} {self.name}: {self.detail}"


def token_check(settings: Settings) -> Check:
    if settings.token:
        return Check("token", "ok", "DISCORD_TOKEN is set")
    return Check("token", "fail", "DISCORD_TOKEN is not set: copy .env.example to .env and put "
                                  "the bot's token there (README, 'Run it on Discord')")


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def database_checks(settings: Settings) -> tuple[list[Check], sqlite3.Connection | None]:
    """Reachable, migrated, intact, in WAL mode, seeded; and the connection if it is usable."""
    path = settings.db_path
    if not path.exists():
        return [Check("database", "warn", f"{path} does not exist yet; `sitrep init` creates it "
                                          "(the bot would create it on first use)")], None
    restore = "restore the latest backup with `sitrep restore-backup FILE`"
    try:
        conn = _open_read_only(path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return [Check("database", "fail", f"{path} cannot be read ({exc}); {restore}")], None
    checks = [Check("database", "ok", f"{path} is readable")]
    latest = latest_version()
    if version == latest:
        checks.append(Check("schema", "ok", f"migrated to version {version}"))
    elif version < latest:
        checks.append(Check("schema", "warn", f"version {version}, latest is {latest}: run "
                                              "`sitrep init` (the bot migrates on start too)"))
    else:
        checks.append(Check("schema", "fail", f"version {version} is newer than this sitrep "
                                              f"knows ({latest}): upgrade sitrep"))
    if integrity == "ok":
        checks.append(Check("integrity", "ok", "PRAGMA integrity_check is ok"))
    else:
        checks.append(Check("integrity", "fail", f"integrity_check says {integrity!r}; stop the "
                                                 f"bot and {restore}"))
        return checks, None
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    checks.append(Check("wal", "ok", "WAL mode is on") if mode == "wal" else
                  Check("wal", "warn", f"journal mode is {mode}; `sitrep init` turns WAL on, "
                                       "which lets readers and the writer work at once"))
    try:
        towns = conn.execute("SELECT count(*) FROM townships").fetchone()[0]
    except sqlite3.DatabaseError:
        towns = 0
    checks.append(Check("seeds", "ok", f"{towns} townships loaded") if towns >= TOWNSHIPS else
                  Check("seeds", "fail", f"{towns} of {TOWNSHIPS} townships loaded; run "
                                         "`sitrep init` on a new database"))
    return checks, conn if version <= latest else None


def disk_check(settings: Settings) -> Check:
    where = settings.db_path.resolve().parent
    while not where.exists():
        where = where.parent
    free = shutil.disk_usage(where).free
    text = f"{free / GB:.1f} GB free where the database lives ({where})"
    if free < GB // 5:
        return Check("disk", "fail", f"only {text}; free space now, writes will fail soon")
    if free < GB:
        return Check("disk", "warn", f"only {text}; backups and imports need room")
    return Check("disk", "ok", text)


def guild_checks(conn: sqlite3.Connection, now: datetime) -> list[Check]:
    """Digest settings and the last successful digest of every team in the database."""
    db = Database(conn)
    checks: list[Check] = []
    for (guild_id,) in conn.execute("SELECT guild_id FROM guilds ORDER BY guild_id"):
        settings = guild_settings.load(db, guild_id)
        name = f"guild {guild_id} digest"
        if not settings.digest_enabled:
            checks.append(Check(name, "ok", "switched off"))
            continue
        problems = guild_settings.digest_problems(settings)
        if problems:
            checks += [Check(name, "warn", problem) for problem in problems]
            continue
        last = digest_schedule.last_posted(db, guild_id)
        if last is None or last.posted_at is None:
            checks.append(Check(name, "warn", f"set up for {settings.digest_time} "
                                              f"{settings.digest_tz}, but nothing posted yet; "
                                              "`sitrep digest-status` says why"))
        elif now - last.posted_at > timedelta(days=2):
            checks.append(Check(name, "warn", f"last posted {last.posted_at:%Y-%m-%d %H:%M} UTC, "
                                              "over 2 days ago: is the bot running? "
                                              "`sitrep digest-status` says more"))
        else:
            checks.append(Check(name, "ok", f"last posted {last.posted_at:%Y-%m-%d %H:%M} UTC"))
    return checks


def backup_check(settings: Settings, now: datetime) -> Check:
    newest = max(settings.backups.glob(BACKUP_GLOB), default=None,
                 key=lambda p: p.stat().st_mtime)
    if newest is None:
        return Check("backups", "warn", f"no backup in {settings.backups}; run `sitrep backup "
                                        f"{settings.backups}` (the running bot makes them on "
                                        "schedule)")
    age = now - datetime.fromtimestamp(newest.stat().st_mtime, UTC)
    allowed = timedelta(hours=2 * (settings.backup_hours or 24))
    text = f"newest is {newest.name}, {age.total_seconds() / 3600:.0f} h old"
    if age > allowed:
        return Check("backups", "warn", f"{text}; is the bot running? run `sitrep backup "
                                        f"{settings.backups}` now")
    return Check("backups", "ok", text)


def digest_channels(settings: Settings) -> dict[int, int]:
    """guild id -> digest channel id, for the online permission checks."""
    if not settings.db_path.exists():
        return {}
    try:
        conn = _open_read_only(settings.db_path)
        rows = conn.execute("SELECT guild_id, value FROM settings WHERE key = 'digest_channel'"
                            ).fetchall()
        conn.close()
    except sqlite3.DatabaseError:
        return {}
    return {int(g): int(v) for g, v in rows if str(v).isdigit()}


def offline_checks(settings: Settings, now: datetime | None = None) -> list[Check]:
    """Every check that needs no network."""
    now = now or datetime.now(UTC)
    checks = [token_check(settings)]
    db_checks, conn = database_checks(settings)
    checks += db_checks
    checks.append(disk_check(settings))
    if conn is not None:
        try:
            checks += guild_checks(conn, now)
        finally:
            conn.close()
    checks.append(backup_check(settings, now))
    return checks
