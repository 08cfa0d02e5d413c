"""Curating a team's actor list: aliases, renames and merging two entries for one group.

Events name actors by id, and every name an actor ever had stays one of its aliases, so an old
audit state that says "Tatmadaw" still resolves after a rename, and one that names a merged-away
actor resolves to the actor it was merged into. Each change is one audit row with no event id;
its before and after describe the actor (and, for a merge, which events moved), which is what
keeps the record complete even though a merged-away actor's row is removed.
"""

from __future__ import annotations

from sqlite_utils import Database

from bot.actors import Actor, _add_names, _lookup, create_actor, resolve_actor
from bot.corrections import _reason
from bot.db import transaction
from bot.errors import InvalidInput
from bot.events import write_audit
from bot.text import clean_text, norm

MAX_NAME = 200


def describe_actor(db: Database, guild_id: int, actor_id: int) -> dict[str, object]:
    """An actor as the audit log records it: its row and every name it answers to."""
    row = db.execute(
        "SELECT id, name, abbreviation, kind, member_of, needs_review FROM actors"
        " WHERE guild_id = ? AND id = ?",
        [guild_id, actor_id],
    ).fetchone()
    aliases = [a for (a,) in db.execute(
        "SELECT alias FROM actor_aliases WHERE guild_id = ? AND actor_id = ? ORDER BY alias_key",
        [guild_id, actor_id],
    )]
    keys = ("id", "name", "abbreviation", "kind", "member_of", "needs_review")
    return dict(zip(keys, row, strict=True)) | {"aliases": aliases}


def _new_name(db: Database, guild_id: int, actor: Actor, text: str | None, what: str) -> str:
    """A name ``actor`` may take: not empty, and not already another group's name."""
    clean = clean_text(what, text, MAX_NAME)
    if clean is None:
        raise InvalidInput(f"Give the {what}.")
    owner = _lookup(db, guild_id, norm(clean))
    if owner is not None and owner.id != actor.id:
        raise InvalidInput(f"{clean!r} is already a name of {owner.label}; if they are the same"
                           " group, merge the two actors instead.")
    return clean


def add_actor(db: Database, guild_id: int, name: str, aliases: list[str], *, by: str,
              by_id: str | None = None, reason: str | None = None) -> Actor:
    """A group the seed list does not know, with its other names, as one audited change."""
    with transaction(db):
        actor = create_actor(db, guild_id, name)
        for alias in aliases:
            clean = _new_name(db, guild_id, actor, alias, "alias")
            _add_names(db, guild_id, actor.id, [clean])
        write_audit(db, guild_id, by=by, by_id=by_id, action="actor-add", event_id=None,
                    reason=clean_text("reason", reason, 1000), before=None,
                    after=describe_actor(db, guild_id, actor.id))
    return actor


def add_alias(db: Database, guild_id: int, actor: str, alias: str, *, by: str,
              by_id: str | None = None, reason: str | None = None) -> Actor:
    """Teach the team another name for a group ("Sit-Tat" for the Tatmadaw)."""
    with transaction(db):
        found = resolve_actor(db, guild_id, actor)
        clean = _new_name(db, guild_id, found, alias, "alias")
        if _lookup(db, guild_id, norm(clean)) is not None:
            raise InvalidInput(f"{clean!r} is already a name of {found.label}; nothing changed.")
        before = describe_actor(db, guild_id, found.id)
        _add_names(db, guild_id, found.id, [clean])
        write_audit(db, guild_id, by=by, by_id=by_id, action="actor-alias", event_id=None,
                    reason=clean_text("reason", reason, 1000), before=before,
                    after=describe_actor(db, guild_id, found.id))
    return found


