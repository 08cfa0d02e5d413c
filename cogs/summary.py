"""Summaries as the team reads them: ``/summary`` with its weekly chart, ``/map``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import summary
from bot.clock import today
from bot.formatting import range_label, span_label, totals_line
from bot.gazetteer import gazetteer
from cogs.common import SINCE, UNTIL, Reply, answer, bot_of, guild_id, listing, span_of

if TYPE_CHECKING:
    from bot.app import SitrepBot


async def region_choices(interaction: discord.Interaction, current: str,
                         ) -> list[app_commands.Choice[str]]:
    regions = await bot_of(interaction).core(lambda db: gazetteer(db).regions)
    key = current.strip().casefold()
    return [app_commands.Choice(name=r, value=r) for r in regions if key in r.casefold()][:25]


def summary_embed(result: dict) -> discord.Embed:
    where = f" in {', '.join(result['regions'])}" if result.get("regions") else ""
    embed = discord.Embed(
        title=f"Summary{where} · {span_label(result['since'], result['until'])}",
        description=totals_line(result),
    )
    for name, key in (("By event type", "by_type"), ("By state/region", "by_region")):
        rows = [f"{n} · {k}" for k, n in result[key].items()]
        embed.add_field(name=name, value=listing(rows))
    rows = [f"{a['events']} · {a['actor']}" for a in result["top_actors"]]
    embed.add_field(name="Most active groups", value=listing(rows), inline=False)
    embed.set_image(url="attachment://summary.png")
    return embed


class Summary(commands.Cog):
    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot

    @app_commands.command(name="summary")
    @app_commands.guild_only()
    @app_commands.describe(since=SINCE, until=UNTIL, region="A state/region, e.g. Kayah, Shan")
    @app_commands.autocomplete(region=region_choices)
    async def summary(self, interaction: discord.Interaction,
                      since: app_commands.Range[str, 1, 100] | None = None,
                      until: app_commands.Range[str, 1, 100] | None = None,
                      region: app_commands.Range[str, 1, 100] | None = None) -> None:
        """Totals by type, region and group over a period, with a weekly chart"""
        gid = guild_id(interaction)
        span = span_of(since, until)

        def work(db):
            return (summary.summarise(db, gid, span, region),
                    summary.summary_chart(db, gid, span, region, today()))

        async def reply() -> Reply:
            result, png = await self.bot.core(work)
            return Reply(embeds=[summary_embed(result)], files={"summary.png": png})

        await answer(interaction, reply())

    @app_commands.command(name="map")
    @app_commands.guild_only()
    @app_commands.describe(since=SINCE, until=UNTIL, region="A state/region, e.g. Kayah, Shan")
    @app_commands.autocomplete(region=region_choices)
    async def map(self, interaction: discord.Interaction,
                  since: app_commands.Range[str, 1, 100] | None = None,
                  until: app_commands.Range[str, 1, 100] | None = None,
                  region: app_commands.Range[str, 1, 100] | None = None) -> None:
        """Events per township on a map of Myanmar"""
        gid = guild_id(interaction)
        span = span_of(since, until)

        async def reply() -> Reply:
            png = await self.bot.core(summary.events_map, gid, span, region, today())
            embed = discord.Embed(title=f"Events by township · {range_label(span)}")
            embed.set_image(url="attachment://map.png")
            return Reply(embeds=[embed], files={"map.png": png})

        await answer(interaction, reply())


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Summary(bot))
