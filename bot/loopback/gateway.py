"""The fake gateway: HELLO, heartbeats, IDENTIFY/READY, RESUME with replay, op 7/9, chunking.

Events live in a ``Session`` (one per IDENTIFY) with their sequence numbers, so a RESUME after a
drop replays exactly what the client missed. The time an event is *written to the socket* is
reported back (``on_written``), because Discord's 3-second interaction deadline starts then.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .server import LoopbackServer

log = logging.getLogger(__name__)
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
OnWritten = Callable[[float], None]


class Connection:
    """One websocket; serialises writes so zlib-stream frames stay in order."""

    def __init__(self, ws: web.WebSocketResponse, compress: bool, path: str) -> None:
        self.ws = ws
        self.path = path
        self.compressor = zlib.compressobj() if compress else None
        self.lock = asyncio.Lock()

    async def send(self, frame: dict[str, Any]) -> float:
        """Write one frame; returns the monotonic time it was handed to the socket."""
        text = json.dumps(frame, separators=(",", ":"))
        async with self.lock:
            if self.compressor is not None:
                blob = self.compressor.compress(text.encode()) + self.compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await self.ws.send_bytes(blob)
            else:
                await self.ws.send_str(text)
            return time.monotonic()


@dataclass(eq=False)
class Session:
    """A gateway session: the dispatched events (kept for replay) and the live connection."""

    id: str
    intents: int
    seq: int = 0
    events: list[tuple[dict[str, Any], OnWritten | None]] = field(default_factory=list)
    conn: Connection | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # keeps replay and dispatch in order


class Gateway:
    """Websocket endpoint(s) of the fake. ``/gateway`` and ``/resume-gateway`` behave alike."""

    def __init__(self, server: LoopbackServer) -> None:
        self.server = server
        self.session: Session | None = None
        self.connections: list[Connection] = []
        self.log: list[tuple[str, str]] = []  # ("identify"|"resume", path) in order
        self.queries: list[dict[str, str]] = []  # each connection's query (v, encoding, compress)

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/gateway", self.handle), web.get("/resume-gateway", self.handle)]

    # --- dispatch -------------------------------------------------------------------------------
    async def dispatch(self, event: str, data: dict[str, Any], on_written: OnWritten | None = None
                       ) -> bool:
        """Send an op-0 event on the current session; kept for replay if the socket is down."""
        session = self.session
        if session is None:
            return False
        async with session.lock:
            session.seq += 1
            frame = {"op": 0, "t": event, "s": session.seq, "d": data}
            session.events.append((frame, on_written))
            if session.conn is not None:
                await self._write(session, session.conn, frame, on_written)
        return True

    async def _write(self, session: Session, conn: Connection, frame: dict[str, Any],
                     on_written: OnWritten | None) -> None:
        try:
            written = await conn.send(frame)
        except (ConnectionError, RuntimeError) as exc:  # closing socket: replay on RESUME
            log.debug("gateway write failed (%s); event %s kept for replay", exc, frame["s"])
            if session.conn is conn:
                session.conn = None
            return
        if on_written is not None:
            on_written(written)

    async def send_op(self, op: int, data: Any = None) -> None:
        """Send a non-dispatch opcode (7 RECONNECT, 9 INVALID_SESSION) on the live socket."""
        if self.session is None or self.session.conn is None:
            raise AssertionError("the bot is not connected to the loopback gateway")
        await self.session.conn.send({"op": op, "d": data})

    async def close_socket(self, code: int) -> None:
        if self.session is not None and self.session.conn is not None:
            await self.session.conn.ws.close(code=code)

    async def close_all(self) -> None:
        for conn in list(self.connections):
            await conn.ws.close(code=1001)

    # --- the websocket ------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        conn = Connection(ws, request.query.get("compress") == "zlib-stream", request.path)
        self.queries.append(dict(request.query))
        self.connections.append(conn)
        try:
            await conn.send({"op": 10, "d": {"heartbeat_interval": self.server.heartbeat_ms}})
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                await self._on_frame(conn, frame, request.path)
        except ConnectionError:
            pass
        finally:
            self.connections.remove(conn)
            if self.session is not None and self.session.conn is conn:
                self.session.conn = None
            self.server.notify()
        return ws

    async def _on_frame(self, conn: Connection, frame: dict[str, Any], path: str) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            await conn.send({"op": 11})
        elif op == 2:
            await self._identify(conn, data or {}, path)
        elif op == 6:
            await self._resume(conn, data or {}, path)
        elif op == 8:
            await self._request_members(conn, data or {})
        elif op not in (3, 4):
            log.warning("loopback gateway ignored op %s", op)

    async def _identify(self, conn: Connection, data: dict[str, Any], path: str) -> None:
        server = self.server
        if data.get("token") != server.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents") or 0)
        if intents & PRIVILEGED_INTENTS & ~server.granted_intents:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        self.log.append(("identify", path))
        if self.session is not None and self.session.conn is not None:
            await self.session.conn.ws.close(code=4000)
        session = Session(id=secrets.token_hex(16), intents=intents)
        self.session, session.conn = session, conn
        ready = {
            "v": 10,
            "user": server.bot_user.payload(),
            "session_id": session.id,
            "resume_gateway_url": f"ws://127.0.0.1:{server.port}/resume-gateway",
            "guilds": [{"id": str(g.id), "unavailable": True} for g in server.guilds],
            "application": {"id": str(server.app_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "session_type": "normal",
        }
        if data.get("shard"):
            ready["shard"] = data["shard"]
        await self.dispatch("READY", ready)
        for guild in server.guilds:
            await self.dispatch("GUILD_CREATE", guild.create_payload())
        server.notify()

    async def _resume(self, conn: Connection, data: dict[str, Any], path: str) -> None:
        if data.get("token") != self.server.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        session = self.session
        if session is None or data.get("session_id") != session.id:
            await conn.send({"op": 9, "d": False})
            return
        self.log.append(("resume", path))
        async with session.lock:
            old, session.conn = session.conn, conn
            if old is not None and old is not conn:
                await old.ws.close(code=4000)
            last = int(data.get("seq") or 0)
            for frame, on_written in list(session.events):
                if frame["s"] > last:
                    await self._write(session, conn, frame, on_written)
        await self.dispatch("RESUMED", {})
        self.server.resumes += 1
        self.server.notify()

    async def _request_members(self, conn: Connection, data: dict[str, Any]) -> None:
        wanted_guild = str(data.get("guild_id"))
        guild = next((g for g in self.server.guilds if str(g.id) == wanted_guild), None)
        if guild is None:
            return
        wanted = {str(u) for u in data.get("user_ids") or []}
        members = [m for m in guild.members if not wanted or str(m.id) in wanted]
        chunk = {
            "guild_id": str(guild.id),
            "members": [m.payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)
