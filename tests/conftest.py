"""Shared fixtures: a real SQLite file per test, never an in-memory stand-in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot import guild_settings
from bot.app import SitrepBot
from bot.cli import main
from bot.config import Settings
from bot.db import open_db
from bot.events import Event, NewEvent, log_event
from bot.loopback import loopback_bot

pytest_plugins = ["bot.loopback.pytest_plugin"]

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
REF = date(2023, 11, 10)  # the seed article's publication date


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sitrep.db"


@pytest.fixture
def db(db_path: Path) -> Database:
    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture(scope="module")
def module_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """One store shared by a module's tests that only read through it (extraction)."""
    database = open_db(tmp_path_factory.mktemp("module") / "sitrep.db")
    yield database
    database.close()


def mese_event(**changes: object) -> NewEvent:
    """The seed article's Operation 1107 event, as an analyst would type it."""
    fields: dict[str, object] = {
        "date": "Tuesday",
        "township": "Mese Township, Kayah State",
        "actors": ["KNPLF", "Karenni Army", "KNDF", "PDF"],
        "opponents": ["junta"],
        "event_type": "Non-state actor overtakes territory",
        "sources": ["https://www.irrawaddy.com/news/burma/brotherhood-alliance-vows.html"],
        "notes": "Operation 1107: two junta bases occupied on the Thai border.",
    }
    fields.update(changes)
    return NewEvent(**fields)  # type: ignore[arg-type]


def log(db: Database, guild_id: int = 0, ref: date = REF, **changes: object) -> Event:
    return log_event(db, guild_id, mese_event(**changes), by="tester", ref=ref)


MESE = ["log", "--date", "Tuesday", "--ref", "2023-11-10", "--township",
        "Mese Township, Kayah State", "--actor", "KNPLF", "--actor", "Karenni Army", "--actor",
        "KNDF", "--actor", "PDF", "--opponent", "junta", "--type",
        "Non-state actor overtakes territory"]


@pytest.fixture
def run(db_path, capsys, monkeypatch):
    """Run `sitrep` in-process on the test's database; returns (exit code, stdout, stderr)."""
    monkeypatch.chdir(db_path.parent)  # no stray .env or sitrep.db from the developer's tree

    def run(*args: str, guild: int = 0) -> tuple[int, str, str]:
        try:
            code = main(["--db", str(db_path), "--guild", str(guild), *args])
        except SystemExit as exc:  # argparse's own refusals (missing option...)
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
async def sitrep(fake_discord, db_path):
    """The real SitrepBot connected to the loopback Discord, its commands synced, with the test
    team's Member and Editor roles configured."""
    team = fake_discord.team
    setup = open_db(db_path)
    guild_settings.save(setup, team.guild.id, by="test setup", member_role=team.member_role.id,
                        editor_role=team.editor_role.id)
    setup.close()
    settings = Settings(db_path=db_path)
    async with loopback_bot(lambda **kw: SitrepBot(settings, **kw), fake_discord) as bot:
        await fake_discord.sync_commands(bot)
        yield bot
