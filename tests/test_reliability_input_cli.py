"""Hostile and broken input through the command line: each value of the hostile table in every
argument of every command, then hypothesis. Each is refused (exit 2, one line on stderr saying
what to fix) or stored verbatim; nothing crashes (exit 1 is a bug), nothing is half-written.

To cover a new command, add its argument vector to ``COMMANDS`` (``V`` marks the value).
"""

from __future__ import annotations

import functools
import re
import sqlite3
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_reliability_support import CLI_LOG, assert_consistent, hostile

from bot import cli

pytestmark = pytest.mark.reliability

V = object()  # where the hostile value goes
LOG_BASE = CLI_LOG
COMMANDS: dict[str, list] = {
    "log --notes": [*LOG_BASE, "--notes", V],
    "log --location": [*LOG_BASE, "--location", V],
    "log --source": [*LOG_BASE, "--source", V],
    "log --by": [*LOG_BASE, "--by", V],
    "log --date": ["log", "--date", V, "--township", "Mese", "--actor", "KNDF", "--type",
                   "Armed clash"],
    "log --ref": [*LOG_BASE, "--ref", V],
    "log --township": ["log", "--date", "2023-11-07", "--township", V, "--actor", "KNDF",
                       "--type", "Armed clash"],
    "log --actor": ["log", "--date", "2023-11-07", "--township", "Mese", "--actor", V,
                    "--type", "Armed clash"],
    "log --actor --new-actor": ["log", "--date", "2023-11-07", "--township", "Mese", "--actor",
                                V, "--type", "Armed clash", "--new-actor"],
    "log --opponent": [*LOG_BASE, "--opponent", V],
    "log --type": ["log", "--date", "2023-11-07", "--township", "Mese", "--actor", "KNDF",
                   "--type", V],
    "log --fatalities": [*LOG_BASE, "--fatalities", V],
    "show": ["show", V],
    "search": ["search", V],
    "active": ["active", V],
    "active --since": ["active", "Mese", "--since", V],
    "actor": ["actor", V],
    "timeline": ["timeline", V],
    "summary --region": ["summary", "--region", V],
    "summary --until": ["summary", "--until", V],
    "history": ["history", V],
    "edit notes": ["edit", "1", "--set", ("notes=", V), "--reason", "r"],
    "edit fatalities": ["edit", "1", "--set", ("fatalities=", V), "--reason", "r"],
    "edit date": ["edit", "1", "--set", ("date=", V), "--reason", "r"],
    "edit field": ["edit", "1", "--set", (V, "=x"), "--reason", "r"],
    "edit --reason": ["edit", "1", "--set", "location=Hpasawng road", "--reason", V],
    "merge": ["merge", "1", V, "--reason", "r"],
    "undo --reason": ["undo", "1", "--reason", V],
    "alias add": ["alias", "add", "KNDF", V],
    "alias of": ["alias", "add", V, "Some alias"],
    "actor-rename": ["actor-rename", "Karenni Army", V],
    "duplicates --limit": ["duplicates", "--limit", V],
    "export --township": ["export", "--township", V],
    "export --actor": ["export", "--actor", V],
    "export --since": ["export", "--since", V],
    "digest --date": ["digest", "--date", V],
    "digest --tz": ["digest", "--tz", V],
    "digest-config --time": ["digest-config", "--time", V],
    "digest-config --channel": ["digest-config", "--channel", V],
    "import-acled": ["import-acled", V],
    "--guild": ["--guild", V, "summary"],
    "delete --reason": ["delete", "1", "--reason", V],  # last: it may delete event 1
}
VALUES = hostile()


@pytest.fixture(autouse=True)
def one_parser(monkeypatch):
    """``main`` rebuilds sitrep's ~40 sub-parsers (argparse looks up translations for each)
    on every call, which would dominate this table's time; one parser serves it all."""
    monkeypatch.setattr(cli, "build_parser", functools.lru_cache(cli.build_parser))


def argv(template: list, value: str) -> list[str]:
    out = []
    for part in template:
        if part is V:
            out.append(value)
        elif isinstance(part, tuple):
            out.append("".join(value if p is V else p for p in part))
        else:
            out.append(part)
    return out


