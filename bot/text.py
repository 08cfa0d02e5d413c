"""Normalising names for matching, and checking free text before it is stored.

Names reach us typed on phones, pasted from news sites and copied from ACLED exports, so the
same group or township arrives with curly apostrophes, en dashes, double spaces and any case.
One normal form, used by every look-up, keeps "Ta’ang" and "Ta'ang" the same name.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TextIO

from bot.errors import InvalidInput

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-"})
_SPACES = re.compile(r"\s+")


def norm(name: str) -> str:
    """The matching key of a name: NFKC, case-folded, one apostrophe and dash, single spaces."""
    name = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES)
    return _SPACES.sub(" ", name).strip().casefold()


def closest(query: str, candidates: dict[str, str], n: int = 3) -> list[str]:
    """Display names of the ``n`` candidates closest to ``query``.

    ``candidates`` maps matching keys to display names; several keys may share a display name
    (aliases), and each display name is suggested once.
    """
    key = norm(query)
    found: list[str] = []
    for match in difflib.get_close_matches(key, list(candidates), n=n * 4, cutoff=0.5):
        shown = candidates[match]
        if shown not in found:
            found.append(shown)
    if len(found) < n:
        # Prefix matches catch short inputs ("kaw") that difflib scores too low.
        for cand_key, shown in sorted(candidates.items()):
            if cand_key.startswith(key[:3]) and shown not in found:
                found.append(shown)
            if len(found) >= n:
                break
    return found[:n]


def clean_text(field: str, value: str | None, max_length: int) -> str | None:
    """Free text as it will be stored, or a refusal that names the field.

    Text is kept verbatim (Burmese script, right-to-left marks and markdown included: escaping
    is the job of whoever displays it), but it must be storable UTF-8 and of sane length.
    Empty or blank text means "not given".
    """
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"The {field} contains characters that cannot be stored (broken Unicode); "
            "please retype it."
        ) from None
    if "\x00" in value:
        raise InvalidInput(f"The {field} contains a NUL character; please remove it.")
    value = value.strip()
    if not value:
        return None
    if len(value) > max_length:
        raise InvalidInput(
            f"The {field} is {len(value):,} characters long; the limit is {max_length:,}. "
            "Shorten it or link to the full text as a source."
        )
    return value


# C0 controls but tab and newline, DEL and C1 controls: what lets text drive a terminal.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x09), *range(0x0B, 0x20),
                                       *range(0x7F, 0xA0))}


class TerminalSafe:
    """A stdout wrapper for terminals: control characters in stored text are shown as
    ``\\x1b`` instead of retitling, recolouring or clearing the analyst's terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(text.translate(_CONTROLS))

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)
