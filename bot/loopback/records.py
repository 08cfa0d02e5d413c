"""What the loopback Discord recorded: messages the bot made and the interactions it answered.

Records are live: the fake mutates them as the bot edits, follows up or deletes, and wakes
waiters. Tests read them directly (``msg.content``) or wait on an ``InteractionRecord``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Channel, Guild, Member, User
    from .server import LoopbackServer

EPHEMERAL = 1 << 6
LOADING = 1 << 7
COMPONENTS_V2 = 1 << 15
CALLBACK_NAMES = {
    1: "PONG",
    4: "CHANNEL_MESSAGE_WITH_SOURCE",
    5: "DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE",
    6: "DEFERRED_UPDATE_MESSAGE",
    7: "UPDATE_MESSAGE",
    8: "APPLICATION_COMMAND_AUTOCOMPLETE_RESULT",
    9: "MODAL",
}


@dataclass(eq=False)
class Attachment:
    """A file the bot uploaded (or a user attached to a slash option), served by the fake."""

    id: int
    filename: str
    data: bytes
    url: str
    content_type: str = "application/octet-stream"
    description: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }
        if self.description is not None:
            data["description"] = self.description
        return data


@dataclass(frozen=True)
class Button:
    """A button as a user sees it (flattened out of rows, sections and containers)."""

    label: str | None
    custom_id: str | None
    disabled: bool
    style: int
    url: str | None = None
    emoji: str | None = None


def walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every component, depth first, through rows (1), sections (9), containers (17), labels."""
    for comp in components:
        yield comp
        children = list(comp.get("components") or [])
        if isinstance(comp.get("accessory"), dict):
            children.append(comp["accessory"])
        if isinstance(comp.get("component"), dict):
            children.append(comp["component"])
        yield from walk_components(children)


@dataclass(eq=False)
class Message:
    """A message the bot created; edits mutate it in place, ``history`` keeps old versions."""

    id: int
    channel_id: int
    guild_id: int | None
    author: dict[str, Any]
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    allowed_mentions: dict[str, Any] | None = None
    interaction: InteractionRecord | None = None
    type: int = 0
    webhook_id: int | None = None
    timestamp: str = ""
    edited_timestamp: str | None = None
    deleted: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """True while this is the "Bot is thinking..." placeholder of a type-5 defer."""
        return bool(self.flags & LOADING)

    @property
    def embed(self) -> dict[str, Any] | None:
        return self.embeds[0] if self.embeds else None

    @property
    def buttons(self) -> list[Button]:
        return [
            Button(
                label=c.get("label"),
                custom_id=c.get("custom_id"),
                disabled=bool(c.get("disabled", False)),
                style=int(c.get("style", 1)),
                url=c.get("url"),
                emoji=(c.get("emoji") or {}).get("name"),
            )
            for c in walk_components(self.components)
            if c.get("type") == 2
        ]

    @property
    def selects(self) -> list[dict[str, Any]]:
        return [c for c in walk_components(self.components) if c.get("type") in (3, 5, 6, 7, 8)]

    def button(self, label: str | None = None, *, custom_id: str | None = None) -> Button:
        for button in self.buttons:
            if (label is not None and button.label == label) or (
                custom_id is not None and button.custom_id == custom_id
            ):
                return button
        labels = [b.label or b.custom_id for b in self.buttons]
        raise AssertionError(
            f"message {self.id} has no button {label or custom_id!r}; buttons: {labels}"
        )

    def attachment(self, filename: str) -> Attachment:
        for att in self.attachments:
            if att.filename == filename:
                return att
        names = [a.filename for a in self.attachments]
        raise AssertionError(f"message {self.id} has no attachment {filename!r}; has {names}")

    def text(self) -> str:
        """The message as a person would read it (see ``render_text``)."""
        from .render_text import message_to_text

        return message_to_text(self)

    def payload(self) -> dict[str, Any]:
        """The message object as Discord returns it (REST replies, gateway events)."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "type": self.type,
            "author": self.author,
            "content": self.content,
            "embeds": self.embeds,
            "components": self.components,
            "attachments": [a.payload() for a in self.attachments],
            "flags": self.flags,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "pinned": False,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
            data["application_id"] = str(self.webhook_id)
        if self.interaction is not None:
            data["interaction_metadata"] = self.interaction.metadata()
        return data

    def snapshot(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "embeds": list(self.embeds),
            "components": list(self.components),
            "attachments": [a.filename for a in self.attachments],
            "flags": self.flags,
        }


@dataclass(frozen=True)
class Rejection:
    """A request the fake refused the way Discord would (the bot saw an HTTPException)."""

    method: str
    path: str
    status: int
    code: int
    body: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status} {self.code}: {self.body}"


@dataclass(frozen=True)
class Callback:
    """The bot's initial response to an interaction (POST .../callback)."""

    type: int
    data: dict[str, Any]
    message: Message | None

    @property
    def name(self) -> str:
        return CALLBACK_NAMES.get(self.type, str(self.type))


