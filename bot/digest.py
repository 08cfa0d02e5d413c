"""The daily digest's content: what a team's dataset gained during one local day.

"A day" is a calendar day in the team's time zone (Asia/Yangon unless configured): the digest
for 10 Nov covers the events *logged* from 00:00 to 24:00 that day there, whatever their event
dates (a report filed today may describe last week), and the corrections made in those hours.
Everything here is a pure function of the store, the guild, the local date and the zone, so a
digest can be rebuilt for any past day and reads the same as the one that was posted, except
for events deleted or merged since (those drop out).

The words are in ``bot.digest_text``; the schedule (when, claims, exactly once) in
``bot.digest_schedule``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.dates import parse_date
from bot.drawing import draw
from bot.errors import InvalidInput
from bot.events import EVENT_COLUMNS, Event, events_from_rows
from bot.queries import LIVE

TOP_GROUPS = 5
DEADLIEST = 3
TERRITORY_SHOWN = 3
CORRECTED_IDS_SHOWN = 15
NEW_TOWNSHIP_DAYS = 30
CHART_DAYS = 14
TREND_WEEKS = 4
LARGE = Fraction(25, 100)  # ACLED Early Warning style: more than +25% is a large increase
MODERATE = Fraction(10, 100)  # +10% to +25% is a moderate one
TERRITORY = ("Government regains territory", "Non-state actor overtakes territory",
             "Non-violent transfer of territory")
# new events (logged or imported) are counted already; settings are not data
NOT_CORRECTIONS = ("log", "import", "import-batch", "config")


def stamp(moment: datetime) -> str:
    """The form every timestamp column stores (``bot.clock.utc_now``), so strings compare."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class DayWindow:
    """One local calendar day as a half-open UTC interval [start, end)."""

    day: date
    tz: str
    start: datetime
    end: datetime


def day_window(day: date, tz: str) -> DayWindow:
    """The UTC instants a local day starts and ends (23 or 25 hours long across DST)."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return DayWindow(day, tz, start, end)


def local_day(text: str, tz: str, now: datetime) -> date:
    """The day ``text`` names ("yesterday", "2023-11-10"), counted in the team's zone: at
    01:00 in Yangon "today" is already the Yangon day, whatever the server's clock says."""
    found = parse_date(text, now.astimezone(ZoneInfo(tz)).date())
    if found.precision != "day":
        raise InvalidInput(f"A digest covers one day; {found.label()} is a {found.precision}. "
                           "Give a day such as yesterday or 2023-11-10.")
    return found.date


@dataclass(frozen=True)
class Trend:
    """One state/region's last 7 days (by event date) against its average week before."""

    state_region: str
    last_7: int
    previous_4_weeks: int
    change_pct: float | None  # None when the four weeks before had no events
    flag: str | None  # "large", "moderate", "new" or None

    @property
    def weekly_average(self) -> float:
        return self.previous_4_weeks / TREND_WEEKS


def trend_flag(last_7: int, previous_4_weeks: int) -> tuple[Fraction | None, str | None]:
    """The change against the average previous week, and its flag.

    Exact fractions, so +25% and +10% land on the documented side of each threshold.
    """
    if previous_4_weeks == 0:
        return None, ("new" if last_7 else None)
    change = Fraction(last_7 * TREND_WEEKS, previous_4_weeks) - 1
    if change > LARGE:
        return change, "large"
    return change, ("moderate" if change >= MODERATE else None)


@dataclass(frozen=True)
class Import:
    """The events one file's import added during the window, as id ranges (one per batch)."""

    file: str
    ranges: list[tuple[int, int]]

    @property
    def events(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges)


