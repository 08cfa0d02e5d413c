"""What one cue word signals in its sentence: the sub-event type it reports, or none.

Kept apart from ``triggers`` (which finds the cues, drops those that are negated, planned or
background, and settles ACLED's ties) so the rules about a single cue's reading live in one place:
an attack on civilians or on troops, a killing with a doer told or not, a capture of a place or of
people, destruction done by a force or by a strike, a weapon seized or fired.
"""

from __future__ import annotations

import re

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
)
from bot.extraction.telling import clause_before, is_passive, object_phrase


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
    if kind == "attack" and (cues.MINES.search(after)
                             or cues.MINES.search(" ".join(before.split()[-2:]))):
        return MINE  # "attacked the convoy with mines", "killed in a resistance mine attack"
    if cues.ARMED.search(target):
        return CLASH
    if kind == "attack" and (cues.CIVILIANS.search(target) or cues.CIVILIAN_PLACE.search(target)):
        # "attacked a village", "raided villages": a raid on civilians is violence against them
        # only when someone was harmed; otherwise what was done in it (arrests, arson) is told
        told = _RELATIVE_ASIDE.sub(" ", text)  # not ", who were injured in …,"
        return ATTACK if cues.HARM.search(told) else None
    if kind != "attack" and cues.CIVILIANS.search(text):
        return ATTACK
    if re.match(r"(?:launched|started|began|mounted)\b.*\boperations?$", cue, re.IGNORECASE) \
            and not cues.ARMED.search(text[text.find(cue) + len(cue):]):
        return None  # "launched military operations in the forest area": against no one named
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
    doer = clause_before(text, start)
    if not doer.strip() and re.match(r"killing\b", cue, re.IGNORECASE):
        doer = text[:start]  # "was torched by junta troops in May, killing two villagers"
    agent = (cues.ARMED.search(text[end + by.end():end + by.end() + 60]) if by else None) \
        if passive else (cues.ARMED.search(doer) or re.search(r"\bthey\b", doer, re.I))
    if agent and re.search(r"\b(?:protesters?|demonstrators?)\b", victims, re.IGNORECASE):
        return EXCESSIVE  # "a protester was killed by security forces": force against a protest
    return ATTACK if agent and cues.CIVILIANS.search(victims) else None


def _capture(cue: str, text_after: str, before: str, after: str, subject: str) -> str | None:
    """Taking a place is territorial; taking civilians is abduction; taking arms is neither.

    Civilians are abducted only when they are what was taken ("seized 20 villagers"), not
    when they are named further on ("took over the roads to deter civilians")."""
    if re.search(r"\b(?:weapons|arms|ammunition|explosives|cameras|vehicles|bodies)\b",
                 " ".join(after.split()[:4])):
        return None
    passive = is_passive(before, cue)
    # in the passive, what was taken is the clause's subject, however long ("All bases and
    # outposts belonging to the junta's 101st Division … were captured")
    target = f"{subject} {before}" if passive else f"{after} {object_phrase(text_after)}"
    if cues.TERRITORY.search(target) or re.match(r"\s+[A-Z]", text_after):
        return OVERTAKE
    if re.match(r"\s+(?:(?:the|some|about|around|over|more\s+than|at\s+least|\d+|"
                r"[a-z]+ty|two|three|four|five|six|seven|eight|nine|ten|dozens\s+of)\s+)*"
                r"(?:[\w-]+\s+)?(?:villagers|civilians|residents|people|locals)\b", text_after):
        return ABDUCT
    return None


# "to seize" names an aim, unless something let it happen: "managed to", "allowing them to"
_PURPOSE = re.compile(r"^(?!.*\b(?:manag\w*|able|succeed\w*|allow\w*|enabl\w*|help\w*|"
                      r"let)\s+(?:\w+\s+)?to$).*\bto$", re.IGNORECASE)
_FIGHT_NOUN = re.compile(r"\b(?:battles?|fight(?:ing|s)?|offensives?|conflicts?|operations?|"
                         r"attacks?|assaults?|campaigns?|war|clash(?:es)?)(?:\s+\w+){0,2}\s+to$",
                         re.IGNORECASE)


_ONLY_VERB = re.compile(r"^\s*(?:(?:was|were|is|are|been|being|had|has|have|\w+ly)\s+)*$",
                        re.IGNORECASE)


_FIXED = {"clash": CLASH, "mine": MINE, "grenade": GRENADE, "chemical": CHEMICAL,
          "suicide": SUICIDE, "sexual": SEXUAL, "riot": RIOT, "agree": AGREEMENT, "base": BASE,
          "abandon": TRANSFER, "defuse": DISRUPTED, "same": SAME, "abduct": ABDUCT,
          "retake": REGAIN, "execute": ATTACK, "protest": PEACEFUL, "found dead": ATTACK}


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
_STRUCK = re.compile(r"\b(?:bombs?|shells?|missiles?|rockets?|air\s?-?strikes?|drones?|artillery|"
                     r"mortars?)\b", re.IGNORECASE)
