"""The test-facing verbs: sync commands, run a slash command, press a button, submit a modal.

``FakeDiscord`` plays the Discord *client* side: it builds INTERACTION_CREATE payloads the way
Discord does (typed from the synced command tree, carrying the member and its permissions) and
refuses what a person could not do in the Discord app (a command the member cannot see, a
disabled button, a missing required option). Each verb returns an ``InteractionRecord`` to
await (``await rec.final()``). The bot side is started with ``harness.loopback_bot``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import ADMINISTRATOR, Channel, Guild, Member, Role, User, snowflake
from .options import OptionEncoder, OptionError, build_command_data
from .records import InteractionRecord, Message
from .server import LoopbackServer

if TYPE_CHECKING:
    import discord


GUILD_MEMBERS_INTENT = 1 << 1


class CommandUnavailable(AssertionError):
    """Discord would not offer this command to this member here (permissions or context)."""


class FakeDiscord(LoopbackServer):
    """A started ``FakeDiscord`` is a whole Discord for one bot: build guilds, then drive it."""

    # --- commands ------------------------------------------------------------------------------
    async def sync_commands(self, bot: discord.Client, *, guilds: list[Guild] | None = None
                            ) -> list[dict[str, Any]]:
        """Run ``bot.tree.sync()`` for the global scope and for each guild that has guild-only
        commands in the tree (or the given ``guilds``), through the fake's validation."""
        import discord as dpy

        tree = bot.tree  # type: ignore[attr-defined]
        await tree.sync()
        targets = guilds if guilds is not None else [
            g for g in self.guilds if tree.get_commands(guild=dpy.Object(g.id))]
        for guild in targets:
            await tree.sync(guild=dpy.Object(guild.id))
        return self.all_commands()

    def all_commands(self) -> list[dict[str, Any]]:
        return [cmd for scope in self.commands.values() for cmd in scope]

    def find_command(self, name: str, guild: Guild | None, kind: int = 1) -> dict[str, Any]:
        """The stored command a member of ``guild`` sees (guild-scoped first, then global)."""
        scopes = ([guild.id] if guild is not None else []) + [None]
        for scope in scopes:
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == name and cmd["type"] == kind:
                    return cmd
        raise CommandUnavailable(
            f"command {name!r} is not registered with Discord"
            f"{' in ' + guild.name if guild else ''}; call `await fake.sync_commands(bot)` first")

    # --- sending interactions ------------------------------------------------------------------
    def _resolve_actor(self, guild: Guild | None, user: Member | User) -> Member | User:
        if guild is None:
            return user.user if isinstance(user, Member) else user
        if isinstance(user, Member):
            if user.guild is not guild:
                raise AssertionError(f"{user.username} is a member of {user.guild.name}, "
                                     f"not {guild.name}")
            return user
        return guild.member(user.id)

    def _dm_channel(self, user: User) -> Channel:
        """The user's DM channel with the bot (one per user, stable across calls)."""
        if user.id not in self.dm_channels:
            self.dm_channels[user.id] = Channel(snowflake(), "", None, type=1)
        return self.dm_channels[user.id]

    def _check_visible(self, cmd: dict[str, Any], guild: Guild | None, actor: Member | User
                       ) -> None:
        contexts = cmd.get("contexts")
        dm_blocked = cmd.get("dm_permission") is False or (contexts and 1 not in contexts)
        if guild is None and dm_blocked:
            raise CommandUnavailable(f"/{cmd['name']} cannot be used in DMs")
        if guild is not None and contexts and 0 not in contexts:
            raise CommandUnavailable(f"/{cmd['name']} cannot be used in guilds")
        needed = cmd.get("default_member_permissions")
        if guild is None or needed is None or not isinstance(actor, Member):
            return
        is_admin = actor.has_permissions(ADMINISTRATOR)
        if not actor.has_permissions(int(needed)) or (int(needed) == 0 and not is_admin):
            raise CommandUnavailable(
                f"Discord hides /{cmd['name']} from {actor.username}: needs permission "
                f"bits {needed}, has {actor.permissions}")

    async def _send(self, kind: int, name: str, guild: Guild | None, actor: Member | User,
                    channel: Channel | None, data: dict[str, Any], *,
                    message: Message | None = None, user_locale: str = "en-US"
                    ) -> InteractionRecord:
        """Build and dispatch INTERACTION_CREATE; the record's clock starts when it is written."""
        if self.gateway.session is None:  # a mere drop is fine: RESUME replays the event
            raise AssertionError("the bot has no gateway session with the loopback fake")
        user = actor.user if isinstance(actor, Member) else actor
        if channel is None:
            channel = self._dm_channel(user) if guild is None else next(
                c for c in guild.channels if c.type == 0)
        iid, token = snowflake(), self.new_interaction_token()
        payload: dict[str, Any] = {
            "id": str(iid), "application_id": str(self.app_id), "type": kind, "token": token,
            "version": 1, "attachment_size_limit": self.file_limit, "data": data,
            "channel": channel.payload(), "channel_id": str(channel.id), "locale": user_locale,
            "entitlements": [], "context": 0 if guild else 1,
            "authorizing_integration_owners": {"0": str(guild.id)} if guild else {
                "1": str(user.id)},
        }
        if guild is not None:
            bot_member = guild.member(self.bot_user.id)
            payload.update(guild_id=str(guild.id), guild_locale="en-US",
                           guild={"id": str(guild.id), "locale": "en-US", "features": []},
                           app_permissions=str(bot_member.permissions))
            payload["member"] = actor.payload(with_permissions=True)  # type: ignore[union-attr]
        else:
            payload["channel"]["recipients"] = [user.payload()]
            payload["user"] = user.payload()
            payload["app_permissions"] = str((1 << 41) - 1)
        if message is not None:
            payload["message"] = message.payload()
        record = InteractionRecord(self, iid, token, kind, name, guild, channel, actor, payload,
                                   source_message=message)
        self.interactions[iid] = record

        def written(at: float) -> None:
            if record.written_at is None:
                record.written_at = at
                record.touch()

        await self.dispatch("INTERACTION_CREATE", payload, written)
        return record

    def _uploader(self, channel_id: int) -> Any:
        def upload(filename: str, data: bytes) -> dict[str, Any]:
            return self.store_attachment(channel_id, filename, data).payload()
        return upload

    async def _command(self, kind: int, guild: Guild | None, user: Member | User, command: str,
                       values: dict[str, Any], channel: Channel | None, user_locale: str,
                       focused: str | None = None) -> InteractionRecord:
        actor = self._resolve_actor(guild, user)
        name, *path = command.strip().lstrip("/").split()
        cmd = self.find_command(name, guild)
        self._check_visible(cmd, guild, actor)
        encoder = OptionEncoder(guild, self._uploader(channel.id if channel else 0))
        data = build_command_data(cmd, path, values, encoder, focused=focused)
        return await self._send(kind, command.strip().lstrip("/"), guild, actor, channel, data,
                                user_locale=user_locale)

    async def slash(self, guild: Guild | None, user: Member | User, command: str, /, *,
                    options: dict[str, Any] | None = None, in_channel: Channel | None = None,
                    user_locale: str = "en-US", **values: Any) -> InteractionRecord:
        """Invoke ``/command [sub [sub]]`` with options typed from the synced tree.

        Options come as keyword arguments (``township="Mese"``) or, for names that are not
        Python identifiers or clash with these parameters, in ``options``. Entity options take
        model objects (``Member``, ``Role``, ``Channel``), names, or ``(filename, bytes)``.
        """
        return await self._command(2, guild, user, command, {**(options or {}), **values},
                                   in_channel, user_locale)

    async def autocomplete(self, guild: Guild | None, user: Member | User, command: str, /, *,
                           focused: str, options: dict[str, Any] | None = None,
                           in_channel: Channel | None = None, user_locale: str = "en-US",
                           timeout: float = 2.0, **values: Any) -> list[dict[str, Any]]:
        """Type into option ``focused`` and return the bot's choices (``name``/``value``)."""
        merged = {**(options or {}), **values}
        merged.setdefault(focused, "")
        record = await self._command(4, guild, user, command, merged, in_channel, user_locale,
                                     focused=focused)
        return await record.choices(timeout)

    async def run(self, guild: Guild | None, user: Member | User, line: str, **kwargs: Any
                  ) -> InteractionRecord:
        """Run a typed line such as ``/log date:Tuesday township:Mese`` (the playground's verb)."""
        from .options import parse_command_line

        command, values = parse_command_line(line)
        return await self.slash(guild, user, command, options=values, **kwargs)

    async def context_menu(self, guild: Guild | None, user: Member | User, name: str,
                           target: Message | Member | User, *, in_channel: Channel | None = None
                           ) -> InteractionRecord:
        """Right-click a message (type 3 command) or a user (type 2 command)."""
        actor = self._resolve_actor(guild, user)
        kind = 3 if isinstance(target, Message) else 2
        cmd = self.find_command(name, guild, kind)
        self._check_visible(cmd, guild, actor)
        data: dict[str, Any] = {"id": cmd["id"], "name": name, "type": kind,
                                "target_id": str(target.id)}
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        if isinstance(target, Message):
            data["resolved"] = {"messages": {str(target.id): target.payload()}}
            in_channel = in_channel or self.find_channel(target.channel_id)
        else:
            encoder = OptionEncoder(guild)
            encoder._entity({"type": 6, "name": "target"}, target)
            data["resolved"] = encoder.resolved
        return await self._send(2, name, guild, actor, in_channel, data)

    # --- components and modals ----------------------------------------------------------------
    def _message_context(self, message: Message | InteractionRecord
                         ) -> tuple[Message, Guild | None, Channel]:
        msg = message.message if isinstance(message, InteractionRecord) else message
        if msg.deleted:
            raise AssertionError(f"message {msg.id} was deleted; nothing to click")
        guild = next((g for g in self.guilds if g.id == msg.guild_id), None)
        channel = self.find_channel(msg.channel_id)
        if channel is None:
            channel = msg.interaction.channel if msg.interaction else Channel(msg.channel_id, "")
        return msg, guild, channel

    async def press(self, message: Message | InteractionRecord, label: str | None = None, *,
                    user: Member | User, custom_id: str | None = None) -> InteractionRecord:
        """Click an enabled, non-link button (by label or custom_id) on a recorded message."""
        msg, guild, channel = self._message_context(message)
        button = msg.button(label, custom_id=custom_id)
        if button.disabled:
            raise AssertionError(f"button {button.label!r} on message {msg.id} is disabled")
        if button.url or button.custom_id is None:
            raise AssertionError(f"button {button.label!r} is a link; it opens {button.url}")
        actor = self._resolve_actor(guild, user)
        data = {"custom_id": button.custom_id, "component_type": 2}
        return await self._send(3, button.label or button.custom_id, guild, actor, channel,
                                data, message=msg)

    async def select(self, message: Message | InteractionRecord, values: list[str], *,
                     user: Member | User, custom_id: str | None = None) -> InteractionRecord:
        """Pick ``values`` in a select menu (the first one, or the one with ``custom_id``)."""
        msg, guild, channel = self._message_context(message)
        selects = [s for s in msg.selects if custom_id in (None, s.get("custom_id"))]
        if not selects:
            raise AssertionError(f"message {msg.id} has no select menu {custom_id or ''}")
        menu = selects[0]
        if menu.get("disabled"):
            raise AssertionError(f"select {menu.get('custom_id')!r} is disabled")
        offered = {o["value"] for o in menu.get("options") or []}
        if menu.get("type") == 3 and not set(values) <= offered:
            raise AssertionError(f"values {values} not offered; options are {sorted(offered)}")
        data = {"custom_id": menu["custom_id"], "component_type": menu["type"], "values": values}
        actor = self._resolve_actor(guild, user)
        return await self._send(3, menu["custom_id"], guild, actor, channel, data, message=msg)

    async def submit_modal(self, opened: InteractionRecord, values: dict[str, str] | None = None,
                           *, user: Member | User | None = None, **fields: str
                           ) -> InteractionRecord:
        """Fill and submit the modal ``opened`` answered with (type 9). Fields are keyed by
        text-input custom_id or label; required inputs must be filled, as in the app."""
        modal = await opened.modal()
        given = {**(values or {}), **fields}
        used: set[str] = set()
        rows: list[dict[str, Any]] = []
        for comp in modal.get("components") or []:
            if comp.get("type") == 1:
                inner = [self._fill(c, None, given, used) for c in comp.get("components") or []]
                rows.append({"type": 1, "components": inner})
            elif comp.get("type") == 18:
                rows.append({"type": 18, "component": self._fill(
                    comp["component"], comp.get("label"), given, used)})
        if set(given) - used:
            raise AssertionError(f"modal {modal.get('title')!r} has no inputs {set(given) - used}")
        data = {"custom_id": modal["custom_id"], "components": rows}
        actor = user or opened.user
        return await self._send(5, modal["custom_id"], opened.guild, actor, opened.channel, data,
                                message=opened.source_message)

    @staticmethod
    def _fill(comp: dict[str, Any], label: str | None, given: dict[str, str], used: set[str]
              ) -> dict[str, Any]:
        label = label or comp.get("label")
        key = next((k for k in given if k in (comp.get("custom_id"), label)), None)
        if comp.get("type") != 4:
            picked = given.get(key, []) if key else []
            used.update([key] if key else [])
            return {"type": comp["type"], "custom_id": comp["custom_id"], "values": list(picked)}
        value = given[key] if key is not None else comp.get("value") or ""
        if key is not None:
            used.add(key)
        if comp.get("required", True) and not value:
            raise AssertionError(f"modal input {label or comp['custom_id']!r} is required")
        low, high = comp.get("min_length") or 0, comp.get("max_length") or 4000
        if value and not low <= len(value) <= high:
            raise AssertionError(f"modal input {label!r} must be {low}-{high} characters")
        return {"type": 4, "custom_id": comp["custom_id"], "value": value}

    # --- the world changing ------------------------------------------------------------------
    async def set_roles(self, member: Member, roles: list[Role | str]) -> None:
        """Change a member's roles. Like Discord, GUILD_MEMBER_UPDATE reaches the bot only if
        it identified with the (privileged) members intent; interactions always carry roles."""
        guild = member.guild
        member.roles = [guild.role(r) if isinstance(r, str) else r for r in roles]
        session = self.gateway.session
        if session is not None and session.intents & GUILD_MEMBERS_INTENT:
            data = {**member.payload(), "guild_id": str(guild.id)}
            await self.dispatch("GUILD_MEMBER_UPDATE", data)

    async def reconnect(self, timeout: float = 5.0) -> None:
        """Send op 7 RECONNECT and wait until the client has RESUMEd."""
        before = self.resumes
        await self.gateway.send_op(7)
        await self.wait_until(lambda: self.resumes > before and self.connected, timeout,
                              "the client to RESUME after op 7")

    async def invalidate_session(self, timeout: float = 5.0) -> None:
        """Send op 9 (not resumable) and wait for a fresh IDENTIFY on a live socket."""
        before = len(self.gateway.log)
        await self.gateway.send_op(9, False)
        await self.wait_until(lambda: len(self.gateway.log) > before and self.connected, timeout,
                              "the client to IDENTIFY again after op 9")

    async def drop_connection(self, code: int = 4000) -> None:
        """Close the bot's socket from the server side; the client RESUMEs on its own and events
        dispatched meanwhile are replayed (4004 and 4010-4014 are fatal instead)."""
        await self.gateway.close_socket(code)

    def inject_429(self, path_contains: str = "", *, retry_after: float = 0.05,
                   is_global: bool = False, times: int = 1) -> None:
        """Answer the next ``times`` matching requests with a 429 discord.py will retry."""
        for _ in range(times):
            self.pending_429.append(
                {"path": path_contains, "retry_after": retry_after, "global": is_global})

    async def wait_for_channel_message(self, channel: Channel | int, count: int = 1,
                                       timeout: float = 2.0) -> Message:
        """Wait until the bot has posted ``count`` messages in the channel; return the last."""
        await self.wait_until(lambda: len(self.channel_messages(channel)) >= count, timeout,
                              f"{count} message(s) in channel {getattr(channel, 'name', channel)}")
        return self.channel_messages(channel)[-1]


__all__ = ["CommandUnavailable", "FakeDiscord", "OptionError"]
