"""Finding townships, towns, villages and states/regions named in a sentence.

One multi-pattern matcher over every township name, alternative spelling and town name is built
once per gazetteer. Burmese names are romanised with varying syllable spacing ("Zabu Thiri",
"Za Bu Thi Ri"), so the patterns ignore spaces and hyphens between syllables; they are matched
only when capitalised, so "saw" the verb is never Saw Township. A name is not a place where the
sentence uses it as part of another proper name ("Mandalay PDF", "Sagaing Region", "Mindat
Defense Force"), and it is not where the event happened when it is a unit's base, a destination
or an origin ("based in Kyaukhtu", "heading to Mawlamyine", "reinforcements from Monywa"): those
patterns are in ``asides``, kept apart so this module holds the names and that one their context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from bot.errors import NotFound
from bot.extraction.asides import ASIDE, DISTANCE, is_aside
from bot.extraction.names import FUNCTION_WORDS, NAME_WORD, listed_names
from bot.extraction.spellings import EXONYMS, Spellings, compact, name_pattern, split_keys
from bot.gazetteer import Gazetteer, Township

# Words after a township name that keep it a place: the township itself or a site within it.
_PLACE_WORDS = {
    "township", "townships", "town", "towns", "city", "district", "university", "airport",
    "prison", "hospital", "market", "station", "village", "villages",
}
_QUALIFIES = re.compile(r"(?:\s+(?:[Tt]ownships?|[Dd]istrict))?(?:\s+in\s+|\s*,\s*)(?:the\s+)?")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)+\b")
# where a split name is read as a township: after a preposition of place, not in a list of
# villages ("the villages of Myo Thit and …") nor before "village" ("Ywar Thit village")
_SPLIT_NAME_SLOT = re.compile(r"(?<!village\sof)(?<!villages\sof)(?:^|\s)(?:[Ii]n|[Aa]t|[Nn]ear|"
                              r"[Aa]round)\s$")
_LIST_JOIN = re.compile(r"^(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)$")
_VILLAGE_BEFORE = re.compile(rf"((?:{NAME_WORD}\s){{1,4}})[Vv]illage\b")
_VILLAGE_AFTER = re.compile(rf"\b[Vv]illage\s+of\s+({NAME_WORD}(?:\s{NAME_WORD})*)")
_TOWN_LOWER = re.compile(rf"((?:{NAME_WORD}\s){{1,3}})town\b")
_TOWNSHIP_WORD = re.compile(r"(?<=\s)(?:[Tt]ownships?|(?P<district>District))\b")
_REGION = re.compile(
    r"\b(?:(?P<dir>northern|southern|eastern|western|north|south|east|west)\s+)?"
    r"(?P<name>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+(?:State|Region|Division|state|region|division)s?\b"
)
# "at Dawei, Tanintharyi.", "in Monywa, Sagaing, on Monday", "X Township, Yangon on 4 August": a
# place, then the state or region that holds it (a name also a township's), closing the phrase.
_CONTAINER = re.compile(r"(?<=[a-z]),\s+(?P<name>[A-Z][a-z]+)"
                        r"(?=\s*(?:[.;]|$)|,\s+(?!and\b)[a-z]|\s+on\s)")
# "in Sagaing, Magwe, Tanintharyi and Yangon regions": every name listed is a region
_REGION_LIST = re.compile(r"\b((?:[A-Z][a-z]+,\s+)+[A-Z][a-z]+,?\s+and\s+)[A-Z][a-z]+\s+"
                          r"(?:[Ss]tates|[Rr]egions|[Dd]ivisions)\b")
# "in Thangtlan of Chin State": a name the gazetteer lacks, placed in a state or region
_IN_REGION = re.compile(
    r"\b(?:in|at|near)\s+(?P<name>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+(?:of|in|,)\s+(?:(?:northern|"
    r"southern|eastern|western|central)\s+)?(?P<region>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+"
    r"(?:State|Region|Division)\b")
# "in Magway's Gangaw Township", "Mandalay's Madaya and Singu townships": the owner is a region
_POSSESSIVE_REGION = re.compile(rf"\b(?P<name>[A-Z][a-z]+)['’]s\s+(?=(?:{NAME_WORD}(?:,?\s+and\s+|"
                                rf",\s+|\s+)){{1,8}}?[Tt]ownships?\b)")
_CAPITAL = re.compile(r"\b(?:Naypyitaw|Naypyidaw|Nay\s?Pyi\s?Taw)\b")
_NATIONWIDE = re.compile(
    r"\b(?:nationwide|countrywide|across\s+(?:the\s+)?(?:country|nation|Myanmar|Burma)|"
    r"throughout\s+(?:the\s+)?(?:country|nation|Myanmar)|"
    # "bomb blasts occurred in several townships": many places at once, none of them named
    r"(?:in\s+)?(?:several|many|multiple|various|numerous|different)\s+(?:other\s+)?"
    r"(?:townships|towns|cities|regions|states))\b",
)
_NOT_VILLAGE_WORDS = {"the", "a", "an", "in", "at", "near", "from", "of", "muslim", "christian",
                      "buddhist", "nearby", "another", "this", "that", "each", "every", "one"}


@dataclass(frozen=True)
class TownshipMention:
    """A township named in a sentence, and whether it is where something happened there."""

    township: Township
    start: int
    end: int
    text: str
    aside: bool  # a base, destination, origin or a group's name, not the event's place
    site: str | None  # the town meant: "in Tigyaing" is the town, "Tigyaing Township" is not
    district: bool = False  # "Lashio District": a district named after its main township
    landmark: bool = False  # "15 miles north of Kani": the place itself only if none other


@dataclass
class Places:
    """Everything about place that one sentence says."""

    townships: list[TownshipMention] = field(default_factory=list)
    villages: list[tuple[str, int]] = field(default_factory=list)  # (name, offset)
    regions: set[str] = field(default_factory=set)
    nationwide: bool = False

    @property
    def event_townships(self) -> list[TownshipMention]:
        """Where it happened; a district stands for its main township only when the sentence
        names no township ("seized Kunlong, located in Lashio District": Kunlong)."""
        found = [m for m in self.townships if not m.aside]
        if any(not m.landmark for m in found):
            found = [m for m in found if not m.landmark]
        if any(not m.district for m in found):
            found = [m for m in found if not m.district]
        seen: dict[str, TownshipMention] = {}
        for mention in found:
            seen.setdefault(mention.township.pcode, mention)
        return list(seen.values())


class PlaceIndex:
    """The gazetteer as one matcher: built once, then used for every sentence of every article."""

    def __init__(self, gaz: Gazetteer, alt_names: dict[str, list[str]],
                 towns: list[tuple[str, str]]) -> None:
        self.gazetteer = gaz
        self.by_key: dict[str, list[Township]] = {}
        self._names: set[str] = set()
        self.sites: dict[str, str] = {}  # compact town key -> town name, for the location
        exonyms: dict[str, list[str]] = {}
        for old, current in EXONYMS.items():
            exonyms.setdefault(current, []).append(old)
        for township in gaz.by_pcode.values():
            for name in [township.name, *alt_names.get(township.pcode, []),
                         *exonyms.get(township.name, [])]:
                self._add(name, township)
        for town, pcode in towns:
            name = re.sub(r"\s+(?:Town|City)$", "", town)
            key = compact(name)
            if key not in self.by_key or key in self.sites:
                self._add(name, gaz.by_pcode[pcode])
                self.sites[key] = name
        names = sorted(self._names, key=len, reverse=True)
        self._matcher = re.compile(
            r"(?<![\w'’-])(?:" + "|".join(name_pattern(n) for n in names) + r")(?![\w-])",
            re.IGNORECASE,
        )
        self.spellings = Spellings(self.by_key)

    def _add(self, name: str, township: Township) -> None:
        key = compact(name)
        found = self.by_key.setdefault(key, [])
        if township not in found:
            found.append(township)
        self._names.add(name)

    @classmethod
    def from_db(cls, db: Database, gaz: Gazetteer) -> PlaceIndex:
        alt_names = {
            row["pcode"]: [a for a in (row["alt_names"] or "").split(";") if a]
            for row in db.query("SELECT pcode, alt_names FROM townships")
        }
        towns = [(r["name"], r["township_pcode"]) for r in db.query("SELECT * FROM towns")]
        return cls(gaz, alt_names, towns)

    def _regions_in(self, text: str) -> tuple[set[str], list[tuple[int, int]]]:
        """States/regions named, and their spans (so their names are not read as townships)."""
        regions: set[str] = set()
        spans: list[tuple[int, int]] = []
        for match in _REGION.finditer(text):
            label = f"{match['dir'] or ''} {match['name']}".strip()
            for candidate in (label, match["name"], match["name"].split()[-1]):
                try:
                    regions.update(self.gazetteer.resolve_region(candidate))
                except NotFound:
                    continue
                spans.append(match.span())
                break
        for match in _REGION_LIST.finditer(text):
            for name in re.finditer(r"[A-Z][a-z]+", match.group(1)):
                try:
                    regions.update(self.gazetteer.resolve_region(name.group()))
                except NotFound:
                    continue
                spans.append((match.start(1) + name.start(), match.start(1) + name.end()))
        for match in _POSSESSIVE_REGION.finditer(text):
            try:
                regions.update(self.gazetteer.resolve_region(match["name"]))
            except NotFound:
                continue
            spans.append(match.span("name"))
        for match in _CAPITAL.finditer(text):
            regions.update(self.gazetteer.resolve_region("naypyitaw"))
            spans.append(match.span())
        for match in _CONTAINER.finditer(text):  # "at Dawei, Tanintharyi.": the region
            try:
                regions.update(self.gazetteer.resolve_region(match["name"]))
            except NotFound:
                continue
            spans.append(match.span("name"))
        return regions, spans

    def find(self, text: str, regions: set[str] | None = None) -> Places:
        """The places ``text`` names; ``regions`` (of the article so far) settle shared names."""
        places = Places(nationwide=bool(_NATIONWIDE.search(text)))
        places.regions, region_spans = self._regions_in(text)
        context = places.regions or regions or set()
        for match in self._matcher.finditer(text):
            if any(s <= match.start() < e for s, e in region_spans):
                continue
            if not match.group()[0].isupper() and match.group()[0].isascii():
                continue
            if self._part_of_longer_name(text, match.start(), match.end()):
                continue
            key = compact(match.group())
            township = self._pick(self.by_key.get(key) or self.spellings.loosely(key),
                                  context)
            if township is None:
                continue
            bare = not re.match(r"\s+[Tt]ownships?\b|\s+[Dd]istrict", text[match.end():])
            places.townships.append(TownshipMention(
                township, match.start(), match.end(), match.group(),
                aside=is_aside(text, match.start(), match.end()),
                site=self.sites.get(key) or (match.group() if bare else None),
                district=bool(re.match(r"\s+[Dd]istrict\b", text[match.end():])),
                landmark=bool(DISTANCE.search(text[max(0, match.start() - 40):match.start()])),
            ))
        self._add_unlisted_townships(text, places, places.regions, regions or set())
        self._add_split_names(text, places, context)
        self._spread_aside_over_lists(text, places)
        places.regions -= self._aside_containers(text, places, region_spans)
        places.villages = _villages(text, places)
        return places

    def _add_split_names(self, text: str, places: Places, context: set[str]) -> None:
        """"in Ponna Kyun, a few miles north of Sittwe": a township's one-word name written as
        two or three capitalised words, with no "Township" after it to call the closest
        spelling (``spellings.split_keys``); only a whole name after "in", "at", "near" or
        "around", never part of a longer one nor a village's name ("Ywar Thit village")."""
        known = [(m.start, m.end) for m in places.townships]
        for run in _CAPITALISED_RUN.finditer(text):
            words = [(w.group(), run.start() + w.start()) for w in re.finditer(r"\S+", run.group())]
            while words and words[0][0].lower() in FUNCTION_WORDS:
                words = words[1:]
            if not 2 <= len(words) <= 3:
                continue
            start, end = words[0][1], run.end()
            # the slot ends at the name and is at most 8 characters long: search only its reach
            if any(s < end and start < e for s, e in known) or not _SPLIT_NAME_SLOT.search(
                    text, max(0, start - 16), start) or re.match(
                    r"\s+(?:[Vv]illages?|[Ww]ards?)\b", text[end:]):
                continue
            township = next((t for key in split_keys([w for w, _ in words])
                             if (t := self._pick(self.by_key.get(key, []), context))), None)
            if township is not None:
                places.townships.append(TownshipMention(
                    township, start, end, text[start:end],
                    aside=is_aside(text, start, end), site=text[start:end]))

    @staticmethod
    def _pick(candidates: list[Township], regions: set[str]) -> Township | None:
        if len(candidates) == 1:
            return candidates[0]
        inside = [t for t in candidates if t.state_region in regions]
        return inside[0] if len(inside) == 1 else None

    @staticmethod
    def _part_of_longer_name(text: str, start: int, end: int) -> bool:
        """"Mandalay PDF", "Yaw Light Beam", "Ko Kyaw": capitalised neighbours make a name."""
        before = re.search(r"([\w'’]+)\s$", text[:start])
        if before and before.group(1)[0].isupper():
            word = before.group(1)
            if word.lower() not in FUNCTION_WORDS and not re.search(r"['’]s$", word):
                return True
        if re.search(r"\b[A-Z][\w'’]*\s\($", text[:start]) \
                and re.match(r"\)\s[A-Z]", text[end:]):  # "Operation X (Mandalay) Bureau"
            return True
        after = re.match(r"\s([\w'’]+)", text[end:])
        if after and after.group(1)[0].isupper():  # "Paletwa Township's": the township's
            return re.sub(r"['’]s$", "", after.group(1)).lower() not in _PLACE_WORDS
        return False

    def _aside_containers(self, text: str, places: Places,
                          region_spans: list[tuple[int, int]]) -> set[str]:
        """"raided the border with Myaung Township in Sagaing Region": the region of a place
        named only to situate another is no region the story moves to."""
        aside: set[str] = set()
        kept: set[str] = set()
        for start, end in region_spans:
            owner = next((m for m in places.townships if _QUALIFIES.fullmatch(
                text[m.end:start])), None)
            found, _ = self._regions_in(text[start:end])
            (aside if owner is not None and owner.aside else kept).update(found)
        return aside - kept

    @staticmethod
    def _spread_aside_over_lists(text: str, places: Places) -> None:
        """"from Kani, Salingyi and Monywa townships": one aside member makes the list aside."""
        mentions = sorted(places.townships, key=lambda m: m.start)
        groups: list[list[TownshipMention]] = []
        for mention in mentions:
            if groups and _LIST_JOIN.match(text[groups[-1][-1].end:mention.start]):
                groups[-1].append(mention)
            else:
                groups.append([mention])
        places.townships = [
            replace(m, aside=True) if any(g.aside for g in group) else m
            for group in groups for m in group
        ]

    def _add_unlisted_townships(self, text: str, places: Places, regions: set[str],
                                preferred: set[str]) -> None:
        """"Ottara Thiri Township": a spelling the gazetteer lacks, matched to the closest one.

        The word "Township" says a township is meant ("A, B and C townships": each of them), and
        "District" a district named after its main township ("Hpapon District"), so
        the closest spelling (syllable spacing ignored, or the same sounds: ``_sound``) is
        accepted when it is clearly closer than any other, within the region the sentence
        names (the article's regions only break ties: an article about Kayah State may well
        report a clash in Pekon, Shan State).
        """
        known = [(m.start, m.end) for m in places.townships]
        for match in _IN_REGION.finditer(text):
            start, end = match.span("name")
            try:
                region = self.gazetteer.resolve_region(match["region"])
            except NotFound:
                continue
            if not any(s < end and start < e for s, e in known) and (
                    township := self.spellings.closest(match["name"], set(region), set())):
                places.townships.append(TownshipMention(
                    township, start, end, match["name"], aside=is_aside(text, start, end),
                    site=None))
        for match in _TOWNSHIP_WORD.finditer(text):
            for name, start in listed_names(text[:match.start()]):
                end = start + len(name)
                if any(s < end and start < e for s, e in known):
                    continue
                # "around Mobye in neighbouring southern Shan State, … in Demawso Township": a
                # region named beside it need not be the township's own
                township = self.spellings.closest(name, regions, preferred) or (
                    self.spellings.closest(name, set(), preferred, near=False)
                    if regions else None)
                if township is not None:  # "Hpapon District": the district of Hpapun
                    places.townships.append(TownshipMention(
                        township, start, end, name, aside=is_aside(text, start, end),
                        site=None, district=bool(match.group("district"))))


def _villages(text: str, places: Places) -> list[tuple[str, int]]:
    """Villages and towns named with the word "village"/"town" ("Ho Phate village")."""
    found: list[tuple[str, int]] = []
    township_spans = [(m.start, m.end) for m in places.townships]
    for pattern in (_VILLAGE_BEFORE, _VILLAGE_AFTER, _TOWN_LOWER):
        for match in pattern.finditer(text):
            words = match.group(1).split()
            while words and words[0].lower() in _NOT_VILLAGE_WORDS:
                words = words[1:]
            if not words:
                continue
            name = " ".join(words)
            start = match.start(1) + match.group(1).index(words[0])
            if any(s <= start < e for s, e in township_spans) and pattern is not _TOWN_LOWER:
                continue
            if ASIDE.search(text[max(0, start - 60):start]):
                continue
            found.append((name.rstrip(",.;"), start))
    return sorted(set(found), key=lambda pair: pair[1])


def location_in(places: Places, township: Township) -> str | None:
    """The village or town within the township where it happened, if the sentence says."""
    if places.villages:
        return places.villages[0][0]
    sites = [m.site for m in places.townships
             if m.township == township and not m.aside and m.site]
    return sites[0] if sites else None
