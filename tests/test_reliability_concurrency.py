"""Concurrent writers: 200 /log at once through the loopback Discord, and two CLI processes
writing into one database at the same time. Every write lands, every user gets an answer, and
no "database is locked" reaches anyone."""

from __future__ import annotations

import asyncio
import itertools
import os
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from test_reliability_support import (
    LOG,
    assert_consistent,
    audit_messages,
    changed_tables,
    count,
    reply_of,
    rows,
    settle,
)

from bot import events

pytestmark = [pytest.mark.reliability]

LOGS = 200


@pytest.mark.e2e
async def test_200_simultaneous_logs_all_land_and_all_are_answered(sitrep, fake_discord, db_path):
    team = fake_discord.team
    started = time.perf_counter()
    records = await asyncio.gather(*[
        fake_discord.slash(team.guild, team.member, "log",
                           **{**LOG, "date": f"2023-10-{n % 28 + 1:02d}", "notes": f"burst {n}"})
        for n in range(LOGS)])
    await asyncio.gather(*(settle(fake_discord, r, timeout=30) for r in records))
    seconds = time.perf_counter() - started

    replies = [reply_of(r) for r in records]
    logged = [m for m in replies if (m.embed or {}).get("title", "").startswith("Logged event #")]
    assert len(logged) == LOGS, [m.text() for m in replies if m not in logged][:3]
    assert all(not r.rejections for r in records)  # no reply came too late or was malformed
    ids = {int(m.embed["title"].split("#")[1]) for m in logged}
    assert len(ids) == LOGS  # 200 distinct events, each reported to the one who logged it
    assert count(db_path, "SELECT COUNT(*) FROM events WHERE guild_id = ?",
                 team.guild.id) == LOGS
    notes = {n for (n,) in _query(db_path, "SELECT notes FROM events")}
    assert notes == {f"burst {n}" for n in range(LOGS)}
    assert_consistent(db_path)
    checked = audit_messages(fake_discord)  # no error id, no "locked", nothing pings
    deferred = sum(1 for r in records if r.callback.type == 5)
    print(f"\n[concurrency] {LOGS} simultaneous /log: {len(ids)} events stored, "
          f"{len(logged)} answered ({deferred} after a defer), {checked} messages checked, "
          f"0 errors, {seconds:.2f} s")


@pytest.mark.e2e
async def test_a_write_that_fails_half_way_leaves_nothing_behind(sitrep, fake_discord, db_path,
                                                                 monkeypatch):
    """The event row is inserted, then the audit row fails: the transaction takes the event,
    its actors and sources back with it, and the user gets an error id (not a half event)."""
    def broken_audit(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(events, "write_audit", broken_audit)
    before = rows(db_path)
    rec = await fake_discord.slash(fake_discord.team.guild, fake_discord.team.member, "log",
                                   **{**LOG, "source": "https://example.org/report"})
    msg = await settle(fake_discord, rec)
    assert msg.ephemeral and "error id" in msg.content and "Nothing was changed" in msg.content
    assert changed_tables(before, rows(db_path)) == []
    assert_consistent(db_path)


def _query(db_path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# Each process runs the `sitrep log` command 100 times (the console script's own `main`, one
# database connection per call as the real command opens it), starting together on a go-file.
WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from bot.cli import main

    db, tag, go, n = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    while not go.exists():
        time.sleep(0.001)
    codes = [main(["--db", db, "log", "--date", f"2023-10-{i % 28 + 1:02d}", "--township",
                   "Mese", "--actor", "KNDF", "--opponent", "junta", "--type", "Armed clash",
                   "--notes", f"{tag} {i}", "--by", tag]) for i in range(n)]
    sys.exit(0 if set(codes) == {0} else 3)
""")
PER_PROCESS = 100


@pytest.mark.slow
def test_two_cli_processes_writing_at_once_store_every_event(tmp_path):
    db_path = tmp_path / "shared.db"  # a new file: both processes also race to create it
    go = tmp_path / "go"
    env = {**os.environ, "SITREP_LOG_LEVEL": "WARNING"}
    env.pop("SITREP_DB", None)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), tag, str(go),
                               str(PER_PROCESS)], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for tag in ("alpha", "bravo")]
    time.sleep(1.0)  # both have imported the CLI and wait on the go-file
    started = time.perf_counter()
    go.touch()
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    seconds = time.perf_counter() - started
    assert [p.returncode for p in procs] == [0, 0], errors
    assert not any("locked" in e for e in errors), errors

    by = [tag for (tag,) in _query(db_path, "SELECT logged_by FROM events ORDER BY id")]
    assert len(by) == 2 * PER_PROCESS
    assert by.count("alpha") == by.count("bravo") == PER_PROCESS
    switches = sum(1 for a, b in itertools.pairwise(by) if a != b)
    assert switches >= 2, "the two writers never overlapped; the test proved nothing"
    assert_consistent(db_path)
    print(f"\n[concurrency] 2 processes x {PER_PROCESS} `sitrep log`: {len(by)} events stored, "
          f"writers interleaved {switches} times, {seconds:.2f} s")
