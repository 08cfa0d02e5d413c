"""sitrep's slash commands through the real discord.py client against the loopback Discord."""

from __future__ import annotations

import asyncio
import logging
import re
import time

import pytest

from bot import queries
from bot.db import open_db
from bot.loopback.driver import CommandUnavailable

pytestmark = pytest.mark.e2e

MESE = {
    "date": "Tuesday", "published": "2023-11-10", "township": "MMR002007",
    "actors": "KNPLF, Karenni Army, KNDF, PDF", "opponents": "junta",
    "type": "Non-state actor overtakes territory",
    "source": "https://www.irrawaddy.com/news/burma/brotherhood-alliance-vows.html",
}


def events_in(db_path) -> int:
    db = open_db(db_path)
    try:
        return db["events"].count
    finally:
        db.close()


async def slash(fake, user, command, **options):
    rec = await fake.slash(fake.team.guild, user, command, **options)
    return await rec.final()


async def test_whole_tree_syncs_through_discords_validation(sitrep, fake_discord):
    names = {c["name"] for c in fake_discord.all_commands()}
    assert {"log", "show", "active", "actor", "timeline", "search", "summary", "map",
            "config"} <= names
    assert not fake_discord.rejections


async def test_log_the_seed_event_then_active_mese(sitrep, fake_discord, db_path):
    team = fake_discord.team
    msg = await slash(fake_discord, team.member, "log", **MESE)
    assert not msg.ephemeral
    embed = msg.embed
    assert re.match(r"Logged event #\d+", embed["title"])
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Date"] == "2023-11-07"
    assert "Battles" in fields["Type"] and "Mese Township, Kayah" in fields["Place"]
    assert msg.button("Undo")
    assert msg.allowed_mentions == {"parse": []}
    active = await slash(fake_discord, team.member, "active", township="Mese")
    text = active.embed["description"]
    for name in ("Karenni National People", "Karenni Army", "Karenni Nationalities Defense Force",
                 "People", "Tatmadaw"):
        assert name in text
    assert events_in(db_path) == 1


async def test_township_autocomplete_offers_mese_kayah(sitrep, fake_discord):
    team = fake_discord.team
    choices = await fake_discord.autocomplete(team.guild, team.member, "log",
                                              focused="township", township="mes")
    assert {"name": "Mese (Kayah)", "value": "MMR002007"} in choices
    assert len(choices) <= 25
    many = await fake_discord.autocomplete(team.guild, team.member, "log", focused="township",
                                           township="")
    assert len(many) == 25


async def test_actor_autocomplete_finds_aliases_and_keeps_the_list(sitrep, fake_discord):
    team = fake_discord.team
    choices = await fake_discord.autocomplete(team.guild, team.member, "log", focused="actors",
                                              actors="junta")
    assert choices[0]["value"] == "Tatmadaw"
    choices = await fake_discord.autocomplete(team.guild, team.member, "log", focused="actors",
                                              actors="KNDF, karenni a")
    assert "KNDF, Karenni Army" in [c["value"] for c in choices]


async def test_type_autocomplete_shows_subtypes_with_their_type(sitrep, fake_discord):
    team = fake_discord.team
    choices = await fake_discord.autocomplete(team.guild, team.member, "log", focused="type",
                                              type="clash")
    assert {"name": "Armed clash (Battles)", "value": "Armed clash"} in choices


async def test_unknown_township_is_refused_ephemerally_with_suggestions(sitrep, fake_discord,
                                                                        db_path):
    msg = await slash(fake_discord, fake_discord.team.member, "log", **{**MESE,
                                                                        "township": "Meese"})
    assert msg.ephemeral
    assert "Mese (Kayah)" in msg.content
    assert events_in(db_path) == 0


async def test_future_and_impossible_dates_say_why(sitrep, fake_discord, db_path):
    team = fake_discord.team
    future = await slash(fake_discord, team.member, "log", **{**MESE, "date": "2999-01-01",
                                                              "published": None})
    assert future.ephemeral and "future" in future.content
    impossible = await slash(fake_discord, team.member, "log", **{**MESE, "date": "31 Feb 2023"})
    assert impossible.ephemeral and "28 days" in impossible.content
    assert events_in(db_path) == 0