def imports_between(db: Database, guild_id: int, start: datetime, end: datetime) -> list[Import]:
    """What ACLED imports added between ``start`` and ``end``, file by file.

    An imported event's ``logged_at`` is the moment of its import, so without this an import
    of an archive would read as a day on which the team logged 100,000 events, and its
    deadliest rows as the day's notable events. Each batch's audit row names the ids it
    created (``bot.acled_import``); consecutive batches are joined into one range.
    """
    found: dict[str, list[tuple[int, int]]] = {}
    for file, first, last in db.execute(
        "SELECT json_extract(after, '$.file'), json_extract(after, '$.first_id'),"
        " json_extract(after, '$.last_id')"
        " FROM audit_log WHERE guild_id = ? AND at >= ? AND at < ? AND action = 'import-batch'"
        " ORDER BY id", [guild_id, stamp(start), stamp(end)],
    ):
        ranges = found.setdefault(file, [])
        if ranges and ranges[-1][1] + 1 == first:
            ranges[-1] = (ranges[-1][0], last)
        else:
            ranges.append((first, last))
    return [Import(file, ranges) for file, ranges in found.items()]


def logged_between(guild_id: int, start: datetime, end: datetime,
                   imported: list[Import]) -> tuple[str, list[object]]:
    """The SQL condition (on ``events e``) and its parameters for the live events the team
    logged in [start, end): the ones ``imported`` added are not counted as logged.

    ``+e.guild_id`` keeps the planner on the ``logged_at`` index (migration 9), which holds
    every column the digest reads; on ``guild_id`` alone it would walk the guild's events.
    """
    where = f"+e.guild_id = ? AND e.logged_at >= ? AND e.logged_at < ? AND {LIVE}"
    params: list[object] = [guild_id, stamp(start), stamp(end)]
    for first, last in (r for i in imported for r in i.ranges):
        where += " AND e.id NOT BETWEEN ? AND ?"
        params += [first, last]
    return where, params


@dataclass(frozen=True)
class Notable:
    event: Event
    why: str


@dataclass
class Digest:
    """Everything one digest says; ``to_json`` is the CLI's ``--json`` shape."""

    guild_id: int
    window: DayWindow
    partial: bool  # the day is not over yet (a preview of today)
    total_events: int = 0
    fatalities: int = 0
    unknown_fatalities: int = 0  # events whose fatalities are not known (not counted as 0)
    first_event_date: str | None = None
    last_event_date: str | None = None
    happened_earlier: int = 0  # events logged this day whose event date is before it
    by_type: dict[str, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)
    groups_total: int = 0
    top_groups: list[dict[str, Any]] = field(default_factory=list)
    new_townships: list[dict[str, Any]] = field(default_factory=list)
    notable: list[Notable] = field(default_factory=list)
    notable_more: int = 0
    corrections: dict[str, int] = field(default_factory=dict)  # action -> count
    corrected_events: list[int] = field(default_factory=list)
    trend: list[Trend] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)

    @property
    def day(self) -> date:
        return self.window.day

    @property
    def empty(self) -> bool:
        return self.total_events == 0 and not self.corrections and not self.imports

    def to_json(self) -> dict[str, object]:
        w = self.window
        return {
            "guild_id": self.guild_id, "day": w.day.isoformat(), "time_zone": w.tz,
            "logged_from": stamp(w.start), "logged_until": stamp(w.end), "partial": self.partial,
            "total_events": self.total_events, "fatalities": self.fatalities,
            "unknown_fatalities": self.unknown_fatalities,
            "event_dates": {"first": self.first_event_date, "last": self.last_event_date},
            "happened_earlier": self.happened_earlier, "by_type": self.by_type,
            "by_region": self.by_region, "groups_total": self.groups_total,
            "top_groups": self.top_groups, "new_townships": self.new_townships,
            "notable": [{"why": n.why, **n.event.to_json()} for n in self.notable],
            "notable_more": self.notable_more,
            "corrections": {"total": sum(self.corrections.values()), "by_action": self.corrections,
                            "events": self.corrected_events},
            "trend": [asdict(t) | {"weekly_average": t.weekly_average} for t in self.trend],
            "imported": [{"file": i.file, "events": i.events} for i in self.imports],
        }


