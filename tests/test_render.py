"""Charts are checked for being real, sanely sized PNGs, not for exact pixels."""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from io import BytesIO

import matplotlib.image as mpimg
import pytest

from bot.render import (
    EVENT_TYPES,
    OTHER_COLOUR,
    TYPE_COLOURS,
    MapPoint,
    _buckets,
    _size_legend_values,
    counts_chart,
    map_chart,
    type_colour,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
END = date(2025, 6, 12)

BACKGROUND = [(9.9 + i * 0.5, 92.5 + (i * 37 % 90) / 10) for i in range(37)]
REGIONS = [("Sagaing", 23.0, 95.2), ("Yangon", 16.9, 96.1), ("Tanintharyi", 12.5, 98.8)]


def _size(png: bytes) -> tuple[int, int]:
    """Decoding proves the bytes are a whole PNG; the shape is (height, width, channels)."""
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) < 1_000_000
    height, width = mpimg.imread(BytesIO(png)).shape[:2]
    return width, height


def _weekly(start: date, end: date) -> dict[date, dict[str, int]]:
    monday = start - timedelta(days=start.weekday())
    return {monday + timedelta(weeks=i): {t: (i * (k + 3)) % 7 for k, t in enumerate(EVENT_TYPES)}
            for i in range((end - monday).days // 7 + 1)}


def _points(n: int) -> list[MapPoint]:
    return [MapPoint(f"Township {i}", "Region", 10 + (i * 7 % 18), 92.5 + (i * 3 % 9),
                     1 + (i * 13) % 60, EVENT_TYPES[i % len(EVENT_TYPES)]) for i in range(n)]


def test_colours_cover_exactly_acled_types_and_are_distinct() -> None:
    assert list(TYPE_COLOURS) == list(EVENT_TYPES)
    assert len(set(TYPE_COLOURS.values())) == 6
    assert OTHER_COLOUR not in TYPE_COLOURS.values()


def test_unknown_type_is_grey() -> None:
    assert type_colour("Battles") == TYPE_COLOURS["Battles"]
    assert type_colour("battles") == OTHER_COLOUR
    assert type_colour("Looting") == OTHER_COLOUR


def test_daily_digest_chart() -> None:
    start = END - timedelta(days=13)
    counts = {start + timedelta(days=i): {"Battles": i % 3, "Protests": 1} for i in range(0, 14, 2)}
    width, height = _size(counts_chart(counts, start=start, end=END, bucket="day",
                                       title="Events per day, last 14 days"))
    assert 700 <= width <= 1400
    assert 400 <= height <= 800


def test_unknown_types_render() -> None:
    counts = {END: {"Battles": 2, "Looting": 3}, END - timedelta(days=1): {"Other": 1, "X": 2}}
    _size(counts_chart(counts, start=END - timedelta(days=6), end=END, bucket="day", title="t"))
    _size(counts_chart({END: {"Looting": 3}}, start=END, end=END, bucket="day", title="t"))


def test_empty_counts_still_render() -> None:
    width, height = _size(counts_chart({}, start=END - timedelta(days=13), end=END, bucket="day",
                                       title="Events per day, last 14 days"))
    assert width > 500 and height > 300
    _size(counts_chart({}, start=END, end=END, bucket="week", title="one empty week"))


@pytest.mark.parametrize("days", [1, 40, 100, 200, 365, 800])
def test_weekly_and_daily_spans(days: int) -> None:
    start = END - timedelta(days=days)
    _size(counts_chart(_weekly(start, END), start=start, end=END, bucket="week", title="weekly"))
    daily = {start + timedelta(days=i): {"Riots": 1} for i in range(0, days, 3)}
    _size(counts_chart(daily, start=start, end=END, bucket="day", title="daily"))


def test_ten_years_weekly_stays_a_readable_size() -> None:
    start = date(2015, 6, 3)
    width, _ = _size(counts_chart(_weekly(start, END), start=start, end=END, bucket="week",
                                  title="Events per week by type, 2015–2025"))
    assert width <= 1400


def test_week_buckets_are_mondays_touching_the_span() -> None:
    wednesday, tuesday = date(2025, 6, 4), date(2025, 6, 17)
    assert _buckets(wednesday, tuesday, "week") == [date(2025, 6, 2), date(2025, 6, 9),
                                                     date(2025, 6, 16)]
    assert _buckets(wednesday, wednesday, "day") == [wednesday]


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        counts_chart({}, start=END, end=END - timedelta(days=1), bucket="day", title="t")
    with pytest.raises(ValueError):
        counts_chart({}, start=END, end=END, bucket="month", title="t")  # type: ignore[arg-type]


def test_dollar_signs_in_text_are_not_mathtext() -> None:
    _size(counts_chart({END: {"$x": 1}}, start=END, end=END, bucket="day", title="cost $5 and $"))
    point = MapPoint("A$b", "R", 20.0, 96.0, 3, "$")
    _size(map_chart([point], background=BACKGROUND, regions=[("$R", 20, 96)], title="$"))


def test_map_is_tall() -> None:
    width, height = _size(map_chart(_points(40), background=BACKGROUND, regions=REGIONS,
                                    title="Events by township, last 30 days"))
    assert height > width
    assert 400 <= width <= 1200


def test_map_edge_cases() -> None:
    _size(map_chart([], background=BACKGROUND, regions=REGIONS, title="nothing"))
    _size(map_chart([], background=[], regions=[], title="no background either"))
    lone = MapPoint("Hpakant", "Kachin", 25.6, 96.3, 1, "Looting")
    _size(map_chart([lone], background=[], regions=[], title="one event, unknown type"))
    zero = MapPoint("Nowhere", "X", float("nan"), 96.0, 5, "Battles")
    _size(map_chart([zero], background=BACKGROUND, regions=REGIONS, title="unplaceable point"))


def test_size_legend_values_come_from_the_data() -> None:
    assert _size_legend_values(1) == [1]
    assert _size_legend_values(3) == [1, 2]
    assert _size_legend_values(60) == [1, 10, 50]
    assert _size_legend_values(121) == [1, 20, 100]


def test_concurrent_rendering() -> None:
    start = END - timedelta(days=13)
    barrier = threading.Barrier(4)

    def job(i: int) -> bytes:
        barrier.wait(timeout=30)  # make sure all four really render at the same time
        if i % 2:
            return map_chart(_points(10 + i), background=BACKGROUND, regions=REGIONS,
                             title=f"map {i}")
        counts = {start + timedelta(days=d): {EVENT_TYPES[d % 6]: d + i} for d in range(14)}
        return counts_chart(counts, start=start, end=END, bucket="day", title=f"chart {i}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(job, range(4)))
    for png in results:
        _size(png)


def test_module_imports_neither_discord_nor_pyplot() -> None:
    code = ("import sys, bot.render; "
            "assert 'discord' not in sys.modules and 'matplotlib.pyplot' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
