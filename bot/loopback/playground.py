"""``sitrep playground``: the real bot on the loopback Discord, driven from a terminal prompt.

Why it exists: a newcomer should try every slash command without creating a Discord application,
and whoever changes a cog should see what Discord would show. The ``FakeDiscord`` the e2e tests
use serves a person instead: typed lines become the interactions the Discord app would send
(typed and validated from the synced command tree), replies are rendered as text, attachments
are saved to files. No token is needed and nothing leaves 127.0.0.1.

The bot needs a running event loop while the person types, and readline needs the main thread
(Ctrl-C, terminal state), so the loop runs in a background thread and the prompt hands it
coroutines (``Playground.call``); everything that reads the fake's records runs on that loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import getpass
import os
import re
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

from . import options as tree
from .driver import CommandUnavailable, FakeDiscord
from .harness import loopback_bot
from .options import OptionError, parse_command_line
from .records import InteractionRecord, Message
from .render_text import discord_markup, message_to_text

T = TypeVar("T")
Reader = Callable[[str], "str | None"]  # prompt -> line, None at the end of input
Start = Callable[[], Awaitable[InteractionRecord]]
PROMPT = "#general> "
# Stable ids, so what one session stores (events, who logged them, roles and channels in the
# settings) still means the same thing in the next one.
PLAYGROUND_GUILD_ID, PERSON_ID, ADMIN_ROLE_ID, GENERAL_ID = 1, 2, 3, 4
MANAGE_GUILD = 1 << 5
QUIET = 0.3  # seconds without changes before a reply counts as complete
REPLY_WAIT = 30.0  # how long a deferred ("thinking...") reply may take
VERBS = ("help", "press", "quit")
_PRESS = re.compile(r"^\[?(?P<label>.+?)\]?(?:\s+on\s+\[?#?(?P<n>\d+)\]?)?$")


class Playground:
    """One person in server "Playground", #general, with the real bot: start, handle, close."""

    def __init__(self, db_path: Path, files_dir: Path, *, guild_id: int = PLAYGROUND_GUILD_ID,
                 out: TextIO | None = None, color: bool = False,
                 bot_factory: Callable[..., Any] | None = None) -> None:
        """``bot_factory(settings, **discord_options)`` builds the bot (default: SitrepBot)."""
        self.db_path, self.files_dir, self.guild_id = Path(db_path), Path(files_dir), guild_id
        self.out, self.color, self.bot_factory = out or sys.stdout, color, bot_factory
        self.numbers: dict[int, int] = {}  # message id -> [N] as shown
        self.versions: dict[int, tuple[int, bool]] = {}  # message id -> (edits, deleted) shown
        self.saved: dict[int, Path] = {}  # attachment id -> its file
        self.error: BaseException | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle: the loop thread runs the fake and the bot until ``close`` -------------------
    def start(self, timeout: float = 30.0) -> None:
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(ready),),
                                        name="playground-loop", daemon=True)
        self._thread.start()
        ready.result(timeout)

    async def _serve(self, ready: concurrent.futures.Future[None]) -> None:
        import discord

        from bot.app import SitrepBot
        from bot.config import Settings

        self.loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        # sitrep has no voice; discord.py's warnings about voice libraries only confuse here
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        fake = self.fake = FakeDiscord()
        self.guild = fake.add_guild("Playground", id=self.guild_id)
        self.channel = self.guild.add_channel("general", id=GENERAL_ID)
        admins = self.guild.add_role("Admin", MANAGE_GUILD, id=ADMIN_ROLE_ID)  # may do anything
        self.me = self.guild.add_member(_login_name(), roles=[admins], id=PERSON_ID)
        # a scratch session needs no scheduled backups piling up beside the database
        settings = Settings(db_path=self.db_path, backup_hours=0)
        make = self.bot_factory or SitrepBot
        try:
            async with fake, loopback_bot(lambda **kw: make(settings, **kw), fake,
                                          strict_routes=False) as bot:
                await fake.sync_commands(bot)
                ready.set_result(None)
                await self._stop.wait()
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)
            self.error = exc

    def close(self) -> None:
        """Close the bot and stop the fake; raise if the bot had died meanwhile."""
        if self._thread is None:
            return
        if self._thread.is_alive():
            self.loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(15)
        self._thread = None
        if self.error is not None:
            raise RuntimeError(f"the bot stopped: {self.error}") from self.error

    def __enter__(self) -> Playground:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, coro: Awaitable[T], timeout: float = REPLY_WAIT + 10) -> T:
        """Run ``coro`` on the bot's loop and wait for its result from this thread."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)  # type: ignore[arg-type]
        try:
            return future.result(timeout)
        except BaseException:
            future.cancel()
            raise

    # --- what the person sees ------------------------------------------------------------------
    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def banner(self, interactive: bool) -> None:
        keys = "TAB completes commands, options and values; " if interactive else ""
        self.say(f"sitrep playground: the real bot on a stand-in Discord at 127.0.0.1 (no token, "
                 f"nothing leaves this machine).\nYou are {self.me.username} (Manage Server) in "
                 f'server "Playground", #general. Database {self.db_path}; the CLI reads these '
                 f"events with `sitrep --db {self.db_path} --guild {self.guild_id} ...`.\n"
                 f"{keys}`help` lists the commands, `press LABEL` clicks a button, `quit` "
                 "leaves.\n")

    def _render(self, msg: Message, note: str) -> list[str]:
        number = self.numbers[msg.id]
        head = f"[{number}] sitrep{note}" + (" · only you can see this" if msg.ephemeral else "")
        body = message_to_text({"content": msg.content, "embeds": msg.embeds,
                                "components": msg.components})
        files = []
        for att in msg.attachments:
            path = self.saved.get(att.id)
            if path is None:
                self.files_dir.mkdir(parents=True, exist_ok=True)
                path = self.saved[att.id] = self.files_dir / f"{number}-{Path(att.filename).name}"
                path.write_bytes(att.data)
            if f"attachment://{att.filename}" in body:  # shown inside the embed, as on Discord
                body = body.replace(f"attachment://{att.filename}", str(path))
            else:
                files.append(f"file: {path} ({att.size:,} bytes)")
        bold = (lambda t: f"\033[1m{t}\033[0m") if self.color else (lambda t: t)
        lines = [discord_markup(line, self.guild, bold) for line in body.splitlines()] + files
        return [head, *("    " + line for line in lines)]

    def _changes(self) -> list[str]:
        """New, edited and deleted messages since the last look, as the channel would show."""
        lines: list[str] = []
        for msg in list(self.fake.messages.values()):
            version = (len(msg.history), msg.deleted)
            if msg.id not in self.numbers:
                if msg.deleted or msg.loading:
                    continue
                self.numbers[msg.id] = len(self.numbers) + 1
                lines += self._render(msg, "")
            elif self.versions[msg.id] != version:
                lines += ([f"[{self.numbers[msg.id]}] (deleted)"] if msg.deleted
                          else self._render(msg, " (edited)"))
            self.versions[msg.id] = version
        return lines

    # --- acting ------------------------------------------------------------------------------
    async def _act(self, start: Start) -> tuple[InteractionRecord, list[str]]:
        """Send an interaction, wait until the bot's reply has settled, report what changed."""
        fake = self.fake
        rec = await start()
        problem = None
        try:
            await fake.wait_until(lambda: rec.callback is not None or rec.rejections,
                                  fake.response_deadline + 0.5, "a reply")
            if rec.callback is None:
                problem = f"Discord refused sitrep's reply: {rec.rejections[0]}"
            else:
                await fake.wait_until(lambda: not (rec.original and rec.original.loading
                                                   and not rec.rejections)
                                      and time.monotonic() - rec.last_change >= QUIET,
                                      REPLY_WAIT, "the reply")
                if rec.rejections:
                    problem = f"Discord refused one of sitrep's replies: {rec.rejections[-1]}"
        except AssertionError:
            fake.check_bot_alive()
            problem = ("sitrep did not respond in time (Discord shows: The application did not "
                       "respond)." if rec.callback is None else
                       "sitrep is still thinking; its reply will show after your next command.")
        lines = self._changes()
        return rec, [*lines, problem] if problem else lines

    def _run(self, start: Start, read: Reader) -> None:
        """Act, print, and if the bot opened a form (modal), fill it in and submit it."""
        try:
            rec, lines = self.call(self._act(start))
        except AssertionError as exc:  # what the Discord app would not let one send
            if self.fake.bot_task is None or self.fake.bot_task.done():
                raise
            self.say(str(exc).split("; call `await")[0].rstrip(".") + ".")
            return
        if lines:
            self.say("\n".join(lines))
        if rec.modal_data is not None:
            values = self._fill_modal(rec.modal_data, read)
            if values is None:
                self.say("(form closed without sending)")
            else:
                self._run(lambda: self.fake.submit_modal(rec, values, user=self.me), read)

    def _fill_modal(self, modal: dict[str, Any], read: Reader) -> dict[str, str] | None:
        """Ask for each text field of a modal in turn; None if the person gave up."""
        self.say(f"== {modal.get('title', 'Form')} == (Enter keeps a [shown] value; Ctrl-D "
                 "closes the form)")
        values: dict[str, str] = {}
        for comp in modal.get("components") or []:
            inner = [comp["component"]] if comp.get("type") == 18 else comp.get("components", [])
            for field in (f for f in inner if f.get("type") == 4):
                label = comp.get("label") or field.get("label") or field["custom_id"]
                default, required = field.get("value") or "", field.get("required", True)
                hint = f" [{default}]" if default else (
                    f" ({field['placeholder']})" if field.get("placeholder") else "")
                while True:
                    answer = read(f"  {label}{'' if required else ' (optional)'}{hint}: ")
                    if answer is None:
                        return None
                    if (answer := answer.strip() or default) or not required:
                        break
                    self.say(f"  {label} is required.")
                values[field["custom_id"]] = answer
        return values

    def handle(self, line: str, read: Reader) -> bool:
        """Do what one typed line asks; False when the person wants to leave."""
        text = line.strip()
        words = text.split()
        verb = words[0].lower() if words else ""
        if verb in ("quit", "exit", "/quit", "/exit"):
            return False
        if verb in ("help", "/help", "?"):
            self.say(self.help_text(words[1] if len(words) > 1 else None))
        elif verb == "press" or text.startswith("["):
            self._press(text[5:].strip() if verb == "press" else text, read)
        elif text.startswith("/"):
            self._slash(text, read)
        elif text:
            self.say("sitrep only answers slash commands: type /, a command and its options "
                     "(`help` lists them).")
        return True

    def _slash(self, text: str, read: Reader) -> None:
        command, values = parse_command_line(text)
        name, *path = command.split() or [""]
        cmd = self.command(name)
        if cmd is None:
            known = ", ".join(f"/{c['name']}" for c in self.commands())
            self.say(f"/{name} is not a command here. Commands: {known}.")
            return
        defs = tree.leaf_options(cmd, path) or []
        missing = [d["name"] for d in defs if d.get("required") and d["name"] not in values]
        if missing:
            self.say(f"/{command} needs {', '.join(f'{m}:' for m in missing)} "
                     f"(`help {name}` describes them).")
            return

        async def send() -> InteractionRecord:
            try:
                return await self.fake.slash(self.guild, self.me, command, options=values,
                                             in_channel=self.channel)
            except OptionError as exc:
                raise OptionError(f"/{command}: {exc}") from None

        self._run(send, read)

    def _press(self, text: str, read: Reader) -> None:
        found = _PRESS.match(text)
        if not found:
            self.say("Press a button by its label: `press Next`, or `press Next on 3`.")
            return
        label, number = found["label"].strip().casefold(), found["n"]

        async def click() -> InteractionRecord:
            newest_first = sorted(self.numbers, key=lambda i: -self.numbers[i])
            ids = [i for i in newest_first if number is None or self.numbers[i] == int(number)]
            where = f"message [{number}]" if number else "any message"
            if number and not ids:
                raise AssertionError(f"There is no message [{number}]")
            for msg in (self.fake.messages[i] for i in ids):
                buttons = [b for b in msg.buttons if (b.label or "").casefold() == label]
                usable = [b for b in buttons if not b.disabled and not msg.deleted]
                if usable and usable[0].url:
                    raise AssertionError(f"[{usable[0].label}] opens {usable[0].url}")
                if usable:
                    return await self.fake.press(msg, custom_id=usable[0].custom_id,
                                                 user=self.me)
                if buttons and number:
                    raise AssertionError(f"[{buttons[0].label}] on {where} is disabled")
            raise AssertionError(f"There is no [{found['label']}] button to press on {where}")

        self._run(click, read)

    # --- the synced command tree: help and completion ------------------------------------------
    def commands(self) -> list[dict[str, Any]]:
        """Chat-input commands this person is offered here, as Discord would list them."""
        found: dict[str, dict[str, Any]] = {}
        for scope in (self.guild.id, None):
            for cmd in self.fake.commands.get(scope, []):
                try:
                    self.fake._check_visible(cmd, self.guild, self.me)
                except CommandUnavailable:
                    continue
                if cmd["type"] == 1:
                    found.setdefault(cmd["name"], cmd)
        return sorted(found.values(), key=lambda c: c["name"])

    def command(self, name: str) -> dict[str, Any] | None:
        return next((c for c in self.commands() if c["name"] == name.lower()), None)

    def help_text(self, name: str | None = None) -> str:
        cmds = self.commands() if name is None else [
            c for c in [self.command(name.lstrip("/"))] if c]
        if not cmds:
            return f"There is no /{(name or '').lstrip('/')} command; `help` lists them."
        return "\n".join(tree.describe_commands(cmds) + ([] if name else [
            "", 'Options are name:value, with quotes around spaces: actors:"KNDF, PDF".',
            "press LABEL [on N] clicks a button on the newest message showing it (or on message "
            "[N]); help /command; quit."]))

    def complete(self, line: str) -> list[tree.Completion]:
        """What TAB offers for ``line`` (the text before the cursor)."""
        head, word = tree.split_current(line)
        verb = head.split()[0].lower() if head.strip() else ""
        if not head.strip() and not word.startswith("/"):
            return [tree.Completion(v, v + " ") for v in VERBS if v.startswith(word.lower())]
        if verb == "press":
            return [tree.Completion(b, f"{head}{b} ") for b in self.call(self._labels())
                    if b.casefold().startswith(word.casefold())]
        if verb == "help":
            return [tree.Completion(c.label, head + c.line) for c in tree.complete_command(
                self.commands(), word, self._ask)]
        return tree.complete_command(self.commands(), line, self._ask)

    def _ask(self, command: str, opt: dict[str, Any], typed: str, values: dict[str, str]
             ) -> list[dict[str, Any]]:
        """Values for an option: the bot's autocomplete, asked the way the Discord app asks
        while one types, or the server's users, roles and channels, as the app's picker."""
        if not opt.get("autocomplete"):
            kinds = {6: "members", 7: "channels", 8: "roles", 9: "members roles"}[opt["type"]]
            names = [getattr(x, "username", None) or x.name
                     for kind in kinds.split() for x in getattr(self.guild, kind)]
            return [{"name": n, "value": n} for n in names if typed.casefold() in n.casefold()]
        for others in (values, {}):  # the other options as typed so far, unless they are wrong
            try:
                return self.call(self.fake.autocomplete(
                    self.guild, self.me, command, focused=opt["name"],
                    options={**others, opt["name"]: typed}, in_channel=self.channel), 5)
            except (AssertionError, concurrent.futures.TimeoutError):
                continue
        return []

    async def _labels(self) -> list[str]:
        """Labels of the enabled buttons on shown messages, newest message first."""
        labels: dict[str, None] = {}
        for msg_id in sorted(self.numbers, key=lambda i: -self.numbers[i]):
            msg = self.fake.messages[msg_id]
            labels.update((b.label, None) for b in msg.buttons
                          if b.label and not b.disabled and not msg.deleted)
        return list(labels)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment; any name will do
        return "you"


