"""What makes a place named in a sentence not the place where its event happened.

A township name is often told only to situate something else: a unit's base ("based in
Kyaukhtu"), where troops were going ("heading to Mawlamyine", "advanced to X village in Y
Township"), where they came from ("reinforcements from Monywa"), a neighbour ("adjacent to
Myaung Township"), the towns a road joins, a hospital the wounded were taken to, or a group's
name ("Mandalay PDF"). These patterns read the words around the name; ``places`` finds the names.
"""

from __future__ import annotations

import re

ASIDE = re.compile(
    r"(?:\bbased\s+(?:in|at)|\bheading\s+(?:to|towards|for)|\ben\s+route\s+to|\bon\s+the\s+"
    r"(?:way|road)\s+to|\bbound\s+for|\bfrom|\btowards?|\bfled\s+to|\btravell?ing\s+to|\bleft\s+"
    r"(?:to|for)|\b(?:withdr[ae]wn?|retreated|pulled\s+back)\s+to|"  # "have left to Ye-U region"
    r"\b(?:hospitali[sz]ed|treated|(?:to|in)\s+(?:a\s+|the\s+)?hospital)\s+(?:in|at))\s+"
    r"(?:(?:the|a|an|nearby|state|regional|capital|commercial|towns?|city|cities|of)\s+){0,4}$",
    re.IGNORECASE,
)
# "raided A village … and took 12 civilians while they advanced to B village in Y Township":
# once a sentence has put its act in a village, the next place a column moved on to (and that
# place's township) is not where it acted. Without a village before it ("reinforcements were
# ambushed as they headed to Thayet Township") the destination is the only place told, and the
# keys put the event there.
_MOVING_ON = re.compile(
    r"\b(?:advanc(?:ed|ing)|march(?:ed|ing)|head(?:ed|ing)|proceed(?:ed|ing)|mov(?:ed|ing)\s+on)"
    r"\s+(?:on\s+)?(?:to|towards?)\s+(?:(?:[A-Z][\w'’-]*\s+){1,4}(?:[Vv]illage|[Ww]ard)\s+"
    r"(?:in|of)\s+)?(?:the\s+)?$")
_VILLAGE_NAMED = re.compile(r"\b[A-Z][\w'’-]*\s+[Vv]illages?\b")
# "troops from the Nat Yay Kan camp in neighbouring Chaung-U Township", "Yesagyo Township,
# adjacent to Myaung Township", "Yesagyo Township in Magwe Township", "between Pakokku and
# Kamma townships": the base a unit came from (people "from a village in X" live where it happened,
# so villages are not bases), a neighbour or landmark named to situate the place, a (misnamed)
# container of the place just named, the two ends of a stretch of road that lies in neither, or the
# end of a convoy's route ("from Pakokku to Kyaukhtu"); a unit's namesake is ``_UNIT_OF``'s
_REFERENCE = re.compile(
    r"(?:\bfrom\s+(?:the\s+|a\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){0,5}?(?:camps?|bases?|"
    r"battalions?|headquarters|outposts?|garrisons?)\s+(?:in|at)\s+"
    r"(?:(?:the|neighbou?ring|nearby|adjacent)\s+)?|\b(?:adjacent\s+to|bordering|next\s+to)\s+"
    r"(?:the\s+)?|\bborders?\s+with\s+|(?:[Tt]ownship|[Dd]istrict)\s*,?\s+in\s+|"
    r"\bbetween\s+(?:the\s+)?|\bbetween\s+(?:the\s+)?[\w'’-]+(?:\s[\w'’-]+)?\s+and\s+|"
    r"\bfrom\s+[\w'’-]+(?:\s[\w'’-]+)?\s+to\s+)$",
    re.IGNORECASE,
)
# "Battalion 15 of Gangaw district joined": a unit's namesake. A place "in KNU Battalion 2 of
# Taungoo District" lies in the area that unit holds, so there the name is where it happened.
_UNIT_OF = re.compile(r"(?P<area>\bin\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+){0,3})?\b(?:battalions?|"
                      r"brigades?|companies|units?|columns?|regiments?)\s+"
                      r"(?:[\d,\s]+(?:and\s+\d+\s+)?)?of\s+$", re.IGNORECASE)