async def test_a_non_member_is_refused_and_nothing_is_stored(sitrep, fake_discord, db_path):
    msg = await slash(fake_discord, fake_discord.team.outsider, "log", **MESE)
    assert msg.ephemeral
    assert "role" in msg.content and str(fake_discord.team.member_role.id) in msg.content
    assert msg.allowed_mentions == {"parse": []}  # naming the role must not ping it
    assert events_in(db_path) == 0


async def test_summary_carries_a_png_chart(sitrep, fake_discord):
    team = fake_discord.team
    await slash(fake_discord, team.member, "log", **MESE)
    msg = await slash(fake_discord, team.member, "summary")
    png = msg.attachment("summary.png")
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert msg.embed["image"]["url"] == "attachment://summary.png"
    assert msg.embed["description"] == "1 event, no fatality count reported"
    fields = {f["name"]: f["value"] for f in msg.embed["fields"]}
    assert "Battles" in fields["By event type"] and "Kayah" in fields["By state/region"]


async def test_map_carries_a_png(sitrep, fake_discord):
    team = fake_discord.team
    await slash(fake_discord, team.member, "log", **MESE)
    msg = await slash(fake_discord, team.member, "map", since="2023-11-01")
    assert msg.attachment("map.png").data.startswith(b"\x89PNG")


async def test_pagination_moves_through_a_long_timeline(sitrep, fake_discord):
    team = fake_discord.team
    for day in range(1, 26):
        await slash(fake_discord, team.member, "log", **{**MESE, "date": f"2023-10-{day:02d}"})
    first = await slash(fake_discord, team.member, "timeline", township="Mese")
    assert first.embed["footer"]["text"] == "1-10 of 25"
    assert first.button("Previous").disabled and not first.button("Next").disabled
    second = await (await fake_discord.press(first, "Next", user=team.member)).final()
    assert second.embed["footer"]["text"] == "11-20 of 25"
    assert "2023-10-11" in second.embed["description"]
    third = await (await fake_discord.press(second, "Next", user=team.member)).final()
    assert third.embed["footer"]["text"] == "21-25 of 25"
    assert third.button("Next").disabled


async def test_pagination_moves_through_a_long_active_list(sitrep, fake_discord):
    team = fake_discord.team
    groups = ["KNPLF", "Karenni Army", "KNDF", "PDF", "KIA", "TNLA", "AA", "MNDAA", "ABSDF",
              "BPLA", "CDF", "DKBA"]
    for i, group in enumerate(groups):
        await slash(fake_discord, team.member, "log", **{**MESE, "actors": group,
                                                         "date": f"2023-10-{i + 1:02d}"})
    first = await slash(fake_discord, team.member, "active", township="Mese")
    assert first.embed["footer"]["text"] == "1-10 of 13"  # 12 groups and the junta
    last = await (await fake_discord.press(first, "Next", user=team.member)).final()
    assert last.embed["footer"]["text"] == "11-13 of 13"


async def test_an_unexpected_error_gets_an_id_and_no_traceback(sitrep, fake_discord,
                                                               monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(queries, "active", broken)
    with caplog.at_level(logging.ERROR, logger="sitrep.bot"):
        msg = await slash(fake_discord, fake_discord.team.member, "active", township="Mese")
    assert msg.ephemeral
    error_id = re.search(r"error id `([0-9a-f]{8})`", msg.content).group(1)
    assert "Traceback" not in msg.content and "disk on fire" not in msg.content
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None


async def test_slow_work_is_deferred_and_a_late_refusal_stays_private(sitrep, fake_discord,
                                                                      monkeypatch):
    real = queries.active

    def slow(*args, **kwargs):
        time.sleep(1.3)  # longer than DEFER_AFTER: the bot must defer within Discord's 3 s
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "active", slow)
    rec = await fake_discord.slash(fake_discord.team.guild, fake_discord.team.member, "active",
                                   township="Mese")
    assert (await rec.response()).type == 5
    msg = await rec.final(timeout=5)
    assert "Active in Mese" in msg.embed["title"]
    rec = await fake_discord.slash(fake_discord.team.guild, fake_discord.team.member, "active",
                                   township="Meese")
    refusal = await rec.followup(0, timeout=5)
    assert refusal.ephemeral and "Mese (Kayah)" in refusal.content
    assert rec.message.deleted  # the public "thinking..." placeholder is gone


