"""The daily digest on Discord: ``/digest config|preview|now|status`` and the scheduler.

The scheduler is a task started in ``cog_load``: every ``TICK_SECONDS`` of real time it asks
the core which digests are due at ``bot.clock()`` (``bot.digest_schedule``), then for each one
builds it, claims it, posts it and records every part sent. Tests call ``tick()`` after moving
the clock. ``cog_unload`` lets a running tick finish (bounded) and releases any claim this
process still holds, so a restart posts it at once instead of waiting out the lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import digest_schedule, guild_settings
from bot.digest import Digest, build_digest, digest_chart, local_day
from bot.digest_schedule import Due
from bot.digest_text import Style, digest_blocks, pack_blocks, title
from bot.errors import SitrepError
from bot.events import outlet_of
from cogs.common import NO_PINGS, Reply, answer, guild_id, listing, safe, send, who

if TYPE_CHECKING:
    from bot.app import SitrepBot

log = logging.getLogger("sitrep.digest")
TICK_SECONDS = 30.0
POST_TIMEOUT = 60.0  # well inside the claim's lease, so a slow post never outlives it
UNLOAD_WAIT = 10.0
CHUNK = 3800  # an embed description holds 4096, a message 6000 with its title and footer
COLOUR = discord.Colour(0x0072B2)


def _link(url: str) -> str:
    target = url.replace("(", "%28").replace(")", "%29")
    return f"[{safe(outlet_of(url), 100)}]({target})"


def _when(moment: datetime) -> str:
    return f"<t:{int(moment.timestamp())}:f>"


DISCORD = Style(text=lambda t: safe(t, 1000), when=_when, link=_link,
                heading=lambda h: f"**{h}**")


def digest_replies(d: Digest, png: bytes | None, late: datetime | None = None) -> list[Reply]:
    """The digest as messages within Discord's limits; the first carries the chart."""
    blocks = digest_blocks(d, DISCORD)
    if late is not None:
        blocks.insert(0, [f"Posted late: this digest was due {_when(late)}; the bot was "
                          "offline or could not post then."])
    chunks = pack_blocks(blocks, CHUNK)
    name = f"digest-{d.day.isoformat()}.png"
    replies = []
    for i, chunk in enumerate(chunks):
        part = f" ({i + 1}/{len(chunks)})" if len(chunks) > 1 else ""
        embed = discord.Embed(title=title(d) + (" · late" if late else "") + part,
                              description=chunk, colour=COLOUR)
        files = {}
        if i == 0 and png is not None:
            embed.set_image(url=f"attachment://{name}")
            embed.set_footer(text=f"Chart: events logged per day over 14 days, {d.window.tz} "
                                  "days. Times show in your own time zone.")
            files = {name: png}
        replies.append(Reply(embeds=[embed], files=files))
    return replies


def _jump(gid: int, channel_id: int | None, message_ids: list[int]) -> str:
    """A link to a posted digest's first message."""
    if not message_ids or not channel_id:
        return ""
    return f"https://discord.com/channels/{gid}/{channel_id}/{message_ids[0]}"