# "drones approaching the airport and three others heading towards Zayarthiri township": where
# a weapon in flight was going is what it struck or was aimed at, not a destination elsewhere
_WEAPON_BOUND = re.compile(r"\b(?:drones?|missiles?|rockets?|shells?|jets?|aircraft)\b[^,;.]*?"
                           r"\b(?:heading|bound|on\s+the\s+way)\s+(?:to|towards?|for)\s+"
                           r"(?:\S+\s+){0,4}$", re.IGNORECASE)
# "20 km southwest of Mandalay": a landmark, unless the sentence names no other place.
DISTANCE = re.compile(r"\b(?:\d+|a\s+few|several|some|two|three|four|five)\s*(?:km|kilometers?|"
                       r"kilometres?|miles?)\s+(?:\w+\s+)?"
                       r"(?:of|from)\s+$", re.IGNORECASE)
# "the administrator and two 10-household heads from Paletwa Township's Abaung Thar village":
# people "from" a place live there, where what was done to them happened; troops "from" a
# place came from their base.
# An aside about who they were ("Five civilians, including three nurses, from X Township") does
# not make them troops.
_RESIDENTS_FROM = re.compile(
    r"\b(?:villagers|residents|locals|people|civilians|heads|administrators?|m[ae]n|wom[ae]n|"
    r"children|students|youths|farmers|famil(?:y|ies)|monks|teachers|workers|servants|staff|"
    r"employees),?(?:\s+including\s+[^,;.]{1,60},)?\s+from\s+(?:the\s+)?$", re.IGNORECASE)
# "near the Ye U to Khin U road", "along the Myitkyina – Bhamo road": the towns a road joins
# name the road, not where on it something happened.
_ROAD = re.compile(
    r"(?:[A-Z][\w'’]*(?:[\s-][A-Z][\w'’]*){0,2})\s*(?:-|–|—|\s(?:to|and)\s)\s*"
    r"(?:[A-Z][\w'’]*(?:[\s-][A-Z][\w'’]*){0,2})\s+(?:[Rr]oads?|[Hh]ighways?|[Rr]ailway)\b")
# "along the road linking the state capital Myitkyina with Bhamo", "the highway that connects
# A to B": the same two ends told with a verb; each end names the road, not a place of attack
_ROAD_LINKING = re.compile(
    r"\b(?:roads?|highways?|railway|route)\s+(?:that\s+|which\s+)?(?:links?|linking|connects?|"
    r"connecting|joins?|joining)\s+(?:[\w'’-]+\s+){0,4}?(?:(?:with|and|to)\s+(?:the\s+)?)?$",
    re.IGNORECASE)
_HOSPITAL = re.compile(r"\s+(?:General\s+|Township\s+|People['’]s\s+)?[Hh]ospital\b")
_GROUP_NOUN = re.compile(
    r"^(?:\s+and\s+[A-Z][\w'’-]*)?(?:\s+(?:[Tt]ownship|District|Region))?\s+"
    # a unit's name: "Myeik District 1st Battalion", "Mandalay PDF", "Yaw Defense Force"
    r"(?:\d+(?:st|nd|rd|th)?\s+(?:Battalion|Brigade|Company|Column)|"
    r"(?:[Pp]eople(?:['’]s)?\s+)?(?:resistance|PDF|[Dd]efen[cs]e|revolutionary|militia|"
    r"[Pp]rotest|[Ss]trike|[Aa]dministration|[Gg]eneral))",
)


def is_aside(text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` is a base, destination, origin, neighbour, road
    end, hospital or group's name rather than where the sentence's event happened."""
    before = text[max(0, start - 90):start]
    if (ASIDE.search(before[-60:]) and not _RESIDENTS_FROM.search(before)
            and not _WEAPON_BOUND.search(before)) or _REFERENCE.search(before):
        return True
    unit = _UNIT_OF.search(before)
    if unit and not unit["area"]:
        return True
    moving = _MOVING_ON.search(before)
    if moving and _VILLAGE_NAMED.search(text[:start - len(before) + moving.start()]):
        return True
    if any(m.start() <= start < m.end() for m in _ROAD.finditer(text)) \
            or _ROAD_LINKING.search(before):
        return True
    if _HOSPITAL.match(text, end):  # "brought him to the Myeik Hospital": treated there
        return True
    return bool(_GROUP_NOUN.match(text[end:]))
