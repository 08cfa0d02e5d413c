"""Pytest fixtures for loopback Discord tests.

Register once, in ``tests/conftest.py`` (top level)::

    pytest_plugins = ["bot.loopback.pytest_plugin"]

or per test module with the same line. The bot fixture belongs to the app (it knows how to build
``SitrepBot``); it should look like::

    @pytest.fixture
    async def bot(fake_discord, tmp_path):
        factory = lambda **kw: SitrepBot(settings, tmp_path / "t.db", **kw)
        async with loopback_bot(factory, fake_discord) as bot:
            await fake_discord.sync_commands(bot)
            yield bot
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from .driver import FakeDiscord
from .models import Channel, Guild, Member, Role

MANAGE_GUILD = 1 << 5


@dataclass
class ResearchTeam:
    """The standard test guild and its cast, by role in the story."""

    guild: Guild
    member_role: Role
    editor_role: Role
    editor: Member
    member: Member
    outsider: Member
    admin: Member
    general: Channel
    digest: Channel


def build_research_team(fake: FakeDiscord) -> ResearchTeam:
    """Guild "Research Team": roles Member/Editor, channels #general/#digest, and four people:
    an editor (Member+Editor), a member, an outsider (no role), an admin (Manage Server)."""
    guild = fake.add_guild("Research Team")
    member_role = guild.add_role("Member")
    editor_role = guild.add_role("Editor")
    general = guild.add_channel("general")
    digest = guild.add_channel("digest")
    return ResearchTeam(
        guild=guild,
        member_role=member_role,
        editor_role=editor_role,
        editor=guild.add_member("eddie", roles=[member_role, editor_role]),
        member=guild.add_member("mia", roles=[member_role]),
        outsider=guild.add_member("otto"),
        admin=guild.add_member("ada", roles=[member_role], permissions=MANAGE_GUILD),
        general=general,
        digest=digest,
    )


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started ``FakeDiscord`` with the Research Team guild; ``fake_discord.team`` holds it."""
    fake = FakeDiscord()
    fake.team = build_research_team(fake)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
