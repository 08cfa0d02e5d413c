"""Who was involved in an event, and on which side.

An event's actors are the groups its sentence names (not its sources), with the generic words
resolved against the article: "resistance forces" are the armed groups the article last listed
(or, when it names none, the PDF, as the field codes unnamed local resistance), a battle has the
military on one side unless two non-state groups fight each other, only the military flies
aircraft (drones are flown by both sides), and fire during a reported battle is aimed at the
other side of it.
The acting side is the group named just before the trigger ("the Tatmadaw retook"), the one
after "by" in the passive, or the other side from what was acted on ("the base was seized").
Violence against civilians, arrests and destruction keep only the side that did them.
"""

from __future__ import annotations

import re

from bot.extraction.drafts import Draft
from bot.extraction.groups import RESISTANCE, GroupIndex, Mention
from bot.extraction.kinds import OVERTAKE, REGAIN
from bot.extraction.triggers import AIR, Trigger

_PROTESTED = re.compile(r"(?:\bagainst|\bpower\s+by)\s+(?:the\s+)?(?:[\w-]+\s+)?$",
                        re.IGNORECASE)
# "the capture of …", "a seizure of …": an event named by a noun, its object after "of".
_NOMINAL = re.compile(r"\b(?:the|a|an|[\w-]+['’]s)\s+$", re.IGNORECASE)
# An opening clause that sets the scene: "Amidst wars between Myanmar Army and LPDF …,"
_CIRCUMSTANCE = re.compile(r"^\s*(?:amid|amidst|despite|during|as)\b[^,;]*$", re.IGNORECASE)
_FLED = re.compile(r"\b(?:fled|escaped|retreated|withdrew|ran\s+away)\b", re.IGNORECASE)
_WHO = re.compile(r"\b(?:who|which|that)\s+(?:(?:were|was|had|have|has)\s+)?(?:also\s+)?$",
                  re.IGNORECASE)
# "After the camps were attacked, the junta forces relinquished Win Ka Lon camp": a place given
# up under attack, taken by the other side
_GAVE_UP = re.compile(r"(?:abandoned|vacated|relinquished|withdrew|retreated)\b", re.IGNORECASE)
# Where the clause of a trigger starts: a punctuation mark, or for a capture a conjunction that
# opens a clause of its own ("15 soldiers were killed when the PDF seized a camp": the PDF took it)
_PUNCTUATION = re.compile(r"[,;:“”\"]")
# "300 troops surrendered this week as the rebel group took control of the camp": "as" before a
# subject opens a clause of its own, whose subject is not the first clause's
_CLAUSE_START = re.compile(r"[,;:“”\"]|\b(?:when|after|before|while|once|until)\s|"
                           r"\bas\s+(?=(?:the|it|they|he|she|we)\s)", re.IGNORECASE)
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}
ONE_SIDED = {"Violence against civilians", "Arrests", "Looting/property destruction"}


