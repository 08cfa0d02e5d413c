"""The digest through the real discord.py client against the loopback Discord, on a fake clock:
the scheduler posts once per local day whatever restarts, reconnects or kills happen."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from conftest import log
from test_digest import DAY, at, local  # noqa: F401  (at is a fixture)

from bot import digest_schedule, guild_settings
from bot.app import SitrepBot
from bot.config import Settings
from bot.db import open_db
from bot.loopback import loopback_bot

pytestmark = pytest.mark.e2e
NEXT = DAY + timedelta(days=1)


class FakeClock:
    """What ``SitrepBot(clock=...)`` reads; tests set it instead of sleeping."""

    def __init__(self, start: datetime) -> None:
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment.astimezone(UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(local(DAY, 10))


@pytest.fixture
def store(fake_discord, db_path, clock):
    """The team configured at 10:00 on 10 Nov (Yangon): digest to #digest at 08:00."""
    team = fake_discord.team
    db = open_db(db_path)
    guild_settings.save(db, team.guild.id, by="setup", member_role=team.member_role.id,
                        editor_role=team.editor_role.id, digest_channel=team.digest.id,
                        now=clock())
    yield db
    db.close()


@contextlib.asynccontextmanager
async def running(fake, db_path, clock) -> AsyncIterator:
    """One bot process, from start (its first digest check done) to shutdown."""
    settings = Settings(db_path=db_path)
    async with loopback_bot(lambda **kw: SitrepBot(settings, clock=clock, **kw), fake) as bot:
        await fake.sync_commands(bot)
        cog = bot.get_cog("Digest")
        await fake.wait_until(lambda: cog.checks >= 1, 5, "the first digest check")
        yield cog


def posted(fake) -> list:
    return fake.channel_messages(fake.team.digest)


async def slash(fake, user, command, **options):
    return await (await fake.slash(fake.team.guild, user, command, **options)).final(timeout=5)


async def test_crossing_the_time_posts_once_across_reconnects_and_restarts(
        fake_discord, db_path, clock, store, at):  # noqa: F811
    at(local(DAY, 12))
    log(store, fatalities=3, guild_id=fake_discord.team.guild.id)
    async with running(fake_discord, db_path, clock) as cog:
        clock.set(local(NEXT, 7, 59))
        assert await cog.tick() == [] and posted(fake_discord) == []
        clock.set(local(NEXT, 8, 0, 30))
        assert [o.state for o in await cog.tick()] == ["posted"]
        [message] = posted(fake_discord)
        assert message.attachment("digest-2023-11-10.png").data.startswith(b"\x89PNG\r\n\x1a\n")
        embed = message.embed
        assert embed["title"] == "Daily digest · Fri 10 Nov 2023"
        assert embed["image"]["url"] == "attachment://digest-2023-11-10.png"
        assert "1 event logged, 3 reported fatalities" in embed["description"]
        assert "<t:1699551000:f>" in embed["description"]  # 00:00 Yangon, as a Discord stamp
        assert message.allowed_mentions == {"parse": []}
        assert await cog.tick() == []
        resumes = fake_discord.resumes
        await fake_discord.reconnect()  # op 7: the client RESUMEs
        await fake_discord.drop_connection()  # the socket dies: it RESUMEs again
        await fake_discord.wait_until(lambda: fake_discord.resumes == resumes + 2, 5,
                                      "two RESUMEs")
        assert await cog.tick() == []
    clock.set(local(NEXT, 9))
    async with running(fake_discord, db_path, clock) as cog:  # a restart the same day
        assert await cog.tick() == []
    assert len(posted(fake_discord)) == 1
    assert fake_discord.channel_messages(fake_discord.team.general) == []


async def test_days_missed_while_offline_are_posted_late_on_start(fake_discord, db_path, clock,
                                                                 store, at):  # noqa: F811
    gid = fake_discord.team.guild.id
    at(local(DAY, 12))
    log(store, guild_id=gid)
    at(local(NEXT, 12))
    log(store, guild_id=gid, township="Lashio", actors=["MNDAA"], event_type="Armed clash")
    clock.set(local(NEXT + timedelta(days=1), 9))  # offline through the 11 Nov slot and 12 Nov's
    async with running(fake_discord, db_path, clock):
        messages = posted(fake_discord)  # the check made on start posted them
    assert [m.embed["title"] for m in messages] == ["Daily digest · Fri 10 Nov 2023 · late",
                                                   "Daily digest · Sat 11 Nov 2023 · late"]
    assert messages[0].embed["description"].startswith("Posted late: this digest was due <t:")
    assert "Lashio" in messages[1].embed["description"]
    runs = digest_schedule.runs(store, gid)
    assert all(r.state == "posted" and r.late for r in runs.values())


