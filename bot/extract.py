"""From a news article to proposed events, each with the sentences it rests on.

Rules over the gazetteer and the team's actor list, no downloaded models (DESIGN.md,
"Extraction"): the steps live in the ``bot.extraction`` package, one module each; this module
is the public entry. The matchers are built once
per database and guild and reused, because building them costs far more than reading an
article. A proposal is for a person to confirm, fix or skip: ``to_json`` gives the core event
shape (without ``id``) plus ``evidence`` and ``duplicate_of``; ``to_new_event`` what to log.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import date

from sqlite_utils import Database

from bot.actors import ensure_guild
from bot.dates import EventDate, parse_ref
from bot.events import MAX_NOTES, NewEvent
from bot.extraction.assemble import Reader
from bot.extraction.drafts import Draft
from bot.extraction.duplicates import likely_duplicate
from bot.extraction.groups import GroupIndex
from bot.extraction.places import PlaceIndex
from bot.extraction.when import find_dates
from bot.gazetteer import gazetteer

_HEADER = re.compile(r"^(url|outlet|published|source|title|date)\s*:\s*(.*)$", re.IGNORECASE)


@dataclass
class Proposal:
    """One proposed event. ``actors`` lists every group involved, on any side;
    ``opponents`` is the subset on the other side from the group that acted."""

    date: str
    date_precision: str
    township: str
    pcode: str
    state_region: str
    location: str | None
    actors: list[str]
    opponents: list[str]
    event_type: str
    sub_event_type: str
    fatalities: int | None
    evidence: str
    duplicate_of: int | None = None
    sources: list[str] = field(default_factory=list)
    # whether the quoted sentences name the date themselves (``extract`` sets it): about two
    # in three wrong proposals on unseen articles had a date carried from an earlier one, so
    # the CLI and the card point those out to check first (not part of the JSON event)
    date_stated: bool = True

    @property
    def actor_side(self) -> list[str]:
        return [a for a in self.actors if a not in self.opponents]

    def to_json(self) -> dict[str, object]:
        """The core event object (``actors`` is the acting side, as in a stored event)."""
        return {
            "date": self.date, "date_precision": self.date_precision,
            "township": self.township, "pcode": self.pcode, "state_region": self.state_region,
            "location": self.location, "actors": self.actor_side,
            "opponents": self.opponents, "event_type": self.event_type,
            "sub_event_type": self.sub_event_type, "fatalities": self.fatalities,
            "sources": self.sources, "notes": None, "evidence": self.evidence,
            "duplicate_of": self.duplicate_of,
        }

    def to_new_event(self, source_url: str | None = None) -> NewEvent:
        """What confirming the proposal logs; the evidence becomes the notes."""
        day = EventDate(date.fromisoformat(self.date), self.date_precision)  # type: ignore[arg-type]
        sources = [source_url] if source_url else list(self.sources)
        return NewEvent(
            date=day.label(), township=self.pcode, actors=self.actor_side,
            opponents=self.opponents, event_type=self.sub_event_type, location=self.location,
            fatalities=self.fatalities, sources=sources, notes=self.evidence[:MAX_NOTES],
        )


def parse_article(text: str) -> tuple[str | None, date | None, str]:
    """(url, published, body) of an article file; plain text is all body.

    Article files open with ``url:``, ``outlet:`` and ``published: YYYY-MM-DD`` lines and a
    blank line. A malformed ``published:`` is refused rather than guessed, because every
    weekday in the article would silently shift with it.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    headers: dict[str, str] = {}
    count = 0
    while count < len(lines) and (match := _HEADER.match(lines[count].strip())):
        headers[match.group(1).lower()] = match.group(2).strip()
        count += 1
    if not headers:
        return None, None, text.strip()
    published = parse_ref(headers["published"]) if headers.get("published") else None
    return headers.get("url") or None, published, "\n".join(lines[count:]).strip()


