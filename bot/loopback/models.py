"""The world the loopback Discord serves: users, guilds, roles, channels and members.

These are plain configuration objects. Tests build them before (or while) the bot runs and pass
them to the driver (``fake.slash(guild, member, ...)``). Each knows how to render itself as the
JSON payload real Discord would send, with every key discord.py 2.7 reads unconditionally (a
missing key raises ``KeyError`` inside the gateway loop and kills ``bot.start()``).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1420070400000
ADMINISTRATOR = 1 << 3
ALL_PERMISSIONS = (1 << 51) - 1
_counter = itertools.count(1)


def snowflake() -> int:
    """A fresh, unique, current-time snowflake (discord.py derives timestamps from ids)."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def iso_now() -> str:
    """The current time as Discord formats message timestamps."""
    return datetime.now(UTC).isoformat()


def as_permission_bits(value: Any) -> int:
    """Accept an int or a ``discord.Permissions`` (anything with ``.value``)."""
    return int(getattr(value, "value", value) or 0)


@dataclass(eq=False)
class User:
    """A Discord account (a person or the bot itself)."""

    id: int
    username: str
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.username,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass(eq=False)
class Role:
    """A guild role; ``permissions`` are Discord's permission bits."""

    id: int
    name: str
    permissions: int = 0
    position: int = 0

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0},
            "hoist": False,
            "managed": False,
            "mentionable": True,
            "flags": 0,
        }


@dataclass(eq=False)
class Channel:
    """A guild text channel (type 0) or a DM channel (type 1, ``guild`` is None)."""

    id: int
    name: str
    guild: Guild | None = None
    type: int = 0
    position: int = 0

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": str(self.id), "type": self.type, "name": self.name}
        if self.guild is not None:
            data.update(
                guild_id=str(self.guild.id),
                position=self.position,
                permission_overwrites=[],
                nsfw=False,
                topic=None,
                last_message_id=None,
                rate_limit_per_user=0,
                parent_id=None,
                flags=0,
            )
        return data


@dataclass(eq=False)
class Member:
    """A user's membership in one guild: roles decide permissions, as on Discord."""

    user: User
    guild: Guild
    roles: list[Role] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def permissions(self) -> int:
        """Guild-level permission bits: @everyone | roles; all bits for admins and the owner."""
        bits = self.guild.everyone.permissions
        for role in self.roles:
            bits |= role.permissions
        if bits & ADMINISTRATOR or self.guild.owner_id == self.id:
            return ALL_PERMISSIONS
        return bits

    def has_permissions(self, bits: int) -> bool:
        return self.permissions & bits == bits

    def has_role(self, name: str) -> bool:
        return any(role.name == name for role in self.roles)

    def payload(self, *, with_user: bool = True, with_permissions: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(role.id) for role in self.roles],
            "nick": self.nick,
            "avatar": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if with_permissions:
            data["permissions"] = str(self.permissions)
        return data


@dataclass(eq=False)
class Guild:
    """A guild with its roles (``everyone`` has the guild's id), channels and members."""

    id: int
    name: str
    owner_id: int = 0
    roles: list[Role] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not any(role.id == self.id for role in self.roles):
            self.roles.insert(0, Role(self.id, "@everyone", permissions=0))

    @property
    def everyone(self) -> Role:
        return next(role for role in self.roles if role.id == self.id)

    def add_role(self, name: str, permissions: Any = 0, *, id: int | None = None) -> Role:
        bits = as_permission_bits(permissions)
        role = Role(id or snowflake(), name, bits, position=len(self.roles))
        self.roles.append(role)
        return role

    def add_channel(self, name: str, *, id: int | None = None) -> Channel:
        channel = Channel(id or snowflake(), name, guild=self, position=len(self.channels))
        self.channels.append(channel)
        return channel

    def add_member(
        self, user: User | str, roles: Iterable[Role | str] = (), permissions: Any = 0, *,
        id: int | None = None,
    ) -> Member:
        """Add a member (a new user if ``user`` is a name; ``id`` is then its user id).

        ``permissions`` bits are granted through a role named after the user, so
        ``Member.guild_permissions`` and ``interaction.permissions`` agree as on Discord."""
        if isinstance(user, str):
            user = User(id or snowflake(), user)
        member = Member(user, self, [self.role(r) if isinstance(r, str) else r for r in roles])
        bits = as_permission_bits(permissions)
        if bits:
            member.roles.append(self.add_role(f"{user.username} permissions", bits))
        self.members.append(member)
        return member

    def role(self, name: str) -> Role:
        for role in self.roles:
            if role.name == name:
                return role
        raise KeyError(f"guild {self.name!r} has no role {name!r}")

    def channel(self, name: str) -> Channel:
        for channel in self.channels:
            if channel.name == name.lstrip("#"):
                return channel
        raise KeyError(f"guild {self.name!r} has no channel {name!r}")

    def member(self, key: str | int) -> Member:
        for member in self.members:
            if key in (member.id, member.username, str(member.id), member.nick):
                return member
        raise KeyError(f"guild {self.name!r} has no member {key!r}")

    def find_channel(self, channel_id: int) -> Channel | None:
        return next((c for c in self.channels if c.id == channel_id), None)

    def create_payload(self) -> dict[str, Any]:
        """GUILD_CREATE ``d``; ``member_count`` equals the member list so no chunking starts."""
        return {
            "id": str(self.id),
            "name": self.name,
            "unavailable": False,
            "owner_id": str(self.owner_id),
            "member_count": len(self.members),
            "large": False,
            "icon": None,
            "features": [],
            "preferred_locale": "en-US",
            "roles": [role.payload() for role in self.roles],
            "channels": [channel.payload() for channel in self.channels],
            "members": [member.payload() for member in self.members],
            "threads": [],
            "emojis": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "joined_at": iso_now(),
        }