def rename_actor(db: Database, guild_id: int, actor: str, new_name: str, *, by: str,
                 by_id: str | None = None, reason: str | None = None) -> Actor:
    """Give a group a new canonical name; the old one stays an alias, so nothing breaks."""
    with transaction(db):
        found = resolve_actor(db, guild_id, actor)
        clean = _new_name(db, guild_id, found, new_name, "new name")
        if clean == found.name:
            raise InvalidInput(f"{found.label} is already called {clean!r}; nothing changed.")
        before = describe_actor(db, guild_id, found.id)
        db.execute("UPDATE actors SET name = ? WHERE guild_id = ? AND id = ?",
                   [clean, guild_id, found.id])
        db.execute("UPDATE actors SET member_of = ? WHERE guild_id = ? AND member_of = ?",
                   [clean, guild_id, found.name])
        _add_names(db, guild_id, found.id, [found.name, clean])
        write_audit(db, guild_id, by=by, by_id=by_id, action="actor-rename", event_id=None,
                    reason=clean_text("reason", reason, 1000), before=before,
                    after=describe_actor(db, guild_id, found.id))
    return Actor(found.id, clean, found.abbreviation)


def _opposed_events(db: Database, guild_id: int, one: int, two: int) -> list[int]:
    rows = db.execute(
        "SELECT DISTINCT a.event_id FROM event_actors a JOIN event_actors b"
        " ON b.event_id = a.event_id AND b.role != a.role"
        " WHERE a.guild_id = ? AND a.actor_id = ? AND b.actor_id = ? ORDER BY a.event_id",
        [guild_id, one, two],
    )
    return [r[0] for r in rows]


def merge_actors(db: Database, guild_id: int, keep: str, other: str, *, by: str,
                 reason: str | None, by_id: str | None = None) -> Actor:
    """Make two entries one group: ``other``'s events, names and alliance members move to
    ``keep`` and its row goes (the audit row keeps everything it said).

    Refused when the two appear on opposite sides of an event, because merging would put one
    group on both sides: that event is wrong, or the two are different groups.
    """
    why = _reason(reason)
    with transaction(db):
        kept, gone = resolve_actor(db, guild_id, keep), resolve_actor(db, guild_id, other)
        if kept.id == gone.id:
            raise InvalidInput(f"{keep.strip()!r} and {other.strip()!r} are already the same "
                               f"actor, {kept.label}; nothing to merge.")
        opposed = _opposed_events(db, guild_id, kept.id, gone.id)
        if opposed:
            shown = ", ".join(f"#{e}" for e in opposed[:10])
            raise InvalidInput(f"{kept.label} and {gone.label} are on opposite sides of event(s)"
                               f" {shown}; correct those events first, or keep both actors.")
        moved = [e for (e,) in db.execute(
            "SELECT DISTINCT event_id FROM event_actors WHERE guild_id = ? AND actor_id = ?"
            " ORDER BY event_id", [guild_id, gone.id])]
        before = {"keep": describe_actor(db, guild_id, kept.id),
                  "other": describe_actor(db, guild_id, gone.id), "events": moved}
        # An event that already names the kept actor on that side keeps its one row.
        db.execute("UPDATE OR IGNORE event_actors SET actor_id = ? WHERE guild_id = ?"
                   " AND actor_id = ?", [kept.id, guild_id, gone.id])
        db.execute("DELETE FROM event_actors WHERE guild_id = ? AND actor_id = ?",
                   [guild_id, gone.id])
        db.execute("UPDATE actor_aliases SET actor_id = ? WHERE guild_id = ? AND actor_id = ?",
                   [kept.id, guild_id, gone.id])
        db.execute("UPDATE actors SET member_of = ? WHERE guild_id = ? AND member_of = ?",
                   [kept.name, guild_id, gone.name])
        db.execute("DELETE FROM actors WHERE guild_id = ? AND id = ?", [guild_id, gone.id])
        write_audit(db, guild_id, by=by, by_id=by_id, action="actor-merge", event_id=None,
                    reason=why, before=before,
                    after={"keep": describe_actor(db, guild_id, kept.id), "other": None,
                           "events": moved})
    return kept
