"""Corrections to the record: every one audited in the transaction that makes it.

Deletes are soft: the row stays, marked with who and when, and drops out of every query.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from bot.clock import utc_now
from bot.db import transaction
from bot.errors import Forbidden, InvalidInput
from bot.events import Event, get_event, write_audit
from bot.text import clean_text


def _reason(reason: str | None) -> str:
    clean = clean_text("reason", reason, 1000)
    if clean is None:
        raise InvalidInput("Say why: a correction needs a reason, which the history keeps.")
    return clean


def delete_event(db: Database, guild_id: int, event_id: int, *, by: str, reason: str | None,
                 by_id: str | None = None) -> Event:
    """Mark an event deleted; it stays in the store and in its history."""
    why = _reason(reason)
    with transaction(db):
        before = get_event(db, guild_id, event_id)
        if before.deleted:
            raise InvalidInput(f"Event #{event_id} is already deleted.")
        db.execute(
            "UPDATE events SET deleted_at = ?, deleted_by = ?, updated_at = ? "
            "WHERE guild_id = ? AND id = ?",
            [utc_now(), by, utc_now(), guild_id, event_id],
        )
        after = get_event(db, guild_id, event_id)
        write_audit(db, guild_id, by=by, by_id=by_id, action="delete", event_id=event_id,
                    reason=why, before=before.to_json(), after=after.to_json())
    return after


def restore_event(db: Database, guild_id: int, event_id: int, *, by: str,
                  reason: str | None = None, by_id: str | None = None) -> Event:
    """Bring a soft-deleted event back."""
    with transaction(db):
        before = get_event(db, guild_id, event_id)
        if not before.deleted:
            raise InvalidInput(f"Event #{event_id} is not deleted.")
        db.execute(
            "UPDATE events SET deleted_at = NULL, deleted_by = NULL, updated_at = ? "
            "WHERE guild_id = ? AND id = ?",
            [utc_now(), guild_id, event_id],
        )
        after = get_event(db, guild_id, event_id)
        write_audit(db, guild_id, by=by, by_id=by_id, action="restore", event_id=event_id,
                    reason=clean_text("reason", reason, 1000), before=before.to_json(),
                    after=after.to_json())
    return after


UNDO_WINDOW = timedelta(minutes=5)


def undo_own_log(db: Database, guild_id: int, event_id: int, *, by: str, by_id: str,
                 now: datetime | None = None) -> Event:
    """Let whoever logged an event take it back for a few minutes, without an editor."""
    row = db.execute(
        "SELECT logged_by_id, logged_at FROM events WHERE guild_id = ? AND id = ?",
        [guild_id, event_id],
    ).fetchone()
    if row is None or row[0] != by_id:
        raise Forbidden("Only the person who logged this event can undo it; ask an editor.")
    age = (now or datetime.now(UTC)) - datetime.fromisoformat(row[1])
    if age > UNDO_WINDOW:
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        raise Forbidden(f"Undo is only possible for {minutes} minutes after logging; "
                        "ask an editor to delete the event.")
    return delete_event(db, guild_id, event_id, by=by, by_id=by_id,
                        reason="undone by the person who logged it")
