"""Pairs of live events that probably report the same incident, for an editor to merge.

Two analysts logging the same clash from two outlets is the commonest error in a shared dataset.
A pair is a candidate only when it is in the same township, within ``MAX_DAYS_APART`` days and
shares at least one actor (either side): SQL finds those through the
``(guild_id, township_pcode, event_date)`` index. The score then orders them by how much else
agrees, so the pairs most worth an editor's minute come first. It is a ranking, not a verdict:
two real clashes between the same groups on consecutive days look alike, and merging stays a
human decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from bot.errors import InvalidInput
from bot.events import EVENT_COLUMNS, Event, events_from_rows
from bot.text import norm

MAX_DAYS_APART = 2
MAX_LIMIT = 200
# How much each kind of agreement weighs; they add up to 1.
WEIGHTS = {"actors": 0.4, "date": 0.2, "type": 0.2, "source": 0.1, "location": 0.1}


@dataclass(frozen=True)
class LikelyDuplicate:
    """Two events and how alike they are; ``first`` is the older one, the natural one to keep."""

    first: Event
    second: Event
    score: float  # 0..1
    why: list[str]

    def to_json(self) -> dict[str, object]:
        return {"first": self.first.to_json(), "second": self.second.to_json(),
                "score": self.score, "why": self.why}


def _score(a: Event, b: Event) -> tuple[float, list[str]]:
    """Agreement on actors, date, type, sources and location, weighted; with the reasons."""
    names_a, names_b = set(a.actors + a.opponents), set(b.actors + b.opponents)
    shared = sorted(names_a & names_b)
    days = abs((date.fromisoformat(a.date) - date.fromisoformat(b.date)).days)
    parts = {
        "actors": len(shared) / len(names_a | names_b),
        "date": 1 - days / (MAX_DAYS_APART + 1),
        "type": 1.0 if (a.event_type, a.sub_event_type) == (b.event_type, b.sub_event_type)
        else 0.5 if a.event_type == b.event_type else 0.0,
        "source": 1.0 if set(a.sources) & set(b.sources) else 0.0,
        "location": 0.5 if not (a.location and b.location)
        else 1.0 if norm(a.location) == norm(b.location) else 0.0,
    }
    why = ["same day" if days == 0 else f"{days} day{'s' if days > 1 else ''} apart",
           f"{len(shared)} of {len(names_a | names_b)} actors shared: {', '.join(shared)}"]
    if parts["type"] == 1.0:
        why.append(f"same type ({a.sub_event_type or a.event_type})")
    if parts["source"]:
        why.append("a source in common")
    if parts["location"] == 1.0:
        why.append(f"same location ({a.location})")
    return round(sum(WEIGHTS[k] * v for k, v in parts.items()), 3), why


def likely_duplicates(db: Database, guild_id: int, limit: int = 20) -> list[LikelyDuplicate]:
    """Candidate pairs of live events, most similar first (ties: the newest pair first)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"Ask for between 1 and {MAX_LIMIT} pairs.")
    pairs = db.execute(
        "SELECT a.id, b.id FROM events a JOIN events b"
        " ON b.guild_id = a.guild_id AND b.township_pcode = a.township_pcode"
        " AND b.event_date BETWEEN date(a.event_date, ?) AND date(a.event_date, ?)"
        " AND b.id > a.id"
        " WHERE a.guild_id = ? AND a.deleted_at IS NULL AND a.merged_into IS NULL"
        " AND b.deleted_at IS NULL AND b.merged_into IS NULL"
        " AND EXISTS (SELECT 1 FROM event_actors x JOIN event_actors y"
        "   ON y.actor_id = x.actor_id AND y.event_id = b.id WHERE x.event_id = a.id)",
        [f"-{MAX_DAYS_APART} days", f"+{MAX_DAYS_APART} days", guild_id],
    ).fetchall()
    if not pairs:
        return []
    ids = sorted({i for pair in pairs for i in pair})
    rows = list(db.query(
        f"SELECT {EVENT_COLUMNS} FROM events e JOIN townships t ON t.pcode = e.township_pcode"
        f" WHERE e.guild_id = ? AND e.id IN ({','.join('?' * len(ids))})",
        [guild_id, *ids],
    ))
    events = {e.id: e for e in events_from_rows(db, guild_id, rows)}
    found = [LikelyDuplicate(events[a], events[b], *_score(events[a], events[b]))
             for a, b in pairs]
    found.sort(key=lambda d: (-d.score, -d.second.id, -d.first.id))
    return found[:limit]
