"""When each team's digest is due, and claiming it so that it is posted exactly once.

The decision is a pure function of a clock reading: ``due_days(now, schedule, runs)`` says
which local days' digests should be posted at ``now``; the bot's scheduler only asks it every
30 seconds, and tests move the clock instead of sleeping.

Exactly once rests on one row per (guild, local day) in ``digest_runs`` (its primary key),
written in a ``BEGIN IMMEDIATE`` transaction *before* anything is posted::

    state     written when                            claimable again
    claimed   by claim(), before the first part is sent when its lease runs out or its
                                                        holder's process is gone
    posted    when the last part is recorded            never (final)
    failed    when a send failed; the reason is kept    after RETRY_AFTER, or by /digest now
    released  at shutdown, before the digest was posted at once

A claim carries its holder (one token per bot process: host, pid, random) and a lease. Two
live processes race for the row and one wins; a restart, a gateway reconnect or a second
process finds it claimed or posted and stands back. A process killed between claiming and
posting leaves a claim that the next tick of any process takes over: at once if the holder
ran on this host and its pid is gone (a kill -9 and a restart by systemd), otherwise once the
lease has run out after ``LEASE`` (another host, or a pid reused meanwhile: the safe side).
Parts of a long digest are recorded as they are sent, so a retry continues where the failed
attempt stopped instead of repeating parts.

What no store can make atomic is Discord's side: a process killed after Discord accepted a
message and before the row says so would post that part again. Each part carries a nonce
derived from (guild, day, part), which Discord uses to drop a repeat sent within minutes.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot import guild_settings
from bot.db import transaction
from bot.digest import stamp
from bot.errors import InvalidInput
from bot.guild_settings import GuildSettings

LEASE = timedelta(minutes=3)  # a claim unposted this long belongs to a dead process
RETRY_AFTER = timedelta(minutes=15)  # after a failed post; /digest now retries at once
ON_TIME = timedelta(minutes=15)  # posted later than this after its slot: marked late
RECENT_RUNS = 7


def new_holder() -> str:
    """A token naming this process in claims: host and pid for people, random for uniqueness."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_gone(holder: str | None) -> bool:
    """True if ``holder`` was a process on this host that no longer runs.

    Only a definite "no such process" counts; anything unsure (another host, our own pid, a
    pid that exists, no permission to ask) leaves the claim to its lease.
    """
    host, _, rest = (holder or "").partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) in (0, os.getpid()):
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


@dataclass(frozen=True)
class Schedule:
    """A guild's digest settings, checked and ready to compute with."""

    guild_id: int
    channel_id: int
    zone: str
    at: time
    max_late_days: int
    since: datetime | None  # slots before this are never caught up


def schedule_of(guild_id: int, settings: GuildSettings) -> Schedule | None:
    """None when the digest is off, has no channel or has a setting that no longer reads."""
    if not settings.digest_active or guild_settings.digest_problems(settings):
        return None
    return Schedule(guild_id, settings.digest_channel or 0, settings.digest_tz,
                    guild_settings.digest_time(settings), settings.digest_max_late_days,
                    datetime.fromisoformat(settings.digest_since) if settings.digest_since
                    else None)


def slot(day: date, schedule: Schedule) -> datetime:
    """When the digest of ``day`` is due: the next local day at the configured time (UTC)."""
    local = datetime.combine(day + timedelta(days=1), schedule.at, tzinfo=ZoneInfo(schedule.zone))
    return local.astimezone(UTC)


def latest_due_day(now: datetime, schedule: Schedule) -> date:
    """The most recent local day whose slot has come by ``now``."""
    day = now.astimezone(ZoneInfo(schedule.zone)).date() - timedelta(days=1)
    return day if slot(day, schedule) <= now else day - timedelta(days=1)


def next_slot(now: datetime, schedule: Schedule) -> datetime:
    return slot(latest_due_day(now, schedule) + timedelta(days=1), schedule)


@dataclass(frozen=True)
class Run:
    """One ``digest_runs`` row."""

    guild_id: int
    day: date
    state: str
    holder: str | None = None
    lease_until: datetime | None = None
    retry_at: datetime | None = None
    attempts: int = 0
    late: bool = False
    channel_id: int | None = None
    parts_posted: int = 0
    message_ids: list[int] = field(default_factory=list)
    posted_at: datetime | None = None
    error: str | None = None
    failed_at: datetime | None = None

    def claimable(self, now: datetime, *, force: bool = False) -> bool:
        """Posted is final; a live claim is someone's; a failure waits unless forced."""
        if self.state == "claimed":
            return self.lease_until is None or now >= self.lease_until
        if self.state == "failed":
            return force or self.retry_at is None or now >= self.retry_at
        return self.state == "released"

    def to_json(self) -> dict[str, object]:
        def iso(moment: datetime | None) -> str | None:
            return stamp(moment) if moment else None

        return {"day": self.day.isoformat(), "state": self.state, "late": self.late,
                "attempts": self.attempts, "channel_id": self.channel_id,
                "message_ids": self.message_ids, "posted_at": iso(self.posted_at),
                "error": self.error, "failed_at": iso(self.failed_at),
                "retry_at": iso(self.retry_at), "holder": self.holder,
                "lease_until": iso(self.lease_until)}


