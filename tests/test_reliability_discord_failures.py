"""Discord failing under the bot: 429s (with retry-after), 500s, lost responses and a dropped
gateway. Replies still arrive (or a clear error is logged), the bot resumes, and the digest is
posted once.

The loopback fake answers 429s itself (``inject_429``). For 5xx this module serves the fake
through ``FlakyRest``: a 500 either before the request is processed (nothing happened) or
after it (it happened and the response was lost, the case that double-posts unless the
client can prove a retry is a retry). Like Discord, it honours ``enforce_nonce``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from aiohttp import web
from conftest import log
from test_digest import DAY, at, local  # noqa: F401  (at is a fixture)
from test_digest_e2e import FakeClock
from test_reliability_support import LOG, audit_messages, running_bot, settle

from bot import digest_schedule, guild_settings
from bot.db import open_db
from bot.loopback import rest
from bot.loopback.driver import FakeDiscord
from bot.loopback.pytest_plugin import build_research_team
from bot.loopback.server import error_response
from cogs import common

pytestmark = [pytest.mark.reliability, pytest.mark.e2e]


class FlakyRest(rest.RestApi):
    """The fake's REST API, answering chosen requests with a 5xx before or after handling
    them (ahead of any 429 injected for the same path)."""

    @web.middleware
    async def middleware(self, request: web.Request, handler):
        server = self.server
        for rule in list(server.failures):
            if rule["path"] in request.path and request.method == rule["method"]:
                server.failures.remove(rule)
                if rule["after"]:
                    await handler(request)  # Discord did it; the answer is what gets lost
                server.injected.append((request.method, request.path, rule["status"],
                                        rule["after"]))
                return error_response(rule["status"], 0, f"{rule['status']}: Server Error")
        return await super().middleware(request, handler)


def honour_enforce_nonce(fake: FakeDiscord) -> None:
    """Like Discord: a channel message repeating a recent nonce with ``enforce_nonce`` gets
    the earlier message back instead of a second one."""
    create = fake.create_message

    async def create_message(channel, payload, files, **kwargs):
        nonce = payload.get("nonce")
        if nonce is None or not payload.get("enforce_nonce") or kwargs.get("interaction"):
            return await create(channel, payload, files, **kwargs)
        key = (channel.id, str(nonce))
        if key not in fake.nonces:
            fake.nonces[key] = (await create(channel, payload, files, **kwargs)).id
        return fake.messages[fake.nonces[key]]

    fake.create_message = create_message


@pytest.fixture
async def flaky(monkeypatch):
    monkeypatch.setattr(rest, "RestApi", FlakyRest)  # the fake builds its REST API on start
    fake = FakeDiscord()
    fake.team = build_research_team(fake)
    fake.failures, fake.injected, fake.nonces = [], [], {}
    honour_enforce_nonce(fake)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


def fail(fake, path: str, status: int = 500, *, method: str = "POST", after: bool = False,
         times: int = 1) -> None:
    fake.failures += [{"path": path, "status": status, "method": method, "after": after}
                      for _ in range(times)]


async def test_replies_arrive_through_429s_and_500s(flaky, db_path, monkeypatch):
    team = flaky.team
    async with running_bot(flaky, db_path) as bot:
        # Initial responses (interaction callbacks) meet three 429s and a 500.
        flaky.inject_429("/callback", retry_after=0.05, times=3)
        fail(flaky, "/callback", 500)
        records = await asyncio.gather(*[
            flaky.slash(team.guild, team.member, "log", **{**LOG, "date": f"2023-10-{d:02d}"})
            for d in range(1, 6)], flaky.slash(team.guild, team.member, "summary"))
        replies = [await settle(flaky, r, timeout=15) for r in records]
        assert all(m.embed["title"].startswith("Logged event") for m in replies[:5])
        assert replies[5].embed["title"].startswith("Summary")
        # Deferred answers are follow-ups (webhooks): two 429s and a 500 there.
        monkeypatch.setattr(common, "DEFER_AFTER", 0)
        flaky.inject_429("/webhooks/", retry_after=0.05, times=2)
        fail(flaky, "/webhooks/", 500)
        records = await asyncio.gather(*[
            flaky.slash(team.guild, team.member, "log", **{**LOG, "date": f"2023-10-{d:02d}"})
            for d in range(6, 9)])
        replies = [await settle(flaky, r, timeout=15) for r in records]
        assert all(r.callback.type == 5 for r in records)
        assert all(m.embed["title"].startswith("Logged event") for m in replies)
        # A correction's announcement in the channel: a 429 and a 502.
        monkeypatch.setattr(common, "DEFER_AFTER", 1.0)
        ask = await settle(flaky, await flaky.slash(team.guild, team.editor, "admin delete",
                                                    id=1, reason="dup"))
        flaky.inject_429("/webhooks/", retry_after=0.05)
        fail(flaky, "/webhooks/", 502)
        press = await flaky.press(ask, "Confirm", user=team.editor)
        notice = await press.followup(0, timeout=15)
        assert "deleted event #1" in notice.content
        assert bot.is_ready()
    rate_limited = sum(1 for _, _, status in flaky.requests if status == 429)
    assert rate_limited == 6 and len(flaky.injected) == 3 and not flaky.failures
    assert not flaky.pending_429
    assert open_db(db_path)["events"].count == 8
    audit_messages(flaky)
    print(f"\n[discord failures] {rate_limited} answers of 429 and {len(flaky.injected)} of "
          "5xx on callbacks, follow-ups and announcements: every reply delivered, 8 events "
          "stored once")


async def test_a_lost_response_is_logged_clearly_and_nothing_is_doubled(flaky, db_path, caplog):
    """Discord stored the reply, then the response was lost (a 500 after the fact): the
    retry is refused as already acknowledged. The user has the reply, the event is stored
    once, and the log says what happened."""
    team = flaky.team
    async with running_bot(flaky, db_path):
        fail(flaky, "/callback", 500, after=True)
        with caplog.at_level(logging.WARNING):
            rec = await flaky.slash(team.guild, team.member, "log", **LOG)
            await flaky.wait_until(lambda: rec.rejections, 10, "the retried callback")
            await asyncio.sleep(0.3)
        assert rec.original.embed["title"] == "Logged event #1"  # the user has the answer
        assert [r.code for r in rec.rejections] == [40060] * len(rec.rejections)
        again = await settle(flaky, await flaky.slash(team.guild, team.member, "show", id=1))
        assert again.embed["title"] == "Event #1"  # and the bot carries on
    assert open_db(db_path)["events"].count == 1
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING
              and r.name.startswith("sitrep")]
    assert logged, "the failure to answer was not logged"
    print(f"\n[discord failures] a lost callback response: reply shown once, 1 event stored, "
          f"logged as {logged[-1].getMessage()!r:.90}")


async def test_the_bot_resumes_after_the_gateway_drops_mid_burst(flaky, db_path):
    team = flaky.team
    async with running_bot(flaky, db_path) as bot:
        resumes = flaky.resumes
        first = [await flaky.slash(team.guild, team.member, "log",
                                   **{**LOG, "date": f"2023-10-{d:02d}"}) for d in range(1, 6)]
        await flaky.drop_connection()  # Discord closes the socket (code 4000)
        during = [await flaky.slash(team.guild, team.member, "log",
                                    **{**LOG, "date": f"2023-10-{d:02d}"}) for d in range(6, 11)]
        await flaky.wait_until(lambda: flaky.resumes > resumes and flaky.connected, 5,
                               "the client to RESUME")
        await flaky.reconnect()  # op 7: Discord asks for a reconnect
        await flaky.invalidate_session()  # op 9: a fresh session, a new IDENTIFY
        after = await flaky.slash(team.guild, team.member, "log", **{**LOG, "date": "2023-10-11"})
        replies = [await settle(flaky, r, timeout=10) for r in [*first, *during, after]]
        assert all(m.embed["title"].startswith("Logged event") for m in replies)
        assert bot.is_ready()
        identifies = sum(1 for kind, _ in flaky.gateway.log if kind == "identify")
    assert open_db(db_path)["events"].count == 11
    print(f"\n[discord failures] gateway dropped mid-burst, then op 7 and op 9: "
          f"{flaky.resumes - resumes} RESUMEs, {identifies} IDENTIFYs, 11 of 11 /log answered "
          "and stored once")


async def test_the_digest_is_posted_once_through_429s_and_lost_responses(flaky, db_path, at):  # noqa: F811
    team = flaky.team
    clock = FakeClock(local(DAY, 10))
    store = open_db(db_path)
    guild_settings.save(store, team.guild.id, by="setup", member_role=team.member_role.id,
                        editor_role=team.editor_role.id, digest_channel=team.digest.id,
                        now=clock())
    at(local(DAY, 12))
    log(store, fatalities=3, guild_id=team.guild.id)
    path = f"/channels/{team.digest.id}/messages"
    async with running_bot(flaky, db_path, setup=False, clock=clock) as bot:
        cog = bot.get_cog("Digest")
        await flaky.wait_until(lambda: cog.checks >= 1, 5, "the first digest check")
        fail(flaky, path, 500, after=True)  # stored, and the response was lost
        fail(flaky, path, 500)  # not stored
        flaky.inject_429(path, retry_after=0.05, times=2)
        clock.set(local(DAY + timedelta(days=1), 8, 0, 30))
        assert [o.state for o in await cog.tick()] == ["posted"]
        assert await cog.tick() == []
    posted = flaky.channel_messages(team.digest)
    assert len(posted) == 1, [m.embed["title"] for m in posted]
    run = digest_schedule.get_run(store, team.guild.id, DAY)
    assert run.state == "posted" and run.message_ids == [posted[0].id]
    assert len(flaky.injected) == 2 and not flaky.failures
    store.close()
    print("\n[discord failures] digest through 2 x 429, a 500 and a lost response: posted once")
