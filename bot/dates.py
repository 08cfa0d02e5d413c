"""Reading the dates analysts type, relative to a reference date.

Reports are written after the fact ("on Wednesday night", "Dec 30"), so every expression resolves
to the most recent matching date on or before the reference date, never the next one. dateutil's
own parser does the opposite for weekdays and, in fuzzy mode, reads "banana 5" as the 5th of the
month; so only its calendar arithmetic (relativedelta) and its month and weekday names are used,
behind a small explicit grammar. Whatever the grammar does not understand is refused with an
``InvalidInput`` that says why and what to type instead.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from dateutil.parser import parserinfo
from dateutil.relativedelta import MO, relativedelta, weekday

from bot.errors import InvalidInput

Precision = Literal["day", "week", "month"]
ACLED_PRECISION: dict[str, int] = {"day": 1, "week": 2, "month": 3}

MIN_YEAR = 1900
EXAMPLES = "2023-11-08, 8 Nov 2023, yesterday, Tuesday, 3 days ago, Nov 2023 or week of 6 Nov 2023"
RANGE_EXAMPLES = "2023-10-27..2023-11-10, last 7 days, this month, since Oct 27 or Nov 2023"


class _Names(parserinfo):
    """dateutil's English names plus the weekday abbreviations people actually type."""

    WEEKDAYS = [  # noqa: RUF012 - overrides dateutil's class attribute of the same shape
        ("Mon", "Monday"),
        ("Tue", "Tues", "Tuesday"),
        ("Wed", "Wednesday"),
        ("Thu", "Thur", "Thurs", "Thursday"),
        ("Fri", "Friday"),
        ("Sat", "Saturday"),
        ("Sun", "Sunday"),
    ]


_NAMES = _Names()
MONTH_NAMES = [names[-1] for names in _Names.MONTHS]


def _alternation(groups: list[tuple[str, ...]]) -> str:
    names = sorted((n.lower() for group in groups for n in group), key=len, reverse=True)
    return "|".join(names)


_MON = rf"(?P<mon>{_alternation(_Names.MONTHS)})\.?"
_WD = rf"(?P<wd>{_alternation(_Names.WEEKDAYS)})\.?"
_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_N = rf"(?P<n>[0-9]{{1,6}}|an?|{'|'.join(_WORDS)})"
_NUMBERS = {"a": 1, "an": 1} | {word: n for n, word in enumerate(_WORDS, start=1)}
_YEAR = r"(?: (?P<y>[0-9]+))?"

_RE_AGO = re.compile(rf"(?P<sign>in )?{_N} (?P<unit>day|week)s?(?(sign)| ago)")
_RE_WEEKDAY = re.compile(rf"(?:(?P<which>last|next) )?{_WD}")
_RE_DATED_WEEKDAY = re.compile(rf"{_WD} (?P<rest>.+)")
_RE_ISO_DAY = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})")
_RE_ISO_MONTH = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})")
_RE_SLASHED = re.compile(r"[0-9]{1,4}[/.][0-9]{1,2}(?:[/.][0-9]{1,4})?")
_RE_DAY_MONTH = re.compile(rf"(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MON}{_YEAR}")
_RE_MONTH_DAY = re.compile(rf"{_MON} (?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?{_YEAR}")
_RE_MONTH = re.compile(rf"(?:in )?(?:(?:early|mid|late) )?{_MON}{_YEAR}")
_HEAD = re.compile(r"^(?:(?:on|the) )+")
_TAIL = re.compile(r" (?:at |in the )?(?:night|morning|afternoon|evening|overnight|dawn|dusk)$")
_DAYPARTS = {"last night": "yesterday", "tonight": "today"}
_DAYPARTS.update({f"this {part}": "today" for part in ("morning", "afternoon", "evening")})
_RANGE_SEP = re.compile(r" ?(?:\.\.|–|—) ?| (?:to|until|till|through|and|-) ")
_RE_ROLLING = re.compile(rf"(?:(?:last|past) {_N}|past) (?P<unit>day|week|month)s?")


@dataclass(frozen=True)
class EventDate:
    """A date with the precision ACLED records, so "some time in November" is not a false day."""

    date: date
    precision: Precision

    def label(self) -> str:
        if self.precision == "week":
            return f"week of {self.date.isoformat()}"
        if self.precision == "month":
            return f"{MONTH_NAMES[self.date.month - 1]} {self.date.year}"
        return self.date.isoformat()


