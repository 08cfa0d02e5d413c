"""Interaction callbacks and webhook follow-ups: where Discord's interaction rules bite.

Enforced as Discord does: the initial response within ``response_deadline`` (3 s) of the
INTERACTION_CREATE being written to the socket (else 404 10062), a single acknowledgement
(400 40060), callback types valid for the interaction type, message/modal/choice limits
(400 50035), and the documented quirk that the first follow-up after a type-5 defer edits the
loading message instead of creating one. Every refusal is kept on the interaction record.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import limits
from .records import EPHEMERAL, LOADING, Callback, InteractionRecord, Message, Rejection
from .rest import API, read_body
from .server import error_response, json_response

if TYPE_CHECKING:
    from .server import LoopbackServer

# interaction type -> callback types Discord accepts for it
ALLOWED_CALLBACKS = {1: {1}, 2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}


class InteractionApi:
    """``/interactions/{id}/{token}/callback`` and ``/webhooks/{app}/{token}[/messages/..]``."""

    def __init__(self, server: LoopbackServer) -> None:
        self.server = server

    def routes(self) -> list[web.RouteDef]:
        hook = f"{API}/webhooks/{{app}}/{{token}}"
        return [
            web.post(f"{API}/interactions/{{iid}}/{{token}}/callback", self.callback),
            web.post(hook, self.followup),
            web.get(f"{hook}/messages/{{message}}", self.get_message),
            web.patch(f"{hook}/messages/{{message}}", self.patch_message),
            web.delete(f"{hook}/messages/{{message}}", self.delete_message),
        ]

    def _reject(self, request: web.Request, record: InteractionRecord | None, status: int,
                code: int, message: str, errors: dict[str, Any] | None = None) -> web.Response:
        body: dict[str, Any] = {"code": code, "message": message}
        if errors:
            body["errors"] = errors
        rejection = Rejection(request.method, request.path, status, code, body)
        self.server.rejections.append(rejection)
        if record is not None:
            record.rejections.append(rejection)
            record.touch()
        return error_response(status, code, message, errors)

    # --- the initial response ------------------------------------------------------------------
    async def callback(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        server = self.server
        record = server.interactions.get(int(request.match_info["iid"]))
        if record is None or record.token != request.match_info["token"]:
            return self._reject(request, None, 404, 10062, "Unknown interaction")
        if record.written_at is None or arrived - record.written_at > server.response_deadline:
            late = ("never sent" if record.written_at is None
                    else f"{arrived - record.written_at:.2f}s after it was sent")
            return self._reject(request, record, 404, 10062, f"Unknown interaction ({late})")
        if record.callback is not None:
            return self._reject(request, record, 400, 40060,
                                "Interaction has already been acknowledged.")
        body, files = await read_body(request)
        if sum(len(f[1]) for f in files) > limits.MAX_REQUEST_BYTES:
            return self._reject(request, record, 413, 40005, "Request entity too large")
        kind = int(body.get("type", 0))
        data = body.get("data") or {}
        if kind not in ALLOWED_CALLBACKS.get(record.type, set()) or (
            kind == 7 and record.source_message is None
        ):
            return self._reject(request, record, 400, 50035, "Invalid Form Body", {"type": {
                "_errors": [{"code": "INTERACTION_RESPONSE_TYPE_INVALID",
                             "message": f"Callback type {kind} is not valid here"}]}})
        errors = self._validate(kind, data, files)
        if errors:
            return self._reject(request, record, 400, 50035, "Invalid Form Body", errors)
        if kind == 4 and limits.is_empty(data, len(files)):
            return self._reject(request, record, 400, 50006, "Cannot send an empty message")

        message: Message | None = None
        if kind == 4:
            msg_type = 20 if record.type == 2 else 0
            message = await server.create_message(record.channel, data, files,
                                                  interaction=record, msg_type=msg_type)
            record.original = message
        elif kind == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = await server.create_message(record.channel, {}, [], interaction=record,
                                                  extra_flags=flags, msg_type=20)
            record.original = message
        elif kind in (6, 7):
            record.original = message = record.source_message
            if kind == 7 and message is not None:
                await server.edit_message(message, data, files)
        record.callback = Callback(kind, data, message)
        record.touch()
        reply: dict[str, Any] = {
            "interaction": {
                "id": str(record.id),
                "type": record.type,
                "response_message_id": str(message.id) if message else None,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(message and message.ephemeral),
            },
            "resource": {"type": kind},
        }
        if kind in (4, 7) and message is not None:
            reply["resource"]["message"] = message.payload()
        return json_response(reply)

    def _validate(self, kind: int, data: dict[str, Any], files: list[Any]) -> dict[str, Any] | None:
        if kind in (4, 7):
            errors = limits.message_errors(data, [len(f[1]) for f in files],
                                           file_limit=self.server.file_limit)
            return {"data": errors} if errors else None
        if kind == 8:
            return limits.autocomplete_errors(data)
        if kind == 9:
            return limits.modal_errors(data)
        return None

    # --- follow-ups and @original ------------------------------------------------------------
    def _record(self, request: web.Request) -> tuple[InteractionRecord | None, web.Response | None]:
        server = self.server
        record = server.interaction_by_token(request.match_info["token"])
        if request.match_info["app"] != str(server.app_id) or record is None:
            return None, self._reject(request, None, 404, 10015, "Unknown Webhook")
        if server.token_expired(record):
            return None, self._reject(request, record, 401, 50027, "Invalid Webhook Token")
        if record.callback is None:
            return None, self._reject(request, record, 404, 10015, "Unknown Webhook")
        return record, None

    def _message(self, request: web.Request) -> tuple[InteractionRecord, Message] | web.Response:
        """The interaction and the message a message route names, or the rejection to send."""
        record, problem = self._record(request)
        if record is None:
            return problem  # type: ignore[return-value]
        ref = request.match_info["message"]
        if ref == "@original":
            msg = record.original
        else:
            msg = next((m for m in record.messages if str(m.id) == ref), None)
            if msg is None and record.source_message and str(record.source_message.id) == ref:
                msg = record.source_message
        if msg is None or msg.deleted:
            return self._reject(request, record, 404, 10008, "Unknown Message")
        return record, msg

    async def followup(self, request: web.Request) -> web.Response:
        record, problem = self._record(request)
        if record is None:
            return problem  # type: ignore[return-value]
        payload, files = await read_body(request)
        if sum(len(f[1]) for f in files) > limits.MAX_REQUEST_BYTES:
            return self._reject(request, record, 413, 40005, "Request entity too large")
        errors = limits.message_errors(payload, [len(f[1]) for f in files],
                                       file_limit=self.server.file_limit)
        if errors:
            return self._reject(request, record, 400, 50035, "Invalid Form Body", errors)
        if limits.is_empty(payload, len(files)):
            return self._reject(request, record, 400, 50006, "Cannot send an empty message")
        original = record.original
        if (record.callback and record.callback.type == 5 and original and original.loading
                and not original.deleted):  # once deleted, a follow-up is a new message
            message = await self.server.edit_message(original, payload, files)
        else:
            message = await self.server.create_message(record.channel, payload, files,
                                                       interaction=record, msg_type=0)
            record.followups.append(message)
        record.touch()
        if request.query.get("wait") in ("1", "true", "True"):
            return json_response(message.payload())
        return web.Response(status=204)

    async def get_message(self, request: web.Request) -> web.Response:
        found = self._message(request)
        return found if isinstance(found, web.Response) else json_response(found[1].payload())

    async def patch_message(self, request: web.Request) -> web.Response:
        found = self._message(request)
        if isinstance(found, web.Response):
            return found
        record, msg = found
        payload, files = await read_body(request)
        errors = limits.message_errors(payload, [len(f[1]) for f in files],
                                       file_limit=self.server.file_limit)
        if errors:
            return self._reject(request, record, 400, 50035, "Invalid Form Body", errors)
        await self.server.edit_message(msg, payload, files)
        record.touch()
        return json_response(msg.payload())

    async def delete_message(self, request: web.Request) -> web.Response:
        found = self._message(request)
        if isinstance(found, web.Response):
            return found
        record, msg = found
        await self.server.delete_message(msg)
        record.touch()
        return web.Response(status=204)
