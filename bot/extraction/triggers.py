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
from dataclasses import replace

from bot.extraction import cues
from bot.extraction.classify import classify
from bot.extraction.kinds import (
    ABDUCT,
    AIR,
    ARRESTS,
    ATTACK,
    CASUALTIES,
    CLASH,
    EXCESSIVE,
    GRENADE,
    INTERVENTION,
    MINE,
    OVERTAKE,
    PEACEFUL,
    REGAIN,
    SHELL,
    TRANSFER,
    Trigger,
)
from bot.extraction.telling import (
    NOUN_FORM,
    another_report,
    clause_before,
    dated_here,
    governs,
    how_told,
    is_passive,
)

# "arrested Ko Pe Lan, 30, and shot at him": the captive harmed is the event, not an arrest.
_HARMED_CAPTIVE = re.compile(r"\b(?:arrested|detained|abducted|seized)\b[^.;]{0,80}?\band\s+"
                             r"(?:then\s+)?(?:shot|killed|executed|beat|tortured|stabbed)\s+"
                             r"(?:\w+\s+)?(?:him|her|them)\b", re.IGNORECASE)


def _settle(found: dict[str, Trigger], executed: bool) -> dict[str, Trigger]:
    """ACLED's ties: one territorial event, not a clash too; remote violence, not an attack;
    arrests at a protest are the protest; "arrested and killed" is the killing."""
    if OVERTAKE in found or REGAIN in found:
        found.pop(CLASH, None)
    if any(t in found for t in (CLASH, AIR, SHELL, MINE, GRENADE, ATTACK)):
        found.pop(TRANSFER, None)  # "retreated from the camp when a helicopter attacked"
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


# A cue is a verb when it ends in "-ed" ("shelled"), or, for a weapon's phrase, when it opens
# with one ("fired heavy weapons", "attacked … with heavy weapons"); multi-word cues of other
# classes ("launched its offensive") keep their old reading
_VERB_CUE = re.compile(r"ed$|^(?:fired|used|attacked|struck|pounded|targeted|detonated|laid)\s",
                       re.IGNORECASE)


