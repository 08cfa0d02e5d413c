"""Which day each reported event took place, from the dates its sentence gives.

``when`` finds date expressions and their roles; this module decides what they date. A sentence
may name several days, and not every date belongs to every event cue in it: "has seized an
outpost … after launching an offensive on Nov. 13" dates the offensive, not the seizure; "shelled
the village and then started torching houses on December 27" dates the torching; "torched Wa Yar
on December 27 and Nagar Bo on Wednesday" is one verb on two days. The story's day, which later
sentences inherit, is the main clause's, not a relative clause's ("… on Sunday … that also saw
the nearby outpost fall on Dec. 4" goes on with Sunday).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.dates import EventDate
from bot.extraction import cues
from bot.extraction.kinds import ABDUCT, AIR, ARRESTS, ATTACK, CLASH, OVERTAKE, PROPERTY, SHELL
from bot.extraction.places import Places
from bot.extraction.telling import same_day
from bot.extraction.triggers import Trigger
from bot.extraction.when import day_count, find_dates
from bot.gazetteer import Township

# A clause opened after the cue whose date is not the cue's ("… given that the AA was
# removed from the list in March 2021" dates the removal).
SUBORDINATE = re.compile(r"\b(?:after|following|since|then|given\s+that)\b", re.IGNORECASE)
# A relative clause's date is a side story.
_RELATIVE = re.compile(r"\b(?:that|which|who)\b", re.IGNORECASE)

# "fighting between junta troops and KIA forces that erupted in 2011": the cue's own start.
_OWN_START = re.compile(r"[^,;.]{0,80}?\b(?:that|which)\s+(?:first\s+)?(?:began|started|"
                        r"broke\s+out|erupted)\s+(?:on|in)\b", re.IGNORECASE)
# "detained 100 people since renewed fighting began on November 13": the start of the spell
# the sentence counts over, a period, as "fighting that began on" is
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)
_SINCE_START = re.compile(r"[^,;.]{0,80}?\b(?:began|started|broke\s+out|erupted|resumed)\s+"
                          r"(?:on|in)\b", re.IGNORECASE)
# "… following the clashes with the AA": after the event told, on a day the report omits.
_AFTER_TOLD = re.compile(r"\b(?:following|after)\s+the\s+(?:[\w-]+\s+)?(?:clash(?:es)?|"
                         r"fighting|battles?|attacks?)\b", re.IGNORECASE)
# A word that is no verb (no auxiliary, nothing in -ed or -ing): what a list item with its verb
# left out is made of.
_WORD_BUT = (r"(?!(?:was|were|is|are|has|had|have{more})\b)(?![\w'’-]*(?:ed|ing)\b)"
             r"[\w'’()-]+\s+")
_NO_VERB = _WORD_BUT.format(more="")
_NO_VERB_NOR_SUBJECT = _WORD_BUT.format(more="|they|we|it")
# "was captured on 25 March, the 564th battalion on 5 April": the verb left out of a list, each
# item an object and its day (no verb of its own: not "…, residents fled on Tuesday").
_GAPPED = re.compile(rf",\s+(?:and\s+)?(?:the\s+)?(?:{_NO_VERB}){{1,4}}on\s*$",
                     re.IGNORECASE)
# "; nearly 200 in Maden Yang on": an item of a list after a semicolon, the verb left out
_LIST_ITEM = re.compile(rf"\s*(?:and\s+)?(?:{_NO_VERB_NOR_SUBJECT}){{1,8}}on\s+"
                        r"(?:the\s+)?", re.IGNORECASE)
# "torched A on May 7 and raided B on Wednesday": after "and", a verb of its own, so the later
# day is that verb's (an item of the list has none: "and three more homes in B on May 8")
_OWN_VERB = re.compile(r"\band\s+(?:then\s+|later\s+|also\s+)?(?:[a-z]+ed|was|were|had|has|"
                       r"set|shot|took|burnt|fought|fled|hit|held|seized|stole|brought)\b")
# "had been killed", "had seized": the past before the story.
_PLUPERFECT = re.compile(r"\bhad\s+(?:already\s+|also\s+)?(?:been\s+)?[a-z]+(?:ed|en|wn|ht|t)\b",
                         re.IGNORECASE)
# "found six corpses on January 22, following a firefight", "bombarded the town on Thursday after
# the AA seized the police station": an event told as what came before another, dated by the
# other's clause only when that day opens the sentence ("On Sunday, after a clash, …")
_OBJECT_OF_AFTER = re.compile(r"\b(?:following|after)\s+(?:[\w'’()-]+\s+){0,6}$", re.IGNORECASE)
# "… came two days after it captured the camp": the count of days is the "after" clause's own
_COUNT_OF_AFTER = re.compile(r"[\w-]+\s+days\s+", re.IGNORECASE)
# "bodies were found on Monday after a three-day raid": the dead were killed in the raid, an
# event coded on the day it began (SOURCES.md 07), which the finding day ends
_AFTER_SPAN = re.compile(r"[^.;]{0,40}?\b(?:after|following)\s+(?:a|an|the)\s+(?P<n>[2-7]|two|"
                         r"three|four|five|six|seven)-day\s+(?:[\w-]+\s+){0,2}?(?:raid|operation|"
                         r"offensive|siege|occupation|assault|attack|clearance)\b", re.IGNORECASE)
_FOUND = re.compile(r"\b(?:found|discovered)\s+$", re.IGNORECASE)
_WITHIN = re.compile(r"\b(?:within|over|in)\s+(?:the\s+)?(?:next|following|a\s+few|\d+|two|three|"
                     r"four|five|six|seven|several)\s+(?:days|weeks|months)\b", re.IGNORECASE)
# (atomic: only the first "had …ed" is tried, as a later one cannot lie before the last comma
# when the first does not; trying each in turn is quadratic in a long sentence)
_PLUPERFECT_LEAD = re.compile(r"^(?>[^;:]*?" + _PLUPERFECT.pattern + r")[^;:]*?,\s+[a-z]+ing\b"
                              r"[^;:,]*$", re.IGNORECASE)
_PAIRED = re.compile(r"\d{1,2}(?:st|nd|rd|th)?\s*,?\s*(?:and|&)\s+")
# "Locals … are frequently injured or killed as a result of junta shelling": a habit, after which
# the story's day no longer dates what follows.
_HABIT = re.compile(r"\b(?:is|are)\s+(?:being\s+)?(?:frequently|often|regularly|routinely|"
                    r"constantly|repeatedly)\b|\b(?:frequently|often|regularly|routinely|"
                    r"constantly)\s+(?:attacks|fires|shells|raids|arrests|targets|bombs)\b",
                    re.IGNORECASE)
_UNTIL = re.compile(r"\b(?:until|till|up\s+to)\s+(?:the\s+)?$", re.IGNORECASE)
Dated = list[tuple[EventDate, int]]  # (day, offset in the sentence)


def sentence_dates(text: str, published: date, base: EventDate | None,
                   sources: list[tuple[int, int]]) -> tuple[Dated, bool]:
    """The sentence's own event dates with their offsets, and whether it speaks of a period
    or of several days at once (so the story's day no longer applies). ``base`` is the
    story's day, from which "the next day" counts. Dates in the source's description
    ("…, which in January joined the alliance") date nothing."""
    own: Dated = []
    mentions = [m for m in find_dates(text, published)
                if not any(s <= m.start < e for s, e in sources)]
    for mention in mentions:
        when = mention.when
        if mention.role == "relative" and base is not None and base.precision == "day":
            when = EventDate(base.date + timedelta(days=mention.offset), "day")
            if when.date > published:
                continue
        elif mention.role != "event" or when is None:
            continue
        own.append((when, mention.start))
        base = when
    # "They continued hunting until 18 March": a period running on from the story's day
    moved_on = any(m.role in ("period", "several") and not _UNTIL.search(text, 0, m.start)
                   for m in mentions) or (not own and bool(_HABIT.search(text)))
    return own, moved_on


# "On the same day of their arrest, …": the day of an event of that kind already told, not
# whatever day the sentence before happened to name ("accused of a killing on 6 May")
_SAME_DAY_AS = re.compile(r"\b(?:the\s+)?same\s+day\s+(?:of|as)\s+(?:the|their|his|her|its)\s+"
                          r"(?P<noun>arrests?|detentions?|attacks?|clash(?:es)?|air\s?-?strikes?|"
                          r"shelling|capture|raids?)\b", re.IGNORECASE)
_NOUN_TYPES = {"arrest": (ARRESTS, ABDUCT), "detention": (ARRESTS, ABDUCT), "attack": (ATTACK,),
               "clash": (CLASH,), "air": (AIR,), "shelling": (SHELL,), "capture": (OVERTAKE,),
               "raid": (ATTACK, PROPERTY)}


def referred_day(text: str, told: list[tuple[str, EventDate]]) -> EventDate | None:
    """The day "the same day of their arrest" refers to: that of the last event of the kind
    the noun names among ``told`` (sub-event type, day), if any."""
    match = _SAME_DAY_AS.search(text)
    if match is None:
        return None
    noun = match["noun"].casefold()
    types = next((v for k, v in _NOUN_TYPES.items() if noun.startswith(k)), ())
    return next((when for sub_type, when in reversed(told) if sub_type in types), None)


_NEXT_CLAUSE_DAY = re.compile(r"\band\s+on\s+(?:the\s+)?$", re.IGNORECASE)


def date_for(trigger: Trigger, own: Dated, carried: EventDate | None,
             text: str) -> EventDate | None:
    """The trigger's own date (the nearest, when the sentence names several), or the day
    ``carried`` over from the story.

    A cue whose own relative clause says when it began ("fighting … that erupted in 2011") is
    dated by that clause alone, a period. A date in a clause that opens after the trigger
    ("has seized an outpost … after launching an offensive on Nov. 13") dates that clause, not
    the trigger; when every date of the sentence is of that kind, the trigger has none of its
    own and none is carried.
    """
    if _OWN_START.match(text, trigger.end) or (
            _SINCE_BEFORE.search(text, max(0, trigger.start - 40), trigger.start)
            and _SINCE_START.match(text, trigger.end)):
        return None  # "due to fighting … that erupted in 2011": its clause dates it, as a period
    span = _AFTER_SPAN.match(text, trigger.end)
    if own and span and (trigger.discovered or _FOUND.search(text, 0, trigger.start)):
        # "were found killed Monday after a three-day raid": killed in the raid (R2)
        first = min(own, key=lambda pair: pair[0].date)[0]
        days = day_count(span["n"])
        return EventDate(first.date - timedelta(days=days - 1), first.precision)
    if own and trigger.discovered:  # found after the fact: killed on the earliest day
        return min(own, key=lambda pair: pair[0].date)[0]
    if own and trigger.perfect:  # "… on October 27 and has seized 300 bases": not its date
        own = [pair for pair in own if pair[1] > trigger.end]
        if not own:
            return None
    lead = _OBJECT_OF_AFTER.search(text, 0, trigger.start)
    if own and lead and not same_day(text, trigger.end):  # not "… after clashing … in the morning"
        own = [pair for pair in own if pair[1] > lead.start() or len(text[:pair[1]].split()) <= 3
               or _COUNT_OF_AFTER.fullmatch(text, pair[1], lead.start())]  # "two days after"
        if not own:
            return None
    if own:  # "launched operations on September 18 and within four days arrested 16": a stretch
        own = [pair for pair in own if pair[1] > trigger.start  # after the day, not on it
               or not _WITHIN.search(text, pair[1], trigger.start)]
        if not own:
            return None
        # "On May 1, a man was killed by shelling, and on May 2, two were hurt": a day that
        # opens the next coordinate clause is that clause's, when the trigger has one before it
        if any(pos < trigger.start for _, pos in own):
            own = [pair for pair in own if pair[1] < trigger.end
                   or not _NEXT_CLAUSE_DAY.search(text, max(0, pair[1] - 12), pair[1])]
        mine = [pair for pair in own if pair[1] < trigger.end
                or not SUBORDINATE.search(text, trigger.end, pair[1])]
        if not mine:
            return None
        return min(mine, key=lambda pair: abs(pair[1] - trigger.start))[0]
    if _AFTER_TOLD.search(text, trigger.end) and trigger.sub_event_type in (SHELL, AIR):
        # "fired shells into villages … following the clashes": a base's guns or the jets,
        # some day after; troops who "burned down 25 houses … after the fighting" are the ones
        # who fought, on the ground, going on with the same day
        return None
    before = list(_PLUPERFECT.finditer(text, 0, trigger.start))
    if before and not re.search(r"[;:]|\b(?:but|while|whereas|and\s+then)\b",
                                text[before[-1].end():trigger.start]):
        return None  # "Villagers had fled … when the attacks began": before the story's day
    return carried


def more_days(trigger: Trigger, first: EventDate, own: Dated, text: str,
              triggers: list[Trigger]) -> list[EventDate]:
    """"Troops torched Wa Yar village on December 27 and Nagar Bo … on Wednesday": one verb,
    objects on different days, so one event a day. A later date counts when only "and" and
    the next object lie between it and the day before, with no other event's cue (nor a verb of
    its own after "and"); so does a day paired with the trigger's in one phrase ("on 17 and 26
    August"), and an item of a list after a semicolon with no verb ("arrested 12 men on Monday;
    over 30 people from B on 18 April")."""
    days: list[EventDate] = []
    at = next((pos for when, pos in own if when == first), None)
    for when, pos in own:  # "on 17 and 26 August, drones attacked": two days, one phrase
        if at is not None and when != first and _PAIRED.fullmatch(text[min(pos, at):max(pos, at)]):
            days.append(when)
    positions = sorted(pos for _, pos in own)
    for when, pos in sorted(own, key=lambda pair: pair[1]):
        previous = max((p for p in positions if p < pos), default=None)
        if previous is None or when == first or when in days:
            continue
        if previous < trigger.end:  # "On May 1, troops torched 17 homes in A, and three in B
            if previous != at or pos < trigger.end:  # on May 2": the verb's own day opens it
                continue
            previous = trigger.end
        between = text[previous:pos]
        listed = re.search(r"\band\b", between) or _GAPPED.search(between)
        if listed and not re.search(r"[;:]", between) and not _OWN_VERB.search(between) \
                and not SUBORDINATE.search(between) \
                and not any(previous < t.start < pos for t in triggers):
            days.append(when)
    for when, pos in own:  # "arrested A on Monday; over 30 people from B on 18 April; …"
        item = text[text.rfind(";", 0, pos) + 1:pos]
        if when != first and when not in days and text.rfind(";", 0, pos) >= trigger.end \
                and _LIST_ITEM.fullmatch(item) \
                and not any(trigger.end < t.start < pos for t in triggers if t is not trigger):
            days.append(when)
    return days


