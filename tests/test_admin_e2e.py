"""/admin through the real discord.py client: editors only, confirmations, the audit trail."""

from __future__ import annotations

import pytest
from test_bot_e2e import MESE, slash

from bot.db import open_db
from bot.events import get_event
from bot.history import history

pytestmark = pytest.mark.e2e


def stored(db_path, guild_id: int, event_id: int):
    db = open_db(db_path)
    try:
        return get_event(db, guild_id, event_id), history(db, guild_id, event_id)
    finally:
        db.close()


async def logged(fake) -> int:
    msg = await slash(fake, fake.team.member, "log", **MESE)
    return int(msg.embed["title"].split("#")[1])


async def test_a_non_editor_cannot_delete(sitrep, fake_discord, db_path):
    team = fake_discord.team
    event_id = await logged(fake_discord)
    msg = await slash(fake_discord, team.member, "admin delete", id=event_id, reason="dup")
    assert msg.ephemeral and f"<@&{team.editor_role.id}>" in msg.content
    assert not msg.buttons
    event, changes = stored(db_path, team.guild.id, event_id)
    assert not event.deleted and [c["action"] for c in changes] == ["log"]


async def test_delete_needs_the_editors_own_confirmation(sitrep, fake_discord, db_path):
    team = fake_discord.team
    event_id = await logged(fake_discord)
    ask = await slash(fake_discord, team.editor, "admin delete", id=event_id,
                      reason="duplicate of #2")
    assert ask.ephemeral and "Delete event" in ask.content
    assert not stored(db_path, team.guild.id, event_id)[0].deleted  # not before Confirm
    other = await (await fake_discord.press(ask, "Confirm", user=team.admin)).final()
    assert other.ephemeral and "Only the editor who asked" in other.content
    assert not stored(db_path, team.guild.id, event_id)[0].deleted
    done = await (await fake_discord.press(ask, "Confirm", user=team.editor)).final()
    assert "Deleted event" in done.content and all(b.disabled for b in done.buttons)
    event, changes = stored(db_path, team.guild.id, event_id)
    assert event.deleted
    assert changes[-1]["action"] == "delete" and changes[-1]["reason"] == "duplicate of #2"
    assert changes[-1]["by"] == team.editor.username


async def test_cancel_changes_nothing(sitrep, fake_discord, db_path):
    team = fake_discord.team
    event_id = await logged(fake_discord)
    ask = await slash(fake_discord, team.editor, "admin edit", id=event_id, field="fatalities",
                      value="4", reason="second report")
    done = await (await fake_discord.press(ask, "Cancel", user=team.editor)).final()
    assert "nothing was changed" in done.content
    assert stored(db_path, team.guild.id, event_id)[0].fatalities is None


async def test_edit_merge_restore_undo_and_history(sitrep, fake_discord, db_path):
    team = fake_discord.team
    first, second = await logged(fake_discord), await logged(fake_discord)
    ask = await slash(fake_discord, team.editor, "admin edit", id=first, field="fatalities",
                      value="4", reason="second report")
    await (await fake_discord.press(ask, "Confirm", user=team.editor)).final()
    assert stored(db_path, team.guild.id, first)[0].fatalities == 4
    ask = await slash(fake_discord, team.editor, "admin merge", keep=first, other=second,
                      reason="same incident")
    await (await fake_discord.press(ask, "Confirm", user=team.editor)).final()
    assert stored(db_path, team.guild.id, second)[0].merged_into == first
    undone = await slash(fake_discord, team.editor, "admin undo", id=first)
    assert "Undid" in undone.content
    assert stored(db_path, team.guild.id, second)[0].merged_into is None
    shown = await slash(fake_discord, team.editor, "admin history", id=first)
    text = shown.embed["description"]
    assert "**log**" in text and "**edit**" in text and "second report" in text
    assert shown.embed["footer"]["text"] == "1-4 of 4"


