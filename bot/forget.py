"""Data subject requests: replace a person's identity with a stable pseudonym everywhere.

The research record stays intact (every event, every change, every reason); only who did it
becomes ``forgotten-<hash>``, the same pseudonym for the same person, so the history still shows
that one person made a series of changes. The audit log stays append-only for every other code
path: its trigger lets updates through only while ``forgetting`` is on, on this connection.
"""

from __future__ import annotations

import hashlib
import json

from sqlite_utils import Database

from bot.db import forgetting, transaction
from bot.errors import InvalidInput, NotFound
from bot.events import write_audit


def pseudonym(db: Database, user: str) -> str:
    """Stable within this store, meaningless outside it (the store's random id is the salt)."""
    row = db.execute("SELECT value FROM store_info WHERE key = 'store_id'").fetchone()
    salt = row[0] if row else "sitrep"
    return "forgotten-" + hashlib.sha256(f"{salt}:{user}".encode()).hexdigest()[:12]


def forget_user(db: Database, user: str, *, by: str, guild_id: int | None = None,
                by_id: str | None = None) -> dict[str, object]:
    """Replace the user (a Discord id, or the name a CLI user logged with) in events and audit
    rows of one guild, or of every guild when ``guild_id`` is None; the request is audited."""
    user = user.strip()
    if not user or user.startswith("forgotten-"):
        raise InvalidInput("Give the Discord user id (or the exact name) to forget.")
    alias = pseudonym(db, user)
    scope, params = ("", []) if guild_id is None else (" AND guild_id = ?", [guild_id])
    with transaction(db):
        names = {r[0] for r in db.execute(
            f"SELECT logged_by FROM events WHERE (logged_by_id = ? OR logged_by = ?){scope}"
            f" UNION SELECT by FROM audit_log WHERE (by_id = ? OR by = ?){scope}",
            [user, user, *params, user, user, *params]) if r[0]}
        if not names:
            raise NotFound(f"Nothing in the record was done by {user!r}"
                           + ("" if guild_id is None else " in this team") + ".")
        marks = ",".join("?" * len(names))
        events = db.execute(
            f"UPDATE events SET logged_by = ?, logged_by_id = ? WHERE (logged_by_id = ?"
            f" OR logged_by IN ({marks})){scope}", [alias, alias, user, *names, *params]
        ).rowcount
        db.execute(f"UPDATE events SET deleted_by = ? WHERE deleted_by IN ({marks}){scope}",
                   [alias, *names, *params])
        with forgetting():
            rows = db.execute(
                f"UPDATE audit_log SET by = ?, by_id = ? WHERE (by_id = ? OR by IN ({marks}))"
                f"{scope}", [alias, alias, user, *names, *params]).rowcount
            for name in names:  # states recorded in before/after name who logged the event
                quoted, replacement = json.dumps(name), json.dumps(alias)
                db.execute(
                    "UPDATE audit_log SET before = replace(before, ?, ?), after = replace(after,"
                    f" ?, ?) WHERE (instr(before, ?) OR instr(after, ?)){scope}",
                    [quoted, replacement, quoted, replacement, quoted, quoted, *params])
        summary = {"pseudonym": alias, "events": events, "audit_rows": rows,
                   "guild": guild_id}
        for gid in _guilds(db, guild_id):
            write_audit(db, gid, by=by, by_id=by_id, action="forget-user", event_id=None,
                        reason="data subject request", after=summary)
    return summary


def _guilds(db: Database, guild_id: int | None) -> list[int]:
    if guild_id is not None:
        return [guild_id]
    return [r[0] for r in db.execute("SELECT guild_id FROM guilds ORDER BY guild_id")]
