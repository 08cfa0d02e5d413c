"""Pre-aggregated counts, kept by triggers, so long-range questions cost the same at any size.

An index finds the events of a township or a period, but "who was active in Yinmabin over
three years" still has to visit every one of them: tens of thousands of rows at research
scale, growing with the archive. These tables hold the answers' ingredients instead, counted
per day and per month:

- ``agg_place_actor_day`` / ``_month`` (and ``agg_actor_place_month``, the same counts keyed
  by actor first): live events per guild, township, actor and day/month (an actor counts once
  per event, whichever side it is on), for ``active``, ``actor`` and a summary of a region's
  groups;
- ``agg_actor_day`` / ``_month``: the same per actor, over all townships, for a summary's top
  groups;
- ``agg_kind_day`` / ``_month``: live events, reported deaths and events with a death count,
  per guild, state/region, event type and day/month, for a summary's totals.

A question over [since, until] reads whole months from the month tables and the partial months
at either end from the day tables (``bot.aggregate_reads``), so its cost depends on the number
of months and groups it covers, not on the number of events.

**Kept in the same transaction as every write.** Triggers on ``events`` and ``event_actors``
apply each change as it happens (a log, an edit, a delete, a restore, a merge, an undo, an
actor merge moving ``event_actors`` rows), so no write path can forget them, including ones
written later or by hand in the ``sqlite3`` shell. Only the ACLED import turns them off for a
batch (``paused``) and adds the whole batch in a few grouped statements instead
(``BatchCounts``), in the same transaction. Townships are reference data: a township's
state/region is read when an event is counted and is assumed never to change.

Rows whose count falls back to zero are left in place (they cost a little space, never a wrong
answer): every reader asks for ``n > 0`` where it matters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from operator import itemgetter

from sqlite_utils import Database

from bot.db import without_triggers

LIVE_E = "e.deleted_at IS NULL AND e.merged_into IS NULL"
NOT_PAUSED = "NOT EXISTS (SELECT 1 FROM agg_pause)"

# table -> (primary key, in order; the table is its primary key: WITHOUT ROWID, no index)
# The township-by-month counts are kept twice, in the two orders the two questions read them
# ("who in this township", "where this group"): a second table rather than a second index,
# so each read is one range of one key and the planner has no wrong index to pick.
LINK_TABLES = {
    "agg_place_actor_day": ("guild_id", "pcode", "actor_id", "day"),
    "agg_place_actor_month": ("guild_id", "pcode", "month", "actor_id"),
    "agg_actor_place_month": ("guild_id", "actor_id", "month", "pcode"),
    "agg_actor_day": ("guild_id", "day", "actor_id"),
    "agg_actor_month": ("guild_id", "month", "actor_id"),
}
KIND_TABLES = {
    "agg_kind_day": ("guild_id", "day", "state_region", "event_type"),
    "agg_kind_month": ("guild_id", "month", "state_region", "event_type"),
}


# --- schema ------------------------------------------------------------------------------------

def _bucket(table: str, date_sql: str) -> str:
    """The day, or the month (``YYYY-MM``), of an ISO date expression."""
    return date_sql if table.endswith("_day") else f"substr({date_sql}, 1, 7)"


def _link_values(table: str, guild: str, pcode: str, actor: str, day: str) -> str:
    """The key columns of a link table, in its column order, as SQL expressions."""
    values = {"guild_id": guild, "pcode": pcode, "actor_id": actor,
              "day": day, "month": f"substr({day}, 1, 7)"}
    return ", ".join(values[c] for c in LINK_TABLES[table])


def _upsert_links(table: str, sign: int, select: str, guild: str, pcode: str, actor: str,
                  day: str) -> str:
    """Add ``sign`` to one link table for every row ``select`` (a FROM ... WHERE ...) yields."""
    keys = LINK_TABLES[table]
    return (f"INSERT INTO {table} ({', '.join(keys)}, n)"
            f" SELECT {_link_values(table, guild, pcode, actor, day)}, {sign} {select}"
            f" ON CONFLICT DO UPDATE SET n = n + excluded.n;")


def _upsert_kind(table: str, sign: int, row: str, where: str) -> str:
    """Add one event (``row`` is OLD or NEW) to a kind table with ``sign``, if ``where``."""
    keys = KIND_TABLES[table]
    bucket = _bucket(table, f"{row}.event_date")
    values = {"guild_id": f"{row}.guild_id", "day": bucket, "month": bucket,
              "state_region": f"(SELECT state_region FROM townships WHERE pcode ="
                              f" {row}.township_pcode)",
              "event_type": f"{row}.event_type"}
    return (f"INSERT INTO {table} ({', '.join(keys)}, n, fatalities, with_fatalities)"
            f" SELECT {', '.join(values[k] for k in keys)}, {sign},"
            f" {sign} * COALESCE({row}.fatalities, 0), {sign} * ({row}.fatalities IS NOT NULL)"
            f" WHERE {where}"
            " ON CONFLICT DO UPDATE SET n = n + excluded.n,"
            " fatalities = fatalities + excluded.fatalities,"
            " with_fatalities = with_fatalities + excluded.with_fatalities;")


def _live(row: str) -> str:
    return f"({row}.deleted_at IS NULL AND {row}.merged_into IS NULL)"


def _event_links(row: str, sign: int) -> str:
    """Every link table, for each distinct actor of event ``row``, if that event is live."""
    select = (f"FROM (SELECT DISTINCT actor_id FROM event_actors WHERE event_id = {row}.id) ea"
              f" WHERE {_live(row)}")
    return "\n".join(_upsert_links(t, sign, select, f"{row}.guild_id", f"{row}.township_pcode",
                                   "ea.actor_id", f"{row}.event_date") for t in LINK_TABLES)


def _one_link(row: str, sign: int) -> str:
    """Every link table, for link ``row`` (OLD or NEW of event_actors), if its event is live
    and no other link names the same actor in that event (an actor counts once per event)."""
    other = "!= NEW.role" if row == "NEW" else "IS NOT NULL"
    select = (f"FROM events e WHERE e.id = {row}.event_id AND {LIVE_E} AND NOT EXISTS"
              f" (SELECT 1 FROM event_actors x WHERE x.event_id = {row}.event_id"
              f" AND x.actor_id = {row}.actor_id AND x.role {other})")
    return "\n".join(_upsert_links(t, sign, select, "e.guild_id", "e.township_pcode",
                                   f"{row}.actor_id", "e.event_date") for t in LINK_TABLES)


_COUNTED = ("guild_id", "event_date", "township_pcode", "event_type", "fatalities",
            "deleted_at", "merged_into")


def schema_sql() -> list[str]:
    """The tables, indexes and triggers, one statement each (migration 6 runs them, then
    ``rebuild``; not ``executescript``, which would commit the migration's transaction)."""
    parts = ["CREATE TABLE agg_pause (id INTEGER PRIMARY KEY)"]
    for table, keys in LINK_TABLES.items():
        columns = ", ".join(f"{k} {'INTEGER' if k.endswith('_id') else 'TEXT'} NOT NULL"
                            for k in keys)
        parts.append(f"CREATE TABLE {table} ({columns}, n INTEGER NOT NULL,"
                     f" PRIMARY KEY ({', '.join(keys)})) WITHOUT ROWID")
    for table, keys in KIND_TABLES.items():
        columns = ", ".join(f"{k} {'INTEGER' if k.endswith('_id') else 'TEXT'} NOT NULL"
                            for k in keys)
        parts.append(f"CREATE TABLE {table} ({columns}, n INTEGER NOT NULL,"
                     " fatalities INTEGER NOT NULL, with_fatalities INTEGER NOT NULL,"
                     f" PRIMARY KEY ({', '.join(keys)})) WITHOUT ROWID")
    kinds_new = "\n".join(_upsert_kind(t, 1, "NEW", _live("NEW")) for t in KIND_TABLES)
    kinds_old = "\n".join(_upsert_kind(t, -1, "OLD", _live("OLD")) for t in KIND_TABLES)
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _COUNTED)
    parts += [
        f"CREATE TRIGGER agg_events_insert AFTER INSERT ON events WHEN {NOT_PAUSED}"
        f" BEGIN\n{kinds_new}\n{_event_links('NEW', 1)}\nEND;",
        f"CREATE TRIGGER agg_events_update AFTER UPDATE OF {', '.join(_COUNTED)} ON events"
        f" WHEN {NOT_PAUSED} AND ({changed}) BEGIN\n{kinds_old}\n{_event_links('OLD', -1)}\n"
        f"{kinds_new}\n{_event_links('NEW', 1)}\nEND;",
        f"CREATE TRIGGER agg_events_delete AFTER DELETE ON events WHEN {NOT_PAUSED}"
        f" BEGIN\n{kinds_old}\n{_event_links('OLD', -1)}\nEND;",
        f"CREATE TRIGGER agg_links_insert AFTER INSERT ON event_actors WHEN {NOT_PAUSED}"
        f" BEGIN\n{_one_link('NEW', 1)}\nEND;",
        f"CREATE TRIGGER agg_links_delete AFTER DELETE ON event_actors WHEN {NOT_PAUSED}"
        f" BEGIN\n{_one_link('OLD', -1)}\nEND;",
        f"CREATE TRIGGER agg_links_update AFTER UPDATE OF event_id, actor_id ON event_actors"
        f" WHEN {NOT_PAUSED} AND (OLD.event_id IS NOT NEW.event_id"
        f" OR OLD.actor_id IS NOT NEW.actor_id)"
        f" BEGIN\n{_one_link('OLD', -1)}\n{_one_link('NEW', 1)}\nEND;",
    ]
    return parts


