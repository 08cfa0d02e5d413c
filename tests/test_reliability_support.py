"""What the reliability tests (``tests/test_reliability_*.py``) share; it holds no tests.

- ``running_bot``: the real SitrepBot against the loopback Discord, with every team's roles
  configured, for tests that need a second team or must patch something before the bot starts.
- ``add_team``: another guild with the same cast as ``fake_discord.team``.
- ``rows`` / ``unchanged``: a snapshot of the store (one team's rows, or all), to prove a refused
  command changed nothing.
- ``settle`` / ``reply_of``: the message a person finally sees for an interaction, whether it
  was answered at once, deferred and filled in, or deferred and refused in a follow-up.
- ``audit_messages``: every message the fake recorded went out with allowed mentions that
  parse nothing, and none is an "error id" apology or mentions a locked database.
- ``displayed``: what Discord shows for escaped text (backslash escapes and the zero-width
  space ``escape_mentions`` puts after ``@`` removed).

To extend a table when a new command lands, add a row where the test module says so; the
permission test reads the ``/admin`` sub-commands from the synced tree by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from bot import guild_settings
from bot.app import SitrepBot
from bot.config import Settings
from bot.db import open_db
from bot.loopback import loopback_bot
from bot.loopback.driver import FakeDiscord
from bot.loopback.pytest_plugin import MANAGE_GUILD, ResearchTeam
from bot.loopback.records import InteractionRecord, Message

# A valid /log (the seed article's event); tests override one option at a time.
LOG = {
    "date": "2023-11-07", "township": "MMR002007", "actors": "KNDF, PDF", "opponents": "junta",
    "type": "Armed clash",
}
CLI_LOG = ["log", "--date", "2023-11-07", "--township", "Mese", "--actor", "KNDF",
           "--opponent", "junta", "--type", "Armed clash"]
APOLOGY = re.compile(r"error id|database is locked|locked|Traceback", re.IGNORECASE)


# Hostile and broken text, by name. ``{role}`` and ``{user}`` become real ids (17-20 digits,
# as Discord's are) of the team's Editor role and of a member, so a mention would be live.
HOSTILE: dict[str, str] = {
    "empty": "",
    "blank": " \t \n ",
    "10k chars": "x" * 10_000,
    "10k Burmese": "\u1019" * 10_000,
    "zero-width": "a\u200bb\u200c\u200d\u2060c\ufeff",
    "RTL override": "\u202eFDNK\u202c \u200fمرحبا עברית\u200e",
    "Burmese": "\u1000\u101b\u1004\u103a\u1014\u102e \u1019\u103c\u102d\u102f\u1037",
    "lone surrogate": "ok \ud800 then \udfff",
    "@everyone": "@everyone look",
    "@here": "@here now",
    "role mention": "<@&{role}> see this",
    "user mention": "<@{user}> and <@!{user}>",
    "markdown": "**bold** __under__ ~~strike~~ ||spoiler|| `code` *it*",
    "masked link": "[click here](https://evil.example/login)",
    "heading and quote": "# Heading\n- item\n> quote\n>>> block",
    "code fence": "```\n@everyone\n```py\nx```",
    "backslashes": "\\*not bold\\* C:\\path\\",
    "FTS quote": '"',
    "FTS AND (": "AND (",
    "FTS star": "*",
    "FTS NEAR": "NEAR(a b",
    "FTS column": "notes: x OR location:y",
    "SQL injection": "'; DROP TABLE events; --",
    "SQL LIKE": "%_' OR '1'='1",
    "NUL": "a\x00b",
    "ANSI escape": "\x1b[31mred\x1b[0m\x07",
    "CRLF": "line1\r\nline2\n\n",
    "emoji": "\U0001f4a5\U0001f525 \U0001f3f4\u200d\u2620\ufe0f",
    "date 0000-00-00": "0000-00-00",
    "date 9999-99-99": "9999-99-99",
    "date 30 Feb": "2023-02-30",
    "date year 1": "0001-01-01",
    "number -1": "-1",
    "number 10^12": "1000000000000",
    "number 2^64": "18446744073709551616",
}
# Numbers for integer options: Discord's client refuses what the synced bounds exclude.
ABSURD_NUMBERS = [-1, -(2**63), 10**12, 2**53 + 1, 2**64]


def hostile(role_id: int = 123456789012345678, user_id: int = 223456789012345678
            ) -> dict[str, str]:
    return {k: v.replace("{role}", str(role_id)).replace("{user}", str(user_id))
            for k, v in HOSTILE.items()}


def add_team(fake: FakeDiscord, name: str) -> ResearchTeam:
    """Another guild with the standard cast (roles Member/Editor, #general/#digest, an editor,
    a member, an outsider and a server manager). Add it before the bot starts, or dispatch
    ``GUILD_CREATE`` with ``team.guild.create_payload()``."""
    guild = fake.add_guild(name)
    member_role, editor_role = guild.add_role("Member"), guild.add_role("Editor")
    general, digest = guild.add_channel("general"), guild.add_channel("digest")
    tag = name.split()[-1].lower()
    return ResearchTeam(
        guild=guild, member_role=member_role, editor_role=editor_role,
        editor=guild.add_member(f"eddie-{tag}", roles=[member_role, editor_role]),
        member=guild.add_member(f"mia-{tag}", roles=[member_role]),
        outsider=guild.add_member(f"otto-{tag}"),
        admin=guild.add_member(f"ada-{tag}", roles=[member_role], permissions=MANAGE_GUILD),
        general=general, digest=digest)


def configure(db_path: Path, *teams: ResearchTeam) -> None:
    """Give each team's Member and Editor roles their powers in the store."""
    db = open_db(db_path)
    try:
        for team in teams:
            guild_settings.save(db, team.guild.id, by="test setup",
                                member_role=team.member_role.id, editor_role=team.editor_role.id)
    finally:
        db.close()


