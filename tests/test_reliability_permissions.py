"""Permission bypass: the editors' commands and the confirmation buttons are guarded in code,
not by Discord's command permissions, which a server admin can open to everyone.

- Every ``/admin`` sub-command, read from the synced tree (so one added later is covered
  without touching this file), invoked by a member and by someone with no role: refused
  privately, no buttons, nothing in the store changed. ``/admin`` declares no
  ``default_member_permissions``, so Discord lets every member invoke it; the other guarded
  commands are opened to everyone here, as a server admin could do.
- Confirm/Cancel of edit, delete and merge, the Merge buttons of /admin duplicates and the
  Undo button of /log, pressed by anyone but the person who asked (another editor, a server
  manager, a member), and by the asker after losing the editor role: refused, nothing changed.
"""

from __future__ import annotations

import pytest
from test_acled import FIXTURE
from test_reliability_support import (
    LOG,
    audit_messages,
    changed_tables,
    gather_settled,
    is_refusal,
    reply_of,
    rows,
    settle,
)

pytestmark = [pytest.mark.reliability, pytest.mark.e2e]

TEXT = {"reason": "because", "value": "7", "actor": "KNDF", "alias": "Karenni defenders",
        "name": "New Front", "aliases": "NF", "date": "yesterday", "time": "09:00",
        "timezone": "Asia/Bangkok", "text": "KNDF fighters clashed with the junta in Mese."}
# Commands outside /admin that change things and are for editors or managers only.
GUARDED = [("config", {"member_role": "role", "editor_role": "role"}),
           ("digest config", {"time": "09:00", "channel": "digest"}), ("digest now", {})]


def subcommands(command: dict) -> list[tuple[str, list[dict]]]:
    found = []
    for opt in command.get("options") or []:
        if opt["type"] == 1:
            found.append((opt["name"], opt.get("options") or []))
        elif opt["type"] == 2:
            found += [(f"{opt['name']} {n}", o) for n, o in subcommands(opt)]
    return found


def sample(opt: dict, team, event_id: int):
    """A value a real editor might give, so that an accepted command would change things."""
    kind, name = opt["type"], opt["name"]
    if opt.get("choices"):
        return opt["choices"][0]["value"]
    return {3: lambda: TEXT.get(name, "x"), 4: lambda: event_id if name in (
        "id", "keep", "other") else opt.get("min_value") or 1, 5: lambda: True,
        7: lambda: team.digest, 8: lambda: team.editor_role,
        11: lambda: ("acled.csv", FIXTURE.read_bytes())}.get(kind, lambda: "x")()


async def log_two(fake) -> tuple[int, int]:
    team = fake.team
    first, second = [reply_of(r) for r in await gather_settled(fake, [
        lambda: fake.slash(team.guild, team.member, "log", **LOG),
        lambda: fake.slash(team.guild, team.member, "log", **LOG)])]
    return (int(first.embed["title"].split("#")[1]), int(second.embed["title"].split("#")[1]))


async def test_non_editors_are_refused_every_admin_command_in_code(sitrep, fake_discord,
                                                                  db_path):
    team = fake_discord.team
    first, second = await log_two(fake_discord)
    admin = fake_discord.find_command("admin", team.guild)
    assert admin.get("default_member_permissions") is None  # Discord lets every member in
    for command in fake_discord.all_commands():  # a server admin opens everything to everyone
        command["default_member_permissions"] = None
    names = {c["name"] for c in fake_discord.all_commands()}

    table = []
    for sub, options in subcommands(admin):
        values = {o["name"]: sample(o, team, first) for o in options}
        if sub == "merge":
            values["other"] = second
        table.append((f"admin {sub}", values))
    for command, values in GUARDED:
        if command.split()[0] in names:
            table.append((command, {k: team.editor_role if v == "role" else
                                    team.digest if v == "digest" else v
                                    for k, v in values.items()}))
    before = rows(db_path)
    people = [team.member, team.outsider]
    results = await gather_settled(fake_discord, [
        lambda p=p, c=c, v=v: fake_discord.slash(team.guild, p, c, options=v)
        for p in people for c, v in table], timeout=30)
    problems = []
    for (person, (command, _)), result in zip(
            [(p, row) for p in people for row in table], results, strict=True):
        assert not isinstance(result, Exception), (command, result)
        msg = reply_of(result)
        if not is_refusal(msg) or msg.buttons or len(result.messages) != 1:
            problems.append(f"{person.username} /{command}: {msg.text()[:200]}")
    assert not problems, "not refused:\n" + "\n".join(problems)
    assert changed_tables(before, rows(db_path)) == []
    audit_messages(fake_discord)
    print(f"\n[permissions] {len(table)} guarded commands ({len(subcommands(admin))} /admin "
          f"sub-commands) x {len(people)} non-editors: {len(results)} refused in code, "
          "0 changes to the store")


async def test_only_the_asker_can_press_confirmation_buttons(sitrep, fake_discord, db_path):
    team = fake_discord.team
    second_editor = team.guild.add_member("edna", roles=[team.member_role, team.editor_role])
    first, second = await log_two(fake_discord)
    asks = await gather_settled(fake_discord, [
        lambda: fake_discord.slash(team.guild, team.editor, "admin delete", id=first,
                                   reason="dup"),
        lambda: fake_discord.slash(team.guild, team.editor, "admin edit", id=first,
                                   field="fatalities", value="9", reason="new count"),
        lambda: fake_discord.slash(team.guild, team.editor, "admin merge", keep=first,
                                   other=second, reason="same"),
        lambda: fake_discord.slash(team.guild, team.editor, "admin duplicates")])
    logged = await gather_settled(fake_discord, [
        lambda: fake_discord.slash(team.guild, team.member, "log", **LOG)])
    messages = [reply_of(r) for r in asks + logged]
    buttons = [(m, b.label) for m in messages for b in m.buttons if not b.disabled]
    assert len(buttons) >= 8  # Confirm+Cancel x3, a Merge, the Undo
    others = [second_editor, team.admin, team.member, team.outsider]
    before = rows(db_path)
    presses = await gather_settled(fake_discord, [
        lambda m=m, label=label, who=who: fake_discord.press(m, label, user=who)
        for m, label in buttons for who in others if not (label == "Undo" and who is
                                                          team.member)])
    refused = [p for p in presses if is_refusal(reply_of(p))]
    assert len(refused) == len(presses), [reply_of(p).text() for p in presses
                                          if p not in refused][:3]
    assert changed_tables(before, rows(db_path)) == []

    # The asker, no longer an editor, cannot confirm either; with the role back, can.
    await fake_discord.set_roles(team.editor, [team.member_role])
    confirm = next(m for m in messages if m.content.startswith("Delete event"))
    demoted = await settle(fake_discord, await fake_discord.press(confirm, "Confirm",
                                                                  user=team.editor))
    assert is_refusal(demoted) and changed_tables(before, rows(db_path)) == []
    await fake_discord.set_roles(team.editor, [team.member_role, team.editor_role])
    done = await settle(fake_discord, await fake_discord.press(confirm, "Confirm",
                                                               user=team.editor))
    assert "Deleted event" in done.content
    assert "events" in changed_tables(before, rows(db_path))  # the control: Confirm does work
    audit_messages(fake_discord)
    print(f"\n[permissions] {len(presses)} presses of another person's buttons "
          f"({len(buttons)} buttons x {len(others)} people) and 1 by a demoted editor: all "
          "refused, nothing changed; the asker's own Confirm worked")
