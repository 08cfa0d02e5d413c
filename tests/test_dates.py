"""Tests for bot.dates: what analysts type, read relative to a reference date."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta

import pytest
from dateutil import parser as dateutil_parser
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.dates import (
    ACLED_PRECISION,
    MONTH_NAMES,
    DateRange,
    EventDate,
    parse_bound,
    parse_date,
    parse_range,
    parse_ref,
    resolve_range,
)
from bot.errors import InvalidInput

REF = date(2023, 11, 10)  # a Friday
D = date


# ---------------------------------------------------------------- parse_date: accepted forms

DAY_CASES = [
    ("2023-11-08", D(2023, 11, 8)),
    ("2023-1-5", D(2023, 1, 5)),
    ("8 Nov 2023", D(2023, 11, 8)),
    ("8 November 2023", D(2023, 11, 8)),
    ("November 8, 2023", D(2023, 11, 8)),
    ("Nov 8 2023", D(2023, 11, 8)),
    ("Nov. 8th, 2023", D(2023, 11, 8)),
    ("8-Nov-2023", D(2023, 11, 8)),
    ("the 8th of November 2023", D(2023, 11, 8)),
    ("Sept 3 2023", D(2023, 9, 3)),
    ("29 Feb 2020", D(2020, 2, 29)),
    ("  ON 8 nov 2023  ", D(2023, 11, 8)),
    ("８ Nov ２０２３", D(2023, 11, 8)),  # full-width digits, pasted from a CJK keyboard
    ("Wed 8 Nov 2023", D(2023, 11, 8)),
    ("Wednesday, November 8, 2023", D(2023, 11, 8)),
    ("Nov 8", D(2023, 11, 8)),
    ("8 November", D(2023, 11, 8)),
    ("Nov 10", D(2023, 11, 10)),  # the reference day itself
    ("Nov 11", D(2022, 11, 11)),  # tomorrow this year, so last year
    ("Dec 30", D(2022, 12, 30)),
    ("today", D(2023, 11, 10)),
    ("yesterday", D(2023, 11, 9)),
    ("yesterday evening", D(2023, 11, 9)),
    ("last night", D(2023, 11, 9)),
    ("this morning", D(2023, 11, 10)),
    ("day before yesterday", D(2023, 11, 8)),
    ("3 days ago", D(2023, 11, 7)),
    ("three days ago", D(2023, 11, 7)),
    ("ten days ago", D(2023, 10, 31)),
    ("1 day ago", D(2023, 11, 9)),
    ("0 days ago", D(2023, 11, 10)),
    ("a week ago", D(2023, 11, 3)),
    ("2 weeks ago", D(2023, 10, 27)),
    ("Monday", D(2023, 11, 6)),
    ("Tuesday", D(2023, 11, 7)),
    ("tues", D(2023, 11, 7)),
    ("on Wednesday night", D(2023, 11, 8)),
    ("Wed", D(2023, 11, 8)),
    ("Thursday afternoon", D(2023, 11, 9)),
    ("thurs", D(2023, 11, 9)),
    ("Friday", D(2023, 11, 10)),  # the reference is a Friday: "Friday" is today
    ("Saturday", D(2023, 11, 4)),
    ("sun", D(2023, 11, 5)),
    ("last Friday", D(2023, 11, 3)),  # strictly before the reference
    ("last Wednesday", D(2023, 11, 8)),
    ("last Saturday", D(2023, 11, 4)),
]


@pytest.mark.parametrize(("text", "expected"), DAY_CASES)
def test_day_forms(text: str, expected: date) -> None:
    assert parse_date(text, REF) == EventDate(expected, "day")


@pytest.mark.parametrize(
    ("text", "ref", "expected"),
    [
        ("Dec 30", D(2024, 1, 2), D(2023, 12, 30)),  # a report on 2 Jan means last December
        ("Jan 1", D(2024, 1, 2), D(2024, 1, 1)),
        ("Tuesday", D(2023, 11, 7), D(2023, 11, 7)),  # ref is a Tuesday: "Tuesday" is ref itself
        ("last Tuesday", D(2023, 11, 7), D(2023, 10, 31)),
        ("yesterday", D(2024, 3, 1), D(2024, 2, 29)),
    ],
)
def test_day_forms_other_references(text: str, ref: date, expected: date) -> None:
    assert parse_date(text, ref) == EventDate(expected, "day")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nov 2023", D(2023, 11, 1)),
        ("November 2023", D(2023, 11, 1)),
        ("in November 2023", D(2023, 11, 1)),
        ("2023-11", D(2023, 11, 1)),
        ("2023-1", D(2023, 1, 1)),
        ("Sept 2023", D(2023, 9, 1)),
        ("mid-November 2023", D(2023, 11, 1)),
        ("early Feb 2020", D(2020, 2, 1)),
        ("November", D(2023, 11, 1)),
        ("December", D(2022, 12, 1)),  # the most recent December
        ("this month", D(2023, 11, 1)),
        ("last month", D(2023, 10, 1)),
    ],
)
def test_month_forms(text: str, expected: date) -> None:
    assert parse_date(text, REF) == EventDate(expected, "month")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("week of 6 Nov 2023", D(2023, 11, 6)),
        ("week of 8 Nov 2023", D(2023, 11, 6)),
        ("the week of Nov 1", D(2023, 10, 30)),
        ("week of Tuesday", D(2023, 11, 6)),
        ("week of 12 Nov 2023", D(2023, 11, 6)),  # a Sunday after ref, but the week has begun
        ("this week", D(2023, 11, 6)),
        ("last week", D(2023, 10, 30)),
    ],
)
def test_week_forms(text: str, expected: date) -> None:
    assert parse_date(text, REF) == EventDate(expected, "week")


@pytest.mark.parametrize(
    ("found", "label"),
    [
        (EventDate(D(2023, 11, 7), "day"), "2023-11-07"),
        (EventDate(D(2023, 11, 6), "week"), "week of 2023-11-06"),
        (EventDate(D(2023, 11, 1), "month"), "November 2023"),
        (EventDate(D(2023, 9, 1), "month"), "September 2023"),
    ],
)
def test_labels(found: EventDate, label: str) -> None:
    assert found.label() == label


def test_acled_precision_codes() -> None:
    assert ACLED_PRECISION == {"day": 1, "week": 2, "month": 3}


def test_default_reference_is_today() -> None:
    assert parse_date("today") == EventDate(date.today(), "day")


def test_datetime_reference_is_accepted() -> None:
    assert parse_date("yesterday", datetime(2023, 11, 10, 23, 59)).date == D(2023, 11, 9)


def test_dateutil_fuzzy_would_pick_next_wednesday_ours_picks_previous() -> None:
    """The reason weekdays are not left to dateutil: it looks forward, reports look back."""
    default = datetime(2023, 11, 10)  # a Friday
    plain = dateutil_parser.parse("on Wednesday night", fuzzy=True, default=default).date()
    assert plain == D(2023, 11, 15)
    assert plain > REF
    ours = parse_date("on Wednesday night", REF)
    assert ours == EventDate(D(2023, 11, 8), "day")
    assert ours.date <= REF


# ---------------------------------------------------------------- parse_date: refusals

REFUSALS = [
    ("31 Feb 2023", ["February 2023", "28 days"]),
    ("2023-02-29", ["February 2023", "28 days"]),
    ("Nov 31 2023", ["November 2023", "30 days"]),
    ("Feb 29", ["February 2023", "28 days"]),
    ("2023-13-01", ["month 13", "year-month-day"]),
    ("2023-13", ["month 13"]),
    ("0000-00-00", ["not a real date"]),
    ("2023-11-00", ["not a real date"]),
    ("tomorrow", ["future", "2023-11-11", "2023-11-10"]),
    ("tomorrow night", ["future"]),
    ("next week", ["future", "week of 2023-11-13", "2023-11-10"]),
    ("next month", ["future", "December 2023"]),
    ("next Tuesday", ["future", "2023-11-14"]),
    ("in 3 days", ["future", "2023-11-13"]),
    ("2023-11-11", ["future", "2023-11-11", "2023-11-10"]),
    ("Dec 2023", ["future", "December 2023"]),
    ("week of 13 Nov 2023", ["future"]),
    ("1850-01-01", ["1850", "plausible"]),
    ("8 Nov 1899", ["1899", "plausible"]),
    ("50000 days ago", ["plausible"]),
    ("08/11/2023", ["ambiguous", "2023-11-08", "month name"]),
    ("13/11/2023", ["ambiguous", "2023-11-08"]),
    ("2023/11/08", ["ambiguous"]),
    ("8.11.2023", ["ambiguous"]),
    ("8 Nov 23", ["four digits"]),
    ("Tue 8 Nov 2023", ["Wednesday", "not a Tuesday"]),
    ("week of November 2023", ["week of", "day"]),
    ("", ["could not read", "2023-11-08"]),
    ("   ", ["could not read", "2023-11-08"]),
    ("banana 5", ["could not read", "banana 5", "8 nov 2023"]),
    ("5", ["could not read"]),
    ("2023", ["could not read"]),
    ("hello world", ["could not read"]),
    ("this Tuesday", ["could not read"]),
    ("night", ["could not read"]),
]


@pytest.mark.parametrize(("text", "fragments"), REFUSALS)
def test_refusals_say_why(text: str, fragments: list[str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date(text, REF)
    message = caught.value.user_message.lower()
    for fragment in fragments:
        assert fragment.lower() in message


@pytest.mark.parametrize(
    "text",
    [
        "9" * 10_000,
        "99999999999999999999-01-01",
        "99999999999999999999 days ago",
        "999999 weeks ago",
        "\ud800",
        "Nov 8\udfff",
        "\x00\x01\x1b[31m",
        "on\x00Tuesday",
        "2023-11-08\n2023-11-09",
        "Nov " + "8" * 5000,
        "﷽" * 150,  # expands twentyfold under NFKC
    ],
)
def test_hostile_input_is_refused_cleanly(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date(text, REF)
    message = caught.value.user_message
    assert len(message) < 300
    message.encode("utf-8")  # no lone surrogate echoed back


@pytest.mark.parametrize("text", ["next week", "tomorrow", "Dec 31"])
def test_end_of_calendar_reference_does_not_crash(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_date(text, D(9999, 12, 31)) if text != "Dec 31" else parse_date(text, D(1, 1, 1))


def test_parse_bound_is_the_first_day_of_the_span() -> None:
    assert parse_bound("Nov 2023", REF) == D(2023, 11, 1)
    assert parse_bound("week of 8 Nov 2023", REF) == D(2023, 11, 6)
    assert parse_bound("Tuesday", REF) == D(2023, 11, 7)
    with pytest.raises(InvalidInput, match="future"):
        parse_bound("tomorrow", REF)


# ---------------------------------------------------------------- parse_ref


def test_parse_ref_accepts_strict_iso() -> None:
    assert parse_ref("2023-11-10") == REF


@pytest.mark.parametrize("text", ["2023-11-1", "10 Nov 2023", "yesterday", "", " 2023-11-10x"])
def test_parse_ref_refuses_anything_else(text: str) -> None:
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        parse_ref(text)


@pytest.mark.parametrize(("text", "why"), [("2023-02-30", "28 days"), ("1800-01-01", "plausible")])
def test_parse_ref_refuses_impossible_dates(text: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        parse_ref(text)


# ---------------------------------------------------------------- parse_range

RANGE_CASES = [
    ("2023-10-27..2023-11-10", D(2023, 10, 27), D(2023, 11, 10)),
    ("2023-10-27 .. 2023-11-10", D(2023, 10, 27), D(2023, 11, 10)),
    ("2023-10-27 to 2023-11-10", D(2023, 10, 27), D(2023, 11, 10)),
    ("2023-10-27 – 2023-11-10", D(2023, 10, 27), D(2023, 11, 10)),
    ("from Oct 27 to Nov 10", D(2023, 10, 27), D(2023, 11, 10)),
    ("between 1 Nov 2023 and 5 Nov 2023", D(2023, 11, 1), D(2023, 11, 5)),
    ("Oct 27 - Nov 10", D(2023, 10, 27), D(2023, 11, 10)),
    ("27 Oct - 10 Nov 2022", D(2022, 10, 27), D(2022, 11, 10)),  # the start borrows the year
    ("28 Dec - 3 Jan 2023", D(2022, 12, 28), D(2023, 1, 3)),  # ... across New Year
    ("Oct 2023 - Nov 2023", D(2023, 10, 1), D(2023, 11, 30)),
    ("last Monday to yesterday", D(2023, 11, 6), D(2023, 11, 9)),
    ("2023-11-01..2023-12-31", D(2023, 11, 1), D(2023, 12, 31)),  # an explicit future end is fine
    ("last 7 days", D(2023, 11, 4), D(2023, 11, 10)),
    ("past 30 days", D(2023, 10, 12), D(2023, 11, 10)),
    ("last 1 day", D(2023, 11, 10), D(2023, 11, 10)),
    ("last 2 weeks", D(2023, 10, 28), D(2023, 11, 10)),
    ("past week", D(2023, 11, 4), D(2023, 11, 10)),
    ("last 3 months", D(2023, 8, 11), D(2023, 11, 10)),
    ("this week", D(2023, 11, 6), D(2023, 11, 10)),
    ("this month", D(2023, 11, 1), D(2023, 11, 10)),
    ("this year", D(2023, 1, 1), D(2023, 11, 10)),
    ("last week", D(2023, 10, 30), D(2023, 11, 5)),
    ("last month", D(2023, 10, 1), D(2023, 10, 31)),
    ("last year", D(2022, 1, 1), D(2022, 12, 31)),
    ("since Oct 27", D(2023, 10, 27), D(2023, 11, 10)),
    ("from Oct 27", D(2023, 10, 27), D(2023, 11, 10)),
    ("since October 2023", D(2023, 10, 1), D(2023, 11, 10)),
    ("after Nov 1", D(2023, 11, 2), D(2023, 11, 10)),
    ("until Nov 5", None, D(2023, 11, 5)),
    ("until Nov 2023", None, D(2023, 11, 30)),
    ("before Nov 5", None, D(2023, 11, 4)),
    ("before Nov 2023", None, D(2023, 10, 31)),
    ("Nov 2023", D(2023, 11, 1), D(2023, 11, 30)),
    ("Feb 2020", D(2020, 2, 1), D(2020, 2, 29)),
    ("week of 6 Nov 2023", D(2023, 11, 6), D(2023, 11, 12)),
    ("Nov 8", D(2023, 11, 8), D(2023, 11, 8)),
    ("yesterday", D(2023, 11, 9), D(2023, 11, 9)),
]


@pytest.mark.parametrize(("text", "since", "until"), RANGE_CASES)
def test_range_forms(text: str, since: date | None, until: date | None) -> None:
    assert parse_range(text, REF) == DateRange(since, until)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("2023-11-10..2023-11-01", ["starts after it ends"]),
        ("Nov 10 - Nov 1", ["starts after it ends"]),
        ("next week", ["2023-11-13", "future", "2023-11-10"]),
        ("2023-11-11..2023-11-20", ["future"]),
        ("since tomorrow", ["future"]),
        ("last 0 days", ["at least 1"]),
        ("31 Feb 2023 to 2023-03-05", ["28 days"]),
        ("banana to 2023-11-01", ["could not read", "banana"]),
        ("a to b to c", ["could not read", "date range", "last 7 days"]),
        ("", ["could not read", "date range"]),
        ("since", ["could not read"]),
    ],
)
def test_range_refusals_say_why(text: str, fragments: list[str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_range(text, REF)
    message = caught.value.user_message.lower()
    for fragment in fragments:
        assert fragment.lower() in message


# ---------------------------------------------------------------- resolve_range


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (None, None, DateRange(None, None)),
        ("2023-10-27", None, DateRange(D(2023, 10, 27), None)),
        (None, "2023-11-05", DateRange(None, D(2023, 11, 5))),
        ("Oct 2023", "Nov 2023", DateRange(D(2023, 10, 1), D(2023, 11, 30))),
        ("week of 1 Nov 2023", "week of 1 Nov 2023", DateRange(D(2023, 10, 30), D(2023, 11, 5))),
        ("last week", "yesterday", DateRange(D(2023, 10, 30), D(2023, 11, 9))),
        (None, "2023-12-31", DateRange(None, D(2023, 12, 31))),  # an explicit future end
        ("  ", "", DateRange(None, None)),  # blank options count as absent
    ],
)
def test_resolve_range(since: str | None, until: str | None, expected: DateRange) -> None:
    assert resolve_range(since, until, REF) == expected


@pytest.mark.parametrize(
    ("since", "until", "fragment"),
    [
        ("2023-11-05", "2023-11-01", "starts after it ends"),
        ("tomorrow", None, "future"),
        ("31 Feb 2023", None, "28 days"),
        (None, "banana", "Could not read"),
    ],
)
def test_resolve_range_refusals(since: str | None, until: str | None, fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        resolve_range(since, until, REF)


# ---------------------------------------------------------------- properties

TOKENS = [
    *["nov", "november", "feb", "sept", "8", "8th", "31", "29", "0", "00", "13", "2023", "1899"],
    *["99999", "9999", "-", "..", "/", ",", ".", "to", "and", "last", "past", "next", "this"],
    *["week", "weeks", "of", "month", "months", "year", "day", "days", "ago", "in", "a", "three"],
    *["since", "until", "before", "after", "from", "between", "on", "the", "night", "tuesday"],
    *["wed", "today", "yesterday", "tomorrow", "2023-11-08", "2023-13", "0000-00-00", "2023-02"],
]
ANY_CHAR = st.characters() | st.characters(categories=["Cs"])  # lone surrogates included
TEXTS = st.text(ANY_CHAR) | st.lists(st.sampled_from(TOKENS), max_size=6).map(" ".join)
REFS = st.dates(min_value=D(1900, 1, 1), max_value=D(9999, 12, 31))


@settings(deadline=None)
@given(text=TEXTS, ref=REFS)
def test_parse_date_returns_or_refuses_and_never_looks_forward(text: str, ref: date) -> None:
    try:
        found = parse_date(text, ref)
    except InvalidInput:
        return
    assert found.date <= ref
    assert found.date.year >= 1900
    assert found.precision in ACLED_PRECISION
    if found.precision == "week":
        assert found.date.weekday() == 0
    if found.precision == "month":
        assert found.date.day == 1


@settings(deadline=None)
@given(text=TEXTS, ref=REFS)
def test_parse_range_returns_or_refuses_and_is_ordered(text: str, ref: date) -> None:
    try:
        found = parse_range(text, ref)
    except InvalidInput:
        return
    if found.since is not None:
        assert found.since <= ref
        if found.until is not None:
            assert found.since <= found.until


@settings(deadline=None)
@given(since=st.none() | TEXTS, until=st.none() | TEXTS, ref=REFS)
def test_resolve_range_returns_or_refuses_and_is_ordered(
    since: str | None, until: str | None, ref: date
) -> None:
    try:
        found = resolve_range(since, until, ref)
    except InvalidInput:
        return
    if found.since is not None and found.until is not None:
        assert found.since <= found.until


@settings(deadline=None)
@given(text=st.text(ANY_CHAR))
def test_parse_ref_returns_or_refuses(text: str) -> None:
    with contextlib.suppress(InvalidInput):
        parse_ref(text)


@st.composite
def past_dates(draw: st.DrawFn) -> tuple[date, date]:
    """A reference date and a day on or before it."""
    ref = draw(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)))
    return draw(st.dates(min_value=D(1900, 1, 1), max_value=ref)), ref


@given(past_dates())
def test_iso_dates_round_trip(pair: tuple[date, date]) -> None:
    day, ref = pair
    assert parse_date(day.isoformat(), ref) == EventDate(day, "day")


@given(past_dates())
def test_written_dates_round_trip(pair: tuple[date, date]) -> None:
    day, ref = pair
    month = MONTH_NAMES[day.month - 1]
    assert parse_date(f"{day.day} {month} {day.year}", ref) == EventDate(day, "day")
    assert parse_date(f"{month[:3]} {day.day}, {day.year}", ref) == EventDate(day, "day")


@given(past_dates())
def test_dates_after_the_reference_are_refused(pair: tuple[date, date]) -> None:
    day, ref = pair
    if ref.year < 9999:
        later = ref + timedelta(days=1 + (ref - day).days)
        with pytest.raises(InvalidInput, match="future"):
            parse_date(later.isoformat(), ref)


WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@given(ref=st.dates(min_value=D(1900, 2, 1)), index=st.integers(0, 6))
def test_weekdays_are_the_latest_on_or_before_the_reference(ref: date, index: int) -> None:
    plain = parse_date(WEEKDAY_NAMES[index], ref).date
    assert plain.weekday() == index
    assert ref - timedelta(days=6) <= plain <= ref
    last = parse_date(f"last {WEEKDAY_NAMES[index]}", ref).date
    assert last.weekday() == index
    assert ref - timedelta(days=7) <= last < ref