def find_triggers(text: str, *, protest_nearby: bool = False,
                  sources: list[tuple[int, int]] | None = None,
                  dates: list[int] | None = None) -> list[Trigger]:
    """The sub-event types ``text`` reports, one trigger per type, in order of their cues.

    ``protest_nearby``: the sentence or its neighbours speak of a protest, so arrests and
    dispersals are part of it. ``sources``: spans naming the report's source. A cue in a
    background clause ("after …", "because …") counts only when the main clause reports
    nothing: "They took shelter … after troops entered the village and started shooting",
    or when the clause gives it a date of its own (``dates``: where the sentence's event dates
    start): "… after weeks of fighting that also saw the Traunaing outpost fall on Dec. 4".
    """
    sources = sources or []
    dates = dates or []
    protest = protest_nearby or bool(cues.PROTESTERS.search(text))
    habits = list(cues.HABITUAL.finditer(text))
    found_cues = [  # a cue class's "-ed" forms are verbs, which "the …" cannot refer back with
        # ("and the junta fired heavy weapons": a weapon's verb phrase, see _VERB_CUE)
        (kind, match, how_told(text, match.start(), (nouns or bool(NOUN_FORM.search(
            match.group()))) and not _VERB_CUE.search(match.group()), sources))
        for kind, pattern, nouns in cues.CUES for match in pattern.finditer(text)
    ]
    found_cues = [(kind, match, ("report" if dated_here(text, match.end(), dates,
                                                        120 if status == "recent" else 60)
                                 else "none" if status == "recent" else status)
                   if status in ("background", "recent") else status)
                  for kind, match, status in found_cues
                  # "Almost every night …, and on August 14, there was mortar shelling": a
                  # habit word governs the cues after it up to a date of their own
                  if not any(governs(text, h, match, dates) for h in habits)
                  and not (kind == "clash" and cues.TREND.match(text[match.end():]))]
    first = min((m.start() for _, m, _ in found_cues), default=0)
    found_cues = [  # "The troops, which burned X, entered Y": a relative clause before the main
        # verb describes the subject; after it ("the outpost, which was captured") it reports
        (kind, match, "report" if status == "background" and match.start() > first
         and re.match(r"\s*(?:which|who)\b", clause_before(text, match.start())) else status)
        for kind, match, status in found_cues]
    # "Homes were destroyed after jets launched air strikes": a main clause whose only cue is
    # no event of its own (the damage the strikes did) leaves the "after" clause to report
    main = any(status != "background" and (status == "none" or classify(
        kind, text, match.start(), match.end(), protest) is not None)
        for kind, match, status in found_cues)
    found: dict[str, Trigger] = {}
    origin: dict[str, str] = {}  # which cue class each type came from
    repeats: list[Trigger] = []  # "took X on Sunday … saw Y fall on Dec. 4": two captures
    weapons = [m.end() for kind, m, _ in found_cues if kind in ("mine", "air", "shell", "grenade")]
    for kind, match, status in sorted(found_cues, key=lambda c: c[1].start()):
        if status == "none" or (status == "background" and main):
            continue
        if kind == "attack" and any(0 <= match.start() - end <= 2 for end in weapons):
            continue  # "landmine attacks", "drone attack": the weapon's event, not a clash
        sub_type = classify(kind, text, match.start(), match.end(), protest)
        if sub_type is None:
            continue
        origin.setdefault(sub_type, kind)
        vague = kind == "attack" and sub_type == CLASH
        if sub_type not in found:
            found[sub_type] = replace(_trigger(text, match, sub_type, status == "back", vague),
                                      generic=kind == "attack")
        elif another_report(text, found[sub_type].end, match,
                            sub_type in (OVERTAKE, REGAIN), dates):
            repeats.append(_trigger(text, match, sub_type, status == "back", vague))
    if origin.get(ATTACK) == "kill" and CLASH in found:
        found.pop(ATTACK)  # civilians killed in a battle are its dead (ACLED)
    if CASUALTIES in found:
        casualties = found.pop(CASUALTIES)
        if not found and CLASH not in found:  # "four fighters killed on Tuesday", and no more
            found[CLASH] = replace(casualties, sub_event_type=CLASH, needs_own_date=True,
                                   inferred=True)
    executed = any(kind == "execute" for kind, *_ in found_cues) or bool(
        _HARMED_CAPTIVE.search(text))
    kept = _settle(found, executed)
    return sorted([*kept.values(), *(t for t in repeats if t.sub_event_type in kept)],
                  key=lambda t: t.start)


def remote_topic(text: str) -> str | None:
    """The kind of remote violence the sentence last speaks of, told as an event or not
    ("say airstrikes … have killed 11 civilians"), for a later bare "the attack"."""
    artillery_only = cues.ARTILLERY.search(text) and not cues.AIRCRAFT.search(text)
    kinds = {"air": SHELL if artillery_only else AIR, "shell": SHELL, "mine": MINE}
    weapon_told = cues.ARTILLERY.search(text) or cues.AIRCRAFT.search(text)
    found = [(m.start(), kinds[kind]) for kind, pattern, _ in cues.CUES if kind in kinds
             for m in pattern.finditer(text)  # "the bomb dropped near a home": not what kind
             if weapon_told or not re.fullmatch(r"bombs?", m.group(), re.IGNORECASE)]
    return max(found)[1] if found else None


def bare_bomb(trigger: Trigger, text: str, topic: str | None) -> bool:
    """"The police station was attacked with launcher bombs. … another bomb dropped near the
    staff quarters": a bomb that no aircraft dropped is the kind the story is about ("The first
    bomb went off … Two vehicles were targeted in a bombing": a blast like the first); so is
    "a separate strike" in a story of shelling, and "regime bombardments" in one (guns
    bombard as much as aircraft do). The mirror case: a bare "bomb" or "explosion" in a story
    of an air strike is the aircraft's bomb, since what it wrecked is the strike's damage."""
    word = text[trigger.start:trigger.end]
    return (trigger.sub_event_type == AIR and topic in (SHELL, MINE)
            and re.fullmatch(r"bombs?|bombings?|bombardments?|\w+\s+strikes?", word,
                             re.IGNORECASE) is not None
            and not cues.AIRCRAFT.search(text)) or (
        # and the other way round: "a house was also destroyed by a bomb explosion" in a story
        # of an air strike is the aircraft's bomb, not a mine, unless someone laid it
        trigger.sub_event_type == MINE and topic == AIR
        and re.fullmatch(r"bombs?|bombings?|blasts?|explosions?", word, re.IGNORECASE)
        is not None and not _PLACED.search(text))