def build_digest(db: Database, guild_id: int, day: date, tz: str,
                 now: datetime | None = None) -> Digest:
    """The digest of ``day`` in zone ``tz``; ``now`` only decides whether it is still partial."""
    w = day_window(day, tz)
    d = Digest(guild_id, w, partial=now is not None and now < w.end)
    d.imports = imports_between(db, guild_id, w.start, w.end)
    where, params = logged_between(guild_id, w.start, w.end, d.imports)
    (d.total_events, fatalities, unknown, d.first_event_date, d.last_event_date,
     earlier) = db.execute(
        "SELECT COUNT(*), SUM(e.fatalities), SUM(e.fatalities IS NULL), MIN(e.event_date),"
        f" MAX(e.event_date), SUM(e.event_date < ?) FROM events e WHERE {where}",
        [day.isoformat(), *params]).fetchone()
    d.fatalities, d.unknown_fatalities, d.happened_earlier = (fatalities or 0, unknown or 0,
                                                               earlier or 0)
    d.by_type = dict(db.execute(
        f"SELECT e.event_type, COUNT(*) AS n FROM events e WHERE {where}"
        " GROUP BY e.event_type ORDER BY n DESC, e.event_type", params).fetchall())
    d.by_region = dict(db.execute(
        "SELECT t.state_region, COUNT(*) AS n FROM events e JOIN townships t"
        f" ON t.pcode = e.township_pcode WHERE {where}"
        " GROUP BY t.state_region ORDER BY n DESC, t.state_region", params).fetchall())
    groups = db.execute(
        "SELECT a.name, COUNT(DISTINCT e.id) AS n FROM events e"
        " JOIN event_actors ea ON ea.event_id = e.id JOIN actors a ON a.id = ea.actor_id"
        f" WHERE {where} GROUP BY a.id ORDER BY n DESC, a.name", params).fetchall()
    d.groups_total = len(groups)
    d.top_groups = [{"actor": name, "events": n} for name, n in groups[:TOP_GROUPS]]
    d.new_townships = _new_townships(db, where, params, day, w)
    d.notable, d.notable_more = _notable(db, guild_id, where, params)
    d.corrections, d.corrected_events = _corrections(db, guild_id, w)
    d.trend = trend(db, guild_id, day, w.end)
    return d


def _new_townships(db: Database, where: str, params: list[object], day: date,
                   w: DayWindow) -> list[dict[str, Any]]:
    """Townships with recent events logged this day and none known before the day began.

    "Recent" and "before" both mean event dates within the last 30 days, so a backfilled
    event from last year does not make its township look newly active. The day's townships
    are grouped first, so the look-back runs once per township, not once per event.
    """
    since = (day - timedelta(days=NEW_TOWNSHIP_DAYS)).isoformat()
    return [dict(r) for r in db.query(
        "SELECT t.name AS township, t.state_region, t.pcode, c.events FROM"
        " (SELECT e.guild_id, e.township_pcode, COUNT(*) AS events FROM events e"
        # ``+`` keeps SQLite on the logged_at index (the day's few hundred events) rather
        # than the event_date one (a month of everyone's events)
        f"  WHERE {where} AND +e.event_date BETWEEN ? AND ? GROUP BY e.township_pcode) c"
        " JOIN townships t ON t.pcode = c.township_pcode WHERE NOT EXISTS (SELECT 1 FROM"
        "  events p WHERE p.guild_id = c.guild_id AND p.township_pcode = c.township_pcode"
        "  AND p.event_date BETWEEN ? AND ? AND p.logged_at < ?"
        "  AND p.deleted_at IS NULL AND p.merged_into IS NULL)"
        " ORDER BY c.events DESC, t.name",
        [*params, since, day.isoformat(), since, day.isoformat(), stamp(w.start)])]


