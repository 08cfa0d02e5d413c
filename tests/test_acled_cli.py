"""`sitrep import-acled` and `sitrep export` end to end, and a kill -9 in the middle of an
import (a real process, really killed)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_acled import FIXTURE, GOOD, SKIPPED_LINES, TEXT

from bot.acled import EXPORT_COLUMNS
from bot.cli_acled import ProgressBar
from bot.db import open_db


def test_import_acled_prints_the_report(run):
    code, out, err = run("import-acled", str(FIXTURE))
    assert code == 0 and err == ""
    assert "31 rows read" in out and f"inserted   {GOOD:>8}" in out
    assert "line 9 (MMR69003): No township called 'Atlantis, Kayah'" in out
    assert "Zabuthiri (Nay Pyi Taw)" in out and "Civilians (Myanmar)" in out


def test_import_acled_json_and_twice(run):
    code, out, _ = run("import-acled", str(FIXTURE), "--json")
    report = json.loads(out)
    assert code == 0 and report["inserted"] == GOOD
    assert [s["line"] for s in report["skipped"]] == SKIPPED_LINES
    assert report["unmatched_townships"]["Atlantis (Kayah)"] == 1
    code, out, _ = run("import-acled", str(FIXTURE), "--json")
    again = json.loads(out)
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, GOOD)


def test_refusals_are_one_line_and_exit_2(run, tmp_path):
    code, out, err = run("import-acled", str(tmp_path / "nope.csv"))
    assert code == 2 and out == "" and err.startswith("sitrep: Cannot read")
    not_acled = tmp_path / "x.csv"
    not_acled.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run("import-acled", str(not_acled))
    assert code == 2 and "is not an ACLED export" in err and err.count("\n") == 1
    code, _, err = run("import-acled", str(FIXTURE), "--batch-size", "0")
    assert code == 2 and "batch size" in err


def test_export_to_stdout_and_to_a_file(run, tmp_path):
    run("import-acled", str(FIXTURE))
    code, out, _ = run("export")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == GOOD and list(rows[0]) == list(EXPORT_COLUMNS)
    code, out, _ = run("export", "--format", "json", "--township", "Mese")
    assert [r["event_id_cnty"] for r in json.loads(out)] == ["MMR60001"]
    code, out, _ = run("export", "--actor", "KIA", "--since", "2023-11-10")
    assert [r["event_id_cnty"] for r in csv.DictReader(io.StringIO(out))] == ["MMR60006",
                                                                              "MMR60020"]
    target = tmp_path / "out.csv"
    code, out, err = run("export", "--out", str(target), "--until", "2023-11-01")
    assert code == 0 and out == "" and "3 events written" in err
    assert target.read_text(encoding="utf-8").startswith("event_id_cnty,event_date,year,")


def test_a_bad_export_filter_is_refused_before_the_file_is_written(run, tmp_path):
    target = tmp_path / "out.csv"
    code, _, err = run("export", "--township", "Atlantis", "--out", str(target))
    assert code == 2 and "No township called 'Atlantis'" in err and not target.exists()


def test_the_progress_bar_draws_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    pipe, tty = io.StringIO(), Tty()
    for stream in (pipe, tty):
        bar = ProgressBar(stream, "importing x.csv")
        bar(10, 0.5)
        bar(20, 1.0)
        bar.close()
    assert pipe.getvalue() == ""
    assert tty.getvalue().startswith("\rimporting x.csv [###############...")
    assert "100% 20 rows" in tty.getvalue() and tty.getvalue().endswith("\n")


def _big_file(path: Path, rows: int) -> int:
    """The fixture's good rows over and over under fresh keys: ``rows`` importable rows."""
    good = [r for r in csv.DictReader(io.StringIO(TEXT)) if r["event_id_cnty"].startswith(
        "MMR600") and r["admin3"] != "Zabuthiri"]  # MMR60019's township is unmatched
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(good[0]))
        writer.writeheader()
        for n in range(rows):
            writer.writerow({**good[n % len(good)], "event_id_cnty": f"MMR{n + 1}"})
    return rows


def _sitrep(db_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "--db", str(db_path), *args],
                            cwd=db_path.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "SITREP_LOG_LEVEL": "WARNING"})


def _stored(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        one = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
               for t in ("events", "acled_rows", "events_fts")}
        one["audited"] = conn.execute("SELECT COUNT(*) FROM acled_rows r JOIN audit_log a"
                                      " ON a.id = r.import_audit_id"
                                      ).fetchone()[0]
        one["integrity"] = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        one["fts_trigger"] = conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type ="
                                          " 'trigger' AND name = 'events_ai'").fetchone()[0]
        return one
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.reliability  # issue 8: kill -9 in the middle of an import
def test_kill_9_mid_import_leaves_whole_batches_and_a_rerun_completes(tmp_path):
    db_path, big, batch = tmp_path / "sitrep.db", tmp_path / "big.csv", 500
    total = _big_file(big, 6000)
    open_db(db_path).close()  # created and migrated, so the import starts writing at once
    proc = _sitrep(db_path, "import-acled", str(big), "--batch-size", str(batch))
    deadline = time.monotonic() + 30
    conn = sqlite3.connect(db_path)
    while conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] < batch:
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
        time.sleep(0.01)
    conn.close()
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    after = _stored(db_path)
    assert after["integrity"] and after["fts_trigger"] == 1
    assert 0 < after["events"] < total, "the import finished before the kill: use more rows"
    assert after["events"] % batch == 0  # whole batches only
    assert after["events"] == after["acled_rows"] == after["events_fts"] == after["audited"]
    rerun = _sitrep(db_path, "import-acled", str(big), "--json")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    report = json.loads(out)
    assert report["inserted"] == total - after["events"]
    assert report["unchanged"] == after["events"]
    final = _stored(db_path)
    assert final["events"] == final["acled_rows"] == final["events_fts"] == total
