"""Corrections to the record: every one audited in the transaction that makes it.

Every change to an event goes through ``record_change``: write the new state, read the event
back, refuse a change that changed nothing, append one audit row holding the before and after
``Event.to_json()``. Because the state written is the same JSON the history shows, undo is just
"write that row's ``before`` back" (``bot.history``), and no write path can drift from what the
audit log claims happened.

Deletes are soft: the row stays, marked with who and when, and drops out of every query. A merge
marks the other event ``merged_into`` the kept one, which gains its sources, actors and notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from bot.actors import Actor, create_actor, find_actor
from bot.clock import utc_now
from bot.dates import ACLED_PRECISION, EventDate
from bot.db import transaction
from bot.errors import Forbidden, InvalidInput
from bot.events import (
    MAX_SOURCES,
    Event,
    NewEvent,
    check_new_event,
    check_source,
    get_event,
    outlet_of,
    write_audit,
)
from bot.text import clean_text

EDITABLE_FIELDS = ("date", "township", "location", "actors", "opponents", "type", "fatalities",
                   "sources", "notes")
REQUIRED_FIELDS = frozenset({"date", "township", "actors", "type"})
_NAME_SPLIT = re.compile(r"\s*[,;]\s*")  # the same separators the /log command accepts
_URL_SPLIT = re.compile(r"[\s,]+")

State = dict[str, object]  # an ``Event.to_json()`` dict: what the audit log stores and undo writes


def _reason(reason: str | None) -> str:
    clean = clean_text("reason", reason, 1000)
    if clean is None:
        raise InvalidInput("Say why: a correction needs a reason, which the history keeps.")
    return clean


def _require_live(event: Event, doing: str) -> None:
    """Changing a hidden event would silently fork the record; say which event to use instead."""
    if event.merged_into is not None:
        raise InvalidInput(
            f"Event #{event.id} was merged into #{event.merged_into}; {doing} #{event.merged_into}"
            f" instead, or undo the merge on #{event.id} first."
        )
    if event.deleted:
        raise InvalidInput(f"Event #{event.id} is deleted; restore it first, then {doing} it.")


# --- writing a state -------------------------------------------------------------------------

def _actor_id(db: Database, guild_id: int, name: str) -> int:
    """The canonical name first (a stored state names actors canonically), then any alias, so
    a state written before a rename or an actor merge still finds the group it meant."""
    row = db.execute("SELECT id FROM actors WHERE guild_id = ? AND name = ?",
                     [guild_id, name]).fetchone()
    found = Actor(row[0], name, None) if row else find_actor(db, guild_id, name)
    if found is None:
        raise InvalidInput(f"The actor {name!r} is no longer known to this team, so that state"
                           " cannot be written back; edit the event instead.")
    return found.id


def apply_state(db: Database, guild_id: int, event_id: int, state: State, *, by: str) -> None:
    """Make the stored event match ``state``; the caller holds the transaction and audits it.

    Sources whose URL stays keep their row (and outlet); the sides are rewritten whole, since
    an ``event_actors`` row holds nothing but the link.
    """
    sides = {role: list(dict.fromkeys(_actor_id(db, guild_id, n) for n in state[key]))
             for role, key in (("actor", "actors"), ("opponent", "opponents"))}
    if set(sides["actor"]) & set(sides["opponent"]):
        raise InvalidInput(f"That would put one group on both sides of event #{event_id} (two of"
                           " its actors have since been merged); edit the event instead.")
    deleted_at, deleted_by = db.execute(
        "SELECT deleted_at, deleted_by FROM events WHERE guild_id = ? AND id = ?",
        [guild_id, event_id],
    ).fetchone()
    if not state["deleted"]:
        deleted_at = deleted_by = None
    elif deleted_at is None:
        deleted_at, deleted_by = utc_now(), by
    db.execute(
        "UPDATE events SET event_date = ?, date_precision = ?, township_pcode = ?, location = ?,"
        " event_type = ?, sub_event_type = ?, fatalities = ?, notes = ?, merged_into = ?,"
        " deleted_at = ?, deleted_by = ?, updated_at = ? WHERE guild_id = ? AND id = ?",
        [state["date"], ACLED_PRECISION[state["date_precision"]], state["pcode"],
         state["location"], state["event_type"], state["sub_event_type"], state["fatalities"],
         state["notes"], state["merged_into"], deleted_at, deleted_by, utc_now(), guild_id,
         event_id],
    )
    db.execute("DELETE FROM event_actors WHERE guild_id = ? AND event_id = ?", [guild_id, event_id])
    db["event_actors"].insert_all(
        {"guild_id": guild_id, "event_id": event_id, "actor_id": actor_id, "role": role}
        for role, ids in sides.items() for actor_id in ids
    )
    urls: list[str] = list(state["sources"])  # type: ignore[call-overload]
    kept: set[str] = set()
    for source_id, url in db.execute(
        "SELECT id, url FROM sources WHERE guild_id = ? AND event_id = ? ORDER BY id",
        [guild_id, event_id],
    ).fetchall():
        if url in urls and url not in kept:
            kept.add(url)
        else:
            db.execute("DELETE FROM sources WHERE id = ?", [source_id])
    db["sources"].insert_all(
        {"guild_id": guild_id, "event_id": event_id, "url": url, "outlet": outlet_of(url)}
        for url in urls if url not in kept
    )


def record_change(db: Database, guild_id: int, before: Event, state: State, *, by: str,
                  by_id: str | None, action: str, reason: str | None,
                  allow_noop: bool = False) -> Event:
    """Write ``state`` over ``before`` and append its audit row; the caller holds the transaction.

    "Nothing changed" is judged on the event as read back, so re-typing a value in another
    spelling ("Mese" for MMR002007) is refused like any other no-op. Undo passes ``allow_noop``:
    an undo must always be recorded, or an unchangeable state would block every older undo.
    """
    apply_state(db, guild_id, before.id, state, by=by)
    after = get_event(db, guild_id, before.id)
    if not allow_noop and after.to_json() == before.to_json():
        raise InvalidInput(f"Nothing changed: event #{before.id} already has those values.")
    write_audit(db, guild_id, by=by, by_id=by_id, action=action, event_id=before.id,
                reason=reason, before=before.to_json(), after=after.to_json())
    return after


# --- checking a whole event -----------------------------------------------------------------

def _as_new_event(event: Event) -> NewEvent:
    """The event as a user would retype it, so an edit is checked exactly like a new log."""
    precision = event.date_precision
    return NewEvent(
        date=EventDate(date.fromisoformat(event.date), precision).label(),  # type: ignore[arg-type]
        township=event.pcode, actors=event.actors, opponents=event.opponents,
        event_type=event.sub_event_type or event.event_type, location=event.location,
        fatalities=event.fatalities, sources=event.sources, notes=event.notes,
    )


def _checked_state(db: Database, guild_id: int, before: Event, new: NewEvent, *,
                   ref: date | None = None, new_actors: bool = False) -> State:
    """Check ``new`` as log_event would and return the state to write (actors created here)."""
    c = check_new_event(db, guild_id, new, ref=ref, new_actors=new_actors)
    actors = [a if a.id else create_actor(db, guild_id, a.name) for a in c.actors]
    opponents = [a if a.id else create_actor(db, guild_id, a.name) for a in c.opponents]
    return before.to_json() | {
        "date": c.when.date.isoformat(), "date_precision": c.when.precision,
        "pcode": c.township.pcode, "location": c.location, "event_type": c.kind.event_type,
        "sub_event_type": c.kind.sub_event_type, "fatalities": c.fatalities,
        "sources": c.sources, "notes": c.notes,
        "actors": [a.name for a in actors], "opponents": [a.name for a in opponents],
    }


# --- edit --------------------------------------------------------------------------------------

def split_names(text: str) -> list[str]:
    return [n for n in _NAME_SPLIT.split(text) if n.strip()]


def split_urls(text: str) -> list[str]:
    return [u for u in _URL_SPLIT.split(text) if u]


def _fatalities(text: str) -> int | None:
    clean = text.strip().replace(",", "")
    if clean.lower() in ("", "unknown"):
        return None
    try:
        return int(clean)
    except ValueError:
        raise InvalidInput(f"Fatalities must be a whole number such as 3, not "
                           f"{text.strip()[:40]!r}; leave it empty when unknown.") from None


# edit field -> (NewEvent attribute, how the typed text becomes that attribute's value)
_TYPED: dict[str, tuple[str, Callable[[str], object]]] = {
    "date": ("date", str.strip),
    "township": ("township", str.strip),
    "location": ("location", str.strip),
    "actors": ("actors", split_names),
    "opponents": ("opponents", split_names),
    "type": ("event_type", str.strip),
    "fatalities": ("fatalities", _fatalities),
    "sources": ("sources", split_urls),
    "notes": ("notes", str.strip),
}


def _typed_changes(changes: dict[str, str]) -> dict[str, object]:
    """NewEvent attribute -> value for what the user typed; unknown fields and cleared required
    fields are refused before anything is read or written."""
    if not changes:
        raise InvalidInput(f"Say what to change, as FIELD=VALUE; editable fields: "
                           f"{', '.join(EDITABLE_FIELDS)}.")
    typed: dict[str, object] = {}
    for raw_field, value in changes.items():
        field = raw_field.strip().lower()
        if field not in _TYPED:
            raise InvalidInput(f"{raw_field.strip()[:40]!r} is not a field you can edit; editable"
                               f" fields: {', '.join(EDITABLE_FIELDS)}.")
        text = value or ""
        if field in REQUIRED_FIELDS and not text.strip():
            raise InvalidInput(f"The {field} cannot be cleared: every event needs one. "
                               "Give the new value instead.")
        attribute, parse = _TYPED[field]
        typed[attribute] = parse(text)
    return typed


def edit_event(db: Database, guild_id: int, event_id: int, changes: dict[str, str], *, by: str,
               reason: str | None, by_id: str | None = None, ref: date | None = None,
               new_actors: bool = False) -> Event:
    """Change fields of a live event, given as typed (``{"actors": "KNDF, PDF"}``).

    The whole edited event is checked as ``log_event`` checks a new one, so no edit can store
    what logging would refuse. An empty value clears an optional field; ``ref`` (default
    today) is the date relative words such as "Tuesday" count back from.
    """
    typed = _typed_changes(changes)
    why = _reason(reason)
    with transaction(db):
        before = get_event(db, guild_id, event_id)
        _require_live(before, "edit")
        new = replace(_as_new_event(before), **typed)  # type: ignore[arg-type]
        state = _checked_state(db, guild_id, before, new, ref=ref, new_actors=new_actors)
        return record_change(db, guild_id, before, state, by=by, by_id=by_id, action="edit",
                             reason=why)


# --- add a source ----------------------------------------------------------------------------

def add_source(db: Database, guild_id: int, event_id: int, url: str, *, by: str,
               by_id: str | None = None, reason: str | None = None) -> Event:
    """Cite one more report of a live event, audited as "add-source" (and so undoable).

    This is what confirming an article's proposal does when the team already has the event:
    ACLED keeps one event per actors, day and place, however many outlets report it. No
    reason is required, unlike an edit: adding evidence changes no fact about the event.
    """
    clean = check_source(url)
    why = clean_text("reason", reason, 1000)
    with transaction(db):
        before = get_event(db, guild_id, event_id)
        _require_live(before, "add the source to")
        if clean in before.sources:
            raise InvalidInput(f"Event #{event_id} already cites that source; nothing to add.")
        if len(before.sources) >= MAX_SOURCES:
            raise InvalidInput(f"Event #{event_id} already has {MAX_SOURCES} sources, the most "
                               "an event can hold; edit its sources to drop a weaker one first.")
        state = before.to_json() | {"sources": [*before.sources, clean]}
        return record_change(db, guild_id, before, state, by=by, by_id=by_id,
                             action="add-source", reason=why)


# --- delete, restore, merge ------------------------------------------------------------------

def delete_event(db: Database, guild_id: int, event_id: int, *, by: str, reason: str | None,
                 by_id: str | None = None) -> Event:
    """Mark an event deleted; it stays in the store and in its history."""
    why = _reason(reason)
    with transaction(db):
        before = get_event(db, guild_id, event_id)
        if before.deleted:
            raise InvalidInput(f"Event #{event_id} is already deleted.")
        _require_live(before, "delete")
        return record_change(db, guild_id, before, before.to_json() | {"deleted": True}, by=by,
                             by_id=by_id, action="delete", reason=why)


def restore_event(db: Database, guild_id: int, event_id: int, *, by: str,
                  reason: str | None = None, by_id: str | None = None) -> Event:
    """Bring a soft-deleted event back."""
    why = clean_text("reason", reason, 1000)
    with transaction(db):
        before = get_event(db, guild_id, event_id)
        if not before.deleted:
            raise InvalidInput(f"Event #{event_id} is not deleted.")
        return record_change(db, guild_id, before, before.to_json() | {"deleted": False}, by=by,
                             by_id=by_id, action="restore", reason=why)


def merge_events(db: Database, guild_id: int, keep_id: int, other_id: int, *, by: str,
                 reason: str | None, by_id: str | None = None) -> Event:
    """Fold ``other`` into ``keep``, which gains its sources, actors, opponents and notes.

    The merged event is checked like a new one (at most 10 sources, no group on both sides,
    notes within the limit), so a merge that would not fit is refused and the user trims one
    event first. Two audit rows, one per event, written kept-then-other in this transaction:
    each event's history stays a list of its own states, and undo finds the pair by that order.
    """
    why = _reason(reason)
    if keep_id == other_id:
        raise InvalidInput("An event cannot be merged into itself; give two different ids.")
    with transaction(db):
        keep = get_event(db, guild_id, keep_id)
        other = get_event(db, guild_id, other_id)
        _require_live(keep, "merge into")
        _require_live(other, "merge")
        marker = f"From #{other.id}: {other.notes}" if other.notes else f"Merged from #{other.id}."
        merged = replace(
            _as_new_event(keep),
            actors=list(dict.fromkeys(keep.actors + other.actors)),
            opponents=list(dict.fromkeys(keep.opponents + other.opponents)),
            sources=list(dict.fromkeys(keep.sources + other.sources)),
            notes="\n\n".join(n for n in (keep.notes, marker) if n),
        )
        state = _checked_state(db, guild_id, keep, merged)
        kept = record_change(db, guild_id, keep, state, by=by, by_id=by_id, action="merge",
                             reason=why)
        record_change(db, guild_id, other, other.to_json() | {"merged_into": keep_id}, by=by,
                      by_id=by_id, action="merge", reason=why)
    return kept


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
