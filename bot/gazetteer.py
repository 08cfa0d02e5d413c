"""Townships and states/regions: turning what people type into a P-code.

Reporters write "Mese", "Mese Township, Kayah State", "Hsenwi" for Hseni or name a town
("Khampat") rather than its township. Everything here resolves to one row of the MIMU
gazetteer (seeded into ``townships`` and ``towns``), or refuses with the closest names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sqlite_utils import Database

from bot.errors import Ambiguous, NotFound
from bot.text import closest, norm

# Older and ethnic-language names of the states/regions, as news reports still use them.
REGION_ALIASES: dict[str, list[str]] = {
    "shan": ["Shan (North)", "Shan (South)", "Shan (East)"],
    "northern shan": ["Shan (North)"],
    "southern shan": ["Shan (South)"],
    "eastern shan": ["Shan (East)"],
    "bago": ["Bago (East)", "Bago (West)"],
    "pegu": ["Bago (East)", "Bago (West)"],
    "karenni": ["Kayah"],
    "karen": ["Kayin"],
    "kawthoolei": ["Kayin"],
    "arakan": ["Rakhine"],
    "magwe": ["Magway"],
    "irrawaddy": ["Ayeyarwady"],
    "tenasserim": ["Tanintharyi"],
    "naypyitaw": ["Nay Pyi Taw"],
    "naypyidaw": ["Nay Pyi Taw"],
    "nay pyi taw union territory": ["Nay Pyi Taw"],
}
_REGION_WORDS = re.compile(r"\s+(state|region|division|union territory)$")
_TOWNSHIP_WORDS = re.compile(r"\s+(township|tsp|tsp\.|town|city|sub-township)$")
_NORTH_SOUTH = re.compile(r"^(shan|bago)[ -]\(?(north|south|east|west)\)?$")


@dataclass(frozen=True)
class Township:
    pcode: str
    name: str
    district: str
    state_region: str
    latitude: float
    longitude: float

    @property
    def label(self) -> str:
        """The name people can tell apart: "Mese (Kayah)"."""
        return f"{self.name} ({self.state_region})"


class Gazetteer:
    """An in-memory index of the 356 townships, their alternative spellings and towns."""

    def __init__(self, townships: list[Township], alt_names: dict[str, list[str]],
                 towns: dict[str, list[str]]) -> None:
        self.by_pcode = {t.pcode: t for t in townships}
        self._by_name: dict[str, list[Township]] = {}
        for t in townships:
            for name in [t.name, *alt_names.get(t.pcode, [])]:
                self._add(self._by_name, name, t)
        # Towns only count when no township has the name: "Khampat" -> Tamu, but "Loikaw" is
        # the township, not Loikaw Town.
        self._by_town: dict[str, list[Township]] = {}
        for pcode, names in towns.items():
            for name in names:
                self._add(self._by_town, _TOWNSHIP_WORDS.sub("", norm(name)), self.by_pcode[pcode])
        self.regions = sorted({t.state_region for t in townships})

    @staticmethod
    def _add(index: dict[str, list[Township]], name: str, township: Township) -> None:
        found = index.setdefault(norm(name), [])
        if township not in found:
            found.append(township)

    @classmethod
    def from_db(cls, db: Database) -> Gazetteer:
        townships, alt_names = [], {}
        for row in db.query("SELECT * FROM townships ORDER BY pcode"):
            townships.append(
                Township(row["pcode"], row["name"], row["district"], row["state_region"],
                         row["latitude"], row["longitude"])
            )
            alt_names[row["pcode"]] = [a for a in (row["alt_names"] or "").split(";") if a]
        towns: dict[str, list[str]] = {}
        for row in db.query("SELECT name, township_pcode FROM towns"):
            towns.setdefault(row["township_pcode"], []).append(row["name"])
        return cls(townships, alt_names, towns)

    def resolve_region(self, text: str) -> list[str]:
        """The state/region names meant by ``text``: "Shan" is all three parts of Shan State."""
        key = _REGION_WORDS.sub("", norm(text))
        if m := _NORTH_SOUTH.match(key):
            key = f"{m.group(1)} ({m.group(2)})"
        for region in self.regions:
            if norm(region) == key:
                return [region]
        if key in REGION_ALIASES:
            return REGION_ALIASES[key]
        names = {norm(r): r for r in self.regions}
        suggestions = closest(text, names)
        raise NotFound(
            f"{text.strip()!r} is not a state or region of Myanmar. "
            f"Did you mean {' or '.join(suggestions)}?" if suggestions else
            f"{text.strip()!r} is not a state or region of Myanmar.",
            suggestions,
        )

    def resolve(self, text: str) -> Township:
        """One township for "Mese", "mese township", "Mese Township, Kayah State" or a P-code."""
        raw = text.strip()
        if raw.upper() in self.by_pcode:
            return self.by_pcode[raw.upper()]
        name, _, region_text = norm(raw).partition(",")
        if not region_text and name not in self._by_name:
            name, region_text = self._split_label(name)
        name = _TOWNSHIP_WORDS.sub("", name.strip())
        regions = self.resolve_region(region_text) if region_text.strip() else None
        named = self._by_name.get(name) or self._by_town.get(name) or []
        found = [t for t in named if regions is None or t.state_region in regions]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            choices = [t.label for t in found]
            raise Ambiguous(
                f"More than one township is called {raw!r}: {', '.join(choices)}. "
                "Type one of these names as shown, or pick it from the list.",
                choices,
            )
        if named:
            places = ", ".join(t.label for t in named)
            raise NotFound(
                f"{raw!r}: there is no such township in {' / '.join(regions or [])}; "
                f"the gazetteer has {places}.",
                [t.label for t in named],
            )
        suggestions = self.suggest(name)
        where = f" in {' / '.join(regions)}" if regions else ""
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise NotFound(f"No township called {raw!r}{where}.{hint}", suggestions)

    def _split_label(self, name: str) -> tuple[str, str]:
        """Split "minhla (bago (west))", as ``Township.label`` shows it, into name and region."""
        start = name.rfind(" (")
        while start != -1:
            if name[:start] in self._by_name and name.endswith(")"):
                return name[:start], name[start + 2 : -1]
            start = name.rfind(" (", 0, start)
        return name, ""

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """The ``n`` closest township labels, for "did you mean" replies."""
        names = {key: ts[0].label for key, ts in self._by_name.items() if len(ts) == 1}
        for key, ts in self._by_name.items():
            for t in ts if len(ts) > 1 else []:
                names[f"{key} ({norm(t.state_region)})"] = t.label
        return closest(text, names, n)

    def complete(self, prefix: str, limit: int = 25) -> list[Township]:
        """Townships whose name or alternative spelling starts with (then contains) ``prefix``."""
        key = _TOWNSHIP_WORDS.sub("", norm(prefix))
        starts: list[Township] = []
        contains: list[Township] = []
        for name, ts in sorted(self._by_name.items()):
            bucket = starts if name.startswith(key) else contains if key in name else None
            if bucket is not None:
                bucket.extend(t for t in ts if t not in starts and t not in contains)
        return (starts + contains)[:limit]


@cache
def _gazetteer_for(path: str) -> Gazetteer:
    from bot.db import open_db  # the reference tables are identical in every store

    return Gazetteer.from_db(open_db(path))


def gazetteer(db: Database) -> Gazetteer:
    """The gazetteer of ``db``, built once per file and shared by all threads (it is read-only)."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    if not path:
        return Gazetteer.from_db(db)
    return _gazetteer_for(path)