class _Terminal:
    """readline wiring: whole-line completion from ``Playground.complete``, labels listed."""

    labels: list[str]
    matches: list[str]

    def __init__(self, playground: Playground) -> None:
        self.playground, self.labels, self.matches, self.in_form = playground, [], [], False
        try:
            import readline
        except ImportError:  # Windows: typing still works, TAB does not
            return
        self.readline = readline
        readline.set_completer_delims("")  # complete the whole line: options know their command
        readline.set_completer(self.complete)
        readline.set_completion_display_matches_hook(self.display)
        if "libedit" in (readline.__doc__ or ""):
            readline.parse_and_bind("bind ^I rl_complete")
        else:
            readline.parse_and_bind("tab: complete")
            readline.parse_and_bind("set show-all-if-ambiguous on")

    def complete(self, text: str, state: int) -> str | None:
        if state == 0:
            try:
                choices = [] if self.in_form else self.playground.complete(text)
            except Exception:  # readline would swallow it and stop completing; never break typing
                choices = []
            width = max((len(c.label) for c in choices), default=0)
            self.labels = [f"{c.label:<{width}}  {c.hint}".rstrip() for c in choices]
            self.matches = list(dict.fromkeys(c.line for c in choices))
            common = os.path.commonprefix(self.matches)  # noqa: RUF071 (characters, not paths)
            if len(self.matches) > 1 and not common.startswith(text):
                # readline would replace what was typed by the choices' common prefix (P-codes
                # share "MMR0"); two stand-ins that differ right after it keep the typed text.
                self.matches = [text + "\x01", text + "\x02"]
        return self.matches[state] if state < len(self.matches) else None

    def display(self, substitution: str, matches: list[str], longest: int) -> None:
        sys.stdout.write("\n" + "".join(f"  {label}\n" for label in self.labels[:50]))
        sys.stdout.write(PROMPT + self.readline.get_line_buffer())
        sys.stdout.flush()

    def read(self, prompt: str) -> str | None:
        self.in_form = prompt != PROMPT
        try:
            return input(prompt)
        except EOFError:
            sys.stdout.write("\n")
            return None
        except KeyboardInterrupt:
            if self.in_form:  # Ctrl-C closes a form; at the prompt it ends the session
                sys.stdout.write("\n")
                return None
            raise


