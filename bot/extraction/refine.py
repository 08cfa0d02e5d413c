"""Second looks at whole events, once every sentence of the article has been read.

Some facts that settle an event's ACLED type come sentences after the event is told: villagers
"arrested during a raid" who "are still being held in the village monastery" were not arrested
by the law but detained by troops in the field, which ACLED codes as abduction/forced
disappearance (and the team's answer keys follow); a sentence saying civilians were "used as
human shields" does the same. Some events are parts of a battle told beside them: soldiers
"detained" when a camp was seized, or "arrested by our forces" in the next sentences, are the
battle's prisoners, not arrests; troops who "abandoned their outposts" on the day those outposts
were seized gave them up under attack, no peaceful transfer. These rules look at the sentences
around an event's evidence.
"""

from __future__ import annotations

import re

from bot.extraction import cues
from bot.extraction.drafts import Draft
from bot.extraction.kinds import OVERTAKE, REGAIN, TRANSFER
from bot.extraction.segment import Sentence
from bot.extraction.triggers import ABDUCT, ARRESTS

LOOK_AHEAD = 6  # sentences after an event's first evidence that may say how people were held
_NAMES = re.compile(r"\b[A-Z][\w'’]*")  # capitalised words: names, not who was held
PRISONERS_AFTER = 3  # sentences after a battle's first evidence that may tell its prisoners

_HELD = re.compile(
    r"\b(?:held|kept|detained|confined|locked\s+up)\b[^.;]{0,40}?\b(?:in|at|inside)\s+(?:the\s+|a\s+)?"
    r"(?:[\w-]+\s+){0,2}(?:monaster(?:y|ies)|schools?|church(?:es)?|pagodas?|camps?|bases?|"
    r"compounds?)\b|\b(?:human\s+shields?|as\s+(?:guides|porters|hostages))\b",
    re.IGNORECASE,
)


def held_by_troops(events: list[list[Draft]], found: list[Sentence]) -> None:
    """Arrests whose captives the article says troops hold in a monastery, school or camp, or
    use as shields, guides or porters, become abductions."""
    for drafts in events:
        if drafts[0].sub_event_type != ARRESTS:
            continue
        first = min(s.index for d in drafts for s in d.evidence)
        window = found[first:first + LOOK_AHEAD + 1]
        if any(_HELD.search(s.text) for s in window):
            for draft in drafts:
                draft.sub_event_type = ABDUCT


def second_looks(events: list[list[Draft]], found: list[Sentence]) -> list[list[Draft]]:
    """The events once the whole article is read: captives held by troops, and the parts of a
    battle told beside it."""
    held_by_troops(events, found)
    return [drafts for drafts in events if not _part_of_battle(drafts, events)]


def _civilians(drafts: list[Draft]) -> bool:
    """Whether the arrests' sentences name civilians (not counting words of groups' names,
    "People's Defence Force"): those are arrests, whoever made them."""
    return any(cues.CIVILIANS.search(_NAMES.sub("", s.text)) for d in drafts for s in d.evidence)


def _first(drafts: list[Draft]) -> int:
    return min(s.index for d in drafts for s in d.evidence)


def _part_of_battle(drafts: list[Draft], events: list[list[Draft]]) -> bool:
    """Arrests told with a battle in its township on its day (in its sentence or the few after
    it), and a peaceful transfer on the day of a capture there, belong to that battle."""
    first = drafts[0]
    if first.sub_event_type not in (ARRESTS, TRANSFER):
        return False
    start = _first(drafts)
    for other in events:
        head = other[0]
        if other is drafts or head.township != first.township or head.when != first.when:
            continue
        if first.sub_event_type == TRANSFER and head.sub_event_type in (OVERTAKE, REGAIN):
            return True
        if first.sub_event_type == ARRESTS and head.event_type == "Battles" \
                and 0 <= start - _first(other) <= PRISONERS_AFTER and not _civilians(drafts):
            return True
    return False