@dataclass(frozen=True)
class DateRange:
    """Inclusive at both ends, because analysts say "27 Oct to 10 Nov" meaning both days."""

    since: date | None
    until: date | None


def _quote(text: str) -> str:
    """Control characters and lone surrogates must not reach Discord or a terminal."""
    shown = "".join(c if c.isprintable() else "?" for c in text.strip())
    return f"'{shown[:40]}…'" if len(shown) > 40 else f"'{shown}'"


def _unreadable(text: str, what: str = "a date", examples: str = EXAMPLES) -> InvalidInput:
    shown = _quote(text) if text.strip() else "an empty text"
    return InvalidInput(f"Could not read {shown} as {what}. Try for example {examples}.")


def _normalise(text: object) -> str:
    """One spelling for "8-Nov-2023", "８ nov, 2023" and "8  Nov 2023"."""
    if not isinstance(text, str) or len(text) > 200:
        raise InvalidInput("That is not a date: type a short date such as 2023-11-08.")
    text = unicodedata.normalize("NFKC", text).lower().replace(",", " ")
    return re.sub(r"(?<=[a-z])-|-(?=[a-z])", " ", " ".join(text.split()))


def _ref(ref: date | None) -> date:
    """A datetime would refuse to compare with the dates computed here, so drop its time."""
    ref = date.today() if ref is None else ref
    return ref.date() if isinstance(ref, datetime) else ref


def _move(start: date, **delta: int | weekday) -> date:
    """All arithmetic goes through here so running off the calendar is a refusal, not a crash."""
    try:
        return start + relativedelta(**delta)
    except (OverflowError, ValueError):
        raise InvalidInput(f"That is too far from {start} to be a plausible date.") from None


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _make_day(year: int, month: int, day: int, text: str) -> date:
    """Build a date, explaining impossible ones the way a colleague would."""
    if not (year and month and day):
        raise InvalidInput(f"{_quote(text)} is not a real date: years, months and days start at 1.")
    if month > 12:
        raise InvalidInput(f"There is no month {month}: write year-month-day, like 2023-11-08.")
    if year < MIN_YEAR:
        raise InvalidInput(f"{year} is before {MIN_YEAR}: not a plausible year, check it.")
    last = calendar.monthrange(year, month)[1]
    if day > last:
        name = MONTH_NAMES[month - 1]
        raise InvalidInput(f"There is no {day} {name} {year}: {name} {year} has only {last} days.")
    return date(year, month, day)


def _year_of(match: re.Match[str]) -> int | None:
    """Four digits or nothing: "8 Nov 23" could be the 23rd, so two-digit years are refused."""
    if match["y"] is None:
        return None
    if len(match["y"]) != 4:
        raise InvalidInput("Write the year with four digits, like 8 Nov 2023.")
    return int(match["y"])


def _read_relative(text: str, ref: date) -> EventDate | None:
    offsets = {"today": 0, "yesterday": -1, "day before yesterday": -2, "tomorrow": 1}
    if text in offsets:
        return EventDate(_move(ref, days=offsets[text]), "day")
    if m := _RE_AGO.fullmatch(text):
        days = _number(m["n"]) * (7 if m["unit"] == "week" else 1)
        return EventDate(_move(ref, days=days if m["sign"] else -days), "day")
    return None


def _read_weekday(text: str, ref: date) -> EventDate | None:
    """Plain "Tuesday" may be the reference day itself; "last Tuesday" is strictly before it."""
    if not (m := _RE_WEEKDAY.fullmatch(text)):
        return None
    wd, which = weekday(_NAMES.weekday(m["wd"])), m["which"]
    if which == "next":
        return EventDate(_move(ref, days=1, weekday=wd(+1)), "day")
    return EventDate(_move(ref, days=-1 if which == "last" else 0, weekday=wd(-1)), "day")


