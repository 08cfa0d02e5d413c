"""Splitting an article into paragraphs and sentences, keeping every sentence verbatim.

Evidence must quote the article exactly, so sentences are spans of the original text, never
re-joined tokens. A period ends a sentence unless it closes an abbreviation that news writing
uses mid-sentence ("Lt. Col. Naw Bu", "Aug. 9", "Battalion No. 427", "10 a.m. on Sunday"), and
quotations are split like any other text ("… airstrikes. We finally captured …") because a
reported sentence can hold the date and place of its own event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Never the last word of a sentence: titles and prefixes are always followed by a name or number.
_TITLES = {
    "mr", "mrs", "ms", "dr", "lt", "col", "gen", "maj", "capt", "brig", "sgt", "cpl", "pvt",
    "gov", "sen", "rep", "prof", "st", "rev", "hon", "adm", "cmdr", "cdr", "no", "nos", "vol",
    "fig", "art", "vs", "approx", "ft", "mt",
}
_MONTHS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
# May end a sentence ("… at 9 a.m. The convoy …"), so they end one only before a word that
# usually starts a sentence.
_AMBIGUOUS = {"etc", "inc", "ltd", "co", "corp", "jr", "sr"}
_STARTERS = {
    "the", "a", "an", "it", "he", "she", "they", "we", "i", "you", "in", "on", "at", "but",
    "however", "after", "before", "when", "while", "this", "that", "these", "those", "there",
    "meanwhile", "according", "his", "her", "their", "our", "its", "some", "many", "most",
    "both", "two", "three", "four", "five", "residents", "locals", "villagers", "junta",
}
_OPENERS = "“\"‘'(["
_CLOSERS = "”\"’')]"
_END = re.compile(rf"[.!?]+[{re.escape(_CLOSERS)}]*(?=\s)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_NEXT_WORD = re.compile(rf"\s+([{re.escape(_OPENERS)}]?)([^\s]*)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# No sentence in the 306 keyed articles is longer than 370 characters. A pasted text with no full
# stops (a list, a table, something hostile) is cut into pieces this long, at a space, so that the
# rules, several of which grow faster than a sentence's length, stay linear in the article's.
MAX_SENTENCE = 1000
# "YANGON—", "BANGKOK -- ", "YANGON (Reuters) - ": where the report was filed, not where the
# events happened, so it is hidden from the place finder (the sentence text stays verbatim).
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’]{2,}(?:\s*\([^)]{1,40}\))?\s*(?:—|–|--|-|:)\s*")


@dataclass(frozen=True)
class Sentence:
    """One sentence as a span of the article body, with where it sits in the article."""

    text: str
    start: int
    paragraph: int
    index: int
    first_in_paragraph: bool


def paragraphs(body: str) -> list[tuple[int, str]]:
    """(offset, text) of each paragraph: blank lines separate them, as in every article file.

    Text pasted without blank lines but with one paragraph per line is split per line instead.
    """
    parts: list[tuple[int, str]] = []
    separator = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(body) else re.compile(r"\n\s*")
    position = 0
    for match in [*separator.finditer(body), None]:
        stop = match.start() if match else len(body)
        chunk = body[position:stop]
        stripped = chunk.strip()
        if stripped:
            parts.append((position + chunk.index(stripped), stripped))
        if match:
            position = match.end()
    if separator is _PARAGRAPH_BREAK:
        return parts
    return _rejoin_wrapped(body, parts)


# A line cut inside a sentence: no closing punctuation, then a line that goes on lower-case or
# with a number ("its political\nwing", "on March\n2nd"), or a long line that stops on a word
# ("belonging to the Junta’s 101st\nDivision"); a short line with no stop is a heading.
_LINE_END = re.compile(rf"[.!?:;][{re.escape(_CLOSERS)}]*$|[{re.escape(_CLOSERS)}]$")
_WRAPPED_LINE = 40


def _rejoin_wrapped(body: str, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Lines of a hard-wrapped paragraph joined back into one (still a span of ``body``)."""
    joined: list[tuple[int, str]] = []
    for offset, line in lines:
        if joined:
            start, previous = joined[-1]
            goes_on = line[0].islower() or line[0].isdigit() or len(
                previous.splitlines()[-1]) >= _WRAPPED_LINE
            if not _LINE_END.search(previous) and goes_on:
                joined[-1] = (start, body[start:offset + len(line)])
                continue
        joined.append((offset, line))
    return joined


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the punctuation run ending at ``end`` closes a sentence."""
    after = _NEXT_WORD.match(text, end)
    if not after or not after.group(2):
        return True
    opener, word = after.groups()
    first = word[0]
    if not (first.isupper() or first.isdigit() or opener):
        return False
    run = text[:end].rstrip(_CLOSERS)
    if not run.endswith("."):
        return True  # ! and ? have no abbreviations
    before = _WORD_BEFORE.search(run[:-1])
    if not before:
        return True
    token = before.group(1)
    key = token.lower().rstrip(".")
    if key in _TITLES:
        return False
    if key in _MONTHS:
        return not first.isdigit()
    if "." in token or len(token) == 1 or key in _AMBIGUOUS:  # U.S., a.m., initials, Inc.
        return bool(opener) or word.strip(".,;:").lower() in _STARTERS
    return True


def _split(text: str) -> list[tuple[int, str]]:
    pieces: list[tuple[int, str]] = []
    start = 0
    ends = [m.end() for m in _END.finditer(text) if _ends_sentence(text, m.end())]
    for end in [*ends, len(text)]:
        piece = text[start:end].strip()
        if piece:
            pieces += _bounded(start + text[start:end].index(piece), piece)
        start = end
    return pieces


def _bounded(offset: int, piece: str) -> list[tuple[int, str]]:
    """``piece`` as spans of at most ``MAX_SENTENCE`` characters, cut at the last space."""
    spans: list[tuple[int, str]] = []
    while len(piece) > MAX_SENTENCE:
        cut = piece.rfind(" ", 1, MAX_SENTENCE + 1)
        cut = cut if cut > 0 else MAX_SENTENCE
        head, rest = piece[:cut].rstrip(), piece[cut:].lstrip()
        spans.append((offset, head))
        offset += len(piece) - len(rest)
        piece = rest
    return [*spans, (offset, piece)] if piece else spans


def sentences(body: str) -> list[Sentence]:
    """Every sentence of ``body`` in order, verbatim, with its paragraph number."""
    found: list[Sentence] = []
    for number, (offset, paragraph) in enumerate(paragraphs(body)):
        for position, (start, text) in enumerate(_split(paragraph)):
            found.append(Sentence(text, offset + start, number, len(found), position == 0))
    return found


def mask_dateline(sentence: Sentence) -> str:
    """The sentence with a leading dateline blanked out (same length, so offsets still hold)."""
    if not sentence.first_in_paragraph or sentence.paragraph != 0:
        return sentence.text
    match = _DATELINE.match(sentence.text)
    return " " * match.end() + sentence.text[match.end():] if match else sentence.text