# "After several days of attacks, junta troops withdrew": the same, told before the cue.
_AFTER_FIRE = re.compile(r"\b(?:after|following)\s+(?:[\w'’-]+\s+){0,4}?(?:air\s?-?strikes?|"
                         r"shelling|attack(?:s|ed)?|fighting|bombardments?|clashes|battles?)\b",
                         re.IGNORECASE)
_HEARD = re.compile(r"\b(?:heard|hear|hearing)\s+(?:the\s+)?(?:sounds?|noises?)\s+of\s+"
                    r"(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
# "deployed artillery extensively", "the junta used artillery and aircraft": a weapon said to be
# used, at no one and nowhere, is how a side fought (CONVENTIONS.md A1), not a strike of its own
# ("provided artillery support … as they clashed", "with heavy artillery fire from the military
# council" are: shared/articles 06-08 code a side's guns in a clash as its own event, R5)
_USED_GENERALLY = re.compile(r"\b(?:used|uses|using|deployed|deploying|employed|employing)\s+"
                             r"(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)
_AT_SOMETHING = re.compile(r"\s*(?:[\w'’-]+\s+){0,3}?(?:on|at|into|against|to)\b", re.IGNORECASE)
_A_DAY = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Z][a-z]+|"
                    r"\b[A-Z][a-z]+\.?\s+\d{1,2}\b|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\byesterday\b|\btoday\b")
# "arrested U Min Aung", "detained Daw Hla": a Burmese honorific before a name is a person
_NAMED_PERSON = re.compile(r"(?:U|Daw|Ko|Ma|Maung|Mi|Nang|Nan|Sai|Saw|Naw|Khun|Salai)\s+"
                           r"[A-Z][a-z]+")
_SEIZED_ARMS = re.compile(r"\b(?:confiscat\w+|seiz(?:ed|ing)|captur(?:ed|ing)|recover(?:ed|ing)|"
                          r"collected|handed\s+over)\b", re.IGNORECASE)
_ARMS = re.compile(r"\b(?:ammunition|weapons|bullets|rifles|guns|firearms|arms)\b",
                   re.IGNORECASE)


