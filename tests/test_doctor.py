"""`sitrep doctor`: ok, warn and fail lines that say what to do, offline and against the fake."""

from __future__ import annotations

import json
import sqlite3

import discord
import pytest
import yarl

from bot.app import online_checks
from bot.config import Settings
from bot.db import open_db


def statuses(checks) -> dict[str, str]:
    return {c.name: c.status for c in checks}


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", "doctor.test.token")


def test_fresh_database_is_ok(run, env):
    run("init")
    code, out, _ = run("doctor", "--offline", "--json")
    checks = {c["name"]: c for c in json.loads(out)}
    assert code == 0
    for name in ("token", "database", "schema", "integrity", "wal", "seeds", "disk"):
        assert checks[name]["status"] == "ok", checks[name]
    assert checks["backups"]["status"] == "warn" and "sitrep backup" in checks["backups"]["detail"]
    assert checks["discord"]["status"] == "skip"


def test_a_wrong_time_zone_is_a_warning_that_says_what_to_do(run, env, db_path):
    run("digest-config", "--channel", "123456", "--tz", "Asia/Yangon")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE settings SET value = 'Mars/Olympus' WHERE key = 'digest_tz'")
    conn.commit()
    conn.close()
    code, out, _ = run("doctor", "--offline")
    line = next(line for line in out.splitlines() if "Mars/Olympus" in line)
    assert line.startswith("warn") and "Asia/Yangon" in line
    assert code == 0


def test_a_corrupted_copy_fails_and_points_to_restore(run, env, db_path, tmp_path):
    run("init")
    run("backup", str(tmp_path / "whole.db"))  # one self-contained file, no WAL beside it
    broken = tmp_path / "broken.db"
    broken.write_bytes((tmp_path / "whole.db").read_bytes()[:20_000])
    code, out, _ = run("--db", str(broken), "doctor", "--offline")
    assert code == 1
    line = next(line for line in out.splitlines() if line.startswith("fail  database"))
    assert "restore-backup" in line
    assert broken.stat().st_size == 20_000  # doctor never writes


def test_missing_token_fails(run, monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    run("init")
    code, out, _ = run("doctor", "--offline")
    assert code == 1 and "fail  token" in out


@pytest.mark.e2e
async def test_online_checks_against_the_loopback_discord(fake_discord, db_path, monkeypatch):
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)  # restored after
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    team = fake_discord.team
    settings = Settings(db_path=db_path, token=fake_discord.token,
                        discord_api=fake_discord.api_base, discord_gateway=fake_discord.gateway_url)
    channels = {team.guild.id: team.digest.id, team.guild.id + 1: 999}
    checks = await online_checks(settings, channels)  # the bot's role has no permissions
    found = statuses(checks)
    assert found["token accepted"] == "ok" and found["gateway"] == "ok"
    lacking = next(c for c in checks if c.name == f"guild {team.guild.id} digest channel")
    assert lacking.status == "fail" and "send messages" in lacking.detail
    assert found[f"guild {team.guild.id + 1} digest channel"] == "fail"
    view, send, embed, attach = 1 << 10, 1 << 11, 1 << 14, 1 << 15
    team.guild.everyone.permissions = view | send | embed | attach
    found = statuses(await online_checks(settings, channels))
    assert found[f"guild {team.guild.id} digest channel"] == "ok"
    assert yarl.URL(fake_discord.gateway_url) == discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    bad = Settings(db_path=db_path, token="wrong.token.value",
                   discord_api=fake_discord.api_base, discord_gateway=fake_discord.gateway_url)
    assert statuses(await online_checks(bad, {}))["token accepted"] == "fail"
    open_db(db_path).close()