@contextlib.asynccontextmanager
async def running_bot(fake: FakeDiscord, db_path: Path, *teams: ResearchTeam,
                      setup: bool = True, **bot_options: Any) -> AsyncIterator[SitrepBot]:
    """The real bot on ``fake``, its commands synced, with ``teams`` configured (default: the
    fixture's team; ``setup=False`` if the test did it). The harness fails the test if
    ``bot.start()`` died meanwhile."""
    if setup:
        configure(db_path, *(teams or (fake.team,)))
    settings = Settings(db_path=db_path, backup_hours=0)
    async with loopback_bot(lambda **kw: SitrepBot(settings, **bot_options, **kw), fake) as bot:
        await fake.sync_commands(bot)
        yield bot


# --- the store ---------------------------------------------------------------------------------
def _tables(conn: sqlite3.Connection) -> list[str]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return sorted(n for n in names if not n.startswith(("sqlite_", "events_fts")))


def rows(db_path: Path, guild_id: int | None = None) -> dict[str, list[tuple]]:
    """Every row of every table (or only ``guild_id``'s rows of the tables that have one)."""
    conn = sqlite3.connect(db_path)
    try:
        snapshot: dict[str, list[tuple]] = {}
        for table in _tables(conn):
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")]
            if guild_id is not None and "guild_id" not in columns:
                continue
            where = "" if guild_id is None else " WHERE guild_id = ?"
            params = [] if guild_id is None else [guild_id]
            snapshot[table] = sorted(
                conn.execute(f"SELECT * FROM [{table}]{where}", params).fetchall(), key=repr)
        return snapshot
    finally:
        conn.close()


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))


