"""The naive floor: each benchmark question as hand-written SQL on a minimal raw-sqlite3 schema.

The floor store holds the same live events as the sitrep archive it is built from, in the
smallest schema that answers the questions well: one ``events`` table with the region copied
in, indexed on ``(guild, pcode, date)``, ``(guild, date)`` and ``(guild, logged_at)``;
``event_actors`` keyed ``(event_id, actor)`` and indexed ``(actor, event_id)``; an FTS5 index
over notes and location. No audit, no soft-delete, no ACLED columns, no checks. It is what a
competent analyst would write by hand, so "sitrep / floor" says what sitrep's design costs or
saves on the same question.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

FLOOR_VERSION = 1

SCHEMA = """
CREATE TABLE events (id INTEGER PRIMARY KEY, guild INTEGER, pcode TEXT, date TEXT,
                     precision INTEGER, type TEXT, sub_type TEXT, region TEXT,
                     fatalities INTEGER, logged_at TEXT, location TEXT, notes TEXT);
CREATE TABLE event_actors (event_id INTEGER, actor INTEGER, PRIMARY KEY (event_id, actor))
    WITHOUT ROWID;
CREATE TABLE actors (id INTEGER PRIMARY KEY, name TEXT);
"""
INDEXES = """
CREATE INDEX events_place ON events (guild, pcode, date);
CREATE INDEX events_date ON events (guild, date);
CREATE INDEX events_logged ON events (guild, logged_at);
CREATE INDEX event_actors_actor ON event_actors (actor, event_id);
CREATE VIRTUAL TABLE events_fts USING fts5 (notes, location, content = events,
                                           content_rowid = id);
