"""Finding the armed groups, state forces and protesters a sentence names.

The team's actor list (names, abbreviations, aliases) becomes one matcher per guild. Short
all-caps abbreviations match only in capitals ("AA", "KA", "PDFs"), so "aa" or "Ka" in a name
never count; full names match in any case, with "Defense"/"Defence", a dropped apostrophe-s and
a plural tolerated. Reporters also use words the list cannot hold: the field's generic words
for the military ("junta troops", "regime forces", "Light Infantry Battalion 565", "a fighter
jet"), for police, for resistance forces, and local defence forces named after their place
("Mindat Defense Force"). Groups named only as the source of a report ("according to the KNDF",
", a KNDF official told DMG") are marked, because a source is not a party to the event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlite_utils import Database

from bot.actors import ensure_guild

STATE_KINDS = {"state_force", "militia"}
RESISTANCE = "resistance"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_ABBREVIATION = re.compile(r"[A-Z0-9][A-Z0-9/&.-]{1,11}")
_MILITARY = re.compile(
    r"\b(?:sit-?tat|Burma(?:'s)?\s+[Aa]rmy|Burmese\s+(?:army|military)|military(?!\s+(?:takeover|"
    r"coup|rule|government|dictator\w*|regime|council|junta|leader\w*|achievements?|targets?|"
    r"courts?|tribunals?|officials?|spokes\w+|rulers?|power|academ\w+))|"
    r"army(?!\s+(?:coup|takeover|rule|government))|troops|"
    r"soldiers|infantry|battalions?|columns|reinforcements|servicemen|warplanes?|fighter\s+"
    r"(?:jets?|aircraft|planes?)|jets?|helicopters?(?:\s+gunships?)?|gunships?|military\s+"
    r"aircraft|air\s+force|(?:Light\s+)?Infantry\s+(?:Battalion|Division)s?|(?-i:LIB|IB|LID)|"
    r"(?:Military|Regional|Tactical)\s+Operations?\s+Command|Regional\s+Military\s+Command|"
    r"[Aa]rtillery\s+(?:unit|[Bb]attalion)s?|command\s+"
    r"headquarters|government\s+(?:forces|troops|soldiers))\b",
    re.IGNORECASE,
)
_SECURITY = re.compile(r"\bsecurity\s+(?:forces|officials|personnel|officers)\b", re.IGNORECASE)
_POLICE = re.compile(r"\b(?:(?:riot|border\s+guard)\s+)?police(?:m[ae]n)?\b|\bBGP\b",
                     re.IGNORECASE)
_RESISTANCE = re.compile(
    r"\b(?:(?:(?i:local|civilian|allied|joint|combined|anti-junta|anti-regime|ethnic|armed)|"
    r"[A-Z][a-z]+)\s+)*(?i:(?:resistance|rebel|revolutionary|guerrilla)s?\s+(?:forces?|"
    r"fighters?|groups?|troops|members|armies|army|organi[sz]ations?|movements?|teams?)\b|"
    r"\b(?:local|civilian|village|people's)\s+defen[cs]e\s+(?:forces?|teams?|groups?)\b|"
    # "Local people’s defence organization in Myaing Township": a local force by another name
    r"\b(?:local\s+)?people['’]s\s+defen[cs]e\s+organi[sz]ations?\b|"
    r"(?-i:\bdefen[cs]e\s+forces\b)|"
    r"\brebels\b|\b(?:joint|combined|allied)\s+(?:forces?|troops)\b|\bresistance\b|"
    r"\bethnic\s+(?:[A-Z]\w+\s+)?(?:army|armed\s+(?:group|organi[sz]ation))\b|\binsurgents?\b|"
    r"\bthe\s+(?:armed\s+)?group\b(?!['’]s\s+(?:spokes|leader)))",
)
_PROTESTERS = re.compile(r"\b(?:([a-z]+-[\w-]+)\s+)?(?:protesters|protestors|demonstrators)\b",
                         re.IGNORECASE)
_LOCAL_FORCE = re.compile(
    r"\b(?!(?:The|A|An|Its|Their|This|That)\b)([A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?)\s+"
    r"(?:People'?s?\s+)?Defen[cs]e\s+(?:Force|Team)s?\b"
)
_PARENTHESIS = re.compile(r"^\s*\(([A-Z][A-Z0-9-]{1,9})\)")
# "The Ye Balu, a resistance force, launched …": an unlisted group the article introduces.
_INTRODUCED = re.compile(
    r"(?<![\w'’-])(?:[Tt]he\s+)?(?P<name>(?!The\b)[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,3}),\s+"
    r"an?\s+(?:local\s+|"
    r"anti-junta\s+|anti-regime\s+|armed\s+)?(?:resistance|revolutionary|guerrilla)\s+"
    r"(?:force|group|organi[sz]ation)\b")
_SUFFIX = re.compile(r"^-([A-Z][a-z]+)")
_REPORTING = re.compile(r"\b(?:said|says|told|tells|stated|added|reported|claimed|announced|"
                        r"confirmed|according)\b", re.IGNORECASE)
_INVERTED = re.compile(r",[”\"]?\s+(?:said|says|told|added)\s+(?:\S+\s+){0,20}?\S+[.”\"]*$",
                       re.IGNORECASE)
# "According to residents, troops arrested …" ends at its comma; a closing "…, according to
# Col San Aung, from a group which in January joined …" runs to the end of the sentence.
_ACCORDING = re.compile(r"^\s*according\s+to\b[^,;]*|\baccording\s+to\b.*$", re.IGNORECASE)
# "A source from a local resistance group stated that …", "A spokesperson of Myaing PDF said
# the attacks …": the speaker who opens a sentence is its source.
_SOURCE_THAT = re.compile(r"^(?:an?|the)\s+(?:\w+\s+){0,2}?(?:source|spokes(?:person|man|woman)|"
                          r"official|officer|member|representative|leader|commander)s?\b[^.,;]{0,60}?"
                          r"\b(?:said|says|stated|told\s+\S+|claimed|added|reported)\b(?:\s+that\b)?",
                          re.IGNORECASE)
_NON_STATE_BEFORE = re.compile(r"(?:resistance|rebel|revolutionary|defen[cs]e|guerrilla|"
                               r"ethnic|civilian|PDF|fighters?)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class Group:
    """One actor of the team's list, with what the extractor needs to know about it."""

    name: str
    kind: str | None
    member_of: str | None

    @property
    def state(self) -> bool:
        return self.kind in STATE_KINDS


