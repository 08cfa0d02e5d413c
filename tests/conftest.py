"""Shared fixtures: a real SQLite file per test, never an in-memory stand-in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.db import open_db
from bot.events import Event, NewEvent, log_event

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
