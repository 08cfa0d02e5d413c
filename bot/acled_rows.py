"""Reading an ACLED CSV row by row into checked ``Row``s, and the import report.

Everything a row says is checked here as ``bot.events.check_new_event`` checks what a user
types (dates, township, type, actors, fatalities, sources, text limits), but against the
in-memory ``bot.acled.Reader``, so reading costs no query per row. A row that cannot be stored
is recorded in the report with its line number and the reason, and nothing else happens to it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import NamedTuple

from bot.acled import (
    EXTRA_COLUMNS,
    KEPT_COLUMNS,
    PLACE_SOURCES,
    REQUIRED_COLUMNS,
    TYPE_SOURCES,
    Reader,
    When,
    is_url,
    sides_of,
    split_list,
    split_urls,
)
from bot.errors import InvalidInput, SitrepError
from bot.events import (
    MAX_ACTORS,
    MAX_LOCATION,
    MAX_NOTES,
    MAX_SOURCES,
    _check_fatalities,
    check_source,
)
from bot.gazetteer import Township
from bot.taxonomy import EventType
from bot.text import clean_text, norm

_DATE_AT, _PRECISION_AT = KEPT_COLUMNS.index("event_date"), KEPT_COLUMNS.index("time_precision")
ACTOR_SOURCES = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")


@dataclass(frozen=True)
class Skipped:
    line: int
    key: str
    reason: str


@dataclass
class ImportReport:
    """What an import did; ``to_json`` is the ``--json`` shape."""

    file: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    unmatched_townships: Counter[str] = field(default_factory=Counter)  # rows skipped, each
    unmatched_actors: Counter[str] = field(default_factory=Counter)  # rows naming each
    created_actors: list[str] = field(default_factory=list)
    overwritten: list[int] = field(default_factory=list)  # local corrections ACLED replaced
    ignored_columns: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file, "rows_read": self.rows_read, "inserted": self.inserted,
            "updated": self.updated, "unchanged": self.unchanged,
            "skipped": [vars(s) for s in self.skipped],
            "unmatched_townships": dict(self.unmatched_townships.most_common()),
            "unmatched_actors": dict(self.unmatched_actors.most_common()),
            "created_actors": self.created_actors, "overwritten": self.overwritten,
            "ignored_columns": self.ignored_columns, "seconds": round(self.seconds, 3),
        }


@dataclass(slots=True)
class Row:
    """One ACLED row read in sitrep's terms, checked as ``log_event`` checks what it stores."""

    line: int
    key: str
    when: When
    township: Township
    kind: EventType
    location: str | None
    notes: str | None
    fatalities: int | None
    sides: tuple[list[str], list[str]]  # ACLED's names, resolved when the batch is written
    urls: list[str] | None  # None: the file gives no links, so an update keeps the event's
    kept: tuple[str, ...]  # KEPT_COLUMNS, as ACLED wrote them ("" when empty or missing)
    logged_by: str | None
    logged_at: str | None
    digest: str
    unmatched: list[str]  # names no actor has (or one to review), counted once it is stored

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickled as a plain tuple, its ACLED columns joined into one string where no value
        holds the separator: a batch crosses from the reading process (``bot.acled_reading``)
        ~4x faster than as dataclasses holding ~30 strings each."""
        kept: str | tuple[str, ...] = self.kept
        if not any(_SEP in k for k in self.kept):
            kept = _SEP.join(self.kept)
        return _row, (self.line, self.key, self.when, self.township, self.kind, self.location,
                      self.notes, self.fatalities, self.sides, self.urls, kept, self.logged_by,
                      self.logged_at, self.digest, self.unmatched)


_SEP = "\x1f"


def _row(*values: object) -> Row:
    kept = values[10]
    return Row(*values[:10], tuple(kept.split(_SEP)) if isinstance(kept, str) else kept,
               *values[11:])


class _Sides(NamedTuple):
    sides: tuple[list[str], list[str]]
    unmatched: list[str]  # names no actor has, or only one flagged for review


class RowReader:
    """Reads the rows of one file: checks its header once, then each row."""

    def __init__(self, reader: Reader, report: ImportReport) -> None:
        self.reader, self.report, self.name = reader, report, report.file
        self.header: list[str] = []
        self.has_urls = False  # whether the file has sitrep's own sitrep_source_urls column
        # KEPT_COLUMNS of a row padded with one "" (which a column the file lacks reads)
        self.kept_of: Callable[[list[str]], tuple[str, ...]] = itemgetter(0)
        self.identities: dict[str, object] = {}  # name -> _identity, names already checked
        # the four actor columns -> both sides and their unmatched names, or the refusal
        self.sides: dict[tuple[str, ...], _Sides | InvalidInput] = {}

    def forget_actors(self) -> None:
        """The import made an actor or an alias: a name read as unknown may now be known."""
        self.identities.clear()
        self.sides.clear()

    def check_header(self, header: list[str]) -> None:
        """Refuse a file that is not ACLED's format before any row is read."""
        self.header = header
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if not any(c in header for c in TYPE_SOURCES):
            missing.append("sub_event_type or event_type")
        if not any(c in header for c in PLACE_SOURCES):
            missing.append("admin3, location or admin2")
        if missing:
            raise InvalidInput(
                f"{self.name} is not an ACLED export: it has no {', '.join(missing)} column. "
                "Export the data from ACLED as CSV with its standard columns."
            )
        if len(set(header)) != len(header):
            twice = sorted({h for h in header if header.count(h) > 1})
            raise InvalidInput(f"{self.name} has the column(s) {', '.join(twice)} twice.")
        known = {*KEPT_COLUMNS, *EXTRA_COLUMNS, *PLACE_SOURCES, "event_id_cnty", "notes",
                 "fatalities"}
        self.report.ignored_columns = [h for h in header if h not in known]
        self.has_urls = "sitrep_source_urls" in header
        self.kept_of = itemgetter(*(header.index(c) if c in header else len(header)
                                    for c in KEPT_COLUMNS))

    def read(self, fields: list[str], line: int) -> Row | None:
        """The row in sitrep's terms, or None after recording why it is skipped."""
        report = self.report
        report.rows_read += 1
        header = self.header
        values = dict(zip(header, fields, strict=False))
        key = values.get("event_id_cnty", "").strip()
        try:
            if len(fields) != len(header):
                raise InvalidInput(f"has {len(fields)} fields where the header has "
                                   f"{len(header)}.")
            return self._row(values, fields, key, line)
        except SitrepError as exc:
            report.skipped.append(Skipped(line, key, exc.user_message))
            return None

    def _row(self, values: dict[str, str], fields: list[str], key: str, line: int) -> Row:
        if not key:
            raise InvalidInput("event_id_cnty is empty.")
        if len(key) > 100 or not key.isprintable():
            raise InvalidInput("event_id_cnty is not a short printable key.")
        reader = self.reader
        when = reader.when(values.get("event_date", ""), values.get("time_precision", ""))
        kind = reader.kind(values.get("event_type", ""), values.get("sub_event_type", ""))
        try:
            township = reader.place(values)
        except SitrepError:
            self.report.unmatched_townships[reader.place_label(values)] += 1
            raise
        sides, unmatched = self._sides(values)
        urls = self._urls(values)
        fatalities = self._fatalities(values.get("fatalities", ""))
        location = clean_text("location", values.get("location"), MAX_LOCATION)
        notes = clean_text("notes", values.get("notes"), MAX_NOTES)
        logged_by = clean_text("sitrep_logged_by", values.get("sitrep_logged_by"), 200)
        logged_at = self._logged_at(values.get("sitrep_logged_at", ""))
        kept = list(map(str.strip, self.kept_of([*fields, ""])))
        kept[_DATE_AT], kept[_PRECISION_AT] = when.acled_date, str(when.precision)
        parts = [key, when.date, township.pcode, location or "", kind.event_type,
                 kind.sub_event_type or "", str(fatalities), notes or "",
                 "\x1e".join(urls) if urls is not None else "\x1d", *kept]
        digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
        return Row(line, key, when, township, kind, location, notes, fatalities, sides, urls,
                   tuple(kept), logged_by, logged_at, digest, unmatched)

    def _sides(self, values: dict[str, str]) -> _Sides:
        """ACLED's names per side, checked as ``check_new_event`` checks actors; the same
        four columns recur across an archive, so each combination is checked once."""
        key = tuple(values.get(c, "") for c in ACTOR_SOURCES)
        found = self.sides.get(key)
        if found is None:
            try:
                sides = self._check_sides(values)
                found = _Sides(sides, [n for side in sides for n in side
                                       if (a := self.reader.actors.find(n)) is None
                                       or a.needs_review])
            except InvalidInput as exc:
                found = exc
            self.sides[key] = found
        if isinstance(found, InvalidInput):
            raise found
        return found

    def _check_sides(self, values: dict[str, str]) -> tuple[list[str], list[str]]:
        sides = sides_of(values)
        for side in sides:
            for name in side:
                if name not in self.identities:
                    clean_text("actor name", name, 200)
        if not values.get("actor1", "").strip():
            raise InvalidInput("actor1 is empty: every event needs an actor.")
        if len(sides[0]) + len(sides[1]) > MAX_ACTORS:
            raise InvalidInput(f"names more than {MAX_ACTORS} actors.")
        ids = [{self._identity(n) for n in side} for side in sides]
        if both := ids[0] & ids[1]:
            names = sorted(n for n in sides[0] if self._identity(n) in both)
            raise InvalidInput(f"{', '.join(names)} is on both sides of the event.")
        return sides

    def _identity(self, name: str) -> object:
        """What makes two names one actor: its id, or for an unknown name its normal form."""
        found = self.identities.get(name)
        if found is None:
            actor = self.reader.actors.find(name)
            found = self.identities[name] = actor.actor.id if actor else norm(name)
        return found

    def _urls(self, values: dict[str, str]) -> list[str] | None:
        if self.has_urls:
            urls = split_urls(values.get("sitrep_source_urls", ""))
        else:
            urls = [s for s in split_list(values.get("source", "")) if is_url(s)] or None
        if urls is None:
            return None
        urls = list(dict.fromkeys(check_source(u) for u in urls))
        if len(urls) > MAX_SOURCES:
            raise InvalidInput(f"has more than {MAX_SOURCES} source links.")
        return urls

    @staticmethod
    def _fatalities(text: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        if not text.isdigit():
            raise InvalidInput(f"fatalities {text[:20]!r} is not a whole number.")
        return _check_fatalities(int(text))

    @staticmethod
    def _logged_at(text: str) -> str | None:
        text = text.strip()
        if not text:
            return None
        try:
            datetime.fromisoformat(text)
        except ValueError:
            raise InvalidInput(f"sitrep_logged_at {text[:40]!r} is not an ISO time.") from None
        return text