@dataclass(frozen=True)
class Mention:
    """A group named in a sentence; ``name`` is canonical, or RESISTANCE for a generic word."""

    name: str
    start: int
    end: int
    aside: bool = False  # named only as the report's source or an area's holder, not a party


@dataclass
class ArticleNames:
    """Names an article defines for itself: "(KPDF)" after a name, "CDF-Mindat" for CDF."""

    abbreviations: dict[str, str]
    places: dict[str, str]


def _name_pattern(alias: str) -> str:
    """A case-insensitive pattern for a full name, tolerant of the spellings reporters use."""
    words = [w for w in re.split(r"\s+", alias.translate(_APOSTROPHES).strip()) if w]
    parts = []
    for word in words:
        part = re.escape(word)
        part = re.sub(r"(?i)defen[cs]e", "defen[cs]e", part)
        part = part.replace("'s", "(?:'s|s)?").replace("ee", "(?:ee|i)")
        parts.append(part)
    return r"[\s-]*".join(parts) + r"s?"


class GroupIndex:
    """The team's actors as two matchers (abbreviations case-sensitive, names not)."""

    def __init__(self, groups: dict[str, Group], aliases: list[tuple[str, str]]) -> None:
        self.groups = groups
        self.by_alias: dict[str, str] = {}
        exact: list[tuple[str, str]] = []
        loose: list[tuple[str, str]] = []
        for alias, name in sorted(aliases, key=lambda pair: len(pair[0]), reverse=True):
            clean = alias.translate(_APOSTROPHES).strip()
            self.by_alias.setdefault(clean.casefold(), name)
            if _ABBREVIATION.fullmatch(clean) and not clean.isdigit():
                exact.append((re.escape(clean) + "s?", name))
            else:
                loose.append((_name_pattern(clean), name))
        self._matchers = [
            (re.compile(r"(?<![\w-])(?:" + "|".join(f"({p})" for p, _ in patterns)
                        + r")(?![\w])", flags), [n for _, n in patterns])
            for patterns, flags in ((exact, 0), (loose, re.IGNORECASE)) if patterns
        ]
        # The junta's governing council stands for its forces when it is said to attack.
        self.state_bodies = {
            name for alias, name in aliases if name in groups
            and groups[name].kind == "political_body"
            and re.search(r"military|junta|government of myanmar", alias, re.IGNORECASE)}
        self.military = self._first("Tatmadaw", "junta", "Myanmar military")
        self.police = self._first("Police Forces of Myanmar (2021-)", "Myanmar police")
        self.local_force = self._first("PDF", "People's Defence Force")

    def _first(self, *names: str) -> str | None:
        return next((self.by_alias[n.casefold()] for n in names
                     if n.casefold() in self.by_alias), None)

    @classmethod
    def from_db(cls, db: Database, guild_id: int) -> GroupIndex:
        ensure_guild(db, guild_id)
        groups = {
            row["name"]: Group(row["name"], row["kind"], row["member_of"])
            for row in db.query("SELECT name, kind, member_of FROM actors WHERE guild_id = ?",
                                [guild_id])
        }
        aliases = [
            (row["alias"], row["name"])
            for row in db.query(
                "SELECT x.alias, a.name FROM actor_aliases x JOIN actors a ON a.id = x.actor_id"
                " WHERE x.guild_id = ?", [guild_id])
        ]
        return cls(groups, aliases)

    def resolve(self, text: str) -> str | None:
        """The canonical name ``text`` is an alias of (a plural "PDFs" too), or None."""
        key = text.translate(_APOSTROPHES).strip().casefold()
        return self.by_alias.get(key) or (self.by_alias.get(key[:-1]) if key.endswith("s")
                                          else None)

    def is_state(self, name: str) -> bool:
        group = self.groups.get(name)
        return group.state if group else False

    def find(self, text: str, article: ArticleNames) -> list[Mention]:
        """Every group mention in ``text``, longest first where two overlap, in text order."""
        text = text.translate(_APOSTROPHES)
        candidates: list[Mention] = []
        for matcher, names in self._matchers:
            for m in matcher.finditer(text):
                if not re.search(r"(?:anti|pro)-$", text[:m.start()], re.IGNORECASE):
                    candidates.append(Mention(names[m.lastindex - 1], m.start(), m.end()))
        candidates.extend(self._article_names(text, article))
        chosen: list[Mention] = []
        # Names before generic words, longest first; one span may stand for two forces
        # ("security forces"), but a generic word never overlaps a name.
        for group in (candidates, self._generic(text)):
            for mention in sorted(group, key=lambda c: (c.start - c.end, c.start)):
                if all(mention.end <= c.start or mention.start >= c.end
                       or ((mention.start, mention.end) == (c.start, c.end)
                           and RESISTANCE not in (mention.name, c.name)) for c in chosen):
                    chosen.append(mention)
        chosen = [m for m in chosen if not self._belongs_to_named(text, m, chosen)
                  and not self._names_a_unit(text, m, chosen)
                  and not self._qualified(text, m, chosen)]
        self._learn(text, chosen, article)
        sources = source_spans(text)
        return sorted(
            (Mention(m.name, m.start, m.end, any(s <= m.start < e for s, e in sources)
                     or _holds_area(text, m)) for m in chosen),
            key=lambda m: m.start,
        )

    def _article_names(self, text: str, article: ArticleNames) -> list[Mention]:
        found = []
        for abbreviation, name in article.abbreviations.items():
            for m in re.finditer(rf"(?<![\w-]){re.escape(abbreviation)}s?(?![\w])", text):
                found.append(Mention(name, m.start(), m.end()))
        for m in _LOCAL_FORCE.finditer(text):
            starts = [m.start()] + [w.end() for w in re.finditer(r"\s+", m.group())]
            if any(self.resolve(text[start:m.end()]) for start in starts):
                continue  # "The Yaw Defense Force" is on the team's list
            place = m.group(1).split()[-1].casefold()
            defined = _PARENTHESIS.match(text[m.end():])  # "(KNDF)": the article says who
            name = (defined and self.resolve(defined.group(1))) or article.places.get(place) \
                or self._shortened(m.group(1).split()[-1]) or self.local_force
            if name:
                found.append(Mention(name, m.start(), m.end()))
        return found

    def _shortened(self, word: str) -> str | None:
        """"Chin Defense Force" for the listed Chinland Defense Force, "Karenni Defense Force"
        for the Karenni Nationalities Defense Force: reporters drop or clip a word of a
        force's name, so a listed "… Defense Force" whose first word begins with the word
        given is meant, if exactly one does."""
        if len(word) < 4:
            return None
        found = {name for name in self.groups
                 if re.fullmatch(r"[\w'’-]+(?:\s[\w'’-]+)?\s[Dd]efen[cs]e\s[Ff]orce", name)
                 and name.casefold().startswith(word.casefold())}
        return found.pop() if len(found) == 1 else None

    def _generic(self, text: str) -> list[Mention]:
        found = []
        if self.military:
            found += [Mention(self.military, m.start(), m.end())
                      for m in _MILITARY.finditer(text) if not _is_adjective(text, *m.span())]
        for m in _SECURITY.finditer(text):
            found += [Mention(n, m.start(), m.end()) for n in (self.military, self.police) if n]
        if self.police:
            found += [Mention(self.police, m.start(), m.end()) for m in _POLICE.finditer(text)]
        found += [Mention(RESISTANCE, m.start(), m.end()) for m in _RESISTANCE.finditer(text)]
        found += [Mention(f"{m.group(1).lower() + ' ' if m.group(1) else ''}protesters",
                          m.start(), m.end()) for m in _PROTESTERS.finditer(text)]
        return found

    def _belongs_to_named(self, text: str, mention: Mention, chosen: list[Mention]) -> bool:
        """"KNLA troops", "resistance fighters": soldier words after a non-state group."""
        if mention.name != self.military or not _MILITARY.fullmatch(
                text[mention.start:mention.end]):
            return False
        before = text[max(0, mention.start - 30):mention.start]
        if _NON_STATE_BEFORE.search(before):
            return True
        return any(0 <= mention.start - other.end <= 2 and other.name != self.military
                   and not self.is_state(other.name) for other in chosen)

    def _qualified(self, text: str, mention: Mention, chosen: list[Mention]) -> bool:
        """"Pyusawhtee People's Militia Force": a listed name right after another (nothing but
        a space between) says what kind of force the first is; it is not a second group."""
        if mention.name not in self.groups:
            return False
        return any(other.name in self.groups and other.name != mention.name
                   and text[other.end:mention.start].isspace() for other in chosen)

    def _names_a_unit(self, text: str, mention: Mention, chosen: list[Mention]) -> bool:
        """"junta personnel from Inn Din … police station", "the regime's police force": the
        force named after the military word says who they were; the military word adds
        nothing."""
        if mention.name != self.military:
            return False
        return any(other.name != self.military and self.is_state(other.name)
                   and 0 <= other.start - mention.end <= 60
                   and re.match(r"(?:(?:\s+[\w-]+){0,2}?\s+from\b|'s\s+(?:\w+\s+)?$)",
                                text[mention.end:other.start])
                   for other in chosen)

    def _learn(self, text: str, chosen: list[Mention], article: ArticleNames) -> None:
        """Remember "(KPDF)" after a name and "-Mindat" after one, for later sentences, and a
        name the article introduces as a local resistance group ("The Ye Balu, a resistance
        force, …"), which the field codes as the PDF (as for "resistance forces")."""
        for m in _INTRODUCED.finditer(text):
            if self.local_force and not self.resolve(m.group("name")):
                article.abbreviations.setdefault(m.group("name"), self.local_force)
        for mention in chosen:
            if mention.name == RESISTANCE or mention.name.endswith("protesters"):
                continue
            if (m := _PARENTHESIS.match(text[mention.end:])) and not self.resolve(m.group(1)):
                article.abbreviations.setdefault(m.group(1), mention.name)
            if m := _SUFFIX.match(text[mention.end:]):
                article.places.setdefault(m.group(1).casefold(), mention.name)


