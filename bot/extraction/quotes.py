"""Quoted speech: its "yesterday" counts from the day the witness spoke, not from publication.

A witness quoted in a report published a day or more after speaking ("Yesterday, an old man was
killed by an artillery shell") retells the event the report has just dated; read against the
publication date it would look like another event on another day.
"""

from __future__ import annotations

import re

from bot.dates import EventDate
from bot.extraction.drafts import Draft
from bot.extraction.segment import Sentence

# Days counted from when someone speaks.
SPEECH_DAY = re.compile(r"\b(?:yesterday|today|last\s+night|tonight|this\s+(?:morning|"
                        r"afternoon|evening))\b", re.IGNORECASE)
RETELLING_DAYS = 2  # how far a quoted "yesterday" may be from the day the report gave


def quoted(body: str, sentence: Sentence) -> bool:
    """Whether the sentence is inside a quotation opened earlier in its paragraph or by it."""
    before = body[body.rfind("\n", 0, sentence.start) + 1:sentence.start]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”") or \
        sentence.text.lstrip().startswith(('"', "“"))


def retold(drafts: list[Draft], sub_event_type: str, when: EventDate) -> bool:
    """A quoted report of a kind of event already told for a day or two around it is that
    event."""
    return any(d.sub_event_type == sub_event_type
               and abs((d.when.date - when.date).days) <= RETELLING_DAYS for d in drafts)
