"""Hostile and broken input through slash commands, against the real bot on the loopback
Discord: the hostile table in every text option of /log and of the read commands, the
editors' free-text options, absurd numbers, then hypothesis.

Each value is refused by Discord itself (the synced command declares the limit and the fake's
client enforces it, as Discord's does), refused by the bot in a private sentence, or stored
verbatim and shown escaped. No reply is an error-id apology, every message parses no mentions,
and a refused command writes nothing.

To cover a new command, add a row to ``READS`` or ``EDITOR_TEXT``.
"""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_reliability_support import (
    ABSURD_NUMBERS,
    LOG,
    assert_consistent,
    audit_messages,
    displayed,
    gather_settled,
    hostile,
    is_refusal,
    live_mentions,
    reply_of,
    settle,
    text_of,
)

from bot.loopback.options import OptionError

pytestmark = [pytest.mark.reliability, pytest.mark.e2e]

LOG_TEXT = ["date", "township", "actors", "type", "opponents", "location", "source", "notes",
            "published"]
READS = [("search", "text", {}), ("active", "township", {}), ("timeline", "township", {}),
         ("actor", "name", {}), ("summary", "region", {}), ("summary", "since", {}),
         ("active", "until", {"township": "Mese"}), ("export", "township", {}),
         ("export", "actor", {}), ("digest preview", "date", {})]
EDITOR_TEXT = [("admin add-actor", "name", {}), ("admin alias", "alias", {"actor": "KNDF"}),
               ("admin delete", "reason", {"id": 1}), ("admin undo", "reason", {"id": 1}),
               ("digest config", "time", {}), ("digest config", "timezone", {}),
               ("extract", "text", {}), ("extract", "url", {"text": "Clashes in Mese."})]


def values_for(team) -> dict[str, str]:
    return hostile(role_id=team.editor_role.id, user_id=team.member.id)


def event_row(db_path, event_id: int) -> dict:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM events WHERE id = ?", [event_id]).fetchone())
    finally:
        conn.close()


def existing(fake, commands):
    """Only the rows whose command is synced (the digest, import and extract commands land
    with their own issues)."""
    names = {c["name"] for c in fake.all_commands()}
    return [row for row in commands if row[0].split()[0] in names]


async def test_declared_limits_make_discord_refuse_oversized_input(sitrep, fake_discord,
                                                                   db_path):
    """Every text option declares a max_length and every whole number its bounds, so Discord
    refuses a 10,000-character note or 10^12 fatalities before the bot sees them."""
    def leaves(options, path):
        for opt in options or []:
            if opt["type"] in (1, 2):
                yield from leaves(opt.get("options"), f"{path} {opt['name']}")
            else:
                yield f"{path} {opt['name']}", opt

    unbounded = []
    checked = 0
    for cmd in fake_discord.all_commands():
        for name, opt in leaves(cmd.get("options"), "/" + cmd["name"]):
            checked += 1
            if opt["type"] == 3 and not opt.get("choices") and not opt.get("max_length"):
                unbounded.append(name)
            if opt["type"] == 4 and (opt.get("min_value") is None or opt.get("max_value") is None
                                     or abs(opt["max_value"]) > 2**53):
                unbounded.append(name)
    assert not unbounded, f"options Discord would let anyone fill without limit: {unbounded}"

    team = fake_discord.team
    refused = 0
    for override in ({"notes": "x" * 10_000}, {"location": "x" * 10_000}, {"date": ""},
                     *({"fatalities": n} for n in ABSURD_NUMBERS)):
        with pytest.raises(OptionError):
            await fake_discord.slash(team.guild, team.member, "log", **{**LOG, **override})
        refused += 1
    for number in (n for n in ABSURD_NUMBERS if not 1 <= n <= 2**53):
        for command in ("show", "admin history"):
            with pytest.raises(OptionError):
                await fake_discord.slash(team.guild, team.editor, command, id=number)
            refused += 1
    assert sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
    print(f"\n[input/discord] {checked} options declare their limits; Discord itself refused "
          f"{refused} oversized or absurd values")