_ACCUSED = re.compile(r"\b(?:accus\w+|suspect\w*|alleg\w+|(?:arrested|detained|charged|jailed)\s+"
                      r"for)\s+(?:\w+\s+){0,5}?(?:of|to|with)\s+(?:the\s+)?(?:anti-\w+\s+|"
                      r"local\s+)?$", re.IGNORECASE)


def _holds_area(text: str, mention: Mention) -> bool:
    """"a territory of the KNU's 5th Brigade", "KNU-controlled areas", "the KNU's Hpapun
    District", "between two camps of Pyusawhtee": the group that holds the area, or whose camp
    marks the spot, is not thereby a party."""
    before = text[max(0, mention.start - 40):mention.start]
    after = text[mention.end:mention.end + 40]
    landmark = re.search(r"\b(?:between|near|beside|close\s+to|next\s+to|past)\s+(?:the\s+)?"
                         r"(?:\w+\s+)?(?:camps?|bases?|outposts?|positions?)\s+of\s+(?:the\s+)?$",
                         before)  # "between two camps of Pyusawhtee": where, not who
    if _ACCUSED.search(text, max(0, mention.start - 60), mention.start):
        return True  # "accused of having ties to the PDF": why they were held, not a party
    return bool(landmark or re.search(r"\b(?:territory|area|zone|region)\s+(?:of|controlled\s+by|"
                                      r"held\s+by)\s+(?:the\s+)?$", before)
                or re.match(r"\)?(?:\s*\([A-Z/]+\))?(?:-(?:controlled|held)|'s\s+(?:[\w-]+\s+)?"
                            r"(?:District|Brigade|territory|area|zone))", after))


