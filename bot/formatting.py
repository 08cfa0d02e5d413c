"""Plain-text renderings of core results, for the terminal (and the playground's echo).

Discord embeds are built in the cogs from the same dicts; this module is for people reading a
terminal, so it aligns columns and keeps one thing per line.
"""

from __future__ import annotations

from bot.dates import DateRange
from bot.events import Event
from bot.queries import Page


def span_label(since: str | None, until: str | None) -> str:
    if since and until:
        return f"{since} to {until}"
    if since:
        return f"since {since}"
    if until:
        return f"until {until}"
    return "all dates"


def range_label(span: DateRange) -> str:
    return span_label(span.since and span.since.isoformat(), span.until and span.until.isoformat())


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def totals_line(result: dict) -> str:
    """ "12 events, 30 reported fatalities (in 4 of them)": unknown counts are not zeros."""
    events = plural(result["total_events"], "event")
    counted = result["events_with_fatalities"]
    if not counted:
        return f"{events}, no fatality count reported"
    deaths = plural(result["fatalities"], "reported fatality").replace("fatalitys", "fatalities")
    scope = "" if counted == result["total_events"] else f" (in {counted} of them)"
    return f"{events}, {deaths}{scope}"


def day_span(first: str, last: str) -> str:
    return f"on {first}" if first == last else f"{first} to {last}"


def event_text(e: Event) -> str:
    kind = f"{e.event_type} / {e.sub_event_type}" if e.sub_event_type else e.event_type
    place = f"{e.location}, " if e.location else ""
    date = e.date if e.date_precision == "day" else f"{e.date} ({e.date_precision})"
    lines = [
        f"#{e.id}  {date}  {place}{e.township} Township, {e.state_region}"
        + ("  [DELETED]" if e.deleted else "")
        + (f"  [merged into #{e.merged_into}]" if e.merged_into else ""),
        f"  type:       {kind}",
        f"  actors:     {', '.join(e.actors)}",
    ]
    if e.opponents:
        lines.append(f"  opponents:  {', '.join(e.opponents)}")
    lines.append(f"  fatalities: {'unknown' if e.fatalities is None else e.fatalities}")
    lines += [f"  source:     {url}" for url in e.sources]
    if e.notes:
        lines.append(f"  notes:      {e.notes}")
    return "\n".join(lines)


def events_text(page: Page[Event], empty: str) -> str:
    if not page.items:
        return empty
    return "\n".join(event_text(e) for e in page.items) + f"\n({page.label})"


def active_text(result: dict) -> str:
    head = (f"Groups active in {result['township']} Township, {result['state_region']}"
            f" ({span_label(result['since'], result['until'])}):")
    if not result["groups"]:
        return f"{head}\n  no events recorded."
    rows = [f"  {g['events']:>5}  {g['actor']}  ({day_span(g['first'], g['last'])})"
            for g in result["groups"]]
    return "\n".join([head, "  events  group", *rows])


def actor_text(result: dict) -> str:
    head = (f"{result['actor']}: {result['total_events']} events"
            f" ({span_label(result['since'], result['until'])})")
    rows = [f"  {t['events']:>5}  {t['township']} ({t['state_region']})"
            f"  {day_span(t['first'], t['last'])}" for t in result["townships"]]
    return "\n".join([head, *rows]) if rows else f"{head}\n  no events recorded."


def summary_text(result: dict) -> str:
    where = f" in {', '.join(result['regions'])}" if result.get("regions") else ""
    lines = [f"Summary{where}, {span_label(result['since'], result['until'])}:",
             f"  {totals_line(result)}"]
    for title, key in (("By event type", "by_type"), ("By state/region", "by_region")):
        if result[key]:
            lines.append(f"{title}:")
            lines += [f"  {n:>5}  {name}" for name, n in result[key].items()]
    if result["top_actors"]:
        lines.append("Most active groups:")
        lines += [f"  {a['events']:>5}  {a['actor']}" for a in result["top_actors"]]
    return "\n".join(lines)