async def test_alias_then_query_by_it(sitrep, fake_discord):
    team = fake_discord.team
    await logged(fake_discord)
    msg = await slash(fake_discord, team.editor, "admin alias", actor="KNDF",
                      alias="Karenni defence forces")
    assert "now names" in msg.content
    found = await slash(fake_discord, team.member, "actor", name="Karenni defence forces")
    assert "Karenni Nationalities Defense Force" in found.embed["title"]


async def test_backup_is_attached_for_a_single_team(sitrep, fake_discord, tmp_path):
    await logged(fake_discord)
    msg = await slash(fake_discord, fake_discord.team.editor, "admin backup")
    assert msg.ephemeral and "attached" in msg.content
    assert msg.attachments[0].data.startswith(b"SQLite format 3\x00")
    assert list((tmp_path / "backups").glob("sitrep-*.db"))  # beside the database by default


async def test_duplicates_offer_a_merge_button(sitrep, fake_discord, db_path):
    team = fake_discord.team
    first, second = await logged(fake_discord), await logged(fake_discord)
    listing = await slash(fake_discord, team.editor, "admin duplicates")
    assert f"#{first} and #{second}" in listing.embed["fields"][0]["name"]
    ask = await (await fake_discord.press(listing, f"Merge 1: #{second} into #{first}",
                                          user=team.editor)).final()
    assert ask.ephemeral and "Merge" in ask.content
    await (await fake_discord.press(ask, "Confirm", user=team.editor)).final()
    assert stored(db_path, team.guild.id, second)[0].merged_into == first


async def test_show_of_a_deleted_event_says_who_and_why(sitrep, fake_discord, db_path):
    team = fake_discord.team
    event_id = await logged(fake_discord)
    ask = await slash(fake_discord, team.editor, "admin delete", id=event_id, reason="wrong town")
    await (await fake_discord.press(ask, "Confirm", user=team.editor)).final()
    shown = await slash(fake_discord, team.member, "show", id=event_id)
    assert "DELETED" in shown.embed["title"]
    status = {f["name"]: f["value"] for f in shown.embed["fields"]}["Status"]
    assert "eddie" in status and "wrong town" in status


async def test_the_running_bot_backs_up_on_schedule(sitrep, fake_discord, tmp_path):
    await fake_discord.wait_until(lambda: list((tmp_path / "backups").glob("sitrep-*.db")), 5,
                                  "the scheduled backup at start-up")


async def test_corrections_are_announced_in_the_channel(sitrep, fake_discord):
    team = fake_discord.team
    event_id = await logged(fake_discord)
    ask = await slash(fake_discord, team.editor, "admin delete", id=event_id, reason="wrong town")
    press = await fake_discord.press(ask, "Confirm", user=team.editor)
    notice = await press.followup(0)
    assert not notice.ephemeral and f"deleted event #{event_id}: wrong town" in notice.content


async def test_an_editor_adds_an_actor_then_a_member_logs_with_it(sitrep, fake_discord):
    team = fake_discord.team
    refused = await slash(fake_discord, team.member, "log", **{**MESE, "actors": "MDY-PDF"})
    assert refused.ephemeral and "/admin add-actor" in refused.content
    added = await slash(fake_discord, team.editor, "admin add-actor",
                        name="Mandalay People's Defence Force", aliases="MDY-PDF, Mandalay PDF")
    assert "Added" in added.content
    ok = await slash(fake_discord, team.member, "log", **{**MESE, "actors": "MDY-PDF"})
    fields = {f["name"]: f["value"] for f in ok.embed["fields"]}
    assert "Mandalay People" in fields["Actors"]


async def test_forget_user_needs_manage_server_and_pseudonymises(sitrep, fake_discord, db_path):
    team = fake_discord.team
    event_id = await logged(fake_discord)  # logged by mia
    refused = await slash(fake_discord, team.editor, "admin forget-user",
                          user_id=str(team.member.id))
    assert refused.ephemeral and "Manage Server" in refused.content
    done = await slash(fake_discord, team.admin, "admin forget-user", user_id=str(team.member.id))
    assert "forgotten-" in done.content
    event, changes = stored(db_path, team.guild.id, event_id)
    assert event.logged_by.startswith("forgotten-")
    assert all(c["by"] != team.member.username for c in changes)
