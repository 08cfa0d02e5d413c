"""Asking the record: ``/active``, ``/actor``, ``/timeline``, ``/search``, paged with buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import queries
from bot.events import Event
from bot.formatting import day_span, span_label
from bot.queries import Page
from cogs.common import PAGE_SIZE, SINCE, UNTIL, answer, guild_id, paged, safe, span_of
from cogs.events import actor_choices, township_choices

if TYPE_CHECKING:
    from bot.app import SitrepBot

def rows_embed(title: str, lines: list[str], offset: int, total: int,
                empty: str) -> discord.Embed:
    page = Page(lines[offset: offset + PAGE_SIZE], total, offset)
    embed = discord.Embed(title=title, description="\n".join(page.items) or empty)
    embed.set_footer(text=page.label)
    return embed


def _event_line(e: Event, with_place: bool = True) -> str:
    kind = e.sub_event_type or e.event_type
    actors = ", ".join(e.actors + [f"vs {o}" for o in e.opponents])
    deaths = f" · {e.fatalities} killed" if e.fatalities else ""
    place = f" · {e.township}" if with_place else ""
    return safe(f"#{e.id} {e.date}{place} · {kind} · {actors}{deaths}", 380)


class Query(commands.Cog):
    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot

    @app_commands.command(name="active")
    @app_commands.guild_only()
    @app_commands.describe(township="The township (type to search)", since=SINCE, until=UNTIL)
    @app_commands.autocomplete(township=township_choices)
    async def active(self, interaction: discord.Interaction,
                     township: app_commands.Range[str, 1, 100],
                     since: app_commands.Range[str, 1, 100] | None = None,
                     until: app_commands.Range[str, 1, 100] | None = None) -> None:
        """Which groups were active in a township over a period"""
        gid = guild_id(interaction)

        async def reply():
            result = await self.bot.core(queries.active, gid, township, span_of(since, until))
            lines = [f"**{g['events']}** · {safe(g['actor'], 250)} "
                     f"({day_span(g['first'], g['last'])})" for g in result["groups"]]
            title = (f"Active in {result['township']} Township, {result['state_region']}"
                     f" · {span_label(result['since'], result['until'])}")

            async def fetch(offset: int) -> tuple[discord.Embed, int]:
                return rows_embed(title, lines, offset, len(lines),
                                   "No events recorded in this period."), len(lines)

            return await paged(fetch)

        await answer(interaction, reply())

    @app_commands.command(name="actor")
    @app_commands.guild_only()
    @app_commands.describe(name="The group (name, abbreviation or alias)", since=SINCE,
                           until=UNTIL)
    @app_commands.autocomplete(name=actor_choices)
    async def actor(self, interaction: discord.Interaction,
                    name: app_commands.Range[str, 1, 200],
                    since: app_commands.Range[str, 1, 100] | None = None,
                    until: app_commands.Range[str, 1, 100] | None = None) -> None:
        """Where and when a group was active"""
        gid = guild_id(interaction)

        async def reply():
            result = await self.bot.core(queries.actor_activity, gid, name, span_of(since, until))
            lines = [safe(f"{t['events']} · {t['township']} ({t['state_region']}) · "
                          f"{day_span(t['first'], t['last'])}", 300)
                     for t in result["townships"]]
            title = (f"{result['actor']}: {result['total_events']} events"
                     f" · {span_label(result['since'], result['until'])}")

            async def fetch(offset: int) -> tuple[discord.Embed, int]:
                return rows_embed(title[:256], lines, offset, len(lines),
                                   "No events recorded in this period."), len(lines)

            return await paged(fetch)

        await answer(interaction, reply())

    @app_commands.command(name="timeline")
    @app_commands.guild_only()
    @app_commands.describe(township="The township (type to search)", since=SINCE, until=UNTIL)
    @app_commands.autocomplete(township=township_choices)
    async def timeline(self, interaction: discord.Interaction,
                       township: app_commands.Range[str, 1, 100],
                       since: app_commands.Range[str, 1, 100] | None = None,
                       until: app_commands.Range[str, 1, 100] | None = None) -> None:
        """A township's events, oldest first"""
        gid = guild_id(interaction)
        span = span_of(since, until)

        async def fetch(offset: int) -> tuple[discord.Embed, int]:
            header, page = await self.bot.core(queries.timeline, gid, township, span,
                                               PAGE_SIZE, offset)
            title = f"Timeline of {header['township']} Township, {header['state_region']}"
            embed = discord.Embed(title=title, description="\n".join(
                _event_line(e, with_place=False) for e in page.items) or "No events recorded.")
            embed.set_footer(text=page.label)
            return embed, page.total

        await answer(interaction, paged(fetch))

    @app_commands.command(name="search")
    @app_commands.guild_only()
    @app_commands.describe(text='Words in notes or location: "air strike", drone*, a OR b')
    async def search(self, interaction: discord.Interaction,
                     text: app_commands.Range[str, 1, 200]) -> None:
        """Full-text search over the events' notes and locations"""
        gid = guild_id(interaction)

        async def fetch(offset: int) -> tuple[discord.Embed, int]:
            page = await self.bot.core(queries.search, gid, text, PAGE_SIZE, offset)
            embed = discord.Embed(title=f"Search: {safe(text, 200)}", description="\n".join(
                _event_line(e) for e in page.items) or "No events match.")
            narrow = f" (the latest {page.total}, newest first: add words to narrow it)" * page.more
            embed.set_footer(text=page.label + narrow)
            return embed, page.total

        await answer(interaction, paged(fetch))


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Query(bot))
