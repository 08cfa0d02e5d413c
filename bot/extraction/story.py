"""What a reader of one article has established so far: where, when, who, and what is
still waiting for a missing piece.

Kept apart from ``assemble`` so the state that carries from one sentence to the next is in one
place, with a comment on why each piece is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.dates import EventDate
from bot.extraction.dating import story_day
from bot.extraction.drafts import Draft
from bot.extraction.groups import Mention
from bot.extraction.kinds import ATTACK, CLASH
from bot.extraction.places import Places
from bot.extraction.segment import Sentence
from bot.extraction.triggers import Trigger
from bot.extraction.when import SHORT_SPAN
from bot.gazetteer import Township

WEEK_AHEAD = 3  # how far ahead a report dated by a week looks for the day it happened
LONG_FIGHT = 7  # days after a clash broke out that its fighters' dated deaths still belong to it
# "The fighting was still ongoing at the time of reporting", "the clashes continued": the
# story's fight is told as one that went on past its first day
GOING_ON = re.compile(r"\b(?:fighting|clash(?:es)?|battles?|it|they)\s+(?:was|were|is|are|has|"
                      r"have)?\s*(?:been\s+)?(?:still\s+)?(?:ongoing|continu\w+|going\s+on|"
                      r"raging)\b", re.IGNORECASE)

# How a sentence refers back to what the story told.
OCCURRED = re.compile(r"(?:\s+[\w'’-]+){0,2}?\s+(?:occurred|took\s+place|happened|"
                       r"(?:was|were)\s+(?:carried\s+out|conducted|launched))\b", re.IGNORECASE)
# "the junta shelling on June 25", "the clash at Hmaw Bon on Monday": a noun dated where it
# stands (not "the clashes … ended on Wednesday", which dates the end of one told).
# "The fighting continued from 19 to 23 February": a told event that went on to another day.
# "the clashes between the CNDF troops on 16 January": the sides named before the day
DATED_NOUN = re.compile(r"\s+(?:(?:between|with|involving)\s+(?:[\w'’-]+\s+){1,6}?)?"
                        r"(?:(?:at|in|near)\s+(?:[A-Z][\w'’-]*\s+){1,3})?(?:(?:continued|"
                        r"resumed|raged|went\s+on|lasted)\s+)?(?:on|from)\s+(?:the\s+)?$")
# "The KNLA and PDF joint forces conducted the mine attack": who did the event referred to.
DOERS = re.compile(r"\b(?:conducted|carried\s+out|launched|staged|claimed(?:\s+responsibility\s+"
                    r"for)?)\s+(?:the|this|that)\b", re.IGNORECASE)
# "the KIA and the KIO were among the resistance forces taking part": who else fought
TOOK_PART = re.compile(r"\b(?:were|was)\s+(?:also\s+)?among\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
                       r"(?:forces|groups|fighters|troops)\s+(?:taking|that\s+took|who\s+took)\s+"
                       r"part\b", re.IGNORECASE)
# "In the shootout, …": which earlier event a follow-up sentence is about.
REFERS = {
    "Battles": re.compile(r"\bthe\s+(?:\w+\s+)?(?:shoot-?out|clash(?:es)?|fighting|battle|"
                          r"ambush)\b", re.IGNORECASE),
    "Explosions/Remote violence": re.compile(r"\bthe\s+(?:\w+\s+)?(?:air\s?strikes?|strikes?|"
                                             r"bombings?|shell(?:ing)?|blast|explosion)\b",
                                             re.IGNORECASE),
    "": re.compile(r"\bthe\s+(?:\w+\s+)?(?:attacks?|raid|incident)\b", re.IGNORECASE),
}


@dataclass
class Held:
    """A report the article completes in a later sentence: a lede whose township comes next,
    or an event whose day the next sentence gives ("The attack occurred … on May 19")."""

    sentence: Sentence
    trigger: Trigger
    when: EventDate | None
    township: Township | None
    mentions: list[Mention]
    places: Places
    # "seized a junta camp … in northern Shan State on Thursday. … KIA troops seized the camp
    # at about 2pm": the state last named before the report, which a township completing it
    # must lie in (not Kachin State's Shwegu, named three sentences on for another capture)
    regions: set[str] = field(default_factory=set)


@dataclass
class Story:
    """What the article has established so far: where, when, who."""

    place: Township | None = None
    when: EventDate | None = None
    coalition: list[str] = field(default_factory=list)
    protesters: str | None = None
    villages: dict[str, Township] = field(default_factory=dict)
    regions: set[str] = field(default_factory=set)
    last_regions: set[str] = field(default_factory=set)  # named by the latest sentence naming any
    drafts: list[Draft] = field(default_factory=list)
    pending: list[Draft] = field(default_factory=list)  # still without actors
    held: list[Held] = field(default_factory=list)
    last_trigger_paragraph: int = -1
    # "Troops arrived in Ta Moke village … on March 15. They burned house by house": the
    # groups a sentence names for a place and day without reporting an event there themselves.
    scenes: dict[tuple[str, date], list[str]] = field(default_factory=dict)
    # "Airstrikes … have killed 11 civilians. … the Wednesday attack on Vuilu village": what
    # kind of event the article is about, even when its first mention could not be dated.
    topic: str | None = None
    # "Jets dropped 40 bombs near Hsenghkun village on 3 December. … residents of Pekon Township
    # say": a dated lede no nearby sentence placed, and every township a sentence names as its
    # only place; an article that names one township only tells its events there
    stale: list[Held] = field(default_factory=list)
    townships: dict[str, Township] = field(default_factory=dict)
    # "beat five civilians to death … this week. … following junta raids on Oct. 25": the days
    # each sentence states, in order, so a report dated by a week only can take the day told next
    days: list[list[EventDate]] = field(default_factory=list)
    going_on: bool = False  # the story's fight was told as still going on (``GOING_ON``)

    def dead_told(self) -> bool:
        """"We found 14 dead bodies": bodies found, on no day of their own, after the article
        told an event with deaths (or a killing, "four were found killed") where and when the
        story is are that event's dead; so are
        they when that event was a raid of a few days which the story's day (when the dead
        were found) ends ("found killed Monday after a three-day raid", dated Saturday)."""
        told = [d.when for d in self.drafts
                if (d.figure or d.sub_event_type == ATTACK) and d.township == self.place]
        told += [h.when for h in self.held  # a lede still waiting for its township
                 if h.when is not None and h.trigger.sub_event_type == ATTACK]
        return self.when is not None and any(
            0 <= (self.when.date - when.date).days < SHORT_SPAN for when in told)

    def fight_went_on(self, when: EventDate) -> bool:
        """"Fighting broke out near the village on 14 May. … It was still ongoing … One fighter
        died on 15 May and two on 19 May": fighters' deaths dated a few days after a clash
        told as going on, in the story's township, are that fight's dead, coded once on the
        day it broke out (SOURCES.md 07), not a new battle a day. (Without "going on", a
        later day's dead may be a new fight: "attacked a camp on December 25 … two died on
        December 27".)"""
        return self.going_on and any(
            d.sub_event_type == CLASH and d.township == self.place
            and 0 < (when.date - d.when.date).days <= LONG_FIGHT for d in self.drafts)

    def narrowed_weeks(self) -> list[Draft]:
        """The drafts, those dated by a week only ("last week", "this week") re-dated to the first
        day in that week the next few sentences state, or left out: a week is no day, and an
        event that cannot be put on a day is skipped (SOURCES.md), like an undated one. A day
        that dates an event of another kind in its sentence ("Last week, two were arrested. A
        protest was held on Friday") is that event's, not the week's."""
        kept: list[Draft] = []
        for draft in self.drafts:
            if draft.when.precision == "week":
                at = draft.evidence[0].index
                later = [day for index, days in enumerate(self.days[at + 1:at + 1 + WEEK_AHEAD],
                                                          start=at + 1) for day in days
                         if 0 <= (day.date - draft.when.date).days < 7 and not any(
                             d.when == day and d.evidence[0].index == index
                             and d.sub_event_type != draft.sub_event_type for d in self.drafts)]
                if not later:
                    continue
                draft.when = later[0]
            kept.append(draft)
        return kept

    def strays(self) -> list[tuple[Held, Township]]:
        """Dated reports still without a township, with the article's only township."""
        if len(self.townships) != 1:
            return []
        (township,) = self.townships.values()
        return [(item, township) for item in [*self.stale, *self.held]
                if item.township is None and item.when is not None
                and item.when.precision == "day"
                and (not item.regions or township.state_region in item.regions)]

    def learn(self, text: str, places: Places, townships: list[Township], own_place: bool,
              mentions: list[Mention], own: list[tuple[EventDate, int]], moved_on: bool,
              armed: list[str]) -> None:
        """What a sentence establishes for the ones after it: where, when, which coalition
        (``armed``: the armed non-state groups it names) and how protesters are called."""
        # "On Oct 27, ethnic rebel groups … launched a military operation": a placeless aside
        # dated before the story's day names no coalition of the story's events
        aside = bool(own) and not own_place and self.when is not None and all(
            day.date < self.when.date for day, _ in own)
        if own_place:
            self.place = townships[0] if len(townships) == 1 else None
            if len(townships) == 1:  # not "in Pekon and Pinlaung townships", a roundup
                self.townships[townships[0].pcode] = townships[0]
        if len(townships) == 1:
            for village, _ in places.villages:
                self.villages.setdefault(village, townships[0])
        self.days.append([day for day, _ in own if day.precision == "day"])
        self.going_on = self.going_on or bool(GOING_ON.search(text))
        last = story_day(own, text) if own else None
        if last is not None:
            self.when = last if last.precision == "day" else None
        elif moved_on and not own:  # a sentence of background past keeps the story's day
            self.when = None
        armed = list(dict.fromkeys(armed))
        if armed and not set(armed) <= set(self.coalition) and not aside:  # one of them is no
            self.coalition = armed                                          # new coalition
        labels = [m.name for m in mentions if m.name.endswith("protesters")]
        if self.protesters is None or self.protesters == "protesters":
            self.protesters = next((n for n in labels if n != "protesters"),
                                   self.protesters or (labels[0] if labels else None))
