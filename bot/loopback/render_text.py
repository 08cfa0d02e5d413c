"""A recorded message as plain text, the way a person scanning Discord would read it.

Used by the terminal playground and by assertion messages. Embeds become an indented block
(title, description, fields, footer), buttons ``[Label]`` (``[Label (disabled)]``, link buttons
``[Label -> url]``), selects ``<placeholder: a | b>``, attachments ``file: name (N bytes)``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

EPHEMERAL = 1 << 6
LOADING = 1 << 7


def _embed_lines(embed: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    author = (embed.get("author") or {}).get("name")
    if author:
        lines.append(author)
    if embed.get("title"):
        url = embed.get("url")
        lines.append(f"**{embed['title']}**" + (f" <{url}>" if url else ""))
    if embed.get("description"):
        lines.extend(str(embed["description"]).splitlines())
    for fld in embed.get("fields") or []:
        value = str(fld.get("value", "")).splitlines() or [""]
        lines.append(f"{fld.get('name', '')}: {value[0]}")
        lines.extend(f"  {more}" for more in value[1:])
    for key in ("image", "thumbnail"):
        if (embed.get(key) or {}).get("url"):
            lines.append(f"({key}: {embed[key]['url']})")
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines.append(f"-- {footer}")
    return ["| " + line if line else "|" for line in lines]


def _button(comp: dict[str, Any]) -> str:
    label = comp.get("label") or (comp.get("emoji") or {}).get("name") or comp.get("custom_id")
    if comp.get("url"):
        return f"[{label} -> {comp['url']}]"
    return f"[{label} (disabled)]" if comp.get("disabled") else f"[{label}]"


def _select(comp: dict[str, Any]) -> str:
    options = " | ".join(o.get("label", o.get("value", "")) for o in comp.get("options") or [])
    head = comp.get("placeholder") or comp.get("custom_id", "select")
    suffix = " (disabled)" if comp.get("disabled") else ""
    return f"<{head}: {options}>{suffix}" if options else f"<{head}>{suffix}"


def _component_lines(components: list[dict[str, Any]], indent: str = "") -> list[str]:
    lines: list[str] = []
    for comp in components:
        kind = comp.get("type")
        if kind == 1:
            parts = [_button(c) if c.get("type") == 2 else _select(c)
                     for c in comp.get("components") or []]
            lines.append(indent + " ".join(parts))
        elif kind == 2:
            lines.append(indent + _button(comp))
        elif kind in (3, 5, 6, 7, 8):
            lines.append(indent + _select(comp))
        elif kind == 10:
            lines.extend(indent + line for line in str(comp.get("content", "")).splitlines())
        elif kind == 9:
            lines.extend(_component_lines(comp.get("components") or [], indent))
            if comp.get("accessory"):
                lines.extend(_component_lines([comp["accessory"]], indent + "  "))
        elif kind == 17:
            lines.extend(_component_lines(comp.get("components") or [], indent + "| "))
        elif kind == 14:
            lines.append(indent + "---")
        elif kind in (12, 13):
            lines.append(indent + f"(media: {kind})")
    return lines


def _get(message: Any, key: str, default: Any) -> Any:
    if isinstance(message, dict):
        return message.get(key, default)
    return getattr(message, key, default)


def message_to_text(message: Any) -> str:
    """Render a ``records.Message`` (or a Discord message dict) as readable text."""
    flags = int(_get(message, "flags", 0) or 0)
    lines: list[str] = []
    if flags & LOADING:
        lines.append("(thinking...)")
    if flags & EPHEMERAL:
        lines.append("(only you can see this)")
    content = _get(message, "content", "") or ""
    if content:
        lines.extend(content.splitlines())
    for embed in _get(message, "embeds", []) or []:
        lines.extend(_embed_lines(embed))
    lines.extend(_component_lines(_get(message, "components", []) or []))
    for att in _get(message, "attachments", []) or []:
        name = att.get("filename") if isinstance(att, dict) else att.filename
        size = att.get("size") if isinstance(att, dict) else att.size
        lines.append(f"file: {name} ({size} bytes)")
    return "\n".join(lines)


# --- Discord's inline markup, as the app displays it (for the playground's terminal) ----------
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ESCAPED = re.compile(r"\\([\\*_~`|>#\-\[\]()])")
_STAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
_MENTION = re.compile(r"<(@&|@!?|#)(\d+)>")
_STAMP_FORMATS = {"t": "%H:%M", "T": "%H:%M:%S", "d": "%Y-%m-%d", "D": "%d %B %Y",
                  "f": "%d %B %Y %H:%M", "F": "%A, %d %B %Y %H:%M"}
_UNITS = (("year", 31_536_000), ("month", 2_592_000), ("day", 86_400), ("hour", 3_600),
          ("minute", 60), ("second", 1))


def _relative(stamp: int) -> str:
    ago = time.time() - stamp
    unit, size = next(((u, s) for u, s in _UNITS if abs(ago) >= s), ("second", 1))
    count = int(abs(ago) // size)
    text = f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{text} ago" if ago >= 0 else f"in {text}"


def _mention(guild: Any, kind: str, id: int) -> str:
    """``@Role``, ``@user`` or ``#channel`` by id, as the app shows a mention."""
    kind = kind.rstrip("!")
    found = {"@&": guild.roles, "@": guild.members, "#": guild.channels}[kind] if guild else []
    name = next((getattr(x, "username", None) or x.name for x in found if x.id == id), None)
    return f"{kind[0]}{name or 'unknown'}"


def discord_markup(text: str, guild: Any = None, bold: Callable[[str], str] = lambda s: s
                   ) -> str:
    """Render what the Discord app renders: ``**bold**`` (through ``bold``), markdown escapes,
    ``<t:...>`` timestamps in local time, and mentions by name from ``guild`` (a
    ``models.Guild``)."""
    text = _BOLD.sub(lambda m: bold(m[1]), text)
    text = _STAMP.sub(lambda m: _relative(int(m[1])) if m[2] == "R" else datetime.fromtimestamp(
        int(m[1])).strftime(_STAMP_FORMATS[m[2] or "f"]), text)
    text = _MENTION.sub(lambda m: _mention(guild, m[1], int(m[2])), text)
    return _ESCAPED.sub(r"\1", text)
