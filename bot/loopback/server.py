"""The loopback Discord core: an aiohttp app on 127.0.0.1 with the gateway, REST and records.

``LoopbackServer`` owns the world (guilds, bot user, synced commands) and what the bot did
(messages, interaction records). The test-facing verbs (``slash``, ``press``...) live in
``driver.FakeDiscord``, a subclass, so this module stays about serving and recording.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web

from . import limits
from .gateway import Gateway, OnWritten
from .models import Channel, Guild, User, iso_now, snowflake
from .records import LOADING, Attachment, InteractionRecord, Message, Rejection

T = TypeVar("T")
FileTuple = tuple[str, bytes, str]  # filename, data, content type
KEPT_FLAGS = (1 << 2) | (1 << 6) | (1 << 12) | (1 << 15)  # suppress embeds, ephemeral, silent, v2
GUILD_MESSAGES_INTENT = 1 << 9


def json_response(data: Any, status: int = 200) -> web.Response:
    """JSON with Content-Type exactly ``application/json`` (discord.py compares it verbatim)."""
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )


def error_response(status: int, code: int, message: str, errors: dict[str, Any] | None = None
                   ) -> web.Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return json_response(body, status)


class LoopbackServer:
    """Serves Discord's gateway and REST API on a free 127.0.0.1 port and records the bot."""

    def __init__(
        self,
        token: str = "loopback.bot.token",
        *,
        bot_name: str = "sitrep",
        app_id: int | None = None,
        response_deadline: float = 3.0,
        heartbeat_ms: int = 41250,
        granted_intents: int = -1,
        file_limit: int = limits.DEFAULT_FILE_LIMIT,
    ) -> None:
        """``token`` is the only one accepted (REST 401 / gateway 4004 otherwise).
        ``response_deadline``: seconds from INTERACTION_CREATE hitting the socket to the
        initial callback (Discord: 3). ``granted_intents``: privileged intent bits the app is
        allowed (-1 all; 0 makes a bot asking for members/presences/content fail with 4014).
        ``file_limit``: per-file upload cap (Discord's default 10 MiB)."""
        self.token = token
        self.app_id = app_id or snowflake()
        self.bot_user = User(self.app_id, bot_name, bot=True)
        self.owner = User(snowflake(), "app-owner")
        self.response_deadline = response_deadline
        self.token_lifetime = 15 * 60.0
        self.heartbeat_ms = heartbeat_ms
        self.granted_intents = granted_intents
        self.file_limit = file_limit
        self.guilds: list[Guild] = []
        self.dm_channels: dict[int, Channel] = {}  # user id -> DM channel
        self.team: Any = None  # the cast a fixture built (pytest_plugin.ResearchTeam)
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.messages: dict[int, Message] = {}
        self.attachments: dict[int, Attachment] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.requests: list[tuple[str, str, int]] = []
        self.unknown_requests: list[str] = []
        self.rejections: list[Rejection] = []
        self.pending_429: list[dict[str, Any]] = []
        self.guard_violations: list[str] = []
        self.resumes = 0
        self.bot_task: asyncio.Task[Any] | None = None
        self.gateway = Gateway(self)
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()

    # --- world -------------------------------------------------------------------------------
    def add_guild(self, name: str, *, owner: User | None = None, id: int | None = None) -> Guild:
        """A guild the bot is in (the bot is added as a member, as on Discord)."""
        guild = Guild(id or snowflake(), name, owner_id=(owner or self.owner).id)
        guild.add_member(self.bot_user)
        self.guilds.append(guild)
        return guild

    def guild(self, name: str) -> Guild:
        for guild in self.guilds:
            if guild.name == name:
                return guild
        raise KeyError(f"no guild {name!r}")

    def find_channel(self, channel_id: int) -> Channel | None:
        for guild in self.guilds:
            channel = guild.find_channel(channel_id)
            if channel is not None:
                return channel
        return None

    # --- lifecycle ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        from .rest import RestApi
        from .webhooks import InteractionApi

        app = web.Application(client_max_size=limits.MAX_REQUEST_BYTES + 1024 * 1024)
        rest = RestApi(self)
        app.middlewares.append(rest.middleware)
        app.add_routes(self.gateway.routes())
        app.add_routes(InteractionApi(self).routes())
        app.add_routes(rest.routes())
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> LoopbackServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- waiting -----------------------------------------------------------------------------
    def notify(self) -> None:
        """Wake every ``wait_until`` (called after any recorded change)."""
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    def check_bot_alive(self) -> None:
        task = self.bot_task
        if task is not None and task.done():
            exc = None if task.cancelled() else task.exception()
            raise AssertionError(f"the bot's start() task has ended: {exc!r}") from exc

    async def wait_until(self, predicate: Callable[[], T], timeout: float, what: str) -> T:
        """Poll ``predicate`` on every change; fail fast if the bot died, clearly on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._changed
            result = predicate()
            if result:
                return result
            self.check_bot_alive()
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = "\n  ".join(str(r) for r in self.rejections[-3:]) or "none"
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what}; recent rejections: {recent}"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, 0.05))

    # --- gateway -----------------------------------------------------------------------------
    async def dispatch(self, event: str, data: dict[str, Any], on_written: OnWritten | None = None
                       ) -> bool:
        return await self.gateway.dispatch(event, data, on_written)

    @property
    def connected(self) -> bool:
        session = self.gateway.session
        return session is not None and session.conn is not None

    # --- messages ----------------------------------------------------------------------------
    def store_attachment(self, channel_id: int, filename: str, data: bytes,
                         content_type: str = "application/octet-stream",
                         description: str | None = None) -> Attachment:
        att_id = snowflake()
        url = f"{self.base_url}/attachments/{channel_id}/{att_id}/{filename}"
        att = Attachment(att_id, filename, data, url, content_type, description)
        self.attachments[att_id] = att
        return att

    def _new_attachments(self, channel_id: int, payload: dict[str, Any], files: list[FileTuple],
                         old: list[Attachment]) -> list[Attachment]:
        """Resolve ``attachments`` entries: ids of kept attachments or indexes of new files."""
        meta = payload.get("attachments")
        if meta is None:
            fresh = [self.store_attachment(channel_id, f, d, ct) for f, d, ct in files]
            return old + fresh
        by_id = {a.id: a for a in old}
        result: list[Attachment] = []
        for entry in meta:
            ref = int(entry.get("id", -1))
            if ref in by_id:
                result.append(by_id[ref])
            elif 0 <= ref < len(files):
                name, data, ctype = files[ref]
                result.append(self.store_attachment(
                    channel_id, entry.get("filename") or name, data, ctype,
                    entry.get("description")))
        return result

    async def create_message(
        self, channel: Channel, payload: dict[str, Any], files: list[FileTuple], *,
        interaction: InteractionRecord | None = None, extra_flags: int = 0, msg_type: int = 0,
    ) -> Message:
        msg = Message(
            id=snowflake(),
            channel_id=channel.id,
            guild_id=channel.guild.id if channel.guild else None,
            author=self.bot_user.payload(),
            flags=(int(payload.get("flags") or 0) & KEPT_FLAGS) | extra_flags,
            interaction=interaction,
            type=msg_type,
            webhook_id=self.app_id if interaction is not None else None,
            timestamp=iso_now(),
        )
        self._apply(msg, payload, files)
        self.messages[msg.id] = msg
        await self._message_event("MESSAGE_CREATE", msg)
        self.notify()
        return msg

    def _apply(self, msg: Message, payload: dict[str, Any], files: list[FileTuple]) -> None:
        for key in ("content", "embeds", "components"):
            if key in payload:
                setattr(msg, key, payload[key] if payload[key] is not None else
                        ("" if key == "content" else []))
        if "allowed_mentions" in payload:
            msg.allowed_mentions = payload["allowed_mentions"]
        if "attachments" in payload or files:
            msg.attachments = self._new_attachments(msg.channel_id, payload, files, msg.attachments)

    async def edit_message(self, msg: Message, payload: dict[str, Any], files: list[FileTuple]
                           ) -> Message:
        msg.history.append(msg.snapshot())
        self._apply(msg, payload, files)
        if "flags" in payload and payload["flags"] is not None:
            keep = msg.flags & ~((1 << 2) | (1 << 12))
            msg.flags = keep | (int(payload["flags"]) & ((1 << 2) | (1 << 12) | (1 << 15)))
        msg.flags &= ~LOADING
        msg.edited_timestamp = iso_now()
        await self._message_event("MESSAGE_UPDATE", msg)
        if msg.interaction is not None:
            msg.interaction.touch()
        self.notify()
        return msg

    async def delete_message(self, msg: Message) -> None:
        msg.deleted = True
        if not msg.ephemeral and self._wants_messages():
            data = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
            if msg.guild_id is not None:
                data["guild_id"] = str(msg.guild_id)
            await self.dispatch("MESSAGE_DELETE", data)
        if msg.interaction is not None:
            msg.interaction.touch()
        self.notify()

    def _wants_messages(self) -> bool:
        session = self.gateway.session
        return session is not None and bool(session.intents & GUILD_MESSAGES_INTENT)

    async def _message_event(self, event: str, msg: Message) -> None:
        """Discord echoes the bot's own non-ephemeral messages on the gateway."""
        if msg.ephemeral or not self._wants_messages():
            return
        data = msg.payload()
        if msg.guild_id is not None:
            data["member"] = next(
                (m.payload(with_user=False) for g in self.guilds for m in g.members
                 if g.id == msg.guild_id and m.id == self.bot_user.id), None)
        await self.dispatch(event, data)

    # --- interaction bookkeeping -------------------------------------------------------------
    def new_interaction_token(self) -> str:
        return f"loopback-{secrets.token_urlsafe(24)}"

    def interaction_by_token(self, token: str) -> InteractionRecord | None:
        return next((r for r in self.interactions.values() if r.token == token), None)

    def token_expired(self, record: InteractionRecord) -> bool:
        return time.time() - record.created_wall > self.token_lifetime

    def channel_messages(self, channel: Channel | int) -> list[Message]:
        """Non-deleted messages the bot posted in a channel outside interactions, oldest first."""
        channel_id = getattr(channel, "id", channel)
        return [m for m in self.messages.values()
                if m.channel_id == channel_id and m.interaction is None and not m.deleted]