# what only a bomb someone put there has: "laid bombs", "a planted mine", "an IED went off"
_PLACED = re.compile(r"\b(?:la(?:id|y|ying)|plant(?:ed|ing)?|buried|hidden|remote\w*|"
                     r"detonat\w*|IEDs?|(?:land)?mines?|grenades?|devices?|parcel|"
                     r"motorbike|car|vehicle)\b", re.IGNORECASE)


def first_cue(text: str) -> int:
    """Where the first word signalling any event is (the end of the text if there is none)."""
    return min((m.start() for _, pattern, _ in cues.CUES for m in pattern.finditer(text)),
               default=len(text))


def _civilian_target(target: str) -> bool:
    """"A shell hit the village" hit civilians; "drones attacked a junta base in X Village"
    hit the base: the first of the two kinds of word in the target decides."""
    civilian = cues.CIVILIAN_TARGET.search(target)
    armed = cues.ARMED.search(target)
    return bool(civilian) and (armed is None or civilian.start() < armed.start())


# "the council is taking people as porters, arresting them as human shields, and killing
# them": the items of a list governed by a present progressive are that situation too.
_ONGOING_LIST = re.compile(r"\s*(?:and\s+)?(?!(?:add|say|not|stat|claim|explain|accord)ing\b)"
                           r"[a-z]+ing\b(?![^.;]*\bthat\b)")

# "the junta is launching an offensive with ground assaults, airstrikes, and artillery
# bombardments": the nouns listed after a present progressive are that situation's means too
_NOUN_ITEM = re.compile(r"\s*(?:and\s+|or\s+)?(?:[\w'’-]+\s+){0,2}")


# "The junta has repeatedly raided villages, arrested residents, and shelled the area": the
# verbs listed after one present perfect share it (no subject of their own), so each is a
# state of affairs with no day, like the first
_PERFECT_LIST = re.compile(r"\b(?:has|have)\s+(?:[a-z]+ly\s+)?[a-z]+ed\b[^,;.:]*"
                           r"(?:,\s*(?:and\s+)?[a-z]+ed\b[^,;.:]*)*(?:,\s*and|,|\s+and)\s+$",
                           re.IGNORECASE)


_HEAD_NOUN = re.compile(r"\s+(?:attacks|strikes|raids|bombings|assaults|explosions)\b",
                        re.IGNORECASE)


def _trigger(text: str, match: re.Match[str], sub_type: str, back: bool,
             vague: bool) -> Trigger:
    clause = clause_before(text, match.start())
    # "215 airstrikes and artillery attacks": a weapon word takes the number of its noun
    noun = match.group() + (head.group() if (head := _HEAD_NOUN.match(text, match.end())) else "")
    needs_date = bool(
        cues.PERFECT.search(clause) or cues.PRESENT_BEFORE.search(clause)
        or cues.PRESENT_AFTER.match(text[match.end():])
        or cues.CURRENTLY.search(text[:match.start()])
        or ((_ONGOING_LIST.match(clause + match.group()) or _NOUN_ITEM.fullmatch(clause))
            and cues.PRESENT_BEFORE.search(text, 0, match.start()))
        or cues.RECENTLY.search(text[match.end():match.end() + 40])
        or _PERFECT_LIST.search(text, 0, match.start()) or cues.EXISTENTIAL.match(text)
        or cues.EARLIER_SPELL.search(text, match.end()) or cues.ENGAGED.search(clause)
        or (cues.EVENT_PLURAL.search(noun) and cues.COUNTED.search(clause)))
    by = re.match(r"(?:\s+[\w'’-]+){0,3}?\s+by\b", text[match.end():])
    passive = is_passive(clause, match.group())
    target = (" ".join(text[:match.start()].split()[-10:]) if passive
              else " ".join(text[match.end():].split()[:10]))
    return Trigger(sub_type, match.start(), match.end(), needs_date,
                   match.end() + by.end() if by else None, passive, back,
                   bool(cues.EVENT_PLURAL.search(noun)), vague,
                   _civilian_target(target),
                   re.search(r"found|discovered", match.group(), re.IGNORECASE) is not None,
                   perfect=bool(cues.PRESENT_PERFECT.search(clause)))