# --- bulk maintenance ---------------------------------------------------------------------------

def _add_links(db: Database, where: str, params: list[object]) -> None:
    """Count the links of the events ``where`` selects (alias ``e``) into every link table."""
    source = (f"FROM (SELECT DISTINCT e.id, e.guild_id, e.township_pcode, e.event_date,"
              f" ea.actor_id"
              f" FROM events e JOIN event_actors ea ON ea.event_id = e.id"
              f" WHERE {where} AND {LIVE_E}) s")
    for table, keys in LINK_TABLES.items():
        values = _link_values(table, "s.guild_id", "s.township_pcode", "s.actor_id",
                              "s.event_date")
        db.execute(f"INSERT INTO {table} ({', '.join(keys)}, n) SELECT {values}, COUNT(*)"
                   f" {source} WHERE true GROUP BY {values}"
                   " ON CONFLICT DO UPDATE SET n = n + excluded.n", params)


def _add_kinds(db: Database, where: str, params: list[object]) -> None:
    for table, keys in KIND_TABLES.items():
        bucket = _bucket(table, "e.event_date")
        values = {"guild_id": "e.guild_id", "day": bucket, "month": bucket,
                  "state_region": "t.state_region", "event_type": "e.event_type"}
        group = ", ".join(values[k] for k in keys)
        db.execute(f"INSERT INTO {table} ({', '.join(keys)}, n, fatalities, with_fatalities)"
                   f" SELECT {group}, COUNT(*), COALESCE(SUM(e.fatalities), 0),"
                   f" COUNT(e.fatalities) FROM events e JOIN townships t"
                   f" ON t.pcode = e.township_pcode WHERE {where} AND {LIVE_E} GROUP BY {group}"
                   " ON CONFLICT DO UPDATE SET n = n + excluded.n,"
                   " fatalities = fatalities + excluded.fatalities,"
                   " with_fatalities = with_fatalities + excluded.with_fatalities", params)


