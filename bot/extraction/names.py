"""Where a proper name starts and ends in English text: capitalised words, the small words
that may stand before a name without being part of it, and the names listed before a word
such as "Township" ("A, B and C townships"). Kept apart from ``places`` so the rules about
what a place is do not mix with the rules about reading a name off the words.
"""

from __future__ import annotations

import re

# Capitalised words that may precede a place name without making it part of another name.
FUNCTION_WORDS = {
    "in", "on", "at", "of", "near", "from", "to", "into", "and", "or", "around", "outside",
    "inside", "the", "a", "an", "both", "across", "between", "neighbouring", "neighboring",
    "northern", "southern", "eastern", "western", "central", "upper", "lower", "while", "when",
    "after", "before", "as", "but", "however", "since", "during", "by", "with",
}
NAME_WORD = r"[A-Z][\w'’]*(?:-[\w'’]+)*"
_LAST_NAME = re.compile(rf"((?:{NAME_WORD}\s){{0,2}}{NAME_WORD})\s*$")
_JOINER = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+)$")


def listed_names(before: str) -> list[tuple[str, int]]:
    """The names just before "Township(s)", walking back over "A, B and C"."""
    names: list[tuple[str, int]] = []
    # "DePaYinGaMyay (Depayin) township": the name in brackets is the township's spelling
    if bracket := re.search(rf"\(({NAME_WORD}(?:\s{NAME_WORD}){{0,2}})\)\s*$", before):
        return [(bracket.group(1), bracket.start(1))]
    end = len(before)
    while match := _LAST_NAME.search(before, 0, end):
        words, start = match.group(1).split(), match.start(1)
        possessive = [i for i, w in enumerate(words) if re.search(r"['’]s$", w)]
        cut = possessive[-1] + 1 if possessive else 0
        while cut < len(words) and words[cut].lower() in FUNCTION_WORDS:
            cut += 1
        start += sum(len(w) + 1 for w in words[:cut])
        if words[cut:]:
            names.append((" ".join(words[cut:]), start))
        joiner = _JOINER.search(before, 0, match.start(1))
        if not joiner:
            break
        end = joiner.start()
    return names
