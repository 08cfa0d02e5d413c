"""ACLED's export format: its columns, and reading ACLED's values in sitrep's terms.

Shared by the importer (``bot.acled_import``) and the exporter (``bot.acled_export``) so a
value is read the same way in both directions. The exporter re-reads the ACLED values an event
was imported from to decide, group by group (date, type, actors, place), whether they still
describe the event: then they go out verbatim, so import -> export is lossless for ACLED's
columns; if an analyst has since corrected that part of the event, the group is derived from
the event as it now is, so an export never contradicts the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple
from urllib.parse import urlparse

from sqlite_utils import Database

from bot.actors import Actor
from bot.dates import parse_date
from bot.errors import Ambiguous, InvalidInput, NotFound, SitrepError
from bot.gazetteer import Township, gazetteer
from bot.taxonomy import EventType, resolve_type
from bot.text import norm

# ACLED's export columns, in ACLED's order and spelling.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)
# The event itself holds these (verbatim); every other ACLED column is kept in ``acled_rows``.
HELD_COLUMNS = frozenset({"event_id_cnty", "location", "notes", "fatalities"})
KEPT_COLUMNS = tuple(c for c in ACLED_COLUMNS if c not in HELD_COLUMNS)
# sitrep's own fields, after ACLED's: read back on import, so export -> import loses nothing.
EXTRA_COLUMNS = ("sitrep_id", "sitrep_pcode", "sitrep_source_urls", "sitrep_logged_by",
                 "sitrep_logged_at")
EXPORT_COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS

# Groups of columns that state one fact of the event: each goes out as ACLED wrote it while
# the fact is unchanged, or is derived from the event as a whole.
DATE_COLUMNS = ("event_date", "year", "time_precision")
TYPE_COLUMNS = ("disorder_type", "event_type", "sub_event_type", "civilian_targeting")
SIDE_COLUMNS = (("actor1", "assoc_actor_1", "inter1"), ("actor2", "assoc_actor_2", "inter2"))
PLACE_COLUMNS = ("admin1", "admin2", "admin3", "latitude", "longitude", "geo_precision")

REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "actor1")
PLACE_SOURCES = ("sitrep_pcode", "admin3_pcode", "admin3", "location", "admin2")  # one or more
TYPE_SOURCES = ("sub_event_type", "event_type")
# What decides a row's township (``Reader.place``): location and admin2 only count last.
_PLACE_KEY = ("sitrep_pcode", "admin3_pcode", "admin1", "admin3", "location", "admin2")

MYANMAR = {"iso": "104", "region": "Southeast Asia", "country": "Myanmar"}
# ACLED's disorder_type follows the sub-event type where a type mixes them (codebook 2023).
_DISORDER_BY_SUB = {"Excessive force against protesters": "Political violence; Demonstrations",
                    "Violent demonstration": "Demonstrations",
                    "Mob violence": "Political violence"}
_DISORDER_BY_TYPE = {"Protests": "Demonstrations", "Strategic developments":
                     "Strategic developments"}
_YEAR = re.compile(r"\b[0-9]{4}\b")
_SPLIT_REGION = re.compile(r" \((North|South|East|West)\)$")
_URL_SPLIT = re.compile(r";?\s+")  # URLs hold no spaces, but may hold a ";"


def acled_region(state_region: str) -> str:
    """ACLED's spelling of a MIMU state/region: "Shan (North)" is "Shan-North" in ACLED."""
    return _SPLIT_REGION.sub(r"-\1", state_region)


def disorder_type(kind: EventType) -> str:
    """ACLED's disorder_type for an event type, for events that ACLED never saw."""
    return (_DISORDER_BY_SUB.get(kind.sub_event_type or "")
            or _DISORDER_BY_TYPE.get(kind.event_type, "Political violence"))


def split_list(text: str) -> list[str]:
    """ACLED's "; "-separated lists (associated actors, sources), blanks dropped."""
    return [part.strip() for part in text.split(";") if part.strip()]


def join_list(names: list[str]) -> str:
    return "; ".join(names)


def split_urls(text: str) -> list[str]:
    return [u for u in _URL_SPLIT.split(text.strip()) if u]


