"""``sitrep digest``, ``sitrep digest-config`` and ``sitrep digest-status``."""

from __future__ import annotations

import json
from datetime import timedelta

from conftest import MESE
from test_digest import DAY, at, local  # noqa: F401  (at is a fixture)

SOURCE = "https://www.irrawaddy.com/news/burma/brotherhood-alliance-vows.html"


def test_digest_today_covers_what_was_just_logged_and_writes_the_chart(run, tmp_path):
    assert run(*MESE, "--source", SOURCE, "--fatalities", "3")[0] == 0
    assert run("log", "--date", "yesterday", "--township", "Lashio", "--actor", "MNDAA",
               "--type", "Air/drone strike")[0] == 0
    chart = tmp_path / "out.png"
    code, out, err = run("digest", "--date", "today", "--chart", str(chart))
    assert code == 0, err
    assert out.startswith("Daily digest · ")
    assert "2 events logged, 3 reported fatalities (1 event with unknown fatalities)" in out
    assert "happened before this day" in out  # the seed event is dated 7 Nov 2023
    assert "the digest so far" in out and SOURCE in out
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert f"chart written to {chart}" in err


def test_digest_of_a_past_day_as_json(run, at):  # noqa: F811
    at(local(DAY, 23, 50))
    run(*MESE)
    at(local(DAY + timedelta(days=1), 0, 10))
    run(*MESE)
    code, out, _ = run("digest", "--date", "2023-11-10", "--json")
    data = json.loads(out)
    assert code == 0 and data["day"] == "2023-11-10" and data["total_events"] == 1
    assert data["time_zone"] == "Asia/Yangon" and not data["partial"]
    assert data["logged_from"] == "2023-11-09T17:30:00+00:00"
    _, out, _ = run("digest", "--date", "2023-11-11", "--json")
    assert json.loads(out)["total_events"] == 1
    _, out, _ = run("digest", "--date", "2023-11-10", "--json", "--tz", "UTC")
    assert json.loads(out)["total_events"] == 2  # both are on the 10th in UTC


def test_an_empty_day_says_so(run):
    code, out, _ = run("digest", "--date", "2023-11-10")
    assert code == 0 and "Nothing was logged on 10 Nov 2023 and no corrections were made." in out


def test_bad_dates_are_refused_in_one_line(run):
    code, _, err = run("digest", "--date", "Nov 2023")
    assert code == 2 and "one day" in err and err.count("\n") == 1
    code, _, err = run("digest", "--date", "2999-01-01")
    assert code == 2 and "future" in err


def test_digest_config_sets_shows_and_refuses(run):
    code, out, err = run("digest-config", "--channel", "1234", "--time", "7:30", "--tz",
                         "asia/bangkok", "--max-late-days", "2")
    assert code == 0, err
    assert "Digest on: channel 1234, daily at 07:30 Asia/Bangkok" in out
    assert "caught up for 2 days" in out and "Next digest:" in out
    assert "Last posted: never." in out
    code, _, err = run("digest-config", "--tz", "Yangon")
    assert code == 2 and "Asia/Yangon" in err and "Traceback" not in err
    code, _, err = run("digest-config", "--time", "8pm")
    assert code == 2 and "HH:MM" in err
    # not an id, too big for SQLite, zero, Arabic-Indic digits
    for bad in ("#digest", str(2**63), "0", "\u0661\u0662\u0663"):
        code, _, err = run("digest-config", "--channel", bad)
        assert code == 2 and "channel id" in err and "unexpected" not in err, bad
    code, out, _ = run("digest-config", "--off", "--json")
    data = json.loads(out)
    assert code == 0 and data["settings"]["digest_enabled"] is False and not data["active"]
    code, out, _ = run("digest-status")
    assert code == 0 and out.startswith("Digest off:")
