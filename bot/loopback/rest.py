"""REST routes the bot calls with its token: login, command sync, channel messages, the CDN.

Interaction callbacks and webhook follow-ups (token-authenticated) are in ``webhooks.py``.
A route the fake does not know answers 404 and is recorded in ``unknown_requests``; the driver
fails the test on exit, so a new discord.py call surfaces as "add it to the fake" rather
than a silent NotFound swallowed by the bot.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import limits
from .models import snowflake
from .server import FileTuple, error_response, json_response

if TYPE_CHECKING:
    from .server import LoopbackServer

API = "/api/v10"
TOKENLESS = (f"{API}/interactions/", f"{API}/webhooks/")


async def read_body(request: web.Request) -> tuple[Any, list[FileTuple]]:
    """JSON body, or multipart ``payload_json`` + ``files[n]`` parts (ordered by n)."""
    if not request.content_type.startswith("multipart/"):
        raw = await request.read()
        return (json.loads(raw) if raw else {}), []
    payload: Any = {}
    files: dict[int, FileTuple] = {}
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        name = part.name or ""  # type: ignore[union-attr]
        data = await part.read()  # type: ignore[union-attr]
        if name == "payload_json":
            payload = json.loads(data)
        elif name.startswith("files["):
            index = int(name[6:-1])
            ctype = part.headers.get("Content-Type", "application/octet-stream")  # type: ignore[union-attr]
            files[index] = (part.filename or f"file{index}", bytes(data), ctype)  # type: ignore[union-attr]
    return payload, [files[i] for i in sorted(files)]


def form_error(errors: dict[str, Any]) -> web.Response:
    return error_response(400, 50035, "Invalid Form Body", errors)


class RestApi:
    """Bot-token REST routes plus the middleware (auth, request log, injected 429s)."""

    def __init__(self, server: LoopbackServer) -> None:
        self.server = server

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get(f"{API}/users/@me", self.me),
            web.get(f"{API}/users/{{user_id}}", self.user),
            web.get(f"{API}/oauth2/applications/@me", self.application),
            web.get(f"{API}/gateway", self.gateway_info),
            web.get(f"{API}/gateway/bot", self.gateway_info),
            web.get(f"{API}/applications/{{app}}/commands", self.get_commands),
            web.put(f"{API}/applications/{{app}}/commands", self.put_commands),
            web.get(f"{API}/applications/{{app}}/guilds/{{guild}}/commands", self.get_commands),
            web.put(f"{API}/applications/{{app}}/guilds/{{guild}}/commands", self.put_commands),
            web.get(f"{API}/channels/{{channel}}", self.get_channel),
            web.post(f"{API}/channels/{{channel}}/messages", self.post_message),
            web.post(f"{API}/channels/{{channel}}/typing", self.typing),
            web.get(f"{API}/channels/{{channel}}/messages/{{message}}", self.get_message),
            web.patch(f"{API}/channels/{{channel}}/messages/{{message}}", self.patch_message),
            web.delete(f"{API}/channels/{{channel}}/messages/{{message}}", self.delete_message),
            web.get(f"{API}/guilds/{{guild}}/members/{{user_id}}", self.get_member),
            web.get("/attachments/{channel}/{attachment}/{filename}", self.cdn),
            web.route("*", "/{tail:.*}", self.unknown),
        ]

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        server = self.server
        path = request.path
        needs_token = path.startswith(API) and not path.startswith(TOKENLESS)
        if needs_token and request.headers.get("Authorization") != f"Bot {server.token}":
            return error_response(401, 0, "401: Unauthorized")
        for rule in list(server.pending_429):
            if rule["path"] in path:
                server.pending_429.remove(rule)
                body = {"message": "You are being rate limited.", "code": 0,
                        "retry_after": rule["retry_after"], "global": rule["global"]}
                response = json_response(body, 429)
                response.headers["Via"] = "1.1 google"
                server.requests.append((request.method, path, 429))
                return response
        response = await handler(request)
        server.requests.append((request.method, path, response.status))
        return response

    # --- login -------------------------------------------------------------------------------
    async def me(self, request: web.Request) -> web.Response:
        me = self.server.bot_user.payload()
        return json_response({**me, "verified": True, "mfa_enabled": False, "flags": 0})

    async def user(self, request: web.Request) -> web.Response:
        uid = request.match_info["user_id"]
        for guild in self.server.guilds:
            for member in guild.members:
                if str(member.id) == uid:
                    return json_response(member.user.payload())
        return error_response(404, 10013, "Unknown User")

    async def application(self, request: web.Request) -> web.Response:
        server = self.server
        return json_response({
            "id": str(server.app_id), "name": server.bot_user.username, "description": "",
            "icon": None, "bot_public": False, "bot_require_code_grant": False,
            "owner": server.owner.payload(), "verify_key": "0" * 64, "flags": 0,
            "team": None, "summary": "", "bot": server.bot_user.payload(),
        })

    async def gateway_info(self, request: web.Request) -> web.Response:
        """``AutoShardedBot`` asks where to connect (a plain ``Bot`` never does)."""
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": self.server.gateway_url, "shards": 1,
                              "session_start_limit": limit})

    # --- commands ----------------------------------------------------------------------------
    def _scope(self, request: web.Request) -> tuple[int | None, web.Response | None]:
        server = self.server
        if request.match_info["app"] != str(server.app_id):
            return None, error_response(403, 50001, "Missing Access")
        guild = request.match_info.get("guild")
        if guild is None:
            return None, None
        if not any(str(g.id) == guild for g in server.guilds):
            return None, error_response(403, 50001, "Missing Access")
        return int(guild), None

    async def get_commands(self, request: web.Request) -> web.Response:
        scope, problem = self._scope(request)
        return problem or json_response(self.server.commands.get(scope, []))

    async def put_commands(self, request: web.Request) -> web.Response:
        scope, problem = self._scope(request)
        if problem:
            return problem
        body, _ = await read_body(request)
        if not isinstance(body, list):
            return form_error({"_errors": [{"code": "LIST_TYPE_CONVERT", "message": "Not a list"}]})
        errors = limits.command_errors(body)
        if errors:
            return form_error(errors)
        old = {(c["name"], c["type"]): c["id"] for c in self.server.commands.get(scope, [])}
        stored = []
        for cmd in body:
            kind = int(cmd.get("type", 1))
            perms = cmd.get("default_member_permissions")
            entry = {
                **cmd,
                "id": old.get((cmd["name"], kind)) or str(snowflake()),
                "application_id": str(self.server.app_id),
                "version": str(snowflake()),
                "type": kind,
                "description": cmd.get("description") or "",
                "default_member_permissions": None if perms is None else str(perms),
            }
            if scope is not None:
                entry["guild_id"] = str(scope)
            stored.append(entry)
        self.server.commands[scope] = stored
        self.server.notify()
        return json_response(stored)

    # --- channels ----------------------------------------------------------------------------
    def _channel(self, request: web.Request) -> Any:
        return self.server.find_channel(int(request.match_info["channel"]))

    def _message(self, request: web.Request) -> Any:
        msg = self.server.messages.get(int(request.match_info["message"]))
        if msg is None or msg.deleted or str(msg.channel_id) != request.match_info["channel"]:
            return None
        return msg

    async def get_channel(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        if channel is None:
            return error_response(404, 10003, "Unknown Channel")
        return json_response(channel.payload())

    async def typing(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def post_message(self, request: web.Request) -> web.Response:
        server = self.server
        channel = self._channel(request)
        if channel is None:
            return error_response(404, 10003, "Unknown Channel")
        payload, files = await read_body(request)
        sizes = [len(f[1]) for f in files]
        if sum(sizes) > limits.MAX_REQUEST_BYTES:
            return error_response(413, 40005, "Request entity too large")
        errors = limits.message_errors(payload, sizes, file_limit=server.file_limit)
        if errors:
            return form_error(errors)
        if limits.is_empty(payload, len(files)):
            return error_response(400, 50006, "Cannot send an empty message")
        if payload.get("flags", 0) & (1 << 6):  # ephemeral means nothing outside interactions
            payload = {**payload, "flags": payload["flags"] & ~(1 << 6)}
        msg = await server.create_message(channel, payload, files)
        return json_response(msg.payload())

    async def get_message(self, request: web.Request) -> web.Response:
        msg = self._message(request)
        if msg is None:
            return error_response(404, 10008, "Unknown Message")
        return json_response(msg.payload())

    async def patch_message(self, request: web.Request) -> web.Response:
        msg = self._message(request)
        if msg is None:
            return error_response(404, 10008, "Unknown Message")
        payload, files = await read_body(request)
        errors = limits.message_errors(payload, [len(f[1]) for f in files],
                                       file_limit=self.server.file_limit)
        if errors:
            return form_error(errors)
        await self.server.edit_message(msg, payload, files)
        return json_response(msg.payload())

    async def delete_message(self, request: web.Request) -> web.Response:
        msg = self._message(request)
        if msg is None:
            return error_response(404, 10008, "Unknown Message")
        await self.server.delete_message(msg)
        return web.Response(status=204)

    async def get_member(self, request: web.Request) -> web.Response:
        for guild in self.server.guilds:
            if str(guild.id) == request.match_info["guild"]:
                for member in guild.members:
                    if str(member.id) == request.match_info["user_id"]:
                        return json_response(member.payload())
                return error_response(404, 10007, "Unknown Member")
        return error_response(404, 10004, "Unknown Guild")

    async def cdn(self, request: web.Request) -> web.Response:
        att = self.server.attachments.get(int(request.match_info["attachment"]))
        if att is None or att.filename != request.match_info["filename"]:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=att.data, headers={"Content-Type": att.content_type})

    async def unknown(self, request: web.Request) -> web.Response:
        self.server.unknown_requests.append(f"{request.method} {request.path}")
        return error_response(404, 0, "404: Not Found (route not implemented by the loopback fake)")
