"""Reading how many people a sentence says were killed, with ACLED's conventions.

Only people count: "10 minutes", "29 kilometers", "three houses" and "a 60-year-old woman"'s age
are not deaths. Counts are read from the phrase around a death word ("Four civilians were
killed", "killing four KNDF members", "two junta troops were killed by mines"), and the parts
of a listed subject add up ("Two children … and a 60-year-old woman were killed" is 3). Vague
counts follow ACLED: "dozens" is 12, "tens" 10, "hundreds" 100; "at least 110" is 110.
"""

from __future__ import annotations

import re

_UNITS = {
    "a": 1, "an": 1, "one": 1, "another": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozens": 12,
    "tens": 10, "hundreds": 100, "a hundred": 100, "scores": 20,
}
_PEOPLE = (
    r"(?:civilians?|people|persons?|villagers?|residents?|locals?|soldiers?|troops?|fighters?|"
    r"members?|comrades?|combatants?|personnel|policem[ae]n|officers?|officials?|commanders?|"
    r"children|child|kids?|girls?|boys?|wom[ae]n|m[ae]n|mothers?|fathers?|sons?|daughters?|"
    r"students?|monks?|protesters?|demonstrators?|militiam[ae]n|militia|allies|victims?|"
    r"teachers?|farmers?|infants?|babies|baby|elderly|others?|bodies)"
)
_NUMBER = (r"(?:\d{1,3}(?:,\d{3})+|\d+|a\s+dozen|a\s+hundred|"
           + "|".join(sorted((k for k in _UNITS if " " not in k), key=len, reverse=True)) + r")")
# A count, then up to four modifiers ("junta", "Mindat civilian resistance"), then people.
_COUNT = re.compile(
    rf"(?<![\w-])(?P<n>{_NUMBER})(?:\s+(?:of\s+)?(?!(?:and|or|were|was)\b)[\w'’-]+){{0,4}}?"
    rf"\s+{_PEOPLE}\b",
    re.IGNORECASE,
)
_DEATH = re.compile(r"\b(?:killed|killing|dead|died|deaths?|death\s+toll|succumbed|"
                    r"lost\s+their\s+lives|shot\s+dead)\b", re.IGNORECASE)
_AGE = re.compile(r"^-year-old|^\s*(?:years?\s+old|-years?-old)|^s\b", re.IGNORECASE)
_SUBSET = re.compile(r",\s*including\s[^,]*(?:,|$)", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:killing|while|but)\b|\b(?:while|when|as|among|"
                           r"after|before|but)\b|\band\s+(?=\w+\s+(?:were|was)\b)",
                           re.IGNORECASE)


_OR_HURT = re.compile(r"\s+(?:or|and/or)\s+(?:\w+\s+)?(?:injured|wounded|hurt|captured|missing)",
                      re.IGNORECASE)
_AFTER_END = re.compile(r"[,;.]|\b(?:while|when|as|after|before|during|in|on|by)\b|"
                        r"\band\s+(?=\w+(?:ed|ing)\b)",
                        re.IGNORECASE)


def _value(word: str) -> int:
    key = " ".join(word.lower().split())
    return int(key.replace(",", "")) if key[0].isdigit() else _UNITS[key]


def _counts_in(text: str, start: int, end: int) -> dict[int, int]:
    """People counts in ``text[start:end]``, by their offset in ``text``."""
    found: dict[int, int] = {}
    for match in _COUNT.finditer(text, start, end):
        if _AGE.match(text[match.end("n"):]):
            continue
        if re.search(r"\b(?:aged|age)\s*$", text[:match.start()], re.IGNORECASE):
            continue
        found[match.start()] = _value(match.group("n"))
    return found


_ACTIVE = re.compile(r"killing|killed|shot\s+dead", re.IGNORECASE)
_PASSIVE_BEFORE = re.compile(r"\b(?:were|was|been|be|are|is|being|got|get)\s+(?:\w+ly\s+)?$",
                             re.IGNORECASE)


def _doer_before(text: str, death: re.Match[str]) -> bool:
    """Whether the death word is active, so a count before it is of those who killed ("A
    junta fighter jet … killing two", "three soldiers killed a man") and the dead follow."""
    return bool(_ACTIVE.fullmatch(death.group())) and not _PASSIVE_BEFORE.search(
        text, 0, death.start())


def fatalities(text: str) -> int | None:
    """Deaths the sentence states, or None when it states no number of dead.

    Each death word's count is added once: "… were killed on the spot while another villager
    succumbed" reports different people. Conflicting reports of the same deaths come in
    different sentences, where the caller keeps the lowest.
    """
    text = _SUBSET.sub(" ", text)  # ", including a monk," repeats people already counted
    counted: dict[int, int] = {}
    for death in _DEATH.finditer(text):
        if _OR_HURT.match(text, death.end()):
            continue  # "30 troops were killed or injured": not a count of the dead
        breaks = list(_CLAUSE_BREAK.finditer(text, 0, death.start()))
        subject = _counts_in(text, breaks[-1].end() if breaks else 0, death.start())
        end = death.end() + len(_AFTER_END.split(text[death.end():], maxsplit=1)[0])
        victims = _counts_in(text, death.end(), end)
        if _doer_before(text, death):  # "Three soldiers opened fire, killing a child": 1
            counted.update(victims or subject)
        else:
            counted.update(subject or victims)
    return sum(counted.values()) if counted else None
