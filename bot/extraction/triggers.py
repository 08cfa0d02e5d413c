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
from bot.extraction.kinds import (
    ABDUCT,
    AGREEMENT,
    AIR,
    ARRESTS,
    ATTACK,
    BASE,
    CASUALTIES,
    CHEMICAL,
    CLASH,
    DISRUPTED,
    EXCESSIVE,
    GRENADE,
    INTERVENTION,
    MINE,
    OVERTAKE,
    PEACEFUL,
    PROPERTY,
    REGAIN,
    RIOT,
    SAME,
    SEXUAL,
    SHELL,
    SUICIDE,
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
    object_phrase,
)


def _attack(kind: str, text: str, cue: str, before: str, after: str, protest: bool) -> str | None:
    """An attack or shooting: ACLED types it by weapon first, then by target (in the
    passive, the subject of its own clause: "the truck was passing X village when it was
    attacked" hit the truck, not the village)."""
    passive = is_passive(before, cue)
    target = re.split(r"\b(?:when|while|as|after|before|and|but)\b", before)[-1] if passive \
        else after
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
    if kind == "attack" and (cues.CIVILIANS.search(target) or cues.CIVILIAN_PLACE.search(target)):
        # "attacked a village", "raided villages": a raid on civilians is violence against them
        # only when someone was harmed; otherwise what was done in it (arrests, arson) is told
        told = _RELATIVE_ASIDE.sub(" ", text)  # not ", who were injured in …,"
        return ATTACK if cues.HARM.search(told) else None
    if kind != "attack" and cues.CIVILIANS.search(text):
        return ATTACK
    return CLASH if re.match(r"attack|assault|launched|started|began|mounted", cue,
                             re.IGNORECASE) else None


def _killing(cue: str, text: str, start: int, end: int, before: str) -> str | None:
    """"Killed two villagers" is violence against civilians; "four fighters killed on
    Tuesday", with nothing else said, tells of a battle (kept only with a date of its own)."""
    if re.match(r"lea(?:ving|ves|ve|ft)", cue, re.IGNORECASE):  # "torched …, leaving five
        return ATTACK if cues.CIVILIANS.search(cue) and cues.ARMED.search(text) else None
    passive = is_passive(before, cue)
    victims = before if passive else object_phrase(text[end:])
    if cues.COMBATANTS.search(victims) or (not victims.strip() and cues.COMBATANTS.search(
            " ".join(text[:start].split()[-6:]))):
        return CASUALTIES
    # Who killed must be told ("troops … killed two villagers", "were killed … by a military
    # unit"): "Eight people were killed immediately" only counts the dead of an event told.
    by = re.search(r"\bby\s+(?:[\w'’-]+\s+){0,8}?", text[end:end + 120])
    agent = (cues.ARMED.search(text[end + by.end():end + by.end() + 60]) if by else None) \
        if passive else (cues.ARMED.search(clause_before(text, start))
                         or re.search(r"\bthey\b", clause_before(text, start), re.I))
    return ATTACK if agent and cues.CIVILIANS.search(victims) else None


def _capture(cue: str, text_after: str, before: str, after: str) -> str | None:
    """Taking a place is territorial; taking civilians is abduction; taking arms is neither.

    Civilians are abducted only when they are what was taken ("seized 20 villagers"), not
    when they are named further on ("took over the roads to deter civilians")."""
    if re.search(r"\b(?:weapons|arms|ammunition|explosives|cameras|vehicles|bodies)\b",
                 " ".join(after.split()[:4])):
        return None
    passive = is_passive(before, cue)
    target = before if passive else f"{after} {object_phrase(text_after)}"
    if cues.TERRITORY.search(target) or re.match(r"\s+[A-Z]", text_after):
        return OVERTAKE
    if re.match(r"\s+(?:(?:the|some|about|around|over|more\s+than|at\s+least|\d+|"
                r"[a-z]+ty|two|three|four|five|six|seven|eight|nine|ten|dozens\s+of)\s+)*"
                r"(?:[\w-]+\s+)?(?:villagers|civilians|residents|people|locals)\b", text_after):
        return ABDUCT
    return None


