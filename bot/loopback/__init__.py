"""Loopback Discord: a fake of Discord's gateway and REST API for end-to-end bot tests.

The real discord.py client connects to it over 127.0.0.1; see /work/shared/LOOPBACK.md for the
protocol facts it follows and ``driver.FakeDiscord`` for the verbs tests use.
"""

from .driver import CommandUnavailable, FakeDiscord
from .harness import apply_speedups, loopback_bot, loopback_only_trace, pointed_at
from .models import Channel, Guild, Member, Role, User
from .options import OptionError, parse_command_line
from .records import Attachment, Button, Callback, InteractionRecord, Message, Rejection
from .render_text import message_to_text

__all__ = [
    "Attachment",
    "Button",
    "Callback",
    "Channel",
    "CommandUnavailable",
    "FakeDiscord",
    "Guild",
    "InteractionRecord",
    "Member",
    "Message",
    "OptionError",
    "Rejection",
    "Role",
    "User",
    "apply_speedups",
    "loopback_bot",
    "loopback_only_trace",
    "message_to_text",
    "parse_command_line",
    "pointed_at",
]
