"""Housekeeping while the bot runs: scheduled online backups with a retention count."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from discord.ext import commands, tasks

from bot.backup import backup, prune

if TYPE_CHECKING:
    from bot.app import SitrepBot

log = logging.getLogger("sitrep.backup")


class Maintenance(commands.Cog):
    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        hours = self.bot.settings.backup_hours
        if hours > 0:
            self.backups.change_interval(hours=hours)
            self.backups.start()

    async def cog_unload(self) -> None:
        self.backups.cancel()

    @tasks.loop(hours=24)
    async def backups(self) -> None:
        """Back up now, then keep only the newest copies; failures are logged, never fatal."""
        settings = self.bot.settings
        folder = settings.backups
        try:
            folder.mkdir(parents=True, exist_ok=True)
            result = await self.bot.core(lambda db: backup(db, folder))
            gone = prune(folder, settings.backup_keep)
            log.info("backup written to %s (%s events); %d old backup(s) removed",
                     result["path"], result["events"], len(gone))
        except Exception:
            log.exception("scheduled backup to %s failed", folder)


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Maintenance(bot))
