"""Comparing a proposed event with the events a team has already stored.

ACLED merges reports of the same actors on the same day in the same place; a team reads several
outlets on the same fighting, so a proposal that shares the township, falls within two days and
shares at least one group with a live stored event is most likely that event again. Confirming
it should add the article as a source rather than log a second event.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlite_utils import Database

from bot.queries import LIVE

WINDOW_DAYS = 2


def likely_duplicate(db: Database, guild_id: int, pcode: str, day: date,
                     actors: list[str]) -> int | None:
    """The id of the stored event this one most likely repeats, or None.

    Among candidates, the one sharing the most groups wins, then the closest date, then the
    oldest (the one others were probably merged into).
    """
    if not actors:
        return None
    since, until = (day - timedelta(days=WINDOW_DAYS)).isoformat(), (
        day + timedelta(days=WINDOW_DAYS)).isoformat()
    rows = db.execute(
        "SELECT e.id, e.event_date, a.name FROM events e"
        " JOIN event_actors ea ON ea.event_id = e.id AND ea.guild_id = e.guild_id"
        " JOIN actors a ON a.id = ea.actor_id"
        f" WHERE e.guild_id = ? AND e.township_pcode = ? AND e.event_date BETWEEN ? AND ?"
        f" AND {LIVE}",
        [guild_id, pcode, since, until],
    ).fetchall()
    shared: dict[int, set[str]] = {}
    dates: dict[int, date] = {}
    wanted = set(actors)
    for event_id, event_date, name in rows:
        dates[event_id] = date.fromisoformat(event_date)
        if name in wanted:
            shared.setdefault(event_id, set()).add(name)
    if not shared:
        return None
    return min(shared, key=lambda i: (-len(shared[i]), abs((dates[i] - day).days), i))
