"""The ACLED commands of the ``sitrep`` CLI: ``import-acled`` and ``export``.

Each is one call into the core (``bot.acled_import``, ``bot.acled_export``); this module only
parses arguments, draws the progress bar and prints the report.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import TextIO

from bot.acled_export import FORMATS, export_rows, write_export
from bot.acled_import import BATCH_SIZE, import_acled
from bot.acled_rows import ImportReport
from bot.clock import today
from bot.dates import resolve_range
from bot.db import open_db

Command = Callable[..., argparse.ArgumentParser]
SKIPPED_SHOWN = 20  # in the text report; --json lists them all
BAR = 30


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second; silent when stderr is
    not a terminal (a pipe or a log file must not fill up with carriage returns)."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream, self.label = stream, label
        self.enabled = stream.isatty()
        self.started, self.drawn = time.monotonic(), 0.0

    def __call__(self, rows: int, fraction: float) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.drawn < 0.1 and fraction < 1):
            return
        self.drawn = now
        filled = int(BAR * fraction)
        rate = rows / max(now - self.started, 1e-9)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (BAR - filled)}]"
                          f" {fraction:4.0%} {rows:,} rows, {rate:,.0f}/s ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def report_text(report: ImportReport) -> str:
    """The import report for people: counts, then what needs a look, most frequent first."""
    lines = [
        f"{report.file}: {report.rows_read:,} rows read in {report.seconds:.1f} s",
        f"  inserted   {report.inserted:>8,}",
        f"  updated    {report.updated:>8,}",
        f"  unchanged  {report.unchanged:>8,}",
        f"  skipped    {len(report.skipped):>8,}",
    ]
    for s in report.skipped[:SKIPPED_SHOWN]:
        lines.append(f"    line {s.line}{f' ({s.key})' if s.key else ''}: {s.reason}")
    if len(report.skipped) > SKIPPED_SHOWN:
        lines.append(f"    ... and {len(report.skipped) - SKIPPED_SHOWN:,} more (--json lists "
                     "them all)")
    if report.unmatched_townships:
        lines.append("Unmatched townships (their rows were skipped):")
        lines += [f"  {n:>6,}  {name}" for name, n in report.unmatched_townships.most_common()]
    if report.unmatched_actors:
        lines.append("Actors not reviewed yet (new ones were created; an editor can merge "
                     "them with `sitrep actor-merge` or confirm them):")
        lines += [f"  {n:>6,}  {name}" for name, n in report.unmatched_actors.most_common()]
    if report.overwritten:
        lines.append("Events whose local corrections a revised ACLED row replaced (undo with "
                     "`sitrep undo ID`): " + ", ".join(f"#{i}" for i in report.overwritten))
    if report.ignored_columns:
        lines.append(f"Columns ignored: {', '.join(report.ignored_columns)}")
    return "\n".join(lines)


def cmd_import_acled(args: argparse.Namespace) -> None:
    bar = ProgressBar(sys.stderr, f"importing {args.file}")
    try:
        report = import_acled(open_db(args.db), args.guild, args.file, by=args.by,
                              batch_size=args.batch_size, progress=bar)
    finally:
        bar.close()
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report_text(report))


def cmd_export(args: argparse.Namespace) -> None:
    span = resolve_range(args.since, args.until, today())
    rows = export_rows(open_db(args.db), args.guild, span=span, township=args.township,
                       actor=args.actor)  # refuses a bad filter before a file is touched
    if not args.out:
        write_export(rows, sys.stdout, args.format)
        return
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        count = write_export(rows, out, args.format)
    print(f"{count:,} events written to {args.out}", file=sys.stderr)


def register(command: Command, default_by: str) -> None:
    """Add the ACLED commands to the parser through ``bot.cli``'s ``command`` helper."""
    p = command("import-acled", cmd_import_acled,
                "import an ACLED export (CSV); safe to run again: rows are keyed by "
                "event_id_cnty, changed ones are updated", True)
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--by", default=default_by, help="who imports (kept in the history)")
    p.add_argument("--batch-size", type=int, default=BATCH_SIZE, metavar="N",
                   help=f"rows per transaction (default {BATCH_SIZE:,})")
    p = command("export", cmd_export,
                "export events in ACLED's columns (then sitrep's own), as CSV or JSON")
    p.add_argument("--format", choices=FORMATS, default="csv")
    p.add_argument("--since", help="first day, e.g. 2023-10-27, 'Oct 27', 'last month'")
    p.add_argument("--until", help="last day (inclusive)")
    p.add_argument("--township", help="only this township")
    p.add_argument("--actor", help="only events of this group (either side)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