class Extractor:
    """The gazetteer and one team's actor list as matchers, built once and reused."""

    def __init__(self, places: PlaceIndex, groups: GroupIndex) -> None:
        self.places = places
        self.groups = groups

    def read(self, text: str, published: date) -> list[Proposal]:
        """Proposals for an article (headers allowed), without the duplicate check."""
        url, _, body = parse_article(text)
        reader = Reader(self.places, self.groups, published)
        return [_proposal(drafts, url) for drafts in reader.read(body)]


_lock = threading.Lock()
_places: dict[str, PlaceIndex] = {}
_groups: dict[tuple[str, int], tuple[tuple[int, ...], GroupIndex]] = {}


def _actor_signature(db: Database, guild_id: int) -> tuple[int, ...]:
    """Changes whenever the team adds, renames or re-kinds an actor or adds an alias."""
    row = db.execute(
        "SELECT (SELECT COUNT(*) FROM actors WHERE guild_id = :g),"
        " (SELECT COALESCE(MAX(id), 0) FROM actors WHERE guild_id = :g),"
        " (SELECT COALESCE(SUM(LENGTH(name) + LENGTH(COALESCE(kind, ''))), 0)"
        "  FROM actors WHERE guild_id = :g),"
        " (SELECT COUNT(*) FROM actor_aliases WHERE guild_id = :g),"
        " (SELECT COALESCE(MAX(id), 0) FROM actor_aliases WHERE guild_id = :g)",
        {"g": guild_id},
    ).fetchone()
    return tuple(row)


def extractor_for(db: Database, guild_id: int = 0) -> Extractor:
    """The team's matchers, built once per database file and rebuilt when its actors change."""
    path = db.execute("PRAGMA database_list").fetchone()[2] or ""
    if not path:  # an in-memory database is nobody else's
        return Extractor(PlaceIndex.from_db(db, gazetteer(db)), GroupIndex.from_db(db, guild_id))
    ensure_guild(db, guild_id)
    signature = _actor_signature(db, guild_id)
    with _lock:
        places = _places.get(path)
        cached = _groups.get((path, guild_id))
    if places is None:
        places = PlaceIndex.from_db(db, gazetteer(db))
    groups = cached[1] if cached and cached[0] == signature else GroupIndex.from_db(db, guild_id)
    with _lock:
        _places[path] = places
        _groups[(path, guild_id)] = (signature, groups)
    return Extractor(places, groups)


def extract(text: str, published: date, *, db: Database, guild_id: int = 0,
            extractor: Extractor | None = None) -> list[Proposal]:
    """The events an article reports, as proposals flagged against the team's stored events.

    ``text`` may start with the article file's headers; weekday words and other relative dates
    resolve against ``published``.
    """
    proposals = (extractor or extractor_for(db, guild_id)).read(text, published)
    for proposal in proposals:
        proposal.duplicate_of = likely_duplicate(
            db, guild_id, proposal.pcode, date.fromisoformat(proposal.date), proposal.actors)
        proposal.date_stated = any(m.when is None or m.when.date.isoformat() == proposal.date
                                   for m in find_dates(proposal.evidence, published))
    return proposals


def _proposal(drafts: list[Draft], url: str | None) -> Proposal:
    first = drafts[0]
    actors = list(dict.fromkeys(a for d in drafts for a in d.actors))
    agents = next((d.agents for d in drafts if d.agents), actors[:1])
    figures = [d.figure for d in drafts if d.figure is not None]
    figures += [sum(d.follow_up) for d in drafts if d.follow_up]
    sentences = sorted({s.index: s for d in drafts for s in d.evidence}.values(),
                       key=lambda s: s.index)
    return Proposal(
        date=first.when.date.isoformat(), date_precision=first.when.precision,
        township=first.township.name, pcode=first.township.pcode,
        state_region=first.township.state_region,
        location=next((d.location for d in drafts if d.location), None),
        actors=actors, opponents=[a for a in actors if a not in agents],
        event_type=first.event_type, sub_event_type=first.sub_event_type,
        fatalities=min(figures) if figures else None,
        evidence=" ".join(s.text for s in sentences), sources=[url] if url else [],
    )
