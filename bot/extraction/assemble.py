"""Reading an article sentence by sentence and assembling events from the pieces.

An event is a trigger with a township and a day. A news report tells one story over several
sentences, so a sentence without a place or date continues the story it follows: it inherits
the township last named (until another area, or the whole country, is named) and the day last
stated (until a period such as "since October 27" or two days at once take over; a month does
not carry, it is too vague to date what follows). When a sentence names several days, each
trigger takes the nearest ("launched an attack on Sunday and seized the camp the next day").
A lede that names no township takes the one the next few sentences give (or, failing that, the
only township the article names on its own). A sentence that
reports nothing new but names who did it ("Residents said Light Infantry Battalion 565 … was
responsible for the strike") or how many died ("In the shootout, around 40 junta soldiers were
killed") completes the event it follows; "the attack" refers back to an event already told
(unless it names its own day and another township, or says when "the attacks occurred", which
dates one of the events told), and "met the same fate" repeats the previous event's type. A
sentence that names who came to a place on a day without telling an event there ("Troops
arrived in Ta Moke village on March 15") names who did what the next sentences tell there
("They burned house by house"). Troops "occupying" a village in a raid, with no armed group
named, take no territory from anyone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from bot.dates import EventDate
from bot.extraction import cues
from bot.extraction.counts import fatalities
from bot.extraction.dating import (
    date_for,
    more_days,
    paired_days,
    referred_day,
    sentence_dates,
)
from bot.extraction.drafts import Draft, event_type_of, merge
from bot.extraction.groups import RESISTANCE, ArticleNames, GroupIndex, Mention, source_spans
from bot.extraction.kinds import AIR, MINE, OVERTAKE, REGAIN, SAME, SHELL, Trigger
from bot.extraction.places import PlaceIndex, Places, location_in
from bot.extraction.quotes import SPEECH_DAY, quoted, retold
from bot.extraction.refine import second_looks
from bot.extraction.segment import Sentence, mask_dateline, sentences
from bot.extraction.sides import Sides
from bot.extraction.story import DATED_NOUN, DOERS, OCCURRED, REFERS, TOOK_PART, Held, Story
from bot.extraction.triggers import bare_bomb, find_triggers, first_cue, remote_topic
from bot.gazetteer import Township

HOLD_SENTENCES = 3  # how far ahead a held report looks for its missing township
BACKGROUND_DAYS = 365  # older than this, a report takes no township from the story
ROUNDUP = 3  # townships listed at once, with no day of their own: a roundup, not the story's
REMOTE = {AIR, SHELL, MINE}  # what a bare "the attack" may have been
_CLAIM = re.compile(r"\b(?:claim\w*|alleg\w*|accus\w*)\b", re.IGNORECASE)
# "burned down two houses, accusing those families of supporting the PDFs": the accusation is
# the deed's motive, an affiliation pinned on its victims, not a claim about the deed
_MOTIVE = re.compile(r"\baccus\w*\s+(?:[\w'’]+\s+){0,4}?of\s+(?:being|having|supporting|"
                     r"links?|ties|contacts?|connections?|collaborat\w*|sympathi\w*|"
                     r"involvement|membership|helping|harbou?ring)\b", re.IGNORECASE)
_PROTEST_WORDS = re.compile(r"\bprotest\w*|" + cues.DEMONSTRATION
                            + r"|\brall(?:y|ies)\b|\bgeneral\s+strike", re.IGNORECASE)
# "the northwest command headquarters in Monywa town shelled the area": where the attacker sits.
# "Myanmar Navy vessels in Sittwe fired mortar shells into villages in Ponnagyun": the same.
_INSTALLATION = re.compile(r"\b(?:headquarters|HQ|base|battalion|garrison|command|camp|outpost|"
                           r"unit|division|vessels|ships|warships)\s+(?:located\s+|stationed\s+)?"
                           r"(?:in|at)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
# "shells were launched by junta forces positioned at Kyar Hein mountain in upper Kazu Kaing, Ann
# Township", "shells being fired from Kazu Kaing in Ann": the gunners' position, wherever it stands
_POSITIONED = re.compile(r"\b(?:(?:positioned|stationed)\s+(?:at|on|in)|(?:fired|launched)\s+"
                         r"(?:[\w'’-]+\s+){0,4}?from)\s+(?:[\w'’-]+,?\s+){0,7}$", re.IGNORECASE)
# "in Maungdaw, Ann, Kyaukphyu and Thandwe townships": one list of places (not "10 in A
# Township, five in B Township and five in C Township", the story's event township by township)
_NAME = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?"
_TOWNSHIP_LIST = re.compile(rf"\b(?:{_NAME}\s*,\s*)+{_NAME},?\s+and\s+{_NAME}\s+townships\b")


class Reader:
    """Reads one article with the team's matchers; ``read`` returns drafts grouped by event."""

    def __init__(self, places: PlaceIndex, groups: GroupIndex, published: date) -> None:
        self.places = places
        self.groups = groups
        self.sides = Sides(groups)
        self.published = published
        self.story = Story()
        self.names = ArticleNames({}, {})

    def read(self, body: str) -> list[list[Draft]]:
        found = sentences(body)
        self.story.coalition = self._first_named_groups(found)
        protest = [bool(_PROTEST_WORDS.search(s.text)) for s in found]
        for i, sentence in enumerate(found):
            nearby = any(protest[j] for j in (i - 1, i, i + 1) if 0 <= j < len(found)
                         and found[j].paragraph in (sentence.paragraph, sentence.paragraph - 1))
            self._sentence(sentence, nearby, quoted(body, sentence))
        for item, township in self.story.strays():
            self._draft(item.sentence, item.trigger, township, item.when, item.places,
                        item.mentions)
        self._settle_pending()
        events = second_looks(merge(self.story.narrowed_weeks()), found)
        for drafts in events:
            self.sides.perpetrators_only(drafts)
        return events

    def _first_named_groups(self, found: list[Sentence]) -> list[str]:
        """The armed groups the article names first: what a lede's "resistance forces" are."""
        names = ArticleNames({}, {})
        for sentence in found:
            armed = [m.name for m in self.groups.find(sentence.text, names)
                     if self.sides.armed_non_state(m.name)]
            if armed:
                return list(dict.fromkeys(armed))
        return []

    def _sentence(self, sentence: Sentence, protest_nearby: bool, in_quote: bool) -> None:
        """Find the sentence's pieces, draft its events (or hold them until the article says
        where or when), or let it complete the event before; then update the story."""
        text = mask_dateline(sentence)
        story = self.story
        mentions = self.groups.find(text, self.names)
        sources = source_spans(text)
        kinds_told = [(d.sub_event_type, d.when) for d in story.drafts]
        own, moved_on = sentence_dates(text, self.published,
                                       referred_day(text, kinds_told) or story.when, sources)
        triggers = find_triggers(text, protest_nearby=protest_nearby, sources=sources,
                                 dates=[start for _, start in own])
        places = self._places(text, triggers, sources)
        story.regions |= places.regions
        story.last_regions = places.regions or story.last_regions
        reporting = bool(own) or any(not t.needs_own_date for t in triggers)
        townships, own_place = self._townships(text, places, reporting)
        if _CLAIM.search(_MOTIVE.sub("", text)) and not own:
            triggers = []  # an allegation with no date of its own is a statement
        just_held = [h for h in story.held if h.sentence.index == sentence.index - 1]
        told = bool(story.drafts or just_held) or any(not t.anaphoric for t in triggers)
        # "the massacre of 32 villagers … in Myinmu Township this month": a reference that
        # gives its own day and township is an event of its own (merging joins a repeat)
        located = bool(own) and any(m.township != story.place
                                    for m in places.event_townships)
        triggers = [self._restated(t, text, triggers) if t.anaphoric and told and own else t
                    for t in triggers]
        triggers = [replace(t, anaphoric=False) if t.anaphoric and told and own
                    and self._another_day(t, own, text) else t for t in triggers]
        triggers = [replace(t, sub_event_type=story.topic) if (
                    t.generic and t.anaphoric and story.topic in REMOTE)
                    or bare_bomb(t, text, story.topic) else t for t in triggers]
        story.topic = remote_topic(text) or story.topic
        new = [t for t in triggers if (own or not t.needs_own_date)
               and not (t.anaphoric and told and not located)
               and not (t.discovered and not own and story.dead_told())]
        dated = [(t, date_for(t, own, None if moved_on else story.when, text)) for t in new]
        dated += [(t, when) for t, first in list(dated) if first is not None
                  for when in more_days(t, first, own, text, new)]
        dated = [(t, when) for t, when in dated
                 if when is not None and (when.precision == "day" or not t.plural)]
        if in_quote and SPEECH_DAY.search(text):  # "Yesterday, an old man was killed …"
            dated = [(t, when) for t, when in dated
                     if not retold(story.drafts, self._type(t), when)]
            own = [(day, at) for day, at in own if not SPEECH_DAY.match(text, at)]
        if not own_place:  # "reached a ceasefire in November 2020": history, not the story's
            dated = [(t, when) for t, when in dated
                     if (self.published - when.date).days <= BACKGROUND_DAYS]
        drafted = len(story.drafts)
        if len(townships) != 1:  # "troops were killed in Thaton and Belin townships": a summary
            dated = [(t, when) for t, when in dated if not t.inferred]
        dated = [(t, when) for t, when in dated if not (t.inferred and story.fight_went_on(when))]
        if len(townships) >= ROUNDUP and not own and _TOWNSHIP_LIST.search(text):
            dated = []  # "Clashes also went on in A, B, C and D townships": no day of the story
        if dated and townships:
            self._settle_pending()
            for trigger, when, township in paired_days(dated, townships, places, own):
                self._draft(sentence, trigger, township, when, places, mentions)
            story.last_trigger_paragraph = sentence.paragraph
        named = [m.name for m in mentions if not m.aside and m.name != RESISTANCE
                 and not m.name.endswith("protesters")]
        if len(story.drafts) == drafted and own and own_place and len(townships) == 1 and named:
            key = (townships[0].pcode, max(own, key=lambda pair: pair[1])[0].date)
            story.scenes[key] = list(dict.fromkeys(named))
        elif not places.nationwide:
            self._hold(sentence, new, dict(dated), townships, mentions, places)
        if not new:
            self._follow_up(sentence, mentions)
        if own_place and len(townships) == 1:
            self._complete_held(sentence, townships[0], None)
        elif just_held and own and any(t.anaphoric for t in triggers):
            self._complete_held(sentence, None, own[0][0])  # "The attack occurred on May 19"
        armed = [m.name for m in mentions if self.sides.armed_non_state(m.name)]
        story.learn(text, places, townships, own_place, mentions, own, moved_on, armed)

    def _another_day(self, trigger: Trigger, own: list[tuple[EventDate, int]],
                     text: str) -> bool:
        """"Meanwhile, the junta shelling on June 25 killed two women": a reference that dates
        itself to a day on which no event of its kind was told is an event of its own."""
        # "On November 25, the junta's artillery fire struck …": a day opening the sentence
        # dates a weapon's strike (not "the fighting", which may go on from the day told)
        own = [(day, at) for day, at in own if DATED_NOUN.match(text, trigger.end, at)
               or (at < trigger.start and len(text[:at].split()) <= 1
                   and trigger.sub_event_type in REMOTE)]
        when = date_for(trigger, own, None, text) if own else None
        return when is not None and when.precision == "day" and not any(
            d.when == when and d.sub_event_type == self._type(trigger)
            for d in self.story.drafts)

    def _restated(self, trigger: Trigger, text: str, others: list[Trigger]) -> Trigger:
        """"Landmine attacks … on 27 and 28 June. … the attacks occurred … on 27 June": a
        reference back that says when "it occurred" dates the event told it refers to, or with
        none told yet ("The attack occurred …, when soldiers … set homes ablaze") its own deed."""
        if not OCCURRED.match(text, trigger.end):
            return trigger
        referent = next((d.sub_event_type for d in reversed(self.story.drafts)
                         if self.story.place is None or d.township == self.story.place),
                        next((t.sub_event_type for t in others if not t.anaphoric), None))
        if referent is None:
            return trigger
        return replace(trigger, sub_event_type=referent, anaphoric=False)

    def _places(self, text: str, triggers: list[Trigger],
                sources: list[tuple[int, int]]) -> Places:
        """The sentence's places, with those that are not where it happened set aside: places
        in the source's description, and the base of an attacker ("the command headquarters
        in Monywa town shelled the area")."""
        places = self.places.find(text, self.story.regions)
        subject_end = first_cue(text) if triggers and not triggers[0].passive else 0
        places.townships = [
            replace(m, aside=True) if any(s <= m.start < e for s, e in sources) or (
                m.start < subject_end and _INSTALLATION.search(text[:m.start])) or (
                cues.ARTILLERY.search(text) and _POSITIONED.search(text[:m.start]))
            else m for m in places.townships]
        return places

    def _type(self, trigger: Trigger) -> str:
        """The sub-event type, with "the same fate" read as the previous event's."""
        if trigger.sub_event_type == SAME and self.story.drafts:
            return self.story.drafts[-1].sub_event_type
        return trigger.sub_event_type

    def _townships(self, text: str, places: Places,
                   reporting: bool) -> tuple[list[Township], bool]:
        """The townships the sentence is about, and whether it names them itself.

        A village the article has already placed ("Ho Phate village in Demoso Township") places
        the sentences that name it again, with or without the word "village". Another state
        named by a sentence that reports something moves the story away from its township;
        named in background ("has also captured a township in Chin state"), it does not.
        """
        story = self.story
        found = places.event_townships
        if story.place is not None and found and all(m.landmark for m in found):
            found = []  # "a village several miles north of Sittwe", in the story's township
        named = [m.township for m in found]
        if not named:
            known = [t for v, t in story.villages.items()
                     if re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text)]
            named = list(dict.fromkeys(known))
        if named:
            return named, True
        moved = places.nationwide or (story.place is not None and bool(places.regions)
                                      and story.place.state_region not in places.regions
                                      and reporting)
        if moved:
            story.place = None
        return ([story.place] if story.place else []), False

    def _draft(self, sentence: Sentence, trigger: Trigger, township: Township, when: EventDate,
               places: Places, mentions: list[Mention]) -> None:
        """One draft for one trigger in one township: its groups, the side that acted (which
        decides whether territory was overtaken or regained), and what the report implies."""
        story = self.story
        sub_type = self._type(trigger)
        if sub_type == SAME:
            return
        kind = event_type_of(sub_type)
        actors = self.sides.involved(sentence.text, kind, mentions, story.coalition,
                                     story.protesters)
        camp = self.sides.acting_camp(sentence.text, trigger, mentions)
        if sub_type in (OVERTAKE, REGAIN) and camp is not None:
            sub_type = REGAIN if camp else OVERTAKE
        if sub_type == REGAIN and trigger.civilian_target and not any(
                self.sides.armed_non_state(a) for a in actors):
            return  # troops "occupied the village" in a raid: no armed group lost ground
        if kind == "Protests":
            agents = [a for a in actors if a.endswith("protesters")]
        else:
            agents = [a for a in actors if camp is not None and self.sides.state(a) == camp]
        draft = Draft(township, when, sub_type, location_in(places, township), actors, agents,
                      fatalities(sentence.text), [sentence],
                      one_sided=self.sides.is_one_sided(kind, trigger, sub_type),
                      vague=trigger.vague)
        scene = story.scenes.get((township.pcode, when.date), [])
        if draft.one_sided and scene:  # the raid's perpetrators, named when it was set
            camp = self.sides.state(draft.agents[0]) if draft.agents else None
            draft.actors += [a for a in scene if a not in draft.actors
                             and (camp is None or self.sides.state(a) == camp)]
        self.sides.complete(draft, sentence.text, story.coalition, story.drafts)
        if kind == "Explosions/Remote violence":
            self._say_how(draft, sentence)
        story.drafts.append(draft)
        if not draft.actors:
            story.pending.append(draft)

    def _say_how(self, draft: Draft, sentence: Sentence) -> None:
        """"Resistance groups attacked a police station … Two drones dropped six bombs on it":
        a sentence saying how the attack just told was made makes it that kind of event."""
        for earlier in self.story.drafts:
            same_side = not (earlier.agents and draft.agents) or (
                self.sides.state(earlier.agents[0]) == self.sides.state(draft.agents[0]))
            if earlier.vague and earlier.evidence[0].index == sentence.index - 1 \
                    and earlier.township == draft.township and earlier.when == draft.when \
                    and same_side:
                earlier.sub_event_type = draft.sub_event_type
                earlier.vague = False

    def _hold(self, sentence: Sentence, triggers: list[Trigger], dated: dict[Trigger, EventDate],
              townships: list[Township], mentions: list[Mention], places: Places) -> None:
        """Keep a report missing one piece: a township for a dated lede (a day, not a month,
        ties it to what follows), or a day for an event the next sentence may date. A report
        that named several townships was drafted in each; no later one is its place."""
        township = townships[0] if len(townships) == 1 else None
        for trigger in triggers:
            when = dated.get(trigger)
            if (when is not None and when.precision in ("day", "week") and not townships) or (
                    when is None and township is not None):
                self.story.held.append(Held(sentence, trigger, when, township, mentions,
                                             places, set(self.story.last_regions)))

    def _complete_held(self, sentence: Sentence, township: Township | None,
                       when: EventDate | None) -> None:
        """Draft the held reports this sentence gives the missing township or day."""
        story = self.story
        held, story.held = story.held, []
        for item in held:
            if sentence.index - item.sentence.index > HOLD_SENTENCES:
                story.stale.append(item)
                continue
            place = item.township or township
            day = item.when or (when if sentence.index == item.sentence.index + 1 else None)
            if place and item.regions and place.state_region not in item.regions:
                continue
            if place is None or day is None:
                story.held.append(item)
                continue
            self._draft(item.sentence, item.trigger, place, day, item.places, item.mentions)

    def _follow_up(self, sentence: Sentence, mentions: list[Mention]) -> None:
        """A sentence that adds who did it, or how many died, to the event it follows; groups
        said to have "conducted the attack" join the event it refers to."""
        story = self.story
        if not story.drafts:
            return
        target = story.drafts[-1]
        part = TOOK_PART.search(sentence.text)
        for draft in story.drafts if part else []:  # each battle of the story's place
            if draft.township == target.township and draft.event_type == "Battles":
                draft.actors.extend(m.name for m in mentions if m.end <= part.start()  # said
                                    and m.name != RESISTANCE and m.name not in draft.actors)
        pattern_found = False
        for event_type, pattern in REFERS.items():
            if pattern.search(sentence.text):
                target = next((d for d in reversed(story.drafts)
                               if not event_type or d.event_type == event_type), target)
                pattern_found = True
                break
        else:
            if sentence.paragraph != story.last_trigger_paragraph:
                return
        named = [m.name for m in mentions if not m.aside and m.name != RESISTANCE
                 and not m.name.endswith("protesters")]
        if named and story.pending and sentence.paragraph == story.last_trigger_paragraph:
            for draft in story.pending:
                draft.actors.extend(n for n in dict.fromkeys(named) if n not in draft.actors)
                draft.agents = draft.actors[:1]
                draft.evidence.append(sentence)
            story.pending = []
        doers = DOERS.search(sentence.text)
        if doers and pattern_found:  # "The KNLA and PDF joint forces conducted the mine attack"
            behind = [m.name for m in mentions if m.end <= doers.start() and not m.aside
                      and m.name != RESISTANCE and m.name not in target.actors]
            target.actors.extend(dict.fromkeys(behind))
        figure = fatalities(sentence.text)
        if figure is not None:
            target.follow_up.append(figure)

    def _settle_pending(self) -> None:
        """Drafts nobody was named for take the groups of the report they continue."""
        story = self.story
        for draft in story.pending:
            before = [d for d in story.drafts if d.actors and d is not draft]
            source = next((d for d in reversed(before) if d.township == draft.township),
                          before[-1] if before else None)
            if source is not None:
                draft.actors = list(source.actors)
                draft.agents = list(source.agents)
        story.pending = []
