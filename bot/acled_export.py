"""Exporting the record in ACLED's columns, so the team's work flows into ACLED's tooling.

One row per live event, ACLED's 31 columns in ACLED's order and spelling, then sitrep's own
fields (``EXTRA_COLUMNS``) that ACLED has no column for. An event imported from ACLED goes out
with the values ACLED gave it for every fact the team has not corrected (see ``bot.acled``);
an event logged in sitrep gets ACLED's columns derived from it and a key unique to this store.
Importing an export, into this store or an empty one, gives the same events back.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import TextIO

from sqlite_utils import Database

from bot.acled import (
    DATE_COLUMNS,
    EXPORT_COLUMNS,
    KEPT_COLUMNS,
    MYANMAR,
    PLACE_COLUMNS,
    SIDE_COLUMNS,
    TYPE_COLUMNS,
    Reader,
    acled_region,
    disorder_type,
    join_list,
    native_key,
    split_list,
    store_id,
)
from bot.actors import ensure_guild, resolve_actor
from bot.clock import today
from bot.dates import ACLED_PRECISION, DateRange
from bot.errors import InvalidInput, SitrepError
from bot.events import EVENT_COLUMNS, Event, events_from_rows, outlet_of
from bot.gazetteer import gazetteer
from bot.queries import LIVE, bounds
from bot.taxonomy import EventType

FORMATS = ("csv", "json")
CHUNK = 500  # events read (with their actors and sources) per round of queries
_EVERYTHING = DateRange(None, None)


def export_rows(db: Database, guild_id: int, *, span: DateRange = _EVERYTHING,
                township: str | None = None, actor: str | None = None,
                ) -> Iterator[dict[str, str]]:
    """The guild's live events as ACLED rows (``EXPORT_COLUMNS``), oldest first.

    The filters are checked at once (a refusal comes before any output); the rows are read in
    one read transaction, so a long export is one consistent snapshot even while the bot keeps
    writing (WAL readers do not block writers).
    """
    ensure_guild(db, guild_id)
    since, until = bounds(span)
    where = f"e.guild_id = ? AND e.event_date BETWEEN ? AND ? AND {LIVE}"
    params: list[object] = [guild_id, since, until]
    if township:
        where += " AND e.township_pcode = ?"
        params.append(gazetteer(db).resolve(township).pcode)
    if actor:
        where += (" AND e.id IN (SELECT event_id FROM event_actors WHERE guild_id = ?"
                  " AND actor_id = ?)")
        params += [guild_id, resolve_actor(db, guild_id, actor).id]
    kept = ", ".join(f"r.{c} AS acled_{c}" for c in KEPT_COLUMNS)
    sql = (f"SELECT {EVENT_COLUMNS}, e.updated_at, t.district, t.latitude AS t_latitude,"
           f" t.longitude AS t_longitude, r.event_id_cnty AS acled_key, r.pcode AS acled_pcode,"
           f" {kept} FROM events e JOIN townships t ON t.pcode = e.township_pcode"
           f" LEFT JOIN acled_rows r ON r.event_id = e.id WHERE {where}"
           " ORDER BY e.event_date, e.id")
    return _read(db, guild_id, sql, params, _Rows(Reader(db, guild_id, today()), store_id(db)))


def _read(db: Database, guild_id: int, sql: str, params: list[object], writer: _Rows,
          ) -> Iterator[dict[str, str]]:
    own = not db.conn.in_transaction
    if own:
        db.conn.execute("BEGIN")
    try:
        cursor = db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        while chunk := cursor.fetchmany(CHUNK):
            rows = [dict(zip(names, r, strict=True)) for r in chunk]
            for event, row in zip(events_from_rows(db, guild_id, rows), rows, strict=True):
                yield writer.row(event, row)
    finally:
        if own:
            db.conn.rollback()  # nothing was written: this only ends the snapshot


def write_export(rows: Iterator[dict[str, str]], out: TextIO, fmt: str = "csv") -> int:
    """Write ``export_rows`` to ``out`` as CSV (ACLED's format) or a JSON array; return the
    number of events written."""
    check_format(fmt)
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for count, row in enumerate(rows, start=1):  # noqa: B007 - the count is the result
            writer.writerow(row)
        return count
    out.write("[")
    for count, row in enumerate(rows, start=1):
        out.write(("\n" if count == 1 else ",\n") + json.dumps(row, ensure_ascii=False))
    out.write("\n]\n" if count else "]\n")
    return count


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInput(f"Export as csv or json, not {fmt[:20]!r}.")
    return fmt


class _Rows:
    """Turns an event and its stored ACLED values into one export row."""

    def __init__(self, reader: Reader, store: str) -> None:
        self.reader, self.store = reader, store

    def row(self, e: Event, r: dict[str, object]) -> dict[str, str]:
        kept = ({c: str(r[f"acled_{c}"] or "") for c in KEPT_COLUMNS}
                if r["acled_key"] is not None else None)
        out = dict.fromkeys(EXPORT_COLUMNS, "")
        out["event_id_cnty"] = str(r["acled_key"] or native_key(self.store, e.id))
        for columns, same, derive in (
            (DATE_COLUMNS, self._same_date, self._date),
            (TYPE_COLUMNS, self._same_type, self._type),
            (PLACE_COLUMNS, lambda k, e: r["acled_pcode"] == e.pcode, lambda e: _place(e, r)),
        ):
            if kept is not None and same(kept, e):
                out.update({c: kept[c] for c in columns})
            else:
                out.update(derive(e))
        kept_sides = 0
        for columns, names in zip(SIDE_COLUMNS, (e.actors, e.opponents), strict=True):
            if kept is not None and self._same_side(kept, columns, names):
                out.update({c: kept[c] for c in columns})
                kept_sides += 1
            else:
                out.update(_side(columns, names))
        out["interaction"] = kept["interaction"] if kept and kept_sides == 2 else ""
        out.update(self._rest(e, r, kept))
        out["location"] = e.location or ""
        out["notes"] = e.notes or ""
        out["fatalities"] = "" if e.fatalities is None else str(e.fatalities)
        out.update(sitrep_id=str(e.id), sitrep_pcode=e.pcode,
                   sitrep_source_urls=join_list(e.sources), sitrep_logged_by=e.logged_by or "",
                   sitrep_logged_at=e.logged_at or "")
        return out

    # --- is ACLED's value still the event's? -------------------------------------------------
    def _same_date(self, kept: dict[str, str], e: Event) -> bool:
        try:
            when = self.reader.when(kept["event_date"], kept["time_precision"])
        except SitrepError:
            return False
        return (when.date, when.precision) == (e.date, ACLED_PRECISION[e.date_precision])

    def _same_type(self, kept: dict[str, str], e: Event) -> bool:
        try:
            kind = self.reader.kind(kept["event_type"], kept["sub_event_type"])
        except SitrepError:
            return False
        return kind == EventType(e.event_type, e.sub_event_type)

    def _same_side(self, kept: dict[str, str], columns: tuple[str, ...],
                   current: list[str]) -> bool:
        """ACLED's names still name exactly the actors on this side of the event (after
        renames and merges too: ACLED's names stay aliases of whichever actor holds them)."""
        main, assoc, _ = columns
        names = [n for n in [kept[main].strip(), *split_list(kept[assoc])] if n]
        found = [self.reader.actors.find(n) for n in names]
        return None not in found and {f.actor.name for f in found if f} == set(current)

    # --- derived from the event --------------------------------------------------------------
    @staticmethod
    def _date(e: Event) -> dict[str, str]:
        return {"event_date": e.date, "year": e.date[:4],
                "time_precision": str(ACLED_PRECISION[e.date_precision])}

    @staticmethod
    def _type(e: Event) -> dict[str, str]:
        kind = EventType(e.event_type, e.sub_event_type)
        return {"disorder_type": disorder_type(kind), "event_type": e.event_type,
                "sub_event_type": e.sub_event_type or "",
                "civilian_targeting": ("Civilian targeting"
                                       if e.event_type == "Violence against civilians" else "")}

    @staticmethod
    def _rest(e: Event, r: dict[str, object], kept: dict[str, str] | None) -> dict[str, str]:
        """Columns no correction touches: as ACLED gave them, else derived."""
        outlets = join_list(list(dict.fromkeys(outlet_of(u) for u in e.sources)))
        updated = str(int(datetime.fromisoformat(str(r["updated_at"])).timestamp()))
        if kept is None:
            return {**MYANMAR, "source": outlets, "source_scale": "", "tags": "",
                    "timestamp": updated}
        return {**{c: kept[c] or MYANMAR[c] for c in MYANMAR},
                **{c: kept[c] for c in ("source", "source_scale", "tags", "timestamp")}}


def _side(columns: tuple[str, ...], names: list[str]) -> dict[str, str]:
    """A side as ACLED writes it: the first actor, then its associates joined by "; " (the
    inter code, ACLED's own classification of the actor, is left empty)."""
    main, assoc, inter = columns
    return {main: names[0] if names else "", assoc: join_list(names[1:]), inter: ""}


def _place(e: Event, r: dict[str, object]) -> dict[str, str]:
    """ACLED's place columns from the gazetteer; the township's main town stands in for the
    place, which is ACLED's geo_precision 2."""
    return {"admin1": acled_region(e.state_region), "admin2": str(r["district"] or ""),
            "admin3": e.township, "latitude": str(r["t_latitude"]),
            "longitude": str(r["t_longitude"]), "geo_precision": "2"}