_FIXED = {"clash": CLASH, "mine": MINE, "grenade": GRENADE, "chemical": CHEMICAL,
          "suicide": SUICIDE, "sexual": SEXUAL, "riot": RIOT, "agree": AGREEMENT, "base": BASE,
          "abandon": TRANSFER, "defuse": DISRUPTED, "same": SAME, "abduct": ABDUCT,
          "retake": REGAIN, "execute": ATTACK, "protest": PEACEFUL, "found dead": ATTACK}


# "arrested Ko Pe Lan, 30, and shot at him": the captive harmed is the event, not an arrest.
_HARMED_CAPTIVE = re.compile(r"\b(?:arrested|detained|abducted|seized)\b[^.;]{0,80}?\band\s+"
                             r"(?:then\s+)?(?:shot|killed|executed|beat|tortured|stabbed)\s+"
                             r"(?:\w+\s+)?(?:him|her|them)\b", re.IGNORECASE)
# "destroyed in the raid of regime troops", "destroyed by soldiers": who did it, on the ground.
_BY_RAIDERS = re.compile(r"\s+(?:down\s+)?(?:in|during|by)\s+(?:the\s+|a\s+)?(?:[\w'’-]+\s+){0,2}?"
                         r"(?:raids?|troops|soldiers|column|militia\w*)\b", re.IGNORECASE)
# What drove a side from a place: its withdrawal is part of the fighting, no peaceful transfer.
# "withdrew from the camp because they ambushed it": the same, told as a clause.
_UNDER_FIRE = re.compile(r"[^.;]{0,30}?\b(?:because(?:\s+of)?|due\s+to|amid|under)\s+"
                         r"(?:[\w'’-]+\s+){0,3}?(?:air\s?-?strikes?|shelling|shelled|"
                         r"attack(?:s|ed)?|ambush(?:ed)?|bombed|fighting|bombardments?|clashes|"
                         r"fire)\b",
                         re.IGNORECASE)
# ", who were injured in …,": a relative clause set off by commas, an aside on its subject.
_RELATIVE_ASIDE = re.compile(r",\s*(?:who|which)\b[^,]*,")
# A weapon that struck before the damage told: the fire is the strike's, not arson.
_STRUCK = re.compile(r"\b(?:bombs?|shells?|missiles?|rockets?|air\s?-?strikes?|drones?)\b",
                     re.IGNORECASE)
# "After several days of attacks, junta troops withdrew": the same, told before the cue.
_AFTER_FIRE = re.compile(r"\b(?:after|following)\s+(?:[\w'’-]+\s+){0,4}?(?:air\s?-?strikes?|"
                         r"shelling|attacks?|fighting|bombardments?|clashes|battles?)\b",
                         re.IGNORECASE)
_SEIZED_ARMS = re.compile(r"\b(?:confiscat\w+|seiz(?:ed|ing)|captur(?:ed|ing)|recover(?:ed|ing)|"
                          r"collected|handed\s+over)\b", re.IGNORECASE)
_ARMS = re.compile(r"\b(?:ammunition|weapons|bullets|rifles|guns|firearms|arms)\b",
                   re.IGNORECASE)