def rebuild(db: Database) -> None:
    """Recount everything from the events; the caller holds the transaction."""
    for table in (*LINK_TABLES, *KIND_TABLES):
        db.execute(f"DELETE FROM {table}")
    _add_kinds(db, "true", [])
    _add_links(db, "true", [])


# Fired for every inserted row, paused or not: the WHEN that finds the pause costs ~3 us a row,
# as much as inserting the link itself, so a bulk write drops these two for its block.
INSERT_TRIGGERS = ("agg_events_insert", "agg_links_insert")


@contextmanager
def paused(db: Database) -> Iterator[None]:
    """Turn the triggers off for a bulk write inside the caller's transaction.

    The flag is a row in ``agg_pause``, written in the same transaction: other connections
    never see it, and a rollback (or a crash) takes it away with the rest. The INSERT triggers
    are also dropped for the block (``without_triggers``). The caller must count what it wrote
    (``BatchCounts``) before the block ends.
    """
    if not db.conn.in_transaction:
        raise RuntimeError("aggregates.paused needs the caller's transaction")
    db.execute("INSERT INTO agg_pause (id) VALUES (1)")
    try:
        with without_triggers(db, INSERT_TRIGGERS):
            yield
    finally:
        db.execute("DELETE FROM agg_pause")


# The fields of one link, in this order; each link table's key picks its own from them.
_LINK_FIELDS = ("guild_id", "pcode", "actor_id", "day", "month")
_LINK_KEYS = {t: itemgetter(*(_LINK_FIELDS.index(k) for k in keys))
              for t, keys in LINK_TABLES.items()}


