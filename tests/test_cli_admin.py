"""The correction commands of the CLI, end to end on a temporary database file."""

from __future__ import annotations

import json

import pytest
from conftest import MESE


def show(run, event_id: int) -> dict:
    code, out, _ = run("show", str(event_id), "--json")
    assert code == 0
    return json.loads(out)


def test_edit_delete_restore_undo_are_each_in_the_history(run):
    run(*MESE, "--source", "https://example.org/first")
    assert run("edit", "1", "--set", "fatalities=4", "--set", "location=Mese town",
               "--reason", "second report")[0] == 0
    assert show(run, 1)["fatalities"] == 4
    assert run("delete", "1", "--reason", "duplicate of a later entry")[0] == 0
    hidden = show(run, 1)
    assert hidden["deleted"] is True and "duplicate of a later entry" in hidden["hidden_because"]
    assert run("restore", "1")[0] == 0
    assert show(run, 1)["deleted"] is False
    assert run("undo", "1")[0] == 0  # undoes the restore
    assert show(run, 1)["deleted"] is True
    _, out, _ = run("history", "1", "--json")
    entries = json.loads(out)
    assert [e["action"] for e in entries] == ["log", "edit", "delete", "restore", "undo"]
    for entry in entries:
        assert set(entry) == {"action", "by", "at", "reason", "before", "after"}
    edit = entries[1]
    assert (edit["before"]["fatalities"], edit["after"]["fatalities"]) == (None, 4)
    assert edit["reason"] == "second report"
    assert entries[2]["after"]["deleted"] is True


def test_merge_keeps_both_events_sources(run):
    run(*MESE, "--source", "https://example.org/a")
    run(*MESE, "--source", "https://example.org/b", "--actor", "KIA")
    assert run("merge", "1", "2", "--reason", "same incident")[0] == 0
    kept, other = show(run, 1), show(run, 2)
    assert set(kept["sources"]) == {"https://example.org/a", "https://example.org/b"}
    assert "Kachin Independence Army" in kept["actors"]
    assert other["merged_into"] == 1
    _, out, _ = run("summary", "--json")
    assert json.loads(out)["total_events"] == 1


@pytest.mark.parametrize("args", [
    ["edit", "1", "--set", "fatalities=3"],  # no reason
    ["edit", "1", "--set", "color=red", "--reason", "x"],
    ["edit", "1", "--set", "township=Meese", "--reason", "x"],
    ["edit", "99", "--set", "fatalities=3", "--reason", "x"],
    ["delete", "1", "--reason", " "],
    ["restore", "1"],  # not deleted
    ["merge", "1", "1", "--reason", "x"],
])
def test_refused_corrections_change_nothing(run, args):
    run(*MESE)
    _, before, _ = run("history", "1", "--json")
    code, _, err = run(*args)
    assert code == 2 and "sitrep" in err and "Traceback" not in err
    _, after, _ = run("history", "1", "--json")
    assert before == after


def test_alias_and_actor_merge(run):
    run(*MESE)
    assert run("alias", "add", "KNDF", "Karenni defence forces")[0] == 0
    _, out, _ = run("actor", "Karenni defence forces", "--json")
    assert json.loads(out)["actor"] == "Karenni Nationalities Defense Force"
    assert run("actor-merge", "Karenni Army", "KNPLF", "--reason", "same command")[0] == 0
    _, out, _ = run("active", "Mese", "--json")
    names = [g["actor"] for g in json.loads(out)["groups"]]
    assert "Karenni National People's Liberation Front" not in names


def test_backup_is_a_working_database(run, tmp_path):
    run(*MESE)
    target = tmp_path / "copy.db"
    code, out, _ = run("backup", str(target), "--json")
    assert code == 0 and json.loads(out)["events"] == 1
    code, out, _ = run("--db", str(target), "show", "1", "--json")  # later --db wins
    assert code == 0 and json.loads(out)["township"] == "Mese"


def test_forget_user_from_the_cli(run):
    run(*MESE, "--by", "alice")
    code, out, _ = run("forget-user", "alice")
    assert code == 0 and "forgotten-" in out
    _, out, _ = run("show", "1", "--json")
    assert "alice" not in out
    assert run("forget-user", "alice")[0] == 2  # nothing left to forget