def _classify(kind: str, text: str, start: int, end: int, protest: bool) -> str | None:
    """The sub-event type one cue signals in this sentence, or None if it signals none."""
    cue = text[start:end]
    before = " ".join(text[:start].split()[-8:])
    after = " ".join(text[end:].split()[:8])
    if kind in ("air", "shell", "mine", "grenade") and re.fullmatch(
            r"(?:bombs?|mines?|shells?|grenades?|rockets?|mortars?|missiles?)", cue,
            re.IGNORECASE) and _SEIZED_ARMS.search(text) and _ARMS.search(text):
        return None  # "ammunition, including … bombs, was confiscated": a haul, not an attack
    if kind == "abduct" and re.search(r"\b(?:police\w*|soldiers|troops|officers|personnel)\b",
                                      before if is_passive(before, cue) else after):
        return None  # holding police or soldiers captive is part of the fighting
    whose = re.split(r"[,;.]|\b(?:after|when|as|while|with|in|near)\b|\bat\b(?!\s+(?:least|most))",
                     text[end:])[0]
    if kind == "found dead" and re.search(
            r"\b(?:troops|soldiers|fighters|combatants|personnel|police\w*)\b", cue + whose):
        return None  # soldiers' bodies after a battle are its dead, not a killing of civilians
    if kind == "abduct" and re.search(r"\b(?:saved|rescued|freed|released|free)\b(?:\s+\S+){0,3}"
                                      r"\s*$", text[:start], re.IGNORECASE):
        return None  # "saved some civilian hostages": a rescue, not an abduction
    if kind == "kill":
        return _killing(cue, text, start, end, before)
    if kind == "abandon" and (_UNDER_FIRE.match(text, end)
                              or _AFTER_FIRE.search(text, 0, start)):
        return None  # "abandoned the base because of junta airstrikes": driven out, not handed over
    if kind == "blast":  # an explosion nobody says was a shell, a bomb from the air or a grenade
        weapon = re.search(r"\b(?:shells?|shelling|artillery|mortars?|rockets?|missiles?|drones?|"
                           r"grenades?|jets?|aircraft|airstrikes?|air\s+strikes?|mines?)\b", text,
                           re.IGNORECASE)
        heard = re.search(r"\b(?:heard|hear|sound|sounds)\b", text, re.IGNORECASE)
        return None if weapon or heard else MINE
    if kind in _FIXED:
        return _FIXED[kind]
    if kind == "air":
        if re.match(r"bomb", cue, re.IGNORECASE) and (re.match(
                r"(?:\s+\w+){0,2}?\s+(?:exploded|went\s+off|was\s+planted|blasts?|explosions?|"
                r"blew)", text[end:]) or re.search(r"\b(?:handmade|homemade|home-made|package|"
                                                   r"parcel|time|roadside|planted)\s+$",
                                                   text[:start], re.IGNORECASE)):
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
        # "12 civilians, who had nothing to do with it, were arrested": past the aside
        subject = " ".join(_RELATIVE_ASIDE.sub(" ", text[:start]).split()[-8:])
        if is_passive(before, cue):  # "the owner and two of his staff were arrested": people,
            # whatever the noun, unless they are fighters taken in battle
            return None if cues.COMBATANTS.search(subject) and not cues.PEOPLE.search(
                subject) else ARRESTS
        return ARRESTS if cues.PEOPLE.search(after) else None
    if kind == "burn" and re.match(r"destroy", cue, re.IGNORECASE):
        # "The troops destroyed the houses": destruction is an event when a force did it to
        # property; "houses were destroyed" by an air strike or shell is that strike's damage
        # "were destroyed in the raid of regime troops": ground forces did it, in the passive
        subject = clause_before(text, start)
        passive = is_passive(before, cue)
        done_by_force = (cues.ARMED.search(subject) or re.search(r"\bthey\b", subject, re.I)) \
            and not passive
        raided = passive and _BY_RAIDERS.match(text, end)
        what = subject if raided else " ".join(after.split()[:5])
        return PROPERTY if ((done_by_force or raided) and cues.PROPERTY.search(what)
                            and not cues.AIRCRAFT.search(text)
                            and not cues.ARTILLERY.search(text)) else None
    if kind == "burn" and re.match(r"(?:\s+\w+){0,2}?\s+(?:weapons|arms|ammunition|munitions)\b",
                                   text[end:]):
        return None  # "blew up heavy weapons that they could not carry": their own arms
    if kind == "burn" and re.match(r"(?:\s+\w+){0,2}?\s+(?:bod(?:y|ies)|corpses?|remains)\b",
                                   text[end:]):
        return None  # "burnt the bodies of their comrades": a cremation, not destruction
    if kind == "burn" and _STRUCK.search(text, 0, start) and not cues.GROUND_FORCES.search(text):
        return None  # "hit by a 500-pound bomb, destroying the monastery and burning its grounds"
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
        (kind, match, how_told(text, match.start(), (nouns or bool(NOUN_FORM.search(
            match.group()))) and not re.search(r"ed$", match.group(), re.IGNORECASE), sources))
        for kind, pattern, nouns in cues.CUES for match in pattern.finditer(text)
    ]
    found_cues = [(kind, match, ("report" if dated_here(text, match.end(), dates,
                                                        120 if status == "recent" else 60)
                                 else "none" if status == "recent" else status)
                   if status in ("background", "recent") else status)
                  for kind, match, status in found_cues
                  # "Almost every night …, and on August 14, there was mortar shelling": a
                  # habit word governs the cues after it up to a date of their own
                  if not any(governs(text, h, match, dates) for h in habits)]
    first = min((m.start() for _, m, _ in found_cues), default=0)
    found_cues = [  # "The troops, which burned X, entered Y": a relative clause before the main
        # verb describes the subject; after it ("the outpost, which was captured") it reports
        (kind, match, "report" if status == "background" and match.start() > first
         and re.match(r"\s*(?:which|who)\b", clause_before(text, match.start())) else status)
        for kind, match, status in found_cues]
    main = any(status != "background" for *_, status in found_cues)
    found: dict[str, Trigger] = {}
    origin: dict[str, str] = {}  # which cue class each type came from
    repeats: list[Trigger] = []  # "took X on Sunday … saw Y fall on Dec. 4": two captures
    weapons = [m.end() for kind, m, _ in found_cues if kind in ("mine", "air", "shell", "grenade")]
    for kind, match, status in sorted(found_cues, key=lambda c: c[1].start()):
        if status == "none" or (status == "background" and main):
            continue
        if kind == "attack" and any(0 <= match.start() - end <= 2 for end in weapons):
            continue  # "landmine attacks", "drone attack": the weapon's event, not a clash
        sub_type = _classify(kind, text, match.start(), match.end(), protest)
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
    staff quarters": a bomb that no aircraft dropped is the kind the story is about."""
    return (trigger.sub_event_type == AIR and topic in (SHELL, MINE)
            and re.fullmatch(r"bombs?", text[trigger.start:trigger.end], re.IGNORECASE) is not None
            and not cues.AIRCRAFT.search(text))


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


