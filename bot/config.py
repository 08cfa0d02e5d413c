"""Process settings, read from the environment (optionally a ``.env`` file) by entry points only.

Everything else receives a ``Settings`` instance: the bot, the cogs and the tests never read the
environment themselves. Every variable here is listed in ``.env.example``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from dotenv import load_dotenv

from bot.errors import InvalidInput

T = TypeVar("T", int, float)

DEFAULT_DB = "sitrep.db"


def _number(name: str, default: T, kind: Callable[[str], T]) -> T:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        raise InvalidInput(f"{name}={raw!r} in the environment is not a number; fix it in .env."
                           ) from None


@dataclass(frozen=True)
class Settings:
    db_path: Path = Path(DEFAULT_DB)
    token: str | None = field(default=None, repr=False)  # never printed
    log_level: str = "INFO"
    log_format: str = "plain"  # or "json": one JSON object per line
    backup_dir: Path | None = None  # default: backups/ beside the database
    backup_keep: int = 14  # scheduled backups kept
    backup_hours: float = 24.0  # between scheduled backups; 0 turns them off
    discord_api: str | None = None  # another Discord-compatible REST base (the loopback fake)
    discord_gateway: str | None = None  # and its gateway URL

    @property
    def backups(self) -> Path:
        """Where backups go: the configured folder, or ``backups/`` beside the database."""
        return self.backup_dir or self.db_path.parent / "backups"

    @classmethod
    def from_env(cls, env_file: str | None = ".env") -> Settings:
        if env_file and Path(env_file).exists():
            load_dotenv(env_file, override=False)
        return cls(
            db_path=Path(os.environ.get("SITREP_DB") or DEFAULT_DB),
            token=os.environ.get("DISCORD_TOKEN", "").strip() or None,
            log_level=os.environ.get("SITREP_LOG_LEVEL", "INFO").upper(),
            log_format=os.environ.get("SITREP_LOG_FORMAT", "plain").strip().lower(),
            backup_dir=Path(os.environ["SITREP_BACKUP_DIR"])
            if os.environ.get("SITREP_BACKUP_DIR") else None,
            backup_keep=_number("SITREP_BACKUP_KEEP", 14, int),
            backup_hours=_number("SITREP_BACKUP_HOURS", 24.0, float),
            discord_api=os.environ.get("SITREP_DISCORD_API") or None,
            discord_gateway=os.environ.get("SITREP_DISCORD_GATEWAY") or None,
        )
