"""The correction commands of the ``sitrep`` CLI: edit, delete, restore, merge, undo, history,
actor administration, backups and likely duplicates. Each is one call into the core."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from bot import actor_admin, corrections, formatting, history
from bot.backup import backup, prune, restore_backup
from bot.clock import today
from bot.dates import parse_ref
from bot.db import open_db
from bot.duplicates import likely_duplicates
from bot.errors import InvalidInput
from bot.forget import forget_user

Command = Callable[..., argparse.ArgumentParser]


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _show(args: argparse.Namespace, event, verb: str) -> None:
    if args.json:
        _print_json(event.to_json())
    else:
        print(f"{verb} #{event.id}:")
        print(formatting.event_text(event))


def _assignments(pairs: list[str]) -> dict[str, str]:
    changes = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep:
            raise InvalidInput(f"--set {pair!r} needs the form FIELD=VALUE, e.g. fatalities=3.")
        changes[field.strip().lower()] = value
    return changes


def cmd_edit(args: argparse.Namespace) -> None:
    ref = parse_ref(args.ref) if args.ref else today()
    event = corrections.edit_event(open_db(args.db), args.guild, args.id,
                                   _assignments(args.set), by=args.by, reason=args.reason,
                                   ref=ref, new_actors=args.new_actor)
    _show(args, event, "Edited")


def cmd_delete(args: argparse.Namespace) -> None:
    event = corrections.delete_event(open_db(args.db), args.guild, args.id, by=args.by,
                                     reason=args.reason)
    _show(args, event, "Deleted")


def cmd_restore(args: argparse.Namespace) -> None:
    event = corrections.restore_event(open_db(args.db), args.guild, args.id, by=args.by,
                                      reason=args.reason)
    _show(args, event, "Restored")


def cmd_merge(args: argparse.Namespace) -> None:
    event = corrections.merge_events(open_db(args.db), args.guild, args.keep, args.other,
                                     by=args.by, reason=args.reason)
    _show(args, event, f"Merged #{args.other} into")


def cmd_undo(args: argparse.Namespace) -> None:
    event = history.undo_last_change(open_db(args.db), args.guild, args.id, by=args.by,
                                     reason=args.reason)
    _show(args, event, "Undid the last change to")


def cmd_history(args: argparse.Namespace) -> None:
    entries = history.history(open_db(args.db), args.guild, args.id)
    if args.json:
        _print_json(entries)
        return
    for entry in entries:
        why = f" — {entry['reason']}" if entry["reason"] else ""
        print(f"{entry['at']}  {entry['action']:<8} by {entry['by']}{why}")
        before, after = entry["before"] or {}, entry["after"] or {}
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key) and entry["action"] != "log":
                print(f"    {key}: {before.get(key)!r} -> {after.get(key)!r}")


def cmd_alias(args: argparse.Namespace) -> None:
    actor = actor_admin.add_alias(open_db(args.db), args.guild, args.actor, args.alias,
                                  by=args.by, reason=args.reason)
    print(f"{args.alias!r} now names {actor.label}.")


def cmd_actor_rename(args: argparse.Namespace) -> None:
    actor = actor_admin.rename_actor(open_db(args.db), args.guild, args.actor, args.new_name,
                                     by=args.by, reason=args.reason)
    print(f"Renamed to {actor.label}; the old name still finds it.")


def cmd_actor_merge(args: argparse.Namespace) -> None:
    actor = actor_admin.merge_actors(open_db(args.db), args.guild, args.keep, args.other,
                                     by=args.by, reason=args.reason)
    print(f"{args.other!r} is now part of {actor.label}; its events moved with it.")


def cmd_backup(args: argparse.Namespace) -> None:
    result = backup(args.db, args.path, overwrite=args.force)
    if args.keep is not None:
        if not Path(args.path).is_dir():
            raise InvalidInput("--keep prunes old backups in a folder; give a folder as PATH.")
        result["pruned"] = [str(p) for p in prune(args.path, args.keep)]
    if args.json:
        _print_json(result)
    else:
        print(f"Backed up {result['events']} events ({result['bytes']:,} bytes) to "
              f"{result['path']} in {result['seconds']:.2f} s.")
        for old in result.get("pruned", []):
            print(f"removed old backup {old}")


def cmd_restore_backup(args: argparse.Namespace) -> None:
    result = restore_backup(args.db, args.file)
    if args.json:
        _print_json(result)
        return
    print(f"Restored {result['events']} events (schema version {result['version']}) from "
          f"{result['path']} into {result['restored_to']}.")
    if result["replaced_kept_at"]:
        print(f"The database it replaced is kept at {result['replaced_kept_at']}.")


def cmd_duplicates(args: argparse.Namespace) -> None:
    pairs = likely_duplicates(open_db(args.db), args.guild, args.limit)
    if args.json:
        _print_json([p.to_json() for p in pairs])
        return
    if not pairs:
        print("No likely duplicates.")
    for p in pairs:
        print(f"#{p.first.id} and #{p.second.id}  score {p.score:.2f}  ({'; '.join(p.why)})")
        print(f"    to merge: sitrep merge {p.first.id} {p.second.id} --reason 'same incident'")


def cmd_forget_user(args: argparse.Namespace) -> None:
    result = forget_user(open_db(args.db), args.user, by=args.by,
                         guild_id=args.guild if args.this_guild else None)
    if args.json:
        _print_json(result)
    else:
        print(f"Replaced {args.user!r} with {result['pseudonym']} in {result['events']} events "
              f"and {result['audit_rows']} history entries; the request itself is in the "
              "history.")


def register(command: Command, default_by: str) -> None:
    """Add the correction commands to the parser through ``bot.cli``'s ``command`` helper."""

    def by_and_reason(p: argparse.ArgumentParser, required: bool) -> None:
        p.add_argument("--reason", required=required,
                       help="why (kept in the history)" + ("" if required else "; optional"))
        p.add_argument("--by", default=default_by, help="who makes the change")

    p = command("edit", cmd_edit, "correct fields of an event (reason required)", True)
    p.add_argument("id", type=int)
    p.add_argument("--set", action="append", required=True, metavar="FIELD=VALUE",
                   help=f"one of {', '.join(corrections.EDITABLE_FIELDS)}; an empty value "
                        "clears an optional field (repeatable)")
    p.add_argument("--ref", help="reference date for words like 'Tuesday', YYYY-MM-DD")
    p.add_argument("--new-actor", action="store_true", help="create unknown actors")
    by_and_reason(p, True)
    p = command("delete", cmd_delete, "soft-delete an event (it stays in the history)", True)
    p.add_argument("id", type=int)
    by_and_reason(p, True)
    p = command("restore", cmd_restore, "bring a deleted event back", True)
    p.add_argument("id", type=int)
    by_and_reason(p, False)
    p = command("merge", cmd_merge, "merge a duplicate report into the event kept", True)
    p.add_argument("keep", type=int)
    p.add_argument("other", type=int)
    by_and_reason(p, True)
    p = command("undo", cmd_undo, "undo the last change to an event (audited too)", True)
    p.add_argument("id", type=int)
    by_and_reason(p, False)
    p = command("history", cmd_history, "every change to an event, oldest first", True)
    p.add_argument("id", type=int)
    p = command("alias", cmd_alias, "add another name for an actor: alias add ACTOR ALIAS")
    p.add_argument("verb", choices=["add"])
    p.add_argument("actor")
    p.add_argument("alias")
    by_and_reason(p, False)
    p = command("actor-rename", cmd_actor_rename, "give an actor a new canonical name")
    p.add_argument("actor")
    p.add_argument("new_name")
    by_and_reason(p, False)
    p = command("actor-merge", cmd_actor_merge, "merge two actors; events move to KEEP")
    p.add_argument("keep")
    p.add_argument("other")
    by_and_reason(p, True)
    p = command("backup", cmd_backup, "consistent copy of the database (safe while running)")
    p.add_argument("path", help="a file, or a folder for a time-stamped file")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument("--keep", type=int, metavar="N",
                   help="with a folder: keep only the N newest backups there")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p = command("restore-backup", cmd_restore_backup,
                "replace the database with a checked backup (stop the bot first)", True)
    p.add_argument("file")
    p = command("forget-user", cmd_forget_user, "data subject request: replace a person's id "
                "(or CLI name) with a stable pseudonym in events and history", True)
    p.add_argument("user", help="the Discord user id, or the name a CLI user logged with")
    p.add_argument("--this-guild", action="store_true",
                   help="only in the team given by --guild (default: every team)")
    p.add_argument("--by", default=default_by, help="who carries out the request")
    p = command("duplicates", cmd_duplicates, "pairs of events that may be the same incident",
                True)
    p.add_argument("--limit", type=int, default=20)
