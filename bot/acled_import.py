"""Importing an ACLED export: idempotent on ``event_id_cnty``, in batches that commit whole.

Each batch of rows is one write transaction that holds its events, their actors, sources, the
ACLED columns kept beside them (``acled_rows``), their pre-aggregated counts
(``bot.aggregates``) and one audit row for the batch; a crash or a
kill -9 mid-import loses at most the batch in flight, never half of it, and running the import
again finds the committed rows by their key and completes the rest. Between batches the write
lock is free, so the bot keeps logging while a large archive loads.

Speed comes from not talking to SQLite per row: dates, townships, types and actor names are
resolved in memory (``bot.acled.Reader``), keys are looked up once per batch, and each table
gets one ``executemany`` per batch; a large file is read and checked by a second process while
this one writes (``bot.acled_reading``). Only the rare rows that change an existing event take the
slow path through ``bot.corrections.record_change``, which audits them like any correction.

The audit is one row per batch ("import-batch": who, when, the file, the ids it created),
which each event's ``acled_rows`` row points at, with its line. Per-event rows holding each
event's whole state were most of the bytes an import wrote; they are not needed, because the
state an event was imported with is the ``before`` of its first later change, or, if it has
none, the event as it stands (``bot.history`` rebuilds the "import" change from these).

"Changed" means: what the row says (its values as sitrep reads them) hashes differently from
what the event was last imported from, and reading it gives a different event or different
ACLED columns. An event an analyst corrected keeps the correction while ACLED's row stays the
same; a revised ACLED row replaces it, and the report lists such events.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TextIO

from sqlite_utils import Database

from bot import aggregates
from bot.acled import KEPT_COLUMNS, Found, Reader, native_id, store_id
from bot.acled_reading import (
    ELSEWHERE_BYTES,
    Batch,
    Unreadable,
    open_text,
    read_batches,
    read_elsewhere,
    source_size,
)
from bot.acled_rows import ImportReport, Row, RowReader, Skipped
from bot.actor_admin import add_alias
from bot.actors import Actor, create_actor, ensure_guild
from bot.clock import today, utc_now
from bot.corrections import record_change
from bot.db import transaction, without_triggers
from bot.errors import InvalidInput
from bot.events import PRECISION_NAMES, get_event, outlet_of

# ~2,000 rows is 50-100 ms of write lock: long enough to amortise the commit, short enough
# that a /log waiting behind it answers well inside Discord's 3 seconds.
BATCH_SIZE = 2000
Progress = Callable[[int, float], None]  # (rows read so far, fraction of the file read)


def import_acled(db: Database, guild_id: int, source: str | Path | bytes | TextIO, *, by: str,
                 by_id: str | None = None, name: str | None = None,
                 batch_size: int | None = None, progress: Progress | None = None,
                 elsewhere_bytes: int = ELSEWHERE_BYTES) -> ImportReport:
    """Import an ACLED CSV (a path, the file's bytes or an open text stream) into the guild's
    record.

    Refuses a file that is not ACLED's format (missing key columns) before writing anything;
    skips, and reports by line, rows that cannot be stored. Safe to run again at any time.
    Bytes are decoded as they are read, so an upload never exists twice in memory. A path or
    bytes of ``elsewhere_bytes`` or more are read by a second process while this one writes
    (``bot.acled_reading``).
    """
    if batch_size is not None and batch_size < 1:
        raise InvalidInput("The batch size is a number of rows: at least 1.")
    ensure_guild(db, guild_id)
    is_path = isinstance(source, str | Path)
    label = name or (Path(source).name if is_path else "upload.csv")  # type: ignore[arg-type]
    importer = _Import(db, guild_id, by, by_id, label, batch_size, progress)
    size = source_size(source)
    store = db.execute("PRAGMA database_list").fetchone()[2]  # "" for a store in memory
    if store and not isinstance(source, io.TextIOBase) and size >= elsewhere_bytes:
        return importer.run(read_elsewhere(source, store, guild_id, importer.reader.today,
                                           label, importer.batch_size), size)
    with open_text(source) as f:
        return importer.run(read_batches(f, importer.rows, importer.batch_size), size)


# An import touches pages all over the aggregate tables and indexes: a page cache of this size
# keeps them in memory between batches, and checkpointing the WAL every this many pages rather
# than SQLite's 1,000 writes each often-changed page back once per few batches, not per batch.
# Both are this connection's settings, restored when the import ends.
IMPORT_CACHE_KIB = 64 * 1024
IMPORT_CHECKPOINT_PAGES = 16_000


@contextmanager
def _bulk_settings(db: Database) -> Iterator[None]:
    cache, pages = (db.execute(f"PRAGMA {p}").fetchone()[0]
                    for p in ("cache_size", "wal_autocheckpoint"))
    db.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    db.execute(f"PRAGMA wal_autocheckpoint = {IMPORT_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {cache}")
        db.execute(f"PRAGMA wal_autocheckpoint = {pages}")


class _Import:
    def __init__(self, db: Database, guild_id: int, by: str, by_id: str | None, name: str,
                 batch_size: int | None, progress: Progress | None) -> None:
        self.db, self.guild_id, self.by, self.by_id, self.name = db, guild_id, by, by_id, name
        self.batch_size = batch_size or BATCH_SIZE
        self.progress = progress
        self.reader = Reader(db, guild_id, today())
        self.store = store_id(db)
        self.report = ImportReport(file=name)
        # reads here, unless a second process does (``import_acled``); either way what it
        # adds to its own report reaches ours batch by batch (``_take``)
        self.rows = RowReader(self.reader, ImportReport(file=name))
        self.resolved: dict[tuple[tuple[str, ...], ...], tuple[list[Actor], list[Actor]]] = {}

    def run(self, batches: Generator[Batch, None, None], size: int) -> ImportReport:
        """Write each batch the reader gives, in its own transaction, then finish the report."""
        started = time.perf_counter()
        try:
            with closing(batches), _bulk_settings(self.db), _seen_keys(self.db):
                for batch in batches:  # (closing it stops a reading process at once)
                    self._take(batch)
                    self._flush(batch, size)
        except Unreadable as exc:
            where = f" (at or after line {exc.line})" if exc.line else ""
            stored = self.report.inserted + self.report.updated
            if exc.detail is None:
                raise InvalidInput(
                    f"{self.name} is not UTF-8 text{where}. Save it as CSV UTF-8 and import it"
                    " again" + (f": the {stored:,} rows stored so far will be recognised."
                                if stored else ".")) from None
            raise InvalidInput(
                f"{self.name} line {exc.line} is not valid CSV ({exc.detail}); rows before it"
                " are stored. Fix the file and import it again: rows already stored are"
                " recognised.") from None
        self.report.skipped.sort(key=lambda s: s.line)  # repeats are found batch by batch
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _take(self, batch: Batch) -> None:
        """Add what reading the batch found to the report."""
        report = self.report
        report.rows_read += batch.rows_read
        report.skipped += batch.skipped
        report.unmatched_townships.update(batch.unmatched_townships)
        report.ignored_columns = batch.ignored_columns

    # --- writing -------------------------------------------------------------------------
    def _flush(self, batch: Batch, size: int) -> None:
        if batch.rows:
            with transaction(self.db):
                self._write(self._first_seen(batch.rows))
        if self.progress is not None:  # characters read / bytes: near enough for a bar
            done = len(batch.rows) < self.batch_size  # only the last batch is short
            fraction = 1.0 if done else min(0.99, batch.position / size) if size else 0.0
            self.progress(self.report.rows_read, fraction)

    def _first_seen(self, batch: list[Row]) -> list[Row]:
        """The rows whose key the file has not given before; each repeat is skipped.

        The keys already read live in a temporary table (``_seen_keys``), not in memory:
        a million keys held as Python strings were ~140 MB of an import's peak.
        """
        firsts: dict[str, Row] = {}
        repeats: list[tuple[Row, int]] = []
        for row in batch:
            if (first := firsts.setdefault(row.key, row)) is not row:
                repeats.append((row, first.line))
        earlier = dict(self.db.execute(
            "SELECT key, line FROM temp.acled_seen WHERE key IN (SELECT value FROM json_each(?))",
            [json.dumps(list(firsts))]))
        repeats += [(row, earlier[key]) for key, row in firsts.items() if key in earlier]
        self.db.conn.executemany("INSERT INTO temp.acled_seen (key, line) VALUES (?, ?)",
                                 [(k, r.line) for k, r in firsts.items() if k not in earlier])
        for row, line in repeats:
            self.report.skipped.append(Skipped(row.line, row.key, f"event_id_cnty {row.key}"
                                                                  f" repeats line {line}."))
        fresh = [row for key, row in firsts.items() if key not in earlier]
        for row in fresh:
            self.report.unmatched_actors.update(row.unmatched)
        return fresh

    def _write(self, batch: list[Row]) -> None:
        """One batch, inside its transaction: new rows inserted, changed ones updated."""
        existing = {
            key: (event_id, digest)
            for key, event_id, digest in self.db.execute(
                "SELECT event_id_cnty, event_id, row_hash FROM acled_rows WHERE guild_id = ?"
                " AND event_id_cnty IN (SELECT value FROM json_each(?))",
                [self.guild_id, json.dumps([r.key for r in batch])],
            )
        }
        own = self._own_events([r.key for r in batch if r.key not in existing])
        new: list[Row] = []
        for row in batch:
            if row.key in existing:
                event_id, digest = existing[row.key]
                if digest == row.digest:
                    self.report.unchanged += 1
                else:
                    self._update(event_id, row, imported=True)
            elif row.key in own:
                self._update(own[row.key], row, imported=False)
            else:
                new.append(row)
        self._insert(new)

    def _own_events(self, keys: list[str]) -> dict[str, int]:
        """Keys this store's exports gave its own events, mapped to those events if they are
        this guild's and were not imported (another store's keys are ordinary keys)."""
        ids = {i: k for k in keys if (i := native_id(self.store, k)) is not None}
        if not ids:
            return {}
        found = self.db.execute(
            "SELECT id FROM events WHERE guild_id = ? AND id IN (SELECT value FROM json_each(?))"
            " AND id NOT IN (SELECT event_id FROM acled_rows)",
            [self.guild_id, json.dumps(list(ids))],
        )
        return {ids[i]: i for (i,) in found}

    def forget_actors(self) -> None:
        """The import made an actor or an alias: a name read as unknown may now be known."""
        self.rows.forget_actors()
        self.resolved.clear()

    def _actors(self, names: list[str]) -> list[Actor]:
        """The actors for ACLED's names: unknown names become actors flagged for review, and a
        name known only by its halves ("ABBR: Full name") becomes an alias, so the next
        import and every query know ACLED's name."""
        actors: list[Actor] = []
        index = self.reader.actors
        for name in names:
            found: Found | None = index.find(name)
            if found is None:
                actor = create_actor(self.db, self.guild_id, name, needs_review=True)
                index.add(name, actor, needs_review=True)
                self.forget_actors()
                self.report.created_actors.append(actor.name)
            else:
                actor = found.actor
                if not found.is_alias:
                    add_alias(self.db, self.guild_id, actor.name, name, by=self.by,
                              by_id=self.by_id, reason=f"ACLED's name, from {self.name}")
                    index.add(name, actor, found.needs_review)
                    self.forget_actors()
            if actor not in actors:
                actors.append(actor)
        return actors

    def _resolve(self, row: Row) -> tuple[list[Actor], list[Actor]]:
        """Both sides' actors. Reading checked that no actor is on both sides; an actor made
        earlier in the same batch may still turn two names into one, and then the actor side
        keeps it (``log_event`` would refuse such an event). An archive repeats a few thousand
        pairs of sides, so each is resolved once until the import adds a name."""
        key = (tuple(row.sides[0]), tuple(row.sides[1]))
        found = self.resolved.get(key)
        if found is None:
            actors = self._actors(row.sides[0])
            found = actors, [a for a in self._actors(row.sides[1]) if a not in actors]
            self.resolved[key] = found
        return found

    def _insert(self, rows: list[Row]) -> None:
        if not rows:
            return
        gid, now = self.guild_id, utc_now()
        (top,) = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()
        audit_id = self.db.execute(  # one row for the batch: see ``bot.history``
            'INSERT INTO audit_log (guild_id, at, "by", by_id, action, event_id, reason, after)'
            " VALUES (?, ?, ?, ?, 'import-batch', NULL, ?, ?)",
            [gid, now, self.by, self.by_id,
             f"{self.name}: {len(rows)} events from lines {rows[0].line}-{rows[-1].line}",
             json.dumps({"file": self.name, "first_id": top + 1, "last_id": top + len(rows)},
                        ensure_ascii=False)]).lastrowid
        events, links, sources, kept = [], [], [], []
        counts = aggregates.BatchCounts()
        for event_id, r in enumerate(rows, start=top + 1):
            actors, opponents = self._resolve(r)
            urls = r.urls or []
            by, at = r.logged_by or self.by, r.logged_at or now
            t, kind = r.township, r.kind
            counts.add(gid, r.when.date, t.pcode, t.state_region, kind.event_type, r.fatalities,
                       {a.id for a in actors} | {a.id for a in opponents})
            events.append((event_id, gid, r.when.date, r.when.precision, t.pcode, r.location,
                           kind.event_type, kind.sub_event_type, r.fatalities, r.notes, by,
                           None if r.logged_by else self.by_id, at, now))
            links += [(gid, event_id, a.id, "actor") for a in actors]
            links += [(gid, event_id, a.id, "opponent") for a in opponents]
            sources += [(gid, event_id, u, outlet_of(u)) for u in urls]
            kept.append((event_id, gid, r.key, t.pcode, r.digest, now, audit_id, r.line,
                         *r.kept))
        with aggregates.paused(self.db):  # counted per batch below, not per row by triggers
            with _full_text_by_batch(self.db, top + 1, top + len(rows)):
                self._many("INSERT INTO events (id, guild_id, event_date, date_precision,"
                           " township_pcode, location, event_type, sub_event_type, fatalities,"
                           " notes, logged_by, logged_by_id, logged_at, updated_at) VALUES"
                           " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
            self._many("INSERT INTO event_actors (guild_id, event_id, actor_id, role)"
                       " VALUES (?, ?, ?, ?)", links)
            counts.write(self.db)
        self._many("INSERT INTO sources (guild_id, event_id, url, outlet) VALUES (?, ?, ?, ?)",
                   sources)
        columns = ("event_id", "guild_id", "event_id_cnty", "pcode", "row_hash", "imported_at",
                   "import_audit_id", "import_line", *KEPT_COLUMNS)
        self._many(f"INSERT INTO acled_rows ({', '.join(columns)})"
                   f" VALUES ({', '.join('?' * len(columns))})", kept)
        self.report.inserted += len(rows)

    def _many(self, sql: str, params: Sequence[tuple]) -> None:
        """Every batch write goes through here (tests inject a crash between two of them)."""
        if params:
            self.db.conn.executemany(sql, params)

    def _update(self, event_id: int, row: Row, *, imported: bool) -> None:
        """A row whose event exists: rewrite the event if what the row says differs."""
        db, gid = self.db, self.guild_id
        before = get_event(db, gid, event_id)
        actors, opponents = self._resolve(row)
        urls = before.sources if row.urls is None or set(row.urls) == set(before.sources) \
            else row.urls
        state = before.to_json() | {
            "date": row.when.date, "date_precision": PRECISION_NAMES[row.when.precision],
            "pcode": row.township.pcode, "location": row.location,
            "event_type": row.kind.event_type, "sub_event_type": row.kind.sub_event_type,
            "fatalities": row.fatalities, "notes": row.notes, "sources": urls,
            "actors": [a.name for a in actors],
            "opponents": [a.name for a in opponents],
        }
        old = before.to_json()
        model = [k for k in state if state[k] != old[k]]
        stored = db.execute(f"SELECT {', '.join(KEPT_COLUMNS)} FROM acled_rows"
                            " WHERE event_id = ?", [event_id]).fetchone() if imported else None
        columns = [c for c, was, now in zip(KEPT_COLUMNS, stored or row.kept, row.kept,
                                            strict=True) if was != now]
        if not model and not columns:
            self.report.unchanged += 1
            if imported:
                db.execute("UPDATE acled_rows SET row_hash = ? WHERE event_id = ?",
                           [row.digest, event_id])
            return
        if imported and model and self._edited_since_import(event_id):
            self.report.overwritten.append(event_id)
        changed = dict.fromkeys(["township" if k == "pcode" else k for k in model] + columns)
        record_change(db, gid, before, state, by=self.by, by_id=self.by_id,
                      action="import-update", allow_noop=True,
                      reason=f"{self.name} line {row.line} ({row.key}) changed "
                             f"{', '.join(changed)}")
        if imported:
            sets = ", ".join(f"{c} = ?" for c in ("pcode", "row_hash", "imported_at",
                                                  *KEPT_COLUMNS))
            db.execute(f"UPDATE acled_rows SET {sets} WHERE event_id = ?",
                       [row.township.pcode, row.digest, utc_now(), *row.kept, event_id])
        self.report.updated += 1

    def _edited_since_import(self, event_id: int) -> bool:
        """Whether someone corrected the event after its last import (its audit rows say).

        An event imported by batch has no audit row of its own for the import (its batch's
        row precedes any change to it), so any of its own rows after the last import-update
        is a correction.
        """
        return self.db.execute(
            "SELECT 1 FROM audit_log WHERE guild_id = ? AND event_id = ? AND id > COALESCE(("
            "SELECT MAX(id) FROM audit_log WHERE guild_id = ? AND event_id = ? AND action IN"
            " ('import', 'import-update')), 0) AND action != 'import-update' LIMIT 1",
            [self.guild_id, event_id, self.guild_id, event_id],
        ).fetchone() is not None


@contextmanager
def _seen_keys(db: Database) -> Iterator[None]:
    """A temporary table of the keys read so far and their lines, for this import only.

    SQLite keeps it in its temporary file, paged through a small cache, so an import's memory
    does not grow with the file; its rows are written in each batch's transaction, so a
    batch that rolls back forgets its keys too.
    """
    db.execute("DROP TABLE IF EXISTS temp.acled_seen")
    db.execute("CREATE TEMP TABLE acled_seen (key TEXT PRIMARY KEY, line INTEGER NOT NULL)"
               " WITHOUT ROWID")
    try:
        yield
    finally:
        db.execute("DROP TABLE temp.acled_seen")


@contextmanager
def _full_text_by_batch(db: Database, first: int, last: int) -> Iterator[None]:
    """Index a batch of new events for full-text search in one statement, not one per row.

    The full-text index is kept by an AFTER INSERT trigger on ``events``; fired once per row,
    each firing makes FTS5 flush a segment of its own (a trigger runs as a sub-statement,
    and FTS5 syncs at every statement savepoint), which makes an insert ~5x slower. So, inside
    the batch's transaction, that one trigger is taken off, the rows are inserted, indexed
    together, and the same trigger is put back before the commit: other writers (who wait for
    this transaction's lock) and a crash (which rolls the DDL back too) never see the store
    without it. Other triggers on ``events`` still fire per row.
    """
    found = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'"
        " AND sql LIKE '%AFTER INSERT%' AND sql LIKE '%events_fts%'"
    ).fetchall()
    if len(found) != 1 or not db.conn.in_transaction:  # not the shape we know: per row it is
        yield
        return
    columns = ", ".join(f'"{c}"' for c in db["events_fts"].columns_dict)
    with without_triggers(db, [found[0][0]]):
        yield
        db.execute(f"INSERT INTO events_fts (rowid, {columns}) SELECT id, {columns}"
                   " FROM events WHERE id BETWEEN ? AND ?", [first, last])
