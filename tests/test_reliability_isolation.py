"""Isolation between teams: from guild B, every read and write command, through Discord and
the command line, against guild A's record, including A's event ids guessed outright. Nothing
of A's may be shown to B, and A's rows must be exactly as they were.

A's record is marked: its notes, its location, its source and its own armed group's name all
carry a tag that B never types, so any leak into a reply or a printout (a suggestion, a
search hit, a duplicate, an export row) is found by one substring. To cover a new command, add a
row to ``B_READS``/``B_WRITES`` (slash) or ``CLI`` (command line).
"""

from __future__ import annotations

import re

import pytest
from test_acled import FIXTURE
from test_reliability_support import (
    LOG,
    add_team,
    changed_tables,
    gather_settled,
    is_refusal,
    reply_of,
    rows,
    running_bot,
    text_of,
)

from bot import corrections
from bot.acled_import import import_acled
from bot.actor_admin import add_actor
from bot.db import open_db
from bot.events import NewEvent, log_event

pytestmark = pytest.mark.reliability
MARK = "q7f3e"


def seed_team_a(db_path, guild_id: int) -> dict[str, int]:
    """A's record: two Mese reports of one clash (a likely duplicate pair) by its own group,
    one deleted event, and an ACLED import."""
    db = open_db(db_path)
    try:
        add_actor(db, guild_id, f"Alpha Secret Front {MARK}", ["ASF", "Alpha Secret Front"],
                  by="alice")
        new = NewEvent(date="2023-11-07", township="Mese", actors=["ASF", "KNDF"],
                       opponents=["junta"], event_type="Armed clash",
                       location=f"hill camp {MARK}", notes=f"{MARK}: the source's name is secret",
                       sources=[f"https://{MARK}.example/report"])
        ids = {"a1": log_event(db, guild_id, new, by="alice").id,
               "a2": log_event(db, guild_id, new, by="alice").id,
               "a3": log_event(db, guild_id, new, by="alice").id}
        corrections.delete_event(db, guild_id, ids["a3"], by="alice", reason=f"{MARK} test")
        import_acled(db, guild_id, FIXTURE, by="alice")
        return ids
    finally:
        db.close()


def leaks(text: str, a_ids: set[int]) -> list[str]:
    """A's marker, or one of A's event ids shown as an event (not merely echoed back in a
    refusal such as "There is no event #3 in this team's record")."""
    found = [MARK] if MARK.casefold() in text.casefold() else []
    if "no event" not in text.casefold():
        found += [f"#{i}" for i in a_ids if re.search(rf"#{i}\b", text)]
    return found


@pytest.mark.e2e
async def test_guild_b_cannot_see_or_change_guild_a_through_discord(fake_discord, db_path):
    team_a = fake_discord.team
    team_b = add_team(fake_discord, "Team B")  # before the bot starts: it is in READY
    a = seed_team_a(db_path, team_a.guild.id)
    a_all = {r[0] for r in rows(db_path, team_a.guild.id)["events"]}
    async with running_bot(fake_discord, db_path, team_a, team_b):
        logged = await gather_settled(fake_discord, [
            lambda: fake_discord.slash(team_b.guild, team_b.member, "log", **LOG)])
        b1 = int(reply_of(logged[0]).embed["title"].split("#")[1])
        before = rows(db_path, team_a.guild.id)
        ed, mem = team_b.editor, team_b.member
        guesses = [(ed, "show", {"id": i}) for i in sorted(a_all)]
        reads = [
            (mem, "active", {"township": "Mese"}), (mem, "timeline", {"township": "Mese"}),
            (mem, "actor", {"name": "KNDF"}), (mem, "actor", {"name": "Alpha Secret Front"}),
            (mem, "search", {"text": "secret"}), (mem, "search", {"text": "hill OR camp*"}),
            (mem, "summary", {}), (mem, "export", {}), (mem, "export", {"actor": "ASF"}),
            (ed, "admin duplicates", {}), (ed, "admin backup", {}),
            (ed, "digest preview", {"date": "today"}), (ed, "digest status", {}),
            (ed, "extract", {"text": "On Tuesday KNDF and PDF fighters clashed with junta "
                                     "troops in Mese Township, Kayah State, near the hill camp.",
                             "published": "2023-11-10", "url": "https://b.example/a"}),
        ]
        writes = [
            (mem, "log", {**LOG, "actors": "ASF"}),
            (ed, "admin edit", {"id": a["a1"], "field": "notes", "value": "B", "reason": "B"}),
            (ed, "admin delete", {"id": a["a1"], "reason": "B"}),
            (ed, "admin restore", {"id": a["a3"]}), (ed, "admin undo", {"id": a["a1"]}),
            (ed, "admin history", {"id": a["a1"]}),
            (ed, "admin merge", {"keep": b1, "other": a["a1"], "reason": "B"}),
            (ed, "admin merge", {"keep": a["a2"], "other": b1, "reason": "B"}),
            (ed, "admin alias", {"actor": "Alpha Secret Front", "alias": "B name"}),
            (ed, "admin add-actor", {"name": "Alpha Secret Front"}),
            (ed, "admin import", {"file": ("acled.csv", FIXTURE.read_bytes())}),
            (ed, "admin config", {"member_role": team_b.member_role}),
            (ed, "digest config", {"channel": team_b.digest}),
            (ed, "digest now", {}),
        ]
        names = {c["name"] for c in fake_discord.all_commands()}
        table = [row for row in guesses + reads + writes if row[1].split()[0] in names]
        results = await gather_settled(fake_discord, [
            lambda u=u, c=c, o=o: fake_discord.slash(team_b.guild, u, c, options=o)
            for u, c, o in table], timeout=30)
        after = rows(db_path, team_a.guild.id)
        # The control: the same questions from A do show A's record, so the check can see it.
        control = await gather_settled(fake_discord, [
            lambda c=c, o=o: fake_discord.slash(team_a.guild, team_a.editor, c, options=o)
            for c, o in [("show", {"id": a["a1"]}), ("search", {"text": "secret"}),
                         ("actor", {"name": "Alpha Secret Front"}), ("export", {}),
                         ("admin history", {"id": a["a3"]})]])
        for result in control:
            seen = "\n".join(text_of(m) for m in result.messages) + "".join(
                att.data.decode() for m in result.messages for att in m.attachments)
            assert MARK in seen, f"control: A does not see its own record: {seen[:300]}"

    problems, refused = [], 0
    for (_, command, options), result in zip(table, results, strict=True):
        assert not isinstance(result, Exception), (command, result)
        shown = "\n".join(text_of(m) for m in result.messages)
        shown += "".join(att.data.decode("utf-8", "replace") for m in result.messages
                         for att in m.attachments if att.filename.endswith((".csv", ".json")))
        if leaks(shown, a_all):
            problems.append(f"/{command} {options}: shows {leaks(shown, a_all)}: {shown[:300]}")
        if command == "admin backup" and any(m.attachments for m in result.messages):
            problems.append("/admin backup sent B a file that holds A's record")
        refused += is_refusal(reply_of(result))
    assert not problems, "\n".join(problems)
    assert changed_tables(before, after) == [], "B's commands changed A's rows"
    print(f"\n[isolation/discord] {len(table)} commands from guild B ({len(guesses)} with A's "
          f"ids guessed): {refused} refused, 0 leaks, A's {sum(map(len, before.values()))} rows "
          "unchanged")


