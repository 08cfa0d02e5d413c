"""Turn ``name=value`` pairs into a slash command's ``data`` using the *synced* command tree.

Discord's client types options from the registered command, not from the bot's Python code,
so the driver does the same: it reads the stored command (from the fake's PUT), picks the
sub-command path, coerces each value to the option type (3 str, 4 int, 5 bool, 10 float, and
entity ids for 6-9/11 with ``resolved``), and refuses what the Discord client would not let a
user send (missing required option, unknown option, value outside choices or bounds). Values may
be strings, as a person types them (``parse_command_line`` for the playground).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from .models import Channel, Guild, Member, Role, User

STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = (
    3, 4, 5, 6, 7, 8, 9, 10, 11)
Uploader = Callable[[str, bytes], dict[str, Any]]


class OptionError(AssertionError):
    """The Discord client would not send this command as written."""


def parse_command_line(line: str) -> tuple[str, dict[str, str]]:
    """``/admin delete id:3 note:"two words"`` -> (``"admin delete"``, ``{"id": "3", ...}``)."""
    text = line.strip().removeprefix("/")
    try:
        tokens = shlex.split(text)
    except ValueError:  # an apostrophe in free text: fall back to a plain split
        tokens = re.findall(r'\S+:"[^"]*"|\S+', text)
    path: list[str] = []
    values: dict[str, str] = {}
    key: str | None = None
    for token in tokens:
        if re.match(r"^[-_'\w]+:", token):
            key, _, value = token.partition(":")
            values[key] = value.strip('"')
        elif key is None:
            path.append(token)
        else:  # continuation of an unquoted value with spaces
            values[key] += " " + token
    return " ".join(path), values


def _coerce_scalar(opt: dict[str, Any], value: Any) -> Any:
    kind, name = opt["type"], opt["name"]
    choices = opt.get("choices") or []
    if choices:
        for choice in choices:
            if value == choice["value"] or str(value) in (str(choice["value"]), choice["name"]):
                value = choice["value"]
                break
        else:
            names = [c["name"] for c in choices]
            raise OptionError(f"option {name!r} must be one of {names}, not {value!r}")
    try:
        if kind == INTEGER:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            value = int(value)
        elif kind == NUMBER:
            value = float(value)
        elif kind == BOOLEAN:
            if isinstance(value, str):
                if value.lower() not in ("true", "false", "yes", "no", "1", "0"):
                    raise ValueError(value)
                value = value.lower() in ("true", "yes", "1")
            value = bool(value)
        else:
            value = str(value)
    except ValueError:
        raise OptionError(f"option {name!r} needs a {_TYPE_NAMES[kind]}, not {value!r}") from None
    if kind in (INTEGER, NUMBER):
        low, high = opt.get("min_value"), opt.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise OptionError(f"option {name!r} must be within [{low}, {high}], not {value}")
    if kind == STRING:
        low, high = opt.get("min_length", 0) or 0, opt.get("max_length", 6000) or 6000
        if not low <= len(value) <= high:
            raise OptionError(f"option {name!r} must be {low}-{high} characters long")
    return value


_TYPE_NAMES = {STRING: "string", INTEGER: "whole number", BOOLEAN: "true/false", NUMBER: "number"}


class OptionEncoder:
    """Builds ``data.options`` + ``data.resolved`` for one invocation in one guild (or a DM)."""

    def __init__(self, guild: Guild | None, uploader: Uploader | None = None) -> None:
        self.guild = guild
        self.uploader = uploader
        self.resolved: dict[str, dict[str, Any]] = {}

    def _find_entity(self, kind: int, value: Any) -> Member | User | Role | Channel:
        if isinstance(value, Member | User | Role | Channel):
            return value
        guild, text = self.guild, str(value).strip()
        if guild is None:
            raise OptionError(f"cannot resolve {value!r} outside a guild")
        lookups: list[Callable[[str], Any]] = []
        if kind in (USER, MENTIONABLE):
            lookups.append(lambda t: guild.member(t.lstrip("@").strip("<>!")))
        if kind in (ROLE, MENTIONABLE):
            lookups.append(lambda t: guild.role(t.lstrip("<@&>").lstrip("@")))
            lookups.append(guild.role)  # "@everyone" is the role's own name
        if kind == CHANNEL:
            lookups.append(lambda t: guild.channel(t.lstrip("<#").rstrip(">")))
        for lookup in lookups:
            try:
                return lookup(text)
            except KeyError:
                continue
        raise OptionError(f"no {_ENTITY_NAMES[kind]} named {value!r} in {guild.name!r}")

    def _entity(self, opt: dict[str, Any], value: Any) -> str:
        kind = opt["type"]
        if kind == ATTACHMENT:
            if self.uploader is None:
                raise OptionError("attachments need the fake's uploader")
            if isinstance(value, tuple):
                filename, data = value
            elif isinstance(value, str | Path):  # a path typed in the playground
                path = Path(value).expanduser()
                if not path.is_file():
                    raise OptionError(f"{opt['name']}: there is no file {str(value)!r}")
                filename, data = path.name, path.read_bytes()
            else:
                filename, data = getattr(value, "filename", "upload.bin"), value.fp.read()
            att = self.uploader(filename, data)
            self.resolved.setdefault("attachments", {})[att["id"]] = att
            return att["id"]
        entity = self._find_entity(kind, value)
        if (kind in (USER, MENTIONABLE) and isinstance(entity, Channel)) or (
            kind == USER and isinstance(entity, Role)
        ) or (kind == ROLE and not isinstance(entity, Role)) or (
            kind == CHANNEL and not isinstance(entity, Channel)
        ):
            raise OptionError(f"option {opt['name']!r} needs a {_ENTITY_NAMES[kind]}")
        key = str(entity.id)
        if isinstance(entity, Member):
            self.resolved.setdefault("users", {})[key] = entity.user.payload()
            self.resolved.setdefault("members", {})[key] = entity.payload(
                with_user=False, with_permissions=True)
        elif isinstance(entity, User):
            self.resolved.setdefault("users", {})[key] = entity.payload()
        elif isinstance(entity, Role):
            self.resolved.setdefault("roles", {})[key] = entity.payload()
        else:
            allowed = opt.get("channel_types")
            if allowed and entity.type not in allowed:
                raise OptionError(f"option {opt['name']!r} does not accept channel {entity.name!r}")
            self.resolved.setdefault("channels", {})[key] = {
                **entity.payload(), "permissions": str((1 << 41) - 1)}
        return key

    def encode(self, defs: list[dict[str, Any]], values: dict[str, Any], *,
               focused: str | None = None, check_required: bool = True) -> list[dict[str, Any]]:
        """Encode leaf options (values keyed by option name, in the command's order)."""
        by_name = {d["name"]: d for d in defs}
        unknown = set(values) - set(by_name)
        if unknown:
            raise OptionError(
                f"unknown option(s) {sorted(unknown)}; the command has {list(by_name)}")
        out: list[dict[str, Any]] = []
        for opt in defs:
            name = opt["name"]
            if name not in values or values[name] is None:
                if opt.get("required") and check_required and name != focused:
                    raise OptionError(f"required option {name!r} is missing")
                continue
            entry: dict[str, Any] = {"name": name, "type": opt["type"]}
            if name == focused:
                entry.update(value=str(values[name]), focused=True)
            elif opt["type"] in (USER, CHANNEL, ROLE, MENTIONABLE, ATTACHMENT):
                entry["value"] = self._entity(opt, values[name])
            else:
                entry["value"] = _coerce_scalar(opt, values[name])
            out.append(entry)
        if focused is not None and focused not in values:
            raise OptionError(f"the focused option {focused!r} needs a (possibly empty) value")
        return out


_ENTITY_NAMES = {USER: "user", CHANNEL: "channel", ROLE: "role", MENTIONABLE: "user or role",
                 ATTACHMENT: "file"}


def build_command_data(command: dict[str, Any], path: list[str], values: dict[str, Any],
                       encoder: OptionEncoder, *, focused: str | None = None) -> dict[str, Any]:
    """``data`` for a type-2 (or type-4 autocomplete) interaction of a synced command."""
    defs: list[dict[str, Any]] = command.get("options") or []
    nest: list[dict[str, Any]] = []  # sub-command (group) option dicts, outermost first
    for part in path:
        sub = next((d for d in defs if d["name"] == part and d["type"] in (1, 2)), None)
        if sub is None:
            choices = [d["name"] for d in defs if d["type"] in (1, 2)]
            raise OptionError(f"/{command['name']} has no sub-command {part!r}; has {choices}")
        nest.append({"name": part, "type": sub["type"], "options": []})
        defs = sub.get("options") or []
    if any(d["type"] in (1, 2) for d in defs):
        choices = [d["name"] for d in defs]
        raise OptionError(f"/{command['name']} {' '.join(path)} needs a sub-command: {choices}")
    leaf = encoder.encode(defs, values, focused=focused, check_required=focused is None)
    options = leaf
    for sub in reversed(nest):
        sub["options"] = options
        options = [sub]
    data: dict[str, Any] = {
        "id": command["id"], "name": command["name"], "type": 1, "options": options}
    if encoder.resolved:
        data["resolved"] = encoder.resolved
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    return data


# --- the playground's line editing: the word being typed and the tree under a command ---------
def quote_value(value: str) -> str:
    """A value as ``parse_command_line`` reads it back (quoted when it has spaces)."""
    if value and not re.search(r'[\s"\']', value):
        return value
    return '"' + value.replace('"', '\\"') + '"'


def split_current(line: str) -> tuple[str, str]:
    """(everything before the word being typed, that word); double quotes group words."""
    start, in_quote = 0, False
    for i, char in enumerate(line):
        if char == '"':
            in_quote = not in_quote
        elif char.isspace() and not in_quote:
            start = i + 1
    return line[:start], line[start:]


def leaf_options(command: dict[str, Any], path: list[str]) -> list[dict[str, Any]] | None:
    """The options under sub-command ``path`` of a synced command (None: no such path)."""
    defs: list[dict[str, Any]] = command.get("options") or []
    for part in path:
        sub = next((d for d in defs if d["name"] == part and d["type"] in (1, 2)), None)
        if sub is None:
            return None
        defs = sub.get("options") or []
    return defs


def leaf_commands(node: dict[str, Any], prefix: str) -> list[tuple[str, dict[str, Any]]]:
    """Every runnable ``/command [group] [sub]`` under a synced command, with its node."""
    subs = [d for d in node.get("options") or [] if d["type"] in (1, 2)]
    if not subs:
        return [(prefix, node)]
    return [leaf for sub in subs for leaf in leaf_commands(sub, f"{prefix} {sub['name']}")]


class Completion(NamedTuple):
    """A TAB choice: ``label`` and ``hint`` are listed; ``line`` is the whole line once chosen
    (readline completes whole lines, so an option knows its command)."""

    label: str
    line: str
    hint: str = ""


Ask = Callable[[str, dict[str, Any], str, dict[str, str]], list[dict[str, Any]]]
ENTITIES = (USER, CHANNEL, ROLE, MENTIONABLE)


def complete_command(commands: list[dict[str, Any]], line: str, ask: Ask) -> list[Completion]:
    """TAB on a typed ``/command ...`` line: command, sub-command and option names, then values
    (static choices, true/false, or ``ask(command, option, typed, other_values)`` for an
    autocomplete option, which the bot answers, and for users, roles and channels, which the
    Discord app lists from the server)."""
    head, word = split_current(line)
    if not head.strip():
        return [Completion(f"/{c['name']}", f"/{c['name']} ", c.get("description", ""))
                for c in commands if c["name"].startswith(word.removeprefix("/").lower())]
    command, values = parse_command_line(head)
    name, *path = command.split() or [""]
    cmd = next((c for c in commands if c["name"] == name.lower()), None)
    defs = leaf_options(cmd, path) if cmd else None
    if defs is None:
        return []
    if ":" not in word:
        subs = [d for d in defs if d["type"] in (1, 2)]
        return [Completion(d["name"], f"{head}{d['name']} ", d.get("description", ""))
                for d in subs if d["name"].startswith(word.lower())] if subs else [
            Completion(f"{d['name']}:", f"{head}{d['name']}:", d.get("description", "")
                       + (" (required)" if d.get("required") else ""))
            for d in defs if d["name"].startswith(word.lower()) and d["name"] not in values]
    key, _, typed = word.partition(":")
    opt = next((d for d in defs if d["name"] == key), None)
    typed = typed.removeprefix('"')
    if opt is None or not (opt.get("autocomplete") or opt.get("choices")
                           or opt["type"] in (BOOLEAN, *ENTITIES)):
        return []
    asked = opt.get("autocomplete") or opt["type"] in ENTITIES
    offered = ask(command, opt, typed, values) if asked else [
        c for c in opt.get("choices") or [{"name": v, "value": v} for v in ("True", "False")]
        if typed.casefold() in c["name"].casefold()]
    return [Completion(c["name"], f"{head}{key}:{quote_value(str(c['value']))} ",
                       "" if str(c["value"]) == c["name"] else f"-> {c['value']}")
            for c in offered]


def describe_commands(commands: list[dict[str, Any]]) -> list[str]:
    """Each runnable command with its description, then its options, for a help screen."""
    lines = []
    for path, node in (leaf for c in commands for leaf in leaf_commands(c, "/" + c["name"])):
        lines.append(f"{path}  {node.get('description', '')}")
        for opt in node.get("options") or []:
            notes = [n for n, on in (("required", opt.get("required")),
                                     ("TAB lists values", opt.get("autocomplete"))) if on]
            if opt.get("choices"):
                notes.append("one of " + ", ".join(c["name"] for c in opt["choices"]))
            extra = f" ({'; '.join(notes)})" if notes else ""
            lines.append(f"    {opt['name'] + ':':<12} {opt.get('description', '')}{extra}")
    return lines