def story_day(own: Dated, text: str) -> EventDate | None:
    """The day later sentences inherit: the last the sentence gives outside relative
    clauses. A day told as a flashback, in the past perfect ("saying 38 people had been killed
    on Wednesday") or with "previously" ("Troops previously raided the town on May 2"), is the
    background before the story, so it leaves the story's day alone (None): the sentences
    after it go on with the story, not with the earlier raid."""
    # "Troops had set fire to the town, burning 18 homes on Sept. 28": the participle's comma
    # does not end the past perfect's reach
    told = [pair for pair in own if not _PLUPERFECT.search(
        text, _clause_start(text, pair[1]), pair[1]) and not _PLUPERFECT_LEAD.match(
            text[:pair[1]]) and not cues.FLASHBACK.search(text, _clause_start(text, pair[1]),
                                                          pair[1])]
    if not told:
        return None
    main = [pair for index, pair in enumerate(told) if not _RELATIVE.search(
        text, told[index - 1][1] if index else 0, pair[1])]
    return max(main or told, key=lambda pair: pair[1])[0]


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding offset ``at`` begins (after the last comma or semicolon)."""
    return max(text.rfind(",", 0, at), text.rfind(";", 0, at)) + 1


def paired_days(dated: list[tuple[Trigger, EventDate]], townships: list[Township],
                places: Places, own: Dated) -> list[tuple[Trigger, EventDate, Township]]:
    """Each trigger's days in each township, or, when a sentence names as many townships as
    the trigger has days, each township with its day in the order told: "killed a woman in
    Maungdaw Township on August 27 and three civilians in Mrauk-U Township on August 28",
    "children from A Township and B Township respectively were killed on May 3 and 5"."""
    where = {m.township.pcode: m.start for m in places.event_townships}
    at = {when: pos for when, pos in own}
    result: list[tuple[Trigger, EventDate, Township]] = []
    for trigger in dict.fromkeys(t for t, _ in dated):
        days = list(dict.fromkeys(when for t, when in dated if t is trigger))
        if len(days) == len(townships) > 1 and all(d in at for d in days) \
                and all(t.pcode in where for t in townships):
            ordered = sorted(townships, key=lambda t: where[t.pcode])
            result += zip([trigger] * len(days), sorted(days, key=at.__getitem__), ordered,
                          strict=True)
        else:
            result += [(trigger, when, t) for when in days for t in townships]
    return result