def _read_dated_weekday(text: str, ref: date) -> EventDate | None:
    """Reports write "Wed 8 Nov 2023"; a weekday that disagrees with the date is a typo."""
    if not (m := _RE_DATED_WEEKDAY.fullmatch(text)) or not (found := _read_day(m["rest"], ref)):
        return None
    said, real = (_Names.WEEKDAYS[n][-1] for n in (_NAMES.weekday(m["wd"]), found.date.weekday()))
    if said != real:
        raise InvalidInput(f"{found.date} was a {real}, not a {said}: check the date.")
    return found


def _read_week(text: str, ref: date) -> EventDate | None:
    shifts = {"this week": 0, "last week": -7, "next week": 7}
    if text in shifts:
        return EventDate(_move(ref, days=shifts[text], weekday=MO(-1)), "week")
    if not text.startswith("week of "):
        return None
    inner = _read(text.removeprefix("week of "), ref)
    if inner is None or inner.precision != "day":
        raise InvalidInput("'week of' needs a day after it, like week of 6 Nov 2023.")
    return EventDate(_move(inner.date, weekday=MO(-1)), "week")


def _read_day(text: str, ref: date) -> EventDate | None:
    if m := _RE_ISO_DAY.fullmatch(text):
        return EventDate(_make_day(int(m["y"]), int(m["m"]), int(m["d"]), text), "day")
    if _RE_SLASHED.fullmatch(text):
        raise InvalidInput(
            f"{_quote(text)} is ambiguous: 08/11 is 8 November to some and 11 August to others."
            " Write it year-month-day (2023-11-08) or with a month name (8 Nov 2023)."
        )
    if not (m := _RE_DAY_MONTH.fullmatch(text) or _RE_MONTH_DAY.fullmatch(text)):
        return None
    month, day, year = _NAMES.month(m["mon"]), int(m["d"]), _year_of(m)
    if year is None:  # the latest such day on or before the reference: "Dec 30" read on 2 Jan
        year = ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1
    return EventDate(_make_day(year, month, day, text), "day")


def _read_month(text: str, ref: date) -> EventDate | None:
    shifts = {"this month": 0, "last month": -1, "next month": 1}
    if text in shifts:
        return EventDate(_move(ref, months=shifts[text], day=1), "month")
    if m := _RE_ISO_MONTH.fullmatch(text):
        return EventDate(_make_day(int(m["y"]), int(m["m"]), 1, text), "month")
    if not (m := _RE_MONTH.fullmatch(text)):
        return None
    month, year = _NAMES.month(m["mon"]), _year_of(m)
    if year is None:
        year = ref.year if month <= ref.month else ref.year - 1
    return EventDate(_make_day(year, month, 1, text), "month")


def _read(text: str, ref: date) -> EventDate | None:
    """None: not a date at all. Impossible dates raise, so the user hears why (31 Feb)."""
    text = _HEAD.sub("", text)
    bare = _DAYPARTS.get(text) or _TAIL.sub("", text)
    readers = (_read_relative, _read_weekday, _read_dated_weekday, _read_week, _read_day)
    for reader in (*readers, _read_month):
        if (found := reader(bare, ref)) is not None:  # "November night" is not a day
            return found if bare == text or found.precision == "day" else None
    return None


def _parse_event(text: str, ref: date, what: str = "a date", examples: str = EXAMPLES) -> EventDate:
    """Parse without the future check: range ends and "week of <Sunday>" may lie past the ref."""
    norm = _normalise(text)
    try:
        found = _read(norm, ref)
    except (ValueError, OverflowError, IndexError):  # a safety net; the grammar should prevent it
        found = None
    if found is None:
        raise _unreadable(text, what, examples)
    if found.date.year < MIN_YEAR:
        raise InvalidInput(f"{_quote(text)} is before {MIN_YEAR}: not a plausible event date.")
    return found


def _span(found: EventDate) -> tuple[date, date]:
    if found.precision == "week":
        return found.date, _move(found.date, days=6)
    if found.precision == "month":
        return found.date, _move(found.date, day=31)
    return found.date, found.date


def parse_date(text: str, ref: date | None = None) -> EventDate:
    """The date of an event; events are logged after they happen, so the future is refused."""
    ref = _ref(ref)
    found = _parse_event(text, ref)
    if found.date > ref:
        raise InvalidInput(
            f"{_quote(text)} means {found.label()}, which is in the future relative to the"
            f" reference date {ref}. Events are logged after they happen: check the date."
        )
    return found


