"""How one Burmese place name is spelled in English, and the keys that make spellings meet.

Romanisations of one name differ in syllable spacing ("Zabu Thiri", "Za Bu Thi Ri"), doubled
letters, final "y"/"i", "u"/"oo" and aspirates ("Phaikhun", "Pekhon", "Pekon"), and some places
keep a former English name ("Tenasserim"). Kept apart from ``places`` so the matcher's rules
about context do not mix with the rules about spelling.
"""

from __future__ import annotations

import re

_SEP = r"[\s-]?"  # between syllables: a space, a hyphen or nothing
# Former English names still in use ("Tenasserim Township"), for the townships they name.
EXONYMS = {"Tenasserim": "Tanintharyi", "Mergui": "Myeik", "Tavoy": "Dawei", "Bassein": "Pathein",
           "Akyab": "Sittwe", "Sandoway": "Thandwe", "Prome": "Pyay", "Pegu": "Bago",
           "Toungoo": "Taungoo", "Thayetmyo": "Thayet", "Henzada": "Hinthada",
           "Keng Tung": "Kengtung", "Kyaingtong": "Kengtung", "Kalemyo": "Kale",
           "Tachilek": "Tachileik", "Allanmyo": "Aunglan", "Haka": "Hakha", "Tiddim": "Tedim"}


def compact(name: str) -> str:
    """The lookup key of a name: syllable spacing and the "U"/"Oo" romanisations of ဦး (Khin-U,
    Khin Oo) do not matter."""
    return re.sub(r"[\s'’-]", "", name).casefold().replace("oo", "u")


def loose(key: str) -> str:
    """A looser key for a second look: doubled letters, a final "y"/"i" and the vowel of "-on"/
    "-un" vary too ("Myawady", "Myawadi" for Myawaddy; "Hpapon" for Hpapun)."""
    return re.sub(r"y$", "i", re.sub(r"(.)\1", r"\1", key)).replace("on", "un")


def sound(key: str) -> str:
    """The loosest key, for a name followed by "Township" only: romanisations of one Burmese
    name differ in aspirates and vowels ("Phaikhun", "Pekhon", "Pekon"; "Hpapon", "Hpapun"),
    so aspirated consonants, the vowels written "ai"/"ay"/"ei"/"e" and "o"/"u" are merged."""
    for pattern, plain in ((r"hp|ph", "p"), (r"kh|hk", "k"), (r"th|ht", "t"), (r"hs|sh", "s"),
                           (r"ai|ay|ei|ae", "e"), (r"o", "u")):
        key = re.sub(pattern, plain, key)
    return re.sub(r"y$", "i", re.sub(r"(.)\1", r"\1", key))


def unvoiced(key: str) -> str:
    """The sound key with voiced and voiceless stops merged, for scoring near spellings only:
    Burmese voices a syllable's first consonant after another syllable, and romanisations
    follow the speech or the script ("Depayin", "Tabayin")."""
    for voiced, plain in (("b", "p"), ("d", "t"), ("g", "k")):
        key = key.replace(voiced, plain)
    return sound(key)


def _part(part: str) -> str:
    """One syllable group of a name as a pattern: a final "u" may be written "oo", a final
    "y" "i", and a doubled letter single."""
    out = []
    loose = len(part) >= 6  # "Ann" must not match "An"
    for index, char in enumerate(part):
        if loose and index and char == part[index - 1] and char.isalpha() \
                and char.lower() not in "aeiou":
            out.append(re.escape(char) + "?")
        elif index == len(part) - 1 and char in "uU" and part[index - 1:index] != "u":
            out.append("(?:u|oo)")
        elif loose and index == len(part) - 1 and char in "yY":
            out.append("[yi]")
        else:
            out.append(re.escape(char))
    return "".join(out)


def name_pattern(name: str) -> str:
    """A regular expression for ``name`` that ignores its syllable spacing."""
    return _SEP.join(_part(part) for part in re.split(r"[\s-]+", name.strip()) if part)
