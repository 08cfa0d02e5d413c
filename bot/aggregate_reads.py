"""Answering questions from the pre-aggregated counts (``bot.aggregates`` keeps them).

A range [since, until] is read as whole months from the month tables plus the partial months
at either end from the day tables (``split``). Rows whose count fell to zero may remain, so
every reader asks for ``n > 0`` where it matters.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class Split:
    """An inclusive ISO date range as whole months plus the days at either end."""

    since: str
    until: str
    months: tuple[str, str] | None  # first and last whole month, "YYYY-MM"
    days: tuple[tuple[str, str], ...]  # inclusive day ranges outside those months
    covering: tuple[str, str]  # every month the range touches

    def day_ranges(self, count: int = 2) -> list[str]:
        """``count`` (start, end) pairs as flat parameters; unused ones select nothing."""
        pairs = [*self.days, *[("9", "0")] * (count - len(self.days))]
        return [bound for pair in pairs for bound in pair]

    def month_range(self) -> list[str]:
        return list(self.months or ("9", "0"))


def _month_end(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    if mon == 12:
        return f"{month}-31"
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mon - 1]
    return f"{month}-{days:02d}"


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def _previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year - (mon == 1):04d}-{(mon - 2) % 12 + 1:02d}"


def split(since: str, until: str) -> Split:
    """Whole months and leftover days of [since, until] (ISO dates, open ends as sentinels
    such as 0000-01-01 and 9999-12-31, which fall on month boundaries)."""
    covering = (since[:7], until[:7])
    first = since[:7] if since[8:] == "01" else _next_month(since[:7])
    last = until[:7] if until == _month_end(until[:7]) else _previous_month(until[:7])
    if since > until:
        return Split(since, until, None, (), covering)
    if first > last:
        return Split(since, until, None, ((since, until),), covering)
    days = []
    if first != since[:7]:
        days.append((since, _month_end(since[:7])))
    if last != until[:7]:
        days.append((f"{_next_month(last)}-01", until))
    return Split(since, until, (first, last), tuple(days), covering)


_EDGE = ("COALESCE((SELECT SUM(d.n) FROM agg_place_actor_day d WHERE d.guild_id = :g"
         " AND d.pcode = {pcode} AND d.actor_id = {actor} AND d.day BETWEEN :{a} AND :{b}), 0)")
# ORDER BY ... LIMIT 1 rather than MIN/MAX: SQLite's min/max shortcut gives up on the extra
# ``n > 0`` term and would read every day of the pair; this walks the key from the bound and
# stops at the first day with events.
_FIRST_LAST = (
    "(SELECT d.day FROM agg_place_actor_day d WHERE d.guild_id = :g AND d.pcode = {pcode}"
    " AND d.actor_id = {actor} AND d.day >= :since AND d.n > 0 ORDER BY d.day LIMIT 1)"
    " AS first,"
    " (SELECT d.day FROM agg_place_actor_day d WHERE d.guild_id = :g AND d.pcode = {pcode}"
    " AND d.actor_id = {actor} AND d.day <= :until AND d.n > 0 ORDER BY d.day DESC LIMIT 1)"
    " AS last")


def _counted(s: Split, pcode: str, actor: str) -> str:
    """Whole months' count plus the days at either end, for one (township, actor) pair."""
    edges = [_EDGE.format(pcode=pcode, actor=actor, a=a, b=b)
             for (a, b), _ in zip((("h1", "h2"), ("t1", "t2")), s.days, strict=False)]
    return " + ".join(["c.n", *edges])


def _params(s: Split, **extra: object) -> dict[str, object]:
    h1, h2, t1, t2 = s.day_ranges()
    m1, m2 = s.month_range()
    c1, c2 = s.covering
    return {"since": s.since, "until": s.until, "h1": h1, "h2": h2, "t1": t1, "t2": t2,
            "m1": m1, "m2": m2, "c1": c1, "c2": c2, **extra}


# Each question is three steps, materialised so SQLite runs each subquery once per row:
# candidates from the month table over every month the range touches (whole months counted),
# then the partial months at either end added from the day table, then first and last dates
# (one index seek each) for the rows left with events.
def _pairs(s: Split, table: str, fixed: str, varying: str) -> str:
    """The first two steps, as CTEs ``c`` and ``r`` (``r.events``): every township or group
    paired in ``table`` with the one township (``fixed`` "pcode", parameter ``:p``) or group
    (``fixed`` "actor_id", parameter ``:a``) asked about."""
    param = ":p" if fixed == "pcode" else ":a"
    pcode, actor = (param, f"c.{varying}") if fixed == "pcode" else (f"c.{varying}", param)
    return (
        f"WITH c AS MATERIALIZED (SELECT {varying},"
        " SUM(CASE WHEN month BETWEEN :m1 AND :m2 THEN n ELSE 0 END) AS n"
        f" FROM {table} WHERE guild_id = :g AND {fixed} = {param}"
        f" AND month BETWEEN :c1 AND :c2 GROUP BY {varying}),"
        f" r AS MATERIALIZED (SELECT c.{varying}, {_counted(s, pcode, actor)} AS events FROM c)"
    )


