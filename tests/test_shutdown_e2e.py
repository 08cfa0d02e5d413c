"""A real `sitrep run` process against the loopback Discord, stopped with SIGTERM mid-burst."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys

import pytest

from bot.db import open_db

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LOG = {"date": "2023-11-07", "township": "Mese", "actors": "KNDF", "opponents": "junta",
       "type": "Armed clash"}


def sitrep_script() -> str:
    found = shutil.which("sitrep", path=os.path.dirname(sys.executable))
    assert found, "the sitrep console script is not installed next to this Python"
    return found


async def read_until(stream: asyncio.StreamReader, marker: str, seen: list[str],
                     timeout: float = 20) -> None:
    async def scan() -> None:
        while True:
            line = (await stream.readline()).decode(errors="replace")
            if not line:
                raise AssertionError("sitrep run ended early:\n" + "".join(seen))
            seen.append(line)
            if marker in line:
                return

    await asyncio.wait_for(scan(), timeout)


async def test_sigterm_keeps_every_acknowledged_write(fake_discord, tmp_path):
    db_path = tmp_path / "run.db"
    env = {**os.environ, "DISCORD_TOKEN": fake_discord.token, "SITREP_DB": str(db_path),
           "SITREP_DISCORD_API": fake_discord.api_base,
           "SITREP_DISCORD_GATEWAY": fake_discord.gateway_url, "SITREP_LOG_LEVEL": "INFO"}
    sync = await asyncio.create_subprocess_exec(sitrep_script(), "sync", env=env, cwd=tmp_path,
                                                stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(sync.communicate(), 60)
    assert sync.returncode == 0, err.decode()
    assert "published" in out.decode() and fake_discord.find_command("log", None)

    proc = await asyncio.create_subprocess_exec(sitrep_script(), "run", env=env, cwd=tmp_path,
                                                stderr=asyncio.subprocess.PIPE)
    seen: list[str] = []
    try:
        await read_until(proc.stderr, "connected as", seen)
        team = fake_discord.team
        burst = []
        for day in range(1, 41):
            burst.append(await fake_discord.slash(team.guild, team.member, "log",
                                                  **{**LOG, "date": f"2023-10-{day % 28 + 1:02d}"}))
            if day == 15:
                proc.send_signal(signal.SIGTERM)
        # communicate() keeps draining stderr, so a chatty shutdown can never fill the pipe
        _, tail = await asyncio.wait_for(proc.communicate(), 60)
        code, rest = proc.returncode, tail.decode(errors="replace")
    finally:
        if proc.returncode is None:
            proc.kill()
    log_text = "".join(seen) + rest
    assert code == 0, log_text
    assert "shut down cleanly" in log_text
    assert fake_discord.token not in log_text

    acknowledged = set()
    for rec in burst:
        for message in rec.messages:
            title = (message.embeds or [{}])[0].get("title", "")
            if title.startswith("Logged event #"):
                acknowledged.add(int(title.split("#")[1]))
    assert acknowledged, "no write was acknowledged before the shutdown"
    print(f"{len(acknowledged)} of {len(burst)} writes acknowledged before the shutdown")
    db = open_db(db_path)
    stored = {row["id"] for row in db.query("SELECT id FROM events")}
    assert acknowledged <= stored
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not (tmp_path / "run.db-wal").exists() or (tmp_path / "run.db-wal").stat().st_size == 0
