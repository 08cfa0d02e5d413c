"""Per-guild settings (roles, later the digest): a small key-value table, read with defaults.

Who may do what is decided here, in one function, so the CLI and every cog apply the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from bot.actors import ensure_guild
from bot.db import transaction
from bot.errors import Forbidden
from bot.events import write_audit

KEYS = ("editor_role", "member_role")


@dataclass(frozen=True)
class GuildSettings:
    editor_role: int | None = None  # None: only members with Manage Server may edit
    member_role: int | None = None  # None: everyone in the server may log


def load(db: Database, guild_id: int) -> GuildSettings:
    values = dict(db.execute("SELECT key, value FROM settings WHERE guild_id = ?", [guild_id]))
    return GuildSettings(
        editor_role=int(values["editor_role"]) if values.get("editor_role") else None,
        member_role=int(values["member_role"]) if values.get("member_role") else None,
    )


def save(db: Database, guild_id: int, *, by: str, by_id: str | None = None,
         **values: int | None) -> GuildSettings:
    """Set some settings (None clears one); the change is audited like any correction."""
    ensure_guild(db, guild_id)
    before = load(db, guild_id)
    with transaction(db):
        for key, value in values.items():
            if key not in KEYS:
                raise ValueError(f"unknown setting {key}")
            if value is None:
                db.execute("DELETE FROM settings WHERE guild_id = ? AND key = ?", [guild_id, key])
            else:
                db["settings"].upsert({"guild_id": guild_id, "key": key, "value": str(value)},
                                      pk=("guild_id", "key"))
        after = load(db, guild_id)
        write_audit(db, guild_id, by=by, by_id=by_id, action="config", event_id=None,
                    before=before.__dict__, after=after.__dict__)
    return after


def require_member(settings: GuildSettings, role_ids: set[int], is_manager: bool) -> None:
    """Refuse a user who may not log events."""
    if is_manager or settings.member_role is None or settings.member_role in role_ids:
        return
    raise Forbidden(
        f"Logging events needs the <@&{settings.member_role}> role; ask a server admin for it."
    )


def require_editor(settings: GuildSettings, role_ids: set[int], is_manager: bool) -> None:
    """Refuse a user who may not correct the record."""
    if is_manager or (settings.editor_role is not None and settings.editor_role in role_ids):
        return
    needed = (f"the <@&{settings.editor_role}> role" if settings.editor_role
              else "the editor role, which no one has been given yet (/config editor_role)")
    raise Forbidden(f"This needs {needed}; ask a server admin.")
