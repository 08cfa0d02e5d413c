"""Second looks at whole events, once every sentence of the article has been read.

Some facts that settle an event's ACLED type come sentences after the event is told: villagers
"arrested during a raid" who "are still being held in the village monastery" were not arrested
by the law but detained by troops in the field, which ACLED codes as abduction/forced
disappearance (and the team's answer keys follow); a sentence saying civilians were "used as
human shields" does the same. These rules look at the sentences around an event's evidence.
"""

from __future__ import annotations

import re

from bot.extraction.drafts import Draft
from bot.extraction.segment import Sentence
from bot.extraction.triggers import ABDUCT, ARRESTS

LOOK_AHEAD = 6  # sentences after an event's first evidence that may say how people were held

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