def status_embed(gid: int, status: dict, heading: str = "Daily digest") -> discord.Embed:
    s = status["settings"]
    embed = discord.Embed(title=heading, colour=COLOUR)
    embed.add_field(name="Channel", value=f"<#{s['digest_channel']}>" if s["digest_channel"]
                    else "not set")
    embed.add_field(name="Posted at", value=f"{s['digest_time']} {s['digest_tz']}")
    embed.add_field(name="On", value="yes" if s["digest_enabled"] else "no (switched off)")
    embed.add_field(name="Catch-up after downtime",
                    value=f"missed digests up to {s['digest_max_late_days']} days overdue")
    if status["next_post"]:
        unix = int(datetime.fromisoformat(status["next_post"]).timestamp())
        embed.add_field(name="Next digest", value=f"<t:{unix}:f> (<t:{unix}:R>)")
    last = status["last_posted"]
    if last:
        posted = int(datetime.fromisoformat(last["posted_at"]).timestamp())
        embed.add_field(name="Last posted", value=f"{last['day']} at <t:{posted}:f>"
                        + (" (late)" if last["late"] else "")
                        + f" {_jump(gid, last['channel_id'], last['message_ids'])}",
                        inline=False)
    else:
        embed.add_field(name="Last posted", value="never", inline=False)
    problems = list(status["problems"])
    for run in status["failures"]:
        retry = (f"tries again <t:{int(datetime.fromisoformat(run['retry_at']).timestamp())}:R>"
                 if run["retry_at"] else "tries again on its next check")
        problems.append(f"{run['day']}: posting failed ({run['attempts']} attempt(s)): "
                        f"{run['error']} The bot {retry}; /digest now retries at once.")
    if problems:
        embed.add_field(name="Needs attention", value=listing(problems), inline=False)
    if status["due_now"]:
        embed.add_field(name="Due now", value=", ".join(status["due_now"]), inline=False)
    return embed


class Undeliverable(SitrepError):
    """The configured channel cannot take the digest."""


def _reason(exc: BaseException, channel_id: int) -> str:
    """A failure as a sentence an editor can act on (shown by /digest status)."""
    if isinstance(exc, SitrepError):
        return exc.user_message
    if isinstance(exc, discord.NotFound):
        return (f"The digest channel ({channel_id}) no longer exists or the bot cannot see it; "
                "choose another with /digest config channel:.")
    if isinstance(exc, discord.Forbidden):
        return (f"The bot may not post in <#{channel_id}>: give it View Channel, Send Messages, "
                "Embed Links and Attach Files there.")
    if isinstance(exc, discord.HTTPException):
        return f"Discord refused the message ({exc.status}: {exc.text[:200]})."
    if isinstance(exc, TimeoutError):
        return f"Discord did not answer within {POST_TIMEOUT:.0f} s."
    error_id = uuid.uuid4().hex[:8]
    log.error("digest error %s", error_id, exc_info=(type(exc), exc, exc.__traceback__))
    return f"An internal error (id {error_id}; see the bot's log)."


@dataclass(frozen=True)
class Outcome:
    state: str  # posted | taken | failed | lost
    due: Due
    error: str | None = None


