"""The `sitrep` command line end to end on a temporary database file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MESE


def test_the_seed_event_round_trip(run):
    code, out, _ = run("init")
    assert code == 0 and "356 townships" in out
    code, out, _ = run(*MESE, "--json")
    assert code == 0
    event = json.loads(out)
    assert event["date"] == "2023-11-07"
    assert event["event_type"] == "Battles"
    assert event["pcode"] == "MMR002007"
    code, out, _ = run("active", "Mese", "--json")
    groups = {g["actor"] for g in json.loads(out)["groups"]}
    assert {"Karenni National People's Liberation Front", "Karenni Army",
            "Karenni Nationalities Defense Force", "People's Defence Force",
            "Tatmadaw"} == groups
    code, out, _ = run("active", "Mese", "--json", guild=99)
    assert json.loads(out)["groups"] == []
    code, out, _ = run("show", str(event["id"]), "--json")
    assert json.loads(out) == {**event, "hidden_because": None}


def test_json_shapes_have_the_documented_keys(run):
    run(*MESE, "--source", "https://example.org/a", "--fatalities", "2", "--notes", "base taken")
    _, out, _ = run("show", "1", "--json")
    assert {"id", "date", "date_precision", "township", "pcode", "state_region", "location",
            "actors", "opponents", "event_type", "sub_event_type", "fatalities", "sources",
            "notes"} <= set(json.loads(out))
    _, out, _ = run("active", "Mese", "--since", "2023-11-01", "--until", "2023-11-30", "--json")
    active = json.loads(out)
    assert (active["since"], active["until"]) == ("2023-11-01", "2023-11-30")
    assert set(active["groups"][0]) == {"actor", "events", "first", "last"}
    _, out, _ = run("summary", "--json")
    summary = json.loads(out)
    assert {"since", "until", "total_events", "fatalities", "by_type", "by_region",
            "top_actors"} <= set(summary)
    assert summary["fatalities"] == 2
    _, out, _ = run("actor", "KNDF", "--json")
    assert json.loads(out)["townships"][0]["township"] == "Mese"
    _, out, _ = run("timeline", "Mese", "--json")
    assert len(json.loads(out)["events"]) == 1
    _, out, _ = run("search", "base", "--json")
    assert json.loads(out)["total"] == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (["--township", "Meese"], "Mese (Kayah)"),
        (["--date", "2999-01-01"], "future"),
        (["--date", "tomorrow", "--ref", "2023-11-10"], "future"),
        (["--date", "31 Feb 2023"], "28 days"),
        (["--actor", "Imaginary Army"], "Imaginary Army"),
        (["--type", "skirmish"], "not an ACLED event type"),
        (["--fatalities", "-3"], "negative"),
        (["--ref", "10/11/2023"], "YYYY-MM-DD"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(run, db_path, change, expected):
    run("init")
    code, out, err = run(*MESE, *change)
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and out == ""
    _, out, _ = run("summary", "--json")
    assert json.loads(out)["total_events"] == 0


def test_summary_chart_and_map_are_pngs(run, tmp_path):
    run(*MESE)
    chart, world = tmp_path / "c.png", tmp_path / "m.png"
    assert run("summary", "--chart", str(chart))[0] == 0
    assert run("map", "--out", str(world))[0] == 0
    for png in (chart, world):
        assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_unknown_region_and_bad_ranges_are_refused(run):
    assert run("summary", "--region", "Atlantis")[0] == 2
    code, _, err = run("active", "Mese", "--since", "2023-11-10", "--until", "2023-11-01")
    assert code == 2 and "after" in err


def test_types_lists_the_taxonomy(run):
    code, out, _ = run("types", "--json")
    assert code == 0 and len(json.loads(out)) == 25


def _script() -> str:
    found = shutil.which("sitrep", path=os.path.dirname(sys.executable))
    assert found, "the sitrep console script is not installed next to this Python"
    return found


def test_console_script_run_without_token_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env["SITREP_DB"] = str(tmp_path / "x.db")
    proc = subprocess.run([_script(), "run"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert ".env.example" in proc.stderr and "playground" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_console_script_uses_sitrep_db_and_creates_it(tmp_path):
    env = {**os.environ, "SITREP_DB": str(tmp_path / "team.db")}
    proc = subprocess.run([_script(), "types"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and "Armed clash" in proc.stdout
    proc = subprocess.run([_script(), "init"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0
    assert Path(tmp_path / "team.db").exists()


def test_summary_text_does_not_turn_unknown_fatalities_into_zero(run):
    run(*MESE)
    _, out, _ = run("summary")
    assert "1 event, no fatality count reported" in out
    run(*MESE, "--fatalities", "3")
    _, out, _ = run("summary")
    assert "2 events, 3 reported fatalities (in 1 of them)" in out


def test_output_into_a_closed_pipe_ends_quietly(tmp_path):
    """``sitrep types | head -1``: the reader leaving early is no error worth a traceback."""
    env = {**os.environ, "SITREP_DB": str(tmp_path / "team.db")}
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line
    try:
        proc = subprocess.run([_script(), "types"], cwd=tmp_path, env=env, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write_end)
    assert proc.returncode == 141
    assert proc.stderr == ""
