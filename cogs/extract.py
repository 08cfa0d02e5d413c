"""``/extract`` and the "Extract events" message menu: an article in, one card per proposal.

The reading is the core's (``bot.extract``). Each proposal is a message of its own, because a
message holds at most 5 button rows and 10 embeds and an article may propose more events than
that. Only the invoker can press a card's buttons: confirming logs an event in their name, with
the article's link as its source. When the team already has the event, Confirm adds the link to
it instead (ACLED keeps one event per actors, day and place, however many outlets report it);
"Log as new" overrides.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from sqlite_utils import Database

from bot.actors import find_actor
from bot.clock import today
from bot.corrections import add_source, split_names
from bot.dates import EventDate, parse_date
from bot.errors import Forbidden, InvalidInput
from bot.events import Event, NewEvent, check_source, get_event, log_event
from bot.extract import Proposal, extract, parse_article
from bot.gazetteer import gazetteer
from bot.guild_settings import load, require_member
from cogs.common import (
    NO_PINGS,
    BaseView,
    Reply,
    answer,
    event_embed,
    guild_id,
    log,
    report_error,
    safe,
    who,
)

if TYPE_CHECKING:
    from bot.app import SitrepBot

MAX_TEXT = 6000  # Discord's limit for a string option
MAX_FILE_BYTES = 200_000  # a long feature is ~60 kB; more is not one article
# Cards are follow-ups of the invoking interaction, whose token lasts 15 minutes; after that the
# bot could no longer grey a card out, so a card's life is fixed (pressing does not extend it).
CARD_LIFETIME = 14 * 60.0
MAX_EVIDENCE = 1500
MANY_CARDS = 10  # past this, the header warns that a long run of cards follows
# Header lines pasted into a text box that turned line breaks into spaces (as Discord's long
# did) would swallow the whole article.
_FLAT_HEADER = re.compile(r"\s*(?:url|outlet|published|source|title|date)\s*:[^\n]*\Z",
                          re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """The link confirmed events cite, and the date weekday words counted back from (and where
    that date came from, for the header)."""

    url: str | None
    published: date
    published_from: str


@dataclass(frozen=True)
class Person:
    """Who acts, captured on the event loop; ``require`` is /log's rule, run in a worker."""

    name: str
    id: str
    roles: frozenset[int]
    manager: bool

    @classmethod
    def of(cls, interaction: discord.Interaction) -> Person:
        name, uid = who(interaction)
        roles = frozenset(r.id for r in getattr(interaction.user, "roles", []))
        return cls(name, uid, roles, interaction.permissions.manage_guild)

    def require(self, db: Database, gid: int) -> None:
        require_member(load(db, gid), set(self.roles), self.manager)


# --- core calls (worker thread) ------------------------------------------------------------

def _read(db: Database, gid: int, text: str, published: str | None, url: str | None,
          ) -> tuple[Article, list[Proposal], dict[int, Event]]:
    """The article's proposals, and the stored events flagged as their likely duplicates."""
    if _FLAT_HEADER.match(text):
        raise InvalidInput("The article's url: and published: lines arrived without their line "
                           "breaks: paste only the body (with url: and published: as options), "
                           "or attach the article as a .txt file.")
    header_url, header_day, _ = parse_article(text)
    if published:
        day, origin = parse_date(published, today()).date, "the date you gave"
    elif header_day:
        day, origin = header_day, "the article's published: line"
    else:
        day, origin = today(), "today: give published: if the article is older"
    link = url or header_url
    article = Article(check_source(link) if link else None, day, origin)
    proposals = extract(text, day, db=db, guild_id=gid)
    dupes = {p.duplicate_of for p in proposals if p.duplicate_of is not None}
    return article, proposals, {i: get_event(db, gid, i) for i in dupes}


def _log(db: Database, gid: int, person: Person, new: NewEvent, proposal: Proposal,
         article: Article) -> Event:
    """Log a (possibly edited) proposal as /log would. Actors the team lacks are created only
    if the extractor proposed them (its labels for unorganised groups, such as "anti-coup
    protesters", without which no protest could be logged); a name typed in Edit must be known,
    as in /log, so a typo is refused with suggestions instead of becoming a new group."""
    person.require(db, gid)
    if gazetteer(db).resolve(new.township).pcode != proposal.pcode:
        new = replace(new, location=None)  # the proposed village lies in the old township
    names = {n.strip() for n in [*new.actors, *new.opponents] if n.strip()}
    unknown = {n for n in names if find_actor(db, gid, n) is None}
    return log_event(db, gid, new, by=person.name, by_id=person.id, ref=article.published,
                     new_actors=bool(unknown) and unknown <= set(proposal.actors))


