"""The Discord client: a ``commands.Bot`` that loads the cogs and runs core calls off the loop.

Settings and the database path come in through the constructor (only ``run`` reads the
environment, via the CLI), so tests build the same bot against a temporary database and the
loopback Discord.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

import discord
from discord import app_commands
from discord.ext import commands
from sqlite_utils import Database

from bot.config import Settings
from bot.db import open_db

log = logging.getLogger("sitrep.bot")
P = ParamSpec("P")
T = TypeVar("T")

COGS = ("cogs.events", "cogs.query", "cogs.summary", "cogs.settings", "cogs.admin")
CORE_THREADS = 4  # SQLite serialises writers anyway; a few threads keep readers flowing


class SitrepBot(commands.Bot):
    """sitrep on Discord. Slash commands only: no prefix commands, no privileged intents."""

    def __init__(self, settings: Settings, **discord_options: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # guild and channel objects for interactions and the digest
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            **discord_options,
        )
        self.settings = settings
        self._executor = ThreadPoolExecutor(CORE_THREADS, thread_name_prefix="sitrep-core")
        self._local = threading.local()

    async def setup_hook(self) -> None:
        from cogs.common import on_tree_error  # the one place errors become replies

        self.tree.on_error = on_tree_error
        for name in COGS:
            await self.load_extension(name)
        log.info("loaded %d cogs, %d commands", len(COGS), len(self.tree.get_commands()))

    def _db(self) -> Database:
        """This worker thread's own connection (sqlite3 objects belong to their thread)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = open_db(self.settings.db_path)
        return db

    async def core(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``func(db, *args, **kwargs)`` in a worker thread, never on the event loop."""
        call = functools.partial(self._call_with_db, func, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def _call_with_db(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return func(self._db(), *args, **kwargs)

    async def close(self) -> None:
        await super().close()
        self._executor.shutdown(wait=True)

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
    """Run the bot until interrupted, logging to stderr (the token is never logged)."""
    discord.utils.setup_logging(level=getattr(logging, settings.log_level, logging.INFO))
    bot = SitrepBot(settings)
    bot.run(settings.token or "", log_handler=None)


def sync(settings: Settings, guild_id: int | None) -> list[str]:
    """Log in, publish the command tree, log out; return the published command names."""

    async def main() -> list[str]:
        async with SitrepBot(settings) as bot:
            await bot.login(settings.token or "")  # runs setup_hook, which loads the cogs
            return [c.name for c in await sync_commands(bot, guild_id)]

    return asyncio.run(main())