class Sides:
    """Actor resolution for one article, with the team's actor list."""

    def __init__(self, groups: GroupIndex) -> None:
        self.groups = groups

    def state(self, name: str) -> bool:
        """Which camp a name is in: the state's (military, police, militias, the junta's
        council) or not."""
        return name != RESISTANCE and (self.groups.is_state(name)
                                       or name in self.groups.state_bodies)

    def armed_non_state(self, name: str) -> bool:
        group = self.groups.groups.get(name)
        return bool(group) and not group.state and group.kind != "political_body"

    def involved(self, text: str, kind: str, mentions: list[Mention], coalition: list[str],
                 protesters: str | None) -> list[str]:
        """Every group of the event, generic words resolved, in the order named."""
        named = [m for m in mentions if not m.aside]
        names: list[str] = []
        for index, mention in enumerate(named):
            if mention.name == RESISTANCE:
                previous = named[index - 1] if index else None
                appositive = previous is not None and re.fullmatch(
                    r",\s*(?:an?|the)\s+", text[previous.end:mention.start])
                if not appositive:  # unnamed resistance is, by the field's convention, PDF
                    local = [self.groups.local_force] if self.groups.local_force else []
                    names.extend(coalition or local)
            elif mention.name.endswith("protesters"):
                if kind == "Protests":
                    names.append(protesters or mention.name)
            elif kind == "Protests" and self.state(mention.name) and _PROTESTED.search(
                    text[max(0, mention.start - 40):mention.start]):
                continue  # "protest against seizing power by the military": what it opposed
            elif kind == "Protests" and _CIRCUMSTANCE.search(text, 0, mention.start):
                continue  # "Amidst wars between Myanmar Army and LPDF, … strike": the setting
            elif mention.name in self.groups.state_bodies and kind in VIOLENT:
                names.extend([self.groups.military] if self.groups.military else [])
            elif self._keeps(mention.name, kind, named):
                names.append(mention.name)
        names = list(dict.fromkeys(names))
        if kind == "Protests" and not any(n.endswith("protesters") for n in names):
            names.insert(0, protesters or "protesters")
        return names

    def acting_camp(self, text: str, trigger: Trigger, mentions: list[Mention]) -> bool | None:
        """Whether the acting side is the state's (None: the sentence does not say).

        The subject of the clause acts ("the Chin defence forces cleared out all the junta
        forces and took control of the town"); in the passive, "by …" names who acted, or else
        the other side from what was acted on ("the military base was seized").
        """
        named = [m for m in mentions if not m.aside]
        before = [m for m in named if m.end <= trigger.start]
        if trigger.agent_from is not None:
            agents = [m for m in named if m.start >= trigger.agent_from]
            if agents:
                return self.state(agents[0].name)
        after = [m for m in named if m.start >= trigger.end]
        if trigger.discovered:  # who found the bodies did not kill; "after junta troops raided"
            return self.state(after[0].name) if after else None
        if trigger.passive:
            return not self.state(before[-1].name) if before else None
        relative = _WHO.search(text, 0, trigger.start)
        antecedent = [m for m in before if relative and m.end <= relative.start()]
        if antecedent:  # "drone strikes on regime forces who were torching houses": those forces
            return self.state(antecedent[-1].name)
        if _NOMINAL.search(text, 0, trigger.start) and re.match(r"\s+(?:(?:on\s+)?\w+day\s+)?of\b",
                                                                text[trigger.end:]):
            # "the capture of a junta camp": what follows "of" is what was taken
            return not self.state(after[0].name) if after else None
        taking = trigger.sub_event_type in (OVERTAKE, REGAIN)
        bounds = _CLAUSE_START if taking else _PUNCTUATION
        clause_start = max((c.end() for c in bounds.finditer(text, 0, trigger.start)), default=0)
        in_clause = [m for m in before if m.start >= clause_start]
        if not before and after and taking:
            # "We were able to capture the military council camps": with no group as its
            # subject, the group after the verb is whose place was taken
            return not self.state(after[0].name)
        chosen = in_clause[:1] or before[-1:] or after[:1]
        if not chosen:
            return None
        if chosen[0].end <= trigger.start and (_FLED.search(text, chosen[0].end, trigger.start)
                                               or _GAVE_UP.match(text, trigger.start)):
            return not self.state(chosen[0].name)  # "the other troops escaped, allowing them
        return self.state(chosen[0].name)          # to capture the camp": the side that fled lost

    def _keeps(self, name: str, kind: str, named: list[Mention]) -> bool:
        """Political bodies are not parties to violence; an alliance gives way to its members."""
        group = self.groups.groups.get(name)
        if group is None:
            return True
        if group.kind == "political_body" and kind in VIOLENT:
            return False
        if group.kind == "alliance":
            return not any((g := self.groups.groups.get(m.name)) and g.member_of == name
                           for m in named)
        return True

    def complete(self, draft: Draft, text: str, coalition: list[str],
                 earlier: list[Draft]) -> None:
        """Add the sides a report leaves implicit."""
        military = self.groups.military
        if draft.event_type == "Battles":
            non_state = [a for a in draft.actors if self.armed_non_state(a)]
            feud = len(non_state) >= 2 and re.search(r"\bbetween\b", text)
            if military and not any(self.state(a) for a in draft.actors) and not feud:
                draft.actors.append(military)
            if not non_state:
                draft.actors.extend(a for a in coalition if a not in draft.actors)
        flown = re.search(r"\b(?:jets?|warplanes?|aircraft|planes?|helicopters?|gunships?)\b",
                          text, re.IGNORECASE)  # drones: both sides fly them
        if draft.sub_event_type == AIR and not draft.actors and military and flown:
            draft.actors.append(military)
        if not draft.agents and draft.actors:
            draft.agents = draft.actors[:1]
        if draft.event_type == "Explosions/Remote violence" and draft.agents \
                and not draft.one_sided:
            battle = next((d for d in reversed(earlier) if d.event_type == "Battles"
                           and d.township == draft.township and d.when == draft.when), None)
            if battle is not None:
                camp = self.state(draft.agents[0])
                draft.actors.extend(a for a in battle.actors
                                    if a not in draft.actors and self.state(a) != camp)

    @staticmethod
    def is_one_sided(kind: str, trigger: Trigger, sub_type: str) -> bool:
        """Violence against civilians, arrests, destruction, and strikes on villages or homes
        have one side: the civilians harmed are not an armed group."""
        return kind in ONE_SIDED or sub_type in ONE_SIDED or (
            kind == "Explosions/Remote violence" and trigger.civilian_target)

    def perpetrators_only(self, drafts: list[Draft]) -> None:
        """Keep the side that did it, as the earliest report of the event names it."""
        if not drafts[0].one_sided:
            return
        agents = next((d.agents for d in drafts if d.agents), None)
        if not agents:
            return
        camp = self.state(agents[0])
        for draft in drafts:
            draft.actors = [a for a in draft.actors if self.state(a) == camp]
            draft.agents = list(draft.actors)