def count(db_path: Path, sql: str, *params: object) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def assert_consistent(db_path: Path) -> None:
    """Nothing half-written: the file is sound, every event has its actors and exactly one
    'log' audit row, every child row belongs to a stored event."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')"
                            ) is not None
        without_actors = conn.execute(
            "SELECT COUNT(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_actors ea"
            " WHERE ea.event_id = e.id AND ea.role = 'actor')").fetchone()[0]
        assert without_actors == 0, f"{without_actors} events without an actor"
        unaudited = conn.execute(  # an ACLED import audits by batch (acled_rows points at it)
            "SELECT COUNT(*) FROM events e WHERE e.id NOT IN (SELECT event_id FROM audit_log"
            " WHERE action IN ('log', 'import') AND event_id IS NOT NULL) AND e.id NOT IN"
            " (SELECT r.event_id FROM acled_rows r JOIN audit_log a"
            " ON a.id = r.import_audit_id)").fetchone()[0]
        assert unaudited == 0, f"{unaudited} events without the audit row that created them"
        orphans = conn.execute(
            "SELECT (SELECT COUNT(*) FROM event_actors WHERE event_id NOT IN"
            " (SELECT id FROM events)) + (SELECT COUNT(*) FROM sources WHERE event_id NOT IN"
            " (SELECT id FROM events))").fetchone()[0]
        assert orphans == 0, f"{orphans} actor/source rows of events that do not exist"
    finally:
        conn.close()


# --- replies -----------------------------------------------------------------------------------
async def settle(fake: FakeDiscord, rec: InteractionRecord, timeout: float = 10) -> Message:
    """The message the user ends up seeing: the original once it stops loading, or (after a
    deferred refusal, whose placeholder the bot deletes) the last follow-up."""
    await rec.response(timeout)

    def seen() -> Message | None:
        if rec.rejections:
            raise AssertionError(f"{rec.describe()}: the fake refused the bot's reply: "
                                 f"{rec.rejections[0]}")
        shown = [m for m in rec.messages if not m.deleted and not m.loading]
        original_done = rec.original is None or rec.original.deleted or not rec.original.loading
        return shown[-1] if shown and original_done else None

    return await fake.wait_until(seen, timeout, f"a settled reply to {rec.describe()}")


def reply_of(rec: InteractionRecord) -> Message:
    """The last visible message of an interaction that has settled."""
    shown = [m for m in rec.messages if not m.deleted]
    assert shown, f"{rec.describe()} has no visible reply"
    return shown[-1]


def text_of(msg: Message) -> str:
    """Everything a reader sees in a message: content, embed titles, texts, fields, footers."""
    parts = [msg.content or ""]
    for embed in msg.embeds:
        parts += [embed.get("title") or "", embed.get("description") or "",
                  (embed.get("footer") or {}).get("text") or ""]
        for fld in embed.get("fields") or []:
            parts += [fld.get("name") or "", fld.get("value") or ""]
    parts += [b.label or "" for b in msg.buttons]
    return "\n".join(parts)


def is_refusal(msg: Message) -> bool:
    """A clear refusal: private, a sentence, no apology with an error id."""
    return msg.ephemeral and bool(msg.content) and not APOLOGY.search(msg.content)


def audit_messages(fake: FakeDiscord) -> int:
    """Every message the bot sent (replies, follow-ups, edits, channel posts) parses no
    mentions, and none tells a user about an internal error. Returns how many were checked."""
    checked = 0
    for msg in fake.messages.values():
        if msg.loading and not msg.content and not msg.embeds:
            continue  # a "thinking..." placeholder: it carries no text that could ping
        assert msg.allowed_mentions is not None and msg.allowed_mentions.get("parse") == [], (
            f"message {msg.id} may ping: allowed_mentions={msg.allowed_mentions}\n{msg.text()}")
        assert not msg.allowed_mentions.get("users") and not msg.allowed_mentions.get("roles")
        assert not APOLOGY.search(text_of(msg)), f"an internal error reached a user:\n{msg.text()}"
        checked += 1
    return checked


_ESCAPE = re.compile(r"\\([\\`*_~|>#\-\[\]()<@:])")


def displayed(markdown: str) -> str:
    """The text Discord displays for escaped markdown: ``\\*`` shows ``*``; the zero-width
    space ``escape_mentions`` inserts after ``@`` (which defuses the mention) disappears."""
    return _ESCAPE.sub(r"\1", markdown).replace("@\u200b", "@")


MENTION = re.compile(r"@(everyone|here)\b|<@[!&]?\d{17,20}>")


def live_mentions(markdown: str) -> list[str]:
    """Mentions Discord would render (and, allowed mentions permitting, ping) in this text."""
    return [m.group(0) for m in MENTION.finditer(markdown)]


async def gather_settled(fake: FakeDiscord, sends: list[Callable[[], Any]],
                         timeout: float = 20, at_once: int = 100,
                         ) -> list[InteractionRecord | Exception]:
    """Fire the interactions ``at_once`` at a time; each result is its record (settled) or
    the exception the fake's client raised (Discord itself refused to send it, e.g. a
    too-long option). The fake and the bot share one loop and two cores here, so hundreds of
    chart-drawing commands at the same instant would miss Discord's 3 s to answer for want of
    CPU, not for a fault of the bot's (200 /log at once: test_reliability_concurrency)."""

    async def one(send: Callable[[], Any]) -> InteractionRecord | Exception:
        try:
            rec = await send()
        except AssertionError as exc:  # OptionError / CommandUnavailable: Discord refused
            return exc
        await settle(fake, rec, timeout)
        return rec

    results: list[InteractionRecord | Exception] = []
    for start in range(0, len(sends), at_once):
        results += await asyncio.gather(*(one(s) for s in sends[start:start + at_once]))
    await asyncio.sleep(0.15)  # announcements and last edits land
    return results

