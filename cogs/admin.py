"""Correcting the record: ``/admin ...`` for editors, every change audited by the core.

Destructive commands (edit, delete, merge) show what they will do and wait for the invoking
editor to press Confirm; nobody else can press it, and it expires. The editor check runs in
code on every command and again on Confirm: Discord's default permissions only hide commands,
and a server can override them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import actor_admin, corrections, guild_settings, history
from bot.actors import holds_other_teams
from bot.backup import backup
from bot.corrections import split_names
from bot.duplicates import likely_duplicates
from bot.errors import Forbidden, SitrepError
from bot.events import Event, get_event
from bot.forget import forget_user
from cogs import interop
from cogs.common import (
    NO_PINGS,
    BaseView,
    Reply,
    answer,
    bot_of,
    event_embed,
    guild_id,
    paged,
    safe,
    who,
)
from cogs.events import actor_choices
from cogs.query import rows_embed
from cogs.settings import settings_reply

if TYPE_CHECKING:
    from bot.app import SitrepBot

CONFIRM_TIMEOUT = 120.0
DUPLICATES_SHOWN = 5  # one Merge button each, within a message's 5 action rows
FIELDS = [app_commands.Choice(name=f, value=f) for f in corrections.EDITABLE_FIELDS]
REASON = "Why (kept in the event's history)"


async def require_editor(interaction: discord.Interaction) -> None:
    """Refuse anyone who is not an editor (role) or a server manager."""
    roles = {r.id for r in getattr(interaction.user, "roles", [])}
    settings = await bot_of(interaction).core(guild_settings.load, guild_id(interaction))
    guild_settings.require_editor(settings, roles, interaction.permissions.manage_guild)


class ConfirmView(BaseView):
    """Confirm / Cancel for one destructive action, pressable only by the editor who asked."""

    def __init__(self, owner_id: int, action: Callable[[], Awaitable[Event]], done: str,
                 notice: str) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT)
        self.owner_id, self.action, self.done, self.notice = owner_id, action, done, notice

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            raise Forbidden("Only the editor who asked for this change can confirm or cancel it.")
        await require_editor(interaction)  # the role may have been taken away meanwhile
        return True

    def _close(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        self.stop()

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        event = await self.action()
        self._close()
        await interaction.response.edit_message(content=self.done, embed=event_embed(event),
                                                view=self, allowed_mentions=NO_PINGS)
        await announce(interaction, self.notice)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        self._close()
        await interaction.response.edit_message(content="Cancelled: nothing was changed.",
                                                view=self, allowed_mentions=NO_PINGS)


async def announce(interaction: discord.Interaction, notice: str) -> None:
    """Tell the channel that the record changed: corrections are made in private but never
    in secret."""
    await interaction.followup.send(safe(notice, 1900), ephemeral=False,
                                    allowed_mentions=NO_PINGS)


def _confirm_reply(interaction: discord.Interaction, question: str, embeds: list[discord.Embed],
                   action: Callable[[], Awaitable[Event]], done: str, notice: str) -> Reply:
    view = ConfirmView(interaction.user.id, action, done, notice)
    return Reply(content=f"{question} (Confirm within {int(CONFIRM_TIMEOUT)} s.)",
                 embeds=embeds, view=view)


class DuplicatesView(BaseView):
    """One Merge button per likely-duplicate pair; each opens the usual confirmation."""

    def __init__(self, owner_id: int) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT * 5)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            raise Forbidden("Only the editor who listed these duplicates can merge from here.")
        await require_editor(interaction)
        return True

    def add_pair(self, n: int, keep: int, other: int) -> None:
        button: discord.ui.Button = discord.ui.Button(label=f"Merge {n}: #{other} into #{keep}",
                                                      style=discord.ButtonStyle.primary)

        async def pressed(interaction: discord.Interaction) -> None:
            await answer(interaction, _merge_confirmation(interaction, keep, other,
                                                          "likely duplicate (same township, "
                                                          "actors and dates)"), ephemeral=True)

        button.callback = pressed
        self.add_item(button)


async def _merge_confirmation(interaction: discord.Interaction, keep: int, other: int,
                              reason: str) -> Reply:
    """The Confirm/Cancel reply for merging ``other`` into ``keep``."""
    bot, gid, (name, uid) = bot_of(interaction), guild_id(interaction), who(interaction)
    kept = await bot.core(get_event, gid, keep)
    dupe = await bot.core(get_event, gid, other)

    async def apply() -> Event:
        return await bot.core(corrections.merge_events, gid, keep, other, by=name, by_id=uid,
                              reason=reason)

    return _confirm_reply(
        interaction, f"Merge #{other} into #{keep}? #{keep} gains its sources, actors and notes.",
        [event_embed(kept, "Keep"), event_embed(dupe, "Merge away")], apply,
        f"Merged #{other} into #{keep}.",
        f"{name} merged event #{other} into #{keep}: {reason}")


class Admin(commands.GroupCog, group_name="admin",
            group_description="Correct the record (editors only)"):
    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # discord.py only reports AppCommandErrors raised by checks; anything else would leave
        # the user without a reply.
        try:
            guild_id(interaction)
            await require_editor(interaction)
        except SitrepError as exc:
            raise app_commands.CheckFailure(exc.user_message) from exc
        return True

    @app_commands.command(name="edit")
    @app_commands.describe(id="The event's number", field="What to change",
                           value="The new value as you would type it in /log (empty clears)",
                           reason=REASON)
    @app_commands.choices(field=FIELDS)
    async def edit(self, interaction: discord.Interaction, id: app_commands.Range[int, 1, 2**53],
                   field: app_commands.Choice[str], value: app_commands.Range[str, 0, 4000],
                   reason: app_commands.Range[str, 1, 1000]) -> None:
        """Change one field of an event (asks for confirmation)"""
        gid, (name, uid) = guild_id(interaction), who(interaction)

        async def reply() -> Reply:
            event = await self.bot.core(get_event, gid, id)

            async def apply() -> Event:
                return await self.bot.core(corrections.edit_event, gid, id,
                                           {field.value: value}, by=name, by_id=uid,
                                           reason=reason)

            question = (f"Set **{field.value}** of event #{id} to "
                        f"{safe(value, 300) if value else 'nothing'}?")
            return _confirm_reply(interaction, question, [event_embed(event)], apply,
                                  f"Edited event #{id}.",
                                  f"{name} edited {field.value} of event #{id}: {reason}")

        await answer(interaction, reply(), ephemeral=True)

    @app_commands.command(name="delete")
    @app_commands.describe(id="The event's number", reason=REASON)
    async def delete(self, interaction: discord.Interaction,
                     id: app_commands.Range[int, 1, 2**53],
                     reason: app_commands.Range[str, 1, 1000]) -> None:
        """Delete an event (it stays in the history and can be restored; asks first)"""
        gid, (name, uid) = guild_id(interaction), who(interaction)

        async def reply() -> Reply:
            event = await self.bot.core(get_event, gid, id)

            async def apply() -> Event:
                return await self.bot.core(corrections.delete_event, gid, id, by=name,
                                           by_id=uid, reason=reason)

            return _confirm_reply(interaction, f"Delete event #{id}?", [event_embed(event)],
                                  apply, f"Deleted event #{id}. `/admin restore` brings it back.",
                                  f"{name} deleted event #{id}: {reason}")

        await answer(interaction, reply(), ephemeral=True)

    @app_commands.command(name="merge")
    @app_commands.describe(keep="The event to keep", other="The duplicate to merge into it",
                           reason=REASON)
    async def merge(self, interaction: discord.Interaction,
                    keep: app_commands.Range[int, 1, 2**53],
                    other: app_commands.Range[int, 1, 2**53],
                    reason: app_commands.Range[str, 1, 1000]) -> None:
        """Merge a duplicate report into the event kept (asks first)"""
        await answer(interaction, _merge_confirmation(interaction, keep, other, reason),
                     ephemeral=True)

    @app_commands.command(name="duplicates")
    async def duplicates(self, interaction: discord.Interaction) -> None:
        """Pairs of events that may report the same incident, each with a Merge button"""
        gid = guild_id(interaction)

        async def reply() -> Reply:
            pairs = await self.bot.core(likely_duplicates, gid, DUPLICATES_SHOWN)
            if not pairs:
                return Reply(content="No likely duplicates: no two live events share a "
                                     "township, an actor and dates within 2 days.")
            embed = discord.Embed(title="Likely duplicates, most similar first")
            view = DuplicatesView(interaction.user.id)
            for n, pair in enumerate(pairs, start=1):
                a, b = pair.first, pair.second
                embed.add_field(
                    name=f"{n}. #{a.id} and #{b.id} · score {pair.score:.2f}",
                    value=safe(f"{a.date} / {b.date} · {a.township} · {'; '.join(pair.why)}",
                               1000), inline=False)
                view.add_pair(n, a.id, b.id)
            return Reply(embeds=[embed], view=view)

        await answer(interaction, reply(), ephemeral=True)

    @app_commands.command(name="restore")
    @app_commands.describe(id="The deleted event's number", reason=REASON)
    async def restore(self, interaction: discord.Interaction,
                      id: app_commands.Range[int, 1, 2**53],
                      reason: app_commands.Range[str, 1, 1000] | None = None) -> None:
        """Bring a deleted event back"""
        gid, (name, uid) = guild_id(interaction), who(interaction)

        async def reply() -> Reply:
            event = await self.bot.core(corrections.restore_event, gid, id, by=name, by_id=uid,
                                        reason=reason)
            return Reply(content=f"Restored event #{id}.", embeds=[event_embed(event)])

        await answer(interaction, reply(), ephemeral=True)
        await announce(interaction, f"{name} restored event #{id}"
                                    + (f": {reason}" if reason else "."))

    @app_commands.command(name="undo")
    @app_commands.describe(id="The event's number", reason="Why (optional)")
    async def undo(self, interaction: discord.Interaction,
                   id: app_commands.Range[int, 1, 2**53],
                   reason: app_commands.Range[str, 1, 1000] | None = None) -> None:
        """Undo the last change to an event (the undo is kept in the history too)"""
        gid, (name, uid) = guild_id(interaction), who(interaction)

        async def reply() -> Reply:
            event = await self.bot.core(history.undo_last_change, gid, id, by=name, by_id=uid,
                                        reason=reason)
            return Reply(content=f"Undid the last change to event #{id}.",
                         embeds=[event_embed(event)])

        await answer(interaction, reply(), ephemeral=True)
        await announce(interaction, f"{name} undid the last change to event #{id}"
                                    + (f": {reason}" if reason else "."))

    @app_commands.command(name="history")
    @app_commands.describe(id="The event's number")
    async def history(self, interaction: discord.Interaction,
                      id: app_commands.Range[int, 1, 2**53]) -> None:
        """Every change to an event: who, when, why"""
        gid = guild_id(interaction)

        async def reply() -> Reply:
            entries = await self.bot.core(history.history, gid, id)
            lines = [f"<t:{_unix(e['at'])}:f> · **{e['action']}** by {safe(e['by'], 100)}"
                     + (f" — {safe(e['reason'], 200)}" if e["reason"] else "")
                     for e in entries]

            async def fetch(offset: int) -> tuple[discord.Embed, int]:
                return rows_embed(f"History of event #{id}", lines, offset, len(lines),
                                  "No changes recorded."), len(lines)

            return await paged(fetch)

        await answer(interaction, reply(), ephemeral=True)

    @app_commands.command(name="alias")
    @app_commands.describe(actor="The group (name, abbreviation or alias)",
                           alias="Another name the team should recognise")
    @app_commands.autocomplete(actor=actor_choices)
    async def alias(self, interaction: discord.Interaction,
                    actor: app_commands.Range[str, 1, 200],
                    alias: app_commands.Range[str, 1, 200]) -> None:
        """Teach sitrep another name for a group"""
        gid, (name, uid) = guild_id(interaction), who(interaction)

        async def reply() -> Reply:
            found = await self.bot.core(actor_admin.add_alias, gid, actor, alias, by=name,
                                        by_id=uid)
            return Reply(content=f"{safe(alias, 200)} now names {safe(found.label, 300)}.")

        await answer(interaction, reply(), ephemeral=True)

    @app_commands.command(name="add-actor")
    @app_commands.describe(name="The group's full name, as the team should see it",
                           aliases="Other names or abbreviations, separated by commas")
    async def add_actor(self, interaction: discord.Interaction,
                        name: app_commands.Range[str, 1, 200],
                        aliases: app_commands.Range[str, 1, 1000] | None = None) -> None:
        """Add an armed group or actor the team's list does not know yet"""
        gid, (editor, uid) = guild_id(interaction), who(interaction)

        async def reply() -> Reply:
            actor = await self.bot.core(actor_admin.add_actor, gid, name,
                                        split_names(aliases or ""), by=editor, by_id=uid)
            return Reply(content=f"Added {safe(actor.label, 300)}; /log accepts it now.")

        await answer(interaction, reply(), ephemeral=True)

    @app_commands.command(name="import")
    @app_commands.describe(file="An ACLED export as CSV, in ACLED's columns (up to 25 MB)")
    async def import_acled(self, interaction: discord.Interaction,
                           file: discord.Attachment) -> None:
        """Import an ACLED export (CSV): new rows added, revised ones updated; safe to repeat"""
        report = await interop.import_attachment(self.bot, interaction, file)
        await announce(interaction, f"{who(interaction)[0]} imported {file.filename}: "
                                    f"{report.inserted:,} events added, {report.updated:,} "
                                    "updated.")

    @app_commands.command(name="forget-user")
    @app_commands.describe(user_id="The person's Discord user id (they may have left the server)")
    async def forget(self, interaction: discord.Interaction,
                     user_id: app_commands.Range[str, 1, 30]) -> None:
        """Data subject request: replace a person's identity with a pseudonym (Manage Server)"""
        if not interaction.permissions.manage_guild:
            raise Forbidden("Data subject requests need the Manage Server permission.")
        gid, (name, uid) = guild_id(interaction), who(interaction)

        async def reply() -> Reply:
            result = await self.bot.core(forget_user, user_id, by=name, by_id=uid, guild_id=gid)
            return Reply(content=f"Done: that person is now {result['pseudonym']} in "
                                 f"{result['events']} events and {result['audit_rows']} history "
                                 "entries of this team.")

        await answer(interaction, reply(), ephemeral=True)

    @app_commands.command(name="config")
    @app_commands.describe(editor_role="Who may correct the record (Manage Server needed)",
                           member_role="Who may log events (Manage Server needed)")
    async def config(self, interaction: discord.Interaction,
                     editor_role: discord.Role | None = None,
                     member_role: discord.Role | None = None) -> None:
        """Show the team's settings; server managers can change the roles"""
        await answer(interaction, settings_reply(interaction, editor_role, member_role),
                     ephemeral=True)

    @app_commands.command(name="backup")
    async def backup(self, interaction: discord.Interaction) -> None:
        """Make a consistent copy of the team's database now"""
        gid = guild_id(interaction)
        folder = self.bot.settings.backups

        async def reply() -> Reply:
            folder.mkdir(parents=True, exist_ok=True)
            result, shared = await self.bot.core(
                lambda db: (backup(db, folder), holds_other_teams(db, gid)))
            path = Path(str(result["path"]))
            limit = getattr(interaction, "filesize_limit", 10 * 1024 * 1024)
            summary = f"Backed up {result['events']} events ({int(result['bytes']):,} bytes)"
            if shared:  # the file holds other teams' records too: it stays with the operator
                return Reply(content=f"{summary} to `{path}` on the bot's server. It also holds "
                                     "other teams' data, so it is not sent here.")
            if int(result["bytes"]) <= limit:
                return Reply(content=f"{summary}; the file is attached and also kept on the "
                                     f"server as `{path.name}`.",
                             files={path.name: path.read_bytes()})
            return Reply(content=f"{summary} to `{path}` on the bot's server; it is larger "
                                 f"than Discord's upload limit of {limit:,} bytes.")

        await answer(interaction, reply(), ephemeral=True)


def _unix(at: str) -> int:
    return int(datetime.fromisoformat(at).timestamp())


async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Admin(bot))
