"""Numbered schema migrations, applied in order and tracked with ``PRAGMA user_version``.

Migration N is ``MIGRATIONS[N - 1]``. A released migration is never edited: a change to the
schema is a new function appended to the list. ``bot.db.migrate`` runs them in one transaction.
"""

from __future__ import annotations

import csv
from collections.abc import Callable

from sqlite_utils import Database

from bot.paths import SEEDS


def _read_seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def m001_initial(db: Database) -> None:
    """The event model of DESIGN.md, with the reference gazetteer loaded."""
    db["townships"].create(
        {
            "pcode": str,
            "name": str,
            "district": str,
            "state_region": str,
            "latitude": float,
            "longitude": float,
            "alt_names": str,  # semicolon separated, as in the seed
        },
        pk="pcode",
        not_null={"name", "state_region"},
    )
    db["towns"].create(
        {"pcode": str, "name": str, "township_pcode": str, "latitude": float, "longitude": float},
        pk="pcode",
        foreign_keys=[("township_pcode", "townships", "pcode")],
    )
    db["guilds"].create({"guild_id": int, "created_at": str}, pk="guild_id")
    db["actors"].create(
        {
            "id": int,
            "guild_id": int,
            "name": str,
            "abbreviation": str,
            "kind": str,
            "member_of": str,
            "needs_review": int,  # created by hand or by an import, not from the seed list
            "created_at": str,
        },
        pk="id",
        not_null={"guild_id", "name"},
        defaults={"needs_review": 0},
        foreign_keys=[("guild_id", "guilds", "guild_id")],
    )
    db["actors"].create_index(["guild_id", "name"], unique=True)
    db["actor_aliases"].create(
        {"id": int, "guild_id": int, "actor_id": int, "alias": str, "alias_key": str},
        pk="id",
        not_null={"guild_id", "actor_id", "alias", "alias_key"},
        foreign_keys=[("actor_id", "actors", "id"), ("guild_id", "guilds", "guild_id")],
    )
    db["actor_aliases"].create_index(["guild_id", "alias_key"], unique=True)
    db["actor_aliases"].create_index(["actor_id"])
    db["events"].create(
        {
            "id": int,
            "guild_id": int,
            "event_date": str,  # ISO date: the day, the Monday of the week or the 1st of the month
            "date_precision": int,  # ACLED time_precision: 1 day, 2 week, 3 month
            "township_pcode": str,
            "location": str,
            "event_type": str,
            "sub_event_type": str,
            "fatalities": int,  # NULL = unknown, which is not 0
            "notes": str,
            "logged_by": str,
            "logged_by_id": str,
            "logged_at": str,  # UTC ISO 8601
            "updated_at": str,
            "deleted_at": str,
            "deleted_by": str,
            "merged_into": int,
        },
        pk="id",
        not_null={"guild_id", "event_date", "date_precision", "township_pcode", "event_type"},
        foreign_keys=[
            ("guild_id", "guilds", "guild_id"),
            ("township_pcode", "townships", "pcode"),
            ("merged_into", "events", "id"),
        ],
    )
    # The two hot questions: "who was active in township X between two dates" and "summary of a
    # period". Both are range scans on these, never table scans.
    db["events"].create_index(["guild_id", "township_pcode", "event_date"])
    db["events"].create_index(["guild_id", "event_date"])
    db["event_actors"].create(
        {"guild_id": int, "event_id": int, "actor_id": int, "role": str},
        pk=("event_id", "role", "actor_id"),
        not_null={"guild_id", "role"},
        foreign_keys=[("event_id", "events", "id"), ("actor_id", "actors", "id")],
    )
    db["event_actors"].create_index(["actor_id", "event_id"])
    db["sources"].create(
        {
            "id": int,
            "guild_id": int,
            "event_id": int,
            "url": str,
            "outlet": str,
            "published": str,
        },
        pk="id",
        not_null={"guild_id", "event_id", "url"},
        foreign_keys=[("event_id", "events", "id")],
    )
    db["sources"].create_index(["event_id"])
    db["audit_log"].create(
        {
            "id": int,
            "guild_id": int,
            "at": str,
            "by": str,
            "by_id": str,
            "action": str,
            "event_id": int,
            "reason": str,
            "before": str,  # JSON
            "after": str,  # JSON
        },
        pk="id",
        not_null={"guild_id", "at", "action"},
    )
    db["audit_log"].create_index(["guild_id", "event_id"])
    db.executescript(
        """
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """
    )
    db["settings"].create(
        {"guild_id": int, "key": str, "value": str}, pk=("guild_id", "key"), not_null={"value"}
    )
    db["events"].enable_fts(["notes", "location"], create_triggers=True, tokenize="unicode61")

    db["townships"].insert_all(
        {
            "pcode": row["pcode"],
            "name": row["township"],
            "district": row["district"],
            "state_region": row["state_region"],
            "latitude": float(row["latitude"]),
            "longitude": float(row["longitude"]),
            "alt_names": row["alt_names"],
        }
        for row in _read_seed("myanmar_townships.csv")
    )
    db["towns"].insert_all(
        {
            "pcode": row["town_pcode"],
            "name": row["town"],
            "township_pcode": row["township_pcode"],
            "latitude": float(row["latitude"]) if row["latitude"] else None,
            "longitude": float(row["longitude"]) if row["longitude"] else None,
        }
        for row in _read_seed("myanmar_towns.csv")
    )