def parse_bound(text: str, ref: date | None = None) -> date:
    """A --since value: the first day of whatever span the text names."""
    return parse_date(text, ref).date


def parse_ref(text: str) -> date:
    """Strict, because a mistyped --ref silently shifts every relative date the user types."""
    if isinstance(text, str) and (m := re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)):
        return _make_day(int(m[1]), int(m[2]), int(m[3]), text)
    shown = _quote(text) if isinstance(text, str) else "that"
    raise InvalidInput(f"Write the reference date as YYYY-MM-DD, like 2023-11-10, not {shown}.")


def _checked(since: date | None, until: date | None, ref: date) -> DateRange:
    """Querying the future is harmless, so only a range's start must be on or before the ref."""
    if since is not None and since > ref:
        raise InvalidInput(
            f"The range starts on {since}, in the future relative to the reference date {ref}."
        )
    if since is not None and until is not None and since > until:
        raise InvalidInput(f"The range starts after it ends ({since} is after {until}).")
    return DateRange(since, until)


def _rolling(text: str, ref: date) -> DateRange | None:
    """Rolling windows end on the reference date and include it: last 7 days is ref-6 .. ref."""
    if not (m := _RE_ROLLING.fullmatch(text)):
        return None
    n = _number(m["n"]) if m["n"] else 1
    if n < 1:
        raise InvalidInput("A range of 0 days is empty: ask for at least 1, like last 7 days.")
    if m["unit"] == "month":
        return DateRange(_move(ref, months=-n, days=1), ref)
    return DateRange(_move(ref, days=1 - n * (7 if m["unit"] == "week" else 1)), ref)


def _with_year(left: str, right: str) -> str:
    """In "27 Oct - 10 Nov 2022" the start borrows the end's year, not the reference's."""
    year = re.search(r" ([0-9]{4})$", right)
    if year and re.search(rf"\b{_MON}", left) and not re.search(r"[0-9]{4}", left):
        return f"{left} {year[1]}"
    return left


def _read_range(text: str, ref: date) -> DateRange:
    if found := _rolling(text, ref):
        return found
    starts = {"this week": _move(ref, weekday=MO(-1)), "this month": ref.replace(day=1)}
    if text in starts or text == "this year":  # up to the reference: the rest has not happened
        return DateRange(starts.get(text, ref.replace(month=1, day=1)), ref)
    if text == "last year":
        return DateRange(date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31))
    sides = _RANGE_SEP.split(re.sub(r"^(?:from|between) ", "", text))
    if len(sides) == 2:
        left = _with_year(sides[0], sides[1])
        since, until = _span(_parse_event(left, ref))[0], _span(_parse_event(sides[1], ref))[1]
        if since > until and left != sides[0]:  # "28 Dec - 3 Jan 2023" crosses New Year
            since = _move(since, years=-1)
        return DateRange(since, until)
    if len(sides) > 2:
        raise _unreadable(text, "a date range", RANGE_EXAMPLES)
    word, _, rest = text.partition(" ")
    if rest and word in ("since", "from", "after", "until", "till", "before"):
        first, last = _span(_parse_event(rest, ref))
        if word in ("since", "from", "after"):
            return DateRange(first if word != "after" else _move(last, days=1), ref)
        return DateRange(None, last if word != "before" else _move(first, days=-1))
    return DateRange(*_span(_parse_event(text, ref, "a date range", RANGE_EXAMPLES)))


def parse_range(text: str, ref: date | None = None) -> DateRange:
    """The dates a query covers: "A..B", "last 7 days", "since A", "until B", "Nov 2023"..."""
    ref = _ref(ref)
    try:
        found = _read_range(_normalise(text), ref)
    except (ValueError, OverflowError, IndexError):  # a safety net; the grammar should prevent it
        raise _unreadable(text, "a date range", RANGE_EXAMPLES) from None
    return _checked(found.since, found.until, ref)


def resolve_range(since: str | None, until: str | None, ref: date | None = None) -> DateRange:
    """--since/--until options: "--until Nov 2023" means through the 30th, not up to the 1st."""
    ref = _ref(ref)
    start = parse_bound(since, ref) if since is not None and since.strip() else None
    end = _span(_parse_event(until, ref))[1] if until is not None and until.strip() else None
    return _checked(start, end, ref)