def _trigger(text: str, match: re.Match[str], sub_type: str, back: bool,
             vague: bool) -> Trigger:
    clause = clause_before(text, match.start())
    needs_date = bool(
        cues.PERFECT.search(clause) or cues.PRESENT_BEFORE.search(clause)
        or cues.PRESENT_AFTER.match(text[match.end():])
        or cues.CURRENTLY.search(text[:match.start()])
        or (_ONGOING_LIST.match(clause + match.group())
            and cues.PRESENT_BEFORE.search(text, 0, match.start()))
        or cues.RECENTLY.search(text[match.end():match.end() + 40])
        or (cues.EVENT_PLURAL.search(match.group()) and cues.COUNTED.search(clause)))
    by = re.match(r"(?:\s+[\w'’-]+){0,3}?\s+by\b", text[match.end():])
    passive = is_passive(clause, match.group())
    target = (" ".join(text[:match.start()].split()[-10:]) if passive
              else " ".join(text[match.end():].split()[:10]))
    return Trigger(sub_type, match.start(), match.end(), needs_date,
                   match.end() + by.end() if by else None, passive, back,
                   bool(cues.EVENT_PLURAL.search(match.group())), vague,
                   _civilian_target(target),
                   re.search(r"found|discovered", match.group(), re.IGNORECASE) is not None,
                   perfect=bool(cues.PRESENT_PERFECT.search(clause)))