def _script_reader(stdin: TextIO, out: TextIO) -> Reader:
    """Lines from a pipe, each echoed after its prompt so the transcript reads like a session."""
    def read(prompt: str) -> str | None:
        line = stdin.readline()
        if not line:
            return None
        out.write(prompt + line.rstrip("\n") + "\n")
        return line.rstrip("\n")
    return read


def run_playground(db_path: Path, files_dir: Path, *, guild_id: int | None = None,
                   stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    """Start the fake and the bot, run the prompt until quit/EOF/Ctrl-C, stop both; exit code."""
    from bot.db import open_db

    stdin, out = stdin or sys.stdin, out or sys.stdout
    interactive = stdin.isatty() and out.isatty()
    open_db(db_path).close()  # created and seeded now: a bad path fails before anything starts
    playground = Playground(db_path, files_dir, guild_id=guild_id or PLAYGROUND_GUILD_ID,
                            out=out, color=interactive and not os.environ.get("NO_COLOR"))
    with playground:
        read = _Terminal(playground).read if interactive else _script_reader(stdin, out)
        playground.banner(interactive)
        try:
            while (line := read(PROMPT)) is not None and playground.handle(line, read):
                pass
        except KeyboardInterrupt:
            out.write("\n")
    out.write("bye\n")
    return 0