def _notable(db: Database, guild_id: int, where: str,
             params: list[object]) -> tuple[list[Notable], int]:
    """The deadliest events, then territory changes, and how many more qualified."""
    select = (f"SELECT {EVENT_COLUMNS} FROM events e JOIN townships t"
              f" ON t.pcode = e.township_pcode WHERE {where}")
    marks = ",".join("?" * len(TERRITORY))
    deadly = list(db.query(f"{select} AND e.fatalities > 0 ORDER BY e.fatalities DESC, e.id"
                           " LIMIT ?", [*params, DEADLIEST]))
    shown = {r["id"] for r in deadly}
    territory = [r for r in db.query(
        f"{select} AND e.sub_event_type IN ({marks}) ORDER BY COALESCE(e.fatalities, 0) DESC,"
        " e.id LIMIT ?", [*params, *TERRITORY, DEADLIEST + TERRITORY_SHOWN])
        if r["id"] not in shown][:TERRITORY_SHOWN]
    qualifying = db.execute(
        f"SELECT COUNT(*) FROM events e WHERE {where} AND (e.fatalities > 0"
        f" OR e.sub_event_type IN ({marks}))", [*params, *TERRITORY]).fetchone()[0]
    notable = []
    for event in events_from_rows(db, guild_id, deadly + territory):
        reasons = [f"{event.fatalities} killed"] if event.fatalities else []
        if event.sub_event_type in TERRITORY:
            reasons.append("territory changed hands")
        notable.append(Notable(event, ", ".join(reasons)))
    return notable, qualifying - len(notable)


def _corrections(db: Database, guild_id: int, w: DayWindow) -> tuple[dict[str, int], list[int]]:
    """Audited changes made during the day, other than logging and settings."""
    marks = ",".join("?" * len(NOT_CORRECTIONS))
    where = f"guild_id = ? AND at >= ? AND at < ? AND action NOT IN ({marks})"
    params = [guild_id, stamp(w.start), stamp(w.end), *NOT_CORRECTIONS]
    by_action = dict(db.execute(f"SELECT action, COUNT(*) AS n FROM audit_log WHERE {where}"
                                " GROUP BY action ORDER BY n DESC, action", params).fetchall())
    ids = [r[0] for r in db.execute(f"SELECT DISTINCT event_id FROM audit_log WHERE {where}"
                                    " AND event_id IS NOT NULL ORDER BY event_id", params)]
    return by_action, ids


LATE_LIMIT = 5000  # events logged after a trend's cut-off beyond which it counts from events


def trend(db: Database, guild_id: int, day: date, known_by: datetime) -> list[Trend]:
    """Per state/region: events dated in the 7 days ending ``day`` against the average week
    of the 4 weeks before, counting what was logged by ``known_by``.

    Month-precision events are left out: their date (the 1st) says nothing about the week.
    Flagged regions come first, then the busiest.
    """
    last = (day - timedelta(days=6)).isoformat(), day.isoformat()
    before = ((day - timedelta(days=6 + 7 * TREND_WEEKS)).isoformat(),
              (day - timedelta(days=7)).isoformat())
    trends = []
    for region, (recent, earlier) in sorted(
            _trend_counts(db, guild_id, before[0], last[0], before[1], last[1],
                          stamp(known_by)).items()):
        if not recent and not earlier:
            continue
        change, flag = trend_flag(recent, earlier)
        trends.append(Trend(region, recent, earlier,
                            None if change is None else round(float(change) * 100, 1), flag))
    order = {"large": 0, "new": 1, "moderate": 2}
    return sorted(trends, key=lambda t: (order.get(t.flag or "", 3), -t.last_7, t.state_region))


