"""Armed groups and political bodies of one team, and the many names each goes by.

Each guild gets its own copy of the seed actor list the first time it is used, because teams
correct and extend it (aliases, renames, merges) and one team's choices must not leak into
another's dataset. Every name, abbreviation and alias is a row of ``actor_aliases`` under one
normal form, so "junta", "regime", "Tatmadaw" and "Myanmar military" are one look-up each.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from sqlite_utils import Database

from bot.clock import utc_now
from bot.db import transaction
from bot.errors import InvalidInput, NotFound
from bot.paths import SEEDS
from bot.text import clean_text, closest, norm


@dataclass(frozen=True)
class Actor:
    id: int
    name: str
    abbreviation: str | None

    @property
    def label(self) -> str:
        if self.abbreviation and self.abbreviation != self.name:
            return f"{self.name} ({self.abbreviation})"
        return self.name


def ensure_guild(db: Database, guild_id: int) -> None:
    """Register the guild and give it the seed actor list, once."""
    if db.execute("SELECT 1 FROM guilds WHERE guild_id = ?", [guild_id]).fetchone():
        return
    with transaction(db):
        if db.execute("SELECT 1 FROM guilds WHERE guild_id = ?", [guild_id]).fetchone():
            return  # another process seeded it while we waited for the lock
        now = utc_now()
        db["guilds"].insert({"guild_id": guild_id, "created_at": now})
        with open(SEEDS / "myanmar_actors.csv", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                actor_id = db["actors"].insert(
                    {
                        "guild_id": guild_id,
                        "name": row["name"],
                        "abbreviation": row["abbreviation"] or None,
                        "kind": row["kind"] or None,
                        "member_of": row["member_of"] or None,
                        "needs_review": 0,
                        "created_at": now,
                    }
                ).last_pk
                names = [row["name"], row["abbreviation"], *row["aliases"].split(";")]
                _add_names(db, guild_id, actor_id, names)


def holds_other_teams(db: Database, guild_id: int) -> bool:
    """Whether the store serves more teams than this one (then its files are not theirs alone)."""
    return db.execute("SELECT 1 FROM guilds WHERE guild_id != ? LIMIT 1",
                      [guild_id]).fetchone() is not None


def _add_names(db: Database, guild_id: int, actor_id: int, names: list[str]) -> None:
    rows = {norm(n): n.strip() for n in names if n and n.strip()}
    db["actor_aliases"].insert_all(
        ({"guild_id": guild_id, "actor_id": actor_id, "alias": alias, "alias_key": key}
         for key, alias in rows.items()),
        ignore=True,  # a name another actor already holds stays with that actor
    )


def _lookup(db: Database, guild_id: int, key: str) -> Actor | None:
    row = db.execute(
        "SELECT a.id, a.name, a.abbreviation FROM actor_aliases x"
        " JOIN actors a ON a.id = x.actor_id"
        " WHERE x.guild_id = ? AND x.alias_key = ?",
        [guild_id, key],
    ).fetchone()
    return Actor(*row) if row else None


def find_actor(db: Database, guild_id: int, name: str) -> Actor | None:
    """The actor called ``name`` (any name, abbreviation or alias; "PDFs" finds PDF), or None."""
    ensure_guild(db, guild_id)
    key = norm(name)
    found = _lookup(db, guild_id, key)
    if found is None and key.endswith("s") and len(key) > 2:
        found = _lookup(db, guild_id, key[:-1].removesuffix("'"))
    return found


def resolve_actor(db: Database, guild_id: int, name: str) -> Actor:
    """Like ``find_actor``, but an unknown name is refused with the closest known names."""
    found = find_actor(db, guild_id, name)
    if found is not None:
        return found
    suggestions = closest(name, _all_names(db, guild_id))
    hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise NotFound(
        f"No armed group or actor called {name.strip()!r} is known to this team.{hint} "
        "If it is a new group, an editor can add it (/admin add-actor in Discord, "
        "--new-actor with `sitrep log`).",
        suggestions,
    )


def _all_names(db: Database, guild_id: int) -> dict[str, str]:
    rows = db.execute(
        "SELECT x.alias_key, a.name, a.abbreviation FROM actor_aliases x"
        " JOIN actors a ON a.id = x.actor_id WHERE x.guild_id = ?",
        [guild_id],
    )
    return {key: Actor(0, name, abbr).label for key, name, abbr in rows}


def create_actor(db: Database, guild_id: int, name: str, *, needs_review: bool = False) -> Actor:
    """A new actor under its own name; refused if the name is already someone's alias."""
    ensure_guild(db, guild_id)
    clean = clean_text("actor name", name, 200)
    if clean is None:
        raise InvalidInput("An actor needs a name.")
    if (existing := _lookup(db, guild_id, norm(clean))) is not None:
        raise InvalidInput(f"{clean!r} is already a name of {existing.label}.")
    with transaction(db):
        actor_id = db["actors"].insert(
            {"guild_id": guild_id, "name": clean, "abbreviation": None,
             "needs_review": int(needs_review), "created_at": utc_now()}
        ).last_pk
        _add_names(db, guild_id, actor_id, [clean])
    return Actor(actor_id, clean, None)


def complete_actors(db: Database, guild_id: int, prefix: str, limit: int = 25) -> list[Actor]:
    """Actors with a name, abbreviation or alias starting with (then containing) ``prefix``."""
    ensure_guild(db, guild_id)
    key = norm(prefix)
    like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = db.execute(
        "SELECT a.id, a.name, a.abbreviation, MAX(x.alias_key LIKE ? ESCAPE '\\') AS starts"
        " FROM actor_aliases x JOIN actors a ON a.id = x.actor_id"
        " WHERE x.guild_id = ? AND x.alias_key LIKE ? ESCAPE '\\'"
        " GROUP BY a.id ORDER BY starts DESC, a.name LIMIT ?",
        [f"{like}%", guild_id, f"%{like}%", limit],
    )
    return [Actor(r[0], r[1], r[2]) for r in rows]
