"""The Discord client: a ``commands.Bot`` that loads the cogs and runs core calls off the loop.

Settings and the database path come in through the constructor (only ``run`` reads the
environment, via the CLI), so tests build the same bot against a temporary database and the
loopback Discord.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

import discord
import yarl
from discord import app_commands
from discord.ext import commands
from sqlite_utils import Database

from bot.config import Settings
from bot.db import checkpoint, open_db
from bot.doctor import Check
from bot.drawing import drawing_pool, use_pool
from bot.errors import SitrepError
from bot.logs import setup_logging
from bot.wal import WORKER_AUTOCHECKPOINT_PAGES, BackgroundCheckpointer

log = logging.getLogger("sitrep.bot")
P = ParamSpec("P")
T = TypeVar("T")

COGS = ("cogs.events", "cogs.query", "cogs.summary", "cogs.settings", "cogs.admin",
        "cogs.digest", "cogs.maintenance", "cogs.interop", "cogs.extract")
CORE_THREADS = 4  # SQLite serialises writers anyway; a few threads keep readers flowing


SHUTDOWN_GRACE = 10.0  # seconds running core calls get to finish after SIGTERM


def _is_unicode(value: object) -> bool:
    """False if any text in an interaction's options is not Unicode (a lone surrogate, which
    JSON can carry but SQLite can neither store nor match)."""
    if isinstance(value, str):
        return value.isascii() or not any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return all(_is_unicode(v) for v in value.values())
    if isinstance(value, list):
        return all(_is_unicode(v) for v in value)
    return True


class SitrepTree(app_commands.CommandTree):
    """The command tree, which turns new commands away politely while the bot shuts down, and
    text that is not Unicode at the door."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if getattr(self.client, "closing", False):
            problem = "sitrep is restarting; please try again in a minute."
        elif not _is_unicode((interaction.data or {}).get("options")):
            problem = "Some of the text you typed is broken (invalid Unicode); please retype it."
        else:
            return True
        if interaction.type is discord.InteractionType.autocomplete:
            await interaction.response.autocomplete([])  # a message is no answer to typing
        else:
            await interaction.response.send_message(
                problem, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        return False


class SitrepBot(commands.Bot):
    """sitrep on Discord. Slash commands only: no prefix commands, no privileged intents."""

    def __init__(self, settings: Settings, *, clock: Callable[[], datetime] | None = None,
                 **discord_options: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # guild and channel objects for interactions and the digest
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=SitrepTree,
            **discord_options,
        )
        self.settings = settings
        # The digest scheduler reads the time here only, so tests move it instead of sleeping.
        self.clock: Callable[[], datetime] = clock or functools.partial(datetime.now, UTC)
        # Charts are drawn in a process of their own (``bot.drawing``): matplotlib holds the GIL
        # while it renders, which from a worker thread stalled the gateway loop.
        self._drawing = drawing_pool()
        self._executor = ThreadPoolExecutor(CORE_THREADS, thread_name_prefix="sitrep-core",
                                            initializer=use_pool, initargs=(self._drawing,))
        # WAL checkpoints run in a thread of their own, not inside some user's /log commit.
        self._checkpointer = BackgroundCheckpointer(settings.db_path).start()
        self._local = threading.local()
        self.closing = False  # set by ``shutdown``: no new commands are taken
        self._running = 0  # core calls in flight, which a shutdown lets finish

    async def setup_hook(self) -> None:
        from cogs.common import on_tree_error  # the one place errors become replies

        self.tree.on_error = on_tree_error
        for name in COGS:
            await self.load_extension(name)
        log.info("loaded %d cogs, %d commands", len(COGS), len(self.tree.get_commands()))
        # What is alive now (modules, discord.py's and matplotlib's tables) lives as long as the
        # process. Frozen, it is left out of later full garbage collections, which hold the GIL
        # in whichever thread runs them: one over this heap stalled the gateway loop >100 ms.
        gc.collect()
        gc.freeze()

    def _db(self) -> Database:
        """This worker thread's own connection (sqlite3 objects belong to their thread)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = open_db(self.settings.db_path)
            db.execute(f"PRAGMA wal_autocheckpoint = {WORKER_AUTOCHECKPOINT_PAGES}")
        return db

    async def core(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``func(db, *args, **kwargs)`` in a worker thread, never on the event loop."""
        call = functools.partial(self._call_with_db, func, *args, **kwargs)
        self._running += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, call)
        finally:
            self._running -= 1

    async def shutdown(self, grace: float = SHUTDOWN_GRACE) -> None:
        """Stop taking commands, let running core calls finish (bounded), unload the cogs (so
        they release what they hold), close the gateway and checkpoint the WAL."""
        self.closing = True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        while self._running and loop.time() < deadline:
            await asyncio.sleep(0.02)
        if self._running:
            log.warning("%d core call(s) still running after %.0f s; closing anyway",
                        self._running, grace)
        for name in list(self.extensions):
            await self.unload_extension(name)
        await self.close()
        checkpoint(self.settings.db_path)
        log.info("shut down cleanly")

    def _call_with_db(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return func(self._db(), *args, **kwargs)

    async def close(self) -> None:
        await super().close()
        self._executor.shutdown(wait=True)
        self._drawing.shutdown(wait=True, cancel_futures=True)
        self._checkpointer.stop()
        gc.unfreeze()  # a process that starts another bot (the tests) collects as usual

    async def on_ready(self) -> None:
        log.info("connected as %s to %d guild(s)", self.user, len(self.guilds))


async def sync_commands(bot: SitrepBot, guild_id: int | None) -> list[app_commands.AppCommand]:
    """Publish the command tree, to one guild (instant) or globally (slow to propagate)."""
    if guild_id is None:
        return await bot.tree.sync()
    guild = discord.Object(id=guild_id)
    bot.tree.copy_global_to(guild=guild)
    return await bot.tree.sync(guild=guild)


def run(settings: Settings) -> None:
    """Run the bot until SIGINT or SIGTERM, then shut down gracefully; logs go to stderr and
    never contain the token."""
    setup_logging(settings.log_level, settings.log_format, secrets=[settings.token or ""])
    try:
        asyncio.run(serve(settings))
    except discord.LoginFailure:
        raise SitrepError("Discord refused the token in DISCORD_TOKEN; copy it again from the "
                          "Developer Portal (Bot > Reset Token).") from None
    except discord.PrivilegedIntentsRequired:
        raise SitrepError("Discord refused an intent sitrep asked for; sitrep needs none of the "
                          "privileged ones, so check you run the released code.") from None


def point_at(settings: Settings) -> None:
    """Talk to another Discord-compatible endpoint (the loopback fake), if configured."""
    if settings.discord_api:
        discord.http.Route.BASE = settings.discord_api
    if settings.discord_gateway:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway)


