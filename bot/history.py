"""An event's history, and undoing its changes one at a time.

Undo walks back, like an editor's Ctrl-Z: each undo reverts the most recent change to the event
that is not undone yet, writing that change's ``before`` state back and recording an "undo" row.
Which changes are undone is not stored anywhere extra; it is replayed from the audit log itself
(every change pushes, every undo pops), so it cannot disagree with the history. An undo is never
itself undone; to redo, make the change again. Undoing the original "log" soft-deletes the
event; after that there is nothing left to undo (restore brings it back, and that restore can be
undone in turn).

A merge changes two events and is undone as a whole from either one: both go back to their state
before the merge, provided neither has changed since (otherwise the user is told to undo the
later changes first).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from bot.corrections import State, record_change
from bot.db import transaction
from bot.errors import InvalidInput
from bot.events import Event, get_event
from bot.text import clean_text


@dataclass(frozen=True)
class Change:
    """One audit row of an event."""

    id: int
    event_id: int
    action: str
    by: str | None
    at: str
    reason: str | None
    before: State | None
    after: State | None

    def to_json(self) -> dict[str, object]:
        """The shape ``history`` promises: action, by, at, reason, before, after."""
        return {"action": self.action, "by": self.by, "at": self.at, "reason": self.reason,
                "before": self.before, "after": self.after}


_COLUMNS = "id, event_id, action, by, at, reason, before, after"


def _change(row: tuple) -> Change:
    *head, before, after = row
    return Change(*head, before=None if before is None else json.loads(before),
                  after=None if after is None else json.loads(after))


def _changes(db: Database, guild_id: int, event_id: int) -> list[Change]:
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM audit_log WHERE guild_id = ? AND event_id = ? ORDER BY id",
        [guild_id, event_id],
    ).fetchall()
    changes = [_change(r) for r in rows]
    imported = _batch_import(db, guild_id, event_id, changes)
    return [imported, *changes] if imported else changes


def _batch_import(db: Database, guild_id: int, event_id: int,
                  later: list[Change]) -> Change | None:
    """The "import" change of an event that an ACLED import audited with its batch's one row.

    Nothing but an audited change alters an event's state, so the state it was imported with
    is the ``before`` of its first change since, or the event as it is if it has none. (Actor
    renames and merges are audited on the actor, so such a state names groups as they are
    now called.) The batch row's id orders the change before the event's own rows.
    """
    row = db.execute(
        "SELECT a.id, a.by, a.at, a.after, r.import_line, r.event_id_cnty FROM acled_rows r"
        " JOIN audit_log a ON a.id = r.import_audit_id WHERE r.event_id = ? AND r.guild_id = ?"
        " AND a.guild_id = ?", [event_id, guild_id, guild_id]).fetchone()
    if row is None:
        return None
    audit_id, by, at, batch, line, key = row
    after = later[0].before if later else get_event(db, guild_id, event_id).to_json()
    return Change(audit_id, event_id, "import", by, at,
                  f"{json.loads(batch)['file']} line {line} ({key})", None, after)


def history(db: Database, guild_id: int, event_id: int) -> list[dict[str, object]]:
    """Every audited change to the event, oldest first, with before and after as parsed JSON."""
    get_event(db, guild_id, event_id)  # NotFound for an id this team does not have
    return [c.to_json() for c in _changes(db, guild_id, event_id)]


def undoable(db: Database, guild_id: int, event_id: int) -> list[Change]:
    """The event's changes that are not undone yet, oldest first: the last one is next."""
    stack: list[Change] = []
    for change in _changes(db, guild_id, event_id):
        if change.action != "undo":
            stack.append(change)
        elif stack:
            stack.pop()
    return stack


def _merge_partner(db: Database, guild_id: int, change: Change) -> Change | None:
    """The other event's row of a merge: ``merge_events`` writes the kept event's row, then
    the merged one's, in one transaction, so the partner is the adjacent row; its contents are
    checked rather than trusted."""
    into = (change.after or {}).get("merged_into")
    partner_id = change.id + 1 if into is None else change.id - 1
    row = db.execute(f"SELECT {_COLUMNS} FROM audit_log WHERE guild_id = ? AND id = ?",
                     [guild_id, partner_id]).fetchone()
    partner = _change(row) if row else None
    if partner is None or partner.action != "merge":
        return None
    kept, merged = (change, partner) if into is None else (partner, change)
    if (merged.after or {}).get("merged_into") != kept.event_id:
        return None
    return partner


def _revert(db: Database, guild_id: int, event: Event, change: Change, *, by: str,
            by_id: str | None, note: str | None) -> Event:
    """Write ``change.before`` back (no before: the change created the event, so delete it)."""
    state = change.before if change.before is not None else event.to_json() | {"deleted": True}
    why = f"undid the {change.action} by {change.by or 'unknown'} at {change.at}"
    return record_change(db, guild_id, event, state, by=by, by_id=by_id, action="undo",
                         reason=f"{why}: {note}" if note else why, allow_noop=True)


def undo_last_change(db: Database, guild_id: int, event_id: int, *, by: str,
                     by_id: str | None = None, reason: str | None = None) -> Event:
    """Revert the latest change to the event not undone yet; return the event as it now is."""
    note = clean_text("reason", reason, 1000)
    with transaction(db):
        event = get_event(db, guild_id, event_id)
        pending = undoable(db, guild_id, event_id)
        if not pending:
            hint = " Restore it to bring it back." if event.deleted else ""
            raise InvalidInput(f"Nothing to undo on event #{event_id}: every change to it is "
                               f"already undone.{hint}")
        change = pending[-1]
        partner = _merge_partner(db, guild_id, change) if change.action == "merge" else None
        if partner is not None:
            partner_pending = undoable(db, guild_id, partner.event_id)
            if not partner_pending or partner_pending[-1].id != partner.id:
                raise InvalidInput(
                    f"Event #{partner.event_id} has changed since it was merged with "
                    f"#{event_id}; undo those later changes on #{partner.event_id} first, "
                    "then undo the merge."
                )
            _revert(db, guild_id, get_event(db, guild_id, partner.event_id), partner, by=by,
                    by_id=by_id, note=note)
        return _revert(db, guild_id, event, change, by=by, by_id=by_id, note=note)


def hidden_because(db: Database, guild_id: int, event: Event) -> str | None:
    """For a deleted or merged event, who hid it, when and why; None for a live event.

    A hidden event cannot be changed, so its latest audit row is always the one that hid it.
    """
    if not (event.deleted or event.merged_into):
        return None
    last = _changes(db, guild_id, event.id)[-1]
    what = f"Merged into #{event.merged_into}" if event.merged_into else "Deleted"
    why = f": {last.reason}" if last.reason else ""
    return f"{what} by {last.by} at {last.at}{why}"
