"""The current time, in one place, so tests and the digest scheduler can move it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc_now() -> str:
    """Now in UTC as ISO 8601 with seconds, the form every timestamp column stores."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def today() -> date:
    return date.today()