def _trend_counts(db: Database, guild_id: int, start: str, recent: str, earlier_end: str,
                  end: str, known_by: str) -> dict[str, list[int]]:
    """region -> [events dated recent..end, events dated start..earlier_end], live, not of
    month precision, logged before ``known_by``.

    From the day counts (``bot.aggregates``), which hold every live event, minus the two kinds
    the trend leaves out, each found through an index: month-precision events (dated on the
    1st of a month in the window) and events logged after ``known_by`` (for a recent day, the
    few logged since). For an old day, when more than ``LATE_LIMIT`` events were logged after
    it, the window is counted from the events themselves instead.
    """
    regions = "JOIN townships t ON t.pcode = e.township_pcode"
    split = "SUM(e.event_date >= ?), SUM(e.event_date <= ?)"
    (late,) = db.execute("SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE +guild_id = ?"
                         " AND logged_at >= ? LIMIT ?)", [guild_id, known_by, LATE_LIMIT]
                         ).fetchone()
    if late >= LATE_LIMIT:
        rows = db.execute(
            f"SELECT t.state_region, {split} FROM events e {regions} WHERE e.guild_id = ?"
            f" AND e.event_date BETWEEN ? AND ? AND {LIVE} AND e.date_precision < 3"
            " AND e.logged_at < ? GROUP BY t.state_region",
            [recent, earlier_end, guild_id, start, end, known_by]).fetchall()
        return {region: [a, b] for region, a, b in rows}
    counts: dict[str, list[int]] = {}
    for region, a, b in db.execute(
        "SELECT state_region, SUM(CASE WHEN day >= ? THEN n ELSE 0 END),"
        " SUM(CASE WHEN day <= ? THEN n ELSE 0 END) FROM agg_kind_day WHERE guild_id = ?"
        " AND day BETWEEN ? AND ? GROUP BY state_region",
        [recent, earlier_end, guild_id, start, end],
    ):
        counts[region] = [a, b]
    firsts = [d for d in (date.fromisoformat(start) + timedelta(days=n) for n in range(
        (date.fromisoformat(end) - date.fromisoformat(start)).days + 1)) if d.day == 1]
    # (the ``+`` on each side's other column keeps the planner on the index that finds it)
    left_out = [(f"e.guild_id = ? AND e.event_date IN ({','.join('?' * len(firsts))})"
                 " AND e.date_precision = 3", [guild_id, *(d.isoformat() for d in firsts)])
                ] if firsts else []
    left_out.append(("+e.guild_id = ? AND e.logged_at >= ? AND +e.event_date BETWEEN ? AND ?"
                     " AND e.date_precision < 3", [guild_id, known_by, start, end]))
    for condition, params in left_out:
        for region, a, b in db.execute(
            f"SELECT t.state_region, {split} FROM events e {regions} WHERE {condition}"
            f" AND {LIVE} GROUP BY t.state_region", [recent, earlier_end, *params],
        ):
            counted = counts.setdefault(region, [0, 0])
            counted[0] -= a
            counted[1] -= b
    return counts


def digest_chart(db: Database, guild_id: int, day: date, tz: str) -> bytes:
    """Events logged per local day over the 14 days ending ``day``, stacked by type (PNG).

    By day *logged*, like the rest of the digest, so the last bar is the digest's own total.
    """
    from bot.render import counts_chart  # matplotlib is slow to import: only when drawing

    first = day - timedelta(days=CHART_DAYS - 1)
    zone = ZoneInfo(tz)
    start, end = day_window(first, tz).start, day_window(day, tz).end
    where, params = logged_between(guild_id, start, end,
                                   imports_between(db, guild_id, start, end))
    counts: dict[date, dict[str, int]] = {}
    for logged_at, event_type in db.execute(
            f"SELECT e.logged_at, e.event_type FROM events e WHERE {where}", params):
        local = datetime.fromisoformat(logged_at).astimezone(zone).date()
        by_type = counts.setdefault(local, {})
        by_type[event_type] = by_type.get(event_type, 0) + 1
    title = (f"Events logged per day ({tz} time), {first.day} {first:%b} to "
             f"{day.day} {day:%b %Y}")
    return draw(counts_chart, counts, start=first, end=day, bucket="day", title=title)
