"""Events: logging one, reading one back, and the JSON shape every surface shows.

``log_event`` checks everything the user typed before it writes anything, then writes the
event, its actors, its sources and an audit row in one transaction: a refusal or a crash
leaves the store exactly as it was.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from urllib.parse import urlparse

from sqlite_utils import Database

from bot.actors import Actor, create_actor, ensure_guild, find_actor, resolve_actor
from bot.clock import utc_now
from bot.dates import ACLED_PRECISION, EventDate, parse_date
from bot.db import transaction
from bot.errors import InvalidInput, NotFound
from bot.gazetteer import Township, gazetteer
from bot.taxonomy import EventType, resolve_type
from bot.text import clean_text

PRECISION_NAMES = {n: name for name, n in ACLED_PRECISION.items()}
MAX_FATALITIES = 100_000  # more than any single event ACLED has recorded in Myanmar
MAX_NOTES = 4000  # fits an embed description with room for the rest
MAX_LOCATION = 200
MAX_SOURCES = 10
MAX_ACTORS = 20


@dataclass
class Event:
    """One event as every surface shows it; ``to_json`` is the documented JSON shape."""

    id: int
    date: str
    date_precision: str
    township: str
    pcode: str
    state_region: str
    location: str | None
    actors: list[str]
    opponents: list[str]
    event_type: str
    sub_event_type: str | None
    fatalities: int | None
    sources: list[str]
    notes: str | None
    logged_by: str | None = None
    logged_at: str | None = None
    deleted: bool = False
    merged_into: int | None = None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class NewEvent:
    """What a user typed for one event, before any of it is checked."""

    date: str
    township: str
    actors: list[str]
    event_type: str
    opponents: list[str] = field(default_factory=list)
    location: str | None = None
    fatalities: int | None = None
    sources: list[str] = field(default_factory=list)
    notes: str | None = None


def _check_fatalities(value: int | None) -> int | None:
    if value is None:
        return None
    if value < 0:
        raise InvalidInput("Fatalities cannot be negative; leave it empty when unknown.")
    if value > MAX_FATALITIES:
        raise InvalidInput(
            f"{value:,} fatalities is more than any single event on record; "
            "check the number, or log the events separately."
        )
    return value


# A plain http(s) link (ASCII host, optional port, printable ASCII after it): what nearly every
# source is. ``check_source`` and ``outlet_of`` read these without urlparse, which was a fifth
# of an ACLED import's time; the match is exactly what urlparse would accept and call netloc.
_PLAIN_URL = re.compile(r"https?://([A-Za-z0-9.-]+(?::[0-9]+)?)(?:[/?#][!-~]*)?", re.ASCII)


def check_source(url: str) -> str:
    """A source must be a link a colleague can open."""
    if len(url) <= 1000 and _PLAIN_URL.fullmatch(url):
        return url
    clean = clean_text("source", url, 1000)
    parsed = urlparse(clean or "")
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in (clean or ""):
        raise InvalidInput(
            f"The source {url.strip()[:80]!r} is not a web link; give the article's full "
            "address, starting with https://."
        )
    return clean  # type: ignore[return-value]


def _actors(db: Database, guild_id: int, names: list[str], new_actors: bool) -> list[Actor]:
    """Known actors for ``names``; with ``new_actors``, unknown ones get id 0, to be created."""
    found: list[Actor] = []
    for name in (n.strip() for n in names):
        if not name:
            continue
        actor = find_actor(db, guild_id, name) or (
            Actor(0, name, None) if new_actors else resolve_actor(db, guild_id, name)
        )
        if actor not in found:
            found.append(actor)
    return found


@dataclass(frozen=True)
class CheckedEvent:
    """A ``NewEvent`` that passed every check; unknown actors (with ``new_actors``) have id 0."""

    when: EventDate
    township: Township
    kind: EventType
    location: str | None
    notes: str | None
    fatalities: int | None
    sources: list[str]
    actors: list[Actor]
    opponents: list[Actor]


def check_new_event(db: Database, guild_id: int, new: NewEvent, *, ref: date | None = None,
                    new_actors: bool = False) -> CheckedEvent:
    """Everything a user typed for one event, checked before anything is written.

    Shared by ``log_event`` and ``bot.corrections`` (edit, merge), so an edited or merged event
    can never hold what logging would refuse.
    """
    ensure_guild(db, guild_id)
    checked = CheckedEvent(
        when=parse_date(new.date, ref),
        township=gazetteer(db).resolve(new.township),
        kind=resolve_type(new.event_type),
        location=clean_text("location", new.location, MAX_LOCATION),
        notes=clean_text("notes", new.notes, MAX_NOTES),
        fatalities=_check_fatalities(new.fatalities),
        sources=list(dict.fromkeys(check_source(u) for u in new.sources if u.strip())),
        actors=_actors(db, guild_id, new.actors, new_actors),
        opponents=_actors(db, guild_id, new.opponents, new_actors),
    )
    if len(checked.sources) > MAX_SOURCES:
        raise InvalidInput(f"At most {MAX_SOURCES} sources per event; keep the best ones.")
    if not checked.actors:
        raise InvalidInput("Name at least one armed group or actor involved in the event.")
    if len(checked.actors) + len(checked.opponents) > MAX_ACTORS:
        raise InvalidInput(f"At most {MAX_ACTORS} actors per event.")
    both = {a.name for a in checked.actors} & {a.name for a in checked.opponents}
    if both:
        raise InvalidInput(f"{', '.join(sorted(both))} cannot be on both sides of one event.")
    return checked


def outlet_of(url: str) -> str:
    """The outlet a source link is filed under: its host without "www."."""
    plain = _PLAIN_URL.fullmatch(url)
    return (plain.group(1) if plain else urlparse(url).netloc).removeprefix("www.")


def log_event(
    db: Database,
    guild_id: int,
    new: NewEvent,
    *,
    by: str,
    by_id: str | None = None,
    ref: date | None = None,
    new_actors: bool = False,
) -> Event:
    """Check and store one event; return it as stored."""
    c = check_new_event(db, guild_id, new, ref=ref, new_actors=new_actors)
    with transaction(db):
        actors = [a if a.id else create_actor(db, guild_id, a.name) for a in c.actors]
        opponents = [a if a.id else create_actor(db, guild_id, a.name) for a in c.opponents]
        now = utc_now()
        # Plain statements rather than sqlite-utils' insert(), which introspects the schema on
        # every call: that was half the time of logging one event.
        event_id = db.execute(
            "INSERT INTO events (guild_id, event_date, date_precision, township_pcode, location,"
            " event_type, sub_event_type, fatalities, notes, logged_by, logged_by_id, logged_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [guild_id, c.when.date.isoformat(), ACLED_PRECISION[c.when.precision],
             c.township.pcode, c.location, c.kind.event_type, c.kind.sub_event_type,
             c.fatalities, c.notes, by, by_id, now, now],
        ).lastrowid
        db.conn.executemany(
            "INSERT INTO event_actors (guild_id, event_id, actor_id, role) VALUES (?, ?, ?, ?)",
            [(guild_id, event_id, a.id, role)
             for role, side in (("actor", actors), ("opponent", opponents)) for a in side],
        )
        db.conn.executemany(
            "INSERT INTO sources (guild_id, event_id, url, outlet) VALUES (?, ?, ?, ?)",
            [(guild_id, event_id, url, outlet_of(url)) for url in c.sources],
        )
        event = get_event(db, guild_id, event_id)
        write_audit(db, guild_id, by=by, by_id=by_id, action="log", event_id=event_id,
                    after=event.to_json())
    return event


def write_audit(db: Database, guild_id: int, *, by: str, action: str, event_id: int | None,
                by_id: str | None = None, reason: str | None = None,
                before: object = None, after: object = None) -> None:
    """Append one audit row; callers do it inside the transaction of the change it records."""
    db.execute(
        'INSERT INTO audit_log (guild_id, at, "by", by_id, action, event_id, reason, before,'
        " after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [guild_id, utc_now(), by, by_id, action, event_id, reason,
         None if before is None else json.dumps(before, ensure_ascii=False),
         None if after is None else json.dumps(after, ensure_ascii=False)],
    )


EVENT_COLUMNS = """
    e.id, e.event_date, e.date_precision, e.location, e.event_type, e.sub_event_type,
    e.fatalities, e.notes, e.logged_by, e.logged_at, e.deleted_at, e.merged_into,
    t.pcode, t.name AS township, t.state_region