@pytest.mark.reliability  # issue 8: killed between claiming and posting
async def test_a_claim_left_by_a_killed_process_is_posted_once_after_its_lease(
        fake_discord, db_path, clock, store):
    clock.set(local(NEXT, 8, 0, 10))
    [due] = digest_schedule.due(store, clock())
    assert digest_schedule.claim(store, due, "killed-before-posting", clock())
    clock.set(local(NEXT, 8, 1))
    async with running(fake_discord, db_path, clock) as cog:
        assert posted(fake_discord) == []  # the lease may belong to a live process: wait
        clock.set(local(NEXT, 8, 0, 10) + digest_schedule.LEASE)
        assert [o.state for o in await cog.tick()] == ["posted"]
        assert await cog.tick() == []
    [message] = posted(fake_discord)
    assert "late" not in message.embed["title"]


async def test_a_failed_post_releases_the_claim_and_status_tells_editors(
        fake_discord, db_path, clock, store):
    team = fake_discord.team
    guild_settings.save(store, team.guild.id, by="setup", digest_channel=424242, now=clock())
    clock.set(local(NEXT, 8, 0, 30))
    async with running(fake_discord, db_path, clock) as cog:
        assert posted(fake_discord) == []
        status = await slash(fake_discord, team.editor, "digest status")
        assert status.ephemeral
        fields = {f["name"]: f["value"] for f in status.embed["fields"]}
        assert "no longer exists" in fields["Needs attention"]
        assert fields["Last posted"] == "never"
        assert await cog.tick() == []  # waits RETRY_AFTER before trying again
        fixed = await slash(fake_discord, team.editor, "digest config", channel=team.digest)
        assert fixed.ephemeral and str(team.digest.id) in str(fixed.embed["fields"])
        now = await slash(fake_discord, team.editor, "digest now")
        assert now.ephemeral and now.content.startswith("Posted the digest for 10 Nov 2023")
        again = await slash(fake_discord, team.editor, "digest now")
        assert "already posted: https://discord.com/channels/" in again.content
        status = await slash(fake_discord, team.member, "digest status")
        fields = {f["name"]: f["value"] for f in status.embed["fields"]}
        assert fields["Last posted"].startswith("2023-11-10 at <t:")
        assert "Needs attention" not in fields
    assert len(posted(fake_discord)) == 1


async def test_preview_is_private_and_now_and_config_are_for_editors(fake_discord, db_path,
                                                                    clock, store, at):  # noqa: F811
    team = fake_discord.team
    at(local(DAY, 12))
    log(store, guild_id=team.guild.id, notes="@everyone look")
    clock.set(local(NEXT, 7))
    async with running(fake_discord, db_path, clock):
        preview = await slash(fake_discord, team.outsider, "digest preview")
        assert preview.ephemeral and preview.embed["title"] == "Daily digest · Fri 10 Nov 2023"
        assert preview.attachment("digest-2023-11-10.png").data.startswith(b"\x89PNG")
        today = await slash(fake_discord, team.member, "digest preview", date="today")
        assert "not over yet" in today.embed["description"]
        bad = await slash(fake_discord, team.member, "digest preview", date="Nov 2023")
        assert bad.ephemeral and "one day" in bad.content
        refused = await slash(fake_discord, team.member, "digest now")
        assert refused.ephemeral and str(team.editor_role.id) in refused.content
        refused = await slash(fake_discord, team.member, "digest config", time="09:00")
        assert refused.ephemeral and str(team.editor_role.id) in refused.content
        zone = await slash(fake_discord, team.editor, "digest config", timezone="Mars/Base")
        assert zone.ephemeral and "not a time zone" in zone.content
        choices = await fake_discord.autocomplete(team.guild, team.editor, "digest config",
                                                  focused="timezone", timezone="yang")
        assert choices[0]["value"] == "Asia/Yangon"
        assert posted(fake_discord) == []  # a preview never posts
    assert not fake_discord.rejections


async def test_a_long_digest_is_split_into_parts_within_discords_limits(
        fake_discord, db_path, clock, store, at):  # noqa: F811
    gid = fake_discord.team.guild.id
    at(local(DAY, 12))
    for row in list(store["townships"].rows)[:150]:  # 150 townships active for the first time
        log(store, guild_id=gid, township=row["pcode"], date="2023-11-09")
    clock.set(local(NEXT, 8, 1))
    async with running(fake_discord, db_path, clock):
        messages = posted(fake_discord)
    assert len(messages) >= 2 and not fake_discord.rejections
    assert messages[0].embed["title"].endswith(f"(1/{len(messages)})")
    assert [len(m.attachments) for m in messages] == [1] + [0] * (len(messages) - 1)
    text = "\n".join(m.embed["description"] for m in messages)
    assert text.count(" · 1 event") == 150  # every township listed, none cut
    run = digest_schedule.get_run(store, gid, DAY)
    assert run.state == "posted" and run.message_ids == [m.id for m in messages]
