"""How one Burmese place name is spelled in English, and the keys that make spellings meet.

Romanisations of one name differ in syllable spacing ("Zabu Thiri", "Za Bu Thi Ri"), doubled
letters, final "y"/"i", "u"/"oo" and aspirates ("Phaikhun", "Pekhon", "Pekon"), and some places
keep a former English name ("Tenasserim"). Kept apart from ``places`` so the matcher's rules
about context do not mix with the rules about spelling.
"""

from __future__ import annotations

import difflib
import re

from bot.gazetteer import Township

_SEP = r"[\s-]?"  # between syllables: a space, a hyphen or nothing
# Former English names still in use ("Tenasserim Township"), for the townships they name.
EXONYMS = {"Tenasserim": "Tanintharyi", "Mergui": "Myeik", "Tavoy": "Dawei", "Bassein": "Pathein",
           "Akyab": "Sittwe", "Sandoway": "Thandwe", "Prome": "Pyay", "Pegu": "Bago",
           "Toungoo": "Taungoo", "Thayetmyo": "Thayet", "Henzada": "Hinthada",
           "Keng Tung": "Kengtung", "Kyaingtong": "Kengtung", "Kalemyo": "Kale",
           "Tachilek": "Tachileik", "Allanmyo": "Aunglan", "Haka": "Hakha", "Tiddim": "Tedim"}


# "Dagon Myothit (North)" is written "North Dagon" too: a compass point in brackets goes first.
_COMPASS = re.compile(r"^(?P<base>.+?)(?:\s+Myothit)?\s+\((?P<side>North|South|East|West)\)$")


def compass_orders(name: str) -> list[str]:
    """Other ways to write a township named with a compass point in brackets: "Dagon Myothit
    (North)" is "North Dagon" or "North Dagon Myothit"; other names have none."""
    match = _COMPASS.match(name)
    if match is None:
        return []
    town = "Myothit" in name[match.end("base"):]
    return [f"{match['side']} {match['base']}", *([f"{match['side']} {match['base']} Myothit"]
                                                  if town else [])]


def compact(name: str) -> str:
    """The lookup key of a name: syllable spacing and the "U"/"Oo" romanisations of ဦး (Khin-U,
    Khin Oo) do not matter."""
    return re.sub(r"[\s'’-]", "", name).casefold().replace("oo", "u")


def loose(key: str) -> str:
    """A looser key for a second look: doubled letters, a final "y"/"i", the vowel of "-on"/
    "-un" and an aspirate's "h" inside a name vary too ("Myawady", "Myawadi" for Myawaddy;
    "Hpapon" for Hpapun; "Kyaukphyu" for Kyaukpyu)."""
    key = re.sub(r"(?<=[ptk])h", "", key)
    return re.sub(r"y$", "i", re.sub(r"(.)\1", r"\1", key)).replace("on", "un")


def sound(key: str) -> str:
    """The loosest key, for a name followed by "Township" only: romanisations of one Burmese
    name differ in aspirates and vowels ("Phaikhun", "Pekhon", "Pekon"; "Hpapon", "Hpapun"),
    so aspirated consonants, the vowels written "ai"/"ay"/"ei"/"e" and "aw"/"o"/"u" are merged
    ("Demawso", "Demoso")."""
    for pattern, plain in ((r"aw", "o"), (r"hp|ph", "p"), (r"kh|hk", "k"), (r"th|ht", "t"),
                           (r"hs|sh", "s"), (r"ai|ay|ei|ae|ey", "e"), (r"o", "u")):
        key = re.sub(pattern, plain, key)
    return re.sub(r"y$", "i", re.sub(r"(.)\1", r"\1", key))


def unvoiced(key: str) -> str:
    """The sound key with voiced and voiceless stops merged, for scoring near spellings only:
    Burmese voices a syllable's first consonant after another syllable, and romanisations
    follow the speech or the script ("Depayin", "Tabayin")."""
    for voiced, plain in (("b", "p"), ("d", "t"), ("g", "k")):
        key = key.replace(voiced, plain)
    return sound(key)


