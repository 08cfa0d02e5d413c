"""Discord's validation rules, so a test fails where Discord would reject the bot's payload.

discord.py checks only a few of these client-side (name format, 100 commands, row width, 25 view
items, 10 embeds); the rest surface in production as HTTP 400s. Each ``*_errors`` function
returns Discord's nested form-error dict (``{"content": {"_errors": [...]}}``), or ``None``
when the payload is valid. ``CommandSyncFailure`` renders these paths readably.
"""

from __future__ import annotations

import unicodedata
from typing import Any

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_FILES = 10
DEFAULT_FILE_LIMIT = 10 * 1024 * 1024
MAX_REQUEST_BYTES = 25 * 1024 * 1024
IS_COMPONENTS_V2 = 1 << 15
SELECT_TYPES = (3, 5, 6, 7, 8)
SUBCOMMAND, GROUP = 1, 2


class FormErrors:
    """Builds Discord's ``errors`` tree: nested keys, leaves are ``{"_errors": [...]}``."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: tuple[Any, ...], code: str, message: str) -> None:
        node = self.tree
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def result(self) -> dict[str, Any] | None:
        return self.tree or None


def _length(errors: FormErrors, path: tuple[Any, ...], value: Any, low: int, high: int) -> None:
    """Length check on a string; ``low`` 0 means optional. Mirrors BASE_TYPE_BAD_LENGTH."""
    if value is None:
        if low > 0:
            errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return
    n = len(str(value))
    if n < low or n > high:
        if low == 0:
            errors.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {high} or fewer in length.")
        else:
            errors.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


# --- application commands --------------------------------------------------------------------
def _name_char_ok(char: str) -> bool:
    """One char of ``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]$`` (Python's re lacks \\p)."""
    if char in "-_'" or unicodedata.category(char)[0] in "LN":
        return True
    cp = ord(char)
    return 0x0900 <= cp <= 0x097F or 0xA8E0 <= cp <= 0xA8FF or 0x0E00 <= cp <= 0x0E7F


def valid_slash_name(name: Any) -> bool:
    """CHAT_INPUT command/option names: 1-32 allowed chars, lowercase where a case exists."""
    return (
        isinstance(name, str)
        and 1 <= len(name) <= 32
        and all(_name_char_ok(c) for c in name)
        and name == name.lower()
    )


def _command_size(cmd: dict[str, Any]) -> int:
    total = len(cmd.get("name", "")) + len(cmd.get("description", "") or "")
    for choice in cmd.get("choices") or []:
        total += len(str(choice.get("name", ""))) + len(str(choice.get("value", "")))
    for opt in cmd.get("options") or []:
        total += _command_size(opt)
    return total


def _option_errors(errors: FormErrors, path: tuple[Any, ...], opts: list[dict[str, Any]]) -> None:
    if len(opts) > 25:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    kinds = {opt.get("type") in (SUBCOMMAND, GROUP) for opt in opts}
    if len(kinds) > 1:
        errors.add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                   "Sub-command and sub-command group option types are mutually exclusive to "
                   "all other types")
    seen: set[str] = set()
    optional_seen = False
    for i, opt in enumerate(opts):
        p = (*path, i)
        name = opt.get("name")
        if not valid_slash_name(name):
            errors.add((*p, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        elif name in seen:
            errors.add((*p, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                       "Option names must be unique")
        seen.add(str(name))
        _length(errors, (*p, "description"), opt.get("description"), 1, 100)
        kind = opt.get("type")
        if kind in (SUBCOMMAND, GROUP):
            children = opt.get("options") or []
            if kind == GROUP and any(c.get("type") != SUBCOMMAND for c in children):
                errors.add((*p, "options"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                           "Sub-command groups may only contain sub-commands")
            if kind == SUBCOMMAND and any(c.get("type") in (SUBCOMMAND, GROUP) for c in children):
                errors.add((*p, "options"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                           "Sub-commands cannot contain sub-commands")
            _option_errors(errors, (*p, "options"), children)
            continue
        if opt.get("required"):
            if optional_seen:
                errors.add(p, "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                           "Required options must be placed before non-required options")
        else:
            optional_seen = True
        choices = opt.get("choices") or []
        if choices and kind not in (3, 4, 10):
            errors.add((*p, "choices"), "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
                       "Choices are only allowed for string, integer and number options")
        if choices and opt.get("autocomplete"):
            errors.add((*p, "autocomplete"), "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                       "Autocomplete cannot be set with choices")
        if len(choices) > 25:
            errors.add((*p, "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for j, choice in enumerate(choices):
            _length(errors, (*p, "choices", j, "name"), choice.get("name"), 1, 100)
            if kind == 3:
                _length(errors, (*p, "choices", j, "value"), choice.get("value"), 0, 100)
        for key, low, high in (("min_length", 0, 6000), ("max_length", 1, 6000)):
            value = opt.get(key)
            if value is not None and not low <= value <= high:
                errors.add((*p, key), "NUMBER_TYPE_MAX" if value > high else "NUMBER_TYPE_MIN",
                           f"{key} must be between {low} and {high}")


def command_errors(commands: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Validate a bulk-overwrite command list (PUT .../commands)."""
    errors = FormErrors()
    counts = {1: 0, 2: 0, 3: 0}
    seen: set[tuple[int, str]] = set()
    for i, cmd in enumerate(commands):
        kind = int(cmd.get("type", 1))
        counts[kind] = counts.get(kind, 0) + 1
        name = cmd.get("name")
        if kind == 1:
            if not valid_slash_name(name):
                errors.add((i, "name"), "APPLICATION_COMMAND_INVALID_NAME",
                           "Command name is invalid")
            _length(errors, (i, "description"), cmd.get("description"), 1, 100)
            _option_errors(errors, (i, "options"), cmd.get("options") or [])
        else:
            _length(errors, (i, "name"), name, 1, 32)
            if cmd.get("description"):
                errors.add((i, "description"), "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                           "Context menu commands cannot have description")
        if (kind, str(name)) in seen:
            errors.add((i, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME",
                       "Application command names must be unique")
        seen.add((kind, str(name)))
        if _command_size(cmd) > 8000:
            errors.add((i,), "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (8000)")
    for kind, limit in ((1, 100), (2, 15), (3, 15)):
        if counts.get(kind, 0) > limit:
            errors.add((), "APPLICATION_COMMANDS_TOO_MANY",
                       f"Maximum number of application commands of type {kind} reached ({limit})")
    return errors.result()


# --- messages ----------------------------------------------------------------------------------
def _embed_errors(errors: FormErrors, embeds: list[dict[str, Any]]) -> None:
    if len(embeds) > MAX_EMBEDS:
        errors.add(("embeds",), "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_EMBEDS} or fewer in length.")
    total = 0
    for i, embed in enumerate(embeds):
        p = ("embeds", i)
        for key, high in (("title", 256), ("description", 4096)):
            _length(errors, (*p, key), embed.get(key), 0, high)
            total += len(str(embed.get(key) or ""))
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errors.add((*p, "fields"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for j, fld in enumerate(fields):
            _length(errors, (*p, "fields", j, "name"), fld.get("name"), 1, 256)
            _length(errors, (*p, "fields", j, "value"), fld.get("value"), 1, 1024)
            total += len(str(fld.get("name") or "")) + len(str(fld.get("value") or ""))
        for key, high in (("footer", 2048), ("author", 256)):
            sub = embed.get(key) or {}
            text_key = "text" if key == "footer" else "name"
            _length(errors, (*p, key, text_key), sub.get(text_key), 0, high)
            total += len(str(sub.get(text_key) or ""))
    if total > MAX_EMBED_TOTAL:
        errors.add(("embeds",), "MAX_EMBED_SIZE_EXCEEDED",
                   "Embed size exceeds maximum size of 6000")


def _component_errors(errors: FormErrors, components: list[dict[str, Any]], flags: int) -> None:
    from .records import walk_components

    every = list(walk_components(components))
    if flags & IS_COMPONENTS_V2:
        if len(every) > 40:
            errors.add(("components",), "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in length.")
    elif len(components) > 5:
        errors.add(("components",), "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    for i, row in enumerate(components):
        if row.get("type") != 1:
            if not flags & IS_COMPONENTS_V2:
                errors.add(("components", i, "type"), "UNION_TYPE_CHOICES",
                           "Value of field \"type\" must be one of (1,).")
            continue
        children = row.get("components") or []
        selects = [c for c in children if c.get("type") in SELECT_TYPES]
        if not children or len(children) > 5 or (selects and len(children) > 1):
            errors.add(("components", i, "components"), "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                       "The specified component exceeds the maximum width")
    ids: set[str] = set()
    for comp in every:
        custom_id = comp.get("custom_id")
        if custom_id is not None:
            _length(errors, ("components", "custom_id"), custom_id, 1, 100)
            if custom_id in ids:
                errors.add(("components",), "COMPONENT_CUSTOM_ID_DUPLICATED",
                           f"Component custom id cannot be duplicated: {custom_id}")
            ids.add(custom_id)
        if comp.get("type") == 2:
            _length(errors, ("components", "label"), comp.get("label"), 0, 80)
            link = comp.get("style") == 5
            if link and (not comp.get("url") or custom_id):
                errors.add(("components", "url"), "BUTTON_COMPONENT_INVALID",
                           "Link buttons need a url and no custom_id")
            if not link and comp.get("style") != 6 and not custom_id:
                errors.add(("components", "custom_id"), "BASE_TYPE_REQUIRED",
                           "This field is required")
        if comp.get("type") in SELECT_TYPES:
            _length(errors, ("components", "placeholder"), comp.get("placeholder"), 0, 150)
            options = comp.get("options") or []
            if comp.get("type") == 3 and not 1 <= len(options) <= 25:
                errors.add(("components", "options"), "BASE_TYPE_BAD_LENGTH",
                           "Must be between 1 and 25 in length.")


def message_errors(
    payload: dict[str, Any], file_sizes: list[int], *, file_limit: int = DEFAULT_FILE_LIMIT
) -> dict[str, Any] | None:
    """Validate message fields that are present (creation and partial edits alike)."""
    errors = FormErrors()
    flags = int(payload.get("flags") or 0)
    content = payload.get("content")
    if content is not None:
        _length(errors, ("content",), content, 0, MAX_CONTENT)
    if payload.get("embeds"):
        _embed_errors(errors, payload["embeds"])
    if flags & IS_COMPONENTS_V2 and (content or payload.get("embeds")):
        errors.add(("content",), "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                   "The 'content' and 'embeds' fields cannot be used with components v2")
    if payload.get("components"):
        _component_errors(errors, payload["components"], flags)
    if len(file_sizes) > MAX_FILES:
        errors.add(("files",), "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_FILES} or fewer in length.")
    for i, size in enumerate(file_sizes):
        if size > file_limit:
            errors.add(("files", i), "BASE_TYPE_MAX_LENGTH", f"File exceeds {file_limit} bytes.")
    return errors.result()


def modal_errors(data: dict[str, Any]) -> dict[str, Any] | None:
    """Validate a type-9 callback's ``data`` (the modal)."""
    from .records import walk_components

    errors = FormErrors()
    _length(errors, ("data", "title"), data.get("title"), 1, 45)
    _length(errors, ("data", "custom_id"), data.get("custom_id"), 1, 100)
    rows = data.get("components") or []
    if not 1 <= len(rows) <= 5:
        errors.add(("data", "components"), "BASE_TYPE_BAD_LENGTH",
                   "Must be between 1 and 5 in length.")
    for i, comp in enumerate(walk_components(rows)):
        p = ("data", "components", i)
        if comp.get("type") == 18:
            _length(errors, (*p, "label"), comp.get("label"), 1, 45)
        if comp.get("type") == 4:
            _length(errors, (*p, "custom_id"), comp.get("custom_id"), 1, 100)
            _length(errors, (*p, "label"), comp.get("label"), 0, 45)
            _length(errors, (*p, "value"), comp.get("value"), 0, 4000)
            _length(errors, (*p, "placeholder"), comp.get("placeholder"), 0, 100)
            if comp.get("max_length") is not None and not 1 <= comp["max_length"] <= 4000:
                errors.add((*p, "max_length"), "NUMBER_TYPE_MAX", "Must be between 1 and 4000")
    return errors.result()


def autocomplete_errors(data: dict[str, Any]) -> dict[str, Any] | None:
    """Validate a type-8 callback: at most 25 choices, names 1-100, string values <= 100."""
    errors = FormErrors()
    choices = data.get("choices") or []
    if len(choices) > 25:
        errors.add(("data", "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for i, choice in enumerate(choices):
        _length(errors, ("data", "choices", i, "name"), choice.get("name"), 1, 100)
        if isinstance(choice.get("value"), str):
            _length(errors, ("data", "choices", i, "value"), choice["value"], 0, 100)
    return errors.result()


def is_empty(message: dict[str, Any], file_count: int) -> bool:
    """Discord's 50006: nothing to show (no content, embeds, files, components, poll)."""
    return not (
        message.get("content") or message.get("embeds") or file_count
        or message.get("components") or message.get("poll") or message.get("sticker_ids")
        or message.get("attachments")
    )
