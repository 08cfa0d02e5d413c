"""The daily digest as text, written once for both surfaces.

``digest_blocks`` turns a ``Digest`` into sections of lines. The CLI passes ``plain_style``; the
Discord cog passes a ``Style`` that escapes user text, links sources and writes instants as
``<t:UNIX:f>`` so every reader sees their own time zone. ``pack_blocks`` splits the sections to
a length limit (an embed description, a message) without dropping a character: nothing is ever
cut silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.digest import (
    CORRECTED_IDS_SHOWN,
    NEW_TOWNSHIP_DAYS,
    TOP_GROUPS,
    TREND_WEEKS,
    Digest,
    Notable,
)


@dataclass(frozen=True)
class Style:
    """How one surface writes user text, instants, links and headings."""

    text: Callable[[str], str]  # user-typed text made safe to show
    when: Callable[[datetime], str]  # an instant, in the reader's or the team's zone
    link: Callable[[str], str]  # a source URL
    heading: Callable[[str], str]


def plain_style(tz: str) -> Style:
    """For a terminal: instants in the team's zone, URLs as they are."""
    zone = ZoneInfo(tz)
    return Style(text=str, when=lambda m: f"{m.astimezone(zone):%d %b %Y %H:%M}",
                 link=str, heading=lambda h: f"{h}:")


def _day(iso: str) -> str:
    return f"{date.fromisoformat(iso):%d %b %Y}".lstrip("0")


def _count(n: int, word: str) -> str:
    """ "1 event", "2 events", "2 actor aliases"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}{'es' if word.endswith('s') else 's'}"


def title(d: Digest) -> str:
    return f"Daily digest · {d.day:%a} {d.day.day} {d.day:%b %Y}"


def digest_blocks(d: Digest, s: Style) -> list[list[str]]:
    """The digest as sections of lines, the first being the headline; nothing is cut."""
    w = d.window
    head = [f"What the team logged during this day in {w.tz} (00:00 to 24:00 there): from "
            f"{s.when(w.start)} to {s.when(w.end)}."
            + (" The day is not over yet: this is the digest so far." if d.partial else "")]
    if d.empty:
        return [[*head, f"Nothing was logged on {_day(w.day.isoformat())} and no corrections "
                        "were made."], *_trend_block(d, s)]
    unknown = f" ({_count(d.unknown_fatalities, 'event')} with unknown fatalities)" \
        if d.unknown_fatalities else ""
    head.append(f"{_count(d.total_events, 'event')} logged, {d.fatalities} reported "
                f"fatalities{unknown}.")
    if d.imports:
        files = "; ".join(f"{i.events:,} event{'' if i.events == 1 else 's'} from "
                          f"{s.text(i.file)}" for i in d.imports)
        head.append(f"Also imported from ACLED files (not counted in this digest): {files}.")
    if d.first_event_date and d.happened_earlier:
        last = d.last_event_date or d.first_event_date
        dates = _day(last) if d.first_event_date == last else \
            f"{_day(d.first_event_date)} to {_day(last)}"
        head.append(f"Its event date is {dates}, before this day: it was logged late or "
                    "backfilled." if d.total_events == 1 else
                    f"Event dates: {dates}; {d.happened_earlier} of the {d.total_events} "
                    "happened before this day (logged late or backfilled).")
    blocks = [head]

    def block(name: str, lines: Sequence[str]) -> None:
        if lines:
            blocks.append([s.heading(name), *lines])

    block("By event type", [f"{n} · {k}" for k, n in d.by_type.items()])
    block("By state/region", [f"{n} · {s.text(k)}" for k, n in d.by_region.items()])
    more = f" (top {len(d.top_groups)} of {d.groups_total})" if d.groups_total > TOP_GROUPS else ""
    block(f"Most active groups, both sides{more}",
          [f"{g['events']} · {s.text(g['actor'])}" for g in d.top_groups])
    block(f"Active for the first time in {NEW_TOWNSHIP_DAYS} days",
          [f"{s.text(t['township'])}, {s.text(t['state_region'])} · "
           f"{_count(t['events'], 'event')}" for t in d.new_townships])
    notable = [_event_line(n, s) for n in d.notable]
    if d.notable_more:
        notable.append(f"… and {d.notable_more} more with fatalities or territory changes.")
    block("Notable events", notable)
    if d.corrections:
        what = ", ".join(_count(n, action.replace("-", " ")) for action, n in
                         d.corrections.items())
        ids = ", ".join(f"#{i}" for i in d.corrected_events[:CORRECTED_IDS_SHOWN])
        rest = len(d.corrected_events) - CORRECTED_IDS_SHOWN
        ids += f" and {rest} more" if rest > 0 else ""
        block("Corrections", [what + (f" (events {ids})" if ids else "") + "."])
    return blocks + _trend_block(d, s)


def _event_line(n: Notable, s: Style) -> str:
    e = n.event
    place = f"{e.location}, {e.township}" if e.location else e.township
    sides = ", ".join(e.actors) + (f" vs {', '.join(e.opponents)}" if e.opponents else "")
    kind = e.sub_event_type or e.event_type
    sources = " ".join(s.link(u) for u in e.sources) or "no source"
    logged = f" · logged {s.when(datetime.fromisoformat(e.logged_at))}" if e.logged_at else ""
    return (f"#{e.id} · {_day(e.date)} · {s.text(place)}, {s.text(e.state_region)} · {kind} · "
            f"{s.text(sides)} · {n.why} · {sources}{logged}")


def _trend_block(d: Digest, s: Style) -> list[list[str]]:
    if not d.trend:
        return []
    lines = []
    for t in d.trend:
        change = "no events in the 4 weeks before" if t.change_pct is None \
            else f"{t.change_pct:+.0f}%"
        flag = {"large": " · LARGE increase", "moderate": " · moderate increase",
                "new": " · new activity"}.get(t.flag or "", "")
        lines.append(f"{s.text(t.state_region)}: {t.last_7} vs {t.weekly_average:g} a week "
                     f"({change}){flag}")
    first = d.day - timedelta(days=6)
    return [[s.heading(f"Trend by event date, {first.day} {first:%b} to {d.day.day} "
                       f"{d.day:%b} against the "
                       f"average week of the {TREND_WEEKS} before"), *lines]]


def pack_blocks(blocks: Sequence[Sequence[str]], limit: int) -> list[str]:
    """Join sections into chunks of at most ``limit`` characters, losing nothing.

    Sections are separated by a blank line. A section stays whole when it fits in a chunk;
    otherwise it breaks between lines, and a single line longer than ``limit`` breaks inside
    (the reader sees it continue at the top of the next chunk).
    """
    if limit < 2:
        raise ValueError("limit too small")
    chunks: list[str] = []
    current = ""

    def add(piece: str, gap: str) -> None:
        nonlocal current
        if current and len(current) + len(gap) + len(piece) <= limit:
            current += gap + piece
            return
        if current:
            chunks.append(current)
        while len(piece) > limit:
            chunks.append(piece[:limit])
            piece = piece[limit:]
        current = piece

    for block in blocks:
        text = "\n".join(block)
        if len(text) <= limit:
            add(text, "\n\n")
            continue
        for i, line in enumerate(block):
            add(line, "\n\n" if i == 0 else "\n")
    if current:
        chunks.append(current)
    return chunks