def is_url(text: str) -> bool:
    if not text.startswith(("http://", "https://")):
        return False
    parsed = urlparse(text)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def sides_of(values: dict[str, str]) -> tuple[list[str], list[str]]:
    """ACLED's actor names on each side: actor1 and its associates, actor2 and its associates."""
    def side(main: str, assoc: str) -> list[str]:
        names = [main.strip(), *split_list(assoc)] if main.strip() else split_list(assoc)
        return list(dict.fromkeys(names))

    return (side(values.get("actor1", ""), values.get("assoc_actor_1", "")),
            side(values.get("actor2", ""), values.get("assoc_actor_2", "")))


def native_key(store_id: str, event_id: int) -> str:
    """The event_id_cnty an export gives an event ACLED never had: unique to this store."""
    return f"SITREP-{store_id}-{event_id}"


def native_id(store_id: str, key: str) -> int | None:
    """The event id behind this store's own ``native_key``, or None for any other key."""
    prefix = f"SITREP-{store_id}-"
    tail = key[len(prefix):] if key.startswith(prefix) else ""
    return int(tail) if tail.isdigit() else None


def store_id(db: Database) -> str:
    """This database's random identity, made by the migration that created ``acled_rows``."""
    return db.execute("SELECT value FROM store_info WHERE key = 'store_id'").fetchone()[0]


class Found(NamedTuple):
    actor: Actor
    needs_review: bool  # created by hand or by an import, not yet checked by an editor
    is_alias: bool  # the name itself is one of the actor's names (not only half of it)


class ActorIndex:
    """Every name of a guild's actors, in memory: one look-up per name, not one query.

    Built once per import or export, and told about the names an import adds. It answers as
    ``bot.actors.find_actor`` does (normal form, then a plural "s" dropped), plus ACLED's
    "ABBR: Full name" form when the name as a whole is unknown but its halves name one actor.
    """

    def __init__(self, db: Database, guild_id: int) -> None:
        self._by_key: dict[str, tuple[Actor, bool]] = {}
        self._names: dict[str, Found | None] = {}
        for key, actor_id, name, abbr, review in db.execute(
            "SELECT x.alias_key, a.id, a.name, a.abbreviation, a.needs_review"
            " FROM actor_aliases x JOIN actors a ON a.id = x.actor_id WHERE x.guild_id = ?",
            [guild_id],
        ):
            self._by_key[key] = (Actor(actor_id, name, abbr), bool(review))

    def add(self, name: str, actor: Actor, needs_review: bool) -> None:
        """``name`` is now one of ``actor``'s names in the store."""
        self._by_key[norm(name)] = (actor, needs_review)
        self._names.pop(name, None)

    def _exact(self, name: str) -> tuple[Actor, bool] | None:
        key = norm(name)
        found = self._by_key.get(key)
        if found is None and key.endswith("s") and len(key) > 2:
            found = self._by_key.get(key[:-1].removesuffix("'"))
        return found

    def find(self, name: str) -> Found | None:
        """The actor an ACLED name stands for, or None when no single actor fits."""
        if name in self._names:
            return self._names[name]
        found: Found | None = None
        if (exact := self._exact(name)) is not None:
            found = Found(*exact, is_alias=True)
        elif ":" in name:
            hits = [h for h in map(self._exact, name.split(":", 1)) if h is not None]
            if hits and all(h[0].id == hits[0][0].id for h in hits):
                found = Found(*hits[0], is_alias=False)
        self._names[name] = found
        return found


@dataclass(frozen=True)
class When:
    """An ACLED date in sitrep's terms: the day (Monday, 1st) its precision names."""

    acled_date: str  # ISO, as ACLED wrote it
    date: str  # ISO, sitrep's convention for the precision
    precision: int  # ACLED time_precision


