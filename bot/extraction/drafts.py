"""Drafts of events, and merging them into one event per township, date and sub-event type.

Each trigger in each township on each day is a draft; an article usually tells one event over
several sentences, so drafts sharing township, date and sub-event type are one event. ACLED's
definitions settle two more cases: fighting that ends in a capture the same day in the same
township is that capture ("Non-state actor overtakes territory" / "Government regains
territory"), not a separate armed clash (unless it was fought at several bases); and a protest
is one event a day in a place, typed by the worst that happened to it (a shooting makes the
dispersal "Excessive force"); and people detained in one place on one day are one arrest or
abduction, typed as first told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from bot.dates import EventDate
from bot.extraction.kinds import (
    ABDUCT,
    ARRESTS,
    CLASH,
    EXCESSIVE,
    INTERVENTION,
    OVERTAKE,
    PEACEFUL,
    PROPERTY,
    REGAIN,
)
from bot.extraction.segment import Sentence
from bot.gazetteer import Township
from bot.taxonomy import taxonomy


@cache
def event_type_of(sub_event_type: str) -> str:
    return next(t for t, subs in taxonomy().items() if sub_event_type in subs)


@dataclass
class Draft:
    """One trigger in one township on one day, before drafts of the same event merge."""

    township: Township
    when: EventDate
    sub_event_type: str
    location: str | None
    actors: list[str]
    agents: list[str]
    figure: int | None  # deaths its sentence states
    evidence: list[Sentence]
    follow_up: list[int] = field(default_factory=list)  # deaths later sentences add
    one_sided: bool = False  # harm to civilians or their property: only who did it counts
    vague: bool = False  # an "attack" the next sentence may say was a strike or shelling

    @property
    def event_type(self) -> str:
        return event_type_of(self.sub_event_type)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.township.pcode, self.when.date.isoformat(), self.when.precision,
                self.sub_event_type)


def merge(drafts: list[Draft]) -> list[list[Draft]]:
    """Drafts grouped into events, in the order the article first tells them."""
    groups: dict[tuple[str, str, str, str], list[Draft]] = {}
    for draft in drafts:
        groups.setdefault(draft.key, []).append(draft)
    for key in [k for k in groups if k[3] in (OVERTAKE, REGAIN)]:  # one capture a day there:
        first = next(k for k in groups if k[:3] == key[:3] and k[3] in (OVERTAKE, REGAIN))
        if first != key:  # "the CNDF captured a camp … our troops captured the camp": as first told
            groups[first].extend(groups.pop(key))
    territorial = {key[:3]: key for key in groups if key[3] in (OVERTAKE, REGAIN)}
    for key in [k for k in groups if k[3] == CLASH and k[:3] in territorial
                and not _several_bases(groups[k])]:
        groups[territorial[key[:3]]].extend(groups.pop(key))
    for key in [k for k in groups if k[:3] in territorial and _part_of_capture(groups[k])]:
        groups[territorial[key[:3]]].extend(groups.pop(key))
    for key in [k for k in groups if k[3] in _DETENTIONS]:  # one detention a day in a place
        first = next(k for k in groups if k[:3] == key[:3] and k[3] in _DETENTIONS)
        if first != key:
            groups[first].extend(groups.pop(key))
    for severity, sub_type in enumerate(_PROTESTS):  # one protest a day in a place: the worst
        for key in [k for k in groups if k[3] == sub_type]:
            worse = next(((*key[:3], w) for w in _PROTESTS[severity + 1:]
                          if (*key[:3], w) in groups), None)
            if worse is not None:
                groups[worse].extend(groups.pop(key))
    for key, drafts in groups.items():
        for draft in drafts:
            draft.sub_event_type = key[3]
    return list(groups.values())


# "raided three regime outposts simultaneously": an attack on several bases, of which one
# was taken, is a battle at the others too (not when each is said taken: "captured three camps")
_SEVERAL_BASES = re.compile(r"\b(?:two|three|four|five|six|several|multiple|\d+)\s+(?:[\w'’-]+\s+)?"
                            r"(?:outposts|bases|camps|positions)\b", re.IGNORECASE)


def _several_bases(drafts: list[Draft]) -> bool:
    """Whether a clash told beside a capture was fought at several bases, one of them taken."""
    return any(_SEVERAL_BASES.search(s.text) for d in drafts for s in d.evidence)


def _part_of_capture(drafts: list[Draft]) -> bool:
    """"After the outpost was set on fire": burning the base taken, the same day in the same
    township, is part of the capture, not an event of its own. (Air strikes and shelling in
    the battle are events of their own, as ACLED codes them.)"""
    return drafts[0].sub_event_type == PROPERTY and any(
        re.search(r"\b(?:outposts?|camps?|bases?|posts?|headquarters)\b", s.text, re.IGNORECASE)
        for d in drafts for s in d.evidence)


# "12 civilians were arrested when troops raided their homes … My cousin was also abducted
# from her house": one detention told twice, typed as first told.
_DETENTIONS = (ARRESTS, ABDUCT)
# ACLED codes one protest event per place and day, by what happened to it at worst.
_PROTESTS = (PEACEFUL, INTERVENTION, EXCESSIVE)
