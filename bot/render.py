"""Chart PNGs for the bot and the CLI, drawn with matplotlib's Agg canvas.

The bot renders in worker threads, so everything here uses the object-oriented API
(``Figure`` + ``FigureCanvasAgg``) and never ``pyplot``: pyplot keeps global figure state and
may try to pick an interactive backend, neither of which is safe or wanted on a headless server.
Every function is pure: plain data in, PNG bytes out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from typing import Literal

from matplotlib import dates as mdates
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox

# Okabe-Ito: distinguishable under the common colour-vision deficiencies. Fixed per type so a
# reader who learnt "orange = explosions" on one chart can trust it on every other chart.
TYPE_COLOURS: dict[str, str] = {
    "Battles": "#D55E00",
    "Explosions/Remote violence": "#E69F00",
    "Violence against civilians": "#CC79A7",
    "Protests": "#0072B2",
    "Riots": "#56B4E9",
    "Strategic developments": "#009E73",
}
EVENT_TYPES: tuple[str, ...] = tuple(TYPE_COLOURS)  # ACLED's order, also the stacking order
OTHER_COLOUR = "#999999"
NO_EVENTS = "No events in this period"
_BACKGROUND_COLOUR = "#D4D4D4"
_MUTED_TEXT = "#7F7F7F"
_DPI = 100
# Fallback extent (lat, lon) when there is nothing to derive one from.
_MYANMAR_LAT = (9.5, 28.6)
_MYANMAR_LON = (92.1, 101.2)
_MAX_BARS = 150  # beyond this, bars are thinner than a few pixels: draw stacked steps instead
_LABELLED_TOWNSHIPS = 8


def type_colour(event_type: str) -> str:
    """Grey for anything outside ACLED's six, so a typo never borrows a real type's colour."""
    return TYPE_COLOURS.get(event_type, OTHER_COLOUR)


def _plain(text: str) -> str:
    """User-typed strings must not be read as mathtext (a '$' in a title would break rendering)."""
    return text.replace("$", r"\$")


def _new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height), dpi=_DPI)
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _png(fig: Figure) -> bytes:
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, bbox_inches="tight", pad_inches=0.15)
    return buf.getvalue()


def _no_events(ax: Axes) -> None:
    ax.text(0.5, 0.5, NO_EVENTS, transform=ax.transAxes, ha="center", va="center",
            fontsize=14, color="#555555", zorder=10,
            bbox={"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": "#BBBBBB"})


def _type_order(types: set[str]) -> list[str]:
    """ACLED's order first (the stacking order readers learn), then unknown types by name."""
    return [t for t in EVENT_TYPES if t in types] + sorted(types - set(EVENT_TYPES))


def _buckets(start: date, end: date, bucket: Literal["day", "week"]) -> list[date]:
    if bucket == "day":
        first, step = start, 1
    elif bucket == "week":
        first, step = start - timedelta(days=start.weekday()), 7
    else:
        raise ValueError(f"bucket must be 'day' or 'week', not {bucket!r}")
    return [first + timedelta(days=i) for i in range(0, (end - first).days + 1, step)]


def _date_labels(ticks: Sequence[date], *, weekday: bool = False) -> list[str]:
    """Labels at the coarsest calendar unit the ticks fall on, year written where it changes.

    Matplotlib's concise formatter leaves the first tick without a year ("Jul" of which year?);
    a chart pasted into a chat has no other place to say it.
    """
    if len(ticks) > 1 and all(d.month == 1 and d.day == 1 for d in ticks):
        return [str(d.year) for d in ticks]
    months = len(ticks) > 1 and all(d.day == 1 for d in ticks)
    labels, year = [], None
    for d in ticks:
        text = f"{d:%b}" if months else f"{d:%a}\n{d.day} {d:%b}" if weekday else f"{d.day} {d:%b}"
        if d.year != year:
            text, year = f"{text}\n{d.year}", d.year
        labels.append(text)
    return labels


