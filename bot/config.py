"""Process settings, read from the environment (optionally a ``.env`` file) by entry points only.

Everything else receives a ``Settings`` instance: the bot, the cogs and the tests never read the
environment themselves. Every variable here is listed in ``.env.example``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

DEFAULT_DB = "sitrep.db"


@dataclass(frozen=True)
class Settings:
    db_path: Path = Path(DEFAULT_DB)
    token: str | None = field(default=None, repr=False)  # never printed
    log_level: str = "INFO"
    log_format: str = "plain"  # or "json": one JSON object per line
    discord_api: str | None = None  # another Discord-compatible REST base (the loopback fake)
    discord_gateway: str | None = None  # and its gateway URL

    @classmethod
    def from_env(cls, env_file: str | None = ".env") -> Settings:
        if env_file and Path(env_file).exists():
            load_dotenv(env_file, override=False)
        return cls(
            db_path=Path(os.environ.get("SITREP_DB") or DEFAULT_DB),
            token=os.environ.get("DISCORD_TOKEN", "").strip() or None,
            log_level=os.environ.get("SITREP_LOG_LEVEL", "INFO").upper(),
            log_format=os.environ.get("SITREP_LOG_FORMAT", "plain").strip().lower(),
            discord_api=os.environ.get("SITREP_DISCORD_API") or None,
            discord_gateway=os.environ.get("SITREP_DISCORD_GATEWAY") or None,
        )
