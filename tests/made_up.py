"""Helpers for the extraction tests that read short made-up sentences (one test file per
round of rules): the sentences are the tests' own, never an article's, so a rule is shown to
work on wording it was not tuned on."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from bot.extract import Proposal, extract, extractor_for
from bot.extraction.triggers import find_triggers
from bot.extraction.when import find_dates

FRIDAY = date(2023, 11, 10)
ARTICLE = "url: https://example.org/report\noutlet: Example\npublished: 2023-11-10\n\n"
OVERTAKE = "Non-state actor overtakes territory"
SHELL = "Shelling/artillery/missile attack"
PROPERTY = "Looting/property destruction"


def read(db: Database, text: str, published: date = FRIDAY) -> list[Proposal]:
    """Proposals for ``text`` as given (a header in it sets the source and the date)."""
    return extract(text, published, db=db)


def report(db: Database, text: str) -> list[Proposal]:
    """Proposals for ``text`` as the body of an article published on ``FRIDAY``."""
    return read(db, ARTICLE + text)


def kinds(proposals: list[Proposal]) -> list[tuple[str, str, str]]:
    return sorted((p.township, p.date, p.sub_event_type) for p in proposals)


def sub_types(text: str) -> list[str]:
    return [t.sub_event_type for t in find_triggers(text)]


def townships(db: Database, text: str) -> list[str]:
    return [m.township.name for m in extractor_for(db).places.find(text).event_townships]


def roles(text: str) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.role) for m in find_dates(text, FRIDAY)]