"""


def events_from_rows(db: Database, guild_id: int, rows: list[dict]) -> list[Event]:
    """Events for rows selected with ``EVENT_COLUMNS``, with their actors and sources."""
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    marks = ",".join("?" * len(ids))
    sides: dict[int, dict[str, list[str]]] = {i: {"actor": [], "opponent": []} for i in ids}
    for event_id, role, name in db.execute(
        f"SELECT ea.event_id, ea.role, a.name FROM event_actors ea JOIN actors a ON a.id ="
        f" ea.actor_id WHERE ea.event_id IN ({marks}) AND ea.guild_id = ? ORDER BY ea.rowid",
        [*ids, guild_id],
    ):
        sides[event_id][role].append(name)
    urls: dict[int, list[str]] = {i: [] for i in ids}
    for event_id, url in db.execute(
        f"SELECT event_id, url FROM sources WHERE event_id IN ({marks}) AND guild_id = ?"
        " ORDER BY id",
        [*ids, guild_id],
    ):
        urls[event_id].append(url)
    return [
        Event(
            id=r["id"], date=r["event_date"], date_precision=PRECISION_NAMES[r["date_precision"]],
            township=r["township"], pcode=r["pcode"], state_region=r["state_region"],
            location=r["location"], actors=sides[r["id"]]["actor"],
            opponents=sides[r["id"]]["opponent"], event_type=r["event_type"],
            sub_event_type=r["sub_event_type"], fatalities=r["fatalities"],
            sources=urls[r["id"]], notes=r["notes"], logged_by=r["logged_by"],
            logged_at=r["logged_at"], deleted=r["deleted_at"] is not None,
            merged_into=r["merged_into"],
        )
        for r in rows
    ]


def get_event(db: Database, guild_id: int, event_id: int) -> Event:
    """The event with this id in this guild (deleted ones too: they are shown as deleted)."""
    rows = list(db.query(
        f"SELECT {EVENT_COLUMNS} FROM events e JOIN townships t ON t.pcode = e.township_pcode"
        " WHERE e.guild_id = ? AND e.id = ?",
        [guild_id, event_id],
    ))
    if not rows:
        raise NotFound(f"There is no event #{event_id} in this team's record.")
    return events_from_rows(db, guild_id, rows)[0]