def stored(db_path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("name", list(VALUES))
def test_every_command_refuses_or_stores_the_value(name, run, db_path, tmp_path, monkeypatch):
    value = VALUES[name]
    code, _, err = run(*CLI_LOG, "--notes", "the event the corrections work on")
    assert code == 0, err
    outcomes: dict[str, int] = {}
    problems: list[str] = []
    for label, template in COMMANDS.items():
        code, _, err = run(*argv(template, value))  # a second --guild overrides run's own
        outcomes[label] = code
        if code not in (0, 2):
            problems.append(f"{label}: exit {code}: {err.strip()[-300:]}")
        elif code == 2 and (not err.startswith(("sitrep: ", "usage: ")) or "unexpected" in err
                            or "Traceback" in err):
            problems.append(f"{label}: a refusal must say what to fix, got {err!r:.300}")
        if label == "log --notes" and code == 0:
            (notes,), = stored(db_path, "SELECT notes FROM events ORDER BY id DESC LIMIT 1")
            if notes != (value.strip() or None):
                problems.append(f"{label}: stored {notes!r:.80}, typed {value!r:.80}")
        if label == "log --location" and code == 0:
            (location,), = stored(db_path, "SELECT location FROM events ORDER BY id DESC LIMIT 1")
            if location != (value.strip() or None):
                problems.append(f"{label}: stored {location!r:.80}, typed {value!r:.80}")
    assert not problems, "\n".join(problems)
    logged = sum(1 for label, code in outcomes.items() if label.startswith("log") and code == 0)
    (events,), = stored(db_path, "SELECT COUNT(*) FROM events")
    assert events == 1 + logged  # a refused log wrote nothing
    assert_consistent(db_path)
    refused = sum(1 for c in outcomes.values() if c == 2)
    print(f"\n[input/cli] {name}: {len(outcomes)} commands, {refused} refused, "
          f"{len(outcomes) - refused} accepted, 0 crashes")


def test_10k_notes_and_absurd_numbers_are_refused_with_the_reason(run, db_path):
    code, _, err = run(*CLI_LOG, "--notes", "x" * 10_000)
    assert code == 2 and "10,000 characters" in err and "4,000" in err
    for number in ("-1", "1000000000000", str(2**64)):
        code, _, err = run(*CLI_LOG, "--fatalities", number)
        assert code == 2 and err.startswith("sitrep: "), (number, err)
    code, _, err = run(*CLI_LOG, "--date", "0000-00-00")
    assert code == 2 and "not a real date" in err
    assert stored(db_path, "SELECT COUNT(*) FROM events") == [(0,)]


# Any text at all, surrogates and control characters included.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=300)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=ANY_TEXT, query=ANY_TEXT, place=ANY_TEXT)
def test_hypothesis_any_text_is_refused_or_stored_verbatim(run, db_path, notes, query, place):
    before = stored(db_path, "SELECT COUNT(*) FROM events")[0][0] if db_path.exists() else 0
    code, _, err = run(*CLI_LOG, "--notes", notes)
    assert code in (0, 2), err
    if code == 0:
        (kept,), = stored(db_path, "SELECT notes FROM events ORDER BY id DESC LIMIT 1")
        assert kept == (notes.strip() or None)
    else:
        assert stored(db_path, "SELECT COUNT(*) FROM events")[0][0] == before
    for args in (["search", query], ["active", place], ["actor", place],
                 ["summary", "--region", place], ["alias", "add", "KNDF", place]):
        code, _, err = run(*args)
        assert code in (0, 2), f"{args!r}: {err}"
        # argparse's own refusal ("usage: ...") for text that looks like an option ("-:")
        assert code == 0 or err.startswith(("sitrep: ", "usage: ")), f"{args!r}: {err}"
    assert_consistent(db_path)


def test_terminal_output_carries_no_control_characters(run, monkeypatch):
    """Stored verbatim is right; shown verbatim on a terminal is not: ESC sequences in a note
    logged from Discord would retitle, recolour or clear the analyst's terminal."""
    code, _, err = run(*CLI_LOG, "--notes", "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b")
    assert code == 0, err
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    for args in (["show", "1"], ["search", "red"], ["timeline", "Mese"]):
        code, out, _ = run(*args)
        assert code == 0 and not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), args
