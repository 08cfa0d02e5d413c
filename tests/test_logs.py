"""Log output: plain or JSON lines, and the token never appears."""

from __future__ import annotations

import json
import logging

from bot.logs import setup_logging

TOKEN = "MTIzNDU2Nzg5.fake.token-for-tests"


def test_json_lines_with_tracebacks_and_no_token(capsys):
    setup_logging("INFO", "json", secrets=[TOKEN])
    log = logging.getLogger("sitrep.test")
    log.info("connecting with %s", TOKEN)
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed for %s", TOKEN)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [entry["level"] for entry in lines] == ["INFO", "ERROR"]
    assert "[redacted]" in lines[0]["message"] and TOKEN not in json.dumps(lines)
    assert "ValueError: boom" in lines[1]["traceback"]


def test_plain_lines(capsys):
    setup_logging("WARNING", "plain", secrets=[TOKEN])
    logging.getLogger("sitrep.test").info("hidden below the level")
    logging.getLogger("discord.http").warning(f"token {TOKEN} in a library message")
    err = capsys.readouterr().err
    assert "hidden" not in err and TOKEN not in err and "[redacted]" in err
    assert "WARNING" in err and "discord.http" in err