def _add_source(db: Database, gid: int, person: Person, event_id: int, url: str) -> Event:
    person.require(db, gid)
    return add_source(db, gid, event_id, url, by=person.name, by_id=person.id,
                      reason="confirmed from an /extract proposal")


# --- presentation --------------------------------------------------------------------------

def header(article: Article, proposals: list[Proposal], dupes: dict[int, Event]) -> str:
    url = article.url or ""  # in angle brackets (no preview), unless it could break out of them
    link = safe(url, 300) if "<" in url or ">" in url else f"<{url}>"
    source = f"from {link}" if url else "(no source link: give url: to cite it)"
    read = f"Dates read against {article.published.isoformat()} ({article.published_from})."
    if not proposals:
        return (f"No events found in the article {source}. {read} An event needs a sentence "
                "that says what happened, where and when; log anything missed with /log.")
    count = len(proposals)
    lines = [f"**{count} event{'s' if count > 1 else ''} proposed** {source} — confirm, fix or "
             f"skip each below. {read}"]
    if dupes:
        lines.append(f"Some look already logged ({', '.join(f'#{i}' for i in sorted(dupes))}):"
                     " their cards say what Confirm and Log as new would do.")
    many = f"All {count} cards follow, one message each. " if count > MANY_CARDS else ""
    lines.append(f"{many}Only you can press the buttons; cards expire after "
                 f"{int(CARD_LIFETIME // 60)} minutes.")
    return "\n".join(lines)


def card_embed(p: Proposal, index: int, total: int, article: Article,
               dupe: Event | None) -> discord.Embed:
    """The proposal laid out as a logged event is, so what Confirm stores is what was read."""
    shown = {k: v for k, v in p.to_json().items() if k not in ("evidence", "duplicate_of")}
    embed = event_embed(Event(id=0, **shown | {"sources": [article.url] if article.url else []}))
    embed.title = f"Proposed event {index} of {total}"
    embed.description = ">>> " + safe(p.evidence, MAX_EVIDENCE)
    if dupe is not None:
        kind, sides = dupe.sub_event_type or dupe.event_type, ", ".join(dupe.actors)
        sides += f" vs {', '.join(dupe.opponents)}" if dupe.opponents else ""
        if article.url in dupe.sources:
            then = "It already cites this article: Skip, or Log as new for a separate event."
        elif article.url:
            then = "Confirm adds this article as its source; Log as new records a separate event."
        else:
            then = "There is no article link to add to it: Skip, or Log as new."
        embed.add_field(name=f"Likely the same as #{dupe.id}", inline=False,
                        value=safe(f"{dupe.date}, {dupe.township}, {kind}: {sides}. {then}"))
    if not p.date_stated:
        embed.add_field(name="Date carried from an earlier sentence", inline=False,
                        value="The quoted lines name no date of their own: check it.")
    if not article.url:
        embed.set_footer(text="No source link: confirmed events will have none.")
    return embed


async def article_text(file: discord.Attachment) -> str:
    """The text of a .txt attachment; anything else is refused before it is downloaded."""
    name = safe(file.filename, 100)
    if not (file.filename.lower().endswith(".txt")
            or (file.content_type or "").startswith("text/plain")):
        raise InvalidInput(f"{name} is not a .txt file: save the article as plain text, or "
                           "paste it into text:.")
    if file.size > MAX_FILE_BYTES:
        raise InvalidInput(f"{name} is {file.size:,} bytes; an article up to {MAX_FILE_BYTES:,} "
                           "bytes can be read here. Split it, or run `sitrep extract` on it.")
    try:
        return (await file.read()).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{name} is not UTF-8 text: save it again as UTF-8 and retry."
                           ) from None


# --- the card ------------------------------------------------------------------------------

