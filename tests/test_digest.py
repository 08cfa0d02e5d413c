"""The digest's content: which events a local day holds, what is said about them, and how the
text is split to fit Discord without losing anything."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import log

from bot import guild_settings
from bot.acled_import import import_acled
from bot.corrections import edit_event
from bot.digest import build_digest, day_window, digest_chart, local_day, stamp, trend_flag
from bot.digest_text import digest_blocks, pack_blocks, plain_style
from bot.errors import InvalidInput

YANGON = ZoneInfo("Asia/Yangon")
DAY = date(2023, 11, 10)


def local(day: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    """An instant given as Yangon wall-clock time."""
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=YANGON)


@pytest.fixture
def at(monkeypatch):
    """Make the store stamp rows (logged_at, audit times) with the given instant."""

    def set_time(moment: datetime) -> None:
        for module in ("bot.events", "bot.corrections"):
            monkeypatch.setattr(f"{module}.utc_now", lambda m=moment: stamp(m))

    return set_time


def text_of(digest) -> str:
    return "\n".join("\n".join(b) for b in digest_blocks(digest, plain_style("Asia/Yangon")))


def test_a_myanmar_day_is_midnight_to_midnight_in_yangon_not_utc(db, at):
    at(local(DAY, 23, 50))  # 17:20 UTC on the 10th
    late = log(db, date="2023-11-10", township="Mese")
    at(local(DAY + timedelta(days=1), 0, 10))  # 17:40 UTC, still the 10th in UTC
    early = log(db, date="2023-11-10", township="Hpruso")
    tenth = build_digest(db, 0, DAY, "Asia/Yangon")
    eleventh = build_digest(db, 0, DAY + timedelta(days=1), "Asia/Yangon")
    assert tenth.total_events == 1 and tenth.notable[0].event.id == late.id
    assert eleventh.total_events == 1 and eleventh.notable[0].event.id == early.id
    in_utc = build_digest(db, 0, DAY, "UTC")  # the same store, read as UTC days, lumps them
    assert in_utc.total_events == 2
    window = day_window(DAY, "Asia/Yangon")
    assert stamp(window.start) == "2023-11-09T17:30:00+00:00"
    assert window.end - window.start == timedelta(hours=24)


def test_totals_types_regions_groups_and_backfilled_dates_are_said(db, at):
    at(local(DAY, 9))
    log(db, date="2023-11-07", fatalities=3)  # the seed event, logged three days later
    log(db, date="2023-11-10", township="Lashio", actors=["MNDAA"], opponents=["junta"],
        event_type="Air/drone strike", fatalities=None, sources=[])
    digest = build_digest(db, 0, DAY, "Asia/Yangon")
    assert (digest.total_events, digest.fatalities, digest.unknown_fatalities) == (2, 3, 1)
    assert digest.by_type == {"Battles": 1, "Explosions/Remote violence": 1}
    assert digest.by_region == {"Kayah": 1, "Shan (North)": 1}
    assert digest.top_groups[0] == {"actor": "Tatmadaw", "events": 2}
    assert digest.happened_earlier == 1
    text = text_of(digest)
    assert "2 events logged, 3 reported fatalities (1 event with unknown fatalities)" in text
    assert ("Event dates: 7 Nov 2023 to 10 Nov 2023; 1 of the 2 happened before this day"
            in text)
    assert digest.to_json()["event_dates"] == {"first": "2023-11-07", "last": "2023-11-10"}


def test_deleted_events_drop_out_and_an_empty_day_says_so(db, at):
    at(local(DAY, 9))
    event = log(db)
    from bot.corrections import delete_event

    delete_event(db, 0, event.id, by="ed", reason="duplicate")
    digest = build_digest(db, 0, DAY, "Asia/Yangon")
    assert digest.total_events == 0 and digest.corrections == {"delete": 1}
    quiet = build_digest(db, 0, DAY - timedelta(days=3), "Asia/Yangon")
    assert quiet.empty
    assert "Nothing was logged on 7 Nov 2023 and no corrections were made." in text_of(quiet)


def test_townships_new_in_30_days_ignore_backfill_and_known_activity(db, at):
    at(local(DAY - timedelta(days=5), 9))
    log(db, date="2023-11-01", township="Mese")  # Mese was already active this month
    at(local(DAY, 9))
    log(db, date="2023-11-10", township="Mese")
    log(db, date="2023-11-09", township="Hpruso")  # new in 30 days
    log(db, date="2022-01-05", township="Lashio")  # backfill: not recent activity
    digest = build_digest(db, 0, DAY, "Asia/Yangon")
    assert [t["township"] for t in digest.new_townships] == ["Hpruso"]


def test_notable_events_are_the_deadliest_then_territory_changes_with_sources(db, at):
    at(local(DAY, 9))
    for n in (1, 7, 3, 5):
        log(db, date="2023-11-09", event_type="Armed clash", fatalities=n,
            sources=[f"https://example.org/{n}"])
    taken = log(db, date="2023-11-09", fatalities=None)  # territory, no known deaths
    digest = build_digest(db, 0, DAY, "Asia/Yangon")
    assert [n.event.fatalities for n in digest.notable[:3]] == [7, 5, 3]
    assert digest.notable[3].event.id == taken.id
    assert digest.notable[3].why == "territory changed hands"
    assert digest.notable_more == 1  # the clash with one death
    text = text_of(digest)
    assert "https://example.org/7" in text and "… and 1 more" in text


def import_fixture(db, monkeypatch, moment: datetime, **kw: object):
    """The ACLED fixture imported at ``moment``, in batches of 7 rows."""
    monkeypatch.setattr("bot.acled_import.utc_now", lambda: stamp(moment))
    text = (Path(__file__).parent / "fixtures" / "acled_myanmar.csv").read_text("utf-8")
    return import_acled(db, 0, io.StringIO(text), by="ed", name="acled.csv", batch_size=7)


def test_an_acled_import_is_reported_apart_from_what_the_team_logged(db, at, monkeypatch):
    at(local(DAY, 9))
    before = log(db, fatalities=2)
    report = import_fixture(db, monkeypatch, local(DAY, 10))
    at(local(DAY, 11))
    after = log(db, township="Hpruso", fatalities=1)
    digest = build_digest(db, 0, DAY, "Asia/Yangon")
    assert digest.total_events == 2 and digest.fatalities == 3
    assert [n.event.id for n in digest.notable] == [before.id, after.id]
    assert [(i.file, i.events) for i in digest.imports] == [("acled.csv", report.inserted)]
    assert len(digest.imports[0].ranges) == 1  # three batches, one run of ids
    assert digest.to_json()["imported"] == [{"file": "acled.csv", "events": report.inserted}]
    assert (f"Also imported from ACLED files (not counted in this digest): {report.inserted}"
            " events from acled.csv.") in text_of(digest)


def test_a_day_with_only_an_import_is_not_empty(db, monkeypatch):
    report = import_fixture(db, monkeypatch, local(DAY, 10))
    digest = build_digest(db, 0, DAY, "Asia/Yangon")
    assert digest.total_events == 0 and not digest.empty and not digest.corrections
    assert f"{report.inserted} events from acled.csv" in text_of(digest)


def test_corrections_made_that_day_are_counted(db, at):
    at(local(DAY - timedelta(days=1), 9))
    event = log(db)
    at(local(DAY, 15))
    edit_event(db, 0, event.id, {"fatalities": "2"}, by="ed", reason="new report")
    digest = build_digest(db, 0, DAY, "Asia/Yangon")
    assert digest.total_events == 0 and digest.corrections == {"edit": 1}
    assert digest.corrected_events == [event.id]
    assert f"1 edit (events #{event.id})." in text_of(digest)


@pytest.mark.parametrize(("last_7", "previous", "flag"), [
    (6, 16, "large"),  # +50%
    (5, 16, "moderate"),  # exactly +25% is not above it
    (11, 40, "moderate"),  # exactly +10%
    (4, 16, None),  # flat
    (2, 16, None),  # down
    (3, 0, "new"),  # nothing in the four weeks before
    (0, 0, None),
])
def test_trend_flags(last_7, previous, flag):
    assert trend_flag(last_7, previous)[1] == flag


def test_trend_compares_the_last_week_with_the_average_of_four(db, at):
    at(local(DAY, 9))
    for d in ("2023-11-04", "2023-11-06", "2023-11-08", "2023-11-10"):  # 4 in the last 7 days
        log(db, date=d)
    for d in ("2023-10-08", "2023-10-15", "2023-10-22"):  # 3 in the 4 weeks before
        log(db, date=d)
    log(db, date="2023-10-01")  # older than 5 weeks: outside
    log(db, date="2023-11-09", township="Lashio")
    digest = build_digest(db, 0, DAY, "Asia/Yangon")
    kayah = next(t for t in digest.trend if t.state_region == "Kayah")
    assert (kayah.last_7, kayah.previous_4_weeks, kayah.weekly_average) == (4, 3, 0.75)
    assert kayah.change_pct == pytest.approx(433.3) and kayah.flag == "large"
    assert "Kayah: 4 vs 0.75 a week (+433%) · LARGE increase" in text_of(digest)


def test_chart_is_a_png_of_the_last_14_days(db, at):
    at(local(DAY, 9))
    log(db)
    png = digest_chart(db, 0, DAY, "Asia/Yangon")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_local_day_reads_words_in_the_teams_zone():
    # 20:00 UTC on the 10th is already the 11th in Yangon.
    now = datetime(2023, 11, 10, 20, 0, tzinfo=UTC)
    assert local_day("today", "Asia/Yangon", now) == date(2023, 11, 11)
    assert local_day("yesterday", "Asia/Yangon", now) == date(2023, 11, 10)
    assert local_day("2023-11-08", "Asia/Yangon", now) == date(2023, 11, 8)
    with pytest.raises(InvalidInput, match="one day"):
        local_day("Nov 2023", "Asia/Yangon", now)


def test_pack_blocks_splits_without_losing_a_character():
    blocks = [["head"], ["**A**", *[f"line {i} " + "x" * 50 for i in range(40)]],
              ["y" * 250], ["tail"]]
    chunks = pack_blocks(blocks, 200)
    assert all(len(c) <= 200 for c in chunks)
    joined = "".join(c.replace("\n", "") for c in chunks)
    assert joined == "".join("".join(b) for b in blocks)
    small = pack_blocks([["a", "b"], ["c"]], 100)
    assert small == ["a\nb\n\nc"]


def test_digest_settings_are_checked_with_sentences(db):
    saved = guild_settings.save(db, 7, by="t", digest_tz="asia/yangon", digest_time="7:30",
                                digest_channel=123, now=datetime(2023, 11, 10, tzinfo=UTC))
    assert (saved.digest_tz, saved.digest_time, saved.digest_channel) == ("Asia/Yangon",
                                                                         "07:30", 123)
    assert saved.digest_since == "2023-11-10T00:00:00+00:00"
    with pytest.raises(InvalidInput, match="Asia/Yangon") as bad_zone:
        guild_settings.save(db, 7, by="t", digest_tz="Asia/Yangoon")
    assert "Did you mean" in bad_zone.value.user_message
    with pytest.raises(InvalidInput, match="HH:MM"):
        guild_settings.save(db, 7, by="t", digest_time="25:00")
    with pytest.raises(InvalidInput, match="0 to 14"):
        guild_settings.save(db, 7, by="t", digest_max_late_days=30)
    assert guild_settings.load(db, 7) == saved  # refusals wrote nothing
    db.execute("UPDATE settings SET value = 'Mars/Olympus' WHERE key = 'digest_tz'")
    problems = guild_settings.digest_problems(guild_settings.load(db, 7))
    assert problems and "not a time zone" in problems[0]