def classify(kind: str, text: str, start: int, end: int, protest: bool) -> str | None:
    """The sub-event type one cue signals in this sentence, or None if it signals none."""
    cue = text[start:end]
    before = " ".join(text[:start].split()[-8:])
    after = " ".join(text[end:].split()[:8])
    if kind in ("air", "shell", "mine", "grenade") and re.fullmatch(
            r"(?:bombs?|mines?|shells?|grenades?|rockets?|mortars?|missiles?|howitzers?)", cue,
            re.IGNORECASE) and ((_SEIZED_ARMS.search(text) and _ARMS.search(text))
                                or _SEIZED_ARMS.search(" ".join(before.split()[-5:]))):
        return None  # "ammunition, including … bombs, was confiscated", "seized two 105-mm
        # howitzers": a haul, not an attack
    if kind in ("air", "shell", "mine") and _HEARD.search(text, 0, start):
        return None  # "We heard the sounds of mortar shells": what was heard, not what hit
    if kind == "shell" and _USED_GENERALLY.search(text, 0, start) \
            and not _AT_SOMETHING.match(text, end):
        return None  # "the battalion deployed artillery extensively": a generality (A1)
    if kind == "abduct" and re.search(r"\b(?:police\w*|soldiers|troops|officers|personnel)\b",
                                      before if is_passive(before, cue) else after):
        return None  # holding police or soldiers captive is part of the fighting
    whose = re.split(r"[,;.]|\b(?:after|when|as|while|with|in|near)\b|\bat\b(?!\s+(?:least|most))",
                     text[end:])[0]
    if kind == "found dead" and re.search(
            r"\b(?:troops|soldiers|fighters|combatants|personnel|police\w*|enemy)\b",
            " ".join([*before.split()[-2:], cue, whose])):  # "60 enemy bodies were found"
        return None  # soldiers' bodies after a battle are its dead, not a killing of civilians
    if kind == "abduct" and re.search(r"\b(?:saved|rescued|freed|released|free)\b(?:\s+\S+){0,3}"
                                      r"\s*$", text[:start], re.IGNORECASE):
        return None  # "saved some civilian hostages": a rescue, not an abduction
    if kind == "kill":
        return _killing(cue, text, start, end, before)
    if kind == "abandon" and _UNDER_FIRE.match(text, end):
        return None  # "abandoned the base because of junta airstrikes": driven out, not handed over
    if kind == "abandon" and _AFTER_FIRE.search(text, 0, start):
        return OVERTAKE  # "After the camps were attacked, the junta relinquished …": taken
    if kind == "blast":  # an explosion nobody says was a shell, a bomb (whose own cue tells
        # what kind: "the bomb dropped on to the road and exploded") or a grenade
        weapon = re.search(r"\b(?:shells?|shelling|artillery|mortars?|rockets?|missiles?|drones?|"
                           r"grenades?|jets?|aircraft|airstrikes?|air\s+strikes?|mines?|bombs?)\b",
                           text,
                           re.IGNORECASE)
        heard = re.search(r"\b(?:heard|hear|sound|sounds)\b", text, re.IGNORECASE)
        if not (weapon or heard) and re.search(r"\b(?:firing|fired)\b", text, re.IGNORECASE):
            return SHELL  # "an explosion occurred … due to the firing of junta troops": a round
        return None if weapon or heard else MINE
    if kind in ("capture", "retake") and _PURPOSE.search(before):
        # "the battle to seize the town", "an offensive to capture the base", "bombardments to
        # retake lost territories": fighting with a capture as its aim ("managed to capture"
        # and "claims to have seized" took it)
        return CLASH if _FIGHT_NOUN.search(before) else None
    if kind == "grenade" and re.search(r"\bdrones?\b|\baircraft\b|\bjets?\b", text, re.IGNORECASE) \
            and not re.match(r"\s+launchers?\b", text[end:]):
        return AIR  # "drone attacks … with 40 grenades": what the drones dropped
    if kind in _FIXED:
        return _FIXED[kind]
    if kind == "air":
        if re.match(r"bomb", cue, re.IGNORECASE) and (re.match(
                r"(?:\s+\w+){0,2}?\s+(?:exploded|went\s+off|was\s+planted|blasts?|explosions?|"
                r"blew)", text[end:]) or re.search(r"\b(?:handmade|homemade|home-made|hand-made|"
                                                   r"package|parcel|time|roadside|planted|"
                                                   r"detonated|remote-controlled|"
                                                   r"remote-detonated)\s+$",
                                                   text[:start], re.IGNORECASE)):
            return MINE
        artillery_only = cues.ARTILLERY.search(text) and not cues.AIRCRAFT.search(text)
        return SHELL if re.match(r"bomb", cue, re.IGNORECASE) and artillery_only else AIR
    if kind == "shell":
        return AIR if re.search(r"\b(?:jets?|warplanes?|aircraft)\b", after[:30]) else SHELL
    if kind == "attack" and (re.match(r"started|began", cue, re.IGNORECASE) or re.search(
            r"\b(?:started|began|begun|start|begin)(?:\s+launching|\s+to\s+launch)?$",
            before, re.IGNORECASE)) and not _A_DAY.search(text):
        return None  # "started attacking the outposts in January": a campaign's start, with no
        # day to make it a battle ("started their offensive … on 15 May" is one)
    if kind == "shoot" and re.search(r"\b(?:ships?|vessels?|warships?|navy|naval|gunboats?)\s+"
                                     r"(?:\w+\s+)?$", clause_before(text, start), re.IGNORECASE):
        return SHELL  # "junta navy ships opened fire on the town": a naval bombardment
    if kind == "attack" and re.search(r"\b(?:land\s?-?mines?|mines?|IEDs?|drones?|bombs?|shells?|"
                                      r"rockets?)\s+(?:\S+\s+){0,2}?to$", before, re.IGNORECASE):
        return None  # "detonated six landmines to attack two military vehicles": the weapon's
    if kind in ("attack", "shoot"):
        return _attack(kind, text, cue, before, after, protest)
    if kind == "capture" and re.match(r"occup", cue, re.IGNORECASE) and is_passive(
            before, cue) and re.search(r"\b(?:which|that)\s+(?:was|were|is|are)$", before):
        return None  # "the police station, which was occupied by 50 soldiers": who held it
    if kind == "capture":
        subject = clause_before(text, start)
        if _ONLY_VERB.match(subject):  # "All bases … in Ta'ang State, were captured": a comma
            subject = text[:start]      # between the subject and its verb
        return _capture(cue, text[end:], before, after, subject)
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
        return ARRESTS if cues.PEOPLE.search(after) or _NAMED_PERSON.match(after) else None
    if kind == "burn" and re.match(r"destroy|demolish", cue, re.IGNORECASE):
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
                            and not cues.ARTILLERY.search(text)
                            # "a military airstrike destroyed a hospital": its damage
                            and not _STRUCK.search(subject)) else None
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