def counts_chart(counts: Mapping[date, Mapping[str, int]], *, start: date, end: date,
                 bucket: Literal["day", "week"], title: str) -> bytes:
    """Stacked bars of events per day or per week, with empty buckets left visibly empty.

    Week buckets are keyed by their Monday; a key on another weekday is folded into its week
    so a caller's off-by-a-day grouping cannot silently drop events. Keys outside the span
    are ignored.
    """
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    buckets = _buckets(start, end, bucket)
    width_days = 1 if bucket == "day" else 7
    index = {d: i for i, d in enumerate(buckets)}
    per_type: dict[str, list[int]] = {}
    for key, by_type in counts.items():
        day = key - timedelta(days=key.weekday()) if bucket == "week" else key
        if day not in index:
            continue
        for event_type, n in by_type.items():
            if n > 0:
                per_type.setdefault(event_type, [0] * len(buckets))[index[day]] += n
    unknown = [t for t in per_type if t not in TYPE_COLOURS]
    if len(unknown) > 1:  # several greys side by side would be indistinguishable: merge them
        merged = [sum(col) for col in zip(*(per_type.pop(t) for t in unknown), strict=True)]
        per_type["Other types"] = merged

    fig, ax = _new_figure(10, 6)
    # A day is drawn centred on its midnight, so date ticks land mid-bar; a week spans its
    # seven days, so a tick on any date falls inside the bar of the week containing it.
    starts = [float(x) for x in mdates.date2num(buckets)]
    centres = [x + (width_days - 1) / 2 for x in starts]
    edges = [x - 0.5 for x in starts] + [starts[-1] + width_days - 0.5]
    bottom = [0] * len(buckets)
    handles = []
    for event_type in _type_order(set(per_type)):
        values, colour = per_type[event_type], type_colour(event_type)
        tops = [b + v for b, v in zip(bottom, values, strict=True)]
        if len(buckets) <= _MAX_BARS:
            ax.bar(centres, values, width=width_days * 0.85, bottom=bottom, color=colour,
                   linewidth=0)
        else:
            ax.stairs(tops, edges, baseline=bottom, fill=True, color=colour, linewidth=0)
        bottom = tops
        handles.append(Patch(color=colour, label=_plain(event_type)))

    ax.set_xlim(edges[0] - width_days * 0.25, edges[-1] + width_days * 0.25)
    if len(buckets) <= 16:
        ax.set_xticks(centres, _date_labels(buckets, weekday=bucket == "day"))
    elif bucket == "day" and len(buckets) <= 16 * 7:
        # Mondays, not matplotlib's "every 4th day", whose spacing restarts each month.
        mondays = [(d, x) for d, x in zip(buckets, centres, strict=True) if d.weekday() == 0]
        mondays = mondays[::math.ceil(len(mondays) / 12)]
        ax.set_xticks([x for _, x in mondays], _date_labels([d for d, _ in mondays]))
    else:
        locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
        as_dt = (mdates.num2date(e).replace(tzinfo=None) for e in (edges[0], edges[-1]))
        ticks = [t for t in locator.tick_values(*as_dt) if edges[0] <= t <= edges[-1]]
        ax.set_xticks(ticks, _date_labels([mdates.num2date(t).date() for t in ticks]))
    ax.tick_params(axis="x", labelsize=9)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(max(bottom) * 1.05, 1))
    ax.grid(axis="y", color="#E5E5E5", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylabel("Events")
    ax.set_xlabel("Week starting" if bucket == "week" else "Day")
    ax.set_title(_plain(title), fontsize=13, loc="left")
    if handles:
        # Reversed so the legend reads top-down in the same order as the stack.
        ax.legend(handles=handles[::-1], loc="upper left", bbox_to_anchor=(1.01, 1),
                  frameon=False, title="Event type", alignment="left")
    else:
        _no_events(ax)
    return _png(fig)


@dataclass(frozen=True)
class MapPoint:
    township: str
    state_region: str
    latitude: float
    longitude: float
    events: int
    event_type: str  # the township's most frequent type, used for colour


def _area_scale(max_events: int) -> float:
    """Points² per event: biggest circle ~1000 pt², but one event never balloons on its own."""
    return min(60.0, 1000.0 / max(max_events, 1))


def _marker_area(scale: float, events: int) -> float:
    """Area proportional to events, with a floor so a single event is still a visible dot."""
    return max(scale * events, 6.0)


def _radius_pt(scale: float, events: int) -> float:
    return math.sqrt(_marker_area(scale, events)) / 2  # scatter's s is the square of the width


def _size_legend_values(max_events: int) -> list[int]:
    nice = [m * 10**e for e in range(7) for m in (1, 2, 5)]
    largest = max(n for n in nice if n <= max(max_events, 1))
    middle = [n for n in nice if 1 < n <= largest / 5]
    return sorted({1, largest, *middle[-1:]})


def _hits_circle(box: Bbox, x: float, y: float, r: float) -> bool:
    nearest_x, nearest_y = min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1)
    return (nearest_x - x) ** 2 + (nearest_y - y) ** 2 < r * r


def _place_labels(fig: Figure, ax: Axes, labelled: Sequence[MapPoint], scale: float) -> None:
    """Try sides of each circle in turn; a label that fits nowhere is dropped, never overlapped.

    Obstacles are earlier labels and the other labelled circles, so the biggest township
    (placed first) always gets its label and no name covers another top township.
    """
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)  # settles the aspect-adjusted axes box so text extents are final
    px_per_pt = fig.dpi / 72
    circles = [(*ax.transData.transform((p.longitude, p.latitude)),
                _radius_pt(scale, p.events) * px_per_pt) for p in labelled]
    taken: list[Bbox] = []
    for i, p in enumerate(labelled):
        r = _radius_pt(scale, p.events) + 2
        for angle in (0, 180, 90, 270, 45, 315, 135, 225):  # right, left, above, below, corners
            dx, dy = r * math.cos(math.radians(angle)), r * math.sin(math.radians(angle))
            ha = "left" if dx > 0.1 else "right" if dx < -0.1 else "center"
            va = "bottom" if dy > 0.1 else "top" if dy < -0.1 else "center"
            text = ax.annotate(
                _plain(f"{p.township} ({p.events})"), (p.longitude, p.latitude),
                xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=8.5,
                zorder=5, path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])
            box = text.get_window_extent(renderer).padded(1)
            fits = (ax.bbox.x0 <= box.x0 and box.x1 <= ax.bbox.x1
                    and ax.bbox.y0 <= box.y0 and box.y1 <= ax.bbox.y1
                    and not any(box.overlaps(t) for t in taken)
                    and not any(_hits_circle(box, *c) for j, c in enumerate(circles) if j != i))
            if fits:
                taken.append(box)
                break
            text.remove()