B = 424242424242424242
CLI = [
    ["show", "{a1}"], ["show", "{a3}"], ["history", "{a1}"],
    ["edit", "{a1}", "--set", "notes=B", "--reason", "B"], ["delete", "{a1}", "--reason", "B"],
    ["restore", "{a3}"], ["undo", "{a1}"], ["merge", "{b1}", "{a1}", "--reason", "B"],
    ["merge", "{a1}", "{b1}", "--reason", "B"],
    ["alias", "add", "Alpha Secret Front", "B name"], ["actor-rename", "ASF", "B name"],
    ["actor-merge", "KNDF", "ASF", "--reason", "B"],
    ["active", "Mese"], ["timeline", "Mese"], ["actor", "KNDF"], ["actor", "ASF"],
    ["search", "secret"], ["search", "hill OR camp*"], ["summary"], ["export"], ["duplicates"],
    ["digest", "--date", "today"], ["digest-status"], ["log", "--date", "2023-11-07",
                                                        "--township", "Mese", "--actor", "ASF",
                                                        "--type", "Armed clash"],
    ["import-acled", str(FIXTURE)], ["history", "{b1}"],
]


def test_guild_b_cannot_see_or_change_guild_a_through_the_cli(run, db_path):
    team_a = 111111111111111111
    a = seed_team_a(db_path, team_a)
    a_all = {r[0] for r in rows(db_path, team_a)["events"]}
    code, out, err = run("log", "--date", "2023-11-07", "--township", "Mese", "--actor", "KNDF",
                         "--type", "Armed clash", "--json", guild=B)
    assert code == 0, err
    ids = {**a, "b1": int(re.search(r'"id": (\d+)', out).group(1))}
    before = rows(db_path, team_a)
    problems, refused = [], 0
    for template in CLI:
        args = [part.format(**ids) for part in template]
        code, out, err = run(*args, guild=B)
        if code not in (0, 2):
            problems.append(f"{args}: exit {code}: {err[-200:]}")
        if leaks(out + err, a_all):
            problems.append(f"{args}: shows {leaks(out + err, a_all)}: {(out + err)[:300]}")
        refused += code == 2
    assert not problems, "\n".join(problems)
    assert changed_tables(before, rows(db_path, team_a)) == []
    for args in (["show", str(a["a1"])], ["search", "secret"], ["actor", "ASF"], ["export"]):
        code, out, _ = run(*args, guild=team_a)  # the control: A sees its own record
        assert code == 0 and MARK in out, args
    print(f"\n[isolation/cli] {len(CLI)} commands with --guild B: {refused} refused, 0 leaks, "
          "A's rows unchanged")