@dataclass(eq=False)
class InteractionRecord:
    """One interaction the fake sent to the bot, and everything the bot did in reply."""

    server: LoopbackServer
    id: int
    token: str
    type: int
    name: str
    guild: Guild | None
    channel: Channel
    user: Member | User
    payload: dict[str, Any]
    source_message: Message | None = None
    written_at: float | None = None
    created_wall: float = field(default_factory=time.time)
    callback: Callback | None = None
    original: Message | None = None
    followups: list[Message] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    changes: int = 0
    last_change: float = field(default_factory=time.monotonic)

    def touch(self) -> None:
        self.changes += 1
        self.last_change = time.monotonic()
        self.server.notify()

    def metadata(self) -> dict[str, Any]:
        user = self.user.user if hasattr(self.user, "user") else self.user
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "user": user.payload(),
            "authorizing_integration_owners": {},
        }
        if self.original is not None:
            data["original_response_message_id"] = str(self.original.id)
        return data

    # --- state, read synchronously ------------------------------------------------------------
    @property
    def acknowledged(self) -> bool:
        return self.callback is not None

    @property
    def message(self) -> Message:
        """The original response message (after a defer: the message the follow-up filled in)."""
        if self.original is None:
            raise AssertionError(f"{self.describe()} has no original response message yet")
        return self.original

    @property
    def content(self) -> str:
        return self.message.content

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.embeds

    @property
    def embed(self) -> dict[str, Any] | None:
        return self.message.embed

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.message.components

    @property
    def buttons(self) -> list[Button]:
        return self.message.buttons

    @property
    def attachments(self) -> list[Attachment]:
        return self.message.attachments

    @property
    def ephemeral(self) -> bool:
        return self.message.ephemeral

    @property
    def messages(self) -> list[Message]:
        return ([self.original] if self.original else []) + self.followups

    @property
    def modal_data(self) -> dict[str, Any] | None:
        cb = self.callback
        return cb.data if cb is not None and cb.type == 9 else None

    def describe(self) -> str:
        kinds = {2: "/", 3: "component ", 4: "autocomplete /", 5: "modal "}
        return f"interaction {kinds.get(self.type, '')}{self.name} ({self.id})"

    # --- waiting ------------------------------------------------------------------------------
    async def response(self, timeout: float = 2.0) -> Callback:
        """Wait for the initial callback; fails (AssertionError) if the fake rejected it."""
        await self.server.wait_until(
            lambda: self.callback is not None or self.rejections,
            timeout,
            f"the bot's initial response to {self.describe()}",
        )
        if self.callback is None:
            raise AssertionError(f"{self.describe()} was rejected: {self.rejections[0]}")
        return self.callback

    async def final(self, timeout: float = 2.0, quiet: float = 0.1) -> Message:
        """The settled original message: acknowledged, no longer loading, and unchanged for
        ``quiet`` seconds (edits and follow-ups that land later would otherwise be missed)."""
        callback = await self.response(timeout)
        if callback.type in (8, 9) or (callback.type == 6 and self.original is None):
            raise AssertionError(f"{self.describe()} answered with {callback.name}, no message")

        def settled() -> bool:
            if self.original is not None and self.original.loading and self.rejections:
                raise AssertionError(
                    f"{self.describe()} is still loading; the bot's reply was rejected: "
                    f"{self.rejections[-1]}")
            if self.original is None or self.original.loading:
                return False
            return time.monotonic() - self.last_change >= quiet

        await self.server.wait_until(
            settled, timeout, f"the final state of {self.describe()} (deferred, never completed?)"
        )
        return self.message

    async def followup(self, index: int = 0, timeout: float = 2.0) -> Message:
        """Wait until follow-up ``index`` (not counting one that filled a defer) exists."""
        await self.server.wait_until(
            lambda: len(self.followups) > index, timeout, f"follow-up #{index} of {self.describe()}"
        )
        return self.followups[index]

    async def rejected(self, timeout: float = 5.0) -> Rejection:
        """Wait until the fake has refused one of the bot's replies to this interaction."""
        await self.server.wait_until(
            lambda: bool(self.rejections), timeout, f"a rejected reply to {self.describe()}"
        )
        return self.rejections[0]

    async def choices(self, timeout: float = 2.0) -> list[dict[str, Any]]:
        callback = await self.response(timeout)
        if callback.type != 8:
            raise AssertionError(f"{self.describe()} answered {callback.name}, not autocomplete")
        return list(callback.data.get("choices", []))

    async def modal(self, timeout: float = 2.0) -> dict[str, Any]:
        callback = await self.response(timeout)
        if callback.type != 9:
            raise AssertionError(f"{self.describe()} answered {callback.name}, not a modal")
        return callback.data
