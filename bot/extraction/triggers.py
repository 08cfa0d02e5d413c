"""Which ACLED sub-event types a sentence reports, from the words that signal them.

Cue words are grouped by what they signal ("clash", "seized", "air strike", "shelled",
"landmine", "arrested", "torched", "protest" …). A cue reports an event only when the sentence
asserts it happened: not negated ("no reports of fighting"), not planned, vowed or hedged
("is planning to launch", "would try to capture", "traveling to raid"), not the background of
another event ("despite junta shelling", "after carrying out heavy airstrikes", "because …"),
not a reference back to an event already told ("the attack", "previous clashes") and not part
of the source's description. ACLED's definitions settle what an ambiguous cue means: an attack
with aircraft is an air strike, with artillery shelling, on troops or a base an armed clash, on
civilians violence against civilians; a capture after fighting is one territorial event, not a
clash as well; arrests at a protest are a protest with intervention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.extraction import cues

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


def _clause_before(text: str, start: int) -> str:
    cut = max((m.end() for m in cues.CLAUSE.finditer(text, 0, start)), default=0)
    return text[cut:start]


def _status(text: str, start: int, noun: bool, sources: list[tuple[int, int]]) -> str:
    """How the cue at ``start`` is told: "report", "back" (the event told before, if any),
    "background" (the circumstance of another event) or "none" (negated, intended, the
    source's own description, an adjective): only the first two can be events."""
    clause = _clause_before(text, start)
    silent = (cues.NEGATION, cues.MODAL, cues.INFINITIVE, cues.RELATIVE_PAST,
              cues.NEAR_BACKGROUND)  # the last: "escaping from junta shelling"
    if any(s <= start < e for s, e in sources) or any(p.search(clause) for p in silent):
        return "none"
    if cues.AIM_OBJECT.search(clause) and not re.search(r"\b(?:used|using)\b", clause):
        return "none"  # "to fight off resistance ambushes", but "used a drone to bomb"
    if (cues.EARLIER if noun else cues.ADJECTIVE).search(clause):  # "previous clashes",
        return "none"                                                # "the detained villagers"
    if noun and cues.BACK_REFERENCE.search(clause):
        return "back"
    return "background" if cues.BACKGROUND.search(clause) else "report"


def _is_passive(before: str, cue: str) -> bool:
    """"was seized", and "surrendered"/"fell", whose subject is what was lost."""
    return bool(re.search(r"\b(?:was|were|been|being|is|are)(?:\s+\w+)?\s*$", before)
                or re.match(r"surrender|fell", cue, re.IGNORECASE))


def _attack(kind: str, text: str, cue: str, before: str, after: str, protest: bool) -> str | None:
    """An attack or shooting: ACLED types it by weapon first, then by target."""
    target = before if _is_passive(before, cue) else after
    if protest:
        return EXCESSIVE if cues.EXCESSIVE.search(text) else INTERVENTION
    if cues.AIRCRAFT.search(text):
        return AIR
    if kind == "attack" and re.search(r"\barson\b", f"{before} {cue}"):
        return PROPERTY
    if kind == "attack" and cues.ARTILLERY.search(text):
        return SHELL
    if kind == "attack" and cues.MINES.search(after):
        return MINE
    if cues.ARMED.search(target):
        return CLASH
    if cues.CIVILIANS.search(target if kind == "attack" else text):
        return ATTACK
    return CLASH if re.match(r"attack|assault|launched|started|began|mounted", cue,
                             re.IGNORECASE) else None


def _capture(cue: str, text_after: str, before: str, after: str) -> str | None:
    """Taking a place is territorial; taking civilians is abduction; taking arms is neither."""
    if re.search(r"\b(?:weapons|arms|ammunition|explosives|cameras|vehicles|bodies)\b",
                 " ".join(after.split()[:4])):
        return None
    target = before if _is_passive(before, cue) else after
    if cues.TERRITORY.search(target) or re.match(r"\s+[A-Z]", text_after):
        return OVERTAKE
    if re.search(r"\b(?:villagers|civilians|residents|people|locals)\b", after):
        return ABDUCT
    return None


_FIXED = {"clash": CLASH, "mine": MINE, "grenade": GRENADE, "chemical": CHEMICAL,
          "suicide": SUICIDE, "sexual": SEXUAL, "riot": RIOT, "agree": AGREEMENT, "base": BASE,
          "abandon": TRANSFER, "defuse": DISRUPTED, "same": SAME, "abduct": ABDUCT,
          "retake": REGAIN, "execute": ATTACK, "protest": PEACEFUL, "found dead": ATTACK}


def _classify(kind: str, text: str, start: int, end: int, protest: bool) -> str | None:
    """The sub-event type one cue signals in this sentence, or None if it signals none."""
    cue = text[start:end]
    before = " ".join(text[:start].split()[-8:])
    after = " ".join(text[end:].split()[:8])
    if kind == "abduct" and re.search(r"\b(?:police\w*|soldiers|troops|officers|personnel)\b",
                                      before if _is_passive(before, cue) else after):
        return None  # holding police or soldiers captive is part of the fighting
    whose = re.split(r"[,;.]|\b(?:after|when|as|while|with|in|near)\b|\bat\b(?!\s+(?:least|most))",
                     text[end:])[0]
    if kind == "found dead" and re.search(
            r"\b(?:troops|soldiers|fighters|combatants|personnel|police\w*)\b", cue + whose):
        return None  # soldiers' bodies after a battle are its dead, not a killing of civilians
    if kind in _FIXED:
        return _FIXED[kind]
    if kind == "air":
        if re.match(r"bomb", cue, re.IGNORECASE) and re.match(
                r"(?:\s+\w+){0,2}?\s+(?:exploded|went\s+off|was\s+planted)", text[end:]):
            return MINE
        artillery_only = cues.ARTILLERY.search(text) and not cues.AIRCRAFT.search(text)
        return SHELL if re.match(r"bomb", cue, re.IGNORECASE) and artillery_only else AIR
    if kind == "shell":
        return AIR if re.search(r"\b(?:jets?|warplanes?|aircraft)\b", after[:30]) else SHELL
    if kind in ("attack", "shoot"):
        return _attack(kind, text, cue, before, after, protest)
    if kind == "capture":
        return _capture(cue, text[end:], before, after)
    if kind == "intervene":
        return INTERVENTION if protest else None
    if kind == "arrest":
        if protest:
            return INTERVENTION
        if cues.SHIELD.search(text):
            return ABDUCT
        return ARRESTS if cues.PEOPLE.search(before if _is_passive(before, cue) else after) \
            else None
    if kind == "burn":  # burning needs property nearby; torching, looting or arson do not
        bare = re.match(r"burn", cue, re.IGNORECASE)
        return None if bare and not cues.PROPERTY.search(f"{before} {after}") else PROPERTY
    if kind == "march":
        return PEACEFUL if protest else None
    return None


def _settle(found: dict[str, Trigger], executed: bool) -> dict[str, Trigger]:
    """ACLED's ties: one territorial event, not a clash too; remote violence, not an attack;
    arrests at a protest are the protest; "arrested and killed" is the killing."""
    if OVERTAKE in found or REGAIN in found:
        found.pop(CLASH, None)
    if AIR in found or SHELL in found or MINE in found:
        found.pop(ATTACK, None)
    protests = [t for t in (EXCESSIVE, INTERVENTION, PEACEFUL) if t in found]
    if protests:
        for other in (ARRESTS, ATTACK, *protests[1:]):
            found.pop(other, None)
    if ABDUCT in found or (executed and ATTACK in found):
        found.pop(ARRESTS, None)
    if executed and ATTACK in found:
        found.pop(ABDUCT, None)
    return found


def find_triggers(text: str, *, protest_nearby: bool = False,
                  sources: list[tuple[int, int]] | None = None) -> list[Trigger]:
    """The sub-event types ``text`` reports, one trigger per type, in order of their cues.

    ``protest_nearby``: the sentence or its neighbours speak of a protest, so arrests and
    dispersals are part of it. ``sources``: spans naming the report's source. A cue in a
    background clause ("after …", "because …") counts only when the main clause reports
    nothing: "They took shelter … after troops entered the village and started shooting".
    """
    sources = sources or []
    protest = protest_nearby or bool(cues.PROTESTERS.search(text))
    if cues.HABITUAL.search(text):
        return []
    found_cues = [  # a cue class's "-ed" forms are verbs, which "the …" cannot refer back with
        (kind, match, _status(text, match.start(), nouns and not re.search(
            r"ed$", match.group(), re.IGNORECASE), sources))
        for kind, pattern, nouns in cues.CUES for match in pattern.finditer(text)
    ]
    main = any(status != "background" for *_, status in found_cues)
    found: dict[str, Trigger] = {}
    for kind, match, status in sorted(found_cues, key=lambda c: c[1].start()):
        if status == "none" or (status == "background" and main):
            continue
        sub_type = _classify(kind, text, match.start(), match.end(), protest)
        if sub_type is not None and sub_type not in found:
            vague = kind == "attack" and sub_type == CLASH
            found[sub_type] = _trigger(text, match, sub_type, status == "back", vague)
    executed = any(kind == "execute" for kind, *_ in found_cues)
    return sorted(_settle(found, executed).values(), key=lambda t: t.start)


def first_cue(text: str) -> int:
    """Where the first word signalling any event is (the end of the text if there is none)."""
    return min((m.start() for _, pattern, _ in cues.CUES for m in pattern.finditer(text)),
               default=len(text))


def _trigger(text: str, match: re.Match[str], sub_type: str, back: bool,
             vague: bool) -> Trigger:
    clause = _clause_before(text, match.start())
    needs_date = bool(
        cues.PERFECT.search(clause) or cues.PRESENT_BEFORE.search(clause)
        or cues.PRESENT_AFTER.match(text[match.end():])
        or cues.CURRENTLY.search(text[:match.start()])
        or (cues.EVENT_PLURAL.search(match.group()) and cues.COUNTED.search(clause)))
    by = re.match(r"(?:\s+[\w'’-]+){0,3}?\s+by\b", text[match.end():])
    passive = _is_passive(clause, match.group())
    target = (" ".join(text[:match.start()].split()[-10:]) if passive
              else " ".join(text[match.end():].split()[:10]))
    return Trigger(sub_type, match.start(), match.end(), needs_date,
                   match.end() + by.end() if by else None, passive, back,
                   bool(cues.EVENT_PLURAL.search(match.group())), vague,
                   bool(cues.CIVILIAN_TARGET.search(target)),
                   re.search(r"found|discovered", match.group(), re.IGNORECASE) is not None)
