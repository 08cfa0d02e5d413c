"""What every cog shares: replying safely, turning errors into replies, embeds, paging.

``on_tree_error`` is the only place a Discord user's error becomes a message: a
``SitrepError`` becomes its own sentence; anything else is logged with its traceback under a
short error id, and the user gets an apology with that id. Every message goes out with allowed
mentions that parse nothing, and user text in embeds is escaped.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.clock import today
from bot.dates import DateRange, resolve_range
from bot.errors import SitrepError
from bot.events import Event
from bot.render import type_colour

if TYPE_CHECKING:
    from bot.app import SitrepBot

log = logging.getLogger("sitrep.bot")
NO_PINGS = discord.AllowedMentions.none()
DEFER_AFTER = 1.0  # seconds a core call may take before we defer; Discord allows 3
PAGE_SIZE = 10
VIEW_TIMEOUT = 600.0


@dataclass
class Reply:
    """A message to send: any of content, embeds, PNG files (name -> bytes) and a view."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    view: discord.ui.View | None = None


def safe(text: str | None, limit: int = 1024) -> str:
    """User text made inert for an embed (no markdown, no pings) and cut visibly to ``limit``."""
    if not text:
        return "—"
    clean = discord.utils.escape_mentions(discord.utils.escape_markdown(text))
    return clean if len(clean) <= limit else clean[: limit - 12].rstrip("\\") + " … (cut)"


def listing(names: list[str], limit: int = 1024) -> str:
    """Names one per line; if they do not fit, say how many were left out."""
    shown: list[str] = []
    for i, name in enumerate(names):
        line = safe(name, 200)
        rest = len(names) - i
        if sum(len(s) + 1 for s in shown) + len(line) + 20 > limit:
            shown.append(f"… and {rest} more")
            break
        shown.append(line)
    return "\n".join(shown) or "—"


def who(interaction: discord.Interaction) -> tuple[str, str]:
    """The (name, id) that the store records for the user behind an interaction."""
    return interaction.user.name, str(interaction.user.id)


def event_embed(e: Event, title_prefix: str = "Event") -> discord.Embed:
    kind = f"{e.sub_event_type} ({e.event_type})" if e.sub_event_type else e.event_type
    state = " · DELETED" if e.deleted else (f" · merged into #{e.merged_into}"
                                             if e.merged_into else "")
    embed = discord.Embed(title=f"{title_prefix} #{e.id}{state}", description=safe(e.notes, 4000)
                          if e.notes else None, colour=discord.Colour.from_str(
                              type_colour(e.event_type)))
    date = e.date if e.date_precision == "day" else f"{e.date} ({e.date_precision} precision)"
    place = f"{e.township} Township, {e.state_region}"
    embed.add_field(name="Date", value=date)
    embed.add_field(name="Place", value=safe(f"{e.location}, {place}" if e.location else place))
    embed.add_field(name="Type", value=kind, inline=False)
    embed.add_field(name="Actors", value=listing(e.actors))
    if e.opponents:
        embed.add_field(name="Opponents", value=listing(e.opponents))
    embed.add_field(name="Fatalities",
                    value="unknown" if e.fatalities is None else str(e.fatalities))
    if e.sources:
        embed.add_field(name="Sources", value=listing(e.sources), inline=False)
    if e.logged_by:
        embed.set_footer(text=f"Logged by {e.logged_by}")
    if e.logged_at:
        embed.timestamp = datetime.fromisoformat(e.logged_at)  # shown in each reader's zone
    return embed


async def send(interaction: discord.Interaction, reply: Reply, *, ephemeral: bool = False) -> None:
    """Send ``reply`` as the interaction's response, or as its follow-up once deferred."""
    files = [discord.File(io.BytesIO(data), filename=name) for name, data in reply.files.items()]
    kwargs: dict = {"embeds": reply.embeds, "files": files, "allowed_mentions": NO_PINGS,
                    "ephemeral": ephemeral}
    if reply.content is not None:
        kwargs["content"] = reply.content
    if reply.view is not None:
        kwargs["view"] = reply.view
        if isinstance(reply.view, BaseView):
            reply.view.interaction = interaction
    if interaction.response.is_done():
        await interaction.followup.send(wait=True, **kwargs)
    else:
        await interaction.response.send_message(**kwargs)


