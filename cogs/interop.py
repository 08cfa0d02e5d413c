"""ACLED interop on Discord: ``/export`` as a file, and the work behind ``/admin import``.

``/admin import`` lives in the editors' ``/admin`` group (``cogs.admin`` holds the command
and its editor check); what it does with the attachment is here, next to ``/export``: read
the CSV, run the core import in a worker thread, and edit the reply with its progress while
it runs, then with the report.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import io
import json
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.acled_export import export_rows, write_export
from bot.acled_import import import_acled
from bot.acled_rows import ImportReport
from bot.clock import today
from bot.errors import InvalidInput
from bot.guild_settings import load, require_member
from cogs.common import (
    NO_PINGS,
    SINCE,
    UNTIL,
    Reply,
    answer,
    guild_id,
    listing,
    safe,
    span_of,
    who,
)
from cogs.events import actor_choices, township_choices

if TYPE_CHECKING:
    from bot.app import SitrepBot

MAX_IMPORT_BYTES = 25 * 1024 * 1024  # Discord's upload cap for most servers
PROGRESS_EVERY = 2.0  # seconds between progress edits: Discord rate-limits message edits
SHOWN = 10  # lines per list in the report embed; the attached JSON has them all
FORMAT_CHOICES = [app_commands.Choice(name="CSV (ACLED's columns)", value="csv"),
                  app_commands.Choice(name="JSON", value="json")]


class _Progress:
    """Where the import is: written by the worker thread, read by the loop's ticker."""

    def __init__(self) -> None:
        self.rows, self.fraction = 0, 0.0

    def __call__(self, rows: int, fraction: float) -> None:
        self.rows, self.fraction = rows, fraction


async def _show_progress(interaction: discord.Interaction, label: str, progress: _Progress,
                         done: asyncio.Event) -> None:
    """Edit the reply every ``PROGRESS_EVERY`` seconds while rows come in. Runs on the loop,
    and the final report is sent only after it stops, so no late progress edit can land on
    top of the report."""
    shown = 0
    while not done.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), PROGRESS_EVERY)
        if progress.rows != shown and not done.is_set():
            shown = progress.rows
            with contextlib.suppress(discord.HTTPException):  # harmless: the report follows
                await interaction.edit_original_response(
                    content=f"Importing {label}: {shown:,} rows read "
                            f"({progress.fraction:.0%})…", allowed_mentions=NO_PINGS)


def report_reply(report: ImportReport) -> Reply:
    """The import report as an embed; when a list does not fit, the full JSON is attached."""
    label = safe(report.file, 100)
    embed = discord.Embed(
        title=f"Imported {label}"[:256],
        description=(f"**{report.inserted:,}** inserted · **{report.updated:,}** updated · "
                     f"**{report.unchanged:,}** unchanged · **{len(report.skipped):,}** skipped"
                     f" — {report.rows_read:,} rows read in {report.seconds:.1f} s"))
    sections = [
        ("Skipped rows", [f"line {s.line}: {s.reason}" for s in report.skipped]),
        ("Unmatched townships (rows skipped)",
         [f"{n:,} × {name}" for name, n in report.unmatched_townships.most_common()]),
        ("Actors to review (created if new)",
         [f"{n:,} × {name}" for name, n in report.unmatched_actors.most_common()]),
        ("Local corrections replaced by ACLED (undo restores them)",
         [f"#{i}" for i in report.overwritten]),
    ]
    cut = False
    for name, lines in sections:
        if lines:
            cut |= len(lines) > SHOWN
            shown = lines[:SHOWN] + ([f"… {len(lines) - SHOWN:,} more in the attached report"]
                                     if len(lines) > SHOWN else [])
            embed.add_field(name=name, value=listing(shown), inline=False)
    files = {}
    if cut:
        files["import-report.json"] = json.dumps(report.to_json(), ensure_ascii=False,
                                                 indent=2).encode()
    return Reply(embeds=[embed], files=files)