def map_chart(points: Sequence[MapPoint], *, background: Sequence[tuple[float, float]],
              regions: Sequence[tuple[str, float, float]], title: str) -> bytes:
    """Township bubbles over a dot outline of Myanmar, needing no basemap download.

    The ~356 township centroids in ``background`` trace the country's shape well enough to
    orient a reader, which keeps the bot free of cartopy/geopandas and of network access.
    """
    points = [p for p in points if p.events > 0
              and math.isfinite(p.latitude) and math.isfinite(p.longitude)]
    fig, ax = _new_figure(7, 10)
    lats = [lat for lat, _ in background] + [p.latitude for p in points]
    lons = [lon for _, lon in background] + [p.longitude for p in points]
    lat_lim = (min(lats) - 0.4, max(lats) + 0.4) if lats else _MYANMAR_LAT
    lon_lim = (min(lons) - 0.4, max(lons) + 0.4) if lons else _MYANMAR_LON
    ax.set_xlim(*lon_lim)
    ax.set_ylim(*lat_lim)
    # A degree of longitude is shorter than one of latitude by cos(latitude).
    ax.set_aspect(1 / math.cos(math.radians(sum(lat_lim) / 2)))
    ax.set_facecolor("#F7FAFC")

    if background:
        ax.scatter([lon for _, lon in background], [lat for lat, _ in background], s=7,
                   color=_BACKGROUND_COLOUR, linewidths=0, zorder=1)
    for name, lat, lon in regions:
        # Upper case and muted, as on printed maps, so they never read as township labels.
        ax.text(lon, lat, _plain(name.upper()), ha="center", va="center", fontsize=7.5,
                color=_MUTED_TEXT, alpha=0.9, zorder=2)

    max_events = max((p.events for p in points), default=1)
    scale = _area_scale(max_events)
    # Biggest first so small circles stay on top and visible.
    ordered = sorted(points, key=lambda p: -p.events)
    ax.scatter([p.longitude for p in ordered], [p.latitude for p in ordered],
               s=[_marker_area(scale, p.events) for p in ordered],
               c=[type_colour(p.event_type) for p in ordered], alpha=0.7,
               edgecolors="#333333", linewidths=0.6, zorder=3)

    ax.set_xlabel("Longitude")
    ax.set_ylabel("Latitude")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}°E"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}°N"))
    ax.tick_params(labelsize=8, colors="#555555")
    ax.set_title(_plain(title), fontsize=13)
    if not points:
        _no_events(ax)
        return _png(fig)

    type_handles = [
        Line2D([], [], marker="o", linestyle="", markersize=9, alpha=0.7,
               markerfacecolor=type_colour(t), markeredgecolor="#333333", label=_plain(t))
        for t in _type_order({p.event_type for p in points})]
    size_handles = [
        ax.scatter([], [], s=_marker_area(scale, n), color="white", edgecolors="#333333",
                   linewidths=0.6, label=f"{n} event{'s' if n != 1 else ''}")
        for n in _size_legend_values(max_events)]
    # Outside the map, to its right: inside, they would hide townships or the Coco Islands.
    type_legend = ax.legend(handles=type_handles, loc="upper left", bbox_to_anchor=(1.03, 1),
                            fontsize=9, title="Most frequent type", title_fontsize=9.5,
                            frameon=False, alignment="left")
    ax.add_artist(type_legend)
    type_legend.set_clip_on(False)  # add_artist clips to the axes, which bbox="tight" then crops
    # Legend geometry is in font sizes; make room for the biggest circle so none overlap.
    biggest = 2 * _radius_pt(scale, max(_size_legend_values(max_events))) / 9
    ax.legend(handles=size_handles, loc="lower left", bbox_to_anchor=(1.03, 0), fontsize=9,
              title="Events per township", title_fontsize=9.5, frameon=False,
              handlelength=max(2.0, biggest), handleheight=max(0.7, biggest),
              labelspacing=0.6, borderpad=1, alignment="left")

    top = sorted(points, key=lambda p: (-p.events, p.township))[:_LABELLED_TOWNSHIPS]
    _place_labels(fig, ax, top, scale)
    return _png(fig)
