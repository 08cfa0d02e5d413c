"""`/admin import` and `/export` through the real discord.py client against the loopback Discord."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from test_acled import FIXTURE, GOOD

from bot import acled_import
from bot.acled import EXPORT_COLUMNS
from bot.acled_import import import_acled
from bot.db import open_db
from cogs import interop

pytestmark = pytest.mark.e2e


def stored_events(db_path, guild_id: int) -> int:
    db = open_db(db_path)
    try:
        return db.execute("SELECT COUNT(*) FROM events WHERE guild_id = ?",
                          [guild_id]).fetchone()[0]
    finally:
        db.close()


async def test_an_editor_imports_a_csv_with_progress_then_the_report(sitrep, fake_discord,
                                                                    db_path, monkeypatch):
    monkeypatch.setattr(acled_import, "BATCH_SIZE", 3)
    monkeypatch.setattr(interop, "PROGRESS_EVERY", 0.01)
    record = interop._Progress.__call__

    def slow_batches(self, rows: int, fraction: float) -> None:  # worker thread: time to show
        record(self, rows, fraction)
        time.sleep(0.05)

    monkeypatch.setattr(interop._Progress, "__call__", slow_batches)
    team = fake_discord.team
    rec = await fake_discord.slash(team.guild, team.editor, "admin import",
                                   file=("acled.csv", FIXTURE.read_bytes()))
    msg = await rec.final(timeout=15, quiet=0.3)
    assert msg.ephemeral and msg.embed["title"] == "Imported acled.csv"
    assert f"**{GOOD}** inserted" in msg.embed["description"]
    fields = {f["name"]: f["value"] for f in msg.embed["fields"]}
    assert "line 9: No township called" in fields["Skipped rows"]
    assert "more in the attached report" in fields["Skipped rows"]  # 11 skipped, 10 shown
    assert "5 × Civilians (Myanmar)" in fields["Actors to review (created if new)"]
    report = json.loads(msg.attachment("import-report.json").data)
    assert len(report["skipped"]) == 11
    shown = [h.get("content") or "" for h in msg.history]
    assert any("rows read" in c for c in shown), shown  # progress edits came first
    notice = await rec.followup(0)
    assert not notice.ephemeral and f"imported acled.csv: {GOOD} events added" in notice.content
    assert stored_events(db_path, team.guild.id) == GOOD


async def test_importing_needs_an_editor(sitrep, fake_discord, db_path):
    team = fake_discord.team
    rec = await fake_discord.slash(team.guild, team.member, "admin import",
                                   file=("acled.csv", FIXTURE.read_bytes()))
    msg = await rec.final()
    assert msg.ephemeral and f"<@&{team.editor_role.id}>" in msg.content
    assert stored_events(db_path, team.guild.id) == 0


async def test_a_file_that_is_not_csv_is_refused(sitrep, fake_discord, db_path):
    team = fake_discord.team
    rec = await fake_discord.slash(team.guild, team.editor, "admin import",
                                   file=("acled.xlsx", b"PK\x03\x04"))
    msg = await rec.final()
    assert msg.ephemeral and "is not a .csv file" in msg.content
    rec = await fake_discord.slash(team.guild, team.editor, "admin import",
                                   file=("notes.csv", b"what,when\nx,y\n"))
    msg = await rec.followup(0)  # refused after the defer: the placeholder gives way to it
    assert msg.ephemeral and "is not an ACLED export" in msg.content
    assert stored_events(db_path, team.guild.id) == 0


async def test_export_returns_acleds_columns_as_an_attachment(sitrep, fake_discord, db_path):
    team = fake_discord.team
    db = open_db(db_path)
    import_acled(db, team.guild.id, FIXTURE, by="setup")
    db.close()
    rec = await fake_discord.slash(team.guild, team.member, "export")
    msg = await rec.final()
    assert msg.ephemeral and f"{GOOD} events in ACLED's columns" in msg.content
    (attachment,) = msg.attachments
    assert attachment.filename.startswith("sitrep-") and attachment.filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(attachment.data.decode("utf-8"))))
    assert len(rows) == GOOD and list(rows[0]) == list(EXPORT_COLUMNS)
    rec = await fake_discord.slash(team.guild, team.member, "export", format="json",
                                   township="MMR002007")
    msg = await rec.final()
    (attachment,) = msg.attachments
    assert attachment.filename.endswith(".json")
    assert [r["event_id_cnty"] for r in json.loads(attachment.data)] == ["MMR60001"]


async def test_export_is_for_the_teams_members(sitrep, fake_discord):
    team = fake_discord.team
    msg = await (await fake_discord.slash(team.guild, team.outsider, "export")).final()
    assert msg.ephemeral and not msg.attachments
    assert f"<@&{team.member_role.id}>" in msg.content
