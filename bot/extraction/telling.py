"""How a cue word is told: reported, referred back to, in the background, or not at all.

A cue reports an event only when the sentence asserts it happened: not negated ("no reports of
fighting"), not planned, vowed or hedged ("is planning to launch", "traveling to raid"), not an
example of a kind of deed ("abuses such as burning homes"), not the
background of another event ("despite junta shelling"), not a reference back to an event already
told ("the attack") and not part of the source's description. These helpers look at the words
around one cue; ``triggers`` decides what the cues of a sentence report together.
"""

from __future__ import annotations

import re

from bot.extraction import cues


def clause_before(text: str, start: int) -> str:
    """The text from the last clause break (comma, quote, dash …) up to ``start``."""
    cut = max((m.end() for m in cues.CLAUSE.finditer(text, 0, start)), default=0)
    return text[cut:start]


# Nouns among the cues of verb classes: "the massacre of 32 villagers", "the execution",
# "the capture of a junta camp in Shwegu Township on Wednesday" (an event named, not a verb).
NOUN_FORM = re.compile(r"^(?:massacres?|executions?|shootings?|captures?|seizures?)$",
                       re.IGNORECASE)


def how_told(text: str, start: int, noun: bool, sources: list[tuple[int, int]]) -> str:
    """How the cue at ``start`` is told: "report", "back" (the event told before, if any),
    "background" (the circumstance of another event) or "none" (negated, intended, the
    source's own description, an adjective): only the first two can be events."""
    clause = clause_before(text, start)
    silent = (cues.NEGATION, cues.MODAL, cues.INFINITIVE, cues.RELATIVE_PAST, cues.FEARED)
    if any(s <= start < e for s, e in sources) or any(p.search(clause) for p in silent):
        return "none"
    if cues.NEAR_BACKGROUND.search(clause) and not _HARMED_FROM.search(clause):
        # "escaping from junta shelling" (but not "died from a landmine explosion"), but
        # "displaced by the clashes that happened at the checkpoint on November 10" tells them
        return "report" if _HAPPENED_ON.match(text, start) else "none"
    if cues.EXAMPLES.search(text, 0, start) or cues.DESCRIBES.search(clause):
        return "none"  # "violations such as burning homes": a kind; "a group fighting": what
    if cues.AIM_OBJECT.search(clause) and not _INSTRUMENT.search(text, 0, start):
        return "none"  # "to fight off resistance ambushes", but "used a drone to bomb"
    if cues.RECENTLY.search(clause) or cues.RECENT_STRETCH.match(text, start):
        # "there has recently been fighting", "fighting in recent weeks": no day of its own
        return "recent"  # (but "previously captured the camp on March 29th" gives one)
    if (cues.EARLIER if noun else cues.ADJECTIVE).search(clause):  # "previous clashes",
        return "none"                                                # "the detained villagers"
    if noun and cues.BACK_REFERENCE.search(clause):
        return "back"
    return "background" if cues.BACKGROUND.search(clause) else "report"


# "used a drone to bomb", "used two aircraft, a Y-12 and a jet fighter to drop bombs": what the
# instrument did, however long the list of instruments (commas inside it break no clause here)
_INSTRUMENT = re.compile(r"\b(?:used|using)\b[^.;:“”\"]{0,120}?\bto\s+[a-z]+(?:\s+\S+){0,3}\s+$",
                         re.IGNORECASE)
# "A CNDF soldier died from a landmine explosion": what killed or hurt someone struck them (R6),
# unlike the shelling people fled "from"
_HARMED_FROM = re.compile(r"\b(?:died|killed|injured|wounded|hurt|maimed)\s+from\s+"
                          r"(?:\S+\s+){0,2}$", re.IGNORECASE)
_HAPPENED_ON = re.compile(r"\w+\s+(?:that|which)\s+(?:happened|occurred|took\s+place)\b[^,;.]*?"
                          r"\bon\s+\S", re.IGNORECASE)


def is_passive(before: str, cue: str) -> bool:
    """"was seized", and "surrendered"/"fell", whose subject is what was lost (not "were
    torching", the progressive)."""
    if re.search(r"ing$", cue, re.IGNORECASE) and re.search(r"\b(?:was|were|is|are)\s*$", before):
        return False
    return bool(re.search(r"\b(?:was|were|been|being|is|are)(?:\s+\w+)?\s*$", before)
                or re.match(r"surrender|fell|fall", cue, re.IGNORECASE))


def object_phrase(text_after: str) -> str:
    """The noun phrase after a verb: up to the first comma or place/time preposition, so that
    "captured a Civilian Defense and Security Organization of Myaung camp in …" reaches "camp"."""
    phrase = re.split(r"[,;.]|\s(?:in|on|at|near|after|before|from|during|when|while|and\s+"
                      r"(?:then|also))\s", text_after, maxsplit=1)[0]
    return " ".join(phrase.split()[:12])


def governs(text: str, habit: re.Match[str], cue: re.Match[str], dates: list[int]) -> bool:
    """Whether a habit word ("every night", "regularly") makes the cue a habit: it comes
    before the cue with no date of the cue's own between them, or after it in its clause."""
    if habit.end() <= cue.start():
        return not any(habit.end() <= d < cue.start() for d in dates)
    between = text[cue.end():habit.start()]
    return not re.search(r"[,;]", between) and not any(cue.end() <= d < habit.start()
                                                       for d in dates)


def dated_here(text: str, end: int, dates: list[int], reach: int = 60) -> bool:
    """Whether a date follows the cue in its own clause ("… saw the outpost fall on Dec. 4"),
    not in the next one ("abandoned it because of airstrikes but retook it on Friday"), or a
    time of that day ("torched the homes on December 22 after clashing with the AA near the
    village in the morning")."""
    return any(end <= d and d - end < reach and not re.search(
        r"[,;:]|\bbut\b", _APPOSITIVE.sub(" ", text[end:d])) for d in dates) or same_day(text, end)


# "abducted five people, including two teenagers, on Aug. 14": an aside about the objects,
# between commas, does not end the cue's clause
_APPOSITIVE = re.compile(r",\s+(?:including|among\s+them|aged|both|all\s+of\s+them)\b[^,;:]*,",
                         re.IGNORECASE)


# "in the morning", "that evening": a part of the day the sentence is about
_PART_OF_DAY = re.compile(r"\b(?:in\s+the|that|early\s+that|later\s+that|earlier\s+that)\s+"
                          r"(?:morning|afternoon|evening|night)\b", re.IGNORECASE)


def same_day(text: str, end: int) -> bool:
    """Whether the cue's own clause, after it, names a part of the sentence's day."""
    clause = re.split(r"[,;:]|\bbut\b", text[end:end + 80], maxsplit=1)[0]
    return bool(_PART_OF_DAY.search(clause))


def another_report(text: str, first_end: int, cue: re.Match[str], territorial: bool,
                   dates: list[int]) -> bool:
    """Whether a second cue of a type the sentence already reports tells an event of its own:
    a capture in a clause of its own ("took X on Sunday … saw Y fall on Dec. 4"), or any event
    whose clause opens with a day of its own ("… killing four troops, and in July 19 attack,
    the military council lost eight"). ``first_end``: where the first cue of the type ends."""
    between = text[first_end:cue.start()]
    if territorial:
        return bool(re.search(r"[,;:]|\b(?:that|which|and|after|while|when)\b", between))
    clause = re.search(r"(?:[,;]\s*|\band\s+)(?!.*[,;])(?P<own>.*)$", between)
    return clause is not None and any(
        first_end + clause.start("own") <= d < cue.start() for d in dates)
