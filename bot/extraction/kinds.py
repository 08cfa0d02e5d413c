"""The ACLED sub-event types a cue can signal, and the record of one cue found in a sentence.

Kept apart from ``triggers`` (which decides what a cue signals) so the modules that only need
the names of the types or the ``Trigger`` record do not depend on the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

CLASH = "Armed clash"
OVERTAKE = "Non-state actor overtakes territory"
REGAIN = "Government regains territory"
AIR = "Air/drone strike"
SHELL = "Shelling/artillery/missile attack"
MINE = "Remote explosive/landmine/IED"
GRENADE = "Grenade"
CHEMICAL = "Chemical weapon"
SUICIDE = "Suicide bomb"
ATTACK = "Attack"
ABDUCT = "Abduction/forced disappearance"
SEXUAL = "Sexual violence"
PEACEFUL = "Peaceful protest"
INTERVENTION = "Protest with intervention"
EXCESSIVE = "Excessive force against protesters"
RIOT = "Violent demonstration"
ARRESTS = "Arrests"
PROPERTY = "Looting/property destruction"
AGREEMENT = "Agreement"
BASE = "Headquarters or base established"
TRANSFER = "Non-violent transfer of territory"
DISRUPTED = "Disrupted weapons use"
SAME = "same as the previous event"  # "met the same fate": the previous report's type
CASUALTIES = "fighters killed"  # a dated casualty report with no other event: an armed clash


@dataclass(frozen=True)
class Trigger:
    """One sub-event type a sentence reports, where its cue is, and how it is told."""

    sub_event_type: str
    start: int
    end: int
    needs_own_date: bool = False  # "have occupied", "268 airstrikes": not one dated event
    agent_from: int | None = None  # offset of a passive "by …" naming who did it
    passive: bool = False  # "the base was seized": what is named first is what was acted on
    anaphoric: bool = False  # "the clashes": an event told before, if the article told one
    plural: bool = False  # "airstrikes": several events, which a month cannot date one by one
    vague: bool = False  # "attacked a police station": the next sentence may say with what
    civilian_target: bool = False  # "a shell hit the village": civilians, not a side, were hit
    discovered: bool = False  # "bodies were found on Monday": killed on the earliest day told
    generic: bool = False  # "attack", "raid": a word that does not say how it was done
    inferred: bool = False  # a battle told only by its dead: one place, or it is a summary
    perfect: bool = False  # "has seized": dated only by a date told after it