INSERT INTO events_fts (events_fts) VALUES ('rebuild');
"""


def build(source: Path, target: Path) -> None:
    """Copy the live events of the sitrep store ``source`` into a floor store at ``target``."""
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    conn = sqlite3.connect(partial)
    conn.executescript(SCHEMA)
    conn.execute("ATTACH DATABASE ? AS src", [f"file:{source}?mode=ro"])
    with conn:
        conn.execute(
            "INSERT INTO events SELECT e.id, e.guild_id, e.township_pcode, e.event_date,"
            " e.date_precision, e.event_type, e.sub_event_type, t.state_region, e.fatalities,"
            " e.logged_at, e.location, e.notes FROM src.events e JOIN src.townships t"
            " ON t.pcode = e.township_pcode WHERE e.deleted_at IS NULL"
            " AND e.merged_into IS NULL ORDER BY e.id")
        conn.execute("INSERT OR IGNORE INTO event_actors SELECT ea.event_id, ea.actor_id"
                     " FROM src.event_actors ea JOIN events e ON e.id = ea.event_id")
        conn.execute("INSERT INTO actors SELECT id, name FROM src.actors")
    conn.execute("DETACH DATABASE src")
    conn.executescript(INDEXES)
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    partial.replace(target)


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def active(conn: sqlite3.Connection, guild: int, pcode: str, since: str,
           until: str) -> list[tuple]:
    return conn.execute(
        "SELECT a.name, COUNT(*) AS n, MIN(e.date), MAX(e.date) FROM events e"
        " JOIN event_actors ea ON ea.event_id = e.id JOIN actors a ON a.id = ea.actor"
        " WHERE e.guild = ? AND e.pcode = ? AND e.date BETWEEN ? AND ?"
        " GROUP BY ea.actor ORDER BY n DESC, a.name", [guild, pcode, since, until]).fetchall()


def actor(conn: sqlite3.Connection, guild: int, actor_id: int, since: str,
          until: str) -> tuple[int, list[tuple]]:
    rows = conn.execute(
        "SELECT e.pcode, COUNT(*) AS n, MIN(e.date), MAX(e.date) FROM event_actors ea"
        " JOIN events e ON e.id = ea.event_id WHERE ea.actor = ? AND e.guild = ?"
        " AND e.date BETWEEN ? AND ? GROUP BY e.pcode ORDER BY n DESC",
        [actor_id, guild, since, until]).fetchall()
    return sum(r[1] for r in rows), rows


def summary(conn: sqlite3.Connection, guild: int, since: str, until: str) -> dict:
    """Totals, fatalities, by type, by region and the ten most active groups."""
    by_type: dict[str, int] = {}
    by_region: dict[str, int] = {}
    total = deaths = counted = 0
    for kind, region, n, dead, known in conn.execute(
        "SELECT type, region, COUNT(*), SUM(fatalities), COUNT(fatalities) FROM events"
        " WHERE guild = ? AND date BETWEEN ? AND ? GROUP BY type, region",
        [guild, since, until],
    ):
        by_type[kind] = by_type.get(kind, 0) + n
        by_region[region] = by_region.get(region, 0) + n
        total, deaths, counted = total + n, deaths + (dead or 0), counted + known
    top = conn.execute(
        "SELECT a.name, COUNT(*) AS n FROM events e JOIN event_actors ea ON ea.event_id = e.id"
        " JOIN actors a ON a.id = ea.actor WHERE e.guild = ? AND e.date BETWEEN ? AND ?"
        " GROUP BY ea.actor ORDER BY n DESC, a.name LIMIT 10", [guild, since, until]).fetchall()
    return {"total": total, "fatalities": deaths, "counted": counted, "by_type": by_type,
            "by_region": by_region, "top": top}


def search(conn: sqlite3.Connection, guild: int, text: str) -> tuple[int, list[tuple]]:
    """The number of matches and the best ten, with their groups."""
    total = conn.execute("SELECT COUNT(*) FROM events_fts f JOIN events e ON e.id = f.rowid"
                         " WHERE events_fts MATCH ? AND e.guild = ?", [text, guild]).fetchone()[0]
    rows = conn.execute(
        "SELECT e.* FROM events_fts f JOIN events e ON e.id = f.rowid WHERE events_fts MATCH ?"
        " AND e.guild = ? ORDER BY f.rank, e.date DESC LIMIT 10", [text, guild]).fetchall()
    ids = [r[0] for r in rows]
    conn.execute(f"SELECT event_id, actor FROM event_actors WHERE event_id IN"
                 f" ({','.join('?' * len(ids))})", ids).fetchall()
    return total, rows


def digest(conn: sqlite3.Connection, guild: int, start: str, end: str, day: str,
           week_start: str, trend_start: str, trend_end: str) -> dict:
    """One day's logging: totals by type and region, groups, the deadliest events, and the
    per-region trend of the last 7 days against the 4 weeks before."""
    where = "guild = ? AND logged_at >= ? AND logged_at < ?"
    window = [guild, start, end]
    by = conn.execute(f"SELECT type, region, COUNT(*), SUM(fatalities), SUM(date < ?) FROM"
                      f" events WHERE {where} GROUP BY type, region", [day, *window]).fetchall()
    groups = conn.execute(
        "SELECT a.name, COUNT(*) AS n FROM events e JOIN event_actors ea ON ea.event_id = e.id"
        " JOIN actors a ON a.id = ea.actor WHERE e.guild = ? AND e.logged_at >= ?"
        " AND e.logged_at < ? GROUP BY ea.actor ORDER BY n DESC", window).fetchall()
    deadly = conn.execute(f"SELECT * FROM events WHERE {where} AND fatalities > 0"
                          " ORDER BY fatalities DESC LIMIT 3", window).fetchall()
    trend = conn.execute(
        "SELECT region, SUM(date >= ?), SUM(date <= ?) FROM events WHERE guild = ?"
        " AND date BETWEEN ? AND ? AND precision < 3 AND logged_at < ? GROUP BY region",
        [week_start, trend_end, guild, trend_start, day, end]).fetchall()
    return {"by": by, "groups": groups, "deadly": deadly, "trend": trend}


def log(conn: sqlite3.Connection, guild: int, pcode: str, date: str, actors: list[int],
        notes: str, logged_at: str) -> int:
    """One event, its groups and its full-text entry, committed."""
    conn.execute("BEGIN IMMEDIATE")
    cur = conn.execute(
        "INSERT INTO events (guild, pcode, date, precision, type, sub_type, region, fatalities,"
        " logged_at, location, notes) VALUES (?, ?, ?, 1, 'Battles', 'Armed clash', 'Sagaing',"
        " NULL, ?, NULL, ?)", [guild, pcode, date, logged_at, notes])
    event_id = cur.lastrowid
    conn.executemany("INSERT INTO event_actors VALUES (?, ?)", [(event_id, a) for a in actors])
    conn.execute("INSERT INTO events_fts (rowid, notes, location) VALUES (?, ?, NULL)",
                 [event_id, notes])
    conn.execute("COMMIT")
    return event_id