def _run(row: Mapping[str, Any]) -> Run:
    def moment(key: str) -> datetime | None:
        return datetime.fromisoformat(row[key]) if row.get(key) else None

    return Run(
        guild_id=row["guild_id"], day=date.fromisoformat(row["day"]), state=row["state"],
        holder=row.get("holder"), lease_until=moment("lease_until"), retry_at=moment("retry_at"),
        attempts=row.get("attempts") or 0, late=bool(row.get("late")),
        channel_id=row.get("channel_id"), parts_posted=row.get("parts_posted") or 0,
        message_ids=json.loads(row.get("message_ids") or "[]"), posted_at=moment("posted_at"),
        error=row.get("error"), failed_at=moment("failed_at"))


@dataclass(frozen=True)
class Due:
    """One digest to post now, as decided from the clock."""

    guild_id: int
    day: date
    channel_id: int
    zone: str
    slot: datetime
    late: bool


def due_days(now: datetime, schedule: Schedule, runs: Mapping[date, Run], *,
             force: bool = False) -> list[Due]:
    """The digests to post at ``now``, oldest first: every slot that has come, is at most
    ``max_late_days`` overdue (at least ``ON_TIME``), is not before the digest was switched
    on, and whose run is absent or claimable."""
    reach = max(timedelta(days=schedule.max_late_days), ON_TIME)
    found = []
    day = latest_due_day(now, schedule)
    while now - slot(day, schedule) <= reach:
        due_at = slot(day, schedule)
        if schedule.since is not None and due_at < schedule.since:
            break
        run = runs.get(day)
        if run is None or run.claimable(now, force=force):
            found.append(Due(schedule.guild_id, day, schedule.channel_id, schedule.zone,
                             due_at, now - due_at > ON_TIME))
        day -= timedelta(days=1)
    return found[::-1]


# --- the store ------------------------------------------------------------------------------

def _alive(run: Run) -> Run:
    """The run, with the lease of a claim whose process is gone treated as run out."""
    if run.state == "claimed" and holder_gone(run.holder):
        return replace(run, lease_until=None)
    return run


def runs(db: Database, guild_id: int, limit: int | None = None) -> dict[date, Run]:
    """The guild's digest runs, newest day first."""
    rows = db.query("SELECT * FROM digest_runs WHERE guild_id = ? ORDER BY day DESC LIMIT ?",
                    [guild_id, -1 if limit is None else limit])
    return {run.day: _alive(run) for run in map(_run, rows)}


def get_run(db: Database, guild_id: int, day: date) -> Run | None:
    rows = list(db.query("SELECT * FROM digest_runs WHERE guild_id = ? AND day = ?",
                         [guild_id, day.isoformat()]))
    return _alive(_run(rows[0])) if rows else None


def scheduled_guilds(db: Database) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT DISTINCT guild_id FROM settings WHERE key = 'digest_channel' ORDER BY guild_id")]


def due(db: Database, now: datetime, guild_ids: Iterable[int] | None = None) -> list[Due]:
    """Every digest due at ``now`` in the given guilds (default: all with a channel)."""
    found = []
    wanted = None if guild_ids is None else set(guild_ids)
    for guild_id in scheduled_guilds(db):
        if wanted is not None and guild_id not in wanted:
            continue
        schedule = schedule_of(guild_id, guild_settings.load(db, guild_id))
        if schedule is not None:
            history = runs(db, guild_id, limit=schedule.max_late_days + 3)
            found += due_days(now, schedule, history)
    return found


def due_now(db: Database, guild_id: int, now: datetime) -> Due:
    """For /digest now: the last complete local day, ahead of its slot if need be."""
    settings = guild_settings.load(db, guild_id)
    if settings.digest_channel is None:
        raise InvalidInput("No digest channel is set yet; choose one with /digest config "
                           "channel:#channel first.")
    problems = guild_settings.digest_problems(settings)
    if problems:
        raise InvalidInput(problems[0])
    schedule = Schedule(guild_id, settings.digest_channel, settings.digest_tz,
                        guild_settings.digest_time(settings), settings.digest_max_late_days, None)
    day = now.astimezone(ZoneInfo(schedule.zone)).date() - timedelta(days=1)
    due_at = slot(day, schedule)
    return Due(guild_id, day, schedule.channel_id, schedule.zone, due_at,
               now - due_at > ON_TIME)


@dataclass(frozen=True)
class Claim:
    """The right, held by ``holder`` until ``lease_until``, to post one digest."""

    guild_id: int
    day: date
    holder: str
    channel_id: int
    late: bool
    parts_posted: int


