"""Secrets: the bot token comes only from the environment or ``.env``, and no log line, reply
or exception carries it, whatever the bot does (log in, IDENTIFY, RESUME after a drop, meet a
429, report an internal error, shut down).

In-process, every logger's records are captured at DEBUG *before* any redaction (the
``Redact`` filter sits on ``sitrep run``'s stream handler only), so this proves the token is
never logged, not merely masked. The ``sitrep run`` process logs through the filter; there the
test also requires that ``[redacted]`` never appears, i.e. that nothing even tried.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from test_reliability_support import LOG, running_bot, settle

from bot import queries
from bot.cli import build_parser
from bot.config import Settings
from bot.loopback.driver import FakeDiscord
from bot.loopback.pytest_plugin import build_research_team

pytestmark = pytest.mark.reliability

# Shaped like a real bot token: base64 user id, timestamp, HMAC.
TOKEN = "MTE5ODc2NTQzMjEwOTg3NjU0Mw.GhT0kN.s3cr3t-T0k3n_d0-n0t-l0g-th1s-0r-3ch0-1t"
PIECES = [TOKEN, *TOKEN.split(".")]
ROOT = Path(__file__).resolve().parent.parent


def traces(text: str) -> list[str]:
    return [piece for piece in PIECES if piece in text]


@pytest.fixture
async def fake_with_token():
    fake = FakeDiscord(token=TOKEN)
    fake.team = build_research_team(fake)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.mark.e2e
async def test_the_token_is_in_no_log_record_reply_or_error(fake_with_token, db_path, caplog,
                                                            monkeypatch):
    fake, team = fake_with_token, fake_with_token.team
    caplog.set_level(logging.DEBUG)
    for name in ("discord", "aiohttp", "asyncio", "sitrep", "bot"):
        logging.getLogger(name).setLevel(logging.DEBUG)

    def broken(*args, **kwargs):
        raise RuntimeError(f"boom for {args[1]!r}")

    async with running_bot(fake, db_path) as bot:
        await settle(fake, await fake.slash(team.guild, team.member, "log", **LOG))
        fake.inject_429("/callback", retry_after=0.05)
        await settle(fake, await fake.slash(team.guild, team.member, "show", id=1))
        monkeypatch.setattr(queries, "active", broken)  # an internal error, logged with its id
        oops = await settle(fake, await fake.slash(team.guild, team.member, "active",
                                                   township="Mese"))
        assert "error id" in oops.content
        await fake.drop_connection()  # the client RESUMEs, sending the token again
        await fake.wait_until(lambda: fake.resumes >= 1 and fake.connected, 5, "RESUME")
        await fake.invalidate_session()  # and IDENTIFYs anew
        await settle(fake, await fake.slash(team.guild, team.editor, "admin history", id=1))
        assert bot.is_ready()

    records = caplog.records
    assert len(records) > 50 and any(r.levelno == logging.DEBUG for r in records)
    leaked = []
    for record in records:
        text = record.getMessage() + repr(record.args) + repr(record.__dict__.get("msg"))
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        if traces(text):
            leaked.append(f"{record.name}: {record.getMessage()[:200]}")
    assert not leaked, leaked
    replies = "".join(m.text() for m in fake.messages.values())
    assert not traces(replies)
    assert TOKEN not in repr(Settings(token=TOKEN)) and TOKEN not in str(Settings(token=TOKEN))
    print(f"\n[secrets] {len(records)} log records at DEBUG from "
          f"{len({r.name for r in records})} loggers and {len(fake.messages)} messages: "
          "no trace of the token")


def sitrep_script() -> str:
    found = shutil.which("sitrep", path=os.path.dirname(sys.executable))
    assert found, "the sitrep console script is not installed next to this Python"
    return found


@pytest.mark.e2e
@pytest.mark.slow
async def test_sitrep_run_with_a_token_from_dotenv_never_prints_it(fake_with_token, tmp_path):
    fake, team = fake_with_token, fake_with_token.team
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\nSITREP_LOG_LEVEL=DEBUG\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SITREP_"))}
    env.update(SITREP_DB=str(tmp_path / "run.db"), SITREP_DISCORD_API=fake.api_base,
               SITREP_DISCORD_GATEWAY=fake.gateway_url, SITREP_BACKUP_HOURS="0")
    sync = await asyncio.create_subprocess_exec(
        sitrep_script(), "sync", env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    sync_out, sync_err = await asyncio.wait_for(sync.communicate(), 60)
    assert sync.returncode == 0, sync_err.decode()  # the token came from .env alone
    proc = await asyncio.create_subprocess_exec(
        sitrep_script(), "run", env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    seen: list[str] = []
    try:
        async def until(marker: str) -> None:
            while not any(marker in line for line in seen):
                line = (await proc.stderr.readline()).decode(errors="replace")
                assert line, "sitrep run ended early:\n" + "".join(seen)
                seen.append(line)

        await asyncio.wait_for(until("connected as"), 30)
        reply = await settle(fake, await fake.slash(team.guild, team.member, "log", **LOG))
        assert reply.embed["title"] == "Logged event #1"
        await fake.drop_connection()
        await fake.wait_until(lambda: fake.resumes >= 1 and fake.connected, 10, "RESUME")
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
    printed = "".join(seen) + err.decode(errors="replace") + out.decode(errors="replace")
    printed += (sync_out + sync_err).decode(errors="replace")
    assert proc.returncode == 0, printed[-2000:]
    assert "DEBUG" in printed and "shut down cleanly" in printed
    assert not traces(printed), traces(printed)
    assert "[redacted]" not in printed  # not even masked: nothing tried to log it

    # A token Discord refuses: the message says what to do, and still does not echo it.
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={TOKEN[::-1]}\n")
    bad = await asyncio.create_subprocess_exec(  # not subprocess.run: the fake needs the loop
        sitrep_script(), "run", env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    bad_out, bad_err = (b.decode(errors="replace") for b in await asyncio.wait_for(
        bad.communicate(), 60))
    assert bad.returncode == 2 and "Discord refused the token" in bad_err, bad_err
    assert not any(p[::-1] in bad_err + bad_out for p in PIECES)
    print(f"\n[secrets] sitrep run at DEBUG: {len(printed.splitlines())} lines printed, no "
          "trace of the token, nothing redacted; a refused token is not echoed either")


def test_the_token_has_no_command_line_option_and_dotenv_is_ignored_by_git():
    parser = build_parser(Settings())
    options = [s for action in parser._actions for s in action.option_strings]
    for sub in parser._subparsers._group_actions[0].choices.values():  # type: ignore[union-attr]
        options += [s for action in sub._actions for s in action.option_strings]
    assert not [o for o in options if "token" in o.lower()]  # argv shows in `ps`
    if shutil.which("git") and (ROOT / ".git").exists():
        ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT)
        assert ignored.returncode == 0, ".env is not git-ignored"
        example = subprocess.run(["git", "check-ignore", "-q", ".env.example"], cwd=ROOT)
        assert example.returncode == 1, ".env.example must stay tracked"
    else:
        assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert "DISCORD_TOKEN=\n" in (ROOT / ".env.example").read_text()  # no real token shipped


def test_the_token_is_read_from_dotenv_when_the_environment_has_none(tmp_path, monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\n")
    settings = Settings.from_env(str(tmp_path / ".env"))
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)  # load_dotenv put it in os.environ
    assert settings.token == TOKEN and TOKEN not in repr(settings)