_VOICED = {"k": "g", "p": "b", "t": "d", "s": "z"}


def split_keys(words: list[str]) -> list[str]:
    """Lookup keys for a one-word name written as several ("Ponna Kyun" for Ponnagyun): the
    words joined, and joined with each later word's first consonant voiced, as Burmese voices
    a syllable's first consonant after another syllable while a writer who splits the name
    spells the syllable as it sounds alone."""
    keys = [compact("".join(words))]
    voiced = [words[0], *(_VOICED.get(w[:1].lower(), w[:1]) + w[1:] for w in words[1:])]
    keys.append(compact("".join(voiced)))
    return list(dict.fromkeys(keys))


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
        elif loose and index and char in "ptk" and part[index + 1:index + 2] not in ("h", ""):
            out.append(char + "h?")  # "Kyaukphyu": an aspirate written inside the name
        else:
            out.append(re.escape(char))
    return "".join(out)


def name_pattern(name: str) -> str:
    """A regular expression for ``name`` that ignores its syllable spacing."""
    return _SEP.join(_part(part) for part in re.split(r"[\s-]+", name.strip()) if part)


class Spellings:
    """Each township under its looser keys, for a name the gazetteer spells otherwise."""

    def __init__(self, by_key: dict[str, list[Township]]) -> None:
        self._compact_names = {key: ts for key, ts in by_key.items() if key.isascii()}
        for township in {t.pcode: t for ts in by_key.values() for t in ts}.values():
            for other in compass_orders(township.name):  # "North Dagon Township"
                self._compact_names.setdefault(compact(other), [township])
        self._loose: dict[str, list[Township]] = {}
        self._sounds: dict[str, list[Township]] = {}
        for key, townships in self._compact_names.items():
            for index, looser in ((self._loose, loose(key)), (self._sounds, sound(key))):
                found = index.setdefault(looser, [])
                found.extend(t for t in townships if t not in found)

    def loosely(self, key: str) -> list[Township]:
        """The townships whose loose key is ``key``'s."""
        return self._loose.get(loose(key), [])

    def closest(self, name: str, regions: set[str], preferred: set[str],
                near: bool = True) -> Township | None:
        """The township spelled most like ``name``, if no other comes close (ratio >= 0.8);
        with ``near`` false, only one that is spelled the same or sounds the same."""
        key = compact(name)
        close = [t for t in self._loose.get(loose(key), [])
                 if not regions or t.state_region in regions]
        if len(close) == 1:
            return close[0]
        sounds = [t for t in self._sounds.get(sound(key), [])
                  if not regions or t.state_region in regions]
        if len(sounds) == 1:
            return sounds[0]
        if not near:
            return None
        scored: list[tuple[float, Township]] = []
        for candidate, townships in self._compact_names.items():
            ratio = max(difflib.SequenceMatcher(None, key, candidate).ratio(),
                        _same_sounds(key, candidate))
            if ratio >= 0.8:
                scored.extend((ratio + 0.1 * (t.state_region in preferred), t)
                              for t in townships if not regions or t.state_region in regions)
        scored.sort(key=lambda pair: pair[0], reverse=True)
        if not scored or (len(scored) > 1 and scored[1][0] > scored[0][0] - 0.05
                          and scored[1][1] != scored[0][1]):
            return None
        return scored[0][1]


def _same_sounds(key: str, candidate: str) -> float:
    """How alike two spellings sound, voicing aside ("Depayin", "Tabayin"), for names that
    begin with the same sound (0 otherwise: "Kazu Kaing" is no "Laukkaing")."""
    one, other = unvoiced(key), unvoiced(candidate)
    if one[:1] != other[:1]:
        return 0.0
    return difflib.SequenceMatcher(None, one, other).ratio()