class BatchCounts:
    """The counts of a batch of new, live events, gathered in memory while the batch is built.

    Counting in SQL (``INSERT ... SELECT ... GROUP BY``) re-reads the batch's events and joins
    their links once per table; the importer already holds every value, so grouping here
    (``Counter`` over key tuples, in C) and upserting each table's groups costs one
    ``executemany`` per table and no reads.
    """

    def __init__(self) -> None:
        self.kinds: list[tuple[tuple[object, ...], int | None]] = []  # (guild, day, region,
        # type), fatalities
        self.links: list[tuple[object, ...]] = []  # _LINK_FIELDS, one per event and actor

    def add(self, guild_id: int, day: str, pcode: str, state_region: str, event_type: str,
            fatalities: int | None, actor_ids: Iterable[int]) -> None:
        """One new live event; ``actor_ids`` are its distinct actors, whichever side."""
        self.kinds.append(((guild_id, day, state_region, event_type), fatalities))
        month = day[:7]
        self.links += [(guild_id, pcode, a, day, month) for a in actor_ids]

    def write(self, db: Database) -> None:
        """Add the counts to every table, in the caller's transaction."""
        conn = db.conn
        for table, keys in KIND_TABLES.items():
            sums: dict[tuple[object, ...], list[int]] = {}
            by_day = table.endswith("_day")
            for (guild_id, day, region, kind), dead in self.kinds:
                key = (guild_id, day if by_day else day[:7], region, kind)
                if (found := sums.get(key)) is None:
                    found = sums[key] = [0, 0, 0]
                found[0] += 1
                if dead is not None:
                    found[1] += dead
                    found[2] += 1
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(keys)}, n, fatalities, with_fatalities)"
                f" VALUES ({', '.join('?' * (len(keys) + 3))}) ON CONFLICT DO UPDATE SET"
                " n = n + excluded.n, fatalities = fatalities + excluded.fatalities,"
                " with_fatalities = with_fatalities + excluded.with_fatalities",
                [(*k, *v) for k, v in sums.items()])
        for table, keys in LINK_TABLES.items():
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(keys)}, n)"
                f" VALUES ({', '.join('?' * (len(keys) + 1))})"
                " ON CONFLICT DO UPDATE SET n = n + excluded.n",
                [(*k, n) for k, n in Counter(map(_LINK_KEYS[table], self.links)).items()])