class DigestCog(commands.Cog, name="Digest"):
    digest = app_commands.Group(name="digest", description="The team's daily digest",
                                guild_only=True)

    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot
        self.holder = digest_schedule.new_holder()
        self._lock = asyncio.Lock()  # one tick (or /digest now) at a time in this process
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.checks = 0  # ticks completed, so a test can tell the first one is over

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run(), name="sitrep-digest")

    async def cog_unload(self) -> None:
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), UNLOAD_WAIT)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
        released = await self.bot.core(digest_schedule.release_held, self.holder)
        if released:
            log.info("released %d unposted digest claim(s) on unload", released)

    async def _run(self) -> None:
        ready = asyncio.ensure_future(self.bot.wait_until_ready())
        stop = asyncio.ensure_future(self._stop.wait())
        await asyncio.wait({ready, stop}, return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        stop.cancel()
        while not self._stop.is_set():
            try:
                await self.tick()
            except Exception:
                log.exception("digest check failed; trying again in %.0f s", TICK_SECONDS)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), TICK_SECONDS)

    async def tick(self) -> list[Outcome]:
        """Post every digest due at the bot's clock reading, in the guilds the bot is in."""
        async with self._lock:
            guilds = [g.id for g in self.bot.guilds]
            due = await self.bot.core(digest_schedule.due, self.bot.clock(), guilds)
            try:
                return [await self._deliver(d) for d in due]
            finally:
                self.checks += 1

    async def _deliver(self, due: Due, *, force: bool = False) -> Outcome:
        """Build, claim, post part by part; any failure releases the claim with its reason."""
        now = self.bot.clock()

        def prepare(db):
            return (build_digest(db, due.guild_id, due.day, due.zone, now),
                    digest_chart(db, due.guild_id, due.day, due.zone))

        try:  # before claiming, so the claim stays short; one team's trouble stops no other
            digest, png = await self.bot.core(prepare)
            replies = digest_replies(digest, png, due.slot if due.late else None)
        except Exception as exc:
            return Outcome("failed", due, _reason(exc, due.channel_id))
        claim = await self.bot.core(digest_schedule.claim, due, self.holder, now, force=force)
        if claim is None:
            return Outcome("taken", due)
        try:
            channel = await self._channel(claim.guild_id, claim.channel_id)
            if claim.parts_posted >= len(replies):
                await self.bot.core(digest_schedule.mark_posted, claim, self.bot.clock())
            for index in range(claim.parts_posted, len(replies)):
                sent = await asyncio.wait_for(
                    self._send(channel, replies[index], digest_schedule.nonce(claim, index)),
                    POST_TIMEOUT)
                if not await self.bot.core(digest_schedule.record_part, claim, index, sent.id,
                                           len(replies), self.bot.clock()):
                    log.warning("digest %s/%s: claim lost while posting", due.guild_id, due.day)
                    return Outcome("lost", due)
        except BaseException as exc:
            reason = None if isinstance(exc, asyncio.CancelledError) else _reason(
                exc, claim.channel_id)
            await asyncio.shield(self.bot.core(digest_schedule.release, claim,
                                               self.bot.clock(), reason))
            if not isinstance(exc, Exception):
                raise
            log.warning("digest for guild %s, %s not posted: %s", due.guild_id, due.day, reason)
            return Outcome("failed", due, reason)
        log.info("digest for guild %s, %s posted%s", due.guild_id, due.day,
                 " late" if due.late else "")
        return Outcome("posted", due)

    async def _channel(self, gid: int, channel_id: int) -> discord.abc.Messageable:
        channel = self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)
        if getattr(getattr(channel, "guild", None), "id", None) != gid or not isinstance(
                channel, discord.abc.Messageable):
            raise Undeliverable(f"Channel {channel_id} is not a text channel of this server; "
                                "choose another with /digest config channel:.")
        return channel

    @staticmethod
    async def _send(channel: discord.abc.Messageable, reply: Reply,
                    nonce: int) -> discord.Message:
        files = [discord.File(io.BytesIO(data), filename=n) for n, data in reply.files.items()]
        return await channel.send(embeds=reply.embeds, files=files, nonce=nonce,
                                  allowed_mentions=NO_PINGS)

    # --- commands ---------------------------------------------------------------------------

    @staticmethod
    def _asker(interaction: discord.Interaction) -> tuple[set[int], bool]:
        return ({r.id for r in getattr(interaction.user, "roles", [])},
                interaction.permissions.manage_guild)

    @digest.command(name="config")
    @app_commands.describe(
        channel="Where the digest is posted",
        time="Local time of day, 24-hour HH:MM (default 08:00)",
        timezone="IANA time zone, e.g. Asia/Yangon (the default), Asia/Bangkok, UTC",
        enabled="Post the digest every day (on once a channel is set)",
        catch_up_days="After downtime, post missed digests up to this many days overdue",
    )
    async def config(self, interaction: discord.Interaction,
                     channel: discord.TextChannel | None = None,
                     time: app_commands.Range[str, 1, 10] | None = None,
                     timezone: app_commands.Range[str, 1, 64] | None = None,
                     enabled: bool | None = None,
                     catch_up_days: app_commands.Range[int, 0, guild_settings.MAX_LATE_DAYS]
                     | None = None) -> None:
        """Show or change where and when the daily digest is posted (editors)"""
        gid = guild_id(interaction)
        name, uid = who(interaction)
        roles, manager = self._asker(interaction)
        changes = {key: value for key, value in (
            ("digest_channel", channel.id if channel else None), ("digest_time", time),
            ("digest_tz", timezone), ("digest_enabled", enabled),
            ("digest_max_late_days", catch_up_days)) if value is not None}
        now = self.bot.clock()

        def work(db):
            guild_settings.require_editor(guild_settings.load(db, gid), roles, manager)
            if changes:
                guild_settings.save(db, gid, by=name, by_id=uid, now=now, **changes)
            return digest_schedule.status(db, gid, now)

        async def reply() -> Reply:
            status = await self.bot.core(work)
            heading = "Digest settings updated" if changes else "Digest settings"
            return Reply(embeds=[status_embed(gid, status, heading)])

        await answer(interaction, reply(), ephemeral=True)

    @config.autocomplete("timezone")
    async def zone_choices(self, interaction: discord.Interaction, current: str,
                           ) -> list[app_commands.Choice[str]]:
        key = current.strip().casefold().replace(" ", "_")
        names = guild_settings.zone_names().values()
        def rank(name: str) -> tuple[int, str]:  # "yang" finds Asia/Yangon before Pyongyang
            low = name.casefold()
            return (0 if low.startswith(key) else 1 if low.rsplit("/", 1)[-1].startswith(key)
                    else 2), name

        found = sorted((n for n in names if key in n.casefold()), key=rank)
        return [app_commands.Choice(name=n, value=n) for n in found[:25]]

    @digest.command(name="preview")
    @app_commands.describe(date="The day, in the team's time zone: yesterday (default), today, "
                                "2023-11-10")
    async def preview(self, interaction: discord.Interaction,
                      date: app_commands.Range[str, 1, 100] | None = None) -> None:
        """See a day's digest privately; nothing is posted"""
        gid = guild_id(interaction)
        now = self.bot.clock()

        def which_day(db):  # quick, so a mistyped date is refused before deferring
            tz = guild_settings.digest_zone(guild_settings.load(db, gid)).key
            return local_day(date or "yesterday", tz, now), tz

        def work(db, day, tz):
            return build_digest(db, gid, day, tz, now), digest_chart(db, gid, day, tz)

        day, tz = await self.bot.core(which_day)
        await interaction.response.defer(ephemeral=True, thinking=True)
        digest, png = await self.bot.core(work, day, tz)
        for reply in digest_replies(digest, png):
            await send(interaction, reply, ephemeral=True)

    @digest.command(name="now")
    async def now(self, interaction: discord.Interaction) -> None:
        """Post yesterday's digest to the digest channel now, unless it is posted (editors)"""
        gid = guild_id(interaction)
        roles, manager = self._asker(interaction)
        moment = self.bot.clock()

        def work(db):
            guild_settings.require_editor(guild_settings.load(db, gid), roles, manager)
            return digest_schedule.due_now(db, gid, moment)

        due = await self.bot.core(work)
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self._lock:
            outcome = await self._deliver(due, force=True)
        where, day = f"<#{due.channel_id}>", f"{due.day:%d %b %Y}"
        if outcome.state == "posted":
            text = f"Posted the digest for {day} in {where}."
        elif outcome.state == "failed":
            text = (f"The digest for {day} could not be posted: {outcome.error} "
                    "/digest status keeps track of it.")
        else:
            run = await self.bot.core(digest_schedule.get_run, gid, due.day)
            text = (f"The digest for {day} is already posted: "
                    f"{_jump(gid, run.channel_id, run.message_ids)}"
                    if run and run.state == "posted" else
                    f"Another sitrep process is posting the digest for {day} right now.")
        await send(interaction, Reply(content=text), ephemeral=True)

    @digest.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """When the next digest is due, the last one posted, and any failures"""
        gid = guild_id(interaction)

        async def reply() -> Reply:
            status = await self.bot.core(digest_schedule.status, gid, self.bot.clock())
            return Reply(embeds=[status_embed(gid, status)])

        await answer(interaction, reply(), ephemeral=True)


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(DigestCog(bot))
