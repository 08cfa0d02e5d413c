"""ACLED's event taxonomy: 6 event types and 25 sub-event types, spelled as ACLED spells them.

The table lives in ``seeds/acled_taxonomy.csv`` so the reference data has one home; this module
answers the two questions every surface asks: "which type is this?" and "what could they mean?".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from bot.errors import NotFound
from bot.paths import SEEDS
from bot.text import closest, norm


@dataclass(frozen=True)
class EventType:
    event_type: str
    sub_event_type: str | None  # None when only the broad type is known

    @property
    def label(self) -> str:
        if self.sub_event_type is None:
            return self.event_type
        return f"{self.sub_event_type} ({self.event_type})"


@cache
def taxonomy() -> dict[str, list[str]]:
    """Event type -> its sub-event types, in ACLED's order."""
    result: dict[str, list[str]] = {}
    with open(SEEDS / "acled_taxonomy.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            result.setdefault(row["event_type"], []).append(row["sub_event_type"])
    return result


@cache
def _index() -> dict[str, EventType]:
    index: dict[str, EventType] = {}
    for event_type, subs in taxonomy().items():
        index[norm(event_type)] = EventType(event_type, None)
        for sub in subs:
            found = EventType(event_type, sub)
            index[norm(sub)] = found
            index[norm(f"{event_type}: {sub}")] = found
            index[norm(found.label)] = found
    return index


def resolve_type(text: str) -> EventType:
    """A sub-event type (which implies its type), a type alone, or "Type: Sub-type"."""
    found = _index().get(norm(text))
    if found is not None:
        return found
    names = {key: et.label for key, et in _index().items()}
    suggestions = closest(text, names)
    hint = f" Did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise NotFound(
        f"{text.strip()!r} is not an ACLED event type or sub-event type.{hint} "
        "Run `sitrep types` for the full list.",
        suggestions,
    )


def all_types() -> list[EventType]:
    """Every sub-event type in ACLED's order, for autocomplete and `sitrep types`."""
    return [EventType(t, s) for t, subs in taxonomy().items() for s in subs]
