"""Per-guild settings (roles, the daily digest): a small key-value table, read with defaults.

Who may do what is decided here, in one function, so the CLI and every cog apply the same rule.
Digest values are checked here too, once, so ``/digest config`` and ``sitrep digest-config``
refuse the same things with the same sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlite_utils import Database

from bot.actors import ensure_guild
from bot.db import transaction
from bot.errors import Forbidden, InvalidInput
from bot.events import write_audit
from bot.text import closest

DIGEST_KEYS = ("digest_channel", "digest_time", "digest_tz", "digest_enabled",
               "digest_max_late_days")
KEYS = ("editor_role", "member_role", *DIGEST_KEYS)
DEFAULT_DIGEST_TIME = "08:00"
DEFAULT_TZ = "Asia/Yangon"  # UTC+06:30, no daylight saving
DEFAULT_MAX_LATE_DAYS = 3
MAX_LATE_DAYS = 14
_HH_MM = re.compile(r"([01]?[0-9]|2[0-3])[:.]?([0-5][0-9])")


@dataclass(frozen=True)
class GuildSettings:
    editor_role: int | None = None  # None: only members with Manage Server may edit
    member_role: int | None = None  # None: everyone in the server may log
    digest_channel: int | None = None  # None: no digest is posted
    digest_time: str = DEFAULT_DIGEST_TIME  # local HH:MM in digest_tz
    digest_tz: str = DEFAULT_TZ  # IANA name; stored as typed, checked when saved
    digest_enabled: bool = True  # on/off switch; posting also needs a channel
    digest_max_late_days: int = DEFAULT_MAX_LATE_DAYS
    digest_since: str | None = None  # UTC ISO: when the digest last became active (set by save)

    @property
    def digest_active(self) -> bool:
        return self.digest_enabled and self.digest_channel is not None


def load(db: Database, guild_id: int) -> GuildSettings:
    """The guild's settings; a stored value that no longer reads falls back to its default
    (``digest_problems`` reports it) so one bad row never stops the bot."""
    values = dict(db.execute("SELECT key, value FROM settings WHERE guild_id = ?", [guild_id]))

    def number(key: str) -> int | None:
        text = values.get(key) or ""
        return int(text) if text.lstrip("-").isdigit() else None

    late = number("digest_max_late_days")
    return GuildSettings(
        editor_role=int(values["editor_role"]) if values.get("editor_role") else None,
        member_role=int(values["member_role"]) if values.get("member_role") else None,
        digest_channel=number("digest_channel"),
        digest_time=values.get("digest_time") or DEFAULT_DIGEST_TIME,
        digest_tz=values.get("digest_tz") or DEFAULT_TZ,
        digest_enabled=values.get("digest_enabled", "1") != "0",
        digest_max_late_days=DEFAULT_MAX_LATE_DAYS if late is None else late,
        digest_since=values.get("digest_since"),
    )


@cache
def zone_names() -> dict[str, str]:
    """Matching key -> IANA name, so "asia/yangon" finds "Asia/Yangon"."""
    return {name.casefold(): name for name in available_timezones()}


def check_time_zone(name: str) -> str:
    """The IANA name for ``name`` (any case), or a refusal with the closest names."""
    text = name.strip()
    canonical = zone_names().get(text.casefold().replace(" ", "_"), text)
    try:
        ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        near = closest(text.replace(" ", "_"), zone_names())
        hint = f" Did you mean {', '.join(near)}?" if near else ""
        raise InvalidInput(
            f"{text[:60]!r} is not a time zone name; give an IANA name such as Asia/Yangon "
            f"(Myanmar, UTC+06:30), Asia/Bangkok or UTC.{hint}") from None
    return canonical


def check_digest_time(text: str) -> str:
    """A local time of day as "HH:MM" (24-hour), from "08:00", "8:00" or "0800"."""
    match = _HH_MM.fullmatch(text.strip())
    if not match:
        raise InvalidInput(
            f"{text.strip()[:40]!r} is not a time of day; give it as HH:MM on the 24-hour "
            "clock, e.g. 08:00 or 18:30.")
    return f"{int(match[1]):02d}:{match[2]}"


def check_max_late_days(days: int) -> int:
    if not 0 <= days <= MAX_LATE_DAYS:
        raise InvalidInput(
            f"Catch-up covers 0 to {MAX_LATE_DAYS} days of missed digests, not {days}; "
            "0 means a missed digest is skipped.")
    return days


def _checked(key: str, value: object) -> str | None:
    """The text stored for one setting, after the checks that setting needs."""
    if value is None:
        return None
    if key == "digest_time":
        return check_digest_time(str(value))
    if key == "digest_tz":
        return check_time_zone(str(value))
    if key == "digest_enabled":
        return "1" if value else "0"
    if key == "digest_max_late_days":
        return str(check_max_late_days(int(value)))  # type: ignore[call-overload]
    return str(int(value))  # type: ignore[call-overload]  # role and channel ids


def digest_zone(settings: GuildSettings) -> ZoneInfo:
    """The digest's time zone; refused (not guessed) if the stored name stopped working."""
    return ZoneInfo(check_time_zone(settings.digest_tz))


def digest_time(settings: GuildSettings) -> time:
    hours, minutes = check_digest_time(settings.digest_time).split(":")
    return time(int(hours), int(minutes))


def digest_problems(settings: GuildSettings) -> list[str]:
    """What stops the digest from being posted, as sentences (empty: nothing does).

    For ``/digest status`` and ``sitrep doctor``; a switched-off digest is not a problem.
    """
    problems = []
    if settings.digest_enabled and settings.digest_channel is None:
        problems.append("No digest channel is set: /digest config channel:#channel (or "
                        "sitrep digest-config --channel ID).")
    for check in (digest_zone, digest_time):
        try:
            check(settings)
        except InvalidInput as exc:
            problems.append(exc.user_message)
    if not 0 <= settings.digest_max_late_days <= MAX_LATE_DAYS:
        problems.append(f"The catch-up setting ({settings.digest_max_late_days} days) is out of "
                        f"range; set 0 to {MAX_LATE_DAYS} with --max-late-days.")
    return problems


def save(db: Database, guild_id: int, *, by: str, by_id: str | None = None,
         now: datetime | None = None, **values: int | str | bool | None) -> GuildSettings:
    """Set some settings (None clears one); the change is audited like any correction.

    Every value is checked before anything is written. When the digest becomes active
    (switched on with a channel), ``digest_since`` records ``now`` so that days before it are
    never "caught up": configuring a digest does not post a backlog.
    """
    unknown = set(values) - set(KEYS)
    if unknown:
        raise ValueError(f"unknown setting {', '.join(sorted(unknown))}")
    stored = {key: _checked(key, value) for key, value in values.items()}
    ensure_guild(db, guild_id)
    with transaction(db):
        before = load(db, guild_id)
        for key, value in stored.items():
            _put(db, guild_id, key, value)
        after = load(db, guild_id)
        if after.digest_active and not before.digest_active:
            since = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
            _put(db, guild_id, "digest_since", since)
            after = load(db, guild_id)
        write_audit(db, guild_id, by=by, by_id=by_id, action="config", event_id=None,
                    before=before.__dict__, after=after.__dict__)
    return after


def _put(db: Database, guild_id: int, key: str, value: str | None) -> None:
    if value is None:
        db.execute("DELETE FROM settings WHERE guild_id = ? AND key = ?", [guild_id, key])
    else:
        db["settings"].upsert({"guild_id": guild_id, "key": key, "value": value},
                              pk=("guild_id", "key"))


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