class Card(BaseView):
    """One proposal's buttons: Confirm, (Log as new,) Edit, Skip, for the invoker only.

    ``timeout=None``: ``start`` fixes the card's life instead, because discord.py would extend a
    timeout on every press, past the 15 minutes in which the card can still be edited.
    """

    def __init__(self, bot: SitrepBot, gid: int, owner: discord.abc.User, article: Article,
                 proposal: Proposal, dupe: Event | None) -> None:
        super().__init__(timeout=None)
        self.bot, self.gid, self.owner = bot, gid, owner
        self.article, self.proposal, self.dupe = article, proposal, dupe
        self.done, self._lock = False, asyncio.Lock()
        self._expiry: asyncio.Task[None] | None = None
        p = proposal
        day = EventDate(date.fromisoformat(p.date), p.date_precision)  # type: ignore[arg-type]
        self.draft = {"date": day.label(), "township": f"{p.township} ({p.state_region})",
                      "actors": ", ".join(p.actor_side), "opponents": ", ".join(p.opponents),
                      "type": p.sub_event_type}
        if dupe is None:
            self.remove_item(self.log_new)

    def start(self, message: discord.WebhookMessage, lifetime: float) -> None:
        self._expiry = asyncio.create_task(self._expire(message, lifetime))

    async def _expire(self, message: discord.WebhookMessage, lifetime: float) -> None:
        await asyncio.sleep(lifetime)
        async with self._lock:
            if self.done:
                return
            self.close()
        with contextlib.suppress(discord.HTTPException):
            await message.edit(content="Expired: nothing was logged from this card. Run /extract "
                               "again to act on it.", view=self, allowed_mentions=NO_PINGS)

    def close(self) -> None:
        """Disable the buttons and stop listening (and the timer, unless it is what closes)."""
        self.done = True
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self._expiry is not None and self._expiry is not asyncio.current_task():
            self._expiry.cancel()
        self.stop()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner.id:
            raise Forbidden(f"Only {safe(self.owner.name, 100)}, who ran /extract, can confirm, "
                            "fix or skip these proposals; run /extract yourself to work on it.")
        return True

    async def _act(self, interaction: discord.Interaction, done: str,
                   work: Callable[[], Awaitable[Event]] | None) -> None:
        """Run one action at most once per card (a double click waits, then is refused) and show
        its result with the buttons disabled; a refusal leaves the card as it was, so the user
        can fix the proposal or choose another button."""
        async with self._lock:
            if self.done:
                raise InvalidInput("This card is closed (confirmed, skipped or expired); run "
                                   "/extract again to act on it.")
            event = await work() if work is not None else None
            self.close()
        if event is None:
            await interaction.response.edit_message(content=done, view=self,
                                                    allowed_mentions=NO_PINGS)
            return
        await interaction.response.edit_message(content=done.format(id=event.id), view=self,
                                                embed=event_embed(event), allowed_mentions=NO_PINGS)
        log.info("/extract: event %s by %s in guild %s", event.id, interaction.user.id, self.gid)

    async def _log(self, interaction: discord.Interaction, done: str, new: NewEvent) -> None:
        person = Person.of(interaction)
        await self._act(interaction, done, lambda: self.bot.core(
            _log, self.gid, person, new, self.proposal, self.article))

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.success)
    async def confirm(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        if self.dupe is None:
            await self._log(interaction, "Logged as event #{id}.",
                            self.proposal.to_new_event(self.article.url))
            return
        if not self.article.url:
            raise InvalidInput(f"There is no article link to add to #{self.dupe.id}: run /extract "
                               "again with url:, or press Log as new.")
        person, event_id, url = Person.of(interaction), self.dupe.id, self.article.url
        await self._act(interaction, "Added as a source of #{id}.",
                        lambda: self.bot.core(_add_source, self.gid, person, event_id, url))

    @discord.ui.button(label="Log as new", style=discord.ButtonStyle.primary)
    async def log_new(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._log(interaction, "Logged as new event #{id}.",
                        self.proposal.to_new_event(self.article.url))

    @discord.ui.button(label="Edit", style=discord.ButtonStyle.secondary)
    async def edit(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await interaction.response.send_modal(EditModal(self))

    @discord.ui.button(label="Skip", style=discord.ButtonStyle.secondary)
    async def skip(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._act(interaction, "Skipped: nothing was logged from this proposal.", None)

    async def submit(self, interaction: discord.Interaction, values: dict[str, str]) -> None:
        """Log the edited proposal; what was typed stays in the form if it is refused."""
        self.draft = values
        new = replace(self.proposal.to_new_event(self.article.url), date=values["date"],
                      township=values["township"], actors=split_names(values["actors"]),
                      opponents=split_names(values["opponents"]), event_type=values["type"])
        await self._log(interaction, "Logged as event #{id} (edited).", new)


class EditModal(discord.ui.Modal, title="Fix the proposal, then log it"):
    """The five fields a proposal most often gets wrong; the rest (location, fatalities,
    evidence as notes, source) is kept from the proposal."""

    FIELDS = (("date", "Date (2023-11-07, Tuesday, week of 6 Nov)", 100, True),
              ("township", "Township", 100, True),
              ("actors", "Actors, separated by commas", 1000, True),
              ("opponents", "Opponents, separated by commas", 1000, False),
              ("type", "ACLED sub-event type (e.g. Armed clash)", 100, True))

    def __init__(self, card: Card) -> None:
        super().__init__(timeout=CARD_LIFETIME)
        self.card = card
        self.inputs: dict[str, discord.ui.TextInput[EditModal]] = {}
        for key, label, limit, required in self.FIELDS:
            self.inputs[key] = discord.ui.TextInput(
                label=label, custom_id=f"extract:{key}", default=card.draft[key][:limit] or None,
                max_length=limit, required=required)
            self.add_item(self.inputs[key])

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.card.submit(interaction, {k: f.value for k, f in self.inputs.items()})

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error)


# --- the commands --------------------------------------------------------------------------

class Extract(commands.Cog):
    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot
        self.cards: set[Card] = set()  # open ones, whose timers stop when the cog unloads
        self.menu = app_commands.ContextMenu(
            name="Extract events", callback=self.extract_message,
            allowed_contexts=app_commands.AppCommandContext(guild=True))
        self.menu.guild_only = True

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)
        for card in self.cards:
            card.close()

    @app_commands.command(name="extract")
    @app_commands.guild_only()
    @app_commands.describe(
        text="The article's text (for its url: and published: lines, attach a .txt file)",
        file="The article as a .txt file, instead of text",
        published="Its publication date: words like 'Tuesday' count back from it",
        url="The article's link, cited as the source (default: its url: line)",
    )
    async def extract_command(
        self, interaction: discord.Interaction,
        text: app_commands.Range[str, 1, MAX_TEXT] | None = None,
        file: discord.Attachment | None = None,
        published: app_commands.Range[str, 1, 100] | None = None,
        url: app_commands.Range[str, 1, 1000] | None = None,
    ) -> None:
        """Propose the events a news article reports, for you to confirm, fix or skip"""
        if (text is None) == (file is None):
            raise InvalidInput("Give the article once: paste it into text:, or attach it as a "
                               ".txt file in file:.")
        await self.propose(interaction, file if file is not None else text or "", published, url)

    async def extract_message(self, interaction: discord.Interaction,
                              message: discord.Message) -> None:
        """The message's .txt attachment if it has one (its text is then a caption), else its
        text."""
        file = next((a for a in message.attachments if a.filename.lower().endswith(".txt")),
                    None)
        if file is None and not message.content.strip():
            raise InvalidInput("That message holds no article: use it on a message with the "
                               "article's text or a .txt file attached.")
        await self.propose(interaction, file if file is not None else message.content, None, None)

    async def propose(self, interaction: discord.Interaction, source: str | discord.Attachment,
                      published: str | None, url: str | None) -> None:
        """Header first (deferred if the reading is slow), then one card per proposal."""
        gid, person = guild_id(interaction), Person.of(interaction)
        found: list[tuple[Article, list[Proposal], dict[int, Event]]] = []

        async def reply() -> Reply:
            await self.bot.core(person.require, gid)  # before downloading anything
            text = await article_text(source) if isinstance(source, discord.Attachment) else source
            found.append(await self.bot.core(_read, gid, text, published, url))
            return Reply(content=header(*found[0]))

        await answer(interaction, reply())
        article, proposals, dupes = found[0]
        self.cards = {c for c in self.cards if not c.is_finished()}
        for index, proposal in enumerate(proposals, 1):
            dupe = dupes.get(proposal.duplicate_of) if proposal.duplicate_of else None
            card = Card(self.bot, gid, interaction.user, article, proposal, dupe)
            message = await interaction.followup.send(
                embed=card_embed(proposal, index, len(proposals), article, dupe), view=card,
                wait=True, allowed_mentions=NO_PINGS)
            card.start(message, CARD_LIFETIME)
            self.cards.add(card)


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Extract(bot))
