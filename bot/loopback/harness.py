"""Run a real discord.py bot against a started ``FakeDiscord`` for the length of a block.

    async with loopback_bot(lambda **kw: SitrepBot(settings, db_path, **kw), fake) as bot:
        await fake.sync_commands(bot)
        reply = await fake.slash(guild, member, "ping", who="alice")

The factory is called with ``http_trace`` (a guard that refuses any non-loopback host) and
``guild_ready_timeout=0.05``; pass them on to ``commands.Bot.__init__``. A factory that ignores
them still works: both are also applied to the instance, with a no-op ``before_identify_hook``
(discord.py sleeps 5 s before every non-first IDENTIFY). On exit the bot is closed and the test
fails if ``bot.start()`` died, a non-loopback host was contacted, or the bot called a REST route
the fake does not implement.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .driver import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
GUILD_READY_TIMEOUT = 0.05


def loopback_only_trace(fake: FakeDiscord | None = None) -> aiohttp.TraceConfig:
    """An aiohttp TraceConfig that raises on any request to a non-loopback host.

    One aiohttp session carries REST, webhooks, CDN downloads and the websocket, so this single
    hook covers everything discord.py can reach."""

    async def on_request_start(session: Any, ctx: Any, params: aiohttp.TraceRequestStartParams
                               ) -> None:
        if params.url.host not in LOOPBACK_HOSTS:
            if fake is not None:
                fake.guard_violations.append(str(params.url))
            raise RuntimeError(f"loopback guard: discord.py tried to reach {params.url}")

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request_start)
    return trace


async def _no_identify_delay(shard_id: int | None, *, initial: bool = False) -> None:
    """Replaces ``Client.before_identify_hook`` (a 5 s sleep before re-IDENTIFY)."""


def apply_speedups(bot: discord.Client, trace: aiohttp.TraceConfig) -> None:
    """Make a constructed client loopback-safe and fast, whatever its constructor accepted."""
    if bot.http.http_trace is None:
        bot.http.http_trace = trace
    bot._connection.guild_ready_timeout = min(bot._connection.guild_ready_timeout,
                                              GUILD_READY_TIMEOUT)
    bot.before_identify_hook = _no_identify_delay  # type: ignore[method-assign]


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Any:
    """Point discord.py's REST base and default gateway at the fake; restore afterwards."""
    saved_base, saved_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = fake.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved_base, saved_gateway


async def _wait_ready(bot: discord.Client, task: asyncio.Task[None], timeout: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not bot.is_ready():
        if task.done():
            exc = None if task.cancelled() else task.exception()
            raise AssertionError(f"bot.start() ended before READY: {exc!r}") from exc
        if loop.time() > deadline:
            raise AssertionError(f"the bot was not ready within {timeout}s of start()")
        await asyncio.sleep(0.005)


async def _shutdown(bot: discord.Client, task: asyncio.Task[None]) -> BaseException | None:
    """Close the client and collect how ``start()`` ended (None if it returned cleanly)."""
    if not bot.is_closed():
        await bot.close()
    try:
        await asyncio.wait_for(asyncio.shield(task), 5)
    except TimeoutError:
        task.cancel()
        return AssertionError("bot.start() did not return within 5s of bot.close()")
    except asyncio.CancelledError:
        return None
    except BaseException as exc:
        return exc
    return None


@contextlib.asynccontextmanager
async def loopback_bot(
    bot_factory: Callable[..., ClientT] | ClientT,
    fake: FakeDiscord,
    *,
    ready_timeout: float = 5.0,
    strict_routes: bool = True,
) -> AsyncIterator[ClientT]:
    """Start a real discord.py client against ``fake`` and yield it once READY.

    ``bot_factory`` is called with ``http_trace=`` and ``guild_ready_timeout=`` keyword
    arguments (or may be an already constructed, never started client)."""
    trace = loopback_only_trace(fake)
    with pointed_at(fake):
        if isinstance(bot_factory, discord.Client):
            bot = bot_factory
        else:
            bot = bot_factory(http_trace=trace, guild_ready_timeout=GUILD_READY_TIMEOUT)
        apply_speedups(bot, trace)
        task = asyncio.create_task(bot.start(fake.token), name="loopback-bot")
        fake.bot_task = task
        try:
            await _wait_ready(bot, task, ready_timeout)
            yield bot
        finally:
            died = await _shutdown(bot, task)
            fake.bot_task = None
    if died is not None:
        raise AssertionError(f"bot.start() died: {died!r}") from died
    if fake.guard_violations:
        raise AssertionError(f"the bot tried to reach non-loopback hosts: {fake.guard_violations}")
    if strict_routes and fake.unknown_requests:
        raise AssertionError(
            "the bot called REST routes the loopback fake does not implement "
            f"(add them to bot/loopback/rest.py): {fake.unknown_requests}")