def _is_adjective(text: str, start: int, end: int) -> bool:
    """"junta-backed", "anti-military", "pro-regime": alignment words, not the group itself."""
    return text[start - 1:start] == "-" or text[end:end + 1] == "-"


def source_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names its source: "according to …" and a closing ", X said/told Y".

    "…, Bo Letyar, the battalion commander of Myaing PDF Brigade 1, told DVB." names its
    speaker in comma-separated chunks before the verb; up to two such chunks are the source.
    """
    spans = [m.span() for m in _ACCORDING.finditer(text)]
    if leading := _SOURCE_THAT.match(text):  # "A spokesperson of Myaing PDF said that …"
        spans.append((0, leading.end()))
    if inverted := _INVERTED.search(text):  # "…, said Ko Panda, an anti-regime protest leader."
        spans.append((inverted.start(), len(text)))
    verbs = [v for v in _REPORTING.finditer(text) if v.group().lower() != "according"]
    if not verbs or len(re.findall(r"\w+", text[verbs[-1].end():])) > 6:
        return spans
    commas = [m.start() for m in re.finditer(r",", text[:verbs[-1].start()])]
    if not commas or len(re.findall(r"\w+", text[commas[-1]:verbs[-1].start()])) > 8:
        return spans
    start = commas[-1]
    inverted = re.search(r"\w", text[verbs[-1].end():]) and not re.match(
        r"told|tells", verbs[-1].group(), re.IGNORECASE)  # ", said the statement": after it
    if not re.search(r"\w", text[start:verbs[-1].start()]) and not inverted:
        # ", told DVB": the speaker is named in the chunks before
        for earlier in list(reversed(commas[:-1]))[:2]:
            if len(re.findall(r"\w+", text[earlier:start])) > 12:
                break
            start = earlier
    spans.append((start, len(text)))
    return spans