async def answer(interaction: discord.Interaction, work: Awaitable[Reply], *,
                 ephemeral: bool = False) -> None:
    """Await the reply's work, deferring first if it is slow, and send it.

    Quick answers (and quick refusals, which must be ephemeral) go out as the response itself;
    only work that outlasts ``DEFER_AFTER`` is deferred, so the 3-second window is never missed.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if not done:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    await send(interaction, await task, ephemeral=ephemeral)


async def tell(interaction: discord.Interaction, message: str) -> None:
    """An ephemeral sentence to the user, whatever state the interaction is in."""
    if not interaction.response.is_done():
        await interaction.response.send_message(message, ephemeral=True,
                                                allowed_mentions=NO_PINGS)
        return
    if interaction.response.type is discord.InteractionResponseType.deferred_channel_message:
        # A public "thinking..." placeholder would otherwise show the refusal to everyone.
        try:
            await interaction.delete_original_response()
        except discord.HTTPException:
            log.warning("could not remove the placeholder of interaction %s", interaction.id)
    await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_PINGS)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Turn an exception into a reply: a sentence for user errors, an error id for bugs."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        error = error.__cause__ or getattr(error, "original", error)
    if isinstance(error, SitrepError):
        message = error.user_message
    elif isinstance(error, app_commands.CheckFailure):
        message = str(error) or "You cannot use this command here."
    else:
        error_id = uuid.uuid4().hex[:8]
        log.error("error %s in %s by user %s in guild %s", error_id,
                  getattr(interaction.command, "qualified_name", "component"),
                  interaction.user.id, interaction.guild_id,
                  exc_info=(type(error), error, error.__traceback__))
        message = (f"Sorry, something went wrong on our side (error id `{error_id}`). "
                   "Nothing was changed. Please tell the team's admin the error id.")
    try:
        await tell(interaction, message)
    except discord.HTTPException:
        log.exception("could not tell user %s about an error", interaction.user.id)


async def on_tree_error(interaction: discord.Interaction, error: app_commands.AppCommandError,
                        ) -> None:
    await report_error(interaction, error)


class BaseView(discord.ui.View):
    """A view whose errors are reported like commands' and whose buttons die when it times out."""

    interaction: discord.Interaction | None = None  # whose message carries the view

    async def on_error(self, interaction: discord.Interaction, error: Exception,
                       item: discord.ui.Item) -> None:
        await report_error(interaction, error)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.interaction is not None:
            # If the message is gone or the token expired, there is nothing left to disable.
            with contextlib.suppress(discord.HTTPException):
                await self.interaction.edit_original_response(view=self)


PageFn = Callable[[int], Awaitable[tuple[discord.Embed, int]]]


class Pager(BaseView):
    """Previous/Next buttons over a result too long for one embed.

    ``fetch(offset)`` returns the embed for the page starting at ``offset`` and the total count,
    so pages always reflect the store, and the footer says where the reader is ("11-20 of 57").
    """

    def __init__(self, fetch: PageFn, total: int, offset: int = 0) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.fetch, self.total, self.offset = fetch, total, offset
        self._update()

    def _update(self) -> None:
        self.previous.disabled = self.offset <= 0
        self.next.disabled = self.offset + PAGE_SIZE >= self.total

    async def _turn(self, interaction: discord.Interaction, offset: int) -> None:
        embed, self.total = await self.fetch(max(0, offset))
        self.offset = max(0, offset)
        self._update()
        await interaction.response.edit_message(embed=embed, view=self,
                                                allowed_mentions=NO_PINGS)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._turn(interaction, self.offset - PAGE_SIZE)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._turn(interaction, self.offset + PAGE_SIZE)


async def paged(fetch: PageFn) -> Reply:
    """The first page of a paged answer, with buttons only when there is more than one page."""
    embed, total = await fetch(0)
    return Reply(embeds=[embed], view=Pager(fetch, total) if total > PAGE_SIZE else None)


SINCE = "First day: 2023-10-27, Oct 27, last month, this year (default: no limit)"
UNTIL = "Last day, inclusive (default: no limit)"


def span_of(since: str | None, until: str | None) -> DateRange:
    """A /command's since/until options as a date range, relative to today."""
    return resolve_range(since, until, today())


def bot_of(interaction: discord.Interaction) -> SitrepBot:
    return interaction.client  # type: ignore[return-value]


def guild_id(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise SitrepError("sitrep works inside a server, not in direct messages.")
    return interaction.guild_id
