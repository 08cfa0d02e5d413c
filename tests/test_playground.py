"""`sitrep playground`: the real bot on the loopback Discord, driven as a person would."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.loopback.playground import Playground

pytestmark = pytest.mark.e2e

MESE_LINE = ('/log date:Tuesday published:2023-11-10 township:Mese '
             'actors:"KNPLF, Karenni Army, KNDF, PDF" opponents:junta '
             'type:"Non-state actor overtakes territory"')
GROUPS = ("Karenni National People's Liberation Front", "Karenni Army",
          "Karenni Nationalities Defense Force", "People's Defence Force", "Tatmadaw")


def sitrep_command() -> list[str]:
    """The installed ``sitrep`` script beside this interpreter, else the module itself."""
    script = Path(sys.executable).with_name("sitrep")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def test_a_scripted_session_logs_queries_charts_and_presses(tmp_path: Path) -> None:
    script = "\n".join([MESE_LINE, "/active township:Mese", "/summary", "press Undo", "quit"])
    proc = subprocess.run(
        [*sitrep_command(), "playground", "--db", str(tmp_path / "x.db"), "--files",
         str(tmp_path / "files")],
        input=script + "\n", capture_output=True, text=True, timeout=60, cwd=tmp_path)
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "INFO" not in proc.stderr
    # each command is echoed before its reply, so the transcript reads like the session
    assert f"#general> {MESE_LINE}\n[1] sitrep" in out
    assert re.search(r"Logged event #1\b", out)
    active = out.split("#general> /active township:Mese")[1].split("#general> /summary")[0]
    assert "Active in Mese Township, Kayah" in active
    for name in GROUPS:
        assert name in active
    png = Path(re.search(r"\(image: (\S+\.png)\)", out).group(1))
    assert png.is_absolute() and png.parent == tmp_path / "files"
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    pressed = out.split("#general> press Undo")[1]
    assert "[1] sitrep (edited)" in pressed and "DELETED" in pressed
    assert out.rstrip().endswith("bye")


@pytest.fixture(scope="module")
def playground(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Playground]:
    """One in-process playground for the tests below (starting the bot takes a second)."""
    where = tmp_path_factory.mktemp("playground")
    with Playground(where / "p.db", where / "files", out=io.StringIO()) as pg:
        yield pg


def said(pg: Playground, *lines: str) -> str:
    """What the playground printed for ``lines`` (which must not end the session)."""
    assert isinstance(pg.out, io.StringIO)
    pg.out.seek(0)
    pg.out.truncate()
    for line in lines:
        assert pg.handle(line, lambda prompt: None) is True
    return pg.out.getvalue()


def test_tab_completes_values_from_the_bots_autocomplete(playground: Playground) -> None:
    choices = playground.complete("/log date:Tuesday township:mes")
    mese = [c for c in choices if c.label == "Mese (Kayah)"]
    assert mese and mese[0].line == "/log date:Tuesday township:MMR002007 "
    assert mese[0].hint == "-> MMR002007"
    types = playground.complete("/log type:clash")
    assert ("Armed clash (Battles)", '/log type:"Armed clash" ') in [(c.label, c.line)
                                                                     for c in types]


def test_tab_completes_commands_subcommands_and_option_names(playground: Playground) -> None:
    assert [c.line for c in playground.complete("/ac")] == ["/active ", "/actor "]
    assert [c.line for c in playground.complete("/log date:x tow")] == [
        "/log date:x township:"]
    named = {c.line for c in playground.complete("/log date:x ")}
    assert "/log date:x date:" not in named and "/log date:x actors:" in named
    assert "/admin delete " in {c.line for c in playground.complete("/admin de")}
    assert [c.line for c in playground.complete("he")] == ["help "]
    assert [c.line for c in playground.complete("/config member_role:every")] == [
        "/config member_role:@everyone "]  # roles come from the server, as in the app's picker


def test_mistakes_get_one_friendly_line_and_the_session_goes_on(playground: Playground) -> None:
    out = said(playground, "/nope")
    assert out.startswith("/nope is not a command here. Commands: /active, /actor")
    out = said(playground, "/log date:Tuesday")
    assert out == "/log needs township:, actors:, type: (`help log` describes them).\n"
    assert said(playground, "/show id:abc") == (
        "/show: option 'id' needs a whole number, not 'abc'.\n")
    assert "unknown option(s) ['colour']" in said(playground, "/show id:1 colour:red")
    assert said(playground, "press Next") == "There is no [Next] button to press on any message.\n"
    assert "only answers slash commands" in said(playground, "hello")
    reply = said(playground, "/show id:999")  # the bot still answers, privately
    assert "only you can see this" in reply and "#999" in reply
    assert "/log  Log one event" in said(playground, "help")
    assert playground.handle("quit", lambda prompt: None) is False
