"""The ``sitrep`` command line: a thin shell over the core, one core call per command.

Parse, call, print text or ``--json``. ``main`` is the only place that turns errors into exit
codes: a ``SitrepError`` is the user's to fix (exit 2, one line on stderr); anything else is a
bug (exit 1, an error id, the traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import logging
import os
import sys
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from bot import (
    cli_acled,
    cli_admin,
    cli_digest,
    cli_extract,
    doctor,
    formatting,
    history,
    queries,
    summary,
)
from bot.clock import today
from bot.config import Settings
from bot.dates import DateRange, parse_ref, resolve_range
from bot.db import open_db
from bot.errors import InvalidInput, SitrepError
from bot.events import NewEvent, get_event, log_event
from bot.logs import setup_logging
from bot.taxonomy import all_types
from bot.text import TerminalSafe

log = logging.getLogger("sitrep")


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _span(args: argparse.Namespace) -> DateRange:
    return resolve_range(args.since, args.until, today())


def _save_png(png: bytes, path: str) -> None:
    Path(path).write_bytes(png)
    print(f"chart written to {path}", file=sys.stderr)


def cmd_init(args: argparse.Namespace) -> None:
    db = open_db(args.db)
    towns = db["townships"].count
    print(f"{args.db}: schema version {db.execute('PRAGMA user_version').fetchone()[0]}, "
          f"{towns} townships, ready.")


def cmd_log(args: argparse.Namespace) -> None:
    new = NewEvent(
        date=args.date, township=args.township, actors=args.actor, opponents=args.opponent or [],
        event_type=args.type, location=args.location, fatalities=args.fatalities,
        sources=args.source or [], notes=args.notes,
    )
    ref = parse_ref(args.ref) if args.ref else today()
    event = log_event(open_db(args.db), args.guild, new, by=args.by or _user(), ref=ref,
                      new_actors=args.new_actor)
    _print_json(event.to_json()) if args.json else print(formatting.event_text(event))


def _user() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def cmd_show(args: argparse.Namespace) -> None:
    db = open_db(args.db)
    event = get_event(db, args.guild, args.id)
    hidden = history.hidden_because(db, args.guild, event)
    if args.json:
        _print_json({**event.to_json(), "hidden_because": hidden})
    else:
        print(formatting.event_text(event) + (f"\n  {hidden}" if hidden else ""))


def cmd_active(args: argparse.Namespace) -> None:
    result = queries.active(open_db(args.db), args.guild, args.township, _span(args))
    _print_json(result) if args.json else print(formatting.active_text(result))


def cmd_actor(args: argparse.Namespace) -> None:
    result = queries.actor_activity(open_db(args.db), args.guild, args.name, _span(args))
    _print_json(result) if args.json else print(formatting.actor_text(result))


def cmd_timeline(args: argparse.Namespace) -> None:
    header, page = queries.timeline(open_db(args.db), args.guild, args.township, _span(args))
    if args.json:
        _print_json({**header, "events": [e.to_json() for e in page.items]})
    else:
        print(f"Timeline of {header['township']} Township, {header['state_region']}:")
        print(formatting.events_text(page, "  no events recorded."))


def cmd_search(args: argparse.Namespace) -> None:
    page = queries.search(open_db(args.db), args.guild, args.text)
    if args.json:
        _print_json({"query": args.text, "total": page.total, "more": page.more,
                     "events": [e.to_json() for e in page.items]})
    else:
        print(formatting.events_text(page, f"No events match {args.text!r}."))


def cmd_summary(args: argparse.Namespace) -> None:
    db = open_db(args.db)
    result = summary.summarise(db, args.guild, _span(args), args.region)
    _print_json(result) if args.json else print(formatting.summary_text(result))
    if args.chart:
        _save_png(summary.summary_chart(db, args.guild, _span(args), args.region, today()),
                  args.chart)


def cmd_map(args: argparse.Namespace) -> None:
    png = summary.events_map(open_db(args.db), args.guild, _span(args), args.region, today())
    _save_png(png, args.out)


def cmd_types(args: argparse.Namespace) -> None:
    types = all_types()
    if args.json:
        _print_json([{"event_type": t.event_type, "sub_event_type": t.sub_event_type}
                     for t in types])
        return
    for t in types:
        print(f"{t.event_type:28}  {t.sub_event_type}")


def cmd_run(args: argparse.Namespace) -> None:
    settings = _settings(args)
    if not settings.token:
        raise SitrepError(
            "No DISCORD_TOKEN is set. Copy .env.example to .env and put the bot token there "
            "(README: 'Run it on Discord'), or try sitrep without Discord: `sitrep playground` "
            "or the CLI (`sitrep --help`)."
        )
    from bot.app import run  # imported late: the CLI's other commands never load discord

    run(settings)


def cmd_sync(args: argparse.Namespace) -> None:
    settings = _settings(args)
    if not settings.token:
        raise SitrepError("Syncing commands needs DISCORD_TOKEN (see .env.example).")
    from bot.app import sync

    guild = args.guild_id
    names = sync(settings, guild)
    where = f"server {guild}" if guild else "all servers (may take up to an hour to show)"
    print(f"published {len(names)} commands to {where}: {', '.join(sorted(names))}")


def cmd_playground(args: argparse.Namespace) -> None:
    # The bot's INFO log would bury the replies; --verbose (or --debug) keeps it on stderr.
    if not (args.verbose or args.debug):
        logging.getLogger().setLevel(logging.WARNING)
    from bot.loopback.playground import run_playground  # loads discord only when asked

    run_playground(Path(args.db), Path(args.files), guild_id=args.guild or None)


def cmd_doctor(args: argparse.Namespace) -> int:
    settings = _settings(args)
    checks = doctor.offline_checks(settings)
    if args.offline:
        checks.append(doctor.Check("discord", "skip", "online checks skipped (--offline)"))
    elif settings.token:
        import asyncio

        from bot.app import online_checks  # only the online checks need discord

        checks += asyncio.run(online_checks(settings, doctor.digest_channels(settings)))
    if args.json:
        _print_json([c.to_json() for c in checks])
    else:
        print("\n".join(c.line() for c in checks))
    return 1 if any(c.status == "fail" for c in checks) else 0


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    return dataclasses.replace(settings, db_path=Path(args.db))


def _add_span(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", help="first day, e.g. 2023-10-27, 'Oct 27', 'last month'")
    p.add_argument("--until", help="last day (inclusive)")


def _add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def build_parser(env: Settings) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitrep",
        description="Log and query armed-conflict events (the same core as the Discord bot).",
    )
    parser.add_argument("--db", default=str(env.db_path),
                        help="SQLite database file (default: $SITREP_DB or ./sitrep.db)")
    parser.add_argument("--guild", type=int, default=0,
                        help="team (Discord server) id whose data to use (default 0)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func: Callable[[argparse.Namespace], None], help: str,
                json_flag: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        if json_flag:
            _add_json(p)
        return p

    command("init", cmd_init, "create, migrate and seed the database (safe to run again)")
    p = command("log", cmd_log, "log one event", json_flag=True)
    p.add_argument("--date", required=True,
                   help="'2023-11-07', '8 Nov 2023', 'Tuesday', 'yesterday', 'Nov 2023'...")
    p.add_argument("--ref", help="the date relative words refer to, YYYY-MM-DD (default today); "
                                 "use the article's publication date")
    p.add_argument("--township", required=True, help="'Mese', 'Mese Township, Kayah State', P-code")
    p.add_argument("--location", help="village, town or base within the township")
    p.add_argument("--actor", action="append", required=True, metavar="NAME",
                   help="a group involved (repeat for several)")
    p.add_argument("--opponent", action="append", metavar="NAME",
                   help="a group on the other side (repeat for several)")
    p.add_argument("--type", required=True, help="ACLED sub-event type or event type "
                                                 "(`sitrep types` lists them)")
    p.add_argument("--fatalities", type=int, help="reported deaths (leave out when unknown)")
    p.add_argument("--source", action="append", metavar="URL", help="source link (repeatable)")
    p.add_argument("--notes", help="free text")
    p.add_argument("--by", help="who is logging (default: your login name)")
    p.add_argument("--new-actor", action="store_true",
                   help="create actors that are not known yet instead of refusing them")
    p = command("show", cmd_show, "show one event", json_flag=True)
    p.add_argument("id", type=int)
    p = command("active", cmd_active, "groups active in a township over a period", True)
    p.add_argument("township")
    _add_span(p)
    p = command("actor", cmd_actor, "where and when a group was active", True)
    p.add_argument("name")
    _add_span(p)
    p = command("timeline", cmd_timeline, "a township's events, oldest first", True)
    p.add_argument("township")
    _add_span(p)
    p = command("summary", cmd_summary, "totals of a period or region", True)
    _add_span(p)
    p.add_argument("--region", help="a state/region, e.g. Kayah, 'Shan (North)', Shan")
    p.add_argument("--chart", metavar="FILE.png", help="also write the weekly chart as a PNG")
    p = command("map", cmd_map, "events per township on a map (PNG)")
    _add_span(p)
    p.add_argument("--region", help="a state/region")
    p.add_argument("--out", required=True, metavar="FILE.png")
    p = command("search", cmd_search, "full-text search over notes and location", True)
    p.add_argument("text", help='words, a "quoted phrase", prefix*')
    command("types", cmd_types, "list ACLED's event types and sub-event types", True)
    cli_admin.register(command, _user())
    cli_extract.register(command, _user())
    cli_acled.register(command, _user())
    cli_digest.register(command, _user())
    command("run", cmd_run, "run the Discord bot (needs DISCORD_TOKEN)")
    p = command("doctor", cmd_doctor, "check the setup: token, database, digest, backups", True)
    p.add_argument("--offline", action="store_true", help="skip the checks that need Discord")
    p = command("sync", cmd_sync, "publish the slash commands to Discord (after install/upgrade)")
    p.add_argument("--guild", dest="guild_id", type=int, metavar="ID",
                   help="only this server, where commands appear at once (default: all servers)")
    p = command("playground", cmd_playground,
                "try the bot in this terminal: a local stand-in for Discord, no token needed")
    p.add_argument("--db", default=argparse.SUPPRESS, help="SQLite database file (as --db above)")
    p.add_argument("--files", default="playground-files", metavar="DIR",
                   help="where attachments such as charts are saved (default ./playground-files)")
    p.add_argument("--verbose", action="store_true", help="show the bot's log (INFO) on stderr")
    return parser


INTERACTIVE = {"playground", "run"}  # they draw on the terminal themselves
PATH_ARGUMENTS = {"db", "out", "chart", "file", "path", "files"}  # file names may be any bytes
SQLITE_INTEGERS = range(-(2**63), 2**63)


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse at the door what no command can use: text with a NUL or that is not Unicode
    (bytes the terminal could not decode arrive as lone surrogates, which SQLite cannot
    store or match) and whole numbers beyond SQLite's 64-bit integers."""
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, int) and not isinstance(item, bool) \
                    and item not in SQLITE_INTEGERS:
                raise InvalidInput(f"{item} is far too large a number for {name}; check it.")
            if not isinstance(item, str):
                continue
            if "\x00" in item:
                raise InvalidInput(f"The {name} argument contains a NUL character; remove it.")
            if item.isascii():
                continue
            try:  # a file name may be any bytes the system can encode; text must be UTF-8
                os.fsencode(item) if name in PATH_ARGUMENTS else item.encode("utf-8")
            except UnicodeEncodeError:
                raise InvalidInput(f"The {name} argument holds bytes that are not UTF-8 text "
                                   "(broken Unicode); retype it.") from None


def main(argv: Sequence[str] | None = None) -> int:
    env = Settings.from_env()
    parser = build_parser(env)
    args = parser.parse_args(argv)
    setup_logging("DEBUG" if args.debug else env.log_level, env.log_format,
                  secrets=[env.token or ""])
    stdout = sys.stdout
    if stdout.isatty() and args.command not in INTERACTIVE:
        sys.stdout = TerminalSafe(stdout)  # type: ignore[assignment]
    try:
        check_arguments(args)
        code = args.func(args)
    except SitrepError as exc:
        print(f"sitrep: {exc.user_message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (``sitrep search war | head``): not an error worth a traceback;
        # stdout now points nowhere, so the interpreter's final flush cannot raise again
        os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        return 141
    except Exception as exc:
        error_id = uuid.uuid4().hex[:8]
        log.error("unexpected error %s", error_id, exc_info=args.debug)
        print(f"sitrep: unexpected error {error_id} ({type(exc).__name__}: {exc}); "
              "run again with --debug for the details.", file=sys.stderr)
        return 1
    finally:
        sys.stdout = stdout
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
