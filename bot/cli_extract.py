"""``sitrep extract``: an article in, proposed events out, for a person to confirm."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from bot.clock import today
from bot.dates import parse_ref
from bot.db import open_db
from bot.errors import NotFound
from bot.extract import Proposal, extract, parse_article

Command = Callable[..., argparse.ArgumentParser]
EVIDENCE_SHOWN = 300


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        raise NotFound(f"There is no file {source!r}; give a text file, or - to read stdin.")
    return path.read_text(encoding="utf-8", errors="replace")


def proposal_text(n: int, p: Proposal) -> str:
    kind = f"{p.event_type} / {p.sub_event_type}" if p.sub_event_type else p.event_type
    place = f"{p.location}, " if p.location else ""
    deaths = "?" if p.fatalities is None else str(p.fatalities)
    sides = ", ".join(p.actor_side) + (f" vs {', '.join(p.opponents)}" if p.opponents else "")
    evidence = p.evidence if len(p.evidence) <= EVIDENCE_SHOWN else (
        p.evidence[: EVIDENCE_SHOWN - 1] + "…")
    lines = [f"#{n} {p.date} {place}{p.township} ({p.state_region}) · {kind}",
             f"  {sides} · fatalities {deaths}"]
    if p.duplicate_of:
        lines.append(f"  likely the same as stored event #{p.duplicate_of}")
    if not p.date_stated:
        lines.append("  the date is carried from an earlier sentence: check it")
    lines.append(f'  "{evidence}"')
    return "\n".join(lines)


def cmd_extract(args: argparse.Namespace) -> None:
    text = _read(args.file)
    url, published, _ = parse_article(text)
    when = parse_ref(args.published) if args.published else published or today()
    proposals = extract(text, when, db=open_db(args.db), guild_id=args.guild)
    if args.json:
        print(json.dumps([p.to_json() for p in proposals], ensure_ascii=False, indent=2))
        return
    if not proposals:
        print("No events found.")
        return
    head = f"{len(proposals)} proposed event(s), dates read against {when.isoformat()}"
    print(head + (f", source {url}" if url else "") + ":")
    for n, p in enumerate(proposals, start=1):
        print(proposal_text(n, p))


def register(command: Command, default_by: str) -> None:
    p = command("extract", cmd_extract, "propose events from a news article (nothing is stored)",
                True)
    p.add_argument("file", help="the article as a text file, or - for stdin")
    p.add_argument("--published", metavar="YYYY-MM-DD",
                   help="publication date words like 'Tuesday' count back from (default: the "
                        "article's published: line, else today)")