async def test_undo_works_for_the_logger_only(sitrep, fake_discord, db_path):
    team = fake_discord.team
    logged = await slash(fake_discord, team.member, "log", **MESE)
    other = await (await fake_discord.press(logged, "Undo", user=team.editor)).final()
    assert other.ephemeral and "Only the person who logged" in other.content
    assert events_in(db_path) == 1
    undone = await (await fake_discord.press(logged, "Undo", user=team.member)).final()
    assert "DELETED" in undone.embed["title"]
    assert undone.button("Undone").disabled
    shown = await slash(fake_discord, team.member, "active", township="Mese")
    assert "No events" in shown.embed["description"]


async def test_show_and_unknown_id(sitrep, fake_discord):
    team = fake_discord.team
    await slash(fake_discord, team.member, "log", **MESE)
    shown = await slash(fake_discord, team.member, "show", id=1)
    assert shown.embed["title"].startswith("Event #1")
    missing = await slash(fake_discord, team.member, "show", id=999)
    assert missing.ephemeral and "#999" in missing.content


async def test_search_syntax_errors_are_explained(sitrep, fake_discord):
    team = fake_discord.team
    await slash(fake_discord, team.member, "log", **{**MESE, "notes": "base captured"})
    found = await slash(fake_discord, team.member, "search", text="base")
    assert found.embed["footer"]["text"] == "1-1 of 1"
    broken = await slash(fake_discord, team.member, "search", text='AND ("')
    assert broken.ephemeral and "search" in broken.content


async def test_user_text_cannot_ping_or_break_markdown(sitrep, fake_discord):
    team = fake_discord.team
    notes = "@everyone look **now** <@&1> ```"
    msg = await slash(fake_discord, team.member, "log", **{**MESE, "notes": notes})
    assert msg.allowed_mentions == {"parse": []}
    assert "@everyone" not in msg.embed["description"].replace("@\u200beveryone", "")
    assert "\\*\\*now\\*\\*" in msg.embed["description"]


async def test_config_needs_manage_server(sitrep, fake_discord):
    team = fake_discord.team
    with pytest.raises(CommandUnavailable):  # hidden by default_permissions
        await slash(fake_discord, team.member, "config")
    shown = await slash(fake_discord, team.admin, "config", member_role=team.guild.role("Editor"))
    assert shown.ephemeral and str(team.editor_role.id) in str(shown.embed["fields"])
    digest = {f["name"]: f["value"] for f in shown.embed["fields"]}
    assert digest["Daily digest (change with /digest config)"] == "no channel set"
    member_refused = await slash(fake_discord, team.member, "log", **MESE)
    assert member_refused.ephemeral  # mia has Member but no longer Editor


async def test_another_guild_sees_nothing(sitrep, fake_discord):
    team = fake_discord.team
    await slash(fake_discord, team.member, "log", **MESE)
    other = fake_discord.add_guild("Other Team")
    other.add_channel("general")
    stranger = other.add_member("sam")
    await fake_discord.dispatch("GUILD_CREATE", other.create_payload())  # the bot joins it
    rec = await fake_discord.slash(other, stranger, "active", township="Mese")
    msg = await rec.final()
    assert "No events" in msg.embed["description"]


async def test_concurrent_logs_all_land(sitrep, fake_discord, db_path):
    team = fake_discord.team
    recs = await asyncio.gather(*[
        fake_discord.slash(team.guild, team.member, "log", **{**MESE, "date": f"2023-10-{d:02d}"})
        for d in range(1, 21)])
    messages = await asyncio.gather(*[r.final(timeout=10) for r in recs])
    assert all(m.embed and m.embed["title"].startswith("Logged event") for m in messages)
    assert events_in(db_path) == 20