class Reader:
    """Reads ACLED values into the event model, caching every answer: an archive repeats a few
    hundred dates, townships and type names across its rows, so each is worked out once."""

    def __init__(self, db: Database, guild_id: int, today: date) -> None:
        self.gazetteer = gazetteer(db)
        self.actors = ActorIndex(db, guild_id)
        self.today = today
        self._dates: dict[tuple[str, str], When | SitrepError] = {}
        self._days: dict[tuple[str], date | SitrepError] = {}
        self._types: dict[tuple[str, str], EventType | SitrepError] = {}
        self._places: dict[tuple[str, str], Township | SitrepError] = {}
        self._rows_places: dict[tuple[str, ...], Township | SitrepError] = {}

    @staticmethod
    def _cached(cache: dict, key: tuple, work, *args):  # type: ignore[no-untyped-def]
        """``work(*args)``'s answer (or refusal) for ``key``, worked out once."""
        found = cache.get(key)
        if found is None:
            try:
                found = work(*args)
            except SitrepError as exc:
                found = exc
            cache[key] = found
        if isinstance(found, SitrepError):
            raise found
        return found

    def when(self, event_date: str, time_precision: str) -> When:
        """"2023-11-07" or "07 November 2023" (any form with a four-digit year that the
        date module reads as one day; relative words like "Tuesday" are refused here)."""
        return self._cached(self._dates, (event_date, time_precision), self._when, event_date,
                            time_precision)

    def _when(self, event_date: str, time_precision: str) -> When:
        precision = time_precision.strip() or "1"
        if precision not in ("1", "2", "3"):
            raise InvalidInput(f"time_precision {precision[:10]!r} is not 1, 2 or 3.")
        found = self._cached(self._days, (event_date,), self._day, event_date)
        day = found
        if precision == "2":
            day -= timedelta(days=day.weekday())
        elif precision == "3":
            day = day.replace(day=1)
        return When(found.isoformat(), day.isoformat(), int(precision))

    def _day(self, event_date: str) -> date:
        text = event_date.strip()
        if not _YEAR.search(text):
            raise InvalidInput(f"event_date {text[:40]!r} is not a full date such as 2023-11-07.")
        found = parse_date(text, self.today)
        if found.precision != "day":
            raise InvalidInput(f"event_date {text[:40]!r} names no single day.")
        return found.date

    def kind(self, event_type: str, sub_event_type: str) -> EventType:
        return self._cached(self._types, (event_type, sub_event_type), self._kind, event_type,
                            sub_event_type)

    @staticmethod
    def _kind(event_type: str, sub_event_type: str) -> EventType:
        if not (event_type.strip() or sub_event_type.strip()):
            raise InvalidInput("event_type and sub_event_type are both empty.")
        found = resolve_type(sub_event_type or event_type)
        if event_type.strip() and resolve_type(event_type).event_type != found.event_type:
            raise InvalidInput(f"sub_event_type {sub_event_type!r} is not a kind of "
                               f"{event_type!r}.")
        return found

    def place(self, values: dict[str, str]) -> Township:
        """The township of a row: by P-code, else admin3 within admin1; only a row without
        admin3 (ACLED's city events) falls back to its location, then admin2. An archive
        names a few hundred places, so each combination of these columns is read once."""
        key = tuple(values.get(c, "") for c in _PLACE_KEY)
        if (key[0] or key[1]).strip() or key[3].strip():  # then location and admin2 are unread
            key = key[:4]
        return self._cached(self._rows_places, key, self._place, values)

    def _place(self, values: dict[str, str]) -> Township:
        pcode = (values.get("sitrep_pcode") or values.get("admin3_pcode") or "").strip().upper()
        if pcode:
            if pcode in self.gazetteer.by_pcode:
                return self.gazetteer.by_pcode[pcode]
            raise NotFound(f"P-code {pcode[:20]!r} is not in the gazetteer.")
        region = values.get("admin1", "").strip()
        admin3 = values.get("admin3", "").strip()
        if admin3.upper() in self.gazetteer.by_pcode:  # a P-code where the name would be
            return self.gazetteer.by_pcode[admin3.upper()]
        names = [admin3] if admin3 else [values.get(c, "").strip() for c in ("location",
                                                                              "admin2")]
        problem: SitrepError | None = None
        for name in filter(None, names):
            try:
                return self._cached(self._places, (name, region), self._township, name, region)
            except (NotFound, Ambiguous) as exc:
                problem = problem or exc
        raise problem or InvalidInput("admin3, location and admin2 are all empty.")

    def _township(self, name: str, region: str) -> Township:
        if "," in name:  # the gazetteer reads "name, region"; a comma in a name is not a region
            raise NotFound(f"No township called {name!r}.")
        return self.gazetteer.resolve(f"{name}, {region}" if region else name)

    @staticmethod
    def place_label(values: dict[str, str]) -> str:
        """How an unmatched place is named in the import report: "Name (admin1)"."""
        name = next((v.strip() for c in PLACE_SOURCES if (v := values.get(c, "")).strip()),
                    "?")
        region = values.get("admin1", "").strip()
        return f"{name} ({region})" if region else name
