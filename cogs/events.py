"""Logging events: ``/log`` with autocomplete, ``/show``, and Undo for whoever logged it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.actors import complete_actors
from bot.clock import today
from bot.corrections import UNDO_WINDOW, split_names, split_urls, undo_own_log
from bot.dates import parse_date
from bot.events import MAX_FATALITIES, MAX_LOCATION, MAX_NOTES, NewEvent, get_event, log_event
from bot.gazetteer import gazetteer
from bot.guild_settings import load, require_member
from bot.history import hidden_because
from bot.taxonomy import all_types
from cogs.common import BaseView, Reply, answer, bot_of, event_embed, guild_id, log, safe, who

if TYPE_CHECKING:
    from bot.app import SitrepBot

LIST_SPLIT = re.compile(r"\s*[,;]\s*")
MAX_CHOICES = 25


async def township_choices(interaction: discord.Interaction, current: str,
                           ) -> list[app_commands.Choice[str]]:
    """Township label shown, P-code sent back: unambiguous whatever the spelling."""
    found = await bot_of(interaction).core(lambda db: gazetteer(db).complete(current, MAX_CHOICES))
    return [app_commands.Choice(name=t.label, value=t.pcode) for t in found]


async def actor_choices(interaction: discord.Interaction, current: str,
                        ) -> list[app_commands.Choice[str]]:
    """Complete the last name of a comma-separated list, keeping the names before it."""
    *before, last = LIST_SPLIT.split(current) if current else [""]
    prefix = "".join(f"{b}, " for b in before if b)
    gid = interaction.guild_id or 0
    actors = await bot_of(interaction).core(complete_actors, gid, last, MAX_CHOICES)
    choices = []
    for actor in actors:
        for name in (actor.name, actor.abbreviation):
            value = prefix + (name or "")
            if name and len(value) <= 100:
                choices.append(app_commands.Choice(name=(prefix + actor.label)[:100], value=value))
                break
    return choices


async def type_choices(interaction: discord.Interaction, current: str,
                       ) -> list[app_commands.Choice[str]]:
    key = current.strip().casefold()
    found = [t for t in all_types() if key in t.label.casefold()]
    return [app_commands.Choice(name=t.label, value=t.sub_event_type or t.event_type)
            for t in found[:MAX_CHOICES]]


class UndoView(BaseView):
    """One button that lets the logger take an event back for a few minutes."""

    def __init__(self, event_id: int) -> None:
        super().__init__(timeout=UNDO_WINDOW.total_seconds())
        self.event_id = event_id  # whether the presser may undo is the core's decision

    @discord.ui.button(label="Undo", style=discord.ButtonStyle.danger)
    async def undo(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        name, uid = who(interaction)
        event = await bot_of(interaction).core(undo_own_log, guild_id(interaction),
                                               self.event_id, by=name, by_id=uid)
        button.disabled = True
        button.label = "Undone"
        await interaction.response.edit_message(embed=event_embed(event), view=self)
        self.stop()


class Events(commands.Cog):
    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot

    @app_commands.command(name="log")
    @app_commands.guild_only()
    @app_commands.describe(
        date="When: 2023-11-07, 8 Nov 2023, Tuesday, yesterday, Nov 2023, week of 6 Nov 2023",
        township="The township (type to search); a town or village goes in location",
        actors="Groups involved, separated by commas (KNDF, PDF, Karenni Army)",
        type="ACLED sub-event type, e.g. Armed clash, Air/drone strike",
        opponents="Groups on the other side, separated by commas (junta)",
        location="Village, town or base within the township",
        fatalities="Reported deaths; leave empty when unknown",
        source="Link(s) to the report, separated by spaces",
        notes="What happened, in a sentence or two",
        published="The source's publication date: words like 'Tuesday' count back from it",
    )
    @app_commands.autocomplete(township=township_choices, actors=actor_choices,
                               opponents=actor_choices, type=type_choices)
    async def log_command(
        self,
        interaction: discord.Interaction,
        date: app_commands.Range[str, 1, 100],
        township: app_commands.Range[str, 1, 100],
        actors: app_commands.Range[str, 1, 1000],
        type: app_commands.Range[str, 1, 100],
        opponents: app_commands.Range[str, 1, 1000] | None = None,
        location: app_commands.Range[str, 1, MAX_LOCATION] | None = None,
        fatalities: app_commands.Range[int, 0, MAX_FATALITIES] | None = None,
        source: app_commands.Range[str, 1, 2000] | None = None,
        notes: app_commands.Range[str, 1, MAX_NOTES] | None = None,
        published: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        """Log one event in the team's record"""
        gid = guild_id(interaction)
        name, uid = who(interaction)
        new = NewEvent(date=date, township=township, actors=split_names(actors),
                       opponents=split_names(opponents or ""), event_type=type,
                       location=location, fatalities=fatalities,
                       sources=split_urls(source or ""), notes=notes)
        roles = {r.id for r in getattr(interaction.user, "roles", [])}

        def work(db):  # one worker-thread call: permission, reference date, write
            require_member(load(db, gid), roles, interaction.permissions.manage_guild)
            ref = parse_date(published, today()).date if published else today()
            return log_event(db, gid, new, by=name, by_id=uid, ref=ref)

        async def reply() -> Reply:
            event = await self.bot.core(work)
            log.info("event %s logged by %s in guild %s", event.id, uid, gid)
            view = UndoView(event.id)
            return Reply(embeds=[event_embed(event, "Logged event")], view=view)

        await answer(interaction, reply())

    @app_commands.command(name="show")
    @app_commands.guild_only()
    @app_commands.describe(id="The event's number, as shown when it was logged")
    async def show(self, interaction: discord.Interaction,
                   id: app_commands.Range[int, 1, 2**53]) -> None:
        """Show one event"""
        gid = guild_id(interaction)

        def work(db):
            event = get_event(db, gid, id)
            return event, hidden_because(db, gid, event)

        async def reply() -> Reply:
            event, hidden = await self.bot.core(work)
            embed = event_embed(event)
            if hidden:
                embed.add_field(name="Status", value=safe(hidden), inline=False)
            return Reply(embeds=[embed])

        await answer(interaction, reply())


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Events(bot))

