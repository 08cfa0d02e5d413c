"""The one error tree of sitrep.

Every refusal a user can cause is a ``SitrepError`` carrying a sentence that says what was wrong
and what to do. The surfaces translate them in exactly one place each: ``bot.cli.main`` (exit 2,
one line on stderr) and the command tree's error handler in ``bot.app`` (an ephemeral reply).
Anything that is not a ``SitrepError`` is a bug: it is logged with a traceback and an error id.

    SitrepError
    ├── InvalidInput   bad value typed by the user (date, number, type name...)
    ├── NotFound       no such event / township / actor (may carry suggestions)
    ├── Ambiguous      a name that fits several things; the user must pick one
    └── Forbidden      the user lacks the role the action needs
"""

from __future__ import annotations


class SitrepError(Exception):
    """A refusal whose message is safe and useful to show to the user as is."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class InvalidInput(SitrepError):
    """The user's value cannot be accepted (impossible date, unknown event type...)."""


class NotFound(SitrepError):
    """The named thing does not exist; ``suggestions`` holds the closest known names."""

    def __init__(self, user_message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(user_message)
        self.suggestions = suggestions or []


class Ambiguous(SitrepError):
    """The name fits several things; ``choices`` lists them so the user can pick."""

    def __init__(self, user_message: str, choices: list[str] | None = None) -> None:
        super().__init__(user_message)
        self.choices = choices or []


class Forbidden(SitrepError):
    """The user lacks the role the action needs."""