def place_groups(db: Database, guild_id: int, pcode: str, since: str,
                 until: str) -> list[dict[str, object]]:
    """Groups active in a township: name, events, first and last date, most active first."""
    s = split(since, until)
    sql = (
        _pairs(s, "agg_place_actor_month", "pcode", "actor_id")
        + " SELECT a.name AS actor, r.events, "
        + _FIRST_LAST.format(pcode=":p", actor="r.actor_id")
        + " FROM r JOIN actors a ON a.id = r.actor_id WHERE r.events > 0"
        " ORDER BY r.events DESC, a.name"
    )
    return [dict(r) for r in db.query(sql, _params(s, g=guild_id, p=pcode))]


def actor_places(db: Database, guild_id: int, actor_id: int, since: str,
                 until: str) -> list[dict[str, object]]:
    """Townships where a group was active: name, pcode, state/region, events, first, last."""
    s = split(since, until)
    sql = (
        _pairs(s, "agg_actor_place_month", "actor_id", "pcode")
        + " SELECT t.name AS township, t.pcode, t.state_region, r.events, "
        + _FIRST_LAST.format(pcode="r.pcode", actor=":a")
        + " FROM r JOIN townships t ON t.pcode = r.pcode WHERE r.events > 0"
        " ORDER BY r.events DESC, t.name"
    )
    return [dict(r) for r in db.query(sql, _params(s, g=guild_id, a=actor_id))]


def kinds(db: Database, guild_id: int, since: str, until: str,
          regions: list[str] | None = None) -> list[tuple[str, str, int, int, int]]:
    """(state/region, event type, events, deaths, events with a death count) with events."""
    s = split(since, until)
    where_region = ""
    params = _params(s, g=guild_id)
    if regions:
        marks = ", ".join(f":r{i}" for i in range(len(regions)))
        where_region = f" AND state_region IN ({marks})"
        params |= {f"r{i}": r for i, r in enumerate(regions)}
    parts = [f"SELECT state_region, event_type, n, fatalities, with_fatalities FROM"
             f" agg_kind_month WHERE guild_id = :g AND month BETWEEN :m1 AND :m2{where_region}"]
    parts += [f"SELECT state_region, event_type, n, fatalities, with_fatalities FROM"
              f" agg_kind_day WHERE guild_id = :g AND day BETWEEN :{a} AND :{b}{where_region}"
              for a, b in (("h1", "h2"), ("t1", "t2"))]
    return db.execute(
        f"SELECT state_region, event_type, SUM(n) AS events, SUM(fatalities),"
        f" SUM(with_fatalities) FROM ({' UNION ALL '.join(parts)})"
        " GROUP BY state_region, event_type HAVING events > 0", params).fetchall()


def day_kinds(db: Database, guild_id: int, since: str, until: str,
              regions: list[str] | None = None) -> list[tuple[str, str, int]]:
    """(day, event type, events) for the days with events: the series behind a chart."""
    marks = ", ".join("?" * len(regions or []))
    where_region = f" AND state_region IN ({marks})" if regions else ""
    return db.execute(
        "SELECT day, event_type, SUM(n) AS events FROM agg_kind_day WHERE guild_id = ?"
        f" AND day BETWEEN ? AND ?{where_region} GROUP BY day, event_type HAVING events > 0",
        [guild_id, since, until, *(regions or [])]).fetchall()


def top_groups(db: Database, guild_id: int, since: str, until: str,
               regions: list[str] | None = None,
               limit: int | None = None) -> list[tuple[str, int]]:
    """(actor name, events), most active first, over all townships or those of ``regions``."""
    s = split(since, until)
    params = _params(s, g=guild_id, limit=-1 if limit is None else limit)
    if not regions:
        counts = (
            "counts AS MATERIALIZED (SELECT actor_id, n FROM agg_actor_month WHERE guild_id = :g"
            " AND month BETWEEN :m1 AND :m2 UNION ALL SELECT actor_id, n FROM agg_actor_day"
            " WHERE guild_id = :g AND day BETWEEN :h1 AND :h2 UNION ALL SELECT actor_id, n"
            " FROM agg_actor_day WHERE guild_id = :g AND day BETWEEN :t1 AND :t2)")
    else:
        marks = ", ".join(f":r{i}" for i in range(len(regions)))
        params |= {f"r{i}": r for i, r in enumerate(regions)}
        counts = (
            "c AS MATERIALIZED (SELECT pcode, actor_id,"
            " SUM(CASE WHEN month BETWEEN :m1 AND :m2 THEN n ELSE 0 END) AS n"
            " FROM agg_place_actor_month WHERE guild_id = :g AND month BETWEEN :c1 AND :c2"
            f" AND pcode IN (SELECT pcode FROM townships WHERE state_region IN ({marks}))"
            " GROUP BY pcode, actor_id),"
            f" counts AS MATERIALIZED (SELECT c.actor_id,"
            f" {_counted(s, 'c.pcode', 'c.actor_id')} AS n FROM c)")
    return db.execute(
        f"WITH {counts} SELECT a.name, SUM(counts.n) AS events FROM counts JOIN actors a"
        " ON a.id = counts.actor_id GROUP BY counts.actor_id HAVING events > 0"
        " ORDER BY events DESC, a.name LIMIT :limit", params).fetchall()
