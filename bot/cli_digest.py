"""The digest commands of the ``sitrep`` CLI: read a day's digest, configure and check the
schedule. Each is one call into the core, the same one the Discord cog makes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import digest_schedule, guild_settings
from bot.db import open_db
from bot.digest import build_digest, digest_chart, local_day
from bot.digest_text import digest_blocks, plain_style, title
from bot.errors import InvalidInput

Command = Callable[..., argparse.ArgumentParser]


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def cmd_digest(args: argparse.Namespace) -> None:
    db = open_db(args.db)
    tz = guild_settings.check_time_zone(args.tz) if args.tz else \
        guild_settings.digest_zone(guild_settings.load(db, args.guild)).key
    now = datetime.now(UTC)
    day = local_day(args.date, tz, now)
    digest = build_digest(db, args.guild, day, tz, now)
    if args.json:
        _print_json(digest.to_json())
    else:
        blocks = digest_blocks(digest, plain_style(tz))
        print("\n\n".join([title(digest), *("\n".join(b) for b in blocks)]))
    if args.chart:
        Path(args.chart).write_bytes(digest_chart(db, args.guild, day, tz))
        print(f"chart written to {args.chart}", file=sys.stderr)


def _channel(text: str) -> int | None:
    if text.strip().lower() in ("none", "off", ""):
        return None
    digits = text.strip().removeprefix("<#").removesuffix(">")
    # a Discord id is a positive 64-bit snowflake, which SQLite stores as a signed integer
    if not (digits.isascii() and digits.isdigit() and 0 < int(digits) < 2**63):
        raise InvalidInput(f"--channel takes a channel id (digits; in Discord, right-click the "
                           f"channel > Copy Channel ID) or 'none', not {text[:40]!r}.")
    return int(digits)


def cmd_digest_config(args: argparse.Namespace) -> None:
    changes: dict[str, object] = {}
    if args.channel is not None:
        changes["digest_channel"] = _channel(args.channel)
    if args.time is not None:
        changes["digest_time"] = args.time
    if args.tz is not None:
        changes["digest_tz"] = args.tz
    if args.enabled is not None:
        changes["digest_enabled"] = args.enabled
    if args.max_late_days is not None:
        changes["digest_max_late_days"] = args.max_late_days
    db = open_db(args.db)
    now = datetime.now(UTC)
    if changes:
        guild_settings.save(db, args.guild, by=args.by, now=now, **changes)  # type: ignore[arg-type]
    _show_status(digest_schedule.status(db, args.guild, now), args.json)


def cmd_digest_status(args: argparse.Namespace) -> None:
    _show_status(digest_schedule.status(open_db(args.db), args.guild, datetime.now(UTC)),
                 args.json)


def _show_status(status: dict, as_json: bool) -> None:
    if as_json:
        _print_json(status)
        return
    print("\n".join(status_lines(status)))


def status_lines(status: dict) -> list[str]:
    """The schedule and its health as terminal lines (the cog builds an embed instead)."""
    s = status["settings"]
    channel = s["digest_channel"] or "not set"
    state = "on" if s["digest_enabled"] else "off"
    lines = [f"Digest {state}: channel {channel}, daily at {s['digest_time']} {s['digest_tz']}, "
             f"missed digests caught up for {s['digest_max_late_days']} days."]
    lines += [f"  problem: {p}" for p in status["problems"]]
    if status["next_post"]:
        at = datetime.fromisoformat(status["next_post"])
        lines.append(f"Next digest: {at.astimezone(ZoneInfo(s['digest_tz'])):%Y-%m-%d %H:%M} "
                     f"{s['digest_tz']} ({at:%H:%M} UTC).")
    if status["due_now"]:
        lines.append(f"Due now (the bot posts these on its next check): "
                     f"{', '.join(status['due_now'])}.")
    last = status["last_posted"]
    lines.append(f"Last posted: {last['day']} at {last['posted_at']}"
                 + (" (late)" if last["late"] else "") if last else "Last posted: never.")
    for run in status["failures"]:
        lines.append(f"  FAILED {run['day']} after {run['attempts']} attempt(s): {run['error']}"
                     f" Next try {run['retry_at'] or 'on the next check'} (UTC).")
    return lines


def register(command: Command, default_by: str) -> None:
    """Add the digest commands through ``bot.cli``'s ``command`` helper."""
    p = command("digest", cmd_digest, "the daily digest of one local day (what was logged)",
                True)
    p.add_argument("--date", default="yesterday",
                   help="the day, in the team's time zone: today, yesterday, 2023-11-10 ... "
                        "(default yesterday)")
    p.add_argument("--chart", metavar="FILE.png",
                   help="also write the 14-day chart (events logged per day) as a PNG")
    p.add_argument("--tz", help="time zone for this run (default: the team's digest setting)")
    p = command("digest-config", cmd_digest_config,
                "show or change when and where the bot posts the daily digest", True)
    p.add_argument("--channel", metavar="ID", help="Discord channel id, or 'none'")
    p.add_argument("--time", metavar="HH:MM", help="local time of day, 24-hour (default 08:00)")
    p.add_argument("--tz", metavar="ZONE", help="IANA time zone (default Asia/Yangon)")
    switch = p.add_mutually_exclusive_group()
    switch.add_argument("--on", dest="enabled", action="store_const", const=True,
                        help="post the digest (the default once a channel is set)")
    switch.add_argument("--off", dest="enabled", action="store_const", const=False,
                        help="stop posting it")
    p.add_argument("--max-late-days", type=int, metavar="N",
                   help=f"after downtime, post missed digests up to N days overdue "
                        f"(0-{guild_settings.MAX_LATE_DAYS}, default "
                        f"{guild_settings.DEFAULT_MAX_LATE_DAYS})")
    p.add_argument("--by", default=default_by, help="who makes the change (audited)")
    command("digest-status", cmd_digest_status,
            "the digest schedule: next post, last success, failures", True)