async def import_attachment(bot: SitrepBot, interaction: discord.Interaction,
                            file: discord.Attachment) -> ImportReport:
    """``/admin import``: the caller (the ``/admin`` group) has checked the user is an editor.
    Returns the report once the reply shows it."""
    gid, (name, uid) = guild_id(interaction), who(interaction)
    label = safe(file.filename, 100)
    if not file.filename.lower().endswith(".csv"):
        raise InvalidInput(f"{label} is not a .csv file: export the data from ACLED as CSV.")
    if file.size > MAX_IMPORT_BYTES:
        raise InvalidInput(f"{label} is {file.size:,} bytes; attachments up to "
                           f"{MAX_IMPORT_BYTES:,} bytes can be imported here. Split it, or run "
                           "`sitrep import-acled` on the bot's server.")
    await interaction.response.defer(ephemeral=True, thinking=True)
    data = await file.read()
    progress, done = _Progress(), asyncio.Event()
    ticker = asyncio.create_task(_show_progress(interaction, label, progress, done))
    try:
        report = await bot.core(import_acled, gid, data, by=name, by_id=uid,
                                name=file.filename, progress=progress)
    finally:
        done.set()
        await ticker
    reply = report_reply(report)
    await interaction.edit_original_response(
        content=None, embeds=reply.embeds, allowed_mentions=NO_PINGS,
        attachments=[discord.File(io.BytesIO(blob), filename=n)
                     for n, blob in reply.files.items()])
    return report


class Interop(commands.Cog):
    def __init__(self, bot: SitrepBot) -> None:
        self.bot = bot

    @app_commands.command(name="export")
    @app_commands.guild_only()
    @app_commands.describe(format="CSV in ACLED's columns (default) or JSON", since=SINCE,
                           until=UNTIL, township="Only this township (type to search)",
                           actor="Only events of this group, on either side")
    @app_commands.choices(format=FORMAT_CHOICES)
    @app_commands.autocomplete(township=township_choices, actor=actor_choices)
    async def export(self, interaction: discord.Interaction,
                     format: app_commands.Choice[str] | None = None,
                     since: app_commands.Range[str, 1, 100] | None = None,
                     until: app_commands.Range[str, 1, 100] | None = None,
                     township: app_commands.Range[str, 1, 100] | None = None,
                     actor: app_commands.Range[str, 1, 200] | None = None) -> None:
        """Download the team's events in ACLED's columns, as a file"""
        gid = guild_id(interaction)
        fmt = format.value if format else "csv"
        roles = {r.id for r in getattr(interaction.user, "roles", [])}
        manager = interaction.permissions.manage_guild
        limit = getattr(interaction, "filesize_limit", 10 * 1024 * 1024)

        def work(db) -> tuple[int, bytes]:  # one worker-thread call: permission, then rows
            require_member(load(db, gid), roles, manager)
            rows = export_rows(db, gid, span=span_of(since, until), township=township,
                               actor=actor)
            out = io.StringIO()
            count = write_export(rows, out, fmt)
            return count, out.getvalue().encode()

        async def reply() -> Reply:
            count, data = await self.bot.core(work)
            name = f"sitrep-{today().isoformat()}.{fmt}"
            if len(data) > limit:
                data, name = gzip.compress(data), name + ".gz"
            if len(data) > limit:
                raise InvalidInput(
                    f"The export of {count:,} events is larger than Discord's upload limit even "
                    "compressed; narrow it with since/until, township or actor, or run "
                    "`sitrep export` on the bot's server.")
            what = "event" if count == 1 else "events"
            return Reply(content=f"{count:,} {what} in ACLED's columns, then sitrep's own "
                                 f"(sitrep_*).", files={name: data})

        await answer(interaction, reply(), ephemeral=True)



async def setup(bot: SitrepBot) -> None:
    await bot.add_cog(Interop(bot))
