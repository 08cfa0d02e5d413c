"""Per-server settings: ``/config`` (and ``/admin config``) show who may log and who may correct
the record; server managers change them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import guild_settings
from bot.errors import Forbidden
from cogs.common import Reply, answer, bot_of, guild_id, who

if TYPE_CHECKING:
    from bot.app import SitrepBot


def _role(role_id: int | None, everyone: str) -> str:
    return f"<@&{role_id}>" if role_id else everyone


async def settings_reply(interaction: discord.Interaction, editor_role: discord.Role | None,
                         member_role: discord.Role | None) -> Reply:
    """Show the settings, changing the roles first if asked (Manage Server only)."""
    gid = guild_id(interaction)
    name, uid = who(interaction)
    changes = {
        key: (None if role.is_default() else role.id)
        for key, role in (("editor_role", editor_role), ("member_role", member_role))
        if role is not None
    }
    # default_permissions only hides /config; a server admin can override that, so check here.
    if changes and not interaction.permissions.manage_guild:
        raise Forbidden("Changing who may log or edit needs the Manage Server permission.")

    def work(db):
        if changes:
            return guild_settings.save(db, gid, by=name, by_id=uid, **changes)
        return guild_settings.load(db, gid)

    current = await bot_of(interaction).core(work)
    embed = discord.Embed(title="sitrep settings" + (" updated" if changes else ""))
    embed.add_field(name="Editor role", value=_role(current.editor_role, "server managers only"))
    embed.add_field(name="Member role (may log)", value=_role(current.member_role, "everyone"))
    if not current.digest_enabled:
        digest = "switched off"
    elif current.digest_channel is None:
        digest = "no channel set"
    else:
        digest = (f"<#{current.digest_channel}> at {current.digest_time} {current.digest_tz}, "
                  f"catching up {current.digest_max_late_days} day(s)")
    embed.add_field(name="Daily digest (change with /digest config)", value=digest,
                    inline=False)
    return Reply(embeds=[embed])


class Settings(commands.Cog):
    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot

    @app_commands.command(name="config")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.describe(
        editor_role="Who may correct the record (pick @everyone to leave it to server managers)",
        member_role="Who may log events (pick @everyone to let everyone log)",
    )
    async def config(self, interaction: discord.Interaction,
                     editor_role: discord.Role | None = None,
                     member_role: discord.Role | None = None) -> None:
        """Show or change who may log events and who may correct them (Manage Server)"""
        if not interaction.permissions.manage_guild:
            raise Forbidden("sitrep's settings need the Manage Server permission.")
        await answer(interaction, settings_reply(interaction, editor_role, member_role),
                     ephemeral=True)


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Settings(bot))