def claim(db: Database, due: Due, holder: str, now: datetime, *,
          force: bool = False) -> Claim | None:
    """Take the (guild, day) row for ``holder``, or None if it is posted or someone holds it.

    The read and the write share one immediate transaction, so of two racing processes the
    second sees the first's row. ``force`` (/digest now) skips a failure's retry delay only.
    """
    with transaction(db):
        run = get_run(db, due.guild_id, due.day)
        if run is not None and not run.claimable(now, force=force):
            return None
        progress = run.parts_posted if run is not None and run.channel_id == due.channel_id else 0
        db["digest_runs"].upsert({
            "guild_id": due.guild_id, "day": due.day.isoformat(), "state": "claimed",
            "holder": holder, "claimed_at": stamp(now), "lease_until": stamp(now + LEASE),
            "attempts": (run.attempts if run else 0) + 1, "late": int(due.late),
            "channel_id": due.channel_id, "parts_posted": progress,
            "message_ids": json.dumps(run.message_ids if progress and run else []),
            "retry_at": None,
        }, pk=("guild_id", "day"))
    return Claim(due.guild_id, due.day, holder, due.channel_id, due.late, progress)


_HELD = "guild_id = ? AND day = ? AND state = 'claimed' AND holder = ?"


def record_part(db: Database, c: Claim, index: int, message_id: int, total: int,
                now: datetime) -> bool:
    """Note that part ``index`` of ``total`` was sent (the last one makes the run posted) and
    renew the lease. False if the claim was lost meanwhile: stop sending."""
    with transaction(db):
        run = get_run(db, c.guild_id, c.day)
        if run is None or run.state != "claimed" or run.holder != c.holder:
            return False
        done = index + 1 >= total
        db.execute(
            f"UPDATE digest_runs SET parts_posted = ?, message_ids = ?, lease_until = ?,"
            f" state = ?, posted_at = ?, error = ? WHERE {_HELD}",
            [index + 1, json.dumps([*run.message_ids, message_id]), stamp(now + LEASE),
             "posted" if done else "claimed", stamp(now) if done else None,
             None if done else run.error, c.guild_id, c.day.isoformat(), c.holder])
    return True


def mark_posted(db: Database, c: Claim, now: datetime) -> bool:
    """Close a claim with nothing left to send (a retry whose digest shrank meanwhile)."""
    with transaction(db):
        return db.execute(f"UPDATE digest_runs SET state = 'posted', posted_at = ?, error = NULL"
                          f" WHERE {_HELD}", [stamp(now), c.guild_id, c.day.isoformat(),
                                              c.holder]).rowcount == 1


def release(db: Database, c: Claim, now: datetime, error: str | None = None) -> bool:
    """Give the claim back: "failed" with the reason and a retry time, or "released" (no
    error: shutting down) for the next tick to take at once."""
    with transaction(db):
        changed = db.execute(
            f"UPDATE digest_runs SET state = ?, error = COALESCE(?, error), failed_at = ?,"
            f" retry_at = ?, lease_until = NULL WHERE {_HELD}",
            ["failed" if error else "released", error, stamp(now) if error else None,
             stamp(now + RETRY_AFTER) if error else None,
             c.guild_id, c.day.isoformat(), c.holder]).rowcount
    return changed == 1


def release_held(db: Database, holder: str) -> int:
    """Release every unposted claim of ``holder`` (graceful shutdown); how many there were."""
    with transaction(db):
        return db.execute("UPDATE digest_runs SET state = 'released', lease_until = NULL"
                          " WHERE state = 'claimed' AND holder = ?", [holder]).rowcount


def last_posted(db: Database, guild_id: int) -> Run | None:
    """The guild's latest successful digest (for /digest status and sitrep doctor)."""
    rows = list(db.query("SELECT * FROM digest_runs WHERE guild_id = ? AND state = 'posted'"
                         " ORDER BY posted_at DESC LIMIT 1", [guild_id]))
    return _run(rows[0]) if rows else None


def status(db: Database, guild_id: int, now: datetime) -> dict[str, object]:
    """What /digest status and ``sitrep digest-status`` show: settings, problems, the next
    slot, the last success, recent runs and what is waiting to be retried."""
    settings = guild_settings.load(db, guild_id)
    schedule = schedule_of(guild_id, settings)
    history = runs(db, guild_id, limit=guild_settings.MAX_LATE_DAYS + 3)
    recent = list(history.values())[:RECENT_RUNS]
    last = last_posted(db, guild_id)
    return {
        "settings": {k: getattr(settings, k) for k in (*guild_settings.DIGEST_KEYS,
                                                       "digest_since")},
        "active": schedule is not None,
        "problems": guild_settings.digest_problems(settings) if settings.digest_enabled else [],
        "next_post": stamp(next_slot(now, schedule)) if schedule else None,
        "due_now": [d.day.isoformat() for d in due_days(now, schedule, history)]
        if schedule else [],
        "last_posted": last.to_json() if last else None,
        "failures": [r.to_json() for r in recent if r.state == "failed"],
        "recent": [r.to_json() for r in recent],
    }


def nonce(c: Claim, index: int) -> int:
    """The same number for the same part of the same digest, whichever process sends it."""
    digest = hashlib.sha256(f"{c.guild_id}:{c.day}:{index}".encode()).digest()
    return int.from_bytes(digest[:7], "big")  # < 2**56: a short positive integer
