"""Summaries of a period or region: totals, the weekly series behind the chart, map points.

Pure functions of the store; the text and the PNGs are made from what these return. Totals
come from the pre-aggregated counts (``bot.aggregates``), so a year costs about what a month
does.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlite_utils import Database

from bot import aggregate_reads
from bot.dates import DateRange
from bot.drawing import draw
from bot.gazetteer import gazetteer
from bot.queries import LIVE, bounds

TOP_ACTORS = 10


def _filter(db: Database, guild_id: int, span: DateRange,
            region: str | None) -> tuple[str, list[object], list[str] | None]:
    """The WHERE clause shared by every summary query, and the regions it covers."""
    since, until = bounds(span)
    where = f"e.guild_id = ? AND e.event_date BETWEEN ? AND ? AND {LIVE}"
    params: list[object] = [guild_id, since, until]
    regions = gazetteer(db).resolve_region(region) if region else None
    if regions:
        where += (" AND e.township_pcode IN (SELECT pcode FROM townships WHERE state_region IN"
                  f" ({','.join('?' * len(regions))}))")
        params += regions
    return where, params, regions


def summarise(db: Database, guild_id: int, span: DateRange,
              region: str | None = None) -> dict[str, object]:
    """Totals by type, by state/region and the most active groups (both sides counted)."""
    since, until = bounds(span)
    regions = gazetteer(db).resolve_region(region) if region else None
    total = fatalities = counted = 0
    types: dict[str, int] = {}
    places: dict[str, int] = {}
    for state_region, event_type, n, deaths, known in aggregate_reads.kinds(db, guild_id, since,
                                                                      until, regions):
        total, fatalities, counted = total + n, fatalities + deaths, counted + known
        types[event_type] = types.get(event_type, 0) + n
        places[state_region] = places.get(state_region, 0) + n
    by_type = dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0])))
    by_region = dict(sorted(places.items(), key=lambda kv: (-kv[1], kv[0])))
    top = [{"actor": name, "events": n} for name, n in
           aggregate_reads.top_groups(db, guild_id, since, until, regions, TOP_ACTORS)]
    return {
        "since": span.since.isoformat() if span.since else None,
        "until": span.until.isoformat() if span.until else None,
        "regions": regions,
        "total_events": total,
        "fatalities": fatalities or 0,  # reported deaths, over the events that state a number
        "events_with_fatalities": counted,
        "by_type": by_type,
        "by_region": by_region,
        "top_actors": top,
    }


def _chart_span(db: Database, where: str, params: list[object], span: DateRange,
                today: date) -> tuple[date, date]:
    """The days a chart covers: the asked period, or the data's own extent where it is open."""
    first, last = db.execute(
        f"SELECT MIN(e.event_date), MAX(e.event_date) FROM events e WHERE {where}", params
    ).fetchone()
    start = span.since or (date.fromisoformat(first) if first else today - timedelta(weeks=12))
    end = span.until or (date.fromisoformat(last) if last else today)
    return start, end


def summary_chart(db: Database, guild_id: int, span: DateRange, region: str | None,
                  today: date) -> bytes:
    """Events per week stacked by type, as a PNG."""
    from bot.render import counts_chart  # matplotlib takes ~0.6 s to import: only when drawing

    regions = gazetteer(db).resolve_region(region) if region else None
    series = aggregate_reads.day_kinds(db, guild_id, *bounds(span), regions)
    days = [day for day, _, _ in series]  # the data's own extent where the period is open
    start = span.since or (date.fromisoformat(min(days)) if days else today - timedelta(weeks=12))
    end = span.until or (date.fromisoformat(max(days)) if days else today)
    counts: dict[date, dict[str, int]] = {}
    for day, event_type, n in series:
        d = date.fromisoformat(day)
        week = d - timedelta(days=d.weekday())
        counts.setdefault(week, {}).setdefault(event_type, 0)
        counts[week][event_type] += n
    where_label = f" in {', '.join(regions)}" if regions else ""
    title = f"Events per week{where_label}, {start:%d %b %Y} to {end:%d %b %Y}"
    return draw(counts_chart, counts, start=start, end=end, bucket="week", title=title)


def events_map(db: Database, guild_id: int, span: DateRange, region: str | None,
               today: date) -> bytes:
    """Events per township as sized points at the gazetteer's coordinates, as a PNG."""
    from bot.render import MapPoint, map_chart

    where, params, regions = _filter(db, guild_id, span, region)
    per_type: dict[str, dict[str, int]] = {}
    for pcode, event_type, n in db.execute(
        f"SELECT e.township_pcode, e.event_type, COUNT(*) FROM events e WHERE {where}"
        " GROUP BY e.township_pcode, e.event_type", params
    ):
        per_type.setdefault(pcode, {})[event_type] = n
    gaz = gazetteer(db)
    points = []
    for pcode, types in per_type.items():
        t = gaz.by_pcode[pcode]
        points.append(MapPoint(t.name, t.state_region, t.latitude, t.longitude,
                               sum(types.values()), max(types, key=lambda k: (types[k], k))))
    townships = list(gaz.by_pcode.values())
    labels = []
    for name in gaz.regions:
        inside = [t for t in townships if t.state_region == name]
        labels.append((name, sum(t.latitude for t in inside) / len(inside),
                       sum(t.longitude for t in inside) / len(inside)))
    start, end = _chart_span(db, where, params, span, today)
    where_label = f" in {', '.join(regions)}" if regions else ""
    title = f"Events by township{where_label}, {start:%d %b %Y} to {end:%d %b %Y}"
    return draw(map_chart, points, background=[(t.latitude, t.longitude) for t in townships],
                regions=labels, title=title)