async def serve(settings: Settings, **discord_options: Any) -> None:
    """Start the bot and wait for it to end or for a signal to stop it."""
    point_at(settings)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    bot = SitrepBot(settings, **discord_options)
    async with bot:
        runner = asyncio.create_task(bot.start(settings.token or ""), name="sitrep-gateway")
        stopper = asyncio.create_task(stop.wait(), name="sitrep-signals")
        await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if runner.done():
            stopper.cancel()
            runner.result()  # a login failure or a crash surfaces here
            return
        log.info("signal received: shutting down")
        await bot.shutdown()
        await runner


DIGEST_PERMISSIONS = ("view_channel", "send_messages", "embed_links", "attach_files")


async def online_checks(settings: Settings, channels: dict[int, int],
                        timeout: float = 20.0) -> list[Check]:
    """Log in and connect as the bot would; check the token, the intents and, in each guild's
    digest channel, the permissions the digest needs."""
    point_at(settings)
    bot = SitrepBot(settings)
    checks: list[Check] = []
    try:
        async with bot:
            try:
                await bot.login(settings.token or "")
            except discord.LoginFailure:
                return [Check("token accepted", "fail", "Discord refused DISCORD_TOKEN; copy it "
                                                        "again (Developer Portal > Bot)")]
            checks.append(Check("token accepted", "ok", f"logged in as {bot.user}"))
            runner = asyncio.create_task(bot.connect(reconnect=False))
            try:
                await asyncio.wait_for(bot.wait_until_ready(), timeout)
            except (TimeoutError, discord.PrivilegedIntentsRequired) as exc:
                checks.append(Check("gateway", "fail", f"could not connect ({exc!r}); check the "
                                                       "network and the bot's intents"))
                return checks
            checks.append(Check("gateway", "ok", f"connected, in {len(bot.guilds)} server(s), "
                                                 "no privileged intents needed"))
            checks += [_channel_check(bot, g, c) for g, c in sorted(channels.items())]
            runner.cancel()
    except discord.HTTPException as exc:
        checks.append(Check("discord", "fail", f"Discord answered {exc.status}: {exc.text}"))
    return checks


def _channel_check(bot: SitrepBot, guild_id: int, channel_id: int) -> Check:
    name = f"guild {guild_id} digest channel"
    channel = bot.get_channel(channel_id)
    if not isinstance(channel, discord.TextChannel) or channel.guild.id != guild_id:
        return Check(name, "fail", f"channel {channel_id} is gone or the bot cannot see it; "
                                   "pick another with /digest config channel:")
    me = channel.guild.me
    if me is None:
        return Check(name, "warn", f"#{channel.name}: could not read the bot's own roles to "
                                   "check its permissions")
    perms = channel.permissions_for(me)
    missing = [p for p in DIGEST_PERMISSIONS if not getattr(perms, p)]
    if missing:
        return Check(name, "fail", f"#{channel.name}: the bot lacks "
                                   f"{', '.join(p.replace('_', ' ') for p in missing)}; grant "
                                   "them to its role in that channel")
    return Check(name, "ok", f"#{channel.name}: the bot can post the digest there")


def sync(settings: Settings, guild_id: int | None) -> list[str]:
    """Log in, publish the command tree, log out; return the published command names."""

    async def main() -> list[str]:
        point_at(settings)
        async with SitrepBot(settings) as bot:
            await bot.login(settings.token or "")  # runs setup_hook, which loads the cogs
            return [c.name for c in await sync_commands(bot, guild_id)]

    return asyncio.run(main())
