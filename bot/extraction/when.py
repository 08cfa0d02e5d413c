"""Finding the date expressions of a sentence and what each one dates.

Every expression is resolved by the core date module against the publication date, so a weekday
is the most recent such day on or before it, exactly as analysts type them. What matters as much
is the role of the date: "told The Irrawaddy on Monday" dates the report, not the event;
"since October 27" and "from Feb. 1 to May 31" are periods; "on Monday and Tuesday" names two
days; "the 1 February seizure" names a past event. Only an event date can date a proposal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.dates import EventDate, parse_date
from bot.errors import InvalidInput

Role = Literal["event", "report", "period", "several"]

_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# A month name alone is a date only after a preposition: "in June", not "troops may attack".
_MONTH_AFTER = "(?:" + "|".join(rf"(?<=\b{w}\s)" for w in ("in", "from", "since", "between",
                                                              "to", "until", "and")) + ")"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+\d{4})"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))"
_CORE = (
    rf"{_WEEKDAY}(?!['’]s){_PART}?"
    rf"|{_MONTH}\s+{_DAY}\b{_YEAR}?"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}(?![a-z]){_YEAR}?"
    rf"|{_MONTH_AFTER}{_MONTH}"
    r"(?:\s+\d{4}|\s+last\s+year)?\b"
    rf"|{_MONTH}\s+\d{{4}}\b"
    r"|today|yesterday|last\s+night|tonight|this\s+(?:morning|afternoon|evening)"
    r"|(?:last|this)\s+(?:week|month)"
)
_EXPRESSION = re.compile(
    rf"(?:(?:the\s+)?(?:early\s+)?(?:morning|afternoon|evening|night)\s+of\s+)?(?P<core>{_CORE})"
    r"(?!['’]s)",
    re.IGNORECASE,
)
_REPORT_BEFORE = re.compile(
    r"\b(?:said|says|told|tells|stated|announced|reported|claimed|confirmed|added|released|"
    r"issued|statement|announcement|warning|report)\b(?:\s+[\w'’.]+){0,4}?\s+(?:on\s+)?$",
    re.IGNORECASE,
)
_REPORT_AFTER = re.compile(r"^,?\s+(?:said|reported|stated|announced|told|claimed)\b",
                           re.IGNORECASE)
_SINCE = re.compile(r"\bsince\b(?:\s+[\w'’]+){0,4}?\s+(?:on\s+)?$", re.IGNORECASE)
_RANGE_START = re.compile(r"\b(?:from|between)\s+$", re.IGNORECASE)
_JOINED = re.compile(r"^\s*(?:and|to|until|till|through|-|–|—)\s+(?:on\s+)?$", re.IGNORECASE)
_ATTRIBUTIVE = re.compile(r"\b(?:the|its|their|a)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A resolved date expression, where it is, and what it dates."""

    when: EventDate
    role: Role
    start: int
    end: int


def _resolve(core: str, published: date) -> EventDate | None:
    text = re.sub(r"\s+last\s+year$", "", core, flags=re.IGNORECASE)
    try:
        found = parse_date(text, published)
        if text != core:  # "in November last year"
            found = parse_date(f"{text} {found.date.year - 1}", published)
    except InvalidInput:
        return None
    return found


def find_dates(text: str, published: date) -> list[DateMention]:
    """The date expressions of ``text`` that resolve on or before ``published``, in order."""
    found: list[tuple[EventDate, int, int]] = []
    for match in _EXPRESSION.finditer(text):
        when = _resolve(match.group("core"), published)
        if when is not None:
            found.append((when, match.start(), match.end()))
    mentions: list[DateMention] = []
    for index, (when, start, end) in enumerate(found):
        before, after = text[:start], text[end:]
        joined_before = index > 0 and _JOINED.match(text[found[index - 1][2]:start])
        joined_after = index + 1 < len(found) and _JOINED.match(text[end:found[index + 1][1]])
        role: Role = "event"
        if _SINCE.search(before) or _RANGE_START.search(before):
            role = "period"
        elif joined_before or joined_after:
            role = "several"
        elif _REPORT_BEFORE.search(before) or _REPORT_AFTER.match(after):
            role = "report"
        elif _ATTRIBUTIVE.search(before) and re.match(r"\s+[a-z]", after):
            continue  # "the 1 February seizure of power": the name of a past event
        mentions.append(DateMention(when, role, start, end))
    return mentions