async def test_hostile_text_in_every_option_is_refused_or_stored_verbatim(sitrep, fake_discord,
                                                                         db_path):
    team = fake_discord.team
    values = values_for(team)
    cases: list[tuple[str, str, str]] = []  # (command, option, value name)
    sends = []

    def case(command: str, option: str, name: str, user, base: dict) -> None:
        cases.append((command, option, name))
        sends.append(lambda: fake_discord.slash(team.guild, user, command,
                                                options={**base, option: values[name]}))

    for name in values:
        for field in LOG_TEXT:
            case("log", field, name, team.member, {**LOG, "notes": f"case {len(cases)}"}
                 if field != "notes" else LOG)
        for command, option, base in existing(fake_discord, READS):
            case(command, option, name, team.member, base)
    results = await gather_settled(fake_discord, sends, timeout=30)

    tally = {"discord": 0, "refused": 0, "stored": 0, "answered": 0}
    problems, echoed = [], 0  # echoed: refusals that quote a mention back (it cannot ping)
    for (command, option, name), result in zip(cases, results, strict=True):
        value = values[name]
        if isinstance(result, Exception):  # Discord's client would not send it (a limit)
            tally["discord"] += 1
            continue
        msg = reply_of(result)
        where = f"/{command} {option}={name}"
        if is_refusal(msg):
            tally["refused"] += 1
        elif command == "log" and (msg.embed or {}).get("title", "").startswith("Logged event"):
            tally["stored"] += 1
            event = event_row(db_path, int(msg.embed["title"].split("#")[1]))
            if option in ("notes", "location") and event[option] != (value.strip() or None):
                problems.append(f"{where}: stored {event[option]!r:.60} not {value!r:.60}")
            if option == "notes" and event["notes"] and displayed(
                    msg.embed["description"]) != event["notes"]:
                problems.append(f"{where}: shown as {msg.embed['description']!r:.80}")
        elif not msg.ephemeral or command.startswith(("export", "digest")):
            tally["answered"] += 1
        else:
            problems.append(f"{where}: neither a refusal nor an answer: {msg.text()[:200]}")
        shown = "\n".join(text_of(m) for m in result.messages)
        if live_mentions(shown) and not is_refusal(msg):
            problems.append(f"{where}: shows a live mention {live_mentions(shown)}")
        echoed += bool(live_mentions(shown)) and is_refusal(msg)
    assert not problems, "\n".join(problems)
    checked = audit_messages(fake_discord)
    stored = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    assert stored == tally["stored"]  # each refusal wrote nothing
    assert_consistent(db_path)
    print(f"\n[input/discord] {len(cases)} hostile interactions ({len(values)} values x "
          f"{len(LOG_TEXT)} /log options and {len(existing(fake_discord, READS))} read options): "
          f"{tally['discord']} refused by Discord's limits, {tally['refused']} refused by the "
          f"bot, {tally['stored']} stored verbatim, {tally['answered']} answered; "
          f"{checked} messages checked, 0 error ids, 0 pings ({echoed} refusals quote the "
          "mention back, inert)")


async def test_editors_free_text_and_corrections_take_hostile_values(sitrep, fake_discord,
                                                                    db_path):
    team = fake_discord.team
    values = values_for(team)
    first = await settle(fake_discord, await fake_discord.slash(team.guild, team.member, "log",
                                                                **LOG))
    assert first.embed["title"] == "Logged event #1"
    cases, sends = [], []
    for name, value in values.items():
        for command, option, base in existing(fake_discord, EDITOR_TEXT):
            cases.append((command, option, name))
            sends.append(lambda c=command, o=option, b=base, v=value: fake_discord.slash(
                team.guild, team.editor, c, options={**b, o: v}))
        for field in ("notes", "location", "fatalities", "date", "actors", "sources"):
            cases.append(("admin edit", field, name))
            sends.append(lambda f=field, v=value: fake_discord.slash(
                team.guild, team.editor, "admin edit", id=1, field=f, value=v, reason="test"))
    results = await gather_settled(fake_discord, sends, timeout=30)
    confirms = [(case, r) for case, r in zip(cases, results, strict=True)
                if not isinstance(r, Exception) and any(
                    b.label == "Confirm" for b in reply_of(r).buttons)]
    pressed = await gather_settled(fake_discord, [
        lambda r=r: fake_discord.press(reply_of(r), "Confirm", user=team.editor)
        for _, r in confirms], timeout=30)

    problems = []
    tally = {"discord": 0, "refused": 0, "done": 0}
    for (command, option, name), result in [*zip(cases, results, strict=True),
                                            *zip([c for c, _ in confirms], pressed, strict=True)]:
        if isinstance(result, Exception):
            tally["discord"] += 1
            continue
        msg = reply_of(result)
        if is_refusal(msg) and not msg.buttons:
            tally["refused"] += 1
        elif "error id" in text_of(msg):
            problems.append(f"/{command} {option}={name}: {msg.text()[:200]}")
        else:
            tally["done"] += 1
            shown = "\n".join(text_of(m) for m in result.messages)
            if live_mentions(shown):
                problems.append(f"/{command} {option}={name}: shows {live_mentions(shown)}")
    assert not problems, "\n".join(problems)
    event = event_row(db_path, 1)
    checked = audit_messages(fake_discord)
    assert_consistent(db_path)
    print(f"\n[input/discord] editors: {len(cases)} hostile values + {len(confirms)} confirmed "
          f"edits: {tally['discord']} refused by Discord, {tally['refused']} refused by the "
          f"bot, {tally['done']} done; event #1 notes now {event['notes']!r:.40}; "
          f"{checked} messages checked")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(exclude_categories=()), min_size=1, max_size=300))
async def test_hypothesis_any_text_through_slash_commands(sitrep, fake_discord, db_path, text):
    team = fake_discord.team
    before = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    results = await gather_settled(fake_discord, [
        lambda: fake_discord.slash(team.guild, team.member, "log", **{**LOG, "notes": text}),
        lambda: fake_discord.slash(team.guild, team.member, "search", text=text[:200]),
        lambda: fake_discord.slash(team.guild, team.member, "active", township=text[:100]),
        lambda: fake_discord.slash(team.guild, team.member, "log", **{**LOG, "actors": text})])
    logged = results[0]
    for result in results:
        assert not isinstance(result, Exception), result
        msg = reply_of(result)
        assert is_refusal(msg) or not msg.ephemeral, msg.text()
    after = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    stored = [r for r in (logged, results[3]) if not reply_of(r).ephemeral]
    assert after == before + len(stored)
    if not reply_of(logged).ephemeral:
        event_id = int(reply_of(logged).embed["title"].split("#")[1])
        assert event_row(db_path, event_id)["notes"] == (text.strip() or None)
    audit_messages(fake_discord)
