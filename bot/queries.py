"""The research questions: who was active where, where a group was active, what happened.

Every query is scoped to one guild and skips deleted and merged-away events. Date bounds are
inclusive ISO dates; an open bound becomes a sentinel so the composite indexes
``(guild_id, township_pcode, event_date)`` and ``(guild_id, event_date)`` still drive a range
search rather than a scan. ``active`` and ``actor_activity`` count from the pre-aggregated
tables (``bot.aggregates``), so three years cost about what one month does.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from sqlite_utils import Database

from bot import aggregate_reads
from bot.actors import resolve_actor
from bot.dates import DateRange
from bot.errors import InvalidInput
from bot.events import EVENT_COLUMNS, Event, events_from_rows
from bot.gazetteer import gazetteer

LIVE = "e.deleted_at IS NULL AND e.merged_into IS NULL"
SEARCH_WINDOW = 500  # the most recent matches a search ranks and pages through
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer answer, so no surface ever truncates silently."""

    items: list[T]
    total: int
    offset: int
    more: bool = False  # more items exist than ``total`` (which is then a cap: see ``search``)

    @property
    def label(self) -> str:
        """ "1-10 of 57", as the page footer shows it ("of 500+" when there are more)."""
        total = f"{self.total}+" if self.more else str(self.total)
        if not self.items:
            return f"0 of {total}"
        return f"{self.offset + 1}-{self.offset + len(self.items)} of {total}"


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
    groups = aggregate_reads.place_groups(db, guild_id, place.pcode, *bounds(span))
    return {
        "township": place.name, "pcode": place.pcode, "state_region": place.state_region,
        "since": _iso(span.since), "until": _iso(span.until), "groups": groups,
    }


def actor_activity(db: Database, guild_id: int, name: str, span: DateRange) -> dict[str, object]:
    """Where and when a group was active: townships by number of events, most first."""
    actor = resolve_actor(db, guild_id, name)
    townships = aggregate_reads.actor_places(db, guild_id, actor.id, *bounds(span))
    return {
        "actor": actor.name, "abbreviation": actor.abbreviation,
        "since": _iso(span.since), "until": _iso(span.until),
        # an event happens in one township, so the townships' counts add up to the total
        "total_events": sum(t["events"] for t in townships),  # type: ignore[misc]
        "townships": townships,
    }


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
    """Full-text search over notes and location, best match first; past ``SEARCH_WINDOW``
    matches, the latest that many, newest first.

    The text is an FTS5 query, so analysts can use phrases, OR and prefixes ("air*"); a syntax
    error is the user's to fix, not a crash. Counting every match, or ranking them (FTS5's
    bm25 reads each term's whole list of reports to weigh it), costs time in proportion to the
    archive: ~0.5 s for a word found in every report of a million. So a search stops at the
    window, says there are more (``Page.more``), and ranks only when the window holds every
    match.
    """
    query = text.strip()
    if not query:
        raise InvalidInput("Type some words to search for.")
    # CROSS JOIN keeps the full-text index as the outer loop, newest match first, so the walk
    # stops at the window: left to choose, SQLite may walk every event of the guild and run
    # the MATCH once per event. Each match is checked in the narrow ``events_search`` index
    # (migration 8); only the page's events are read whole, afterwards.
    def matches(rank: str) -> list[tuple]:
        return db.execute(
            f"SELECT e.id, e.event_date, {rank} FROM events_fts f CROSS JOIN events e"
            " INDEXED BY events_search ON e.id = f.rowid"
            f" WHERE events_fts MATCH ? AND e.guild_id = ? AND {LIVE}"
            " ORDER BY f.rowid DESC LIMIT ?", [query, guild_id, SEARCH_WINDOW + 1]).fetchall()

    try:
        window = matches("0")
        more = len(window) > SEARCH_WINDOW
        if not more:
            window = matches("f.rank")
    except sqlite3.OperationalError as exc:
        # Only the MATCH text comes from the user; trouble with the file itself is not theirs.
        if any(word in str(exc) for word in ("locked", "disk", "no such table", "malformed")):
            raise
        raise InvalidInput(
            f"Could not read {query[:100]!r} as a search. Put a phrase in "
            'double quotes, e.g. "air strike", and avoid stray quotes, brackets and AND/OR/NOT '
            "at the ends."
        ) from None
    window = sorted(window[:SEARCH_WINDOW], key=lambda r: (r[1], r[0]), reverse=True)
    window.sort(key=lambda r: r[2])  # best rank first (a stable sort: newest first within)
    ids = [r[0] for r in window[offset:None if limit is None else offset + limit]]
    found = {r["id"]: r for r in db.query(
        f"SELECT {EVENT_COLUMNS} FROM events e JOIN townships t ON t.pcode = e.township_pcode"
        " WHERE e.id IN (SELECT value FROM json_each(?))", [json.dumps(ids)])}
    return Page(events_from_rows(db, guild_id, [found[i] for i in ids]), len(window), offset,
                more)