def m002_audit_log_no_replace(db: Database) -> None:
    """Close the one way around the append-only triggers.

    ``INSERT OR REPLACE`` (and sqlite-utils' ``replace=True``) on an existing audit id deletes
    the old row without firing ``audit_log_no_delete`` unless ``PRAGMA recursive_triggers`` is
    on, which stock SQLite leaves off. A BEFORE INSERT trigger fires before the REPLACE does.
    """
    db.execute(
        "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log"
        " WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)"
        " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )


def m003_digest_runs(db: Database) -> None:
    """The daily digest's claims, one row per guild and local day (``bot.digest_schedule``).

    The primary key is what makes a digest exactly-once: a process claims (guild, day) by
    writing this row in a write transaction before it posts, so a second claimer finds the row
    and stands back. ``lease_until`` lets a claim left by a killed process be taken over, and
    ``parts_posted`` lets a retry continue a multi-message digest instead of repeating it.
    The two indexes serve "what was logged / corrected between two instants".
    """
    db["digest_runs"].create(
        {
            "guild_id": int,
            "day": str,  # the local date the digest covers, ISO
            "state": str,  # claimed | posted | failed | released
            "holder": str,  # the process that claimed it last
            "claimed_at": str,  # UTC ISO, as every timestamp
            "lease_until": str,
            "attempts": int,
            "late": int,
            "channel_id": int,
            "parts_posted": int,
            "message_ids": str,  # JSON list
            "posted_at": str,
            "error": str,
            "failed_at": str,
            "retry_at": str,
        },
        pk=("guild_id", "day"),
        not_null={"state"},
        defaults={"attempts": 0, "late": 0, "parts_posted": 0},
    )
    db["events"].create_index(["guild_id", "logged_at"])
    db["audit_log"].create_index(["guild_id", "at"])


def m004_acled_rows(db: Database) -> None:
    """ACLED interop (``bot.acled_import``, ``bot.acled_export``).

    ``acled_rows`` keeps, per imported event, the ACLED columns the event model does not hold
    (inter codes, ACLED's spellings of places and actors, coordinates...), so an export gives
    back what was imported; ``pcode`` is the township the row was placed in, and ``row_hash``
    what the row said, so a re-import can tell changed rows from unchanged ones without
    reading the event. The unique index makes ``event_id_cnty`` the key of an import within a
    guild. ``store_info`` holds this database's random id, which makes the keys an export gives
    sitrep's own events unique to this store.
    """
    text_columns = (
        "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
        "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
        "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
        "latitude", "longitude", "geo_precision", "source", "source_scale", "tags", "timestamp",
    )  # as ACLED wrote them; a later ACLED column is a new migration
    db["acled_rows"].create(
        {"event_id": int, "guild_id": int, "event_id_cnty": str, "pcode": str, "row_hash": str,
         "imported_at": str, **dict.fromkeys(text_columns, str)},
        pk="event_id",
        not_null={"guild_id", "event_id_cnty", "row_hash", "imported_at"},
        foreign_keys=[("event_id", "events", "id"), ("guild_id", "guilds", "guild_id")],
    )
    db["acled_rows"].create_index(["guild_id", "event_id_cnty"], unique=True)
    db["store_info"].create({"key": str, "value": str}, pk="key", not_null={"value"})
    db.execute("INSERT INTO store_info (key, value) VALUES ('store_id', lower(hex(randomblob(4))))")


def m005_audit_pseudonyms(db: Database) -> None:
    """Let a data subject request replace a person's identity in audit rows, and nothing else.

    The append-only trigger now lets an UPDATE through only while ``sitrep_forgetting()`` is
    true, a function ``bot.db`` registers on its connections as false and ``bot.forget`` turns
    on inside its own transaction. A connection without the function (any other tool) cannot
    update audit rows at all: the trigger fails closed.
    """
    db.executescript(
        """
        DROP TRIGGER audit_log_no_update;
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        WHEN NOT sitrep_forgetting()
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """
    )


def m006_aggregates(db: Database) -> None:
    """Pre-aggregated counts per township, actor, type and day or month (``bot.aggregates``),
    kept by triggers in the transaction of every write, and counted from the events once here.

    ``bot.aggregates`` holds the statements; once released, changing them needs a new
    migration, like any schema change.
    """
    from bot import aggregates

    for statement in aggregates.schema_sql():
        db.execute(statement)
    aggregates.rebuild(db)


def m007_import_audit_by_batch(db: Database) -> None:
    """An ACLED import audits each batch with one row, not each event (``bot.acled_import``).

    Each imported event's ``acled_rows`` row points at its batch's audit row and keeps the
    file line it came from; ``bot.history`` rebuilds the event's "import" change from them.
    Events imported before this keep their own audit rows, which history reads as before.
    """
    db.execute("ALTER TABLE acled_rows ADD COLUMN import_audit_id INTEGER")
    db.execute("ALTER TABLE acled_rows ADD COLUMN import_line INTEGER")


def m008_search_index(db: Database) -> None:
    """A narrow copy of what a full-text search checks for each match (``bot.queries.search``).

    A search must drop other teams' and hidden events before it counts and ranks the matches;
    read from ``events`` itself, that is one wide row (notes and all) per match, most of a
    common word's search. This index holds just those columns, in rowid order.
    """
    db.execute("CREATE INDEX events_search ON events (id, guild_id, deleted_at, merged_into,"
               " event_date)")


def m009_digest_index(db: Database) -> None:
    """The day's events, read from one index (``bot.digest``).

    A digest asks a dozen questions of the events logged during one day, and the trend of the
    events logged since; through ``(guild_id, logged_at)`` each question fetched every such
    event's whole row, scattered across the table (~0.5 ms per question for a busy day at 1M
    events). This index holds every column those questions read, so they never touch the
    table. It leads with ``logged_at``: led by ``guild_id``, the planner took it for queries
    that only name a guild (one guild holds every row), scanning all of them.
    """
    db.execute("DROP INDEX IF EXISTS idx_events_guild_id_logged_at")
    db.execute("CREATE INDEX events_logged ON events (logged_at, guild_id, event_date,"
               " date_precision, township_pcode, event_type, sub_event_type, fatalities,"
               " deleted_at, merged_into)")


MIGRATIONS: list[Callable[[Database], None]] = [
    m001_initial, m002_audit_log_no_replace, m003_digest_runs, m004_acled_rows,
    m005_audit_pseudonyms, m006_aggregates, m007_import_audit_by_batch, m008_search_index,
    m009_digest_index,
]
