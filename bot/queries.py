"""The research questions: who was active where, where a group was active, what happened.

Every query is scoped to one guild and skips deleted and merged-away events. Date bounds are
inclusive ISO dates; an open bound becomes a sentinel so the composite indexes
``(guild_id, township_pcode, event_date)`` and ``(guild_id, event_date)`` still drive a range
search rather than a scan.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from sqlite_utils import Database

from bot.actors import resolve_actor
from bot.dates import DateRange
from bot.errors import InvalidInput
from bot.events import EVENT_COLUMNS, Event, events_from_rows
from bot.gazetteer import gazetteer

LIVE = "e.deleted_at IS NULL AND e.merged_into IS NULL"
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer answer, so no surface ever truncates silently."""

    items: list[T]
    total: int
    offset: int

    @property
    def label(self) -> str:
        """ "1-10 of 57", as the page footer shows it."""
        if not self.items:
            return f"0 of {self.total}"
        return f"{self.offset + 1}-{self.offset + len(self.items)} of {self.total}"


def bounds(span: DateRange) -> tuple[str, str]:
    """Inclusive ISO bounds for SQL; open ends become sentinels that sort outside any date."""
    since = span.since.isoformat() if span.since else "0000-01-01"
    until = span.until.isoformat() if span.until else "9999-12-31"
    return since, until


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def active(db: Database, guild_id: int, township: str, span: DateRange) -> dict[str, object]:
    """Groups active in a township over a period, both sides counted, most active first."""
    place = gazetteer(db).resolve(township)
    since, until = bounds(span)
    groups = [
        dict(row)
        for row in db.query(
            "SELECT a.name AS actor, COUNT(DISTINCT e.id) AS events,"
            " MIN(e.event_date) AS first, MAX(e.event_date) AS last"
            " FROM events e JOIN event_actors ea ON ea.event_id = e.id"
            " JOIN actors a ON a.id = ea.actor_id"
            f" WHERE e.guild_id = ? AND e.township_pcode = ? AND e.event_date BETWEEN ? AND ?"
            f" AND {LIVE} GROUP BY a.id ORDER BY events DESC, a.name",
            [guild_id, place.pcode, since, until],
        )
    ]
    return {
        "township": place.name, "pcode": place.pcode, "state_region": place.state_region,
        "since": _iso(span.since), "until": _iso(span.until), "groups": groups,
    }


def actor_activity(db: Database, guild_id: int, name: str, span: DateRange) -> dict[str, object]:
    """Where and when a group was active: townships by number of events, most first."""
    actor = resolve_actor(db, guild_id, name)
    since, until = bounds(span)
    townships = [
        dict(row)
        for row in db.query(
            "SELECT t.name AS township, t.pcode, t.state_region, COUNT(DISTINCT e.id) AS events,"
            " MIN(e.event_date) AS first, MAX(e.event_date) AS last"
            " FROM event_actors ea JOIN events e ON e.id = ea.event_id"
            " JOIN townships t ON t.pcode = e.township_pcode"
            f" WHERE ea.actor_id = ? AND e.guild_id = ? AND e.event_date BETWEEN ? AND ? AND {LIVE}"
            " GROUP BY t.pcode ORDER BY events DESC, t.name",
            [actor.id, guild_id, since, until],
        )
    ]
    return {
        "actor": actor.name, "abbreviation": actor.abbreviation,
        "since": _iso(span.since), "until": _iso(span.until),
        "total_events": _count_actor_events(db, guild_id, actor.id, since, until),
        "townships": townships,
    }


def _count_actor_events(db: Database, guild_id: int, actor_id: int, since: str,
                        until: str) -> int:
    return db.execute(
        "SELECT COUNT(DISTINCT e.id) FROM event_actors ea JOIN events e ON e.id = ea.event_id"
        f" WHERE ea.actor_id = ? AND e.guild_id = ? AND e.event_date BETWEEN ? AND ? AND {LIVE}",
        [actor_id, guild_id, since, until],
    ).fetchone()[0]


def timeline(db: Database, guild_id: int, township: str, span: DateRange,
             limit: int | None = None, offset: int = 0) -> tuple[dict[str, object], Page[Event]]:
    """A township's events, oldest first, one page at a time."""
    place = gazetteer(db).resolve(township)
    since, until = bounds(span)
    where = (f"e.guild_id = ? AND e.township_pcode = ? AND e.event_date BETWEEN ? AND ?"
             f" AND {LIVE}")
    params = [guild_id, place.pcode, since, until]
    total = db.execute(f"SELECT COUNT(*) FROM events e WHERE {where}", params).fetchone()[0]
    rows = list(db.query(
        f"SELECT {EVENT_COLUMNS} FROM events e JOIN townships t ON t.pcode = e.township_pcode"
        f" WHERE {where} ORDER BY e.event_date, e.id LIMIT ? OFFSET ?",
        [*params, -1 if limit is None else limit, offset],
    ))
    header = {"township": place.name, "pcode": place.pcode, "state_region": place.state_region,
              "since": _iso(span.since), "until": _iso(span.until)}
    return header, Page(events_from_rows(db, guild_id, rows), total, offset)


def search(db: Database, guild_id: int, text: str, limit: int | None = None,
           offset: int = 0) -> Page[Event]:
    """Full-text search over notes and location, best match first.

    The text is an FTS5 query, so analysts can use phrases, OR and prefixes ("air*"); a syntax
    error is the user's to fix, not a crash.
    """
    query = text.strip()
    if not query:
        raise InvalidInput("Type some words to search for.")
    match = (f"FROM events_fts f JOIN events e ON e.id = f.rowid"
             f" JOIN townships t ON t.pcode = e.township_pcode"
             f" WHERE events_fts MATCH ? AND e.guild_id = ? AND {LIVE}")
    try:
        total = db.execute(f"SELECT COUNT(*) {match}", [query, guild_id]).fetchone()[0]
        rows = list(db.query(
            f"SELECT {EVENT_COLUMNS} {match} ORDER BY f.rank, e.event_date DESC LIMIT ? OFFSET ?",
            [query, guild_id, -1 if limit is None else limit, offset],
        ))
    except sqlite3.OperationalError as exc:
        # Only the MATCH text comes from the user; trouble with the file itself is not theirs.
        if any(word in str(exc) for word in ("locked", "disk", "no such table", "malformed")):
            raise
        raise InvalidInput(
            f"Could not read {query[:100]!r} as a search. Put a phrase in "
            'double quotes, e.g. "air strike", and avoid stray quotes, brackets and AND/OR/NOT '
            "at the ends."
        ) from None
    return Page(events_from_rows(db, guild_id, rows), total, offset)
